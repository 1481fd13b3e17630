//! `permutations`: ordered arrangements, in CPython's order.

use core::iter::FusedIterator;

use super::pool::{ArrayStreamer, Engine, Streamer, mixed_radix, pool};
use alloc::vec::Vec;

/// CPython's algorithm: `indices` is a permutation of the pool's indices whose first `r` are
/// the current tuple; `cycles` counts down the choices left at each of those slots.
#[derive(Clone, Debug)]
pub(crate) struct PermutationsEngine {
    indices: Vec<usize>,
    cycles: Vec<usize>,
}

impl PermutationsEngine {
    /// The engine, and whether there is no tuple at all (`r > n`).
    fn new(n: usize, r: usize) -> (Self, bool) {
        let empty = r > n;
        let r = if empty { 0 } else { r };
        let engine = PermutationsEngine {
            indices: (0..n).collect(),
            cycles: (n - r + 1..=n).rev().collect(),
        };
        (engine, empty)
    }
}

impl Engine for PermutationsEngine {
    #[inline]
    fn advance(&mut self) -> Option<usize> {
        let n = self.indices.len();
        for i in (0..self.cycles.len()).rev() {
            self.cycles[i] -= 1;
            if self.cycles[i] == 0 {
                // indices[i:] = indices[i+1:] + indices[i:i+1]
                let first = self.indices[i];
                for k in i..n - 1 {
                    self.indices[k] = self.indices[k + 1];
                }
                self.indices[n - 1] = first;
                self.cycles[i] = n - i;
            } else {
                let j = self.cycles[i];
                self.indices.swap(i, n - j);
                return Some(i);
            }
        }
        None
    }

    #[inline]
    fn slots(&self) -> &[usize] {
        &self.indices[..self.cycles.len()]
    }

    fn remaining(&self) -> Option<usize> {
        // Slot i counts down from n - i to 1: a mixed-radix counter.
        let n = self.indices.len();
        mixed_radix(
            self.cycles
                .iter()
                .enumerate()
                .map(|(i, &cycle)| (cycle - 1, n - i)),
        )
    }
}

/// The iterator returned by [`permutations`] and
/// [`IterExt::permutations`](super::IterExt::permutations): each ordered arrangement of `r`
/// of the pool's items, as a `Vec`. [`next_ref`](Permutations::next_ref) lends each one
/// instead, allocating nothing.
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(permutations(range(3), 2))
/// let arrangements: Vec<Vec<i32>> = (0..3).permutations(2).collect();
/// assert_eq!(arrangements, [[0, 1], [0, 2], [1, 0], [1, 2], [2, 0], [2, 1]]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Permutations<T> {
    inner: Streamer<T, PermutationsEngine>,
}

/// The iterator returned by [`permutations_array`]: like [`Permutations`], with arrays for
/// `Vec`s (no allocation per item).
///
/// ```
/// use cogen::iter::permutations_array;
///
/// // Python: list(permutations('ab'))
/// let swaps: Vec<[char; 2]> = permutations_array("ab".chars()).collect();
/// assert_eq!(swaps, [['a', 'b'], ['b', 'a']]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct PermutationsArray<T, const R: usize> {
    inner: ArrayStreamer<T, PermutationsEngine>,
}

/// Every ordered arrangement of `r` items of `iterable` (all of them for `None`), in CPython's
/// order (Python's `itertools.permutations(iterable, r)`). Items are told apart by position,
/// not value. The input is read in full first. `r` greater than the number of items gives
/// nothing; `r == 0` gives one empty tuple.
///
/// ```
/// use cogen::iter::permutations;
///
/// // Python: [''.join(p) for p in permutations('ABC')]
/// let words: Vec<String> = permutations("ABC".chars(), None).map(String::from_iter).collect();
/// assert_eq!(words, ["ABC", "ACB", "BAC", "BCA", "CAB", "CBA"]);
/// // Python: list(permutations('AB', 3)), list(permutations('AB', 0))
/// assert_eq!(permutations("AB".chars(), 3).count(), 0);
/// assert_eq!(permutations("AB".chars(), 0).collect::<Vec<_>>(), [vec![]]);
/// ```
pub fn permutations<I>(iterable: I, r: impl Into<Option<usize>>) -> Permutations<I::Item>
where
    I: IntoIterator,
    I::Item: Clone,
{
    let pool = pool(iterable);
    let r = r.into().unwrap_or(pool.len());
    let (engine, empty) = PermutationsEngine::new(pool.len(), r);
    Permutations {
        inner: Streamer::new(pool, engine, empty),
    }
}

/// Every ordered arrangement of `R` items of `iterable`, as arrays (Python's
/// `itertools.permutations(iterable, R)`).
///
/// ```
/// use cogen::iter::permutations_array;
///
/// // Python: for a, b in permutations([1, 2, 3], 2): ...
/// let mut differences = Vec::new();
/// for [a, b] in permutations_array([1, 2, 3]) {
///     differences.push(a - b);
/// }
/// assert_eq!(differences, [-1, -2, 1, -1, 2, 1]);
/// // When R cannot be inferred, name it (and `_` for the iterable's type):
/// assert_eq!(permutations_array::<3, _>(0..4).count(), 24);
/// ```
pub fn permutations_array<const R: usize, I>(iterable: I) -> PermutationsArray<I::Item, R>
where
    I: IntoIterator,
    I::Item: Clone,
{
    let pool = pool(iterable);
    let (engine, empty) = PermutationsEngine::new(pool.len(), R);
    PermutationsArray {
        inner: ArrayStreamer::new(pool, engine, empty),
    }
}

impl<T: Clone> Permutations<T> {
    /// The next arrangement, lent from a buffer that is reused for every one: no allocation
    /// per arrangement, and only the items that changed are cloned. Mixes freely with `next`.
    ///
    /// ```
    /// use cogen::iter::permutations;
    ///
    /// let mut arrangements = permutations(1..=4, 2);
    /// let mut count = 0;
    /// while let Some(pair) = arrangements.next_ref() {
    ///     assert_ne!(pair[0], pair[1]);
    ///     count += 1;
    /// }
    /// assert_eq!(count, 12);
    /// ```
    #[inline]
    pub fn next_ref(&mut self) -> Option<&[T]> {
        self.inner.next_ref()
    }
}

impl<T: Clone> Iterator for Permutations<T> {
    type Item = Vec<T>;

    #[inline]
    fn next(&mut self) -> Option<Vec<T>> {
        self.inner.next_ref().map(<[T]>::to_vec)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }

    #[inline]
    fn fold<B, F>(self, init: B, f: F) -> B
    where
        F: FnMut(B, Vec<T>) -> B,
    {
        self.inner.fold_vecs(init, f)
    }
}

impl<T: Clone> FusedIterator for Permutations<T> {}

impl<T: Clone, const R: usize> Iterator for PermutationsArray<T, R> {
    type Item = [T; R];

    #[inline]
    fn next(&mut self) -> Option<[T; R]> {
        self.inner.next_array()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }

    #[inline]
    fn fold<B, F>(self, init: B, f: F) -> B
    where
        F: FnMut(B, [T; R]) -> B,
    {
        self.inner.fold_arrays(init, f)
    }
}

impl<T: Clone, const R: usize> FusedIterator for PermutationsArray<T, R> {}
