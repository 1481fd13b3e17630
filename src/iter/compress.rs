//! `compress`: the data items whose selector is true.

use core::iter::{FusedIterator, Zip};

/// A value with Python's truth: `bool` itself, numbers when nonzero (and NaN, as in Python),
/// and references to those. Used by [`compress`] for its selectors; implement it for your own
/// selector types.
///
/// ```
/// use cogen::iter::Truthy;
///
/// assert!(3u8.is_truthy() && !0i64.is_truthy() && (-0.5f32).is_truthy() && f64::NAN.is_truthy());
/// assert!(!(&false).is_truthy() && !0.0f64.is_truthy());
/// ```
pub trait Truthy {
    /// Python's `bool(self)`.
    ///
    /// ```
    /// use cogen::iter::Truthy;
    ///
    /// assert!(true.is_truthy());
    /// assert!(!0u32.is_truthy());
    /// ```
    fn is_truthy(&self) -> bool;
}

impl Truthy for bool {
    #[inline]
    fn is_truthy(&self) -> bool {
        *self
    }
}

macro_rules! truthy_number {
    ($zero:literal: $($t:ty)*) => {$(
        impl Truthy for $t {
            #[inline]
            fn is_truthy(&self) -> bool {
                *self != $zero
            }
        }
    )*};
}
truthy_number!(0: i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);
truthy_number!(0.0: f32 f64);

impl<T: Truthy + ?Sized> Truthy for &T {
    #[inline]
    fn is_truthy(&self) -> bool {
        (**self).is_truthy()
    }
}

impl<T: Truthy + ?Sized> Truthy for &mut T {
    #[inline]
    fn is_truthy(&self) -> bool {
        (**self).is_truthy()
    }
}

/// The iterator returned by [`compress`] and [`IterExt::compress`](super::IterExt::compress).
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(compress('ABCDEF', [1, 0, 1, 0, 1, 1]))
/// let kept: String = "ABCDEF".chars().compress([1, 0, 1, 0, 1, 1]).collect();
/// assert_eq!(kept, "ACEF");
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Compress<I, S> {
    pairs: Zip<I, S>,
}

/// The items of `data` whose selector (the item of `selectors` at the same place) is
/// [truthy](Truthy), stopping when either runs out (Python's
/// `itertools.compress(data, selectors)`). Like CPython, each step reads a datum and then a
/// selector.
///
/// ```
/// use cogen::iter::compress;
///
/// // Python: list(compress('ABCDEF', [True, False, True]))
/// let kept: String = compress("ABCDEF".chars(), [true, false, true]).collect();
/// assert_eq!(kept, "AC");
/// ```
pub fn compress<I, S>(data: I, selectors: S) -> Compress<I::IntoIter, S::IntoIter>
where
    I: IntoIterator,
    S: IntoIterator,
    S::Item: Truthy,
{
    Compress {
        pairs: data.into_iter().zip(selectors),
    }
}

impl<I, S> Iterator for Compress<I, S>
where
    I: Iterator,
    S: Iterator,
    S::Item: Truthy,
{
    type Item = I::Item;

    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        self.pairs
            .find_map(|(datum, selector)| selector.is_truthy().then_some(datum))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.pairs.size_hint().1)
    }

    #[inline]
    fn fold<B, F>(self, init: B, mut f: F) -> B
    where
        F: FnMut(B, I::Item) -> B,
    {
        self.pairs.fold(init, |acc, (datum, selector)| {
            if selector.is_truthy() {
                f(acc, datum)
            } else {
                acc
            }
        })
    }
}

impl<I, S> FusedIterator for Compress<I, S>
where
    I: FusedIterator,
    S: FusedIterator,
    S::Item: Truthy,
{
}
