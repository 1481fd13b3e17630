//! cogen's process pool (`cogen::pool::ProcessPoolExecutor`) against cogen's own thread pool
//! (`ThreadPoolExecutor`, through the same `Executor` trait and the same registered task) and
//! (in `benches/process_pool_cpython.py`, the same workloads) CPython's
//! `concurrent.futures.ProcessPoolExecutor`.
//!
//! Every task is the same tiny one, `TINY`: `black_box(n) + 1` for a `u64` `n`, registered by
//! name. Every pool has 2 workers (the benchmark machine has 2 cores). Results are checked
//! (their sum) before timing. This binary is also the workers' program: `main` calls
//! `serve_if_worker` first, so criterion's `main` is written out by hand.
//!
//! Peers: `cogen_process` (`ProcessPoolExecutor`: arguments and results encoded with postcard
//! and sent over a Unix socket per worker) and `cogen_thread` (`ThreadPoolExecutor`, the
//! `Executor` trait's `submit_task` and `map_task`: the same `Task`, nothing encoded).
//!
//! Groups (parameter `w<workers>`):
//! - `process_pool_latency`: submit one task to a warm pool and block for its result (`join`);
//!   per task.
//! - `process_pool_throughput`: `N = 100_000` tasks, reported per task
//!   (`Throughput::Elements(N)`): `submit_join` submits all N, then joins them in order;
//!   `map_chunked_1000` is `map_chunked(TINY, 0..N, 1000)` (Python's `map(chunksize=1000)`),
//!   `map` is chunksize 1 (`map(TINY, 0..N)`; both through `Executor::map_task`). cogen's maps
//!   are lazy, `2 × workers` chunks in flight; CPython's submit everything at once.
//! - `process_pool_startup`: a new pool of `N` workers (`w1`, `w2`), cold, per pool:
//!   `first_result` times building the pool, submitting N tasks at once and joining the first
//!   (the rest are joined and the pool dropped outside the timing); `lifecycle` times all of
//!   it: build, submit N, join all N, drop (shut down, wait, and for processes reap every
//!   worker). Submitting N tasks at once starts N workers (both cogen and CPython start a
//!   worker per waiting task up to the maximum; CPython's fork pool starts all of them on the
//!   first submit).
//!
//! `main` runs `process_pool_startup` first, then latency and throughput (the CPython script
//! measures start-up and memory first too: a forked worker is a copy of its parent, so they
//! come before the 100,000-task runs grow the parent).
//!
//! Before the groups, `main` prints the memory of each idle worker process (not a criterion
//! timing): `VmRSS`, `RssAnon` and `RssFile` from `/proc/<pid>/status`, and `Pss` and `Uss`
//! (`Private_Clean` + `Private_Dirty`: the pages no other process shares) from
//! `/proc/<pid>/smaps_rollup`, read after a warm-up task and a short idle pause, and the growth
//! of this process's `VmRSS` per thread for the thread pool. They are written to
//! `target/process_pool_rss.json` for `scripts/process_pool_table.py`.
//!
//! Run: `cargo bench -p cogen-benches --bench process_pool && python3 benches/process_pool_cpython.py --json
//! target/process_pool_cpython.json && python3 scripts/process_pool_table.py` (BENCHMARKS.md).

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cogen::pool::{Executor, ProcessPoolExecutor, Registry, Task, ThreadPoolExecutor};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};

/// Tasks per iteration in `process_pool_throughput`.
const N: u64 = 100_000;
/// Workers of every pool but those of `process_pool_startup`.
const WORKERS: usize = 2;
/// Worker counts in `process_pool_startup`.
const STARTUP_WORKERS: [usize; 2] = [1, 2];
/// The chunk size of `map_chunked_1000`.
const CHUNKSIZE: usize = 1000;
/// How long the workers sit idle before their memory is read.
const IDLE_PAUSE: Duration = Duration::from_millis(300);

/// The task every peer runs.
fn tiny(n: u64) -> u64 {
    black_box(n) + 1
}
const TINY: Task<u64, u64> = cogen::task!(tiny);

fn tasks() -> Registry {
    Registry::new().with(TINY)
}

/// The sum of `tiny(i)` for `i` in `0..n`.
fn expected(n: u64) -> u64 {
    n * (n + 1) / 2
}

// ---- the workloads, for any executor ----

fn submit_join<E: Executor>(executor: &E, n: u64) -> u64 {
    let futures: Vec<_> = (0..n)
        .map(|i| executor.submit_task(TINY, i).unwrap())
        .collect();
    futures.into_iter().map(|f| f.join().unwrap()).sum()
}

fn map_chunked<E: Executor>(executor: &E, n: u64, chunksize: usize) -> u64 {
    executor
        .map_task(TINY, 0..n, chunksize)
        .unwrap()
        .map(Result::unwrap)
        .sum()
}

/// Both pools, warm: every worker has run a task.
fn warm_pools() -> (ProcessPoolExecutor, ThreadPoolExecutor) {
    let process = ProcessPoolExecutor::with_max_workers(WORKERS, tasks);
    let thread = ThreadPoolExecutor::with_max_workers(WORKERS);
    let w = WORKERS as u64;
    assert_eq!(submit_join(&process, w), expected(w));
    assert_eq!(submit_join(&thread, w), expected(w));
    (process, thread)
}

// ---- latency: one task on a warm pool ----

fn latency(c: &mut Criterion) {
    let mut group = c.benchmark_group("process_pool_latency");
    group.throughput(Throughput::Elements(1));
    let (process, thread) = warm_pools();
    let id = |name: &str| BenchmarkId::new(name, format!("w{WORKERS}"));
    let mut i = 0u64;
    group.bench_function(id("cogen_process_submit_join"), |b| {
        b.iter(|| {
            i += 1;
            process.submit(TINY, i).unwrap().join().unwrap()
        });
    });
    group.bench_function(id("cogen_thread_submit_join"), |b| {
        b.iter(|| {
            i += 1;
            thread.submit_task(TINY, i).unwrap().join().unwrap()
        });
    });
    group.finish();
}

// ---- throughput: N tasks ----

fn throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("process_pool_throughput");
    group.throughput(Throughput::Elements(N));
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    let (process, thread) = warm_pools();
    let id = |name: &str| BenchmarkId::new(name, format!("w{WORKERS}"));

    type Run<'a> = Box<dyn Fn() -> u64 + 'a>;
    let peers: [(&str, Run<'_>); 6] = [
        (
            "cogen_process_submit_join",
            Box::new(|| submit_join(&process, black_box(N))),
        ),
        (
            "cogen_process_map_chunked_1000",
            Box::new(|| map_chunked(&process, black_box(N), CHUNKSIZE)),
        ),
        (
            "cogen_process_map",
            Box::new(|| map_chunked(&process, black_box(N), 1)),
        ),
        (
            "cogen_thread_submit_join",
            Box::new(|| submit_join(&thread, black_box(N))),
        ),
        (
            "cogen_thread_map_chunked_1000",
            Box::new(|| map_chunked(&thread, black_box(N), CHUNKSIZE)),
        ),
        (
            "cogen_thread_map",
            Box::new(|| map_chunked(&thread, black_box(N), 1)),
        ),
    ];
    for (name, run) in &peers {
        assert_eq!(run(), expected(N), "{name}");
        group.bench_function(id(name), |b| b.iter(run));
    }
    group.finish();
}

// ---- start-up: a new pool of n workers ----

/// Builds a pool of `workers`, submits one task per worker, and returns the time to the first
/// result and the time to the end (all results, the pool dropped).
fn cold_pool<E: Executor>(workers: usize, build: impl Fn(usize) -> E) -> (Duration, Duration) {
    let start = Instant::now();
    let executor = build(workers);
    let mut futures = (0..workers as u64)
        .map(|i| executor.submit_task(TINY, i).unwrap())
        .collect::<Vec<_>>()
        .into_iter();
    let mut sum = futures.next().unwrap().join().unwrap();
    let first = start.elapsed();
    sum += futures.map(|f| f.join().unwrap()).sum::<u64>();
    drop(executor);
    let all = start.elapsed();
    assert_eq!(sum, expected(workers as u64));
    (first, all)
}

fn process_pool(workers: usize) -> ProcessPoolExecutor {
    ProcessPoolExecutor::with_max_workers(workers, tasks)
}

fn startup(c: &mut Criterion) {
    let mut group = c.benchmark_group("process_pool_startup");
    group.sample_size(20);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    type Timer = fn(usize) -> (Duration, Duration);
    let peers: [(&str, Timer); 2] = [
        ("cogen_process", |w| cold_pool(w, process_pool)),
        ("cogen_thread", |w| {
            cold_pool(w, ThreadPoolExecutor::with_max_workers)
        }),
    ];
    for workers in STARTUP_WORKERS {
        for (peer, timer) in peers {
            let param = format!("w{workers}");
            group.bench_function(
                BenchmarkId::new(format!("{peer}_first_result"), &param),
                |b| {
                    b.iter_custom(|iters| (0..iters).map(|_| timer(workers).0).sum());
                },
            );
            group.bench_function(BenchmarkId::new(format!("{peer}_lifecycle"), &param), |b| {
                b.iter_custom(|iters| (0..iters).map(|_| timer(workers).1).sum());
            });
        }
    }
    group.finish();
}

// ---- memory of idle workers ----

/// `field: <n> kB` lines of a `/proc` file, in KiB.
fn proc_kib(path: &str, fields: &[&str]) -> Vec<Option<u64>> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    fields
        .iter()
        .map(|field| {
            text.lines().find_map(|line| {
                let rest = line.strip_prefix(field)?.strip_prefix(':')?;
                rest.trim().trim_end_matches("kB").trim().parse().ok()
            })
        })
        .collect()
}

/// The memory figures, as named in the JSON (and printed).
const MEMORY: [(&str, &str); 5] = [
    ("vmrss_kib", "VmRSS"),
    ("rss_anon_kib", "RssAnon"),
    ("rss_file_kib", "RssFile"),
    ("pss_kib", "Pss"),
    ("uss_kib", "Uss"),
];

/// `VmRSS`, `RssAnon`, `RssFile` (`/proc/<pid>/status`), `Pss` and `Uss` (`Private_Clean` +
/// `Private_Dirty`, `/proc/<pid>/smaps_rollup`) of a process, in KiB.
fn memory(pid: &str) -> [Option<u64>; 5] {
    let status = proc_kib(
        &format!("/proc/{pid}/status"),
        &["VmRSS", "RssAnon", "RssFile"],
    );
    let rollup = proc_kib(
        &format!("/proc/{pid}/smaps_rollup"),
        &["Pss", "Private_Clean", "Private_Dirty"],
    );
    let uss = rollup[1].zip(rollup[2]).map(|(clean, dirty)| clean + dirty);
    [status[0], status[1], status[2], rollup[0], uss]
}

fn kib(value: Option<u64>) -> String {
    value.map_or_else(|| "null".to_string(), |v| v.to_string())
}

/// Prints (and writes to `target/process_pool_rss.json`) the memory of each idle worker of a
/// warm 2-worker process pool, and this process's growth per thread of a warm thread pool.
fn idle_memory() {
    let w = WORKERS as u64;
    // Threads first, before any process pool's reader threads: the growth of this process's
    // resident set, per worker thread.
    let own = memory("self");
    let thread = ThreadPoolExecutor::with_max_workers(WORKERS);
    assert_eq!(submit_join(&thread, w), expected(w));
    std::thread::sleep(IDLE_PAUSE);
    let after = memory("self");
    drop(thread);
    let per_thread: Vec<Option<u64>> = own
        .iter()
        .zip(after)
        .map(|(before, after)| Some(after?.saturating_sub((*before)?) / w))
        .collect();

    let process = ProcessPoolExecutor::with_max_workers(WORKERS, tasks);
    assert_eq!(submit_join(&process, w), expected(w));
    let pids = process.worker_pids();
    assert_eq!(pids.len(), WORKERS, "every worker started");
    std::thread::sleep(IDLE_PAUSE);
    let workers: Vec<(u32, [Option<u64>; 5])> = pids
        .iter()
        .map(|pid| (*pid, memory(&pid.to_string())))
        .collect();
    drop(process);

    let row = |peer: &str, pid: &str, values: &[Option<u64>]| {
        let cells: Vec<String> = values.iter().map(|v| format!("{:>8}", kib(*v))).collect();
        println!("{peer:<26} {pid:>8} {}", cells.join(" "));
    };
    let object = |values: &[Option<u64>]| {
        let fields: Vec<String> = MEMORY
            .iter()
            .zip(values)
            .map(|((key, _), value)| format!("\"{key}\": {}", kib(*value)))
            .collect();
        fields.join(", ")
    };
    println!("process_pool_rss: idle workers of a warm {WORKERS}-worker pool, KiB");
    let names: Vec<String> = MEMORY
        .iter()
        .map(|(_, name)| format!("{name:>8}"))
        .collect();
    println!("{:<26} {:>8} {}", "peer", "pid", names.join(" "));
    let mut json = String::from("{\n \"process_workers\": [");
    for (index, (pid, values)) in workers.iter().enumerate() {
        row("cogen_process_worker", &pid.to_string(), values);
        let comma = if index == 0 { "" } else { "," };
        let _ = write!(json, "{comma}\n  {{\"pid\": {pid}, {}}}", object(values));
    }
    row("cogen_thread (growth/thr)", "-", &per_thread);
    row(
        "this process (parent)",
        &std::process::id().to_string(),
        &own,
    );
    println!();
    let _ = write!(
        json,
        "\n ],\n \"thread_growth_per_worker\": {{{}}},\n \"parent\": {{{}}}\n}}\n",
        object(&per_thread),
        object(&own)
    );
    let dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join("process_pool_rss.json"), json);
    }
}

fn main() {
    // Workers are this binary started again: they serve here and never reach criterion.
    cogen::pool::serve_if_worker(tasks);
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
        .configure_from_args();
    idle_memory();
    startup(&mut c);
    latency(&mut c);
    throughput(&mut c);
    c.final_summary();
}
