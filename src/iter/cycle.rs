//! `cycle`, saving the first pass as CPython does.

use core::fmt;
use core::iter::FusedIterator;

use alloc::vec::Vec;

/// The iterator returned by [`cycle`] and [`IterExt::cycle_saved`](super::IterExt::cycle_saved).
///
/// ```
/// use cogen::iter::cycle;
///
/// // Python: list(islice(cycle('AB'), 5))
/// assert_eq!(cycle("AB".chars()).take(5).collect::<String>(), "ABABA");
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Cycle<I: Iterator> {
    /// The source, until its first pass is over.
    source: Option<I>,
    /// Every item of the first pass, replayed afterwards.
    saved: Vec<I::Item>,
    /// Where the replay is in `saved` (`usize::MAX` during the first pass).
    index: usize,
}

/// Repeats the items of `iterable` forever (Python's `itertools.cycle`).
///
/// Like CPython, and unlike std's [`Iterator::cycle`] (which clones the iterator and reads
/// the source again on every pass), it reads the source once, saving a clone of each item, and
/// then replays the saved items. An empty source gives an empty cycle.
///
/// ```
/// use cogen::iter::cycle;
///
/// // Python: list(islice(cycle([1, 2, 3]), 7))
/// assert_eq!(cycle([1, 2, 3]).take(7).collect::<Vec<_>>(), [1, 2, 3, 1, 2, 3, 1]);
/// // The source is read once, even if it could not be cloned:
/// let mut reads = 0;
/// let source = std::iter::from_fn(|| { reads += 1; (reads <= 2).then_some(reads) });
/// assert_eq!(cycle(source).take(6).collect::<Vec<_>>(), [1, 2, 1, 2, 1, 2]);
/// assert_eq!(reads, 3);
/// assert_eq!(cycle(Vec::<u8>::new()).next(), None);
/// ```
pub fn cycle<I>(iterable: I) -> Cycle<I::IntoIter>
where
    I: IntoIterator,
    I::Item: Clone,
{
    Cycle {
        source: Some(iterable.into_iter()),
        saved: Vec::new(),
        index: usize::MAX,
    }
}

impl<I> Cycle<I>
where
    I: Iterator,
    I::Item: Clone,
{
    /// The next item of the first pass, saved; then the start of the replay.
    ///
    /// Each step is recorded before user code runs that could panic (the item's `Clone`, the
    /// source's destructor), so a panic never leaves the saved pass short or the replay unset.
    #[inline]
    fn first_pass(&mut self) -> Option<I::Item> {
        let source = self.source.as_mut()?;
        match source.next() {
            Some(item) => {
                self.saved.push(item);
                self.saved.last().cloned()
            }
            None => {
                self.index = 0;
                drop(self.source.take());
                self.replay()
            }
        }
    }

    /// The saved item at `index`, then `index` moves on (back to 0 after the last).
    #[inline]
    fn replay(&mut self) -> Option<I::Item> {
        let item = self.saved.get(self.index)?.clone();
        self.index += 1;
        if self.index == self.saved.len() {
            self.index = 0;
        }
        Some(item)
    }
}

impl<I> Iterator for Cycle<I>
where
    I: Iterator,
    I::Item: Clone,
{
    type Item = I::Item;

    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        // During the first pass `index` is past the end of `saved`.
        if self.index < self.saved.len() {
            return self.replay();
        }
        self.first_pass()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if !self.saved.is_empty() {
            return (usize::MAX, None);
        }
        match &self.source {
            None => (0, Some(0)),
            Some(source) => match source.size_hint() {
                (0, Some(0)) => (0, Some(0)),
                (0, _) => (0, None),
                _ => (usize::MAX, None),
            },
        }
    }
}

impl<I> FusedIterator for Cycle<I>
where
    I: Iterator,
    I::Item: Clone,
{
}

impl<I> Clone for Cycle<I>
where
    I: Iterator + Clone,
    I::Item: Clone,
{
    fn clone(&self) -> Self {
        Cycle {
            source: self.source.clone(),
            saved: self.saved.clone(),
            index: self.index,
        }
    }
}

impl<I> fmt::Debug for Cycle<I>
where
    I: Iterator + fmt::Debug,
    I::Item: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cycle")
            .field("source", &self.source)
            .field("saved", &self.saved)
            .field("index", &self.index)
            .finish()
    }
}
