//! Nothing is lost when workers die: small tasks go through `submit`, `as_completed` and
//! `map` with a chunksize, under 2 and under 8 worker processes, while workers are killed at
//! random. Every future resolves exactly once (its value, its panic, or `BrokenProcessPool`),
//! every item of a map yields exactly one result, nothing hangs (a watchdog aborts the run),
//! and no worker outlives its pool.
//!
//! `COGEN_PROCESS_STRESS_TASKS=n` runs n tasks in all (default 10,000; BENCHMARKS.md records a
//! run of 100,000).
#![cfg(all(feature = "process", unix))]

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use cogen::pool::{FutureError, PoolFuture, ProcessPoolExecutor, Registry, Task, as_completed};

/// Which tasks panic: fixed by the argument, so the checker knows without being told.
fn panics(id: u64) -> bool {
    id % 101 == 7
}

fn triple(id: u64) -> u64 {
    if panics(id) {
        panic!("stress task {id}");
    }
    id * 3
}

const TRIPLE: Task<u64, u64> = cogen::task!(triple);

fn tasks() -> Registry {
    // In a worker, the expected panics stay quiet (there are hundreds).
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let expected = info
            .payload()
            .downcast_ref::<String>()
            .is_some_and(|message| message.starts_with("stress task "));
        if !expected {
            default(info);
        }
    }));
    Registry::new().with(TRIPLE)
}

cogen::worker_test!(tasks);

fn task_count() -> u64 {
    std::env::var("COGEN_PROCESS_STRESS_TASKS").map_or(10_000, |n| {
        n.parse()
            .expect("COGEN_PROCESS_STRESS_TASKS must be a number")
    })
}

/// A small deterministic generator (xorshift64*), so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Checks one outcome: the right value, the expected panic, or a broken pool (allowed only
/// once a worker was killed).
fn check(id: u64, outcome: &Result<u64, FutureError>, killed: bool) {
    match outcome {
        Ok(value) => assert!(!panics(id) && *value == id * 3, "task {id} gave {value}"),
        Err(FutureError::Panicked(message)) => {
            assert!(
                panics(id) && *message == format!("stress task {id}"),
                "{message}"
            )
        }
        Err(FutureError::BrokenProcessPool(cause)) => {
            assert!(killed, "task {id}: the pool broke with no kill: {cause}");
            assert!(cause.contains("SIGKILL"), "task {id}: {cause}");
        }
        Err(other) => panic!("task {id}: unexpected {other:?}"),
    }
}

/// One pool's life: `n` tasks through the three paths, and maybe a worker killed at a random
/// moment. Returns how many outcomes were each kind, and the workers seen.
fn round(
    workers: usize,
    n: u64,
    kill_after: Option<Duration>,
    seen: &Mutex<HashSet<u32>>,
) -> [usize; 3] {
    let pool = Arc::new(ProcessPoolExecutor::with_max_workers(workers, tasks));
    let killed = Arc::new(AtomicBool::new(false));
    let killer = kill_after.map(|delay| {
        let (pool, killed) = (Arc::clone(&pool), Arc::clone(&killed));
        thread::spawn(move || {
            thread::sleep(delay);
            let pids = pool.worker_pids();
            if let Some(&pid) = pids.get(delay.subsec_nanos() as usize % pids.len().max(1)) {
                killed.store(true, Ordering::SeqCst);
                let target = rustix::process::Pid::from_raw(pid as i32).expect("a pid");
                let _ = rustix::process::kill_process(target, rustix::process::Signal::KILL);
            }
        })
    });
    let resolved = Arc::new(AtomicUsize::new(0));
    let watch = |future: &PoolFuture<u64>| {
        let resolved = Arc::clone(&resolved);
        future.add_done_callback(move |_| {
            resolved.fetch_add(1, Ordering::SeqCst);
        });
    };
    let third = n / 3;
    let mut outcomes: Vec<(u64, Result<u64, FutureError>)> = Vec::with_capacity(n as usize);
    let mut submitted = 0;
    let mut submitted_items = 0;
    let mut not_submitted = 0;

    // submit + join
    let mut futures = Vec::new();
    for id in 0..third {
        match pool.submit(TRIPLE, id) {
            Ok(future) => {
                watch(&future);
                futures.push((id, future));
            }
            Err(error) => outcomes.push((id, Err(error.into_future_error_for_test()))),
        }
    }
    submitted += futures.len();
    for (id, future) in futures {
        outcomes.push((id, future.join()));
    }

    // submit + as_completed
    let mut futures = Vec::new();
    let mut ids = Vec::new();
    for id in third..2 * third {
        match pool.submit(TRIPLE, id) {
            Ok(future) => {
                watch(&future);
                futures.push(future);
                ids.push(id);
            }
            Err(error) => outcomes.push((id, Err(error.into_future_error_for_test()))),
        }
    }
    submitted += futures.len();
    let mut by_result = Vec::new();
    for done in as_completed(&futures, Duration::from_secs(120)) {
        let done = done.expect("as_completed does not time out");
        let index = futures
            .iter()
            .position(|future| std::ptr::eq(future, done))
            .expect("one of ours");
        by_result.push((ids[index], done.result(None)));
    }
    assert_eq!(
        by_result.len(),
        futures.len(),
        "as_completed yields every future once"
    );
    outcomes.extend(by_result);

    // map with a chunksize
    match pool.map_chunked(TRIPLE, 2 * third..n, 1 + (n as usize % 37)) {
        Ok(map) => {
            let results: Vec<_> = map.collect();
            // One result per item, in order, up to the first chunk the broken pool refused
            // (Python's map raises there); the items after it were never submitted.
            let items = n - 2 * third;
            if (results.len() as u64) < items {
                assert!(
                    matches!(results.last(), Some(Err(FutureError::BrokenProcessPool(_)))),
                    "a map ends early only at a broken pool"
                );
            }
            assert!(results.len() as u64 <= items);
            submitted_items += results.len();
            outcomes.extend((2 * third..n).zip(results));
            not_submitted = items as usize - submitted_items;
        }
        Err(error) => {
            let error = error.into_future_error_for_test();
            outcomes.extend((2 * third..n).map(|id| (id, Err(error.clone()))));
        }
    }
    if let Some(killer) = killer {
        killer.join().unwrap();
    }
    seen.lock().unwrap().extend(pool.worker_pids());
    let killed = killed.load(Ordering::SeqCst);
    let mut kinds = [0; 3];
    for (id, outcome) in &outcomes {
        check(*id, outcome, killed);
        kinds[match outcome {
            Ok(_) => 0,
            Err(FutureError::Panicked(_)) => 1,
            Err(_) => 2,
        }] += 1;
    }
    assert_eq!(
        outcomes.len() + not_submitted,
        n as usize,
        "every task is accounted for"
    );
    let ids: HashSet<u64> = outcomes.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), outcomes.len(), "and exactly once");
    // Callbacks run on the reader threads; give the last ones a moment.
    let deadline = Instant::now() + Duration::from_secs(10);
    while resolved.load(Ordering::SeqCst) < submitted && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(
        resolved.load(Ordering::SeqCst),
        submitted,
        "each future completed once"
    );
    drop(Arc::into_inner(pool).expect("the killer is done"));
    kinds
}

trait ForTest {
    fn into_future_error_for_test(self) -> FutureError;
}

impl ForTest for cogen::pool::SubmitError {
    fn into_future_error_for_test(self) -> FutureError {
        match self {
            cogen::pool::SubmitError::BrokenProcessPool(cause) => {
                FutureError::BrokenProcessPool(cause)
            }
            other => panic!("unexpected submit error {other:?}"),
        }
    }
}

#[test]
fn killed_workers_lose_no_future() {
    let total = task_count();
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let done = Arc::clone(&done);
        thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(600);
            while !done.load(Ordering::SeqCst) {
                if Instant::now() > deadline {
                    eprintln!("process pool stress: no progress for 600 s, a hang");
                    std::process::abort();
                }
                thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let seen = Mutex::new(HashSet::new());
    let per_round = 2_000.min(total).max(3);
    let rounds = total.div_ceil(per_round);
    let mut rng = Rng(0x5eed_cafe);
    let mut totals = [0; 3];
    let mut kills = 0;
    for round_number in 0..rounds {
        let workers = if round_number % 2 == 0 { 2 } else { 8 };
        let n = per_round.min(total - round_number * per_round);
        let kill = (rng.next() % 3 != 0).then(|| Duration::from_micros(rng.next() % 60_000));
        kills += usize::from(kill.is_some());
        let kinds = round(workers, n, kill, &seen);
        for (total, kind) in totals.iter_mut().zip(kinds) {
            *total += kind;
        }
    }
    done.store(true, Ordering::SeqCst);
    watchdog.join().unwrap();
    eprintln!(
        "process pool stress: {total} tasks in {rounds} rounds, {kills} with a kill: {} values, \
         {} panics, {} BrokenProcessPool",
        totals[0], totals[1], totals[2]
    );
    assert!(totals[0] > 0 && totals[1] > 0);
    // No worker outlives the test: each was reaped when its pool was dropped.
    for pid in seen.into_inner().unwrap() {
        assert!(
            std::fs::metadata(format!("/proc/{pid}")).is_err(),
            "worker {pid} outlived its pool"
        );
    }
}
