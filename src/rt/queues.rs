//! asyncio's queues (`asyncio.queues`): [`Queue`] (first in, first out), [`PriorityQueue`]
//! (smallest first) and [`LifoQueue`] (last in, first out), with `maxsize`, `task_done`/`join`
//! and 3.13's `shutdown`.
//!
//! They follow CPython 3.13's algorithms step by step (which putter or getter is woken when,
//! what a cancelled one passes on), as the locks do; async-channel, the smol family's queue,
//! has no `task_done`/`join`, no priority or LIFO order and no shutdown that lets the items
//! already in be taken. Their state sits behind a `std::sync::Mutex`, so they work on any
//! executor and across threads. Errors carry the item that could not be put, so that nothing
//! is lost.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll};

use super::Event;
use super::waiters::WaitList;

/// A queue was shut down: Python's `asyncio.QueueShutDown`. From `put`, it carries the item
/// that was not put; from `get`, `()`.
///
/// ```
/// use cogen::rt::{Queue, QueueShutDown, run};
///
/// run(async {
///     let queue = Queue::new(0);
///     queue.shutdown(false);
///     assert_eq!(queue.put(1).await, Err(QueueShutDown(1)));
///     assert_eq!(queue.get().await, Err(QueueShutDown(())));
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QueueShutDown<T = ()>(pub T);

impl<T> fmt::Display for QueueShutDown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is shut down")
    }
}

impl<T: fmt::Debug> std::error::Error for QueueShutDown<T> {}

/// Why `put_nowait` did not put its item, which it gives back.
///
/// ```
/// use cogen::rt::{PutNowaitError, Queue};
///
/// let queue = Queue::new(1);
/// queue.put_nowait('a').unwrap();
/// assert_eq!(queue.put_nowait('b'), Err(PutNowaitError::QueueFull('b')));
/// assert_eq!(queue.put_nowait('c').unwrap_err().into_inner(), 'c');
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PutNowaitError<T> {
    /// The queue holds `maxsize` items: Python's `asyncio.QueueFull`.
    QueueFull(T),
    /// The queue was shut down: Python's `asyncio.QueueShutDown`.
    QueueShutDown(T),
}

impl<T> PutNowaitError<T> {
    /// The item that was not put.
    ///
    /// ```
    /// use cogen::rt::PutNowaitError;
    ///
    /// assert_eq!(PutNowaitError::QueueShutDown(7).into_inner(), 7);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            PutNowaitError::QueueFull(item) | PutNowaitError::QueueShutDown(item) => item,
        }
    }
}

impl<T> fmt::Display for PutNowaitError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutNowaitError::QueueFull(_) => f.write_str("the queue is full"),
            PutNowaitError::QueueShutDown(_) => f.write_str("the queue is shut down"),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for PutNowaitError<T> {}

/// Why `get_nowait` gave no item.
///
/// ```
/// use cogen::rt::{GetNowaitError, Queue};
///
/// let queue = Queue::<u8>::new(0);
/// assert_eq!(queue.get_nowait(), Err(GetNowaitError::QueueEmpty));
/// queue.shutdown(false);
/// assert_eq!(queue.get_nowait(), Err(GetNowaitError::QueueShutDown));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GetNowaitError {
    /// The queue is empty: Python's `asyncio.QueueEmpty`.
    QueueEmpty,
    /// The queue is empty and was shut down: Python's `asyncio.QueueShutDown`.
    QueueShutDown,
}

impl fmt::Display for GetNowaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetNowaitError::QueueEmpty => f.write_str("the queue is empty"),
            GetNowaitError::QueueShutDown => f.write_str("the queue is empty and shut down"),
        }
    }
}

impl std::error::Error for GetNowaitError {}

/// The order a queue keeps its items in.
trait Items: Default {
    type Item;
    fn push(&mut self, item: Self::Item);
    fn pop(&mut self) -> Option<Self::Item>;
    fn len(&self) -> usize;
}

/// First in, first out.
struct Fifo<T>(VecDeque<T>);

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Fifo(VecDeque::new())
    }
}

impl<T> Items for Fifo<T> {
    type Item = T;
    fn push(&mut self, item: T) {
        self.0.push_back(item);
    }
    fn pop(&mut self) -> Option<T> {
        self.0.pop_front()
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Last in, first out.
struct Lifo<T>(Vec<T>);

impl<T> Default for Lifo<T> {
    fn default() -> Self {
        Lifo(Vec::new())
    }
}

impl<T> Items for Lifo<T> {
    type Item = T;
    fn push(&mut self, item: T) {
        self.0.push(item);
    }
    fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Smallest first (Python's `heapq`).
struct Smallest<T>(BinaryHeap<Reverse<T>>);

impl<T: Ord> Default for Smallest<T> {
    fn default() -> Self {
        Smallest(BinaryHeap::new())
    }
}

impl<T: Ord> Items for Smallest<T> {
    type Item = T;
    fn push(&mut self, item: T) {
        self.0.push(Reverse(item));
    }
    fn pop(&mut self) -> Option<T> {
        self.0.pop().map(|Reverse(item)| item)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

struct State<C> {
    items: C,
    getters: WaitList,
    putters: WaitList,
    /// Items put and not yet marked done (`task_done`).
    unfinished: usize,
    shut_down: bool,
}

/// The queue all three are, over the order `C` keeps items in.
struct Base<C> {
    maxsize: usize,
    state: Mutex<State<C>>,
    /// CPython's `_finished` event, what `join` waits for: set when `unfinished` falls to 0,
    /// cleared by a put. Set and cleared under `state`'s lock (it takes its own lock only,
    /// inside it).
    finished: Event,
}

impl<C: Items> State<C> {
    fn full(&self, maxsize: usize) -> bool {
        maxsize > 0 && self.items.len() >= maxsize
    }

    fn empty(&self) -> bool {
        self.items.len() == 0
    }

    fn put_nowait(
        &mut self,
        maxsize: usize,
        finished: &Event,
        item: C::Item,
    ) -> Result<(), PutNowaitError<C::Item>> {
        if self.shut_down {
            return Err(PutNowaitError::QueueShutDown(item));
        }
        if self.full(maxsize) {
            return Err(PutNowaitError::QueueFull(item));
        }
        // Counted and announced before the push, so that if the order's `Ord` panics in it
        // (the item then stays in, somewhere), the count still matches the items and a getter
        // still comes for it.
        self.unfinished += 1;
        // Set only while nothing is unfinished: cleared by the put that starts the count again
        // (its lock is not taken per put).
        if self.unfinished == 1 {
            finished.clear();
        }
        let _wake_a_getter = WakeFirst(&mut self.getters);
        self.items.push(item);
        Ok(())
    }

    fn get_nowait(&mut self) -> Result<C::Item, GetNowaitError> {
        if self.empty() {
            return Err(if self.shut_down {
                GetNowaitError::QueueShutDown
            } else {
                GetNowaitError::QueueEmpty
            });
        }
        // Announced before the pop, so that if the order's `Ord` panics in it (the item is
        // then dropped in the unwinding), the putter still comes for the room it left.
        let _wake_a_putter = WakeFirst(&mut self.putters);
        Ok(self.items.pop().expect("the queue is not empty"))
    }
}

impl<C: Items> Base<C> {
    fn new(maxsize: usize) -> Self {
        Base {
            maxsize,
            state: Mutex::new(State {
                items: C::default(),
                getters: WaitList::default(),
                putters: WaitList::default(),
                unfinished: 0,
                shut_down: false,
            }),
            finished: {
                let finished = Event::new();
                finished.set();
                finished
            },
        }
    }

    /// Only cogen's code runs under this lock but for the order's `Ord` (a priority queue's
    /// `push` and `pop`) and wakers. A panic in `Ord` leaves the heap valid (with the item
    /// being pushed in it, somewhere; without the item being popped, which is dropped), and
    /// the counts and wake-ups already made for that item (see `put_nowait`, `get_nowait`).
    fn lock(&self) -> MutexGuard<'_, State<C>> {
        super::lock(&self.state)
    }

    fn task_done(&self) {
        let mut state = self.lock();
        assert!(state.unfinished > 0, "task_done() called too many times");
        state.unfinished -= 1;
        if state.unfinished == 0 {
            self.finished.set();
        }
    }

    async fn join(&self) {
        // CPython: `if self._unfinished_tasks > 0: await self._finished.wait()`.
        if self.lock().unfinished > 0 {
            self.finished.wait().await;
        }
    }

    fn shutdown(&self, immediate: bool) {
        let mut removed = Vec::new();
        {
            let mut state = self.lock();
            state.shut_down = true;
            // Every getter and putter is woken to find the queue shut down, once the items
            // are drained (after `join`'s waiters, as in CPython), or if the order's `Ord`
            // panics in the drain.
            let mut state = WakeAll(&mut state);
            if immediate {
                while !state.empty() {
                    removed.push(state.items.pop().expect("the queue is not empty"));
                    state.unfinished = state.unfinished.saturating_sub(1);
                }
                if state.unfinished == 0 {
                    self.finished.set();
                }
            }
        }
        // The items' destructors run outside the lock.
        drop(removed);
    }
}

/// Wakes the first waiter of a list when dropped, unwinding included.
struct WakeFirst<'a>(&'a mut WaitList);

impl Drop for WakeFirst<'_> {
    fn drop(&mut self) {
        self.0.wake_pop_front();
    }
}

/// Wakes every getter, then every putter, of a queue when dropped, unwinding included.
struct WakeAll<'a, C>(&'a mut State<C>);

impl<C> std::ops::Deref for WakeAll<'_, C> {
    type Target = State<C>;

    fn deref(&self) -> &State<C> {
        self.0
    }
}

impl<C> std::ops::DerefMut for WakeAll<'_, C> {
    fn deref_mut(&mut self) -> &mut State<C> {
        self.0
    }
}

impl<C> Drop for WakeAll<'_, C> {
    fn drop(&mut self) {
        self.0.getters.wake_pop_all();
        self.0.putters.wake_pop_all();
    }
}

/// Which list a waiting put or get is in.
#[derive(Clone, Copy)]
enum Side {
    Putters,
    Getters,
}

impl<C> State<C> {
    fn list(&mut self, side: Side) -> &mut WaitList {
        match side {
            Side::Putters => &mut self.putters,
            Side::Getters => &mut self.getters,
        }
    }
}

/// A put or get waiting for room or for an item, as waiter `id` of its list. Woken, it was
/// taken off the list; dropped (cancelled) after that while the queue still has what it waited
/// for, it wakes the next in line (CPython: `if not self.full() and not putter.cancelled():
/// self._wakeup_next(self._putters)`).
struct Turn<'a, C: Items> {
    base: &'a Base<C>,
    side: Side,
    id: Option<u64>,
}

impl<'a, C: Items> Turn<'a, C> {
    fn new(base: &'a Base<C>, side: Side) -> Self {
        Turn {
            base,
            side,
            id: None,
        }
    }

    /// Queues this task in its list, under `state`.
    fn enqueue(&mut self, state: &mut State<C>, cx: &mut Context<'_>) {
        self.id = Some(state.list(self.side).push(cx.waker()));
    }

    /// Whether this task was woken (it left its list); if not, its waker is updated.
    fn woken(&mut self, state: &mut State<C>, cx: &mut Context<'_>) -> bool {
        let Some(id) = self.id else {
            return true;
        };
        if state
            .list(self.side)
            .poll_woken(id, cx.waker())
            .is_pending()
        {
            return false;
        }
        self.id = None;
        true
    }
}

impl<C: Items> Drop for Turn<'_, C> {
    fn drop(&mut self) {
        let Some(id) = self.id else {
            return;
        };
        let mut state = self.base.lock();
        let list = state.list(self.side);
        if list.remove(id).is_none() {
            // Woken, then dropped before it ran: pass the turn on if there is still room
            // (putters) or an item (getters).
            let still = match self.side {
                Side::Putters => !state.full(self.base.maxsize),
                Side::Getters => !state.empty(),
            };
            if still {
                state.list(self.side).wake_pop_front();
            }
        }
    }
}

/// `put`: waits while the queue is full.
struct Put<'a, C: Items> {
    turn: Turn<'a, C>,
    item: Option<C::Item>,
}

impl<C: Items> Unpin for Put<'_, C> {}

impl<C: Items> Future for Put<'_, C> {
    type Output = Result<(), QueueShutDown<C::Item>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let base = this.turn.base;
        let mut state = base.lock();
        if !this.turn.woken(&mut state, cx) {
            return Poll::Pending;
        }
        let item = this
            .item
            .take()
            .expect("a put is polled after it completed");
        if state.full(base.maxsize) {
            if state.shut_down {
                return Poll::Ready(Err(QueueShutDown(item)));
            }
            this.item = Some(item);
            this.turn.enqueue(&mut state, cx);
            return Poll::Pending;
        }
        Poll::Ready(
            state
                .put_nowait(base.maxsize, &base.finished, item)
                .map_err(|error| QueueShutDown(error.into_inner())),
        )
    }
}

/// `get`: waits while the queue is empty.
struct Get<'a, C: Items> {
    turn: Turn<'a, C>,
}

impl<C: Items> Future for Get<'_, C> {
    type Output = Result<C::Item, QueueShutDown>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let mut state = this.turn.base.lock();
        if !this.turn.woken(&mut state, cx) {
            return Poll::Pending;
        }
        if state.empty() {
            if state.shut_down {
                return Poll::Ready(Err(QueueShutDown(())));
            }
            this.turn.enqueue(&mut state, cx);
            return Poll::Pending;
        }
        Poll::Ready(state.get_nowait().map_err(|_| QueueShutDown(())))
    }
}

/// The methods the three queues share, each documented with an example on its own type.
macro_rules! queue_methods {
    ($queue:ident, $items:literal, [$($bound:tt)*], $example_items:literal, $example_out:literal) => {
        impl<T $($bound)*> $queue<T> {
            #[doc = concat!(
                "A queue of at most `maxsize` items; 0 for no limit (Python's `", stringify!($queue),
                "(maxsize=0)`).\n\n```\nlet queue = cogen::rt::", stringify!($queue),
                "::<u8>::new(2);\nassert_eq!(queue.maxsize(), 2);\n```"
            )]
            pub fn new(maxsize: usize) -> Self {
                $queue { base: Base::new(maxsize) }
            }

            #[doc = concat!(
                "The most items the queue holds (0: no limit): Python's `queue.maxsize`.\n\n```\n",
                "assert_eq!(cogen::rt::", stringify!($queue), "::<u8>::new(0).maxsize(), 0);\n```"
            )]
            pub fn maxsize(&self) -> usize {
                self.base.maxsize
            }

            #[doc = concat!(
                "How many items the queue holds: Python's `queue.qsize()`.\n\n```\n",
                "let queue = cogen::rt::", stringify!($queue), "::new(0);\n",
                "queue.put_nowait(1).unwrap();\nassert_eq!(queue.qsize(), 1);\n```"
            )]
            pub fn qsize(&self) -> usize {
                self.base.lock().items.len()
            }

            #[doc = concat!(
                "Whether the queue holds no item: Python's `queue.empty()`.\n\n```\n",
                "assert!(cogen::rt::", stringify!($queue), "::<u8>::new(0).empty());\n```"
            )]
            pub fn empty(&self) -> bool {
                self.base.lock().empty()
            }

            #[doc = concat!(
                "Whether the queue holds `maxsize` items (never, with no limit): Python's ",
                "`queue.full()`.\n\n```\nlet queue = cogen::rt::", stringify!($queue),
                "::new(1);\nqueue.put_nowait(1).unwrap();\nassert!(queue.full());\n```"
            )]
            pub fn full(&self) -> bool {
                self.base.lock().full(self.base.maxsize)
            }

            #[doc = concat!(
                "Puts `item` in, waiting while the queue is full: Python's `await queue.put(item)`.",
                "\n\n# Errors\n\n[`QueueShutDown`] with the item, if the queue is shut down (before",
                " or while this waits).\n\n```\nuse cogen::rt::{", stringify!($queue), ", run};\n\n",
                "run(async {\n    let queue = ", stringify!($queue), "::new(1);\n",
                "    queue.put(5).await.unwrap();\n    assert_eq!(queue.get().await, Ok(5));\n});\n```"
            )]
            pub async fn put(&self, item: T) -> Result<(), QueueShutDown<T>> {
                Put {
                    turn: Turn::new(&self.base, Side::Putters),
                    item: Some(item),
                }
                .await
            }

            #[doc = concat!(
                "Puts `item` in without waiting: Python's `queue.put_nowait(item)`.\n\n# Errors\n\n",
                "[`PutNowaitError::QueueFull`] or [`PutNowaitError::QueueShutDown`], with the item.",
                "\n\n```\nlet queue = cogen::rt::", stringify!($queue), "::new(1);\n",
                "assert!(queue.put_nowait(1).is_ok());\nassert!(queue.put_nowait(2).is_err());\n```"
            )]
            pub fn put_nowait(&self, item: T) -> Result<(), PutNowaitError<T>> {
                self.base.lock().put_nowait(self.base.maxsize, &self.base.finished, item)
            }

            #[doc = concat!(
                "Takes the next item (", $items, "), waiting while the queue is empty: ",
                "Python's `await queue.get()`.\n\n# Errors\n\n[`QueueShutDown`] once the queue is",
                " shut down and empty.\n\n```\nuse cogen::rt::{", stringify!($queue), ", run};\n\n",
                "let taken = run(async {\n    let queue = ", stringify!($queue), "::new(0);\n",
                "    for item in ", $example_items, " {\n        queue.put_nowait(item).unwrap();\n    }\n",
                "    let mut taken = Vec::new();\n    while !queue.empty() {\n",
                "        taken.push(queue.get().await.unwrap());\n    }\n    taken\n});\n",
                "assert_eq!(taken, ", $example_out, ");\n```"
            )]
            pub async fn get(&self) -> Result<T, QueueShutDown> {
                Get {
                    turn: Turn::new(&self.base, Side::Getters),
                }
                .await
            }

            #[doc = concat!(
                "Takes the next item without waiting: Python's `queue.get_nowait()`.\n\n# Errors",
                "\n\n[`GetNowaitError::QueueEmpty`], or [`GetNowaitError::QueueShutDown`] when the",
                " queue is also shut down.\n\n```\nlet queue = cogen::rt::", stringify!($queue),
                "::<u8>::new(0);\nassert!(queue.get_nowait().is_err());\n```"
            )]
            pub fn get_nowait(&self) -> Result<T, GetNowaitError> {
                self.base.lock().get_nowait()
            }

            #[doc = concat!(
                "Marks one item taken as processed: Python's `queue.task_done()`; `join` returns ",
                "once every item put is marked.\n\n# Panics\n\nIf called more times than items ",
                "were put (Python: `ValueError: task_done() called too many times`).\n\n```\n",
                "let queue = cogen::rt::", stringify!($queue), "::new(0);\n",
                "queue.put_nowait(1).unwrap();\nqueue.get_nowait().unwrap();\nqueue.task_done();\n```"
            )]
            pub fn task_done(&self) {
                self.base.task_done();
            }

            #[doc = concat!(
                "Waits until every item put has been marked done with `task_done`: Python's ",
                "`await queue.join()`.\n\n```\nuse std::rc::Rc;\nuse cogen::rt::{",
                stringify!($queue), ", run, spawn};\n\nrun(async {\n",
                "    let queue = Rc::new(", stringify!($queue), "::new(0));\n",
                "    queue.put_nowait(1).unwrap();\n    let worker = spawn({\n",
                "        let queue = queue.clone();\n        async move {\n",
                "            queue.get().await.unwrap();\n            queue.task_done();\n",
                "        }\n    });\n    queue.join().await;\n    worker.await.unwrap();\n});\n```"
            )]
            pub async fn join(&self) {
                self.base.join().await;
            }

            #[doc = concat!(
                "Shuts the queue down (Python 3.13's `queue.shutdown(immediate)`): `put` fails ",
                "from now on, and so does `get` once the queue is empty; tasks waiting in either ",
                "are woken to find that out. With `immediate`, the items still in are dropped ",
                "(and counted as done for `join`) so that `get` fails at once.\n\n```\n",
                "let queue = cogen::rt::", stringify!($queue), "::new(0);\n",
                "queue.put_nowait(1).unwrap();\nqueue.shutdown(true);\n",
                "assert!(queue.empty());\n```"
            )]
            pub fn shutdown(&self, immediate: bool) {
                self.base.shutdown(immediate);
            }
        }

        impl<T $($bound)*> fmt::Debug for $queue<T> {
            /// As asyncio prints a queue: `<Queue maxsize=0 _getters[1] tasks=2>`, with the
            /// parts that apply, and ` shutdown` once shut down (the items are not printed).
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let state = self.base.lock();
                write!(f, "<{} maxsize={}", stringify!($queue), self.base.maxsize)?;
                if !state.getters.is_empty() {
                    write!(f, " _getters[{}]", state.getters.len())?;
                }
                if !state.putters.is_empty() {
                    write!(f, " _putters[{}]", state.putters.len())?;
                }
                if state.unfinished > 0 {
                    write!(f, " tasks={}", state.unfinished)?;
                }
                if state.shut_down {
                    f.write_str(" shutdown")?;
                }
                f.write_str(">")
            }
        }
    };
}

/// asyncio's `Queue`: items in the order they were put, `maxsize` at most (0: no limit).
///
/// A producer and a consumer, Python's `await queue.put(x)` / `await queue.get()` /
/// `queue.task_done()` / `await queue.join()`:
///
/// ```
/// use std::rc::Rc;
/// use cogen::rt::{Queue, run, spawn};
///
/// let total = run(async {
///     let queue = Rc::new(Queue::new(2));
///     let consumer = spawn({
///         let queue = queue.clone();
///         async move {
///             let mut total = 0;
///             while let Ok(item) = queue.get().await {
///                 total += item;
///                 queue.task_done();
///             }
///             total
///         }
///     });
///     for item in 1..=10 {
///         queue.put(item).await.unwrap(); // waits while 2 items are in
///     }
///     queue.join().await; // every item processed
///     queue.shutdown(false); // the consumer's next get fails
///     consumer.await.unwrap()
/// });
/// assert_eq!(total, 55);
/// ```
pub struct Queue<T> {
    base: Base<Fifo<T>>,
}

queue_methods!(Queue, "the oldest", [], "[3, 1, 2]", "[3, 1, 2]");

/// asyncio's `PriorityQueue`: the smallest item first (by `Ord`; Python compares tuples such
/// as `(priority, data)` the same way).
///
/// ```
/// use cogen::rt::PriorityQueue;
///
/// let queue = PriorityQueue::new(0);
/// for item in [(3, "c"), (1, "a"), (2, "b")] {
///     queue.put_nowait(item).unwrap();
/// }
/// assert_eq!(queue.get_nowait(), Ok((1, "a")));
/// ```
pub struct PriorityQueue<T: Ord> {
    base: Base<Smallest<T>>,
}

queue_methods!(PriorityQueue, "the smallest", [: Ord], "[3, 1, 2]", "[1, 2, 3]");

/// asyncio's `LifoQueue`: the item put last first.
///
/// ```
/// use cogen::rt::LifoQueue;
///
/// let stack = LifoQueue::new(0);
/// stack.put_nowait(1).unwrap();
/// stack.put_nowait(2).unwrap();
/// assert_eq!(stack.get_nowait(), Ok(2));
/// ```
pub struct LifoQueue<T> {
    base: Base<Lifo<T>>,
}

queue_methods!(LifoQueue, "the newest", [], "[3, 1, 2]", "[2, 1, 3]");
