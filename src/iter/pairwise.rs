//! `pairwise`: overlapping pairs of neighbours.

use core::iter::FusedIterator;

/// The iterator returned by [`pairwise`] and [`IterExt::pairwise`](super::IterExt::pairwise).
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(pairwise([1, 2, 3]))
/// assert_eq!([1, 2, 3].into_iter().pairwise().collect::<Vec<_>>(), [(1, 2), (2, 3)]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Pairwise<I: Iterator> {
    iter: I,
    last: Last<I::Item>,
}

/// Where a `Pairwise` is between pairs.
#[derive(Clone, Debug)]
enum Last<T> {
    /// No pair given out yet.
    Start,
    /// The second item of the last pair given out: the first of the next.
    Item(T),
    /// The source gave `None`, or panicked (CPython's pairwise ends once its source raised):
    /// the source is not read again. Set while the source is read, so a panic leaves it set.
    Ended,
}

/// Successive overlapping pairs of the items of `iterable` (Python's
/// `itertools.pairwise(iterable)`): one pair fewer than there are items, none for fewer than
/// two items. Each item but the first and last is cloned once.
///
/// ```
/// use cogen::iter::pairwise;
///
/// // Python: [a + b for a, b in pairwise('ABCDEFG')]
/// let pairs: Vec<String> = pairwise("ABCDEFG".chars()).map(|(a, b)| format!("{a}{b}")).collect();
/// assert_eq!(pairs, ["AB", "BC", "CD", "DE", "EF", "FG"]);
/// assert_eq!(pairwise([1]).next(), None);
/// ```
pub fn pairwise<I>(iterable: I) -> Pairwise<I::IntoIter>
where
    I: IntoIterator,
    I::Item: Clone,
{
    Pairwise {
        iter: iterable.into_iter(),
        last: Last::Start,
    }
}

impl<I> Iterator for Pairwise<I>
where
    I: Iterator,
    I::Item: Clone,
{
    type Item = (I::Item, I::Item);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let first = match core::mem::replace(&mut self.last, Last::Ended) {
            Last::Item(item) => item,
            Last::Start => self.iter.next()?,
            Last::Ended => return None,
        };
        let second = self.iter.next()?;
        // Kept before it is cloned: should the clone panic, this pair is lost but the next one
        // still starts at `second`.
        self.last = Last::Item(second);
        let Last::Item(second) = &self.last else {
            unreachable!("the item was just stored")
        };
        Some((first, second.clone()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (low, high) = self.iter.size_hint();
        match self.last {
            Last::Item(_) => (low, high),
            Last::Start => (
                low.saturating_sub(1),
                high.map(|high| high.saturating_sub(1)),
            ),
            Last::Ended => (0, Some(0)),
        }
    }

    #[inline]
    fn fold<B, F>(self, init: B, mut f: F) -> B
    where
        F: FnMut(B, Self::Item) -> B,
    {
        let Pairwise { mut iter, last } = self;
        let mut previous = match last {
            Last::Item(item) => item,
            Last::Start => match iter.next() {
                Some(item) => item,
                None => return init,
            },
            Last::Ended => return init,
        };
        iter.fold(init, |acc, item| {
            let first = core::mem::replace(&mut previous, item.clone());
            f(acc, (first, item))
        })
    }
}

impl<I> ExactSizeIterator for Pairwise<I>
where
    I: ExactSizeIterator,
    I::Item: Clone,
{
}

impl<I> FusedIterator for Pairwise<I>
where
    I: Iterator,
    I::Item: Clone,
{
}
