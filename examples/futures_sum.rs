//! The Python concurrency tutorial, cells In [3]-[7] and In [38]-[40]: `sum_generator` (a sum over a generator) run
//! on a thread pool and on a process pool three ways: `executor.map` (results in the order of
//! the work list), `submit` + `wait(timeout=7)` (split into done and not done), and `submit` +
//! `as_completed` (results in the order they finish).
//!
//! The process pool's workers are this program started again: `main` first lets such a
//! process serve `sum_generator` (registered as the task `SUM_GENERATOR`), the way Python's
//! workers import the script's `__main__` module.
//!
//! ```text
//! cargo run --release --example futures_sum             # the seed's numbers, up to 10^8
//! cargo run --example futures_sum -- --quick            # every number divided by 1000
//! cargo run --example futures_sum -- --timeout 0.05     # wait less, to see pending futures
//! cargo build --release --example futures_sum --features mpi
//! mpirun -n 3 target/release/examples/futures_sum --mpi  # the map cell on 2 MPI worker ranks
//! ```
//!
//! With `--mpi` (feature `mpi`) the map cell runs on an
//! [`MpiPoolExecutor`](cogen::pool::MpiPoolExecutor) instead, as mpi4py.futures runs it: every
//! rank starts this program, rank 0 prints the result line and the others serve
//! `sum_generator`. Without `mpirun` it says that the pool has no workers.
//!
//! Expected output: `tests/fixtures/seed004/futures_sum.out` (printed by CPython; `.quick.out`
//! for `--quick`). Times, the states of just-submitted futures and the order of Python's sets
//! vary from run to run; `tests/examples.rs` says how the two are compared.

use std::fmt::Debug;
use std::future::Future;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use cogen::Gen;
use cogen::pool::{
    Executor, ProcessPoolExecutor, Registry, ReturnWhen, Task, ThreadPoolExecutor, as_completed,
    wait,
};

/// In [4]: the work of the `map` cell.
const MAP_WORK_LIST: [u64; 4] = [100_000, 1_000_000, 10_000_000, 10_000_000];

/// In [38]: the seed redefines `WORK_LIST` for the `wait` and `as_completed` cells.
const WORK_LIST: [u64; 4] = [100_000_000, 100_000, 10_000, 1_000_000];

/// Python: `(n for n in range(1, n + 1))`
fn one_to(n: u64) -> Gen<u64, (), impl Future<Output = ()>> {
    Gen::new(move |co| async move {
        for i in 1..=n {
            co.yield_(i).await;
        }
    })
}

/// Python: `def sum_generator(n): return sum(n for n in range(1, n + 1))`
///
/// `black_box` hides `n` and each yielded number from the optimizer, so that the generator
/// really is resumed `n` times instead of the loop being folded into `n * (n + 1) / 2`.
fn sum_generator(n: u64) -> u64 {
    one_to(black_box(n)).map(black_box).sum()
}

/// `sum_generator` as a task a worker process can run.
const SUM_GENERATOR: Task<u64, u64> = cogen::task!(sum_generator);

/// The tasks this program's worker processes know.
fn tasks() -> Registry {
    Registry::new().with(SUM_GENERATOR)
}

/// In [6]: `with ThreadPoolExecutor() as excutor: result = excutor.map(sum_generator, WORK_LIST)`
/// and the cell after it, the same with `ProcessPoolExecutor()`.
///
/// The seed computes `worker = min(10, len(WORK_LIST))` but calls the constructor without it,
/// which takes Python's default; so does `new`. Dropping `excutor` is the end of Python's
/// `with` block: shut down and wait for the workers.
fn map_cell(excutor: impl Executor, work_list: &[u64]) {
    let start_tm = Instant::now();
    // map: results in the order of the work, all of it started at once.
    let result: Vec<u64> = excutor
        .map_task(SUM_GENERATOR, work_list.to_vec(), 1)
        .expect("sum_generator is registered")
        .map(|sum| sum.expect("sum_generator does not panic"))
        .collect();
    drop(excutor); // the end of Python's `with` block: shut down and wait for the workers
    let end_tm = start_tm.elapsed();
    println!(
        "\n Result -> {result:?} Time : {:.2}s",
        end_tm.as_secs_f64()
    );
}

/// In [39]: `submit` each number, then `wait(futures_list, timeout=7)`.
fn wait_cell(excutor: impl Executor, work_list: &[u64], timeout: f64) {
    let start_tm = Instant::now();
    let mut futures_list = Vec::new();
    for &work in work_list {
        // The future comes back at once; a worker runs the sum (or will).
        let future = excutor
            .submit_task(SUM_GENERATOR, work)
            .expect("the pool is not shut down");
        println!("Scheduled for {work} : {future:?}");
        futures_list.push(future);
    }
    println!();

    // Wait `timeout` seconds at most; the futures not finished by then are `not_done`.
    let result = wait(
        &futures_list,
        Duration::from_secs_f64(timeout),
        ReturnWhen::AllCompleted,
    );
    println!("Completed Tasks : {}", py_set(&result.done));
    println!();
    println!(
        "Pending ones after waiting for {timeout} seconds : {}",
        py_set(&result.not_done)
    );
    println!();
    let results: Vec<u64> = result
        .done
        .iter()
        .map(|future| future.result(None).expect("sum_generator does not panic"))
        .collect();
    println!("Result : {results:?}");
    drop(excutor); // as leaving `with`: the pending futures run to the end first

    let end_tm = start_tm.elapsed();
    println!("\n Time : {:.2}s", end_tm.as_secs_f64());
}

/// In [40]: `submit` each number, then take the futures as they complete.
fn as_completed_cell(excutor: impl Executor, work_list: &[u64]) {
    let start_tm = Instant::now();
    let mut futures_list = Vec::new();
    for &work in work_list {
        let future = excutor
            .submit_task(SUM_GENERATOR, work)
            .expect("the pool is not shut down");
        println!("Scheduled for {work} : {future:?}");
        futures_list.push(future);
    }
    println!();

    // The quickest sums come first, whatever their place in the list.
    for future in as_completed(&futures_list, None) {
        let future = future.expect("without a timeout, as_completed does not time out");
        let result = future.result(None).expect("sum_generator does not panic");
        let done = future.done();
        let cancelled = future.cancelled();
        println!("Future Result : {result}, Done : {}", py_bool(done));
        println!("Future Cancelled : {}", py_bool(cancelled));
        println!();
    }
    drop(excutor);

    let end_tm = start_tm.elapsed();
    println!("\n Time : {:.2}s", end_tm.as_secs_f64());
}

/// The map cell on the ranks of an MPI job (mpi4py.futures' `MPIPoolExecutor`): on every rank
/// but 0, `start` serves `sum_generator` and then exits the process.
#[cfg(feature = "mpi")]
fn map_cell_on_mpi(work_list: &[u64]) -> ExitCode {
    match cogen::pool::MpiPoolExecutor::start(tasks) {
        Ok(excutor) => {
            map_cell(excutor, work_list);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("futures_sum: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "mpi"))]
fn map_cell_on_mpi(_: &[u64]) -> ExitCode {
    eprintln!(
        "futures_sum: --mpi needs cogen's `mpi` feature: \
         cargo build --release --example futures_sum --features mpi"
    );
    ExitCode::from(2)
}

/// Python's `str` of a set: `{a, b}`, or `set()` when empty.
fn py_set(items: &[impl Debug]) -> String {
    if items.is_empty() {
        return "set()".to_string();
    }
    let items: Vec<String> = items.iter().map(|item| format!("{item:?}")).collect();
    format!("{{{}}}", items.join(", "))
}

/// Python's `str` of a bool.
fn py_bool(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// The command line: `--quick` divides the work by 1000, `--timeout SECONDS` sets `wait`'s,
/// `--mpi` runs the map cell on MPI ranks instead of everything else.
struct Options {
    scale: u64,
    timeout: f64,
    mpi: bool,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        scale: 1,
        timeout: 7.0,
        mpi: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => options.scale = 1000,
            "--mpi" => options.mpi = true,
            "--timeout" => {
                let value = args.next().ok_or("--timeout needs a number of seconds")?;
                options.timeout = value
                    .parse()
                    .ok()
                    .filter(|seconds: &f64| seconds.is_finite() && *seconds >= 0.0)
                    .ok_or(format!("--timeout: not a number of seconds: {value}"))?;
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    // In a worker process: serve sum_generator to the pool, then exit.
    cogen::pool::serve_if_worker(tasks);
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!(
                "futures_sum: {message}\nusage: futures_sum [--quick] [--timeout SECONDS] [--mpi]"
            );
            return ExitCode::from(2);
        }
    };
    let scaled = |list: [u64; 4]| list.map(|n| n / options.scale);
    if options.mpi {
        return map_cell_on_mpi(&scaled(MAP_WORK_LIST));
    }

    map_cell(ThreadPoolExecutor::new(), &scaled(MAP_WORK_LIST));
    map_cell(ProcessPoolExecutor::new(tasks), &scaled(MAP_WORK_LIST));
    let work_list = scaled(WORK_LIST);
    wait_cell(ThreadPoolExecutor::new(), &work_list, options.timeout);
    as_completed_cell(ThreadPoolExecutor::new(), &work_list);
    wait_cell(ProcessPoolExecutor::new(tasks), &work_list, options.timeout);
    as_completed_cell(ProcessPoolExecutor::new(tasks), &work_list);
    ExitCode::SUCCESS
}
