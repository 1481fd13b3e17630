//! The handle of a submitted task: Python's `concurrent.futures.Future`.

use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use super::panic::{Panic, panic_message};
use super::waiter::Waiter;

/// Where a submitted task is in its life, as Python's `Future._state` reports it.
///
/// `Display` prints Python's names (`PENDING`, `RUNNING`, `FINISHED`, `CANCELLED`).
///
/// ```
/// use cogen::pool::{FutureState, ThreadPoolExecutor};
///
/// let pool = ThreadPoolExecutor::with_max_workers(1);
/// let future = pool.submit(|| 6 * 7).unwrap();
/// assert_eq!(future.result(None), Ok(42));
/// assert_eq!(future.state(), FutureState::Finished);
/// assert_eq!(future.state().to_string(), "FINISHED");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FutureState {
    /// Submitted, waiting in the queue for a worker. Only now can it be cancelled.
    Pending,
    /// A worker is running it.
    Running,
    /// It returned a value or panicked.
    Finished,
    /// It was cancelled before it ran; it never will.
    Cancelled,
}

impl fmt::Display for FutureState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FutureState::Pending => "PENDING",
            FutureState::Running => "RUNNING",
            FutureState::Finished => "FINISHED",
            FutureState::Cancelled => "CANCELLED",
        })
    }
}

/// Why a future gave no value: Python's `CancelledError`, `TimeoutError`, or the exception the
/// task raised (here: the panic, a [`Panic`] with its message and its payload).
///
/// Errors compare and print by the panic's message; the payload is there to re-raise the
/// original panic in the caller ([`Panic::resume_unwind`]), as Python re-raises the task's
/// exception.
///
/// ```
/// use std::panic::{self, AssertUnwindSafe};
/// use cogen::pool::{FutureError, ThreadPoolExecutor};
///
/// let pool = ThreadPoolExecutor::with_max_workers(1);
/// let future = pool.submit(|| -> i32 { panic!("bad input") }).unwrap();
/// let error = future.join().unwrap_err();
/// assert_eq!(error, FutureError::Panicked("bad input".into()));
/// assert_eq!(error.to_string(), "the task panicked: bad input");
///
/// // Python: `future.result()` raises the task's exception again in the caller.
/// let FutureError::Panicked(failure) = error else { unreachable!() };
/// let caught = panic::catch_unwind(AssertUnwindSafe(|| failure.resume_unwind())).unwrap_err();
/// assert_eq!(caught.downcast_ref::<&str>(), Some(&"bad input")); // the original payload
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FutureError {
    /// The task was cancelled before it ran (Python's `CancelledError`).
    Cancelled,
    /// The time allowed ran out before the task finished (Python's `TimeoutError`); the task
    /// goes on.
    TimedOut,
    /// The task panicked. The [`Panic`] compares and prints as the panic's message
    /// (`"Box<dyn Any>"` when the payload was neither a `&str` nor a `String`), and gives the
    /// original payload, once, to re-raise it (see [`Panic`] for who gets it; a worker
    /// process's panic has its message only). The worker survives.
    Panicked(Panic),
    /// The executor was shut down before this item of a lazy [`map`](super::ThreadPoolExecutor::map)
    /// could be submitted.
    Shutdown,
    /// A worker process of a process pool died (or broke the protocol) while this task was
    /// pending or running: Python's `BrokenProcessPool`. The text says why: the worker's exit
    /// status or signal, or what was wrong with what it sent.
    BrokenProcessPool(String),
    /// A rank of an `MpiPoolExecutor` (feature `mpi`) broke the protocol (it sent
    /// something that is not a cogen message, or answered for a job it was not given) while
    /// this task was pending or running. The text says which rank and what it sent. (A rank
    /// that dies ends the whole MPI job instead: see the executor's docs.)
    BrokenMpiPool(String),
    /// The task's argument or result could not cross to or from a worker process (it failed
    /// to encode or decode, or exceeds the size a message may have). The worker survives.
    Unsendable(String),
}

impl fmt::Display for FutureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FutureError::Cancelled => f.write_str("the task was cancelled"),
            FutureError::TimedOut => f.write_str("timed out waiting for the task"),
            FutureError::Panicked(message) => write!(f, "the task panicked: {message}"),
            FutureError::Shutdown => {
                f.write_str("the executor was shut down before the task was submitted")
            }
            FutureError::BrokenProcessPool(cause) => write!(
                f,
                "A process in the process pool was terminated abruptly while the future was \
                 running or pending. ({cause})"
            ),
            FutureError::BrokenMpiPool(cause) => write!(
                f,
                "A rank of the MPI pool broke the protocol while the future was running or \
                 pending. ({cause})"
            ),
            FutureError::Unsendable(reason) => {
                write!(f, "the task's value could not cross processes: {reason}")
            }
        }
    }
}

impl std::error::Error for FutureError {}

/// The outcome a finished task left behind: its value, or why there is none (a panic, a broken
/// process pool).
pub(crate) type Outcome<T> = Result<T, FutureError>;

/// A done callback: runs once, with the finished or cancelled future.
type Callback<T> = Box<dyn FnOnce(&PoolFuture<T>) + Send>;

enum Slot<T> {
    Pending,
    Running,
    Finished(Outcome<T>),
    /// Finished, and the value was moved out by `join` or `.await`.
    Taken,
    Cancelled,
}

struct Inner<T> {
    slot: Slot<T>,
    /// Who else is watching, boxed apart because most futures have nobody: it keeps the
    /// shared state small (one small allocation per task, which malloc recycles quickly).
    watchers: Option<Box<Watchers<T>>>,
    /// Threads blocked in `result`/`join`: the condvar is signalled only when there are some.
    blocked: usize,
    /// Done callbacks are running: they may read the value, so `join` and `.await` wait for
    /// them before moving it out (Python's callbacks always see the result).
    callbacks_running: bool,
}

struct Watchers<T> {
    callbacks: Vec<Callback<T>>,
    /// `wait` and `as_completed` calls watching this future, with this future's index in each.
    waiters: Vec<(Arc<Waiter>, usize)>,
    /// The task awaiting this future through `std::future::Future`.
    waker: Option<Waker>,
}

impl<T> Inner<T> {
    fn watchers(&mut self) -> &mut Watchers<T> {
        self.watchers.get_or_insert_with(|| {
            Box::new(Watchers {
                callbacks: Vec::new(),
                waiters: Vec::new(),
                waker: None,
            })
        })
    }
}

/// The state a future shares with the task that completes it.
pub(crate) struct Shared<T> {
    inner: Mutex<Inner<T>>,
    finished: Condvar,
    /// Set once complete: lets a waiter spin briefly without taking the lock.
    done: AtomicBool,
    /// Whether a thread about to block watches the flag first: worth it when a worker thread
    /// may finish within microseconds, not when the value comes from another process.
    spin: bool,
}

/// How long a thread about to block on a future first watches it, in rounds: short tasks
/// complete within it, saving the futex sleep and wake-up (two syscalls and a context switch).
const SPIN_ROUNDS: u32 = 64;

/// What a waiter learns when a future completes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Completion {
    /// It returned a value (or its value was already taken).
    Returned,
    /// It panicked (Python: it raised an exception).
    Raised,
    /// It was cancelled.
    Cancelled,
}

impl<T> Shared<T> {
    pub(crate) fn new() -> Arc<Self> {
        Self::with_spin(true)
    }

    #[cfg(feature = "process")]
    /// A future whose waiters block at once, for work that takes long enough (a chunk of
    /// calls in another process) that spinning would only take a CPU from the workers.
    pub(crate) fn new_remote() -> Arc<Self> {
        Self::with_spin(false)
    }

    fn with_spin(spin: bool) -> Arc<Self> {
        Arc::new(Shared {
            inner: Mutex::new(Inner {
                slot: Slot::Pending,
                watchers: None,
                blocked: 0,
                callbacks_running: false,
            }),
            finished: Condvar::new(),
            done: AtomicBool::new(false),
            spin,
        })
    }

    /// Locks, ignoring poison: no code of ours panics under this lock, and user code (a
    /// value's destructor) leaves the slot consistent.
    fn lock(&self) -> MutexGuard<'_, Inner<T>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Python's `set_running_or_notify_cancel`: true when the worker may run the task, false
    /// when it was cancelled.
    pub(crate) fn set_running(&self) -> bool {
        let mut inner = self.lock();
        match inner.slot {
            Slot::Pending => {
                inner.slot = Slot::Running;
                true
            }
            Slot::Cancelled => false,
            _ => unreachable!("a task is started once"),
        }
    }

    /// Cancels a task that has not started; true when it is (now or already) cancelled.
    pub(crate) fn cancel(self: &Arc<Self>) -> bool {
        let mut inner = self.lock();
        match inner.slot {
            Slot::Pending => {
                inner.slot = Slot::Cancelled;
                self.complete(inner, Completion::Cancelled);
                true
            }
            Slot::Cancelled => true,
            _ => false,
        }
    }

    /// Stores the task's outcome and tells everyone waiting.
    pub(crate) fn finish(self: &Arc<Self>, outcome: Outcome<T>) {
        let completion = match outcome {
            Ok(_) => Completion::Returned,
            Err(_) => Completion::Raised,
        };
        let mut inner = self.lock();
        inner.slot = Slot::Finished(outcome);
        self.complete(inner, completion);
    }

    /// Wakes blocked threads and the waiters, runs the callbacks, then wakes the awaiting task,
    /// all after the lock is released so that none of them can deadlock on this future. While
    /// callbacks run, the value stays in place: `join` and `.await` wait for them to end.
    fn complete(self: &Arc<Self>, mut inner: MutexGuard<'_, Inner<T>>, completion: Completion) {
        self.done.store(true, Ordering::Release);
        if inner.blocked > 0 {
            self.finished.notify_all();
        }
        let Some(watchers) = inner.watchers.take() else {
            return;
        };
        let Watchers {
            callbacks,
            waiters,
            waker,
        } = *watchers;
        inner.callbacks_running = !callbacks.is_empty();
        drop(inner);
        for (waiter, index) in waiters {
            waiter.notify(index, completion);
        }
        if callbacks.is_empty() {
            if let Some(waker) = waker {
                waker.wake();
            }
            return;
        }
        let future = PoolFuture {
            shared: Arc::clone(self),
        };
        for callback in callbacks {
            run_callback(callback, &future);
        }
        let mut inner = self.lock();
        inner.callbacks_running = false;
        if inner.blocked > 0 {
            self.finished.notify_all();
        }
        // A poll during the callbacks registered its waker anew.
        let late_waker = inner.watchers.take().and_then(|watchers| watchers.waker);
        drop(inner);
        for waker in [waker, late_waker].into_iter().flatten() {
            waker.wake();
        }
    }

    /// Whether the value may be moved out now: complete, and no done callback is reading it.
    fn takeable(inner: &Inner<T>) -> bool {
        Self::completion(inner).is_some() && !inner.callbacks_running
    }

    fn completion(inner: &Inner<T>) -> Option<Completion> {
        match inner.slot {
            Slot::Pending | Slot::Running => None,
            Slot::Finished(Ok(_)) | Slot::Taken => Some(Completion::Returned),
            Slot::Finished(Err(_)) => Some(Completion::Raised),
            Slot::Cancelled => Some(Completion::Cancelled),
        }
    }

    /// Registers `waiter` to hear of this future's completion as `index`; if it is already
    /// complete, says so instead.
    pub(crate) fn add_waiter(&self, waiter: &Arc<Waiter>, index: usize) -> Option<Completion> {
        let mut inner = self.lock();
        let done = Self::completion(&inner);
        if done.is_none() {
            // Registrations of waiters that gave up (an `as_completed` dropped early) go here,
            // so a long-pending future does not collect them.
            let waiters = &mut inner.watchers().waiters;
            waiters.retain(|(registered, _)| !registered.is_abandoned());
            waiters.push((Arc::clone(waiter), index));
        }
        done
    }

    pub(crate) fn remove_waiter(&self, waiter: &Arc<Waiter>) {
        if let Some(watchers) = &mut self.lock().watchers {
            watchers
                .waiters
                .retain(|(registered, _)| !Arc::ptr_eq(registered, waiter));
        }
    }

    /// Blocks until the future is complete (and, `to_take` its value, its done callbacks have
    /// run) or the deadline passes; returns the guard either way.
    fn wait_until(&self, deadline: Option<Instant>, to_take: bool) -> MutexGuard<'_, Inner<T>> {
        if self.spin && deadline.is_none_or(|deadline| deadline > Instant::now()) {
            self.spin_until_done();
        }
        let ready = |inner: &Inner<T>| {
            if to_take {
                Self::takeable(inner)
            } else {
                Self::completion(inner).is_some()
            }
        };
        let mut inner = self.lock();
        while !ready(&inner) {
            inner.blocked += 1;
            inner = match deadline {
                None => self
                    .finished
                    .wait(inner)
                    .unwrap_or_else(PoisonError::into_inner),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        inner.blocked -= 1;
                        break;
                    }
                    self.finished
                        .wait_timeout(inner, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
            inner.blocked -= 1;
        }
        inner
    }
}

impl<T> Shared<T> {
    /// Watches the done flag for a short while (spinning, then yielding the CPU).
    fn spin_until_done(&self) {
        for round in 0..SPIN_ROUNDS {
            if self.done.load(Ordering::Acquire) {
                return;
            }
            if round < SPIN_ROUNDS * 3 / 4 {
                for _ in 0..32 {
                    std::hint::spin_loop();
                }
            } else {
                std::thread::yield_now();
            }
        }
    }
}

fn run_callback<T>(callback: Callback<T>, future: &PoolFuture<T>) {
    // Python logs and swallows an exception raised by a callback; so do we, so that one bad
    // callback neither kills the worker nor keeps the others from running.
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| callback(future))) {
        eprintln!(
            "cogen: a done callback panicked: {}",
            panic_message(payload)
        );
    }
}

/// A deadline `timeout` from now; `None` waits forever.
pub(crate) fn deadline_after(timeout: Option<Duration>) -> Option<Instant> {
    // A timeout too large to add is as good as none.
    timeout.and_then(|timeout| Instant::now().checked_add(timeout))
}

/// The handle of a task submitted to a [`ThreadPoolExecutor`](super::ThreadPoolExecutor):
/// Python's `concurrent.futures.Future`.
///
/// Ask it where the task is ([`state`](Self::state), [`done`](Self::done)), cancel it while
/// it waits, block for its value with an optional timeout ([`result`](Self::result),
/// [`join`](Self::join)), or `.await` it from async code without blocking a thread.
/// Dropping the handle detaches the task: it still runs.
///
/// `Debug` prints what CPython's repr prints, without the address:
/// `<Future state=pending>`, `<Future state=finished returned i32>`,
/// `<Future state=finished raised panic>`.
///
/// ```
/// use std::time::Duration;
/// use cogen::pool::{FutureError, ThreadPoolExecutor};
///
/// let pool = ThreadPoolExecutor::with_max_workers(2);
/// let future = pool.submit(|| (1..=100u64).sum::<u64>()).unwrap();
/// assert_eq!(future.result(Duration::from_secs(10)), Ok(5050));
/// assert!(future.done());
/// assert_eq!(format!("{future:?}"), "<Future state=finished returned u64>");
///
/// let slow = pool.submit(|| std::thread::sleep(Duration::from_millis(200))).unwrap();
/// assert_eq!(slow.result(Duration::from_millis(1)), Err(FutureError::TimedOut));
///
/// // Awaited from async code, under any executor: no thread blocks while the task runs.
/// let squared = pool.submit(|| 12 * 12).unwrap();
/// assert_eq!(futures_lite::future::block_on(async { squared.await }), Ok(144));
/// ```
#[must_use = "dropping a future detaches its task; keep it to learn the result"]
pub struct PoolFuture<T> {
    shared: Arc<Shared<T>>,
}

impl<T> PoolFuture<T> {
    pub(crate) fn from_shared(shared: Arc<Shared<T>>) -> Self {
        PoolFuture { shared }
    }

    pub(crate) fn shared(&self) -> &Arc<Shared<T>> {
        &self.shared
    }

    /// Where the task is: Python's `future._state`.
    ///
    /// ```
    /// use cogen::pool::{FutureState, ThreadPoolExecutor};
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let future = pool.submit(|| "done").unwrap();
    /// future.result(None).unwrap();
    /// assert_eq!(future.state(), FutureState::Finished);
    /// ```
    pub fn state(&self) -> FutureState {
        match self.shared.lock().slot {
            Slot::Pending => FutureState::Pending,
            Slot::Running => FutureState::Running,
            Slot::Finished(_) | Slot::Taken => FutureState::Finished,
            Slot::Cancelled => FutureState::Cancelled,
        }
    }

    /// True when the task finished or was cancelled: Python's `future.done()`.
    ///
    /// ```
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let future = pool.submit(|| 1).unwrap();
    /// future.result(None).unwrap();
    /// assert!(future.done());
    /// ```
    pub fn done(&self) -> bool {
        matches!(self.state(), FutureState::Finished | FutureState::Cancelled)
    }

    /// True while a worker runs the task: Python's `future.running()`.
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let (started_tx, started) = mpsc::channel();
    /// let (release, release_rx) = mpsc::channel::<()>();
    /// let future = pool
    ///     .submit(move || {
    ///         started_tx.send(()).unwrap();
    ///         release_rx.recv().unwrap();
    ///     })
    ///     .unwrap();
    /// started.recv().unwrap();
    /// assert!(future.running());
    /// release.send(()).unwrap();
    /// future.result(None).unwrap();
    /// assert!(!future.running());
    /// ```
    pub fn running(&self) -> bool {
        self.state() == FutureState::Running
    }

    /// True when the task was cancelled: Python's `future.cancelled()`.
    ///
    /// ```
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let future = pool.submit(|| 1).unwrap();
    /// future.result(None).unwrap();
    /// assert!(!future.cancelled());
    /// ```
    pub fn cancelled(&self) -> bool {
        self.state() == FutureState::Cancelled
    }

    /// Cancels the task if no worker has started it: Python's `future.cancel()`.
    ///
    /// Returns true when the task is cancelled (now, or already before); false when it is
    /// running or finished, which cannot be undone. A cancelled task never runs; its done
    /// callbacks run now, and `wait`/`as_completed` count it as done at once (CPython only
    /// does so once a worker dequeues it).
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use cogen::pool::{FutureError, FutureState, ThreadPoolExecutor};
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let (release, blocked) = mpsc::channel::<()>();
    /// let busy = pool.submit(move || blocked.recv().unwrap()).unwrap();
    /// let queued = pool.submit(|| unreachable!("cancelled tasks never run")).unwrap();
    /// assert!(queued.cancel());
    /// assert_eq!(queued.state(), FutureState::Cancelled);
    /// assert_eq!(queued.result(None), Err(FutureError::Cancelled));
    /// release.send(()).unwrap();
    /// busy.result(None).unwrap();
    /// assert!(!busy.cancel()); // finished: too late
    /// ```
    pub fn cancel(&self) -> bool {
        self.shared.cancel()
    }

    /// Blocks until the task is done or `timeout` runs out, and gives a copy of its value:
    /// Python's `future.result(timeout)`. `None` waits as long as it takes.
    ///
    /// Like Python's, it may be called again and gives the same value. To move a value that is
    /// not `Clone` out, use [`join`](Self::join) or `.await`.
    ///
    /// # Errors
    ///
    /// [`FutureError::Cancelled`], [`FutureError::TimedOut`] (the task goes on), or
    /// [`FutureError::Panicked`] with the task's panic. Each call gives a clone of the same
    /// error: the clones share the panic's payload, which goes to the first caller that takes
    /// it ([`Panic::take_payload`]); the others get its message.
    ///
    /// # Panics
    ///
    /// If the value was already moved out by `.await` on this handle.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let future = pool.submit(|| vec![1, 2, 3]).unwrap();
    /// assert_eq!(future.result(Duration::from_secs(5)), Ok(vec![1, 2, 3]));
    /// assert_eq!(future.result(None), Ok(vec![1, 2, 3]));
    /// ```
    pub fn result(&self, timeout: impl Into<Option<Duration>>) -> Result<T, FutureError>
    where
        T: Clone,
    {
        let inner = self
            .shared
            .wait_until(deadline_after(timeout.into()), false);
        match &inner.slot {
            Slot::Pending | Slot::Running => Err(FutureError::TimedOut),
            Slot::Finished(Ok(value)) => Ok(value.clone()),
            Slot::Finished(Err(error)) => Err(error.clone()),
            Slot::Cancelled => Err(FutureError::Cancelled),
            Slot::Taken => panic!("PoolFuture::result: the value was already moved out by .await"),
        }
    }

    /// Blocks until the task is done and moves its value out, like `JoinHandle::join`.
    ///
    /// # Errors
    ///
    /// [`FutureError::Cancelled`] or [`FutureError::Panicked`], with the panic's payload
    /// unless a caller of [`result`](Self::result) took it first.
    ///
    /// ```
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let future = pool.submit(|| String::from("moved out, not cloned")).unwrap();
    /// assert_eq!(future.join().unwrap(), "moved out, not cloned");
    /// ```
    pub fn join(self) -> Result<T, FutureError> {
        let inner = self.shared.wait_until(None, true);
        Self::take(inner).expect("wait_until(None) returns only when the task is done")
    }

    /// Like [`join`](Self::join), but gives the handle back if `timeout` runs out first.
    pub(crate) fn join_until(
        self,
        deadline: Option<Instant>,
    ) -> Result<Result<T, FutureError>, Self> {
        let inner = self.shared.wait_until(deadline, true);
        match Self::take(inner) {
            Some(outcome) => Ok(outcome),
            None => Err(self),
        }
    }

    /// Moves the outcome out of a completed future; `None` when it is not complete or its
    /// done callbacks are still running.
    fn take(mut inner: MutexGuard<'_, Inner<T>>) -> Option<Result<T, FutureError>> {
        if inner.callbacks_running {
            return None;
        }
        match std::mem::replace(&mut inner.slot, Slot::Taken) {
            slot @ (Slot::Pending | Slot::Running) => {
                inner.slot = slot;
                None
            }
            Slot::Finished(Ok(value)) => Some(Ok(value)),
            Slot::Finished(Err(error)) => Some(Err(error)),
            Slot::Cancelled => {
                inner.slot = Slot::Cancelled;
                Some(Err(FutureError::Cancelled))
            }
            Slot::Taken => panic!("PoolFuture: the value was already moved out by .await"),
        }
    }

    /// Runs `callback` with this future once it is done (finished or cancelled): Python's
    /// `future.add_done_callback(fn)`.
    ///
    /// If it is done already, the callback runs now, on this thread; otherwise on the thread
    /// that completes it (the worker, or the one that cancels it). Each callback runs once,
    /// in the order added. A panicking callback is reported on stderr and does not stop the
    /// others, as Python logs and ignores a callback's exception.
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use cogen::pool::ThreadPoolExecutor;
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let (sender, results) = mpsc::channel();
    /// let future = pool.submit(|| 6 * 7).unwrap();
    /// future.add_done_callback(move |done| sender.send(done.result(None)).unwrap());
    /// assert_eq!(results.recv().unwrap(), Ok(42));
    /// ```
    pub fn add_done_callback(&self, callback: impl FnOnce(&PoolFuture<T>) + Send + 'static) {
        let mut inner = self.shared.lock();
        if Shared::completion(&inner).is_none() {
            inner.watchers().callbacks.push(Box::new(callback));
            return;
        }
        drop(inner);
        run_callback(Box::new(callback), self);
    }
}

impl<T> std::future::Future for PoolFuture<T> {
    type Output = Result<T, FutureError>;

    /// Ready with the task's value (moved out) or its error once it is done; until then the
    /// awaiting task is woken by the worker that finishes it, no thread blocks.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut inner = self.shared.lock();
        if Shared::takeable(&inner) {
            return Poll::Ready(Self::take(inner).expect("the future is complete"));
        }
        match &mut inner.watchers().waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl<T> fmt::Debug for PoolFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.shared.lock();
        match &inner.slot {
            Slot::Pending => f.write_str("<Future state=pending>"),
            Slot::Running => f.write_str("<Future state=running>"),
            Slot::Finished(Ok(_)) | Slot::Taken => write!(
                f,
                "<Future state=finished returned {}>",
                short_type_name(std::any::type_name::<T>())
            ),
            Slot::Finished(Err(FutureError::BrokenProcessPool(_))) => {
                f.write_str("<Future state=finished raised BrokenProcessPool>")
            }
            Slot::Finished(Err(FutureError::BrokenMpiPool(_))) => {
                f.write_str("<Future state=finished raised BrokenMpiPool>")
            }
            Slot::Finished(Err(_)) => f.write_str("<Future state=finished raised panic>"),
            Slot::Cancelled => f.write_str("<Future state=cancelled>"),
        }
    }
}

/// `alloc::vec::Vec<alloc::string::String>` -> `Vec<String>`: the names a reader writes, as
/// Python prints a class's name without its module.
pub(crate) fn short_type_name(full: &str) -> String {
    let mut short = String::with_capacity(full.len());
    let mut segment_start = 0;
    for (index, c) in full.char_indices() {
        match c {
            ':' => segment_start = index + 1,
            '<' | '>' | ',' | ' ' | '(' | ')' | '[' | ']' | ';' | '&' | '*' => {
                short.push_str(&full[segment_start..index]);
                short.push(c);
                segment_start = index + 1;
            }
            _ => {}
        }
    }
    short.push_str(&full[segment_start..]);
    short
}

#[cfg(test)]
mod tests {
    use super::short_type_name;

    #[test]
    fn short_type_names() {
        assert_eq!(short_type_name("i32"), "i32");
        assert_eq!(
            short_type_name("alloc::vec::Vec<alloc::string::String>"),
            "Vec<String>"
        );
        assert_eq!(
            short_type_name("core::result::Result<(u8, &str), alloc::string::String>"),
            "Result<(u8, &str), String>"
        );
        assert_eq!(
            short_type_name("[core::option::Option<u8>; 3]"),
            "[Option<u8>; 3]"
        );
    }
}
