//! `accumulate`: running totals.

use core::fmt;
use core::iter::FusedIterator;
use core::ops::Add;

/// The iterator returned by [`accumulate`], [`accumulate_with`], [`accumulate_from`] and
/// [`accumulate_initial`]:
/// running totals of type `T`, combined by `F`.
///
/// ```
/// use cogen::iter::accumulate_with;
///
/// // Python: list(accumulate([3, 4, 6, 2, 1, 9, 0, 7, 5, 8], max))
/// let running_max = accumulate_with([3, 4, 6, 2, 1, 9, 0, 7, 5, 8], |a: &i32, b| (*a).max(b));
/// assert_eq!(running_max.collect::<Vec<_>>(), [3, 4, 6, 6, 6, 9, 9, 9, 9, 9]);
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Accumulate<I: Iterator, T, F> {
    iter: I,
    state: State<T, I::Item>,
    f: F,
}

enum State<T, Item> {
    /// Nothing given out yet; the first total is this initial value.
    Initial(T),
    /// Nothing given out yet; the first total is the source's first item.
    FirstItem(fn(Item) -> T),
    /// The last total given out.
    Running(T),
    Done,
}

fn identity<T>(item: T) -> T {
    item
}

/// How [`Accumulate`] combines the running total with the next item: implemented for every
/// `FnMut(&T, Item) -> T`, and for [`Plus`] (`total + item`, what [`accumulate`] uses).
///
/// ```
/// use cogen::iter::{AccumulateFn, Plus};
///
/// assert_eq!(Plus.combine(&40, 2), 42);
/// let mut longest = |best: &usize, word: &str| (*best).max(word.len());
/// assert_eq!(longest.combine(&3, "four"), 4);
/// ```
pub trait AccumulateFn<T, Item> {
    /// The next total from the last one and the next item.
    ///
    /// ```
    /// use cogen::iter::AccumulateFn;
    ///
    /// let mut product = |total: &i32, x: i32| total * x;
    /// assert_eq!(product.combine(&6, 7), 42);
    /// ```
    fn combine(&mut self, total: &T, item: Item) -> T;

    /// The next total from the last one and the next item of `source`, or `None` at its end:
    /// what [`Accumulate`] calls. By default, `combine` with the item `source` gives;
    /// [`Plus`] clones the total before it reads the item, so that should the clone panic,
    /// the item stays in the source for the next call.
    ///
    /// ```
    /// use cogen::iter::{AccumulateFn, Plus};
    ///
    /// let mut source = [2, 3].into_iter();
    /// assert_eq!(Plus.combine_next(&40, &mut source), Some(42));
    /// let mut longest = |best: &usize, word: &str| (*best).max(word.len());
    /// assert_eq!(longest.combine_next(&3, &mut ["four"].into_iter()), Some(4));
    /// assert_eq!(longest.combine_next(&3, &mut [].into_iter()), None);
    /// ```
    #[inline]
    fn combine_next<I>(&mut self, total: &T, source: &mut I) -> Option<T>
    where
        Self: Sized,
        I: Iterator<Item = Item>,
    {
        let item = source.next()?;
        Some(self.combine(total, item))
    }
}

impl<T, Item, F> AccumulateFn<T, Item> for F
where
    F: FnMut(&T, Item) -> T,
{
    #[inline]
    fn combine(&mut self, total: &T, item: Item) -> T {
        self(total, item)
    }
}

/// The combining function of [`accumulate`]: `total.clone() + item` (Python's default,
/// `operator.add`), as a type the compiler always inlines.
///
/// ```
/// use cogen::iter::{AccumulateFn, Plus};
///
/// assert_eq!(Plus.combine(&1.5, 2.0), 3.5);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Plus;

impl<T: Add<Output = T> + Clone> AccumulateFn<T, T> for Plus {
    #[inline]
    fn combine(&mut self, total: &T, item: T) -> T {
        total.clone() + item
    }

    #[inline]
    fn combine_next<I>(&mut self, total: &T, source: &mut I) -> Option<T>
    where
        I: Iterator<Item = T>,
    {
        // The clone first: should it panic, no item has left the source.
        let total = total.clone();
        Some(total + source.next()?)
    }
}

/// Running sums (Python's `itertools.accumulate(iterable)`): the first item, then each total
/// so far plus the next item (`total + item`, in that order).
///
/// ```
/// use cogen::iter::accumulate;
///
/// // Python: list(accumulate([1, 2, 3, 4, 5]))
/// assert_eq!(accumulate([1, 2, 3, 4, 5]).collect::<Vec<_>>(), [1, 3, 6, 10, 15]);
/// assert_eq!(accumulate(Vec::<i32>::new()).next(), None);
/// ```
pub fn accumulate<I>(iterable: I) -> Accumulate<I::IntoIter, I::Item, Plus>
where
    I: IntoIterator,
    I::Item: Add<Output = I::Item> + Clone,
{
    Accumulate {
        iter: iterable.into_iter(),
        state: State::FirstItem(identity),
        f: Plus,
    }
}

/// Running sums starting from `initial`, which comes first (Python's
/// `itertools.accumulate(iterable, initial=initial)`): `initial`, then each total so far plus
/// the next item. For another function, [`accumulate_initial`].
///
/// ```
/// use cogen::iter::accumulate_from;
///
/// // Python: list(accumulate([1, 2, 3], initial=100))
/// assert_eq!(accumulate_from([1, 2, 3], 100).collect::<Vec<_>>(), [100, 101, 103, 106]);
/// // Python: list(accumulate([], initial=100))
/// assert_eq!(accumulate_from(Vec::<i32>::new(), 100).collect::<Vec<_>>(), [100]);
/// ```
pub fn accumulate_from<I>(iterable: I, initial: I::Item) -> Accumulate<I::IntoIter, I::Item, Plus>
where
    I: IntoIterator,
    I::Item: Add<Output = I::Item> + Clone,
{
    Accumulate {
        iter: iterable.into_iter(),
        state: State::Initial(initial),
        f: Plus,
    }
}

/// Running totals combined by `f` (Python's `itertools.accumulate(iterable, func)`): the first
/// item, then `f(&total, item)` for each next item.
///
/// ```
/// use cogen::iter::accumulate_with;
///
/// // Python: list(accumulate([1, 2, 3, 4, 5], operator.mul))
/// let products = accumulate_with([1, 2, 3, 4, 5], |total, x| total * x);
/// assert_eq!(products.collect::<Vec<_>>(), [1, 2, 6, 24, 120]);
/// ```
pub fn accumulate_with<I, F>(iterable: I, f: F) -> Accumulate<I::IntoIter, I::Item, F>
where
    I: IntoIterator,
    I::Item: Clone,
    F: FnMut(&I::Item, I::Item) -> I::Item,
{
    Accumulate {
        iter: iterable.into_iter(),
        state: State::FirstItem(identity),
        f,
    }
}

/// Running totals starting from `initial`, which comes first (Python's
/// `itertools.accumulate(iterable, func, initial=initial)`); the total's type may differ from
/// the items'.
///
/// ```
/// use cogen::iter::accumulate_initial;
///
/// // Python: list(accumulate([1, 2, 3], operator.add, initial=100))
/// let totals = accumulate_initial([1, 2, 3], 100, |total, x| total + x);
/// assert_eq!(totals.collect::<Vec<_>>(), [100, 101, 103, 106]);
/// // Python: list(accumulate([], initial=100))
/// let empty: [i32; 0] = [];
/// assert_eq!(accumulate_initial(empty, 100, |t, x| t + x).collect::<Vec<_>>(), [100]);
/// // Python: list(accumulate('abc', lambda s, c: s + c.upper(), initial=''))
/// let shouted = accumulate_initial("abc".chars(), String::new(), |s, c| format!("{s}{}", c.to_ascii_uppercase()));
/// assert_eq!(shouted.collect::<Vec<_>>(), ["", "A", "AB", "ABC"]);
/// ```
pub fn accumulate_initial<I, T, F>(iterable: I, initial: T, f: F) -> Accumulate<I::IntoIter, T, F>
where
    I: IntoIterator,
    T: Clone,
    F: FnMut(&T, I::Item) -> T,
{
    Accumulate {
        iter: iterable.into_iter(),
        state: State::Initial(initial),
        f,
    }
}

impl<I, T, F> Accumulate<I, T, F>
where
    I: Iterator,
    T: Clone,
{
    /// The first total (the initial value, or the first item), on the first call.
    #[cold]
    fn start(&mut self) -> Option<T> {
        let total = match &self.state {
            State::Initial(_) => {
                let State::Initial(initial) = core::mem::replace(&mut self.state, State::Done)
                else {
                    unreachable!("the state was just matched as `Initial`")
                };
                initial
            }
            // The state changes only once the source has given its item: should the source
            // panic, the next call reads it again, as CPython's accumulate does.
            &State::FirstItem(into_total) => match self.iter.next() {
                Some(item) => into_total(item),
                None => {
                    self.state = State::Done;
                    return None;
                }
            },
            State::Running(_) | State::Done => return None,
        };
        // Stored before it is cloned: should the clone panic, later totals are still right.
        self.state = State::Running(total);
        let State::Running(total) = &self.state else {
            unreachable!("the total was just stored")
        };
        Some(total.clone())
    }
}

impl<I, T, F> Iterator for Accumulate<I, T, F>
where
    I: Iterator,
    T: Clone,
    F: AccumulateFn<T, I::Item>,
{
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        let State::Running(total) = &mut self.state else {
            return self.start();
        };
        match self.f.combine_next(total, &mut self.iter) {
            Some(next) => {
                *total = next;
                Some(total.clone())
            }
            None => {
                self.state = State::Done;
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (low, high) = self.iter.size_hint();
        match self.state {
            State::Running(_) | State::FirstItem(_) => (low, high),
            State::Initial(_) => (
                low.saturating_add(1),
                high.and_then(|high| high.checked_add(1)),
            ),
            State::Done => (0, Some(0)),
        }
    }

    #[inline]
    fn fold<B, G>(self, init: B, mut g: G) -> B
    where
        G: FnMut(B, T) -> B,
    {
        let Accumulate {
            mut iter,
            state,
            mut f,
        } = self;
        let (acc, mut total) = match state {
            State::Running(total) => (init, total),
            State::Initial(total) => (g(init, total.clone()), total),
            State::FirstItem(into_total) => match iter.next() {
                Some(item) => {
                    let total = into_total(item);
                    (g(init, total.clone()), total)
                }
                None => return init,
            },
            State::Done => return init,
        };
        iter.fold(acc, |acc, item| {
            total = f.combine(&total, item);
            g(acc, total.clone())
        })
    }
}

impl<I, T, F> FusedIterator for Accumulate<I, T, F>
where
    I: Iterator,
    T: Clone,
    F: AccumulateFn<T, I::Item>,
{
}

impl<T: Clone, Item> Clone for State<T, Item> {
    fn clone(&self) -> Self {
        match self {
            State::Initial(total) => State::Initial(total.clone()),
            State::FirstItem(into_total) => State::FirstItem(*into_total),
            State::Running(total) => State::Running(total.clone()),
            State::Done => State::Done,
        }
    }
}

impl<I, T, F> Clone for Accumulate<I, T, F>
where
    I: Iterator + Clone,
    T: Clone,
    F: Clone,
{
    fn clone(&self) -> Self {
        Accumulate {
            iter: self.iter.clone(),
            state: self.state.clone(),
            f: self.f.clone(),
        }
    }
}

impl<I, T, F> fmt::Debug for Accumulate<I, T, F>
where
    I: Iterator + fmt::Debug,
    T: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = match &self.state {
            State::Initial(total) | State::Running(total) => Some(total),
            State::FirstItem(_) | State::Done => None,
        };
        f.debug_struct("Accumulate")
            .field("iter", &self.iter)
            .field("total", &total)
            .finish_non_exhaustive()
    }
}
