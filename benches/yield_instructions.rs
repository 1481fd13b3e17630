//! Every loop of the generator benchmarks for one peer at a time, for counting instructions
//! per item with callgrind (deterministic, unlike wall time on a shared machine):
//! `bash scripts/yield_instructions.sh`. Run directly, it takes the loop, the peer and the item
//! count as arguments: `yield_instructions averager cogen_pinned 1000000`.
//!
//! The loops: `summing` (a producer of `0..n` summed by a `for` loop: `next`), `folding` (the
//! same, summed by `fold`), `averager` (Fluent Python's averager driven by `send`), `create` (a
//! generator of three items made, read and dropped, `n` times) and `coroutine` (a running total
//! started, sent three values and dropped suspended, `n` times). For cogen alone, the `shared_*`
//! loops run the summing loop's producer as one `async fn` body driven every way at once
//! (`common::shapes`): by `next`, `send(())`, `fold`, and by `next` and `send(())` from a
//! generic function.

mod common;

use std::hint::black_box;

use common::coroutines::*;
use common::peers::*;
use common::summing::{hand_written, std_from_fn};

/// Runs `peer`'s `shape` loop over `n` items and checks its result.
fn run(shape: &str, peer: &str, n: u64) {
    let sum = n * n.saturating_sub(1) / 2;
    match shape {
        "summing" | "folding" => {
            let run: fn(u64) -> u64 = match (shape, peer) {
                ("summing", "hand_written") => hand_written,
                ("summing", "std_from_fn") => std_from_fn,
                ("summing", "cogen_boxed") => cogen_boxed,
                ("summing", "cogen_pinned") => cogen_pinned,
                ("folding", "cogen_boxed") => cogen_boxed_fold,
                ("folding", "cogen_pinned") => cogen_pinned_fold,
                ("summing", "diapause") => diapause,
                ("summing", "corosensei") => corosensei,
                ("summing", "next_gen") => next_gen,
                ("summing", "genawaiter_stack") => genawaiter_stack,
                ("summing", "genawaiter_rc") => genawaiter_rc,
                ("summing", "genawaiter_sync") => genawaiter_sync,
                _ => panic!("no {shape} loop for {peer}"),
            };
            assert_eq!(run(black_box(n)), sum);
        }
        "lone_averager" => {
            let run: fn(u64) -> f64 = match peer {
                "cogen_boxed" => common::shapes::lone_averager_boxed,
                "cogen_pinned" => common::shapes::lone_averager_pinned,
                _ => panic!("no lone averager for {peer}"),
            };
            assert_eq!(run(black_box(n)), averages_sum(n));
        }
        "averager" => {
            let run: fn(u64) -> f64 = match peer {
                "hand_written" => hand_averager,
                "cogen_boxed" => cogen_averager_boxed,
                "cogen_pinned" => cogen_averager_pinned,
                "diapause" => diapause_averager,
                "corosensei" => corosensei_averager,
                "next_gen" => next_gen_averager,
                "genawaiter_stack" => genawaiter_stack_averager,
                "genawaiter_rc" => genawaiter_rc_averager,
                _ => panic!("no averager for {peer}"),
            };
            assert_eq!(run(black_box(n)), averages_sum(n));
        }
        "create" | "coroutine" => {
            let run: fn(u64) -> u64 = match (shape, peer) {
                ("create", "hand_written") => hand_create,
                ("create", "hand_written_boxed") => hand_boxed_create,
                ("create", "cogen_boxed") => cogen_boxed_create,
                ("create", "cogen_pinned") => cogen_pinned_create,
                ("create", "diapause") => diapause_create,
                ("create", "corosensei") => corosensei_create,
                ("create", "next_gen") => next_gen_create,
                ("create", "genawaiter_stack") => genawaiter_stack_create,
                ("create", "genawaiter_rc") => genawaiter_rc_create,
                ("coroutine", "hand_written") => hand_coroutine,
                ("coroutine", "hand_written_boxed") => hand_boxed_coroutine,
                ("coroutine", "cogen_boxed") => cogen_boxed_coroutine,
                ("coroutine", "cogen_pinned") => cogen_pinned_coroutine,
                ("coroutine", "diapause") => diapause_coroutine,
                ("coroutine", "corosensei") => corosensei_coroutine,
                ("coroutine", "next_gen") => next_gen_coroutine,
                ("coroutine", "genawaiter_stack") => genawaiter_stack_coroutine,
                ("coroutine", "genawaiter_rc") => genawaiter_rc_coroutine,
                _ => panic!("no {shape} loop for {peer}"),
            };
            assert_eq!(run(black_box(n)), three_sum(n));
        }
        "shared_next"
        | "shared_send"
        | "shared_fold"
        | "shared_generic"
        | "shared_generic_send" => {
            use common::shapes;
            let run: fn(u64) -> u64 = match (shape, peer) {
                ("shared_next", "cogen_boxed") => shapes::next_boxed,
                ("shared_next", "cogen_pinned") => shapes::next_pinned,
                ("shared_send", "cogen_boxed") => shapes::send_boxed,
                ("shared_send", "cogen_pinned") => shapes::send_pinned,
                ("shared_fold", "cogen_boxed") => shapes::fold_boxed,
                ("shared_fold", "cogen_pinned") => shapes::fold_pinned,
                ("shared_generic", "cogen_boxed") => shapes::generic_boxed,
                ("shared_generic", "cogen_pinned") => shapes::generic_pinned,
                ("shared_generic_send", "cogen_boxed") => shapes::generic_send_boxed,
                ("shared_generic_send", "cogen_pinned") => shapes::generic_send_pinned,
                _ => panic!("no {shape} loop for {peer}"),
            };
            assert_eq!(run(black_box(n)), sum);
        }
        _ => panic!("unknown loop {shape}"),
    }
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|arg| !arg.starts_with('-'));
    // `cargo bench` runs every bench target with `--bench`: a token run then.
    let shape = args.next().unwrap_or_else(|| "summing".to_string());
    let peer = args.next().unwrap_or_else(|| "cogen_pinned".to_string());
    let n: u64 = args
        .next()
        .map_or(1_000, |n| n.parse().expect("an item count"));
    run(&shape, &peer, n);
}
