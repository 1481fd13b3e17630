//! `starmap`: a function applied to each tuple's elements as separate arguments.

use core::fmt;
use core::iter::FusedIterator;

/// A function that takes a tuple's elements as its arguments: implemented for every
/// `FnMut(A, B, ...) -> R` of 1 to 12 arguments, called with `(A, B, ...)`. This is what lets
/// [`starmap`] spread each item into the function's arguments, as Python's `f(*args)` does.
///
/// ```
/// use cogen::iter::SpreadFn;
///
/// let mut add = |a: i32, b: i32| a + b;
/// assert_eq!(add.call_spread((2, 3)), 5);
/// let mut shout = |s: &str| s.to_uppercase();
/// assert_eq!(shout.call_spread(("hey",)), "HEY");
/// ```
pub trait SpreadFn<Args> {
    /// What the function returns.
    type Output;

    /// Calls the function with the elements of `args` as its arguments.
    ///
    /// ```
    /// use cogen::iter::SpreadFn;
    ///
    /// let mut volume = |x: u32, y: u32, z: u32| x * y * z;
    /// assert_eq!(volume.call_spread((2, 3, 4)), 24);
    /// ```
    fn call_spread(&mut self, args: Args) -> Self::Output;
}

macro_rules! spread_fn {
    ($($arg:ident)+) => {
        impl<F, R, $($arg),+> SpreadFn<($($arg,)+)> for F
        where
            F: FnMut($($arg),+) -> R,
        {
            type Output = R;

            #[inline]
            #[allow(non_snake_case)]
            fn call_spread(&mut self, ($($arg,)+): ($($arg,)+)) -> R {
                self($($arg),+)
            }
        }
    };
}
spread_fn!(A);
spread_fn!(A B);
spread_fn!(A B C);
spread_fn!(A B C D);
spread_fn!(A B C D E);
spread_fn!(A B C D E G);
spread_fn!(A B C D E G H);
spread_fn!(A B C D E G H J);
spread_fn!(A B C D E G H J K);
spread_fn!(A B C D E G H J K L);
spread_fn!(A B C D E G H J K L M);
spread_fn!(A B C D E G H J K L M N);

/// The iterator returned by [`starmap`] and [`IterExt::starmap`](super::IterExt::starmap).
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(starmap(operator.sub, [(5, 3), (9, 1)]))
/// let differences: Vec<i32> = [(5, 3), (9, 1)].into_iter().starmap(|a, b| a - b).collect();
/// assert_eq!(differences, [2, 8]);
/// ```
#[derive(Clone)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Starmap<I, F> {
    iter: I,
    f: F,
}

/// Calls `f` with the elements of each tuple of `iterable` as its arguments (Python's
/// `itertools.starmap(function, iterable)`).
///
/// A closure given here cannot have its argument types inferred from the tuples when its body
/// calls methods on them (Rust infers closure signatures from `Fn` bounds only): write the
/// types (`|a: u32, b: u32| a.pow(b)`) or pass a function path (`u32::pow`).
///
/// ```
/// use cogen::iter::starmap;
///
/// // Python: list(starmap(pow, [(2, 5), (3, 2), (10, 3)]))
/// let powers: Vec<u32> = starmap([(2, 5), (3, 2), (10, 3)], u32::pow).collect();
/// assert_eq!(powers, [32, 9, 1000]);
/// let powers: Vec<u32> = starmap([(2, 5), (3, 2)], |a: u32, b: u32| a.pow(b)).collect();
/// assert_eq!(powers, [32, 9]);
/// // Python: list(starmap(lambda a, b, c: a + b * c, [(1, 2, 3)]))
/// assert_eq!(starmap([(1, 2, 3)], |a, b, c| a + b * c).collect::<Vec<i32>>(), [7]);
/// ```
pub fn starmap<I, F>(iterable: I, f: F) -> Starmap<I::IntoIter, F>
where
    I: IntoIterator,
    F: SpreadFn<I::Item>,
{
    Starmap {
        iter: iterable.into_iter(),
        f,
    }
}

impl<I, F> Iterator for Starmap<I, F>
where
    I: Iterator,
    F: SpreadFn<I::Item>,
{
    type Item = F::Output;

    #[inline]
    fn next(&mut self) -> Option<F::Output> {
        let args = self.iter.next()?;
        Some(self.f.call_spread(args))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.iter.size_hint()
    }

    #[inline]
    fn fold<B, G>(self, init: B, mut g: G) -> B
    where
        G: FnMut(B, F::Output) -> B,
    {
        let mut f = self.f;
        self.iter
            .fold(init, |acc, args| g(acc, f.call_spread(args)))
    }
}

impl<I, F> DoubleEndedIterator for Starmap<I, F>
where
    I: DoubleEndedIterator,
    F: SpreadFn<I::Item>,
{
    #[inline]
    fn next_back(&mut self) -> Option<F::Output> {
        let args = self.iter.next_back()?;
        Some(self.f.call_spread(args))
    }
}

impl<I, F> ExactSizeIterator for Starmap<I, F>
where
    I: ExactSizeIterator,
    F: SpreadFn<I::Item>,
{
}

impl<I, F> FusedIterator for Starmap<I, F>
where
    I: FusedIterator,
    F: SpreadFn<I::Item>,
{
}

impl<I: fmt::Debug, F> fmt::Debug for Starmap<I, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Starmap")
            .field("iter", &self.iter)
            .finish_non_exhaustive()
    }
}
