//! Python 3.11's `asyncio.TaskGroup`: tasks that live and die together.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use pin_project_lite::pin_project;

use super::task::{Canceller, Recorded, Task, TaskError, spawn};
use crate::pool::Panic;

/// Every failure of a [`TaskGroup`]'s tasks, in the order they happened: Python's
/// `ExceptionGroup('unhandled errors in a TaskGroup', [...])`.
///
/// Each failure is a [`TaskError::Panicked`] whose [`Panic`] gives the task's original
/// payload, to re-raise it ([`Panic::resume_unwind`]). The task's handle, if someone awaits
/// it, reports the same panic: the two share the payload, which goes to whichever takes it
/// first (the other then has the message only).
///
/// ```
/// use std::panic::{self, AssertUnwindSafe};
/// use cogen::rt::{TaskError, TaskGroup, run};
///
/// let outcome = run(TaskGroup::scope(async |group| {
///     group.spawn(async { panic!("no flag for XX") });
/// }));
/// let error = outcome.unwrap_err();
/// assert_eq!(error.errors(), [TaskError::Panicked("no flag for XX".into())]);
/// assert_eq!(error.to_string(), "unhandled errors in a TaskGroup (1 sub-exception)");
///
/// // Re-raise the first failure in the caller, with its original payload.
/// let Some(TaskError::Panicked(first)) = error.into_errors().into_iter().next() else {
///     unreachable!()
/// };
/// let caught = panic::catch_unwind(AssertUnwindSafe(|| first.resume_unwind())).unwrap_err();
/// assert_eq!(caught.downcast_ref::<&str>(), Some(&"no flag for XX"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaskGroupError {
    errors: Vec<TaskError>,
}

impl TaskGroupError {
    /// The failures, first first (Python's `exceptions`).
    ///
    /// ```
    /// use cogen::rt::{TaskGroup, run};
    ///
    /// // Both fail in their first turn, before the group's turn comes to cancel the other.
    /// let error = run(TaskGroup::scope(async |group| {
    ///     group.spawn(async { panic!("a") });
    ///     group.spawn(async { panic!("b") });
    /// }))
    /// .unwrap_err();
    /// assert_eq!(error.errors().len(), 2);
    /// ```
    pub fn errors(&self) -> &[TaskError] {
        &self.errors
    }

    /// The failures, owned.
    ///
    /// ```
    /// use cogen::rt::{TaskGroup, run};
    ///
    /// let error = run(TaskGroup::scope(async |group| {
    ///     group.spawn(async { panic!("lost") });
    /// }))
    /// .unwrap_err();
    /// assert_eq!(error.into_errors().len(), 1);
    /// ```
    pub fn into_errors(self) -> Vec<TaskError> {
        self.errors
    }
}

impl fmt::Display for TaskGroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        let plural = if n == 1 { "" } else { "s" };
        write!(
            f,
            "unhandled errors in a TaskGroup ({n} sub-exception{plural})"
        )
    }
}

impl std::error::Error for TaskGroupError {}

/// Why [`TaskGroup::try_spawn`] spawned nothing: Python's `RuntimeError: TaskGroup ... is
/// finished` (or `... is shutting down`).
///
/// ```
/// use cogen::rt::{TaskGroup, TaskGroupClosed, run};
///
/// let group = run(TaskGroup::scope(async |group| group.clone())).unwrap();
/// assert_eq!(group.try_spawn(async {}).unwrap_err(), TaskGroupClosed);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TaskGroupClosed;

impl fmt::Display for TaskGroupClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the TaskGroup is finished or shutting down")
    }
}

impl std::error::Error for TaskGroupClosed {}

#[derive(Default)]
struct GroupState {
    /// Takes new tasks: until the scope ends, or a task fails.
    open: bool,
    /// Tasks spawned and not yet ended.
    running: usize,
    /// The cancellers of the running tasks, by member number: a slab, whose slots (`None`)
    /// of ended tasks are reused, so that a long-lived group keeps as many as run at once.
    members: Vec<Option<Canceller>>,
    /// The member numbers free for new tasks.
    free: Vec<usize>,
    errors: Vec<TaskError>,
    /// The scope, waiting for the tasks or for a failure.
    scope: Option<Waker>,
}

/// Python 3.11's `asyncio.TaskGroup`, the recommended way to run tasks: every task spawned into
/// the group ends before [`scope`](Self::scope) returns; the first task that fails (panics)
/// cancels the others and the scope's own body, and every failure is reported together.
///
/// ```
/// use std::time::Duration;
/// use cogen::rt::{TaskGroup, run, sleep};
///
/// // Python:
/// //     async with asyncio.TaskGroup() as tg:
/// //         a = tg.create_task(fetch(2))
/// //         b = tg.create_task(fetch(1))
/// //     print(a.result(), b.result())
/// async fn fetch(n: u64) -> u64 {
///     sleep(Duration::from_millis(n)).await;
///     n * 10
/// }
/// let (a, b) = run(async {
///     let (a, b) = TaskGroup::scope(async |group| (group.spawn(fetch(2)), group.spawn(fetch(1))))
///         .await
///         .unwrap();
///     (a.await.unwrap(), b.await.unwrap()) // both done: ready at once
/// });
/// assert_eq!((a, b), (20, 10));
/// ```
///
/// The group is a handle: clones of it spawn into the same group, so a task may spawn more
/// tasks into its own group. It runs on cogen's event loop ([`spawn`]'s tasks).
#[derive(Clone)]
pub struct TaskGroup {
    state: Rc<RefCell<GroupState>>,
}

impl TaskGroup {
    /// Runs `body` with a new group, then waits for every task spawned into it: Python's
    /// `async with asyncio.TaskGroup() as tg:`. Gives what `body` returned.
    ///
    /// When a task of the group panics, the group cancels its other tasks and `body` (if it
    /// has not returned yet: it is dropped where it waits), waits for all of them to end, and
    /// gives every failure. As in asyncio, the cancelling happens at the group's next turn, so
    /// tasks that were already due to run before it may fail too. A task cancelled by its own handle ([`Task::cancel`]) is no
    /// failure. Dropping the scope's future (cancelling the task that awaits it) cancels the
    /// group's tasks.
    ///
    /// # Errors
    ///
    /// [`TaskGroupError`], the failures of the group's tasks.
    ///
    /// # Panics
    ///
    /// Outside an event loop (the group's tasks run on it). A panic of `body` itself cancels
    /// the group's tasks and goes on unwinding, as an exception in the `async with` body does.
    ///
    /// ```
    /// use std::cell::RefCell;
    /// use std::rc::Rc;
    /// use std::time::Duration;
    /// use cogen::rt::{TaskGroup, run, sleep};
    ///
    /// let log = Rc::new(RefCell::new(Vec::new()));
    /// let outcome = run({
    ///     let log = log.clone();
    ///     TaskGroup::scope(async move |group| {
    ///         let slow = log.clone();
    ///         group.spawn(async move {
    ///             struct Cleanup(Rc<RefCell<Vec<&'static str>>>);
    ///             impl Drop for Cleanup {
    ///                 fn drop(&mut self) { self.0.borrow_mut().push("slow cleaned up") }
    ///             }
    ///             let _cleanup = Cleanup(slow);
    ///             sleep(Duration::from_secs(3600)).await;
    ///         });
    ///         group.spawn(async { panic!("failed") });
    ///         sleep(Duration::from_secs(3600)).await; // cancelled too
    ///         log.borrow_mut().push("body finished");
    ///     })
    /// });
    /// assert_eq!(outcome.unwrap_err().errors().len(), 1);
    /// assert_eq!(*log.borrow(), ["slow cleaned up"]);
    /// ```
    pub async fn scope<R>(body: impl AsyncFnOnce(TaskGroup) -> R) -> Result<R, TaskGroupError> {
        let group = TaskGroup {
            state: Rc::new(RefCell::new(GroupState {
                open: true,
                ..GroupState::default()
            })),
        };
        let closing = CloseOnDrop(group.clone());
        let body = body(group.clone());
        let output = Scope {
            body: Some(body),
            output: None,
            group: &group,
        }
        .await;
        drop(closing);
        let errors = std::mem::take(&mut group.state.borrow_mut().errors);
        match output {
            Some(output) if errors.is_empty() => Ok(output),
            _ => Err(TaskGroupError { errors }),
        }
    }

    /// Spawns `future` as a task of the group: Python's `tg.create_task(coro)`. The handle
    /// gives the task's own outcome; the group waits for the task whether or not anyone awaits
    /// the handle.
    ///
    /// # Panics
    ///
    /// If the group is finished or shutting down (its scope returned, or a task failed):
    /// Python's `RuntimeError`. [`try_spawn`](Self::try_spawn) says so instead.
    ///
    /// ```
    /// use cogen::rt::{TaskGroup, run};
    ///
    /// let total = run(TaskGroup::scope(async |group| {
    ///     let tasks: Vec<_> = (1..=3).map(|n| group.spawn(async move { n * n })).collect();
    ///     let mut total = 0;
    ///     for task in tasks {
    ///         total += task.await.unwrap();
    ///     }
    ///     total
    /// }));
    /// assert_eq!(total, Ok(14));
    /// ```
    pub fn spawn<F>(&self, future: F) -> GroupTask<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        match self.try_spawn(future) {
            Ok(task) => task,
            Err(closed) => panic!("cannot spawn into this TaskGroup: {closed}"),
        }
    }

    /// [`spawn`](Self::spawn), or [`TaskGroupClosed`] if the group takes no more tasks.
    ///
    /// # Errors
    ///
    /// [`TaskGroupClosed`] once the scope has returned or a task has failed.
    ///
    /// ```
    /// use cogen::rt::{TaskGroup, run};
    ///
    /// run(TaskGroup::scope(async |group| {
    ///     assert!(group.try_spawn(async {}).is_ok());
    /// }))
    /// .unwrap();
    /// ```
    pub fn try_spawn<F>(&self, future: F) -> Result<GroupTask<F::Output>, TaskGroupClosed>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let member = {
            let mut state = self.state.borrow_mut();
            if !state.open {
                return Err(TaskGroupClosed);
            }
            state.running += 1;
            match state.free.pop() {
                Some(member) => member,
                None => {
                    state.members.push(None);
                    state.members.len() - 1
                }
            }
        };
        let task = spawn(Member {
            future,
            group: Rc::clone(&self.state),
            member,
            ended: false,
        });
        // The task has not run yet (it runs at the loop's next turn), so it is still running
        // and its member number still its own. (Had `spawn` panicked, the task's drop would
        // have given the number back.)
        self.state.borrow_mut().members[member] = Some(task.canceller());
        Ok(GroupTask(task))
    }

    /// How many of the group's tasks have not ended yet.
    ///
    /// ```
    /// use cogen::rt::{TaskGroup, run};
    ///
    /// run(TaskGroup::scope(async |group| {
    ///     group.spawn(async {});
    ///     assert_eq!(group.running(), 1);
    /// }))
    /// .unwrap();
    /// ```
    pub fn running(&self) -> usize {
        self.state.borrow().running
    }
}

impl fmt::Debug for TaskGroup {
    /// As asyncio prints it: `<TaskGroup tasks=2 entered>` (or `cancelling`, `finished`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.borrow();
        write!(f, "<TaskGroup")?;
        if state.running > 0 {
            write!(f, " tasks={}", state.running)?;
        }
        let phase = if state.open {
            "entered"
        } else if state.running > 0 {
            "cancelling"
        } else {
            "finished"
        };
        write!(f, " {phase}>")
    }
}

/// The handle of a task spawned into a [`TaskGroup`]: a [`Task`] (it derefs to one: `done`,
/// `cancel`, `cancelled`; await it for the task's outcome) that may be dropped without a
/// second thought, since the group waits for the task anyway (Python's `tg.create_task(coro)`,
/// whose task is often not kept).
///
/// ```
/// use cogen::rt::{TaskGroup, run};
///
/// run(TaskGroup::scope(async |group| {
///     group.spawn(async { println!("nobody keeps my handle") });
///     let kept = group.spawn(async { 2 + 2 });
///     assert!(!kept.done());
///     assert_eq!(kept.await, Ok(4));
/// }))
/// .unwrap();
/// ```
pub struct GroupTask<T>(Task<T>);

impl<T> GroupTask<T> {
    /// The plain [`Task`] handle.
    ///
    /// ```
    /// use cogen::rt::{TaskGroup, run};
    ///
    /// run(TaskGroup::scope(async |group| {
    ///     let task: cogen::rt::Task<u8> = group.spawn(async { 1 }).into_task();
    ///     assert_eq!(task.await, Ok(1));
    /// }))
    /// .unwrap();
    /// ```
    pub fn into_task(self) -> Task<T> {
        self.0
    }
}

impl<T> std::ops::Deref for GroupTask<T> {
    type Target = Task<T>;

    fn deref(&self) -> &Task<T> {
        &self.0
    }
}

impl<T> Future for GroupTask<T> {
    type Output = Result<T, TaskError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

impl<T> fmt::Debug for GroupTask<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Closes the group and cancels its tasks when the scope ends, however it ends.
struct CloseOnDrop(TaskGroup);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        cancel_all(&self.0.state);
    }
}

/// Closes the group and asks every task still running to stop.
fn cancel_all(state: &RefCell<GroupState>) {
    let cancellers: Vec<Canceller> = {
        let mut state = state.borrow_mut();
        state.open = false;
        state.members.iter().flatten().cloned().collect()
    };
    // Outside the borrow: a cancel wakes the task, which never runs its code from here.
    for canceller in cancellers {
        canceller.cancel();
    }
}

pin_project! {
    /// The scope: runs the body, then waits until the group's tasks have all ended; a failure
    /// drops the body and cancels the rest.
    struct Scope<'g, B: Future> {
        #[pin]
        body: Option<B>,
        output: Option<B::Output>,
        group: &'g TaskGroup,
    }
}

impl<B: Future> Future for Scope<'_, B> {
    /// The body's output, or `None` if it was cancelled by a failure.
    type Output = Option<B::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let state = &this.group.state;
        if state.borrow().errors.is_empty() {
            if let Some(body) = this.body.as_mut().as_pin_mut() {
                if let Poll::Ready(output) = body.poll(cx) {
                    *this.output = Some(output);
                    this.body.set(None);
                }
            }
        }
        let aborting = {
            let state = state.borrow();
            // Still open: not aborted yet (only the abort closes the group before the scope
            // returns).
            !state.errors.is_empty() && state.open
        };
        if aborting {
            // A task failed: the body is cancelled where it waits (its drop guards run now),
            // and so are the other tasks, once.
            this.body.set(None);
            cancel_all(state);
        }
        let mut group = state.borrow_mut();
        if this.body.is_none() && group.running == 0 {
            group.open = false;
            return Poll::Ready(this.output.take());
        }
        group.scope = Some(cx.waker().clone());
        Poll::Pending
    }
}

pin_project! {
    /// A task of a group: tells the group when it ends, and how.
    struct Member<F> {
        #[pin]
        future: F,
        group: Rc<RefCell<GroupState>>,
        member: usize,
        ended: bool,
    }

    impl<F> PinnedDrop for Member<F> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if !*this.ended {
                // Dropped before it ended: cancelled (by its handle, the group, or the loop).
                member_ended(this.group, *this.member, None);
            }
        }
    }
}

impl<F: Future> Future for Member<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        match panic::catch_unwind(AssertUnwindSafe(|| this.future.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => {
                *this.ended = true;
                member_ended(this.group, *this.member, None);
                Poll::Ready(output)
            }
            Err(payload) => {
                *this.ended = true;
                let panic = Panic::from_payload(payload);
                member_ended(
                    this.group,
                    *this.member,
                    Some(TaskError::Panicked(panic.clone())),
                );
                // On to the task, whose handle reports the panic as well, with the same
                // payload. Sound only because a `Member` is polled by nothing but the task's
                // `TaskBody`, which unwraps `Recorded`: no code in between catches unwinds.
                panic::resume_unwind(Box::new(Recorded(panic)))
            }
        }
    }
}

/// A task of the group ended. A failure is only recorded here: the scope, woken, cancels the
/// rest when it next runs, as asyncio's done-callback does a turn after the task ended (tasks
/// whose turn came first may fail too, and are reported with it).
fn member_ended(group: &RefCell<GroupState>, member: usize, failure: Option<TaskError>) {
    let (canceller, scope) = {
        let mut state = group.borrow_mut();
        state.running -= 1;
        let canceller = state.members[member].take();
        state.free.push(member);
        state.errors.extend(failure);
        (canceller, state.scope.take())
    };
    // Outside the borrow: a waker of another executor may run anything, this group included.
    drop(canceller);
    if let Some(scope) = scope {
        scope.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rt::{run, sleep, timeout};
    use std::sync::Arc;
    use std::task::Wake;
    use std::time::Duration;

    #[test]
    fn a_long_lived_group_reuses_the_slots_of_ended_tasks() {
        let slots = run(TaskGroup::scope(async |group| {
            for n in 0..100 {
                assert_eq!(group.spawn(async move { n }).await, Ok(n));
            }
            let two = [
                group.spawn(sleep(Duration::ZERO)),
                group.spawn(sleep(Duration::ZERO)),
            ];
            for task in two {
                task.await.unwrap();
            }
            group.state.borrow().members.len()
        }));
        assert_eq!(slots, Ok(2));
    }

    thread_local! {
        static GROUP: RefCell<Option<TaskGroup>> = const { RefCell::new(None) };
        /// Whether a `Peeking` waker found the group borrowed when it was woken.
        static FOUND_BORROWED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// A waker that looks at the group before it wakes `0`, as one of another executor may
    /// run any code (`running()` would panic where it finds the group borrowed).
    struct Peeking(Waker);

    impl Wake for Peeking {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }

        fn wake_by_ref(self: &Arc<Self>) {
            GROUP.with_borrow(|group| {
                if let Some(group) = group {
                    if group.state.try_borrow().is_err() {
                        FOUND_BORROWED.set(true);
                    }
                }
            });
            self.0.wake_by_ref();
        }
    }

    #[test]
    fn the_scope_is_woken_outside_the_group_s_borrow() {
        let outcome = run(timeout(Duration::from_secs(10), async {
            let mut scope = std::pin::pin!(TaskGroup::scope(async |group| {
                GROUP.set(Some(group.clone()));
                group.spawn(sleep(Duration::from_millis(1)));
                7
            }));
            let output = std::future::poll_fn(|cx| {
                let peeking = Waker::from(Arc::new(Peeking(cx.waker().clone())));
                scope.as_mut().poll(&mut Context::from_waker(&peeking))
            })
            .await;
            GROUP.set(None);
            output
        }));
        assert_eq!(outcome, Ok(Ok(7)));
        assert!(
            !FOUND_BORROWED.get(),
            "the scope was woken with the group borrowed"
        );
    }
}
