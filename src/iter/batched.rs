//! `batched`: items in lists of `n`.

use alloc::vec::Vec;
use core::error::Error;
use core::fmt;
use core::iter::FusedIterator;

/// The iterator returned by [`batched`] and [`IterExt::batched`](super::IterExt::batched):
/// `Vec`s of `n` items, the last one possibly shorter.
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(batched(range(5), 2))
/// assert_eq!((0..5).batched(2).collect::<Vec<_>>(), [vec![0, 1], vec![2, 3], vec![4]]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Batched<I> {
    iter: I,
    n: usize,
    done: bool,
}

/// The iterator returned by [`batched_strict`] and
/// [`IterExt::batched_strict`](super::IterExt::batched_strict): `Ok` batches of exactly `n`
/// items, then an [`IncompleteBatch`] error if items are left over, then nothing.
///
/// ```
/// use cogen::IterExt;
///
/// let mut batches = (0..5).batched_strict(2);
/// assert_eq!(batches.next(), Some(Ok(vec![0, 1])));
/// assert_eq!(batches.next(), Some(Ok(vec![2, 3])));
/// assert_eq!(batches.next().unwrap().unwrap_err().into_items(), [4]);
/// assert_eq!(batches.next(), None);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct BatchedStrict<I> {
    inner: Batched<I>,
}

#[track_caller]
fn check_n(n: usize) {
    assert!(n != 0, "ValueError: n must be at least one");
}

/// Splits `iterable` into `Vec`s of `n` items; the last one is shorter if the items do not
/// divide evenly (Python's `itertools.batched(iterable, n)`, with lists for tuples).
///
/// # Panics
///
/// If `n` is 0, like std's `chunks(0)`, with the message of CPython's `ValueError`:
/// `ValueError: n must be at least one`.
///
/// ```
/// use cogen::iter::batched;
///
/// // Python: list(batched('ABCDEFG', 3))
/// let batches: Vec<String> = batched("ABCDEFG".chars(), 3).map(String::from_iter).collect();
/// assert_eq!(batches, ["ABC", "DEF", "G"]);
/// ```
#[track_caller]
pub fn batched<I: IntoIterator>(iterable: I, n: usize) -> Batched<I::IntoIter> {
    check_n(n);
    Batched {
        iter: iterable.into_iter(),
        n,
        done: false,
    }
}

/// Splits `iterable` into `Vec`s of exactly `n` items, with an [`IncompleteBatch`] error
/// (holding the leftover items) if the items do not divide evenly, after which the iterator is
/// done (Python 3.13's `itertools.batched(iterable, n, strict=True)`).
///
/// # Panics
///
/// If `n` is 0 (`ValueError: n must be at least one`, CPython's message).
///
/// ```
/// use cogen::iter::batched_strict;
///
/// // Python: list(batched('ABCDEF', 3, strict=True))
/// let batches: Result<Vec<_>, _> = batched_strict("ABCDEF".chars(), 3).collect();
/// assert_eq!(batches.unwrap(), [['A', 'B', 'C'], ['D', 'E', 'F']]);
/// // Python: list(batched('ABCDEFG', 3, strict=True))  ->  ValueError
/// let error = batched_strict("ABCDEFG".chars(), 3).collect::<Result<Vec<_>, _>>().unwrap_err();
/// assert_eq!(error.to_string(), "batched(): incomplete batch");
/// assert_eq!((error.items(), error.expected()), (&['G'][..], 3));
/// ```
#[track_caller]
pub fn batched_strict<I: IntoIterator>(iterable: I, n: usize) -> BatchedStrict<I::IntoIter> {
    BatchedStrict {
        inner: batched(iterable, n),
    }
}

impl<I: Iterator> Batched<I> {
    /// The next batch, full or short, as CPython reads it: up to `n` items, stopping at the
    /// first `None`; after a `None` before any item, the iterator is done. So is it after the
    /// source panics, as CPython's ends after its source raises (the batch being filled is
    /// dropped): `done` is set while the source is read, and cleared once the batch is made.
    #[inline]
    fn next_batch(&mut self) -> Option<Vec<I::Item>> {
        if self.done {
            return None;
        }
        self.done = true;
        let first = self.iter.next()?;
        // Room for a full batch, unless `n` is huge and the source says it is much shorter.
        let capacity = self
            .n
            .min(self.iter.size_hint().0.saturating_add(1).max(1024));
        let mut batch = Vec::with_capacity(capacity);
        batch.push(first);
        batch.extend(self.iter.by_ref().take(self.n - 1));
        self.done = false;
        Some(batch)
    }

    fn batches_hint(&self) -> (usize, Option<usize>) {
        if self.done {
            return (0, Some(0));
        }
        let (low, high) = self.iter.size_hint();
        let n = self.n;
        let div_ceil = |items: usize| items / n + usize::from(items % n != 0);
        (div_ceil(low), high.map(div_ceil))
    }
}

impl<I: Iterator> Iterator for Batched<I> {
    type Item = Vec<I::Item>;

    #[inline]
    fn next(&mut self) -> Option<Vec<I::Item>> {
        self.next_batch()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.batches_hint()
    }
}

impl<I: ExactSizeIterator> ExactSizeIterator for Batched<I> {}
impl<I: Iterator> FusedIterator for Batched<I> {}

impl<I: Iterator> Iterator for BatchedStrict<I> {
    type Item = Result<Vec<I::Item>, IncompleteBatch<I::Item>>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let items = self.inner.next_batch()?;
        if items.len() == self.inner.n {
            Some(Ok(items))
        } else {
            self.inner.done = true;
            Some(Err(IncompleteBatch {
                items,
                expected: self.inner.n,
            }))
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // Full batches, plus one error for leftovers: the same count as `batched`'s.
        self.inner.batches_hint()
    }
}

impl<I: ExactSizeIterator> ExactSizeIterator for BatchedStrict<I> {}
impl<I: Iterator> FusedIterator for BatchedStrict<I> {}

/// The error of [`batched_strict`]: the items did not fill the last batch. It holds those
/// items. `Display` is Python 3.13's `ValueError` message, `batched(): incomplete batch`.
///
/// ```
/// use cogen::iter::batched_strict;
///
/// let mut batches = batched_strict([1, 2, 3], 2);
/// assert_eq!(batches.next(), Some(Ok(vec![1, 2])));
/// let error = batches.next().unwrap().unwrap_err();
/// assert_eq!(error.to_string(), "batched(): incomplete batch");
/// assert_eq!(error.expected(), 2);
/// assert_eq!(error.into_items(), [3]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IncompleteBatch<T> {
    items: Vec<T>,
    expected: usize,
}

impl<T> IncompleteBatch<T> {
    /// The leftover items (fewer than [`expected`](Self::expected), at least one).
    ///
    /// ```
    /// use cogen::iter::batched_strict;
    ///
    /// let error = batched_strict("abcd".chars(), 3).nth(1).unwrap().unwrap_err();
    /// assert_eq!(error.items(), ['d']);
    /// ```
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Takes the leftover items.
    ///
    /// ```
    /// use cogen::iter::batched_strict;
    ///
    /// let error = batched_strict(vec![String::from("a")], 2).next().unwrap().unwrap_err();
    /// assert_eq!(error.into_items(), ["a"]);
    /// ```
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The batch size asked for (`n`).
    ///
    /// ```
    /// use cogen::iter::batched_strict;
    ///
    /// assert_eq!(batched_strict([1], 4).next().unwrap().unwrap_err().expected(), 4);
    /// ```
    pub fn expected(&self) -> usize {
        self.expected
    }
}

impl<T> fmt::Display for IncompleteBatch<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("batched(): incomplete batch")
    }
}

impl<T: fmt::Debug> Error for IncompleteBatch<T> {}
