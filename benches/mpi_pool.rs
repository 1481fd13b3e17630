//! cogen's MPI pool (`cogen::pool::MpiPoolExecutor`) against its process pool
//! (`ProcessPoolExecutor`), in one run, on the same registered tasks. Needs the benches'
//! `mpi` feature and `mpirun`; every rank runs this program, rank 0 measures.
//!
//! - `mpi_pool_latency`: submit one tiny task (`black_box(n) + 1`) to a warm pool and block for
//!   its result; per task.
//! - `mpi_pool_throughput`: `map_chunked(TINY, 0..100_000, 1000)` (Python's
//!   `map(chunksize=1000)`), every result taken; reported per task.
//!
//! Both pools have as many workers as the job has ranks but rank 0 (run it with `-n 3`: 2, the
//! machine's cores). The MPI workers wait for work by polling with a growing pause, so they
//! take no CPU while the process pool is measured.
//!
//! With `--work-list`, instead of criterion: seed 004's `sum_generator` over its two work lists
//! (`map`, chunksize 1), on the MPI pool and then on a process pool of as many workers, each
//! timed 5 times; prints one line per list and pool with the median wall time. Run it with
//! `-n 2` and `-n 3` for the speed-up from 1 to 2 worker ranks.
//!
//! ```sh
//! cargo bench -p cogen-benches --features mpi --bench mpi_pool --no-run
//! exe=$(ls -t target/release/deps/mpi_pool-* | grep -v '\.d$' | head -1)
//! mpirun --oversubscribe -n 3 "$exe" --bench
//! mpirun --oversubscribe -n 2 "$exe" --work-list; mpirun --oversubscribe -n 3 "$exe" --work-list
//! ```
//! (As root, Open MPI also wants `OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1`.)

use std::hint::black_box;
use std::time::{Duration, Instant};

use cogen::Gen;
use cogen::pool::{Executor, MpiPoolExecutor, ProcessPoolExecutor, Registry, Task};
use criterion::{Criterion, Throughput};

/// Tasks per iteration of `mpi_pool_throughput`.
const N: u64 = 100_000;
/// The chunk size of `mpi_pool_throughput`.
const CHUNKSIZE: usize = 1000;

fn tiny(n: u64) -> u64 {
    black_box(n) + 1
}
const TINY: Task<u64, u64> = cogen::task!(tiny);

/// Seed 004's `sum_generator`: `sum(n for n in range(1, n + 1))`, by a cogen generator.
fn sum_generator(n: u64) -> u64 {
    Gen::new(move |co| async move {
        for i in 1..=black_box(n) {
            co.yield_(i).await;
        }
    })
    .map(black_box)
    .sum()
}
const SUM_GENERATOR: Task<u64, u64> = cogen::task!(sum_generator);

fn tasks() -> Registry {
    Registry::new().with(TINY).with(SUM_GENERATOR)
}

/// Seed 004's two work lists: the `map` cell's (In [4]) and the `wait` cells' (In [38]).
const WORK_LISTS: [(&str, [u64; 4]); 2] = [
    (
        "map cell [1e5, 1e6, 1e7, 1e7]",
        [100_000, 1_000_000, 10_000_000, 10_000_000],
    ),
    (
        "wait cell [1e8, 1e5, 1e4, 1e6]",
        [100_000_000, 100_000, 10_000, 1_000_000],
    ),
];

fn map_total(pool: &impl Executor, n: u64, chunksize: usize) -> u64 {
    pool.map_task(TINY, 0..n, chunksize)
        .expect("TINY is registered")
        .map(|result| result.expect("TINY does not panic"))
        .sum()
}

/// The median of 5 timed `map`s of `sum_generator` over `list`.
fn time_work_list(pool: &impl Executor, list: &[u64]) -> Duration {
    let expected: Vec<u64> = list.iter().map(|&n| n * (n + 1) / 2).collect();
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let sums: Vec<u64> = pool
                .map_task(SUM_GENERATOR, list.to_vec(), 1)
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let elapsed = start.elapsed();
            assert_eq!(sums, expected);
            elapsed
        })
        .collect();
    times.sort();
    times[2]
}

fn work_lists(mpi: &MpiPoolExecutor) {
    let workers = mpi.max_workers();
    let process = ProcessPoolExecutor::with_max_workers(workers, tasks);
    for (name, list) in WORK_LISTS {
        // Warm both pools (the process pool starts its workers on demand).
        time_work_list(&process, &[1, 1, 1, 1]);
        let on_mpi = time_work_list(mpi, &list);
        let on_processes = time_work_list(&process, &list);
        println!(
            "work list {name}: {workers} worker(s): mpi {:.1} ms, process pool {:.1} ms",
            on_mpi.as_secs_f64() * 1e3,
            on_processes.as_secs_f64() * 1e3
        );
    }
}

fn latency(c: &mut Criterion, mpi: &MpiPoolExecutor, process: &ProcessPoolExecutor) {
    let mut group = c.benchmark_group("mpi_pool_latency");
    group.bench_function("mpi", |b| {
        b.iter(|| mpi.submit(TINY, black_box(41)).unwrap().join().unwrap())
    });
    group.bench_function("process", |b| {
        b.iter(|| process.submit(TINY, black_box(41)).unwrap().join().unwrap())
    });
    group.finish();
}

fn throughput(c: &mut Criterion, mpi: &MpiPoolExecutor, process: &ProcessPoolExecutor) {
    let mut group = c.benchmark_group("mpi_pool_throughput");
    group.throughput(Throughput::Elements(N));
    group.sample_size(20);
    let expected = N * (N + 1) / 2;
    group.bench_function("mpi/map_chunked_1000", |b| {
        b.iter(|| assert_eq!(map_total(mpi, N, CHUNKSIZE), expected))
    });
    group.bench_function("process/map_chunked_1000", |b| {
        b.iter(|| assert_eq!(map_total(process, N, CHUNKSIZE), expected))
    });
    group.finish();
}

fn main() {
    // Process-pool workers are this program started again; MPI ranks 1.. serve in `start`.
    cogen::pool::serve_if_worker(tasks);
    let mpi = match MpiPoolExecutor::start(tasks) {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("mpi_pool: {error}");
            std::process::exit(1);
        }
    };
    if std::env::args().any(|arg| arg == "--work-list") {
        work_lists(&mpi);
        return;
    }
    let process = ProcessPoolExecutor::with_max_workers(mpi.max_workers(), tasks);
    assert_eq!(map_total(&mpi, 1000, 10), 1000 * 1001 / 2);
    assert_eq!(map_total(&process, 1000, 10), 1000 * 1001 / 2);
    let mut criterion = Criterion::default().configure_from_args();
    latency(&mut criterion, &mpi, &process);
    throughput(&mut criterion, &mpi, &process);
    criterion.final_summary();
}
