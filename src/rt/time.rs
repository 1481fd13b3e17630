//! Timers: Python's `asyncio.sleep` and `asyncio.wait_for`, on async-io's timers.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use async_io::Timer;
use pin_project_lite::pin_project;

/// The future [`sleep`] returns.
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Sleep {
    /// `None` for a zero sleep, which only yields once.
    timer: Option<Timer>,
    yielded: bool,
}

/// Waits for `duration` without blocking the thread: Python's `asyncio.sleep(delay)`.
///
/// As in Python, `sleep(Duration::ZERO)` suspends the caller once, letting every other ready
/// task run, and resumes it at the next turn of the loop. The timer is async-io's, so `sleep`
/// works under any executor, not only cogen's loop.
///
/// ```
/// use std::time::{Duration, Instant};
/// use cogen::rt::{run, sleep};
///
/// let started = Instant::now();
/// run(sleep(Duration::from_millis(20)));
/// assert!(started.elapsed() >= Duration::from_millis(20));
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        timer: (!duration.is_zero()).then(|| Timer::after(duration)),
        yielded: false,
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        match &mut this.timer {
            Some(timer) => Pin::new(timer).poll(cx).map(drop),
            None if this.yielded => Poll::Ready(()),
            None => {
                this.yielded = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }
}

/// The time given to [`timeout`] ran out first: Python's `TimeoutError` (`asyncio.TimeoutError`).
///
/// ```
/// use cogen::rt::TimeoutError;
///
/// assert_eq!(TimeoutError.to_string(), "the future did not complete in time");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeoutError;

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the future did not complete in time")
    }
}

impl std::error::Error for TimeoutError {}

pin_project! {
    /// The future [`timeout`] returns.
    #[must_use = "futures do nothing unless awaited"]
    pub struct Timeout<F> {
        #[pin]
        future: Option<F>,
        timer: Timer,
    }
}

/// Awaits `future` for at most `duration`: Python's `asyncio.wait_for(aw, timeout)`.
///
/// Gives `Ok(output)` if the future completes in time. Otherwise gives `Err(TimeoutError)`
/// and drops the future at once, where it waits (as `wait_for` cancels it): its cleanup runs
/// before the error is returned.
///
/// A [`Task`](super::Task)'s handle dropped this way detaches its task; to cancel the task on
/// timeout, pass `&mut task` and call [`Task::cancel`](super::Task::cancel) on the error.
///
/// ```
/// use std::time::Duration;
/// use cogen::rt::{TimeoutError, run, sleep, timeout};
///
/// run(async {
///     let quick = timeout(Duration::from_secs(5), async { 42 }).await;
///     assert_eq!(quick, Ok(42));
///     let slow = timeout(Duration::from_millis(5), sleep(Duration::from_secs(3600))).await;
///     assert_eq!(slow, Err(TimeoutError));
/// });
/// ```
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(future),
        timer: Timer::after(duration),
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, TimeoutError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Some(future) = this.future.as_mut().as_pin_mut() {
            if let Poll::Ready(output) = future.poll(cx) {
                this.future.set(None);
                return Poll::Ready(Ok(output));
            }
        }
        match Pin::new(this.timer).poll(cx) {
            Poll::Ready(_) => {
                this.future.set(None);
                Poll::Ready(Err(TimeoutError))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<F> fmt::Debug for Timeout<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeout")
            .field("pending", &self.future.is_some())
            .field("timer", &self.timer)
            .finish()
    }
}

/// A deadline for a stretch of code that can move while the code runs: Python 3.11's
/// `async with asyncio.timeout(delay) as scope:` (and `asyncio.timeout_at(when)`), with
/// `scope.when()`, `scope.reschedule(when)` and `scope.expired()`.
///
/// [`run`](Self::run) runs a future under the deadline: past it, the future is dropped where it
/// waits (its cleanup runs) and `run` gives [`TimeoutError`]. The scope is a handle (clones
/// share the deadline), so the code under it may push its own deadline back. It works under
/// any executor: the timer is async-io's.
///
/// ```
/// use std::time::{Duration, Instant};
/// use cogen::rt::{TimeoutError, TimeoutScope, run, sleep};
///
/// run(async {
///     // Python: async with asyncio.timeout(None) as scope:
///     //             scope.reschedule(loop.time() + 0.01)
///     //             await asyncio.sleep(3600)
///     let scope = TimeoutScope::never();
///     let outcome = scope
///         .run(async {
///             scope.reschedule(Some(Instant::now() + Duration::from_millis(10)));
///             sleep(Duration::from_secs(3600)).await;
///         })
///         .await;
///     assert_eq!(outcome, Err(TimeoutError));
///     assert!(scope.expired());
/// });
/// ```
#[derive(Clone)]
pub struct TimeoutScope {
    state: std::sync::Arc<std::sync::Mutex<ScopeState>>,
}

struct ScopeState {
    when: Option<std::time::Instant>,
    expired: bool,
    /// Whether a `run` is in progress (Python's `Timeout` once entered): a second one panics.
    entered: bool,
    /// The waker of the `run` in progress, to wake when the deadline moves.
    runner: Option<std::task::Waker>,
}

impl TimeoutScope {
    fn new(when: Option<std::time::Instant>) -> Self {
        TimeoutScope {
            state: std::sync::Arc::new(std::sync::Mutex::new(ScopeState {
                when,
                expired: false,
                entered: false,
                runner: None,
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ScopeState> {
        super::lock(&self.state)
    }

    /// A deadline `delay` from now: Python's `asyncio.timeout(delay)`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::rt::{TimeoutScope, run};
    ///
    /// let scope = TimeoutScope::after(Duration::from_secs(10));
    /// assert_eq!(run(scope.run(async { 7 })), Ok(7));
    /// assert!(!scope.expired());
    /// ```
    pub fn after(delay: Duration) -> Self {
        TimeoutScope::new(std::time::Instant::now().checked_add(delay))
    }

    /// A deadline at `when`: Python's `asyncio.timeout_at(when)`.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use cogen::rt::{TimeoutScope, run, sleep};
    ///
    /// let scope = TimeoutScope::at(Instant::now() + Duration::from_millis(5));
    /// assert!(run(scope.run(sleep(Duration::from_secs(3600)))).is_err());
    /// ```
    pub fn at(when: std::time::Instant) -> Self {
        TimeoutScope::new(Some(when))
    }

    /// No deadline, until [`reschedule`](Self::reschedule) sets one: Python's
    /// `asyncio.timeout(None)`.
    ///
    /// ```
    /// assert_eq!(cogen::rt::TimeoutScope::never().when(), None);
    /// ```
    pub fn never() -> Self {
        TimeoutScope::new(None)
    }

    /// The deadline, if any: Python's `scope.when()` (an `Instant` rather than the loop's
    /// clock in seconds).
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use cogen::rt::TimeoutScope;
    ///
    /// let when = Instant::now() + Duration::from_secs(1);
    /// assert_eq!(TimeoutScope::at(when).when(), Some(when));
    /// ```
    pub fn when(&self) -> Option<std::time::Instant> {
        self.lock().when
    }

    /// Moves the deadline (`None`: no deadline): Python's `scope.reschedule(when)`. A `run` in
    /// progress takes the new deadline at once; one already expired stays expired.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use cogen::rt::{TimeoutScope, run, sleep};
    ///
    /// // Python: async with asyncio.timeout(0) as scope:
    /// //             scope.reschedule(None)
    /// //             await asyncio.sleep(0.02)
    /// let scope = TimeoutScope::after(Duration::ZERO);
    /// let outcome = run(scope.run(async {
    ///     scope.reschedule(None); // pushed back to never before the deadline is looked at
    ///     sleep(Duration::from_millis(20)).await;
    ///     "finished"
    /// }));
    /// assert_eq!(outcome, Ok("finished"));
    /// ```
    pub fn reschedule(&self, when: Option<std::time::Instant>) {
        let runner = {
            let mut state = self.lock();
            state.when = when;
            state.runner.clone()
        };
        if let Some(runner) = runner {
            runner.wake();
        }
    }

    /// Whether the deadline passed while a `run` was in progress (so that it gave
    /// [`TimeoutError`]): Python's `scope.expired()`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::rt::{TimeoutScope, run, sleep};
    ///
    /// let scope = TimeoutScope::after(Duration::ZERO);
    /// assert!(run(scope.run(sleep(Duration::from_secs(1)))).is_err());
    /// assert!(scope.expired());
    /// ```
    pub fn expired(&self) -> bool {
        self.lock().expired
    }

    /// Runs `future` under the deadline: Python's `async with` block.
    ///
    /// # Errors
    ///
    /// [`TimeoutError`] if the deadline passes first; the future is then dropped where it
    /// waits, before `run` returns.
    ///
    /// # Panics
    ///
    /// With "Timeout has already been entered" if another `run` of this scope (through a
    /// clone) is in progress when this one starts: a scope runs one future at a time (Python
    /// raises `RuntimeError`). Once a `run` has ended, or was dropped, the scope may run
    /// another future.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::rt::{TimeoutScope, run, sleep};
    ///
    /// let scope = TimeoutScope::after(Duration::from_millis(5));
    /// let outcome = run(scope.run(sleep(Duration::from_secs(3600))));
    /// assert!(outcome.is_err());
    /// ```
    pub async fn run<F: Future>(&self, future: F) -> Result<F::Output, TimeoutError> {
        {
            let mut state = self.lock();
            if state.entered {
                drop(state);
                panic!("Timeout has already been entered");
            }
            state.entered = true;
        }
        // From here on, the run's drop leaves the scope (`entered` back to false).
        ScopeRun {
            scope: self,
            future: Some(future),
            timer: None,
            armed_for: None,
        }
        .await
    }
}

impl fmt::Debug for TimeoutScope {
    /// As asyncio prints it: `<Timeout [active] when=...>`, with `expired` once it is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        let phase = if state.expired { "expired" } else { "active" };
        write!(f, "<Timeout [{phase}] when={:?}>", state.when)
    }
}

pin_project! {
    /// A future under a [`TimeoutScope`]'s deadline.
    struct ScopeRun<'a, F> {
        scope: &'a TimeoutScope,
        #[pin]
        future: Option<F>,
        timer: Option<Timer>,
        // The deadline `timer` is set for.
        armed_for: Option<std::time::Instant>,
    }

    impl<F> PinnedDrop for ScopeRun<'_, F> {
        fn drop(this: Pin<&mut Self>) {
            let mut state = this.scope.lock();
            state.runner = None;
            state.entered = false;
        }
    }
}

impl<F: Future> Future for ScopeRun<'_, F> {
    type Output = Result<F::Output, TimeoutError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let Some(future) = this.future.as_mut().as_pin_mut() else {
            panic!("a TimeoutScope's run was polled after it completed");
        };
        // The body first, so that a deadline it moves in this very poll is the one armed.
        if let Poll::Ready(output) = future.poll(cx) {
            this.future.set(None);
            return Poll::Ready(Ok(output));
        }
        // The deadline, and this run's waker for whoever moves it next, under one lock: a
        // move after this wakes the run, which then re-reads it.
        let when = {
            let mut state = this.scope.lock();
            match &mut state.runner {
                Some(runner) => runner.clone_from(cx.waker()),
                None => state.runner = Some(cx.waker().clone()),
            }
            state.when
        };
        // `timer` is set for `armed_for` (none for none), so a new deadline is all to check.
        if when != *this.armed_for {
            *this.timer = when.map(Timer::at);
            *this.armed_for = when;
        }
        if let Some(timer) = this.timer {
            if Pin::new(timer).poll(cx).is_ready() {
                // Dropped where it waits, before the error is given.
                this.future.set(None);
                this.scope.lock().expired = true;
                return Poll::Ready(Err(TimeoutError));
            }
        }
        Poll::Pending
    }
}
