//! A task that aborts its worker process, and what the other futures and the next `submit`
//! report: Python's `BrokenProcessPool`, with CPython's messages, and how the worker died.
//!
//! ```text
//! cargo run --example broken_pool
//! ```
//!
//! Expected output: `tests/fixtures/broken_pool/broken_pool.out`, printed by the same program
//! in CPython (`broken_pool.py` beside it); `tests/examples.rs` compares the two line by line.

use std::time::Duration;

use cogen::pool::{FutureError, PoolFuture, ProcessPoolExecutor, Registry, SubmitError, Task};

fn sum_to(n: u64) -> u64 {
    (1..=n).sum()
}

fn nap(seconds: u64) -> u64 {
    std::thread::sleep(Duration::from_secs(seconds));
    seconds
}

fn crash(_: ()) {
    std::process::abort()
}

fn say(word: String) -> String {
    // The worker's standard output is the parent's terminal, as in Python.
    println!("a worker says {word}");
    word.to_uppercase()
}

const SUM_TO: Task<u64, u64> = cogen::task!(sum_to);
const NAP: Task<u64, u64> = cogen::task!(nap);
const CRASH: Task<(), ()> = cogen::task!(crash);
const SAY: Task<String, String> = cogen::task!(say);

fn tasks() -> Registry {
    Registry::new().with(SUM_TO).with(NAP).with(CRASH).with(SAY)
}

/// Prints a future's value, or its error as Python prints an exception (`Type: message`) and,
/// for a broken pool, the cause cogen knows and CPython does not say.
fn report<T: std::fmt::Debug>(name: &str, future: PoolFuture<T>) {
    match future.join() {
        Ok(value) => println!("{name} -> {value:?}"),
        Err(FutureError::BrokenProcessPool(cause)) => {
            let error = FutureError::BrokenProcessPool(cause.clone());
            print_broken(name, &error.to_string(), &cause);
        }
        Err(other) => println!("{name} -> {other:?}"),
    }
}

/// `name -> BrokenProcessPool: <CPython's message>`, then the cause on a line of its own (the
/// error's text is CPython's message followed by the cause in parentheses).
fn print_broken(name: &str, error: &str, cause: &str) {
    let message = error.strip_suffix(&format!(" ({cause})")).unwrap_or(error);
    println!("{name} -> BrokenProcessPool: {message}");
    println!("  cause: {cause}");
}

fn main() {
    cogen::pool::serve_if_worker(tasks);

    let executor = ProcessPoolExecutor::with_max_workers(2, tasks);
    let said = executor
        .submit(SAY, "hello".into())
        .unwrap()
        .join()
        .unwrap();
    println!("say -> {said}");
    let sum = executor.submit(SUM_TO, 100).unwrap().join().unwrap();
    println!("sum_to(100) -> {sum}");
    let slow = executor.submit(NAP, 5).unwrap();
    let crashed = executor.submit(CRASH, ()).unwrap();
    let pending: Vec<_> = [10, 20, 30]
        .map(|n| (n, executor.submit(SUM_TO, n).unwrap()))
        .into();
    report("crash", crashed);
    report("nap(5)", slow);
    for (n, future) in pending {
        report(&format!("sum_to({n})"), future);
    }
    match executor.submit(SUM_TO, 1) {
        Ok(_) => println!("submit -> accepted"),
        Err(SubmitError::BrokenProcessPool(cause)) => {
            let error = SubmitError::BrokenProcessPool(cause.clone());
            print_broken("submit", &error.to_string(), &cause);
        }
        Err(other) => println!("submit -> {other:?}"),
    }
}
