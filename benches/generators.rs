//! cogen's generators and coroutines against hand-written code, `std::iter::from_fn`, diapause,
//! corosensei, next-gen and genawaiter (stack, rc, sync).
//!
//! - `per_yield`: a producer of the integers `0..n` (`n = 10_000`, from `black_box`), summed by
//!   one consumer that passes each item through `black_box`; per element: the cost of one
//!   resume and yield. `_fold` rows sum with `fold` instead of a `for` loop.
//! - `create_run_drop`: make a generator of three values, consume them, drop it, 1,000 times
//!   per iteration; per generator.
//! - `per_send`: Fluent Python's `averager` coroutine, `n = 10_000` values sent, per value: one
//!   `send` and the yield that answers it.
//! - `coroutine`: a running total started, sent three values and dropped suspended, 1,000 times
//!   per iteration; per coroutine.
//!
//! Run: `cargo bench -p cogen-benches --bench generators && python3 scripts/bench_table.py` (BENCHMARKS.md).

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::coroutines::*;
use common::peers::*;
use common::shapes;
use common::summing::{hand_written, std_from_fn};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

/// Items per iteration in `per_yield` and `per_send`.
const N: u64 = 10_000;
/// Generators or coroutines made per iteration in `create_run_drop` and `coroutine`.
const COROUTINES: u64 = 1_000;

/// Benchmarks one peer after checking its result. `run` is a function item (its own type), so
/// each peer gets its own monomorphised timing loop: no indirect call.
fn bench_peer<T: PartialEq + std::fmt::Debug>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    n: u64,
    expected: T,
    run: impl Fn(u64) -> T,
) {
    assert_eq!(run(n), expected, "{name}");
    group.bench_function(name, |b| b.iter(|| run(black_box(n))));
}

/// The generator peers of the summing loop.
fn bench_producers(group: &mut BenchmarkGroup<'_, WallTime>, n: u64) {
    let sum = n * (n - 1) / 2;
    bench_peer(group, "diapause", n, sum, diapause);
    bench_peer(group, "corosensei", n, sum, corosensei);
    bench_peer(group, "next_gen", n, sum, next_gen);
    bench_peer(group, "genawaiter_stack", n, sum, genawaiter_stack);
    bench_peer(group, "genawaiter_rc", n, sum, genawaiter_rc);
    bench_peer(group, "genawaiter_sync", n, sum, genawaiter_sync);
    bench_peer(group, "cogen_boxed", n, sum, cogen_boxed);
    bench_peer(group, "cogen_pinned", n, sum, cogen_pinned);
}

fn per_yield(c: &mut Criterion) {
    let mut group = c.benchmark_group("per_yield");
    group.throughput(Throughput::Elements(N));
    let sum = N * (N - 1) / 2;
    bench_peer(&mut group, "hand_written", N, sum, hand_written);
    bench_peer(&mut group, "std_from_fn", N, sum, std_from_fn);
    bench_producers(&mut group, N);
    bench_peer(&mut group, "cogen_boxed_fold", N, sum, cogen_boxed_fold);
    bench_peer(&mut group, "cogen_pinned_fold", N, sum, cogen_pinned_fold);
    group.finish();
}

fn create_run_drop(c: &mut Criterion) {
    let mut group = c.benchmark_group("create_run_drop");
    group.throughput(Throughput::Elements(COROUTINES));
    let n = COROUTINES;
    let sum = three_sum(n);
    bench_peer(&mut group, "hand_written", n, sum, hand_create);
    bench_peer(&mut group, "hand_written_boxed", n, sum, hand_boxed_create);
    bench_peer(&mut group, "diapause", n, sum, diapause_create);
    bench_peer(&mut group, "corosensei", n, sum, corosensei_create);
    bench_peer(&mut group, "next_gen", n, sum, next_gen_create);
    bench_peer(
        &mut group,
        "genawaiter_stack",
        n,
        sum,
        genawaiter_stack_create,
    );
    bench_peer(&mut group, "genawaiter_rc", n, sum, genawaiter_rc_create);
    bench_peer(&mut group, "cogen_boxed", n, sum, cogen_boxed_create);
    bench_peer(&mut group, "cogen_pinned", n, sum, cogen_pinned_create);
    group.finish();
}

fn per_send(c: &mut Criterion) {
    let mut group = c.benchmark_group("per_send");
    group.throughput(Throughput::Elements(N));
    let sum = averages_sum(N);
    bench_peer(&mut group, "hand_written", N, sum, hand_averager);
    bench_peer(&mut group, "diapause", N, sum, diapause_averager);
    bench_peer(&mut group, "corosensei", N, sum, corosensei_averager);
    bench_peer(&mut group, "next_gen", N, sum, next_gen_averager);
    bench_peer(
        &mut group,
        "genawaiter_stack",
        N,
        sum,
        genawaiter_stack_averager,
    );
    bench_peer(&mut group, "genawaiter_rc", N, sum, genawaiter_rc_averager);
    bench_peer(&mut group, "cogen_boxed", N, sum, cogen_averager_boxed);
    bench_peer(&mut group, "cogen_pinned", N, sum, cogen_averager_pinned);
    bench_peer(
        &mut group,
        "cogen_lone_boxed",
        N,
        sum,
        shapes::lone_averager_boxed,
    );
    bench_peer(
        &mut group,
        "cogen_lone_pinned",
        N,
        sum,
        shapes::lone_averager_pinned,
    );
    group.finish();
}

/// One `async fn` body driven every way in one binary (`common::shapes`), cogen only.
fn shared_body(c: &mut Criterion) {
    let mut group = c.benchmark_group("shared_body");
    group.throughput(Throughput::Elements(N));
    let sum = N * (N - 1) / 2;
    bench_peer(&mut group, "next_boxed", N, sum, shapes::next_boxed);
    bench_peer(&mut group, "next_pinned", N, sum, shapes::next_pinned);
    bench_peer(&mut group, "send_boxed", N, sum, shapes::send_boxed);
    bench_peer(&mut group, "send_pinned", N, sum, shapes::send_pinned);
    bench_peer(&mut group, "fold_boxed", N, sum, shapes::fold_boxed);
    bench_peer(&mut group, "fold_pinned", N, sum, shapes::fold_pinned);
    bench_peer(&mut group, "generic_boxed", N, sum, shapes::generic_boxed);
    bench_peer(&mut group, "generic_pinned", N, sum, shapes::generic_pinned);
    bench_peer(
        &mut group,
        "generic_send_boxed",
        N,
        sum,
        shapes::generic_send_boxed,
    );
    bench_peer(
        &mut group,
        "generic_send_pinned",
        N,
        sum,
        shapes::generic_send_pinned,
    );
    group.finish();
}

fn coroutine(c: &mut Criterion) {
    let mut group = c.benchmark_group("coroutine");
    group.throughput(Throughput::Elements(COROUTINES));
    let n = COROUTINES;
    let sum = three_sum(n);
    bench_peer(&mut group, "hand_written", n, sum, hand_coroutine);
    bench_peer(
        &mut group,
        "hand_written_boxed",
        n,
        sum,
        hand_boxed_coroutine,
    );
    bench_peer(&mut group, "diapause", n, sum, diapause_coroutine);
    bench_peer(&mut group, "corosensei", n, sum, corosensei_coroutine);
    bench_peer(&mut group, "next_gen", n, sum, next_gen_coroutine);
    bench_peer(
        &mut group,
        "genawaiter_stack",
        n,
        sum,
        genawaiter_stack_coroutine,
    );
    bench_peer(&mut group, "genawaiter_rc", n, sum, genawaiter_rc_coroutine);
    bench_peer(&mut group, "cogen_boxed", n, sum, cogen_boxed_coroutine);
    bench_peer(&mut group, "cogen_pinned", n, sum, cogen_pinned_coroutine);
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = per_yield, create_run_drop, per_send, coroutine, shared_body
}
criterion_main!(benches);
