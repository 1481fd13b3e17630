//! `islice`: a slice of an iterator, reading the source exactly as far as CPython does.

use core::iter::FusedIterator;

use super::unwind::OnUnwind;

/// The iterator returned by [`islice`] and [`IterExt::islice`](super::IterExt::islice).
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(islice('ABCDEFG', 2, None))
/// assert_eq!("ABCDEFG".chars().islice(2, None, 1).collect::<String>(), "CDEFG");
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct ISlice<I> {
    /// The source, until the slice is over.
    iter: Option<I>,
    /// How many source items to drop before the next one to give out.
    skip: usize,
    /// How many source items are left before `stop` (`None`: no `stop`).
    left: Option<usize>,
    step: usize,
}

/// The items of `iterable` at positions `start`, `start + step`, ... before `stop` (Python's
/// `itertools.islice(iterable, start, stop, step)`; `islice(it, stop)` is
/// `islice(it, 0, stop, 1)`). `stop` is a position or `None` (to the end).
///
/// The source is read exactly as far as CPython reads it, which matters when it is borrowed
/// with [`by_ref`](Iterator::by_ref): the items before `start` and between the given items are
/// read and dropped, and after the last item given out, CPython's next call still reads the
/// source up to `stop` (or up to `start` if `start > stop`) and no further.
///
/// # Panics
///
/// If `step` is 0 (`islice(): step must be at least one`).
///
/// ```
/// use cogen::iter::{count, islice};
///
/// // Python: list(islice('ABCDEFG', 2)), list(islice('ABCDEFG', 0, None, 2))
/// assert_eq!(islice("ABCDEFG".chars(), 0, 2, 1).collect::<String>(), "AB");
/// assert_eq!(islice("ABCDEFG".chars(), 0, None, 2).collect::<String>(), "ACEG");
/// // Python: it = count(); list(islice(it, 1, 3, 50)); next(it)
/// let mut it = count(0, 1);
/// assert_eq!(islice(it.by_ref(), 1, 3, 50).collect::<Vec<_>>(), [1]);
/// assert_eq!(it.next(), Some(3));
/// ```
#[track_caller]
pub fn islice<I: IntoIterator>(
    iterable: I,
    start: usize,
    stop: impl Into<Option<usize>>,
    step: usize,
) -> ISlice<I::IntoIter> {
    assert!(step != 0, "islice(): step must be at least one");
    // CPython reads up to `start` even when `stop` is before it.
    let left = stop.into().map(|stop: usize| stop.max(start));
    ISlice {
        iter: Some(iterable.into_iter()),
        skip: start,
        left,
        step,
    }
}

impl<I: Iterator> Iterator for ISlice<I> {
    type Item = I::Item;

    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        let iter = self.iter.as_mut()?;
        let skip = self.skip;
        if let Some(left) = &mut self.left {
            if skip >= *left {
                // The slice is over; CPython still reads up to `stop`.
                if *left > 0 {
                    iter.nth(*left - 1);
                }
                self.iter = None;
                return None;
            }
            *left -= skip + 1;
        }
        // As CPython's islice, which ends once its source raised: should the source panic, the
        // slice is over (and the next call drops the source).
        let end_on_panic = OnUnwind::arm(&mut self.left, Some(0));
        let found = if skip == 0 {
            iter.next()
        } else {
            iter.nth(skip)
        };
        end_on_panic.disarm();
        match found {
            Some(item) => {
                self.skip = self.step - 1;
                Some(item)
            }
            None => {
                self.iter = None;
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let Some(iter) = &self.iter else {
            return (0, Some(0));
        };
        let (low, high) = iter.size_hint();
        // Items at offsets skip, skip + step, ... before min(available, left).
        let given = |available: usize| {
            let end = self.left.map_or(available, |left| left.min(available));
            if end <= self.skip {
                0
            } else {
                1 + (end - self.skip - 1) / self.step
            }
        };
        let high = match (high, self.left) {
            (Some(high), _) => Some(given(high)),
            (None, Some(left)) => Some(given(left)),
            (None, None) => None,
        };
        (given(low), high)
    }

    #[inline]
    fn fold<B, F>(self, init: B, f: F) -> B
    where
        F: FnMut(B, I::Item) -> B,
    {
        let Some(iter) = self.iter else {
            return init;
        };
        // std's own loops, reading exactly as far as CPython: to the end, or up to `stop`.
        let (skip, step) = (self.skip, self.step);
        match self.left {
            Some(left) if skip >= left => {
                let mut iter = iter;
                if left > 0 {
                    iter.nth(left - 1);
                }
                init
            }
            Some(left) if step == 1 => iter.skip(skip).take(left - skip).fold(init, f),
            Some(left) => iter
                .skip(skip)
                .take(left - skip)
                .step_by(step)
                .fold(init, f),
            None if step == 1 => iter.skip(skip).fold(init, f),
            None => iter.skip(skip).step_by(step).fold(init, f),
        }
    }
}

impl<I: ExactSizeIterator> ExactSizeIterator for ISlice<I> {}
impl<I: Iterator> FusedIterator for ISlice<I> {}
