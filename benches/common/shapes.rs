//! The shapes users write around one generator body, for cogen alone: the summing loop's
//! producer as an `async fn`, driven by `next`, by `send(())` and by `fold`, boxed and pinned,
//! and by `next` and by `send(())` from a generic function, all in one binary. A body with several drivers is where a
//! compiler stops inlining it, so each shape's cost is measured with all the others present.

use std::future::Future;
use std::hint::black_box;
use std::ops::DerefMut;
use std::pin::pin;

use cogen::{Co, Frame, Gen, Step};

use super::coroutines::{averager_body, averager_loop};
use super::summing::{fold_sum, sum};

/// The producer of the summing loop, shared by every shape.
async fn counter(co: Co<u64>, n: u64) {
    for i in 0..n {
        co.yield_(i).await;
    }
}

pub fn next_boxed(n: u64) -> u64 {
    sum(Gen::new(|co| counter(co, n)))
}

pub fn next_pinned(n: u64) -> u64 {
    sum(Gen::pinned(pin!(Frame::new(|co| counter(co, n)))))
}

/// Python's `g.send(None)` loop: `start`, then `send(())` until the body returns.
fn send_loop<F, P>(mut g: Gen<u64, (), F, P>) -> u64
where
    F: Future<Output = ()>,
    P: DerefMut<Target = Frame<u64, (), F>>,
{
    let mut total = 0;
    let mut step = g.start();
    while let Step::Yielded(item) = step {
        total += black_box(item);
        step = g.send(()).unwrap_or(Step::Closed);
    }
    total
}

pub fn send_boxed(n: u64) -> u64 {
    send_loop(Gen::new(|co| counter(co, n)))
}

pub fn send_pinned(n: u64) -> u64 {
    send_loop(Gen::pinned(pin!(Frame::new(|co| counter(co, n)))))
}

pub fn fold_boxed(n: u64) -> u64 {
    fold_sum(Gen::new(|co| counter(co, n)))
}

pub fn fold_pinned(n: u64) -> u64 {
    fold_sum(Gen::pinned(pin!(Frame::new(|co| counter(co, n)))))
}

/// A consumer that knows nothing of generators.
#[inline(never)]
fn generic_sum<I: IntoIterator<Item = u64>>(items: I) -> u64 {
    sum(items)
}

pub fn generic_boxed(n: u64) -> u64 {
    generic_sum(Gen::new(|co| counter(co, n)))
}

pub fn generic_pinned(n: u64) -> u64 {
    generic_sum(Gen::pinned(pin!(Frame::new(|co| counter(co, n)))))
}

/// The `send(())` loop in a function that knows the generator only by its type parameters and is
/// not inlined: `send` against the generic `next` above.
#[inline(never)]
fn generic_send_loop<F, P>(g: Gen<u64, (), F, P>) -> u64
where
    F: Future<Output = ()>,
    P: DerefMut<Target = Frame<u64, (), F>>,
{
    // The loop of `send_loop`, written again rather than called, so that `send_loop` keeps the
    // callers it has in the other shapes (and the compiler's choices there stay the same).
    let mut g = g;
    let mut total = 0;
    let mut step = g.start();
    while let Step::Yielded(item) = step {
        total += black_box(item);
        step = g.send(()).unwrap_or(Step::Closed);
    }
    total
}

pub fn generic_send_boxed(n: u64) -> u64 {
    generic_send_loop(Gen::new(|co| counter(co, n)))
}

pub fn generic_send_pinned(n: u64) -> u64 {
    generic_send_loop(Gen::pinned(pin!(Frame::new(|co| counter(co, n)))))
}

// One averager body for each form: a generator driven by one `start` and one `send` loop in the
// program (the `averager` loop of `coroutines` shares one body between its boxed and pinned
// forms).
averager_body!(lone_boxed_body);
averager_body!(lone_pinned_body);

pub fn lone_averager_boxed(n: u64) -> f64 {
    averager_loop(Gen::new(lone_boxed_body), n)
}

pub fn lone_averager_pinned(n: u64) -> f64 {
    averager_loop(Gen::pinned(pin!(Frame::new(lone_pinned_body))), n)
}
