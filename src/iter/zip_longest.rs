//! `zip_longest`: zip until the longest input is exhausted.

use std::iter::{Fuse, FusedIterator};

/// The iterator returned by [`zip_longest`]: a `Vec` of one item per input, `fill` standing in
/// for the exhausted inputs.
///
/// ```
/// use cogen::iter::zip_longest;
///
/// // Python: list(zip_longest([1, 2], [3], [4, 5, 6], fillvalue=0))
/// let rows: Vec<Vec<i32>> = zip_longest([vec![1, 2], vec![3], vec![4, 5, 6]], 0).collect();
/// assert_eq!(rows, [[1, 3, 4], [2, 0, 5], [0, 0, 6]]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct ZipLongest<I: Iterator> {
    /// The inputs; `None` once exhausted (never called again, as in CPython).
    iters: Vec<Option<I>>,
    fill: I::Item,
    active: usize,
}

/// The iterator returned by [`zip_longest_array`]: an array of one item per input, `fill`
/// standing in for the exhausted inputs. Allocates nothing per item.
///
/// ```
/// use cogen::iter::zip_longest_array;
///
/// // Python: list(zip_longest('AB', 'xyz', fillvalue='-'))
/// let rows: Vec<[char; 2]> = zip_longest_array(["AB".chars(), "xyz".chars()], '-').collect();
/// assert_eq!(rows, [['A', 'x'], ['B', 'y'], ['-', 'z']]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct ZipLongestArray<I: Iterator, const N: usize> {
    iters: [Option<I>; N],
    fill: I::Item,
    active: usize,
}

/// The iterator returned by [`zip_longest_pair`] and
/// [`IterExt::zip_longest`](super::IterExt::zip_longest): pairs of `Option`s, `None` for an
/// exhausted input.
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(zip_longest([1, 2], 'a'))
/// let pairs: Vec<_> = [1, 2].into_iter().zip_longest("a".chars()).collect();
/// assert_eq!(pairs, [(Some(1), Some('a')), (Some(2), None)]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct ZipLongestPair<A, B> {
    a: Fuse<A>,
    b: Fuse<B>,
}

/// Zips any number of iterables of one type until the longest is exhausted, with `fill` for
/// the shorter ones (Python's `itertools.zip_longest(*iterables, fillvalue=fill)`). Each item
/// is a `Vec`; for a fixed number of inputs, [`zip_longest_array`] allocates nothing. An
/// exhausted input is not called again. No inputs give no items.
///
/// ```
/// use cogen::iter::zip_longest;
///
/// // Python: list(zip_longest('ABCD', 'xy', fillvalue='-'))
/// let rows: Vec<String> = zip_longest(["ABCD".chars(), "xy".chars()], '-')
///     .map(String::from_iter)
///     .collect();
/// assert_eq!(rows, ["Ax", "By", "C-", "D-"]);
/// ```
pub fn zip_longest<I>(
    iterables: I,
    fill: <I::Item as IntoIterator>::Item,
) -> ZipLongest<<I::Item as IntoIterator>::IntoIter>
where
    I: IntoIterator,
    I::Item: IntoIterator,
    <I::Item as IntoIterator>::Item: Clone,
{
    let iters: Vec<_> = iterables
        .into_iter()
        .map(|it| Some(it.into_iter()))
        .collect();
    ZipLongest {
        active: iters.len(),
        iters,
        fill,
    }
}

/// Zips `N` iterables of one type until the longest is exhausted, with `fill` for the shorter
/// ones, yielding arrays (Python's `itertools.zip_longest(a, b, c, fillvalue=fill)`).
///
/// ```
/// use cogen::iter::zip_longest_array;
///
/// // Python: list(zip_longest([1], [2, 3], [4], fillvalue=None))
/// let rows: Vec<[Option<i32>; 3]> =
///     zip_longest_array([vec![Some(1)], vec![Some(2), Some(3)], vec![Some(4)]], None).collect();
/// assert_eq!(rows, [[Some(1), Some(2), Some(4)], [None, Some(3), None]]);
/// ```
pub fn zip_longest_array<I, const N: usize>(
    iterables: [I; N],
    fill: I::Item,
) -> ZipLongestArray<I::IntoIter, N>
where
    I: IntoIterator,
    I::Item: Clone,
{
    ZipLongestArray {
        iters: iterables.map(|it| Some(it.into_iter())),
        fill,
        active: N,
    }
}

/// Zips two iterables of any types until the longer is exhausted, with `None` for the shorter
/// (Python's `itertools.zip_longest(a, b)`, with `fillvalue=None` and the types kept apart).
///
/// ```
/// use cogen::iter::zip_longest_pair;
///
/// // Python: list(zip_longest(range(3), 'ab'))
/// let pairs: Vec<_> = zip_longest_pair(0..3, "ab".chars()).collect();
/// assert_eq!(pairs, [(Some(0), Some('a')), (Some(1), Some('b')), (Some(2), None)]);
/// ```
pub fn zip_longest_pair<A, B>(a: A, b: B) -> ZipLongestPair<A::IntoIter, B::IntoIter>
where
    A: IntoIterator,
    B: IntoIterator,
{
    ZipLongestPair {
        a: a.into_iter().fuse(),
        b: b.into_iter().fuse(),
    }
}

/// The item of one input: its next item, or `fill` (and one input fewer) once exhausted.
#[inline]
fn next_or_fill<I>(slot: &mut Option<I>, fill: &I::Item, active: &mut usize) -> I::Item
where
    I: Iterator,
    I::Item: Clone,
{
    if let Some(iter) = slot {
        if let Some(item) = iter.next() {
            return item;
        }
        *slot = None;
        *active -= 1;
    }
    fill.clone()
}

/// The longest of the active inputs' size hints.
fn longest_hint<'a, I: Iterator + 'a>(
    iters: impl Iterator<Item = &'a Option<I>>,
) -> (usize, Option<usize>) {
    iters
        .flatten()
        .map(Iterator::size_hint)
        .fold((0, Some(0)), |(low, high), (l, h)| {
            (low.max(l), high.zip(h).map(|(high, h)| high.max(h)))
        })
}

impl<I> Iterator for ZipLongest<I>
where
    I: Iterator,
    I::Item: Clone,
{
    type Item = Vec<I::Item>;

    #[inline]
    fn next(&mut self) -> Option<Vec<I::Item>> {
        if self.active == 0 {
            return None;
        }
        let mut row = Vec::with_capacity(self.iters.len());
        for slot in &mut self.iters {
            row.push(next_or_fill(slot, &self.fill, &mut self.active));
        }
        (self.active > 0).then_some(row)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        longest_hint(self.iters.iter())
    }

    #[inline]
    fn fold<B, F>(self, init: B, mut f: F) -> B
    where
        F: FnMut(B, Vec<I::Item>) -> B,
    {
        let ZipLongest {
            mut iters,
            fill,
            mut active,
        } = self;
        let mut acc = init;
        // While the first input lasts, its own loop drives the rows.
        if let Some((Some(first), rest)) = iters.split_first_mut() {
            acc = first.fold(acc, |acc, item| {
                let mut row = Vec::with_capacity(rest.len() + 1);
                row.push(item);
                for slot in rest.iter_mut() {
                    row.push(next_or_fill(slot, &fill, &mut active));
                }
                f(acc, row)
            });
            iters[0] = None;
            active -= 1;
        }
        let rest = ZipLongest {
            iters,
            fill,
            active,
        };
        for row in rest {
            acc = f(acc, row);
        }
        acc
    }
}

impl<I> ExactSizeIterator for ZipLongest<I>
where
    I: ExactSizeIterator,
    I::Item: Clone,
{
}

impl<I> FusedIterator for ZipLongest<I>
where
    I: Iterator,
    I::Item: Clone,
{
}

impl<I, const N: usize> Iterator for ZipLongestArray<I, N>
where
    I: Iterator,
    I::Item: Clone,
{
    type Item = [I::Item; N];

    #[inline]
    fn next(&mut self) -> Option<[I::Item; N]> {
        if self.active == 0 {
            return None;
        }
        let ZipLongestArray {
            iters,
            fill,
            active,
        } = self;
        let row = std::array::from_fn(|i| next_or_fill(&mut iters[i], fill, active));
        (*active > 0).then_some(row)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        longest_hint(self.iters.iter())
    }

    #[inline]
    fn fold<B, F>(self, init: B, mut f: F) -> B
    where
        F: FnMut(B, [I::Item; N]) -> B,
    {
        let ZipLongestArray {
            mut iters,
            fill,
            mut active,
        } = self;
        let mut acc = init;
        // While the first input lasts, its own loop drives the rows.
        if let Some((Some(first), rest)) = iters.split_first_mut() {
            acc = first.fold(acc, |acc, item| {
                let mut item = Some(item);
                let row = std::array::from_fn(|i| match i.checked_sub(1) {
                    None => item.take().unwrap_or_else(|| fill.clone()),
                    Some(i) => next_or_fill(&mut rest[i], &fill, &mut active),
                });
                f(acc, row)
            });
            iters[0] = None;
            active -= 1;
        }
        let rest = ZipLongestArray {
            iters,
            fill,
            active,
        };
        for row in rest {
            acc = f(acc, row);
        }
        acc
    }
}

impl<I, const N: usize> ExactSizeIterator for ZipLongestArray<I, N>
where
    I: ExactSizeIterator,
    I::Item: Clone,
{
}

impl<I, const N: usize> FusedIterator for ZipLongestArray<I, N>
where
    I: Iterator,
    I::Item: Clone,
{
}

impl<A: Iterator, B: Iterator> Iterator for ZipLongestPair<A, B> {
    type Item = (Option<A::Item>, Option<B::Item>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        // Spelled out, as itertools does: with `pair => Some(pair)` the compiler keeps a
        // copy of the first input's position (one more instruction on its critical path).
        match (self.a.next(), self.b.next()) {
            (None, None) => None,
            (Some(a), None) => Some((Some(a), None)),
            (None, Some(b)) => Some((None, Some(b))),
            (Some(a), Some(b)) => Some((Some(a), Some(b))),
        }
    }

    #[inline]
    fn fold<Acc, F>(self, init: Acc, mut f: F) -> Acc
    where
        F: FnMut(Acc, Self::Item) -> Acc,
    {
        let ZipLongestPair { mut a, mut b } = self;
        // Pairs while both last, then the rest of the longer one: each side's own loop.
        let both = a.try_fold(init, |acc, x| match b.next() {
            Some(y) => Ok(f(acc, (Some(x), Some(y)))),
            None => Err(f(acc, (Some(x), None))),
        });
        match both {
            Ok(acc) => b.map(|y| (None, Some(y))).fold(acc, f),
            Err(acc) => a.map(|x| (Some(x), None)).fold(acc, f),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (a_low, a_high) = self.a.size_hint();
        let (b_low, b_high) = self.b.size_hint();
        (a_low.max(b_low), a_high.zip(b_high).map(|(a, b)| a.max(b)))
    }
}

impl<A: ExactSizeIterator, B: ExactSizeIterator> ExactSizeIterator for ZipLongestPair<A, B> {}
impl<A: Iterator, B: Iterator> FusedIterator for ZipLongestPair<A, B> {}
