//! Per-item cost of one summing loop over a hand-written iterator, a nightly `gen` block, and
//! cogen's boxed and pinned generators. Nightly only (`gen` blocks are unstable).
#![feature(gen_blocks)]

use std::hint::black_box;
use std::pin::pin;
use std::time::Instant;

use cogen::{Co, Frame, Gen};

const ITEMS: u64 = 10_000;
const REPEATS: u32 = 20_000;

// The loop and the hand-written iterator of cogen's benchmarks.
#[allow(dead_code)]
#[path = "../../../benches/common/summing.rs"]
mod summing;

use summing::{hand_written, sum};

/// Nanoseconds per item of `run`, which sums `ITEMS` items.
fn per_item(run: impl Fn(u64) -> u64) -> f64 {
    let expected = ITEMS * (ITEMS - 1) / 2;
    let started = Instant::now();
    for _ in 0..REPEATS {
        assert_eq!(run(black_box(ITEMS)), expected);
    }
    started.elapsed().as_nanos() as f64 / (f64::from(REPEATS) * ITEMS as f64)
}

fn main() {
    println!("| round | hand_written | nightly gen block | cogen_boxed | cogen_pinned |");
    println!("|---|---:|---:|---:|---:|");
    for round in 1..=3 {
        let hand = per_item(hand_written);
        let gen_block = per_item(|n| sum(gen move { for i in 0..n { yield i; } }));
        let boxed = per_item(|n| {
            sum(Gen::new(move |co: Co<u64>| async move {
                for i in 0..n {
                    co.yield_(i).await;
                }
            }))
        });
        let pinned = per_item(|n| {
            let frame = pin!(Frame::new(move |co: Co<u64>| async move {
                for i in 0..n {
                    co.yield_(i).await;
                }
            }));
            sum(Gen::pinned(frame))
        });
        let cell = |ns: f64| format!("{ns:.2} ns ({:.1}x)", ns / hand);
        println!(
            "| {round} | {hand:.2} ns | {} | {} | {} |",
            cell(gen_block),
            cell(boxed),
            cell(pinned)
        );
    }
}
