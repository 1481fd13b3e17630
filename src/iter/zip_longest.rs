//! `zip_longest`: zip until the longest input is exhausted.

#[cfg(feature = "alloc")]
use core::fmt;
use core::iter::{Fuse, FusedIterator};

use super::unwind::OnUnwind;
#[cfg(feature = "alloc")]
use alloc::vec::Vec;

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
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
#[derive(Clone)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct ZipLongest<I: Iterator> {
    /// The inputs; `None` once exhausted (never called again, as in CPython).
    iters: Vec<Option<I>>,
    fill: I::Item,
    active: usize,
    /// One row's items before the fill is cloned in (see `or_fill`); empty between rows, kept
    /// for its allocation.
    staged: Vec<Option<I::Item>>,
}

#[cfg(feature = "alloc")]
impl<I> fmt::Debug for ZipLongest<I>
where
    I: Iterator + fmt::Debug,
    I::Item: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZipLongest")
            .field("iters", &self.iters)
            .field("fill", &self.fill)
            .field("active", &self.active)
            .finish()
    }
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
    /// An input panicked: as CPython's zip_longest after an input raised, no more pairs.
    ended: bool,
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
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
        staged: Vec::with_capacity(iters.len()),
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

/// The items of an iterator, each in `Some`: the inputs of [`zip_longest_none`] and
/// [`zip_longest_array_none`], whose fill is `None`.
///
/// ```
/// use cogen::iter::zip_longest_array_none;
///
/// let mut rows = zip_longest_array_none(["a".chars(), "xy".chars()]);
/// assert_eq!(rows.next(), Some([Some('a'), Some('x')]));
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Somes<I>(I);

impl<I: Iterator> Iterator for Somes<I> {
    type Item = Option<I::Item>;

    #[inline]
    fn next(&mut self) -> Option<Option<I::Item>> {
        self.0.next().map(Some)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }

    #[inline]
    fn fold<B, F>(self, init: B, mut f: F) -> B
    where
        F: FnMut(B, Option<I::Item>) -> B,
    {
        self.0.fold(init, |acc, item| f(acc, Some(item)))
    }
}

impl<I: DoubleEndedIterator> DoubleEndedIterator for Somes<I> {
    #[inline]
    fn next_back(&mut self) -> Option<Option<I::Item>> {
        self.0.next_back().map(Some)
    }
}

impl<I: ExactSizeIterator> ExactSizeIterator for Somes<I> {}
impl<I: FusedIterator> FusedIterator for Somes<I> {}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
/// Zips any number of iterables of one type until the longest is exhausted, `None` standing
/// in for the shorter ones (Python's `itertools.zip_longest(*iterables)`, whose fill is
/// `None`). Each item is a `Vec` of `Option`s; for a fixed number of inputs,
/// [`zip_longest_array_none`] allocates nothing, and for two inputs of different types,
/// [`zip_longest_pair`].
///
/// ```
/// use cogen::iter::zip_longest_none;
///
/// // Python: list(zip_longest('AB', 'xyz'))
/// let rows: Vec<Vec<Option<char>>> = zip_longest_none(["AB".chars(), "xyz".chars()]).collect();
/// assert_eq!(rows, [[Some('A'), Some('x')], [Some('B'), Some('y')], [None, Some('z')]]);
/// ```
pub fn zip_longest_none<I>(iterables: I) -> ZipLongest<Somes<<I::Item as IntoIterator>::IntoIter>>
where
    I: IntoIterator,
    I::Item: IntoIterator,
    <I::Item as IntoIterator>::Item: Clone,
{
    zip_longest(iterables.into_iter().map(|it| Somes(it.into_iter())), None)
}

/// Zips `N` iterables of one type until the longest is exhausted, `None` standing in for the
/// shorter ones, yielding arrays of `Option`s (Python's `itertools.zip_longest(a, b, c)`).
///
/// ```
/// use cogen::iter::zip_longest_array_none;
///
/// // Python: list(zip_longest([1], [2, 3], [4]))
/// let rows: Vec<[Option<i32>; 3]> = zip_longest_array_none([vec![1], vec![2, 3], vec![4]]).collect();
/// assert_eq!(rows, [[Some(1), Some(2), Some(4)], [None, Some(3), None]]);
/// ```
pub fn zip_longest_array_none<I, const N: usize>(
    iterables: [I; N],
) -> ZipLongestArray<Somes<I::IntoIter>, N>
where
    I: IntoIterator,
    I::Item: Clone,
{
    zip_longest_array(iterables.map(|it| Somes(it.into_iter())), None)
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
        ended: false,
    }
}

/// The next item of one input, or `None` (counted in `exhausted`) once it is exhausted.
#[inline]
fn next_of<I: Iterator>(slot: &mut Option<I>, exhausted: &mut usize) -> Option<I::Item> {
    let item = slot.as_mut()?.next();
    if item.is_none() {
        *slot = None;
        *exhausted += 1;
    }
    item
}

/// `fill`'s clone in place of a missing item. Rows are made in two passes, every input advanced
/// before any fill is cloned, so that a `Clone` that panics loses one row but never leaves
/// some inputs a row ahead of the others.
#[inline]
fn or_fill<T: Clone>(item: Option<T>, fill: &T) -> T {
    item.unwrap_or_else(|| fill.clone())
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

#[cfg(feature = "alloc")]
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
        let ZipLongest {
            iters,
            fill,
            active,
            staged,
        } = self;
        staged.clear();
        // As CPython's zip_longest after an input raised: should one panic, no more rows.
        let mut exhausted = 0;
        let end_on_panic = OnUnwind::arm(active, 0);
        staged.extend(iters.iter_mut().map(|slot| next_of(slot, &mut exhausted)));
        end_on_panic.disarm();
        *active -= exhausted;
        let row = staged.drain(..).map(|item| or_fill(item, fill)).collect();
        (*active > 0).then_some(row)
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
            mut staged,
        } = self;
        let mut acc = init;
        // While the first input lasts, its own loop drives the rows.
        if let Some((Some(first), rest)) = iters.split_first_mut() {
            let mut exhausted = 0;
            acc = first.fold(acc, |acc, item| {
                staged.clear();
                staged.extend(rest.iter_mut().map(|slot| next_of(slot, &mut exhausted)));
                let mut row = Vec::with_capacity(rest.len() + 1);
                row.push(item);
                row.extend(staged.drain(..).map(|item| or_fill(item, &fill)));
                f(acc, row)
            });
            iters[0] = None;
            active -= exhausted + 1;
        }
        let rest = ZipLongest {
            iters,
            fill,
            active,
            staged,
        };
        for row in rest {
            acc = f(acc, row);
        }
        acc
    }
}

#[cfg(feature = "alloc")]
impl<I> ExactSizeIterator for ZipLongest<I>
where
    I: ExactSizeIterator,
    I::Item: Clone,
{
}

#[cfg(feature = "alloc")]
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
        let mut exhausted = 0;
        let end_on_panic = OnUnwind::arm(active, 0);
        let staged: [Option<I::Item>; N] =
            core::array::from_fn(|i| next_of(&mut iters[i], &mut exhausted));
        end_on_panic.disarm();
        *active -= exhausted;
        let row = staged.map(|item| or_fill(item, fill));
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
            let mut exhausted = 0;
            acc = first.fold(acc, |acc, item| {
                let mut item = Some(item);
                let staged: [Option<I::Item>; N] =
                    core::array::from_fn(|i| match i.checked_sub(1) {
                        None => item.take(),
                        Some(i) => next_of(&mut rest[i], &mut exhausted),
                    });
                f(acc, staged.map(|item| or_fill(item, &fill)))
            });
            iters[0] = None;
            active -= exhausted + 1;
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
        if self.ended {
            return None;
        }
        let end_on_panic = OnUnwind::arm(&mut self.ended, true);
        let pair = (self.a.next(), self.b.next());
        end_on_panic.disarm();
        // Spelled out, as itertools does: with `pair => Some(pair)` the compiler keeps a
        // copy of the first input's position (one more instruction on its critical path).
        match pair {
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
        let ZipLongestPair {
            mut a,
            mut b,
            ended,
        } = self;
        if ended {
            return init;
        }
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
        if self.ended {
            return (0, Some(0));
        }
        let (a_low, a_high) = self.a.size_hint();
        let (b_low, b_high) = self.b.size_hint();
        (a_low.max(b_low), a_high.zip(b_high).map(|(a, b)| a.max(b)))
    }
}

impl<A: ExactSizeIterator, B: ExactSizeIterator> ExactSizeIterator for ZipLongestPair<A, B> {}
impl<A: Iterator, B: Iterator> FusedIterator for ZipLongestPair<A, B> {}
