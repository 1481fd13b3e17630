//! The yielder: the handle a generator body uses to yield, to receive sent values, to catch
//! thrown ones and to delegate (`yield from`).

#[cfg(feature = "alloc")]
use core::any::Any;
use core::fmt;
use core::future::{Future, poll_fn};
use core::marker::PhantomData;
use core::ops::DerefMut;
use core::pin::Pin;
use core::task::{Context, Poll};

#[cfg(feature = "alloc")]
use super::GeneratorExit;
use super::frame::{Airlock, Input, Outcome, RawThrown, with_airlock, with_lent};
use super::{Frame, Gen, GenState};

/// The yielder handed to a generator's body: `co.yield_(value).await` gives `value` out and
/// evaluates to the value sent in next (Python's `x = yield value`).
///
/// `Y` is the type of the values yielded and `S` the type of the values sent in (`()` for a
/// generator that is only iterated). A `Co` carries no pointer: it works only inside the body it
/// was made for, while that body runs, and panics with a clear message anywhere else.
///
/// ```
/// use cogen::{Gen, Step};
///
/// let mut running_sum = Gen::new(|co| async move {
///     let mut total = 0;
///     loop {
///         total += co.yield_(total).await;
///     }
/// });
/// assert_eq!(running_sum.start().yielded(), Some(0));
/// assert_eq!(running_sum.send(5).unwrap().yielded(), Some(5));
/// assert_eq!(running_sum.send(10).unwrap().yielded(), Some(15));
/// ```
pub struct Co<Y, S = ()> {
    id: u64,
    _types: PhantomData<fn(Y) -> S>,
    /// Without std, neither `Send` nor `Sync`: a yielder stays on the thread that polls its body,
    /// which is what lets a yield reach the airlock without asking which thread it runs on
    /// (see `frame::Lent`). With std, the yield checks the thread, and a yielder may move.
    #[cfg(not(feature = "std"))]
    _local: PhantomData<*const ()>,
}

impl<Y, S> fmt::Debug for Co<Y, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Co").finish_non_exhaustive()
    }
}

impl<Y, S> Co<Y, S> {
    pub(crate) fn new(id: u64) -> Self {
        Co {
            id,
            _types: PhantomData,
            #[cfg(not(feature = "std"))]
            _local: PhantomData,
        }
    }

    /// Yields `value` to whoever resumes the generator and evaluates to the value sent next.
    ///
    /// A value thrown in at this yield ([`Gen::throw`]) is not caught here: the generator closes
    /// and the thrown value goes back to the thrower. Use [`yield_catching`](Co::yield_catching)
    /// to handle it.
    ///
    /// ```
    /// use cogen::Gen;
    ///
    /// let mut echo = Gen::new(|co| async move {
    ///     let received: String = co.yield_("ready").await;
    ///     co.yield_(if received == "ping" { "pong" } else { "?" }).await;
    /// });
    /// assert_eq!(echo.start().yielded(), Some("ready"));
    /// assert_eq!(echo.send("ping".to_string()).unwrap().yielded(), Some("pong"));
    /// ```
    ///
    /// # Panics
    /// When awaited outside its generator's running body, or while another yield of the same
    /// generator is pending (each yield must be awaited before the next is started; under
    /// [`Iterator::fold`], where each yield completes at once, joined yields are fine).
    #[inline]
    pub fn yield_(&self, value: Y) -> Yield<'_, Y, S, Uncaught> {
        Yield::new(self, value)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// Yields `value` like [`yield_`](Co::yield_), and catches a value of type `E` thrown in at
    /// this yield: evaluates to `Ok(sent)` or `Err(thrown)` (Python's `try: x = yield value`
    /// `except E as e:`). A thrown value of another type is not caught: the generator closes and
    /// the value goes back to the thrower.
    ///
    /// ```
    /// use cogen::Gen;
    ///
    /// #[derive(Debug, PartialEq)]
    /// struct Reset;
    ///
    /// let mut counter = Gen::new(|co| async move {
    ///     let mut n = 0;
    ///     loop {
    ///         match co.yield_catching::<Reset>(n).await {
    ///             Ok(()) => n += 1,
    ///             Err(Reset) => n = 0,
    ///         }
    ///     }
    /// });
    /// assert_eq!(counter.resume().yielded(), Some(0));
    /// assert_eq!(counter.resume().yielded(), Some(1));
    /// assert_eq!(counter.throw(Reset).unwrap().yielded(), Some(0));
    /// // A value of another type is not caught: it comes back and the generator closes.
    /// assert_eq!(counter.throw("stop"), Err("stop"));
    /// assert_eq!(counter.state(), cogen::GenState::Closed);
    /// ```
    ///
    /// # Panics
    /// As [`yield_`](Co::yield_).
    #[inline]
    pub fn yield_catching<E: Any + Send>(&self, value: Y) -> Yield<'_, Y, S, Catch<E>> {
        Yield::new(self, value)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// Yields `value` like [`yield_`](Co::yield_), and catches whatever is thrown in at this
    /// yield, of any type (Python's `except BaseException as e:`): evaluates to `Ok(sent)` or
    /// `Err(thrown)`. Inspect the [`Thrown`] value with [`Thrown::is`] and
    /// [`Thrown::downcast`], and give it back to the thrower with [`reraise`](Co::reraise)
    /// (Python's bare `raise`).
    ///
    /// ```
    /// use cogen::{Gen, GenState, Step};
    ///
    /// let mut logger = Gen::new(|co| async move {
    ///     let mut seen = Vec::new();
    ///     loop {
    ///         match co.yield_catching_any(seen.len()).await {
    ///             Ok(()) => {}
    ///             Err(thrown) => match thrown.downcast::<&str>() {
    ///                 Ok(message) => seen.push(message), // handled: go on
    ///                 Err(other) => return co.reraise(other).await, // not ours: re-raise
    ///             },
    ///         }
    ///     }
    /// });
    /// logger.resume();
    /// assert_eq!(logger.throw("disk full"), Ok(Step::Yielded(1)));
    /// assert_eq!(logger.throw(404), Err(404)); // re-raised: back to the thrower, closed
    /// assert_eq!(logger.state(), GenState::Closed);
    /// ```
    ///
    /// # Panics
    /// As [`yield_`](Co::yield_).
    #[inline]
    pub fn yield_catching_any(&self, value: Y) -> Yield<'_, Y, S, CatchAny> {
        Yield::new(self, value)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// Raises a caught value out of this generator again (Python's bare `raise` in an `except`
    /// block): the generator closes (its destructors run) and the value goes back to whoever
    /// threw it, as an `Err` of [`Gen::throw`]. Never completes, so it fits wherever the body
    /// needs a value of any type (`return co.reraise(thrown).await`).
    ///
    /// A value re-raised in answer to a throw of another type (caught at one throw, kept, and
    /// re-raised at a later one) cannot come back as that throw's `Err`: the throwing call
    /// then panics with the value as its payload (with std, `std::panic::resume_unwind`), as
    /// Python's `throw` raises whatever the generator raised.
    ///
    /// ```
    /// use cogen::Gen;
    ///
    /// let mut g = Gen::new(|co| async move {
    ///     if let Err(thrown) = co.yield_catching_any(1).await {
    ///         co.reraise::<()>(thrown).await;
    ///     }
    /// });
    /// g.resume();
    /// assert_eq!(g.throw('x'), Err('x'));
    /// ```
    ///
    /// # Panics
    /// When awaited outside the generator's running body.
    pub async fn reraise<T>(&self, thrown: Thrown) -> T {
        self.rethrow(thrown.0).await
    }

    /// The state of this yielder's generator, which is [`GenState::Running`] whenever the body can
    /// ask (Python's `inspect.getgeneratorstate` called from inside the generator). Awaiting it
    /// never suspends the body: the generator is found through the poll's context.
    ///
    /// ```
    /// use cogen::{Gen, GenState};
    ///
    /// let mut g = Gen::new(|co| async move {
    ///     let inside = co.state().await;
    ///     co.yield_(inside).await;
    /// });
    /// assert_eq!(g.resume().yielded(), Some(GenState::Running));
    /// assert_eq!(g.state(), GenState::Suspended);
    /// ```
    ///
    /// # Panics
    /// When awaited outside the generator's running body.
    pub async fn state(&self) -> GenState {
        // Found through the poll's context (which also checks that this is the body's yielder),
        // the generator is polled, so Running.
        poll_fn(|cx| {
            with_airlock::<Y, S, _>(cx, self.id, |_| ());
            Poll::Ready(GenState::Running)
        })
        .await
    }

    /// Delegates to a sub-generator (Python's `yield from`): yields each value it yields, forwards
    /// what is sent or thrown in to it, and evaluates to its return value.
    ///
    /// A thrown value that the sub-generator does not catch closes it, then this generator, and
    /// goes back to the thrower ([`yield_from_catching`](Co::yield_from_catching) lets this body
    /// catch it instead). Closing this generator closes the sub-generator too.
    ///
    /// ```
    /// use cogen::Gen;
    ///
    /// let inner = Gen::new(|co| async move {
    ///     let a: i32 = co.yield_(1).await;
    ///     let b: i32 = co.yield_(2).await;
    ///     a + b
    /// });
    /// let mut outer = Gen::new(|co| async move {
    ///     let sum = co.yield_from(inner).await;
    ///     co.yield_(sum * 100).await;
    /// });
    /// assert_eq!(outer.start().yielded(), Some(1));
    /// assert_eq!(outer.send(10).unwrap().yielded(), Some(2));
    /// assert_eq!(outer.send(20).unwrap().yielded(), Some(3000));
    /// ```
    ///
    /// A sub-generator that has already been advanced is resumed where it paused (Python sends
    /// it None; here it is resumed, so its send type must be `()`), and one that has already
    /// returned makes this evaluate to `()` at once (Python's None), so its return type must be
    /// `()`.
    ///
    /// ```
    /// use cogen::Gen;
    ///
    /// let mut letters = Gen::new(|co| async move {
    ///     for letter in ['a', 'b', 'c'] {
    ///         co.yield_(letter).await;
    ///     }
    /// });
    /// assert_eq!(letters.next(), Some('a'));
    /// let rest = Gen::new(|co| async move { co.yield_from(letters).await });
    /// assert_eq!(rest.collect::<String>(), "bc");
    /// ```
    ///
    /// # Panics
    /// When `sub` has already been advanced and its send type is not `()`, or has already
    /// returned and its return type is not `()` (Python would send or return None, which those
    /// types have no value for); when closing this generator closes `sub`, and `sub` yields
    /// instead of closing (Python's "generator ignored GeneratorExit"); and as
    /// [`yield_`](Co::yield_).
    pub async fn yield_from<F, P>(&self, sub: Gen<Y, S, F, P>) -> F::Output
    where
        F: Future,
        P: DerefMut<Target = Frame<Y, S, F>>,
    {
        match self.delegate(sub).await {
            Ok(value) => value,
            Err(error) => self.rethrow(error).await,
        }
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// Delegates to a sub-generator like [`yield_from`](Co::yield_from), and catches a value of
    /// type `E` thrown in that the sub-generator did not catch: evaluates to `Ok(returned)` or
    /// `Err(thrown)` (Python's `try: r = yield from sub()` / `except E as e:`). The
    /// sub-generator has closed by then. A thrown value of another type is not caught.
    ///
    /// ```
    /// use cogen::{Gen, GenState, Step};
    ///
    /// #[derive(Debug, PartialEq)]
    /// struct ValueError(&'static str);
    ///
    /// let inner = Gen::new(|co| async move {
    ///     co.yield_(1).await;
    ///     co.yield_(2).await;
    /// });
    /// let mut outer = Gen::new(|co| async move {
    ///     match co.yield_from_catching(inner).await {
    ///         Ok(()) => co.yield_(0).await,
    ///         Err(ValueError(why)) => co.yield_(why.len() as i32).await,
    ///     }
    /// });
    /// assert_eq!(outer.resume(), Step::Yielded(1));
    /// assert_eq!(outer.throw(ValueError("bad")), Ok(Step::Yielded(3)));
    /// assert_eq!(outer.state(), GenState::Suspended);
    /// ```
    ///
    /// # Panics
    /// As [`yield_from`](Co::yield_from).
    pub async fn yield_from_catching<E, F, P>(&self, sub: Gen<Y, S, F, P>) -> Result<F::Output, E>
    where
        E: Any + Send,
        F: Future,
        P: DerefMut<Target = Frame<Y, S, F>>,
    {
        match self.delegate(sub).await {
            Ok(value) => Ok(value),
            Err(error) => match error.downcast::<E>() {
                Ok(error) => Err(*error),
                Err(error) => self.rethrow(error).await,
            },
        }
    }

    /// Runs `sub` to its end, passing its yields out and what comes in on to it: its return
    /// value, or a thrown value it did not catch (it has closed then).
    async fn delegate<F, P>(&self, mut sub: Gen<Y, S, F, P>) -> Result<F::Output, RawThrown>
    where
        F: Future,
        P: DerefMut<Target = Frame<Y, S, F>>,
    {
        let mut outcome = match sub.state() {
            GenState::Created => sub.step(Input::Start).await,
            // Advanced already: Python's delegation resumes it where it is, with `next` (a send of
            // None, here of `()`).
            GenState::Suspended => match unit_as::<S>() {
                Some(unit) => sub.step(Input::Send(unit)).await,
                None => advanced_sub_generator(),
            },
            // A step of it was left midway by a dropped asynchronous resume: finish that step.
            GenState::Running => sub.finish_step().await,
            // Python: `yield from` an exhausted generator evaluates to None at once.
            GenState::Closed => match unit_as::<F::Output>() {
                Some(unit) => return Ok(unit),
                None => closed_sub_generator(),
            },
        };
        loop {
            match outcome {
                Outcome::Yielded(value) => {
                    let input = match Yield::<Y, S, Raw>::new(self, value).await {
                        Resumed::Sent(sent) => Input::Send(sent),
                        #[cfg(feature = "alloc")]
                        Resumed::Thrown(error) if error.is::<GeneratorExit>() => {
                            // Python closes the sub-generator (whatever it returns is dropped),
                            // then raises GeneratorExit here; an error of its close goes on out.
                            return Err(match sub.step(Input::Throw(error)).await {
                                Outcome::Unhandled(thrown) => thrown,
                                Outcome::Returned(_) => alloc::boxed::Box::new(GeneratorExit),
                                Outcome::Yielded(_) => ignored_generator_exit(),
                            });
                        }
                        Resumed::Thrown(error) => Input::Throw(error),
                    };
                    outcome = sub.step(input).await;
                }
                Outcome::Returned(value) => return Ok(value),
                Outcome::Unhandled(thrown) => return Err(thrown),
            }
        }
    }

    /// Raises `error` out of this generator: leaves it in the airlock for the driver, which closes
    /// the generator and hands the error back to the thrower. Never completes.
    async fn rethrow<T>(&self, error: RawThrown) -> T {
        let mut error = Some(error);
        poll_fn(|cx| {
            if let Some(error) = error.take() {
                with_airlock::<Y, S, _>(cx, self.id, |airlock| airlock.put_thrown(error));
            }
            Poll::Pending
        })
        .await
    }
}

impl<Y> Co<Y, ()> {
    /// Yields every item of `items` in turn (Python's `yield from iterable`).
    ///
    /// ```
    /// use cogen::Gen;
    ///
    /// let g = Gen::new(|co| async move {
    ///     co.yield_from_iter("AB".chars().map(String::from)).await;
    ///     co.yield_from_iter((1..4).map(|n| n.to_string())).await;
    /// });
    /// assert_eq!(g.collect::<Vec<_>>(), ["A", "B", "1", "2", "3"]);
    /// ```
    ///
    /// # Panics
    /// As [`yield_`](Co::yield_).
    pub async fn yield_from_iter<I: IntoIterator<Item = Y>>(&self, items: I) {
        for item in items {
            self.yield_(item).await;
        }
    }
}

/// `()` as a `T`, when `T` is `()`: the value Python's None stands for where a generator is
/// resumed with `next` or returns nothing.
fn unit_as<T>() -> Option<T> {
    // Only `()` is named "()"; and a zero-sized type has one value, read from no bytes.
    let is_unit = core::any::type_name::<T>() == core::any::type_name::<()>()
        && core::mem::size_of::<T>() == 0;
    // SAFETY: `T` is `()` (checked above): copying `()` as a `T` copies no bytes, and gives the
    // one value of the type.
    is_unit.then(|| unsafe { core::mem::transmute_copy::<(), T>(&()) })
}

#[cold]
#[inline(never)]
#[track_caller]
fn advanced_sub_generator() -> ! {
    panic!(
        "cogen: yield_from a generator that has already been advanced: Python resumes it by \
         sending None, which only a send type of () can stand for; send it a value first"
    )
}

#[cold]
#[inline(never)]
#[track_caller]
fn closed_sub_generator() -> ! {
    panic!(
        "cogen: yield_from a generator that has already returned: Python evaluates to None, \
         which only a return type of () can stand for"
    )
}

/// A body answered `close` (Python's `GeneratorExit`) with a yield.
#[cfg(feature = "alloc")]
#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn ignored_generator_exit() -> ! {
    panic!("generator ignored GeneratorExit")
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
/// A value thrown into a generator, caught whatever its type by [`Co::yield_catching_any`]
/// (Python's `except BaseException as e:`). Look at it with [`is`](Thrown::is) and
/// [`downcast`](Thrown::downcast), or give it back to the thrower with [`Co::reraise`].
///
/// ```
/// use cogen::Gen;
///
/// let mut g = Gen::new(|co| async move {
///     let thrown = co.yield_catching_any(0).await.unwrap_err();
///     assert!(thrown.is::<String>());
///     co.yield_(thrown.downcast::<String>().unwrap().len()).await;
/// });
/// g.resume();
/// assert_eq!(g.throw("four".to_string()).unwrap().yielded(), Some(4));
/// ```
pub struct Thrown(RawThrown);

#[cfg(feature = "alloc")]
impl Thrown {
    /// Wraps a value to raise out of a body with [`Co::reraise`]: re-raising a caught
    /// [`GeneratorExit`], say, caught by type with [`Co::yield_catching`] (Python's bare
    /// `raise` in `except GeneratorExit:`).
    ///
    /// ```
    /// use cogen::{Gen, GeneratorExit, Thrown};
    ///
    /// let mut g = Gen::new(|co| async move {
    ///     if let Err(exit) = co.yield_catching::<GeneratorExit>(1).await {
    ///         // clean up, then let the close go on
    ///         co.reraise::<()>(Thrown::new(exit)).await;
    ///     }
    /// });
    /// g.next();
    /// assert_eq!(g.close(), None);
    /// ```
    pub fn new<E: Any + Send>(value: E) -> Self {
        Thrown(alloc::boxed::Box::new(value))
    }

    /// Whether the thrown value is an `E`.
    ///
    /// ```
    /// # use cogen::Gen;
    /// let mut g = Gen::new(|co| async move {
    ///     let thrown = co.yield_catching_any((false, false)).await.unwrap_err();
    ///     co.yield_((thrown.is::<u8>(), thrown.is::<i32>())).await;
    /// });
    /// g.resume();
    /// assert_eq!(g.throw(7u8).unwrap().yielded(), Some((true, false)));
    /// ```
    pub fn is<E: Any>(&self) -> bool {
        self.0.is::<E>()
    }

    /// The thrown value as an `E`, or this `Thrown` back when it is of another type.
    ///
    /// ```
    /// # use cogen::Gen;
    /// let mut g = Gen::new(|co| async move {
    ///     let thrown = co.yield_catching_any(0).await.unwrap_err();
    ///     let thrown = thrown.downcast::<String>().unwrap_err(); // not a String
    ///     co.yield_(thrown.downcast::<i64>().unwrap()).await;
    /// });
    /// g.resume();
    /// assert_eq!(g.throw(-5i64).unwrap().yielded(), Some(-5));
    /// ```
    pub fn downcast<E: Any>(self) -> Result<E, Thrown> {
        self.0.downcast::<E>().map(|value| *value).map_err(Thrown)
    }

    /// A reference to the thrown value, if it is an `E`.
    ///
    /// ```
    /// # use cogen::Gen;
    /// let mut g = Gen::new(|co| async move {
    ///     let thrown = co.yield_catching_any(0).await.unwrap_err();
    ///     co.yield_(thrown.downcast_ref::<&str>().map_or(0, |text| text.len())).await;
    /// });
    /// g.resume();
    /// assert_eq!(g.throw("abc").unwrap().yielded(), Some(3));
    /// ```
    pub fn downcast_ref<E: Any>(&self) -> Option<&E> {
        self.0.downcast_ref::<E>()
    }

    /// The thrown value, boxed: a panic payload, for `std::panic::resume_unwind`.
    ///
    /// ```
    /// # use cogen::Gen;
    /// let mut g = Gen::new(|co| async move {
    ///     let thrown = co.yield_catching_any(0).await.unwrap_err();
    ///     co.yield_(*thrown.into_any().downcast::<i32>().unwrap()).await;
    /// });
    /// g.resume();
    /// assert_eq!(g.throw(9).unwrap().yielded(), Some(9));
    /// ```
    pub fn into_any(self) -> alloc::boxed::Box<dyn Any + Send> {
        self.0
    }
}

#[cfg(feature = "alloc")]
impl fmt::Debug for Thrown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only text and GeneratorExit can be shown without knowing the type.
        if let Some(text) = self.0.downcast_ref::<&str>() {
            f.debug_tuple("Thrown").field(text).finish()
        } else if let Some(text) = self.0.downcast_ref::<alloc::string::String>() {
            f.debug_tuple("Thrown").field(text).finish()
        } else if self.0.is::<GeneratorExit>() {
            f.debug_tuple("Thrown").field(&GeneratorExit).finish()
        } else {
            f.debug_tuple("Thrown").finish_non_exhaustive()
        }
    }
}

/// What a delegating yield received.
pub(crate) enum Resumed<S> {
    Sent(S),
    Thrown(RawThrown),
}

/// How a yield treats a value thrown in at it, and so what it evaluates to. Sealed: [`Uncaught`]
/// (evaluates to the sent value) and [`Catch`] (to `Ok(sent)` or `Err(thrown)`).
///
/// ```
/// use cogen::generator::{Catch, CatchPolicy, Uncaught};
///
/// fn output_of<P: CatchPolicy<i32>>() -> &'static str {
///     std::any::type_name::<P::Output>()
/// }
/// assert_eq!(output_of::<Uncaught>(), "i32");
/// assert_eq!(output_of::<Catch<u8>>(), "core::result::Result<i32, u8>");
/// ```
pub trait CatchPolicy<S>: sealed::Sealed {
    /// What the yield evaluates to.
    type Output;
    /// Whether a thrown value may be taken at the yield (when not, it stays for the driver).
    #[doc(hidden)]
    const TAKES_THROWN: bool;
    #[doc(hidden)]
    fn sent(value: S) -> Self::Output;
    #[doc(hidden)]
    fn thrown(error: RawThrown) -> Result<Self::Output, RawThrown>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Uncaught {}
    #[cfg(feature = "alloc")]
    impl<E> Sealed for super::Catch<E> {}
    #[cfg(feature = "alloc")]
    impl Sealed for super::CatchAny {}
    impl Sealed for super::Raw {}
}

/// The policy of [`Co::yield_`]: thrown values are not caught.
///
/// ```
/// use cogen::Gen;
///
/// let mut g = Gen::new(|co| async move { co.yield_(1).await; });
/// g.resume();
/// assert_eq!(g.throw(7), Err(7));
/// ```
#[derive(Debug)]
pub struct Uncaught;

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
/// The policy of [`Co::yield_catching`]: thrown values of type `E` are caught.
///
/// ```
/// use cogen::Gen;
///
/// let mut g = Gen::new(|co| async move {
///     let caught = co.yield_catching::<u8>(1).await;
///     co.yield_(if caught.is_err() { 2 } else { 3 }).await;
/// });
/// g.resume();
/// assert_eq!(g.throw(0u8).unwrap().yielded(), Some(2));
/// ```
pub struct Catch<E>(PhantomData<fn() -> E>);

#[cfg(feature = "alloc")]
impl<E> fmt::Debug for Catch<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Catch")
    }
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
/// The policy of [`Co::yield_catching_any`]: every thrown value is caught, as a [`Thrown`].
///
/// ```
/// use cogen::Gen;
///
/// let mut g = Gen::new(|co| async move {
///     let caught = co.yield_catching_any(1).await;
///     co.yield_(if caught.is_err() { 2 } else { 3 }).await;
/// });
/// g.resume();
/// assert_eq!(g.throw(1.5).unwrap().yielded(), Some(2));
/// ```
#[derive(Debug)]
pub struct CatchAny;

#[cfg(feature = "alloc")]
impl<S> CatchPolicy<S> for CatchAny {
    type Output = Result<S, Thrown>;
    const TAKES_THROWN: bool = true;
    #[inline]
    fn sent(value: S) -> Result<S, Thrown> {
        Ok(value)
    }
    #[inline]
    fn thrown(error: RawThrown) -> Result<Result<S, Thrown>, RawThrown> {
        Ok(Err(Thrown(error)))
    }
}

/// Delegation's policy: everything is passed on to the sub-generator.
pub(crate) struct Raw;

impl<S> CatchPolicy<S> for Uncaught {
    type Output = S;
    const TAKES_THROWN: bool = false;
    #[inline]
    fn sent(value: S) -> S {
        value
    }
    #[inline]
    fn thrown(error: RawThrown) -> Result<S, RawThrown> {
        Err(error)
    }
}

#[cfg(feature = "alloc")]
impl<S, E: Any + Send> CatchPolicy<S> for Catch<E> {
    type Output = Result<S, E>;
    const TAKES_THROWN: bool = true;
    #[inline]
    fn sent(value: S) -> Result<S, E> {
        Ok(value)
    }
    #[inline]
    fn thrown(error: RawThrown) -> Result<Result<S, E>, RawThrown> {
        error.downcast::<E>().map(|error| Err(*error))
    }
}

impl<S> CatchPolicy<S> for Raw {
    type Output = Resumed<S>;
    const TAKES_THROWN: bool = true;
    #[inline]
    fn sent(value: S) -> Resumed<S> {
        Resumed::Sent(value)
    }
    #[inline]
    fn thrown(error: RawThrown) -> Result<Resumed<S>, RawThrown> {
        Ok(Resumed::Thrown(error))
    }
}

/// The future of one yield, made by [`Co::yield_`] and [`Co::yield_catching`]. Its first poll
/// hands the value out and suspends the body; the next resume completes it with the value sent in.
///
/// ```
/// use cogen::Gen;
/// use cogen::generator::{Uncaught, Yield};
///
/// let mut g = Gen::new(|co| async move {
///     let pending: Yield<'_, &str, u32, Uncaught> = co.yield_("ready");
///     let sent: u32 = pending.await;
///     sent + 1
/// });
/// assert_eq!(g.start().yielded(), Some("ready"));
/// assert_eq!(g.send(41).unwrap().returned(), Some(42));
/// ```
#[must_use = "a yield does nothing unless awaited"]
pub struct Yield<'co, Y, S, C> {
    /// The yielder's id, copied so that polling does not load it through a reference.
    id: u64,
    value: Option<Y>,
    _co: PhantomData<&'co Co<Y, S>>,
    _policy: PhantomData<fn() -> C>,
}

impl<Y, S, C> fmt::Debug for Yield<'_, Y, S, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Yield")
            .field("handed_out", &self.value.is_none())
            .finish_non_exhaustive()
    }
}

impl<'co, Y, S, C> Yield<'co, Y, S, C> {
    #[inline]
    fn new(co: &'co Co<Y, S>, value: Y) -> Self {
        Yield {
            id: co.id,
            value: Some(value),
            _co: PhantomData,
            _policy: PhantomData,
        }
    }
}

// The future holds no self-references.
impl<Y, S, C> Unpin for Yield<'_, Y, S, C> {}

impl<Y, S, C: CatchPolicy<S>> Future for Yield<'_, Y, S, C> {
    type Output = C::Output;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<C::Output> {
        let value = self.value.take();
        // A yield handing its value out needs an empty airlock: another yield pending is
        // refused (checked with the rest, for one branch to one cold call).
        with_lent::<Y, S, _>(cx, self.id, value.is_some(), |airlock, sink| {
            if let Some(value) = value {
                // Under `fold`, the consumer takes the value here and the body goes on.
                let value = match sink {
                    Some(sink) => match sink.offer(value) {
                        Ok(sent) => return Poll::Ready(C::sent(sent)),
                        // A consumer that panicked, its panic caught by the body, takes no
                        // more: suspend as usual, and `fold` reports it.
                        Err(value) => value,
                    },
                    None => value,
                };
                airlock.put_yielded_into_empty(value);
                return Poll::Pending;
            }
            // The hot path of a resume: a value sent (`()` for `next`). The rest is rare, and
            // kept out of line so that a body stays small enough for the compiler to inline.
            match airlock.take_sent() {
                Some(sent) => Poll::Ready(C::sent(sent)),
                // A value thrown in stays for the driver, which closes the generator; or none
                // is there yet (polled again before the driver resumed the generator).
                None if !C::TAKES_THROWN => Poll::Pending,
                None => resumed_without_a_value::<Y, S, C>(airlock),
            }
        })
    }
}

/// A yield resumed with something other than a sent value: a thrown one (caught or not), or
/// nothing yet (polled again before its driver resumed the generator).
#[cold]
#[inline(never)]
fn resumed_without_a_value<Y, S, C: CatchPolicy<S>>(airlock: &Airlock<Y, S>) -> Poll<C::Output> {
    match airlock.take_thrown().map(C::thrown) {
        Some(Ok(output)) => Poll::Ready(output),
        // Not ours to catch: the driver takes it back and closes the generator.
        Some(Err(error)) => {
            airlock.put_thrown(error);
            Poll::Pending
        }
        None => Poll::Pending,
    }
}
