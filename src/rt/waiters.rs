//! The waiters of asyncio's locks and queues: a FIFO of tasks, each either still waiting or
//! woken ("done", as the future asyncio parks a waiter on is done once its result is set).
//!
//! asyncio's primitives keep a deque of futures and decide, at each release, which of them to
//! set; a woken task then runs its own bookkeeping when the loop gets to it, and a task
//! cancelled after it was woken hands its turn on. [`WaitList`] is that deque with wakers in
//! place of futures, so that `locks.rs` and `queues.rs` follow CPython's algorithms step by
//! step, with the same order of events; its users keep it under their own mutex.

use std::collections::VecDeque;
use std::task::{Poll, Waker};

/// One waiting task.
struct Waiter {
    id: u64,
    /// Woken: the task will find its turn when it next runs (CPython: `fut.done()`).
    done: bool,
    waker: Waker,
}

/// A FIFO of waiting tasks. Ids are never reused, so a stale id finds nothing.
#[derive(Default)]
pub(crate) struct WaitList {
    waiters: VecDeque<Waiter>,
    next_id: u64,
}

impl WaitList {
    /// Adds a waiting task at the back; its id.
    pub(crate) fn push(&mut self, waker: &Waker) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.waiters.push_back(Waiter {
            id,
            done: false,
            waker: waker.clone(),
        });
        id
    }

    /// Whether waiter `id` was woken: `None` if it is no longer in the list (popped by
    /// [`wake_pop_front`](Self::wake_pop_front), which wakes it, or removed).
    #[cfg(test)]
    fn is_done(&self, id: u64) -> Option<bool> {
        let waiter = self.waiters.iter().find(|waiter| waiter.id == id)?;
        Some(waiter.done)
    }

    /// A waiting future's poll: `Ready` if waiter `id` was woken, which leaves the list now
    /// (if it was marked woken) or has left it (popped by
    /// [`wake_pop_front`](Self::wake_pop_front)); `Pending` otherwise, `waker` being the one
    /// to wake it from now on (cloned only if it wakes another task than the one kept).
    pub(crate) fn poll_woken(&mut self, id: u64, waker: &Waker) -> Poll<()> {
        match self.waiters.iter().position(|waiter| waiter.id == id) {
            Some(index) if self.waiters[index].done => {
                self.waiters.remove(index);
                Poll::Ready(())
            }
            Some(index) => {
                self.waiters[index].waker.clone_from(waker);
                Poll::Pending
            }
            None => Poll::Ready(()),
        }
    }

    /// Takes waiter `id` out of the list; whether it had been woken (`None`: not there).
    pub(crate) fn remove(&mut self, id: u64) -> Option<bool> {
        let index = self.waiters.iter().position(|waiter| waiter.id == id)?;
        self.waiters.remove(index).map(|waiter| waiter.done)
    }

    /// Wakes the first waiter unless it is already woken (CPython's `Lock._wake_up_first`).
    pub(crate) fn wake_first(&mut self) {
        if let Some(first) = self.waiters.front_mut() {
            if !first.done {
                first.done = true;
                first.waker.wake_by_ref();
            }
        }
    }

    /// Wakes the first waiter not yet woken; false if there is none (CPython's
    /// `Semaphore._wake_up_next`).
    pub(crate) fn wake_next(&mut self) -> bool {
        match self.waiters.iter_mut().find(|waiter| !waiter.done) {
            Some(waiter) => {
                waiter.done = true;
                waiter.waker.wake_by_ref();
                true
            }
            None => false,
        }
    }

    /// Wakes up to `n` waiters not yet woken, first come first (`Condition.notify(n)`).
    pub(crate) fn wake_up_to(&mut self, n: usize) {
        for waiter in self
            .waiters
            .iter_mut()
            .filter(|waiter| !waiter.done)
            .take(n)
        {
            waiter.done = true;
            waiter.waker.wake_by_ref();
        }
    }

    /// Wakes every waiter not yet woken (`Event.set`, `Condition.notify_all`).
    pub(crate) fn wake_all(&mut self) {
        self.wake_up_to(usize::MAX);
    }

    /// Takes the first waiter off and wakes it (CPython's `Queue._wakeup_next`, whose waiters
    /// leave the deque as they are woken). For the lists whose waiters are only ever woken so
    /// (a queue's getters and putters): none of them is marked woken and left in.
    pub(crate) fn wake_pop_front(&mut self) {
        if let Some(waiter) = self.waiters.pop_front() {
            debug_assert!(!waiter.done, "a list woken by popping has no woken waiter");
            waiter.waker.wake();
        }
    }

    /// Takes every waiter off, waking each (`Queue.shutdown`), first first.
    pub(crate) fn wake_pop_all(&mut self) {
        while !self.waiters.is_empty() {
            self.wake_pop_front();
        }
    }

    /// Whether the list holds any waiter, woken or not.
    pub(crate) fn is_empty(&self) -> bool {
        self.waiters.is_empty()
    }

    /// How many waiters the list holds.
    pub(crate) fn len(&self) -> usize {
        self.waiters.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn counter() -> (Arc<Count>, Waker) {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        (count.clone(), Waker::from(count))
    }

    #[test]
    fn wakes_in_order_and_once() {
        let (count, waker) = counter();
        let mut list = WaitList::default();
        let a = list.push(&waker);
        let b = list.push(&waker);
        let c = list.push(&waker);
        list.wake_first();
        list.wake_first(); // a is woken already: nothing more
        assert_eq!(count.0.load(Ordering::Relaxed), 1);
        assert_eq!(
            (list.is_done(a), list.is_done(b), list.is_done(c)),
            (Some(true), Some(false), Some(false))
        );
        assert!(list.wake_next()); // b
        list.wake_up_to(5); // c only
        assert!(!list.wake_next());
        assert_eq!(count.0.load(Ordering::Relaxed), 3);
        assert_eq!(list.remove(b), Some(true));
        assert_eq!(list.remove(b), None);
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn popping_wakes_in_order() {
        let (count, waker) = counter();
        let mut list = WaitList::default();
        let a = list.push(&waker);
        let b = list.push(&waker);
        let c = list.push(&waker);
        list.wake_pop_front(); // pops a, wakes it
        assert_eq!((list.is_done(a), list.is_done(b)), (None, Some(false)));
        assert_eq!(count.0.load(Ordering::Relaxed), 1);
        list.wake_pop_front(); // b
        assert_eq!((list.is_done(b), list.is_done(c)), (None, Some(false)));
        assert_eq!(count.0.load(Ordering::Relaxed), 2);
        list.wake_pop_all();
        assert!(list.is_empty());
        assert_eq!(count.0.load(Ordering::Relaxed), 3);
    }

    #[test]
    fn poll_woken_takes_a_woken_waiter_off_and_keeps_a_waiting_one() {
        let (count, waker) = counter();
        let (other_count, other) = counter();
        let mut list = WaitList::default();
        let a = list.push(&waker);
        let b = list.push(&waker);
        let c = list.push(&waker);
        // Still waiting: the new waker is kept, and is the one woken.
        assert_eq!(list.poll_woken(a, &other), Poll::Pending);
        list.wake_first();
        assert_eq!(
            (
                count.0.load(Ordering::Relaxed),
                other_count.0.load(Ordering::Relaxed)
            ),
            (0, 1)
        );
        // Woken: it leaves the list.
        assert_eq!(list.poll_woken(a, &waker), Poll::Ready(()));
        assert_eq!((list.is_done(a), list.len()), (None, 2));
        // Popped (woken by popping): already off the list.
        list.wake_pop_front();
        assert_eq!(list.poll_woken(b, &waker), Poll::Ready(()));
        assert_eq!(list.poll_woken(c, &waker), Poll::Pending);
        assert_eq!(list.len(), 1);
    }
}
