//! asyncio's synchronization primitives (`asyncio.locks`): [`Lock`], [`Event`], [`Semaphore`],
//! [`BoundedSemaphore`], [`Condition`] and [`Barrier`].
//!
//! Each follows CPython 3.13's algorithm step by step, so that tasks are woken, and get their
//! turn, in the order asyncio gives them: first come, first served, and no barging (a task that
//! asks while others wait queues behind them, even if the lock reads as free because the task
//! woken for it has not run yet); a waiter cancelled after it was woken hands its turn on.
//! `tests/asyncio_sync.rs` runs CPython's scenarios (`tests/fixtures/asyncio_sync/`) on them.
//!
//! Written here rather than taken from async-lock: its mutex and semaphore let a newcomer take
//! what a woken waiter was about to get, which asyncio does not. The state of each sits behind
//! a `std::sync::Mutex` held only for a few instructions, so they work on any executor and
//! across threads (tokio's multi-threaded runtime included), not only on cogen's loop.
//!
//! Where Rust says more than Python: acquiring gives a guard that releases when dropped
//! (`async with`), so a lock cannot be released by a task that does not hold it (Python's
//! `RuntimeError: Lock is not acquired.`), and a condition is waited on and notified through
//! its guard (Python's `RuntimeError: cannot wait on un-acquired lock`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use super::lock;
use super::waiters::WaitList;

// The wake-ups happen under the primitives' mutexes, as CPython sets its futures inside the
// methods. A waker of cogen's loop only queues its task, but one of another executor may run
// anything, panic included: each method records the change a wake-up stands for (a waiter
// marked woken, a permit counted off) before it wakes, so that a waker's panic leaves the state
// consistent (and the mutex poisoned, which `lock` ignores).

/// Where a waiting future is: not yet queued, queued as waiter `id`, or finished.
#[derive(Clone, Copy)]
enum Wait {
    Start,
    Queued(u64),
    Finished,
}

// ---------------------------------------------------------------------------------------------
// Lock

/// asyncio's `Lock`: a mutual-exclusion lock for tasks, held by a [`LockGuard`].
///
/// ```
/// use std::rc::Rc;
/// use cogen::rt::{Lock, gather, run, sleep};
/// use std::time::Duration;
///
/// // Python: async with lock: ... (each task holds it across an await)
/// let log = run(async {
///     let lock = Rc::new(Lock::new());
///     let log = Rc::new(std::cell::RefCell::new(Vec::new()));
///     let worker = |name: &'static str| {
///         let (lock, log) = (lock.clone(), log.clone());
///         async move {
///             let _held = lock.acquire().await;
///             log.borrow_mut().push(format!("{name} in"));
///             sleep(Duration::ZERO).await;
///             log.borrow_mut().push(format!("{name} out"));
///         }
///     };
///     gather([worker("a"), worker("b")]).await;
///     log.take()
/// });
/// assert_eq!(log, ["a in", "a out", "b in", "b out"]);
/// ```
#[derive(Default)]
pub struct Lock {
    state: Mutex<LockState>,
}

#[derive(Default)]
struct LockState {
    locked: bool,
    waiters: WaitList,
}

impl Lock {
    /// A lock that nobody holds.
    ///
    /// ```
    /// assert!(!cogen::rt::Lock::new().locked());
    /// ```
    pub fn new() -> Self {
        Lock::default()
    }

    /// Whether a task holds the lock: Python's `lock.locked()`. Between a release and the turn
    /// of the task woken for it, this is false, and yet a newcomer queues behind that task.
    ///
    /// ```
    /// use cogen::rt::{Lock, run};
    ///
    /// run(async {
    ///     let lock = Lock::new();
    ///     let guard = lock.acquire().await;
    ///     assert!(lock.locked());
    ///     drop(guard);
    ///     assert!(!lock.locked());
    /// });
    /// ```
    pub fn locked(&self) -> bool {
        lock(&self.state).locked
    }

    /// Waits for the lock and takes it: Python's `await lock.acquire()` (or `async with
    /// lock:`). Tasks get it in the order they asked. Dropping the future while it waits
    /// (cancelling the task) leaves the queue, passing the lock on if it had been handed over.
    ///
    /// ```
    /// use cogen::rt::{Lock, run};
    ///
    /// run(async {
    ///     let lock = Lock::new();
    ///     let guard = lock.acquire().await;
    ///     drop(guard); // Python: lock.release()
    ///     let _again = lock.acquire().await;
    /// });
    /// ```
    pub async fn acquire(&self) -> LockGuard<'_> {
        Acquire {
            lock: self,
            wait: Wait::Start,
        }
        .await
    }
}

impl fmt::Debug for Lock {
    /// As asyncio prints it: `<asyncio.locks.Lock object at 0x... [unlocked]>`, without the
    /// address; `, waiters:N` when tasks wait.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        let held = if state.locked { "locked" } else { "unlocked" };
        write!(f, "<Lock [{held}")?;
        if !state.waiters.is_empty() {
            write!(f, ", waiters:{}", state.waiters.len())?;
        }
        f.write_str("]>")
    }
}

struct Acquire<'a> {
    lock: &'a Lock,
    wait: Wait,
}

impl<'a> Future for Acquire<'a> {
    type Output = LockGuard<'a>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard<'a>> {
        let mut state = lock(&self.lock.state);
        match self.wait {
            Wait::Start => {
                if !state.locked && state.waiters.is_empty() {
                    state.locked = true;
                } else {
                    self.wait = Wait::Queued(state.waiters.push(cx.waker()));
                    return Poll::Pending;
                }
            }
            Wait::Queued(id) => {
                if state.waiters.poll_woken(id, cx.waker()).is_pending() {
                    return Poll::Pending;
                }
                state.locked = true;
            }
            Wait::Finished => panic!("a Lock's acquire was polled after it completed"),
        }
        drop(state);
        self.wait = Wait::Finished;
        Poll::Ready(LockGuard { lock: self.lock })
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        if let Wait::Queued(id) = self.wait {
            let mut state = lock(&self.lock.state);
            state.waiters.remove(id);
            if !state.locked {
                state.waiters.wake_first();
            }
        }
    }
}

/// A held [`Lock`]; dropping it releases the lock (Python's `lock.release()`, or the end of
/// `async with lock:`) and wakes the first waiter.
///
/// ```
/// use cogen::rt::{Lock, run};
///
/// run(async {
///     let lock = Lock::new();
///     {
///         let _guard = lock.acquire().await;
///         assert!(lock.locked());
///     }
///     assert!(!lock.locked());
/// });
/// ```
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct LockGuard<'a> {
    lock: &'a Lock,
}

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        let mut state = lock(&self.lock.state);
        state.locked = false;
        state.waiters.wake_first();
    }
}

impl fmt::Debug for LockGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LockGuard")
    }
}

// ---------------------------------------------------------------------------------------------
// Event

/// asyncio's `Event`: a flag that tasks wait for; [`set`](Self::set) wakes them all.
///
/// ```
/// use std::rc::Rc;
/// use cogen::rt::{Event, run, spawn};
///
/// run(async {
///     let ready = Rc::new(Event::new());
///     let waiter = spawn({
///         let ready = ready.clone();
///         async move {
///             ready.wait().await;
///             "woke"
///         }
///     });
///     ready.set();
///     assert_eq!(waiter.await.unwrap(), "woke");
/// });
/// ```
#[derive(Default)]
pub struct Event {
    state: Mutex<EventState>,
}

#[derive(Default)]
struct EventState {
    value: bool,
    waiters: WaitList,
}

impl Event {
    /// An event that is not set.
    ///
    /// ```
    /// assert!(!cogen::rt::Event::new().is_set());
    /// ```
    pub fn new() -> Self {
        Event::default()
    }

    /// Python's `event.is_set()`.
    ///
    /// ```
    /// let event = cogen::rt::Event::new();
    /// event.set();
    /// assert!(event.is_set());
    /// ```
    pub fn is_set(&self) -> bool {
        lock(&self.state).value
    }

    /// Sets the flag and wakes every task waiting for it: Python's `event.set()`. A task woken
    /// returns from `wait` even if the flag is cleared before it runs.
    ///
    /// ```
    /// let event = cogen::rt::Event::new();
    /// event.set();
    /// event.set(); // no change
    /// assert!(event.is_set());
    /// ```
    pub fn set(&self) {
        let mut state = lock(&self.state);
        if !state.value {
            state.value = true;
            state.waiters.wake_all();
        }
    }

    /// Clears the flag: Python's `event.clear()`; later waiters wait for the next `set`.
    ///
    /// ```
    /// let event = cogen::rt::Event::new();
    /// event.set();
    /// event.clear();
    /// assert!(!event.is_set());
    /// ```
    pub fn clear(&self) {
        lock(&self.state).value = false;
    }

    /// Waits until the flag is set (at once if it is): Python's `await event.wait()`.
    ///
    /// ```
    /// use cogen::rt::{Event, run};
    ///
    /// run(async {
    ///     let event = Event::new();
    ///     event.set();
    ///     event.wait().await; // already set
    /// });
    /// ```
    pub async fn wait(&self) {
        EventWait {
            event: self,
            wait: Wait::Start,
        }
        .await;
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        let value = if state.value { "set" } else { "unset" };
        write!(f, "<Event [{value}")?;
        if !state.waiters.is_empty() {
            write!(f, ", waiters:{}", state.waiters.len())?;
        }
        f.write_str("]>")
    }
}

struct EventWait<'a> {
    event: &'a Event,
    wait: Wait,
}

impl Future for EventWait<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = lock(&self.event.state);
        match self.wait {
            Wait::Start if state.value => {}
            Wait::Start => {
                self.wait = Wait::Queued(state.waiters.push(cx.waker()));
                return Poll::Pending;
            }
            Wait::Queued(id) => {
                if state.waiters.poll_woken(id, cx.waker()).is_pending() {
                    return Poll::Pending;
                }
            }
            Wait::Finished => panic!("an Event's wait was polled after it completed"),
        }
        drop(state);
        self.wait = Wait::Finished;
        Poll::Ready(())
    }
}

impl Drop for EventWait<'_> {
    fn drop(&mut self) {
        if let Wait::Queued(id) = self.wait {
            lock(&self.event.state).waiters.remove(id);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Semaphore and BoundedSemaphore

#[derive(Default)]
struct SemaphoreState {
    value: usize,
    waiters: WaitList,
}

impl SemaphoreState {
    /// CPython's `Semaphore.locked()`: no permit left, or tasks in line (woken ones included:
    /// their permit is taken).
    fn locked(&self) -> bool {
        self.value == 0 || !self.waiters.is_empty()
    }

    /// Wakes as many waiters as there are permits (the `finally:` of CPython's `acquire`).
    fn wake_while_permits(&mut self) {
        while self.value > 0 {
            if !self.wake_next() {
                break;
            }
        }
    }

    /// CPython's `_wake_up_next`: hands a permit (there is one) to the first waiter not yet
    /// woken. The permit is counted off before the wake-up, so that a waker that panics
    /// leaves it with the waiter, which is marked woken, and not counted twice.
    fn wake_next(&mut self) -> bool {
        self.value -= 1;
        let woken = self.waiters.wake_next();
        if !woken {
            self.value += 1;
        }
        woken
    }

    /// A permit back, and to the first waiter if any.
    fn release(&mut self) {
        self.value += 1;
        self.wake_next();
    }
}

/// The semaphore both [`Semaphore`] and [`BoundedSemaphore`] are.
struct Permits {
    state: Mutex<SemaphoreState>,
    /// A bounded semaphore's initial value.
    bound: Option<usize>,
}

impl Permits {
    fn new(value: usize, bound: Option<usize>) -> Self {
        Permits {
            state: Mutex::new(SemaphoreState {
                value,
                waiters: WaitList::default(),
            }),
            bound,
        }
    }

    fn locked(&self) -> bool {
        lock(&self.state).locked()
    }

    fn value(&self) -> usize {
        lock(&self.state).value
    }

    fn release(&self) -> Result<(), ReleasedTooManyTimes> {
        let mut state = lock(&self.state);
        if self.bound.is_some_and(|bound| state.value >= bound) {
            return Err(ReleasedTooManyTimes);
        }
        state.release();
        Ok(())
    }

    async fn acquire(&self) {
        TakePermit {
            permits: self,
            wait: Wait::Start,
        }
        .await;
    }

    fn fmt(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        if state.locked() {
            write!(f, "<{name} [locked")?;
        } else {
            write!(f, "<{name} [unlocked, value:{}", state.value)?;
        }
        if !state.waiters.is_empty() {
            write!(f, ", waiters:{}", state.waiters.len())?;
        }
        f.write_str("]>")
    }
}

struct TakePermit<'a> {
    permits: &'a Permits,
    wait: Wait,
}

impl Future for TakePermit<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = lock(&self.permits.state);
        match self.wait {
            Wait::Start => {
                if state.locked() {
                    self.wait = Wait::Queued(state.waiters.push(cx.waker()));
                    return Poll::Pending;
                }
                state.value -= 1;
            }
            Wait::Queued(id) => {
                if state.waiters.poll_woken(id, cx.waker()).is_pending() {
                    return Poll::Pending;
                }
                // Woken with a permit: its value was counted off by the waker.
                state.wake_while_permits();
            }
            Wait::Finished => panic!("a semaphore's acquire was polled after it completed"),
        }
        drop(state);
        self.wait = Wait::Finished;
        Poll::Ready(())
    }
}

impl Drop for TakePermit<'_> {
    fn drop(&mut self) {
        if let Wait::Queued(id) = self.wait {
            let mut state = lock(&self.permits.state);
            if state.waiters.remove(id) == Some(true) {
                // Woken with a permit, then cancelled: the permit goes back.
                state.value += 1;
            }
            state.wake_while_permits();
        }
    }
}

/// A [`BoundedSemaphore`] was released more times than it was acquired: Python's
/// `ValueError: BoundedSemaphore released too many times`.
///
/// ```
/// use cogen::rt::{BoundedSemaphore, ReleasedTooManyTimes};
///
/// let semaphore = BoundedSemaphore::new(1);
/// assert_eq!(semaphore.release(), Err(ReleasedTooManyTimes));
/// assert_eq!(ReleasedTooManyTimes.to_string(), "BoundedSemaphore released too many times");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReleasedTooManyTimes;

impl fmt::Display for ReleasedTooManyTimes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BoundedSemaphore released too many times")
    }
}

impl std::error::Error for ReleasedTooManyTimes {}

/// asyncio's `Semaphore`: a counter of permits; [`acquire`](Self::acquire) waits for one, in
/// the order tasks asked, and gives a [`SemaphorePermit`] that returns it when dropped.
///
/// Python's commonest use, a cap on how many tasks do something at once:
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use std::time::Duration;
/// use cogen::rt::{Semaphore, gather, run, sleep};
///
/// let most = run(async {
///     let cap = Rc::new(Semaphore::new(2));
///     let (now, most) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
///     let download = |_n: u32| {
///         let (cap, now, most) = (cap.clone(), now.clone(), most.clone());
///         async move {
///             let _permit = cap.acquire().await; // async with semaphore:
///             now.set(now.get() + 1);
///             most.set(most.get().max(now.get()));
///             sleep(Duration::from_millis(1)).await;
///             now.set(now.get() - 1);
///         }
///     };
///     gather((0..6).map(download)).await;
///     most.get()
/// });
/// assert_eq!(most, 2);
/// ```
pub struct Semaphore {
    permits: Permits,
}

impl Semaphore {
    /// A semaphore with `value` permits (Python's `Semaphore(value)`; a negative value, a
    /// `ValueError` there, cannot be written here).
    ///
    /// ```
    /// assert_eq!(cogen::rt::Semaphore::new(3).value(), 3);
    /// ```
    pub fn new(value: usize) -> Self {
        Semaphore {
            permits: Permits::new(value, None),
        }
    }

    /// Python's `semaphore.locked()`: true when an `acquire` would wait (no permit left, or
    /// tasks already in line).
    ///
    /// ```
    /// assert!(cogen::rt::Semaphore::new(0).locked());
    /// ```
    pub fn locked(&self) -> bool {
        self.permits.locked()
    }

    /// The permits left (Python's `semaphore._value`).
    ///
    /// ```
    /// let semaphore = cogen::rt::Semaphore::new(1);
    /// semaphore.release();
    /// assert_eq!(semaphore.value(), 2);
    /// ```
    pub fn value(&self) -> usize {
        self.permits.value()
    }

    /// Waits for a permit: Python's `await semaphore.acquire()` (or `async with semaphore:`).
    /// First come, first served; a newcomer never takes a permit from a task in line.
    ///
    /// ```
    /// use cogen::rt::{Semaphore, run};
    ///
    /// run(async {
    ///     let semaphore = Semaphore::new(1);
    ///     let permit = semaphore.acquire().await;
    ///     assert!(semaphore.locked());
    ///     drop(permit);
    ///     assert!(!semaphore.locked());
    /// });
    /// ```
    pub async fn acquire(&self) -> SemaphorePermit<'_> {
        self.permits.acquire().await;
        SemaphorePermit {
            permits: &self.permits,
        }
    }

    /// Adds a permit, waking the first task in line: Python's `semaphore.release()`, for a
    /// permit taken with [`SemaphorePermit::forget`] or never taken (a plain semaphore may go
    /// above its initial value).
    ///
    /// ```
    /// let semaphore = cogen::rt::Semaphore::new(0);
    /// semaphore.release();
    /// assert!(!semaphore.locked());
    /// ```
    pub fn release(&self) {
        lock(&self.permits.state).release();
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.permits.fmt("Semaphore", f)
    }
}

/// asyncio's `BoundedSemaphore`: a [`Semaphore`] whose [`release`](Self::release) refuses to
/// go above the initial value.
///
/// ```
/// use cogen::rt::{BoundedSemaphore, run};
///
/// run(async {
///     let semaphore = BoundedSemaphore::new(2);
///     let permit = semaphore.acquire().await;
///     permit.forget(); // Python: acquire() now, release() later
///     assert_eq!(semaphore.release(), Ok(()));
///     assert!(semaphore.release().is_err());
/// });
/// ```
pub struct BoundedSemaphore {
    permits: Permits,
}

impl BoundedSemaphore {
    /// A semaphore with `value` permits, which it may never exceed.
    ///
    /// ```
    /// assert_eq!(cogen::rt::BoundedSemaphore::new(2).value(), 2);
    /// ```
    pub fn new(value: usize) -> Self {
        BoundedSemaphore {
            permits: Permits::new(value, Some(value)),
        }
    }

    /// Python's `semaphore.locked()`.
    ///
    /// ```
    /// assert!(!cogen::rt::BoundedSemaphore::new(1).locked());
    /// ```
    pub fn locked(&self) -> bool {
        self.permits.locked()
    }

    /// The permits left.
    ///
    /// ```
    /// assert_eq!(cogen::rt::BoundedSemaphore::new(4).value(), 4);
    /// ```
    pub fn value(&self) -> usize {
        self.permits.value()
    }

    /// Waits for a permit, as [`Semaphore::acquire`] does.
    ///
    /// ```
    /// use cogen::rt::{BoundedSemaphore, run};
    ///
    /// run(async {
    ///     let semaphore = BoundedSemaphore::new(1);
    ///     let _permit = semaphore.acquire().await;
    ///     assert!(semaphore.locked());
    /// });
    /// ```
    pub async fn acquire(&self) -> SemaphorePermit<'_> {
        self.permits.acquire().await;
        SemaphorePermit {
            permits: &self.permits,
        }
    }

    /// Gives a permit back: Python's `semaphore.release()`.
    ///
    /// # Errors
    ///
    /// [`ReleasedTooManyTimes`] if that would take the semaphore above its initial value.
    ///
    /// ```
    /// let semaphore = cogen::rt::BoundedSemaphore::new(0);
    /// assert!(semaphore.release().is_err());
    /// ```
    pub fn release(&self) -> Result<(), ReleasedTooManyTimes> {
        self.permits.release()
    }
}

impl fmt::Debug for BoundedSemaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.permits.fmt("BoundedSemaphore", f)
    }
}

/// A permit of a [`Semaphore`] or [`BoundedSemaphore`]; dropping it gives the permit back
/// (the end of Python's `async with semaphore:`).
///
/// # Panics
///
/// Dropping the permit of a [`BoundedSemaphore`] that is already at its initial value (it was
/// released by hand meanwhile: Python's `ValueError` at the end of `async with`) panics,
/// unless the thread is already panicking.
///
/// ```
/// use cogen::rt::{Semaphore, run};
///
/// run(async {
///     let semaphore = Semaphore::new(1);
///     drop(semaphore.acquire().await);
///     assert_eq!(semaphore.value(), 1);
/// });
/// ```
#[must_use = "the permit is given back as soon as it is dropped"]
pub struct SemaphorePermit<'a> {
    permits: &'a Permits,
}

impl SemaphorePermit<'_> {
    /// Keeps the permit taken without giving it back: the semaphore has one fewer until
    /// someone calls `release` (Python's bare `acquire()`).
    ///
    /// ```
    /// use cogen::rt::{Semaphore, run};
    ///
    /// run(async {
    ///     let semaphore = Semaphore::new(1);
    ///     semaphore.acquire().await.forget();
    ///     assert_eq!(semaphore.value(), 0);
    ///     semaphore.release();
    ///     assert_eq!(semaphore.value(), 1);
    /// });
    /// ```
    pub fn forget(self) {
        std::mem::forget(self);
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        if self.permits.release().is_err() && !std::thread::panicking() {
            panic!("{ReleasedTooManyTimes}");
        }
    }
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SemaphorePermit")
    }
}

// ---------------------------------------------------------------------------------------------
// Condition

/// asyncio's `Condition`: a [`Lock`] and the tasks waiting to be notified while they do not
/// hold it. Waiting and notifying go through the [`ConditionGuard`] that
/// [`acquire`](Self::acquire) gives, so that only a task holding the lock can do either.
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
/// use cogen::rt::{Condition, run, spawn};
///
/// run(async {
///     let condition = Rc::new(Condition::new());
///     let items = Rc::new(RefCell::new(Vec::new()));
///     let consumer = spawn({
///         let (condition, items) = (condition.clone(), items.clone());
///         async move {
///             // async with condition: await condition.wait_for(lambda: items)
///             let guard = condition.acquire().await;
///             let _guard = guard.wait_for(|| !items.borrow().is_empty()).await;
///             items.borrow_mut().pop()
///         }
///     });
///     cogen::rt::sleep(std::time::Duration::ZERO).await;
///     let guard = condition.acquire().await;
///     items.borrow_mut().push("item");
///     guard.notify(1);
///     drop(guard);
///     assert_eq!(consumer.await.unwrap(), Some("item"));
/// });
/// ```
#[derive(Default)]
pub struct Condition {
    lock: Lock,
    waiters: Mutex<WaitList>,
}

impl Condition {
    /// A condition with a lock of its own.
    ///
    /// ```
    /// assert!(!cogen::rt::Condition::new().locked());
    /// ```
    pub fn new() -> Self {
        Condition::default()
    }

    /// Whether a task holds the condition's lock: Python's `condition.locked()`.
    ///
    /// ```
    /// use cogen::rt::{Condition, run};
    ///
    /// run(async {
    ///     let condition = Condition::new();
    ///     let _guard = condition.acquire().await;
    ///     assert!(condition.locked());
    /// });
    /// ```
    pub fn locked(&self) -> bool {
        self.lock.locked()
    }

    /// Takes the condition's lock: Python's `async with condition:`.
    ///
    /// ```
    /// use cogen::rt::{Condition, run};
    ///
    /// run(async {
    ///     let condition = Condition::new();
    ///     let guard = condition.acquire().await;
    ///     guard.notify_all(); // nobody waits: nothing happens
    /// });
    /// ```
    pub async fn acquire(&self) -> ConditionGuard<'_> {
        ConditionGuard {
            condition: self,
            _held: self.lock.acquire().await,
        }
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held = if self.locked() { "locked" } else { "unlocked" };
        write!(f, "<Condition [{held}")?;
        let waiters = lock(&self.waiters).len();
        if waiters > 0 {
            write!(f, ", waiters:{waiters}")?;
        }
        f.write_str("]>")
    }
}

/// A [`Condition`]'s lock, held; dropping it releases the lock.
///
/// ```
/// use cogen::rt::{Condition, run};
///
/// run(async {
///     let condition = Condition::new();
///     let guard = condition.acquire().await;
///     guard.notify(2);
///     drop(guard);
///     assert!(!condition.locked());
/// });
/// ```
#[must_use = "the condition's lock is released as soon as the guard is dropped"]
pub struct ConditionGuard<'a> {
    condition: &'a Condition,
    _held: LockGuard<'a>,
}

impl<'a> ConditionGuard<'a> {
    /// Wakes up to `n` of the tasks waiting on the condition, first come first: Python's
    /// `condition.notify(n)`. They run once this task releases the lock.
    ///
    /// ```
    /// use cogen::rt::{Condition, run};
    ///
    /// run(async {
    ///     let condition = Condition::new();
    ///     condition.acquire().await.notify(1);
    /// });
    /// ```
    pub fn notify(&self, n: usize) {
        lock(&self.condition.waiters).wake_up_to(n);
    }

    /// Wakes every task waiting on the condition: Python's `condition.notify_all()`.
    ///
    /// ```
    /// use cogen::rt::{Condition, run};
    ///
    /// run(async {
    ///     let condition = Condition::new();
    ///     condition.acquire().await.notify_all();
    /// });
    /// ```
    pub fn notify_all(&self) {
        lock(&self.condition.waiters).wake_all();
    }

    /// Releases the lock, waits to be notified, and takes the lock again: Python's
    /// `await condition.wait()`. Gives the guard back (as `std`'s `Condvar::wait` does), so
    /// that a task dropped while it waits (cancelled) holds nothing; a task cancelled after it
    /// was notified passes the notification on, as asyncio does.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use cogen::rt::{Condition, run, spawn};
    ///
    /// run(async {
    ///     let condition = Rc::new(Condition::new());
    ///     let waiter = spawn({
    ///         let condition = condition.clone();
    ///         async move {
    ///             let guard = condition.acquire().await;
    ///             let _guard = guard.wait().await;
    ///             "notified"
    ///         }
    ///     });
    ///     cogen::rt::sleep(std::time::Duration::ZERO).await;
    ///     condition.acquire().await.notify(1);
    ///     assert_eq!(waiter.await.unwrap(), "notified");
    /// });
    /// ```
    pub async fn wait(self) -> ConditionGuard<'a> {
        let condition = self.condition;
        let id = lock(&condition.waiters).push(&std::task::Waker::noop().clone());
        drop(self); // releases the lock
        let mut notified = Notified {
            condition,
            id: Some(id),
        };
        std::future::poll_fn(|cx| notified.poll_notified(cx)).await;
        let guard = condition.acquire().await;
        notified.id = None;
        guard
    }

    /// Waits until `predicate` holds, checking it with the lock held, first at once and then
    /// after each notification: Python's `await condition.wait_for(predicate)`.
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::rc::Rc;
    /// use cogen::rt::{Condition, run, spawn};
    ///
    /// run(async {
    ///     let condition = Rc::new(Condition::new());
    ///     let count = Rc::new(Cell::new(0));
    ///     let watcher = spawn({
    ///         let (condition, count) = (condition.clone(), count.clone());
    ///         async move {
    ///             let guard = condition.acquire().await;
    ///             let _guard = guard.wait_for(|| count.get() >= 2).await;
    ///             count.get()
    ///         }
    ///     });
    ///     for _ in 0..2 {
    ///         cogen::rt::sleep(std::time::Duration::ZERO).await;
    ///         let guard = condition.acquire().await;
    ///         count.set(count.get() + 1);
    ///         guard.notify_all();
    ///     }
    ///     assert_eq!(watcher.await.unwrap(), 2);
    /// });
    /// ```
    pub async fn wait_for(self, mut predicate: impl FnMut() -> bool) -> ConditionGuard<'a> {
        let mut guard = self;
        while !predicate() {
            guard = guard.wait().await;
        }
        guard
    }
}

impl fmt::Debug for ConditionGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ConditionGuard")
    }
}

/// The wait of [`ConditionGuard::wait`] for a notification, as waiter `id` (until the lock is
/// taken again: a drop before that passes a notification it got on).
struct Notified<'a> {
    condition: &'a Condition,
    id: Option<u64>,
}

impl Notified<'_> {
    fn poll_notified(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let id = self.id.expect("waiting");
        lock(&self.condition.waiters).poll_woken(id, cx.waker())
    }
}

impl Drop for Notified<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            // Cancelled: waiting, or notified and waiting for the lock. asyncio then notifies
            // another waiter (a spurious wake-up at worst) so that no notification is lost.
            let mut waiters = lock(&self.condition.waiters);
            waiters.remove(id);
            waiters.wake_up_to(1);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Barrier

/// A [`Barrier`] was aborted or reset while a task waited at it, or was broken when the task
/// came: Python's `asyncio.BrokenBarrierError`.
///
/// ```
/// use cogen::rt::{Barrier, BrokenBarrierError, run};
///
/// run(async {
///     let barrier = Barrier::new(2);
///     barrier.abort();
///     assert_eq!(barrier.wait().await, Err(BrokenBarrierError));
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BrokenBarrierError;

impl fmt::Display for BrokenBarrierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the barrier was aborted or reset")
    }
}

impl std::error::Error for BrokenBarrierError {}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    Filling,
    Draining,
    Resetting,
    Broken,
}

struct BarrierState {
    phase: Phase,
    /// Tasks in the barrier (waiting, or released and not yet out).
    count: usize,
    waiters: WaitList,
}

/// asyncio's `Barrier`: `parties` tasks wait for each other, then all go on together.
///
/// ```
/// use std::rc::Rc;
/// use cogen::rt::{Barrier, gather, run};
///
/// let indices = run(async {
///     let barrier = Rc::new(Barrier::new(3));
///     gather((0..3).map(|_| {
///         let barrier = barrier.clone();
///         async move { barrier.wait().await.unwrap() }
///     }))
///     .await
/// });
/// assert_eq!(indices, [0, 1, 2]); // each task's place in arrival order
/// ```
pub struct Barrier {
    parties: usize,
    state: Mutex<BarrierState>,
}

impl Barrier {
    /// A barrier for `parties` tasks.
    ///
    /// # Panics
    ///
    /// If `parties` is 0 (Python: `ValueError: parties must be > 0`).
    ///
    /// ```
    /// assert_eq!(cogen::rt::Barrier::new(4).parties(), 4);
    /// ```
    pub fn new(parties: usize) -> Self {
        assert!(parties > 0, "parties must be > 0");
        Barrier {
            parties,
            state: Mutex::new(BarrierState {
                phase: Phase::Filling,
                count: 0,
                waiters: WaitList::default(),
            }),
        }
    }

    /// How many tasks the barrier waits for: Python's `barrier.parties`.
    ///
    /// ```
    /// assert_eq!(cogen::rt::Barrier::new(2).parties(), 2);
    /// ```
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// How many tasks wait at the barrier while it fills: Python's `barrier.n_waiting`.
    ///
    /// ```
    /// assert_eq!(cogen::rt::Barrier::new(2).n_waiting(), 0);
    /// ```
    pub fn n_waiting(&self) -> usize {
        let state = lock(&self.state);
        if state.phase == Phase::Filling {
            state.count
        } else {
            0
        }
    }

    /// Whether the barrier was aborted: Python's `barrier.broken`.
    ///
    /// ```
    /// let barrier = cogen::rt::Barrier::new(2);
    /// barrier.abort();
    /// assert!(barrier.broken());
    /// ```
    pub fn broken(&self) -> bool {
        lock(&self.state).phase == Phase::Broken
    }

    /// Waits until `parties` tasks wait, then lets them all go: Python's `await
    /// barrier.wait()`. Gives the task's place in arrival order, `0..parties`.
    ///
    /// # Errors
    ///
    /// [`BrokenBarrierError`] if the barrier is broken, or is aborted or reset while the task
    /// waits.
    ///
    /// ```
    /// use cogen::rt::{Barrier, run};
    ///
    /// run(async {
    ///     let barrier = Barrier::new(1);
    ///     assert_eq!(barrier.wait().await, Ok(0));
    ///     assert_eq!(barrier.wait().await, Ok(0)); // it fills again
    /// });
    /// ```
    pub async fn wait(&self) -> Result<usize, BrokenBarrierError> {
        // Wait while the barrier drains or resets (CPython's `_block`).
        self.wait_until(|phase| !matches!(phase, Phase::Draining | Phase::Resetting))
            .await;
        let index = {
            let mut state = lock(&self.state);
            if state.phase == Phase::Broken {
                return Err(BrokenBarrierError);
            }
            state.count += 1;
            state.count - 1
        };
        // From here the task is counted in; its leaving is counted on every path, drop
        // (cancellation) included (CPython's `finally: self._count -= 1; self._exit()`).
        let _leaving = Leaving(self);
        if index + 1 == self.parties {
            let mut state = lock(&self.state);
            state.phase = Phase::Draining;
            state.waiters.wake_all();
            return Ok(index);
        }
        let phase = self.wait_until(|phase| phase != Phase::Filling).await;
        if matches!(phase, Phase::Broken | Phase::Resetting) {
            return Err(BrokenBarrierError);
        }
        Ok(index)
    }

    /// Waits until `ready(phase)` holds, checking it at once and after each change of phase;
    /// gives the phase it saw.
    async fn wait_until(&self, ready: fn(Phase) -> bool) -> Phase {
        PhaseWait {
            barrier: self,
            ready,
            wait: Wait::Start,
        }
        .await
    }

    /// Puts the barrier in the broken state: tasks waiting at it, and those that come later,
    /// get [`BrokenBarrierError`]: Python's `await barrier.abort()` (which only waits for the
    /// barrier's internal lock; there is none to wait for here).
    ///
    /// ```
    /// let barrier = cogen::rt::Barrier::new(3);
    /// barrier.abort();
    /// assert!(barrier.broken());
    /// ```
    pub fn abort(&self) {
        let mut state = lock(&self.state);
        state.phase = Phase::Broken;
        state.waiters.wake_all();
    }

    /// Returns the barrier to its empty state; tasks waiting at it get
    /// [`BrokenBarrierError`]: Python's `await barrier.reset()`.
    ///
    /// ```
    /// let barrier = cogen::rt::Barrier::new(3);
    /// barrier.abort();
    /// barrier.reset();
    /// assert!(!barrier.broken());
    /// ```
    pub fn reset(&self) {
        let mut state = lock(&self.state);
        if state.count > 0 {
            state.phase = Phase::Resetting;
        } else {
            state.phase = Phase::Filling;
        }
        state.waiters.wake_all();
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        let phase = match state.phase {
            Phase::Filling => "filling",
            Phase::Draining => "draining",
            Phase::Resetting => "resetting",
            Phase::Broken => "broken",
        };
        let waiting = if state.phase == Phase::Filling {
            state.count
        } else {
            0
        };
        write!(f, "<Barrier [{phase}, waiters:{waiting}/{}]>", self.parties)
    }
}

/// A task waiting for a [`Barrier`]'s phase to satisfy `ready`.
struct PhaseWait<'a> {
    barrier: &'a Barrier,
    ready: fn(Phase) -> bool,
    wait: Wait,
}

impl Future for PhaseWait<'_> {
    type Output = Phase;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Phase> {
        let mut state = lock(&self.barrier.state);
        if let Wait::Queued(id) = self.wait {
            if state.waiters.poll_woken(id, cx.waker()).is_pending() {
                return Poll::Pending;
            }
        }
        if (self.ready)(state.phase) {
            let phase = state.phase;
            drop(state);
            self.wait = Wait::Finished;
            return Poll::Ready(phase);
        }
        self.wait = Wait::Queued(state.waiters.push(cx.waker()));
        Poll::Pending
    }
}

impl Drop for PhaseWait<'_> {
    fn drop(&mut self) {
        if let Wait::Queued(id) = self.wait {
            lock(&self.barrier.state).waiters.remove(id);
        }
    }
}

/// A task leaving a [`Barrier`], however it leaves.
struct Leaving<'a>(&'a Barrier);

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        let mut state = lock(&self.0.state);
        state.count -= 1;
        // The last one out lets the next round fill (CPython's `_exit`).
        if state.count == 0 {
            if matches!(state.phase, Phase::Resetting | Phase::Draining) {
                state.phase = Phase::Filling;
            }
            state.waiters.wake_all();
        }
    }
}
