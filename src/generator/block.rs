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

use super::frame::{Frame, Outcome, RawSink};

impl<Y, S, F: Future> Frame<Y, S, F> {
    /// Runs the current step of a Running frame (its input is in, see `begin`) to its end.
    ///
    /// This is the one place where the synchronous drivers poll a body, waits included. It is
    /// always inlined into its driver (`next`, `send`, `fold`...): left to the inliner, a body
    /// driven two ways (by `next` and by `send`, or from a generic function) made this a call of
    /// its own per step, and cost 56 instructions per `next` instead of 5
    /// (`scripts/yield_instructions.sh`, the `shared_*` rows). Only this small loop is forced;
    /// whether the body's poll inlines into it is still the compiler's choice, so a large body is
    /// not copied into every driver. When it does inline, the body's loop and the driver's loop
    /// become one. (The price: a `fold` over a body that the program also drives other ways
    /// now calls its consumer out of line, 32 to 48 instructions per item instead of 5, the
    /// `shared_fold` row; a `fold` over a body driven only by it still costs 5.) The first poll
    /// uses a waker that costs nothing: a body that only yields never needs waking.
    ///
    /// With a `sink` (`Gen::fold`), each yield hands its value to the sink instead of
    /// suspending, and the step runs until the body returns, or a yield finds that the sink
    /// takes no more.
    #[inline(always)]
    pub(crate) fn run(mut self: Pin<&mut Self>, sink: Option<RawSink>) -> Outcome<Y, F::Output> {
        self.check_running();
        let mut parker = Parker::new();
        loop {
            let mut cx = Context::from_waker(parker.waker());
            // SAFETY: Running (checked above), and still Running after a poll that was not the
            // step's last.
            if let Poll::Ready(outcome) = unsafe { self.as_mut().poll_running(&mut cx, sink) } {
                return outcome;
            }
            parker = parker.wait();
        }
    }
}

/// What a blocked step waits with: nothing until the body first awaits something other than a
/// yield; then this thread's unparking waker (`UNPARK_THIS_THREAD`). Held by pointer rather than
/// as a `Waker` so that it needs no drop, which would cost a check at the end of every step.
#[cfg(feature = "std")]
#[derive(Clone, Copy)]
struct Parker(*const Waker);

#[cfg(feature = "std")]
impl Parker {
    #[inline(always)]
    fn new() -> Self {
        Parker(core::ptr::null())
    }

    #[inline(always)]
    fn waker(&self) -> &Waker {
        if self.0.is_null() {
            Waker::noop()
        } else {
            // SAFETY: a non-null pointer is to this thread's `UNPARK_THIS_THREAD` (see `wait`),
            // which lives until the thread's thread-locals are destroyed; this parker lives in
            // one call of `Frame::run` on this thread, which cannot outlast them.
            unsafe { &*self.0 }
        }
    }

    /// The body awaits a real future. The first time, poll again at once with a waker that
    /// unparks this thread (the future saw the no-op waker, and a future must use its latest
    /// waker); after that, park until woken (a wake that came first makes the park return at
    /// once; a spurious return costs one more poll).
    /// (By value, so that the parker stays in a register.)
    #[cold]
    #[inline(never)]
    fn wait(self) -> Self {
        if self.0.is_null() {
            Parker(UNPARK_THIS_THREAD.with(|waker| waker as *const Waker))
        } else {
            thread::park();
            self
        }
    }
}

/// Without std there is no thread to park: poll again until the body moves on, spinning between
/// polls, as `spin_on` does. (A body that awaits hardware or a timer is better driven as a
/// `Stream` by the program's executor, which can sleep in between.)
#[cfg(not(feature = "std"))]
#[derive(Clone, Copy)]
struct Parker;

#[cfg(not(feature = "std"))]
impl Parker {
    #[inline(always)]
    fn new() -> Self {
        Parker
    }

    #[inline(always)]
    fn waker(&self) -> &Waker {
        Waker::noop()
    }

    #[cold]
    #[inline(never)]
    fn wait(self) -> Self {
        core::hint::spin_loop();
        self
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
