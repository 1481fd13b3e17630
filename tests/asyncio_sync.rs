//! asyncio's locks, semaphores, events, conditions, barriers and queues on cogen's event loop,
//! against what CPython 3.13 logs for the same programs (`tests/fixtures/asyncio_sync/`,
//! written by its `scenarios.py`). Each test is the Python scenario of the same name, written
//! with `spawn` where Python creates tasks (`asyncio.gather` of coroutines makes them tasks in
//! order) and `sleep(ZERO)` where it yields a turn.

#[path = "common/scenario_log.rs"]
mod scenario_log;

use scenario_log::{Log, OnCancel, expected_in, panic_text, py, scenario, turns};

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use cogen::rt::{
    Barrier, BoundedSemaphore, BrokenBarrierError, Condition, Event, GetNowaitError, LifoQueue,
    Lock, PriorityQueue, PutNowaitError, Queue, QueueShutDown, ReleasedTooManyTimes, Semaphore,
    Task, run, sleep, spawn,
};

fn expected(name: &str) -> Vec<String> {
    expected_in(include_str!("fixtures/asyncio_sync/scenarios.json"), name)
}

async fn turn() {
    sleep(Duration::ZERO).await;
}

/// Awaits every task, whatever it ended with (`gather(..., return_exceptions=True)`).
async fn settle<T>(tasks: Vec<Task<T>>) {
    for task in tasks {
        let _ = task.await;
    }
}

fn check(name: &str, program: impl AsyncFnOnce(Log)) {
    check_but(name, &[], program);
}

/// `check`, for a scenario some of whose lines report a misuse that Rust's types rule out
/// (releasing a lock one does not hold, a negative semaphore): those lines, which must be in
/// CPython's log, are left out of the comparison. The crate docs list these deviations.
fn check_but(name: &str, impossible_in_rust: &[&str], program: impl AsyncFnOnce(Log)) {
    let log = scenario(program);
    let mut expected = expected(name);
    for line in impossible_in_rust {
        let at = expected
            .iter()
            .position(|logged| logged == line)
            .unwrap_or_else(|| panic!("CPython's {name} log has no line {line:?}"));
        expected.remove(at);
    }
    assert_eq!(log, expected, "scenario {name}");
}

#[test]
fn lock_fifo() {
    check("lock_fifo", async |log| {
        let lock = Rc::new(Lock::new());
        let tasks: Vec<_> = ["a", "b", "c"]
            .into_iter()
            .map(|name| {
                let (lock, log) = (lock.clone(), log.clone());
                spawn(async move {
                    log.push(format!("{name} wants"));
                    let _held = lock.acquire().await;
                    log.push(format!("{name} holds"));
                    turn().await;
                    log.push(format!("{name} releases"));
                })
            })
            .collect();
        settle(tasks).await;
        log.push(format!("locked {}", py(lock.locked())));
    });
}

#[test]
fn lock_no_barging() {
    check_but(
        "lock_no_barging",
        &["RuntimeError: Lock is not acquired."],
        async |log| {
            let lock = Rc::new(Lock::new());
            let held = lock.acquire().await;
            let waiter = spawn({
                let (lock, log) = (lock.clone(), log.clone());
                async move {
                    log.push("waiter wants");
                    let _held = lock.acquire().await;
                    log.push("waiter holds");
                }
            });
            turn().await;
            drop(held);
            log.push(format!("released, locked {}", py(lock.locked())));
            let again = lock.acquire().await;
            log.push("main holds again");
            drop(again);
            waiter.await.unwrap();
        },
    );
}

#[test]
fn lock_cancelled_waiter() {
    check("lock_cancelled_waiter", async |log| {
        let lock = Rc::new(Lock::new());
        let held = lock.acquire().await;
        let waiter = |name: &'static str| {
            let (lock, log) = (lock.clone(), log.clone());
            spawn(async move {
                let mut cancelled = OnCancel::new(&log, name);
                let _held = lock.acquire().await;
                log.push(format!("{name} holds"));
                cancelled.done = true;
            })
        };
        let (a, b, c) = (waiter("a"), waiter("b"), waiter("c"));
        turn().await;
        b.cancel();
        turn().await;
        drop(held); // wakes a
        a.cancel(); // a was woken, then cancelled: c gets the lock
        let (a_cancelled, b_cancelled, c_cancelled) = {
            let a = a.await;
            let b = b.await;
            let c = c.await;
            (a.is_err(), b.is_err(), c.is_err())
        };
        log.push(format!(
            "a {} b {} c {} locked {}",
            py(a_cancelled),
            py(b_cancelled),
            py(c_cancelled),
            py(lock.locked())
        ));
    });
}

#[test]
fn event_wakes_every_waiter() {
    check("event_wakes_every_waiter", async |log| {
        let event = Rc::new(Event::new());
        let tasks: Vec<_> = ["a", "b", "c"]
            .into_iter()
            .map(|name| {
                let (event, log) = (event.clone(), log.clone());
                spawn(async move {
                    log.push(format!("{name} waits"));
                    event.wait().await;
                    log.push(format!("{name} woke"));
                })
            })
            .collect();
        turn().await;
        log.push(format!("is_set {}", py(event.is_set())));
        event.set();
        event.set();
        log.push(format!("is_set {}", py(event.is_set())));
        settle(tasks).await;
        event.clear();
        log.push(format!("cleared, is_set {}", py(event.is_set())));
        event.set();
        event.wait().await;
        log.push("wait returns at once when set");
    });
}

#[test]
fn event_set_and_cleared_before_waiters_run() {
    check("event_set_and_cleared_before_waiters_run", async |log| {
        let event = Rc::new(Event::new());
        let tasks: Vec<_> = ["a", "b"]
            .into_iter()
            .map(|name| {
                let (event, log) = (event.clone(), log.clone());
                spawn(async move {
                    event.wait().await;
                    log.push(format!("{name} woke"));
                })
            })
            .collect();
        turn().await;
        event.set();
        event.clear();
        settle(tasks).await;
        log.push(format!("is_set {}", py(event.is_set())));
    });
}

#[test]
fn semaphore_fifo() {
    check("semaphore_fifo", async |log| {
        let semaphore = Rc::new(Semaphore::new(2));
        let tasks: Vec<_> = ["a", "b", "c", "d", "e"]
            .into_iter()
            .map(|name| {
                let (semaphore, log) = (semaphore.clone(), log.clone());
                spawn(async move {
                    log.push(format!("{name} wants"));
                    let _permit = semaphore.acquire().await;
                    log.push(format!("{name} in"));
                    turns(2).await;
                    log.push(format!("{name} out"));
                })
            })
            .collect();
        settle(tasks).await;
        log.push(format!("locked {}", py(semaphore.locked())));
    });
}

#[test]
fn semaphore_no_barging() {
    check("semaphore_no_barging", async |log| {
        let semaphore = Rc::new(Semaphore::new(1));
        semaphore.acquire().await.forget();
        let waiter = spawn({
            let (semaphore, log) = (semaphore.clone(), log.clone());
            async move {
                let _permit = semaphore.acquire().await;
                log.push("waiter in");
            }
        });
        turn().await;
        semaphore.release();
        log.push(format!("released, locked {}", py(semaphore.locked())));
        semaphore.acquire().await.forget();
        log.push("main in again");
        semaphore.release();
        waiter.await.unwrap();
        log.push(format!("locked {}", py(semaphore.locked())));
    });
}

#[test]
fn semaphore_cancelled_after_wake() {
    check("semaphore_cancelled_after_wake", async |log| {
        let semaphore = Rc::new(Semaphore::new(0));
        let waiter = |name: &'static str| {
            let (semaphore, log) = (semaphore.clone(), log.clone());
            spawn(async move {
                let mut cancelled = OnCancel::new(&log, name);
                let _permit = semaphore.acquire().await;
                log.push(format!("{name} in"));
                cancelled.done = true;
            })
        };
        let (a, b) = (waiter("a"), waiter("b"));
        turn().await;
        semaphore.release(); // wakes a
        a.cancel(); // its permit goes to b
        settle(vec![a, b]).await;
        log.push(format!("locked {}", py(semaphore.locked())));
    });
}

#[test]
fn bounded_semaphore() {
    let negative = "ValueError: Semaphore initial value must be >= 0";
    check_but("bounded_semaphore", &[negative], async |log| {
        let semaphore = BoundedSemaphore::new(2);
        semaphore.acquire().await.forget();
        semaphore.release().unwrap();
        if let Err(error) = semaphore.release() {
            assert_eq!(error, ReleasedTooManyTimes);
            log.push(format!("ValueError: {error}"));
        }
        let plain = Semaphore::new(1);
        plain.release();
        log.push(format!(
            "a plain semaphore goes over: locked {}",
            py(plain.locked())
        ));
        plain.acquire().await.forget();
        plain.acquire().await.forget();
        log.push(format!("acquired twice, locked {}", py(plain.locked())));
    });
}

#[test]
fn condition_notify() {
    let without_the_lock = [
        "RuntimeError: cannot notify on un-acquired lock",
        "RuntimeError: cannot wait on un-acquired lock",
    ];
    check_but("condition_notify", &without_the_lock, async |log| {
        let condition = Rc::new(Condition::new());
        let items = Rc::new(RefCell::new(Vec::<u32>::new()));
        let tasks: Vec<_> = ["a", "b", "c"]
            .into_iter()
            .map(|name| {
                let (condition, items, log) = (condition.clone(), items.clone(), log.clone());
                spawn(async move {
                    let guard = condition.acquire().await;
                    log.push(format!("{name} waits"));
                    let _guard = guard.wait().await;
                    log.push(format!("{name} woke with {:?}", items.borrow()));
                })
            })
            .collect();
        turn().await;
        {
            let guard = condition.acquire().await;
            items.borrow_mut().push(1);
            guard.notify(1);
            log.push("notified 1");
        }
        turns(3).await;
        {
            let guard = condition.acquire().await;
            items.borrow_mut().push(2);
            guard.notify(5);
            log.push("notified 5");
        }
        settle(tasks).await;
    });
}

#[test]
fn condition_wait_for() {
    check("condition_wait_for", async |log| {
        let condition = Rc::new(Condition::new());
        let n = Rc::new(std::cell::Cell::new(0));
        let watcher = spawn({
            let (condition, n, log) = (condition.clone(), n.clone(), log.clone());
            async move {
                let guard = condition.acquire().await;
                let _guard = guard.wait_for(|| n.get() >= 3).await;
                log.push(format!("watcher sees {} (True)", n.get()));
            }
        });
        for _ in 0..4 {
            turn().await;
            let guard = condition.acquire().await;
            n.set(n.get() + 1);
            log.push(format!("n = {}", n.get()));
            guard.notify_all();
        }
        watcher.await.unwrap();
    });
}

async fn party(barrier: Rc<Barrier>, log: Log, name: &'static str) {
    log.push(format!("{name} arrives"));
    let index = barrier.wait().await.unwrap();
    log.push(format!("{name} passes with {index}"));
}

#[test]
fn barrier() {
    check("barrier", async |log| {
        let barrier = Rc::new(Barrier::new(3));
        let round = |names: [&'static str; 3]| {
            names
                .map(|name| spawn(party(barrier.clone(), log.clone(), name)))
                .into_iter()
                .collect::<Vec<_>>()
        };
        settle(round(["a", "b", "c"])).await;
        log.push(format!(
            "parties {} n_waiting {} broken {}",
            barrier.parties(),
            barrier.n_waiting(),
            py(barrier.broken())
        ));
        settle(round(["d", "e", "f"])).await;
    });
}

#[test]
fn barrier_abort() {
    check("barrier_abort", async |log| {
        let barrier = Rc::new(Barrier::new(3));
        let party = |name: &'static str| {
            let (barrier, log) = (barrier.clone(), log.clone());
            async move {
                match barrier.wait().await {
                    Ok(_) => log.push(format!("{name} passes")),
                    Err(BrokenBarrierError) => log.push(format!("{name} BrokenBarrierError")),
                }
            }
        };
        let tasks = vec![spawn(party("a")), spawn(party("b"))];
        turn().await;
        log.push(format!("n_waiting {}", barrier.n_waiting()));
        barrier.abort();
        settle(tasks).await;
        log.push(format!("broken {}", py(barrier.broken())));
        party("c").await;
        barrier.reset();
        log.push(format!("after reset, broken {}", py(barrier.broken())));
        log.push(format!("ValueError: {}", panic_text(|| Barrier::new(0))));
    });
}

#[test]
fn queue_producer_consumer() {
    check("queue_producer_consumer", async |log| {
        let queue = Rc::new(Queue::new(2));
        let producer = spawn({
            let (queue, log) = (queue.clone(), log.clone());
            async move {
                for item in 0..5 {
                    queue.put(Some(item)).await.unwrap();
                    log.push(format!("put {item} qsize {}", queue.qsize()));
                }
                queue.put(None).await.unwrap();
            }
        });
        let consumer = spawn({
            let (queue, log) = (queue.clone(), log.clone());
            async move {
                while let Some(item) = queue.get().await.unwrap() {
                    log.push(format!("got {item}"));
                    queue.task_done();
                    turn().await;
                }
                queue.task_done();
            }
        });
        settle(vec![producer, consumer]).await;
        log.push(format!(
            "empty {} full {}",
            py(queue.empty()),
            py(queue.full())
        ));
    });
}

#[test]
fn queue_nowait_and_task_done() {
    check("queue_nowait_and_task_done", async |log| {
        let queue = Queue::new(1);
        queue.put_nowait("a").unwrap();
        if let Err(PutNowaitError::QueueFull("b")) = queue.put_nowait("b") {
            log.push("QueueFull");
        }
        log.push(format!("got {}", queue.get_nowait().unwrap()));
        if queue.get_nowait() == Err(GetNowaitError::QueueEmpty) {
            log.push("QueueEmpty");
        }
        queue.task_done();
        log.push(format!("ValueError: {}", panic_text(|| queue.task_done())));
    });
}

#[test]
fn queue_join() {
    check("queue_join", async |log| {
        let queue = Rc::new(Queue::new(0));
        for item in ["x", "y", "z"] {
            queue.put_nowait(item).unwrap();
        }
        let worker = spawn({
            let (queue, log) = (queue.clone(), log.clone());
            async move {
                loop {
                    let item = queue.get().await.unwrap();
                    turn().await;
                    log.push(format!("done {item}"));
                    queue.task_done();
                }
            }
        });
        queue.join().await;
        log.push("joined");
        worker.cancel();
        let _ = worker.await;
        queue.join().await;
        log.push("joined again at once");
    });
}

#[test]
fn queue_shutdown() {
    check("queue_shutdown", async |log| {
        let queue = Rc::new(Queue::new(1));
        queue.put_nowait(1).unwrap();
        let putter = spawn({
            let (queue, log) = (queue.clone(), log.clone());
            async move {
                match queue.put(2).await {
                    Ok(()) => log.push("put 2"),
                    Err(QueueShutDown(2)) => log.push("putter QueueShutDown"),
                    Err(other) => panic!("put gave back {other:?}"),
                }
            }
        });
        turn().await;
        queue.shutdown(false);
        if let Err(PutNowaitError::QueueShutDown(3)) = queue.put_nowait(3) {
            log.push("put_nowait QueueShutDown");
        }
        putter.await.unwrap();
        loop {
            match queue.get().await {
                Ok(item) => log.push(format!("g got {item}")),
                Err(QueueShutDown(())) => {
                    log.push("g QueueShutDown");
                    break;
                }
            }
        }
        log.push(format!("qsize {}", queue.qsize()));
    });
}

#[test]
fn queue_shutdown_immediate() {
    check("queue_shutdown_immediate", async |log| {
        let queue = Rc::new(Queue::new(0));
        for item in 0..3 {
            queue.put_nowait(item).unwrap();
        }
        let joiner = spawn({
            let (queue, log) = (queue.clone(), log.clone());
            async move {
                queue.join().await;
                log.push("join returns");
            }
        });
        turn().await;
        queue.shutdown(true);
        log.push(format!("qsize {}", queue.qsize()));
        joiner.await.unwrap();
        if queue.get().await == Err(QueueShutDown(())) {
            log.push("getter QueueShutDown");
        }
        log.push(format!("ValueError: {}", panic_text(|| queue.task_done())));
    });
}

#[test]
fn priority_and_lifo_queues() {
    check("priority_and_lifo_queues", async |log| {
        let priority = PriorityQueue::new(0);
        for item in [(3, "c"), (1, "a"), (2, "b"), (1, "A")] {
            priority.put_nowait(item).unwrap();
        }
        let order: Vec<String> = (0..4)
            .map(|_| {
                let (p, v) = priority.get_nowait().unwrap();
                format!("{p}{v}")
            })
            .collect();
        log.push(format!("priority {}", order.join(" ")));
        let lifo = LifoQueue::new(0);
        for item in 0..4 {
            lifo.put_nowait(item).unwrap();
        }
        let order: Vec<String> = (0..4)
            .map(|_| lifo.get_nowait().unwrap().to_string())
            .collect();
        log.push(format!("lifo {}", order.join(" ")));
    });
}

// ---- apart from cogen's loop: other executors, threads, panics ----

fn assert_send_sync<T: Send + Sync>() {}
fn assert_send<T: Send>(_: &T) {}

#[test]
fn the_primitives_and_their_futures_cross_threads() {
    assert_send_sync::<Lock>();
    assert_send_sync::<Event>();
    assert_send_sync::<Semaphore>();
    assert_send_sync::<BoundedSemaphore>();
    assert_send_sync::<Condition>();
    assert_send_sync::<Barrier>();
    assert_send_sync::<Queue<String>>();
    assert_send_sync::<PriorityQueue<u32>>();
    assert_send_sync::<LifoQueue<Vec<u8>>>();
    let (lock, queue, condition) = (Lock::new(), Queue::<u8>::new(0), Condition::new());
    assert_send(&lock.acquire());
    assert_send(&queue.put(1));
    assert_send(&queue.get());
    assert_send(&queue.join());
    assert_send(&condition.acquire());
}

/// Under tokio's multi-threaded runtime: a semaphore caps 4 tasks at 2 at once, and a bounded
/// queue carries 1,000 items from 4 producers to 2 consumers, every item exactly once.
#[test]
fn under_tokio_on_several_threads() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let cap = Arc::new(Semaphore::new(2));
        let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let (cap, now, most) = (cap.clone(), now.clone(), most.clone());
                tokio::spawn(async move {
                    for _ in 0..20 {
                        let _permit = cap.acquire().await;
                        let inside = now.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(inside, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        now.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(cap.value(), 2);

        let queue = Arc::new(Queue::new(8));
        let producers: Vec<_> = (0..4u32)
            .map(|p| {
                let queue = queue.clone();
                tokio::spawn(async move {
                    for i in 0..250 {
                        queue.put(p * 1000 + i).await.unwrap();
                    }
                })
            })
            .collect();
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let queue = queue.clone();
                tokio::spawn(async move {
                    let mut got = Vec::new();
                    while let Ok(item) = queue.get().await {
                        got.push(item);
                        queue.task_done();
                    }
                    got
                })
            })
            .collect();
        for producer in producers {
            producer.await.unwrap();
        }
        queue.join().await;
        queue.shutdown(false);
        let mut all = Vec::new();
        for consumer in consumers {
            all.extend(consumer.await.unwrap());
        }
        all.sort_unstable();
        let expected: Vec<u32> = (0..4u32)
            .flat_map(|p| (0..250).map(move |i| p * 1000 + i))
            .collect();
        assert_eq!(all, expected);
    });
}

/// With `futures_lite::future::block_on` and no loop at all: an event set from another thread.
#[test]
fn under_block_on_woken_from_another_thread() {
    use std::sync::Arc;

    let event = Arc::new(Event::new());
    let setter = std::thread::spawn({
        let event = event.clone();
        move || {
            std::thread::sleep(Duration::from_millis(10));
            event.set();
        }
    });
    futures_lite::future::block_on(event.wait());
    assert!(event.is_set());
    setter.join().unwrap();
}

/// A priority queue whose `Ord` panics keeps its count right; a `wait_for` predicate that
/// panics releases the condition's lock as it unwinds.
#[test]
fn a_panicking_ord_or_predicate_leaves_the_primitive_usable() {
    use std::cmp::Ordering;
    use std::panic::{AssertUnwindSafe, catch_unwind};

    /// Compares as its number, but the first comparison with 13 panics.
    #[derive(PartialEq, Eq, Debug)]
    struct Touchy(u32);
    static PANICKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    impl PartialOrd for Touchy {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Touchy {
        fn cmp(&self, other: &Self) -> Ordering {
            if (self.0 == 13 || other.0 == 13)
                && !PANICKED.swap(true, std::sync::atomic::Ordering::SeqCst)
            {
                panic!("13 does not compare, once");
            }
            self.0.cmp(&other.0)
        }
    }
    let queue = PriorityQueue::new(0);
    queue.put_nowait(Touchy(2)).unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| queue.put_nowait(Touchy(13)))).is_err());
    // The item that was being put is in, and counted: two items, two task_done calls.
    assert_eq!(queue.qsize(), 2);
    let mut taken = vec![queue.get_nowait().unwrap(), queue.get_nowait().unwrap()];
    taken.sort();
    assert_eq!(taken, [Touchy(2), Touchy(13)]);
    queue.task_done();
    queue.task_done();
    assert_eq!(
        panic_text(|| queue.task_done()),
        "task_done() called too many times"
    );
    futures_lite::future::block_on(queue.join());

    let condition = Condition::new();
    run(async {
        let guard = condition.acquire().await;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            futures_lite::future::block_on(guard.wait_for(|| panic!("the predicate panics")))
        }));
        assert!(outcome.is_err());
        assert!(!condition.locked());
        let _again = condition.acquire().await;
    });
}

/// `shutdown(immediate)` drops the items still in outside the queue's lock: an item whose `Drop`
/// panics unwinds out of `shutdown` with the queue already empty, counted done and shut down.
#[test]
fn an_item_that_panics_when_dropped_by_shutdown_leaves_the_queue_consistent() {
    struct Grenade;
    impl Drop for Grenade {
        fn drop(&mut self) {
            if !std::thread::panicking() {
                panic!("the item's drop panics");
            }
        }
    }
    let queue = Queue::new(0);
    for _ in 0..3 {
        queue.put_nowait(Grenade).unwrap_or_else(|_| unreachable!());
    }
    assert_eq!(
        panic_text(|| queue.shutdown(true)),
        "the item's drop panics"
    );
    assert_eq!(queue.qsize(), 0);
    futures_lite::future::block_on(queue.join()); // every item counted done
    assert_eq!(
        panic_text(|| queue.task_done()),
        "task_done() called too many times"
    );
    let refused = queue.put_nowait(Grenade);
    assert!(matches!(refused, Err(PutNowaitError::QueueShutDown(_))));
    std::mem::forget(refused); // the grenade given back, not dropped
}

/// Compares as its number, except while `FRAGILE` is set on this thread: then every
/// comparison panics.
#[derive(PartialEq, Eq, Debug)]
struct Fragile(u32);

thread_local! {
    static FRAGILE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl PartialOrd for Fragile {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Fragile {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if FRAGILE.get() {
            panic!("the order panics");
        }
        self.0.cmp(&other.0)
    }
}

/// A full priority queue of three, with a putter waiting for room.
async fn full_with_a_putter() -> (
    Rc<PriorityQueue<Fragile>>,
    Task<Result<(), QueueShutDown<Fragile>>>,
) {
    let queue = Rc::new(PriorityQueue::new(3));
    for n in [1, 2, 3] {
        queue.put_nowait(Fragile(n)).unwrap();
    }
    let putter = spawn({
        let queue = queue.clone();
        async move { queue.put(Fragile(4)).await }
    });
    turn().await;
    assert!(queue.full(), "the putter waits for room");
    (queue, putter)
}

/// A `get_nowait` whose pop panics in the order's `Ord` (the popped item is dropped in the
/// unwinding) still wakes the putter waiting for the room it leaves.
#[test]
fn a_get_that_panics_in_ord_still_wakes_a_putter() {
    scenario(async |_| {
        let (queue, putter) = full_with_a_putter().await;
        FRAGILE.set(true);
        assert_eq!(panic_text(|| queue.get_nowait()), "the order panics");
        FRAGILE.set(false);
        assert_eq!(queue.qsize(), 2);
        assert!(!queue.full());
        assert_eq!(putter.await.unwrap(), Ok(()));
        assert_eq!(queue.qsize(), 3);
        assert_eq!(queue.get_nowait(), Ok(Fragile(2)));
    });
}

/// A `shutdown(immediate)` whose drain panics in the order's `Ord` still wakes the putters
/// (and getters) to find the queue shut down.
#[test]
fn a_shutdown_that_panics_in_ord_still_wakes_the_putters() {
    scenario(async |_| {
        let (queue, putter) = full_with_a_putter().await;
        FRAGILE.set(true);
        assert_eq!(panic_text(|| queue.shutdown(true)), "the order panics");
        FRAGILE.set(false);
        assert_eq!(putter.await.unwrap(), Err(QueueShutDown(Fragile(4))));
        assert!(matches!(
            queue.put_nowait(Fragile(5)),
            Err(PutNowaitError::QueueShutDown(Fragile(5)))
        ));
    });
}

/// A waker of another executor may panic when a release wakes it: the permit released is then
/// the waiter's (which was marked woken), counted once, not also left in the semaphore.
#[test]
fn a_waker_that_panics_in_release_leaves_the_permit_with_the_waiter() {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};

    struct Panicky;
    impl Wake for Panicky {
        fn wake(self: Arc<Self>) {
            panic!("the waker panics");
        }
    }
    let semaphore = Semaphore::new(0);
    let mut acquire = std::pin::pin!(semaphore.acquire());
    let panicky = Waker::from(Arc::new(Panicky));
    assert!(
        acquire
            .as_mut()
            .poll(&mut Context::from_waker(&panicky))
            .is_pending()
    );
    assert_eq!(panic_text(|| semaphore.release()), "the waker panics");
    assert_eq!(semaphore.value(), 0);
    assert!(semaphore.locked());
    let Poll::Ready(permit) = acquire
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    else {
        panic!("the waiter has its permit");
    };
    assert_eq!(semaphore.value(), 0);
    drop(permit);
    assert_eq!(semaphore.value(), 1);
}
