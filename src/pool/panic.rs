//! A caught panic: its message for printing and comparing, and its payload for re-raising with
//! `std::panic::resume_unwind`, as Python re-raises a task's original exception.

use std::any::Any;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, PoisonError};

/// The panic of a task, a pool's call or a future: its message, and (once) its original
/// payload, to re-raise with [`std::panic::resume_unwind`] as Python's `raise` re-raises the
/// exception a task raised.
///
/// [`FutureError::Panicked`](super::FutureError::Panicked) and
/// [`TaskError::Panicked`](crate::rt::TaskError::Panicked) carry one. It compares, hashes and
/// prints as its message (so `FutureError::Panicked("bad input".into())` equals the error of a
/// task that panicked with `"bad input"`, whatever the payload), and derefs to it (`&str`).
///
/// # Who gets the payload
///
/// A payload is neither `Clone` nor `PartialEq`, and one caller only can own it. Every clone
/// of a `Panic` shares the one payload: the first [`take_payload`](Self::take_payload) (or
/// [`into_payload`](Self::into_payload), [`resume_unwind`](Self::resume_unwind)) among them
/// gets the original; from then on `take_payload` gives `None` to all of them, and
/// `into_payload` the message as a `String`. So:
///
/// - [`PoolFuture::result`](super::PoolFuture::result), which may be called many times (and from
///   a done callback, or another thread), hands out clones of the error the future keeps: the
///   first call that takes the payload out of its copy owns it. `join` and `.await` move the
///   future's own error out; it shares the payload all the same.
/// - A task of a [`TaskGroup`](crate::rt::TaskGroup) that panics is reported twice, in the
///   group's [`TaskGroupError`](crate::rt::TaskGroupError) and to whoever awaits the task's
///   handle: both share the payload, and the first to take it owns it.
/// - A future of [`gather!`](crate::gather!)`(...; return_exceptions)` that panics gives its
///   `Panic` to the gather's output alone.
/// - A panic in a worker process ([`ProcessPoolExecutor`](super::ProcessPoolExecutor), feature
///   `process`; `MpiPoolExecutor`, feature `mpi`) cannot cross to the parent: only its message
///   does. Such a `Panic` has no payload (`take_payload` gives `None`), and `into_payload` and
///   `resume_unwind` use the message, a `String`, so the re-raised panic prints the same
///   message. A `Panic` made from a message (`Panic::from("...")`, from a `&str` or a
///   `String`) is the same.
///
/// `Panic` is `Send`, `Sync` and `UnwindSafe`, as the errors that carry it.
///
/// ```
/// use std::panic::{self, AssertUnwindSafe};
/// use cogen::pool::{FutureError, ThreadPoolExecutor};
///
/// #[derive(Debug, PartialEq)]
/// struct BadFlag(&'static str);
///
/// let pool = ThreadPoolExecutor::with_max_workers(1);
/// let future = pool.submit(|| -> u8 { panic::panic_any(BadFlag("XX")) }).unwrap();
/// let Err(FutureError::Panicked(failure)) = future.join() else { unreachable!() };
/// assert_eq!(failure, "Box<dyn Any>"); // neither a `&str` nor a `String`
///
/// // Python: `raise future.exception()`; the caller's caller catches the original payload.
/// let caught = panic::catch_unwind(AssertUnwindSafe(|| failure.resume_unwind())).unwrap_err();
/// assert_eq!(caught.downcast_ref::<BadFlag>(), Some(&BadFlag("XX")));
/// ```
#[derive(Clone)]
pub struct Panic(Arc<Caught>);

/// What the clones of a `Panic` share.
struct Caught {
    message: String,
    /// The original payload, until someone takes it; `None` from the start for a panic known
    /// by its message only.
    payload: Mutex<Option<Box<dyn Any + Send>>>,
}

impl Drop for Caught {
    fn drop(&mut self) {
        let payload = self
            .payload
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(payload) = payload.take() {
            drop_payload(payload);
        }
    }
}

impl Panic {
    /// A caught panic's payload, with its message read as the panic hook reads it (`"Box<dyn
    /// Any>"` when the payload is neither a `&str` nor a `String`).
    ///
    /// ```
    /// use cogen::pool::Panic;
    ///
    /// let payload = std::panic::catch_unwind(|| panic!("no flag for {}", "XX")).unwrap_err();
    /// let failure = Panic::from_payload(payload);
    /// assert_eq!(failure.message(), "no flag for XX");
    /// assert!(failure.has_payload());
    /// ```
    pub fn from_payload(payload: Box<dyn Any + Send>) -> Panic {
        Panic(Arc::new(Caught {
            message: panic_text(&*payload),
            payload: Mutex::new(Some(payload)),
        }))
    }

    /// The panic's message: what the panic hook printed for it.
    ///
    /// ```
    /// use cogen::pool::Panic;
    ///
    /// assert_eq!(Panic::from("bad input").message(), "bad input");
    /// ```
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Whether the original payload is still here to be taken: false once a clone took it, and
    /// for a panic known by its message only (from a worker process, or made from a string).
    ///
    /// ```
    /// use cogen::pool::Panic;
    ///
    /// let failure = Panic::from_payload(Box::new(42_u32));
    /// let copy = failure.clone();
    /// assert!(copy.has_payload());
    /// drop(failure.take_payload());
    /// assert!(!copy.has_payload());
    /// assert!(!Panic::from("only a message").has_payload());
    /// ```
    pub fn has_payload(&self) -> bool {
        self.slot().is_some()
    }

    /// Takes the original payload out, for the first caller among this `Panic` and its clones;
    /// `None` after that, and for a panic known by its message only.
    ///
    /// ```
    /// use cogen::pool::{FutureError, ThreadPoolExecutor};
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let future = pool.submit(|| -> () { std::panic::panic_any(7_i64) }).unwrap();
    /// // `result` may be called again: each call gives a clone of the same error.
    /// let Err(FutureError::Panicked(first)) = future.result(None) else { unreachable!() };
    /// let Err(FutureError::Panicked(second)) = future.result(None) else { unreachable!() };
    /// assert_eq!(first.take_payload().unwrap().downcast::<i64>().ok(), Some(Box::new(7)));
    /// assert!(second.take_payload().is_none()); // the first caller owns it
    /// assert_eq!(second, first); // they still compare (and print) alike
    /// ```
    pub fn take_payload(&self) -> Option<Box<dyn Any + Send>> {
        self.slot().take()
    }

    /// The original payload if no clone took it yet; otherwise (and for a panic known by its
    /// message only) the message, as a `String`, which a panic hook prints as it printed the
    /// original.
    ///
    /// ```
    /// use cogen::pool::Panic;
    ///
    /// let payload = Panic::from("from a worker process").into_payload();
    /// assert_eq!(payload.downcast_ref::<String>().unwrap(), "from a worker process");
    /// ```
    pub fn into_payload(self) -> Box<dyn Any + Send> {
        match self.take_payload() {
            Some(payload) => payload,
            None => Box::new(self.0.message.clone()),
        }
    }

    /// Goes on unwinding with the payload ([`into_payload`](Self::into_payload)), as
    /// [`std::panic::resume_unwind`] does: Python's `raise` of the task's exception in the
    /// caller. The panic hook does not run again.
    ///
    /// ```
    /// use std::panic::{self, AssertUnwindSafe};
    /// use cogen::rt::{TaskError, run, spawn};
    ///
    /// let outcome = run(async { spawn(async { panic!("no flag for XX") }).await });
    /// let Err(TaskError::Panicked(failure)) = outcome else { unreachable!() };
    /// let caught = panic::catch_unwind(AssertUnwindSafe(|| failure.resume_unwind())).unwrap_err();
    /// assert_eq!(caught.downcast_ref::<&str>(), Some(&"no flag for XX")); // what `panic!` made
    /// ```
    pub fn resume_unwind(self) -> ! {
        panic::resume_unwind(self.into_payload())
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Box<dyn Any + Send>>> {
        // Nothing panics under this lock: poison can only come from outside, and is ignored.
        self.0
            .payload
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl From<String> for Panic {
    /// A panic known by its message only, as a worker process reports it (and as tests write
    /// the error they expect).
    ///
    /// ```
    /// use cogen::pool::{FutureError, Panic};
    ///
    /// let failure = Panic::from(format!("task {}", 3));
    /// assert_eq!(FutureError::Panicked(failure).to_string(), "the task panicked: task 3");
    /// ```
    fn from(message: String) -> Self {
        Panic(Arc::new(Caught {
            message,
            payload: Mutex::new(None),
        }))
    }
}

impl From<&str> for Panic {
    /// A panic known by its message only.
    ///
    /// ```
    /// use cogen::pool::{FutureError, ThreadPoolExecutor};
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let future = pool.submit(|| -> u8 { panic!("bad input") }).unwrap();
    /// assert_eq!(future.join(), Err(FutureError::Panicked("bad input".into())));
    /// ```
    fn from(message: &str) -> Self {
        Panic::from(message.to_string())
    }
}

impl fmt::Display for Panic {
    /// The message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Debug for Panic {
    /// The message, quoted as a string's `Debug` quotes it: `Panicked("bad input")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0.message, f)
    }
}

impl PartialEq for Panic {
    /// Equal messages (the payloads are not compared).
    fn eq(&self, other: &Panic) -> bool {
        self.0.message == other.0.message
    }
}

impl Eq for Panic {}

impl Hash for Panic {
    /// The message's hash, as `str` hashes it.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.message.hash(state);
    }
}

impl PartialEq<str> for Panic {
    fn eq(&self, other: &str) -> bool {
        self.0.message == other
    }
}

impl PartialEq<&str> for Panic {
    fn eq(&self, other: &&str) -> bool {
        self.0.message == *other
    }
}

impl PartialEq<String> for Panic {
    fn eq(&self, other: &String) -> bool {
        self.0.message == *other
    }
}

/// The message of a caught panic, as the panic hook prints it; the payload is dropped (see
/// [`drop_payload`]).
pub(crate) fn panic_message(payload: Box<dyn Any + Send>) -> String {
    let message = panic_text(&*payload);
    drop_payload(payload);
    message
}

/// The message of a caught panic, leaving the payload to the caller.
pub(crate) fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_string()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "Box<dyn Any>".to_string()
    }
}

/// Drops a caught panic's payload, catching a panic of its own destructor (and dropping that
/// panic's payload in turn): a payload must not take down a worker, the event loop or a done
/// callback's caller. A chain of payloads that keeps panicking is leaked after a few links
/// rather than followed forever.
pub(crate) fn drop_payload(payload: Box<dyn Any + Send>) {
    let mut payload = payload;
    for _ in 0..4 {
        match panic::catch_unwind(AssertUnwindSafe(|| drop(payload))) {
            Ok(()) => return,
            Err(next) => payload = next,
        }
    }
    std::mem::forget(payload);
}

#[cfg(test)]
mod tests {
    use std::panic::{RefUnwindSafe, UnwindSafe};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::Panic;
    use crate::pool::FutureError;

    const fn assert_auto_traits<T: Send + Sync + UnwindSafe + RefUnwindSafe + Unpin>() {}
    const _: () = assert_auto_traits::<Panic>();
    const _: () = assert_auto_traits::<FutureError>();
    #[cfg(feature = "rt")]
    const _: () = assert_auto_traits::<crate::rt::TaskError>();
    #[cfg(feature = "rt")]
    const _: () = assert_auto_traits::<crate::rt::TaskGroupError>();

    #[test]
    fn clones_share_one_payload_and_compare_by_message() {
        let first = Panic::from_payload(Box::new(5_u8));
        let second = first.clone();
        assert_eq!(first, Panic::from("Box<dyn Any>"));
        assert_eq!(format!("{first:?}"), "\"Box<dyn Any>\"");
        let payload = second.into_payload();
        assert_eq!(payload.downcast_ref::<u8>(), Some(&5));
        assert!(!first.has_payload());
        let fallback = first.into_payload();
        assert_eq!(
            fallback.downcast_ref::<String>().map(String::as_str),
            Some("Box<dyn Any>")
        );
    }

    /// What a process pool (and an MPI pool) makes of a worker's panic: its message only,
    /// re-raised as a `String`.
    #[cfg(feature = "process")]
    #[test]
    fn a_worker_process_panic_has_its_message_only() {
        let error = FutureError::from((true, "bad input".to_string()));
        assert_eq!(error, FutureError::Panicked("bad input".into()));
        let FutureError::Panicked(failure) = error else {
            unreachable!()
        };
        assert!(!failure.has_payload());
        assert!(failure.take_payload().is_none());
        let caught = std::panic::catch_unwind(|| failure.resume_unwind()).unwrap_err();
        assert_eq!(
            caught.downcast_ref::<String>().map(String::as_str),
            Some("bad input")
        );
    }

    #[test]
    fn a_payload_whose_drop_panics_is_dropped_once_with_the_last_clone_and_the_panic_caught() {
        static DROPS: AtomicUsize = AtomicUsize::new(0);
        struct Loud;
        impl Drop for Loud {
            fn drop(&mut self) {
                DROPS.fetch_add(1, Ordering::SeqCst);
                panic!("the payload's destructor panicked");
            }
        }
        let failure = Panic::from_payload(Box::new(Loud));
        drop(failure.clone());
        assert_eq!(DROPS.load(Ordering::SeqCst), 0, "a clone is left");
        // The last clone drops the payload; its destructor's panic is caught (the panic hook
        // still prints it).
        drop(failure);
        assert_eq!(DROPS.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn of_clones_taking_the_payload_at_once_on_several_threads_exactly_one_gets_it() {
        for _ in 0..200 {
            let failure = Panic::from_payload(Box::new(5u8));
            let takers: Vec<_> = (0..4)
                .map(|_| {
                    let clone = failure.clone();
                    std::thread::spawn(move || {
                        clone.take_payload().map(|p| *p.downcast::<u8>().unwrap())
                    })
                })
                .collect();
            let taken: Vec<u8> = takers
                .into_iter()
                .filter_map(|taker| taker.join().unwrap())
                .collect();
            assert_eq!(taken, [5]);
        }
    }
}
