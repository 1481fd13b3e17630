//! The process-pool executor: Python's `concurrent.futures.ProcessPoolExecutor`, whose workers
//! are crash-isolated processes.

pub(in crate::pool) mod wire;
pub(in crate::pool) mod worker;

use std::cell::Cell;
use std::collections::VecDeque;
use std::ffi::OsString;
use std::fmt;
use std::io::{self, BufReader};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt;
use std::panic::{self, AssertUnwindSafe};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::future::{FutureError, PoolFuture, Shared};
use super::task::{ChunkResults, Executor, Registry, SubmitError, Task, WireFailure};
use super::task_map::TaskMap;
use wire::{FrameError, FromWorker, ToWorker};
pub use worker::serve_if_worker;

/// The largest message (a task's arguments, or a chunk's results) a pool sends or accepts
/// unless told otherwise: 64 MiB.
pub(crate) const DEFAULT_MESSAGE_LIMIT: usize = 64 << 20;

/// How long a new worker may take to say hello.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);

/// Jobs sent to a worker ahead of its results: one running and one waiting, so that a worker
/// never idles for a round trip. Only jobs not yet sent can be cancelled.
const PIPELINE: usize = 2;

/// The largest job queued behind a running one. A larger one waits for an idle worker, which
/// reads it at once: queued behind a long task it could fill the socket's buffer and leave its
/// sender blocked until that task ends.
const PIPELINE_BYTES: usize = 64 * 1024;

/// The arguments a test binary's workers are started with (see [`worker_test!`]); a program
/// whose `main` calls [`serve_if_worker`] first never looks at them.
///
/// [`worker_test!`]: crate::worker_test!
const WORKER_ARGS: [&str; 5] = [
    "cogen_process_worker",
    "--exact",
    "--nocapture",
    "--quiet",
    "--test-threads=1",
];

/// What completes the future(s) of a job, with the result type erased.
pub(in crate::pool) trait Sink: Send {
    /// Python's `set_running_or_notify_cancel`: false when the future was cancelled.
    fn start(&self) -> bool;
    /// Cancels the future while it is pending.
    fn cancel(&self);
    /// Decodes the worker's `count` results into the future.
    fn deliver(&self, results: &[u8], count: usize);
    /// Fails the future.
    fn fail(&self, error: FutureError);
}

/// A job's results as the worker encoded them, each failure turned into the future's error;
/// if they cannot be decoded, or are not `count`, every call fails with the reason.
fn decode_results<R: DeserializeOwned>(bytes: &[u8], count: usize) -> ChunkResults<R> {
    let reason = match postcard::from_bytes::<Vec<Result<R, WireFailure>>>(bytes) {
        Ok(results) if results.len() == count => {
            return results
                .into_iter()
                .map(|result| result.map_err(FutureError::from))
                .collect();
        }
        Ok(results) => format!("{} results arrived for {count} calls", results.len()),
        Err(error) => format!("cannot decode the results: {error}"),
    };
    (0..count)
        .map(|_| Err(FutureError::Unsendable(reason.clone())))
        .collect()
}

/// Completes a future with what a decoder makes of a job's results: for `submit`, the one
/// value; for a chunk of `map`, the vector of them.
struct Deliver<T> {
    shared: Arc<Shared<T>>,
    decode: fn(&[u8], usize) -> Result<T, FutureError>,
}

impl<T: Send> Sink for Deliver<T> {
    fn start(&self) -> bool {
        self.shared.set_running()
    }

    fn cancel(&self) {
        self.shared.cancel();
    }

    fn deliver(&self, results: &[u8], count: usize) {
        self.shared.finish((self.decode)(results, count));
    }

    fn fail(&self, error: FutureError) {
        self.shared.finish(Err(error));
    }
}

/// `submit`'s future: the one value.
pub(in crate::pool) fn one<R: DeserializeOwned + Send + 'static>(
    shared: &Arc<Shared<R>>,
) -> Box<dyn Sink> {
    Box::new(Deliver {
        shared: Arc::clone(shared),
        decode: |results, count| {
            decode_results(results, count)
                .pop()
                .expect("one result for one call")
        },
    })
}

/// A chunk's future: a result for each call.
pub(in crate::pool) fn many<R: DeserializeOwned + Send + 'static>(
    shared: &Arc<Shared<ChunkResults<R>>>,
) -> Box<dyn Sink> {
    Box::new(Deliver {
        shared: Arc::clone(shared),
        decode: |results, count| Ok(decode_results(results, count)),
    })
}

/// A job encoded, not yet queued.
pub(in crate::pool) struct EncodedJob {
    pub(in crate::pool) id: u64,
    /// The whole `Run` message, its length prefix included.
    pub(in crate::pool) frame: Vec<u8>,
    pub(in crate::pool) count: usize,
}

/// Encodes `arguments` of task number `task` into job `id`'s `Run` message, refused if its
/// body is over `limit` bytes.
pub(in crate::pool) fn encode_job<A: Serialize>(
    id: u64,
    task: u32,
    arguments: &[A],
    limit: usize,
) -> Result<EncodedJob, SubmitError> {
    let count = u32::try_from(arguments.len())
        .map_err(|_| SubmitError::Unsendable("more than 2^32 arguments".to_string()))?;
    let frame = wire::run_frame(id, task, count, |frame| {
        postcard::to_extend(arguments, frame)
    })
    .map_err(|error| SubmitError::Unsendable(format!("cannot encode the argument: {error}")))?;
    if frame.len() - 4 > limit {
        return Err(SubmitError::Unsendable(format!(
            "a message of {} bytes, over the limit of {limit}",
            frame.len() - 4
        )));
    }
    Ok(EncodedJob {
        id,
        frame,
        count: arguments.len(),
    })
}

struct Job {
    id: u64,
    /// The whole `Run` message; emptied when sent.
    frame: Vec<u8>,
    /// How many arguments (and so results) the job has.
    count: usize,
    sink: Box<dyn Sink>,
    /// Sent to a worker (its future is running).
    started: bool,
}

impl Job {
    /// Fails the job's future unless it was cancelled before it started.
    fn fail(self, error: FutureError) {
        if self.started || self.sink.start() {
            self.sink.fail(error);
        }
    }
}

/// The frames on their way to one worker, written in the order queued by whichever thread
/// found the queue idle, never under the pool's lock: a worker busy with a long task may leave
/// a large frame half-written for as long, and the rest of the pool must go on meanwhile.
struct Outgoing {
    queue: Mutex<Pending>,
    stream: UnixStream,
}

#[derive(Default)]
struct Pending {
    /// Frames queued and not yet written.
    bytes: Vec<u8>,
    /// A thread is writing them out.
    writing: bool,
}

impl Outgoing {
    /// Queues a frame; true when the caller must [`drain`](Self::drain) the queue once it has
    /// released the pool's lock.
    fn push(&self, frame: &[u8]) -> bool {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.bytes.extend_from_slice(frame);
        !std::mem::replace(&mut queue.writing, true)
    }

    /// Writes the queue out until it is empty.
    fn drain(&self) {
        loop {
            let bytes = {
                let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
                if queue.bytes.is_empty() {
                    queue.writing = false;
                    return;
                }
                std::mem::take(&mut queue.bytes)
            };
            // A failed write means the worker is gone: its reader sees that and breaks the
            // pool.
            let _ = wire::write_frame(&mut &self.stream, &bytes);
        }
    }
}

/// A worker process, as the pool sees it.
struct Worker {
    id: u64,
    pid: u32,
    outgoing: Arc<Outgoing>,
    /// It said hello with the right fingerprint (and was sent the initializer).
    ready: bool,
    /// Jobs sent and not answered, in the order sent (a worker answers in order).
    in_flight: VecDeque<Job>,
    /// Jobs sent over its life, for `max_tasks_per_child`.
    sent: usize,
    /// It was told to exit.
    exiting: bool,
}

impl Worker {
    /// Up (its hello checked) and not told to exit: it may be sent jobs.
    fn open(&self) -> bool {
        self.ready && !self.exiting
    }

    fn signal(&self, signal: rustix::process::Signal) {
        // The worker is in the table, so its reader has not reaped it: the pid is still its.
        if let Some(pid) = i32::try_from(self.pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            let _ = rustix::process::kill_process(pid, signal);
        }
    }
}

struct State {
    /// Submitted jobs not yet sent to a worker.
    queue: VecDeque<Job>,
    workers: Vec<Worker>,
    /// Worker processes started and not yet reaped.
    live: usize,
    shutdown: bool,
    /// Why the pool is broken, once it is.
    broken: Option<String>,
    next_worker: u64,
    readers: Vec<JoinHandle<()>>,
    /// Workers with frames to write once the lock is released.
    to_drain: Vec<Arc<Outgoing>>,
}

impl State {
    /// A worker that is up, not told to exit, and has nothing to do.
    fn idle_worker(&self) -> Option<usize> {
        self.workers
            .iter()
            .position(|worker| worker.open() && worker.in_flight.is_empty())
    }

    /// The open worker with the fewest jobs, if one has room for another.
    fn least_busy_worker(&self) -> Option<usize> {
        (0..self.workers.len())
            .filter(|&index| {
                let worker = &self.workers[index];
                worker.open() && worker.in_flight.len() < PIPELINE
            })
            .min_by_key(|&index| self.workers[index].in_flight.len())
    }

    /// Queues a frame for the worker at `index`.
    fn send(&mut self, index: usize, frame: &[u8]) {
        let outgoing = &self.workers[index].outgoing;
        if outgoing.push(frame) {
            self.to_drain.push(Arc::clone(outgoing));
        }
    }

    /// Tells every worker that is up to exit once its work is done.
    fn send_exits(&mut self) {
        for index in 0..self.workers.len() {
            let worker = &mut self.workers[index];
            if worker.open() {
                worker.exiting = true;
                self.send(index, &ToWorker::Exit.encode());
            }
        }
    }
}

struct Manager {
    state: Mutex<State>,
    /// Signalled when a worker is reaped.
    reaped: Condvar,
    registry: Registry,
    fingerprint: u64,
    max_workers: usize,
    max_tasks_per_child: Option<usize>,
    initializer: Option<(u32, Vec<u8>)>,
    program: OsString,
    args: Vec<OsString>,
    limit: usize,
    next_job: AtomicU64,
}

thread_local! {
    /// The pool whose worker this thread reads for: a done callback running here must not
    /// wait for that worker to be reaped.
    static READER_OF: Cell<*const Manager> = const { Cell::new(std::ptr::null()) };
}

/// How a worker's conversation with the pool ended.
enum Ending {
    /// It exited when told to, with nothing left to do.
    Clean,
    /// It went away (its socket closed or failed) with work in flight, or unasked.
    Died,
    /// It sent something that is not the protocol, or failed its handshake: the text says what.
    Misbehaved(String),
    /// Its initializer panicked with this message.
    InitFailed(String),
}

impl Manager {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Only our code runs under this lock; a user's code (a future's callback) never does.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Encodes `arguments` of task number `task` into a job's message, outside the lock.
    fn encode_job<A: Serialize>(
        &self,
        task: u32,
        arguments: &[A],
    ) -> Result<EncodedJob, SubmitError> {
        let id = self.next_job.fetch_add(1, Ordering::Relaxed);
        encode_job(id, task, arguments, self.limit)
    }

    /// Queues a job and sends what can be sent.
    fn submit(self: &Arc<Self>, job: EncodedJob, sink: Box<dyn Sink>) -> Result<(), SubmitError> {
        let mut state = self.lock();
        if let Some(cause) = &state.broken {
            return Err(SubmitError::BrokenProcessPool(cause.clone()));
        }
        if state.shutdown {
            return Err(SubmitError::Shutdown);
        }
        state.queue.push_back(Job {
            id: job.id,
            frame: job.frame,
            count: job.count,
            sink,
            started: false,
        });
        let failed = self.dispatch(&mut state);
        self.settle(state, failed);
        Ok(())
    }

    /// Sends queued jobs to workers with room, starts workers while jobs wait and fewer than
    /// the maximum run, and tells idle workers to exit once shut down with nothing queued.
    /// Returns the error that broke the pool, if starting a worker failed.
    fn dispatch(self: &Arc<Self>, state: &mut State) -> Option<String> {
        if state.broken.is_some() {
            return None;
        }
        while let Some(front) = state.queue.front() {
            let pipelinable = front.frame.len() <= PIPELINE_BYTES;
            let starting = state.workers.iter().filter(|worker| !worker.ready).count();
            let index = if let Some(index) = state.idle_worker() {
                index
            } else if state.live < self.max_workers {
                // No idle worker: start one, as CPython does, unless the workers starting
                // will take every job queued.
                if state.queue.len() <= starting {
                    break;
                }
                if let Err(error) = self.start_worker(state) {
                    return Some(error);
                }
                continue;
            } else if starting == 0 && pipelinable {
                // Every worker is up and busy: queue a small job behind a running one, so that
                // no worker waits for a round trip between jobs.
                match state.least_busy_worker() {
                    Some(index) => index,
                    None => break,
                }
            } else {
                break;
            };
            let mut job = state.queue.pop_front().expect("not empty");
            if !job.sink.start() {
                continue; // cancelled while queued
            }
            job.started = true;
            let frame = std::mem::take(&mut job.frame);
            state.send(index, &frame);
            let worker = &mut state.workers[index];
            worker.in_flight.push_back(job);
            worker.sent += 1;
            if self
                .max_tasks_per_child
                .is_some_and(|max| worker.sent >= max)
            {
                worker.exiting = true;
                state.send(index, &ToWorker::Exit.encode());
            }
        }
        if state.shutdown && state.queue.is_empty() {
            state.send_exits();
        }
        None
    }

    /// Releases the lock and writes the frames queued under it; then breaks the pool if
    /// `failed` says why.
    fn settle(&self, mut state: MutexGuard<'_, State>, failed: Option<String>) {
        let to_drain = std::mem::take(&mut state.to_drain);
        drop(state);
        for outgoing in to_drain {
            outgoing.drain();
        }
        if let Some(cause) = failed {
            self.break_pool(self.lock(), cause);
        }
    }

    /// Starts a worker process and the thread that reads from it.
    fn start_worker(self: &Arc<Self>, state: &mut State) -> Result<(), String> {
        if worker::stray_worker() {
            // Starting workers here would start workers without end.
            return Err(
                "this process was started as a pool worker, but its main did not call \
                 cogen::pool::serve_if_worker first (a test binary needs \
                 cogen::worker_test! at its root)"
                    .to_string(),
            );
        }
        let (ours, theirs) =
            UnixStream::pair().map_err(|error| format!("cannot make a socket pair: {error}"))?;
        let writer = ours
            .try_clone()
            .map_err(|error| format!("cannot clone a socket: {error}"))?;
        state.readers.retain(|reader| !reader.is_finished());
        let id = state.next_worker;
        state.next_worker += 1;
        // The reader thread first, so that a process is never started without one to reap it.
        let (handoff, handed) = mpsc::sync_channel::<(Child, UnixStream)>(1);
        let manager = Arc::clone(self);
        let reader = thread::Builder::new()
            .name("cogen-process-reader".into())
            .spawn(move || {
                if let Ok((child, stream)) = handed.recv() {
                    manager.read_worker(id, child, stream);
                }
            })
            .map_err(|error| format!("cannot start a thread to read a worker: {error}"))?;
        let child = Command::new(&self.program)
            .args(&self.args)
            .env(worker::WORKER_ENV, std::process::id().to_string())
            .env(worker::LIMIT_ENV, self.limit.to_string())
            .stdin(Stdio::from(OwnedFd::from(theirs)))
            .spawn()
            .map_err(|error| {
                format!(
                    "cannot start a worker ({}): {error}",
                    self.program.to_string_lossy()
                )
            })?;
        let pid = child.id();
        handoff
            .send((child, ours))
            .expect("the reader thread waits for its worker");
        state.readers.push(reader);
        state.workers.push(Worker {
            id,
            pid,
            outgoing: Arc::new(Outgoing {
                queue: Mutex::default(),
                stream: writer,
            }),
            ready: false,
            in_flight: VecDeque::new(),
            sent: 0,
            exiting: false,
        });
        state.live += 1;
        Ok(())
    }

    /// A worker's reader thread: the handshake, then each answer, then reaping the process.
    fn read_worker(self: Arc<Self>, id: u64, child: Child, stream: UnixStream) {
        READER_OF.with(|reader_of| reader_of.set(Arc::as_ptr(&self)));
        let pid = child.id();
        let ending = self.converse(id, stream);
        let mut state = self.lock();
        let position = state.workers.iter().position(|worker| worker.id == id);
        let worker = position.map(|index| state.workers.remove(index));
        let broken_already = state.broken.is_some();
        drop(state);
        let (ending, in_flight) = match (ending, worker) {
            (Ending::Clean, Some(worker)) if !worker.in_flight.is_empty() => {
                (Ending::Died, worker.in_flight)
            }
            (ending, Some(worker)) => (ending, worker.in_flight),
            (ending, None) => (ending, VecDeque::new()),
        };
        let kill_first = matches!(ending, Ending::Misbehaved(_));
        let status = reap(child, kill_first);
        let cause = match ending {
            Ending::Clean => None,
            Ending::Died => Some(describe_exit(pid, status)),
            Ending::Misbehaved(what) => Some(format!("worker {pid} sent {what}")),
            Ending::InitFailed(message) => Some(format!(
                "the initializer panicked in worker {pid}: {message}"
            )),
        };
        let mut state = self.lock();
        state.live -= 1;
        self.reaped.notify_all();
        match cause {
            Some(cause) if !broken_already => {
                state.queue.extend(in_flight);
                self.break_pool(state, cause);
            }
            _ => {
                let leftover = in_flight;
                let failed = self.dispatch(&mut state);
                let cause = state.broken.clone();
                self.settle(state, failed);
                if let Some(cause) = cause {
                    for job in leftover {
                        job.fail(FutureError::BrokenProcessPool(cause.clone()));
                    }
                }
            }
        }
    }

    /// Reads a worker's hello and answers until it ends.
    fn converse(self: &Arc<Self>, id: u64, stream: UnixStream) -> Ending {
        let _ = stream.set_read_timeout(Some(HANDSHAKE_TIMEOUT));
        let mut reader = BufReader::with_capacity(64 * 1024, stream);
        let hello = match self.read_message(&mut reader) {
            Ok(Some(hello)) => hello,
            Ok(None) => return Ending::Died,
            Err(ending) => return ending,
        };
        match hello {
            FromWorker::Hello { fingerprint, .. } if fingerprint == self.fingerprint => {}
            FromWorker::Hello { fingerprint, .. } => {
                return Ending::Misbehaved(format!(
                    "the build fingerprint {fingerprint:016x}, not this program's \
                     {:016x}: it was built from another program or with other tasks",
                    self.fingerprint
                ));
            }
            other => return Ending::Misbehaved(format!("{other:?} before its hello")),
        }
        let _ = reader.get_ref().set_read_timeout(None);
        {
            let mut state = self.lock();
            if let Some(index) = state.workers.iter().position(|worker| worker.id == id) {
                if let Some((task, argument)) = &self.initializer {
                    let init = ToWorker::Init {
                        task: *task,
                        arguments: argument.clone(),
                    };
                    state.send(index, &init.encode());
                }
                state.workers[index].ready = true;
            }
            let failed = self.dispatch(&mut state);
            self.settle(state, failed);
        }
        loop {
            let message = match self.read_message(&mut reader) {
                Ok(Some(message)) => message,
                Ok(None) => return self.ended(id),
                Err(ending) => return ending,
            };
            let (job, results) = match message {
                FromWorker::Done { job, results } => (job, results),
                FromWorker::InitFailed(message) => return Ending::InitFailed(message),
                FromWorker::Hello { .. } => {
                    return Ending::Misbehaved("a second hello".to_string());
                }
            };
            let mut state = self.lock();
            let Some(worker) = state.workers.iter_mut().find(|worker| worker.id == id) else {
                return Ending::Died; // the pool broke meanwhile
            };
            // Answers come in the order the jobs were sent; look the job up by its number all
            // the same. (Its results are counted as they are decoded.)
            let position = worker.in_flight.iter().position(|sent| sent.id == job);
            let Some(done) = position.and_then(|position| worker.in_flight.remove(position)) else {
                return Ending::Misbehaved(format!(
                    "an answer to job {job}, which it was not sent"
                ));
            };
            let failed = self.dispatch(&mut state);
            self.settle(state, failed);
            // Outside the lock: this runs the future's callbacks and wakes its waiters.
            let count = done.count;
            let delivered = panic::catch_unwind(AssertUnwindSafe(|| {
                done.sink.deliver(&results, count);
            }));
            if let Err(payload) = delivered {
                // The result's own `Deserialize` (or `Drop`) panicked: that call fails, the
                // worker and its reader go on.
                let message = super::panic_message(payload);
                done.sink.fail(FutureError::Unsendable(format!(
                    "decoding the results panicked: {message}"
                )));
            }
        }
    }

    /// Whether a worker whose socket closed was done.
    fn ended(&self, id: u64) -> Ending {
        let state = self.lock();
        match state.workers.iter().find(|worker| worker.id == id) {
            Some(worker) if worker.exiting && worker.in_flight.is_empty() => Ending::Clean,
            Some(_) => Ending::Died,
            None => Ending::Clean,
        }
    }

    fn read_message(
        &self,
        reader: &mut BufReader<UnixStream>,
    ) -> Result<Option<FromWorker>, Ending> {
        match wire::read_frame(reader, self.limit) {
            Ok(None) => Ok(None),
            Ok(Some(body)) => FromWorker::decode(&body)
                .map(Some)
                .map_err(|what| Ending::Misbehaved(format!("a malformed message: {what}"))),
            Err(FrameError::Io(error)) if error.kind() == io::ErrorKind::WouldBlock => {
                Err(Ending::Misbehaved(format!(
                    "no hello within {} s (does main call cogen::pool::serve_if_worker first?)",
                    HANDSHAKE_TIMEOUT.as_secs()
                )))
            }
            Err(FrameError::Io(_)) => Err(Ending::Died),
            Err(error) => Err(Ending::Misbehaved(error.to_string())),
        }
    }

    /// Breaks the pool: every job queued or in flight fails with `BrokenProcessPool`, every
    /// worker is killed, and every later submit is refused.
    fn break_pool(&self, mut state: MutexGuard<'_, State>, cause: String) {
        if state.broken.is_none() {
            state.broken = Some(cause);
        }
        let cause = state.broken.clone().expect("set above");
        let mut jobs: Vec<Job> = state.queue.drain(..).collect();
        for worker in &mut state.workers {
            jobs.extend(worker.in_flight.drain(..));
            worker.signal(rustix::process::Signal::KILL);
        }
        drop(state);
        for job in jobs {
            job.fail(FutureError::BrokenProcessPool(cause.clone()));
        }
    }

    fn shutdown(&self, wait: bool, cancel_futures: bool) {
        let mut state = self.lock();
        state.shutdown = true;
        let cancelled: Vec<Job> = if cancel_futures {
            state.queue.drain(..).collect()
        } else {
            Vec::new()
        };
        if state.queue.is_empty() {
            state.send_exits();
        }
        self.settle(state, None);
        for job in cancelled {
            job.sink.cancel();
        }
        if !wait || READER_OF.with(|reader_of| std::ptr::eq(reader_of.get(), self)) {
            return;
        }
        let mut state = self.lock();
        while state.live > 0 {
            state = self
                .reaped
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let readers = std::mem::take(&mut state.readers);
        drop(state);
        for reader in readers {
            let _ = reader.join();
        }
    }

    fn signal_workers(&self, signal: rustix::process::Signal) {
        self.shutdown(false, true);
        for worker in &self.lock().workers {
            worker.signal(signal);
        }
    }
}

/// Waits for a worker that ended (killing it first, or after a grace period if it lingers),
/// so that no zombie is left.
fn reap(mut child: Child, kill_first: bool) -> io::Result<ExitStatus> {
    if kill_first {
        let _ = child.kill();
    }
    // Its socket closed as it exited: it is a zombie already, or about to be. Look again
    // at growing intervals (from 20 µs) for two seconds, then kill it.
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut pause = Duration::from_micros(20);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            return child.wait();
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(50));
    }
}

/// How a worker ended, for the `BrokenProcessPool` message.
fn describe_exit(pid: u32, status: io::Result<ExitStatus>) -> String {
    match status {
        Ok(status) => match (status.code(), status.signal()) {
            (_, Some(signal)) => format!(
                "a worker was killed by signal {signal} ({})",
                signal_name(signal)
            ),
            (Some(code), None) => format!("a worker exited with status {code}"),
            (None, None) => format!("a worker ended: {status}"),
        },
        Err(error) => format!("worker {pid} ended, and its status is unknown: {error}"),
    }
}

fn signal_name(signal: i32) -> &'static str {
    const NAMES: [&str; 32] = [
        "signal 0",
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGILL",
        "SIGTRAP",
        "SIGABRT",
        "SIGBUS",
        "SIGFPE",
        "SIGKILL",
        "SIGUSR1",
        "SIGSEGV",
        "SIGUSR2",
        "SIGPIPE",
        "SIGALRM",
        "SIGTERM",
        "SIGSTKFLT",
        "SIGCHLD",
        "SIGCONT",
        "SIGSTOP",
        "SIGTSTP",
        "SIGTTIN",
        "SIGTTOU",
        "SIGURG",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGVTALRM",
        "SIGPROF",
        "SIGWINCH",
        "SIGIO",
        "SIGPWR",
        "SIGSYS",
    ];
    if cfg!(target_os = "linux") {
        usize::try_from(signal)
            .ok()
            .and_then(|signal| NAMES.get(signal))
            .copied()
            .unwrap_or("a real-time signal")
    } else {
        "see the system's signal numbers"
    }
}

/// A pool of worker processes that runs registered [`Task`]s and hands back a [`PoolFuture`]
/// for each: Python's `concurrent.futures.ProcessPoolExecutor`.
///
/// What a process pool buys in Rust, where threads already run in parallel, is isolation: a
/// task that aborts, segfaults in a C library, calls `process::exit`, or is killed (by the OOM
/// killer, or by hand) takes down one worker, not the program, and the program learns of it
/// through its futures. As in Python, that breaks the pool: every pending and running future
/// fails with [`FutureError::BrokenProcessPool`], whose text names the worker's exit status or
/// signal, and every later `submit` fails with [`SubmitError::BrokenProcessPool`]. A task that
/// panics fails only its own future ([`FutureError::Panicked`]); the worker goes on. Only the
/// panic's message crosses back from the worker: its [`Panic`](super::Panic) has no payload,
/// and [`resume_unwind`](super::Panic::resume_unwind) re-raises the message as a `String` (the
/// panic hook prints the same message).
///
/// Workers are the program's own executable started again, not forked: `main` calls
/// [`serve_if_worker`] first (a test binary uses [`worker_test!`](crate::worker_test!)
/// instead). They start as tasks arrive, up to the maximum, talk to the pool over a Unix
/// socket pair (nothing listens on a network port), print to the parent's terminal, and exit
/// on their own when the parent goes away. Arguments and results are serde types, encoded with
/// postcard; messages are length-prefixed and limited in size, and a worker that sends
/// anything else breaks the pool with a clear error. Dropping the executor is Python's `with`
/// block ending: it shuts down, waits for the queued tasks, and reaps every worker.
///
/// ```rust,standalone_crate
/// use cogen::pool::{FutureError, ProcessPoolExecutor, Registry, Task};
///
/// fn sum_to(n: u64) -> u64 {
///     (1..=n).sum()
/// }
/// fn crash(code: i32) {
///     std::process::exit(code)
/// }
/// const SUM_TO: Task<u64, u64> = cogen::task!(sum_to);
/// const CRASH: Task<i32, ()> = cogen::task!(crash);
///
/// fn tasks() -> Registry {
///     Registry::new().with(SUM_TO).with(CRASH)
/// }
///
/// fn main() {
///     cogen::pool::serve_if_worker(tasks);
///
///     let pool = ProcessPoolExecutor::with_max_workers(2, tasks);
///     let sums: Vec<u64> = pool
///         .map(SUM_TO, [10, 100, 1000])
///         .unwrap()
///         .map(Result::unwrap)
///         .collect();
///     assert_eq!(sums, [55, 5050, 500500]);
///
///     // A worker that dies breaks the pool, as in Python.
///     let error = pool.submit(CRASH, 3).unwrap().join().unwrap_err();
///     assert!(matches!(error, FutureError::BrokenProcessPool(_)));
///     assert!(error.to_string().contains("a worker exited with status 3"));
///     assert!(pool.submit(SUM_TO, 1).is_err());
/// }
/// ```
pub struct ProcessPoolExecutor {
    manager: Arc<Manager>,
}

/// Chooses how a [`ProcessPoolExecutor`] is built: Python's constructor arguments.
///
/// ```rust,standalone_crate
/// use cogen::pool::{ProcessPoolExecutor, Registry, Task};
///
/// fn pid(_: ()) -> u32 {
///     std::process::id()
/// }
/// const PID: Task<(), u32> = cogen::task!(pid);
/// fn tasks() -> Registry {
///     Registry::new().with(PID)
/// }
///
/// fn main() {
///     cogen::pool::serve_if_worker(tasks);
///     // Python: ProcessPoolExecutor(max_workers=1, max_tasks_per_child=2)
///     let pool = ProcessPoolExecutor::builder(tasks)
///         .max_workers(1)
///         .max_tasks_per_child(2)
///         .build()
///         .unwrap();
///     let pids: Vec<u32> = (0..4).map(|_| pool.submit(PID, ()).unwrap().join().unwrap()).collect();
///     assert_eq!(pids[0], pids[1]);
///     assert_ne!(pids[1], pids[2]); // the first worker retired after two tasks
///     assert_eq!(pids[2], pids[3]);
/// }
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct ProcessPoolBuilder {
    tasks: fn() -> Registry,
    max_workers: Option<usize>,
    max_tasks_per_child: Option<usize>,
    initializer: Option<Initializer>,
    program: Option<(OsString, Vec<OsString>)>,
    limit: usize,
}

/// Resolves the initializer against the registry: its task number and encoded argument.
type Initializer = Box<dyn FnOnce(&Registry) -> Result<(u32, Vec<u8>), SubmitError>>;

impl ProcessPoolBuilder {
    /// At most `max_workers` worker processes (Python's `max_workers`). The default is the
    /// number of CPUs this process may use.
    ///
    /// # Panics
    ///
    /// If `max_workers` is 0 (Python: `ValueError: max_workers must be greater than 0`).
    ///
    /// ```
    /// # fn tasks() -> cogen::pool::Registry { cogen::pool::Registry::new() }
    /// let builder = cogen::pool::ProcessPoolExecutor::builder(tasks).max_workers(3);
    /// ```
    pub fn max_workers(mut self, max_workers: usize) -> Self {
        assert!(max_workers > 0, "max_workers must be greater than 0");
        self.max_workers = Some(max_workers);
        self
    }

    /// Replaces a worker after it has run this many jobs (a `submit`, or one chunk of a
    /// `map`): Python 3.11's `max_tasks_per_child`, for tasks that leak.
    ///
    /// # Panics
    ///
    /// If `max_tasks` is 0 (Python: `ValueError: max_tasks_per_child must be >= 1`).
    ///
    /// ```
    /// # fn tasks() -> cogen::pool::Registry { cogen::pool::Registry::new() }
    /// let builder = cogen::pool::ProcessPoolExecutor::builder(tasks).max_tasks_per_child(100);
    /// ```
    pub fn max_tasks_per_child(mut self, max_tasks: usize) -> Self {
        assert!(max_tasks > 0, "max_tasks_per_child must be >= 1");
        self.max_tasks_per_child = Some(max_tasks);
        self
    }

    /// Runs `task(argument)` once in every worker before its first task: Python's
    /// `initializer` and `initargs`. Its result is dropped; if it panics, the pool is broken
    /// (as in Python, where a failing initializer breaks the pool).
    ///
    /// ```
    /// use cogen::pool::{ProcessPoolExecutor, Registry, Task};
    ///
    /// fn set_up(level: u8) {
    ///     let _ = level;
    /// }
    /// const SET_UP: Task<u8, ()> = cogen::task!(set_up);
    /// fn tasks() -> Registry {
    ///     Registry::new().with(SET_UP)
    /// }
    /// let builder = ProcessPoolExecutor::builder(tasks).initializer(SET_UP, 3);
    /// ```
    pub fn initializer<A, R>(mut self, task: Task<A, R>, argument: A) -> Self
    where
        A: Serialize + 'static,
        R: 'static,
    {
        self.initializer = Some(Box::new(move |registry: &Registry| {
            let index = registry.index_of(&task)?;
            // A sequence of one, as every job's arguments travel.
            let arguments = postcard::to_stdvec(std::slice::from_ref(&argument))
                .map_err(|error| SubmitError::Unsendable(error.to_string()))?;
            Ok((index, arguments))
        }));
        self
    }

    /// Starts workers as `program` with `args` instead of this executable: a dedicated worker
    /// binary, whose `main` calls [`serve_if_worker`] with a registry of the same
    /// [`fingerprint`](Registry::fingerprint) (checked when each worker starts).
    ///
    /// ```
    /// # fn tasks() -> cogen::pool::Registry { cogen::pool::Registry::new() }
    /// let builder = cogen::pool::ProcessPoolExecutor::builder(tasks)
    ///     .worker_program("/usr/local/bin/my-worker", ["--quiet"]);
    /// ```
    pub fn worker_program<P, I, S>(mut self, program: P, args: I) -> Self
    where
        P: Into<OsString>,
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.program = Some((program.into(), args.into_iter().map(Into::into).collect()));
        self
    }

    /// The largest message, in bytes, the pool and its workers send each other (default 64
    /// MiB): a larger argument is refused at submit, a larger result fails its own future,
    /// and a worker announcing a larger message breaks the pool.
    ///
    /// # Panics
    ///
    /// If `bytes` is under 1 KiB or over 4 GiB.
    ///
    /// ```
    /// # fn tasks() -> cogen::pool::Registry { cogen::pool::Registry::new() }
    /// let builder = cogen::pool::ProcessPoolExecutor::builder(tasks).max_message_size(1 << 20);
    /// ```
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        assert!(
            (1024..=u32::MAX as usize).contains(&bytes),
            "max_message_size: between 1 KiB and 4 GiB"
        );
        self.limit = bytes;
        self
    }

    /// Builds the executor. No worker starts until a task arrives.
    ///
    /// # Errors
    ///
    /// The initializer's task is not registered (or its argument cannot be encoded).
    ///
    /// ```
    /// # fn tasks() -> cogen::pool::Registry { cogen::pool::Registry::new() }
    /// let pool = cogen::pool::ProcessPoolExecutor::builder(tasks).build().unwrap();
    /// ```
    pub fn build(self) -> Result<ProcessPoolExecutor, SubmitError> {
        let registry = (self.tasks)();
        let initializer = match self.initializer {
            Some(resolve) => Some(resolve(&registry)?),
            None => None,
        };
        let (program, args) = match self.program {
            Some(program) => program,
            None => (
                current_executable(),
                WORKER_ARGS.iter().map(OsString::from).collect(),
            ),
        };
        let max_workers = self.max_workers.unwrap_or_else(default_workers);
        Ok(ProcessPoolExecutor {
            manager: Arc::new(Manager {
                state: Mutex::new(State {
                    queue: VecDeque::new(),
                    workers: Vec::new(),
                    live: 0,
                    shutdown: false,
                    broken: None,
                    next_worker: 0,
                    readers: Vec::new(),
                    to_drain: Vec::new(),
                }),
                reaped: Condvar::new(),
                fingerprint: registry.fingerprint(),
                registry,
                max_workers,
                max_tasks_per_child: self.max_tasks_per_child,
                initializer,
                program,
                args,
                limit: self.limit,
                next_job: AtomicU64::new(0),
            }),
        })
    }
}

impl fmt::Debug for ProcessPoolBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessPoolBuilder")
            .field("max_workers", &self.max_workers)
            .field("max_tasks_per_child", &self.max_tasks_per_child)
            .field("initializer", &self.initializer.is_some())
            .field("program", &self.program)
            .field("max_message_size", &self.limit)
            .finish()
    }
}

/// This executable, by its path (`std::env::current_exe`); the registry's fingerprint catches
/// a file rebuilt with other tasks since this process started.
fn current_executable() -> OsString {
    std::env::current_exe().map_or_else(
        |_| std::env::args_os().next().unwrap_or_default(),
        OsString::from,
    )
}

/// CPython 3.13's default: the CPUs this process may use.
fn default_workers() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

impl ProcessPoolExecutor {
    /// A builder, for the options past the number of workers (Python's constructor
    /// arguments).
    ///
    /// ```
    /// # fn tasks() -> cogen::pool::Registry { cogen::pool::Registry::new() }
    /// let pool = cogen::pool::ProcessPoolExecutor::builder(tasks).max_workers(2).build().unwrap();
    /// assert_eq!(pool.max_workers(), 2);
    /// ```
    pub fn builder(tasks: fn() -> Registry) -> ProcessPoolBuilder {
        ProcessPoolBuilder {
            tasks,
            max_workers: None,
            max_tasks_per_child: None,
            initializer: None,
            program: None,
            limit: DEFAULT_MESSAGE_LIMIT,
        }
    }

    /// An executor with as many workers as the CPUs this process may use (CPython 3.13's
    /// default, `os.process_cpu_count()`), running the tasks `tasks` registers.
    ///
    /// ```
    /// # fn tasks() -> cogen::pool::Registry { cogen::pool::Registry::new() }
    /// let pool = cogen::pool::ProcessPoolExecutor::new(tasks);
    /// let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    /// assert_eq!(pool.max_workers(), cpus);
    /// ```
    pub fn new(tasks: fn() -> Registry) -> Self {
        Self::builder(tasks)
            .build()
            .expect("no initializer to check")
    }

    /// An executor with at most `max_workers` worker processes.
    ///
    /// # Panics
    ///
    /// If `max_workers` is 0.
    ///
    /// ```
    /// # fn tasks() -> cogen::pool::Registry { cogen::pool::Registry::new() }
    /// let pool = cogen::pool::ProcessPoolExecutor::with_max_workers(4, tasks);
    /// assert_eq!(pool.max_workers(), 4);
    /// ```
    pub fn with_max_workers(max_workers: usize, tasks: fn() -> Registry) -> Self {
        Self::builder(tasks)
            .max_workers(max_workers)
            .build()
            .expect("no initializer to check")
    }

    /// The most workers this executor runs at once.
    ///
    /// ```
    /// # fn tasks() -> cogen::pool::Registry { cogen::pool::Registry::new() }
    /// assert_eq!(cogen::pool::ProcessPoolExecutor::with_max_workers(1, tasks).max_workers(), 1);
    /// ```
    pub fn max_workers(&self) -> usize {
        self.manager.max_workers
    }

    /// Schedules `task(argument)` in a worker process: Python's `executor.submit(fn, arg)`.
    /// The argument is encoded now; the future is pending until a worker takes it (only then
    /// can it no longer be cancelled).
    ///
    /// # Errors
    ///
    /// [`SubmitError::Shutdown`], [`SubmitError::BrokenProcessPool`], a task not in the
    /// registry ([`SubmitError::Unregistered`], [`SubmitError::Mismatched`]), or an argument
    /// that cannot be encoded or is over the message limit ([`SubmitError::Unsendable`]).
    ///
    /// ```rust,standalone_crate
    /// use cogen::pool::{ProcessPoolExecutor, Registry, SubmitError, Task};
    ///
    /// const SHOUT: Task<String, String> = Task::new("shout", |text: String| text.to_uppercase());
    /// const WHISPER: Task<String, String> = Task::new("whisper", |text: String| text.to_lowercase());
    /// fn tasks() -> Registry {
    ///     Registry::new().with(SHOUT)
    /// }
    ///
    /// fn main() {
    ///     cogen::pool::serve_if_worker(tasks);
    ///     let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    ///     assert_eq!(pool.submit(SHOUT, "hi".into()).unwrap().join(), Ok("HI".to_string()));
    ///     assert_eq!(
    ///         pool.submit(WHISPER, "HI".into()).unwrap_err(),
    ///         SubmitError::Unregistered("whisper")
    ///     );
    /// }
    /// ```
    pub fn submit<A, R>(&self, task: Task<A, R>, argument: A) -> Result<PoolFuture<R>, SubmitError>
    where
        A: Serialize + 'static,
        R: DeserializeOwned + Send + 'static,
    {
        let index = self.manager.registry.index_of(&task)?;
        let job = self
            .manager
            .encode_job(index, std::slice::from_ref(&argument))?;
        let shared = Shared::new();
        self.manager.submit(job, one(&shared))?;
        Ok(PoolFuture::from_shared(shared))
    }

    /// Schedules `task` over a chunk of arguments, run in turn by one worker, with a result
    /// for each: see [`Executor::submit_chunk`].
    ///
    /// # Errors
    ///
    /// As [`submit`](Self::submit).
    ///
    /// ```rust,standalone_crate
    /// use cogen::pool::{ProcessPoolExecutor, Registry, Task};
    ///
    /// const TWICE: Task<i32, i32> = Task::new("twice", |n| 2 * n);
    /// fn tasks() -> Registry {
    ///     Registry::new().with(TWICE)
    /// }
    ///
    /// fn main() {
    ///     cogen::pool::serve_if_worker(tasks);
    ///     let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    ///     let chunk = pool.submit_chunk(TWICE, vec![1, 2, 3]).unwrap().join().unwrap();
    ///     assert_eq!(chunk, [Ok(2), Ok(4), Ok(6)]);
    /// }
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
        let index = self.manager.registry.index_of(&task)?;
        let job = self.manager.encode_job(index, &arguments)?;
        // A chunk takes a while: its waiter blocks at once instead of spinning on a CPU the
        // workers need.
        let shared = Shared::new_remote();
        self.manager.submit(job, many(&shared))?;
        Ok(PoolFuture::from_shared(shared))
    }

    /// Python's `executor.map(fn, iterable)`: one task per item, results in input order,
    /// lazily (see [`Executor::map_task`]).
    ///
    /// # Errors
    ///
    /// The first item's [`SubmitError`].
    ///
    /// ```rust,standalone_crate
    /// use cogen::pool::{ProcessPoolExecutor, Registry, Task};
    ///
    /// const SQUARE: Task<u64, u64> = Task::new("square", |n| n * n);
    /// fn tasks() -> Registry {
    ///     Registry::new().with(SQUARE)
    /// }
    ///
    /// fn main() {
    ///     cogen::pool::serve_if_worker(tasks);
    ///     let pool = ProcessPoolExecutor::with_max_workers(2, tasks);
    ///     let squares: Vec<_> = pool.map(SQUARE, 1..=4).unwrap().collect();
    ///     assert_eq!(squares, [Ok(1), Ok(4), Ok(9), Ok(16)]);
    /// }
    /// ```
    pub fn map<A, R, I>(
        &self,
        task: Task<A, R>,
        iterable: I,
    ) -> Result<TaskMap<'_, Self, I::IntoIter, A, R>, SubmitError>
    where
        I: IntoIterator<Item = A>,
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        self.map_task(task, iterable, 1)
    }

    /// Python's `executor.map(fn, iterable, chunksize=n)`: items travel to the workers in
    /// chunks of `chunksize`, which saves a round trip per item for small tasks; at most
    /// `2 × max_workers` chunks are in flight.
    ///
    /// # Errors
    ///
    /// The first chunk's [`SubmitError`].
    ///
    /// # Panics
    ///
    /// If `chunksize` is 0.
    ///
    /// ```rust,standalone_crate
    /// use cogen::pool::{ProcessPoolExecutor, Registry, Task};
    ///
    /// const INC: Task<u32, u32> = Task::new("inc", |n| n + 1);
    /// fn tasks() -> Registry {
    ///     Registry::new().with(INC)
    /// }
    ///
    /// fn main() {
    ///     cogen::pool::serve_if_worker(tasks);
    ///     let pool = ProcessPoolExecutor::with_max_workers(2, tasks);
    ///     let total: u32 = pool.map_chunked(INC, 0..1000, 100).unwrap().map(Result::unwrap).sum();
    ///     assert_eq!(total, 500_500);
    /// }
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
    /// run; with `wait`, returns once every worker has exited and been reaped. Calling it
    /// again is harmless. Dropping the executor calls `shutdown(true, false)`.
    ///
    /// ```rust,standalone_crate
    /// use cogen::pool::{ProcessPoolExecutor, Registry, SubmitError, Task};
    ///
    /// const ID: Task<u8, u8> = Task::new("id", |n| n);
    /// fn tasks() -> Registry {
    ///     Registry::new().with(ID)
    /// }
    ///
    /// fn main() {
    ///     cogen::pool::serve_if_worker(tasks);
    ///     let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    ///     let future = pool.submit(ID, 7).unwrap();
    ///     pool.shutdown(true, false);
    ///     assert_eq!(future.join(), Ok(7)); // queued work still ran
    ///     assert_eq!(pool.submit(ID, 8).unwrap_err(), SubmitError::Shutdown);
    /// }
    /// ```
    pub fn shutdown(&self, wait: bool, cancel_futures: bool) {
        self.manager.shutdown(wait, cancel_futures);
    }

    /// Python 3.14's `terminate_workers()`: shuts down (cancelling what no worker has taken)
    /// and sends every worker `SIGTERM`. Tasks that were running fail with
    /// [`FutureError::BrokenProcessPool`].
    ///
    /// ```rust,standalone_crate
    /// use cogen::pool::{FutureError, ProcessPoolExecutor, Registry, Task};
    ///
    /// const NAP: Task<u64, ()> =
    ///     Task::new("nap", |ms| std::thread::sleep(std::time::Duration::from_millis(ms)));
    /// fn tasks() -> Registry {
    ///     Registry::new().with(NAP)
    /// }
    ///
    /// fn main() {
    ///     cogen::pool::serve_if_worker(tasks);
    ///     let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    ///     let long = pool.submit(NAP, 60_000).unwrap();
    ///     while !long.running() {
    ///         std::thread::sleep(std::time::Duration::from_millis(1));
    ///     }
    ///     pool.terminate_workers();
    ///     let error = long.join().unwrap_err();
    ///     assert!(error.to_string().contains("SIGTERM"), "{error}");
    /// }
    /// ```
    pub fn terminate_workers(&self) {
        self.manager.signal_workers(rustix::process::Signal::TERM);
    }

    /// Python 3.14's `kill_workers()`: as [`terminate_workers`](Self::terminate_workers),
    /// with `SIGKILL`, which a worker cannot catch.
    ///
    /// ```rust,standalone_crate
    /// use cogen::pool::{ProcessPoolExecutor, Registry, Task};
    ///
    /// const SPIN: Task<(), ()> = Task::new("spin", |()| loop {
    ///     std::thread::sleep(std::time::Duration::from_millis(10))
    /// });
    /// fn tasks() -> Registry {
    ///     Registry::new().with(SPIN)
    /// }
    ///
    /// fn main() {
    ///     cogen::pool::serve_if_worker(tasks);
    ///     let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    ///     let forever = pool.submit(SPIN, ()).unwrap();
    ///     while !forever.running() {
    ///         std::thread::sleep(std::time::Duration::from_millis(1));
    ///     }
    ///     pool.kill_workers();
    ///     assert!(forever.join().unwrap_err().to_string().contains("SIGKILL"));
    /// }
    /// ```
    pub fn kill_workers(&self) {
        self.manager.signal_workers(rustix::process::Signal::KILL);
    }

    /// The process ids of the workers running now.
    ///
    /// ```rust,standalone_crate
    /// use cogen::pool::{ProcessPoolExecutor, Registry, Task};
    ///
    /// const PID: Task<(), u32> = Task::new("pid", |()| std::process::id());
    /// fn tasks() -> Registry {
    ///     Registry::new().with(PID)
    /// }
    ///
    /// fn main() {
    ///     cogen::pool::serve_if_worker(tasks);
    ///     let pool = ProcessPoolExecutor::with_max_workers(1, tasks);
    ///     let pid = pool.submit(PID, ()).unwrap().join().unwrap();
    ///     assert_eq!(pool.worker_pids(), [pid]);
    /// }
    /// ```
    pub fn worker_pids(&self) -> Vec<u32> {
        let state = self.manager.lock();
        state.workers.iter().map(|worker| worker.pid).collect()
    }
}

impl Executor for ProcessPoolExecutor {
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
        ProcessPoolExecutor::submit_chunk(self, task, arguments)
    }

    fn max_workers(&self) -> usize {
        self.manager.max_workers
    }

    fn shutdown(&self, wait: bool, cancel_futures: bool) {
        self.manager.shutdown(wait, cancel_futures);
    }
}

impl Drop for ProcessPoolExecutor {
    fn drop(&mut self) {
        self.manager.shutdown(true, false);
    }
}

impl fmt::Debug for ProcessPoolExecutor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.manager.lock();
        f.debug_struct("ProcessPoolExecutor")
            .field("max_workers", &self.manager.max_workers)
            .field("workers", &state.live)
            .field("queued", &state.queue.len())
            .field("shutdown", &state.shutdown)
            .field("broken", &state.broken)
            .finish()
    }
}
