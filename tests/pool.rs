//! The thread-pool executor and its futures, one test per point of Python's
//! `concurrent.futures` model.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use cogen::pool::{
    FutureError, FutureState, PoolFuture, ReturnWhen, ShutdownError, ThreadPoolExecutor,
    as_completed, wait,
};

const LONG: Duration = Duration::from_secs(30);

/// A task that blocks until released, and tells when it has started.
struct Gate {
    started: mpsc::Receiver<()>,
    release: mpsc::Sender<()>,
}

fn gated<T: Send + 'static>(pool: &ThreadPoolExecutor, value: T) -> (PoolFuture<T>, Gate) {
    let (started_tx, started) = mpsc::channel();
    let (release, release_rx) = mpsc::channel::<()>();
    let future = pool
        .submit(move || {
            started_tx.send(()).unwrap();
            release_rx.recv().unwrap();
            value
        })
        .unwrap();
    (future, Gate { started, release })
}

impl Gate {
    fn wait_started(&self) {
        self.started
            .recv_timeout(LONG)
            .expect("the gated task did not start");
    }
    fn open(&self) {
        self.release.send(()).unwrap();
    }
}

#[test]
fn default_worker_count_is_cpythons() {
    let cpus = thread::available_parallelism().unwrap().get();
    assert_eq!(ThreadPoolExecutor::new().max_workers(), 32.min(cpus + 4));
    assert_eq!(
        ThreadPoolExecutor::default().max_workers(),
        32.min(cpus + 4)
    );
}

#[test]
#[should_panic(expected = "max_workers must be greater than 0")]
fn zero_workers_is_refused() {
    let _ = ThreadPoolExecutor::with_max_workers(0);
}

#[test]
fn a_fixed_number_of_workers_runs_at_most_that_many_tasks_at_once() {
    let pool = ThreadPoolExecutor::with_max_workers(3);
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let names = Arc::new(Mutex::new(HashSet::new()));
    let futures: Vec<_> = (0..24)
        .map(|_| {
            let (running, most, names) = (running.clone(), most.clone(), names.clone());
            pool.submit(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                names
                    .lock()
                    .unwrap()
                    .insert(thread::current().name().unwrap().to_string());
                thread::sleep(Duration::from_millis(5));
                running.fetch_sub(1, Ordering::SeqCst);
            })
            .unwrap()
        })
        .collect();
    for future in futures {
        future.join().unwrap();
    }
    assert_eq!(most.load(Ordering::SeqCst), 3);
    let names = names.lock().unwrap();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names
            .iter()
            .all(|name| name.starts_with("ThreadPoolExecutor-"))
    );
}

#[test]
fn submit_returns_at_once_while_every_worker_is_busy() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let (busy, gate) = gated(&pool, 1);
    gate.wait_started();
    // The only worker is blocked; submit must still hand back a pending future.
    let queued = pool.submit(|| 2).unwrap();
    assert_eq!(queued.state(), FutureState::Pending);
    gate.open();
    assert_eq!(busy.join(), Ok(1));
    assert_eq!(queued.join(), Ok(2));
}

#[test]
fn states_go_pending_running_finished() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let (first, first_gate) = gated(&pool, "first");
    let (second, second_gate) = gated(&pool, "second");
    first_gate.wait_started();
    assert_eq!(first.state(), FutureState::Running);
    assert!(first.running() && !first.done() && !first.cancelled());
    assert_eq!(second.state(), FutureState::Pending);
    assert!(!second.running() && !second.done());
    first_gate.open();
    second_gate.wait_started();
    assert_eq!(first.state(), FutureState::Finished);
    assert!(first.done() && !first.running() && !first.cancelled());
    assert_eq!(second.state(), FutureState::Running);
    second_gate.open();
    assert_eq!(second.result(LONG), Ok("second"));
    assert_eq!(second.state(), FutureState::Finished);
    assert_eq!(FutureState::Pending.to_string(), "PENDING");
    assert_eq!(FutureState::Running.to_string(), "RUNNING");
    assert_eq!(FutureState::Finished.to_string(), "FINISHED");
    assert_eq!(FutureState::Cancelled.to_string(), "CANCELLED");
}

#[test]
fn cancel_succeeds_only_while_pending_and_a_cancelled_task_never_runs() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let ran = Arc::new(AtomicUsize::new(0));
    let (running, gate) = gated(&pool, ());
    gate.wait_started();
    let counter = ran.clone();
    let queued = pool
        .submit(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
    assert!(!running.cancel(), "a running task cannot be cancelled");
    assert!(queued.cancel());
    assert!(
        queued.cancel(),
        "cancelling again still reports cancelled, as Python does"
    );
    assert_eq!(queued.state(), FutureState::Cancelled);
    assert!(queued.cancelled() && queued.done() && !queued.running());
    gate.open();
    running.result(LONG).unwrap();
    assert!(!running.cancel(), "a finished task cannot be cancelled");
    assert_eq!(running.state(), FutureState::Finished);
    // Let the worker reach the cancelled task in the queue and skip it.
    pool.shutdown(true, false);
    assert_eq!(ran.load(Ordering::SeqCst), 0);
    assert_eq!(queued.result(None), Err(FutureError::Cancelled));
    assert_eq!(queued.join(), Err(FutureError::Cancelled));
}

#[test]
fn result_gives_the_value_again_and_again() {
    let pool = ThreadPoolExecutor::with_max_workers(2);
    let future = pool
        .submit(|| vec![String::from("a"), String::from("b")])
        .unwrap();
    assert_eq!(future.result(LONG).unwrap(), ["a", "b"]);
    assert_eq!(future.result(None).unwrap(), ["a", "b"]);
    assert_eq!(future.result(Duration::ZERO).unwrap(), ["a", "b"]);
    assert_eq!(future.join().unwrap(), ["a", "b"]);
}

#[test]
fn result_times_out_and_the_task_goes_on() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let (future, gate) = gated(&pool, 7);
    gate.wait_started();
    assert_eq!(
        future.result(Duration::from_millis(20)),
        Err(FutureError::TimedOut)
    );
    assert_eq!(future.result(Duration::ZERO), Err(FutureError::TimedOut));
    assert_eq!(future.state(), FutureState::Running);
    gate.open();
    assert_eq!(future.result(LONG), Ok(7));
    assert_eq!(
        FutureError::TimedOut.to_string(),
        "timed out waiting for the task"
    );
}

#[test]
fn a_panicking_task_reports_its_message() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let literal = pool.submit(|| -> u8 { panic!("static message") }).unwrap();
    let formatted = pool
        .submit(|| -> u8 { panic!("formatted {}", 42) })
        .unwrap();
    let opaque = pool
        .submit(|| -> u8 { std::panic::panic_any(17_i32) })
        .unwrap();
    assert_eq!(
        literal.result(LONG),
        Err(FutureError::Panicked("static message".into()))
    );
    assert_eq!(
        formatted.result(LONG),
        Err(FutureError::Panicked("formatted 42".into()))
    );
    assert_eq!(
        opaque.result(LONG),
        Err(FutureError::Panicked("Box<dyn Any>".into()))
    );
    assert_eq!(literal.state(), FutureState::Finished);
    assert_eq!(
        formatted.join().unwrap_err().to_string(),
        "the task panicked: formatted 42"
    );
}

#[test]
fn a_panicking_task_never_takes_a_worker_down() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let names: Vec<_> = (0..5)
        .map(|n| {
            pool.submit(move || {
                if n % 2 == 0 {
                    panic!("task {n} fails");
                }
                thread::current().name().unwrap().to_string()
            })
            .unwrap()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(PoolFuture::join)
        .collect();
    assert!(matches!(&names[0], Err(FutureError::Panicked(m)) if m == "task 0 fails"));
    assert!(matches!(&names[4], Err(FutureError::Panicked(m)) if m == "task 4 fails"));
    // The same single worker ran the tasks after the panics.
    assert_eq!(names[1], names[3]);
    assert!(
        names[1]
            .as_ref()
            .unwrap()
            .starts_with("ThreadPoolExecutor-")
    );
}

#[test]
fn done_callbacks_run_once_in_order_after_completion() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let (future, gate) = gated(&pool, 5);
    let calls = Arc::new(Mutex::new(Vec::new()));
    for tag in ["first", "second"] {
        let calls = calls.clone();
        future.add_done_callback(move |done| {
            calls.lock().unwrap().push((
                tag,
                done.result(None),
                thread::current().name().map(str::to_owned),
            ));
        });
    }
    gate.wait_started();
    assert!(
        calls.lock().unwrap().is_empty(),
        "callbacks wait for completion"
    );
    gate.open();
    future.result(LONG).unwrap();
    pool.shutdown(true, false); // the callbacks ran on the worker before it exited
    let calls = calls.lock().unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!((calls[0].0, &calls[0].1), ("first", &Ok(5)));
    assert_eq!((calls[1].0, &calls[1].1), ("second", &Ok(5)));
    assert!(
        calls[0]
            .2
            .as_deref()
            .unwrap()
            .starts_with("ThreadPoolExecutor-")
    );
}

#[test]
fn a_done_callback_added_late_runs_at_once_on_the_caller() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let future = pool.submit(|| 3).unwrap();
    future.result(LONG).unwrap();
    let caller = thread::current().id();
    let ran_on = Arc::new(Mutex::new(None));
    let record = ran_on.clone();
    future.add_done_callback(move |done| {
        *record.lock().unwrap() = Some((thread::current().id(), done.result(None)));
    });
    assert_eq!(*ran_on.lock().unwrap(), Some((caller, Ok(3))));
}

#[test]
fn done_callbacks_run_on_cancel_and_survive_a_panicking_one() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let (busy, gate) = gated(&pool, ());
    gate.wait_started();
    let queued = pool.submit(|| 1).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    queued.add_done_callback(|_| panic!("a callback that fails"));
    let record = seen.clone();
    queued.add_done_callback(move |done| record.lock().unwrap().push(done.state()));
    assert!(queued.cancel());
    assert_eq!(*seen.lock().unwrap(), [FutureState::Cancelled]);
    assert!(queued.cancel());
    assert_eq!(seen.lock().unwrap().len(), 1, "callbacks run once");
    gate.open();
    busy.join().unwrap();
}

#[test]
fn join_and_await_wait_for_the_done_callbacks_reading_the_value() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    for awaited in [false, true] {
        let (future, gate) = gated(&pool, String::from("flag"));
        let (in_callback, callback_entered) = mpsc::channel();
        let (release_callback, callback_released) = mpsc::channel::<()>();
        let seen = Arc::new(Mutex::new(None));
        let record = seen.clone();
        future.add_done_callback(move |done| {
            in_callback.send(()).unwrap();
            callback_released.recv().unwrap();
            *record.lock().unwrap() = Some(done.result(None));
        });
        gate.wait_started();
        gate.open();
        callback_entered.recv_timeout(LONG).unwrap();
        // The task is finished and its callback holds on: joining or awaiting now must not
        // move the value out from under it.
        let (joined_tx, joined) = mpsc::channel();
        let joiner = thread::spawn(move || {
            let outcome = if awaited {
                futures_lite::future::block_on(future)
            } else {
                future.join()
            };
            joined_tx.send(outcome).unwrap();
        });
        assert_eq!(
            joined.recv_timeout(Duration::from_millis(50)),
            Err(mpsc::RecvTimeoutError::Timeout),
            "the value was taken while a done callback ran"
        );
        release_callback.send(()).unwrap();
        assert_eq!(joined.recv_timeout(LONG), Ok(Ok(String::from("flag"))));
        joiner.join().unwrap();
        assert_eq!(*seen.lock().unwrap(), Some(Ok(String::from("flag"))));
    }
}

#[test]
fn debug_prints_cpythons_repr() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let (running, gate) = gated(&pool, 1_i32);
    let pending = pool.submit(|| String::from("x")).unwrap();
    let cancelled = pool.submit(|| 0_u8).unwrap();
    gate.wait_started();
    assert_eq!(format!("{running:?}"), "<Future state=running>");
    assert_eq!(format!("{pending:?}"), "<Future state=pending>");
    assert!(cancelled.cancel());
    assert_eq!(format!("{cancelled:?}"), "<Future state=cancelled>");
    gate.open();
    running.result(LONG).unwrap();
    pending.result(LONG).unwrap();
    assert_eq!(
        format!("{running:?}"),
        "<Future state=finished returned i32>"
    );
    assert_eq!(
        format!("{pending:?}"),
        "<Future state=finished returned String>"
    );
    let raised = pool.submit(|| -> Vec<u8> { panic!("no") }).unwrap();
    let _ = raised.result(LONG);
    assert_eq!(
        format!("{raised:?}"),
        "<Future state=finished raised panic>"
    );
}

/// Counts wake-ups, so a test can see the worker wake the awaiting task.
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn awaiting_a_future_parks_no_thread_and_is_woken_by_the_worker() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let (mut future, gate) = gated(&pool, 99_u64);
    let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);
    // The poll returns at once: nothing blocks while the task runs.
    assert_eq!(Pin::new(&mut future).poll(&mut cx), Poll::Pending);
    assert_eq!(Pin::new(&mut future).poll(&mut cx), Poll::Pending);
    gate.wait_started();
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
    gate.open();
    // The worker's completion is the only thing that can wake us.
    let deadline = std::time::Instant::now() + LONG;
    while counter.0.load(Ordering::SeqCst) == 0 {
        assert!(std::time::Instant::now() < deadline, "never woken");
        thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
    assert_eq!(Pin::new(&mut future).poll(&mut cx), Poll::Ready(Ok(99)));
}

#[test]
fn futures_are_awaited_from_async_code() {
    let pool = ThreadPoolExecutor::with_max_workers(2);
    let a = pool.submit(|| 20).unwrap();
    let b = pool.submit(|| 22).unwrap();
    let failing = pool.submit(|| -> i32 { panic!("inside") }).unwrap();
    let total = futures_lite::future::block_on(async move {
        let sum = a.await.unwrap() + b.await.unwrap();
        (sum, failing.await)
    });
    assert_eq!(total, (42, Err(FutureError::Panicked("inside".into()))));
}

#[test]
fn wait_first_completed_returns_while_others_still_run() {
    let pool = ThreadPoolExecutor::with_max_workers(3);
    let (slow, slow_gate) = gated(&pool, "slow");
    let (quick, quick_gate) = gated(&pool, "quick");
    slow_gate.wait_started();
    quick_gate.wait_started();
    quick_gate.open();
    let waited = wait([slow, quick], LONG, ReturnWhen::FirstCompleted);
    assert_eq!(waited.done.len(), 1);
    assert_eq!(waited.not_done.len(), 1);
    assert_eq!(waited.done[0].result(None), Ok("quick"));
    assert!(waited.not_done[0].running());
    slow_gate.open();
    let all = wait(waited.not_done, LONG, ReturnWhen::AllCompleted);
    assert_eq!(all.done.len(), 1);
}

#[test]
fn wait_first_exception_returns_at_the_first_panic() {
    let pool = ThreadPoolExecutor::with_max_workers(3);
    let (slow, gate) = gated(&pool, 0);
    gate.wait_started();
    let ok = pool.submit(|| 1).unwrap();
    ok.result(LONG).unwrap();
    let failing = pool
        .submit(|| -> i32 { panic!("first exception") })
        .unwrap();
    let futures = [slow, ok, failing];
    let waited = wait(&futures, LONG, ReturnWhen::FirstException);
    assert_eq!(waited.done.len(), 2);
    assert!(std::ptr::eq(waited.not_done[0], &futures[0]));
    // With no panic at all, FIRST_EXCEPTION waits for everything (ALL_COMPLETED).
    let calm: Vec<_> = (0..4).map(|n| pool.submit(move || n).unwrap()).collect();
    let waited = wait(&calm, LONG, ReturnWhen::FirstException);
    assert_eq!((waited.done.len(), waited.not_done.len()), (4, 0));
    gate.open();
}

#[test]
fn wait_all_completed_and_timeout() {
    let pool = ThreadPoolExecutor::with_max_workers(2);
    let (stuck, gate) = gated(&pool, ());
    let quick: Vec<_> = (0..5).map(|n| pool.submit(move || n).unwrap()).collect();
    gate.wait_started();
    let waited = wait(&quick, LONG, ReturnWhen::AllCompleted);
    assert_eq!((waited.done.len(), waited.not_done.len()), (5, 0));
    // Done keeps the input order.
    let order: Vec<i32> = waited
        .done
        .iter()
        .map(|f| f.result(None).unwrap())
        .collect();
    assert_eq!(order, [0, 1, 2, 3, 4]);
    // A timeout is not an error: what is still running is in not_done.
    let waited = wait(
        [&stuck],
        Duration::from_millis(20),
        ReturnWhen::AllCompleted,
    );
    assert_eq!((waited.done.len(), waited.not_done.len()), (0, 1));
    let waited = wait([&stuck], Duration::ZERO, ReturnWhen::FirstCompleted);
    assert_eq!(waited.not_done.len(), 1);
    gate.open();
    stuck.join().unwrap();
    // Nothing to wait for returns at once.
    let nothing: Vec<PoolFuture<()>> = Vec::new();
    let waited = wait(nothing, None, ReturnWhen::AllCompleted);
    assert!(waited.done.is_empty() && waited.not_done.is_empty());
}

#[test]
fn wait_and_as_completed_count_duplicates_once() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let future = pool.submit(|| 1).unwrap();
    let waited = wait([&future, &future, &future], LONG, ReturnWhen::AllCompleted);
    assert_eq!(waited.done.len(), 1);
    let yielded: Vec<_> = as_completed([&future, &future], LONG).collect();
    assert_eq!(yielded.len(), 1);
}

#[test]
fn a_cancelled_future_counts_as_done_at_once() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let (busy, gate) = gated(&pool, ());
    gate.wait_started();
    let queued = pool.submit(|| ()).unwrap();
    let watcher = thread::scope(|scope| {
        let waiting = scope.spawn(|| wait([&queued], LONG, ReturnWhen::FirstCompleted).done.len());
        thread::sleep(Duration::from_millis(20));
        assert!(queued.cancel());
        waiting.join().unwrap()
    });
    assert_eq!(watcher, 1);
    gate.open();
    busy.join().unwrap();
}

#[test]
fn as_completed_yields_in_completion_order_each_once() {
    let pool = ThreadPoolExecutor::with_max_workers(4);
    let gated: Vec<_> = (0..4).map(|n| gated(&pool, n)).collect();
    let (futures, gates): (Vec<_>, Vec<_>) = gated.into_iter().unzip();
    for gate in &gates {
        gate.wait_started();
    }
    let finish_order = [2, 0, 3, 1];
    let mut completed = as_completed(futures, LONG);
    assert_eq!(completed.len(), 4);
    let mut yielded = Vec::new();
    for &n in &finish_order {
        gates[n].open();
        let future = completed.next().unwrap().unwrap();
        yielded.push(future.join().unwrap());
    }
    assert!(completed.next().is_none());
    assert!(completed.next().is_none());
    assert_eq!(yielded, finish_order);
}

#[test]
fn as_completed_yields_what_is_already_done_first_in_the_given_order() {
    let pool = ThreadPoolExecutor::with_max_workers(2);
    let (running, gate) = gated(&pool, 100);
    let done: Vec<_> = (0..3).map(|n| pool.submit(move || n).unwrap()).collect();
    wait(&done, LONG, ReturnWhen::AllCompleted);
    let mut all = vec![running];
    all.extend(done);
    let mut completed = as_completed(all, LONG);
    let first: Vec<i32> = (0..3)
        .map(|_| completed.next().unwrap().unwrap().join().unwrap())
        .collect();
    assert_eq!(first, [0, 1, 2]);
    gate.open();
    assert_eq!(completed.next().unwrap().unwrap().join(), Ok(100));
}

#[test]
fn as_completed_timeout_hands_back_the_unfinished() {
    let pool = ThreadPoolExecutor::with_max_workers(2);
    let (stuck, gate) = gated(&pool, "late");
    let quick = pool.submit(|| "early").unwrap();
    let mut completed = as_completed([stuck, quick], Duration::from_millis(200));
    assert_eq!(completed.next().unwrap().unwrap().join(), Ok("early"));
    let timeout = completed.next().unwrap().unwrap_err();
    assert_eq!(timeout.to_string(), "1 (of 2) futures unfinished");
    assert!(
        completed.next().is_none(),
        "the iterator ends after the timeout"
    );
    let stuck = timeout.into_unfinished().pop().unwrap();
    gate.open();
    assert_eq!(stuck.join(), Ok("late"));
}

/// CPU time this thread has used, from /proc (Linux), in clock ticks.
#[cfg(target_os = "linux")]
fn thread_cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
    // Fields after the command name (which is in parentheses): utime is the 14th, stime the
    // 15th field of the whole line.
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// A blocked `wait`/`as_completed`/`result` sleeps until a completion: over half a second of
/// waiting it uses (next to) no CPU, where a polling loop would use all of it.
#[cfg(target_os = "linux")]
#[test]
fn waiting_threads_sleep_instead_of_polling() {
    let pool = ThreadPoolExecutor::with_max_workers(3);
    let (a, gate_a) = gated(&pool, 1);
    let (b, gate_b) = gated(&pool, 2);
    let (c, gate_c) = gated(&pool, 3);
    let futures = [a, b, c];
    let (ticks, completed) = thread::scope(|scope| {
        let waiting = scope.spawn(|| {
            let before = thread_cpu_ticks();
            let waited = wait(&futures, LONG, ReturnWhen::FirstCompleted).done.len();
            let order: Vec<i32> = as_completed(&futures, LONG)
                .map(|f| f.unwrap().result(None).unwrap())
                .collect();
            let value = futures[2].result(LONG).unwrap();
            (thread_cpu_ticks() - before, (waited, order, value))
        });
        for gate in [&gate_a, &gate_b, &gate_c] {
            gate.wait_started();
            thread::sleep(Duration::from_millis(200));
            gate.open();
        }
        waiting.join().unwrap()
    });
    assert_eq!(completed.0, 1);
    assert_eq!(completed.1, [1, 2, 3]);
    assert_eq!(completed.2, 3);
    // 600 ms of waiting; at 100 ticks per second a polling loop would use about 60 ticks.
    assert!(ticks <= 5, "the waiting thread used {ticks} ticks of CPU");
}

#[test]
fn map_keeps_input_order_whatever_the_finishing_order() {
    let pool = ThreadPoolExecutor::with_max_workers(4);
    let naps = [40_u64, 0, 25, 5, 0, 15, 30, 0];
    let results: Vec<u64> = pool
        .map(
            |ms: u64| {
                thread::sleep(Duration::from_millis(ms));
                ms
            },
            naps,
        )
        .map(Result::unwrap)
        .collect();
    assert_eq!(results, naps);
}

#[test]
fn map_is_lazy_over_an_endless_generator_with_a_bounded_number_in_flight() {
    let pool = ThreadPoolExecutor::with_max_workers(2);
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = pulled.clone();
    let naturals = cogen::Gen::new(move |co| async move {
        let mut n = 0_u64;
        loop {
            counter.fetch_add(1, Ordering::SeqCst);
            co.yield_(n).await;
            n += 1;
        }
    });
    let mut squares = pool.map_buffered(|n: u64| n * n, naturals, 3);
    assert_eq!(
        pulled.load(Ordering::SeqCst),
        3,
        "map starts its first tasks at once"
    );
    let first: Vec<u64> = squares.by_ref().take(10).map(Result::unwrap).collect();
    assert_eq!(first, [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
    // Ten taken, three in flight: never more pulled from the endless source.
    assert_eq!(pulled.load(Ordering::SeqCst), 13);
    assert_eq!(squares.size_hint().0, 3);
}

#[test]
fn map_reports_a_panic_per_item_and_goes_on() {
    let pool = ThreadPoolExecutor::with_max_workers(2);
    let results: Vec<_> = pool.map(|n: i32| 12 / n, [4, 0, 3]).collect();
    assert_eq!(results[0], Ok(3));
    assert!(
        matches!(&results[1], Err(FutureError::Panicked(m)) if m.message().contains("divide by zero"))
    );
    assert_eq!(results[2], Ok(4));
}

#[test]
fn map_timeout_counts_from_the_call_and_cancels_the_rest() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let ran = Arc::new(AtomicUsize::new(0));
    let counter = ran.clone();
    let results: Vec<_> = pool
        .map(
            move |ms: u64| {
                counter.fetch_add(1, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(ms));
                ms
            },
            [0, 300, 0, 0],
        )
        .timeout(Duration::from_millis(100))
        .collect();
    assert_eq!(results, [Ok(0), Err(FutureError::TimedOut)]);
    pool.shutdown(true, false);
    // The two tasks queued behind the slow one were cancelled, never run.
    assert_eq!(ran.load(Ordering::SeqCst), 2);
}

#[test]
fn dropping_a_map_cancels_its_queued_tasks() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let (busy, gate) = gated(&pool, ());
    gate.wait_started();
    let ran = Arc::new(AtomicUsize::new(0));
    let counter = ran.clone();
    let map = pool.map_buffered(
        move |_: u32| {
            counter.fetch_add(1, Ordering::SeqCst);
        },
        0..,
        5,
    );
    drop(map);
    gate.open();
    busy.join().unwrap();
    pool.shutdown(true, false);
    assert_eq!(ran.load(Ordering::SeqCst), 0);
}

#[test]
fn map_unordered_yields_in_completion_order() {
    let pool = ThreadPoolExecutor::with_max_workers(3);
    let order: Vec<u64> = pool
        .map_unordered(
            |ms: u64| {
                thread::sleep(Duration::from_millis(ms));
                ms
            },
            [300, 150, 0],
        )
        .map(Result::unwrap)
        .collect();
    assert_eq!(order, [0, 150, 300]);
    let mut all: Vec<u32> = pool
        .map_unordered_buffered(|n: u32| n, 0..1000, 7)
        .map(Result::unwrap)
        .collect();
    all.sort_unstable();
    assert_eq!(all, (0..1000).collect::<Vec<_>>());
}

#[test]
fn map_after_shutdown_reports_it_once() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    pool.shutdown(true, false);
    let results: Vec<_> = pool.map(|n: i32| n, 0..).collect();
    assert_eq!(results, [Err(FutureError::Shutdown)]);
    let results: Vec<_> = pool.map_unordered(|n: i32| n, 0..).collect();
    assert_eq!(results, [Err(FutureError::Shutdown)]);
}

#[test]
fn shutdown_waits_for_queued_tasks_unless_they_are_cancelled() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let ran = Arc::new(AtomicUsize::new(0));
    let futures: Vec<_> = (0..10)
        .map(|_| {
            let ran = ran.clone();
            pool.submit(move || {
                thread::sleep(Duration::from_millis(2));
                ran.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap()
        })
        .collect();
    pool.shutdown(true, false);
    assert_eq!(ran.load(Ordering::SeqCst), 10);
    assert!(futures.iter().all(|f| f.state() == FutureState::Finished));
    assert_eq!(pool.submit(|| ()).unwrap_err(), ShutdownError);
    assert_eq!(
        ShutdownError.to_string(),
        "cannot schedule new futures after shutdown"
    );
    pool.shutdown(true, true); // again: harmless

    let pool = ThreadPoolExecutor::with_max_workers(1);
    let (busy, gate) = gated(&pool, ());
    gate.wait_started();
    let queued: Vec<_> = (0..5).map(|n| pool.submit(move || n).unwrap()).collect();
    pool.shutdown(false, true);
    assert!(queued.iter().all(PoolFuture::cancelled));
    gate.open();
    busy.join().unwrap();
}

#[test]
fn dropping_the_executor_shuts_down_and_waits() {
    let ran = Arc::new(AtomicUsize::new(0));
    let futures: Vec<_> = {
        let pool = ThreadPoolExecutor::with_max_workers(2);
        (0..20)
            .map(|_| {
                let ran = ran.clone();
                pool.submit(move || {
                    thread::sleep(Duration::from_millis(1));
                    ran.fetch_add(1, Ordering::SeqCst);
                })
                .unwrap()
            })
            .collect()
        // `pool` drops here: Python's `with` block ends.
    };
    assert_eq!(ran.load(Ordering::SeqCst), 20);
    assert!(futures.iter().all(|f| f.state() == FutureState::Finished));
}

#[test]
fn shutdown_from_inside_a_task_does_not_wait_for_itself() {
    let pool = Arc::new(ThreadPoolExecutor::with_max_workers(2));
    let inner = pool.clone();
    let barrier = Arc::new(Barrier::new(2));
    let other = barrier.clone();
    let sibling = pool
        .submit(move || {
            other.wait();
            "sibling"
        })
        .unwrap();
    let shutting = pool
        .submit(move || {
            barrier.wait();
            inner.shutdown(true, false);
            "shut down"
        })
        .unwrap();
    assert_eq!(shutting.result(LONG), Ok("shut down"));
    assert_eq!(sibling.result(LONG), Ok("sibling"));
    assert!(pool.submit(|| ()).is_err());
}

#[test]
fn two_tasks_shutting_down_at_once_do_not_wait_for_each_other() {
    let pool = Arc::new(ThreadPoolExecutor::with_max_workers(3));
    let barrier = Arc::new(Barrier::new(2));
    let shutters: Vec<_> = (0..2)
        .map(|n| {
            let (inner, barrier) = (pool.clone(), barrier.clone());
            pool.submit(move || {
                barrier.wait();
                inner.shutdown(true, false);
                n
            })
            .unwrap()
        })
        .collect();
    let results: Vec<_> = shutters.into_iter().map(|f| f.result(LONG)).collect();
    assert_eq!(results, [Ok(0), Ok(1)]);
    assert!(pool.submit(|| ()).is_err());
}

#[test]
fn submit_from_inside_a_task() {
    let pool = Arc::new(ThreadPoolExecutor::with_max_workers(2));
    let inner = pool.clone();
    let outer = pool
        .submit(move || inner.submit(|| 21 * 2).unwrap().join().unwrap())
        .unwrap();
    assert_eq!(outer.join(), Ok(42));
}

#[test]
fn handles_and_executor_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<ThreadPoolExecutor>();
    send_sync::<PoolFuture<String>>();
    send_sync::<FutureError>();
    // A future can be handed to another thread and read there.
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let future = pool.submit(|| 5).unwrap();
    assert_eq!(thread::spawn(move || future.join()).join().unwrap(), Ok(5));
}

/// A panic payload of a type of the program's own: what Python's custom exception class is.
#[derive(Debug)]
struct BadInput {
    code: u32,
    /// Shared with the test, to tell the original payload from a copy (`Arc::ptr_eq`).
    token: Arc<()>,
}

#[test]
fn a_tasks_panic_payload_is_re_raised_as_it_was() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let token = Arc::new(());
    let payload = BadInput {
        code: 7,
        token: Arc::clone(&token),
    };
    let future = pool
        .submit(move || -> u8 { std::panic::panic_any(payload) })
        .unwrap();
    let Err(FutureError::Panicked(failure)) = future.join() else {
        panic!("the task did not panic")
    };
    assert_eq!(failure, "Box<dyn Any>");
    assert!(failure.has_payload());
    // Python: `try: future.result() except BadInput as e: ...`, re-raised in the caller.
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| failure.resume_unwind()))
        .unwrap_err();
    let original = caught
        .downcast::<BadInput>()
        .expect("the re-raised payload is the task's own BadInput");
    assert_eq!(original.code, 7);
    assert!(Arc::ptr_eq(&original.token, &token), "not a copy");

    // A message payload comes back as what `panic!` made: a `&str` or a `String`.
    let literal = pool.submit(|| -> u8 { panic!("static") }).unwrap();
    let n = 42; // a value known at run time only: `panic!` formats a `String`
    let formatted = pool.submit(move || -> u8 { panic!("task {n}") }).unwrap();
    let Err(FutureError::Panicked(literal)) = literal.join() else {
        panic!("no panic")
    };
    let Err(FutureError::Panicked(formatted)) = formatted.join() else {
        panic!("no panic")
    };
    let literal = std::panic::catch_unwind(|| literal.resume_unwind()).unwrap_err();
    let formatted = std::panic::catch_unwind(|| formatted.resume_unwind()).unwrap_err();
    assert_eq!(literal.downcast_ref::<&str>(), Some(&"static"));
    assert_eq!(
        formatted.downcast_ref::<String>().map(String::as_str),
        Some("task 42")
    );
}

#[test]
fn the_first_caller_of_result_to_take_the_payload_owns_it() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let token = Arc::new(());
    let payload = BadInput {
        code: 1,
        token: Arc::clone(&token),
    };
    let future = pool
        .submit(move || -> u8 { std::panic::panic_any(payload) })
        .unwrap();
    let (Err(FutureError::Panicked(first)), Err(FutureError::Panicked(second))) =
        (future.result(LONG), future.result(LONG))
    else {
        panic!("the task did not panic")
    };
    assert_eq!(first, second);
    // Neither has taken it yet: both see it.
    assert!(first.has_payload() && second.has_payload());
    let owned = second.take_payload().expect("the first to take it gets it");
    assert!(Arc::ptr_eq(
        &owned.downcast::<BadInput>().unwrap().token,
        &token
    ));
    assert!(first.take_payload().is_none());
    // The error the future keeps shares it too: `join` gets the message only, and re-raising
    // it raises the message as a `String`.
    let Err(FutureError::Panicked(last)) = future.join() else {
        panic!("the task did not panic")
    };
    assert!(!last.has_payload());
    let caught = std::panic::catch_unwind(|| last.resume_unwind()).unwrap_err();
    assert_eq!(
        caught.downcast_ref::<String>().map(String::as_str),
        Some("Box<dyn Any>")
    );
}

#[test]
fn a_payload_nobody_takes_is_dropped_with_the_last_error() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let token = Arc::new(());
    let payload = BadInput {
        code: 2,
        token: Arc::clone(&token),
    };
    let future = pool
        .submit(move || -> u8 { std::panic::panic_any(payload) })
        .unwrap();
    let error = future.result(LONG).unwrap_err();
    assert_eq!(
        Arc::strong_count(&token),
        2,
        "the future and its error keep it"
    );
    drop(future);
    // The worker lets go of the task's shared state only after the future is done: wait for it.
    pool.shutdown(true, false);
    assert_eq!(Arc::strong_count(&token), 2, "the error still holds it");
    drop(error);
    assert_eq!(Arc::strong_count(&token), 1, "dropped with the last holder");
}

#[test]
fn a_panicking_item_of_map_keeps_its_payload() {
    let pool = ThreadPoolExecutor::with_max_workers(2);
    let results: Vec<Result<u32, FutureError>> = pool
        .map(
            |n: u32| {
                if n == 2 {
                    std::panic::panic_any(n * 100);
                }
                n
            },
            1..=3,
        )
        .collect();
    assert_eq!(results[0], Ok(1));
    assert_eq!(results[2], Ok(3));
    let Err(FutureError::Panicked(failure)) = &results[1] else {
        panic!("item 2 did not panic")
    };
    let payload = failure
        .take_payload()
        .expect("a thread pool keeps the payload");
    assert_eq!(payload.downcast_ref::<u32>(), Some(&200));
}
