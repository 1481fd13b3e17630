//! `wait` and `as_completed`: block on many futures at once.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use super::future::{Completion, PoolFuture, deadline_after};
use super::waiter::Waiter;

/// When [`wait`] returns: Python's `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`.
///
/// ```
/// use cogen::pool::{ReturnWhen, ThreadPoolExecutor, wait};
///
/// let pool = ThreadPoolExecutor::with_max_workers(2);
/// let futures = vec![pool.submit(|| 1).unwrap(), pool.submit(|| 2).unwrap()];
/// let waited = wait(futures, None, ReturnWhen::FirstCompleted);
/// assert!(!waited.done.is_empty());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ReturnWhen {
    /// As soon as any future finishes or is cancelled.
    FirstCompleted,
    /// As soon as any future panics (Python: raises); if none does, when all are done.
    FirstException,
    /// When every future is done (the default, as in Python).
    #[default]
    AllCompleted,
}

/// What [`wait`] gives back: Python's `DoneAndNotDoneFutures(done, not_done)`.
///
/// Each list keeps the order the futures were passed in.
///
/// ```
/// use cogen::pool::{ReturnWhen, ThreadPoolExecutor, Waited, wait};
///
/// let pool = ThreadPoolExecutor::with_max_workers(2);
/// let futures: Vec<_> = (1..=3).map(|n| pool.submit(move || n * 10).unwrap()).collect();
/// let Waited { done, not_done } = wait(&futures, None, ReturnWhen::AllCompleted);
/// assert_eq!(done.len(), 3);
/// assert!(not_done.is_empty());
/// ```
#[derive(Debug)]
pub struct Waited<F> {
    /// The futures that finished or were cancelled.
    pub done: Vec<F>,
    /// The futures still pending or running.
    pub not_done: Vec<F>,
}

/// Blocks until `return_when` holds for `futures` or `timeout` runs out, and splits them into
/// done and not done: Python's `concurrent.futures.wait(fs, timeout, return_when)`.
///
/// Pass the handles by value (they come back in [`Waited`]) or by reference. Duplicates are
/// counted once, as Python's sets do. The thread sleeps until a future completes (no polling);
/// the cost is O(n) for n futures. A timeout is not an error: the futures still running are
/// in `not_done`.
///
/// ```
/// use std::time::Duration;
/// use cogen::pool::{ReturnWhen, ThreadPoolExecutor, wait};
///
/// let pool = ThreadPoolExecutor::with_max_workers(2);
/// let quick = pool.submit(|| "quick").unwrap();
/// let slow = pool.submit(|| std::thread::sleep(Duration::from_millis(300))).unwrap();
/// let waited = wait([&quick], Duration::from_secs(5), ReturnWhen::AllCompleted);
/// assert_eq!(waited.done.len(), 1);
/// let waited = wait([&slow], Duration::from_millis(10), ReturnWhen::AllCompleted);
/// assert_eq!(waited.not_done.len(), 1); // timed out; the task goes on
/// ```
pub fn wait<T, F>(
    futures: impl IntoIterator<Item = F>,
    timeout: impl Into<Option<Duration>>,
    return_when: ReturnWhen,
) -> Waited<F>
where
    F: Borrow<PoolFuture<T>>,
{
    let deadline = deadline_after(timeout.into());
    let futures = deduplicate(futures);
    let waiter = watch(&futures);
    let total = futures.len();
    let mut completed = 0;
    let mut raised = false;
    let mut queue = waiter.lock();
    loop {
        while let Some((_, completion)) = queue.ready.pop_front() {
            completed += 1;
            raised |= completion == Completion::Raised;
        }
        let satisfied = match return_when {
            ReturnWhen::FirstCompleted => completed > 0,
            ReturnWhen::FirstException => raised,
            ReturnWhen::AllCompleted => false,
        };
        if satisfied || completed == total {
            break;
        }
        let (relocked, in_time) = waiter.sleep(queue, deadline);
        queue = relocked;
        if !in_time {
            break;
        }
    }
    drop(queue);
    waiter.abandon();
    let mut waited = Waited {
        done: Vec::new(),
        not_done: Vec::new(),
    };
    for future in futures {
        let handle = future.borrow();
        handle.shared().remove_waiter(&waiter);
        if handle.done() {
            waited.done.push(future);
        } else {
            waited.not_done.push(future);
        }
    }
    waited
}

/// One waiter registered with every future, which hears of each completion under the
/// future's index (at once for those already complete).
fn watch<T, F: Borrow<PoolFuture<T>>>(futures: &[F]) -> Arc<Waiter> {
    let waiter = Arc::new(Waiter::new());
    for (index, future) in futures.iter().enumerate() {
        if let Some(completion) = future.borrow().shared().add_waiter(&waiter, index) {
            waiter.notify(index, completion);
        }
    }
    waiter
}

/// Keeps the first of any handles that refer to the same future.
fn deduplicate<T, F: Borrow<PoolFuture<T>>>(futures: impl IntoIterator<Item = F>) -> Vec<F> {
    let futures: Vec<F> = futures.into_iter().collect();
    let mut seen = HashSet::with_capacity(futures.len());
    if futures
        .iter()
        .all(|future| seen.insert(Arc::as_ptr(future.borrow().shared())))
    {
        return futures;
    }
    seen.clear();
    futures
        .into_iter()
        .filter(|future| seen.insert(Arc::as_ptr(future.borrow().shared())))
        .collect()
}

/// Yields `futures` as they complete (finish or are cancelled), each once: Python's
/// `concurrent.futures.as_completed(fs, timeout)`.
///
/// Futures already done come first, in the order given. `timeout` counts from this call; when
/// it runs out, the iterator yields one `Err` carrying the futures still unfinished (nothing is
/// lost) and ends. The thread sleeps between completions; the whole iteration costs O(n).
///
/// ```
/// use cogen::pool::{ThreadPoolExecutor, as_completed};
///
/// let pool = ThreadPoolExecutor::with_max_workers(4);
/// let futures: Vec<_> = (1..=4u64).map(|n| pool.submit(move || n * n).unwrap()).collect();
/// let mut squares: Vec<u64> = as_completed(futures, None)
///     .map(|future| future.unwrap().join().unwrap())
///     .collect();
/// squares.sort();
/// assert_eq!(squares, [1, 4, 9, 16]);
/// ```
pub fn as_completed<T, F>(
    futures: impl IntoIterator<Item = F>,
    timeout: impl Into<Option<Duration>>,
) -> AsCompleted<T, F>
where
    F: Borrow<PoolFuture<T>>,
{
    let deadline = deadline_after(timeout.into());
    let futures = deduplicate(futures);
    let waiter = watch(&futures);
    AsCompleted {
        remaining: futures.len(),
        total: futures.len(),
        slots: futures.into_iter().map(Some).collect(),
        waiter,
        deadline,
        _result: PhantomData,
    }
}

/// The iterator [`as_completed`] returns.
///
/// ```
/// use cogen::pool::{ThreadPoolExecutor, as_completed};
///
/// let pool = ThreadPoolExecutor::with_max_workers(1);
/// let futures = [pool.submit(|| 'a').unwrap()];
/// let mut completed = as_completed(&futures, None);
/// assert_eq!(completed.len(), 1);
/// assert!(completed.next().unwrap().is_ok());
/// assert!(completed.next().is_none());
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct AsCompleted<T, F> {
    slots: Vec<Option<F>>,
    remaining: usize,
    total: usize,
    waiter: Arc<Waiter>,
    deadline: Option<std::time::Instant>,
    _result: PhantomData<fn() -> T>,
}

impl<T, F: Borrow<PoolFuture<T>>> Iterator for AsCompleted<T, F> {
    type Item = Result<F, AsCompletedTimeout<F>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let mut queue = self.waiter.lock();
        loop {
            if let Some((index, _)) = queue.ready.pop_front() {
                self.remaining -= 1;
                let future = self.slots[index].take().expect("a future completes once");
                return Some(Ok(future));
            }
            let (relocked, in_time) = self.waiter.sleep(queue, self.deadline);
            queue = relocked;
            if !in_time && queue.ready.is_empty() {
                drop(queue);
                self.waiter.abandon();
                self.remaining = 0;
                let unfinished: Vec<F> = self.slots.drain(..).flatten().collect();
                for future in &unfinished {
                    future.borrow().shared().remove_waiter(&self.waiter);
                }
                return Some(Err(AsCompletedTimeout {
                    unfinished,
                    total: self.total,
                }));
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T, F: Borrow<PoolFuture<T>>> ExactSizeIterator for AsCompleted<T, F> {}

impl<T, F: Borrow<PoolFuture<T>>> std::iter::FusedIterator for AsCompleted<T, F> {}

impl<T, F> Drop for AsCompleted<T, F> {
    fn drop(&mut self) {
        // The futures still registered drop this waiter the next time they are watched, or
        // when they complete.
        self.waiter.abandon();
    }
}

impl<T, F> fmt::Debug for AsCompleted<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsCompleted")
            .field("remaining", &self.remaining)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// [`as_completed`]'s timeout ran out: Python's `TimeoutError("N (of M) futures unfinished")`.
/// It carries the unfinished futures, which go on running.
///
/// ```
/// use std::time::Duration;
/// use cogen::pool::{ThreadPoolExecutor, as_completed};
///
/// let pool = ThreadPoolExecutor::with_max_workers(1);
/// let slow = pool.submit(|| std::thread::sleep(Duration::from_millis(200))).unwrap();
/// let timeout = as_completed([slow], Duration::from_millis(1))
///     .next()
///     .unwrap()
///     .unwrap_err();
/// assert_eq!(timeout.to_string(), "1 (of 1) futures unfinished");
/// let slow = timeout.into_unfinished().pop().unwrap();
/// slow.join().unwrap();
/// ```
#[derive(Debug)]
pub struct AsCompletedTimeout<F> {
    unfinished: Vec<F>,
    total: usize,
}

impl<F> AsCompletedTimeout<F> {
    /// The futures that had not completed, in the order given.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::pool::{ThreadPoolExecutor, as_completed};
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let slow = pool.submit(|| std::thread::sleep(Duration::from_millis(100))).unwrap();
    /// let mut completed = as_completed([&slow], Duration::ZERO);
    /// let timeout = completed.next().unwrap().unwrap_err();
    /// assert!(std::ptr::eq(timeout.unfinished()[0], &slow));
    /// ```
    pub fn unfinished(&self) -> &[F] {
        &self.unfinished
    }

    /// Takes the unfinished futures back.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::pool::{ThreadPoolExecutor, as_completed};
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let slow = pool.submit(|| std::thread::sleep(Duration::from_millis(100))).unwrap();
    /// let mut completed = as_completed([slow], Duration::ZERO);
    /// let unfinished = completed.next().unwrap().unwrap_err().into_unfinished();
    /// assert_eq!(unfinished.len(), 1);
    /// assert!(completed.next().is_none());
    /// ```
    pub fn into_unfinished(self) -> Vec<F> {
        self.unfinished
    }
}

impl<F> fmt::Display for AsCompletedTimeout<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (of {}) futures unfinished",
            self.unfinished.len(),
            self.total
        )
    }
}

impl<F: fmt::Debug> std::error::Error for AsCompletedTimeout<F> {}
