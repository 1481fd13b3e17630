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
//! | `except CancelledError:` / `finally:` cleanup | a drop guard held across the awaits ([`Task::cancel`]) |
//! | `await asyncio.sleep(delay)` | [`sleep`]`(duration).await` |
//! | `await asyncio.wait_for(aw, timeout)` | [`timeout`]`(duration, future).await` → `Result<_, `[`TimeoutError`]`>` |
//! | `await asyncio.gather(*aws)` | [`gather`]`(futures).await` |
//! | `done, pending = await asyncio.wait(tasks, timeout, return_when)` | [`wait`]`(tasks, timeout, return_when).await` |
//! | `for f in asyncio.as_completed(aws): await f` | [`as_completed`]`(futures)` (a `Stream`) |
//! | `await loop.run_in_executor(executor, func)` | [`run_in_executor`]`(Some(&pool), func)?.await` |
//! | `await asyncio.to_thread(func)` | [`to_thread`]`(func).await` |
//! | async generator, `asend`, `athrow`, `aclose` | [`Gen`](crate::Gen) as a `Stream`, [`Gen::asend`](crate::Gen::asend), [`Gen::athrow`](crate::Gen::athrow), [`Gen::aclose`](crate::Gen::aclose) |
//! | `async with asyncio.TaskGroup() as tg: tg.create_task(coro)`, `ExceptionGroup` | [`TaskGroup::scope`]`(async \|tg\| { tg.`[`spawn`](TaskGroup::spawn)`(future); })`, [`TaskGroupError`] |
//! | `async with asyncio.timeout(delay) as cm:`, `timeout_at(when)`, `cm.reschedule(when)`, `cm.expired()` | [`TimeoutScope::after`]`(delay)`, [`TimeoutScope::at`], `cm.`[`run`](TimeoutScope::run)`(future).await`, the same names |
//! | `await asyncio.shield(aw)` | [`shield`]`(future).await` |
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
pub use event_loop::{EventLoop, run};
pub use group::{AsCompleted, Gather, Wait, as_completed, gather, wait};
pub use locks::{
    Barrier, BoundedSemaphore, BrokenBarrierError, Condition, ConditionGuard, Event, Lock,
    LockGuard, ReleasedTooManyTimes, Semaphore, SemaphorePermit,
};
pub use queues::{GetNowaitError, LifoQueue, PriorityQueue, PutNowaitError, Queue, QueueShutDown};
pub use task::{Task, TaskError, shield, spawn};
pub use task_group::{GroupTask, TaskGroup, TaskGroupClosed, TaskGroupError};
pub use time::{Sleep, Timeout, TimeoutError, TimeoutScope, sleep, timeout};
