//! Many futures awaited at once: Python's `asyncio.gather`, `asyncio.wait` and
//! `asyncio.as_completed`.
//!
//! Each child future gets a waker of its own that records its index when it fires, so a
//! group polls only the children that were woken: n children cost O(n) polls in all, not
//! O(n) per wake-up.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use async_io::Timer;
use futures_core::Stream;
use futures_core::stream::FusedStream;
use pin_project_lite::pin_project;

use super::task::Task;
use crate::pool::{ReturnWhen, Waited};

/// The indices of the children woken since the group last looked, and the group's own waker.
#[derive(Default)]
struct Woken {
    indices: Vec<usize>,
    parent: Option<Waker>,
}

struct ChildWaker {
    index: usize,
    /// Already in `Woken::indices`: a second wake-up adds nothing.
    queued: AtomicBool,
    woken: Arc<Mutex<Woken>>,
}

impl Wake for ChildWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.queued.swap(true, Ordering::AcqRel) {
            return;
        }
        let parent = {
            let mut woken = super::lock(&self.woken);
            woken.indices.push(self.index);
            woken.parent.take()
        };
        if let Some(parent) = parent {
            parent.wake();
        }
    }
}

/// The wakers of a group's children.
struct Readiness {
    woken: Arc<Mutex<Woken>>,
    children: Vec<(Arc<ChildWaker>, Waker)>,
    /// The indices taken at the last poll (kept to reuse its allocation).
    batch: Vec<usize>,
}

impl Readiness {
    /// Every child starts woken: each is polled once at the group's first poll.
    fn new(children: usize) -> Self {
        let woken = Arc::new(Mutex::new(Woken {
            indices: (0..children).collect(),
            parent: None,
        }));
        let children = (0..children)
            .map(|index| {
                let child = Arc::new(ChildWaker {
                    index,
                    queued: AtomicBool::new(true),
                    woken: Arc::clone(&woken),
                });
                let waker = Waker::from(Arc::clone(&child));
                (child, waker)
            })
            .collect();
        Readiness {
            woken,
            children,
            batch: Vec::new(),
        }
    }

    /// Registers the group's waker and takes the children woken since the last call, in the
    /// order they were woken; calls `poll_child` with each index and that child's waker.
    fn for_each_woken(&mut self, cx: &Context<'_>, mut poll_child: impl FnMut(usize, &Waker)) {
        {
            let mut woken = super::lock(&self.woken);
            match &mut woken.parent {
                Some(parent) => parent.clone_from(cx.waker()),
                None => woken.parent = Some(cx.waker().clone()),
            }
            std::mem::swap(&mut self.batch, &mut woken.indices);
        }
        for &index in &self.batch {
            let (child, waker) = &self.children[index];
            // Cleared before the poll: a wake-up during it queues the child again.
            child.queued.store(false, Ordering::Release);
            poll_child(index, waker);
        }
        self.batch.clear();
    }
}

/// Futures polled together, each boxed (so pinned) until it completes, and polled only when
/// woken: what `gather` and `as_completed` share.
struct Group<F> {
    children: Vec<Option<Pin<Box<F>>>>,
    /// Children not yet complete.
    pending: usize,
    readiness: Readiness,
}

impl<F: Future> Group<F> {
    fn new(futures: impl IntoIterator<Item = F>) -> Self {
        let children: Vec<_> = futures
            .into_iter()
            .map(|future| Some(Box::pin(future)))
            .collect();
        Group {
            pending: children.len(),
            readiness: Readiness::new(children.len()),
            children,
        }
    }

    /// Polls the children woken since the last call; gives each one that completes, with its
    /// index, to `completed`, and drops it.
    fn poll_woken(&mut self, cx: &Context<'_>, mut completed: impl FnMut(usize, F::Output)) {
        let (children, pending) = (&mut self.children, &mut self.pending);
        self.readiness.for_each_woken(cx, |index, waker| {
            let Some(child) = children[index].as_mut() else {
                return;
            };
            if let Poll::Ready(output) = child.as_mut().poll(&mut Context::from_waker(waker)) {
                children[index] = None;
                *pending -= 1;
                completed(index, output);
            }
        });
    }
}

/// The future [`gather`] returns.
#[must_use = "futures do nothing unless awaited"]
pub struct Gather<F: Future> {
    group: Group<F>,
    outputs: Vec<Option<F::Output>>,
}

/// Awaits all of `futures` concurrently and gives their outputs in the order given: Python's
/// `asyncio.gather(*aws)`.
///
/// The futures run within the task that awaits the `Gather` (Python wraps each in a task);
/// each is polled only when it was woken, so gathering n futures costs O(n) polls in all.
/// Outputs are values: a future that can fail gives a `Result`, and one failure does not stop
/// the others (Python's `return_exceptions=True`).
///
/// ```
/// use std::time::Duration;
/// use cogen::rt::{gather, run, sleep};
///
/// // Python: await asyncio.gather(*(delayed(n) for n in (30, 10, 20)))
/// let results = run(gather([30, 10, 20].map(|ms| async move {
///     sleep(Duration::from_millis(ms)).await;
///     ms
/// })));
/// assert_eq!(results, [30, 10, 20]);
/// ```
pub fn gather<I>(futures: I) -> Gather<I::Item>
where
    I: IntoIterator,
    I::Item: Future,
{
    let group = Group::new(futures);
    Gather {
        outputs: std::iter::repeat_with(|| None)
            .take(group.pending)
            .collect(),
        group,
    }
}

// The futures are pinned in their boxes; the outputs are never pinned.
impl<F: Future> Unpin for Gather<F> {}

impl<F: Future> Future for Gather<F> {
    type Output = Vec<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let outputs = &mut this.outputs;
        this.group
            .poll_woken(cx, |index, output| outputs[index] = Some(output));
        if this.group.pending > 0 {
            return Poll::Pending;
        }
        let outputs = std::mem::take(&mut this.outputs);
        Poll::Ready(
            outputs
                .into_iter()
                .map(|output| output.expect("every future completed"))
                .collect(),
        )
    }
}

impl<F: Future> fmt::Debug for Gather<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gather")
            .field("futures", &self.outputs.len())
            .field("pending", &self.group.pending)
            .finish()
    }
}

/// The stream [`as_completed`] returns.
#[must_use = "streams do nothing unless polled"]
pub struct AsCompleted<F: Future> {
    group: Group<F>,
    /// Outputs ready and not yet yielded, in completion order.
    ready: VecDeque<F::Output>,
}

/// Yields the outputs of `futures` in the order they complete: Python's
/// `asyncio.as_completed(aws)`, as a `Stream`.
///
/// Like [`gather`], the futures run within the task that polls the stream, each polled only
/// when woken. For a time limit, wrap each `next` in [`timeout`](super::timeout).
///
/// ```
/// use std::time::Duration;
/// use cogen::rt::{as_completed, run, sleep};
/// use futures_lite::StreamExt;
///
/// let order: Vec<u64> = run(as_completed([30, 10, 20].map(|ms| async move {
///     sleep(Duration::from_millis(ms)).await;
///     ms
/// }))
/// .collect());
/// assert_eq!(order, [10, 20, 30]);
/// ```
pub fn as_completed<I>(futures: I) -> AsCompleted<I::Item>
where
    I: IntoIterator,
    I::Item: Future,
{
    AsCompleted {
        group: Group::new(futures),
        ready: VecDeque::new(),
    }
}

// The futures are pinned in their boxes; the outputs are never pinned.
impl<F: Future> Unpin for AsCompleted<F> {}

impl<F: Future> Stream for AsCompleted<F> {
    type Item = F::Output;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<F::Output>> {
        let this = &mut *self;
        if this.ready.is_empty() && this.group.pending > 0 {
            let ready = &mut this.ready;
            this.group
                .poll_woken(cx, |_, output| ready.push_back(output));
        }
        match this.ready.pop_front() {
            Some(output) => Poll::Ready(Some(output)),
            None if this.group.pending == 0 => Poll::Ready(None),
            None => Poll::Pending,
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.ready.len() + self.group.pending;
        (left, Some(left))
    }
}

impl<F: Future> FusedStream for AsCompleted<F> {
    fn is_terminated(&self) -> bool {
        self.ready.is_empty() && self.group.pending == 0
    }
}

impl<F: Future> fmt::Debug for AsCompleted<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsCompleted")
            .field("ready", &self.ready.len())
            .field("pending", &self.group.pending)
            .finish()
    }
}

/// The future [`wait`] returns.
#[must_use = "futures do nothing unless awaited"]
pub struct Wait<T> {
    tasks: Vec<Task<T>>,
    done: Vec<bool>,
    remaining: usize,
    return_when: ReturnWhen,
    timer: Option<Timer>,
    readiness: Readiness,
    /// A task panicked (for `ReturnWhen::FirstException`).
    raised: bool,
}

/// Waits until `return_when` holds for `tasks` or `timeout` runs out, and splits them into
/// done and not done: Python's `done, pending = await asyncio.wait(tasks, timeout=...,
/// return_when=...)`.
///
/// The tasks come back in [`Waited`], each list in the order given; the done ones still hold
/// their outcome for whoever awaits them. A timeout is not an error: the tasks still running
/// are in `not_done`, and go on running. [`ReturnWhen::FirstException`] returns at the first
/// task that panicked. Waiting costs O(n) in all for n tasks. No tasks at all are done at once
/// (Python raises `ValueError` for an empty set).
///
/// ```
/// use std::time::Duration;
/// use cogen::pool::{ReturnWhen, Waited};
/// use cogen::rt::{run, sleep, spawn, wait};
///
/// run(async {
///     let tasks: Vec<_> = [5, 3_600_000].iter().map(|&ms| spawn(async move {
///         sleep(Duration::from_millis(ms)).await;
///         ms
///     })).collect();
///     let Waited { done, not_done } = wait(tasks, None, ReturnWhen::FirstCompleted).await;
///     assert_eq!((done.len(), not_done.len()), (1, 1));
///     for task in done {
///         assert_eq!(task.await, Ok(5));
///     }
///     assert!(not_done[0].cancel());
/// });
/// ```
pub fn wait<T, I>(
    tasks: I,
    timeout: impl Into<Option<Duration>>,
    return_when: ReturnWhen,
) -> Wait<T>
where
    I: IntoIterator<Item = Task<T>>,
{
    let tasks: Vec<Task<T>> = tasks.into_iter().collect();
    let count = tasks.len();
    Wait {
        done: vec![false; count],
        remaining: count,
        return_when,
        timer: timeout.into().map(Timer::after),
        readiness: Readiness::new(count),
        raised: false,
        tasks,
    }
}

impl<T> Wait<T> {
    fn satisfied(&self) -> bool {
        match self.return_when {
            _ if self.remaining == 0 => true,
            ReturnWhen::FirstCompleted => self.remaining < self.tasks.len(),
            ReturnWhen::FirstException => self.raised,
            ReturnWhen::AllCompleted => false,
        }
    }
}

impl<T> Future for Wait<T> {
    type Output = Waited<Task<T>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let (tasks, done, remaining, raised) = (
            &mut this.tasks,
            &mut this.done,
            &mut this.remaining,
            &mut this.raised,
        );
        this.readiness.for_each_woken(cx, |index, waker| {
            if done[index] {
                return;
            }
            let task = &mut tasks[index];
            if task.poll_done(&mut Context::from_waker(waker)).is_ready() {
                done[index] = true;
                *remaining -= 1;
                *raised |= task.panicked();
            }
        });
        let timed_out = this
            .timer
            .as_mut()
            .is_some_and(|timer| Pin::new(timer).poll(cx).is_ready());
        if !this.satisfied() && !timed_out {
            return Poll::Pending;
        }
        let mut waited = Waited {
            done: Vec::new(),
            not_done: Vec::new(),
        };
        for (task, done) in std::mem::take(&mut this.tasks).into_iter().zip(&this.done) {
            if *done {
                waited.done.push(task)
            } else {
                waited.not_done.push(task)
            }
        }
        Poll::Ready(waited)
    }
}

impl<T> fmt::Debug for Wait<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("tasks", &self.tasks.len())
            .field("remaining", &self.remaining)
            .field("return_when", &self.return_when)
            .finish()
    }
}

/// A future of a [`gather!`](crate::gather!) tuple, boxed (so pinned) until it completes, then
/// its output.
#[doc(hidden)]
pub enum MaybeDone<F: Future> {
    Pending(Pin<Box<F>>),
    Done(Option<F::Output>),
}

// The future is pinned in its box; the output is never pinned.
impl<F: Future> Unpin for MaybeDone<F> {}

impl<F: Future> MaybeDone<F> {
    #[doc(hidden)]
    pub fn new(future: F) -> Self {
        MaybeDone::Pending(Box::pin(future))
    }

    /// Polls the future if it is not done yet; true once it is.
    fn poll_done(&mut self, cx: &mut Context<'_>) -> bool {
        if let MaybeDone::Pending(future) = self {
            match future.as_mut().poll(cx) {
                Poll::Ready(output) => *self = MaybeDone::Done(Some(output)),
                Poll::Pending => return false,
            }
        }
        true
    }

    fn take(&mut self) -> F::Output {
        match self {
            MaybeDone::Done(output) => output.take().expect("a gather! output is taken once"),
            MaybeDone::Pending(_) => unreachable!("taken before it was done"),
        }
    }
}

pin_project! {
    /// A future with its panic caught, for `gather!(...; return_exceptions)` (pinned where
    /// its `MaybeDone` boxes it).
    #[doc(hidden)]
    pub struct Catching<F> {
        #[pin]
        future: F,
    }
}

impl<F: Future> Catching<F> {
    #[doc(hidden)]
    pub fn new(future: F) -> Self {
        Catching { future }
    }
}

impl<F: Future> Future for Catching<F> {
    type Output = Result<F::Output, super::TaskError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = self.project().future;
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(super::TaskError::Panicked(
                crate::pool::Panic::from_payload(payload),
            ))),
        }
    }
}

/// The future a [`gather!`](crate::gather!) of `N` futures is: all polled at each turn until
/// every one is done, their outputs then given as a tuple in the order written.
#[doc(hidden)]
#[must_use = "futures do nothing unless awaited"]
pub struct GatherTuple<T>(pub T);

macro_rules! gather_tuple {
    ($($F:ident . $i:tt),+) => {
        impl<$($F: Future),+> Future for GatherTuple<($(MaybeDone<$F>,)+)> {
            type Output = ($($F::Output,)+);

            fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
                let parts = &mut self.0;
                let mut all_done = true;
                $( all_done &= parts.$i.poll_done(cx); )+
                if all_done {
                    Poll::Ready(($(parts.$i.take(),)+))
                } else {
                    Poll::Pending
                }
            }
        }
    };
}

gather_tuple!(A.0);
gather_tuple!(A.0, B.1);
gather_tuple!(A.0, B.1, C.2);
gather_tuple!(A.0, B.1, C.2, D.3);
gather_tuple!(A.0, B.1, C.2, D.3, E.4);
gather_tuple!(A.0, B.1, C.2, D.3, E.4, G.5);
gather_tuple!(A.0, B.1, C.2, D.3, E.4, G.5, H.6);
gather_tuple!(A.0, B.1, C.2, D.3, E.4, G.5, H.6, I.7);
gather_tuple!(A.0, B.1, C.2, D.3, E.4, G.5, H.6, I.7, J.8);
gather_tuple!(A.0, B.1, C.2, D.3, E.4, G.5, H.6, I.7, J.8, K.9);
gather_tuple!(A.0, B.1, C.2, D.3, E.4, G.5, H.6, I.7, J.8, K.9, L.10);
gather_tuple!(A.0, B.1, C.2, D.3, E.4, G.5, H.6, I.7, J.8, K.9, L.10, M.11);
