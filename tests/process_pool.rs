//! The process pool: Python's `ProcessPoolExecutor` semantics, crash isolation, the wire
//! protocol's defences, and no worker left behind.
#![cfg(all(feature = "process", unix))]

use std::collections::HashSet;
use std::time::{Duration, Instant};

use cogen::pool::{
    Executor, FutureError, FutureState, ProcessPoolExecutor, Registry, ReturnWhen, SubmitError,
    Task, ThreadPoolExecutor, as_completed, wait,
};

mod common;

fn square(n: u64) -> u64 {
    n * n
}
fn pid(_: ()) -> u32 {
    std::process::id()
}
fn nap(ms: u64) -> u64 {
    std::thread::sleep(Duration::from_millis(ms));
    ms
}
/// Keeps a worker busy until the file at `path` exists (the test creates it to let go), or a
/// minute has passed: a wait that does not depend on how fast the machine is.
fn hold(path: String) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        if std::path::Path::new(&path).exists() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}
fn snooze(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}
fn fail(message: String) -> u8 {
    panic!("{message}")
}
fn abort(_: ()) {
    std::process::abort()
}
fn exit(code: i32) {
    std::process::exit(code)
}
fn segfault(_: ()) {
    // Rust's own SIGSEGV handler (for stack overflows) resets the default action and
    // returns on a signal that is not a fault: the second one kills, as a real fault would.
    let pid = rustix::process::getpid();
    for _ in 0..2 {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::SEGV);
        std::thread::sleep(Duration::from_millis(100));
    }
}
/// A task that runs a process pool of its own (its workers are grandchildren).
fn nested(n: u64) -> u64 {
    let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    pool.submit(SQUARE, n).unwrap().join().unwrap() + 1
}
fn checked_div((a, b): (i64, i64)) -> Result<i64, String> {
    a.checked_div(b)
        .ok_or_else(|| format!("{a} / {b}: division by zero"))
}

static INITIALIZED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
fn initialize(by: u32) {
    INITIALIZED.fetch_add(by, std::sync::atomic::Ordering::SeqCst);
}
fn initialized(_: ()) -> u32 {
    INITIALIZED.load(std::sync::atomic::Ordering::SeqCst)
}
fn init_panics(_: ()) {
    panic!("no database")
}

const SQUARE: Task<u64, u64> = cogen::task!(square);
const PID: Task<(), u32> = cogen::task!(pid);
const NAP: Task<u64, u64> = cogen::task!(nap);
const SNOOZE: Task<u64, ()> = cogen::task!(snooze);
const HOLD: Task<String, bool> = cogen::task!(hold);
const FAIL: Task<String, u8> = cogen::task!(fail);
const ABORT: Task<(), ()> = cogen::task!(abort);
const EXIT: Task<i32, ()> = cogen::task!(exit);
const SEGFAULT: Task<(), ()> = cogen::task!(segfault);
const NESTED: Task<u64, u64> = cogen::task!(nested);
const CHECKED_DIV: Task<(i64, i64), Result<i64, String>> = cogen::task!(checked_div);
const INITIALIZE: Task<u32, ()> = cogen::task!(initialize);
const INITIALIZED_TASK: Task<(), u32> = cogen::task!(initialized);
const INIT_PANICS: Task<(), ()> = cogen::task!(init_panics);

fn tasks() -> Registry {
    Registry::new()
        .with(SQUARE)
        .with(PID)
        .with(NAP)
        .with(SNOOZE)
        .with(HOLD)
        .with(FAIL)
        .with(ABORT)
        .with(EXIT)
        .with(SEGFAULT)
        .with(CHECKED_DIV)
        .with(NESTED)
        .with(INITIALIZE)
        .with(INITIALIZED_TASK)
        .with(INIT_PANICS)
        .with(BIG_LENGTH)
        .with(BIG_TEXT)
        .with(TOUCHY)
}

cogen::worker_test!(tasks);

/// Whether process `pid` is gone (or a zombie nobody has reaped yet, which `zombie` allows).
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    after_name.chars().next()
}

/// Every worker this test saw is gone and reaped once the pool is dropped.
fn assert_reaped(pids: &[u32]) {
    for &pid in pids {
        let deadline = Instant::now() + Duration::from_secs(5);
        while process_state(pid).is_some() {
            assert!(
                Instant::now() < deadline,
                "worker {pid} outlived its pool: {:?}",
                process_state(pid)
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

#[test]
fn submit_and_map_run_in_other_processes() {
    let pool = ProcessPoolExecutor::with_max_workers(2, tasks);
    assert_eq!(pool.max_workers(), 2);
    let future = pool.submit(SQUARE, 12).unwrap();
    assert_eq!(future.result(Duration::from_secs(30)), Ok(144));
    assert_eq!(future.state(), FutureState::Finished);
    let worker = pool.submit(PID, ()).unwrap().join().unwrap();
    assert_ne!(worker, std::process::id());
    let squares: Vec<u64> = pool
        .map(SQUARE, 0..20)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(squares, (0..20u64).map(|n| n * n).collect::<Vec<_>>());
    let chunked: Vec<u64> = pool
        .map_chunked(SQUARE, 0..1000, 64)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(chunked, (0..1000u64).map(|n| n * n).collect::<Vec<_>>());
    // A task's own `Err` is its value: the future holds it, the worker is fine.
    let divided = pool.submit(CHECKED_DIV, (1, 0)).unwrap().join().unwrap();
    assert_eq!(divided, Err("1 / 0: division by zero".to_string()));
    let pids = pool.worker_pids();
    assert!(!pids.is_empty() && pids.len() <= 2);
    drop(pool);
    assert_reaped(&pids);
}

#[test]
fn a_task_may_run_a_pool_of_its_own() {
    let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    assert_eq!(pool.submit(NESTED, 7).unwrap().join(), Ok(50));
}

#[test]
fn default_workers_are_the_usable_cpus() {
    let pool = ProcessPoolExecutor::new(tasks);
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(pool.max_workers(), cpus);
    assert!(
        pool.worker_pids().is_empty(),
        "workers start with the first task"
    );
}

#[test]
fn a_panicking_task_fails_its_future_and_the_worker_survives() {
    let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    let before = pool.submit(PID, ()).unwrap().join().unwrap();
    let error = pool
        .submit(FAIL, "bad input".into())
        .unwrap()
        .join()
        .unwrap_err();
    assert_eq!(error, FutureError::Panicked("bad input".into()));
    // Only the message crossed from the worker: re-raised, it is a `String` payload.
    let FutureError::Panicked(failure) = error else {
        unreachable!()
    };
    assert!(failure.take_payload().is_none());
    let reraised = std::panic::catch_unwind(|| failure.resume_unwind()).unwrap_err();
    assert_eq!(
        reraised.downcast_ref::<String>().map(String::as_str),
        Some("bad input")
    );
    let after = pool.submit(PID, ()).unwrap().join().unwrap();
    assert_eq!(before, after, "the same worker went on");
    // In a chunk, a panic fails only its own item.
    let results: Vec<_> = pool
        .map_chunked(FAIL, ["a".to_string(), "b".to_string()], 2)
        .unwrap()
        .collect();
    assert_eq!(
        results,
        [
            Err(FutureError::Panicked("a".into())),
            Err(FutureError::Panicked("b".into()))
        ]
    );
}

/// Submits a crash among slower tasks and checks Python's semantics: every pending and
/// running future fails with `BrokenProcessPool` naming how the worker ended, and so does
/// every later submit.
fn crash_breaks_the_pool(
    crash: impl FnOnce(&ProcessPoolExecutor) -> cogen::pool::PoolFuture<()>,
    cause: &str,
) {
    let pool = ProcessPoolExecutor::with_max_workers(2, tasks);
    let running = pool.submit(NAP, 2_000).unwrap();
    let crashed = crash(&pool);
    // Submitted while the crash happens: refused if the pool broke first, failed if not.
    let pending: Vec<_> = (0..6).map(|_| pool.submit(NAP, 2_000)).collect();
    let error = crashed.join().unwrap_err();
    let FutureError::BrokenProcessPool(text) = &error else {
        panic!("expected BrokenProcessPool, got {error:?}");
    };
    assert!(text.contains(cause), "{text:?} does not name {cause:?}");
    assert!(error.to_string().starts_with(
        "A process in the process pool was terminated abruptly while the future was running or pending."
    ));
    for future in pending {
        match future {
            Ok(future) => assert!(matches!(
                future.join(),
                Err(FutureError::BrokenProcessPool(_))
            )),
            Err(refused) => assert!(matches!(refused, SubmitError::BrokenProcessPool(_))),
        }
    }
    {
        let outcome = running.join();
        assert!(
            matches!(outcome, Err(FutureError::BrokenProcessPool(_))),
            "{outcome:?}"
        );
    }
    let refused = pool.submit(SQUARE, 2).unwrap_err();
    assert!(matches!(refused, SubmitError::BrokenProcessPool(_)));
    assert!(refused.to_string().starts_with(
        "A child process terminated abruptly, the process pool is not usable anymore"
    ));
    let started = Instant::now();
    drop(pool);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "shutdown of a broken pool hung"
    );
}

#[test]
fn an_abort_breaks_the_pool() {
    crash_breaks_the_pool(|pool| pool.submit(ABORT, ()).unwrap(), "signal 6 (SIGABRT)");
}

#[test]
fn a_segfault_breaks_the_pool() {
    crash_breaks_the_pool(
        |pool| pool.submit(SEGFAULT, ()).unwrap(),
        "signal 11 (SIGSEGV)",
    );
}

#[test]
fn process_exit_breaks_the_pool() {
    crash_breaks_the_pool(|pool| pool.submit(EXIT, 0).unwrap(), "exited with status 0");
}

#[test]
fn a_kill_from_outside_breaks_the_pool() {
    // What the OOM killer does: SIGKILL.
    crash_breaks_the_pool(
        |pool| {
            let victim = pool.submit(SNOOZE, 5_000).unwrap();
            while !victim.running() {
                std::thread::sleep(Duration::from_millis(1));
            }
            for pid in pool.worker_pids() {
                let target = rustix::process::Pid::from_raw(pid as i32).unwrap();
                rustix::process::kill_process(target, rustix::process::Signal::KILL).unwrap();
            }
            victim
        },
        "signal 9 (SIGKILL)",
    );
}

#[test]
fn the_initializer_runs_once_in_every_worker_before_its_first_task() {
    let pool = ProcessPoolExecutor::builder(tasks)
        .max_workers(2)
        .initializer(INITIALIZE, 5)
        .build()
        .unwrap();
    let seen: Vec<u32> = pool
        .map(INITIALIZED_TASK, vec![(); 40])
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(seen.iter().all(|&n| n == 5), "{seen:?}");
    // Unregistered initializer: an error at build time.
    const STRANGER: Task<u32, ()> = Task::new("stranger", |_| ());
    let error = ProcessPoolExecutor::builder(tasks)
        .initializer(STRANGER, 1)
        .build()
        .unwrap_err();
    assert_eq!(error, SubmitError::Unregistered("stranger"));
}

#[test]
fn a_panicking_initializer_breaks_the_pool() {
    let pool = ProcessPoolExecutor::builder(tasks)
        .max_workers(1)
        .initializer(INIT_PANICS, ())
        .build()
        .unwrap();
    let error = pool.submit(SQUARE, 3).unwrap().join().unwrap_err();
    assert!(
        matches!(&error, FutureError::BrokenProcessPool(cause) if cause.contains("initializer panicked") && cause.contains("no database")),
        "{error:?}"
    );
}

#[test]
fn max_tasks_per_child_replaces_workers() {
    let pool = ProcessPoolExecutor::builder(tasks)
        .max_workers(2)
        .max_tasks_per_child(3)
        .build()
        .unwrap();
    let pids: Vec<u32> = (0..12)
        .map(|_| pool.submit(PID, ()).unwrap().join().unwrap())
        .collect();
    let distinct: HashSet<u32> = pids.iter().copied().collect();
    // One at a time: each worker runs three tasks, then a new process takes over.
    assert_eq!(distinct.len(), 4, "{pids:?}");
    for chunk in pids.chunks(3) {
        assert!(chunk.iter().all(|&pid| pid == chunk[0]), "{pids:?}");
    }
    drop(pool);
    assert_reaped(&pids);
}

#[test]
fn cancel_works_until_a_worker_takes_the_task() {
    let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    let running = pool.submit(NAP, 1500).unwrap();
    let queued: Vec<_> = (0..4).map(|n| pool.submit(SQUARE, n).unwrap()).collect();
    while !running.running() {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(!running.cancel(), "a running task cannot be cancelled");
    // One job waits in the worker's pipe behind the running one; the rest are still ours.
    let last = queued.last().unwrap();
    assert_eq!(last.state(), FutureState::Pending);
    assert!(last.cancel());
    assert_eq!(last.result(None), Err(FutureError::Cancelled));
    assert_eq!(
        running.result(Duration::from_millis(1)),
        Err(FutureError::TimedOut)
    );
    assert_eq!(running.result(Duration::from_secs(30)), Ok(1500));
    for (n, future) in queued.iter().enumerate().take(3) {
        assert_eq!(future.result(None), Ok((n * n) as u64));
    }
}

#[test]
fn shutdown_cancels_or_finishes_the_queue() {
    let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    let running = pool.submit(NAP, 200).unwrap();
    let queued: Vec<_> = (0..5).map(|n| pool.submit(SQUARE, n).unwrap()).collect();
    while !running.running() {
        std::thread::sleep(Duration::from_millis(1));
    }
    pool.shutdown(true, true);
    assert_eq!(running.join(), Ok(200));
    let cancelled = queued.iter().filter(|future| future.cancelled()).count();
    assert!(
        cancelled >= 3,
        "only {cancelled} of the queued tasks were cancelled"
    );
    assert_eq!(pool.submit(SQUARE, 1).unwrap_err(), SubmitError::Shutdown);
    assert!(pool.worker_pids().is_empty());
}

#[test]
fn wait_and_as_completed_take_futures_of_both_pools() {
    let processes = ProcessPoolExecutor::with_max_workers(2, tasks);
    let threads = ThreadPoolExecutor::with_max_workers(2);
    let futures = vec![
        processes.submit(NAP, 150).unwrap(),
        threads.submit_task(NAP, 10).unwrap(),
        processes.submit(NAP, 1).unwrap(),
        threads.submit(|| 400).unwrap(),
    ];
    let waited = wait(&futures, Duration::from_secs(30), ReturnWhen::AllCompleted);
    assert_eq!(waited.done.len(), 4);
    let mut values: Vec<u64> = as_completed(futures, Duration::from_secs(30))
        .map(|future| future.unwrap().join().unwrap())
        .collect();
    values.sort_unstable();
    assert_eq!(values, [1, 10, 150, 400]);
    // Awaitable, under any executor.
    let future = processes.submit(SQUARE, 9).unwrap();
    assert_eq!(futures_lite::future::block_on(future), Ok(81));
}

/// Written once, for threads or processes.
fn sum_of_squares(executor: &impl Executor, upto: u64) -> u64 {
    executor
        .map_task(SQUARE, 1..=upto, 16)
        .unwrap()
        .map(Result::unwrap)
        .sum()
}

#[test]
fn code_written_once_runs_on_threads_and_processes() {
    let expected: u64 = (1..=500u64).map(|n| n * n).sum();
    assert_eq!(
        sum_of_squares(&ThreadPoolExecutor::with_max_workers(2), 500),
        expected
    );
    assert_eq!(
        sum_of_squares(&ProcessPoolExecutor::with_max_workers(2, tasks), 500),
        expected
    );
}

#[test]
fn unknown_tasks_and_oversized_arguments_are_refused_at_submit() {
    let pool = ProcessPoolExecutor::builder(tasks)
        .max_workers(1)
        .max_message_size(4096)
        .build()
        .unwrap();
    const OTHER_SQUARE: Task<u64, u64> = Task::new("square", |n| n);
    assert_eq!(
        pool.submit(OTHER_SQUARE, 1).unwrap_err(),
        SubmitError::Unregistered("square")
    );
    const WRONG_TYPES: Task<u32, u64> = Task::new(SQUARE.name(), u64::from);
    assert_eq!(
        pool.submit(WRONG_TYPES, 1).unwrap_err(),
        SubmitError::Mismatched(SQUARE.name())
    );
    let big = "x".repeat(10_000);
    assert!(matches!(
        pool.submit(FAIL, big).unwrap_err(),
        SubmitError::Unsendable(_)
    ));
    assert!(pool.worker_pids().is_empty(), "nothing was sent");
    assert!(matches!(
        pool.map_chunked(OTHER_SQUARE, 0..3, 2),
        Err(SubmitError::Unregistered("square"))
    ));
}

/// A pool whose "worker" is a shell script writing `bytes` into the socket it got as stdin,
/// then staying alive (`linger`) or exiting.
fn broken_by(bytes: &[u8], linger: bool) -> String {
    let escaped: String = bytes.iter().map(|byte| format!("\\{byte:03o}")).collect();
    let then = if linger { "exec sleep 5" } else { "exit 0" };
    let script = format!("printf '{escaped}' >&0; {then}");
    let pool = ProcessPoolExecutor::builder(tasks)
        .max_workers(1)
        .max_message_size(1 << 20)
        .worker_program("/bin/sh", ["-c", &script])
        .build()
        .unwrap();
    let started = Instant::now();
    let error = pool.submit(SQUARE, 2).unwrap().join().unwrap_err();
    assert!(matches!(
        pool.submit(SQUARE, 2),
        Err(SubmitError::BrokenProcessPool(_))
    ));
    let pids = pool.worker_pids();
    drop(pool);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the pool waited for the script"
    );
    assert_reaped(&pids);
    match error {
        FutureError::BrokenProcessPool(cause) => cause,
        other => panic!("expected BrokenProcessPool, got {other:?}"),
    }
}

fn hello(fingerprint: u64) -> Vec<u8> {
    let mut body = vec![1u8];
    body.extend_from_slice(&8u32.to_le_bytes());
    body.extend_from_slice(b"cogen-pw");
    body.extend_from_slice(&1u32.to_le_bytes());
    body.extend_from_slice(&fingerprint.to_le_bytes());
    body.extend_from_slice(&4242u32.to_le_bytes());
    let mut frame = (body.len() as u32).to_le_bytes().to_vec();
    frame.extend(body);
    frame
}

#[test]
fn garbage_from_a_worker_breaks_the_pool_with_a_clear_error() {
    let oversized = broken_by(&[0xff, 0xff, 0xff, 0xff], true);
    assert!(
        oversized.contains("a frame of 4294967295 bytes, over the limit of 1048576"),
        "{oversized}"
    );
    // Cut short by the worker's death (alive, it would only be slow).
    let truncated = broken_by(&[10, 0, 0, 0, b'a', b'b', b'c'], false);
    assert!(
        truncated.contains("a truncated frame (7 of 14 bytes)"),
        "{truncated}"
    );
    let malformed = broken_by(&[3, 0, 0, 0, 99, 0, 0], true);
    assert!(
        malformed.contains("a malformed message: an unknown message tag 99"),
        "{malformed}"
    );
    // A good hello, then an answer to a job nobody sent.
    let mut bytes = hello(tasks().fingerprint());
    bytes.extend_from_slice(&[13, 0, 0, 0, 5, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let unasked = broken_by(&bytes, true);
    assert!(
        unasked.contains("an answer to job 7, which it was not sent"),
        "{unasked}"
    );
    let mut bytes = hello(tasks().fingerprint());
    bytes.extend_from_slice(&[2, 0, 0, 0, 5, 1]);
    let short = broken_by(&bytes, true);
    assert!(short.contains("a message cut short"), "{short}");
}

#[test]
fn a_worker_of_another_build_is_refused_at_start_up() {
    let stranger = broken_by(&hello(tasks().fingerprint() ^ 1), true);
    assert!(stranger.contains("build fingerprint"), "{stranger}");
    // A real program of this crate with other tasks.
    let other = common::example_binary("broken_pool");
    let pool = ProcessPoolExecutor::builder(tasks)
        .max_workers(1)
        .worker_program(other, Vec::<String>::new())
        .build()
        .unwrap();
    let error = pool.submit(SQUARE, 2).unwrap().join().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("built from another program or with other tasks"),
        "{error}"
    );
}

#[test]
fn a_worker_that_dies_before_its_hello_breaks_the_pool() {
    let pool = ProcessPoolExecutor::builder(tasks)
        .max_workers(1)
        .worker_program("/bin/sh", ["-c", "exit 3"])
        .build()
        .unwrap();
    let error = pool.submit(SQUARE, 2).unwrap().join().unwrap_err();
    assert!(
        error.to_string().contains("a worker exited with status 3"),
        "{error}"
    );
}

/// Run by `workers_exit_when_their_parent_is_killed` in a process of its own.
#[test]
#[ignore = "a helper: the parent process that another test kills"]
fn orphan_parent() {
    if std::env::var_os("COGEN_ORPHAN_PARENT").is_none() {
        return;
    }
    let pool = ProcessPoolExecutor::with_max_workers(2, tasks);
    let futures: Vec<_> = (0..2).map(|_| pool.submit(NAP, 60_000).unwrap()).collect();
    while !futures.iter().all(|future| future.running()) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let pids: Vec<String> = pool.worker_pids().iter().map(u32::to_string).collect();
    println!("WORKERS {}", pids.join(" "));
    std::thread::sleep(Duration::from_secs(60));
}

#[test]
fn workers_exit_when_their_parent_is_killed() {
    use std::io::BufRead;
    let mut parent = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "orphan_parent",
            "--exact",
            "--ignored",
            "--nocapture",
            "--quiet",
        ])
        .env("COGEN_ORPHAN_PARENT", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = std::io::BufReader::new(parent.stdout.take().unwrap());
    let line = stdout
        .lines()
        .map(Result::unwrap)
        .find(|line| line.starts_with("WORKERS "))
        .expect("the parent names its workers");
    let pids: Vec<u32> = line[8..]
        .split(' ')
        .map(|pid| pid.parse().unwrap())
        .collect();
    assert_eq!(pids.len(), 2);
    for &pid in &pids {
        assert!(
            matches!(process_state(pid), Some('S' | 'R')),
            "worker {pid} is not running"
        );
    }
    parent.kill().unwrap(); // SIGKILL: the parent cleans up nothing
    parent.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    for pid in pids {
        // Gone, or dead and waiting for init to reap it.
        while !matches!(process_state(pid), None | Some('Z' | 'X')) {
            assert!(
                Instant::now() < deadline,
                "worker {pid} outlived its killed parent"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A value whose own serde code panics on some inputs.
#[derive(Debug, PartialEq)]
struct Touchy(u32);

impl serde::Serialize for Touchy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        assert!(self.0 != 13, "unlucky");
        serializer.serialize_u32(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Touchy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = <u32 as serde::Deserialize>::deserialize(deserializer)?;
        assert!(n != 666, "cursed");
        Ok(Touchy(n))
    }
}

fn touchy(n: u32) -> Touchy {
    Touchy(n)
}

const TOUCHY: Task<u32, Touchy> = cogen::task!(touchy);

#[test]
fn a_panicking_serialize_or_deserialize_fails_one_future_only() {
    let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    let worker = pool.submit(PID, ()).unwrap().join().unwrap();
    // In the worker, encoding the result panics.
    let error = pool.submit(TOUCHY, 13).unwrap().join().unwrap_err();
    assert_eq!(
        error,
        FutureError::Unsendable("a value's own code panicked: unlucky".into())
    );
    // In the parent, decoding it panics.
    let error = pool.submit(TOUCHY, 666).unwrap().join().unwrap_err();
    assert_eq!(
        error,
        FutureError::Unsendable("decoding the results panicked: cursed".into())
    );
    assert_eq!(pool.submit(TOUCHY, 7).unwrap().join(), Ok(Touchy(7)));
    assert_eq!(
        pool.submit(PID, ()).unwrap().join(),
        Ok(worker),
        "the same worker went on"
    );
}

fn length(text: String) -> usize {
    text.len()
}
fn text_of(n: usize) -> String {
    "x".repeat(n)
}

#[test]
fn large_values_cross_and_never_stall_the_pool() {
    let pool = ProcessPoolExecutor::with_max_workers(2, tasks);
    // Both workers are held until the test lets go (valgrind made a 3-second nap too short).
    let release = std::env::temp_dir().join(format!("cogen-hold-{}", std::process::id()));
    let _ = std::fs::remove_file(&release);
    let hold = release.to_string_lossy().into_owned();
    let busy: Vec<_> = (0..2)
        .map(|_| pool.submit(HOLD, hold.clone()).unwrap())
        .collect();
    while !busy.iter().all(|future| future.running()) {
        std::thread::sleep(Duration::from_millis(1));
    }
    // 8 MB: far over a socket's buffer. Neither queued behind a busy worker nor blocking us:
    // both submits return while the two workers are still busy.
    let argument = "y".repeat(8 << 20);
    let big = pool.submit(BIG_LENGTH, argument).unwrap();
    let small = pool.submit(SQUARE, 3).unwrap();
    assert!(
        busy.iter().all(|future| future.running()),
        "submit waited for a busy worker"
    );
    assert_eq!(
        big.state(),
        FutureState::Pending,
        "a large job waits for an idle worker"
    );
    std::fs::write(&release, b"").unwrap();
    for future in busy {
        assert_eq!(future.join(), Ok(true), "a held worker was let go");
    }
    let _ = std::fs::remove_file(&release);
    assert_eq!(big.join(), Ok(8 << 20));
    assert_eq!(small.join(), Ok(9));
    assert_eq!(
        pool.submit(BIG_TEXT, 5 << 20)
            .unwrap()
            .join()
            .map(|text| text.len()),
        Ok(5 << 20)
    );
    // Over the message limit: the result fails its own future, the worker goes on.
    let small_limit = ProcessPoolExecutor::builder(tasks)
        .max_workers(1)
        .max_message_size(64 * 1024)
        .build()
        .unwrap();
    let error = small_limit
        .submit(BIG_TEXT, 100_000)
        .unwrap()
        .join()
        .unwrap_err();
    assert!(
        matches!(&error, FutureError::Unsendable(why) if why.contains("over the message limit")),
        "{error:?}"
    );
    assert_eq!(
        small_limit.submit(BIG_TEXT, 3).unwrap().join(),
        Ok("xxx".to_string())
    );
}

const BIG_LENGTH: Task<String, usize> = cogen::task!(length);
const BIG_TEXT: Task<usize, String> = cogen::task!(text_of);

#[test]
fn map_is_lazy_and_bounded_over_an_endless_input() {
    let pool = ProcessPoolExecutor::with_max_workers(2, tasks);
    let first: Vec<u64> = pool
        .map_chunked(SQUARE, 0.., 10)
        .unwrap()
        .take(25)
        .map(Result::unwrap)
        .collect();
    assert_eq!(first, (0..25u64).map(|n| n * n).collect::<Vec<_>>());
    // Bounded: with a buffer of one chunk, taking nothing submits one chunk (plus none).
    let map = pool.map_task_buffered(NAP, [300, 1, 1, 1], 1, 1).unwrap();
    assert_eq!(map.size_hint(), (1, Some(4)));
    drop(map); // cancels what was not sent
}

#[test]
fn a_panicking_done_callback_leaves_the_reader_and_the_pool_whole() {
    let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    let slow = pool.submit(NAP, 200).unwrap();
    // Runs on the thread that reads the worker's answers; its panic is caught and reported.
    slow.add_done_callback(|_| panic!("a callback's bug"));
    let (seen, heard) = std::sync::mpsc::channel();
    slow.add_done_callback(move |done| seen.send(done.result(None)).unwrap());
    assert_eq!(slow.join(), Ok(200));
    // The callback after the panicking one ran too, as Python runs every callback.
    assert_eq!(heard.recv_timeout(Duration::from_secs(30)), Ok(Ok(200)));
    // The reader goes on: later answers arrive, the same worker serves them.
    let worker = pool.submit(PID, ()).unwrap().join().unwrap();
    assert_eq!(pool.submit(SQUARE, 11).unwrap().join(), Ok(121));
    assert_eq!(pool.worker_pids(), [worker]);
}
