//! `filterfalse`, and `dropwhile` and `takewhile` (std's `SkipWhile` and `TakeWhile`).

use core::fmt;
use core::iter::{FusedIterator, SkipWhile, TakeWhile};

/// The iterator returned by [`filterfalse`] and
/// [`IterExt::filterfalse`](super::IterExt::filterfalse): the items for which the predicate
/// is false.
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(filterfalse(lambda x: x < 5, [1, 4, 6, 3, 8]))
/// let big: Vec<i32> = [1, 4, 6, 3, 8].into_iter().filterfalse(|&x| x < 5).collect();
/// assert_eq!(big, [6, 8]);
/// ```
#[derive(Clone)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct FilterFalse<I, P> {
    iter: I,
    predicate: P,
}

/// The items of `iterable` for which `predicate` is false (Python's
/// `itertools.filterfalse(predicate, iterable)`).
///
/// ```
/// use cogen::iter::filterfalse;
///
/// // Python: list(filterfalse(lambda x: x % 2, range(10)))
/// assert_eq!(filterfalse(0..10, |x| x % 2 == 1).collect::<Vec<_>>(), [0, 2, 4, 6, 8]);
/// ```
pub fn filterfalse<I, P>(iterable: I, predicate: P) -> FilterFalse<I::IntoIter, P>
where
    I: IntoIterator,
    P: FnMut(&I::Item) -> bool,
{
    FilterFalse {
        iter: iterable.into_iter(),
        predicate,
    }
}

impl<I, P> Iterator for FilterFalse<I, P>
where
    I: Iterator,
    P: FnMut(&I::Item) -> bool,
{
    type Item = I::Item;

    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        let predicate = &mut self.predicate;
        self.iter.find(|item| !predicate(item))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.iter.size_hint().1)
    }

    #[inline]
    fn fold<B, F>(self, init: B, mut f: F) -> B
    where
        F: FnMut(B, I::Item) -> B,
    {
        let mut predicate = self.predicate;
        self.iter.fold(
            init,
            |acc, item| {
                if predicate(&item) { acc } else { f(acc, item) }
            },
        )
    }
}

impl<I, P> DoubleEndedIterator for FilterFalse<I, P>
where
    I: DoubleEndedIterator,
    P: FnMut(&I::Item) -> bool,
{
    #[inline]
    fn next_back(&mut self) -> Option<I::Item> {
        let predicate = &mut self.predicate;
        self.iter.rfind(|item| !predicate(item))
    }
}

impl<I, P> FusedIterator for FilterFalse<I, P>
where
    I: FusedIterator,
    P: FnMut(&I::Item) -> bool,
{
}

impl<I: fmt::Debug, P> fmt::Debug for FilterFalse<I, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilterFalse")
            .field("iter", &self.iter)
            .finish_non_exhaustive()
    }
}

/// Skips items while `predicate` holds, then yields every item from the first one for which
/// it is false (Python's `itertools.dropwhile(predicate, iterable)`); std's [`SkipWhile`],
/// which has Python's semantics.
///
/// ```
/// use cogen::iter::dropwhile;
///
/// // Python: list(dropwhile(lambda x: x < 5, [1, 4, 6, 3, 8]))
/// assert_eq!(dropwhile([1, 4, 6, 3, 8], |&x| x < 5).collect::<Vec<_>>(), [6, 3, 8]);
/// ```
pub fn dropwhile<I, P>(iterable: I, predicate: P) -> SkipWhile<I::IntoIter, P>
where
    I: IntoIterator,
    P: FnMut(&I::Item) -> bool,
{
    iterable.into_iter().skip_while(predicate)
}

/// Yields items while `predicate` holds (Python's `itertools.takewhile(predicate, iterable)`);
/// std's [`TakeWhile`], which has Python's semantics: the first item for which the predicate
/// is false is consumed from the source (and dropped), and nothing follows it.
///
/// ```
/// use cogen::iter::takewhile;
///
/// // Python: list(takewhile(lambda x: x < 5, [1, 4, 6, 3, 8]))
/// let mut source = [1, 4, 6, 3, 8].into_iter();
/// assert_eq!(takewhile(source.by_ref(), |&x| x < 5).collect::<Vec<_>>(), [1, 4]);
/// assert_eq!(source.next(), Some(3)); // 6 was consumed
/// ```
pub fn takewhile<I, P>(iterable: I, predicate: P) -> TakeWhile<I::IntoIter, P>
where
    I: IntoIterator,
    P: FnMut(&I::Item) -> bool,
{
    iterable.into_iter().take_while(predicate)
}
