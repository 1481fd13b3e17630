//! The generator peers: each yields `0..n` as `u64` into the summing loop and returns the sum.

use std::pin::pin;

use cogen::{Co, Frame, Gen};
use next_gen::prelude::*;

use std::hint::black_box;

use corosensei::{Coroutine, CoroutineResult, Yielder};
use diapause::{Coroutine as _, CoroutineState};

use super::summing::{fold_sum, sum};

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

/// `cogen_boxed` summed by `fold`: each yield hands its item straight to the consumer.
pub fn cogen_boxed_fold(n: u64) -> u64 {
    fold_sum(Gen::new(move |co: Co<u64>| async move {
        for i in 0..n {
            co.yield_(i).await;
        }
    }))
}

/// `cogen_pinned` summed by `fold`.
pub fn cogen_pinned_fold(n: u64) -> u64 {
    let frame = pin!(Frame::new(move |co: Co<u64>| async move {
        for i in 0..n {
            co.yield_(i).await;
        }
    }));
    fold_sum(Gen::pinned(frame))
}

#[diapause::coroutine(yield = u64)]
fn diapause_producer(n: u64) {
    for i in 0..n {
        yield_!(i);
    }
}

pub fn diapause(n: u64) -> u64 {
    let mut producer = diapause_producer(n);
    let mut total = 0u64;
    let mut state = producer.start();
    while let CoroutineState::Yielded(item) = state {
        total += black_box(item);
        state = producer.resume(());
    }
    total
}

pub fn corosensei(n: u64) -> u64 {
    let mut producer = Coroutine::new(move |yielder: &Yielder<(), u64>, ()| {
        for i in 0..n {
            yielder.suspend(i);
        }
    });
    let mut total = 0u64;
    while let CoroutineResult::Yield(item) = producer.resume(()) {
        total += black_box(item);
    }
    total
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
