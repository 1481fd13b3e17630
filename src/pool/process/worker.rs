//! The worker's side: the current executable started again, serving tasks until told to exit
//! or until its parent is gone.

use std::io::{self, BufReader, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::wire::{self, FromWorker, ToWorker};
use crate::pool::task::{Invoked, Registry};

/// Set in a worker's environment to its parent's process id.
pub(crate) const WORKER_ENV: &str = "COGEN_PROCESS_WORKER";
/// Set in a worker's environment to the largest message it may send or receive, in bytes.
pub(crate) const LIMIT_ENV: &str = "COGEN_PROCESS_MESSAGE_LIMIT";

/// How often a worker checks that its parent is still there while a task runs.
const PARENT_CHECK: Duration = Duration::from_millis(100);

/// Set once this process serves a pool as its worker.
static SERVING: AtomicBool = AtomicBool::new(false);

/// Whether this process was started as a worker but is not serving: its `main` went past
/// [`serve_if_worker`] (or never called it), and a pool it made would start workers without
/// end.
pub(crate) fn stray_worker() -> bool {
    started_as_worker() && !SERVING.load(Ordering::Relaxed)
}

/// Whether this process was started as a worker by a pool in its parent (and not, say, a
/// grandchild that inherited the variable).
pub(crate) fn started_as_worker() -> bool {
    std::env::var(WORKER_ENV).is_ok_and(|parent| {
        parent.parse::<i32>().ok()
            == rustix::process::getppid().map(|pid| pid.as_raw_nonzero().get())
    })
}

/// Serves tasks from the pool that started this process, then exits it; returns at once in
/// any other process. The one line a program using
/// [`ProcessPoolExecutor`](crate::pool::ProcessPoolExecutor) adds, first in `main`.
///
/// A pool's workers are the program's own executable started again (never a `fork` of a
/// process that may have threads). Such a process must serve tasks before `main` does
/// anything else, and it needs the program's task registry to know them: so `main` hands the
/// same `tasks` function to this call and to the pool. In a test binary, whose `main` belongs
/// to the test harness, [`worker_test!`](crate::worker_test!) adds the same call as a test the
/// pool starts its workers with.
///
/// The worker reads tasks from the socket its parent gave it, runs them one at a time on this
/// thread (a panic fails that task only, and the panic hook prints it, as on a thread), and
/// writes back the results. Its standard output and error are the parent's, so a task's
/// prints reach the same terminal and never mix with the messages. It exits when the pool
/// tells it to, and on its own when the parent is gone, even if the parent was killed.
///
/// ```rust,standalone_crate
/// use cogen::pool::{ProcessPoolExecutor, Registry, Task};
///
/// fn square(n: u64) -> u64 {
///     n * n
/// }
/// const SQUARE: Task<u64, u64> = cogen::task!(square);
///
/// fn tasks() -> Registry {
///     Registry::new().with(SQUARE)
/// }
///
/// fn main() {
///     cogen::pool::serve_if_worker(tasks); // in a worker: serves, then exits
///     let pool = ProcessPoolExecutor::with_max_workers(2, tasks);
///     assert_eq!(pool.submit(SQUARE, 12).unwrap().join(), Ok(144));
/// }
/// ```
pub fn serve_if_worker(tasks: fn() -> Registry) {
    if !started_as_worker() {
        return;
    }
    SERVING.store(true, Ordering::Relaxed);
    let code = match serve(&tasks()) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("cogen worker {}: {error}", std::process::id());
            1
        }
    };
    let _ = io::stdout().flush();
    std::process::exit(code);
}

fn serve(registry: &Registry) -> io::Result<()> {
    let limit = std::env::var(LIMIT_ENV)
        .ok()
        .and_then(|limit| limit.parse().ok())
        .unwrap_or(super::DEFAULT_MESSAGE_LIMIT);
    // The parent's end of the socket is our standard input; keep it under another number and
    // put /dev/null in its place, so that a task reading stdin cannot steal a message.
    let channel = UnixStream::from(io::stdin().as_fd().try_clone_to_owned()?);
    let null = std::fs::File::open("/dev/null")?;
    rustix::stdio::dup2_stdin(&null)?;
    drop(null);

    let parent = rustix::process::getppid();
    std::thread::Builder::new()
        .name("cogen-parent-watch".into())
        .spawn(move || {
            // A task may run for long: the socket's end-of-file would be seen only after it.
            loop {
                std::thread::sleep(PARENT_CHECK);
                if rustix::process::getppid() != parent {
                    std::process::exit(0);
                }
            }
        })?;

    let mut writer = channel.try_clone()?;
    let mut reader = BufReader::new(channel);
    let hello = FromWorker::Hello {
        fingerprint: registry.fingerprint(),
        pid: std::process::id(),
    };
    wire::write_frame(&mut writer, &hello.encode())?;
    loop {
        let body = match wire::read_frame(&mut reader, limit) {
            Ok(Some(body)) => body,
            // The parent is gone.
            Ok(None) => return Ok(()),
            Err(error) => return Err(io::Error::other(format!("from the pool: {error}"))),
        };
        let message = ToWorker::decode(&body)
            .map_err(|error| io::Error::other(format!("from the pool: {error}")))?;
        match message {
            ToWorker::Init { task, arguments } => {
                if let Some(message) = registry.invoke(task, &arguments, 1).failure {
                    // Tell the pool, which breaks; say it on stderr too, as Python prints
                    // "Exception in initializer:"; the worker exits with status 1.
                    let failed = FromWorker::InitFailed(message.clone());
                    let _ = wire::write_frame(&mut writer, &failed.encode());
                    return Err(io::Error::other(format!(
                        "the initializer panicked: {message}"
                    )));
                }
            }
            ToWorker::Run {
                job,
                task,
                count,
                arguments,
            } => {
                let frame = run_job(registry, job, task, count, arguments, limit);
                wire::write_frame(&mut writer, &frame)?;
            }
            ToWorker::Exit => return Ok(()),
        }
    }
}

/// Runs job `job` (task `task` on `count` postcard-encoded arguments) and returns its `Done`
/// frame, length prefix included, with stdout flushed so that what the tasks printed comes
/// first. Results over `limit` bytes fail every call of the job instead (the worker goes on).
pub(in crate::pool) fn run_job(
    registry: &Registry,
    job: u64,
    task: u32,
    count: u32,
    arguments: Vec<u8>,
    limit: usize,
) -> Vec<u8> {
    let count = count as usize;
    let results = registry.invoke(task, &arguments, count).results;
    drop(arguments);
    let mut frame = FromWorker::Done { job, results }.encode();
    if frame.len() - 4 > limit {
        let reason = format!(
            "results of {} bytes, over the message limit of {limit}",
            frame.len() - 4
        );
        let results = Invoked::all_failed(count, reason).results;
        frame = FromWorker::Done { job, results }.encode();
    }
    let _ = io::stdout().flush();
    frame
}

/// Adds the test that a test binary's process-pool workers run: see
/// [`serve_if_worker`](crate::pool::serve_if_worker).
///
/// A test binary's `main` belongs to the test harness, so the pool starts its workers as
/// `<test binary> cogen_process_worker --exact --nocapture --quiet --test-threads=1`: this
/// macro, placed at the root of the test crate, defines that test. In a normal run of the
/// tests it passes at once, doing nothing. (The harness prints its `running 1 test` line
/// when each worker starts.)
///
/// In `tests/my_pool.rs`:
///
/// ```rust,standalone_crate
/// use cogen::pool::{ProcessPoolExecutor, Registry, Task};
///
/// const DOUBLE: Task<i32, i32> = Task::new("double", |n| 2 * n);
/// fn tasks() -> Registry {
///     Registry::new().with(DOUBLE)
/// }
/// cogen::worker_test!(tasks);
///
/// #[test]
/// fn doubles_in_a_worker() {
///     let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
///     assert_eq!(pool.submit(DOUBLE, 21).unwrap().join(), Ok(42));
/// }
/// # // A doc test is no test binary: its `main` plays the harness's part.
/// # fn main() {
/// #     cogen::pool::serve_if_worker(tasks);
/// #     let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
/// #     assert_eq!(pool.submit(DOUBLE, 21).unwrap().join(), Ok(42));
/// # }
/// ```
// The example shows the test the macro sits beside; its hidden `main` is what runs.
#[allow(clippy::test_attr_in_doctest)]
#[macro_export]
macro_rules! worker_test {
    ($tasks:path) => {
        #[test]
        fn cogen_process_worker() {
            $crate::pool::serve_if_worker($tasks);
        }
    };
}
