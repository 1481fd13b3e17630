//! cogen's thread pool (`cogen::pool`) against the threadpool crate, `rayon::ThreadPool::spawn`
//! and (in `benches/pool_cpython.py`, the same workloads) CPython's
//! `concurrent.futures.ThreadPoolExecutor`.
//!
//! Every task is the same tiny one: `black_box(i) + 1` for a `u64` `i`. Every peer runs it on a
//! pool of the same number of workers (2 and 4; the benchmark machine has 2 cores), built once
//! per bench, outside the timed loop. Results are checked (their sum) before timing.
//!
//! The peers that have no futures hand each result back through a channel:
//! - `*_oneshot`: a `std::sync::mpsc::sync_channel(1)` per task, the receiver kept as the
//!   task's handle: what a future gives (one result per task, taken in submission order);
//! - `*_shared_channel`: one `mpsc::channel` for all tasks, results taken in completion order
//!   (throughput only): the leanest way to use these pools.
//!
//! Groups (`w2`, `w4`: the worker count):
//! - `pool_latency`: submit one task and block for its result; per task.
//! - `pool_throughput`: submit `N = 100_000` tasks, then collect all the results; reported per
//!   task (`Throughput::Elements(N)`). cogen: submit all then `join` all (or `result`), `map`
//!   (lazy, `2 × workers` in flight), `map_buffered(N)` (everything in flight at once, as
//!   CPython's `map`), `map_unordered`, and submit all then `as_completed`.
//! - `pool_as_completed`: `as_completed` over 10,000, 30,000 and 100,000 handles, 2 workers:
//!   `submitted` times submitting the tasks and taking every result through `as_completed`;
//!   `done` times only `as_completed` (and `join`) over futures that have all finished.
//!   Per handle; total time linear in n means a flat time per handle.
//!
//! Run: `cargo bench -p cogen-benches --bench pool && python3 benches/pool_cpython.py --json
//! target/pool_cpython.json && python3 scripts/pool_table.py` (BENCHMARKS.md).

use std::hint::black_box;
use std::sync::mpsc;
use std::time::Duration;

use cogen::pool::{ReturnWhen, ThreadPoolExecutor, as_completed, wait};
use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};

/// Tasks per iteration in `pool_throughput`.
const N: u64 = 100_000;
/// Worker counts.
const WORKERS: [usize; 2] = [2, 4];
/// Handle counts in `pool_as_completed`.
const AS_COMPLETED_SIZES: [u64; 3] = [10_000, 30_000, 100_000];

/// The task every peer runs.
#[inline(always)]
fn task(i: u64) -> u64 {
    black_box(i) + 1
}

/// The sum of `task(i)` for `i` in `0..n`.
fn expected(n: u64) -> u64 {
    n * (n + 1) / 2
}

fn rayon_pool(workers: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("rayon pool")
}

// ---- latency: one task, submit and block for its result ----

fn latency(c: &mut Criterion) {
    let mut group = c.benchmark_group("pool_latency");
    group.throughput(Throughput::Elements(1));
    for workers in WORKERS {
        let id = |name: &str| BenchmarkId::new(name, format!("w{workers}"));

        let executor = ThreadPoolExecutor::with_max_workers(workers);
        assert_eq!(executor.submit(|| task(41)).unwrap().join(), Ok(42));
        let mut i = 0u64;
        group.bench_function(id("cogen_submit_join"), |b| {
            b.iter(|| {
                i += 1;
                executor.submit(move || task(i)).unwrap().join().unwrap()
            });
        });
        group.bench_function(id("cogen_submit_result"), |b| {
            b.iter(|| {
                i += 1;
                executor
                    .submit(move || task(i))
                    .unwrap()
                    .result(None)
                    .unwrap()
            });
        });
        drop(executor);

        let pool = threadpool::ThreadPool::new(workers);
        group.bench_function(id("threadpool_oneshot"), |b| {
            b.iter(|| {
                i += 1;
                let (sender, receiver) = mpsc::sync_channel(1);
                pool.execute(move || sender.send(task(i)).unwrap());
                receiver.recv().unwrap()
            });
        });
        pool.join();
        drop(pool);

        let pool = rayon_pool(workers);
        group.bench_function(id("rayon_spawn_oneshot"), |b| {
            b.iter(|| {
                i += 1;
                let (sender, receiver) = mpsc::sync_channel(1);
                pool.spawn(move || sender.send(task(i)).unwrap());
                receiver.recv().unwrap()
            });
        });
    }
    group.finish();
}

// ---- throughput: N tasks, submit all, then collect all ----

fn cogen_submit_join(executor: &ThreadPoolExecutor, n: u64) -> u64 {
    let futures: Vec<_> = (0..n)
        .map(|i| executor.submit(move || task(i)).unwrap())
        .collect();
    futures.into_iter().map(|f| f.join().unwrap()).sum()
}

fn cogen_submit_result(executor: &ThreadPoolExecutor, n: u64) -> u64 {
    let futures: Vec<_> = (0..n)
        .map(|i| executor.submit(move || task(i)).unwrap())
        .collect();
    futures.iter().map(|f| f.result(None).unwrap()).sum()
}

fn cogen_map(executor: &ThreadPoolExecutor, n: u64) -> u64 {
    executor.map(task, 0..n).map(Result::unwrap).sum()
}

fn cogen_map_buffered_all(executor: &ThreadPoolExecutor, n: u64) -> u64 {
    let buffer = usize::try_from(n).unwrap().max(1);
    executor
        .map_buffered(task, 0..n, buffer)
        .map(Result::unwrap)
        .sum()
}

fn cogen_map_unordered(executor: &ThreadPoolExecutor, n: u64) -> u64 {
    executor.map_unordered(task, 0..n).map(Result::unwrap).sum()
}

fn cogen_as_completed(executor: &ThreadPoolExecutor, n: u64) -> u64 {
    let futures: Vec<_> = (0..n)
        .map(|i| executor.submit(move || task(i)).unwrap())
        .collect();
    as_completed(futures, None)
        .map(|f| f.unwrap().join().unwrap())
        .sum()
}

fn threadpool_oneshot(pool: &threadpool::ThreadPool, n: u64) -> u64 {
    let receivers: Vec<_> = (0..n)
        .map(|i| {
            let (sender, receiver) = mpsc::sync_channel(1);
            pool.execute(move || sender.send(task(i)).unwrap());
            receiver
        })
        .collect();
    receivers.into_iter().map(|r| r.recv().unwrap()).sum()
}

fn threadpool_shared_channel(pool: &threadpool::ThreadPool, n: u64) -> u64 {
    let (sender, receiver) = mpsc::channel();
    for i in 0..n {
        let sender = sender.clone();
        pool.execute(move || sender.send(task(i)).unwrap());
    }
    drop(sender);
    receiver.iter().sum()
}

fn rayon_oneshot(pool: &rayon::ThreadPool, n: u64) -> u64 {
    let receivers: Vec<_> = (0..n)
        .map(|i| {
            let (sender, receiver) = mpsc::sync_channel(1);
            pool.spawn(move || sender.send(task(i)).unwrap());
            receiver
        })
        .collect();
    receivers.into_iter().map(|r| r.recv().unwrap()).sum()
}

fn rayon_shared_channel(pool: &rayon::ThreadPool, n: u64) -> u64 {
    let (sender, receiver) = mpsc::channel();
    for i in 0..n {
        let sender = sender.clone();
        pool.spawn(move || sender.send(task(i)).unwrap());
    }
    drop(sender);
    receiver.iter().sum()
}

/// Benchmarks one peer on `pool` after checking its sum. `run` is a function item, so each
/// peer gets its own monomorphised loop.
fn bench_throughput<P>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    workers: usize,
    pool: &P,
    run: impl Fn(&P, u64) -> u64,
) {
    assert_eq!(run(pool, N), expected(N), "{name}");
    group.bench_function(BenchmarkId::new(name, format!("w{workers}")), |b| {
        b.iter(|| run(pool, black_box(N)));
    });
}

fn throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("pool_throughput");
    group.throughput(Throughput::Elements(N));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for workers in WORKERS {
        let executor = ThreadPoolExecutor::with_max_workers(workers);
        let g = &mut group;
        bench_throughput(
            g,
            "cogen_submit_join",
            workers,
            &executor,
            cogen_submit_join,
        );
        bench_throughput(
            g,
            "cogen_submit_result",
            workers,
            &executor,
            cogen_submit_result,
        );
        bench_throughput(g, "cogen_map", workers, &executor, cogen_map);
        bench_throughput(
            g,
            "cogen_map_buffered_all",
            workers,
            &executor,
            cogen_map_buffered_all,
        );
        bench_throughput(
            g,
            "cogen_map_unordered",
            workers,
            &executor,
            cogen_map_unordered,
        );
        bench_throughput(
            g,
            "cogen_as_completed",
            workers,
            &executor,
            cogen_as_completed,
        );
        drop(executor);

        let pool = threadpool::ThreadPool::new(workers);
        bench_throughput(g, "threadpool_oneshot", workers, &pool, threadpool_oneshot);
        bench_throughput(
            g,
            "threadpool_shared_channel",
            workers,
            &pool,
            threadpool_shared_channel,
        );
        pool.join();
        drop(pool);

        let pool = rayon_pool(workers);
        bench_throughput(g, "rayon_spawn_oneshot", workers, &pool, rayon_oneshot);
        bench_throughput(
            g,
            "rayon_spawn_shared_channel",
            workers,
            &pool,
            rayon_shared_channel,
        );
    }
    group.finish();
}

// ---- as_completed over n handles ----

fn as_completed_scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("pool_as_completed");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    let executor = ThreadPoolExecutor::with_max_workers(2);
    for n in AS_COMPLETED_SIZES {
        group.throughput(Throughput::Elements(n));
        assert_eq!(cogen_as_completed(&executor, n), expected(n));
        group.bench_function(BenchmarkId::new("submitted", n), |b| {
            b.iter(|| cogen_as_completed(&executor, black_box(n)));
        });
        group.bench_function(BenchmarkId::new("done", n), |b| {
            b.iter_batched(
                || {
                    let futures: Vec<_> = (0..n)
                        .map(|i| executor.submit(move || task(i)).unwrap())
                        .collect();
                    let waited = wait(futures, None, ReturnWhen::AllCompleted);
                    assert!(waited.not_done.is_empty());
                    waited.done
                },
                |futures| {
                    as_completed(futures, None)
                        .map(|f| f.unwrap().join().unwrap())
                        .sum::<u64>()
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = latency, throughput, as_completed_scaling
}
criterion_main!(benches);
