//! The generator handle: Python's `next`, `send`, `throw`, `close`, as an `Iterator` and a
//! `Stream`.

use core::fmt;
use core::future::{Future, poll_fn};
use core::iter::FusedIterator;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ops::DerefMut;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

#[cfg(feature = "alloc")]
use super::Co;
use super::frame::{Input, Outcome, RawSink, Thrown};
use super::{Frame, GenState, SendError, Step};

/// A resumable coroutine with Python's generator semantics.
///
/// `Y` is the type of the yielded values, `S` the type of the values sent in (`()` for a
/// generator that is only iterated), `F` the body's future, whose output is the return value,
/// and `P` where the [`Frame`] lives: a `Box` ([`Gen::new`], one allocation per generator) or a
/// pinned `&mut` ([`Gen::pinned`], none).
///
/// Resuming never allocates. When the body awaits an ordinary future (a timer, a channel), the
/// synchronous methods block the thread until it is ready, as `block_on` does; from async code,
/// await [`asend`](Gen::asend) and [`athrow`](Gen::athrow) or use the generator as a
/// [`Stream`].
///
/// ```
/// use cogen::Gen;
///
/// fn fibonacci() -> impl Iterator<Item = u64> {
///     Gen::new(|co| async move {
///         let (mut a, mut b) = (0, 1);
///         loop {
///             co.yield_(a).await;
///             (a, b) = (b, a + b);
///         }
///     })
/// }
/// assert_eq!(fibonacci().take(8).collect::<Vec<_>>(), [0, 1, 1, 2, 3, 5, 8, 13]);
/// ```
///
/// With std, a `Gen` is `Send` when its body and its values are, so it can move to another
/// thread between resumes; no lock is taken per yield (without std, a yielder stays on its
/// thread, and so does a generator whose body holds one):
///
/// ```
/// use cogen::Gen;
///
/// let mut words = Gen::new(|co| async move {
///     for word in ["moved", "between", "threads"] {
///         co.yield_(word.to_string()).await;
///     }
/// });
/// assert_eq!(words.next().as_deref(), Some("moved"));
/// let rest = std::thread::spawn(move || words.collect::<Vec<_>>()).join().unwrap();
/// assert_eq!(rest, ["between", "threads"]);
/// ```
///
/// A body that holds an `Rc` across a yield is not `Send`, and neither is its generator:
///
/// ```compile_fail
/// use std::rc::Rc;
/// use cogen::Gen;
///
/// let shared = Rc::new(5);
/// let g = Gen::new(move |co| async move { co.yield_(*shared).await; });
/// std::thread::spawn(move || g.count());
/// ```
#[must_use = "a generator does nothing unless resumed or iterated"]
pub struct Gen<Y, S, F: Future, P = BoxedFrame<Y, S, F>> {
    frame: Pin<P>,
    /// The return value, when the generator was consumed as an `Iterator` or `Stream`.
    returned: Option<F::Output>,
    /// `Y` and `S` are fixed by `P`; auto traits come from the frame, not from this marker.
    _types: PhantomData<fn(S) -> Y>,
}

/// Where a [`Gen`] keeps its frame unless told otherwise: in a `Box` ([`Gen::new`]).
#[cfg(feature = "alloc")]
type BoxedFrame<Y, S, F> = alloc::boxed::Box<Frame<Y, S, F>>;

/// Without an allocator there are no boxed generators: `Gen<Y, S, F>` then names a type with no
/// constructor and no methods (generators are `Gen::pinned`, whose frame type is named in full).
#[cfg(not(feature = "alloc"))]
type BoxedFrame<Y, S, F> = PhantomData<Frame<Y, S, F>>;

// Nothing in a `Gen` is structurally pinned: the frame is behind the pinned pointer `P`.
impl<Y, S, F: Future, P> Unpin for Gen<Y, S, F, P> {}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
impl<Y, S, F: Future> Gen<Y, S, F> {
    /// Makes a generator from a closure over its yielder that returns the body. Nothing of the
    /// body runs until the first resume (the generator is Created). Allocates the frame once.
    ///
    /// ```
    /// use cogen::{Gen, GenState};
    ///
    /// let mut g = Gen::new(|co| async move {
    ///     println!("started");
    ///     co.yield_(1).await;
    /// });
    /// assert_eq!(g.state(), GenState::Created); // nothing printed yet
    /// assert_eq!(g.next(), Some(1));
    /// ```
    #[inline]
    pub fn new(producer: impl FnOnce(Co<Y, S>) -> F) -> Self {
        // Allocated first and written in place: made on the stack and then moved, the frame
        // was copied into the box, a cost paid for every generator.
        let mut frame = alloc::boxed::Box::<Frame<Y, S, F>>::new_uninit();
        frame.write(Frame::new(producer));
        // SAFETY: written just above.
        let frame = unsafe { frame.assume_init() };
        Gen {
            frame: alloc::boxed::Box::into_pin(frame),
            returned: None,
            _types: PhantomData,
        }
    }
}

impl<'frame, Y, S, F: Future> Gen<Y, S, F, &'frame mut Frame<Y, S, F>> {
    /// Drives a frame pinned elsewhere, typically on the stack with [`std::pin::pin!`]: no
    /// allocation at all.
    ///
    /// ```
    /// use std::pin::pin;
    /// use cogen::{Frame, Gen};
    ///
    /// let frame = pin!(Frame::new(|co| async move {
    ///     for word in ["Do", "today"] {
    ///         co.yield_(word).await;
    ///     }
    /// }));
    /// let words: Vec<&str> = Gen::pinned(frame).collect();
    /// assert_eq!(words, ["Do", "today"]);
    /// ```
    pub fn pinned(frame: Pin<&'frame mut Frame<Y, S, F>>) -> Self {
        Gen {
            frame,
            returned: None,
            _types: PhantomData,
        }
    }
}

impl<Y, S, F, P> Gen<Y, S, F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, S, F>>,
{
    /// Where the generator is: Created, Running, Suspended or Closed (Python's
    /// `inspect.getgeneratorstate`).
    ///
    /// ```
    /// use cogen::{Gen, GenState};
    ///
    /// let mut g = Gen::new(|co| async move { co.yield_(1).await; });
    /// assert_eq!(g.state(), GenState::Created);
    /// g.next();
    /// assert_eq!(g.state(), GenState::Suspended);
    /// g.next();
    /// assert_eq!(g.state(), GenState::Closed);
    /// ```
    #[inline]
    pub fn state(&self) -> GenState {
        self.frame.state()
    }

    /// Runs a Created generator to its first yield (Python's first `next(g)`), for generators
    /// of any send type. On a Closed generator it runs nothing and gives [`Step::Closed`]; on one
    /// left Running by a dropped asynchronous resume it finishes that step.
    ///
    /// ```
    /// use cogen::{Gen, Step};
    ///
    /// let mut g = Gen::new(|co| async move {
    ///     let name: &str = co.yield_("who?").await;
    ///     format!("hello, {name}")
    /// });
    /// assert_eq!(g.start(), Step::Yielded("who?"));
    /// assert_eq!(g.send("cogen"), Ok(Step::Returned("hello, cogen".to_string())));
    /// ```
    ///
    /// # Panics
    /// When the generator is Suspended: it waits for a value, so [`send`](Gen::send) one.
    #[inline]
    pub fn start(&mut self) -> Step<Y, F::Output> {
        match self.admit_start() {
            Ok(input) => {
                let outcome = self.run(input);
                self.stepped(outcome)
            }
            Err(step) => step,
        }
    }

    /// Sends `value` in: the pending yield evaluates to it, and the body runs to its next yield
    /// or return (Python's `g.send(value)`).
    ///
    /// A Created generator is not at a yield, so sending fails with
    /// [`SendError::NotStarted`] and it stays Created; a Closed one gives
    /// [`SendError::Closed`]. Either way the value comes back in the error.
    ///
    /// ```
    /// use cogen::{Gen, GenState, SendError, Step};
    ///
    /// let mut g = Gen::new(|co| async move {
    ///     let y: i32 = co.yield_(100).await;
    ///     co.yield_(100 + y).await;
    /// });
    /// assert_eq!(g.send(1), Err(SendError::NotStarted(1)));
    /// assert_eq!(g.state(), GenState::Created);
    /// assert_eq!(g.start(), Step::Yielded(100));
    /// assert_eq!(g.send(200), Ok(Step::Yielded(300)));
    /// assert_eq!(g.send(300), Ok(Step::Returned(())));
    /// assert_eq!(g.send(400), Err(SendError::Closed(400)));
    /// ```
    #[inline]
    pub fn send(&mut self, value: S) -> Result<Step<Y, F::Output>, SendError<S>> {
        if self.state() != GenState::Suspended {
            return Err(self.refuse_send(value));
        }
        let outcome = self.run(Some(Input::Send(value)));
        Ok(self.stepped(outcome))
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// Raises `error` at the pending yield (Python's `g.throw(error)`).
    ///
    /// If the body catches it there ([`Co::yield_catching`] with the type `E`), it goes on, and
    /// `throw` gives what it yields or returns next. Otherwise the generator closes (its
    /// destructors run) and `error` comes back as `Err`. A Created generator is closed without
    /// running; a Closed one, or one left Running by a dropped asynchronous resume, gives the
    /// error straight back.
    ///
    /// ```
    /// use cogen::{Gen, GenState, Step};
    ///
    /// let mut g = Gen::new(|co| async move {
    ///     loop {
    ///         if let Err(message) = co.yield_catching::<String>(0).await {
    ///             co.yield_(message.len()).await;
    ///         }
    ///     }
    /// });
    /// g.resume();
    /// assert_eq!(g.throw("four".to_string()), Ok(Step::Yielded(4)));
    /// assert_eq!(g.throw(3.5), Err(3.5)); // not caught: closes
    /// assert_eq!(g.state(), GenState::Closed);
    /// ```
    pub fn throw<E: Send + 'static>(&mut self, error: E) -> Result<Step<Y, F::Output>, E> {
        let input = self.admit_throw(error)?;
        let outcome = self.run(Some(input));
        self.thrown_result(outcome)
    }

    /// Closes the generator: a Suspended body is dropped where it paused, so its destructors
    /// (drop guards, Python's `finally`) run; a Created one is dropped without running. Closing a
    /// Closed generator does nothing. Dropping a generator closes it too.
    ///
    /// ```
    /// use std::cell::Cell;
    /// use cogen::{Gen, GenState};
    ///
    /// struct Cleanup<'a>(&'a Cell<bool>);
    /// impl Drop for Cleanup<'_> {
    ///     fn drop(&mut self) { self.0.set(true) }
    /// }
    ///
    /// let cleaned = Cell::new(false);
    /// let flag = &cleaned;
    /// let mut g = Gen::new(|co| async move {
    ///     let _guard = Cleanup(flag);
    ///     co.yield_(1).await;
    ///     co.yield_(2).await;
    /// });
    /// g.next();
    /// g.close();
    /// assert!(cleaned.get());
    /// assert_eq!(g.state(), GenState::Closed);
    /// assert_eq!(g.next(), None);
    /// ```
    pub fn close(&mut self) {
        if self.state() != GenState::Closed {
            self.frame.as_mut().close();
        }
    }

    /// Takes the return value that the body returned while the generator was consumed as an
    /// `Iterator` or a `Stream` (Python's `StopIteration.value`). A return value comes out once:
    /// here, or as [`Step::Returned`].
    ///
    /// ```
    /// use cogen::Gen;
    ///
    /// let mut g = Gen::new(|co| async move {
    ///     co.yield_(1).await;
    ///     co.yield_(2).await;
    ///     "summary"
    /// });
    /// let items: Vec<i32> = g.by_ref().collect();
    /// assert_eq!(items, [1, 2]);
    /// assert_eq!(g.take_return_value(), Some("summary"));
    /// assert_eq!(g.take_return_value(), None);
    /// ```
    pub fn take_return_value(&mut self) -> Option<F::Output> {
        self.returned.take()
    }

    /// [`start`](Gen::start) for async code: awaits what the body awaits instead of blocking.
    ///
    /// ```
    /// use cogen::{Gen, Step};
    ///
    /// let mut g = Gen::new(|co| async move {
    ///     let n: u32 = co.yield_(0).await;
    ///     n * 2
    /// });
    /// futures_lite::future::block_on(async {
    ///     assert_eq!(g.astart().await, Step::Yielded(0));
    ///     assert_eq!(g.asend(21).await, Ok(Step::Returned(42)));
    /// });
    /// ```
    ///
    /// # Panics
    /// As [`start`](Gen::start).
    pub async fn astart(&mut self) -> Step<Y, F::Output> {
        match self.admit_start() {
            Ok(input) => {
                let outcome = self.drive(input).await;
                self.stepped(outcome)
            }
            Err(step) => step,
        }
    }

    /// [`send`](Gen::send) for async code: awaits what the body awaits instead of blocking.
    ///
    /// Dropping the returned future before it completes leaves the generator Running in the
    /// middle of the step; [`astart`](Gen::astart), [`resume`](Gen::resume) or the `Stream`
    /// finish it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::{Gen, Step};
    ///
    /// let mut slow_double = Gen::new(|co| async move {
    ///     let mut n: u64 = co.yield_(0).await;
    ///     loop {
    ///         async_io::Timer::after(Duration::from_millis(1)).await;
    ///         n = co.yield_(n * 2).await;
    ///     }
    /// });
    /// futures_lite::future::block_on(async {
    ///     slow_double.astart().await;
    ///     assert_eq!(slow_double.asend(21).await, Ok(Step::Yielded(42)));
    /// });
    /// ```
    pub async fn asend(&mut self, value: S) -> Result<Step<Y, F::Output>, SendError<S>> {
        let input = self.admit_send(value)?;
        let outcome = self.step(input).await;
        Ok(self.stepped(outcome))
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// [`throw`](Gen::throw) for async code: awaits what the body awaits instead of blocking.
    ///
    /// ```
    /// use cogen::{Co, Gen, GenState};
    ///
    /// let mut g = Gen::new(|co: Co<()>| async move { co.yield_(()).await; });
    /// futures_lite::future::block_on(async {
    ///     g.astart().await;
    ///     assert_eq!(g.athrow("boom").await, Err("boom"));
    /// });
    /// assert_eq!(g.state(), GenState::Closed);
    /// ```
    pub async fn athrow<E: Send + 'static>(&mut self, error: E) -> Result<Step<Y, F::Output>, E> {
        let input = self.admit_throw(error)?;
        let outcome = self.step(input).await;
        self.thrown_result(outcome)
    }

    /// [`close`](Gen::close) for async code: Python's `await agen.aclose()`.
    ///
    /// Python's `aclose` throws `GeneratorExit` into the body, whose `finally` blocks may still
    /// await. A Rust body's cleanup is its drop guards, and destructors cannot await, so the
    /// body is dropped where it waits and this completes at once; it is here so that async
    /// code closes generators as Python's does.
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::time::Duration;
    /// use cogen::{Gen, GenState};
    ///
    /// struct Closed<'a>(&'a Cell<bool>);
    /// impl Drop for Closed<'_> {
    ///     fn drop(&mut self) { self.0.set(true) }
    /// }
    ///
    /// let closed = Cell::new(false);
    /// let flag = &closed;
    /// let mut ticks = Gen::new(|co| async move {
    ///     let _guard = Closed(flag);
    ///     for tick in 0.. {
    ///         async_io::Timer::after(Duration::from_millis(1)).await;
    ///         co.yield_(tick).await;
    ///     }
    /// });
    /// futures_lite::future::block_on(async {
    ///     assert_eq!(ticks.aresume().await.yielded(), Some(0));
    ///     ticks.aclose().await;
    /// });
    /// assert!(closed.get());
    /// assert_eq!(ticks.state(), GenState::Closed);
    /// ```
    pub async fn aclose(&mut self) {
        self.close();
    }

    // Python's rules for what each state admits, shared by the synchronous methods and their
    // asynchronous twins: the input to run (none to finish a step already Running), or the
    // result to give without running anything.

    /// For Python's first `next`: a Created generator starts, a Running one finishes its step,
    /// a Closed one gives `Step::Closed`. Panics on a Suspended one (see `start`).
    fn admit_start(&self) -> Result<Option<Input<S>>, Step<Y, F::Output>> {
        match self.state() {
            GenState::Created => Ok(Some(Input::Start)),
            GenState::Running => Ok(None),
            GenState::Suspended => already_started(),
            GenState::Closed => Err(Step::Closed),
        }
    }

    /// For `send`: only a Suspended generator takes a value; the others give it back.
    fn admit_send(&self, value: S) -> Result<Input<S>, SendError<S>> {
        match self.state() {
            GenState::Suspended => Ok(Input::Send(value)),
            _ => Err(self.refuse_send(value)),
        }
    }

    /// Why a generator that is not Suspended does not take `value`.
    #[cold]
    fn refuse_send(&self, value: S) -> SendError<S> {
        match self.state() {
            GenState::Created => SendError::NotStarted(value),
            GenState::Closed => SendError::Closed(value),
            GenState::Running | GenState::Suspended => SendError::Running(value),
        }
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// For `throw`: a Suspended generator takes the error at its yield; a Created one is closed
    /// without running; every other gives the error straight back.
    fn admit_throw<E: Send + 'static>(&mut self, error: E) -> Result<Input<S>, E> {
        match self.state() {
            GenState::Suspended => Ok(Input::Throw(alloc::boxed::Box::new(error))),
            GenState::Created => {
                self.close();
                Err(error)
            }
            GenState::Running | GenState::Closed => Err(error),
        }
    }

    /// One step driven by the caller's context: puts `input` in, then polls to the step's end.
    /// The caller has checked that the state admits `input`.
    pub(crate) async fn step(&mut self, input: Input<S>) -> Outcome<Y, F::Output> {
        self.drive(Some(input)).await
    }

    /// `step`, or with no input, the end of a step already Running.
    async fn drive(&mut self, input: Option<Input<S>>) -> Outcome<Y, F::Output> {
        if let Some(input) = input {
            self.frame.as_mut().begin(input);
        }
        poll_fn(|cx| self.frame.as_mut().poll_body(cx)).await
    }

    /// `drive`, synchronously: blocks while the body awaits something other than a yield.
    #[inline(always)]
    fn run(&mut self, input: Option<Input<S>>) -> Outcome<Y, F::Output> {
        if let Some(input) = input {
            self.frame.as_mut().begin(input);
        }
        self.frame.as_mut().run(None)
    }

    /// The step an outcome is (Python's `next`/`send` result).
    #[inline(always)]
    fn stepped(&self, outcome: Outcome<Y, F::Output>) -> Step<Y, F::Output> {
        match outcome {
            Outcome::Yielded(value) => Step::Yielded(value),
            Outcome::Returned(value) => Step::Returned(value),
            // Only a throw raises; a throw whose step was abandoned and finished by a plain
            // resume has closed the generator, and its value is dropped.
            Outcome::Unhandled => {
                self.frame.discard_unhandled();
                Step::Closed
            }
        }
    }

    /// What `throw` gives for an outcome: the thrown value back when it was not caught.
    #[cfg(feature = "alloc")]
    fn thrown_result<E: 'static>(
        &self,
        outcome: Outcome<Y, F::Output>,
    ) -> Result<Step<Y, F::Output>, E> {
        match outcome {
            Outcome::Yielded(value) => Ok(Step::Yielded(value)),
            Outcome::Returned(value) => Ok(Step::Returned(value)),
            Outcome::Unhandled => Err(thrown_back(self.frame.take_unhandled())),
        }
    }

    /// The thrown value of an unhandled outcome of `sub`'s step (for `yield from`).
    pub(crate) fn take_unhandled(&self) -> Thrown {
        self.frame.take_unhandled()
    }

    /// Records a return value met while iterating.
    #[inline]
    fn iterated(&mut self, step: Step<Y, F::Output>) -> Option<Y> {
        match step {
            Step::Yielded(value) => Some(value),
            Step::Returned(value) => {
                self.returned = Some(value);
                None
            }
            Step::Closed => None,
        }
    }
}

impl<Y, F, P> Gen<Y, (), F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, (), F>>,
{
    /// Runs the body to its next yield or return (Python's `next(g)`): starts a Created
    /// generator, resumes a Suspended one, and gives [`Step::Closed`] for a Closed one.
    ///
    /// ```
    /// use cogen::{Gen, Step};
    ///
    /// let mut g = Gen::new(|co| async move {
    ///     co.yield_("A Point. ").await;
    ///     co.yield_("B Point. ").await;
    /// });
    /// assert_eq!(g.resume(), Step::Yielded("A Point. "));
    /// assert_eq!(g.resume(), Step::Yielded("B Point. "));
    /// assert_eq!(g.resume(), Step::Returned(()));
    /// assert_eq!(g.resume(), Step::Closed);
    /// ```
    #[inline]
    pub fn resume(&mut self) -> Step<Y, F::Output> {
        match self.resume_input() {
            Ok(input) => {
                let outcome = self.run(input);
                self.stepped(outcome)
            }
            Err(step) => step,
        }
    }

    /// [`admit_resume`](Self::admit_resume) with the hot path (a Suspended generator) first,
    /// without a jump table; every path then runs the body from the same place (see
    /// `Frame::run`).
    #[inline(always)]
    fn resume_input(&self) -> Result<Option<Input<()>>, Step<Y, F::Output>> {
        if self.state() == GenState::Suspended {
            Ok(Some(Input::Send(())))
        } else {
            self.admit_resume_cold()
        }
    }

    #[cold]
    fn admit_resume_cold(&self) -> Result<Option<Input<()>>, Step<Y, F::Output>> {
        self.admit_resume()
    }

    /// For Python's `next`: what every state admits when the send type is `()`.
    fn admit_resume(&self) -> Result<Option<Input<()>>, Step<Y, F::Output>> {
        match self.state() {
            GenState::Suspended => Ok(Some(Input::Send(()))),
            GenState::Created => Ok(Some(Input::Start)),
            GenState::Running => Ok(None),
            GenState::Closed => Err(Step::Closed),
        }
    }

    /// [`resume`](Gen::resume) for async code. (The generator is also a [`Stream`] of its
    /// yielded values.)
    ///
    /// ```
    /// use cogen::{Gen, Step};
    ///
    /// let mut g = Gen::new(|co| async move {
    ///     co.yield_(1).await;
    ///     "end"
    /// });
    /// futures_lite::future::block_on(async {
    ///     assert_eq!(g.aresume().await, Step::Yielded(1));
    ///     assert_eq!(g.aresume().await, Step::Returned("end"));
    /// });
    /// ```
    pub async fn aresume(&mut self) -> Step<Y, F::Output> {
        poll_fn(|cx| self.poll_resume(cx)).await
    }

    fn poll_resume(&mut self, cx: &mut Context<'_>) -> Poll<Step<Y, F::Output>> {
        match self.admit_resume() {
            Ok(Some(input)) => self.frame.as_mut().begin(input),
            Ok(None) => {}
            Err(step) => return Poll::Ready(step),
        }
        let poll = self.frame.as_mut().poll_body(cx);
        poll.map(|outcome| self.stepped(outcome))
    }
}

/// Python's `next`: yielded values until the body returns; the return value is kept for
/// [`Gen::take_return_value`]. Fused.
impl<Y, F, P> Iterator for Gen<Y, (), F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, (), F>>,
{
    type Item = Y;

    #[inline]
    fn next(&mut self) -> Option<Y> {
        // `resume` then `iterated`, written out so the hot path builds no intermediate `Step`.
        let input = match self.resume_input() {
            Ok(input) => input,
            Err(_closed) => return None,
        };
        match self.run(input) {
            Outcome::Yielded(value) => Some(value),
            Outcome::Returned(value) => {
                self.returned = Some(value);
                None
            }
            Outcome::Unhandled => {
                self.frame.discard_unhandled();
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.state() {
            GenState::Closed => (0, Some(0)),
            _ => (0, None),
        }
    }

    /// Runs the body to its end, each yield handing its value straight to `f` instead of
    /// suspending the body: the body's loop runs inside one poll. `sum`, `count`, `last`,
    /// `max`, `min`, `for_each` and `fold` itself go this way, at about the cost of a loop
    /// written by hand (BENCHMARKS.md). A body that awaits something other than a yield blocks
    /// the thread meanwhile, as `next` does. The generator's return value is dropped, as std's
    /// adapters drop what they do not yield.
    ///
    /// Should `f` panic, the panic reaches the caller and the generator is dropped (its cleanup
    /// runs once). Should the body catch that panic (`catch_unwind` around a yield) and yield
    /// again, the fold panics, since its accumulator went with `f`'s panic.
    ///
    /// ```
    /// use cogen::Gen;
    ///
    /// let squares = Gen::new(|co| async move {
    ///     for n in 1..=4u64 {
    ///         co.yield_(n * n).await;
    ///     }
    /// });
    /// assert_eq!(squares.fold(0, |total, square| total + square), 30);
    /// ```
    #[inline]
    fn fold<B, G>(mut self, init: B, f: G) -> B
    where
        G: FnMut(B, Y) -> B,
    {
        let input = match self.state() {
            GenState::Created => Some(Input::Start),
            // The pending yield evaluates to `()`, as with `next`; the later ones go to `f`.
            GenState::Suspended => Some(Input::Send(())),
            // An asynchronous step was dropped midway: finish it.
            GenState::Running => None,
            GenState::Closed => return init,
        };
        let mut consumer = Consumer { acc: Some(init), f };
        // SAFETY: `consume::<Y, B, G>` treats `data` as the `Consumer<B, G>` above, which
        // outlives the step and is used by nothing else until `run` returns (`f` cannot reach
        // it: it is `f`'s own container), and `value` and `sent` as a `ManuallyDrop<Y>` and a
        // `MaybeUninit<()>`: this generator's `Y` and `S`.
        let sink = unsafe { RawSink::new((&raw mut consumer).cast(), consume::<Y, B, G>) };
        if let Some(input) = input {
            self.frame.as_mut().begin(input);
        }
        // Whatever the step came to (returned, or suspended because the consumer took no more),
        // the generator is dropped when `fold` returns: its cleanup runs then.
        let _ = self.frame.as_mut().run(Some(sink));
        match consumer.acc {
            Some(acc) => acc,
            None => {
                // `f` panicked and the body caught the panic. Its cleanup runs before the panic.
                self.close();
                consumer_lost()
            }
        }
    }
}

/// The consumer a `fold` lends its body: `f` and the accumulator, which is `None` only while
/// `f` runs, and for good once it panicked.
struct Consumer<B, G> {
    acc: Option<B>,
    f: G,
}

/// The [`SinkCall`](super::frame::SinkCall) of a `fold` over a `Gen<Y, (), F, P>`.
///
/// # Safety
/// `data` is a live `Consumer<B, G>` that nothing else uses during the call; `value` points at
/// a `ManuallyDrop<Y>` that the caller gives up when this returns true; `sent` points at a
/// `MaybeUninit<()>`.
unsafe fn consume<Y, B, G: FnMut(B, Y) -> B>(data: *mut (), value: *mut (), sent: *mut ()) -> bool {
    // SAFETY: as the function's contract says. The `&mut` lives for this call only.
    let consumer = unsafe { &mut *data.cast::<Consumer<B, G>>() };
    let Some(acc) = consumer.acc.take() else {
        return false;
    };
    // SAFETY: the caller gives the value up: this returns true from here on, or unwinds (and
    // then the caller does not use the value either: it unwinds too).
    let value = unsafe { ManuallyDrop::take(&mut *value.cast::<ManuallyDrop<Y>>()) };
    // SAFETY: `sent` is a `MaybeUninit<()>`; writing `()` initialises it.
    unsafe { sent.cast::<()>().write(()) };
    consumer.acc = Some((consumer.f)(acc, value));
    true
}

#[cold]
#[inline(never)]
fn consumer_lost() -> ! {
    panic!(
        "cogen: the closure given to a generator's fold panicked, and the generator's body caught \
         the panic: the fold cannot go on without its accumulator"
    )
}

impl<Y, F, P> FusedIterator for Gen<Y, (), F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, (), F>>,
{
}

/// An async generator: yielded values until the body returns, awaiting what the body awaits.
///
/// A `Gen` is also an `Iterator`, so with a `StreamExt` trait in scope, methods both traits have
/// (`next`, `map`, `collect`) need naming: `StreamExt::next(&mut g).await`.
///
/// ```
/// use std::time::Duration;
/// use cogen::Gen;
/// use futures_lite::StreamExt;
///
/// let mut ticks = Gen::new(|co| async move {
///     for tick in 0..3 {
///         async_io::Timer::after(Duration::from_millis(1)).await;
///         co.yield_(tick).await;
///     }
/// });
/// futures_lite::future::block_on(async {
///     assert_eq!(StreamExt::next(&mut ticks).await, Some(0));
///     assert_eq!(StreamExt::collect::<Vec<_>>(ticks).await, [1, 2]);
/// });
/// ```
impl<Y, F, P> Stream for Gen<Y, (), F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, (), F>>,
{
    type Item = Y;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Y>> {
        let this = self.get_mut();
        this.poll_resume(cx).map(|step| this.iterated(step))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        Iterator::size_hint(self)
    }
}

impl<Y, F, P> FusedStream for Gen<Y, (), F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, (), F>>,
{
    fn is_terminated(&self) -> bool {
        self.state() == GenState::Closed
    }
}

impl<Y, S, F, P> fmt::Debug for Gen<Y, S, F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, S, F>>,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gen")
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
/// The value a throw put in is the only one that can come out uncaught.
fn thrown_back<E: 'static>(error: Thrown) -> E {
    match error.downcast::<E>() {
        Ok(error) => *error,
        Err(_) => unreachable!("cogen: an uncaught thrown value changed type"),
    }
}

#[cold]
#[inline(never)]
fn already_started() -> ! {
    panic!(
        "cogen: start() on a Suspended generator: it is waiting at a yield for a value, so send() \
         one (or resume() a generator whose send type is ())"
    )
}
