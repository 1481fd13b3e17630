//! Tasks: Python's `asyncio.create_task` and `asyncio.Task`.

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use async_task::FallibleTask;
use pin_project_lite::pin_project;

use super::event_loop::{Local, with_running_loop};
use crate::pool::{Panic, drop_payload};

/// How a task ended without a value: Python's `CancelledError`, or the exception it raised.
///
/// Errors compare and print by the panic's message; the [`Panic`] also gives the original
/// payload, to re-raise it in the caller ([`Panic::resume_unwind`]), as `await task` re-raises
/// the task's exception in Python.
///
/// ```
/// use std::panic::{self, AssertUnwindSafe};
/// use cogen::rt::{TaskError, run, spawn};
///
/// #[derive(Debug, PartialEq)]
/// struct NoFlag(&'static str);
///
/// let outcome = run(async {
///     let failing = spawn(async { panic!("no flag for XX") });
///     failing.await
/// });
/// assert_eq!(outcome, Err::<(), _>(TaskError::Panicked("no flag for XX".into())));
///
/// // A payload of any type comes back to be re-raised.
/// let outcome = run(async { spawn(async { panic::panic_any(NoFlag("XX")) }).await });
/// let Err::<(), _>(TaskError::Panicked(failure)) = outcome else { unreachable!() };
/// let caught = panic::catch_unwind(AssertUnwindSafe(|| failure.resume_unwind())).unwrap_err();
/// assert_eq!(caught.downcast_ref::<NoFlag>(), Some(&NoFlag("XX")));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TaskError {
    /// The task was cancelled before it finished: Python's `asyncio.CancelledError`.
    Cancelled,
    /// The task panicked (Python: raised). The [`Panic`] compares and prints as the panic's
    /// message, and gives the original payload once (see [`Panic`] for who gets it).
    Panicked(Panic),
}

/// The panic of a [`TaskGroup`](super::TaskGroup)'s task, which the group has recorded, on its
/// way to the task's handle: both then share one payload.
pub(crate) struct Recorded(pub(crate) Panic);

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskError::Cancelled => f.write_str("the task was cancelled"),
            TaskError::Panicked(message) => write!(f, "the task panicked: {message}"),
        }
    }
}

impl std::error::Error for TaskError {}

pin_project! {
    /// What the loop runs for a task: the user's future, dropped where it waits once the task
    /// is cancelled, and its panics caught.
    pub(crate) struct TaskBody<F> {
        #[pin]
        future: Option<F>,
        local: Rc<Local>,
        key: usize,
    }

    impl<F> PinnedDrop for TaskBody<F> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            this.local.unregister(*this.key);
        }
    }
}

impl<F> TaskBody<F> {
    pub(crate) fn new(future: F, local: Rc<Local>, key: usize) -> Self {
        TaskBody {
            future: Some(future),
            local,
            key,
        }
    }
}

/// A task's value on its way from the loop to the handle. When the handle was dropped
/// (detached), async-task drops the value inside the loop, and aborts the process should its
/// destructor panic; this wrapper drops it with the panic caught instead, as the loop treats
/// every other panic of a task's code.
pub(crate) struct Delivered<T>(Option<T>);

impl<T> Delivered<T> {
    fn into_inner(mut self) -> T {
        self.0.take().expect("a delivered value is taken once")
    }
}

impl<T> Drop for Delivered<T> {
    fn drop(&mut self) {
        if let Some(value) = self.0.take() {
            if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| drop(value))) {
                drop_payload(payload);
            }
        }
    }
}

/// What the loop hands a task's handle.
pub(crate) type Outcome<T> = Result<Delivered<T>, TaskError>;

/// The handle's view of an outcome: a closed loop that dropped the task unrun cancelled it.
fn received<T>(outcome: Option<Outcome<T>>) -> Result<T, TaskError> {
    match outcome {
        Some(Ok(value)) => Ok(value.into_inner()),
        Some(Err(error)) => Err(error),
        None => Err(TaskError::Cancelled),
    }
}

impl<F: Future> Future for TaskBody<F> {
    type Output = Outcome<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        // `current_task` is this task while it runs. No panic gets out of `step` (the body's
        // are caught), so the previous task is set back without a drop guard.
        let previous = this.local.enter_task(*this.key);
        let outcome = step(this.future, this.local, *this.key, cx);
        this.local.leave_task(previous);
        outcome
    }
}

/// A turn of the task at `key`: its future polled, or dropped if the task was cancelled.
#[inline(always)]
fn step<F: Future>(
    mut future: Pin<&mut Option<F>>,
    local: &Local,
    key: usize,
    cx: &mut Context<'_>,
) -> Poll<Outcome<F::Output>> {
    if !local.cancel_requested(key) {
        let Some(body) = future.as_mut().as_pin_mut() else {
            // Polled after it ended: async-task never does that.
            return Poll::Pending;
        };
        match panic::catch_unwind(AssertUnwindSafe(|| body.poll(cx))) {
            Ok(Poll::Pending) => return Poll::Pending,
            // Python: a task that returns after being cancelled (without awaiting) still ends
            // cancelled.
            Ok(Poll::Ready(value)) if !local.cancel_requested(key) => {
                return Poll::Ready(Ok(Delivered(Some(value))));
            }
            // Dropped with a panicking destructor caught, as a detached task's value is.
            Ok(Poll::Ready(value)) => drop(Delivered(Some(value))),
            Err(payload) => {
                let panic = match payload.downcast::<Recorded>() {
                    Ok(recorded) => recorded.0,
                    Err(payload) => Panic::from_payload(payload),
                };
                drop_future(future);
                return Poll::Ready(Err(TaskError::Panicked(panic)));
            }
        }
    }
    // Cancelled: the body is dropped where it waits, so its drop guards run now.
    drop_future(future);
    Poll::Ready(Err(TaskError::Cancelled))
}

/// Drops a task's future; a panic in its destructors is reported (the panic hook already
/// printed it) and does not take the loop down.
fn drop_future<F>(future: Pin<&mut Option<F>>) {
    let mut future = future;
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| future.set(None))) {
        drop_payload(payload);
    }
}

enum State<T> {
    Running(FallibleTask<Outcome<T>>),
    /// Finished, its outcome kept for whoever awaits the handle (after `wait` saw it end).
    Done(Result<T, TaskError>),
    /// The outcome was handed out.
    Taken,
}

/// A handle to a task running on an event loop: Python's `asyncio.Task`.
///
/// Made by [`spawn`] (Python's `asyncio.create_task`) or [`EventLoop::spawn`]. Await it for the
/// task's outcome: `Ok(value)`, or [`TaskError::Cancelled`] or [`TaskError::Panicked`]. Ask it
/// [`done`](Self::done) and [`cancelled`](Self::cancelled); [`cancel`](Self::cancel) it.
///
/// Dropping the handle detaches the task: it goes on running, as an asyncio task nobody holds
/// does (the loop keeps it; closing the loop cancels it).
///
/// `Debug` prints what asyncio's repr prints: `<Task pending name='Task-1' coro=<spin()>>`.
///
/// [`EventLoop::spawn`]: super::EventLoop::spawn
///
/// ```
/// use std::time::Duration;
/// use cogen::rt::{TaskError, run, sleep, spawn};
///
/// run(async {
///     let sleeper = spawn(async {
///         sleep(Duration::from_secs(3600)).await;
///         "woke up"
///     });
///     sleep(Duration::from_millis(1)).await;
///     assert!(!sleeper.done());
///     assert!(sleeper.cancel());
///     assert_eq!(sleeper.await, Err(TaskError::Cancelled));
/// });
/// ```
#[must_use = "dropping a task's handle detaches the task; keep it to await the result"]
pub struct Task<T> {
    state: State<T>,
    local: Rc<Local>,
    key: usize,
    id: u64,
    /// The name last given or read through this handle, for after the task has ended.
    name: Cell<Option<Rc<str>>>,
    /// The future's type name, for `Debug` (Python's `coro=<...>`).
    future_type: &'static str,
    cancel_called: Cell<bool>,
}

impl<T> Task<T> {
    pub(crate) fn new(
        task: FallibleTask<Outcome<T>>,
        local: Rc<Local>,
        key: usize,
        id: u64,
        name: Option<Rc<str>>,
        future_type: &'static str,
    ) -> Self {
        Task {
            state: State::Running(task),
            local,
            key,
            id,
            name: Cell::new(name),
            future_type,
            cancel_called: Cell::new(false),
        }
    }

    /// True once the task has finished, panicked or been cancelled: Python's `task.done()`.
    ///
    /// ```
    /// use cogen::rt::{run, sleep, spawn};
    ///
    /// run(async {
    ///     let task = spawn(async { 1 });
    ///     assert!(!task.done()); // not started yet: the loop runs it at the next await
    ///     sleep(std::time::Duration::ZERO).await;
    ///     assert!(task.done());
    /// });
    /// ```
    pub fn done(&self) -> bool {
        match &self.state {
            State::Running(task) => task.is_finished(),
            State::Done(_) | State::Taken => true,
        }
    }

    /// Asks the task to stop: Python's `task.cancel()`. Returns false if it is already done.
    ///
    /// The task stops at the await where it waits (or, if it is the one calling `cancel`, at
    /// its next await): its future is dropped there, so its drop guards run, and whoever
    /// awaits the handle gets [`TaskError::Cancelled`]. That happens when the loop next runs
    /// the task, which `cancel` schedules at once.
    ///
    /// Rust's counterpart of Python's `except CancelledError:` / `finally:` cleanup is a value
    /// whose `Drop` does the cleanup, held across the awaits:
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::rc::Rc;
    /// use std::time::Duration;
    /// use cogen::rt::{TaskError, run, sleep, spawn};
    ///
    /// struct EraseLine(Rc<Cell<bool>>);
    /// impl Drop for EraseLine {
    ///     fn drop(&mut self) { self.0.set(true) } // runs on cancel, panic or return
    /// }
    ///
    /// let erased = Rc::new(Cell::new(false));
    /// let cleanup = EraseLine(erased.clone());
    /// run(async move {
    ///     let spinner = spawn(async move {
    ///         let _cleanup = cleanup; // owned by the task's future from the start
    ///         loop {
    ///             sleep(Duration::from_millis(1)).await;
    ///         }
    ///     });
    ///     sleep(Duration::from_millis(5)).await;
    ///     assert!(spinner.cancel());
    ///     assert_eq!(spinner.await, Err(TaskError::Cancelled));
    /// });
    /// assert!(erased.get());
    /// ```
    pub fn cancel(&self) -> bool {
        if self.done() {
            return false;
        }
        self.cancel_called.set(true);
        self.local.request_cancel(self.key, self.id);
        true
    }

    /// The task's name, `Task-<n>` unless it was given one: Python's `task.get_name()`.
    ///
    /// ```
    /// use cogen::rt::{run, spawn, spawn_named};
    ///
    /// run(async {
    ///     assert_eq!(spawn(async {}).name(), "Task-2"); // `run`'s own task is Task-1
    ///     assert_eq!(spawn_named("downloader", async {}).name(), "downloader");
    /// });
    /// ```
    pub fn name(&self) -> String {
        if let Some(name) = self.local.task_name(Some(self.key), self.id) {
            // Running: the loop's name is the latest (it may have been set by a `TaskRef`).
            self.name.set(name);
        }
        let name = self.name.take();
        self.name.set(name.clone());
        match name {
            Some(name) => name.to_string(),
            None => format!("Task-{}", self.id),
        }
    }

    /// Renames the task: Python's `task.set_name(name)`.
    ///
    /// ```
    /// use cogen::rt::{run, spawn};
    ///
    /// run(async {
    ///     let task = spawn(async {});
    ///     task.set_name("renamed");
    ///     assert_eq!(task.name(), "renamed");
    ///     assert!(format!("{task:?}").contains("name='renamed'"));
    /// });
    /// ```
    pub fn set_name(&self, name: impl Into<String>) {
        let name: Rc<str> = Rc::from(name.into());
        self.local.set_task_name(Some(self.key), self.id, &name);
        self.name.set(Some(name));
    }

    /// True when the task ended cancelled: Python's `task.cancelled()`.
    ///
    /// ```
    /// use cogen::rt::{run, spawn};
    ///
    /// run(async {
    ///     let task = spawn(std::future::pending::<()>());
    ///     task.cancel();
    ///     assert!(!task.cancelled()); // asked, not yet stopped
    ///     cogen::rt::sleep(std::time::Duration::ZERO).await;
    ///     assert!(task.cancelled());
    /// });
    /// ```
    pub fn cancelled(&self) -> bool {
        match &self.state {
            State::Done(outcome) => matches!(outcome, Err(TaskError::Cancelled)),
            _ => self.cancel_called.get() && self.done(),
        }
    }

    /// Polls the task to its end without taking its outcome (for `wait`).
    pub(crate) fn poll_done(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if let State::Running(task) = &mut self.state {
            match Pin::new(task).poll(cx) {
                Poll::Ready(outcome) => self.state = State::Done(received(outcome)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(())
    }

    /// Whether the task ended by panicking, once `poll_done` saw it end.
    pub(crate) fn panicked(&self) -> bool {
        matches!(self.state, State::Done(Err(TaskError::Panicked(_))))
    }

    fn state_name(&self) -> &'static str {
        if self.cancelled() {
            "cancelled"
        } else if self.done() {
            "finished"
        } else if self.cancel_called.get() {
            "cancelling"
        } else {
            "pending"
        }
    }
}

/// What cancels a task without its handle (a [`TaskGroup`](super::TaskGroup) keeps one per
/// task).
#[derive(Clone)]
pub(crate) struct Canceller {
    local: Rc<Local>,
    key: usize,
    id: u64,
}

impl Canceller {
    /// Asks the task to stop, as [`Task::cancel`] does (a task that ended is not touched).
    pub(crate) fn cancel(&self) {
        self.local.request_cancel(self.key, self.id);
    }
}

impl<T> Task<T> {
    pub(crate) fn canceller(&self) -> Canceller {
        Canceller {
            local: Rc::clone(&self.local),
            key: self.key,
            id: self.id,
        }
    }
}

// The outcome is never pinned: the handle moves it out.
impl<T> Unpin for Task<T> {}

impl<T> Future for Task<T> {
    type Output = Result<T, TaskError>;

    /// Ready with the task's outcome once it has ended. The handle gives its outcome once:
    /// polling it again after that panics, as a finished `JoinHandle` would.
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        match &mut this.state {
            State::Running(task) => match Pin::new(task).poll(cx) {
                Poll::Ready(outcome) => {
                    this.state = State::Taken;
                    Poll::Ready(received(outcome))
                }
                Poll::Pending => Poll::Pending,
            },
            State::Done(_) => match std::mem::replace(&mut this.state, State::Taken) {
                State::Done(outcome) => Poll::Ready(outcome),
                _ => unreachable!(),
            },
            State::Taken => panic!("a cogen::rt::Task was polled after it gave its outcome"),
        }
    }
}

impl<T> Drop for Task<T> {
    /// Detaches the task: it goes on running.
    fn drop(&mut self) {
        if let State::Running(task) = std::mem::replace(&mut self.state, State::Taken) {
            task.detach();
        }
    }
}

impl<T> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<Task {} name='{}' coro=<{}>>",
            self.state_name(),
            self.name(),
            coroutine_name(self.future_type)
        )
    }
}

/// `spinner::spin::{{closure}}` (the future of `async fn spin`) -> `spin()`, as Python prints
/// a coroutine. An async block is named by the function it is written in (its type says no
/// more); other futures by their short type name.
fn coroutine_name(future_type: &str) -> String {
    let mut function = future_type;
    while let Some(outer) = function.strip_suffix("::{{closure}}") {
        function = outer;
    }
    if function.len() == future_type.len() {
        return crate::pool::short_type_name(future_type);
    }
    let name = function.rsplit("::").next().unwrap_or(function);
    format!("{name}()")
}

/// Spawns `future` as a task on the running event loop: Python's `asyncio.create_task(coro)`.
///
/// The task starts when the caller next awaits something that lets the loop run (any await
/// that is not ready at once), and runs concurrently with it from then on. The future need
/// not be `Send`: the loop runs on one thread.
///
/// # Panics
///
/// If no event loop runs on this thread (Python raises `RuntimeError: no running event loop`).
///
/// ```
/// use std::time::Duration;
/// use cogen::rt::{run, sleep, spawn};
///
/// let order = run(async {
///     let log = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
///     let (a, b) = (log.clone(), log.clone());
///     let slow = spawn(async move {
///         sleep(Duration::from_millis(20)).await;
///         a.borrow_mut().push("slow");
///     });
///     let fast = spawn(async move {
///         sleep(Duration::from_millis(1)).await;
///         b.borrow_mut().push("fast");
///     });
///     slow.await.unwrap();
///     fast.await.unwrap();
///     log.take()
/// });
/// assert_eq!(order, ["fast", "slow"]);
/// ```
pub fn spawn<F>(future: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    with_running_loop("cogen::rt::spawn", |local| local.spawn(future, None, false))
}

/// [`spawn`] with a name: Python's `asyncio.create_task(coro, name=name)`.
///
/// # Panics
///
/// If no event loop runs on this thread.
///
/// ```
/// use cogen::rt::{run, spawn_named};
///
/// run(async {
///     let task = spawn_named("fetch DE", async { 200 });
///     assert!(format!("{task:?}").starts_with("<Task pending name='fetch DE'"));
///     assert_eq!(task.await, Ok(200));
/// });
/// ```
pub fn spawn_named<F>(name: impl Into<String>, future: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let name = name.into();
    with_running_loop("cogen::rt::spawn_named", |local| {
        local.spawn(future, Some(name), false)
    })
}

/// Spawns `future` as an eager task: it runs at once, inside this call, until it first waits
/// (and if it finishes without waiting, it is done before `spawn_eager` returns); the loop
/// runs it from then on. Python 3.12's eager tasks (`asyncio.eager_task_factory`, and 3.14's
/// `create_task(coro, eager_start=True)`): a task that often finishes at once costs no turn of
/// the loop.
///
/// # Panics
///
/// If no event loop runs on this thread.
///
/// ```
/// use cogen::rt::{run, spawn, spawn_eager};
///
/// run(async {
///     let lazy = spawn(async { 1 });
///     let eager = spawn_eager(async { 2 });
///     assert!(!lazy.done()); // runs at the next turn
///     assert!(eager.done()); // ran already
///     assert_eq!((lazy.await, eager.await), (Ok(1), Ok(2)));
/// });
/// ```
pub fn spawn_eager<F>(future: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    with_running_loop("cogen::rt::spawn_eager", |local| {
        local.spawn(future, None, true)
    })
}

/// Runs `future` as a task of its own, so that cancelling whoever awaits it does not cancel
/// it: Python's `await asyncio.shield(aw)`.
///
/// Await the handle for the result. If the awaiting task is cancelled (the handle dropped),
/// the shielded task goes on, as a task whose handle is dropped always does here; a [`Task`]
/// you already hold needs no shield for the same reason.
///
/// # Panics
///
/// Outside an event loop, as [`spawn`].
///
/// ```
/// use std::time::Duration;
/// use cogen::rt::{run, shield, sleep, spawn, timeout};
///
/// run(async {
///     let inner = shield(async {
///         sleep(Duration::from_millis(20)).await;
///         5
///     });
///     // A caller that gives up (here: a timeout) leaves the shielded work running.
///     let mut inner = Some(inner);
///     let waited = timeout(Duration::from_millis(1), async { inner.as_mut().unwrap().await }).await;
///     assert!(waited.is_err());
///     assert_eq!(inner.take().unwrap().await, Ok(5));
/// });
/// ```
pub fn shield<F>(future: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    with_running_loop("cogen::rt::shield", |local| {
        local.spawn(future, None, false)
    })
}

#[cfg(test)]
mod tests {
    use super::coroutine_name;

    #[test]
    fn coroutine_names() {
        assert_eq!(coroutine_name("spinner::spin::{{closure}}"), "spin()");
        assert_eq!(
            coroutine_name("tour::event_loop::{{closure}}::{{closure}}"),
            "event_loop()",
            "an async block in a function"
        );
        assert_eq!(coroutine_name("cogen::rt::time::Sleep"), "Sleep");
        assert_eq!(
            coroutine_name("futures_lite::future::Ready<alloc::string::String>"),
            "Ready<String>"
        );
    }
}
