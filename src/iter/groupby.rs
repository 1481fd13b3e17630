//! `groupby`: runs of consecutive items with equal keys, as lazy groups sharing the source.

use alloc::sync::Arc;
use core::fmt;
use core::iter::FusedIterator;
use core::mem;
use core::ops::ControlFlow;

use super::shared::Shared;

/// How [`groupby`] and [`groupby_key`] find an item's key: implemented for every
/// `FnMut(&T) -> K` and for [`Identity`] (the item is its own key).
///
/// ```
/// use cogen::iter::{Identity, KeyFn};
///
/// let mut first_letter = |word: &&str| word.chars().next();
/// assert_eq!(first_letter.key(&"apple"), Some('a'));
/// assert_eq!(first_letter.new_key(&"avocado", &Some('a')), None);
/// assert_eq!(Identity.new_key(&"kiwi", &"fig"), Some("kiwi"));
/// ```
pub trait KeyFn<T> {
    /// The key type, compared with `==`.
    type Key: PartialEq;

    /// The key of `item`.
    ///
    /// ```
    /// use cogen::iter::KeyFn;
    ///
    /// assert_eq!((|n: &i32| n % 3).key(&7), 1);
    /// ```
    fn key(&mut self, item: &T) -> Self::Key;

    /// `None` if `item`'s key equals `current` (compared as Python does, `current == key`),
    /// else `Some` of `item`'s key.
    ///
    /// ```
    /// use cogen::iter::KeyFn;
    ///
    /// let mut parity = |n: &i32| n % 2;
    /// assert_eq!(parity.new_key(&4, &0), None);
    /// assert_eq!(parity.new_key(&5, &0), Some(1));
    /// ```
    fn new_key(&mut self, item: &T, current: &Self::Key) -> Option<Self::Key> {
        let key = self.key(item);
        if *current == key { None } else { Some(key) }
    }
}

impl<T, K, F> KeyFn<T> for F
where
    F: FnMut(&T) -> K,
    K: PartialEq,
{
    type Key = K;

    #[inline]
    fn key(&mut self, item: &T) -> K {
        self(item)
    }
}

/// The key function of [`groupby`]: the item is its own key (Python's `key=None`). Items are
/// compared with the current key directly; an item is cloned only when it starts a group.
///
/// ```
/// use cogen::iter::{Identity, KeyFn};
///
/// assert_eq!(Identity.key(&'x'), 'x');
/// assert_eq!(Identity.new_key(&'x', &'x'), None);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Identity;

impl<T: Clone + PartialEq> KeyFn<T> for Identity {
    type Key = T;

    #[inline]
    fn key(&mut self, item: &T) -> T {
        item.clone()
    }

    #[inline]
    fn new_key(&mut self, item: &T, current: &T) -> Option<T> {
        if current == item {
            None
        } else {
            Some(item.clone())
        }
    }
}

/// Who owns the shared state, for the lock's panic message.
const OWNER: &str = "groupby()";

/// What the source has given that nobody has taken yet.
#[derive(Clone)]
enum Pending<T, K> {
    Nothing,
    /// The next item of the current group (its first, right after the outer iterator gave
    /// the group out).
    InGroup(T),
    /// The first item of the next group, and its key.
    NextGroup(T, K),
}

/// The state a [`GroupBy`] and its groups share. `derive(Clone)` bounds only its impl (on
/// `I`, `F`, `I::Item` and `F::Key` being `Clone`), not the struct.
#[derive(Clone)]
struct State<I: Iterator, F: KeyFn<I::Item>> {
    iter: I,
    key: F,
    /// The key of the current group (the one the outer iterator gave out last).
    target: Option<F::Key>,
    pending: Pending<I::Item, F::Key>,
    /// The id of the current group: a group with another id is stale, and empty.
    current: usize,
}

/// The iterator returned by [`groupby`], [`groupby_key`], [`IterExt::groupby`] and
/// [`IterExt::groupby_key`]: `(key, group)` for each run of consecutive items with equal keys.
///
/// Each [`Group`] shares the source with this iterator (through an `Arc` and a small lock, so
/// both are `Send` and `Sync` when the source, the key function, the items and the keys are
/// `Send`). They own their share: no `let` binding is needed, and they can be returned from
/// functions.
///
/// [`IterExt::groupby`]: super::IterExt::groupby
/// [`IterExt::groupby_key`]: super::IterExt::groupby_key
///
/// ```
/// use cogen::iter::groupby;
///
/// // Python: [k for k, g in groupby('AAAABBBCCDAABBB')]
/// let keys: String = groupby("AAAABBBCCDAABBB".chars()).map(|(key, _)| key).collect();
/// assert_eq!(keys, "ABCDAB");
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct GroupBy<I: Iterator, F: KeyFn<I::Item>> {
    shared: Arc<Shared<State<I, F>>>,
}

/// One group of a [`GroupBy`]: the items of one run, read from the shared source as this
/// iterator is advanced.
///
/// As in Python, a group is only readable while it is the current one: once the [`GroupBy`]
/// moves on, the group is empty (the items it had not given out are skipped).
///
/// `fold` (and so `for_each`, `sum`, `count`, ...) locks the shared source once for the
/// whole run instead of once per item.
///
/// # Panics
///
/// The closure given to a group's `fold` (or `for_each`, ...) must not use the [`GroupBy`]
/// or another of its groups: that panics, where Python would have emptied the group (use a
/// `for` loop for that). The same holds for the key function, which runs with the shared
/// source locked.
///
/// ```
/// use cogen::iter::{groupby, Group, Identity};
///
/// // Python: [list(g) for k, g in groupby('AAAABBBCCD')]
/// let groups: Vec<String> = groupby("AAAABBBCCD".chars()).map(|(_, g)| g.collect()).collect();
/// assert_eq!(groups, ["AAAA", "BBB", "CC", "D"]);
///
/// // A group outlives the function that made it:
/// fn first_run(text: &str) -> Group<std::str::Chars<'_>, Identity> {
///     groupby(text.chars()).next().unwrap().1
/// }
/// assert_eq!(first_run("xxy").count(), 2);
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Group<I: Iterator, F: KeyFn<I::Item>> {
    shared: Arc<Shared<State<I, F>>>,
    id: usize,
}

/// Groups consecutive equal items (Python's `itertools.groupby(iterable)`): yields
/// `(item, group)` for each run, the group iterating over the run's items.
///
/// ```
/// use cogen::iter::groupby;
///
/// // Python: for k, g in groupby('AAABBC'): print(k, len(list(g)))
/// let mut runs = Vec::new();
/// for (letter, group) in groupby("AAABBC".chars()) {
///     runs.push((letter, group.count()));
/// }
/// assert_eq!(runs, [('A', 3), ('B', 2), ('C', 1)]);
///
/// // Python: [(k, list(g)) for k, g in list(groupby('AAABB'))]: groups left behind are empty.
/// let late: Vec<_> = groupby("AAABB".chars()).collect();
/// let late: Vec<_> = late.into_iter().map(|(k, g)| (k, g.collect::<String>())).collect();
/// assert_eq!(late, [('A', String::new()), ('B', String::new())]);
/// ```
pub fn groupby<I>(iterable: I) -> GroupBy<I::IntoIter, Identity>
where
    I: IntoIterator,
    I::Item: Clone + PartialEq,
{
    GroupBy::new(iterable.into_iter(), Identity)
}

/// Groups consecutive items with equal keys (Python's `itertools.groupby(iterable, key)`):
/// yields `(key, group)` for each run. The key function is called once per item, in order.
///
/// ```
/// use cogen::iter::groupby_key;
///
/// // Python: [(k, list(g)) for k, g in groupby([1, 3, 2, 4, 5], key=lambda x: x % 2)]
/// let runs: Vec<(i32, Vec<i32>)> = groupby_key([1, 3, 2, 4, 5], |x| x % 2)
///     .map(|(parity, group)| (parity, group.collect()))
///     .collect();
/// assert_eq!(runs, [(1, vec![1, 3]), (0, vec![2, 4]), (1, vec![5])]);
/// ```
pub fn groupby_key<I, K, F>(iterable: I, key: F) -> GroupBy<I::IntoIter, F>
where
    I: IntoIterator,
    F: FnMut(&I::Item) -> K,
    K: Clone + PartialEq,
{
    GroupBy::new(iterable.into_iter(), key)
}

impl<I: Iterator, F: KeyFn<I::Item>> GroupBy<I, F> {
    pub(crate) fn new(iter: I, key: F) -> Self {
        let state = State {
            iter,
            key,
            target: None,
            pending: Pending::Nothing,
            current: 0,
        };
        GroupBy {
            shared: Arc::new(Shared::new(state, OWNER)),
        }
    }
}

impl<I, F> State<I, F>
where
    I: Iterator + Clone,
    I::Item: Clone,
    F: KeyFn<I::Item> + Clone,
    F::Key: Clone,
{
    /// A copy of the whole state, in a lock of its own: what `clone` gives `GroupBy` and
    /// `Group`. Only reads `self`, so a `Clone` that panics leaves it as it was.
    fn detached_copy(&self) -> Arc<Shared<Self>> {
        Arc::new(Shared::new(self.clone(), OWNER))
    }
}

/// A `GroupBy` of its own, with a copy of the source (and of the key function, the current
/// key and the item read ahead), at the same place: it gives the same `(key, group)`s as the
/// original would from here, and neither one's reading moves the other. The original's
/// groups stay the original's. This is what Python's `copy.deepcopy` of a groupby gives;
/// `copy.copy` shares the source instead, and CPython 3.13 deprecates both for itertools
/// objects (3.14 removes them): `itertools.tee` is Python's way to copy an iterator.
///
/// Should a `Clone` (of the source, the key function, an item or a key) panic, the panic
/// reaches the caller and the original is untouched.
///
/// ```
/// use cogen::iter::groupby;
///
/// // Python: [k for k, g in groupby('AABBBC')], twice, from the second group on
/// let mut runs = groupby("AABBBC".chars());
/// runs.next();
/// let copy = runs.clone();
/// assert_eq!(runs.map(|(k, _)| k).collect::<String>(), "BC");
/// assert_eq!(copy.map(|(k, g)| (k, g.count())).collect::<Vec<_>>(), [('B', 3), ('C', 1)]);
/// ```
impl<I, F> Clone for GroupBy<I, F>
where
    I: Iterator + Clone,
    I::Item: Clone,
    F: KeyFn<I::Item> + Clone,
    F::Key: Clone,
{
    fn clone(&self) -> Self {
        GroupBy {
            shared: self.shared.lock().detached_copy(),
        }
    }
}

/// A group of its own, detached from the [`GroupBy`]: it gives the items that the original
/// would give if read now (the rest of its run, or nothing if the original is stale), read
/// from its own copy of the source, and it stays readable after the [`GroupBy`] moves on
/// (where the original becomes empty). Reading either one does not move the other. The
/// copy costs a clone of the source, the key function, the current key and the item read
/// ahead, and one allocation.
///
/// Should a `Clone` panic, the panic reaches the caller and the original is untouched.
///
/// ```
/// use cogen::iter::groupby;
///
/// let mut runs = groupby("AAAB".chars());
/// let (_, mut group) = runs.next().unwrap();
/// group.next();
/// let copy = group.clone();
/// assert_eq!(runs.next().map(|(k, _)| k), Some('B')); // the original group is now stale,
/// assert_eq!(group.count(), 0);
/// assert_eq!(copy.collect::<String>(), "AA"); // the copy is not
/// ```
impl<I, F> Clone for Group<I, F>
where
    I: Iterator + Clone,
    I::Item: Clone,
    F: KeyFn<I::Item> + Clone,
    F::Key: Clone,
{
    fn clone(&self) -> Self {
        Group {
            shared: self.shared.lock().detached_copy(),
            id: self.id,
        }
    }
}

impl<I, F> Iterator for GroupBy<I, F>
where
    I: Iterator,
    F: KeyFn<I::Item>,
    F::Key: Clone,
{
    type Item = (F::Key, Group<I, F>);

    fn next(&mut self) -> Option<Self::Item> {
        let mut guard = self.shared.lock();
        let state = &mut *guard;
        // As in CPython, the group given out last is now stale, even if no group follows.
        state.current = state.current.wrapping_add(1);
        // The next group's first item and key, kept in `pending` while its key is cloned.
        match mem::replace(&mut state.pending, Pending::Nothing) {
            next @ Pending::NextGroup(..) => state.pending = next,
            // The first group.
            Pending::Nothing if state.target.is_none() => {
                let item = state.iter.next()?;
                let key = state.key.key(&item);
                state.pending = Pending::NextGroup(item, key);
            }
            // The rest of the current group is skipped.
            Pending::Nothing | Pending::InGroup(_) => {
                let State {
                    iter,
                    key,
                    target,
                    pending,
                    ..
                } = state;
                let target = target.as_ref()?;
                loop {
                    let item = iter.next()?;
                    if let Some(key) = key.new_key(&item, target) {
                        *pending = Pending::NextGroup(item, key);
                        break;
                    }
                }
            }
        }
        // Should the key's `Clone` panic, the group stays pending and the next call gives it.
        let Pending::NextGroup(_, key) = &state.pending else {
            unreachable!("a group was just put in `pending`")
        };
        let target = key.clone();
        let Pending::NextGroup(item, key) = mem::replace(&mut state.pending, Pending::Nothing)
        else {
            unreachable!("a group was just put in `pending`")
        };
        state.pending = Pending::InGroup(item);
        state.target = Some(target);
        let group = Group {
            shared: Arc::clone(&self.shared),
            id: state.current,
        };
        Some((key, group))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let state = self.shared.lock();
        let (low, high) = state.iter.size_hint();
        match state.pending {
            // That item starts a group; each later item may start one.
            Pending::NextGroup(..) => (1, high.and_then(|high| high.checked_add(1))),
            // The rest of the current group is skipped; each later item may start a group.
            Pending::InGroup(_) => (0, high),
            Pending::Nothing if state.target.is_none() => (usize::from(low > 0), high),
            Pending::Nothing => (0, high),
        }
    }
}

impl<I, F> FusedIterator for GroupBy<I, F>
where
    I: FusedIterator,
    F: KeyFn<I::Item>,
    F::Key: Clone,
{
}

impl<I, F> Iterator for Group<I, F>
where
    I: Iterator,
    F: KeyFn<I::Item>,
{
    type Item = I::Item;

    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        let mut guard = self.shared.lock();
        let state = &mut *guard;
        if state.current != self.id {
            return None;
        }
        match state.pending {
            Pending::Nothing => {}
            Pending::NextGroup(..) => return None,
            Pending::InGroup(_) => {
                let Pending::InGroup(item) = mem::replace(&mut state.pending, Pending::Nothing)
                else {
                    unreachable!()
                };
                return Some(item);
            }
        }
        let item = state.iter.next()?;
        let target = state.target.as_ref()?;
        match state.key.new_key(&item, target) {
            None => Some(item),
            Some(key) => {
                state.pending = Pending::NextGroup(item, key);
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let state = self.shared.lock();
        if state.current != self.id {
            return (0, Some(0));
        }
        let high = state.iter.size_hint().1;
        match state.pending {
            Pending::Nothing => (0, high),
            Pending::InGroup(_) => (1, high.and_then(|high| high.checked_add(1))),
            Pending::NextGroup(..) => (0, Some(0)),
        }
    }

    #[inline]
    fn fold<B, G>(self, init: B, mut g: G) -> B
    where
        G: FnMut(B, I::Item) -> B,
    {
        let mut guard = self.shared.lock();
        let State {
            iter,
            key,
            target,
            pending,
            current,
        } = &mut *guard;
        if *current != self.id {
            return init;
        }
        let mut acc = init;
        match mem::replace(pending, Pending::Nothing) {
            Pending::Nothing => {}
            Pending::InGroup(item) => acc = g(acc, item),
            next_group @ Pending::NextGroup(..) => {
                *pending = next_group;
                return acc;
            }
        }
        let Some(target) = target.as_ref() else {
            return acc;
        };
        let run = iter.try_fold(acc, |acc, item| match key.new_key(&item, target) {
            None => ControlFlow::Continue(g(acc, item)),
            Some(new_key) => ControlFlow::Break((acc, item, new_key)),
        });
        match run {
            ControlFlow::Continue(acc) => acc,
            ControlFlow::Break((acc, item, new_key)) => {
                *pending = Pending::NextGroup(item, new_key);
                acc
            }
        }
    }
}

impl<I, F> FusedIterator for Group<I, F>
where
    I: FusedIterator,
    F: KeyFn<I::Item>,
{
}

impl<I: Iterator, F: KeyFn<I::Item>> fmt::Debug for GroupBy<I, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupBy").finish_non_exhaustive()
    }
}

impl<I: Iterator, F: KeyFn<I::Item>> fmt::Debug for Group<I, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Group")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
