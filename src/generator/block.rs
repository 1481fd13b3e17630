//! Driving a step synchronously, blocking the thread while the body awaits something other than
//! a yield (as `block_on` does).

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
#[cfg(feature = "std")]
use std::{
    sync::Arc,
    task::Wake,
    thread::{self, Thread},
};

use super::frame::{Frame, Outcome};

/// Runs the current step of a Running frame to its end.
#[inline(always)]
pub(crate) fn run_step<Y, S, F: Future>(
    mut frame: Pin<&mut Frame<Y, S, F>>,
) -> Outcome<Y, F::Output> {
    // A body that only yields never needs waking: poll it with a waker that costs nothing.
    match frame
        .as_mut()
        .poll_body(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(outcome) => outcome,
        Poll::Pending => park_until_step_ends(frame),
    }
}

/// The body awaits a real future: poll again with a waker that unparks this thread, and park
/// until woken. (The future saw the no-op waker first; a future must use its latest waker.)
#[cfg(feature = "std")]
#[cold]
#[inline(never)]
fn park_until_step_ends<Y, S, F: Future>(
    mut frame: Pin<&mut Frame<Y, S, F>>,
) -> Outcome<Y, F::Output> {
    UNPARK_THIS_THREAD.with(|waker| {
        let mut cx = Context::from_waker(waker);
        loop {
            if let Poll::Ready(outcome) = frame.as_mut().poll_body(&mut cx) {
                return outcome;
            }
            // A wake that came before this park makes it return at once; a spurious return only
            // costs one more poll.
            thread::park();
        }
    })
}

/// Without std there is no thread to park: poll again until the body moves on, spinning between
/// polls, as `spin_on` does. (A body that awaits hardware or a timer is better driven as a
/// `Stream` by the program's executor, which can sleep in between.)
#[cfg(not(feature = "std"))]
#[cold]
#[inline(never)]
fn park_until_step_ends<Y, S, F: Future>(
    mut frame: Pin<&mut Frame<Y, S, F>>,
) -> Outcome<Y, F::Output> {
    loop {
        core::hint::spin_loop();
        let mut cx = Context::from_waker(Waker::noop());
        if let Poll::Ready(outcome) = frame.as_mut().poll_body(&mut cx) {
            return outcome;
        }
    }
}

#[cfg(feature = "std")]
struct Unparker(Thread);

#[cfg(feature = "std")]
impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

#[cfg(feature = "std")]
std::thread_local! {
    static UNPARK_THIS_THREAD: Waker = Waker::from(Arc::new(Unparker(thread::current())));
}
