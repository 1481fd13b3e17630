//! The same pipelines built lazily (cogen generators and iterators) and eagerly (a `Vec` after
//! every stage), at n = 10^3 to 10^7: `examples/common/pipelines.rs`, shared with
//! `examples/lazy_vs_eager.rs` (which also reports peak heap) and `tests/lazy_vs_eager.rs`.
//!
//! Groups `lazy_vs_eager_<pipeline>`, benches `lazy/<n>` and `eager/<n>`, one iteration being
//! one whole run of the pipeline (`Throughput::Elements(n)`). Every input passes through
//! `black_box`; each pair's results are checked equal before timing.
//!
//! Run: `cargo bench -p cogen-benches --bench lazy_vs_eager && python3 scripts/lazy_vs_eager_table.py`
//! (BENCHMARKS.md, "Lazy against eager"). About five minutes on a 2-core VM.

#[path = "../examples/common/pipelines.rs"]
mod pipelines;

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use pipelines::{
    digest, digits_eager, digits_lazy, numbers_eager, numbers_lazy, text, words_eager, words_lazy,
};

const SIZES: [u64; 5] = [1_000, 10_000, 100_000, 1_000_000, 10_000_000];

/// Benchmarks `lazy` against `eager` at every n in one group, after checking they agree.
fn bench_pipeline<In, Out: PartialEq + std::fmt::Debug>(
    c: &mut Criterion,
    pipeline: &str,
    input: impl Fn(u64) -> In,
    lazy: impl Fn(&In) -> Out,
    eager: impl Fn(&In) -> Out,
) {
    let mut group = c.benchmark_group(format!("lazy_vs_eager_{pipeline}"));
    for n in SIZES {
        let input = input(n);
        assert_eq!(lazy(&input), eager(&input), "{pipeline} at n = {n}");
        group.throughput(Throughput::Elements(n));
        if n >= 1_000_000 {
            // A run takes milliseconds to a second: few samples, one run each.
            group.sampling_mode(SamplingMode::Flat).sample_size(10);
        } else {
            group.sampling_mode(SamplingMode::Auto).sample_size(30);
        }
        group.bench_with_input(BenchmarkId::new("lazy", n), &input, |b, input| {
            b.iter(|| lazy(black_box(input)));
        });
        group.bench_with_input(BenchmarkId::new("eager", n), &input, |b, input| {
            b.iter(|| eager(black_box(input)));
        });
    }
    group.finish();
}

fn numbers(c: &mut Criterion) {
    bench_pipeline(
        c,
        "numbers",
        |n| n,
        |&n| numbers_lazy(n),
        |&n| numbers_eager(n),
    );
}

fn words(c: &mut Criterion) {
    bench_pipeline(
        c,
        "words",
        |n| text(n as usize),
        |text| digest(&words_lazy(text)),
        |text| digest(&words_eager(text)),
    );
}

fn digits(c: &mut Criterion) {
    bench_pipeline(
        c,
        "digits",
        |n| n,
        |&n| digits_lazy(n),
        |&n| digits_eager(n),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = numbers, words, digits
}
criterion_main!(benches);
