//! Blocking work off the loop: Python's `loop.run_in_executor` and `asyncio.to_thread`.

use super::event_loop::with_running_loop;
use crate::pool::{PoolFuture, ShutdownError, ThreadPoolExecutor};

/// Runs the blocking closure `work` on a thread pool and gives a future for its result, to
/// await without blocking the loop: Python's `loop.run_in_executor(executor, func)`.
///
/// `None` runs it on the loop's default executor (a [`ThreadPoolExecutor::new`], made on
/// first use and shut down when the loop closes), as Python's `None` does. The result is the
/// pool's own [`PoolFuture`]: awaiting it gives `Ok(value)`, or the
/// [`FutureError`](crate::pool::FutureError) that says why not.
///
/// # Errors
///
/// [`ShutdownError`] if `executor` was shut down.
///
/// # Panics
///
/// With `None`, if no event loop runs on this thread.
///
/// ```
/// use std::time::Duration;
/// use cogen::pool::ThreadPoolExecutor;
/// use cogen::rt::{run, run_in_executor};
///
/// let pool = ThreadPoolExecutor::with_max_workers(2);
/// let answer = run(async {
///     // Python: await loop.run_in_executor(pool, slow_function)
///     let slow_function = || {
///         std::thread::sleep(Duration::from_millis(10));
///         42
///     };
///     run_in_executor(Some(&pool), slow_function).unwrap().await.unwrap()
/// });
/// assert_eq!(answer, 42);
/// ```
pub fn run_in_executor<T, F>(
    executor: Option<&ThreadPoolExecutor>,
    work: F,
) -> Result<PoolFuture<T>, ShutdownError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match executor {
        Some(executor) => executor.submit(work),
        None => with_running_loop("cogen::rt::run_in_executor(None, ..)", |local| {
            local.default_executor().submit(work)
        }),
    }
}

/// Runs the blocking closure `work` on the loop's default executor: Python's
/// `asyncio.to_thread(func)`.
///
/// # Panics
///
/// If no event loop runs on this thread.
///
/// ```
/// use cogen::rt::{run, to_thread};
///
/// let total = run(async {
///     to_thread(|| (1..=100u64).sum::<u64>()).await.unwrap()
/// });
/// assert_eq!(total, 5050);
/// ```
pub fn to_thread<T, F>(work: F) -> PoolFuture<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    run_in_executor(None, work).expect("a running loop's default executor is never shut down")
}
