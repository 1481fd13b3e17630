//! The thread-pool executor: Python's `concurrent.futures.ThreadPoolExecutor`.

use std::cell::Cell;
use std::collections::VecDeque;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};

use super::future::{FutureError, PoolFuture, Shared};
use super::map::{Map, MapUnordered};
use super::panic::Panic;

/// A queued task, with its result type erased.
trait Job: Send {
    /// Runs the task unless it was cancelled, and completes its future.
    fn run(self: Box<Self>);
    /// Cancels the task's future (shutdown with `cancel_futures`).
    fn cancel(self: Box<Self>);
}

struct Task<F, T> {
    work: F,
    shared: Arc<Shared<T>>,
}

impl<F, T> Job for Task<F, T>
where
    F: FnOnce() -> T + Send,
    T: Send,
{
    fn run(self: Box<Self>) {
        let Task { work, shared } = *self;
        if !shared.set_running() {
            return;
        }
        let outcome = panic::catch_unwind(AssertUnwindSafe(work))
            .map_err(|payload| FutureError::Panicked(Panic::from_payload(payload)));
        shared.finish(outcome);
    }

    fn cancel(self: Box<Self>) {
        self.shared.cancel();
    }
}

struct Queue {
    jobs: VecDeque<Box<dyn Job>>,
    shutdown: bool,
    /// Worker threads started (or being started) and not yet exited.
    workers: usize,
    /// Workers asleep on `work` that no submit has claimed yet.
    idle: usize,
    /// Wake-ups sent to claimed idle workers and not yet received.
    wakeups: usize,
    /// Workers watching for work before they park; each will take one queued job, so `push`
    /// wakes nobody for those.
    spinning: usize,
    /// Tasks of this pool blocked in `shutdown(wait = true)`: the others wait for every
    /// worker but these, so that two such tasks do not wait for each other.
    shutting_down_workers: usize,
}

pub(crate) struct Pool {
    queue: Mutex<Queue>,
    /// Signalled when a job arrives (one idle worker) or at shutdown (all).
    work: Condvar,
    /// Signalled when the last worker exits.
    exited: Condvar,
    max_workers: usize,
    /// At most this many idle workers spin at once, so that spinning never crowds out the
    /// threads doing work.
    max_spinning: usize,
    /// `queue.jobs.len()`, readable without the lock by spinning workers.
    queued: AtomicUsize,
    threads: Mutex<Vec<JoinHandle<()>>>,
    name_prefix: String,
}

/// How long an idle worker watches the queue before it parks, in rounds (three quarters
/// spinning, the rest yielding the CPU): tiny tasks submitted back to back are picked up
/// without a futex wake-up and a context switch each.
const SPIN_ROUNDS: u32 = 64;

thread_local! {
    /// The pool whose worker this thread is, so that shutdown from inside a task does not wait
    /// for itself.
    static WORKER_OF: Cell<*const Pool> = const { Cell::new(std::ptr::null()) };
}

impl Pool {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // Only our own code runs under this lock, and it does not panic there.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a job, waking an idle worker or starting a new one (up to the maximum), as
    /// CPython's `_adjust_thread_count` does. Gives the job back after shutdown.
    fn push(self: &Arc<Self>, job: Box<dyn Job>) -> Result<(), Box<dyn Job>> {
        let mut queue = self.lock();
        if queue.shutdown {
            return Err(job);
        }
        queue.jobs.push_back(job);
        self.queued.store(queue.jobs.len(), Ordering::Relaxed);
        if queue.jobs.len() <= queue.spinning {
            // A spinning worker takes it.
            return Ok(());
        }
        if queue.idle > 0 {
            queue.idle -= 1;
            queue.wakeups += 1;
            drop(queue);
            self.work.notify_one();
        } else if queue.workers < self.max_workers {
            queue.workers += 1;
            let number = queue.workers - 1;
            drop(queue);
            self.start_worker(number);
        }
        Ok(())
    }

    fn start_worker(self: &Arc<Self>, number: usize) {
        let pool = Arc::clone(self);
        // Held from the spawn to the push, so that a shutdown that saw this worker exit also
        // finds its handle to join.
        let mut threads = self.threads.lock().unwrap_or_else(PoisonError::into_inner);
        let spawned = thread::Builder::new()
            .name(format!("{}_{number}", self.name_prefix))
            .spawn(move || pool.work_loop());
        match spawned {
            Ok(handle) => threads.push(handle),
            Err(error) => {
                drop(threads);
                let mut queue = self.lock();
                queue.workers -= 1;
                self.exited.notify_all();
                // With no worker at all, queued tasks would wait forever: fail loudly, as
                // `std::thread::spawn` does.
                assert!(
                    queue.workers > 0,
                    "ThreadPoolExecutor: cannot start a worker thread: {error}"
                );
            }
        }
    }

    fn work_loop(self: Arc<Self>) {
        WORKER_OF.with(|worker_of| worker_of.set(Arc::as_ptr(&self)));
        let mut queue = self.lock();
        loop {
            if let Some(job) = queue.jobs.pop_front() {
                self.queued.store(queue.jobs.len(), Ordering::Relaxed);
                drop(queue);
                // A task's panic is caught by the job itself; this catches what is left (a
                // panicking destructor of a cancelled task's closure), so the worker survives.
                let _ = panic::catch_unwind(AssertUnwindSafe(|| job.run()));
                queue = self.lock();
                continue;
            }
            if queue.shutdown {
                break;
            }
            if queue.spinning < self.max_spinning {
                queue.spinning += 1;
                drop(queue);
                self.spin_for_work();
                queue = self.lock();
                queue.spinning -= 1;
                if !queue.jobs.is_empty() || queue.shutdown {
                    continue;
                }
            }
            queue.idle += 1;
            queue = self
                .work
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
            if queue.wakeups > 0 {
                queue.wakeups -= 1;
            } else if queue.idle > 0 {
                // Woken by shutdown or spuriously: nobody claimed this worker.
                queue.idle -= 1;
            }
        }
        queue.workers -= 1;
        // Shutdown waits for every worker but those whose tasks are calling it.
        self.exited.notify_all();
    }

    /// Watches the queue for a short while without the lock.
    fn spin_for_work(&self) {
        for round in 0..SPIN_ROUNDS {
            if self.queued.load(Ordering::Relaxed) > 0 {
                return;
            }
            if round < SPIN_ROUNDS * 3 / 4 {
                for _ in 0..32 {
                    std::hint::spin_loop();
                }
            } else {
                thread::yield_now();
            }
        }
    }

    fn shutdown(&self, wait: bool, cancel_futures: bool) {
        let mut queue = self.lock();
        queue.shutdown = true;
        let cancelled: Vec<Box<dyn Job>> = if cancel_futures {
            queue.jobs.drain(..).collect()
        } else {
            Vec::new()
        };
        self.queued.store(queue.jobs.len(), Ordering::Relaxed);
        drop(queue);
        self.work.notify_all();
        // Outside the lock: cancelling runs done callbacks.
        for job in cancelled {
            let _ = panic::catch_unwind(AssertUnwindSafe(|| job.cancel()));
        }
        if !wait {
            return;
        }
        let on_worker = WORKER_OF.with(|worker_of| std::ptr::eq(worker_of.get(), self));
        let mut queue = self.lock();
        if on_worker {
            queue.shutting_down_workers += 1;
            // Another task waiting here may now have nothing else to wait for.
            self.exited.notify_all();
        }
        while queue.workers > queue.shutting_down_workers {
            queue = self
                .exited
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if on_worker {
            // Every other task has finished; the threads exit once these tasks return, and the
            // shutdown that drops the executor joins them.
            queue.shutting_down_workers -= 1;
            return;
        }
        drop(queue);
        let handles =
            std::mem::take(&mut *self.threads.lock().unwrap_or_else(PoisonError::into_inner));
        for handle in handles {
            // The worker loop never panics (tasks' panics are caught), so neither does join.
            let _ = handle.join();
        }
    }

    pub(crate) fn submit<T, F>(self: &Arc<Self>, work: F) -> Result<PoolFuture<T>, ShutdownError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let shared = Shared::new();
        let task = Box::new(Task {
            work,
            shared: Arc::clone(&shared),
        });
        match self.push(task) {
            Ok(()) => Ok(PoolFuture::from_shared(shared)),
            Err(_) => Err(ShutdownError),
        }
    }

    pub(crate) fn max_workers(&self) -> usize {
        self.max_workers
    }
}

/// `submit` was called after `shutdown`: Python's `RuntimeError('cannot schedule new futures
/// after shutdown')`.
///
/// ```
/// use cogen::pool::{ShutdownError, ThreadPoolExecutor};
///
/// let pool = ThreadPoolExecutor::with_max_workers(1);
/// pool.shutdown(true, false);
/// assert_eq!(pool.submit(|| 1).unwrap_err(), ShutdownError);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShutdownError;

impl fmt::Display for ShutdownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot schedule new futures after shutdown")
    }
}

impl std::error::Error for ShutdownError {}

/// A pool of worker threads that runs submitted closures and hands back a [`PoolFuture`] for
/// each: Python's `concurrent.futures.ThreadPoolExecutor`.
///
/// Workers start as tasks arrive, up to the maximum, and stay until shutdown. A panicking task
/// never takes a worker down: its future reports the panic. Dropping the executor is Python's
/// `with` block ending: it shuts down and waits for every queued task.
///
/// ```
/// use cogen::pool::ThreadPoolExecutor;
///
/// // Python: with ThreadPoolExecutor() as executor:
/// //             futures = [executor.submit(pow, 2, n) for n in range(5)]
/// let executor = ThreadPoolExecutor::new();
/// let futures: Vec<_> = (0..5).map(|n| executor.submit(move || 2u32.pow(n)).unwrap()).collect();
/// let powers: Vec<u32> = futures.into_iter().map(|f| f.join().unwrap()).collect();
/// assert_eq!(powers, [1, 2, 4, 8, 16]);
/// ```
pub struct ThreadPoolExecutor {
    pool: Arc<Pool>,
}

impl ThreadPoolExecutor {
    /// An executor with CPython's default number of workers: `min(32, cpus + 4)`.
    ///
    /// ```
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let executor = ThreadPoolExecutor::new();
    /// let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    /// assert_eq!(executor.max_workers(), 32.min(cpus + 4));
    /// ```
    pub fn new() -> Self {
        let cpus = thread::available_parallelism().map_or(1, |n| n.get());
        Self::with_max_workers(32.min(cpus + 4))
    }

    /// An executor with at most `max_workers` worker threads.
    ///
    /// # Panics
    ///
    /// If `max_workers` is 0 (Python: `ValueError("max_workers must be greater than 0")`).
    ///
    /// ```
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let executor = ThreadPoolExecutor::with_max_workers(3);
    /// assert_eq!(executor.max_workers(), 3);
    /// ```
    pub fn with_max_workers(max_workers: usize) -> Self {
        assert!(max_workers > 0, "max_workers must be greater than 0");
        static NEXT_POOL: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let number = NEXT_POOL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        ThreadPoolExecutor {
            pool: Arc::new(Pool {
                queue: Mutex::new(Queue {
                    jobs: VecDeque::new(),
                    shutdown: false,
                    workers: 0,
                    idle: 0,
                    wakeups: 0,
                    spinning: 0,
                    shutting_down_workers: 0,
                }),
                work: Condvar::new(),
                exited: Condvar::new(),
                max_workers,
                max_spinning: (thread::available_parallelism().map_or(1, |n| n.get()) / 2)
                    .clamp(1, max_workers),
                queued: AtomicUsize::new(0),
                threads: Mutex::new(Vec::new()),
                // CPython names its workers ThreadPoolExecutor-<pool>_<worker>.
                name_prefix: format!("ThreadPoolExecutor-{number}"),
            }),
        }
    }

    /// The most worker threads this executor runs at once.
    ///
    /// ```
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// assert_eq!(ThreadPoolExecutor::with_max_workers(2).max_workers(), 2);
    /// ```
    pub fn max_workers(&self) -> usize {
        self.pool.max_workers()
    }

    /// Schedules `work` to run on a worker and returns its future at once: Python's
    /// `executor.submit(fn)`. Arguments are captured by the closure.
    ///
    /// # Errors
    ///
    /// [`ShutdownError`] after [`shutdown`](Self::shutdown).
    ///
    /// ```
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let executor = ThreadPoolExecutor::with_max_workers(2);
    /// let n = 100_000u64;
    /// let future = executor.submit(move || (1..=n).sum::<u64>()).unwrap();
    /// assert_eq!(future.result(None), Ok(5_000_050_000));
    /// ```
    pub fn submit<T, F>(&self, work: F) -> Result<PoolFuture<T>, ShutdownError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.pool.submit(work)
    }

    /// Applies `function` to every item of `iterable` on the pool and yields the results in
    /// input order: Python's `executor.map(fn, iterable)`, lazily.
    ///
    /// The first `2 × max_workers` items are submitted now (see
    /// [`map_buffered`](Self::map_buffered) to choose how many), and one more each time a
    /// result is asked for, before waiting for it, as CPython 3.14 does with `buffersize`: so
    /// at most that many plus one tasks are ever in flight, and `iterable` may be endless. A panicking call yields `Err(FutureError::Panicked)` and
    /// the map goes on. Dropping the iterator cancels the tasks not yet started.
    /// [`Map::timeout`] bounds the whole iteration, as Python's `timeout=` does.
    ///
    /// ```
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let executor = ThreadPoolExecutor::with_max_workers(4);
    /// // An endless input: only a bounded number of tasks is ever in flight.
    /// let squares: Vec<u64> = executor
    ///     .map(|n: u64| n * n, 0..)
    ///     .take(5)
    ///     .map(Result::unwrap)
    ///     .collect();
    /// assert_eq!(squares, [0, 1, 4, 9, 16]);
    /// ```
    pub fn map<I, X, T, F>(&self, function: F, iterable: I) -> Map<I::IntoIter, T, F>
    where
        I: IntoIterator<Item = X>,
        X: Send + 'static,
        F: Fn(X) -> T + Send + Sync + 'static,
        T: Send + 'static,
    {
        self.map_buffered(function, iterable, 2 * self.max_workers())
    }

    /// [`map`](Self::map) with `buffer_size` tasks submitted ahead of the results taken
    /// (Python 3.14's `buffersize`): at most `buffer_size + 1` in flight.
    ///
    /// # Panics
    ///
    /// If `buffer_size` is 0.
    ///
    /// ```
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let executor = ThreadPoolExecutor::with_max_workers(2);
    /// let lengths: Vec<usize> = executor
    ///     .map_buffered(|word: &str| word.len(), ["a", "bb", "ccc"], 1)
    ///     .map(Result::unwrap)
    ///     .collect();
    /// assert_eq!(lengths, [1, 2, 3]);
    /// ```
    pub fn map_buffered<I, X, T, F>(
        &self,
        function: F,
        iterable: I,
        buffer_size: usize,
    ) -> Map<I::IntoIter, T, F>
    where
        I: IntoIterator<Item = X>,
        X: Send + 'static,
        F: Fn(X) -> T + Send + Sync + 'static,
        T: Send + 'static,
    {
        Map::new(
            Arc::clone(&self.pool),
            function,
            iterable.into_iter(),
            buffer_size,
        )
    }

    /// Like [`map`](Self::map), but yields each result as soon as its task completes, whatever
    /// its input position (Python has no such form; it is `as_completed` over `map`'s futures,
    /// lazily).
    ///
    /// ```
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let executor = ThreadPoolExecutor::with_max_workers(4);
    /// let mut doubled: Vec<i32> = executor
    ///     .map_unordered(|n: i32| n * 2, 1..=5)
    ///     .map(Result::unwrap)
    ///     .collect();
    /// doubled.sort();
    /// assert_eq!(doubled, [2, 4, 6, 8, 10]);
    /// ```
    pub fn map_unordered<I, X, T, F>(
        &self,
        function: F,
        iterable: I,
    ) -> MapUnordered<I::IntoIter, T, F>
    where
        I: IntoIterator<Item = X>,
        X: Send + 'static,
        F: Fn(X) -> T + Send + Sync + 'static,
        T: Send + 'static,
    {
        self.map_unordered_buffered(function, iterable, 2 * self.max_workers())
    }

    /// [`map_unordered`](Self::map_unordered) with at most `buffer_size` tasks in flight.
    ///
    /// # Panics
    ///
    /// If `buffer_size` is 0.
    ///
    /// ```
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let executor = ThreadPoolExecutor::with_max_workers(2);
    /// let total: u64 = executor
    ///     .map_unordered_buffered(|n: u64| n, 1..=100, 3)
    ///     .map(Result::unwrap)
    ///     .sum();
    /// assert_eq!(total, 5050);
    /// ```
    pub fn map_unordered_buffered<I, X, T, F>(
        &self,
        function: F,
        iterable: I,
        buffer_size: usize,
    ) -> MapUnordered<I::IntoIter, T, F>
    where
        I: IntoIterator<Item = X>,
        X: Send + 'static,
        F: Fn(X) -> T + Send + Sync + 'static,
        T: Send + 'static,
    {
        MapUnordered::new(
            Arc::clone(&self.pool),
            function,
            iterable.into_iter(),
            buffer_size,
        )
    }

    /// Stops taking tasks: Python's `executor.shutdown(wait, cancel_futures)`.
    ///
    /// With `cancel_futures`, tasks still queued are cancelled (their futures report
    /// [`FutureError::Cancelled`](super::FutureError::Cancelled)); otherwise they still run.
    /// With `wait`, returns once every worker has finished (called from one of this pool's own
    /// tasks, it waits for the others). Calling it again is harmless. Dropping the executor
    /// calls `shutdown(true, false)`.
    ///
    /// ```
    /// use cogen::pool::{FutureError, ThreadPoolExecutor};
    ///
    /// let executor = ThreadPoolExecutor::with_max_workers(1);
    /// let (started_tx, started) = std::sync::mpsc::channel();
    /// let (release, blocked) = std::sync::mpsc::channel::<()>();
    /// let running = executor
    ///     .submit(move || {
    ///         started_tx.send(()).unwrap();
    ///         blocked.recv().unwrap()
    ///     })
    ///     .unwrap();
    /// started.recv().unwrap(); // the only worker is busy now
    /// let queued = executor.submit(|| "never runs").unwrap();
    /// executor.shutdown(false, true);
    /// assert_eq!(queued.result(None), Err(FutureError::Cancelled));
    /// release.send(()).unwrap();
    /// assert_eq!(running.result(None), Ok(()));
    /// assert!(executor.submit(|| ()).is_err());
    /// ```
    pub fn shutdown(&self, wait: bool, cancel_futures: bool) {
        self.pool.shutdown(wait, cancel_futures);
    }
}

impl Default for ThreadPoolExecutor {
    /// [`ThreadPoolExecutor::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ThreadPoolExecutor {
    fn drop(&mut self) {
        self.pool.shutdown(true, false);
    }
}

impl fmt::Debug for ThreadPoolExecutor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let queue = self.pool.lock();
        f.debug_struct("ThreadPoolExecutor")
            .field("max_workers", &self.pool.max_workers)
            .field("workers", &queue.workers)
            .field("queued", &queue.jobs.len())
            .field("shutdown", &queue.shutdown)
            .finish()
    }
}

#[cfg(feature = "process")]
impl super::Executor for ThreadPoolExecutor {
    /// Runs the task's function on a worker thread; nothing is encoded.
    fn submit_task<A, R>(
        &self,
        task: super::Task<A, R>,
        argument: A,
    ) -> Result<PoolFuture<R>, super::SubmitError>
    where
        A: serde::Serialize + serde::de::DeserializeOwned + Send + 'static,
        R: serde::Serialize + serde::de::DeserializeOwned + Send + 'static,
    {
        Ok(self.submit(move || task.call(argument))?)
    }

    fn submit_chunk<A, R>(
        &self,
        task: super::Task<A, R>,
        arguments: Vec<A>,
    ) -> Result<PoolFuture<super::ChunkResults<R>>, super::SubmitError>
    where
        A: serde::Serialize + serde::de::DeserializeOwned + Send + 'static,
        R: serde::Serialize + serde::de::DeserializeOwned + Send + 'static,
    {
        Ok(self.submit(move || {
            arguments
                .into_iter()
                .map(|argument| {
                    panic::catch_unwind(AssertUnwindSafe(|| task.call(argument)))
                        .map_err(|payload| FutureError::Panicked(Panic::from_payload(payload)))
                })
                .collect()
        })?)
    }

    fn max_workers(&self) -> usize {
        self.pool.max_workers()
    }

    fn shutdown(&self, wait: bool, cancel_futures: bool) {
        self.pool.shutdown(wait, cancel_futures);
    }
}
