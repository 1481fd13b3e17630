//! The summing loop of `generators.rs` for one peer at a time, for counting instructions per
//! yield with callgrind (deterministic, unlike wall time on a shared machine):
//! `bash scripts/yield_instructions.sh`. Run directly, it takes the peer and the item count as
//! arguments: `yield_instructions cogen_pinned 1000000`.

use std::hint::black_box;
use std::pin::pin;

use cogen::{Co, Frame, Gen};

#[inline(always)]
fn sum(items: impl IntoIterator<Item = u64>) -> u64 {
    let mut total = 0u64;
    for item in items {
        total += black_box(item);
    }
    total
}

struct Counter {
    next: u64,
    end: u64,
}

impl Iterator for Counter {
    type Item = u64;
    #[inline]
    fn next(&mut self) -> Option<u64> {
        (self.next < self.end).then(|| {
            self.next += 1;
            self.next - 1
        })
    }
}

fn run(peer: &str, n: u64) -> u64 {
    match peer {
        "none" => 0,
        "hand_written" => sum(Counter { next: 0, end: n }),
        "cogen_boxed" => sum(Gen::new(move |co: Co<u64>| async move {
            for i in 0..n {
                co.yield_(i).await;
            }
        })),
        "cogen_pinned" => {
            let frame = pin!(Frame::new(move |co: Co<u64>| async move {
                for i in 0..n {
                    co.yield_(i).await;
                }
            }));
            sum(Gen::pinned(frame))
        }
        "genawaiter_stack" => {
            genawaiter::stack::let_gen_using!(g, |co| async move {
                for i in 0..n {
                    co.yield_(i).await;
                }
            });
            sum(&mut *g)
        }
        "genawaiter_rc" => sum(genawaiter::rc::Gen::new(|co| async move {
            for i in 0..n {
                co.yield_(i).await;
            }
        })),
        "genawaiter_sync" => sum(genawaiter::sync::Gen::new(|co| async move {
            for i in 0..n {
                co.yield_(i).await;
            }
        })),
        other => panic!("unknown peer {other}"),
    }
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|arg| !arg.starts_with('-'));
    // `cargo bench` runs every bench target with `--bench`: do a token run then.
    let peer = args.next().unwrap_or_else(|| "cogen_pinned".to_string());
    let n: u64 = args
        .next()
        .map_or(1_000, |n| n.parse().expect("an item count"));
    let total = run(&peer, black_box(n));
    assert_eq!(total, if peer == "none" { 0 } else { n * (n - 1) / 2 });
}
