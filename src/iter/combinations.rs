//! `combinations` and `combinations_with_replacement`, in CPython's order.

use core::iter::FusedIterator;
use core::ops::Range;

use super::pool::{ArrayStreamer, Engine, Streamer, binomial, pool};
use alloc::vec;
use alloc::vec::Vec;

/// Strictly increasing pool indices, in lexicographic order.
#[derive(Clone, Debug)]
pub(crate) struct CombinationsEngine {
    indices: Vec<usize>,
    n: usize,
}

impl CombinationsEngine {
    fn new(n: usize, r: usize) -> (Self, bool) {
        let empty = r > n;
        let indices = if empty { Vec::new() } else { (0..r).collect() };
        (CombinationsEngine { indices, n }, empty)
    }
}

impl Engine for CombinationsEngine {
    #[inline]
    fn advance(&mut self) -> Option<usize> {
        let r = self.indices.len();
        // Most steps move the last index only, most others the last two.
        match *self.indices.as_mut_slice() {
            [.., ref mut last] if *last + 1 < self.n => {
                *last += 1;
                return Some(r - 1);
            }
            [.., ref mut second, ref mut last] if *second + 2 < self.n => {
                *second += 1;
                *last = *second + 1;
                return Some(r - 2);
            }
            _ => {}
        }
        // The rightmost index that can still move right (slot i ends at n - r + i).
        let offset = self.n - r;
        let i = (0..r).rev().find(|&i| self.indices[i] != offset + i)?;
        let mut next = self.indices[i];
        for index in &mut self.indices[i..] {
            next += 1;
            *index = next;
        }
        Some(i)
    }

    #[inline]
    fn last_run(&self) -> Option<Range<usize>> {
        Some(*self.indices.last()?..self.n)
    }

    #[inline]
    fn end_last_run(&mut self) {
        if let Some(last) = self.indices.last_mut() {
            *last = self.n - 1;
        }
    }

    #[inline]
    fn second_run(&self) -> Option<Range<usize>> {
        let r = self.indices.len();
        if r < 2 {
            return None;
        }
        // Slot r - 2 ends at n - 2.
        Some(self.indices[r - 2]..self.n - 1)
    }

    #[inline]
    fn inner_range(&self, second: usize) -> Range<usize> {
        second + 1..self.n
    }

    #[inline]
    fn end_second_run(&mut self) {
        let r = self.indices.len();
        self.indices[r - 2] = self.n - 2;
        self.indices[r - 1] = self.n - 1;
    }

    #[inline]
    fn slots(&self) -> &[usize] {
        &self.indices
    }

    fn remaining(&self) -> Option<usize> {
        // The combinations after c0 < c1 < ...: sum over slots of C(n - 1 - c_i, r - i).
        let r = self.indices.len();
        self.indices
            .iter()
            .enumerate()
            .try_fold(0usize, |total, (i, &c)| {
                total.checked_add(binomial(self.n - 1 - c, r - i)?)
            })
    }
}

/// Non-decreasing pool indices, in lexicographic order.
#[derive(Clone, Debug)]
pub(crate) struct WithReplacementEngine {
    indices: Vec<usize>,
    n: usize,
}

impl WithReplacementEngine {
    fn new(n: usize, r: usize) -> (Self, bool) {
        let empty = n == 0 && r > 0;
        let indices = if empty { Vec::new() } else { vec![0; r] };
        (WithReplacementEngine { indices, n }, empty)
    }
}

impl Engine for WithReplacementEngine {
    #[inline]
    fn advance(&mut self) -> Option<usize> {
        let last = self.n.checked_sub(1)?;
        // Most steps move the last index only, most others the last two.
        let r = self.indices.len();
        match *self.indices.as_mut_slice() {
            [.., ref mut index] if *index < last => {
                *index += 1;
                return Some(r - 1);
            }
            [.., ref mut second, ref mut index] if *second < last => {
                *second += 1;
                *index = *second;
                return Some(r - 2);
            }
            _ => {}
        }
        let i = self.indices.iter().rposition(|&index| index != last)?;
        let next = self.indices[i] + 1;
        self.indices[i..].fill(next);
        Some(i)
    }

    #[inline]
    fn last_run(&self) -> Option<Range<usize>> {
        Some(*self.indices.last()?..self.n)
    }

    #[inline]
    fn end_last_run(&mut self) {
        if let Some(last) = self.indices.last_mut() {
            *last = self.n - 1;
        }
    }

    #[inline]
    fn slots(&self) -> &[usize] {
        &self.indices
    }

    fn remaining(&self) -> Option<usize> {
        // c_i + i maps these to combinations of r out of n + r - 1.
        let r = self.indices.len();
        let Some(n) = (self.n + r).checked_sub(1) else {
            return Some(0);
        };
        self.indices
            .iter()
            .enumerate()
            .try_fold(0usize, |total, (i, &c)| {
                total.checked_add(binomial(n - 1 - c - i, r - i)?)
            })
    }
}

/// The iterator returned by [`combinations`] and
/// [`IterExt::combinations`](super::IterExt::combinations): each choice of `r` of the pool's
/// items in pool order, as a `Vec`. [`next_ref`](Combinations::next_ref) lends each one
/// instead, allocating nothing.
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(combinations(range(4), 3))
/// let choices: Vec<Vec<i32>> = (0..4).combinations(3).collect();
/// assert_eq!(choices, [[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Combinations<T> {
    inner: Streamer<T, CombinationsEngine>,
}

/// The iterator returned by [`combinations_array`]: like [`Combinations`], with arrays for
/// `Vec`s (no allocation per item).
///
/// ```
/// use cogen::iter::combinations_array;
///
/// // Python: list(combinations('ABC', 2))
/// let pairs: Vec<[char; 2]> = combinations_array("ABC".chars()).collect();
/// assert_eq!(pairs, [['A', 'B'], ['A', 'C'], ['B', 'C']]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct CombinationsArray<T, const R: usize> {
    inner: ArrayStreamer<T, CombinationsEngine>,
}

/// The iterator returned by [`combinations_with_replacement`] and
/// [`IterExt::combinations_with_replacement`](super::IterExt::combinations_with_replacement):
/// each choice of `r` of the pool's items, items repeatable, in pool order, as a `Vec`.
/// [`next_ref`](CombinationsWithReplacement::next_ref) lends each one instead, allocating
/// nothing.
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(combinations_with_replacement('AB', 2))
/// let choices: Vec<String> =
///     "AB".chars().combinations_with_replacement(2).map(String::from_iter).collect();
/// assert_eq!(choices, ["AA", "AB", "BB"]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct CombinationsWithReplacement<T> {
    inner: Streamer<T, WithReplacementEngine>,
}

/// The iterator returned by [`combinations_with_replacement_array`]: like
/// [`CombinationsWithReplacement`], with arrays for `Vec`s (no allocation per item).
///
/// ```
/// use cogen::iter::combinations_with_replacement_array;
///
/// // Python: list(combinations_with_replacement([1, 2], 2))
/// let pairs: Vec<[i32; 2]> = combinations_with_replacement_array([1, 2]).collect();
/// assert_eq!(pairs, [[1, 1], [1, 2], [2, 2]]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct CombinationsWithReplacementArray<T, const R: usize> {
    inner: ArrayStreamer<T, WithReplacementEngine>,
}

/// Every choice of `r` items of `iterable`, in the order of the input (Python's
/// `itertools.combinations(iterable, r)`), in CPython's (lexicographic) order. Items are told
/// apart by position, not value. The input is read in full first. `r` greater than the number
/// of items gives nothing; `r == 0` gives one empty tuple.
///
/// ```
/// use cogen::iter::combinations;
///
/// // Python: [''.join(c) for c in combinations('ABCD', 2)]
/// let pairs: Vec<String> = combinations("ABCD".chars(), 2).map(String::from_iter).collect();
/// assert_eq!(pairs, ["AB", "AC", "AD", "BC", "BD", "CD"]);
/// assert_eq!(combinations([1, 2], 3).count(), 0);
/// ```
pub fn combinations<I>(iterable: I, r: usize) -> Combinations<I::Item>
where
    I: IntoIterator,
    I::Item: Clone,
{
    let pool = pool(iterable);
    let (engine, empty) = CombinationsEngine::new(pool.len(), r);
    Combinations {
        inner: Streamer::new(pool, engine, empty),
    }
}

/// Every choice of `R` items of `iterable`, as arrays (Python's
/// `itertools.combinations(iterable, R)`).
///
/// ```
/// use cogen::iter::combinations_array;
///
/// // Python: sum(a * b for a, b in combinations([1, 2, 3], 2))
/// let total: i32 = combinations_array([1, 2, 3]).map(|[a, b]| a * b).sum();
/// assert_eq!(total, 11);
/// // When R cannot be inferred, name it (and `_` for the iterable's type):
/// assert_eq!(combinations_array::<2, _>(0..5).count(), 10);
/// ```
pub fn combinations_array<const R: usize, I>(iterable: I) -> CombinationsArray<I::Item, R>
where
    I: IntoIterator,
    I::Item: Clone,
{
    let pool = pool(iterable);
    let (engine, empty) = CombinationsEngine::new(pool.len(), R);
    CombinationsArray {
        inner: ArrayStreamer::new(pool, engine, empty),
    }
}

/// Every choice of `r` items of `iterable`, each item repeatable, in CPython's order
/// (Python's `itertools.combinations_with_replacement(iterable, r)`). The input is read in
/// full first. An empty input gives nothing (unless `r == 0`: one empty tuple).
///
/// ```
/// use cogen::iter::combinations_with_replacement;
///
/// // Python: [''.join(c) for c in combinations_with_replacement('ABC', 2)]
/// let pairs: Vec<String> =
///     combinations_with_replacement("ABC".chars(), 2).map(String::from_iter).collect();
/// assert_eq!(pairs, ["AA", "AB", "AC", "BB", "BC", "CC"]);
/// // Python: list(combinations_with_replacement('', 0))
/// assert_eq!(combinations_with_replacement("".chars(), 0).count(), 1);
/// ```
pub fn combinations_with_replacement<I>(
    iterable: I,
    r: usize,
) -> CombinationsWithReplacement<I::Item>
where
    I: IntoIterator,
    I::Item: Clone,
{
    let pool = pool(iterable);
    let (engine, empty) = WithReplacementEngine::new(pool.len(), r);
    CombinationsWithReplacement {
        inner: Streamer::new(pool, engine, empty),
    }
}

/// Every choice of `R` items of `iterable`, each item repeatable, as arrays (Python's
/// `itertools.combinations_with_replacement(iterable, R)`).
///
/// ```
/// use cogen::iter::combinations_with_replacement_array;
///
/// // Python: [a + b for a, b in combinations_with_replacement([1, 10], 2)]
/// let sums: Vec<i32> = combinations_with_replacement_array([1, 10]).map(|[a, b]| a + b).collect();
/// assert_eq!(sums, [2, 11, 20]);
/// // When R cannot be inferred, name it (and `_` for the iterable's type):
/// assert_eq!(combinations_with_replacement_array::<3, _>(0..2).count(), 4);
/// ```
pub fn combinations_with_replacement_array<const R: usize, I>(
    iterable: I,
) -> CombinationsWithReplacementArray<I::Item, R>
where
    I: IntoIterator,
    I::Item: Clone,
{
    let pool = pool(iterable);
    let (engine, empty) = WithReplacementEngine::new(pool.len(), R);
    CombinationsWithReplacementArray {
        inner: ArrayStreamer::new(pool, engine, empty),
    }
}

macro_rules! forms {
    ($vec:ident, $array:ident, $what:ident) => {
        impl<T: Clone> $vec<T> {
            /// The next choice, lent from a buffer that is reused for every one: no allocation
            /// per choice, and only the items that changed are cloned. Mixes freely with
            /// `next`.
            ///
            /// ```
            /// use cogen::IterExt;
            ///
            #[doc = concat!("let mut choices = (1..=5).", stringify!($what), "(3);")]
            /// let mut seen = 0;
            /// while let Some(choice) = choices.next_ref() {
            ///     assert!(choice.windows(2).all(|w| w[0] <= w[1]));
            ///     seen += 1;
            /// }
            #[doc = concat!("assert_eq!(seen, cogen::iter::", stringify!($what), "(1..=5, 3).count());")]
            /// ```
            #[inline]
            pub fn next_ref(&mut self) -> Option<&[T]> {
                self.inner.next_ref()
            }
        }

        impl<T: Clone> Iterator for $vec<T> {
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

        impl<T: Clone> FusedIterator for $vec<T> {}

        impl<T: Clone, const R: usize> Iterator for $array<T, R> {
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

        impl<T: Clone, const R: usize> FusedIterator for $array<T, R> {}
    };
}
forms!(Combinations, CombinationsArray, combinations);
forms!(
    CombinationsWithReplacement,
    CombinationsWithReplacementArray,
    combinations_with_replacement
);
