//! The asyncio-style runtime, one test per point of Python's model: `run`, tasks, cancellation,
//! timers, `gather`, `wait`, `as_completed`, `run_in_executor`, async generators and real I/O.

use std::cell::{Cell, RefCell};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use async_io::Async;
use cogen::pool::{FutureError, ReturnWhen, ThreadPoolExecutor, Waited};
use cogen::rt::{
    EventLoop, TaskError, TimeoutError, as_completed, gather, run, run_in_executor, sleep, spawn,
    timeout, to_thread, wait,
};
use cogen::{Co, Gen, GenState, Step};
use futures_lite::{AsyncReadExt, AsyncWriteExt, StreamExt};

const LONG: Duration = Duration::from_secs(3600);

/// A log that tasks on one loop append to.
#[derive(Clone, Default)]
struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    fn push(&self, entry: impl Into<String>) {
        self.0.borrow_mut().push(entry.into());
    }
    fn take(&self) -> Vec<String> {
        self.0.take()
    }
}

/// Sets its flag when dropped: a task's cleanup.
struct DropGuard(Rc<Cell<bool>>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn run_gives_the_main_futures_output() {
    assert_eq!(run(async { 6 * 7 }), 42);
    // A fresh loop each time: run can be called again.
    assert_eq!(run(async { "again" }), "again");
}

#[test]
fn ready_tasks_run_in_fifo_order() {
    let log = Log::default();
    let record = log.clone();
    run(async move {
        let tasks: Vec<_> = ["a", "b", "c"]
            .into_iter()
            .map(|name| {
                let log = record.clone();
                spawn(async move {
                    for round in 0..3 {
                        log.push(format!("{name}{round}"));
                        sleep(Duration::ZERO).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
    assert_eq!(
        log.take(),
        ["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"]
    );
}

#[test]
fn a_spawned_task_starts_when_the_caller_awaits() {
    let log = Log::default();
    let record = log.clone();
    run(async move {
        let inner = record.clone();
        let task = spawn(async move { inner.push("task") });
        record.push("after spawn");
        assert!(!task.done());
        task.await.unwrap();
        record.push("after await");
    });
    assert_eq!(log.take(), ["after spawn", "task", "after await"]);
}

#[test]
fn a_dropped_handle_detaches_the_task_and_the_loop_still_runs_it() {
    let log = Log::default();
    let event_loop = EventLoop::new();
    let record = log.clone();
    event_loop.run_until_complete(async move {
        let inner = record.clone();
        drop(spawn(async move {
            sleep(Duration::from_millis(30)).await;
            inner.push("detached task finished");
        }));
        record.push("main done");
    });
    assert_eq!(log.take(), ["main done"]);
    // The detached task waits, suspended, for the loop to run again: run it until the task has
    // finished (a fixed wait was too short under valgrind), for a minute at the most.
    let watch = log.clone();
    event_loop.run_until_complete(async move {
        for _ in 0..6000 {
            if !watch.0.borrow().is_empty() {
                break;
            }
            sleep(Duration::from_millis(10)).await;
        }
    });
    assert_eq!(log.take(), ["detached task finished"]);
}

#[test]
fn cancel_stops_the_task_at_its_await_and_its_cleanup_runs() {
    let cleaned = Rc::new(Cell::new(false));
    let reached = Rc::new(Cell::new(false));
    let (flag, after) = (cleaned.clone(), reached.clone());
    let (state_before, outcome, cancelled, cancel_again) = run(async move {
        let task = spawn(async move {
            let _guard = DropGuard(flag);
            sleep(LONG).await;
            after.set(true);
        });
        sleep(Duration::ZERO).await;
        let state_before = (task.done(), task.cancelled());
        assert!(task.cancel());
        // Asked, not yet stopped: it stops when the loop runs it next.
        assert!(!task.done());
        sleep(Duration::ZERO).await;
        (state_before, task.cancelled(), task.done(), task.cancel())
    });
    assert_eq!(state_before, (false, false));
    assert!(outcome, "cancelled() once stopped");
    assert!(cancelled, "done() once stopped");
    assert!(!cancel_again, "cancel() of a done task is false");
    assert!(cleaned.get(), "the drop guard ran");
    assert!(!reached.get(), "nothing after the await ran");
}

#[test]
fn awaiting_a_cancelled_task_gives_cancelled() {
    let outcome = run(async {
        let task = spawn(async {
            sleep(LONG).await;
            1
        });
        sleep(Duration::ZERO).await;
        task.cancel();
        task.await
    });
    assert_eq!(outcome, Err(TaskError::Cancelled));
}

#[test]
fn a_task_cancelled_before_it_starts_never_runs() {
    let ran = Rc::new(Cell::new(false));
    let flag = ran.clone();
    let outcome = run(async move {
        let task = spawn(async move { flag.set(true) });
        assert!(task.cancel());
        task.await
    });
    assert_eq!(outcome, Err(TaskError::Cancelled));
    assert!(!ran.get());
}

#[test]
fn a_task_that_cancels_itself_stops_at_its_next_await() {
    let log = Log::default();
    let record = log.clone();
    run(async move {
        let me: Rc<RefCell<Option<cogen::rt::Task<()>>>> = Rc::default();
        let handle = me.clone();
        let inner = record.clone();
        let task = spawn(async move {
            inner.push("before");
            // The handle is this task's own: it arrives after the first await.
            sleep(Duration::ZERO).await;
            let own = handle.borrow_mut().take().unwrap();
            assert!(own.cancel());
            inner.push("still running until the next await");
            sleep(Duration::ZERO).await;
            inner.push("never");
        });
        *me.borrow_mut() = Some(task);
        // The task consumed its handle: its outcome is seen through the log. Each zero sleep
        // lets it take one turn (FIFO): enough turns for it to reach every line it could.
        for _ in 0..4 {
            sleep(Duration::ZERO).await;
        }
    });
    assert_eq!(log.take(), ["before", "still running until the next await"]);
}

#[test]
fn a_task_that_returns_after_being_cancelled_ends_cancelled() {
    // Python: a task whose cancel() was called ends cancelled even if it returns first.
    let outcome = run(async {
        let slot: Rc<RefCell<Option<cogen::rt::Task<i32>>>> = Rc::default();
        let own = slot.clone();
        let task = spawn(async move {
            sleep(Duration::ZERO).await;
            own.borrow().as_ref().unwrap().cancel();
            7
        });
        *slot.borrow_mut() = Some(task);
        // The handle stays in the slot until the task is done: it cancels through it.
        while !slot.borrow().as_ref().unwrap().done() {
            sleep(Duration::ZERO).await;
        }
        let task = slot.borrow_mut().take().unwrap();
        (task.cancelled(), task.await)
    });
    assert_eq!(outcome, (true, Err(TaskError::Cancelled)));
}

#[test]
fn a_panicking_task_reports_its_message_and_the_loop_goes_on() {
    let (failed, next) = run(async {
        let failed = spawn(async {
            sleep(Duration::ZERO).await;
            panic!("no flag for XX");
        });
        let outcome: Result<(), TaskError> = failed.await;
        let next = spawn(async { "still running" }).await;
        (outcome, next)
    });
    assert_eq!(failed, Err(TaskError::Panicked("no flag for XX".into())));
    assert_eq!(next, Ok("still running"));
}

#[test]
fn run_cancels_the_tasks_left_and_runs_their_cleanup() {
    let cleaned = Rc::new(Cell::new(false));
    let flag = cleaned.clone();
    run(async move {
        drop(spawn(async move {
            let _guard = DropGuard(flag);
            sleep(LONG).await;
        }));
        sleep(Duration::ZERO).await;
    });
    assert!(cleaned.get());
}

#[test]
fn dropping_an_event_loop_cancels_its_tasks_even_unstarted() {
    let cleaned = Rc::new(Cell::new(false));
    let event_loop = EventLoop::new();
    let ran = Rc::new(Cell::new(false));
    let (guard, flag) = (DropGuard(cleaned.clone()), ran.clone());
    let task = event_loop.spawn(async move {
        let _guard = guard;
        flag.set(true);
    });
    drop(task);
    drop(event_loop);
    // The future was dropped unrun: its captured guard went with it.
    assert!(cleaned.get());
    assert!(!ran.get());
}

#[test]
fn run_inside_a_running_loop_is_refused() {
    let refused = run(async {
        std::panic::catch_unwind(|| run(async {})).map_err(|payload| {
            payload
                .downcast_ref::<&str>()
                .map(|message| message.to_string())
                .unwrap_or_default()
        })
    });
    let message = refused.unwrap_err();
    assert!(
        message.starts_with("cannot run an event loop while another one is running"),
        "{message}"
    );
}

#[test]
#[should_panic(expected = "cogen::rt::spawn called outside an event loop")]
fn spawn_outside_a_loop_panics() {
    drop(spawn(async {}));
}

#[test]
fn debug_prints_asyncios_repr() {
    async fn spin() {
        sleep(LONG).await;
    }
    let reprs = run(async {
        let task = spawn(spin());
        let pending = format!("{task:?}");
        task.cancel();
        let cancelling = format!("{task:?}");
        sleep(Duration::ZERO).await;
        let cancelled = format!("{task:?}");
        let quick = spawn(async { 1 });
        sleep(Duration::ZERO).await;
        (pending, cancelling, cancelled, format!("{quick:?}"))
    });
    let name = |n: &str, state: &str| format!("<Task {state} name='Task-{n}' coro=<spin()>>");
    // Task-1 is the main future, as asyncio wraps it in a task.
    assert_eq!(reprs.0, name("2", "pending"));
    assert_eq!(reprs.1, name("2", "cancelling"));
    assert_eq!(reprs.2, name("2", "cancelled"));
    // An async block is named by the function it is written in.
    assert_eq!(
        reprs.3,
        "<Task finished name='Task-3' coro=<debug_prints_asyncios_repr()>>"
    );
}

#[test]
fn sleep_waits_and_a_zero_sleep_yields_once() {
    let started = Instant::now();
    run(sleep(Duration::from_millis(30)));
    assert!(started.elapsed() >= Duration::from_millis(30));

    let log = Log::default();
    let record = log.clone();
    run(async move {
        let inner = record.clone();
        let other = spawn(async move { inner.push("other task") });
        record.push("before sleep(0)");
        sleep(Duration::ZERO).await;
        record.push("after sleep(0)");
        other.await.unwrap();
    });
    assert_eq!(
        log.take(),
        ["before sleep(0)", "other task", "after sleep(0)"]
    );
}

#[test]
fn busy_tasks_do_not_starve_timers() {
    // A task that only ever yields keeps the ready queue full; the timer must still fire.
    let spins = Rc::new(Cell::new(0_u64));
    let counter = spins.clone();
    let outcome = run(async move {
        drop(spawn(async move {
            loop {
                counter.set(counter.get() + 1);
                sleep(Duration::ZERO).await;
            }
        }));
        timeout(Duration::from_millis(20), sleep(LONG)).await
    });
    assert_eq!(outcome, Err(TimeoutError));
    assert!(spins.get() > 0);
}

#[test]
fn timeout_gives_the_output_in_time_and_drops_the_future_when_late() {
    let cleaned = Rc::new(Cell::new(false));
    let flag = cleaned.clone();
    let (quick, slow, cleaned_at_timeout) = run(async move {
        let quick = timeout(Duration::from_secs(5), async { 42 }).await;
        let slow = timeout(Duration::from_millis(10), async move {
            let _guard = DropGuard(flag);
            sleep(LONG).await;
        })
        .await;
        (quick, slow, cleaned.get())
    });
    assert_eq!(quick, Ok(42));
    assert_eq!(slow, Err(TimeoutError));
    assert!(
        cleaned_at_timeout,
        "the inner future was dropped when time ran out"
    );
}

#[test]
fn durations_too_long_to_add_never_fire() {
    let (forever, never) = run(async {
        let forever = timeout(Duration::MAX, async { 1 }).await;
        let never = timeout(Duration::from_millis(5), sleep(Duration::MAX)).await;
        (forever, never)
    });
    assert_eq!(forever, Ok(1));
    assert_eq!(never, Err(TimeoutError));
}

#[test]
fn waiting_for_no_tasks_is_done_at_once() {
    let waited = run(wait(
        Vec::<cogen::rt::Task<()>>::new(),
        None,
        ReturnWhen::AllCompleted,
    ));
    assert!(waited.done.is_empty() && waited.not_done.is_empty());
}

#[test]
fn gather_gives_results_in_the_order_given() {
    let (results, order) = run(async {
        let log = Log::default();
        let futures = [40_u64, 10, 25, 0].map(|ms| {
            let log = log.clone();
            async move {
                sleep(Duration::from_millis(ms)).await;
                log.push(ms.to_string());
                ms * 2
            }
        });
        (gather(futures).await, log.take())
    });
    assert_eq!(results, [80, 20, 50, 0]);
    assert_eq!(order, ["0", "10", "25", "40"]);
    let empty: Vec<i32> = run(gather(Vec::<std::future::Ready<i32>>::new()));
    assert!(empty.is_empty());
}

#[test]
fn gather_polls_only_the_woken_futures() {
    // 1,000 futures, each polled once to start and at most once more when its timer fires:
    // at most 2,000 polls, not one poll of every future at every wake-up (about 500,000).
    let polls = Rc::new(Cell::new(0_usize));
    struct Counted<F> {
        inner: std::pin::Pin<Box<F>>,
        polls: Rc<Cell<usize>>,
    }
    impl<F: std::future::Future> std::future::Future for Counted<F> {
        type Output = F::Output;
        fn poll(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<F::Output> {
            self.polls.set(self.polls.get() + 1);
            self.inner.as_mut().poll(cx)
        }
    }
    let futures: Vec<_> = (0..1000_u64)
        .map(|n| Counted {
            inner: Box::pin(sleep(Duration::from_micros(n * 20))),
            polls: polls.clone(),
        })
        .collect();
    run(gather(futures));
    assert!(
        (1000..=2000).contains(&polls.get()),
        "{} polls",
        polls.get()
    );
}

#[test]
fn as_completed_yields_in_completion_order() {
    let order: Vec<u64> = run(as_completed([30_u64, 5, 15].map(|ms| async move {
        sleep(Duration::from_millis(ms)).await;
        ms
    }))
    .collect());
    assert_eq!(order, [5, 15, 30]);
}

#[test]
fn wait_returns_when_asked() {
    run(async {
        let delayed = |ms: u64| {
            spawn(async move {
                sleep(Duration::from_millis(ms)).await;
                ms
            })
        };
        // FIRST_COMPLETED: the quick one is done, the slow one is not and still runs.
        let Waited { done, not_done } = wait(
            [delayed(3_600_000), delayed(5)],
            None,
            ReturnWhen::FirstCompleted,
        )
        .await;
        assert_eq!((done.len(), not_done.len()), (1, 1));
        assert!(done[0].done() && !not_done[0].done());
        for task in done {
            assert_eq!(task.await, Ok(5));
        }
        assert!(not_done[0].cancel());

        // ALL_COMPLETED, the default: every task, in the order given.
        let Waited { done, not_done } =
            wait([delayed(20), delayed(1)], None, ReturnWhen::AllCompleted).await;
        assert!(not_done.is_empty());
        let mut results = Vec::new();
        for task in done {
            results.push(task.await.unwrap());
        }
        assert_eq!(results, [20, 1]);

        // A timeout: what is done and what is not, nothing cancelled.
        let Waited { done, not_done } = wait(
            [delayed(1), delayed(3_600_000)],
            Duration::from_millis(200),
            ReturnWhen::AllCompleted,
        )
        .await;
        assert_eq!((done.len(), not_done.len()), (1, 1));
        assert!(!not_done[0].done());
        not_done[0].cancel();
    });
}

#[test]
fn wait_first_exception_returns_at_the_first_panic() {
    run(async {
        let failing = spawn(async {
            sleep(Duration::from_millis(5)).await;
            panic!("raised");
        });
        let slow = spawn(async {
            sleep(LONG).await;
        });
        let Waited { done, not_done } =
            wait([slow, failing], None, ReturnWhen::FirstException).await;
        assert_eq!((done.len(), not_done.len()), (1, 1));
        for task in done {
            assert_eq!(task.await, Err(TaskError::Panicked("raised".into())));
        }
        // No panic: FIRST_EXCEPTION waits for all.
        let calm: Vec<_> = (0..3_u64)
            .map(|n| spawn(async move { sleep(Duration::from_millis(n)).await }))
            .collect();
        let waited = wait(calm, None, ReturnWhen::FirstException).await;
        assert_eq!((waited.done.len(), waited.not_done.len()), (3, 0));
        not_done[0].cancel();
    });
}

#[test]
fn run_in_executor_does_not_block_the_loop() {
    let pool = ThreadPoolExecutor::with_max_workers(2);
    let (started_tx, started_rx) = async_channel::bounded(1);
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let outcome = run(async {
        let blocking = run_in_executor(Some(&pool), move || {
            started_tx.send_blocking(()).unwrap();
            // Blocks a worker, never the loop: the loop must go on to release it.
            release_rx
                .recv_timeout(Duration::from_secs(30))
                .map(|()| "released")
        })
        .unwrap();
        let releaser = spawn(async move {
            started_rx.recv().await.unwrap();
            release_tx.send(()).unwrap();
        });
        releaser.await.unwrap();
        blocking.await
    });
    assert_eq!(outcome, Ok(Ok("released")));
    pool.shutdown(true, false);
    assert_eq!(
        run(async { run_in_executor(Some(&pool), || 1).map(drop) }),
        Err(cogen::pool::ShutdownError)
    );
}

#[test]
fn to_thread_runs_on_the_default_executor() {
    let (worker, panicked) = run(async {
        let worker = to_thread(|| thread::current().name().map(str::to_owned))
            .await
            .unwrap();
        let panicked = to_thread(|| -> u8 { panic!("in a thread") }).await;
        (worker, panicked)
    });
    assert!(
        worker.unwrap().starts_with("ThreadPoolExecutor-"),
        "a worker of the default executor"
    );
    assert_eq!(panicked, Err(FutureError::Panicked("in a thread".into())));
}

#[test]
fn tasks_woken_from_other_threads_run() {
    let (sender, receiver) = async_channel::unbounded();
    let received = run(async move {
        let consumer = spawn(async move {
            let mut received = Vec::new();
            while let Ok(n) = receiver.recv().await {
                received.push(n);
            }
            received
        });
        let producer = thread::spawn(move || {
            for n in 0..100 {
                sender.send_blocking(n).unwrap();
                if n % 10 == 0 {
                    thread::sleep(Duration::from_millis(1));
                }
            }
        });
        let received = consumer.await.unwrap();
        producer.join().unwrap();
        received
    });
    assert_eq!(received, (0..100).collect::<Vec<_>>());
}

#[test]
fn an_async_generator_is_a_stream_on_the_loop_with_asend_athrow_aclose() {
    let closed = Rc::new(Cell::new(false));
    let flag = closed.clone();
    run(async move {
        // Python: async def ticker(): for n in range(3): await asyncio.sleep(.001); yield n
        let ticker = Gen::new(|co| async move {
            for n in 0..3 {
                sleep(Duration::from_millis(1)).await;
                co.yield_(n).await;
            }
            "done"
        });
        let ticks: Vec<i32> = ticker.into_stream().collect().await;
        assert_eq!(ticks, [0, 1, 2]);

        // Python: async def averager(): total = 0; n = 0; while True: ...
        let mut averager = Gen::new(|co: Co<f64, f64>| async move {
            let _guard = DropGuard(flag);
            let (mut total, mut count) = (0.0, 0.0);
            loop {
                sleep(Duration::from_millis(1)).await;
                let average = if count > 0.0 { total / count } else { 0.0 };
                match co.yield_catching::<&str>(average).await {
                    Ok(value) => {
                        total += value;
                        count += 1.0;
                    }
                    Err(reset) => {
                        assert_eq!(reset, "reset");
                        (total, count) = (0.0, 0.0);
                    }
                }
            }
        });
        assert_eq!(averager.astart().await, Step::Yielded(0.0));
        assert_eq!(averager.asend(10.0).await, Ok(Step::Yielded(10.0)));
        assert_eq!(averager.asend(20.0).await, Ok(Step::Yielded(15.0)));
        assert_eq!(averager.athrow("reset").await, Ok(Step::Yielded(0.0)));
        assert_eq!(averager.asend(4.0).await, Ok(Step::Yielded(4.0)));
        averager.aclose().await;
        assert_eq!(averager.state(), GenState::Closed);
    });
    assert!(closed.get());
}

#[test]
fn generators_and_pool_futures_are_awaited_under_tokio() {
    let pool = ThreadPoolExecutor::with_max_workers(2);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let (items, value) = runtime.block_on(async {
        let ticker = Gen::new(|co| async move {
            for n in 0..3 {
                async_io::Timer::after(Duration::from_millis(1)).await;
                co.yield_(n).await;
            }
        });
        let items: Vec<u8> = ticker.into_stream().collect().await;
        let value = pool.submit(|| 6 * 7).unwrap().await;
        (items, value)
    });
    assert_eq!(items, [0, 1, 2]);
    assert_eq!(value, Ok(42));
}

#[test]
fn real_tcp_io_on_the_loop() {
    let (replies, served) = run(async {
        let listener = Async::<TcpListener>::bind(([127, 0, 0, 1], 0)).unwrap();
        let address = listener.get_ref().local_addr().unwrap();
        let server = spawn(async move {
            let mut served = 0;
            while served < 10 {
                let (mut stream, _) = listener.accept().await.unwrap();
                spawn(async move {
                    let mut request = [0; 5];
                    stream.read_exact(&mut request).await.unwrap();
                    sleep(Duration::from_millis(10)).await;
                    request.reverse();
                    stream.write_all(&request).await.unwrap();
                })
                .await
                .unwrap();
                served += 1;
            }
            served
        });
        let clients = (0..10).map(|n| async move {
            let mut stream = Async::<TcpStream>::connect(address).await.unwrap();
            stream
                .write_all(format!("abc{n:02}").as_bytes())
                .await
                .unwrap();
            let mut reply = String::new();
            stream.read_to_string(&mut reply).await.unwrap();
            reply
        });
        let replies = gather(clients).await;
        (replies, server.await.unwrap())
    });
    let expected: Vec<String> = (0..10)
        .map(|n| format!("abc{n:02}").chars().rev().collect())
        .collect();
    assert_eq!(replies, expected);
    assert_eq!(served, 10);
}

#[test]
fn a_blocking_std_socket_next_to_the_loop_still_works() {
    // A plain thread serving the loop's client: the loop waits on the socket, not the thread.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buffer = [0; 4];
        stream.read_exact(&mut buffer).unwrap();
        stream.write_all(b"pong").unwrap();
        count.fetch_add(1, Ordering::SeqCst);
    });
    let reply = run(async move {
        let mut stream = Async::<TcpStream>::connect(address).await.unwrap();
        stream.write_all(b"ping").await.unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).await.unwrap();
        reply
    });
    server.join().unwrap();
    assert_eq!(reply, "pong");
    assert_eq!(served.load(Ordering::SeqCst), 1);
}

#[test]
fn an_event_loop_dropped_inside_another_loops_task_closes() {
    let cleaned = Rc::new(Cell::new(false));
    let flag = cleaned.clone();
    run(async move {
        let inner = EventLoop::new();
        let guard = DropGuard(flag);
        drop(inner.spawn(async move {
            let _guard = guard;
            sleep(LONG).await;
        }));
        drop(inner);
        // The outer loop is the running one again.
        spawn(async {}).await.unwrap();
    });
    assert!(cleaned.get());
}

/// A panic payload of a type of the program's own (Python: a custom exception class).
#[derive(Debug)]
struct NoFlag {
    country: &'static str,
    /// Shared with the test, to tell the original payload from a copy (`Arc::ptr_eq`).
    token: Arc<()>,
}

/// Re-raises `failure` and catches it again: what the caller's caller sees.
fn re_raised(failure: cogen::rt::Panic) -> Box<dyn std::any::Any + Send> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| failure.resume_unwind())).unwrap_err()
}

#[test]
fn a_tasks_panic_payload_is_re_raised_as_it_was() {
    let token = Arc::new(());
    let payload = NoFlag {
        country: "XX",
        token: Arc::clone(&token),
    };
    let outcome: Result<(), TaskError> = run(async move {
        spawn(async move {
            sleep(Duration::ZERO).await;
            std::panic::panic_any(payload)
        })
        .await
    });
    let Err(TaskError::Panicked(failure)) = outcome else {
        panic!("the task did not panic: {outcome:?}")
    };
    assert_eq!(failure, "Box<dyn Any>");
    let original = re_raised(failure)
        .downcast::<NoFlag>()
        .expect("the task's own NoFlag");
    assert_eq!(original.country, "XX");
    assert!(Arc::ptr_eq(&original.token, &token), "not a copy");

    // A formatted `panic!` message comes back as the `String` it made.
    let country = String::from("YY");
    let outcome: Result<(), TaskError> =
        run(async { spawn(async move { panic!("no flag for {country}") }).await });
    let Err(TaskError::Panicked(failure)) = outcome else {
        panic!("the task did not panic")
    };
    assert_eq!(
        re_raised(failure)
            .downcast_ref::<String>()
            .map(String::as_str),
        Some("no flag for YY")
    );
}

#[test]
fn a_task_groups_failure_keeps_the_payload_and_shares_it_with_the_tasks_handle() {
    use cogen::rt::{GroupTask, TaskGroup};

    let token = Arc::new(());
    let payload = NoFlag {
        country: "ZZ",
        token: Arc::clone(&token),
    };
    let (group_error, handle_outcome) = run(async move {
        let kept: Rc<RefCell<Option<GroupTask<()>>>> = Rc::default();
        let keep = Rc::clone(&kept);
        let outcome = TaskGroup::scope(async move |group| {
            group.spawn(async { sleep(LONG).await });
            let failing = group.spawn(async move {
                sleep(Duration::ZERO).await;
                std::panic::panic_any(payload)
            });
            *keep.borrow_mut() = Some(failing);
        })
        .await;
        let handle = kept.borrow_mut().take().expect("the failing task's handle");
        (outcome.unwrap_err(), handle.await)
    });
    // The sleeping task was cancelled, which is no failure: one error, the panic.
    let mut errors = group_error.into_errors();
    assert_eq!(errors, [TaskError::Panicked("Box<dyn Any>".into())]);
    let Some(TaskError::Panicked(from_group)) = errors.pop() else {
        unreachable!()
    };
    let Err(TaskError::Panicked(from_handle)) = handle_outcome else {
        panic!("the handle gave {handle_outcome:?}")
    };
    assert_eq!(from_group, from_handle);
    // One payload for both: the group's error takes it first here.
    let original = re_raised(from_group)
        .downcast::<NoFlag>()
        .expect("the task's own NoFlag");
    assert_eq!(original.country, "ZZ");
    assert!(Arc::ptr_eq(&original.token, &token), "not a copy");
    assert!(
        !from_handle.has_payload(),
        "already taken through the group"
    );
    assert_eq!(
        re_raised(from_handle)
            .downcast_ref::<String>()
            .map(String::as_str),
        Some("Box<dyn Any>")
    );
}

#[test]
fn gather_with_return_exceptions_keeps_the_payload() {
    let token = Arc::new(());
    let payload = NoFlag {
        country: "QQ",
        token: Arc::clone(&token),
    };
    let (ok, failed) = run(async move {
        cogen::gather!(async { 1 }, async move {
            sleep(Duration::ZERO).await;
            std::panic::panic_any(payload)
        }; return_exceptions)
        .await
    });
    assert_eq!(ok, Ok(1));
    let Err::<(), _>(TaskError::Panicked(failure)) = failed else {
        panic!("the second did not panic")
    };
    let original = re_raised(failure)
        .downcast::<NoFlag>()
        .expect("the future's own NoFlag");
    assert!(Arc::ptr_eq(&original.token, &token), "not a copy");
}
