//! Per-item cost of one summing loop over a hand-written iterator, a nightly `gen` block, and
//! cogen's boxed and pinned generators. Nightly only (`gen` blocks are unstable).
#![feature(gen_blocks)]

use std::hint::black_box;
use std::pin::pin;
use std::time::Instant;

use cogen::{Co, Frame, Gen};

const ITEMS: u64 = 10_000;
const REPEATS: u32 = 20_000;

struct Counter {
    next: u64,
    end: u64,
}

impl Iterator for Counter {
    type Item = u64;
    #[inline]
    fn next(&mut self) -> Option<u64> {
        (self.next < self.end).then(|| {
            self.next += 1;
            self.next - 1
        })
    }
}

/// The consumer of benches/generators.rs.
#[inline(always)]
fn sum(items: impl IntoIterator<Item = u64>) -> u64 {
    let mut total = 0u64;
    for item in items {
        total += black_box(item);
    }
    total
}

/// Nanoseconds per item of `run`, which sums `ITEMS` items.
fn per_item(run: impl Fn(u64) -> u64) -> f64 {
    let expected = ITEMS * (ITEMS - 1) / 2;
    let started = Instant::now();
    for _ in 0..REPEATS {
        assert_eq!(run(black_box(ITEMS)), expected);
    }
    started.elapsed().as_nanos() as f64 / (f64::from(REPEATS) * ITEMS as f64)
}

fn main() {
    println!("| round | hand_written | nightly gen block | cogen_boxed | cogen_pinned |");
    println!("|---|---:|---:|---:|---:|");
    for round in 1..=3 {
        let hand = per_item(|n| sum(Counter { next: 0, end: n }));
        let gen_block = per_item(|n| sum(gen move { for i in 0..n { yield i; } }));
        let boxed = per_item(|n| {
            sum(Gen::new(move |co: Co<u64>| async move {
                for i in 0..n {
                    co.yield_(i).await;
                }
            }))
        });
        let pinned = per_item(|n| {
            let frame = pin!(Frame::new(move |co: Co<u64>| async move {
                for i in 0..n {
                    co.yield_(i).await;
                }
            }));
            sum(Gen::pinned(frame))
        });
        let cell = |ns: f64| format!("{ns:.2} ns ({:.1}x)", ns / hand);
        println!(
            "| {round} | {hand:.2} ns | {} | {} | {} |",
            cell(gen_block),
            cell(boxed),
            cell(pinned)
        );
    }
}
