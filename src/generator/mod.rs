//! Resumable coroutines with Python's generator semantics.
//!
//! A generator is a closure over a yielder ([`Co`]) that returns an `async` block; inside it,
//! `co.yield_(value).await` gives `value` out and evaluates to the value sent in next.
//!
//! | Python | cogen |
//! |---|---|
//! | `def g(): ... yield x ...` | `Gen::new(\|co\| async move { ... co.yield_(x).await ... })` |
//! | `next(g)`, `for x in g` | [`Gen::resume`], `Iterator` (send type `()`) |
//! | first `next(g)` of a coroutine | [`Gen::start`] |
//! | `g.send(v)` | [`Gen::send`] |
//! | `g.throw(e)`; `try: yield x except E:` | [`Gen::throw`]; [`Co::yield_catching`] |
//! | `g.close()` | [`Gen::close`] (or drop it) |
//! | `inspect.getgeneratorstate(g)` | [`Gen::state`] → [`GenState`] |
//! | `StopIteration.value` | [`Step::Returned`], [`Gen::take_return_value`] |
//! | `yield from g`, `yield from iterable` | [`Co::yield_from`], [`Co::yield_from_iter`] |
//! | `try: yield from g` / `except E:` | [`Co::yield_from_catching`] |
//! | async generator: `async for`, `asend`, `athrow`, `aclose` | [`Gen::into_stream`] (a `Stream`), [`Gen::asend`], [`Gen::athrow`], [`Gen::aclose`] |
//!
//! ```
//! use cogen::{Gen, GenState, Step};
//!
//! let mut g = Gen::new(|co| async move {
//!     let y: i32 = co.yield_(1).await;
//!     co.yield_(1 + y).await;
//!     "done"
//! });
//! assert_eq!(g.state(), GenState::Created);
//! assert_eq!(g.start(), Step::Yielded(1));
//! assert_eq!(g.state(), GenState::Suspended);
//! assert_eq!(g.send(10), Ok(Step::Yielded(11)));
//! assert_eq!(g.send(0), Ok(Step::Returned("done")));
//! assert_eq!(g.state(), GenState::Closed);
//! ```

mod block;
mod body;
mod co;
mod frame;
mod handle;

use core::fmt;

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use co::Catch;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use co::{CatchAny, Thrown};
pub use co::{CatchPolicy, Co, Uncaught, Yield};
pub use frame::Frame;
#[cfg(feature = "alloc")]
pub use handle::{BoxGen, LocalBoxGen};
pub use handle::{Gen, GenStream};

/// Where a generator is in its life, as Python's `inspect.getgeneratorstate` reports it.
///
/// `Display` prints Python's name (`GEN_SUSPENDED`); `Debug` prints the Rust one.
///
/// ```
/// use cogen::{Gen, GenState};
///
/// let mut g = Gen::new(|co| async move { co.yield_(()).await; });
/// assert_eq!(g.state(), GenState::Created);
/// g.resume();
/// assert_eq!(g.state().to_string(), "GEN_SUSPENDED");
/// g.close();
/// assert_eq!(g.state(), GenState::Closed);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GenState {
    /// Made but not started: no code of the body has run.
    Created,
    /// Executing its body, or (driven asynchronously) waiting inside it for a future other than
    /// a yield.
    Running,
    /// Paused at a yield.
    Suspended,
    /// Returned, panicked, had an uncaught value thrown in, or was closed.
    Closed,
}

impl fmt::Display for GenState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GenState::Created => "GEN_CREATED",
            GenState::Running => "GEN_RUNNING",
            GenState::Suspended => "GEN_SUSPENDED",
            GenState::Closed => "GEN_CLOSED",
        })
    }
}

/// What [`Gen::close`] throws in at the yield where the body is paused (Python's
/// `GeneratorExit`). A body that catches it ([`Co::yield_catching`]`::<GeneratorExit>`) may
/// clean up and return a value, which `close` then gives back; if it yields instead, `close`
/// panics ("generator ignored GeneratorExit", Python's `RuntimeError`).
///
/// ```
/// use cogen::{Gen, GeneratorExit};
///
/// let mut g = Gen::new(|co| async move {
///     let mut total = 0;
///     loop {
///         match co.yield_catching::<GeneratorExit>(total).await {
///             Ok(()) => total += 1,
///             Err(GeneratorExit) => return total * 100,
///         }
///     }
/// });
/// g.next();
/// g.next();
/// assert_eq!(g.close(), Some(100));
/// assert_eq!(GeneratorExit.to_string(), "GeneratorExit");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct GeneratorExit;

impl fmt::Display for GeneratorExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GeneratorExit")
    }
}

impl core::error::Error for GeneratorExit {}

/// What resuming a generator came to.
///
/// ```
/// use cogen::{Gen, Step};
///
/// let mut g = Gen::new(|co| async move {
///     co.yield_('a').await;
///     42
/// });
/// assert_eq!(g.resume(), Step::Yielded('a'));
/// assert_eq!(g.resume(), Step::Returned(42));
/// assert_eq!(g.resume(), Step::Closed);
/// ```
///
/// Not `#[must_use]`: as in Python, where `next(g)` is often called for its effect alone, a
/// step may be taken and its value ignored (`g.resume();`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step<Y, R> {
    /// The body yielded this value and is suspended.
    Yielded(Y),
    /// The body returned this value (Python's `StopIteration.value`); the generator is closed.
    /// A generator returns exactly once.
    Returned(R),
    /// The generator was already closed: nothing ran.
    Closed,
}

impl<Y, R> Step<Y, R> {
    /// The yielded value, if the body yielded.
    ///
    /// ```
    /// use cogen::Step;
    ///
    /// assert_eq!(Step::<i32, ()>::Yielded(3).yielded(), Some(3));
    /// assert_eq!(Step::<i32, ()>::Returned(()).yielded(), None);
    /// ```
    #[inline]
    pub fn yielded(self) -> Option<Y> {
        match self {
            Step::Yielded(value) => Some(value),
            _ => None,
        }
    }

    /// The returned value, if the body returned.
    ///
    /// ```
    /// use cogen::Step;
    ///
    /// assert_eq!(Step::<(), &str>::Returned("end").returned(), Some("end"));
    /// assert_eq!(Step::<(), &str>::Closed.returned(), None);
    /// ```
    #[inline]
    pub fn returned(self) -> Option<R> {
        match self {
            Step::Returned(value) => Some(value),
            _ => None,
        }
    }
}

/// Why [`Gen::send`] did not deliver a value. The value comes back with the error.
///
/// ```
/// use cogen::{Gen, SendError};
///
/// let mut g = Gen::new(|co| async move { let _: i32 = co.yield_(()).await; });
/// let error = g.send(100).unwrap_err();
/// assert_eq!(error.to_string(), "can't send non-None value to a just-started generator");
/// assert_eq!(error.into_inner(), 100);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum SendError<S> {
    /// The generator has not started: it is not at a yield that could receive a value. Start it
    /// first ([`Gen::start`]). It stays Created.
    NotStarted(S),
    /// The generator is in the middle of a step (an asynchronous resume was dropped before it
    /// finished); finish that step first ([`Gen::start`] or [`Gen::resume`]).
    Running(S),
    /// The generator has closed.
    Closed(S),
}

impl<S> SendError<S> {
    /// The value that was not delivered.
    ///
    /// ```
    /// use cogen::SendError;
    ///
    /// assert_eq!(SendError::Closed("lost?").into_inner(), "lost?");
    /// ```
    pub fn into_inner(self) -> S {
        match self {
            SendError::NotStarted(value) | SendError::Running(value) | SendError::Closed(value) => {
                value
            }
        }
    }
}

impl<S> fmt::Debug for SendError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SendError::NotStarted(_) => "NotStarted(..)",
            SendError::Running(_) => "Running(..)",
            SendError::Closed(_) => "Closed(..)",
        })
    }
}

impl<S> fmt::Display for SendError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            // Python's own messages, where Python has one.
            SendError::NotStarted(_) => "can't send non-None value to a just-started generator",
            SendError::Running(_) => "generator already executing",
            SendError::Closed(_) => "can't send to a closed generator",
        })
    }
}

impl<S> core::error::Error for SendError<S> {}
