//! Tasks that can cross a process boundary: a named plain function, its registry, and the
//! [`Executor`] trait that runs them on threads or on processes alike.

use std::any::TypeId;
use std::collections::HashMap;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::future::{FutureError, PoolFuture};
use super::task_map::TaskMap;

/// A named plain function that a pool can run in another process: the unit of work of
/// [`ProcessPoolExecutor`](super::ProcessPoolExecutor) (and of any [`Executor`]).
///
/// Python pickles a function by its qualified name, and the worker imports it; here the name
/// is given (the [`task!`](crate::task!) macro takes the function's path), the function is a
/// `fn` pointer (so it holds no closure state), and the argument and result are serde types.
/// A `Task` is `Copy` and can be built in a `const`.
///
/// ```
/// use cogen::pool::Task;
///
/// fn square(n: u64) -> u64 {
///     n * n
/// }
/// const SQUARE: Task<u64, u64> = cogen::task!(square);
/// assert!(SQUARE.name().ends_with("square"));
/// assert_eq!(SQUARE.call(7), 49); // run here, in this thread
/// ```
pub struct Task<A, R> {
    name: &'static str,
    function: fn(A) -> R,
}

impl<A, R> Task<A, R> {
    /// A task called `name` that runs `function`. Several arguments travel as a tuple.
    ///
    /// ```
    /// use cogen::pool::Task;
    ///
    /// fn power((base, exponent): (u64, u32)) -> u64 {
    ///     base.pow(exponent)
    /// }
    /// const POWER: Task<(u64, u32), u64> = Task::new("power", power);
    /// assert_eq!(POWER.call((2, 10)), 1024);
    /// ```
    pub const fn new(name: &'static str, function: fn(A) -> R) -> Self {
        Task { name, function }
    }

    /// The name the task is registered and sent under.
    ///
    /// ```
    /// const NEGATE: cogen::pool::Task<i32, i32> = cogen::pool::Task::new("negate", |n| -n);
    /// assert_eq!(NEGATE.name(), "negate");
    /// ```
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Runs the function here, on this thread.
    ///
    /// ```
    /// const LENGTH: cogen::pool::Task<String, usize> =
    ///     cogen::pool::Task::new("length", |text: String| text.len());
    /// assert_eq!(LENGTH.call("four".to_string()), 4);
    /// ```
    pub fn call(&self, argument: A) -> R {
        (self.function)(argument)
    }
}

impl<A, R> Clone for Task<A, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A, R> Copy for Task<A, R> {}

impl<A, R> fmt::Debug for Task<A, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Task({})", self.name)
    }
}

/// A [`Task`] named after the function's path in its module
/// (`concat!(module_path!(), "::", name)`), as Python names a function by its qualified name.
///
/// ```
/// fn double(n: i64) -> i64 {
///     2 * n
/// }
/// const DOUBLE: cogen::pool::Task<i64, i64> = cogen::task!(double);
/// assert_eq!(DOUBLE.name(), concat!(module_path!(), "::double"));
/// ```
#[macro_export]
macro_rules! task {
    ($function:path) => {
        $crate::pool::Task::new(
            concat!(module_path!(), "::", stringify!($function)),
            $function,
        )
    };
}

/// The version of the messages between a process pool and its workers (`pool::process::wire`),
/// bumped whenever one changes; part of a registry's fingerprint.
pub(crate) const WIRE_VERSION: u32 = 1;

/// A call's failure as it crosses processes: `(true, message)` for a panic, `(false, reason)`
/// for a value that could not be encoded or decoded.
pub(crate) type WireFailure = (bool, String);

impl From<WireFailure> for FutureError {
    fn from((panicked, message): WireFailure) -> Self {
        if panicked {
            FutureError::Panicked(message.into())
        } else {
            FutureError::Unsendable(message)
        }
    }
}

/// What a worker sends back for a job: the encoded results, and the first failure among
/// them (for the initializer, whose results are dropped).
pub(crate) struct Invoked {
    /// A postcard sequence of `Result<R, WireFailure>`, one per argument.
    pub(crate) results: Vec<u8>,
    pub(crate) failure: Option<String>,
}

impl Invoked {
    /// `count` results that all failed for `reason` (their encoding does not depend on `R`).
    pub(crate) fn all_failed(count: usize, reason: String) -> Self {
        let results: Vec<Result<(), WireFailure>> = vec![Err((false, reason.clone())); count];
        Invoked {
            results: postcard::to_stdvec(&results).expect("strings encode"),
            failure: Some(reason),
        }
    }
}

/// Decodes a job's arguments, runs the function on each, encodes the results.
type Invoke = Box<dyn Fn(&[u8], usize) -> Invoked + Send + Sync>;

struct Entry {
    name: &'static str,
    argument: TypeId,
    result: TypeId,
    /// The types' names, sizes and alignments, for the build fingerprint.
    signature: String,
    invoke: Invoke,
}

/// The tasks a program's workers can run, by name: what Python finds by importing the
/// function's module in the worker.
///
/// A program builds it in a plain function, so that the parent (to check and encode what it
/// submits) and each worker (to find and run what it receives) build the same one; its
/// [`fingerprint`](Self::fingerprint) is compared when a worker starts.
///
/// ```
/// use cogen::pool::{Registry, Task};
///
/// fn square(n: u64) -> u64 {
///     n * n
/// }
/// const SQUARE: Task<u64, u64> = cogen::task!(square);
///
/// fn tasks() -> Registry {
///     Registry::new().with(SQUARE)
/// }
/// assert!(tasks().contains(SQUARE.name()));
/// assert_eq!(tasks().fingerprint(), tasks().fingerprint());
/// ```
#[derive(Default)]
pub struct Registry {
    entries: Vec<Entry>,
    by_name: HashMap<&'static str, u32>,
}

impl Registry {
    /// An empty registry.
    ///
    /// ```
    /// assert_eq!(cogen::pool::Registry::new().len(), 0);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `task`.
    ///
    /// # Panics
    ///
    /// If another task of the same name is registered already (two functions must not answer
    /// to one name).
    ///
    /// ```
    /// use cogen::pool::{Registry, Task};
    ///
    /// const ADD: Task<(i32, i32), i32> = Task::new("add", |(a, b)| a + b);
    /// const NEG: Task<i32, i32> = Task::new("neg", |n| -n);
    /// let registry = Registry::new().with(ADD).with(NEG);
    /// assert_eq!(registry.len(), 2);
    /// ```
    pub fn with<A, R>(mut self, task: Task<A, R>) -> Self
    where
        A: DeserializeOwned + 'static,
        R: Serialize + 'static,
    {
        let index = u32::try_from(self.entries.len()).expect("fewer than 2^32 tasks");
        let previous = self.by_name.insert(task.name, index);
        assert!(
            previous.is_none(),
            "Registry::with: a task named {:?} is registered already",
            task.name
        );
        let function = task.function;
        self.entries.push(Entry {
            name: task.name,
            argument: TypeId::of::<A>(),
            result: TypeId::of::<R>(),
            signature: format!(
                "{}:{}/{}->{}:{}/{}",
                std::any::type_name::<A>(),
                size_of::<A>(),
                align_of::<A>(),
                std::any::type_name::<R>(),
                size_of::<R>(),
                align_of::<R>()
            ),
            invoke: Box::new(move |arguments, count| invoke(function, arguments, count)),
        });
        self
    }

    /// Whether a task of this name is registered.
    ///
    /// ```
    /// let registry = cogen::pool::Registry::new();
    /// assert!(!registry.contains("missing"));
    /// ```
    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// How many tasks are registered.
    ///
    /// ```
    /// assert!(cogen::pool::Registry::new().is_empty());
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no task is registered.
    ///
    /// ```
    /// assert!(cogen::pool::Registry::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A digest of the tasks' names and signatures (argument and result types, with their
    /// sizes and alignments), of cogen's version and of its wire protocol: two programs whose
    /// fingerprints match call the same functions by the same numbers with the same types. A
    /// worker reports it when it starts, and the pool refuses a worker whose fingerprint
    /// differs from its own.
    ///
    /// ```
    /// use cogen::pool::{Registry, Task};
    ///
    /// const A: Task<u8, u8> = Task::new("a", |n| n);
    /// const B: Task<u16, u16> = Task::new("a", |n| n);
    /// assert_ne!(Registry::new().with(A).fingerprint(), Registry::new().with(B).fingerprint());
    /// ```
    pub fn fingerprint(&self) -> u64 {
        // `DefaultHasher::new` has fixed keys: the same digest in every process of a build (a
        // worker built with another Rust release may differ, and is refused: a safe mistake).
        let mut hash = DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hash);
        WIRE_VERSION.hash(&mut hash);
        for entry in &self.entries {
            (entry.name, &entry.signature).hash(&mut hash);
        }
        hash.finish()
    }

    /// The number `task` is sent under, once its name and types are checked.
    pub(crate) fn index_of<A: 'static, R: 'static>(
        &self,
        task: &Task<A, R>,
    ) -> Result<u32, SubmitError> {
        let Some(&index) = self.by_name.get(task.name) else {
            return Err(SubmitError::Unregistered(task.name));
        };
        let entry = &self.entries[index as usize];
        if entry.argument != TypeId::of::<A>() || entry.result != TypeId::of::<R>() {
            return Err(SubmitError::Mismatched(task.name));
        }
        Ok(index)
    }

    /// Runs task number `index` on each of `count` encoded arguments.
    pub(crate) fn invoke(&self, index: u32, arguments: &[u8], count: usize) -> Invoked {
        match self.entries.get(index as usize) {
            Some(entry) => (entry.invoke)(arguments, count),
            None => Invoked::all_failed(count, format!("no task number {index} in this worker")),
        }
    }
}

/// Runs `function` on each argument of a job, each call's panic caught on its own. A panic
/// of the values' own code (a `Deserialize`, `Serialize` or `Drop`) fails the whole job
/// instead of the worker.
fn invoke<A, R>(function: fn(A) -> R, arguments: &[u8], count: usize) -> Invoked
where
    A: DeserializeOwned,
    R: Serialize,
{
    let run = || {
        let arguments: Vec<A> = match postcard::from_bytes(arguments) {
            Ok(arguments) => arguments,
            Err(error) => {
                return Invoked::all_failed(count, format!("cannot decode the arguments: {error}"));
            }
        };
        if arguments.len() != count {
            return Invoked::all_failed(
                count,
                format!(
                    "{} arguments arrived where {count} were sent",
                    arguments.len()
                ),
            );
        }
        let mut failure = None;
        let results: Vec<Result<R, WireFailure>> = arguments
            .into_iter()
            .map(|argument| {
                panic::catch_unwind(AssertUnwindSafe(|| function(argument))).map_err(|payload| {
                    let message = super::panic_message(payload);
                    failure.get_or_insert_with(|| message.clone());
                    (true, message)
                })
            })
            .collect();
        match postcard::to_stdvec(&results) {
            Ok(results) => Invoked { results, failure },
            Err(error) => Invoked::all_failed(count, format!("cannot encode the results: {error}")),
        }
    };
    panic::catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|payload| {
        let message = super::panic_message(payload);
        Invoked::all_failed(count, format!("a value's own code panicked: {message}"))
    })
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.entries.iter().map(|entry| entry.name))
            .finish()
    }
}

/// Why a task was not accepted: Python's `RuntimeError` after shutdown, `BrokenProcessPool`,
/// or (with no Python counterpart, since Python finds any function by name) a task the
/// workers do not know.
///
/// ```
/// use cogen::pool::{Executor, SubmitError, Task, ThreadPoolExecutor};
///
/// const ONE: Task<(), i32> = Task::new("one", |()| 1);
/// let pool = ThreadPoolExecutor::with_max_workers(1);
/// pool.shutdown(true, false);
/// let error = pool.submit_task(ONE, ()).unwrap_err();
/// assert_eq!(error, SubmitError::Shutdown);
/// assert_eq!(error.to_string(), "cannot schedule new futures after shutdown");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubmitError {
    /// The executor was shut down (Python's `RuntimeError('cannot schedule new futures after
    /// shutdown')`).
    Shutdown,
    /// A worker process died or broke the protocol; the pool takes no more work (Python's
    /// `BrokenProcessPool`). The text says why.
    BrokenProcessPool(String),
    /// A rank of an `MpiPoolExecutor` (feature `mpi`) broke the protocol; the pool
    /// takes no more work. The text says which rank and what it sent.
    BrokenMpiPool(String),
    /// No task of this name is in the pool's [`Registry`].
    Unregistered(&'static str),
    /// A task of this name is registered with other argument or result types.
    Mismatched(&'static str),
    /// The argument cannot be encoded, or is larger than a message may be.
    Unsendable(String),
}

impl fmt::Display for SubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubmitError::Shutdown => f.write_str("cannot schedule new futures after shutdown"),
            SubmitError::BrokenProcessPool(cause) => write!(
                f,
                "A child process terminated abruptly, the process pool is not usable anymore \
                 ({cause})"
            ),
            SubmitError::BrokenMpiPool(cause) => {
                write!(f, "the MPI pool is not usable anymore ({cause})")
            }
            SubmitError::Unregistered(name) => write!(
                f,
                "the task {name:?} is not registered: add it to the Registry the pool was \
                 built with"
            ),
            SubmitError::Mismatched(name) => write!(
                f,
                "the task {name:?} is registered with other argument or result types"
            ),
            SubmitError::Unsendable(reason) => write!(f, "cannot send the argument: {reason}"),
        }
    }
}

impl std::error::Error for SubmitError {}

impl From<super::ShutdownError> for SubmitError {
    fn from(_: super::ShutdownError) -> Self {
        SubmitError::Shutdown
    }
}

impl SubmitError {
    /// What a lazy map yields for an item it could not submit.
    pub(crate) fn into_future_error(self) -> FutureError {
        match self {
            SubmitError::Shutdown => FutureError::Shutdown,
            SubmitError::BrokenProcessPool(cause) => FutureError::BrokenProcessPool(cause),
            other => FutureError::Unsendable(other.to_string()),
        }
    }
}

/// The results of a chunk of calls, one per argument, in order.
pub type ChunkResults<R> = Vec<Result<R, FutureError>>;

/// What every executor of cogen offers, so that code is written once for threads, processes
/// and MPI ranks: Python's `concurrent.futures.Executor`, for [`Task`]s.
///
/// The futures are the same [`PoolFuture`] type whichever executor made them, so
/// [`wait`](super::wait) and [`as_completed`](super::as_completed) take futures of several
/// executors in one call.
///
/// A task that panics gives [`FutureError::Panicked`] on every executor; on a thread pool its
/// [`Panic`](super::Panic) keeps the original payload, while from a worker process or an MPI
/// rank it carries the message only (see [`Panic`](super::Panic)).
///
/// ```
/// use cogen::pool::{Executor, Task, ThreadPoolExecutor};
///
/// fn cube(n: u64) -> u64 {
///     n * n * n
/// }
/// const CUBE: Task<u64, u64> = cogen::task!(cube);
///
/// // Written once, for any executor.
/// fn total(executor: &impl Executor, upto: u64) -> u64 {
///     executor
///         .map_task(CUBE, 1..=upto, 4)
///         .unwrap()
///         .map(Result::unwrap)
///         .sum()
/// }
/// assert_eq!(total(&ThreadPoolExecutor::with_max_workers(2), 10), 3025);
/// ```
pub trait Executor {
    /// Schedules `task(argument)` and returns its future: Python's `executor.submit(fn, arg)`.
    ///
    /// # Errors
    ///
    /// [`SubmitError`]: shut down, broken, or a task the workers do not know.
    ///
    /// ```
    /// use cogen::pool::{Executor, Task, ThreadPoolExecutor};
    ///
    /// const HALF: Task<u32, u32> = Task::new("half", |n| n / 2);
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// assert_eq!(pool.submit_task(HALF, 84).unwrap().join(), Ok(42));
    /// ```
    fn submit_task<A, R>(
        &self,
        task: Task<A, R>,
        argument: A,
    ) -> Result<PoolFuture<R>, SubmitError>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static;

    /// Schedules `task` over a chunk of arguments, run one after another by one worker, with
    /// one result per argument (a panic fails only its own call): the unit of Python's
    /// `map(..., chunksize=n)`.
    ///
    /// # Errors
    ///
    /// As [`submit_task`](Self::submit_task).
    ///
    /// ```
    /// use cogen::pool::{Executor, FutureError, Task, ThreadPoolExecutor};
    ///
    /// const INVERSE: Task<i32, i32> = Task::new("inverse", |n| 100 / n);
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// let results = pool.submit_chunk(INVERSE, vec![50, 0, 25]).unwrap().join().unwrap();
    /// assert_eq!(results[0], Ok(2));
    /// assert!(matches!(results[1], Err(FutureError::Panicked(_))));
    /// assert_eq!(results[2], Ok(4));
    /// ```
    fn submit_chunk<A, R>(
        &self,
        task: Task<A, R>,
        arguments: Vec<A>,
    ) -> Result<PoolFuture<ChunkResults<R>>, SubmitError>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static;

    /// How many workers run tasks at once, at most.
    ///
    /// ```
    /// use cogen::pool::{Executor, ThreadPoolExecutor};
    ///
    /// assert_eq!(Executor::max_workers(&ThreadPoolExecutor::with_max_workers(3)), 3);
    /// ```
    fn max_workers(&self) -> usize;

    /// Python's `executor.shutdown(wait, cancel_futures)`.
    ///
    /// ```
    /// use cogen::pool::{Executor, ThreadPoolExecutor};
    ///
    /// let pool = ThreadPoolExecutor::with_max_workers(1);
    /// Executor::shutdown(&pool, true, false);
    /// assert!(pool.submit(|| ()).is_err());
    /// ```
    fn shutdown(&self, wait: bool, cancel_futures: bool);

    /// Applies `task` to every item of `iterable` and yields the results in input order:
    /// Python's `executor.map(fn, iterable, chunksize=n)`, lazily.
    ///
    /// Items travel in chunks of `chunksize`; at most `2 × max_workers` chunks are in flight
    /// (CPython 3.14's `buffersize`), so `iterable` may be endless. Every item yields exactly
    /// one result: a panicking call gives `Err(FutureError::Panicked)` for that item only.
    ///
    /// # Errors
    ///
    /// The first chunk's [`SubmitError`]. A later chunk that cannot be submitted (the pool
    /// was shut down or broke meanwhile) yields its error for each of its items, then the map
    /// ends.
    ///
    /// # Panics
    ///
    /// If `chunksize` is 0 (Python: `ValueError: chunksize must be >= 1.`).
    ///
    /// ```
    /// use cogen::pool::{Executor, Task, ThreadPoolExecutor};
    ///
    /// const SQUARE: Task<u64, u64> = Task::new("square", |n| n * n);
    /// let pool = ThreadPoolExecutor::with_max_workers(2);
    /// let squares: Vec<u64> =
    ///     pool.map_task(SQUARE, 0..10, 3).unwrap().map(Result::unwrap).collect();
    /// assert_eq!(squares, [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
    /// ```
    fn map_task<A, R, I>(
        &self,
        task: Task<A, R>,
        iterable: I,
        chunksize: usize,
    ) -> Result<TaskMap<'_, Self, I::IntoIter, A, R>, SubmitError>
    where
        Self: Sized,
        I: IntoIterator<Item = A>,
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        let buffersize = 2 * self.max_workers().max(1);
        self.map_task_buffered(task, iterable, chunksize, buffersize)
    }

    /// [`map_task`](Self::map_task) with at most `buffersize` chunks submitted ahead of the
    /// results taken (CPython 3.14's `buffersize`).
    ///
    /// # Errors
    ///
    /// As [`map_task`](Self::map_task).
    ///
    /// # Panics
    ///
    /// If `chunksize` or `buffersize` is 0.
    ///
    /// ```
    /// use cogen::pool::{Executor, Task, ThreadPoolExecutor};
    ///
    /// const NEG: Task<i8, i8> = Task::new("neg", |n| -n);
    /// let pool = ThreadPoolExecutor::with_max_workers(2);
    /// let negated: Vec<i8> =
    ///     pool.map_task_buffered(NEG, 1..=5, 2, 1).unwrap().map(Result::unwrap).collect();
    /// assert_eq!(negated, [-1, -2, -3, -4, -5]);
    /// ```
    fn map_task_buffered<A, R, I>(
        &self,
        task: Task<A, R>,
        iterable: I,
        chunksize: usize,
        buffersize: usize,
    ) -> Result<TaskMap<'_, Self, I::IntoIter, A, R>, SubmitError>
    where
        Self: Sized,
        I: IntoIterator<Item = A>,
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        assert!(buffersize >= 1, "map: buffersize must be >= 1");
        TaskMap::new(self, task, iterable.into_iter(), chunksize, buffersize)
    }
}
