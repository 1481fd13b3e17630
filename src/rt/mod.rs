//! Python's `asyncio`: an event loop on one thread that runs tasks, timers and I/O, built on
//! the smol family (async-task for tasks, async-io for timers and sockets).
//!
//! | Python | cogen |
//! |---|---|
//! | `asyncio.run(main())` | [`run`]`(main())` |
//! | `loop = asyncio.new_event_loop()`, `loop.run_until_complete(f)` | [`EventLoop::new`], [`EventLoop::run_until_complete`] |
//! | `asyncio.create_task(coro)`, `loop.create_task(coro)` | [`spawn`]`(future)`, [`EventLoop::spawn`] |
//! | `Task`, `task.done()`, `task.cancel()`, `task.cancelled()`, `await task` | [`Task`], the same names, `task.await` |
//! | `asyncio.CancelledError`, a task's exception | [`TaskError::Cancelled`], [`TaskError::Panicked`] |
//! | `await task` re-raising the task's own exception | [`TaskError::Panicked`]`(panic)`, [`Panic::resume_unwind`], [`Panic::take_payload`] |
//! | `except CancelledError:` / `finally:` cleanup | a drop guard held across the awaits ([`Task::cancel`]) |
//! | `await asyncio.sleep(delay)` | [`sleep`]`(duration).await` |
//! | `await asyncio.wait_for(aw, timeout)` | [`timeout`]`(duration, future).await` → `Result<_, `[`TimeoutError`]`>` |
//! | `await asyncio.gather(*aws)` | [`gather`]`(futures).await` |
//! | `done, pending = await asyncio.wait(tasks, timeout, return_when)` | [`wait`]`(tasks, timeout, return_when).await` |
//! | `for f in asyncio.as_completed(aws): await f` | [`as_completed`]`(futures)` (a `Stream`) |
//! | `await loop.run_in_executor(executor, func)` | [`run_in_executor`]`(Some(&pool), func)?.await` |
//! | `await asyncio.to_thread(func)` | [`to_thread`]`(func).await` |
//! | async generator, `asend`, `athrow`, `aclose` | [`Gen::into_stream`](crate::Gen::into_stream) (a `Stream`), [`Gen::asend`](crate::Gen::asend), [`Gen::athrow`](crate::Gen::athrow), [`Gen::aclose`](crate::Gen::aclose) |
//! | `async with asyncio.TaskGroup() as tg: tg.create_task(coro)`, `ExceptionGroup` | [`TaskGroup::scope`]`(async \|tg\| { tg.`[`spawn`](TaskGroup::spawn)`(future); })`, [`TaskGroupError`] |
//! | `async with asyncio.timeout(delay) as cm:`, `timeout_at(when)`, `cm.reschedule(when)`, `cm.expired()` | [`TimeoutScope::after`]`(delay)`, [`TimeoutScope::at`], `cm.`[`run`](TimeoutScope::run)`(future).await`, the same names |
//! | `await asyncio.shield(aw)` | [`shield`]`(future).await` |
//! | `await asyncio.gather(a(), b())` (results of any types), `return_exceptions=True` | [`gather!`](crate::gather!)`(a(), b()).await` → a tuple; `gather!(a(), b(); return_exceptions)` |
//! | `async for x in asyncio.as_completed(aws)` (3.13) | [`as_completed`]`(futures)` is a `Stream` |
//! | `create_task(coro, name=...)`, `task.get_name()`, `task.set_name()` | [`spawn_named`], [`Task::name`], [`Task::set_name`] |
//! | `asyncio.current_task()`, `asyncio.all_tasks()` | [`current_task`], [`all_tasks`] ([`TaskRef`]) |
//! | eager tasks (3.12: `eager_task_factory`, `Task(..., eager_start=True)`) | [`spawn_eager`] |
//! | `with asyncio.Runner() as runner: runner.run(coro)` (3.11) | [`Runner::new`], [`EventLoop::run`], [`EventLoop::close`] |
//! | `lock = asyncio.Lock()`, `async with lock:`, `lock.locked()` | [`Lock::new`], `let _guard = lock.`[`acquire`](Lock::acquire)`().await;`, [`Lock::locked`] |
//! | `asyncio.Event()`, `set`, `clear`, `is_set`, `await event.wait()` | [`Event`], the same names |
//! | `asyncio.Semaphore(n)`, `asyncio.BoundedSemaphore(n)`, `async with sem:`, `sem.release()` | [`Semaphore`], [`BoundedSemaphore`], `sem.acquire().await` ([`SemaphorePermit`]), `release()` ([`ReleasedTooManyTimes`]) |
//! | `asyncio.Condition()`, `async with cond: await cond.wait()`, `wait_for`, `notify(n)`, `notify_all()` | [`Condition`], `let guard = cond.acquire().await; let guard = guard.wait().await;`, [`ConditionGuard`] |
//! | `asyncio.Barrier(n)`, `await barrier.wait()`, `abort()`, `reset()`, `BrokenBarrierError` | [`Barrier`], [`BrokenBarrierError`] |
//! | `asyncio.Queue(maxsize)`, `PriorityQueue`, `LifoQueue` | [`Queue::new`]`(maxsize)`, [`PriorityQueue`], [`LifoQueue`] |
//! | `await q.put(x)`, `q.put_nowait(x)`, `await q.get()`, `q.get_nowait()` | the same names; [`QueueShutDown`], [`PutNowaitError`] (`QueueFull`), [`GetNowaitError`] (`QueueEmpty`) |
//! | `q.task_done()`, `await q.join()`, `q.shutdown(immediate)` (3.13) | the same names |
//! | `reader, writer = await asyncio.open_connection(host, port)` | `async_io::Async::<TcpStream>::connect(addr).await` (any smol-family I/O runs on the loop) |
//!
//! The loop runs on the thread that calls [`run`]; the futures it runs need not be `Send`.
//! Its pieces also work apart from it: [`sleep`], [`timeout`], [`gather`] and
//! [`as_completed`] run under any executor (tokio's included), as do cogen's generators and
//! the pool's futures; so do the locks and queues, which are also `Send` and `Sync` (for items
//! that are `Send`), for executors that move tasks between threads.
//!
//! The locks and queues follow CPython 3.13's algorithms, so tasks get their turn in asyncio's
//! order (first come, first served; no newcomer takes what a woken task was handed; a task
//! cancelled after it was woken hands its turn on). What Rust's types rule out, Python checks
//! at run time: a lock or semaphore permit is released by dropping its guard, so releasing a
//! lock one does not hold (`RuntimeError: Lock is not acquired.`) cannot be written; a
//! condition is waited on and notified through its guard (`RuntimeError: cannot wait on
//! un-acquired lock`); a semaphore's value is a `usize` (`ValueError: Semaphore initial value
//! must be >= 0`); `Barrier::abort` and `Barrier::reset` are plain methods (Python awaits them
//! only to take the barrier's internal lock).
//!
//! ```
//! use std::time::Duration;
//! use cogen::rt::{gather, run, sleep, spawn};
//!
//! // Python:
//! //     async def fetch(n):
//! //         await asyncio.sleep(n / 100)
//! //         return n * 10
//! //     async def main():
//! //         background = asyncio.create_task(fetch(5))
//! //         results = await asyncio.gather(fetch(2), fetch(1))
//! //         return results, await background
//! async fn fetch(n: u64) -> u64 {
//!     sleep(Duration::from_millis(n * 10)).await;
//!     n * 10
//! }
//! let (results, background) = run(async {
//!     let background = spawn(fetch(5));
//!     let results = gather([fetch(2), fetch(1)]).await;
//!     (results, background.await.unwrap())
//! });
//! assert_eq!(results, [20, 10]);
//! assert_eq!(background, 50);
//! ```

mod blocking;
mod event_loop;
mod group;
mod locks;
mod queues;
mod task;
mod task_group;
mod time;
mod waiters;

pub use blocking::{run_in_executor, to_thread};
pub use event_loop::{EventLoop, Runner, TaskRef, all_tasks, current_task, run};
pub use group::{AsCompleted, Gather, Wait, as_completed, gather, wait};
pub use locks::{
    Barrier, BoundedSemaphore, BrokenBarrierError, Condition, ConditionGuard, Event, Lock,
    LockGuard, ReleasedTooManyTimes, Semaphore, SemaphorePermit,
};
pub use queues::{GetNowaitError, LifoQueue, PriorityQueue, PutNowaitError, Queue, QueueShutDown};
pub use task::{Task, TaskError, shield, spawn, spawn_eager, spawn_named};
pub use task_group::{GroupTask, TaskGroup, TaskGroupClosed, TaskGroupError};
pub use time::{Sleep, Timeout, TimeoutError, TimeoutScope, sleep, timeout};

/// A task's panic, with its payload: the same type as [`pool::Panic`](crate::pool::Panic), here
/// beside [`TaskError`], which carries it.
pub use crate::pool::Panic;

/// Locks one of the runtime's mutexes (a loop's remote queue, a lock's or queue's state, a
/// timeout scope's deadline), poisoned or not. Only cogen's code runs under them, and it
/// changes their state so that it is consistent wherever it may panic: the code that may panic
/// under them (a waker of another executor, which may run anything; a priority queue item's
/// `Ord`) runs after the state it stands for is recorded, so a poisoned mutex's state is still
/// good to use.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[doc(hidden)]
pub use group::{Catching as __Catching, GatherTuple as __GatherTuple, MaybeDone as __MaybeDone};

/// Awaits up to 12 futures of any types concurrently and gives their outputs as a tuple, in
/// the order written: Python's `await asyncio.gather(a(), b())`, whose results may have any
/// types. (For many futures of one type, [`gather`] gives a `Vec`.)
///
/// The futures run within the task that awaits the gather, each polled at every turn until it
/// is done. A panic in one of them goes on unwinding through the gather (the others are
/// dropped with it); with `; return_exceptions` each output is a `Result` instead, a panic
/// giving [`TaskError::Panicked`] in its place while the others go on (Python's
/// `return_exceptions=True`), whose [`Panic`] holds the original payload to re-raise. It needs
/// no event loop: it runs under any executor.
///
/// ```
/// use std::time::Duration;
/// use cogen::rt::{TaskError, run, sleep};
///
/// async fn name() -> &'static str {
///     sleep(Duration::from_millis(2)).await;
///     "cogen"
/// }
/// async fn count() -> usize {
///     sleep(Duration::from_millis(1)).await;
///     3
/// }
/// let (text, n) = run(async { cogen::gather!(name(), count()).await });
/// assert_eq!((text, n), ("cogen", 3));
///
/// // Python: await asyncio.gather(ok(), fail(), return_exceptions=True)
/// let (ok, failed) = run(async {
///     cogen::gather!(async { 1 }, async { panic!("no flag") }; return_exceptions).await
/// });
/// assert_eq!(ok, Ok(1));
/// assert_eq!(failed, Err::<(), _>(TaskError::Panicked("no flag".into())));
///
/// // The exception object itself: the panic's payload, to re-raise.
/// let Err(TaskError::Panicked(failure)) = failed else { unreachable!() };
/// assert_eq!(failure.take_payload().unwrap().downcast_ref::<&str>(), Some(&"no flag"));
/// ```
#[macro_export]
macro_rules! gather {
    ($($future:expr),+ $(,)?) => {
        $crate::rt::__GatherTuple(($($crate::rt::__MaybeDone::new($future),)+))
    };
    ($($future:expr),+ ; return_exceptions) => {
        $crate::rt::__GatherTuple((
            $($crate::rt::__MaybeDone::new($crate::rt::__Catching::new($future)),)+
        ))
    };
}
