//! The summing loop of `generators.rs` for one peer at a time, for counting instructions per
//! yield with callgrind (deterministic, unlike wall time on a shared machine):
//! `bash scripts/yield_instructions.sh`. Run directly, it takes the peer and the item count as
//! arguments: `yield_instructions cogen_pinned 1000000`.

mod common;

use std::hint::black_box;
use std::pin::pin;

use cogen::{Co, Frame, Gen};

use common::coroutines::{cogen_averager, hand_averager};
use common::peers::{
    cogen_boxed, cogen_pinned, genawaiter_rc, genawaiter_stack, genawaiter_sync, next_gen,
};
use common::summing::{hand_written, std_from_fn};

fn run(peer: &str, n: u64) -> u64 {
    match peer {
        // The coroutine loops check their own results (a float sum, or a sum of 3n items).
        "hand_averager" | "cogen_averager" => {
            let average = if peer == "hand_averager" {
                hand_averager(n)
            } else {
                cogen_averager(n)
            };
            // The averages of 0, 0..1, ..., 0..n-1 are 0, 0.5, ..., (n-1)/2, and their sum,
            // n(n-1)/4, is exact in an f64 at these sizes (a closed form: a loop here would
            // count in the instructions per item).
            assert_eq!(average, (n * (n - 1)) as f64 / 4.0);
            n * (n - 1) / 2
        }
        "hand_create" | "cogen_boxed_create" | "cogen_pinned_create" => {
            let sum = match peer {
                "hand_create" => hand_create(n),
                "cogen_boxed_create" => cogen_boxed_create(n),
                _ => cogen_pinned_create(n),
            };
            // Three items from each start i: 3i + 3.
            assert_eq!(sum, 3 * (n * (n - 1) / 2) + 3 * n);
            n * (n - 1) / 2
        }
        "hand_written" => hand_written(n),
        "std_from_fn" => std_from_fn(n),
        "cogen_boxed" => cogen_boxed(n),
        "cogen_pinned" => cogen_pinned(n),
        "genawaiter_stack" => genawaiter_stack(n),
        "genawaiter_rc" => genawaiter_rc(n),
        "genawaiter_sync" => genawaiter_sync(n),
        "next_gen" => next_gen(n),
        other => panic!("unknown peer {other}"),
    }
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|arg| !arg.starts_with('-'));
    // `cargo bench` runs every bench target with `--bench`: a token run then.
    let peer = args.next().unwrap_or_else(|| "cogen_pinned".to_string());
    let n: u64 = args
        .next()
        .map_or(1_000, |n| n.parse().expect("an item count"));
    assert_eq!(run(&peer, black_box(n)), n * (n - 1) / 2);
}

/// `n` times: a counter of three items made, read to its end and dropped.
pub fn hand_create(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let start = black_box(i);
        for item in start..start + 3 {
            sum += black_box(item);
        }
    }
    sum
}

/// `n` times: a boxed generator of three items made, read to its end and dropped.
pub fn cogen_boxed_create(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let start = black_box(i);
        let g = Gen::new(move |co: Co<u64>| async move {
            for item in start..start + 3 {
                co.yield_(item).await;
            }
        });
        for item in g {
            sum += black_box(item);
        }
    }
    sum
}

/// `n` times: a generator of three items pinned on the stack, read to its end and dropped.
pub fn cogen_pinned_create(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let start = black_box(i);
        let frame = pin!(Frame::new(move |co: Co<u64>| async move {
            for item in start..start + 3 {
                co.yield_(item).await;
            }
        }));
        for item in Gen::pinned(frame) {
            sum += black_box(item);
        }
    }
    sum
}
