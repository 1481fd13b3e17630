//! cogen's generators against hand-written iterators, `std::iter::from_fn`, genawaiter (stack,
//! rc, sync) and next-gen, on one summing loop.
//!
//! Every peer produces the integers `0..n` as `u64`; one consumer (`common::summing::sum`) adds each item,
//! passed through `black_box`, into a `u64`. `n` comes from `black_box` too, so nothing folds.
//!
//! - `per_yield`: `n = 10_000` per iteration, reported per element (`Throughput::Elements`):
//!   the cost of one resume + yield, creation amortised away.
//! - `create_run_drop`: `n = 3`: make a generator, consume all three values, drop it; reported
//!   per generator.
//! - `per_send`: Fluent Python's `averager` coroutine, `n = 10_000` values sent, reported per
//!   value: the cost of one `send` and the yield that answers it.
//!
//! Run: `cargo bench --bench generators && python3 scripts/bench_table.py` (BENCHMARKS.md).

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::coroutines::{cogen_averager, hand_averager};
use common::peers::{
    cogen_boxed, cogen_pinned, genawaiter_rc, genawaiter_stack, genawaiter_sync, next_gen,
};
use common::summing::{hand_written, std_from_fn};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

/// Items per iteration in `per_yield`.
const N: u64 = 10_000;
/// Items per generator in `create_run_drop`.
const SMALL: u64 = 3;

/// Benchmarks one peer after checking that it computes the expected sum. `run` is a function
/// item (its own type), so each peer gets its own monomorphised timing loop: no indirect call.
fn bench_peer(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    n: u64,
    run: impl Fn(u64) -> u64,
) {
    assert_eq!(run(n), n * (n - 1) / 2, "{name}");
    group.bench_function(name, |b| b.iter(|| run(black_box(n))));
}

/// The generator peers, shared by both groups, in table order.
fn bench_generators(group: &mut BenchmarkGroup<'_, WallTime>, n: u64) {
    bench_peer(group, "cogen_boxed", n, cogen_boxed);
    bench_peer(group, "cogen_pinned", n, cogen_pinned);
    bench_peer(group, "genawaiter_stack", n, genawaiter_stack);
    bench_peer(group, "genawaiter_rc", n, genawaiter_rc);
    bench_peer(group, "genawaiter_sync", n, genawaiter_sync);
    bench_peer(group, "next_gen", n, next_gen);
}

fn per_yield(c: &mut Criterion) {
    let mut group = c.benchmark_group("per_yield");
    group.throughput(Throughput::Elements(N));
    bench_peer(&mut group, "hand_written", N, hand_written);
    bench_peer(&mut group, "std_from_fn", N, std_from_fn);
    bench_generators(&mut group, N);
    group.finish();
}

fn create_run_drop(c: &mut Criterion) {
    let mut group = c.benchmark_group("create_run_drop");
    group.throughput(Throughput::Elements(1));
    bench_peer(&mut group, "hand_written", SMALL, hand_written);
    bench_generators(&mut group, SMALL);
    group.finish();
}

/// Fluent Python's `averager` by `send`, per value sent, after checking the averages' sum.
fn per_send(c: &mut Criterion) {
    fn bench_averager(
        group: &mut BenchmarkGroup<'_, WallTime>,
        name: &str,
        run: impl Fn(u64) -> f64,
    ) {
        let expected: f64 = (0..N).map(|i| i as f64 / 2.0).sum();
        assert_eq!(run(N), expected, "{name}");
        group.bench_function(name, |b| b.iter(|| run(black_box(N))));
    }
    let mut group = c.benchmark_group("per_send");
    group.throughput(Throughput::Elements(N));
    bench_averager(&mut group, "hand_written", hand_averager);
    bench_averager(&mut group, "cogen_boxed", cogen_averager);
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = per_yield, create_run_drop, per_send
}
criterion_main!(benches);
