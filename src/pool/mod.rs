//! Python's `concurrent.futures`: thread-pool and process-pool executors whose tasks hand back
//! futures you can query, cancel, block on with a timeout, wait for in groups, or `.await`.
//!
//! The process pool (feature `process`; Unix) runs [`Task`]s, named plain
//! functions with serde arguments and results, in worker processes that are this program
//! started again; see [`ProcessPoolExecutor`]. The [`Executor`] trait runs the same tasks on
//! either pool, and the futures of both are [`PoolFuture`]s, which [`wait`] and
//! [`as_completed`] take together.
//!
//! | Python | cogen |
//! |---|---|
//! | `ThreadPoolExecutor(max_workers=n)` | [`ThreadPoolExecutor::with_max_workers`]`(n)`, [`ThreadPoolExecutor::new`] |
//! | `with ThreadPoolExecutor() as ex:` | the executor's `Drop` (shuts down and waits) |
//! | `ex.submit(fn, *args)` | [`ThreadPoolExecutor::submit`]`(move \|\| fn(args))` |
//! | `ex.map(fn, iterable, timeout=t)` | [`ThreadPoolExecutor::map`]`(fn, iterable)`[`.timeout(t)`](Map::timeout) (lazy, bounded) |
//! | `ex.map(..., buffersize=n)` (3.14) | [`ThreadPoolExecutor::map_buffered`] |
//! | `ex.shutdown(wait, cancel_futures=...)` | [`ThreadPoolExecutor::shutdown`] |
//! | `Future`, `f.result(timeout)` | [`PoolFuture`], [`PoolFuture::result`] (or [`join`](PoolFuture::join), `.await`) |
//! | `f.cancel()`, `f.cancelled()`, `f.running()`, `f.done()` | the same names on [`PoolFuture`] |
//! | `f._state` (`PENDING`, ...) | [`PoolFuture::state`], [`FutureState`] |
//! | `f.add_done_callback(fn)` | [`PoolFuture::add_done_callback`] |
//! | `wait(fs, timeout, return_when)` | [`wait`], [`ReturnWhen`], [`Waited`] |
//! | `as_completed(fs, timeout)` | [`as_completed`] |
//! | `CancelledError`, `TimeoutError`, a task's exception | [`FutureError`] |
//! | `future.result()` re-raising the task's own exception | [`FutureError::Panicked`]`(panic)`, [`Panic::resume_unwind`], [`Panic::take_payload`] |
//! | `ProcessPoolExecutor(max_workers, initializer=, max_tasks_per_child=)` | [`ProcessPoolExecutor::with_max_workers`], [`ProcessPoolExecutor::builder`] |
//! | a function pickled by name; `if __name__ == '__main__':` | [`Task`], [`task!`](crate::task!), [`Registry`]; [`serve_if_worker`] |
//! | `ex.submit(fn, x)`, `ex.map(fn, it, chunksize=n)` on processes | [`ProcessPoolExecutor::submit`], [`ProcessPoolExecutor::map_chunked`] |
//! | `BrokenProcessPool`, `terminate_workers()`, `kill_workers()` | [`FutureError::BrokenProcessPool`], [`ProcessPoolExecutor::terminate_workers`], [`ProcessPoolExecutor::kill_workers`] |
//! | `mpi4py.futures.MPIPoolExecutor` (ranks of an MPI job; feature `mpi`) | `MpiPoolExecutor::start(tasks)`, `MpiError` |
//! | `concurrent.futures.Executor` | [`Executor`] |
//!
//! ```
//! use std::time::Duration;
//! use cogen::pool::{ReturnWhen, ThreadPoolExecutor, as_completed, wait};
//!
//! let executor = ThreadPoolExecutor::with_max_workers(4);
//! let futures: Vec<_> = [3u64, 1, 2]
//!     .into_iter()
//!     .map(|n| executor.submit(move || n * 100).unwrap())
//!     .collect();
//! let waited = wait(&futures, Duration::from_secs(10), ReturnWhen::AllCompleted);
//! assert_eq!(waited.done.len(), 3);
//! let mut values: Vec<u64> = as_completed(futures, None)
//!     .map(|future| future.unwrap().join().unwrap())
//!     .collect();
//! values.sort();
//! assert_eq!(values, [100, 200, 300]);
//! ```

mod executor;
mod future;
mod map;
#[cfg(all(feature = "mpi", unix))]
mod mpi;
mod panic;
#[cfg(all(feature = "process", unix))]
mod process;
#[cfg(feature = "process")]
mod task;
#[cfg(feature = "process")]
mod task_map;
mod wait;
mod waiter;

pub use executor::{ShutdownError, ThreadPoolExecutor};
#[cfg(feature = "rt")]
pub(crate) use future::short_type_name;
pub use future::{FutureError, FutureState, PoolFuture};
pub use map::{Map, MapUnordered};
#[cfg(all(feature = "mpi", unix))]
pub use mpi::{MpiError, MpiPoolExecutor};
pub use panic::Panic;
#[cfg(feature = "rt")]
pub(crate) use panic::drop_payload;
#[cfg(feature = "process")]
pub(crate) use panic::panic_message;
#[cfg(all(feature = "process", unix))]
pub use process::{ProcessPoolBuilder, ProcessPoolExecutor, serve_if_worker};
#[cfg(feature = "process")]
pub use task::{ChunkResults, Executor, Registry, SubmitError, Task};
#[cfg(feature = "process")]
pub use task_map::TaskMap;

pub use wait::{AsCompleted, AsCompletedTimeout, ReturnWhen, Waited, as_completed, wait};
