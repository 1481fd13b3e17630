//! The lazy-against-eager pipelines (`examples/common/pipelines.rs`, shared with the example
//! and the bench): lazy and eager compute the same results, which are CPython's; the lazy
//! forms' peak heap stays under 64 KiB at every n, the eager forms' grows with n.

#[path = "../examples/common/heap.rs"]
mod heap;
#[path = "../examples/common/pipelines.rs"]
mod pipelines;

use pipelines::{PIPELINES, Prepared};

#[global_allocator]
static GLOBAL: heap::CountingAllocator = heap::CountingAllocator;

const LAZY_HEAP_TARGET: usize = 64 * 1024;
/// n = 10^1 .. 10^5 (a debug build: 10^5 runs in well under a second per pipeline).
const SIZES: [u64; 5] = [10, 100, 1_000, 10_000, 100_000];

/// (lazy result, eager result, lazy peak, eager peak) of one pipeline at one n.
fn run(pipeline: &str, n: u64) -> (u128, u128, usize, usize) {
    let prepared = Prepared::new(pipeline, n);
    let (lazy, lazy_peak) = heap::peak_during(|| prepared.lazy());
    let (eager, eager_peak) = heap::peak_during(|| prepared.eager());
    (lazy, eager, lazy_peak, eager_peak)
}

#[test]
fn lazy_and_eager_agree_and_only_eager_memory_grows() {
    for pipeline in PIPELINES {
        let mut last_eager_peak = 0;
        for n in SIZES {
            let (lazy, eager, lazy_peak, eager_peak) = run(pipeline, n);
            assert_eq!(lazy, eager, "{pipeline} at n = {n}");
            assert!(
                lazy_peak < LAZY_HEAP_TARGET,
                "{pipeline} at n = {n}: lazy peak heap {lazy_peak} B"
            );
            assert!(
                eager_peak > last_eager_peak,
                "{pipeline} at n = {n}: eager peak heap {eager_peak} B, not above {last_eager_peak} B"
            );
            last_eager_peak = eager_peak;
        }
        // At least a few bytes per item: every stage's Vec is live at the end.
        let n = SIZES[SIZES.len() - 1] as usize;
        assert!(
            last_eager_peak > 4 * n,
            "{pipeline}: {last_eager_peak} B at n = {n}"
        );
    }
}

/// What `python3 benches/lazy_vs_eager.py --check` prints (CPython 3, lazy and eager agree).
#[test]
fn results_are_cpythons() {
    let cpython: [(&str, u64, u128); 9] = [
        ("numbers", 1_000, 74_018_574),
        ("numbers", 10_000, 74_068_519_074),
        ("numbers", 100_000, 74_073_518_524_074),
        ("words", 1_000, 12_294),
        ("words", 10_000, 123_018),
        ("words", 100_000, 1_248_729),
        ("digits", 1_000, 55_944),
        ("digits", 10_000, 5_559_444),
        ("digits", 100_000, 555_594_444),
    ];
    for (pipeline, n, expected) in cpython {
        let prepared = Prepared::new(pipeline, n);
        assert_eq!(prepared.lazy(), expected, "{pipeline} at n = {n}");
        assert_eq!(prepared.eager(), expected, "{pipeline} at n = {n}");
    }
}

#[test]
fn the_digits_pipeline_takes_every_multiple_of_nine() {
    for n in SIZES {
        assert_eq!(
            pipelines::digits_lazy(n),
            pipelines::digits_expected(n),
            "n = {n}"
        );
    }
}

#[test]
fn the_text_has_n_words_in_runs() {
    let text = pipelines::text(1_000);
    assert_eq!(text.split(' ').count(), 1_000);
    let runs = text
        .split(' ')
        .zip(text.split(' ').skip(1))
        .filter(|(a, b)| a != b)
        .count()
        + 1;
    // Runs of 1 to 4 words, 2.5 on average (fewer when neighbouring runs draw the same word).
    assert!((250..=600).contains(&runs), "{runs} runs");
    assert!(
        text.split(' ')
            .all(|word| pipelines::VOCABULARY.contains(&word))
    );
}
