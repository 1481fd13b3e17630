//! The generator's frame (its body future, its id and its state) and the airlock through which
//! values pass between the body and whoever resumes it.
//!
//! The yielder ([`Co`]) holds no pointer. While a driver polls a body it lends it a waker of
//! cogen's own (recognised by its vtable) whose data points at an airlock and at the frame's
//! unique id (and, under `fold`, at the consumer: the sink); a yield finds the airlock through
//! the `Context` it is polled with and checks the lent id against its own. A yielder that escaped
//! its body, outlived its generator, or is awaited inside another generator sees a foreign waker
//! or another id, and panics instead of touching memory it does not own.
//!
//! The airlock is not part of the frame: the driver makes one on its stack for each step (the
//! synchronous drivers) or each poll (the asynchronous ones). A value crosses within one poll:
//! the sent or thrown value is taken by the yield where the body resumes, in the step's first
//! poll, and a yielded or re-raised value is taken by the driver as soon as the poll returns.
//! (The one exception, a sent value that a combinator in the body does not hand to its pending
//! yield in that poll, is kept in the frame for the next: `Frame::keep_unsent`.) The frame's
//! address is then never lent to the body, which gets only its own pinned future: should the
//! body's poll stay out of line (a `start` before a `send` loop), the frame does not escape, and
//! the compiler keeps it in registers across the loop (`scripts/yield_instructions.sh`,
//! `shared_send`: 41 and 40 instructions per `send` when the airlock was the frame's, 7 and 5
//! now). Everything a yield needs arrives through its poll's arguments, so once inlined the
//! compiler sees that the airlock is the driver's local and keeps it in registers too.
//!
//! Aliasing: the body future is reached only through its pinned poll (it sits in an `UnsafeCell`
//! in a `!Unpin` slot, see `body.rs`), and a `&Frame` taken to read the state asserts nothing
//! about the body's bytes. The airlock is all cells, shared by the driver and the body during
//! the poll. `tests/aliasing.rs` checks this under Miri.

#[cfg(feature = "alloc")]
use core::any::Any;
use core::cell::{Cell, UnsafeCell};
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::mem::{ManuallyDrop, MaybeUninit};
use core::pin::Pin;
#[cfg(any(feature = "std", target_has_atomic = "64"))]
use core::sync::atomic::AtomicU64;
use core::sync::atomic::Ordering;
use core::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use pin_project_lite::pin_project;

use super::body::Body;
use super::{Co, GenState};

/// A value thrown into a generator, its type erased until a `yield_catching` claims it.
#[cfg(feature = "alloc")]
pub(crate) type RawThrown = alloc::boxed::Box<dyn Any + Send>;

/// Without an allocator nothing can be thrown (`throw` needs the `alloc` feature): no value of
/// this type exists, and the paths that handle one compile to nothing.
#[cfg(not(feature = "alloc"))]
pub(crate) type RawThrown = core::convert::Infallible;

/// Which payload of an airlock holds a value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Held {
    Nothing,
    /// The body yielded; the driver has not taken the value yet.
    Yielded,
    /// The driver sent a value; the pending yield has not taken it yet.
    Sent,
    /// The driver threw a value; a catching yield may take it, otherwise the driver takes it back.
    Thrown,
}

/// What yields reach through the lent waker: the one value in passage between the body and its
/// driver, for one step or poll (the driver makes it on its stack).
///
/// The payloads are separate fields behind a one-byte tag, rather than one enum in a `Cell`:
/// moving a whole enum in and out made each hand-off a wide load of a value just written by
/// narrower stores, a store-forwarding stall that cost 14 ns per yield (BENCHMARKS.md).
/// Every field is a cell, so the driver and the body may both reach it through shared
/// references; it is `!Sync`, so only one thread does at a time.
///
/// It has no `Drop`: `Frame::poll_running` drops what a step leaves in it (a value held when the
/// body returns or panics), so that a driver that inlines a step checks nothing more after it.
pub(crate) struct Airlock<Y, S> {
    held: Cell<Held>,
    yielded: UnsafeCell<MaybeUninit<Y>>,
    sent: UnsafeCell<MaybeUninit<S>>,
    thrown: UnsafeCell<MaybeUninit<RawThrown>>,
}

impl<Y, S> Airlock<Y, S> {
    #[inline(always)]
    fn new() -> Self {
        Airlock {
            held: Cell::new(Held::Nothing),
            yielded: UnsafeCell::new(MaybeUninit::uninit()),
            sent: UnsafeCell::new(MaybeUninit::uninit()),
            thrown: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// An airlock holding what a step brings in.
    #[inline(always)]
    pub(crate) fn holding(input: Option<Input<S>>) -> Self {
        let airlock = Airlock::new();
        match input {
            None | Some(Input::Start) => {}
            Some(Input::Send(value)) => airlock.put_sent(value),
            Some(Input::Throw(error)) => airlock.put_thrown(error),
        }
        airlock
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.held.get() == Held::Nothing
    }

    /// Holds `value` for the driver. The caller has checked that nothing is held.
    #[inline]
    pub(crate) fn put_yielded_into_empty(&self, value: Y) {
        debug_assert!(
            self.is_empty(),
            "cogen: yielding into an airlock that holds a value"
        );
        // SAFETY: writing a `MaybeUninit` never reads or drops the old payload (and nothing is
        // held, the caller checked); no reference into the cell exists outside these methods,
        // and one thread at a time uses the airlock.
        unsafe { (*self.yielded.get()).write(value) };
        self.held.set(Held::Yielded);
    }

    #[inline]
    pub(crate) fn take_yielded(&self) -> Option<Y> {
        if self.held.get() != Held::Yielded {
            return None;
        }
        self.held.set(Held::Nothing);
        // SAFETY: `held` said the payload was written and not yet read; it is marked empty
        // first, so it is read out exactly once.
        Some(unsafe { (*self.yielded.get()).assume_init_read() })
    }

    /// Hands `value` to the pending yield. The caller guarantees that nothing is held (a new
    /// airlock), which keeps a read of `held` off the hot path; were it wrong, a held value would
    /// leak, never be read twice.
    #[inline]
    pub(crate) fn put_sent(&self, value: S) {
        debug_assert!(
            self.is_empty(),
            "cogen: sending into an airlock that holds a value"
        );
        // SAFETY: writing a `MaybeUninit` never reads or drops the old payload; no reference into
        // the cell exists outside these methods, and one thread at a time uses the airlock.
        unsafe { (*self.sent.get()).write(value) };
        if !Self::SENT_IS_ZERO_SIZED {
            self.held.set(Held::Sent);
        }
    }

    /// A value of a zero-sized send type (`()` for `next`) carries nothing but the fact that it
    /// was sent, and a pending yield is only ever polled again after a resume put one in (or a
    /// throw, which sets the tag): for such a type, "nothing held" at a resumed yield means "sent",
    /// and the tag's two stores per step are saved.
    const SENT_IS_ZERO_SIZED: bool = core::mem::size_of::<S>() == 0;

    /// A value sent that no yield took, if the send type is not zero-sized (see
    /// `Frame::keep_unsent`).
    #[inline]
    fn take_unsent(&self) -> Option<S> {
        if Self::SENT_IS_ZERO_SIZED {
            None
        } else {
            self.take_sent()
        }
    }

    #[inline]
    pub(crate) fn take_sent(&self) -> Option<S> {
        if Self::SENT_IS_ZERO_SIZED {
            if self.held.get() != Held::Nothing {
                return None;
            }
        } else {
            if self.held.get() != Held::Sent {
                return None;
            }
            self.held.set(Held::Nothing);
        }
        // SAFETY: as in `take_yielded`: the payload was written by `put_sent` (for a zero-sized
        // type, by the resume that this yield's resumption follows; reading one reads no bytes).
        Some(unsafe { (*self.sent.get()).assume_init_read() })
    }

    pub(crate) fn put_thrown(&self, error: RawThrown) {
        self.clear();
        // SAFETY: as in `put_yielded_into_empty` (cleared above).
        unsafe { (*self.thrown.get()).write(error) };
        self.held.set(Held::Thrown);
    }

    #[inline]
    // Without an allocator nothing is ever thrown (the tag is never `Thrown`, and `RawThrown` has
    // no values), so the read below is the end of an unreachable path.
    #[cfg_attr(not(feature = "alloc"), allow(unreachable_code, unused_variables))]
    pub(crate) fn take_thrown(&self) -> Option<RawThrown> {
        if self.held.get() != Held::Thrown {
            return None;
        }
        self.held.set(Held::Nothing);
        // SAFETY: as in `take_yielded`.
        let thrown = unsafe { (*self.thrown.get()).assume_init_read() };
        Some(thrown)
    }

    /// Drops whatever value is held.
    #[inline]
    pub(crate) fn clear(&self) {
        // Nothing is held on every hot path; keep the drop code out of it.
        if self.held.get() != Held::Nothing {
            self.drop_held();
        }
    }

    #[cold]
    fn drop_held(&self) {
        match self.held.get() {
            Held::Nothing => {}
            Held::Yielded => drop(self.take_yielded()),
            Held::Sent => drop(self.take_sent()),
            Held::Thrown => drop(self.take_thrown()),
        }
    }
}

/// Drops a thrown value that nobody takes, out of the hot paths (its drop is a call through a
/// vtable).
#[cold]
#[inline(never)]
pub(crate) fn discard(thrown: RawThrown) {
    #[cfg(feature = "alloc")]
    drop(thrown);
    // Without an allocator nothing is thrown: `RawThrown` has no values.
    #[cfg(not(feature = "alloc"))]
    match thrown {}
}

/// Ids are never reused, so an id names one airlock (and so one `Y`, `S`) for the process's life.
/// Each thread takes a block of ids from a global counter and hands them out without atomics.
#[cfg(feature = "std")]
#[inline]
fn next_id() -> u64 {
    const BLOCK: u64 = 1 << 16;
    /// The first id of the next block; ids start at 1 (0 means "no generator").
    static NEXT_BLOCK: AtomicU64 = AtomicU64::new(1);
    std::thread_local! {
        /// The next id of this thread's block, and the end of the block.
        static IDS: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
    }
    IDS.with(|ids| {
        let (mut next, mut end) = ids.get();
        if next == end {
            next = NEXT_BLOCK.fetch_add(BLOCK, Ordering::Relaxed);
            // A wrapped counter would reuse ids; 2^48 blocks are out of reach, but check anyway.
            assert!(next <= u64::MAX - BLOCK, "cogen: generator ids exhausted");
            end = next + BLOCK;
        }
        ids.set((next + 1, end));
        next
    })
}

/// Ids are never reused (see above). Without std there are no thread-locals: one atomic counter,
/// which refuses to wrap.
#[cfg(all(not(feature = "std"), target_has_atomic = "64"))]
#[inline]
fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |id| id.checked_add(1))
        .unwrap_or_else(|_| ids_exhausted())
}

/// On a target without 64-bit atomics (a Cortex-M, say), ids are 32 bits: a program may make
/// 2^32 - 1 generators in its life, and the next one panics rather than reuse an id.
#[cfg(all(not(feature = "std"), not(target_has_atomic = "64")))]
#[inline]
fn next_id() -> u64 {
    static NEXT: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(1);
    let id = NEXT
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |id| id.checked_add(1))
        .unwrap_or_else(|_| ids_exhausted());
    u64::from(id)
}

#[cfg(not(feature = "std"))]
#[cold]
#[inline(never)]
fn ids_exhausted() -> ! {
    panic!("cogen: generator ids exhausted (this target has no 64-bit atomics)")
}

/// What a driver lends the body for one poll, through the data pointer of its waker.
struct Lent {
    /// The airlock of this poll, as a pointer with provenance over all of it.
    airlock: *const (),
    /// The id of the frame whose body is polled: the airlock is for its `Y` and `S`.
    id: u64,
    /// The waker of whoever drives the generator, to which wakes are passed on.
    outer: *const Waker,
    /// The polling thread (see `this_thread`): `&Waker` is `Sync`, so a body could hand the lent
    /// waker to a scoped thread, which must not reach the airlock while this thread does.
    /// (Without std, threads cannot be told apart; instead a yielder is neither `Send` nor
    /// `Sync` there, so no other thread holds one to reach the airlock with.)
    #[cfg(feature = "std")]
    thread: *const u8,
    /// The consumer of a `fold`, if this poll is one of a fold's.
    sink: Option<RawSink>,
}

/// A consumer that a driver lends the body (`Gen::fold`): each yield hands its value straight
/// to it, and the body goes on without suspending, so that the body's loop runs inside one poll.
#[derive(Clone, Copy)]
pub(crate) struct RawSink {
    data: *mut (),
    call: SinkCall,
}

/// Offers a yielded value to a consumer: `value` points at a `ManuallyDrop<Y>`, which the call
/// takes (reads) when it accepts it and returns true; it then also writes what the yield
/// evaluates to through `sent`, a `*mut MaybeUninit<S>`. A consumer that can take no more (it
/// panicked, and the body caught the panic) leaves the value and returns false.
pub(crate) type SinkCall = unsafe fn(data: *mut (), value: *mut (), sent: *mut ()) -> bool;

impl RawSink {
    /// A sink calling `call` with `data`.
    ///
    /// # Safety
    /// Whenever a body is polled with this sink, `data` must be valid for `call` (alive, and used
    /// by nothing else meanwhile), and `call` must treat `value` and `sent` as pointers to a
    /// `ManuallyDrop<Y>` and a `MaybeUninit<S>` for the `Y` and `S` of the frame whose body is
    /// polled.
    pub(crate) unsafe fn new(data: *mut (), call: SinkCall) -> Self {
        RawSink { data, call }
    }
}

/// The lent sink, typed with the `Y` and `S` of the airlock whose id matched the yielder's.
pub(crate) struct Sink<'poll, Y, S> {
    raw: RawSink,
    /// Valid for one poll only.
    _poll: PhantomData<&'poll ()>,
    _types: PhantomData<fn(Y) -> S>,
}

impl<Y, S> Sink<'_, Y, S> {
    /// Hands `value` to the consumer: `Ok` with what the yield evaluates to, or `Err(value)` when
    /// the consumer takes no more.
    #[inline(always)]
    pub(crate) fn offer(&self, value: Y) -> Result<S, Y> {
        let mut value = ManuallyDrop::new(value);
        let mut sent = MaybeUninit::<S>::uninit();
        // SAFETY: a `Sink<Y, S>` is made only by `with_lent`, during the poll its `RawSink` was
        // lent for, for the airlock whose id matched the yielder's, so `Y` and `S` are that
        // frame's: the types `RawSink::new`'s contract makes `call` expect. `value` is not used
        // again if the call takes it (returns true), and `sent` is written when it does.
        let taken = unsafe {
            (self.raw.call)(
                self.raw.data,
                (&raw mut value).cast(),
                sent.as_mut_ptr().cast(),
            )
        };
        if taken {
            // SAFETY: written by the call (above).
            Ok(unsafe { sent.assume_init() })
        } else {
            Err(ManuallyDrop::into_inner(value))
        }
    }
}

/// An address unique to each running thread. Within one inlined poll the compiler sees it twice
/// and folds the comparison in `with_airlock` away.
#[cfg(feature = "std")]
#[inline(always)]
fn this_thread() -> *const u8 {
    std::thread_local! {
        static MARKER: u8 = const { 0 };
    }
    MARKER.with(|marker| marker as *const u8)
}

/// The vtable of the waker a driver lends. Only this module makes wakers with it, each with data
/// pointing at a `Lent` on the driver's stack, and lends them as `&Waker` for one poll; cloning
/// one gives a clone of the outer waker, so no waker with this vtable outlives its poll.
static LENT_WAKER: RawWakerVTable =
    RawWakerVTable::new(clone_outer, wake_outer, wake_outer, drop_nothing);

// SAFETY (the four functions): `data` is the `Lent` of a poll in progress (see `LENT_WAKER`), so
// it and the outer waker it points at are alive.
unsafe fn clone_outer(data: *const ()) -> RawWaker {
    // SAFETY: see above.
    let outer = unsafe { &*(*data.cast::<Lent>()).outer };
    let clone = ManuallyDrop::new(outer.clone());
    RawWaker::new(clone.data(), clone.vtable())
}

unsafe fn wake_outer(data: *const ()) {
    // SAFETY: see above.
    unsafe { (*(*data.cast::<Lent>()).outer).wake_by_ref() }
}

unsafe fn drop_nothing(_: *const ()) {}

/// Polls `body`, the body of the frame with id `id`, with a context that lends it `airlock` (and
/// `sink`, if any), waking through `cx`'s waker.
#[inline(always)]
fn poll_lending<Y, S, F: Future>(
    airlock: &Airlock<Y, S>,
    id: u64,
    body: Pin<&mut F>,
    cx: &mut Context<'_>,
    sink: Option<RawSink>,
) -> Poll<F::Output> {
    let lent = Lent {
        airlock: (airlock as *const Airlock<Y, S>).cast(),
        id,
        outer: cx.waker(),
        #[cfg(feature = "std")]
        thread: this_thread(),
        sink,
    };
    let raw = RawWaker::new((&lent as *const Lent).cast(), &LENT_WAKER);
    // SAFETY: `LENT_WAKER`'s functions uphold `RawWaker`'s contract for this data: `lent` and
    // the outer waker outlive the waker, which is only lent (by reference) for this one poll.
    // Never dropped: its drop does nothing, and skipping it saves an indirect call per poll.
    let waker = ManuallyDrop::new(unsafe { Waker::from_raw(raw) });
    body.poll(&mut Context::from_waker(&waker))
}

/// Runs `f` on the airlock of the generator whose yielder has id `id`, which must be the body
/// being polled with `cx`.
///
/// # Panics
/// When `cx` is not the context a generator's driver lends its body on this thread, or lends
/// another generator's airlock: the yielder was moved out of its body, outlived its generator,
/// is awaited inside another generator's body or on another thread, or under a combinator that
/// polls with a waker of its own.
#[inline(always)]
pub(crate) fn with_airlock<Y, S, T>(
    cx: &Context<'_>,
    id: u64,
    f: impl FnOnce(&Airlock<Y, S>) -> T,
) -> T {
    with_lent(cx, id, false, |airlock, _| f(airlock))
}

/// [`with_airlock`], with the sink lent beside the airlock, if any. When `putting` (a yield about
/// to hand a value out), the airlock must also hold nothing, or another yield is pending.
///
/// Every check fails into one call of one cold function (each branch and panic call makes a
/// body's poll bigger, and a smaller poll is inlined into more of its drivers).
///
/// # Panics
/// As [`with_airlock`], and when `putting` and a value is held.
#[inline(always)]
pub(crate) fn with_lent<Y, S, T>(
    cx: &Context<'_>,
    id: u64,
    putting: bool,
    f: impl FnOnce(&Airlock<Y, S>, Option<Sink<'_, Y, S>>) -> T,
) -> T {
    let waker = cx.waker();
    let mut identified = false;
    if core::ptr::eq(waker.vtable(), &LENT_WAKER) {
        // SAFETY: only `poll_lending` makes wakers with this vtable, with data pointing at a live
        // `Lent` whose `airlock` points at a live airlock for the whole poll, and lends them by
        // reference only for that poll (clones are of the outer waker), so these reads are
        // valid. `Lent` is never written after it is made, so reading it from any thread is fine.
        let lent = unsafe { &*waker.data().cast::<Lent>() };
        #[cfg(feature = "std")]
        let on_polling_thread = core::ptr::eq(lent.thread, this_thread());
        #[cfg(not(feature = "std"))]
        let on_polling_thread = true;
        identified = on_polling_thread & (lent.id == id);
        if identified {
            // On the polling thread (checked above; without std, the yielder that called this
            // cannot have left the polling thread, see `Lent::thread`), so no other thread
            // touches the airlock's cells while `f` runs.
            //
            // SAFETY: the pointer is to a live airlock (above), made with provenance over all of
            // it. Ids are unique per frame, a `Co` carries the id of the frame made with it, for
            // the same `Y` and `S`, and a driver lends a frame's id only with an airlock of that
            // frame's `Y` and `S` (`Frame::poll_running`), so the types match. The reference
            // does not escape `f`, and the airlock is only made of cells, so shared access from
            // the driver and the body at once is fine.
            let airlock = unsafe { &*lent.airlock.cast::<Airlock<Y, S>>() };
            if !putting || airlock.is_empty() {
                // Typed like the airlock: lent for this frame's poll, whose `Y` and `S` the id
                // check tied to the yielder's.
                let sink = lent.sink.map(|raw| Sink {
                    raw,
                    _poll: PhantomData,
                    _types: PhantomData,
                });
                return f(airlock, sink);
            }
        }
    }
    refused(identified)
}

/// Why `with_lent` refused: a second pending yield of the right generator (`identified`), or a
/// yielder used where it does not belong.
#[cold]
#[inline(never)]
fn refused(identified: bool) -> ! {
    if identified {
        panic!(
            "cogen: a yield was started while another yield of the same generator was pending: \
             await each `co.yield_(..)` before starting the next (do not join or select yields)"
        )
    }
    panic!(
        "cogen: a yielder (`Co`) was used outside the body of its generator while that body was \
         being polled: it was moved out of the body, outlived its generator, was awaited inside \
         another generator's body or on another thread, or under a combinator that polls with a \
         waker of its own"
    )
}

/// What a driver hands the body at the start of a step.
pub(crate) enum Input<S> {
    /// The first resume (Python's first `next`).
    Start,
    Send(S),
    Throw(RawThrown),
}

/// What one step of a body came to.
pub(crate) enum Outcome<Y, R> {
    Yielded(Y),
    Returned(R),
    /// A thrown value that no yield caught, or that the body re-raised: the generator has closed.
    Unhandled(RawThrown),
}

pin_project! {
    /// The storage of one generator: its body, its state and its id.
    ///
    /// [`Gen::new`](crate::Gen::new) boxes a frame; to keep one on the stack instead, with no
    /// allocation at all, pin it and hand it to [`Gen::pinned`](crate::Gen::pinned):
    ///
    /// ```
    /// use std::pin::pin;
    /// use cogen::{Frame, Gen};
    ///
    /// let frame = pin!(Frame::new(|co| async move {
    ///     co.yield_(1).await;
    ///     co.yield_(2).await;
    /// }));
    /// let g = Gen::pinned(frame);
    /// assert_eq!(g.collect::<Vec<i32>>(), [1, 2]);
    /// ```
    pub struct Frame<Y, S, F> {
        // Names this frame for the life of the process (see `next_id`).
        id: u64,
        state: Cell<GenState>,
        // A value sent in a step that no yield has taken yet (see `keep_unsent`).
        unsent: Cell<Option<S>>,
        #[pin]
        body: Body<F>,
        // The values of a step pass through an airlock of the driver's, not through the frame:
        // this keeps the frame's auto traits ("`Send` when its body and its values are") and its
        // invariance in `Y` and `S`, which the id check relies on.
        _values: PhantomData<(Cell<Y>, Cell<S>)>,
    }
}

impl<Y, S, F> fmt::Debug for Frame<Y, S, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frame")
            .field("state", &self.state.get())
            .finish_non_exhaustive()
    }
}

impl<Y, S, F: Future> Frame<Y, S, F> {
    /// Makes the frame of a generator: calls `producer` with the generator's yielder and keeps
    /// the future it returns, without polling it (the generator is Created).
    ///
    /// ```
    /// use cogen::{Co, Frame, GenState};
    ///
    /// let frame = Frame::new(|co: Co<&str>| async move { co.yield_("never run yet").await });
    /// assert_eq!(frame.state(), GenState::Created);
    /// ```
    #[inline]
    pub fn new(producer: impl FnOnce(Co<Y, S>) -> F) -> Self {
        let id = next_id();
        Frame {
            id,
            state: Cell::new(GenState::Created),
            unsent: Cell::new(None),
            body: Body::new(producer(Co::new(id))),
            _values: PhantomData,
        }
    }

    /// The generator's state, as `inspect.getgeneratorstate` reports it.
    ///
    /// ```
    /// use cogen::{Frame, GenState};
    ///
    /// let frame: Frame<(), (), _> = Frame::new(|_co| async {});
    /// assert_eq!(frame.state(), GenState::Created);
    /// ```
    #[inline]
    pub fn state(&self) -> GenState {
        self.state.get()
    }

    /// Begins a step: the frame is Running until the step ends. The caller has checked that the
    /// state admits the step's input, which it hands to the step's first poll.
    #[inline]
    pub(crate) fn begin(self: Pin<&mut Self>) {
        self.state.set(GenState::Running);
    }

    /// Polls the body of a Running frame once, handing it `input` (the step's, on its first
    /// poll).
    ///
    /// # Panics
    /// When the frame is not Running (a broken invariant: drivers admit a step first).
    #[inline(always)]
    pub(crate) fn poll_body(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        input: Option<Input<S>>,
    ) -> Poll<Outcome<Y, F::Output>> {
        self.check_running();
        let airlock = Airlock::holding(self.step_input(input));
        // SAFETY: checked just above.
        let poll = unsafe { self.as_mut().poll_running(cx, &airlock, None) };
        if poll.is_pending() {
            self.keep_unsent(&airlock);
        }
        poll
    }

    /// The input of a poll: the step's on its first, else a sent value that no yield took in an
    /// earlier poll of the step (see `keep_unsent`).
    #[inline(always)]
    pub(crate) fn step_input(&self, input: Option<Input<S>>) -> Option<Input<S>> {
        match input {
            Some(input) => Some(input),
            // Nothing of a zero-sized type is kept (see `keep_unsent`).
            None if Airlock::<Y, S>::SENT_IS_ZERO_SIZED => None,
            None => self.unsent.take().map(Input::Send),
        }
    }

    /// Keeps a sent value that no yield took in a poll that did not end the step (a combinator in
    /// the body polls the pending yield later): the next poll hands it in again, also after the
    /// asynchronous step that sent it was dropped and another driver finishes the step. (A `()`
    /// needs no keeping: at a yield polled with nothing held, `()` was sent.)
    #[inline]
    pub(crate) fn keep_unsent(&self, airlock: &Airlock<Y, S>) {
        if let Some(value) = airlock.take_unsent() {
            self.unsent.set(Some(value));
        }
    }

    /// The check that keeps a broken invariant from becoming a use after free: only a Running
    /// frame's body is sure to be alive (see `Body::future`). Right after `begin` set the state,
    /// the compiler folds it away.
    #[inline(always)]
    pub(crate) fn check_running(&self) {
        if self.state.get() != GenState::Running {
            not_running();
        }
    }

    /// [`poll_body`](Self::poll_body) without the check, with the airlock of the step (made by
    /// the driver: the step's input is in it) and the `sink` of a `fold`.
    ///
    /// # Safety
    /// The frame is Running. (It stays Running from one poll to the next while the step is not
    /// over: only a finished step, or a panic, changes the state.)
    #[inline(always)]
    pub(crate) unsafe fn poll_running(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        airlock: &Airlock<Y, S>,
        sink: Option<RawSink>,
    ) -> Poll<Outcome<Y, F::Output>> {
        let this = self.project();
        let state: &Cell<GenState> = this.state;
        let mut body = this.body;
        let close_on_panic = CloseOnPanic(state, airlock);
        // SAFETY: Running, as the caller guarantees.
        let future = unsafe { body.as_mut().future() };
        // Lent with this frame's id: the airlock is typed with this frame's `Y` and `S`.
        let poll = poll_lending(airlock, *this.id, future, cx, sink);
        core::mem::forget(close_on_panic);
        match poll {
            Poll::Ready(value) => {
                state.set(GenState::Closed);
                // Left over in a body that returned: a sent value no yield took, or the value of
                // a yield the body did not wait for (a `select`).
                airlock.clear();
                body.drop_future();
                Poll::Ready(Outcome::Returned(value))
            }
            Poll::Pending => {
                if let Some(value) = airlock.take_yielded() {
                    state.set(GenState::Suspended);
                    Poll::Ready(Outcome::Yielded(value))
                } else if let Some(error) = airlock.take_thrown() {
                    // No yield caught it, or the body re-raised it: Python closes the generator
                    // and re-raises. Closed before the body's destructors run, in case one of
                    // them panics (the value, taken out, is dropped then).
                    state.set(GenState::Closed);
                    body.drop_future();
                    Poll::Ready(Outcome::Unhandled(error))
                } else {
                    // Awaiting something else.
                    Poll::Pending
                }
            }
        }
    }

    /// Marks the frame Closed, then drops the body where it paused (running its destructors). A
    /// destructor that panics leaves the frame Closed, as Python leaves a generator whose
    /// `finally` raised.
    #[inline]
    pub(crate) fn close(self: Pin<&mut Self>) {
        let this = self.project();
        this.state.set(GenState::Closed);
        this.body.drop_future();
        if !Airlock::<Y, S>::SENT_IS_ZERO_SIZED {
            drop(this.unsent.take());
        }
    }
}

/// Marks the generator Closed if its body panics while polled, and drops what the airlock holds.
struct CloseOnPanic<'a, Y, S>(&'a Cell<GenState>, &'a Airlock<Y, S>);

impl<Y, S> Drop for CloseOnPanic<'_, Y, S> {
    fn drop(&mut self) {
        self.0.set(GenState::Closed);
        self.1.clear();
    }
}

#[cold]
#[inline(never)]
fn not_running() -> ! {
    panic!("cogen: a generator's body was polled while the generator was not Running")
}
