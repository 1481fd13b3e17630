//! Nothing is lost: a million tiny tasks go through `submit`, `as_completed`, `map` and
//! `map_unordered`, some cancelled (or their map dropped part-way) and some panicking at random, and every one is accounted for exactly once, under 2
//! and under 32 workers.
//!
//! `COGEN_STRESS_TASKS=n` runs n tasks instead (the valgrind run in `scripts/memcheck.sh` uses
//! a few thousand: a million under valgrind would take an hour).

use std::sync::Once;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use cogen::pool::{FutureError, PoolFuture, ThreadPoolExecutor, as_completed};

/// 40% of the tasks go through `submit` + `join`, 30% through `as_completed`, the rest the maps.
fn task_count() -> usize {
    std::env::var("COGEN_STRESS_TASKS").map_or(1_000_000, |n| {
        n.parse().expect("COGEN_STRESS_TASKS must be a number")
    })
}

/// A lost wake-up would hang the run; fail instead.
const HANG: Duration = Duration::from_secs(600);

/// A small deterministic generator (xorshift64*), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Which tasks panic: fixed by the id, so the checker knows without being told.
fn panics(id: usize) -> bool {
    id.wrapping_mul(0x9e37_79b9) % 100 < 5
}

fn task(id: usize, runs: &[AtomicU8]) -> u64 {
    runs[id].fetch_add(1, Ordering::Relaxed);
    if panics(id) {
        panic!("stress task {id}");
    }
    id as u64 * 3
}

/// Silences the expected panics (tens of thousands of them), and only those.
fn quiet_expected_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .unwrap_or("");
            if !message.starts_with("stress task ") {
                default(info);
            }
        }));
    });
}

struct Ledger {
    /// How many outcomes each task had reported to us (must end as exactly 1).
    reported: Vec<u8>,
    /// Tasks we cancelled successfully.
    cancelled: Vec<bool>,
    /// Tasks of a map dropped before it yielded them: run at most once, never reported.
    abandoned: Vec<bool>,
}

impl Ledger {
    fn new(tasks: usize) -> Self {
        Ledger {
            reported: vec![0; tasks],
            cancelled: vec![false; tasks],
            abandoned: vec![false; tasks],
        }
    }

    fn record(&mut self, id: usize, outcome: Result<u64, FutureError>) {
        self.reported[id] += 1;
        let expected = if self.cancelled[id] {
            Err(FutureError::Cancelled)
        } else if panics(id) {
            Err(FutureError::Panicked(format!("stress task {id}").into()))
        } else {
            Ok(id as u64 * 3)
        };
        assert_eq!(outcome, expected, "task {id}");
    }
}

fn stress(workers: usize) {
    quiet_expected_panics();
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        run(workers);
        done.send(()).unwrap();
    });
    match finished.recv_timeout(HANG) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the stress run hung ({workers} workers)"),
        // The run panicked; its message is on stderr.
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("the stress run failed ({workers} workers)")
        }
    }
}

fn run(workers: usize) {
    let tasks = task_count();
    let by_submit = tasks * 4 / 10;
    let by_as_completed = tasks * 3 / 10;
    let runs: Arc<[AtomicU8]> = (0..tasks).map(|_| AtomicU8::new(0)).collect();
    let mut rng = Rng(0x5eed_0000 + workers as u64);
    let mut ledger = Ledger::new(tasks);
    let pool = ThreadPoolExecutor::with_max_workers(workers);

    // 1. submit, cancel some at random right away, then join in submission order.
    let futures: Vec<(usize, PoolFuture<u64>)> = (0..by_submit)
        .map(|id| {
            let runs = Arc::clone(&runs);
            let future = pool.submit(move || task(id, &runs)).unwrap();
            if rng.chance(10) && future.cancel() {
                ledger.cancelled[id] = true;
            }
            (id, future)
        })
        .collect();
    for (id, future) in futures {
        ledger.record(id, future.join());
    }

    // 2. submit, cancel some at random a little later, collect with as_completed.
    let ids = by_submit..by_submit + by_as_completed;
    let futures: Vec<PoolFuture<u64>> = ids
        .clone()
        .map(|id| {
            let runs = Arc::clone(&runs);
            pool.submit(move || task(id, &runs)).unwrap()
        })
        .collect();
    for (id, future) in ids.clone().zip(&futures) {
        if rng.chance(10) && future.cancel() {
            ledger.cancelled[id] = true;
        }
    }
    let first_id = ids.start;
    let index_of: std::collections::HashMap<*const PoolFuture<u64>, usize> = futures
        .iter()
        .enumerate()
        .map(|(index, future)| (future as *const _, first_id + index))
        .collect();
    let mut yielded = 0;
    for future in as_completed(&futures, None) {
        let future = future.expect("no timeout was set");
        let id = index_of[&(future as *const _)];
        assert!(future.done());
        ledger.record(id, future.result(None));
        yielded += 1;
    }
    assert_eq!(yielded, by_as_completed);

    // 3. the rest through `map` and `map_unordered` in runs of random length, some dropped
    //    part-way at random: the tasks of a dropped map that were still queued are cancelled
    //    and never reported, the others run once.
    let mut next_id = by_submit + by_as_completed;
    // About a hundred runs, whatever the task count.
    let longest_run = ((tasks - next_id) / 50).max(2) as u64;
    while next_id < tasks {
        let end = (next_id + 1 + (rng.next() % longest_run) as usize).min(tasks);
        let pulled = Arc::new(AtomicUsize::new(next_id));
        let source = {
            let pulled = Arc::clone(&pulled);
            (next_id..end).inspect(move |&id| pulled.store(id + 1, Ordering::Relaxed))
        };
        let take = if rng.chance(30) {
            (rng.next() % (end - next_id) as u64) as usize
        } else {
            usize::MAX
        };
        let map_runs = Arc::clone(&runs);
        let function = move |id: usize| task(id, &map_runs);
        if rng.chance(50) {
            let in_order = pool.map_buffered(function, source, workers).take(take);
            for (id, outcome) in (next_id..).zip(in_order) {
                ledger.record(id, outcome);
            }
        } else {
            for outcome in pool
                .map_unordered_buffered(function, source, workers)
                .take(take)
            {
                ledger.record(id_of(&outcome), outcome);
            }
        }
        // Pulled from the source but not reported: in flight when the map was dropped.
        for id in next_id..pulled.load(Ordering::Relaxed) {
            ledger.abandoned[id] = ledger.reported[id] == 0;
        }
        next_id = pulled.load(Ordering::Relaxed);
    }

    pool.shutdown(true, false);
    let (mut cancelled, mut abandoned) = (0, 0);
    for id in 0..tasks {
        let ran = runs[id].load(Ordering::Relaxed);
        if ledger.abandoned[id] {
            abandoned += 1;
            assert_eq!(ledger.reported[id], 0, "abandoned task {id} was reported");
            assert!(ran <= 1, "abandoned task {id} ran {ran} times");
            continue;
        }
        assert_eq!(
            ledger.reported[id], 1,
            "task {id} was reported {} times",
            ledger.reported[id]
        );
        if ledger.cancelled[id] {
            cancelled += 1;
            assert_eq!(ran, 0, "cancelled task {id} ran");
        } else {
            assert_eq!(ran, 1, "task {id} ran {ran} times");
        }
    }
    // The random cancels did hit pending tasks, and not all of them.
    assert!(
        cancelled > 0 && cancelled < by_submit + by_as_completed,
        "{cancelled} cancelled"
    );
    // Maps were dropped part-way (whether their queued tasks had started by then depends on
    // timing; tests/pool.rs checks that a dropped map cancels them).
    assert!(abandoned > 0, "no map was dropped part-way");
}

/// The task id an outcome of `task` belongs to: `map_unordered` yields no index.
fn id_of(outcome: &Result<u64, FutureError>) -> usize {
    match outcome {
        Ok(value) => (value / 3) as usize,
        Err(FutureError::Panicked(message)) => message.message()["stress task ".len()..]
            .parse()
            .expect("a stress task's panic message"),
        Err(other) => panic!("a map yielded {other:?}"),
    }
}

#[test]
fn a_million_tasks_two_workers() {
    stress(2);
}

#[test]
fn a_million_tasks_thirty_two_workers() {
    stress(32);
}
