//! `executor.map`, lazily: a bounded number of tasks in flight over any iterator.

use std::collections::VecDeque;
use std::fmt;
use std::iter::FusedIterator;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::executor::Pool;
use super::future::{FutureError, PoolFuture};
use super::waiter::Waiter;

/// What both maps share: the pool, the function, the source and the time limit.
struct Feed<I, F> {
    pool: Arc<Pool>,
    function: Arc<F>,
    /// `None` once exhausted, or stopped by a timeout or a shutdown.
    source: Option<I>,
    buffer_size: usize,
    started: Instant,
    deadline: Option<Instant>,
    /// The pool refused a submission: yield one `FutureError::Shutdown` after the results
    /// already in flight, then end.
    refused: bool,
}

impl<I, F> Feed<I, F> {
    fn new(pool: Arc<Pool>, function: F, source: I, buffer_size: usize) -> Self {
        assert!(buffer_size > 0, "map: buffer_size must be at least 1");
        Feed {
            pool,
            function: Arc::new(function),
            source: Some(source),
            buffer_size,
            started: Instant::now(),
            deadline: None,
            refused: false,
        }
    }

    /// Submits the source's next item; `None` when there is none or the pool refused it.
    fn submit_next<X, T>(&mut self) -> Option<PoolFuture<T>>
    where
        I: Iterator<Item = X>,
        X: Send + 'static,
        F: Fn(X) -> T + Send + Sync + 'static,
        T: Send + 'static,
    {
        let source = self.source.as_mut()?;
        let Some(item) = source.next() else {
            self.source = None;
            return None;
        };
        let function = Arc::clone(&self.function);
        match self.pool.submit(move || function(item)) {
            Ok(future) => Some(future),
            Err(_) => {
                self.source = None;
                self.refused = true;
                None
            }
        }
    }

    fn take_refusal<T>(&mut self) -> Option<Result<T, FutureError>> {
        if std::mem::take(&mut self.refused) {
            Some(Err(FutureError::Shutdown))
        } else {
            None
        }
    }
}

impl<I, F> Feed<I, F>
where
    I: Iterator,
{
    fn size_hint(&self, in_flight: usize) -> (usize, Option<usize>) {
        // Every task in flight yields an item, unless a timeout cuts the run short after one.
        let lower = if self.deadline.is_some() {
            in_flight.min(1)
        } else {
            in_flight
        };
        let upper = match &self.source {
            None => Some(in_flight + usize::from(self.refused)),
            // One more for a possible `Shutdown` item.
            Some(source) => source
                .size_hint()
                .1
                .and_then(|upper| upper.checked_add(in_flight + 1)),
        };
        (lower, upper)
    }

    fn set_timeout(&mut self, timeout: Duration) {
        self.deadline = self.started.checked_add(timeout);
    }
}

/// The iterator [`ThreadPoolExecutor::map`](super::ThreadPoolExecutor::map) returns: results
/// in input order.
///
/// ```
/// use cogen::pool::ThreadPoolExecutor;
///
/// let executor = ThreadPoolExecutor::with_max_workers(2);
/// let results: Vec<_> = executor.map(|n: i32| 10 / n, [5, 2, 1]).collect();
/// assert_eq!(results, [Ok(2), Ok(5), Ok(10)]);
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Map<I, T, F> {
    feed: Feed<I, F>,
    in_flight: VecDeque<PoolFuture<T>>,
}

impl<I, X, T, F> Map<I, T, F>
where
    I: Iterator<Item = X>,
    X: Send + 'static,
    F: Fn(X) -> T + Send + Sync + 'static,
    T: Send + 'static,
{
    pub(crate) fn new(pool: Arc<Pool>, function: F, source: I, buffer_size: usize) -> Self {
        let mut map = Map {
            feed: Feed::new(pool, function, source, buffer_size),
            in_flight: VecDeque::with_capacity(buffer_size),
        };
        // As Python's map, start working now, not at the first `next`.
        map.fill();
        map
    }

    fn fill(&mut self) {
        while self.in_flight.len() < self.feed.buffer_size {
            match self.feed.submit_next() {
                Some(future) => self.in_flight.push_back(future),
                None => break,
            }
        }
    }

    /// Limits the whole iteration to `timeout` from the call to `map`, as Python's
    /// `executor.map(fn, iterable, timeout=...)` does. When it runs out, the iterator yields
    /// `Err(FutureError::TimedOut)`, cancels the tasks not yet started, and ends.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::pool::{FutureError, ThreadPoolExecutor};
    ///
    /// let executor = ThreadPoolExecutor::with_max_workers(1);
    /// let naps = [0, 500];
    /// let results: Vec<_> = executor
    ///     .map(|ms: u64| std::thread::sleep(Duration::from_millis(ms)), naps)
    ///     .timeout(Duration::from_millis(100))
    ///     .collect();
    /// assert_eq!(results, [Ok(()), Err(FutureError::TimedOut)]);
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.feed.set_timeout(timeout);
        self
    }

    fn stop(&mut self) {
        self.feed.source = None;
        for future in self.in_flight.drain(..) {
            future.cancel();
        }
    }
}

impl<I, X, T, F> Iterator for Map<I, T, F>
where
    I: Iterator<Item = X>,
    X: Send + 'static,
    F: Fn(X) -> T + Send + Sync + 'static,
    T: Send + 'static,
{
    type Item = Result<T, FutureError>;

    fn next(&mut self) -> Option<Self::Item> {
        let Some(oldest) = self.in_flight.pop_front() else {
            return self.feed.take_refusal();
        };
        // Top up before blocking, so the workers stay busy while we wait.
        self.fill();
        match oldest.join_until(self.feed.deadline) {
            Ok(outcome) => Some(outcome),
            Err(unfinished) => {
                unfinished.cancel();
                self.stop();
                Some(Err(FutureError::TimedOut))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.feed.size_hint(self.in_flight.len())
    }
}

impl<I, X, T, F> FusedIterator for Map<I, T, F>
where
    I: Iterator<Item = X>,
    X: Send + 'static,
    F: Fn(X) -> T + Send + Sync + 'static,
    T: Send + 'static,
{
}

impl<I, T, F> Drop for Map<I, T, F> {
    /// Cancels the tasks not yet started, as closing Python's `map` generator does.
    fn drop(&mut self) {
        for future in self.in_flight.drain(..) {
            future.cancel();
        }
    }
}

impl<I, T, F> fmt::Debug for Map<I, T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Map")
            .field("in_flight", &self.in_flight.len())
            .field("buffer_size", &self.feed.buffer_size)
            .field("source_exhausted", &self.feed.source.is_none())
            .field("deadline", &self.feed.deadline)
            .finish_non_exhaustive()
    }
}

/// The iterator [`ThreadPoolExecutor::map_unordered`](super::ThreadPoolExecutor::map_unordered)
/// returns: results in completion order.
///
/// ```
/// use std::time::Duration;
/// use cogen::pool::ThreadPoolExecutor;
///
/// let executor = ThreadPoolExecutor::with_max_workers(2);
/// let naps = [300u64, 0];
/// let first = executor
///     .map_unordered(|ms: u64| { std::thread::sleep(Duration::from_millis(ms)); ms }, naps)
///     .next();
/// assert_eq!(first, Some(Ok(0))); // the short nap finished first
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct MapUnordered<I, T, F> {
    feed: Feed<I, F>,
    /// Tasks in flight, at the index their completions are reported under.
    slots: Vec<Option<PoolFuture<T>>>,
    free: Vec<usize>,
    in_flight: usize,
    waiter: Arc<Waiter>,
}

impl<I, X, T, F> MapUnordered<I, T, F>
where
    I: Iterator<Item = X>,
    X: Send + 'static,
    F: Fn(X) -> T + Send + Sync + 'static,
    T: Send + 'static,
{
    pub(crate) fn new(pool: Arc<Pool>, function: F, source: I, buffer_size: usize) -> Self {
        let mut map = MapUnordered {
            feed: Feed::new(pool, function, source, buffer_size),
            slots: Vec::with_capacity(buffer_size),
            free: Vec::new(),
            in_flight: 0,
            waiter: Arc::new(Waiter::new()),
        };
        map.fill();
        map
    }

    fn fill(&mut self) {
        while self.in_flight < self.feed.buffer_size {
            let Some(future) = self.feed.submit_next() else {
                break;
            };
            let index = self.free.pop().unwrap_or_else(|| {
                self.slots.push(None);
                self.slots.len() - 1
            });
            if let Some(completion) = future.shared().add_waiter(&self.waiter, index) {
                self.waiter.notify(index, completion);
            }
            self.slots[index] = Some(future);
            self.in_flight += 1;
        }
    }

    /// Limits the whole iteration to `timeout` from the call to `map_unordered`; see
    /// [`Map::timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::pool::{FutureError, ThreadPoolExecutor};
    ///
    /// let executor = ThreadPoolExecutor::with_max_workers(1);
    /// let results: Vec<_> = executor
    ///     .map_unordered(|ms: u64| std::thread::sleep(Duration::from_millis(ms)), [500])
    ///     .timeout(Duration::from_millis(50))
    ///     .collect();
    /// assert_eq!(results, [Err(FutureError::TimedOut)]);
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.feed.set_timeout(timeout);
        self
    }

    fn stop(&mut self) {
        self.feed.source = None;
        self.waiter.abandon();
        self.in_flight = 0;
        for future in self.slots.drain(..).flatten() {
            future.cancel();
        }
    }
}

impl<I, X, T, F> Iterator for MapUnordered<I, T, F>
where
    I: Iterator<Item = X>,
    X: Send + 'static,
    F: Fn(X) -> T + Send + Sync + 'static,
    T: Send + 'static,
{
    type Item = Result<T, FutureError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.in_flight == 0 {
            return self.feed.take_refusal();
        }
        let mut queue = self.waiter.lock();
        let index = loop {
            if let Some((index, _)) = queue.ready.pop_front() {
                break index;
            }
            let (relocked, in_time) = self.waiter.sleep(queue, self.feed.deadline);
            queue = relocked;
            if !in_time && queue.ready.is_empty() {
                drop(queue);
                self.stop();
                return Some(Err(FutureError::TimedOut));
            }
        };
        drop(queue);
        let future = self.slots[index].take().expect("a task completes once");
        self.free.push(index);
        self.in_flight -= 1;
        self.fill();
        Some(future.join())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.feed.size_hint(self.in_flight)
    }
}

impl<I, X, T, F> FusedIterator for MapUnordered<I, T, F>
where
    I: Iterator<Item = X>,
    X: Send + 'static,
    F: Fn(X) -> T + Send + Sync + 'static,
    T: Send + 'static,
{
}

impl<I, T, F> Drop for MapUnordered<I, T, F> {
    /// Cancels the tasks not yet started.
    fn drop(&mut self) {
        self.waiter.abandon();
        for future in self.slots.drain(..).flatten() {
            future.cancel();
        }
    }
}

impl<I, T, F> fmt::Debug for MapUnordered<I, T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MapUnordered")
            .field("in_flight", &self.in_flight)
            .field("buffer_size", &self.feed.buffer_size)
            .field("source_exhausted", &self.feed.source.is_none())
            .field("deadline", &self.feed.deadline)
            .finish_non_exhaustive()
    }
}
