//! `tee`: independent iterators over one source, sharing a buffer.

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use core::fmt;
use core::iter::FusedIterator;

use super::shared::Shared;
use alloc::vec::Vec;

struct State<I: Iterator> {
    iter: I,
    /// The items some branch has read and some other has not, each with the number of live
    /// branches that have yet to read it.
    buffer: VecDeque<(I::Item, usize)>,
    /// The position (count of source items read before it) of `buffer[0]`; the source's next
    /// item is at `start + buffer.len()`.
    start: usize,
    /// Live branches.
    branches: usize,
}

impl<I: Iterator> State<I>
where
    I::Item: Clone,
{
    /// The item at `position` for a branch there: from the buffer (moved out by the last branch
    /// to read it) or from the source (buffered for the other branches).
    ///
    /// An item's `Clone` may panic: every count is lowered only after the clone succeeded, and a
    /// new item whose clone panics is buffered for every branch, so a panic leaves the state as
    /// it was before the call (with the new item buffered), and the branch that saw it gets the
    /// same item again from its next call.
    #[inline(always)]
    fn take(&mut self, position: usize) -> Option<I::Item> {
        let index = position - self.start;
        if index == self.buffer.len() {
            // At the front: read the source.
            let item = self.iter.next()?;
            if self.branches == 1 {
                self.start += 1;
                return Some(item);
            }
            // The copy stays for the other branches; should the clone panic, the item itself is
            // buffered for all of them by the guard.
            let mut guard = BufferOnUnwind {
                buffer: &mut self.buffer,
                item: Some(item),
                readers: self.branches,
            };
            let copy = guard.item.clone();
            let item = guard.item.take();
            drop(guard);
            if let Some(copy) = copy {
                self.buffer.push_back((copy, self.branches - 1));
            }
            return item;
        }
        if index == 0 {
            let (item, readers) = self.buffer.front_mut()?;
            if *readers > 1 {
                let copy = item.clone();
                *readers -= 1;
                return Some(copy);
            }
            self.start += 1;
            return self.buffer.pop_front().map(|(item, _)| item);
        }
        // Some branch is further behind: this item stays for it.
        let (item, readers) = self.buffer.get_mut(index)?;
        let copy = item.clone();
        *readers -= 1;
        Some(copy)
    }
}

/// Buffers an item read from the source for every branch if dropped while it still holds it,
/// which happens only when the item's `Clone` unwinds past it.
struct BufferOnUnwind<'a, T> {
    buffer: &'a mut VecDeque<(T, usize)>,
    item: Option<T>,
    readers: usize,
}

impl<T> Drop for BufferOnUnwind<'_, T> {
    fn drop(&mut self) {
        if let Some(item) = self.item.take() {
            self.buffer.push_back((item, self.readers));
        }
    }
}

/// One of the iterators returned by [`tee`], [`tee_array`] and
/// [`IterExt::tee`](super::IterExt::tee): it yields every item of the shared source, whatever
/// the other branches have read.
///
/// Items read from the source by one branch wait in a shared buffer for the others, and are
/// freed as soon as every live branch has passed them (the last branch to read an item gets it
/// without a clone). A branch that is behind takes up to 64 buffered items at a time into its
/// own queue, so that reading them costs one lock, not one per item; the source itself is read
/// one item at a time, exactly as far as the leading branch has gone, as in CPython. Cloning a
/// branch makes a new branch at the same position, like Python's `copy(t)`. Branches are
/// `Send` when the source and its items are `Send`, and `Sync` when the items are `Sync` too
/// (a branch keeps a queue of items of its own).
///
/// An item's `Clone` that panics reaches the caller of `next` and leaves every branch whole:
/// the branch that saw the panic gets that item from its next call, and the others get it as
/// usual.
///
/// `fold` (and so `for_each`, `sum`, `count`, ...) locks the shared source once for the whole
/// run instead of once per item.
///
/// # Panics
///
/// The closure given to a branch's `fold` (or `for_each`, ...) must not advance or clone
/// another branch of the same source: that panics (a `for` loop over the branch can). A branch
/// dropped inside that closure keeps the items it had not read from being freed until every
/// branch is gone.
///
/// ```
/// use cogen::iter::tee;
///
/// // Python: a, b = tee([1, 2, 3]); next(a); list(zip(a, b))
/// let mut branches = tee([1, 2, 3], 2);
/// let (mut a, b) = (branches.remove(0), branches.remove(0));
/// assert_eq!(a.next(), Some(1));
/// assert_eq!(a.zip(b).collect::<Vec<_>>(), [(2, 1), (3, 2)]);
/// ```
///
/// Over items that are `Send` but not `Sync`, a branch can move to another thread but not be
/// shared with one:
///
/// ```compile_fail,E0277
/// use std::cell::Cell;
/// use cogen::iter::tee_array;
///
/// fn share<T: Sync>(_: &T) {}
/// let [a, _b] = tee_array(vec![Cell::new(1)]);
/// std::thread::spawn(move || a.count()); // fine: `Send`
/// let [c, _d] = tee_array(vec![Cell::new(1)]);
/// share(&c); // error: not `Sync`
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Tee<I: Iterator> {
    shared: Arc<Shared<State<I>>>,
    /// How many items this branch has taken from the shared state (into `cache` or out).
    position: usize,
    /// Items taken from the shared buffer in one go (they were read from the source already),
    /// not yet given out: reading a buffered run costs one lock, not one per item.
    cache: VecDeque<I::Item>,
}

/// How many buffered items a branch takes at once.
const CACHE: usize = 64;

fn shared<I: Iterator>(iter: I, branches: usize) -> Arc<Shared<State<I>>> {
    Arc::new(Shared::new(
        State {
            iter,
            buffer: VecDeque::new(),
            start: 0,
            branches,
        },
        "tee()",
    ))
}

/// `n` independent iterators over the items of `iterable` (Python's
/// `itertools.tee(iterable, n)`). See [`Tee`].
///
/// ```
/// use cogen::iter::tee;
///
/// // Python: [list(t) for t in tee('abc', 3)]
/// let copies: Vec<String> = tee("abc".chars(), 3).into_iter().map(String::from_iter).collect();
/// assert_eq!(copies, ["abc", "abc", "abc"]);
/// assert!(tee(0..3, 0).is_empty());
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub fn tee<I>(iterable: I, n: usize) -> Vec<Tee<I::IntoIter>>
where
    I: IntoIterator,
    I::Item: Clone,
{
    let shared = shared(iterable.into_iter(), n);
    (0..n)
        .map(|_| Tee {
            shared: Arc::clone(&shared),
            position: 0,
            cache: VecDeque::new(),
        })
        .collect()
}

/// `N` independent iterators over the items of `iterable`, as an array (Python's
/// `a, b = itertools.tee(iterable)`). See [`Tee`].
///
/// ```
/// use cogen::iter::tee_array;
///
/// // Python: a, b = tee(range(4)); list(a), list(b)
/// let [a, b] = tee_array(0..4);
/// assert_eq!(a.sum::<i32>(), 6);
/// assert_eq!(b.collect::<Vec<_>>(), [0, 1, 2, 3]);
/// // When the count cannot be inferred, name it (and `_` for the iterable's type):
/// assert_eq!(tee_array::<3, _>("xy".chars()).len(), 3);
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub fn tee_array<const N: usize, I>(iterable: I) -> [Tee<I::IntoIter>; N]
where
    I: IntoIterator,
    I::Item: Clone,
{
    let shared = shared(iterable.into_iter(), N);
    core::array::from_fn(|_| Tee {
        shared: Arc::clone(&shared),
        position: 0,
        cache: VecDeque::new(),
    })
}

/// Moves up to [`CACHE`] items buffered for a branch at `position` into its cache, and gives
/// the first. Every item taken goes into the cache before the next is cloned, so a clone that
/// panics here loses nothing the branch has taken. (Out of line and cold: it runs once per run
/// of up to 64 items, and `next` stays small.)
#[cold]
#[inline(never)]
fn refill<I>(
    state: &mut State<I>,
    position: &mut usize,
    cache: &mut VecDeque<I::Item>,
) -> Option<I::Item>
where
    I: Iterator,
    I::Item: Clone,
{
    let buffered = state.start + state.buffer.len() - *position;
    for _ in 0..buffered.min(CACHE) {
        let Some(item) = state.take(*position) else {
            break;
        };
        *position += 1;
        cache.push_back(item);
    }
    cache.pop_front()
}

impl<I> Iterator for Tee<I>
where
    I: Iterator,
    I::Item: Clone,
{
    type Item = I::Item;

    #[inline(always)]
    fn next(&mut self) -> Option<I::Item> {
        if let Some(item) = self.cache.pop_front() {
            return Some(item);
        }
        let mut state = self.shared.lock();
        if state.start + state.buffer.len() > self.position + 1 {
            // More than one item is buffered for this branch: take a run of them now, under the
            // same lock.
            return refill(&mut state, &mut self.position, &mut self.cache);
        }
        let item = state.take(self.position)?;
        self.position += 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let state = self.shared.lock();
        let buffered = state.start + state.buffer.len() - self.position + self.cache.len();
        let (low, high) = state.iter.size_hint();
        (
            low.saturating_add(buffered),
            high.and_then(|high| high.checked_add(buffered)),
        )
    }

    #[inline]
    fn fold<B, F>(mut self, init: B, mut f: F) -> B
    where
        F: FnMut(B, I::Item) -> B,
    {
        let Tee {
            shared,
            position,
            cache,
        } = &mut self;
        let mut acc = init;
        while let Some(item) = cache.pop_front() {
            acc = f(acc, item);
        }
        let mut state = shared.lock();
        loop {
            if state.branches == 1 && state.buffer.is_empty() {
                // The only branch left, at the front: the source's own loop, nothing buffered.
                // Should `f` panic, `start` and `position` stay behind together, which is
                // harmless: this branch, the only one, is being dropped.
                let mut read = 0;
                let acc = state.iter.by_ref().fold(acc, |acc, item| {
                    read += 1;
                    f(acc, item)
                });
                state.start += read;
                *position += read;
                return acc;
            }
            match state.take(*position) {
                Some(item) => {
                    *position += 1;
                    acc = f(acc, item);
                }
                None => return acc,
            }
        }
    }
}

impl<I> ExactSizeIterator for Tee<I>
where
    I: ExactSizeIterator,
    I::Item: Clone,
{
}

impl<I> FusedIterator for Tee<I>
where
    I: FusedIterator,
    I::Item: Clone,
{
}

impl<I> Clone for Tee<I>
where
    I: Iterator,
    I::Item: Clone,
{
    /// A new branch at this one's position (Python's `copy(t)`).
    fn clone(&self) -> Self {
        // The items' clones first: should one panic, no count has been raised for a branch
        // that never came to be.
        let cache = self.cache.clone();
        let mut state = self.shared.lock();
        state.branches += 1;
        let index = self.position - state.start;
        for (_, readers) in state.buffer.range_mut(index..) {
            *readers += 1;
        }
        Tee {
            shared: Arc::clone(&self.shared),
            position: self.position,
            cache,
        }
    }
}

impl<I: Iterator> Drop for Tee<I> {
    fn drop(&mut self) {
        let Some(mut state) = self.shared.lock_unless_reentrant() else {
            return;
        };
        let state = &mut *state;
        state.branches -= 1;
        let index = self.position - state.start;
        for (_, readers) in state.buffer.range_mut(index..) {
            *readers -= 1;
        }
        while state
            .buffer
            .front()
            .is_some_and(|(_, readers)| *readers == 0)
        {
            let freed = state.buffer.pop_front();
            // Counted before the item's destructor runs: should it panic, the state is whole.
            state.start += 1;
            drop(freed);
        }
    }
}

impl<I: Iterator> fmt::Debug for Tee<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tee")
            .field("position", &(self.position - self.cache.len()))
            .finish_non_exhaustive()
    }
}
