//! `product`: the Cartesian product, in CPython's order.

use core::iter::FusedIterator;
use core::ops::Range;

use super::pool::{ArrayStreamer, Engine, Streamer, mixed_radix};
use alloc::vec::Vec;

/// An odometer over the pool: slot `i` runs through `start[i]..end[i]`, the last slot fastest.
#[derive(Clone, Debug)]
pub(crate) struct ProductEngine {
    position: Vec<usize>,
    start: Vec<usize>,
    end: Vec<usize>,
}

impl Engine for ProductEngine {
    #[inline]
    fn advance(&mut self) -> Option<usize> {
        // Most steps move the last slot only.
        if let (Some(last), Some(&end)) = (self.position.last_mut(), self.end.last()) {
            if *last + 1 < end {
                *last += 1;
                return Some(self.position.len() - 1);
            }
        }
        for i in (0..self.position.len()).rev() {
            self.position[i] += 1;
            if self.position[i] < self.end[i] {
                return Some(i);
            }
            self.position[i] = self.start[i];
        }
        None
    }

    #[inline]
    fn slots(&self) -> &[usize] {
        &self.position
    }

    fn remaining(&self) -> Option<usize> {
        mixed_radix(
            self.position
                .iter()
                .zip(&self.start)
                .zip(&self.end)
                .map(|((&position, &start), &end)| (end - 1 - position, end - start)),
        )
    }

    #[inline]
    fn last_run(&self) -> Option<Range<usize>> {
        Some(*self.position.last()?..*self.end.last()?)
    }

    #[inline]
    fn end_last_run(&mut self) {
        if let (Some(position), Some(&end)) = (self.position.last_mut(), self.end.last()) {
            *position = end - 1;
        }
    }

    #[inline]
    fn second_run(&self) -> Option<Range<usize>> {
        let r = self.position.len();
        if r < 2 {
            return None;
        }
        Some(self.position[r - 2]..self.end[r - 2])
    }

    #[inline]
    fn inner_range(&self, _second: usize) -> Range<usize> {
        let r = self.position.len();
        self.start[r - 1]..self.end[r - 1]
    }

    #[inline]
    fn end_second_run(&mut self) {
        let r = self.position.len();
        self.position[r - 2] = self.end[r - 2] - 1;
        self.position[r - 1] = self.end[r - 1] - 1;
    }
}

/// The pool and odometer of a product: every input read once, in order, into one pool, and
/// the odometer over the inputs `repeat` times over (the product of `a, b, a, b` for
/// `repeat == 2`; a repeated input is stored once). `empty` if there is no tuple at all (some
/// input is empty, and `repeat > 0`).
fn pools<I>(
    iterables: I,
    repeat: usize,
) -> (Vec<<I::Item as IntoIterator>::Item>, ProductEngine, bool)
where
    I: IntoIterator,
    I::Item: IntoIterator,
{
    let mut iterables = iterables.into_iter();
    let mut pool = Vec::new();
    let mut ranges = Vec::new();
    // The first input is collected (not extended into an empty pool), so that a `Vec` given
    // to `product_repeat` keeps its buffer.
    if let Some(first) = iterables.next() {
        pool = first.into_iter().collect();
        ranges.push((0, pool.len()));
    }
    for iterable in iterables {
        let start = pool.len();
        pool.extend(iterable);
        ranges.push((start, pool.len()));
    }
    let slots = ranges.len().saturating_mul(repeat);
    let (start, end): (Vec<usize>, Vec<usize>) = ranges.into_iter().cycle().take(slots).unzip();
    let empty = start.iter().zip(&end).any(|(start, end)| start == end);
    let engine = ProductEngine {
        position: start.clone(),
        start,
        end,
    };
    (pool, engine, empty)
}

/// The iterator returned by [`product`], [`product_repeat`], [`product_repeat_all`] and
/// [`IterExt::product_repeat`](super::IterExt::product_repeat): every tuple of one item from
/// each input, as a `Vec`, the last input varying fastest. [`next_ref`](Product::next_ref)
/// lends each tuple instead, allocating nothing.
///
/// ```
/// use cogen::iter::product;
///
/// // Python: list(product('AB', 'xy'))
/// let pairs: Vec<String> = product(["AB".chars(), "xy".chars()]).map(String::from_iter).collect();
/// assert_eq!(pairs, ["Ax", "Ay", "Bx", "By"]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Product<T> {
    inner: Streamer<T, ProductEngine>,
}

/// The iterator returned by [`product_array`] and [`product_repeat_array`]: like [`Product`],
/// with arrays for `Vec`s (no allocation per item).
///
/// ```
/// use cogen::iter::product_array;
///
/// // Python: list(product([1, 2], [3, 4]))
/// let pairs: Vec<[i32; 2]> = product_array([vec![1, 2], vec![3, 4]]).collect();
/// assert_eq!(pairs, [[1, 3], [1, 4], [2, 3], [2, 4]]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct ProductArray<T, const N: usize> {
    inner: ArrayStreamer<T, ProductEngine>,
}

/// The Cartesian product of any number of iterables of one item type (Python's
/// `itertools.product(*iterables)`), in CPython's order: like nested `for` loops, the last
/// input varying fastest. The inputs are read in full first, as CPython does. No inputs give
/// one empty tuple; any empty input gives none.
///
/// ```
/// use cogen::iter::product;
///
/// // Python: list(product(range(2), range(3)))
/// let tuples: Vec<Vec<i32>> = product([0..2, 0..3]).collect();
/// assert_eq!(tuples, [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
/// // Python: list(product([1, 2], []))
/// assert_eq!(product([vec![1, 2], vec![]]).count(), 0);
/// ```
pub fn product<I>(iterables: I) -> Product<<I::Item as IntoIterator>::Item>
where
    I: IntoIterator,
    I::Item: IntoIterator,
    <I::Item as IntoIterator>::Item: Clone,
{
    let (pool, engine, empty) = pools(iterables, 1);
    Product {
        inner: Streamer::new(pool, engine, empty),
    }
}

/// The Cartesian product of `iterable` with itself, `repeat` times (Python's
/// `itertools.product(iterable, repeat=repeat)`). `repeat == 0` gives one empty tuple.
///
/// ```
/// use cogen::iter::product_repeat;
///
/// // Python: [''.join(p) for p in product('ab', repeat=2)]
/// let words: Vec<String> = product_repeat("ab".chars(), 2).map(String::from_iter).collect();
/// assert_eq!(words, ["aa", "ab", "ba", "bb"]);
/// // Python: list(product('ab', repeat=0))
/// assert_eq!(product_repeat("ab".chars(), 0).collect::<Vec<_>>(), [vec![]]);
/// ```
pub fn product_repeat<I>(iterable: I, repeat: usize) -> Product<I::Item>
where
    I: IntoIterator,
    I::Item: Clone,
{
    let (pool, engine, empty) = pools([iterable], repeat);
    Product {
        inner: Streamer::new(pool, engine, empty),
    }
}

/// The Cartesian product of several iterables of one item type, all of them `repeat` times
/// over (Python's `itertools.product(*iterables, repeat=repeat)`): the product of
/// `a, b, a, b` for `repeat == 2`. Each input is read once, in order, and stored once.
/// `repeat == 0`, or no inputs, give one empty tuple.
///
/// ```
/// use cogen::iter::product_repeat_all;
///
/// // Python: [''.join(p) for p in product('AB', 'xy', repeat=2)][:5]
/// let words: Vec<String> = product_repeat_all(["AB".chars(), "xy".chars()], 2)
///     .map(String::from_iter)
///     .take(5)
///     .collect();
/// assert_eq!(words, ["AxAx", "AxAy", "AxBx", "AxBy", "AyAx"]);
/// // Python: list(product('AB', 'xy', repeat=0))
/// assert_eq!(product_repeat_all(["AB".chars(), "xy".chars()], 0).collect::<Vec<_>>(), [vec![]]);
/// ```
pub fn product_repeat_all<I>(
    iterables: I,
    repeat: usize,
) -> Product<<I::Item as IntoIterator>::Item>
where
    I: IntoIterator,
    I::Item: IntoIterator,
    <I::Item as IntoIterator>::Item: Clone,
{
    let (pool, engine, empty) = pools(iterables, repeat);
    Product {
        inner: Streamer::new(pool, engine, empty),
    }
}

/// The Cartesian product of `N` iterables of one type, yielding arrays (Python's
/// `itertools.product(a, b, c)`).
///
/// ```
/// use cogen::iter::product_array;
///
/// // Python: [x + y + z for x, y, z in product('ab', 'c', 'de')]
/// let words: Vec<String> = product_array(["ab".chars(), "c".chars(), "de".chars()])
///     .map(String::from_iter)
///     .collect();
/// assert_eq!(words, ["acd", "ace", "bcd", "bce"]);
/// ```
pub fn product_array<I, const N: usize>(iterables: [I; N]) -> ProductArray<I::Item, N>
where
    I: IntoIterator,
    I::Item: Clone,
{
    let (pool, engine, empty) = pools(iterables, 1);
    ProductArray {
        inner: ArrayStreamer::new(pool, engine, empty),
    }
}

/// The Cartesian product of `iterable` with itself, `N` times, yielding arrays (Python's
/// `itertools.product(iterable, repeat=N)`).
///
/// ```
/// use cogen::iter::product_repeat_array;
///
/// // Python: for x, y in product(range(2), repeat=2): ...
/// let mut cells = Vec::new();
/// for [x, y] in product_repeat_array(0..2) {
///     cells.push((x, y));
/// }
/// assert_eq!(cells, [(0, 0), (0, 1), (1, 0), (1, 1)]);
/// // When the count cannot be inferred, name it (and `_` for the iterable's type):
/// assert_eq!(product_repeat_array::<3, _>(0..2).count(), 8);
/// ```
pub fn product_repeat_array<const N: usize, I>(iterable: I) -> ProductArray<I::Item, N>
where
    I: IntoIterator,
    I::Item: Clone,
{
    let (pool, engine, empty) = pools([iterable], N);
    ProductArray {
        inner: ArrayStreamer::new(pool, engine, empty),
    }
}

impl<T: Clone> Product<T> {
    /// The next tuple, lent from a buffer that is reused for every tuple: no allocation per
    /// tuple, and only the items that changed are cloned (usually one). Mixes freely with
    /// `next`.
    ///
    /// ```
    /// use cogen::iter::product_repeat;
    ///
    /// // Python: for p in product(range(3), repeat=3): total += sum(p)
    /// let mut tuples = product_repeat(0..3, 3);
    /// let mut total = 0;
    /// while let Some(tuple) = tuples.next_ref() {
    ///     total += tuple.iter().sum::<i32>();
    /// }
    /// assert_eq!(total, 81);
    /// ```
    #[inline]
    pub fn next_ref(&mut self) -> Option<&[T]> {
        self.inner.next_ref()
    }
}

impl<T: Clone> Iterator for Product<T> {
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

impl<T: Clone> FusedIterator for Product<T> {}

impl<T: Clone, const N: usize> Iterator for ProductArray<T, N> {
    type Item = [T; N];

    #[inline]
    fn next(&mut self) -> Option<[T; N]> {
        self.inner.next_array()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }

    #[inline]
    fn fold<B, F>(self, init: B, f: F) -> B
    where
        F: FnMut(B, [T; N]) -> B,
    {
        self.inner.fold_arrays(init, f)
    }
}

impl<T: Clone, const N: usize> FusedIterator for ProductArray<T, N> {}
