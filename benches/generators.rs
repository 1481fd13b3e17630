//! cogen's generators against hand-written iterators, `std::iter::from_fn`, genawaiter (stack,
//! rc, sync) and next-gen, on one summing loop.
//!
//! Every peer produces the integers `0..n` as `u64`; one consumer ([`sum`]) adds each item,
//! passed through `black_box`, into a `u64`. `n` comes from `black_box` too, so nothing folds.
//!
//! - `per_yield`: `n = 10_000` per iteration, reported per element (`Throughput::Elements`):
//!   the cost of one resume + yield, creation amortised away.
//! - `create_run_drop`: `n = 3`: make a generator, consume all three values, drop it; reported
//!   per generator.
//!
//! Run: `cargo bench --bench generators && python3 scripts/bench_table.py` (BENCHMARKS.md).

use std::hint::black_box;
use std::pin::pin;
use std::time::Duration;

use cogen::{Co, Frame, Gen};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use next_gen::prelude::*;

/// Items per iteration in `per_yield`.
const N: u64 = 10_000;
/// Items per generator in `create_run_drop`.
const SMALL: u64 = 3;

/// The one consumer every peer is measured with.
#[inline(always)]
fn sum(items: impl IntoIterator<Item = u64>) -> u64 {
    let mut total = 0u64;
    for item in items {
        total += black_box(item);
    }
    total
}

/// The baseline: the iterator one would write by hand.
struct Counter {
    next: u64,
    end: u64,
}

impl Iterator for Counter {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        if self.next < self.end {
            let item = self.next;
            self.next += 1;
            Some(item)
        } else {
            None
        }
    }
}

fn hand_written(n: u64) -> u64 {
    sum(Counter { next: 0, end: n })
}

fn std_from_fn(n: u64) -> u64 {
    let mut i = 0;
    sum(std::iter::from_fn(move || {
        if i < n {
            let item = i;
            i += 1;
            Some(item)
        } else {
            None
        }
    }))
}

fn cogen_boxed(n: u64) -> u64 {
    sum(Gen::new(move |co: Co<u64>| async move {
        for i in 0..n {
            co.yield_(i).await;
        }
    }))
}

fn cogen_pinned(n: u64) -> u64 {
    let frame = pin!(Frame::new(move |co: Co<u64>| async move {
        for i in 0..n {
            co.yield_(i).await;
        }
    }));
    sum(Gen::pinned(frame))
}

async fn genawaiter_stack_producer(co: genawaiter::stack::Co<'_, u64>, n: u64) {
    for i in 0..n {
        co.yield_(i).await;
    }
}

fn genawaiter_stack(n: u64) -> u64 {
    // genawaiter's safe macro for its allocation-free generator (the `unsafe` that
    // `stack::Gen::new` needs is inside the macro, which upholds its contract).
    genawaiter::stack::let_gen_using!(generator, |co| genawaiter_stack_producer(co, n));
    sum(generator)
}

fn genawaiter_rc(n: u64) -> u64 {
    sum(genawaiter::rc::Gen::new(move |co| async move {
        for i in 0..n {
            co.yield_(i).await;
        }
    }))
}

fn genawaiter_sync(n: u64) -> u64 {
    sum(genawaiter::sync::Gen::new(move |co| async move {
        for i in 0..n {
            co.yield_(i).await;
        }
    }))
}

#[generator(yield(u64))]
fn next_gen_producer(n: u64) {
    for i in 0..n {
        yield_!(i);
    }
}

fn next_gen(n: u64) -> u64 {
    // Pinned on the stack: no allocation.
    mk_gen!(let generator = next_gen_producer(n));
    sum(generator)
}

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

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = per_yield, create_run_drop
}
criterion_main!(benches);
