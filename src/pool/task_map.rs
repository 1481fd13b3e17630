//! `executor.map(task, iterable, chunksize)` for any [`Executor`]: chunks of items in flight,
//! a bounded number at a time, results in input order.

use std::collections::VecDeque;
use std::fmt;
use std::iter::FusedIterator;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::future::{FutureError, PoolFuture};
use super::task::{ChunkResults, Executor, SubmitError, Task};

/// A chunk submitted, or refused (its items each yield the error).
enum Chunk<R> {
    Submitted(PoolFuture<ChunkResults<R>>, usize),
    Refused(FutureError, usize),
}

/// The iterator [`Executor::map_task`] returns (and
/// [`ProcessPoolExecutor::map`](super::ProcessPoolExecutor::map)): one result per item, in
/// input order.
///
/// Dropping it cancels the chunks not yet sent to a worker.
///
/// ```
/// use cogen::pool::{Executor, Task, ThreadPoolExecutor};
///
/// const LEN: Task<String, usize> = Task::new("len", |word: String| word.len());
/// let pool = ThreadPoolExecutor::with_max_workers(2);
/// let words = ["a", "bb", "ccc"].map(String::from);
/// let lengths: Vec<_> = pool.map_task(LEN, words, 2).unwrap().collect();
/// assert_eq!(lengths, [Ok(1), Ok(2), Ok(3)]);
/// ```
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct TaskMap<'a, E, I, A, R> {
    executor: &'a E,
    task: Task<A, R>,
    /// `None` once exhausted, refused, or stopped by a timeout.
    source: Option<I>,
    chunksize: usize,
    buffer: usize,
    in_flight: VecDeque<Chunk<R>>,
    /// The results of the chunk being yielded.
    current: std::vec::IntoIter<Result<R, FutureError>>,
    /// A failed chunk: its error, yielded this many more times.
    repeat: Option<(FutureError, usize)>,
    started: Instant,
    deadline: Option<Instant>,
}

impl<'a, E, I, A, R> TaskMap<'a, E, I, A, R>
where
    E: Executor,
    I: Iterator<Item = A>,
    A: Serialize + DeserializeOwned + Send + 'static,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    pub(crate) fn new(
        executor: &'a E,
        task: Task<A, R>,
        source: I,
        chunksize: usize,
        buffer: usize,
    ) -> Result<Self, SubmitError> {
        assert!(chunksize >= 1, "map: chunksize must be >= 1");
        let mut map = TaskMap {
            executor,
            task,
            source: Some(source),
            chunksize,
            buffer,
            in_flight: VecDeque::new(),
            current: Vec::new().into_iter(),
            repeat: None,
            started: Instant::now(),
            deadline: None,
        };
        // As Python's map: the work starts now, and a task the executor refuses is an error
        // of the call itself.
        if let Some(chunk) = map.next_chunk() {
            let len = chunk.len();
            let future = executor.submit_chunk(task, chunk)?;
            map.in_flight.push_back(Chunk::Submitted(future, len));
        }
        map.fill();
        Ok(map)
    }

    fn next_chunk(&mut self) -> Option<Vec<A>> {
        let source = self.source.as_mut()?;
        let chunk: Vec<A> = source.by_ref().take(self.chunksize).collect();
        if chunk.len() < self.chunksize {
            self.source = None;
        }
        (!chunk.is_empty()).then_some(chunk)
    }

    fn fill(&mut self) {
        while self.in_flight.len() < self.buffer {
            let Some(chunk) = self.next_chunk() else {
                return;
            };
            let len = chunk.len();
            match self.executor.submit_chunk(self.task, chunk) {
                Ok(future) => self.in_flight.push_back(Chunk::Submitted(future, len)),
                Err(error) => {
                    self.source = None;
                    self.in_flight
                        .push_back(Chunk::Refused(error.into_future_error(), len));
                    return;
                }
            }
        }
    }

    /// Limits the whole iteration to `timeout` from the call to `map`, as Python's
    /// `timeout=` does: when it runs out, the iterator yields `Err(FutureError::TimedOut)`,
    /// cancels the chunks not yet started, and ends.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::pool::{Executor, FutureError, Task, ThreadPoolExecutor};
    ///
    /// const NAP: Task<u64, ()> =
    ///     Task::new("nap", |ms| std::thread::sleep(Duration::from_millis(ms)));
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let results: Vec<_> = pool
    ///     .map_task(NAP, [0, 500], 1)
    ///     .unwrap()
    ///     .timeout(Duration::from_millis(100))
    ///     .collect();
    /// assert_eq!(results, [Ok(()), Err(FutureError::TimedOut)]);
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.deadline = self.started.checked_add(timeout);
        self
    }
}

impl<E, I, A, R> TaskMap<'_, E, I, A, R> {
    fn stop(&mut self) {
        self.source = None;
        for chunk in self.in_flight.drain(..) {
            if let Chunk::Submitted(future, _) = chunk {
                future.cancel();
            }
        }
    }
}

impl<E, I, A, R> Iterator for TaskMap<'_, E, I, A, R>
where
    E: Executor,
    I: Iterator<Item = A>,
    A: Serialize + DeserializeOwned + Send + 'static,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    type Item = Result<R, FutureError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(result) = self.current.next() {
                return Some(result);
            }
            if let Some((error, left)) = &mut self.repeat {
                if *left > 0 {
                    *left -= 1;
                    return Some(Err(error.clone()));
                }
                self.repeat = None;
            }
            // One more chunk goes out before we wait, as in CPython 3.14's buffered map.
            self.fill();
            match self.in_flight.pop_front()? {
                Chunk::Refused(error, len) => self.repeat = Some((error, len)),
                Chunk::Submitted(future, len) => match future.join_until(self.deadline) {
                    Ok(Ok(results)) => self.current = results.into_iter(),
                    Ok(Err(error)) => self.repeat = Some((error, len)),
                    Err(future) => {
                        future.cancel();
                        self.stop();
                        return Some(Err(FutureError::TimedOut));
                    }
                },
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let queued: usize = self
            .in_flight
            .iter()
            .map(|chunk| match chunk {
                Chunk::Submitted(_, len) | Chunk::Refused(_, len) => *len,
            })
            .sum();
        let known = self.current.len() + self.repeat.as_ref().map_or(0, |(_, left)| *left) + queued;
        let lower = if self.deadline.is_some() {
            known.min(1)
        } else {
            known
        };
        let upper = match &self.source {
            None => Some(known),
            Some(source) => source
                .size_hint()
                .1
                .and_then(|upper| upper.checked_add(known)),
        };
        (lower, upper)
    }
}

impl<E, I, A, R> FusedIterator for TaskMap<'_, E, I, A, R>
where
    E: Executor,
    I: Iterator<Item = A>,
    A: Serialize + DeserializeOwned + Send + 'static,
    R: Serialize + DeserializeOwned + Send + 'static,
{
}

impl<E, I, A, R> Drop for TaskMap<'_, E, I, A, R> {
    fn drop(&mut self) {
        self.stop();
    }
}

impl<E, I, A, R> fmt::Debug for TaskMap<'_, E, I, A, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskMap")
            .field("task", &self.task)
            .field("chunksize", &self.chunksize)
            .field("chunks_in_flight", &self.in_flight.len())
            .field("exhausted", &self.source.is_none())
            .finish()
    }
}
