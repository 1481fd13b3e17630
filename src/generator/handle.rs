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
use super::frame::RawThrown;
use super::frame::{Input, Outcome, RawSink, discard};
#[cfg(feature = "alloc")]
use super::{Co, GeneratorExit};
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
/// await [`asend`](Gen::asend) and [`athrow`](Gen::athrow), or make the generator a
/// [`Stream`] with [`into_stream`](Gen::into_stream).
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
/// A function that returns the generator itself, so that its caller can also `send`, `throw`
/// and `close` it, names the body's type with `impl Future` (or erases it: [`BoxGen`]):
///
/// ```
/// use std::future::Future;
/// use cogen::{Gen, Step};
///
/// // Python: def averager():  total = count = 0; average = None
/// //             while True:  term = yield average; total += term; count += 1; ...
/// fn averager() -> Gen<f64, f64, impl Future<Output = ()>> {
///     Gen::new(|co| async move {
///         let (mut total, mut count) = (0.0, 0.0);
///         let mut average = f64::NAN;
///         loop {
///             let term = co.yield_(average).await;
///             total += term;
///             count += 1.0;
///             average = total / count;
///         }
///     })
/// }
/// let mut coro_avg = averager();
/// assert!(coro_avg.start().yielded().unwrap().is_nan());
/// assert_eq!(coro_avg.send(10.0), Ok(Step::Yielded(10.0)));
/// assert_eq!(coro_avg.send(30.0), Ok(Step::Yielded(20.0)));
/// assert_eq!(coro_avg.send(5.0), Ok(Step::Yielded(15.0)));
/// assert_eq!(coro_avg.close(), None);
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
pub struct Gen<Y, S, F: Future, P: DerefMut<Target = Frame<Y, S, F>> = BoxedFrame<Y, S, F>> {
    frame: Pin<P>,
    /// The return value, when the generator was consumed as an `Iterator` or `Stream`.
    returned: Option<F::Output>,
    /// `Y` and `S` are fixed by `P`; auto traits come from the frame, not from this marker.
    _types: PhantomData<fn(S) -> Y>,
}

/// Where a [`Gen`] keeps its frame unless told otherwise: in a `Box` ([`Gen::new`]).
#[cfg(feature = "alloc")]
type BoxedFrame<Y, S, F> = alloc::boxed::Box<Frame<Y, S, F>>;

/// Without an allocator there are no boxed generators: the default names a frame pinned for the
/// program's life, and generators are `Gen::pinned`, whose frame type is named in full.
#[cfg(not(feature = "alloc"))]
type BoxedFrame<Y, S, F> = &'static mut Frame<Y, S, F>;

// Nothing in a `Gen` is structurally pinned: the frame is behind the pinned pointer `P`.
impl<Y, S, F: Future, P: DerefMut<Target = Frame<Y, S, F>>> Unpin for Gen<Y, S, F, P> {}

/// Dropping a generator closes it: its body is dropped where it paused, so its drop guards run
/// (Python's `finally`), also for a frame pinned elsewhere ([`Gen::pinned`]), which is Closed
/// from then on. Unlike [`close`](Gen::close), a drop does not resume the body with
/// [`GeneratorExit`] (Python does, when it collects a generator): a body's handler of
/// `GeneratorExit` runs on `close`, not on drop. (Resuming from `drop` would make every
/// generator's frame reachable from code the compiler cannot see through, which cost the
/// summing loop 42 instructions per item instead of 5.)
impl<Y, S, F: Future, P: DerefMut<Target = Frame<Y, S, F>>> Drop for Gen<Y, S, F, P> {
    #[inline]
    fn drop(&mut self) {
        if self.state() != GenState::Closed {
            self.frame.as_mut().close();
        }
    }
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
/// A boxed generator whose body type is erased, to keep in a struct field or return from a
/// trait method: `Send` (its body must be), returning `R`. Made by [`Gen::boxed`].
///
/// ```
/// use cogen::BoxGen;
///
/// struct Countdown {
///     ticks: BoxGen<'static, u32>,
/// }
///
/// trait Source {
///     fn items(&self) -> BoxGen<'static, u32>;
/// }
///
/// struct Upto(u32);
/// impl Source for Upto {
///     fn items(&self) -> BoxGen<'static, u32> {
///         let end = self.0;
///         BoxGen::boxed(move |co| async move {
///             for n in 0..end {
///                 co.yield_(n).await;
///             }
///         })
///     }
/// }
///
/// let countdown = Countdown { ticks: Upto(3).items() };
/// assert_eq!(countdown.ticks.collect::<Vec<_>>(), [0, 1, 2]);
/// ```
pub type BoxGen<'a, Y, S = (), R = ()> =
    Gen<Y, S, Pin<alloc::boxed::Box<dyn Future<Output = R> + Send + 'a>>>;

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
/// [`BoxGen`] for a body that is not `Send` (one that holds an `Rc`, say). Made by
/// [`Gen::boxed_local`].
///
/// ```
/// use std::rc::Rc;
/// use cogen::LocalBoxGen;
///
/// fn shared_words(words: Rc<Vec<&'static str>>) -> LocalBoxGen<'static, &'static str> {
///     LocalBoxGen::boxed_local(move |co| async move {
///         for word in words.iter() {
///             co.yield_(*word).await;
///         }
///     })
/// }
/// let words = Rc::new(vec!["no", "Send", "needed"]);
/// assert_eq!(shared_words(words).count(), 3);
/// ```
pub type LocalBoxGen<'a, Y, S = (), R = ()> =
    Gen<Y, S, Pin<alloc::boxed::Box<dyn Future<Output = R> + 'a>>>;

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
impl<'a, Y, S, R> BoxGen<'a, Y, S, R> {
    /// Makes a [`BoxGen`]: [`Gen::new`] with the body boxed and its type erased (two
    /// allocations instead of one, and a call through a pointer per resume).
    ///
    /// ```
    /// use cogen::{BoxGen, Gen};
    ///
    /// // Two bodies of different types, one generator type.
    /// let mut sources: Vec<BoxGen<'static, i32>> = vec![
    ///     Gen::boxed(|co| async move { co.yield_(1).await; }),
    ///     Gen::boxed(|co| async move { co.yield_from_iter([2, 3]).await; }),
    /// ];
    /// let all: Vec<i32> = sources.iter_mut().flat_map(|g| g.by_ref()).collect();
    /// assert_eq!(all, [1, 2, 3]);
    /// ```
    pub fn boxed<B>(producer: impl FnOnce(Co<Y, S>) -> B) -> Self
    where
        B: Future<Output = R> + Send + 'a,
    {
        Gen::new(|co| alloc::boxed::Box::pin(producer(co)) as Pin<alloc::boxed::Box<_>>)
    }
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
impl<'a, Y, S, R> LocalBoxGen<'a, Y, S, R> {
    /// Makes a [`LocalBoxGen`]: [`Gen::boxed`] for a body that is not `Send`.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use cogen::{Gen, LocalBoxGen};
    ///
    /// let shared = Rc::new(7);
    /// let g: LocalBoxGen<'_, i32> = Gen::boxed_local(|co| async move { co.yield_(*shared).await; });
    /// assert_eq!(g.collect::<Vec<_>>(), [7]);
    /// ```
    pub fn boxed_local<B>(producer: impl FnOnce(Co<Y, S>) -> B) -> Self
    where
        B: Future<Output = R> + 'a,
    {
        Gen::new(|co| alloc::boxed::Box::pin(producer(co)) as Pin<alloc::boxed::Box<_>>)
    }
}

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
    // Always inlined, so that the body's poll is weighed in the caller's loop (see `Frame::run`).
    #[inline(always)]
    #[track_caller]
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
    // Always inlined, so that the body's poll is weighed in the caller's loop (see `Frame::run`).
    #[inline(always)]
    pub fn send(&mut self, value: S) -> Result<Step<Y, F::Output>, SendError<S>> {
        if self.state() != GenState::Suspended {
            return Err(refuse_send(self.state(), value));
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
    #[track_caller]
    pub fn throw<E: Send + 'static>(&mut self, error: E) -> Result<Step<Y, F::Output>, E> {
        let input = self.admit_throw(error)?;
        let outcome = self.run(Some(input));
        self.thrown_result(outcome)
    }

    /// Closes the generator (Python's `g.close()`): a Suspended body gets [`GeneratorExit`] at
    /// the yield where it paused. A body that does not catch it closes (its destructors, Python's
    /// `finally`, run) and `close` gives `None`; a body that catches it
    /// ([`Co::yield_catching`]`::<GeneratorExit>`) and returns makes `close` give `Some` of the
    /// return value (Python 3.13). A Created generator closes without running; closing a Closed
    /// one does nothing. Dropping a generator closes it too, but drops a Suspended body without
    /// the `GeneratorExit` (see `Gen`'s `Drop`).
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
    /// assert_eq!(g.close(), None);
    /// assert!(cleaned.get());
    /// assert_eq!(g.state(), GenState::Closed);
    /// assert_eq!(g.next(), None);
    /// ```
    ///
    /// # Panics
    /// When the body catches the [`GeneratorExit`] and yields instead of ending: "generator
    /// ignored GeneratorExit" (Python's `RuntimeError`); the generator stays Suspended at that
    /// yield. When the body raises something else instead (it panics, or re-raises another
    /// thrown value), that reaches the caller: a panic goes on, and a thrown value becomes a
    /// panic with it as the payload (with std, `std::panic::resume_unwind`).
    #[track_caller]
    pub fn close(&mut self) -> Option<F::Output> {
        match self.state() {
            GenState::Closed => None,
            GenState::Suspended => self.close_suspended(),
            // A Running generator here is one whose asynchronous step was dropped midway: its
            // body is dropped where it waits.
            GenState::Created | GenState::Running => {
                self.frame.as_mut().close();
                None
            }
        }
    }

    /// Throws [`GeneratorExit`] in at the pending yield and reads what the body did with it.
    #[cfg(feature = "alloc")]
    #[track_caller]
    fn close_suspended(&mut self) -> Option<F::Output> {
        let outcome = self.run(Some(Input::Throw(alloc::boxed::Box::new(GeneratorExit))));
        self.closed_by(outcome)
    }

    /// Without an allocator nothing can be thrown, so nothing can catch `GeneratorExit`: the
    /// body is dropped where it paused.
    #[cfg(not(feature = "alloc"))]
    fn close_suspended(&mut self) -> Option<F::Output> {
        self.frame.as_mut().close();
        None
    }

    /// What `close` gives for the outcome of the step that `GeneratorExit` started.
    #[cfg(feature = "alloc")]
    #[track_caller]
    fn closed_by(&mut self, outcome: Outcome<Y, F::Output>) -> Option<F::Output> {
        match outcome {
            Outcome::Returned(value) => Some(value),
            Outcome::Unhandled(thrown) => {
                if thrown.is::<GeneratorExit>() {
                    None
                } else {
                    raise_out(thrown)
                }
            }
            Outcome::Yielded(_) => super::co::ignored_generator_exit(),
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
    /// middle of the step; [`astart`](Gen::astart), [`resume`](Gen::resume) or its
    /// [`GenStream`] finish it.
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

    /// [`close`](Gen::close) for async code: Python's `await agen.aclose()`. [`GeneratorExit`]
    /// is thrown in as `close` does, and a body that catches it may await in its handler
    /// before it returns; what the body awaits is awaited here instead of blocking. (A Rust
    /// body's drop guards cannot await: cleanup that must await goes in such a handler.)
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::{Gen, GenState, GeneratorExit};
    ///
    /// let mut ticks = Gen::new(|co| async move {
    ///     for tick in 0.. {
    ///         async_io::Timer::after(Duration::from_millis(1)).await;
    ///         if co.yield_catching::<GeneratorExit>(tick).await.is_err() {
    ///             // Cleanup that awaits: flush, say goodbye.
    ///             async_io::Timer::after(Duration::from_millis(1)).await;
    ///             return "flushed";
    ///         }
    ///     }
    ///     unreachable!()
    /// });
    /// futures_lite::future::block_on(async {
    ///     assert_eq!(ticks.aresume().await.yielded(), Some(0));
    ///     assert_eq!(ticks.aclose().await, Some("flushed"));
    /// });
    /// assert_eq!(ticks.state(), GenState::Closed);
    /// ```
    ///
    /// # Panics
    /// As [`close`](Gen::close).
    pub async fn aclose(&mut self) -> Option<F::Output> {
        #[cfg(feature = "alloc")]
        if self.state() == GenState::Suspended {
            let outcome = self
                .step(Input::Throw(alloc::boxed::Box::new(GeneratorExit)))
                .await;
            return self.closed_by(outcome);
        }
        self.close()
    }

    // Python's rules for what each state admits, shared by the synchronous methods and their
    // asynchronous twins: the input to run (none to finish a step already Running), or the
    // result to give without running anything.

    /// For Python's first `next`: a Created generator starts, a Running one finishes its step,
    /// a Closed one gives `Step::Closed`. Panics on a Suspended one (see `start`).
    #[track_caller]
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
            _ => Err(refuse_send(self.state(), value)),
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

    /// The end of a step left Running by a dropped asynchronous resume.
    pub(crate) async fn finish_step(&mut self) -> Outcome<Y, F::Output> {
        self.drive(None).await
    }

    /// `step`, or with no input, the end of a step already Running.
    async fn drive(&mut self, input: Option<Input<S>>) -> Outcome<Y, F::Output> {
        let mut input = input;
        if input.is_some() {
            self.frame.as_mut().begin();
        }
        poll_fn(|cx| self.frame.as_mut().poll_body(cx, input.take())).await
    }

    /// `drive`, synchronously: blocks while the body awaits something other than a yield.
    #[inline(always)]
    fn run(&mut self, input: Option<Input<S>>) -> Outcome<Y, F::Output> {
        self.begin_or_check(&input);
        // SAFETY: Running (just above).
        unsafe { self.frame.as_mut().run(input, None) }
    }

    /// Begins the step of `input`, or with none (a step already under way), checks that the
    /// frame is Running (its callers admitted it so: a broken invariant panics here rather than
    /// poll a body that is gone).
    #[inline(always)]
    fn begin_or_check(&mut self, input: &Option<Input<S>>) {
        match input {
            Some(_) => self.frame.as_mut().begin(),
            None => self.frame.check_running(),
        }
    }

    /// The step an outcome is (Python's `next`/`send` result).
    #[inline(always)]
    fn stepped(&self, outcome: Outcome<Y, F::Output>) -> Step<Y, F::Output> {
        match outcome {
            Outcome::Yielded(value) => Step::Yielded(value),
            Outcome::Returned(value) => Step::Returned(value),
            // A body that re-raises a value it caught, or a throw whose step was abandoned and
            // finished by a plain resume: the generator has closed, and the value is dropped.
            Outcome::Unhandled(thrown) => {
                discard(thrown);
                Step::Closed
            }
        }
    }

    /// What `throw` gives for an outcome: the thrown value back when it was not caught.
    #[cfg(feature = "alloc")]
    #[track_caller]
    fn thrown_result<E: 'static>(
        &self,
        outcome: Outcome<Y, F::Output>,
    ) -> Result<Step<Y, F::Output>, E> {
        match outcome {
            Outcome::Yielded(value) => Ok(Step::Yielded(value)),
            Outcome::Returned(value) => Ok(Step::Returned(value)),
            Outcome::Unhandled(thrown) => Err(thrown_back(thrown)),
        }
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
    // Always inlined, so that the body's poll is weighed in the caller's loop (see `Frame::run`).
    #[inline(always)]
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
    /// `Frame::run`). A step begun on a Created generator and one begun on a Suspended one put
    /// the same nothing in the airlock (a `()` sent is no value), so both begin with `Send(())`:
    /// the compiler sees that no other input (a throw) can come from here.
    #[inline(always)]
    fn resume_input(&self) -> Result<Option<Input<()>>, Step<Y, F::Output>> {
        let state = self.state();
        let begins = if state == GenState::Suspended {
            true
        } else {
            begins_cold(state)?
        };
        Ok(begins.then_some(Input::Send(())))
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

    /// [`resume`](Gen::resume) for async code. ([`into_stream`](Gen::into_stream) makes the
    /// generator a [`Stream`] of its yielded values.)
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
        let input = match self.admit_resume() {
            Ok(Some(input)) => {
                self.frame.as_mut().begin();
                Some(input)
            }
            Ok(None) => None,
            Err(step) => return Poll::Ready(step),
        };
        let poll = self.frame.as_mut().poll_body(cx, input);
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

    // Always inlined, so that the body's poll is weighed in the caller's loop (see `Frame::run`).
    #[inline(always)]
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
            Outcome::Unhandled(thrown) => {
                discard(thrown);
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
        self.begin_or_check(&input);
        // Whatever the step came to (returned, or suspended because the consumer took no more),
        // the generator is dropped when `fold` returns: its cleanup runs then.
        // SAFETY: Running (just above).
        let _ = unsafe { self.frame.as_mut().run(input, Some(sink)) };
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

impl<Y, F, P> Gen<Y, (), F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, (), F>>,
{
    /// The generator as an async [`Stream`] of its yielded values (Python's `async for` over an
    /// async generator): the body's awaits are awaited instead of blocking the thread.
    ///
    /// A `Gen` is an `Iterator` and not itself a `Stream`, so that `g.next()` and
    /// `g.collect()` mean one thing whatever extension traits are in scope, as Python keeps
    /// generators and async generators apart. [`GenStream::get_mut`] reaches the generator for
    /// [`asend`](Gen::asend) and [`athrow`](Gen::athrow) meanwhile.
    ///
    /// ```
    /// use std::time::Duration;
    /// use cogen::Gen;
    /// use futures_lite::StreamExt;
    ///
    /// let ticks = Gen::new(|co| async move {
    ///     for tick in 0..3 {
    ///         async_io::Timer::after(Duration::from_millis(1)).await;
    ///         co.yield_(tick).await;
    ///     }
    /// });
    /// let mut ticks = ticks.into_stream();
    /// futures_lite::future::block_on(async {
    ///     assert_eq!(ticks.next().await, Some(0));
    ///     assert_eq!(ticks.collect::<Vec<_>>().await, [1, 2]);
    /// });
    /// ```
    pub fn into_stream(self) -> GenStream<Y, F, P> {
        GenStream { generator: self }
    }
}

/// A generator driven as an async [`Stream`]: made by [`Gen::into_stream`]. Yields the values
/// the body yields until it returns; the return value is kept for
/// [`Gen::take_return_value`] (through [`get_mut`](GenStream::get_mut) or
/// [`into_inner`](GenStream::into_inner)).
///
/// ```
/// use cogen::Gen;
/// use futures_lite::StreamExt;
///
/// let g = Gen::new(|co| async move {
///     co.yield_(1).await;
///     "end"
/// });
/// let mut stream = g.into_stream();
/// futures_lite::future::block_on(async {
///     assert_eq!(stream.next().await, Some(1));
///     assert_eq!(stream.next().await, None);
/// });
/// assert_eq!(stream.into_inner().take_return_value(), Some("end"));
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct GenStream<Y, F: Future, P: DerefMut<Target = Frame<Y, (), F>>> {
    generator: Gen<Y, (), F, P>,
}

impl<Y, F, P> GenStream<Y, F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, (), F>>,
{
    /// The generator, to send or throw into between items.
    ///
    /// ```
    /// use cogen::Gen;
    /// use futures_lite::StreamExt;
    ///
    /// let mut stream = Gen::new(|co| async move {
    ///     co.yield_(1).await;
    ///     co.yield_(2).await;
    /// })
    /// .into_stream();
    /// futures_lite::future::block_on(async {
    ///     assert_eq!(stream.next().await, Some(1));
    ///     assert_eq!(stream.get_mut().athrow("stop").await, Err("stop"));
    ///     assert_eq!(stream.next().await, None);
    /// });
    /// ```
    pub fn get_mut(&mut self) -> &mut Gen<Y, (), F, P> {
        &mut self.generator
    }

    /// The generator, to read its state.
    ///
    /// ```
    /// use cogen::{Gen, GenState};
    ///
    /// let stream = Gen::new(|co| async move { co.yield_(1).await; }).into_stream();
    /// assert_eq!(stream.get_ref().state(), GenState::Created);
    /// ```
    pub fn get_ref(&self) -> &Gen<Y, (), F, P> {
        &self.generator
    }

    /// The generator back, to drive it synchronously again.
    ///
    /// ```
    /// use cogen::Gen;
    ///
    /// let mut g = Gen::new(|co| async move { co.yield_(1).await; }).into_stream().into_inner();
    /// assert_eq!(g.next(), Some(1));
    /// ```
    pub fn into_inner(self) -> Gen<Y, (), F, P> {
        self.generator
    }
}

// Nothing in a `GenStream` is structurally pinned (see `Gen`).
impl<Y, F: Future, P: DerefMut<Target = Frame<Y, (), F>>> Unpin for GenStream<Y, F, P> {}

impl<Y, F, P> Stream for GenStream<Y, F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, (), F>>,
{
    type Item = Y;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Y>> {
        let generator = &mut self.get_mut().generator;
        generator
            .poll_resume(cx)
            .map(|step| generator.iterated(step))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        Iterator::size_hint(&self.generator)
    }
}

impl<Y, F, P> FusedStream for GenStream<Y, F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, (), F>>,
{
    fn is_terminated(&self) -> bool {
        self.generator.state() == GenState::Closed
    }
}

impl<Y, F, P> fmt::Debug for GenStream<Y, F, P>
where
    F: Future,
    P: DerefMut<Target = Frame<Y, (), F>>,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("GenStream").field(&self.generator).finish()
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
/// The value that a throw put in comes back uncaught as the thrower's own type; a body that
/// re-raised a value of another type (see `Co::reraise`) raises it out of the throwing call.
#[track_caller]
fn thrown_back<E: 'static>(error: RawThrown) -> E {
    match error.downcast::<E>() {
        Ok(error) => *error,
        Err(other) => raise_out(other),
    }
}

/// Why a generator in `state` (not Suspended) does not take `value`. (It takes the state, not
/// the generator: see `begins_cold`.)
#[cold]
fn refuse_send<S>(state: GenState, value: S) -> SendError<S> {
    match state {
        GenState::Created => SendError::NotStarted(value),
        GenState::Closed => SendError::Closed(value),
        GenState::Running | GenState::Suspended => SendError::Running(value),
    }
}

/// Whether `next` begins a step in `state` (or finishes one left Running), for the rare states.
/// (It takes the state, not the generator: a generator lent to a call the compiler does not
/// inline is a generator whose frame it must keep in memory.)
#[cold]
fn begins_cold<Y, R>(state: GenState) -> Result<bool, Step<Y, R>> {
    match state {
        GenState::Created | GenState::Suspended => Ok(true),
        GenState::Running => Ok(false),
        GenState::Closed => Err(Step::Closed),
    }
}

/// Raises a thrown value that is not the caller's out of a generator method: as a panic with
/// the value as its payload (Python raises whatever the generator raised).
#[cfg(feature = "alloc")]
#[cold]
#[inline(never)]
#[track_caller]
fn raise_out(thrown: RawThrown) -> ! {
    #[cfg(feature = "std")]
    {
        std::panic::resume_unwind(thrown)
    }
    #[cfg(not(feature = "std"))]
    {
        drop(thrown);
        panic!("cogen: a generator raised a thrown value of another type than the one thrown")
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn already_started() -> ! {
    panic!(
        "cogen: start() on a Suspended generator: it is waiting at a yield for a value, so send() \
         one (or resume() a generator whose send type is ())"
    )
}
