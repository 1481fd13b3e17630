//! The same pipelines built lazily (cogen generators and iterators, one item at a time) and
//! eagerly (a `Vec` materialised after every stage, as Python list comprehensions do), at
//! n = 10^3 to 10^7: time per run and peak heap bytes, counted by a global allocator.
//!
//! ```sh
//! cargo run --release --example lazy_vs_eager                  # n = 10^3 .. 10^7, about a minute
//! cargo run --release --example lazy_vs_eager -- --max-exp 5   # n = 10^3 .. 10^5
//! cargo run --release --example lazy_vs_eager -- --pipeline words --json target/heap.json
//! ```
//!
//! The pipelines are in `examples/common/pipelines.rs` (shared with the criterion bench and the
//! test); `benches/lazy_vs_eager.py` runs them in CPython. Peak heap is the most bytes live at
//! once during a run above what was live before it (the words pipeline's text is made before
//! and not counted). Times are the median of a few batches, lazy and eager batches alternating.

#[path = "common/heap.rs"]
mod heap;
#[path = "common/pipelines.rs"]
mod pipelines;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use pipelines::{PIPELINES, Prepared};

#[global_allocator]
static GLOBAL: heap::CountingAllocator = heap::CountingAllocator;

/// The lazy forms' heap target.
const LAZY_HEAP_TARGET: usize = 64 * 1024;
/// A batch of runs lasts at least this long, so that short runs are timed in bulk.
const BATCH: Duration = Duration::from_millis(20);

struct Options {
    min_exp: u32,
    max_exp: u32,
    pipelines: Vec<&'static str>,
    json: Option<String>,
}

fn usage() -> ! {
    eprintln!(
        "usage: lazy_vs_eager [--min-exp E] [--max-exp E] [--pipeline NAME]... [--json PATH]\n\
         n = 10^min-exp .. 10^max-exp (defaults 3 and 7; 5 in a debug build), E from 1 to 7;\n\
         pipelines: {}",
        PIPELINES.join(", ")
    );
    std::process::exit(2)
}

fn parse_options() -> Options {
    let mut options = Options {
        min_exp: 3,
        max_exp: if cfg!(debug_assertions) { 5 } else { 7 },
        pipelines: Vec::new(),
        json: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--min-exp" => options.min_exp = value().parse().unwrap_or_else(|_| usage()),
            "--max-exp" => options.max_exp = value().parse().unwrap_or_else(|_| usage()),
            "--pipeline" => {
                let name = value();
                let known = PIPELINES.iter().find(|&&known| known == name);
                options.pipelines.push(known.unwrap_or_else(|| usage()));
            }
            "--json" => options.json = Some(value()),
            _ => usage(),
        }
    }
    if !(1..=7).contains(&options.min_exp) || !(options.min_exp..=7).contains(&options.max_exp) {
        usage();
    }
    if options.pipelines.is_empty() {
        options.pipelines = PIPELINES.to_vec();
    }
    options
}

struct Row {
    pipeline: &'static str,
    n: u64,
    result: u128,
    lazy: Duration,
    eager: Duration,
    lazy_peak: usize,
    eager_peak: usize,
}

/// Seconds per run of `lazy` and of `eager`: the median over batches (lazy and eager batches
/// alternating, so that a disturbance of the machine hits both), each batch long enough to
/// time.
fn time_both(lazy: impl Fn() -> u128, eager: impl Fn() -> u128) -> (Duration, Duration) {
    let first = Instant::now();
    std::hint::black_box(eager());
    let once = first.elapsed().max(Duration::from_nanos(1));
    let runs = (BATCH.as_nanos() / once.as_nanos()).clamp(1, 1_000_000) as u32;
    let batches = if once > Duration::from_millis(200) {
        3
    } else {
        7
    };
    let batch = |f: &dyn Fn() -> u128| {
        let start = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(f());
        }
        start.elapsed() / runs
    };
    let (mut lazy_times, mut eager_times) = (Vec::new(), Vec::new());
    for _ in 0..batches {
        lazy_times.push(batch(&lazy));
        eager_times.push(batch(&eager));
    }
    lazy_times.sort_unstable();
    eager_times.sort_unstable();
    (lazy_times[batches / 2], eager_times[batches / 2])
}

fn measure(pipeline: &'static str, n: u64) -> Row {
    let prepared = Prepared::new(pipeline, n);
    let (result, lazy_peak) = heap::peak_during(|| prepared.lazy());
    let (eager_result, eager_peak) = heap::peak_during(|| prepared.eager());
    assert_eq!(
        result, eager_result,
        "{pipeline} at n = {n}: lazy and eager differ"
    );
    let (lazy, eager) = time_both(|| prepared.lazy(), || prepared.eager());
    Row {
        pipeline,
        n,
        result,
        lazy,
        eager,
        lazy_peak,
        eager_peak,
    }
}

fn format_time(time: Duration) -> String {
    let seconds = time.as_secs_f64();
    let (value, unit) = if seconds >= 1.0 {
        (seconds, "s")
    } else if seconds >= 1e-3 {
        (seconds * 1e3, "ms")
    } else {
        (seconds * 1e6, "µs")
    };
    if value >= 100.0 {
        format!("{value:.0} {unit}")
    } else if value >= 10.0 {
        format!("{value:.1} {unit}")
    } else {
        format!("{value:.2} {unit}")
    }
}

/// `1234567` as `1,234,567`.
fn grouped(number: impl ToString) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn power_of_ten(n: u64) -> String {
    format!("10^{}", n.ilog10())
}

fn write_json(path: &str, rows: &[Row]) {
    let mut json = String::from("[\n");
    for (i, row) in rows.iter().enumerate() {
        let comma = if i + 1 < rows.len() { "," } else { "" };
        writeln!(
            json,
            "  {{\"pipeline\": \"{}\", \"n\": {}, \"result\": \"{}\", \"lazy_s\": {:e}, \
             \"eager_s\": {:e}, \"lazy_peak_bytes\": {}, \"eager_peak_bytes\": {}}}{comma}",
            row.pipeline,
            row.n,
            row.result,
            row.lazy.as_secs_f64(),
            row.eager.as_secs_f64(),
            row.lazy_peak,
            row.eager_peak,
        )
        .expect("writing to a String");
    }
    json.push_str("]\n");
    std::fs::write(path, json).unwrap_or_else(|error| panic!("{path}: {error}"));
}

fn main() {
    let options = parse_options();
    if cfg!(debug_assertions) {
        println!("(a debug build: times are not representative; use --release)\n");
    }
    println!(
        "| pipeline | n | lazy | eager | speed-up | lazy peak heap (B) | eager peak heap (B) | result |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut rows = Vec::new();
    for &pipeline in &options.pipelines {
        for exp in options.min_exp..=options.max_exp {
            let row = measure(pipeline, 10u64.pow(exp));
            println!(
                "| {} | {} | {} | {} | {:.2}x | {} | {} | {} |",
                row.pipeline,
                power_of_ten(row.n),
                format_time(row.lazy),
                format_time(row.eager),
                row.eager.as_secs_f64() / row.lazy.as_secs_f64(),
                grouped(row.lazy_peak),
                grouped(row.eager_peak),
                row.result,
            );
            rows.push(row);
        }
    }

    println!();
    let worst_lazy = rows.iter().map(|row| row.lazy_peak).max().unwrap_or(0);
    println!(
        "lazy peak heap < 64 KiB at every n: {} (largest {} B)",
        if worst_lazy < LAZY_HEAP_TARGET {
            "yes"
        } else {
            "NO"
        },
        grouped(worst_lazy)
    );
    for &pipeline in &options.pipelines {
        let eager: Vec<usize> = rows
            .iter()
            .filter(|row| row.pipeline == pipeline)
            .map(|row| row.eager_peak)
            .collect();
        let grows = eager.windows(2).all(|pair| pair[1] > pair[0]);
        let top = rows.iter().rfind(|row| row.pipeline == pipeline);
        let speed_up = top.map_or(0.0, |row| row.eager.as_secs_f64() / row.lazy.as_secs_f64());
        println!(
            "{pipeline}: eager peak heap grows with n: {}; lazy speed-up at {}: {speed_up:.2}x \
             (target 1.5x: {})",
            if grows { "yes" } else { "NO" },
            top.map_or_else(String::new, |row| power_of_ten(row.n)),
            if speed_up >= 1.5 { "met" } else { "NOT met" },
        );
    }
    if let Some(path) = &options.json {
        write_json(path, &rows);
    }
}
