//! The summing loop of `generators.rs` for one peer at a time, for counting instructions per
//! yield with callgrind (deterministic, unlike wall time on a shared machine):
//! `bash scripts/yield_instructions.sh`. Run directly, it takes the peer and the item count as
//! arguments: `yield_instructions cogen_pinned 1000000`.

mod common;

use std::hint::black_box;

use common::peers::{
    cogen_boxed, cogen_pinned, genawaiter_rc, genawaiter_stack, genawaiter_sync, next_gen,
};
use common::summing::{hand_written, std_from_fn};

fn run(peer: &str, n: u64) -> u64 {
    match peer {
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
