//! `islice`: a slice of an iterator, reading the source exactly as far as CPython does.

use core::iter::FusedIterator;
use core::ops::{
    Bound, Range, RangeBounds, RangeFrom, RangeFull, RangeInclusive, RangeTo, RangeToInclusive,
};

use super::unwind::OnUnwind;

/// The arguments of [`islice`] after the iterable, in the forms Python's `islice` takes and
/// the forms of a Rust slice: `(start, stop, step)` with `stop` a position or `None` (to the
/// end).
///
/// | Python | cogen |
/// |---|---|
/// | `islice(it, 5)`, `islice(it, None)` | `islice(it, 5)`, `islice(it, None)` |
/// | `islice(it, 2, 5)`, `islice(it, 2, None)` | `islice(it, 2..5)`, `islice(it, 2..)`, or `islice(it, (2, 5))`, `islice(it, (2, None))` |
/// | `islice(it, 0, 5)`, `islice(it, 0, None)` | `islice(it, ..5)`, `islice(it, ..)` |
/// | `islice(it, 2, 10, 3)`, `islice(it, 2, None, 3)` | `islice(it, (2..10, 3))`, `islice(it, (2.., 3))`, or `islice(it, (2, 10, 3))`, `islice(it, (2, None, 3))` |
/// | `islice(it, None, None, 2)` | `islice(it, (.., 2))` |
///
/// An inclusive range stops after its end: `2..=4` is `2..5`, and `..=usize::MAX` has no stop;
/// an inclusive range iterated to its end is empty, and slices nothing.
/// A step of 0 panics, as Python raises (`ValueError: Step for islice() must be a positive
/// integer or None.`); Python's negative positions have no `usize`.
///
/// ```
/// use cogen::iter::SliceArgs;
///
/// assert_eq!(5.slice_args(), (0, Some(5), 1));
/// assert_eq!((2..).slice_args(), (2, None, 1));
/// assert_eq!((2..10, 3).slice_args(), (2, Some(10), 3));
/// assert_eq!((1, None, 2).slice_args(), (1, None, 2));
/// ```
pub trait SliceArgs {
    /// `(start, stop, step)`: Python's `islice(it, start, stop, step)` arguments.
    ///
    /// ```
    /// use cogen::iter::SliceArgs;
    ///
    /// assert_eq!((..=4).slice_args(), (0, Some(5), 1));
    /// ```
    fn slice_args(self) -> (usize, Option<usize>, usize);
}

/// Python's `islice(it, stop)`.
impl SliceArgs for usize {
    #[inline]
    fn slice_args(self) -> (usize, Option<usize>, usize) {
        (0, Some(self), 1)
    }
}

/// Python's `islice(it, stop)` with `stop` a position or `None`.
impl SliceArgs for Option<usize> {
    #[inline]
    fn slice_args(self) -> (usize, Option<usize>, usize) {
        (0, self, 1)
    }
}

/// Python's `islice(it, start, stop)`.
impl<S: Into<Option<usize>>> SliceArgs for (usize, S) {
    #[inline]
    fn slice_args(self) -> (usize, Option<usize>, usize) {
        (self.0, self.1.into(), 1)
    }
}

/// Python's `islice(it, start, stop, step)`.
impl<S: Into<Option<usize>>> SliceArgs for (usize, S, usize) {
    #[inline]
    fn slice_args(self) -> (usize, Option<usize>, usize) {
        (self.0, self.1.into(), self.2)
    }
}

/// `(start, stop, step)` of a range and a step. An exhausted `RangeInclusive` reports its end
/// as excluded (std's `RangeBounds`), so it slices nothing, as the empty range it is.
#[inline]
fn range_args(range: &impl RangeBounds<usize>, step: usize) -> (usize, Option<usize>, usize) {
    let start = match range.start_bound() {
        Bound::Included(&start) => start,
        // None of the ranges below excludes its start; past `usize::MAX` nothing is left.
        Bound::Excluded(&start) => start.saturating_add(1),
        Bound::Unbounded => 0,
    };
    let stop = match range.end_bound() {
        // `..=usize::MAX` has no stop.
        Bound::Included(&end) => end.checked_add(1),
        Bound::Excluded(&end) => Some(end),
        Bound::Unbounded => None,
    };
    (start, stop, step)
}

macro_rules! slice_range {
    ($($range:ty),* $(,)?) => {$(
        impl SliceArgs for $range {
            #[inline]
            fn slice_args(self) -> (usize, Option<usize>, usize) {
                range_args(&self, 1)
            }
        }

        /// A range and a step.
        impl SliceArgs for ($range, usize) {
            #[inline]
            fn slice_args(self) -> (usize, Option<usize>, usize) {
                range_args(&self.0, self.1)
            }
        }
    )*};
}

slice_range!(
    Range<usize>,
    RangeFrom<usize>,
    RangeTo<usize>,
    RangeFull,
    RangeInclusive<usize>,
    RangeToInclusive<usize>,
);

/// The iterator returned by [`islice`] and [`IterExt::islice`](super::IterExt::islice).
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(islice('ABCDEFG', 2, None))
/// assert_eq!("ABCDEFG".chars().islice(2..).collect::<String>(), "CDEFG");
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

/// CPython's message for a step of 0.
const STEP_ERROR: &str = "ValueError: Step for islice() must be a positive integer or None.";

/// The items of `iterable` at positions `start`, `start + step`, ... before `stop` (Python's
/// `itertools.islice(iterable, ...)`), with the arguments in any of the forms of
/// [`SliceArgs`]: `islice(it, 5)`, `islice(it, 2..5)`, `islice(it, 2..)`, `islice(it, ..5)`,
/// `islice(it, (2..10, 3))`, or Python's own order as a tuple, `islice(it, (2, None, 3))`.
///
/// The source is read exactly as far as CPython reads it, which matters when it is borrowed
/// with [`by_ref`](Iterator::by_ref): the items before `start` and between the given items are
/// read and dropped, and after the last item given out, CPython's next call still reads the
/// source up to `stop` (or up to `start` if `start > stop`) and no further.
///
/// # Panics
///
/// If the step is 0, with CPython's message: `ValueError: Step for islice() must be a
/// positive integer or None.`
///
/// ```
/// use cogen::iter::{count, islice};
///
/// // Python: list(islice('ABCDEFG', 2)), list(islice('ABCDEFG', 2, 4))
/// assert_eq!(islice("ABCDEFG".chars(), 2).collect::<String>(), "AB");
/// assert_eq!(islice("ABCDEFG".chars(), 2..4).collect::<String>(), "CD");
/// // Python: list(islice('ABCDEFG', 2, None)), list(islice('ABCDEFG', 0, None, 2))
/// assert_eq!(islice("ABCDEFG".chars(), 2..).collect::<String>(), "CDEFG");
/// assert_eq!(islice("ABCDEFG".chars(), (.., 2)).collect::<String>(), "ACEG");
/// // Python: it = count(); list(islice(it, 1, 3, 50)); next(it)
/// let mut it = count(0, 1);
/// assert_eq!(islice(it.by_ref(), (1..3, 50)).collect::<Vec<_>>(), [1]);
/// assert_eq!(it.next(), Some(3));
/// ```
#[track_caller]
pub fn islice<I: IntoIterator>(iterable: I, args: impl SliceArgs) -> ISlice<I::IntoIter> {
    let (start, stop, step) = args.slice_args();
    assert!(step != 0, "{STEP_ERROR}");
    // CPython reads up to `start` even when `stop` is before it.
    let left = stop.map(|stop| stop.max(start));
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
