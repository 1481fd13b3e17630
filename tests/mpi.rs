//! The MPI pool executor under `mpirun`, with several ranks on this machine.
//!
//! Each test starts `mpirun -n N` on this very test binary, running only `mpi_rank`, with
//! `COGEN_MPI_SCENARIO` naming what rank 0 does; rank 0 asserts, and prints a line when all
//! held. The test then checks `mpirun`'s exit status and that line. Needs Open MPI's `mpirun`
//! (Debian: `openmpi-bin`) and the `mpi` feature: `cargo test --features mpi --test mpi`.
#![cfg(all(feature = "mpi", unix))]

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use cogen::pool::{
    Executor, FutureError, MpiError, MpiPoolExecutor, Registry, ReturnWhen, SubmitError, Task,
    ThreadPoolExecutor, as_completed, wait,
};

const SCENARIO: &str = "COGEN_MPI_SCENARIO";

/// How long one `mpirun` may take before the test kills it and fails.
const DEADLINE: Duration = Duration::from_secs(120);

fn square(n: u64) -> u64 {
    n * n
}
const SQUARE: Task<u64, u64> = cogen::task!(square);

fn checked_inverse(n: i64) -> i64 {
    assert!(n != 0, "no inverse of zero");
    1000 / n
}
const INVERSE: Task<i64, i64> = cogen::task!(checked_inverse);

/// Which rank ran the task, in which process, on which host.
fn whoami((): ()) -> (String, u32, String) {
    (
        std::env::var("OMPI_COMM_WORLD_RANK").unwrap_or_default(),
        std::process::id(),
        hostname(),
    )
}
const WHOAMI: Task<(), (String, u32, String)> = cogen::task!(whoami);

/// This process's host name (its UTS namespace's, as `hostname` prints it).
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|name| name.trim().to_string())
        .unwrap_or_default()
}

fn crash(_: ()) {
    std::process::abort();
}
const CRASH: Task<(), ()> = cogen::task!(crash);

fn sleep_ms(ms: u64) -> u64 {
    std::thread::sleep(Duration::from_millis(ms));
    ms
}
const SLEEP_MS: Task<u64, u64> = cogen::task!(sleep_ms);

const EXTRA: Task<u8, u8> = Task::new("extra", |n| n);

fn tasks() -> Registry {
    let registry = Registry::new()
        .with(SQUARE)
        .with(INVERSE)
        .with(WHOAMI)
        .with(CRASH)
        .with(SLEEP_MS);
    // In the `mismatch` scenario, rank 1 is "another build": it knows one task more.
    let mismatched = std::env::var(SCENARIO).as_deref() == Ok("mismatch")
        && std::env::var("OMPI_COMM_WORLD_RANK").as_deref() == Ok("1");
    if mismatched {
        registry.with(EXTRA)
    } else {
        registry
    }
}

/// The program every rank runs; passes at once outside `mpirun`.
#[test]
fn mpi_rank() {
    let Ok(scenario) = std::env::var(SCENARIO) else {
        return;
    };
    let started = MpiPoolExecutor::start(tasks);
    match scenario.as_str() {
        "basics" => basics(started.expect("rank 0 gets the pool")),
        // Run by scripts/mpi_two_hosts.sh: rank 0 alone on one host, the workers on another,
        // talking over TCP.
        "two_hosts" => {
            let pool = started.expect("rank 0 gets the pool");
            let hosts: std::collections::BTreeSet<String> = (0..8)
                .map(|_| pool.submit(WHOAMI, ()).unwrap())
                .collect::<Vec<_>>()
                .into_iter()
                .map(|future| future.join().unwrap().2)
                .collect();
            assert!(
                !hosts.contains(&hostname()),
                "{hosts:?} includes rank 0's host"
            );
            println!("tasks ran on {hosts:?}, rank 0 on {}", hostname());
            basics(pool);
        }
        "crash" => {
            let pool = started.expect("rank 0 gets the pool");
            println!("submitting the crash");
            let outcome = pool.submit(CRASH, ()).unwrap().join();
            println!("rank 0 went on after the crash: {outcome:?}");
        }
        "mismatch" => {
            let error = started.expect_err("rank 1 knows other tasks");
            assert!(matches!(error, MpiError::Handshake(_)), "{error:?}");
            assert!(
                error.to_string().contains("rank 1 knows other tasks"),
                "{error}"
            );
            println!("scenario mismatch passed");
        }
        "alone" => {
            assert_eq!(started.unwrap_err(), MpiError::NoWorkers);
            assert_eq!(
                MpiPoolExecutor::start(tasks).unwrap_err(),
                MpiError::AlreadyStarted
            );
            println!("scenario alone passed");
        }
        other => panic!("no scenario {other}"),
    }
}

/// Rank 0's checks with two workers.
fn basics(pool: MpiPoolExecutor) {
    assert_eq!(pool.max_workers(), 2);
    assert_eq!(
        MpiPoolExecutor::start(tasks).unwrap_err(),
        MpiError::AlreadyStarted
    );

    // submit, and tasks really run on both other ranks.
    assert_eq!(pool.submit(SQUARE, 12).unwrap().join(), Ok(144));
    let futures: Vec<_> = (0..8).map(|_| pool.submit(SLEEP_MS, 20).unwrap()).collect();
    for future in &futures {
        assert_eq!(future.result(Some(Duration::from_secs(30))), Ok(20));
    }
    let ranks: std::collections::BTreeSet<String> = (0..16)
        .map(|_| pool.submit(WHOAMI, ()).unwrap())
        .collect::<Vec<_>>()
        .into_iter()
        .map(|future| future.join().unwrap().0)
        .collect();
    assert!(
        ranks.is_subset(&["1".into(), "2".into()].into()),
        "{ranks:?}"
    );
    assert!(!ranks.is_empty());
    let (_, worker_pid, _) = pool.submit(WHOAMI, ()).unwrap().join().unwrap();
    assert_ne!(worker_pid, std::process::id());

    // A panic fails its own call; the worker goes on.
    let error = pool.submit(INVERSE, 0).unwrap().join().unwrap_err();
    assert_eq!(error, FutureError::Panicked("no inverse of zero".into()));
    let chunk = pool
        .submit_chunk(INVERSE, vec![10, 0, 4])
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(chunk[0], Ok(100));
    assert!(matches!(chunk[1], Err(FutureError::Panicked(_))));
    assert_eq!(chunk[2], Ok(250));

    // map with chunksize: every result, in input order, through the Executor trait too.
    let squares: Vec<u64> = pool
        .map_chunked(SQUARE, 0..10_000u64, 128)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(squares, (0..10_000u64).map(|n| n * n).collect::<Vec<_>>());
    let total: u64 = Executor::map_task(&pool, SQUARE, 1..=100u64, 7)
        .unwrap()
        .map(Result::unwrap)
        .sum();
    assert_eq!(total, 338_350);

    // Unknown tasks are refused before anything is sent.
    const UNKNOWN: Task<u8, u8> = Task::new("unknown", |n| n);
    assert_eq!(
        pool.submit(UNKNOWN, 1).unwrap_err(),
        SubmitError::Unregistered("unknown")
    );

    // The futures are the other pools': wait and as_completed take them together.
    let threads = ThreadPoolExecutor::with_max_workers(1);
    let local = threads.submit(|| 7u64).unwrap();
    let remote = pool.submit(SQUARE, 3).unwrap();
    let waited = wait(
        [&local, &remote],
        Duration::from_secs(30),
        ReturnWhen::AllCompleted,
    );
    assert_eq!(waited.done.len(), 2);
    let mut values: Vec<u64> = as_completed(vec![local, remote], None)
        .map(|future| future.unwrap().join().unwrap())
        .collect();
    values.sort_unstable();
    assert_eq!(values, [7, 9]);

    // cancel_futures cancels what no worker took; queued work runs otherwise.
    let long: Vec<_> = (0..2)
        .map(|_| pool.submit(SLEEP_MS, 300).unwrap())
        .collect();
    let queued: Vec<_> = (0..4).map(|_| pool.submit(SQUARE, 5).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(100));
    pool.shutdown(false, true);
    for future in long {
        assert_eq!(future.join(), Ok(300));
    }
    for future in queued {
        assert_eq!(future.join(), Err(FutureError::Cancelled));
    }
    assert_eq!(pool.submit(SQUARE, 1).unwrap_err(), SubmitError::Shutdown);
    pool.shutdown(true, false);
    println!("scenario basics passed");
}

/// Runs this test binary's `mpi_rank` under `mpirun -n ranks` (or alone, with `ranks` 0),
/// killing it after [`DEADLINE`].
fn run(ranks: usize, scenario: &str) -> Output {
    let exe = std::env::current_exe().expect("the test binary");
    let test_args = [
        "mpi_rank",
        "--exact",
        "--nocapture",
        "--quiet",
        "--test-threads=1",
    ];
    let mut command = if ranks == 0 {
        let mut command = Command::new(&exe);
        command.args(test_args);
        command
    } else {
        let mut command = Command::new("mpirun");
        command
            .args(["--oversubscribe", "-n", &ranks.to_string(), "-x", SCENARIO])
            .arg(&exe)
            .args(test_args);
        command
    };
    let mut child = command
        .env(SCENARIO, scenario)
        // Open MPI refuses root without these (CI runs as root).
        .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mpirun (Debian: openmpi-bin) must be installed to test the mpi feature");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = Vec::new();
        stdout.read_to_end(&mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = Vec::new();
        stderr.read_to_end(&mut text).map(|_| text)
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("mpirun ({scenario}) did not end within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap().unwrap(),
        stderr: err.join().unwrap().unwrap(),
    }
}

fn text(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn three_ranks_run_tasks_and_all_exit_cleanly() {
    let output = run(3, "basics");
    assert!(output.status.success(), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.matches("scenario basics passed").count(),
        1,
        "{}",
        text(&output)
    );
}

#[test]
fn a_worker_with_other_tasks_is_refused_and_every_rank_exits_cleanly() {
    let output = run(3, "mismatch");
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("scenario mismatch passed"),
        "{}",
        text(&output)
    );
}

#[test]
fn without_mpirun_the_pool_says_it_has_no_workers() {
    let output = run(0, "alone");
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("scenario alone passed"),
        "{}",
        text(&output)
    );
}

/// MPI's model: a rank that dies ends the job, rank 0 included, and `mpirun` fails.
#[test]
fn a_worker_that_dies_ends_the_whole_job() {
    let output = run(2, "crash");
    assert!(!output.status.success(), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("submitting the crash"), "{}", text(&output));
    assert!(!stdout.contains("rank 0 went on"), "{}", text(&output));
}
