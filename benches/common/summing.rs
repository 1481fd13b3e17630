//! The summing loop every generator benchmark measures, and the two iterators it is measured
//! against: one written by hand and `std::iter::from_fn`. No dependencies, so the nightly
//! comparison (`scripts/nightly_gen_block`) includes it too.

use std::hint::black_box;

/// The one consumer every peer is measured with.
#[inline(always)]
pub fn sum(items: impl IntoIterator<Item = u64>) -> u64 {
    let mut total = 0u64;
    for item in items {
        total += black_box(item);
    }
    total
}

/// [`sum`] through `fold`: the consumer every peer's internal iteration is measured with.
#[inline(always)]
pub fn fold_sum(items: impl IntoIterator<Item = u64>) -> u64 {
    items
        .into_iter()
        .fold(0u64, |total, item| total + black_box(item))
}

/// The baseline: the iterator one would write by hand.
pub struct Counter {
    pub next: u64,
    pub end: u64,
}

impl Iterator for Counter {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        if self.next < self.end {
            let item = self.next;
            self.next += 1;
            Some(item)
        } else {
            None
        }
    }
}

pub fn hand_written(n: u64) -> u64 {
    sum(Counter { next: 0, end: n })
}

pub fn std_from_fn(n: u64) -> u64 {
    let mut i = 0;
    sum(std::iter::from_fn(move || {
        if i < n {
            let item = i;
            i += 1;
            Some(item)
        } else {
            None
        }
    }))
}
