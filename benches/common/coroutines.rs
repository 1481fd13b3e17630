//! The coroutine loops beside the summing one, for every peer: Fluent Python's `averager`
//! driven by `send` (per value sent), a generator of three items made, read to its end and
//! dropped, and a coroutine started, sent three values and dropped suspended (per generator).
//! Each has a hand-written twin to measure against. Every loop checks its result.

use std::future::Future;
use std::hint::black_box;
use std::ops::DerefMut;
use std::pin::pin;

use cogen::{Co, Frame, Gen, Step};
use corosensei::{Coroutine, CoroutineResult, Yielder};
use diapause::{Coroutine as _, CoroutineState};
use genawaiter::GeneratorState as Genawaiter;
use next_gen::prelude::*;

/// The sum of the averages the averager gives for `0..n` sent: n(n-1)/4, exact in an `f64` at
/// these sizes (a closed form, so that checking it costs nothing per item).
pub fn averages_sum(n: u64) -> f64 {
    (n * n.saturating_sub(1)) as f64 / 4.0
}

/// The averager by hand: what `send` computes, with no coroutine around it.
struct Averager {
    total: f64,
    count: u64,
}

impl Averager {
    #[inline]
    fn send(&mut self, value: f64) -> f64 {
        self.total += value;
        self.count += 1;
        self.total / self.count as f64
    }
}

/// Sends `0..n` as floats into the averager and sums the averages it gives back.
pub fn hand_averager(n: u64) -> f64 {
    let mut averager = Averager {
        total: 0.0,
        count: 0,
    };
    let mut sum = 0.0;
    for i in 0..n {
        sum += black_box(averager.send(black_box(i as f64)));
    }
    sum
}

/// Fluent Python's `averager` coroutine (`term = yield average`), as an `async fn` called
/// `$name`: `shapes` makes more of them, so that each has a body of its own.
macro_rules! averager_body {
    ($name:ident) => {
        async fn $name(co: cogen::Co<f64, f64>) {
            let (mut total, mut count) = (0.0, 0u64);
            let mut average = 0.0;
            loop {
                let term = co.yield_(average).await;
                total += term;
                count += 1;
                average = total / count as f64;
            }
        }
    };
}
pub(crate) use averager_body;

averager_body!(cogen_averager_body);

/// cogen's averager loop: `start`, then `n` values sent; the sum of the averages.
pub fn averager_loop<F, P>(mut averager: Gen<f64, f64, F, P>, n: u64) -> f64
where
    F: Future<Output = ()>,
    P: DerefMut<Target = Frame<f64, f64, F>>,
{
    assert_eq!(averager.start(), Step::Yielded(0.0));
    let mut sum = 0.0;
    for i in 0..n {
        if let Ok(Step::Yielded(average)) = averager.send(black_box(i as f64)) {
            sum += black_box(average);
        }
    }
    sum
}

pub fn cogen_averager_boxed(n: u64) -> f64 {
    averager_loop(Gen::new(cogen_averager_body), n)
}

pub fn cogen_averager_pinned(n: u64) -> f64 {
    averager_loop(Gen::pinned(pin!(Frame::new(cogen_averager_body))), n)
}

#[diapause::coroutine(yield = f64, resume = f64)]
fn diapause_averager_body() {
    let mut total: f64 = 0.0;
    let mut count: u64 = 0;
    let mut average: f64 = 0.0;
    loop {
        let term = yield_!(average);
        total += term;
        count += 1;
        average = total / count as f64;
    }
}

pub fn diapause_averager(n: u64) -> f64 {
    let mut averager = diapause_averager_body();
    assert!(matches!(averager.start(), CoroutineState::Yielded(0.0)));
    let mut sum = 0.0;
    for i in 0..n {
        if let CoroutineState::Yielded(average) = averager.resume(black_box(i as f64)) {
            sum += black_box(average);
        }
    }
    sum
}

fn corosensei_averager_body(yielder: &Yielder<f64, f64>, _priming: f64) {
    let (mut total, mut count) = (0.0, 0u64);
    let mut average = 0.0;
    loop {
        let term = yielder.suspend(average);
        total += term;
        count += 1;
        average = total / count as f64;
    }
}

pub fn corosensei_averager(n: u64) -> f64 {
    let mut averager = Coroutine::new(corosensei_averager_body);
    assert!(matches!(averager.resume(0.0), CoroutineResult::Yield(0.0)));
    let mut sum = 0.0;
    for i in 0..n {
        if let CoroutineResult::Yield(average) = averager.resume(black_box(i as f64)) {
            sum += black_box(average);
        }
    }
    sum
}

#[generator(yield(f64), resume(f64) as mut term)]
fn next_gen_averager_body() {
    let _ = term; // the priming value
    let (mut total, mut count) = (0.0, 0u64);
    let mut average = 0.0;
    loop {
        term = yield_!(average);
        total += term;
        count += 1;
        average = total / count as f64;
    }
}

pub fn next_gen_averager(n: u64) -> f64 {
    mk_gen!(let averager = next_gen_averager_body());
    let mut averager = averager;
    assert!(matches!(
        averager.as_mut().resume(0.0),
        GeneratorState::Yielded(0.0)
    ));
    let mut sum = 0.0;
    for i in 0..n {
        if let GeneratorState::Yielded(average) = averager.as_mut().resume(black_box(i as f64)) {
            sum += black_box(average);
        }
    }
    sum
}

async fn genawaiter_averager_body(co: genawaiter::stack::Co<'_, f64, f64>) {
    let (mut total, mut count) = (0.0, 0u64);
    let mut average = 0.0;
    loop {
        let term = co.yield_(average).await;
        total += term;
        count += 1;
        average = total / count as f64;
    }
}

pub fn genawaiter_stack_averager(n: u64) -> f64 {
    genawaiter::stack::let_gen_using!(averager, |co| genawaiter_averager_body(co));
    // genawaiter drops the first resume argument: it only starts the body.
    assert!(matches!(
        averager.resume_with(0.0),
        Genawaiter::Yielded(0.0)
    ));
    let mut sum = 0.0;
    for i in 0..n {
        if let Genawaiter::Yielded(average) = averager.resume_with(black_box(i as f64)) {
            sum += black_box(average);
        }
    }
    sum
}

pub fn genawaiter_rc_averager(n: u64) -> f64 {
    let mut averager = genawaiter::rc::Gen::new(|co| async move {
        let (mut total, mut count) = (0.0, 0u64);
        let mut average = 0.0;
        loop {
            let term = co.yield_(average).await;
            total += term;
            count += 1;
            average = total / count as f64;
        }
    });
    assert!(matches!(
        averager.resume_with(0.0),
        Genawaiter::Yielded(0.0)
    ));
    let mut sum = 0.0;
    for i in 0..n {
        // The body never returns: the pattern is irrefutable.
        let Genawaiter::Yielded(average) = averager.resume_with(black_box(i as f64));
        sum += black_box(average);
    }
    sum
}

/// What the `create` and `coroutine` loops sum: three items from each start `i` (or the last
/// of three running totals of `i`, `i + 1`, `i + 2`): 3i + 3 each.
pub fn three_sum(n: u64) -> u64 {
    3 * (n * n.saturating_sub(1) / 2) + 3 * n
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

/// [`hand_create`] plus one allocation of 112 bytes (the size of cogen's boxed frame here) made
/// and freed each time: what "the boxed form but for its one allocation" is measured against.
pub fn hand_boxed_create(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let start = black_box(i);
        let state = black_box(Box::new([start; 14]));
        for item in state[0]..state[0] + 3 {
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

#[diapause::coroutine(yield = u64)]
fn diapause_three(start: u64) {
    for item in start..start + 3 {
        yield_!(item);
    }
}

pub fn diapause_create(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let mut g = diapause_three(black_box(i));
        let mut state = g.start();
        while let CoroutineState::Yielded(item) = state {
            sum += black_box(item);
            state = g.resume(());
        }
    }
    sum
}

pub fn corosensei_create(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let start = black_box(i);
        let mut g = Coroutine::new(move |yielder: &Yielder<(), u64>, ()| {
            for item in start..start + 3 {
                yielder.suspend(item);
            }
        });
        while let CoroutineResult::Yield(item) = g.resume(()) {
            sum += black_box(item);
        }
    }
    sum
}

#[generator(yield(u64))]
fn next_gen_three(start: u64) {
    for item in start..start + 3 {
        yield_!(item);
    }
}

pub fn next_gen_create(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        mk_gen!(let g = next_gen_three(black_box(i)));
        for item in g {
            sum += black_box(item);
        }
    }
    sum
}

async fn genawaiter_three(co: genawaiter::stack::Co<'_, u64>, start: u64) {
    for item in start..start + 3 {
        co.yield_(item).await;
    }
}

pub fn genawaiter_stack_create(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let start = black_box(i);
        genawaiter::stack::let_gen_using!(g, |co| genawaiter_three(co, start));
        for item in g {
            sum += black_box(item);
        }
    }
    sum
}

pub fn genawaiter_rc_create(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let start = black_box(i);
        let g = genawaiter::rc::Gen::new(move |co| async move {
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

/// `n` times, by hand: a running total started, sent three values, dropped.
pub fn hand_coroutine(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let mut total = black_box(0u64);
        for k in 0..3 {
            total += black_box(i + k);
        }
        sum += black_box(total);
    }
    sum
}

/// [`hand_coroutine`] plus one allocation of 112 bytes made and freed each time.
pub fn hand_boxed_coroutine(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let mut state = black_box(Box::new([black_box(1u64); 14]));
        for k in 0..3 {
            state[0] += black_box(i + k);
        }
        sum += black_box(state[0] - 1);
    }
    sum
}

/// A running total: each value sent in is added, and the total yielded back.
async fn cogen_total_body(co: Co<u64, u64>) {
    let mut total = 0;
    loop {
        total += co.yield_(total).await;
    }
}

pub fn cogen_boxed_coroutine(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let mut g = Gen::new(cogen_total_body);
        let _ = g.start();
        let mut last = 0;
        for k in 0..3 {
            if let Ok(Step::Yielded(total)) = g.send(black_box(i + k)) {
                last = total;
            }
        }
        sum += black_box(last);
    }
    sum
}

pub fn cogen_pinned_coroutine(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let frame = pin!(Frame::new(cogen_total_body));
        let mut g = Gen::pinned(frame);
        let _ = g.start();
        let mut last = 0;
        for k in 0..3 {
            if let Ok(Step::Yielded(total)) = g.send(black_box(i + k)) {
                last = total;
            }
        }
        sum += black_box(last);
    }
    sum
}

#[diapause::coroutine(yield = u64, resume = u64)]
fn diapause_total_body() {
    let mut total: u64 = 0;
    loop {
        let value = yield_!(total);
        total += value;
    }
}

pub fn diapause_coroutine(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let mut g = diapause_total_body();
        let _ = g.start();
        let mut last = 0;
        for k in 0..3 {
            if let CoroutineState::Yielded(total) = g.resume(black_box(i + k)) {
                last = total;
            }
        }
        sum += black_box(last);
    }
    sum
}

pub fn corosensei_coroutine(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let mut g = Coroutine::new(|yielder: &Yielder<u64, u64>, _priming: u64| {
            let mut total = 0;
            loop {
                total += yielder.suspend(total);
            }
        });
        let _ = g.resume(0);
        let mut last = 0;
        for k in 0..3 {
            // The body never returns: the pattern is irrefutable.
            let CoroutineResult::Yield(total) = g.resume(black_box(i + k));
            last = total;
        }
        sum += black_box(last);
    }
    sum
}

#[generator(yield(u64), resume(u64) as mut value)]
fn next_gen_total_body() {
    let _ = value; // the priming value
    let mut total = 0;
    loop {
        value = yield_!(total);
        total += value;
    }
}

pub fn next_gen_coroutine(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        mk_gen!(let g = next_gen_total_body());
        let mut g = g;
        let _ = g.as_mut().resume(0);
        let mut last = 0;
        for k in 0..3 {
            if let GeneratorState::Yielded(total) = g.as_mut().resume(black_box(i + k)) {
                last = total;
            }
        }
        sum += black_box(last);
    }
    sum
}

async fn genawaiter_total_body(co: genawaiter::stack::Co<'_, u64, u64>) {
    let mut total = 0;
    loop {
        total += co.yield_(total).await;
    }
}

pub fn genawaiter_stack_coroutine(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        genawaiter::stack::let_gen_using!(g, |co| genawaiter_total_body(co));
        let _ = g.resume_with(0);
        let mut last = 0;
        for k in 0..3 {
            if let Genawaiter::Yielded(total) = g.resume_with(black_box(i + k)) {
                last = total;
            }
        }
        sum += black_box(last);
    }
    sum
}

pub fn genawaiter_rc_coroutine(n: u64) -> u64 {
    let mut sum = 0;
    for i in 0..n {
        let mut g = genawaiter::rc::Gen::new(|co| async move {
            let mut total = 0;
            loop {
                total += co.yield_(total).await;
            }
        });
        let _ = g.resume_with(0);
        let mut last = 0;
        for k in 0..3 {
            // The body never returns: the pattern is irrefutable.
            let Genawaiter::Yielded(total) = g.resume_with(black_box(i + k));
            last = total;
        }
        sum += black_box(last);
    }
    sum
}
