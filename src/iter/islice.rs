//! `islice`: a slice of an iterator, reading the source exactly as far as CPython does.

use std::iter::FusedIterator;

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
    /// How many items have been read from the source.
    read: usize,
    /// The position of the next item to give out (never past `stop`).
    next: usize,
    stop: Option<usize>,
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
    ISlice {
        iter: Some(iterable.into_iter()),
        read: 0,
        next: start,
        stop: stop.into(),
        step,
    }
}

impl<I: Iterator> Iterator for ISlice<I> {
    type Item = I::Item;

    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        let iter = self.iter.as_mut()?;
        let skip = self.next - self.read;
        if self.stop.is_some_and(|stop| self.next >= stop) {
            // CPython reads up to `next` before it sees that the slice is over.
            if skip > 0 {
                iter.nth(skip - 1);
            }
            self.iter = None;
            return None;
        }
        match iter.nth(skip) {
            Some(item) => {
                self.read = self.next + 1;
                let next = self.next.saturating_add(self.step);
                self.next = match self.stop {
                    Some(stop) => next.min(stop),
                    None => next,
                };
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
        // Relative to the source's next item: the first item to give out, and the end.
        let first = self.next - self.read;
        let end = self.stop.map(|stop| stop - self.read);
        let given = |available: usize| {
            let end = end.map_or(available, |end| end.min(available));
            if end <= first {
                0
            } else {
                let span = end - first;
                span / self.step + usize::from(span % self.step != 0)
            }
        };
        let high = match (high, end) {
            (Some(high), _) => Some(given(high)),
            (None, Some(end)) => Some(given(end)),
            (None, None) => None,
        };
        (given(low), high)
    }

    fn fold<B, F>(mut self, init: B, mut f: F) -> B
    where
        F: FnMut(B, I::Item) -> B,
    {
        let Some(first) = self.next() else {
            return init;
        };
        let acc = f(init, first);
        if self.step == 1 {
            // The rest is contiguous: std's own loops, reading exactly to `stop`.
            let Some(iter) = self.iter.take() else {
                return acc;
            };
            return match self.stop {
                Some(stop) => iter.take(stop - self.read).fold(acc, f),
                None => iter.fold(acc, f),
            };
        }
        let mut acc = acc;
        for item in self {
            acc = f(acc, item);
        }
        acc
    }
}

impl<I: ExactSizeIterator> ExactSizeIterator for ISlice<I> {}
impl<I: Iterator> FusedIterator for ISlice<I> {}
