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

use super::frame::{Airlock, Frame, Input, Outcome, RawSink};

impl<Y, S, F: Future> Frame<Y, S, F> {
    /// Runs the current step of a Running frame (see `begin`) to its end, handing `input` (the
    /// step's, or none to finish a step already under way) to its first poll.
    ///
    /// This is the one place where the synchronous drivers poll a body, waits included. It is
    /// always inlined into its driver (`next`, `send`, `fold`...), and the drivers `start`,
    /// `send`, `resume` and `next` into their callers: the compiler then weighs the body's poll
    /// where the caller loops, where it inlines larger functions. Left to the inliner, a body
    /// driven two ways (by `next` and by `send`, or from a generic function) made this a call of
    /// its own per step, and cost 56 instructions per `next` instead of 5
    /// (`scripts/yield_instructions.sh`, the `shared_*` rows). Whether the body's poll inlines is
    /// still the compiler's choice, so a large body is not copied into every driver; when it
    /// does, the body's loop and the driver's loop become one. (A `fold` over a body that the
    /// program also drives other ways may call its consumer out of line, 30 to 51 instructions
    /// per item instead of 5, the `shared_fold` row; a `fold` over a body driven only by it costs
    /// 5.) The first poll uses a waker that costs nothing: a body that only yields never needs
    /// waking.
    ///
    /// With a `sink` (`Gen::fold`), each yield hands its value to the sink instead of
    /// suspending, and the step runs until the body returns, or a yield finds that the sink
    /// takes no more.
    ///
    /// # Safety
    /// The frame is Running (its driver has just begun the step, or checked). The check is the
    /// caller's so that a driver that has just set the state checks nothing, even when this
    /// stays out of line of the body's poll.
    #[inline(always)]
    pub(crate) unsafe fn run(
        mut self: Pin<&mut Self>,
        input: Option<Input<S>>,
        sink: Option<RawSink>,
    ) -> Outcome<Y, F::Output> {
        // One airlock for the step's polls (the input is taken in the first).
        let airlock = Airlock::holding(self.step_input(input));
        let mut parker = Parker::new();
        loop {
            let mut cx = Context::from_waker(parker.waker());
            // SAFETY: Running (the caller's guarantee), and still Running after a poll that was
            // not the step's last.
            let poll = unsafe { self.as_mut().poll_running(&mut cx, &airlock, sink) };
            if let Poll::Ready(outcome) = poll {
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
#[repr(transparent)]
struct Parker(*const Waker);

/// The waker of a thread whose thread-locals are gone (a generator driven from a thread-local's
/// destructor): it spins instead of parking. One address, so that `wait` can recognise it.
#[cfg(feature = "std")]
static SPINNING: &Waker = Waker::noop();

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
            // SAFETY: a non-null pointer is to `SPINNING` (a static) or to this thread's
            // `UNPARK_THIS_THREAD` (see `wait`), which lives until the thread's thread-locals are
            // destroyed; this parker lives in one call of `Frame::run` on this thread, which
            // cannot outlast them.
            unsafe { &*self.0 }
        }
    }

    /// The body awaits a real future. The first time, poll again at once with a waker that
    /// unparks this thread (the future saw the no-op waker, and a future must use its latest
    /// waker); after that, park until woken (a wake that came first makes the park return at
    /// once; a spurious return costs one more poll).
    /// (By value, so that the parker stays in a register.)
    ///
    /// It cannot unwind (`extern "C"`: a panic here would abort; none is expected, and with
    /// the thread's thread-locals gone it spins rather than fail): a call that may unwind inside
    /// a driver's loop kept the compiler from holding a pinned frame in registers across steps.
    ///
    /// Out of line but not `#[cold]`, on purpose: the compiler then takes the step's poll to be
    /// a loop of its own, and a loop's poll of the body is one it inlines up to a larger size.
    /// Marked cold, the polls of the benchmarks' bodies stayed out of line in the drivers: a
    /// call per step, with the frame in memory.
    #[inline(never)]
    extern "C" fn wait(self) -> Self {
        if self.0.is_null() {
            let waker = UNPARK_THIS_THREAD
                .try_with(|waker| waker as *const Waker)
                .unwrap_or(SPINNING);
            Parker(waker)
        } else if core::ptr::eq(self.0, SPINNING) {
            thread::yield_now();
            self
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

    // Not cold, as the std one (see there).
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
