//! The coroutine loop beside the summing one: Fluent Python's `averager` driven by `send`, with
//! a hand-written twin to measure against.

use cogen::{Co, Gen, Step};
use std::hint::black_box;

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

/// Fluent Python's `averager` coroutine: `term = yield average`.
pub fn cogen_averager(n: u64) -> f64 {
    let mut averager = Gen::new(|co: Co<f64, f64>| async move {
        let (mut total, mut count) = (0.0, 0u64);
        let mut average = 0.0;
        loop {
            let term = co.yield_(average).await;
            total += term;
            count += 1;
            average = total / count as f64;
        }
    });
    assert_eq!(averager.start(), Step::Yielded(0.0));
    let mut sum = 0.0;
    for i in 0..n {
        if let Ok(Step::Yielded(average)) = averager.send(black_box(i as f64)) {
            sum += black_box(average);
        }
    }
    sum
}
