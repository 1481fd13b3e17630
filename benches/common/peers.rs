//! The generator peers: each yields `0..n` as `u64` into the summing loop and returns the sum.

use std::pin::pin;

use cogen::{Co, Frame, Gen};
use next_gen::prelude::*;

use super::summing::sum;

pub fn cogen_boxed(n: u64) -> u64 {
    sum(Gen::new(move |co: Co<u64>| async move {
        for i in 0..n {
            co.yield_(i).await;
        }
    }))
}

pub fn cogen_pinned(n: u64) -> u64 {
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

pub fn genawaiter_stack(n: u64) -> u64 {
    // genawaiter's safe macro for its allocation-free generator (the `unsafe` that
    // `stack::Gen::new` needs is inside the macro, which upholds its contract).
    genawaiter::stack::let_gen_using!(generator, |co| genawaiter_stack_producer(co, n));
    sum(generator)
}

pub fn genawaiter_rc(n: u64) -> u64 {
    sum(genawaiter::rc::Gen::new(move |co| async move {
        for i in 0..n {
            co.yield_(i).await;
        }
    }))
}

pub fn genawaiter_sync(n: u64) -> u64 {
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

pub fn next_gen(n: u64) -> u64 {
    // Pinned on the stack: no allocation.
    mk_gen!(let generator = next_gen_producer(n));
    sum(generator)
}
