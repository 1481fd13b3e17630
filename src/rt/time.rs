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
