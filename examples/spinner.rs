//! Fluent Python, section 18.1: the `|/-\` spinner, once with a thread and once with a coroutine.
//!
//! ```text
//! cargo run --example spinner                     # both, with the seed's 3-second slow function
//! cargo run --example spinner -- --mode async --slow-ms 500
//! ```
//!
//! The thread version spins on a second thread while the main thread blocks in the slow
//! function, and stops when a shared signal says so. The async version spins in a task on the
//! loop while the main coroutine awaits the slow function, then cancels the spinner: the task
//! stops at its `sleep` and its cleanup (a drop guard, Rust's `except CancelledError`) erases
//! the line. Both print what the seed's programs print (the Python versions, as CPython 3.11
//! runs them, are in `tests/fixtures/seed003/`):
//!
//! ```text
//! spinner object: <Thread(Thread-1 (spin), initial)>
//! | thinking!          (each frame drawn over the last with backspaces)
//! Answer: 42
//! spinner object: <Task pending name='Task-2' coro=<spin()>>
//! | thinking!
//! Answer:  42
//! ```
//!
//! Options: `--mode thread|async|both` (default both), `--slow-ms MS` (the slow function's
//! time; default 3000).

use std::fmt;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use cogen::iter::cycle;
use cogen::rt::{run, sleep, spawn};

/// The spinner's frame time: `time.sleep(.1)`, `asyncio.sleep(.1)`.
const FRAME: Duration = Duration::from_millis(100);

/// Writes `text` to stdout now (the seed's `write(...)` then `flush()`).
fn write(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Draws `status`, then moves the cursor back over it: the text-mode animation trick.
fn draw(status: &str) {
    write(&format!("{status}{}", "\x08".repeat(status.len())));
}

/// Blanks `len` characters and moves back: the spinner's last write.
fn erase(len: usize) {
    write(&format!("{}{}", " ".repeat(len), "\x08".repeat(len)));
}

// ---------------------------------------------------------------------------------------------
// spinner_thread.py
// ---------------------------------------------------------------------------------------------

/// Python: `class Signal: go = True`
struct Signal {
    go: AtomicBool,
}

/// Python: `def spin(msg, signal)`
fn spin_thread(msg: &str, signal: &Signal) {
    let mut status = String::new();
    for char in cycle(['|', '/', '-', '\\']) {
        status = format!("{char} {msg}");
        draw(&status);
        thread::sleep(FRAME);
        if !signal.go.load(Ordering::Acquire) {
            break;
        }
    }
    erase(status.len());
}

/// Python: `def slow_function(): time.sleep(3); return 42`
fn slow_function_blocking(slow: Duration) -> i32 {
    thread::sleep(slow);
    42
}

/// A thread about to start, printed as Python prints a `threading.Thread` that has not started.
struct UnstartedThread {
    name: String,
    builder: thread::Builder,
}

impl UnstartedThread {
    fn new(name: &str) -> Self {
        UnstartedThread {
            name: name.to_string(),
            builder: thread::Builder::new().name(name.to_string()),
        }
    }

    fn start(self, body: impl FnOnce() + Send + 'static) -> thread::JoinHandle<()> {
        self.builder
            .spawn(body)
            .expect("cannot start the spinner thread")
    }
}

impl fmt::Display for UnstartedThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Thread({}, initial)>", self.name)
    }
}

/// Python: `def supervisor()`
fn supervisor_thread(slow: Duration) -> i32 {
    let signal = Arc::new(Signal {
        go: AtomicBool::new(true),
    });
    let spinner = UnstartedThread::new("Thread-1 (spin)");
    println!("spinner object: {spinner}");
    let spinner_signal = Arc::clone(&signal);
    let spinner = spinner.start(move || spin_thread("thinking!", &spinner_signal));
    let result = slow_function_blocking(slow);
    signal.go.store(false, Ordering::Release);
    spinner.join().expect("the spinner thread panicked");
    result
}

// ---------------------------------------------------------------------------------------------
// spinner_asyncio.py
// ---------------------------------------------------------------------------------------------

/// Erases the spinner's line when dropped: where the task stops, on `cancel`. The Rust form of
/// the seed's `except asyncio.CancelledError: break` followed by the erasing write.
struct EraseOnDrop {
    len: usize,
}

impl Drop for EraseOnDrop {
    fn drop(&mut self) {
        erase(self.len);
    }
}

/// Python: `async def spin(msg)`
async fn spin(msg: &'static str) {
    let mut line = EraseOnDrop { len: 0 };
    for char in cycle(['|', '/', '-', '\\']) {
        let status = format!("{char} {msg}");
        draw(&status);
        line.len = status.len();
        // Cancelling the task drops this future here: `line` erases what was drawn.
        sleep(FRAME).await;
    }
}

/// Python: `async def slow_function(): await asyncio.sleep(3); return 42`
async fn slow_function(slow: Duration) -> i32 {
    sleep(slow).await;
    42
}

/// Python: `async def supervisor()`
async fn supervisor(slow: Duration) -> i32 {
    let spinner = spawn(spin("thinking!"));
    println!("spinner object: {spinner:?}");
    let result = slow_function(slow).await;
    spinner.cancel();
    result
}

// ---------------------------------------------------------------------------------------------
// The command line.
// ---------------------------------------------------------------------------------------------

const USAGE: &str = "usage: spinner [--mode thread|async|both] [--slow-ms MS]";

fn main() -> ExitCode {
    let mut mode = "both".to_string();
    let mut slow = Duration::from_secs(3);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        match (arg.as_str(), value) {
            ("--mode", Some(value)) if ["thread", "async", "both"].contains(&value.as_str()) => {
                mode = value;
            }
            ("--slow-ms", Some(value)) if value.parse::<u64>().is_ok() => {
                slow = Duration::from_millis(value.parse().unwrap_or_default());
            }
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    if mode != "async" {
        // Python: print('Answer:', result)
        println!("Answer: {}", supervisor_thread(slow));
    }
    if mode != "thread" {
        // Python: print('Answer: ', result), with the space print adds after 'Answer: '.
        println!("Answer:  {}", run(supervisor(slow)));
    }
    ExitCode::SUCCESS
}
