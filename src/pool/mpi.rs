//! The MPI pool executor: mpi4py.futures' `MPIPoolExecutor`, whose workers are the other ranks
//! of an MPI job, on as many machines as the job spans.
//!
//! Every rank runs the same program. [`MpiPoolExecutor::start`], first in `main`, sorts them
//! out: rank 0 goes on with the program and gets the executor; every other rank serves tasks
//! until rank 0 shuts the pool down, then exits with status 0. Tasks, their registry and their
//! encoding are the process pool's ([`Task`], [`Registry`], postcard); so are the messages,
//! each carried whole by one MPI message instead of a framed stream.
//!
//! All MPI calls of a rank are made by one thread, `cogen-mpi`, which initializes MPI and
//! finalizes it (so MPI's `FUNNELED` level is all this needs). On rank 0 that thread sends jobs
//! to idle workers and receives their results; the program's threads only queue jobs. A worker
//! is sent a job only when it has none, so it is always ready to receive the one it is sent,
//! and no send waits on a rank that is itself waiting to send: no deadlock whatever the sizes.
//! Both sides wait for messages by polling with a growing pause (as mpi4py.futures does),
//! never in a blocking MPI call, which in most MPI libraries spins a core at 100%: pauses of at
//! most 50 µs for the first 20 ms of a wait (the answer to a task, the next task of a `map`),
//! then of at most 1 ms.

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use mpi::Threading;
use mpi::topology::{Communicator, SimpleCommunicator};
use mpi::traits::{Destination, MatchedReceiveVec, Source};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::future::{FutureError, PoolFuture, Shared};
use super::process::wire::{FromWorker, ToWorker};
use super::process::{self, Sink, worker};
use super::task::{ChunkResults, Executor, Registry, SubmitError, Task};
use super::task_map::TaskMap;

/// Set by the first [`MpiPoolExecutor::start`]: MPI can be initialized once per process.
static STARTED: AtomicBool = AtomicBool::new(false);

/// Polls that yield the thread before the waits between them grow into sleeps.
const SPINS: u32 = 64;

/// The longest sleep between two polls while a rank has waited less than [`SHORT_WAIT`]: a
/// message that comes during a task's run or just after one is noticed within this.
const SHORT_PAUSE: Duration = Duration::from_micros(50);

/// How long a rank waits with short pauses before it lets them grow to [`LONGEST_PAUSE`].
const SHORT_WAIT: Duration = Duration::from_millis(20);

/// The longest sleep between two polls: the most a message waits to be noticed by a rank that
/// has been idle for long (as in mpi4py.futures), which then costs next to no CPU.
const LONGEST_PAUSE: Duration = Duration::from_millis(1);

/// Why [`MpiPoolExecutor::start`] gave no executor.
///
/// ```rust,standalone_crate
/// use cogen::pool::{MpiError, MpiPoolExecutor, Registry};
///
/// fn tasks() -> Registry {
///     Registry::new()
/// }
///
/// fn main() {
///     // Run without `mpirun` (as this example is, by `cargo test`), the program is its job's
///     // only process.
///     let error = MpiPoolExecutor::start(tasks).unwrap_err();
///     assert_eq!(error, MpiError::NoWorkers);
///     assert!(error.to_string().contains("run it with `mpirun -n N`"));
///     // MPI starts once per process.
///     assert_eq!(MpiPoolExecutor::start(tasks).unwrap_err(), MpiError::AlreadyStarted);
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MpiError {
    /// `start` was called before in this process: MPI can be initialized only once.
    AlreadyStarted,
    /// MPI could not be initialized, or not at the threading level the pool needs; the text
    /// says what happened.
    Init(String),
    /// The program runs as the only process of its MPI job (it was started without `mpirun`),
    /// so the pool would have no workers.
    NoWorkers,
    /// A worker's tasks differ from rank 0's (the ranks run different builds of the program),
    /// or it did not speak cogen's protocol; the text says which rank. The workers were told
    /// to exit.
    Handshake(String),
}

impl fmt::Display for MpiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MpiError::AlreadyStarted => f.write_str(
                "MpiPoolExecutor::start was already called in this process (MPI starts once)",
            ),
            MpiError::Init(reason) => write!(f, "cannot initialize MPI: {reason}"),
            MpiError::NoWorkers => f.write_str(
                "this program is the only process of its MPI job, so the pool has no workers: \
                 run it with `mpirun -n N` (or `srun -n N` under Slurm), N >= 2",
            ),
            MpiError::Handshake(reason) => write!(f, "a worker rank is not usable: {reason}"),
        }
    }
}

impl std::error::Error for MpiError {}

/// mpi4py.futures' `MPIPoolExecutor`: the [`Executor`] whose workers are the other ranks of
/// the MPI job this program runs in, on one machine or many.
///
/// Launch the program with `mpirun -n N program` (N copies; N − 1 workers), or under Slurm
/// with `srun -n N program`. [`start`](Self::start), first in `main`, gives rank 0 the
/// executor; on every other rank it serves tasks until rank 0 shuts the pool down, then exits
/// the process with status 0. So the rest of `main` runs once, on rank 0, as in mpi4py's
/// `mpiexec -n N python -m mpi4py.futures program.py`.
///
/// Everything else is the process pool's: the same registered [`Task`]s, the same
/// [`PoolFuture`]s (so [`wait`](super::wait) and [`as_completed`](super::as_completed) mix
/// them with other pools' futures), the same lazy `map` with `chunksize`.
///
/// ```rust,no_run
/// use cogen::pool::{MpiPoolExecutor, Registry, Task};
///
/// const SQUARE: Task<u64, u64> = Task::new("square", |n| n * n);
/// fn tasks() -> Registry {
///     Registry::new().with(SQUARE)
/// }
///
/// fn main() {
///     // On ranks 1.. this serves tasks, then exits.
///     let pool = MpiPoolExecutor::start(tasks).expect("run under mpirun -n 3");
///     let squares: Vec<u64> =
///         pool.map_chunked(SQUARE, 1..=1000, 100).unwrap().map(Result::unwrap).collect();
///     assert_eq!(squares[999], 1_000_000);
/// } // dropping the pool shuts every rank down
/// ```
///
/// # On a cluster
///
/// The program must be at the same path on every machine (a shared file system, or copied
/// there). With Open MPI, list the machines in a hostfile, one line each with the number of
/// ranks it takes (`node1 slots=8`), and run `mpirun --hostfile hosts -n 16 program`; MPI
/// starts the remote copies over ssh. Under Slurm, `srun -n 16 program` inside an allocation
/// (`salloc -N 2`, or an `sbatch` script) starts them. Rank 0 is the first slot of the first
/// machine.
///
/// # Failures
///
/// - A task that panics fails its own future with [`FutureError::Panicked`]; the worker goes
///   on, as in the process pool. As there, only the panic's message crosses: the
///   [`Panic`](super::Panic) has no payload, and re-raising it panics with the message as a
///   `String`.
/// - A rank that dies (killed, aborted, a crash in a task) ends the whole job: this is MPI's
///   model, not cogen's choice. `mpirun` kills every other rank, rank 0 included, and exits
///   with a status that is not 0. Tasks that may crash the process belong in a
///   [`ProcessPoolExecutor`](super::ProcessPoolExecutor), whose workers are isolated.
/// - A rank that sends what is not cogen's protocol breaks the pool: its futures, and those of
///   tasks still queued, fail with [`FutureError::BrokenMpiPool`], and `submit` refuses more.
///   Such a rank cannot be relied on to exit, and MPI cannot finalize without it, so shutting
///   a broken pool down aborts the job (`MPI_Abort`, status 1) rather than wait for ever.
/// - Rank 0 must shut the pool down (dropping it does) before it exits; a rank 0 that exits
///   without doing so leaves the workers waiting, and `mpirun` reports the job as failed.
pub struct MpiPoolExecutor {
    inner: Arc<Inner>,
    /// The `cogen-mpi` thread, until `shutdown(wait = true)` joins it.
    service: Mutex<Option<JoinHandle<()>>>,
}

struct Inner {
    registry: Registry,
    workers: usize,
    limit: usize,
    next_job: AtomicU64,
    state: Mutex<State>,
    /// Signalled when a job is queued or the pool shuts down.
    wake: Condvar,
}

#[derive(Default)]
struct State {
    /// Submitted jobs not yet sent to a worker.
    queue: VecDeque<Job>,
    shutdown: bool,
    /// Why the pool is broken, once it is.
    broken: Option<String>,
}

struct Job {
    id: u64,
    /// The `Run` message's body.
    body: Vec<u8>,
    count: usize,
    sink: Box<dyn Sink>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Only cogen's code runs under this lock (a future's callbacks run outside it).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn submit<A: Serialize>(
        &self,
        task: u32,
        arguments: &[A],
        sink: impl FnOnce() -> Box<dyn Sink>,
    ) -> Result<(), SubmitError> {
        let id = self.next_job.fetch_add(1, Ordering::Relaxed);
        let job = process::encode_job(id, task, arguments, self.limit)?;
        let mut state = self.lock();
        if let Some(cause) = &state.broken {
            return Err(SubmitError::BrokenMpiPool(cause.clone()));
        }
        if state.shutdown {
            return Err(SubmitError::Shutdown);
        }
        let mut frame = job.frame;
        frame.drain(..4); // the stream's length prefix: an MPI message has its own length
        state.queue.push_back(Job {
            id: job.id,
            body: frame,
            count: job.count,
            sink: sink(),
        });
        drop(state);
        self.wake.notify_one();
        Ok(())
    }
}

/// Waits between polls: yields the thread for the first polls, then sleeps, twice as long
/// each time up to [`SHORT_PAUSE`], and after [`SHORT_WAIT`] up to [`LONGEST_PAUSE`].
struct Backoff {
    polls: u32,
    /// When the first sleep of this wait began.
    sleeping_since: Option<Instant>,
}

impl Backoff {
    fn new() -> Self {
        Backoff {
            polls: 0,
            sleeping_since: None,
        }
    }

    fn reset(&mut self) {
        *self = Backoff::new();
    }

    fn pause(&mut self) {
        match self.next_pause(Instant::now()) {
            None => thread::yield_now(),
            Some(pause) => thread::sleep(pause),
        }
    }

    /// How to wait before the next poll, at `now`: `None` to yield the thread, or a sleep.
    fn next_pause(&mut self, now: Instant) -> Option<Duration> {
        let pause = (self.polls >= SPINS).then(|| {
            let since = *self.sleeping_since.get_or_insert(now);
            let longest = if now.duration_since(since) < SHORT_WAIT {
                SHORT_PAUSE
            } else {
                LONGEST_PAUSE
            };
            let doublings = (self.polls - SPINS).min(10);
            Duration::from_micros(1 << doublings).min(longest)
        });
        self.polls = self.polls.saturating_add(1);
        pause
    }
}

/// What the `cogen-mpi` thread tells `start` once MPI is up.
enum Started {
    /// This is rank 0 of a job with this many ranks; it waits for its pool.
    Root(usize),
    /// Rank 0's workers said hello and know the same tasks: the pool is ready.
    Ready,
    /// This rank is a worker; the thread serves, and `start` waits for it.
    Worker,
    Failed(MpiError),
}

impl MpiPoolExecutor {
    /// Initializes MPI and sorts the ranks out: on rank 0, returns the executor, whose workers
    /// are all the other ranks; on any other rank, serves `tasks` until rank 0 shuts the pool
    /// down, then exits the process with status 0 (it never returns there). Call it first in
    /// `main`, with the same `tasks` on every rank.
    ///
    /// # Errors
    ///
    /// - [`MpiError::NoWorkers`] when the program is its job's only process (started without
    ///   `mpirun`); MPI is then finalized.
    /// - [`MpiError::AlreadyStarted`] on a second call in one process.
    /// - [`MpiError::Init`] when MPI cannot be initialized.
    /// - [`MpiError::Handshake`] when a worker's task registry differs from rank 0's.
    ///
    /// ```rust,no_run
    /// use cogen::pool::{MpiPoolExecutor, Registry, Task};
    ///
    /// const DOUBLE: Task<i32, i32> = Task::new("double", |n| 2 * n);
    /// fn tasks() -> Registry {
    ///     Registry::new().with(DOUBLE)
    /// }
    ///
    /// fn main() {
    ///     let pool = match MpiPoolExecutor::start(tasks) {
    ///         Ok(pool) => pool,
    ///         Err(error) => {
    ///             eprintln!("{error}");
    ///             std::process::exit(1);
    ///         }
    ///     };
    ///     assert_eq!(pool.submit(DOUBLE, 21).unwrap().join(), Ok(42));
    /// }
    /// ```
    pub fn start(tasks: fn() -> Registry) -> Result<Self, MpiError> {
        if STARTED.swap(true, Ordering::SeqCst) {
            return Err(MpiError::AlreadyStarted);
        }
        let (started, told) = mpsc::channel::<Started>();
        let (handoff, handed) = mpsc::channel::<Arc<Inner>>();
        let service = thread::Builder::new()
            .name("cogen-mpi".into())
            .spawn(move || run_rank(tasks, &started, &handed))
            .map_err(|error| MpiError::Init(format!("cannot start its thread: {error}")))?;
        match told.recv() {
            Ok(Started::Root(size)) => {
                let inner = Arc::new(Inner {
                    registry: tasks(),
                    workers: size - 1,
                    limit: process::DEFAULT_MESSAGE_LIMIT,
                    next_job: AtomicU64::new(0),
                    state: Mutex::default(),
                    wake: Condvar::new(),
                });
                handoff
                    .send(Arc::clone(&inner))
                    .expect("the MPI thread waits for its pool");
                match told.recv() {
                    Ok(Started::Ready) => Ok(MpiPoolExecutor {
                        inner,
                        service: Mutex::new(Some(service)),
                    }),
                    Ok(Started::Failed(error)) => {
                        let _ = service.join();
                        Err(error)
                    }
                    Ok(Started::Root(_) | Started::Worker) | Err(_) => {
                        let _ = service.join();
                        Err(MpiError::Init("the MPI thread ended".to_string()))
                    }
                }
            }
            Ok(Started::Worker) => {
                // Serve until told to exit: the rest of `main` is rank 0's.
                let code = match service.join() {
                    Ok(()) => 0,
                    Err(_) => 1,
                };
                std::process::exit(code);
            }
            Ok(Started::Failed(error)) => {
                let _ = service.join();
                Err(error)
            }
            Ok(Started::Ready) | Err(_) => {
                let _ = service.join();
                Err(MpiError::Init("the MPI thread ended".to_string()))
            }
        }
    }

    /// How many workers run tasks at once: the job's ranks but rank 0.
    ///
    /// ```rust,no_run
    /// # use cogen::pool::{MpiPoolExecutor, Registry};
    /// # fn tasks() -> Registry { Registry::new() }
    /// let pool = MpiPoolExecutor::start(tasks).unwrap(); // under mpirun -n 3
    /// assert_eq!(pool.max_workers(), 2);
    /// ```
    pub fn max_workers(&self) -> usize {
        self.inner.workers
    }

    /// Schedules `task(argument)` on a worker rank: Python's `executor.submit(fn, arg)`. The
    /// argument is encoded now; the future is pending until a worker is sent it.
    ///
    /// # Errors
    ///
    /// [`SubmitError::Shutdown`], [`SubmitError::BrokenMpiPool`], a task not in the registry
    /// ([`SubmitError::Unregistered`], [`SubmitError::Mismatched`]), or an argument that cannot
    /// be encoded or is over 64 MiB ([`SubmitError::Unsendable`]).
    ///
    /// ```rust,no_run
    /// # use cogen::pool::{MpiPoolExecutor, Registry, Task};
    /// const SHOUT: Task<String, String> = Task::new("shout", |text: String| text.to_uppercase());
    /// fn tasks() -> Registry {
    ///     Registry::new().with(SHOUT)
    /// }
    /// let pool = MpiPoolExecutor::start(tasks).unwrap();
    /// assert_eq!(pool.submit(SHOUT, "hi".into()).unwrap().join(), Ok("HI".to_string()));
    /// ```
    pub fn submit<A, R>(&self, task: Task<A, R>, argument: A) -> Result<PoolFuture<R>, SubmitError>
    where
        A: Serialize + 'static,
        R: DeserializeOwned + Send + 'static,
    {
        let index = self.inner.registry.index_of(&task)?;
        let shared = Shared::new();
        self.inner
            .submit(index, std::slice::from_ref(&argument), || {
                process::one(&shared)
            })?;
        Ok(PoolFuture::from_shared(shared))
    }

    /// Schedules `task` over a chunk of arguments, run in turn by one worker rank, with a
    /// result for each: see [`Executor::submit_chunk`].
    ///
    /// # Errors
    ///
    /// As [`submit`](Self::submit).
    ///
    /// ```rust,no_run
    /// # use cogen::pool::{MpiPoolExecutor, Registry, Task};
    /// const TWICE: Task<i32, i32> = Task::new("twice", |n| 2 * n);
    /// fn tasks() -> Registry {
    ///     Registry::new().with(TWICE)
    /// }
    /// let pool = MpiPoolExecutor::start(tasks).unwrap();
    /// let chunk = pool.submit_chunk(TWICE, vec![1, 2, 3]).unwrap().join().unwrap();
    /// assert_eq!(chunk, [Ok(2), Ok(4), Ok(6)]);
    /// ```
    pub fn submit_chunk<A, R>(
        &self,
        task: Task<A, R>,
        arguments: Vec<A>,
    ) -> Result<PoolFuture<ChunkResults<R>>, SubmitError>
    where
        A: Serialize + 'static,
        R: DeserializeOwned + Send + 'static,
    {
        let index = self.inner.registry.index_of(&task)?;
        // A chunk takes a while: its waiter blocks at once instead of spinning on a CPU the
        // workers may need.
        let shared = Shared::new_remote();
        self.inner
            .submit(index, &arguments, || process::many(&shared))?;
        Ok(PoolFuture::from_shared(shared))
    }

    /// Python's `executor.map(fn, iterable, chunksize=n)` on the worker ranks: results in
    /// input order, lazily, at most `2 × max_workers` chunks in flight (see
    /// [`Executor::map_task`]).
    ///
    /// # Errors
    ///
    /// The first chunk's [`SubmitError`].
    ///
    /// # Panics
    ///
    /// If `chunksize` is 0.
    ///
    /// ```rust,no_run
    /// # use cogen::pool::{MpiPoolExecutor, Registry, Task};
    /// const INC: Task<u32, u32> = Task::new("inc", |n| n + 1);
    /// fn tasks() -> Registry {
    ///     Registry::new().with(INC)
    /// }
    /// let pool = MpiPoolExecutor::start(tasks).unwrap();
    /// let total: u32 = pool.map_chunked(INC, 0..1000, 100).unwrap().map(Result::unwrap).sum();
    /// assert_eq!(total, 500_500);
    /// ```
    pub fn map_chunked<A, R, I>(
        &self,
        task: Task<A, R>,
        iterable: I,
        chunksize: usize,
    ) -> Result<TaskMap<'_, Self, I::IntoIter, A, R>, SubmitError>
    where
        I: IntoIterator<Item = A>,
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        self.map_task(task, iterable, chunksize)
    }

    /// Python's `executor.shutdown(wait, cancel_futures)`: no more submissions; with
    /// `cancel_futures`, tasks not yet sent to a worker are cancelled, otherwise they still
    /// run; then every worker rank is told to exit, and MPI is finalized. With `wait`, returns
    /// once that is done. Calling it again is harmless; dropping the executor calls
    /// `shutdown(true, false)`.
    ///
    /// ```rust,no_run
    /// # use cogen::pool::{MpiPoolExecutor, Registry, SubmitError, Task};
    /// const ID: Task<u8, u8> = Task::new("id", |n| n);
    /// fn tasks() -> Registry {
    ///     Registry::new().with(ID)
    /// }
    /// let pool = MpiPoolExecutor::start(tasks).unwrap();
    /// let future = pool.submit(ID, 7).unwrap();
    /// pool.shutdown(true, false);
    /// assert_eq!(future.join(), Ok(7)); // queued work still ran
    /// assert_eq!(pool.submit(ID, 8).unwrap_err(), SubmitError::Shutdown);
    /// ```
    pub fn shutdown(&self, wait: bool, cancel_futures: bool) {
        let cancelled: Vec<Job> = {
            let mut state = self.inner.lock();
            state.shutdown = true;
            if cancel_futures {
                state.queue.drain(..).collect()
            } else {
                Vec::new()
            }
        };
        self.inner.wake.notify_one();
        for job in cancelled {
            job.sink.cancel();
        }
        if wait {
            let service = self
                .service
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some(service) = service {
                // Its panics are cogen's bugs; the futures it left are failed by their drop.
                let _ = service.join();
            }
        }
    }
}

impl Drop for MpiPoolExecutor {
    fn drop(&mut self) {
        self.shutdown(true, false);
    }
}

impl fmt::Debug for MpiPoolExecutor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.inner.lock();
        f.debug_struct("MpiPoolExecutor")
            .field("max_workers", &self.inner.workers)
            .field("queued", &state.queue.len())
            .field("shutdown", &state.shutdown)
            .field("broken", &state.broken)
            .finish()
    }
}

impl Executor for MpiPoolExecutor {
    fn submit_task<A, R>(&self, task: Task<A, R>, argument: A) -> Result<PoolFuture<R>, SubmitError>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        self.submit(task, argument)
    }

    fn submit_chunk<A, R>(
        &self,
        task: Task<A, R>,
        arguments: Vec<A>,
    ) -> Result<PoolFuture<ChunkResults<R>>, SubmitError>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        MpiPoolExecutor::submit_chunk(self, task, arguments)
    }

    fn max_workers(&self) -> usize {
        self.inner.workers
    }

    fn shutdown(&self, wait: bool, cancel_futures: bool) {
        MpiPoolExecutor::shutdown(self, wait, cancel_futures);
    }
}

/// The `cogen-mpi` thread: initializes MPI, serves as rank 0 or as a worker, finalizes.
fn run_rank(
    tasks: fn() -> Registry,
    started: &mpsc::Sender<Started>,
    handed: &mpsc::Receiver<Arc<Inner>>,
) {
    let Some((universe, threading)) = mpi::initialize_with_threading(Threading::Funneled) else {
        let _ = started.send(Started::Failed(MpiError::Init(
            "MPI was already initialized by other code in this process".to_string(),
        )));
        return;
    };
    if threading < Threading::Funneled {
        let _ = started.send(Started::Failed(MpiError::Init(format!(
            "the MPI library gives threading level {threading:?}, and the pool needs Funneled"
        ))));
        return;
    }
    let world = universe.world();
    let size = usize::try_from(world.size()).expect("a positive number of ranks");
    if world.rank() != 0 {
        let _ = started.send(Started::Worker);
        let registry = tasks();
        if let Err(error) = serve_worker(&world, &registry) {
            eprintln!("cogen MPI worker (rank {}): {error}", world.rank());
            world.abort(1);
        }
        return; // finalized by the universe's drop
    }
    if size < 2 {
        let _ = started.send(Started::Failed(MpiError::NoWorkers));
        return;
    }
    let _ = started.send(Started::Root(size));
    let Ok(inner) = handed.recv() else {
        return;
    };
    if let Err(reason) = handshake(&world, inner.registry.fingerprint()) {
        tell_exit(&world);
        let _ = started.send(Started::Failed(MpiError::Handshake(reason)));
        return;
    }
    let _ = started.send(Started::Ready);
    serve_pool(&world, &inner);
    if inner.lock().broken.is_some() {
        // A rank that broke the protocol may never finalize, and MPI would wait for it.
        world.abort(1);
    }
}

/// Rank 0 hears every worker's hello (all of them, so that none is left unread) and checks
/// that each knows the same tasks.
fn handshake(world: &SimpleCommunicator, fingerprint: u64) -> Result<(), String> {
    let mut first_problem = None;
    for rank in 1..world.size() {
        let (body, _) = world.process_at_rank(rank).receive_vec::<u8>();
        let problem = match FromWorker::decode(&body) {
            Ok(FromWorker::Hello {
                fingerprint: theirs,
                ..
            }) if theirs == fingerprint => continue,
            Ok(FromWorker::Hello { .. }) => format!(
                "rank {rank} knows other tasks than rank 0 (is it another build of the program?)"
            ),
            Ok(_) => format!("rank {rank} did not start with a hello"),
            Err(error) => format!("rank {rank} sent {error}"),
        };
        first_problem.get_or_insert(problem);
    }
    first_problem.map_or(Ok(()), Err)
}

/// Tells every worker to exit.
fn tell_exit(world: &SimpleCommunicator) {
    let exit = ToWorker::Exit.encode();
    for rank in 1..world.size() {
        world.process_at_rank(rank).send(&exit[4..]);
    }
}

/// Rank 0's loop: sends queued jobs to idle workers, delivers their results, and tells the
/// workers to exit once shut down with nothing left to do.
fn serve_pool(world: &SimpleCommunicator, inner: &Inner) {
    // The job each worker runs (index: rank − 1).
    let mut running: Vec<Option<Job>> = (0..inner.workers).map(|_| None).collect();
    let mut backoff = Backoff::new();
    loop {
        let mut sends = Vec::new();
        {
            let mut state = inner.lock();
            for (index, slot) in running.iter_mut().enumerate() {
                if slot.is_some() || state.broken.is_some() {
                    continue;
                }
                while let Some(mut job) = state.queue.pop_front() {
                    if job.sink.start() {
                        sends.push((index, std::mem::take(&mut job.body)));
                        *slot = Some(job);
                        break;
                    }
                    // Cancelled while queued.
                }
            }
            let idle = running.iter().all(Option::is_none);
            if idle && sends.is_empty() {
                if state.shutdown && state.queue.is_empty() || state.broken.is_some() {
                    break;
                }
                // Nothing in flight: no message can come; sleep until there is work.
                drop(
                    inner
                        .wake
                        .wait_while(state, |state| state.queue.is_empty() && !state.shutdown)
                        .unwrap_or_else(PoisonError::into_inner),
                );
                continue;
            }
        }
        let mut progressed = !sends.is_empty();
        for (index, body) in sends {
            world.process_at_rank(rank_of(index)).send(&body[..]);
        }
        while let Some(matched) = world.any_process().immediate_matched_probe() {
            progressed = true;
            let (body, status) = matched.matched_receive_vec::<u8>();
            let rank = status.source_rank();
            if let Err(cause) = deliver(&mut running, rank, &body) {
                break_pool(inner, &mut running, &cause);
            }
        }
        if progressed {
            backoff.reset();
        } else {
            backoff.pause();
        }
    }
    if inner.lock().broken.is_none() {
        tell_exit(world);
    }
}

/// A worker's rank from its index in `running`.
fn rank_of(index: usize) -> i32 {
    i32::try_from(index + 1).expect("ranks are i32")
}

/// Completes the future of the job `rank` answered; an error says how the answer broke the
/// protocol.
fn deliver(running: &mut [Option<Job>], rank: i32, body: &[u8]) -> Result<(), String> {
    let slot = usize::try_from(rank - 1)
        .ok()
        .and_then(|index| running.get_mut(index))
        .ok_or_else(|| format!("rank {rank}, which is not a worker, sent a message"))?;
    match FromWorker::decode(body) {
        Ok(FromWorker::Done { job, results }) => match slot.take() {
            Some(running_job) if running_job.id == job => {
                running_job.sink.deliver(&results, running_job.count);
                Ok(())
            }
            other => {
                *slot = other;
                Err(format!(
                    "rank {rank} answered for job {job}, which it was not given"
                ))
            }
        },
        Ok(other) => Err(format!("rank {rank} sent an unexpected {other:?}")),
        Err(error) => Err(format!("rank {rank} sent {error}")),
    }
}

/// Breaks the pool: every job queued or running fails with `cause`.
fn break_pool(inner: &Inner, running: &mut [Option<Job>], cause: &str) {
    let queued: Vec<Job> = {
        let mut state = inner.lock();
        state.broken.get_or_insert_with(|| cause.to_string());
        state.queue.drain(..).collect()
    };
    let error = FutureError::BrokenMpiPool(cause.to_string());
    for job in running.iter_mut().filter_map(Option::take) {
        job.sink.fail(error.clone());
    }
    for job in queued {
        if job.sink.start() {
            job.sink.fail(error.clone());
        }
    }
}

/// A worker's loop: hello, then each job from rank 0 in turn, until told to exit.
fn serve_worker(world: &SimpleCommunicator, registry: &Registry) -> Result<(), String> {
    let root = world.process_at_rank(0);
    let hello = FromWorker::Hello {
        fingerprint: registry.fingerprint(),
        pid: std::process::id(),
    };
    root.send(&hello.encode()[4..]);
    let mut backoff = Backoff::new();
    loop {
        let matched = loop {
            if let Some(matched) = root.immediate_matched_probe() {
                break matched;
            }
            backoff.pause();
        };
        backoff.reset();
        let (body, _) = matched.matched_receive_vec::<u8>();
        match ToWorker::decode(&body).map_err(|error| format!("from rank 0: {error}"))? {
            ToWorker::Run {
                job,
                task,
                count,
                arguments,
            } => {
                let frame = worker::run_job(
                    registry,
                    job,
                    task,
                    count,
                    arguments,
                    process::DEFAULT_MESSAGE_LIMIT,
                );
                root.send(&frame[4..]);
            }
            ToWorker::Init { .. } => return Err("an initializer, which no MPI pool sends".into()),
            ToWorker::Exit => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A queued job of id `id` whose future takes one `u32`.
    fn queued(id: u64) -> (Job, PoolFuture<u32>) {
        let shared = Shared::new();
        let sink = process::one::<u32>(&shared);
        let job = Job {
            id,
            body: Vec::new(),
            count: 1,
            sink,
        };
        (job, PoolFuture::from_shared(shared))
    }

    /// The same job, sent to a worker.
    fn running(id: u64) -> (Job, PoolFuture<u32>) {
        let (job, future) = queued(id);
        assert!(job.sink.start());
        (job, future)
    }

    fn done(job: u64, value: u32) -> Vec<u8> {
        let results: Vec<Result<u32, (bool, String)>> = vec![Ok(value)];
        let results = postcard::to_stdvec(&results).unwrap();
        FromWorker::Done { job, results }.encode()[4..].to_vec()
    }

    #[test]
    fn an_answer_completes_the_job_its_rank_runs() {
        let (job, future) = running(7);
        let mut slots = vec![None, Some(job)];
        assert_eq!(deliver(&mut slots, 2, &done(7, 42)), Ok(()));
        assert!(slots[1].is_none());
        assert_eq!(future.join(), Ok(42));
    }

    #[test]
    fn answers_that_break_the_protocol_are_named_and_leave_the_job_running() {
        let (job, future) = running(7);
        let mut slots = vec![Some(job)];
        let cases: [(i32, Vec<u8>, &str); 5] = [
            (
                1,
                done(8, 1),
                "rank 1 answered for job 8, which it was not given",
            ),
            (
                3,
                done(7, 1),
                "rank 3, which is not a worker, sent a message",
            ),
            (
                0,
                done(7, 1),
                "rank 0, which is not a worker, sent a message",
            ),
            (1, vec![99], "rank 1 sent an unknown message tag 99"),
            (
                1,
                done(7, 1)[..5].to_vec(),
                "rank 1 sent a message cut short",
            ),
        ];
        for (rank, body, expected) in cases {
            let error = deliver(&mut slots, rank, &body).unwrap_err();
            assert!(error.starts_with(expected), "{error:?} for {expected:?}");
            assert!(slots[0].is_some());
        }
        let hello = FromWorker::Hello {
            fingerprint: 1,
            pid: 2,
        }
        .encode();
        let error = deliver(&mut slots, 1, &hello[4..]).unwrap_err();
        assert!(
            error.starts_with("rank 1 sent an unexpected Hello"),
            "{error}"
        );

        // Breaking the pool fails the running job and the queued ones.
        let (queued, queued_future) = queued(9);
        let inner = Inner {
            registry: Registry::new(),
            workers: 1,
            limit: 1024,
            next_job: AtomicU64::new(0),
            state: Mutex::default(),
            wake: Condvar::new(),
        };
        inner.lock().queue.push_back(queued);
        break_pool(&inner, &mut slots, "rank 1 sent junk");
        let broken = FutureError::BrokenMpiPool("rank 1 sent junk".into());
        assert_eq!(future.join(), Err(broken.clone()));
        assert_eq!(queued_future.join(), Err(broken));
        assert_eq!(
            inner.submit(0, &[1u32], || process::one::<u32>(&Shared::new())),
            Err(SubmitError::BrokenMpiPool("rank 1 sent junk".into()))
        );
    }

    #[test]
    fn backoff_yields_then_sleeps_longer_up_to_a_cap_that_grows_after_a_while() {
        let mut backoff = Backoff::new();
        let start = Instant::now();
        for _ in 0..SPINS {
            assert_eq!(backoff.next_pause(start), None);
        }
        let micros = |n| Some(Duration::from_micros(n));
        let early: Vec<_> = (0..8).map(|_| backoff.next_pause(start)).collect();
        assert_eq!(
            early,
            [
                micros(1),
                micros(2),
                micros(4),
                micros(8),
                micros(16),
                micros(32),
                micros(50),
                micros(50)
            ]
        );
        let later = start + SHORT_WAIT;
        let late: Vec<_> = (0..4).map(|_| backoff.next_pause(later)).collect();
        assert_eq!(late, [micros(256), micros(512), micros(1000), micros(1000)]);
        backoff.reset();
        assert_eq!(backoff.next_pause(later), None);
    }
}
