//! The event loop: Python's `asyncio.run` and `loop.run_until_complete`, a FIFO queue of ready
//! tasks on one thread, with async-io's reactor for timers and I/O.
//!
//! Tasks are async-task tasks. A task woken on the loop's own thread while the loop runs goes
//! to the back of a local queue, with no lock and no atomic operation; a task woken anywhere
//! else (a timer firing while the loop sleeps in the reactor, a pool worker finishing) goes to
//! a locked queue that the loop drains in the order the wake-ups came, and wakes the loop.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use async_task::Runnable;

use super::task::{Task, TaskBody};
use crate::pool::ThreadPoolExecutor;

/// How many tasks the loop runs before it lets the reactor look for timers and I/O that are
/// due: a loop full of busy tasks still fires its timers.
const BUDGET: u32 = 128;

thread_local! {
    /// The loop running on this thread, if any.
    static CURRENT: RefCell<Option<Rc<Local>>> = const { RefCell::new(None) };
}

/// The part of a loop that other threads reach: through the wakers of its tasks.
pub(crate) struct Shared {
    remote: Mutex<Remote>,
    /// Whether `remote.queue` may hold tasks: read without the lock on every turn of the loop.
    remote_pending: AtomicBool,
}

/// An entry of the ready queues: a task, or the main future of `run_until_complete` (which
/// takes its turn in the same FIFO order, as asyncio runs it as a task).
enum Ready {
    Task(Runnable),
    Main,
}

#[derive(Default)]
struct Remote {
    queue: VecDeque<Ready>,
    /// The waker of the `block_on` that drives the loop.
    driver: Option<Waker>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Remote> {
        super::lock(&self.remote)
    }

    /// async-task's schedule function: queues a woken task where the loop will find it.
    fn schedule(self: &Arc<Self>, runnable: Runnable) {
        self.push(Ready::Task(runnable));
    }

    /// Queues `ready` at the back: without a lock on the loop's own thread while it runs,
    /// through the remote queue (waking the loop) from anywhere else.
    fn push(self: &Arc<Self>, ready: Ready) {
        let mut ready = Some(ready);
        let pushed_locally = with_own_local(self, |local| {
            local.ready.borrow_mut().extend(ready.take());
            local.wake_driver_if_idle();
        });
        if pushed_locally.is_err() {
            let mut remote = self.lock();
            remote.queue.extend(ready);
            self.remote_pending.store(true, Ordering::Release);
            if let Some(driver) = &remote.driver {
                driver.wake_by_ref();
            }
        }
    }
}

/// Runs `f` with this thread's running loop if it is the one `shared` belongs to; `Err`
/// otherwise.
fn with_own_local<R>(shared: &Arc<Shared>, f: impl FnOnce(&Local) -> R) -> Result<R, ()> {
    // `try_with`: a waker may fire while this thread's thread-locals are being destroyed.
    CURRENT
        .try_with(|current| match &*current.borrow() {
            Some(local) if Arc::ptr_eq(&local.shared, shared) => Ok(f(local)),
            _ => Err(()),
        })
        .unwrap_or(Err(()))
}

/// One live task, as the loop knows it: how to wake it, and whether it was asked to stop.
struct TaskEntry {
    waker: Waker,
    /// The task's number (`Task-<id>`): a handle's cancel reaches its own task only.
    id: u64,
    cancel_requested: bool,
}

/// The live tasks, by key: a slab (a vector and a free list), so that registering and
/// unregistering a task costs no search and no allocation once warm.
#[derive(Default)]
struct Tasks {
    slots: Vec<Option<TaskEntry>>,
    free: Vec<usize>,
}

impl Tasks {
    fn vacant_key(&self) -> usize {
        self.free.last().copied().unwrap_or(self.slots.len())
    }

    fn insert(&mut self, key: usize, entry: TaskEntry) {
        if key == self.slots.len() {
            self.slots.push(Some(entry));
        } else {
            let popped = self.free.pop();
            debug_assert_eq!(popped, Some(key));
            self.slots[key] = Some(entry);
        }
    }

    fn remove(&mut self, key: usize) -> Option<TaskEntry> {
        let entry = self.slots.get_mut(key)?.take();
        if entry.is_some() {
            self.free.push(key);
        }
        entry
    }

    fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// The entry of task `id` at `key`, if that task has not ended (a key is reused once its
    /// task ends; the id tells the tasks apart).
    fn get(&self, key: usize, id: u64) -> Option<&TaskEntry> {
        self.slots.get(key)?.as_ref().filter(|entry| entry.id == id)
    }

    fn get_mut(&mut self, key: usize, id: u64) -> Option<&mut TaskEntry> {
        self.slots
            .get_mut(key)?
            .as_mut()
            .filter(|entry| entry.id == id)
    }
}

/// The loop's own state, used on its thread only.
pub(crate) struct Local {
    shared: Arc<Shared>,
    /// Tasks ready to run, in the order they became ready.
    ready: RefCell<VecDeque<Ready>>,
    tasks: RefCell<Tasks>,
    /// True while `drive` runs tasks: a task woken on this thread meanwhile needs no wake-up
    /// of the driver, the loop sees it before it sleeps.
    driving: Cell<bool>,
    /// The driver's waker, for wake-ups on this thread while the loop sleeps in the reactor.
    driver: RefCell<Option<Waker>>,
    /// The tasks spawned so far, and the futures run by `run_until_complete`: asyncio names
    /// tasks `Task-1`, `Task-2`, ... (counting per process; cogen counts per loop, so that a
    /// program's names do not depend on other loops).
    spawned: Cell<u64>,
    /// The task being polled (its key), for `current_task`; `None` while the main future of
    /// `run_until_complete` or nothing runs.
    current: Cell<Option<usize>>,
    /// The name of the main future's task (`Task-1` for `run`), for `current_task`.
    main: Cell<Option<u64>>,
    /// The name given to the main future's task, if any.
    main_name: Cell<Option<Rc<str>>>,
    /// The names given to live tasks (Python's `set_name`), by key: a side table, so that the
    /// unnamed task (the common one) pays nothing for names. A task's name leaves it when the
    /// task ends (`unregister`), before its key can be reused.
    names: RefCell<std::collections::HashMap<usize, Rc<str>>>,
    /// asyncio's default executor, for `run_in_executor(None, ..)` and `to_thread`: made on
    /// first use, shut down (waiting for its threads) when the loop closes.
    default_executor: OnceCell<ThreadPoolExecutor>,
}

impl Local {
    fn new() -> Rc<Self> {
        Rc::new(Local {
            shared: Arc::new(Shared {
                remote: Mutex::new(Remote::default()),
                remote_pending: AtomicBool::new(false),
            }),
            ready: RefCell::new(VecDeque::new()),
            tasks: RefCell::new(Tasks::default()),
            driving: Cell::new(false),
            driver: RefCell::new(None),
            spawned: Cell::new(0),
            current: Cell::new(None),
            main: Cell::new(None),
            main_name: Cell::new(None),
            names: RefCell::default(),
            default_executor: OnceCell::new(),
        })
    }

    fn wake_driver_if_idle(&self) {
        if !self.driving.get() {
            if let Some(driver) = &*self.driver.borrow() {
                driver.wake_by_ref();
            }
        }
    }

    /// Spawns `future` as a task of this loop, scheduled at the back of the ready queue, or
    /// (`eager`) run at once until it first waits, as Python 3.12's eager tasks are.
    pub(crate) fn spawn<F>(
        self: &Rc<Self>,
        future: F,
        name: Option<String>,
        eager: bool,
    ) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let id = self.spawned.get() + 1;
        self.spawned.set(id);
        let key = self.tasks.borrow().vacant_key();
        let body = TaskBody::new(future, Rc::clone(self), key);
        let shared = Arc::clone(&self.shared);
        let (runnable, task) =
            async_task::spawn_local(body, move |runnable| shared.schedule(runnable));
        let name: Option<Rc<str>> = name.map(Rc::from);
        if let Some(name) = &name {
            self.names.borrow_mut().insert(key, Rc::clone(name));
        }
        self.tasks.borrow_mut().insert(
            key,
            TaskEntry {
                waker: runnable.waker(),
                id,
                cancel_requested: false,
            },
        );
        let handle = Task::new(
            task.fallible(),
            Rc::clone(self),
            key,
            id,
            name,
            std::any::type_name::<F>(),
        );
        if eager {
            // Its first step runs now, inside the caller's turn (`TaskBody::poll` makes it the
            // current task meanwhile).
            runnable.run();
        } else {
            runnable.schedule();
        }
        handle
    }

    /// The task running now (by `TaskBody::poll`), or the main future's, as a reference.
    pub(crate) fn current_task(self: &Rc<Self>) -> Option<TaskRef> {
        match self.current.get() {
            Some(key) => {
                let id = self.tasks.borrow().slots.get(key)?.as_ref()?.id;
                Some(TaskRef {
                    local: Rc::clone(self),
                    key: Some(key),
                    id,
                    name: Cell::new(self.given_name(key)),
                })
            }
            None => self.main.get().map(|id| TaskRef {
                local: Rc::clone(self),
                key: None,
                id,
                name: Cell::new(self.main_name()),
            }),
        }
    }

    /// Every task not yet ended, oldest first.
    pub(crate) fn all_tasks(self: &Rc<Self>) -> Vec<TaskRef> {
        let mut tasks: Vec<TaskRef> = {
            let tasks = self.tasks.borrow();
            tasks
                .slots
                .iter()
                .enumerate()
                .filter_map(|(key, entry)| {
                    entry.as_ref().map(|entry| TaskRef {
                        local: Rc::clone(self),
                        key: Some(key),
                        id: entry.id,
                        name: Cell::new(self.given_name(key)),
                    })
                })
                .collect()
        };
        tasks.sort_by_key(|task| task.id);
        if let Some(main) = self.current_task().filter(|task| task.key.is_none()) {
            tasks.insert(0, main);
        }
        tasks
    }

    /// The name of task `id` (at `key`; `None`: the main future's), if it has not ended:
    /// `Some(None)` when it was given none.
    pub(crate) fn task_name(&self, key: Option<usize>, id: u64) -> Option<Option<Rc<str>>> {
        match key {
            Some(key) => {
                let alive = self.tasks.borrow().get(key, id).is_some();
                alive.then(|| self.given_name(key))
            }
            None => (self.main.get() == Some(id)).then(|| self.main_name()),
        }
    }

    /// The name given to the live task at `key`, if any.
    fn given_name(&self, key: usize) -> Option<Rc<str>> {
        self.names.borrow().get(&key).cloned()
    }

    fn main_name(&self) -> Option<Rc<str>> {
        let name = self.main_name.take();
        self.main_name.set(name.clone());
        name
    }

    /// Names task `id` (at `key`; `None`: the main future's) if it has not ended.
    pub(crate) fn set_task_name(&self, key: Option<usize>, id: u64, name: &Rc<str>) {
        match key {
            Some(key) => {
                let alive = self.tasks.borrow().get(key, id).is_some();
                if alive {
                    self.names.borrow_mut().insert(key, Rc::clone(name));
                }
            }
            None => {
                if self.main.get() == Some(id) {
                    self.main_name.set(Some(Rc::clone(name)));
                }
            }
        }
    }

    /// Marks the task at `key` as the one running; gives the one it replaces, for
    /// [`leave_task`](Self::leave_task).
    pub(crate) fn enter_task(&self, key: usize) -> Option<usize> {
        self.current.replace(Some(key))
    }

    /// Marks `previous` (from `enter_task`) as the one running again.
    pub(crate) fn leave_task(&self, previous: Option<usize>) {
        self.current.set(previous);
    }

    /// Whether the task at `key` was asked to stop (by `Task::cancel` or the loop closing).
    pub(crate) fn cancel_requested(&self, key: usize) -> bool {
        self.tasks.borrow().slots[key]
            .as_ref()
            .is_some_and(|entry| entry.cancel_requested)
    }

    /// Asks task `id` at `key` to stop, and wakes it so that it does at once; false if it has
    /// ended.
    pub(crate) fn request_cancel(&self, key: usize, id: u64) -> bool {
        let waker = match self.tasks.borrow_mut().get_mut(key, id) {
            Some(entry) => {
                entry.cancel_requested = true;
                entry.waker.clone()
            }
            None => return false,
        };
        waker.wake();
        true
    }

    /// Called by a task's body when it is dropped (completed or cancelled).
    pub(crate) fn unregister(&self, key: usize) {
        if !self.names.borrow().is_empty() {
            let name = self.names.borrow_mut().remove(&key);
            drop(name);
        }
        let entry = self.tasks.borrow_mut().remove(key);
        // The waker is dropped here, after the borrow: dropping it may free the task.
        drop(entry);
    }

    pub(crate) fn default_executor(&self) -> &ThreadPoolExecutor {
        self.default_executor.get_or_init(ThreadPoolExecutor::new)
    }

    /// Runs `future` to completion on this thread, running the loop's tasks meanwhile.
    fn run_until_complete<F: Future>(self: &Rc<Self>, future: F) -> F::Output {
        let _entered = Entered::new(self, false);
        // asyncio wraps the future in a task, which takes the next name: the first task the
        // main future spawns is `Task-2`, as in Python.
        let main_id = self.spawned.get() + 1;
        self.spawned.set(main_id);
        // Not restored by a guard: a guard across the `block_on` below cost every task 67
        // instructions in codegen; a stale entry is unobservable once the loop stops running.
        self.main.set(Some(main_id));
        self.main_name.set(None);
        let mut future = pin!(future);
        let main = Arc::new(MainWaker {
            queued: AtomicBool::new(true),
            shared: Arc::clone(&self.shared),
        });
        let main_waker = Waker::from(Arc::clone(&main));
        // Behind the tasks already ready, as `run_until_complete` schedules its task.
        self.ready.borrow_mut().push_back(Ready::Main);
        let output = async_io::block_on(poll_fn(|cx| {
            self.drive(cx, future.as_mut(), &main, &main_waker)
        }));
        self.main.set(None);
        output
    }

    /// One turn of `block_on`: runs what is ready, in order, until nothing is or the budget is
    /// spent; returns when the main future is done.
    fn drive<F: Future>(
        &self,
        cx: &mut Context<'_>,
        mut main: Pin<&mut F>,
        main_flag: &MainWaker,
        main_waker: &Waker,
    ) -> Poll<F::Output> {
        self.register_driver(cx.waker());
        self.driving.set(true);
        let _driving = CallOnDrop(|| self.driving.set(false));
        let mut budget = BUDGET;
        loop {
            if self.shared.remote_pending.load(Ordering::Acquire) {
                self.take_remote();
            }
            let next = self.ready.borrow_mut().pop_front();
            match next {
                Some(Ready::Task(runnable)) => {
                    runnable.run();
                }
                Some(Ready::Main) => {
                    // Cleared before the poll: a wake-up during it queues the main future again.
                    main_flag.queued.store(false, Ordering::Release);
                    let mut main_cx = Context::from_waker(main_waker);
                    if let Poll::Ready(output) = main.as_mut().poll(&mut main_cx) {
                        return Poll::Ready(output);
                    }
                }
                None => {
                    if self.shared.remote_pending.load(Ordering::Acquire) {
                        continue;
                    }
                    // Asleep in the reactor until a wake-up: from this thread (a timer),
                    // through `driver`; from another, through `remote.driver`.
                    return Poll::Pending;
                }
            }
            budget -= 1;
            if budget == 0 {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
        }
    }

    fn register_driver(&self, waker: &Waker) {
        let mut local = self.driver.borrow_mut();
        if local.as_ref().is_some_and(|known| known.will_wake(waker)) {
            return;
        }
        *local = Some(waker.clone());
        self.shared.lock().driver = Some(waker.clone());
    }

    /// Moves the tasks woken by other threads to the back of the ready queue.
    fn take_remote(&self) {
        let mut remote = self.shared.lock();
        self.shared.remote_pending.store(false, Ordering::Release);
        self.ready.borrow_mut().append(&mut remote.queue);
    }

    /// Cancels every task left, runs each once so that it drops its body (its cleanup runs),
    /// and shuts the default executor down: what `asyncio.run` does after the main coroutine.
    fn close(self: &Rc<Self>) {
        // A loop may be dropped inside another loop's task: it becomes the running loop for
        // the while of its closing, and the other one is restored after.
        let _entered = Entered::new(self, true);
        loop {
            // Drop code may spawn tasks or wake others: go round until nothing is left.
            let wakers: Vec<Waker> = self
                .tasks
                .borrow_mut()
                .slots
                .iter_mut()
                .flatten()
                .map(|entry| {
                    entry.cancel_requested = true;
                    entry.waker.clone()
                })
                .collect();
            for waker in wakers {
                waker.wake();
            }
            self.take_remote();
            let mut ran = false;
            loop {
                let next = self.ready.borrow_mut().pop_front();
                match next {
                    Some(Ready::Task(runnable)) => {
                        runnable.run();
                        ran = true;
                    }
                    // A late wake-up of a main future that is done.
                    Some(Ready::Main) => {}
                    None => break,
                }
            }
            if !ran && self.tasks.borrow().len() == 0 {
                break;
            }
        }
        // Waits for its threads, as `shutdown_default_executor` does.
        if let Some(executor) = self.default_executor.get() {
            executor.shutdown(true, false);
        }
        *self.driver.borrow_mut() = None;
        self.shared.lock().driver = None;
    }
}

/// The main future's waker: queues the main future for its turn (once, however often it is
/// woken before that turn comes).
struct MainWaker {
    queued: AtomicBool,
    shared: Arc<Shared>,
}

impl Wake for MainWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            self.shared.push(Ready::Main);
        }
    }
}

/// Makes a loop this thread's running loop for as long as it lives, and restores the one
/// before (if `nested` allowed one).
struct Entered {
    previous: Option<Rc<Local>>,
}

impl Entered {
    fn new(local: &Rc<Local>, nested: bool) -> Self {
        let previous = CURRENT.with_borrow_mut(|current| current.replace(Rc::clone(local)));
        if previous.is_some() && !nested {
            CURRENT.with_borrow_mut(|current| *current = previous);
            panic!(
                "cannot run an event loop while another one is running on this thread \
                 (asyncio: RuntimeError: Cannot run the event loop while another loop is running)"
            );
        }
        Entered { previous }
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let local = CURRENT.with_borrow_mut(|current| std::mem::replace(current, previous));
        drop(local);
    }
}

struct CallOnDrop<F: FnMut()>(F);

impl<F: FnMut()> Drop for CallOnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// Runs `f` with the loop running on this thread.
///
/// # Panics
///
/// If no loop runs on this thread: `what` names the caller in the message.
pub(crate) fn with_running_loop<R>(what: &str, f: impl FnOnce(&Rc<Local>) -> R) -> R {
    let local = CURRENT.with_borrow(Option::clone);
    match local {
        Some(local) => f(&local),
        None => panic!(
            "{what} called outside an event loop: call it from a task or a future run by \
             cogen::rt::run (asyncio: RuntimeError: no running event loop)"
        ),
    }
}

/// An event loop: Python's `asyncio` loop, for when one `run` is not enough.
///
/// [`run_until_complete`](Self::run_until_complete) runs a future and the loop's tasks until
/// the future is done; tasks left running wait, suspended, for the next call. Dropping the loop
/// closes it: every task left is cancelled (its body dropped where it waits, so its cleanup
/// runs), and the default executor is shut down. [`run`] is a new loop, one
/// `run_until_complete` and the drop.
///
/// The loop runs on the thread that calls `run_until_complete`, so it is neither `Send` nor
/// `Sync`, and neither are its tasks' handles; the futures it runs need not be `Send` either.
/// (To hand work to a loop from another thread, send it through a channel a task reads.)
///
/// ```compile_fail
/// let task = cogen::rt::EventLoop::new().spawn(async { 1 });
/// std::thread::spawn(move || drop(task)); // a task's handle stays on its loop's thread
/// ```
///
/// ```
/// use std::time::Duration;
/// use cogen::rt::{EventLoop, sleep, spawn};
///
/// // Python: loop = asyncio.new_event_loop()
/// //         task = loop.create_task(...); loop.run_until_complete(...)
/// let event_loop = EventLoop::new();
/// let ticker = event_loop.spawn(async {
///     sleep(Duration::from_millis(20)).await;
///     "ticked"
/// });
/// // The task runs while the loop runs, across calls.
/// event_loop.run_until_complete(sleep(Duration::from_millis(1)));
/// assert!(!ticker.done());
/// assert_eq!(event_loop.run_until_complete(ticker), Ok("ticked"));
/// ```
pub struct EventLoop {
    local: Rc<Local>,
}

impl EventLoop {
    /// A new loop, with no task: Python's `asyncio.new_event_loop()`.
    ///
    /// ```
    /// let event_loop = cogen::rt::EventLoop::new();
    /// assert_eq!(event_loop.run_until_complete(async { 6 * 7 }), 42);
    /// ```
    pub fn new() -> Self {
        EventLoop {
            local: Local::new(),
        }
    }

    /// Runs `future` on this thread until it is done, running the loop's tasks meanwhile, and
    /// returns its output: Python's `loop.run_until_complete(future)`.
    ///
    /// # Panics
    ///
    /// If a loop is already running on this thread (Python raises `RuntimeError`), and if
    /// `future` panics.
    ///
    /// ```
    /// use cogen::rt::{EventLoop, spawn};
    ///
    /// let event_loop = EventLoop::new();
    /// let sum = event_loop.run_until_complete(async {
    ///     let halves = [spawn(async { 20 }), spawn(async { 22 })];
    ///     let mut sum = 0;
    ///     for half in halves {
    ///         sum += half.await.unwrap();
    ///     }
    ///     sum
    /// });
    /// assert_eq!(sum, 42);
    /// ```
    pub fn run_until_complete<F: Future>(&self, future: F) -> F::Output {
        self.local.run_until_complete(future)
    }

    /// Schedules `future` as a task of this loop: Python's `loop.create_task(coro)`. It starts
    /// when the loop next runs.
    ///
    /// ```
    /// use cogen::rt::EventLoop;
    ///
    /// let event_loop = EventLoop::new();
    /// let task = event_loop.spawn(async { "ran" });
    /// assert!(!task.done());
    /// assert_eq!(event_loop.run_until_complete(task), Ok("ran"));
    /// ```
    pub fn spawn<F>(&self, future: F) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.local.spawn(future, None, false)
    }

    /// Python's `Runner.run(coro)`: the same as
    /// [`run_until_complete`](Self::run_until_complete).
    ///
    /// ```
    /// use cogen::rt::Runner;
    ///
    /// // Python: with asyncio.Runner() as runner: runner.run(a()); runner.run(b())
    /// let runner = Runner::new();
    /// assert_eq!(runner.run(async { 1 }), 1);
    /// assert_eq!(runner.run(async { 2 }), 2);
    /// runner.close();
    /// ```
    pub fn run<F: Future>(&self, future: F) -> F::Output {
        self.run_until_complete(future)
    }

    /// Closes the loop (Python's `runner.close()`, `loop.close()`): what dropping it does.
    ///
    /// ```
    /// cogen::rt::EventLoop::new().close();
    /// ```
    pub fn close(self) {
        drop(self);
    }
}

/// Python 3.11's `asyncio.Runner`: an [`EventLoop`], reused across several
/// [`run`](EventLoop::run) calls, closed when dropped (the end of Python's `with` block) or by
/// [`close`](EventLoop::close). Tasks a `run` leaves running go on in the next one.
///
/// ```
/// use cogen::rt::{Runner, spawn};
///
/// let runner = Runner::new();
/// let background = runner.run(async { spawn(async { "done later" }) });
/// assert_eq!(runner.run(background), Ok("done later"));
/// ```
pub type Runner = EventLoop;

/// A task of the running loop, seen from anywhere: what [`current_task`] and [`all_tasks`]
/// give (Python's `Task` objects, without their result, which only the [`Task`] handle holds).
///
/// ```
/// use cogen::rt::{current_task, run};
///
/// let name = run(async { current_task().unwrap().name() });
/// assert_eq!(name, "Task-1"); // the task `run` wraps its future in, as asyncio.run does
/// ```
pub struct TaskRef {
    local: Rc<Local>,
    /// `None` for the main future of `run_until_complete`.
    key: Option<usize>,
    id: u64,
    /// The name last seen or given through this reference, for after the task has ended.
    name: Cell<Option<Rc<str>>>,
}

impl TaskRef {
    /// The task's name: Python's `task.get_name()`. (The loop keeps a task's name while the
    /// task runs; once it has ended, a reference remembers the name it last saw.)
    ///
    /// ```
    /// use cogen::rt::{current_task, run, spawn_named};
    ///
    /// let name = run(async { spawn_named("fetcher", async { current_task().unwrap().name() }).await });
    /// assert_eq!(name, Ok("fetcher".to_string()));
    /// ```
    pub fn name(&self) -> String {
        if let Some(name) = self.local.task_name(self.key, self.id) {
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
    /// use cogen::rt::{current_task, run};
    ///
    /// run(async {
    ///     current_task().unwrap().set_name("main");
    ///     assert_eq!(current_task().unwrap().name(), "main");
    /// });
    /// ```
    pub fn set_name(&self, name: impl Into<String>) {
        let name: Rc<str> = Rc::from(name.into());
        self.local.set_task_name(self.key, self.id, &name);
        self.name.set(Some(name));
    }

    /// Asks the task to stop, as [`Task::cancel`] does; false if it has ended, or if it is the
    /// main future of `run` (which only its caller can stop).
    ///
    /// ```
    /// use cogen::rt::{all_tasks, run, spawn};
    ///
    /// run(async {
    ///     let sleeper = spawn(std::future::pending::<()>());
    ///     let others: Vec<_> = all_tasks().into_iter().filter(|t| t.name() != "Task-1").collect();
    ///     assert!(others[0].cancel());
    ///     assert!(sleeper.await.is_err());
    /// });
    /// ```
    pub fn cancel(&self) -> bool {
        let Some(key) = self.key else {
            return false;
        };
        self.local.request_cancel(key, self.id)
    }
}

impl Clone for TaskRef {
    fn clone(&self) -> Self {
        let name = self.name.take();
        self.name.set(name.clone());
        TaskRef {
            local: Rc::clone(&self.local),
            key: self.key,
            id: self.id,
            name: Cell::new(name),
        }
    }
}

impl fmt::Debug for TaskRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Task name='{}'>", self.name())
    }
}

impl PartialEq for TaskRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.local, &other.local) && self.id == other.id
    }
}

impl Eq for TaskRef {}

/// The task running now: Python's `asyncio.current_task()`. `None` outside a loop.
///
/// ```
/// use cogen::rt::{current_task, run, spawn};
///
/// run(async {
///     let child = spawn(async { current_task().unwrap().name() });
///     assert_eq!(child.await.unwrap(), "Task-2");
/// });
/// assert!(current_task().is_none());
/// ```
pub fn current_task() -> Option<TaskRef> {
    CURRENT.with_borrow(Option::clone)?.current_task()
}

/// Every task of the running loop not yet ended, the main one first, then by age: Python's
/// `asyncio.all_tasks()`.
///
/// # Panics
///
/// Outside an event loop (Python: `RuntimeError: no running event loop`).
///
/// ```
/// use cogen::rt::{all_tasks, run, spawn_named};
///
/// run(async {
///     let _worker = spawn_named("worker", std::future::pending::<()>());
///     let names: Vec<String> = all_tasks().iter().map(|task| task.name()).collect();
///     assert_eq!(names, ["Task-1", "worker"]);
/// });
/// ```
pub fn all_tasks() -> Vec<TaskRef> {
    with_running_loop("cogen::rt::all_tasks", Local::all_tasks)
}

impl Default for EventLoop {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for EventLoop {
    /// Closes the loop: cancels the tasks left and shuts down the default executor.
    fn drop(&mut self) {
        self.local.close();
    }
}

impl fmt::Debug for EventLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventLoop")
            .field("tasks", &self.local.tasks.borrow().len())
            .field("ready", &self.local.ready.borrow().len())
            .finish()
    }
}

/// Runs `future` to completion on a new event loop and returns its output: Python's
/// `asyncio.run(main())`.
///
/// The loop runs on this thread. Tasks spawned meanwhile run with it; those still running when
/// `future` is done are cancelled (their cleanup runs), and the default executor of
/// [`to_thread`](super::to_thread) is shut down, before `run` returns.
///
/// # Panics
///
/// If an event loop is already running on this thread (as Python's `asyncio.run` raises
/// `RuntimeError`), and if `future` panics.
///
/// ```
/// use std::time::Duration;
/// use cogen::rt::{run, sleep, spawn};
///
/// // Python: async def main(): ...; asyncio.run(main())
/// let answer = run(async {
///     let slow = spawn(async {
///         sleep(Duration::from_millis(10)).await;
///         42
///     });
///     slow.await.unwrap()
/// });
/// assert_eq!(answer, 42);
/// ```
pub fn run<F: Future>(future: F) -> F::Output {
    EventLoop::new().run_until_complete(future)
}
