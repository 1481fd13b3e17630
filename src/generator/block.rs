//! Driving a step synchronously, blocking the thread while the body awaits something other than
//! a yield (as `block_on` does).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

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

struct Unparker(Thread);

impl Wake for Unparker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

thread_local! {
    static UNPARK_THIS_THREAD: Waker = Waker::from(Arc::new(Unparker(thread::current())));
}
