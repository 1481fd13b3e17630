//! A short walk through cogen: `cargo run --release --example tour`.
//!
//! Each section shows one Python idea and its cogen form, and prints what happens.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cogen::iter::{count, groupby, islice, product_repeat, takewhile};
use cogen::pool::{
    FutureError, ProcessPoolExecutor, Registry, ReturnWhen, Task, ThreadPoolExecutor, as_completed,
    wait,
};
use cogen::repr::Repr;
use cogen::{Co, Gen, IterExt, WordSplitGenerator, WordSplitter};
use futures_lite::future::block_on;

/// Python: `def sum_to(n): return sum(range(1, n + 1))`, a task for the process pool.
fn sum_to(n: u64) -> u64 {
    (1..=n).sum()
}

/// A task that takes its worker process down, as a crash in a C library would.
fn crash(_: ()) {
    std::process::abort()
}

/// A task that takes its time.
fn nap(ms: u64) -> u64 {
    std::thread::sleep(Duration::from_millis(ms));
    ms
}

const SUM_TO: Task<u64, u64> = cogen::task!(sum_to);
const CRASH: Task<(), ()> = cogen::task!(crash);
const NAP: Task<u64, u64> = cogen::task!(nap);

/// The tasks this program's worker processes can run.
fn tasks() -> Registry {
    Registry::new().with(SUM_TO).with(CRASH).with(NAP)
}

fn main() {
    // The process pool's workers are this program started again: such a process serves the
    // pool's tasks here and exits, as Python's workers import the main module.
    cogen::pool::serve_if_worker(tasks);

    section("Generators: a body that pauses at each yield");
    // Python: def countdown(n): while n > 0: yield n; n -= 1
    let countdown = |n: u32| {
        Gen::new(move |co| async move {
            for i in (1..=n).rev() {
                co.yield_(i).await;
            }
            "liftoff"
        })
    };
    let mut launch = countdown(3);
    println!("a new generator (Debug): {launch:?}");
    println!("as an iterator: {:?}", launch.by_ref().collect::<Vec<_>>());
    println!("return value:   {:?}", launch.take_return_value());

    section("Coroutines: send, and the states inspect.getgeneratorstate reports");
    // Python: def averager(): total, count = 0, 0; while True: total += yield total / max(count, 1) ...
    let mut averager = Gen::new(|co: Co<f64, f64>| async move {
        let (mut total, mut count) = (0.0, 0.0);
        loop {
            let average = if count > 0.0 { total / count } else { 0.0 };
            total += co.yield_(average).await;
            count += 1.0;
        }
    });
    println!("created:        {}", averager.state());
    println!("send too early: {}", averager.send(1.0).unwrap_err());
    println!("start:          {:?}", averager.start());
    for value in [10.0, 20.0, 60.0] {
        println!(
            "{:<16}{:?}",
            format!("send({value}):"),
            averager.send(value).unwrap()
        );
    }
    println!("state:          {}", averager.state());

    section("throw and close: errors raised at the yield, cleanup on close");
    #[derive(Debug)]
    struct Reset;
    let mut counter = Gen::new(|co| async move {
        let _cleanup = OnDrop("counter cleaned up (Python's finally)");
        let mut n = 0;
        loop {
            match co.yield_catching::<Reset>(n).await {
                Ok(()) => n += 1,
                Err(Reset) => n = 0,
            }
        }
    });
    let first: Vec<_> = (0..3).map(|_| counter.resume()).collect();
    println!("resumed 3x:     {first:?}");
    println!("throw(Reset):   {:?}", counter.throw(Reset));
    println!(
        "throw(\"oops\"):  {:?} (not caught: closes)",
        counter.throw("oops")
    );
    println!("state:          {}", counter.state());
    println!("resume:         {:?}", counter.resume());

    section("yield from: delegation with send passed through");
    let inner = Gen::new(|co: Co<&str, i32>| async move {
        let a = co.yield_("inner asks for a").await;
        let b = co.yield_("inner asks for b").await;
        a * b
    });
    let mut outer = Gen::new(|co: Co<&str, i32>| async move {
        let product = co.yield_from(inner).await;
        println!("  inner returned {product} to outer");
        product + 1
    });
    println!("start:          {:?}", outer.start());
    println!("send(6):        {:?}", outer.send(6));
    println!("send(7):        {:?}", outer.send(7));

    section("Async generators: the body awaits; into_stream() makes it a Stream");
    let started = Instant::now();
    let ticks = Gen::new(|co| async move {
        for tick in 0..3 {
            async_io::Timer::after(Duration::from_millis(50)).await;
            co.yield_(tick).await;
        }
    });
    // Iterated synchronously, each resume blocks until the timer fires.
    for tick in ticks {
        println!("  tick {tick} at {:>3} ms", started.elapsed().as_millis());
    }
    // From async code the same kind of generator is a `Stream`, awaited without blocking.
    let stream = Gen::new(|co| async move {
        for word in ["awaited", "as", "a", "Stream"] {
            async_io::Timer::after(Duration::from_millis(10)).await;
            co.yield_(word).await;
        }
    });
    // A `Gen` is an `Iterator`; `into_stream` makes it a `Stream` (Python's async generator).
    let words: Vec<&str> = block_on(futures_lite::StreamExt::collect(stream.into_stream()));
    println!(
        "  a generator's words, collected as a Stream: {}",
        words.join(" ")
    );

    section("Word splitters: a hand-written iterator and the same as a generator");
    let text = "Do today what you could do tomorrow";
    let wi = WordSplitter::new(text);
    println!("WordSplitter (its repr): {wi:?}");
    let wg = WordSplitGenerator::new(text);
    let mut wt = wg.iter();
    let (first, second) = (wt.next(), wt.next());
    println!(
        "generator, two next():  {first:?} {second:?}, then its state is {}",
        wt.state()
    );
    println!("the rest, as a list:    {:?}", wt.collect::<Vec<_>>());

    section("itertools: Python's names, Rust's iterators");
    // Python: list(takewhile(lambda n: n < 10, count(1.0, 2.5)))
    let below_ten: Vec<f64> = takewhile(count(1.0, 2.5), |n| *n < 10.0).collect();
    println!("takewhile(count):      {}", Repr(&below_ten));
    // Python: list(batched(filterfalse(lambda n: n % 3 == 0, range(1, 11)), 4))
    let batches: Vec<Vec<i32>> = (1..11).filterfalse(|n| n % 3 == 0).batched(4).collect();
    println!("batched(filterfalse):  {}", Repr(&batches));
    // Python: [(k, len(list(g))) for k, g in groupby('AAABBCA')]
    let runs: Vec<(char, usize)> = groupby("AAABBCA".chars())
        .map(|(key, group)| (key, group.count()))
        .collect();
    println!("groupby runs:          {}", Repr(&runs));
    // Python: sum(1 for a, b in product(range(1, 7), repeat=2) if a + b == 7), reading each
    // pair from one reused buffer
    let mut dice = product_repeat(1..=6, 2);
    let mut sevens = 0;
    while let Some(pair) = dice.next_ref() {
        sevens += usize::from(pair[0] + pair[1] == 7);
    }
    println!("two dice, sum 7:       {sevens} of 36");
    // Python: it = count(); list(islice(it, 1, 3, 50)); next(it)
    let mut numbers = count(0, 1);
    let picked: Vec<i32> = islice(numbers.by_ref(), (1..3, 50)).collect();
    println!(
        "islice(count, 1, 3, 50): {}, then the source gives {}",
        Repr(&picked),
        numbers.next().expect("count never ends")
    );

    section("Lazy against eager: a generator holds one item at a time");
    let n = 2_000_000u64;
    let started = Instant::now();
    let eager: Vec<u64> = (0..n).map(|x| x * x).collect();
    let eager_sum: u64 = eager.iter().filter(|x| *x % 3 == 0).sum();
    let eager_time = started.elapsed();
    let started = Instant::now();
    let squares = Gen::new(|co| async move {
        for x in 0..n {
            co.yield_(x * x).await;
        }
    });
    let lazy_sum: u64 = squares.filter(|x| x % 3 == 0).sum();
    let lazy_time = started.elapsed();
    assert_eq!(eager_sum, lazy_sum);
    println!(
        "eager (a list of 2,000,000 squares): sum of those divisible by 3 = {eager_sum}, in \
         {eager_time:.1?}, holding {} MB",
        eager.capacity() * 8 / 1_000_000
    );
    println!(
        "lazy (a generator of the squares):   sum of those divisible by 3 = {lazy_sum}, in \
         {lazy_time:.1?}, holding one item"
    );

    thread_pool();
    process_pool();
    event_loop();
}

/// Python's ProcessPoolExecutor: the same futures, with each task in a worker process that
/// may die without taking the program down.
fn process_pool() {
    section("ProcessPoolExecutor: tasks in worker processes, crashes isolated");
    // Python: with ProcessPoolExecutor(max_workers=2) as executor:
    let executor = ProcessPoolExecutor::with_max_workers(2, tasks);
    let started = Instant::now();
    let sums: Vec<u64> = executor
        .map_chunked(SUM_TO, [10, 100, 1_000, 10_000], 2)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    println!(
        "  map(sum_to, [10, 100, 1000, 10000], chunksize=2) -> {sums:?} ({:.1} ms, workers {:?})",
        started.elapsed().as_secs_f64() * 1e3,
        executor.worker_pids()
    );
    let running = executor.submit(NAP, 200).unwrap();
    let crashed = executor.submit(CRASH, ()).unwrap();
    match crashed.join() {
        Err(FutureError::BrokenProcessPool(cause)) => {
            println!("  a task called abort(): BrokenProcessPool ({cause})");
        }
        other => println!("  a task called abort(): {other:?}"),
    }
    // As in Python, the pool is broken: the task running beside it fails too.
    match running.join() {
        Err(FutureError::BrokenProcessPool(_)) => {
            println!("  the task running beside it: BrokenProcessPool")
        }
        other => println!("  the task running beside it: {other:?}"),
    }
    println!(
        "  the next submit: {}",
        executor.submit(SUM_TO, 1).unwrap_err()
    );
    println!("  and this program goes on.");
}

/// Python's concurrent.futures: submit, futures with states, wait, as_completed, a lazy map.
fn thread_pool() {
    section("concurrent.futures: a thread pool whose tasks hand back futures");
    // Python: with ThreadPoolExecutor(max_workers=4) as executor:
    let executor = ThreadPoolExecutor::with_max_workers(4);
    let sum_to = |n: u64| {
        // The work is a cogen generator, summed on a worker thread.
        Gen::new(move |co| async move {
            for i in 1..=n {
                co.yield_(i).await;
            }
        })
        .sum::<u64>()
    };
    let work = [1_000_000u64, 10, 100_000, 1_000];
    let futures: Vec<_> = work
        .iter()
        .map(|&n| executor.submit(move || sum_to(n)).unwrap())
        .collect();
    for (n, future) in work.iter().zip(&futures) {
        println!("  scheduled sum_to({n}): {future:?}");
    }
    let waited = wait(&futures, Duration::from_secs(10), ReturnWhen::AllCompleted);
    println!(
        "  wait: {} done, {} not done",
        waited.done.len(),
        waited.not_done.len()
    );
    for future in as_completed(&futures, None) {
        println!("  as_completed: {:?}", future.unwrap().result(None));
    }

    // Four workers, four tasks that wait for a word from us: the fifth task queues.
    let (releases, sleepers): (Vec<_>, Vec<_>) = (0..4)
        .map(|_| {
            let (release, blocked) = std::sync::mpsc::channel::<()>();
            (release, executor.submit(move || blocked.recv()).unwrap())
        })
        .unzip();
    let queued = executor.submit(|| "never runs").unwrap();
    println!(
        "  with every worker busy, a queued task is {}",
        queued.state()
    );
    println!(
        "  cancel() -> {}, then result() -> {:?}",
        queued.cancel(),
        queued.result(None)
    );
    drop(releases);
    for sleeper in sleepers {
        let _ = sleeper.join();
    }

    // map is lazy: an endless input, a bounded number of tasks in flight.
    let first_squares: Vec<u64> = executor
        .map(|n: u64| n * n, 1..)
        .take(8)
        .map(Result::unwrap)
        .collect();
    println!("  map(square, count(1)) -> first 8: {first_squares:?}");
    // The worker's panic is caught and comes back through its future; the tour keeps the
    // panic hook quiet while it happens, so that no report lands in the middle of its output.
    let failing: Vec<_> = {
        let _quiet = QuietPanics::new();
        executor.map(|d: u32| 100 / d, [5, 0, 20]).collect()
    };
    println!("  map(100 / d, [5, 0, 20]), one call panics, the map goes on: {failing:?}");
}

/// Python's asyncio: tasks on one thread's event loop, timers, cancellation, gather, wait,
/// blocking work on the pool, and an async generator.
fn event_loop() {
    use cogen::rt::{self, TaskError};

    section("asyncio: one thread's event loop runs thousands of waiting coroutines");
    // Python: async def fetch(n): await asyncio.sleep(0.05); return n
    async fn fetch(n: u32) -> u32 {
        rt::sleep(Duration::from_millis(50)).await;
        n
    }
    let started = Instant::now();
    let (results, elapsed_inside) = rt::run(async move {
        // 10,000 coroutines at once, each waiting 50 ms: one thread, no pool.
        let results = rt::gather((0..10_000).map(fetch)).await;
        (results, started.elapsed())
    });
    println!(
        "  gather of 10,000 coroutines sleeping 50 ms: {} results, sum {}, in {elapsed_inside:?}",
        results.len(),
        results.iter().map(|&n| u64::from(n)).sum::<u64>()
    );

    rt::run(async {
        // create_task, cancel, and the cleanup a drop guard does.
        let spinner = rt::spawn(async {
            let _cleanup = OnDrop("spinner: cancelled at its await, its drop guard runs");
            loop {
                rt::sleep(Duration::from_millis(10)).await;
            }
        });
        println!("  a running task (repr):   {spinner:?}");
        rt::sleep(Duration::from_millis(30)).await;
        spinner.cancel();
        println!("  after cancel() (repr):   {spinner:?}");
        println!("  await spinner -> {:?}", spinner.await);

        // wait_for: a deadline that drops the slow future.
        let slow = rt::timeout(
            Duration::from_millis(20),
            rt::sleep(Duration::from_secs(60)),
        );
        println!("  timeout(20 ms, sleep(60 s)) -> {:?}", slow.await);

        // wait(FIRST_COMPLETED), then a panicking task's outcome.
        let tasks = [30u64, 5].map(|ms| {
            rt::spawn(async move {
                rt::sleep(Duration::from_millis(ms)).await;
                ms
            })
        });
        let waited = rt::wait(tasks, None, ReturnWhen::FirstCompleted).await;
        println!(
            "  wait(FIRST_COMPLETED): {} done, {} pending",
            waited.done.len(),
            waited.not_done.len()
        );
        let failing: Result<(), TaskError> = rt::spawn(async {
            let _quiet = QuietPanics::new();
            panic!("no such flag")
        })
        .await;
        println!("  a task that panicked -> {failing:?}");

        // Blocking work goes to the pool and is awaited without blocking the loop.
        let total = rt::to_thread(|| (1..=1_000_000u64).sum::<u64>()).await;
        println!("  to_thread(sum of 1..=1,000,000) -> {total:?}");

        // An async generator: its body awaits timers; the loop consumes it as a Stream.
        let ticks = Gen::new(|co| async move {
            for tick in 0..3 {
                rt::sleep(Duration::from_millis(5)).await;
                co.yield_(tick).await;
            }
        });
        let ticks: Vec<u32> = futures_lite::StreamExt::collect(ticks.into_stream()).await;
        println!("  async generator ticks -> {ticks:?}");
    });
}

/// While one is alive, the panic hook stays silent: the tour's deliberate panics are caught and
/// shown through their futures, not reported in the middle of its output (even with
/// `RUST_BACKTRACE` set). Every other panic is reported as usual.
struct QuietPanics;

static QUIET: AtomicBool = AtomicBool::new(false);

impl QuietPanics {
    fn new() -> Self {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            let report = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !QUIET.load(Ordering::SeqCst) {
                    report(info);
                }
            }));
        });
        QUIET.store(true, Ordering::SeqCst);
        QuietPanics
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        QUIET.store(false, Ordering::SeqCst);
    }
}

fn section(title: &str) {
    println!("\n== {title}");
}

/// Prints a message when dropped: the Rust form of Python's `finally`.
struct OnDrop(&'static str);

impl Drop for OnDrop {
    fn drop(&mut self) {
        println!("  {}", self.0);
    }
}
