//! Fluent Python, section 17.4 (example 17-6): the `Executor.map` experiment. Five calls of
//! `loiter(n)`, which sleeps `n` seconds, go to a pool of three workers; `map` hands the
//! results back in the order of the calls, so `result 0` and `result 1` wait for nothing but
//! each later one waits for its own call, however early the others finish.
//!
//! ```text
//! cargo run --example loiter                  # the seed's one-second unit: about 5 s
//! cargo run --example loiter -- --unit-ms 50  # "n s" means n * 50 ms
//! ```
//!
//! The seed's output, for comparison (its tabs shown as spaces; times are the wall clock):
//!
//! ```text
//! [20:56:19] Script starting.
//! [20:56:19] loiter(0): doing nothing for 0s...
//! [20:56:19] loiter(0): done.
//! [20:56:19]      loiter(1): doing nothing for 1s...
//! [20:56:19]              loiter(2): doing nothing for 2s...
//! [20:56:19]                      loiter(3): doing nothing for 3s...
//! [20:56:19] results: <generator object Executor.map.<locals>.result_iterator at 0x10525b660>
//! [20:56:19] Waiting for individual results:
//! [20:56:19] result 0: 0
//! [20:56:20]      loiter(1): done.
//! [20:56:20]                              loiter(4): doing nothing for 4s...
//! [20:56:20] result 1: 10
//! [20:56:21]              loiter(2): done.
//! [20:56:21] result 2: 20
//! [20:56:22]                      loiter(3): done.
//! [20:56:22] result 3: 30
//! [20:56:24]                              loiter(4): done.
//! [20:56:24] result 4: 40
//! ```
//!
//! Where Python prints the generator that `map` returns, cogen prints its `Map` (how many calls
//! are in flight). The clock is UTC: the standard library knows no time zones.

use std::fmt::Display;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cogen::pool::ThreadPoolExecutor;

/// Python: `def display(*args): print(strftime('[%H:%M:%S]'), end=' '); print(*args)`
///
/// One `println!` per line, so that lines printed by several workers at once do not mix.
fn display(message: impl Display) {
    println!("{} {message}", strftime_hms(SystemTime::now()));
}

/// Python: `strftime('[%H:%M:%S]')`, in UTC.
fn strftime_hms(now: SystemTime) -> String {
    let seconds = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (hours, minutes, seconds) = (seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    format!("[{hours:02}:{minutes:02}:{seconds:02}]")
}

/// Python: `def loiter(n): ... sleep(n) ... return n * 10`, where a second lasts `unit`.
fn loiter(n: u32, unit: Duration) -> u32 {
    let indent = "\t".repeat(n as usize);
    display(format_args!(
        "{indent}loiter({n}): doing nothing for {n}s..."
    ));
    thread::sleep(unit * n);
    display(format_args!("{indent}loiter({n}): done."));
    n * 10
}

fn main() -> ExitCode {
    let unit = match parse_unit() {
        Ok(unit) => unit,
        Err(message) => {
            eprintln!("loiter: {message}\nusage: loiter [--unit-ms MILLISECONDS]");
            return ExitCode::from(2);
        }
    };

    display("Script starting.");
    let executor = ThreadPoolExecutor::with_max_workers(3);
    // All five calls are submitted now; three run at once.
    let results = executor.map(move |n| loiter(n, unit), 0..5);
    display(format_args!("results: {results:?}"));
    display("Waiting for individual results:");
    // Each result is taken in the order of the calls: `next` blocks until that call returns.
    for (i, result) in results.enumerate() {
        let result = result.expect("loiter does not panic");
        display(format_args!("result {i}: {result}"));
    }
    ExitCode::SUCCESS
}

/// `--unit-ms MS`: how long loiter's "second" lasts (default 1000).
fn parse_unit() -> Result<Duration, String> {
    let mut unit = Duration::from_secs(1);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--unit-ms" => {
                let value = args.next().ok_or("--unit-ms needs a number")?;
                let ms: u64 = value
                    .parse()
                    .map_err(|_| format!("--unit-ms: not a number of milliseconds: {value}"))?;
                unit = Duration::from_millis(ms);
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(unit)
}
