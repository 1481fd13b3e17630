//! cogen's event loop (`cogen::rt`) against async-executor's `LocalExecutor` and tokio's
//! current-thread runtime; the memory of suspended generators, tasks and threads; and 10,000
//! concurrent downloads on the loop against a thread pool of 10,000 workers.
//!
//! - `runtime_spawn` (criterion): spawn a tiny task and await it, one after the other
//!   (`sequential`, 10,000 per iteration), and spawn 1,000 then await them all (`batch`); per
//!   task. Each peer's loop or runtime is made once, outside the timed loop, and driven by its
//!   own `block_on`.
//! - Memory (printed): heap bytes per suspended generator (started, waiting at a yield) and per
//!   suspended task (waiting in `pending()` and in a one-hour `sleep`), at 100,000 and
//!   1,000,000 of them (a process-wide counting allocator; each includes its handle in a
//!   `Vec`), and the resident and virtual memory of 10,000 threads each blocked in a timed
//!   wait (`/proc/self/status`).
//! - `runtime_downloads` (criterion) and their peak memory (printed): 10,000 GETs at once from
//!   a server in a child process (this binary, on cogen's loop) that holds each request
//!   100 ms: as tasks on the loop over async TCP, and as blocking calls on a
//!   `ThreadPoolExecutor` of 10,000 workers. Each client is first measured alone in a fresh
//!   child process: two runs (the first includes starting the pool's threads) and the rise of
//!   its peak resident set (`VmHWM`) above its start.
//!
//! Run: `cargo bench -p cogen-benches --bench runtime` (BENCHMARKS.md, "The event loop"). `RUNTIME_BENCH=spawn`,
//! `memory` or `downloads` runs one part. The downloads raise the open-file limit to its hard
//! maximum (10,000 sockets on each side); Linux only.

#[path = "../examples/common/http.rs"]
mod http;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use cogen::pool::{PoolFuture, ThreadPoolExecutor};
use cogen::rt::{self, EventLoop};
use cogen::{Co, Gen};
use criterion::{BenchmarkId, Criterion, Throughput};

/// Counts the heap bytes live in the whole process (timers and tasks may be allocated on
/// async-io's thread as well as on the loop's).
struct CountingAllocator;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        new
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Tasks per iteration of `runtime_spawn/sequential`.
const SEQUENTIAL: u64 = 10_000;
/// Tasks spawned before any is awaited in `runtime_spawn/batch`.
const BATCH: u64 = 1_000;
/// Concurrent downloads.
const DOWNLOADS: usize = 10_000;
/// How long the server holds each request.
const SERVER_DELAY: Duration = Duration::from_millis(100);
/// Set in the child process that serves the downloads: the delay in milliseconds.
const SERVER_ENV: &str = "COGEN_RUNTIME_BENCH_SERVER";
/// Set in a child process that measures one client (`async` or `threads`), with the server's
/// address in `ADDRESS_ENV`.
const CLIENT_ENV: &str = "COGEN_RUNTIME_BENCH_CLIENT";
const ADDRESS_ENV: &str = "COGEN_RUNTIME_BENCH_ADDRESS";

fn main() {
    if let Ok(delay) = std::env::var(SERVER_ENV) {
        serve(Duration::from_millis(delay.parse().expect("a delay in ms")));
        return;
    }
    if let Ok(kind) = std::env::var(CLIENT_ENV) {
        let address = std::env::var(ADDRESS_ENV).expect("the server's address");
        measure_client(&kind, address.parse().expect("a socket address"));
        return;
    }
    let part = std::env::var("RUNTIME_BENCH").unwrap_or_default();
    let mut criterion = Criterion::default().configure_from_args();
    if part.is_empty() || part == "spawn" {
        spawn_await(&mut criterion);
    }
    if part.is_empty() || part == "memory" {
        memory();
    }
    if part.is_empty() || part == "downloads" {
        downloads(&mut criterion);
    }
    criterion.final_summary();
}

// ---------------------------------------------------------------------------------------------
// Spawn and await
// ---------------------------------------------------------------------------------------------

fn spawn_await(c: &mut Criterion) {
    let mut group = c.benchmark_group("runtime_spawn");
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));

    let cogen_loop = EventLoop::new();
    let local_executor = async_executor::LocalExecutor::new();
    let tokio = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    let expected = |n: u64| n * (n - 1) / 2;

    group.throughput(Throughput::Elements(SEQUENTIAL));
    let sequential_cogen = || {
        cogen_loop.run_until_complete(async {
            let mut sum = 0;
            for i in 0..SEQUENTIAL {
                sum += rt::spawn(async move { black_box(i) }).await.unwrap();
            }
            sum
        })
    };
    let sequential_async_executor = || {
        async_io::block_on(local_executor.run(async {
            let mut sum = 0;
            for i in 0..SEQUENTIAL {
                sum += local_executor.spawn(async move { black_box(i) }).await;
            }
            sum
        }))
    };
    let sequential_tokio = || {
        tokio.block_on(async {
            let mut sum = 0;
            for i in 0..SEQUENTIAL {
                sum += tokio::spawn(async move { black_box(i) }).await.unwrap();
            }
            sum
        })
    };
    assert_eq!(sequential_cogen(), expected(SEQUENTIAL));
    assert_eq!(sequential_async_executor(), expected(SEQUENTIAL));
    assert_eq!(sequential_tokio(), expected(SEQUENTIAL));
    group.bench_function("sequential/cogen_rt", |b| b.iter(sequential_cogen));
    group.bench_function("sequential/async_executor", |b| {
        b.iter(sequential_async_executor)
    });
    group.bench_function("sequential/tokio_current_thread", |b| {
        b.iter(sequential_tokio)
    });

    group.throughput(Throughput::Elements(BATCH));
    let batch_cogen = || {
        cogen_loop.run_until_complete(async {
            let tasks: Vec<_> = (0..BATCH)
                .map(|i| rt::spawn(async move { black_box(i) }))
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await.unwrap();
            }
            sum
        })
    };
    let batch_async_executor = || {
        async_io::block_on(local_executor.run(async {
            let tasks: Vec<_> = (0..BATCH)
                .map(|i| local_executor.spawn(async move { black_box(i) }))
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await;
            }
            sum
        }))
    };
    let batch_tokio = || {
        tokio.block_on(async {
            let tasks: Vec<_> = (0..BATCH)
                .map(|i| tokio::spawn(async move { black_box(i) }))
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await.unwrap();
            }
            sum
        })
    };
    assert_eq!(batch_cogen(), expected(BATCH));
    assert_eq!(batch_async_executor(), expected(BATCH));
    assert_eq!(batch_tokio(), expected(BATCH));
    group.bench_function("batch/cogen_rt", |b| b.iter(batch_cogen));
    group.bench_function("batch/async_executor", |b| b.iter(batch_async_executor));
    group.bench_function("batch/tokio_current_thread", |b| b.iter(batch_tokio));
    group.finish();
}

// ---------------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------------

/// A line of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`, `VmSize`).
fn proc_status_bytes(field: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| {
            let kib = line.strip_prefix(field)?.strip_prefix(':')?;
            kib.trim().strip_suffix(" kB")?.parse::<usize>().ok()
        })
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
        * 1024
}

/// Resets the peak resident set (`VmHWM`) to the current one.
fn reset_peak_rss() {
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting VmHWM");
}

fn memory() {
    println!("\n== memory: bytes per suspended generator, task and thread\n");
    println!("| what | count | heap bytes each | resident bytes each |");
    println!("|---|---:|---:|---:|");
    for n in [100_000, 1_000_000] {
        let (heap, rss) = measure(|| {
            (0..n as u64)
                .map(|i| {
                    let mut generator = Gen::new(move |co: Co<u64>| async move {
                        let mut x = i;
                        loop {
                            co.yield_(x).await;
                            x += 1;
                        }
                    });
                    black_box(generator.next());
                    generator
                })
                .collect::<Vec<_>>()
        });
        row("cogen generator, suspended at a yield", n, heap, rss);
    }
    for (what, sleeping) in [
        ("cogen::rt task, suspended in pending()", false),
        ("cogen::rt task, suspended in sleep(1 h)", true),
    ] {
        for n in [100_000, 1_000_000] {
            let event_loop = EventLoop::new();
            let (heap, rss) = measure(|| {
                event_loop.run_until_complete(async {
                    let tasks: Vec<_> = (0..n)
                        .map(|_| {
                            rt::spawn(async move {
                                if sleeping {
                                    rt::sleep(Duration::from_secs(3600)).await;
                                } else {
                                    std::future::pending::<()>().await;
                                }
                            })
                        })
                        .collect();
                    // Every task runs to its await before the main future resumes (FIFO).
                    rt::sleep(Duration::ZERO).await;
                    tasks
                })
            });
            row(what, n, heap, rss);
            drop(event_loop);
        }
    }
    let threads = 10_000;
    let before_virtual = proc_status_bytes("VmSize");
    let before_rss = proc_status_bytes("VmRSS");
    let started = Arc::new(Barrier::new(threads + 1));
    let (release, blocked) = std::sync::mpsc::channel::<()>();
    let blocked = Arc::new(std::sync::Mutex::new(blocked));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (started, blocked) = (Arc::clone(&started), Arc::clone(&blocked));
            thread::spawn(move || {
                started.wait();
                // Blocked in a timed wait, as `time.sleep` blocks a Python thread.
                thread::sleep(Duration::from_millis(1));
                let _ = blocked
                    .lock()
                    .map(|rx| rx.recv_timeout(Duration::from_secs(3600)));
            })
        })
        .collect();
    started.wait();
    thread::sleep(Duration::from_millis(200));
    let rss = proc_status_bytes("VmRSS").saturating_sub(before_rss);
    let virtual_size = proc_status_bytes("VmSize").saturating_sub(before_virtual);
    drop(release);
    for handle in handles {
        handle.join().expect("a sleeping thread");
    }
    println!(
        "| thread, blocked in a timed wait | {threads} | (stack: {} virtual) | {} |",
        virtual_size / threads,
        rss / threads
    );
}

/// Heap bytes (counted) and resident bytes (`VmRSS`) that `make`'s items hold, per item.
fn measure<T>(make: impl FnOnce() -> Vec<T>) -> (usize, usize) {
    let rss_before = proc_status_bytes("VmRSS");
    let heap_before = LIVE.load(Ordering::Relaxed);
    let made = make();
    let heap = (LIVE.load(Ordering::Relaxed) - heap_before).max(0) as usize;
    let rss = proc_status_bytes("VmRSS").saturating_sub(rss_before);
    let n = made.len();
    drop(made);
    (heap / n, rss / n)
}

fn row(what: &str, n: usize, heap: usize, rss: usize) {
    println!("| {what} | {n} | {heap} | {rss} |");
}

// ---------------------------------------------------------------------------------------------
// 10,000 concurrent downloads
// ---------------------------------------------------------------------------------------------

/// The child process: serves flags on cogen's loop, after printing its address.
fn serve(delay: Duration) {
    raise_open_file_limit();
    let listener = listen_on_loopback();
    println!("{}", listener.local_addr().expect("the server's address"));
    rt::run(http::serve_flags(listener, delay)).expect("the flag server");
}

/// A listener on 127.0.0.1 with a backlog of 4,096 connections (std's `TcpListener::bind`
/// asks for 128: 10,000 connections at once would overflow it, and the dropped SYNs be resent
/// a second later, timing the kernel's retries instead of the clients).
fn listen_on_loopback() -> TcpListener {
    use rustix::net::{AddressFamily, SocketType, bind, listen, socket, sockopt};
    let socket = socket(AddressFamily::INET, SocketType::STREAM, None).expect("a socket");
    sockopt::set_socket_reuseaddr(&socket, true).expect("SO_REUSEADDR");
    bind(&socket, &SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)).expect("a local port");
    listen(&socket, 4096).expect("listening");
    TcpListener::from(socket)
}

/// Raises this process's open-file limit to its hard maximum: 10,000 sockets at once.
fn raise_open_file_limit() {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    limit.current = limit.maximum;
    setrlimit(Resource::Nofile, limit).expect("raising the open-file limit");
}

struct Server {
    child: Child,
    address: SocketAddr,
}

impl Server {
    fn start(delay: Duration) -> Self {
        let mut child = Command::new(std::env::current_exe().expect("this benchmark's binary"))
            .env(SERVER_ENV, delay.as_millis().to_string())
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting the flag server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("the server's stdout"))
            .read_line(&mut line)
            .expect("the server's address");
        Server {
            child,
            address: line.trim().parse().expect("a socket address"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn path(i: usize) -> String {
    format!("/flags/{i}/{i}.gif")
}

/// Every download as a task on a new event loop; the number that came back 200.
fn download_async(address: SocketAddr) -> usize {
    rt::run(async move {
        let tasks: Vec<_> = (0..DOWNLOADS)
            .map(|i| rt::spawn(async move { http::http_get(address, "localhost", &path(i)).await }))
            .collect();
        rt::gather(tasks)
            .await
            .into_iter()
            .filter(|outcome| matches!(outcome, Ok(Ok((200, _)))))
            .count()
    })
}

/// Every download as a blocking call on one of `pool`'s workers.
fn download_threads(pool: &ThreadPoolExecutor, address: SocketAddr) -> usize {
    let futures: Vec<_> = (0..DOWNLOADS)
        .map(|i| {
            pool.submit(move || http::http_get_blocking(address, "localhost", &path(i)))
                .expect("the pool runs")
        })
        .collect();
    futures
        .into_iter()
        .map(PoolFuture::join)
        .filter(|outcome| matches!(outcome, Ok(Ok((200, _)))))
        .count()
}

/// The child process that measures one client: two runs (the first starts whatever the client
/// needs), then prints both times and the peak resident memory above the process's start.
fn measure_client(kind: &str, address: SocketAddr) {
    raise_open_file_limit();
    let start = proc_status_bytes("VmRSS");
    reset_peak_rss();
    let pool = (kind == "threads").then(|| ThreadPoolExecutor::with_max_workers(DOWNLOADS));
    let mut times = Vec::new();
    for _ in 0..2 {
        let started = Instant::now();
        let ok = match &pool {
            Some(pool) => download_threads(pool, address),
            None => download_async(address),
        };
        times.push(started.elapsed());
        assert_eq!(ok, DOWNLOADS, "{kind}: every download succeeds");
    }
    let peak = proc_status_bytes("VmHWM").saturating_sub(start);
    println!(
        "{} {} {peak}",
        times[0].as_secs_f64(),
        times[1].as_secs_f64()
    );
}

fn downloads(c: &mut Criterion) {
    raise_open_file_limit();
    let server = Server::start(SERVER_DELAY);
    let address = server.address;

    println!("\n== {DOWNLOADS} concurrent downloads, {SERVER_DELAY:?} each\n");
    println!("| client | first run | second run | peak resident memory |");
    println!("|---|---:|---:|---:|");
    for (kind, what) in [
        ("async", "cogen::rt tasks on one thread"),
        ("threads", "ThreadPoolExecutor, 10,000 workers"),
    ] {
        let output = Command::new(std::env::current_exe().expect("this benchmark's binary"))
            .env(CLIENT_ENV, kind)
            .env(ADDRESS_ENV, address.to_string())
            .output()
            .expect("running a client");
        assert!(
            output.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let line = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<f64> = line
            .split_whitespace()
            .map(|field| field.parse().expect("a number"))
            .collect();
        println!(
            "| {what} | {:.2} s | {:.2} s | {:.1} MB |",
            fields[0],
            fields[1],
            fields[2] / 1e6
        );
    }

    let pool = ThreadPoolExecutor::with_max_workers(DOWNLOADS);
    let mut group = c.benchmark_group("runtime_downloads");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(DOWNLOADS as u64));
    group.bench_function(BenchmarkId::new("cogen_rt", DOWNLOADS), |b| {
        b.iter(|| download_async(address))
    });
    group.bench_function(BenchmarkId::new("thread_pool", DOWNLOADS), |b| {
        b.iter(|| download_threads(&pool, address))
    });
    group.finish();
    drop(pool);
    drop(server);
}
