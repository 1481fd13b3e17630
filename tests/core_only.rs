//! What cogen gives with no feature at all (`default-features = false`: `#![no_std]`, no
//! allocator): pinned generators with `next`, `send`, `close`, return values and `yield from`,
//! a body that awaits something other than a yield, and the itertools that keep nothing. Each
//! result is the one CPython gives for the same program: `tests/fixtures/core_only/cases.json`,
//! written by `cases.py` there.
//!
//! Runs in every build: `cargo test --test core_only` (cogen with std), and through the
//! feature-tests package with cogen built without std (`--no-default-features`, with or
//! without `--features alloc`).

use std::cell::Cell;
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll};

use cogen::iter::{
    accumulate, compress, count, dropwhile, filterfalse, islice, pairwise, repeat_n, starmap,
    takewhile, zip_longest_array, zip_longest_pair,
};
use cogen::{Co, Frame, Gen, GenState, SendError, WordSplitter};
use serde_json::{Value, json};

/// CPython's result for the program named `case` (compiled in: Miri runs the tests isolated).
fn cpython(case: &str) -> Value {
    let cases: Value = serde_json::from_str(include_str!("fixtures/core_only/cases.json"))
        .expect("parse cases.json");
    cases[case].clone()
}

#[test]
fn a_pinned_generator_iterates_and_returns() {
    // def squares(n): for i in range(n): yield i * i; return 'done'
    let frame = pin!(Frame::new(|co: Co<u32>| async move {
        for i in 0..4 {
            co.yield_(i * i).await;
        }
        "done"
    }));
    let mut g = Gen::pinned(frame);
    assert_eq!(g.state(), GenState::Created);
    assert_eq!(json!(g.by_ref().collect::<Vec<_>>()), cpython("squares"));
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(json!(g.take_return_value()), cpython("squares_returned"));
    assert_eq!(g.next(), None);
}

#[test]
fn a_pinned_coroutine_takes_sent_values() {
    // Fluent Python's averager: list of the averages after sending 10, 30, 5.
    let frame = pin!(Frame::new(|co: Co<f64, f64>| async move {
        let (mut total, mut n, mut average) = (0.0, 0.0, 0.0);
        loop {
            total += co.yield_(average).await;
            n += 1.0;
            average = total / n;
        }
    }));
    let mut averager = Gen::pinned(frame);
    assert_eq!(averager.send(1.0), Err(SendError::NotStarted(1.0)));
    assert_eq!(json!(averager.start().yielded()), cpython("averager_first"));
    let averages: Vec<f64> = [10.0, 30.0, 5.0]
        .into_iter()
        .map(|x| averager.send(x).unwrap().yielded().unwrap())
        .collect();
    assert_eq!(json!(averages), cpython("averager"));
    averager.close();
    assert_eq!(averager.state(), GenState::Closed);
    assert_eq!(averager.send(1.0), Err(SendError::Closed(1.0)));
}

#[test]
fn close_runs_the_cleanup_of_a_suspended_body_once() {
    struct Cleanup<'a>(&'a Cell<u32>);
    impl Drop for Cleanup<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let cleaned = &Cell::new(0);
    let frame = pin!(Frame::new(|co: Co<u8>| async move {
        let _guard = Cleanup(cleaned);
        co.yield_(1).await;
        co.yield_(2).await;
    }));
    let mut g = Gen::pinned(frame);
    assert_eq!(g.next(), Some(1));
    g.close();
    assert_eq!(cleaned.get(), 1);
    g.close();
    assert_eq!(cleaned.get(), 1);
}

#[test]
fn yield_from_a_pinned_sub_generator_gives_its_return_value() {
    // def inner(): yield 1; yield 2; return 10
    // def outer(): r = yield from inner(); yield r
    let inner = pin!(Frame::new(|co: Co<i32>| async move {
        co.yield_(1).await;
        co.yield_(2).await;
        10
    }));
    let outer = pin!(Frame::new(|co: Co<i32>| async move {
        let returned = co.yield_from(Gen::pinned(inner)).await;
        co.yield_(returned).await;
    }));
    assert_eq!(
        json!(Gen::pinned(outer).collect::<Vec<_>>()),
        cpython("yield_from")
    );
}

/// Ready on its second poll, waking its waker in between: a body awaiting it is not at a yield.
struct ReadyOnSecondPoll(bool);

impl Future for ReadyOnSecondPoll {
    type Output = u8;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u8> {
        if self.0 {
            Poll::Ready(7)
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[test]
fn a_body_awaiting_another_future_is_resumed_through_it() {
    let frame = pin!(Frame::new(|co: Co<u8>| async move {
        let value = ReadyOnSecondPoll(false).await;
        co.yield_(value).await;
    }));
    assert_eq!(Gen::pinned(frame).collect::<Vec<_>>(), [7]);
}

#[test]
fn the_itertools_that_keep_nothing_give_cpythons_results() {
    let running: Vec<i64> = accumulate(islice(count(1i64, 1), 5)).collect();
    assert_eq!(json!(running), cpython("accumulate_islice_count"));
    let gaps: Vec<i32> = pairwise([1, 4, 9, 16]).map(|(a, b)| b - a).collect();
    assert_eq!(json!(gaps), cpython("pairwise_gaps"));
    let kept: String = compress("ABCDEF".chars(), [1, 0, 1, 0, 1, 1]).collect();
    assert_eq!(json!(kept), cpython("compress"));
    let after: Vec<i32> = dropwhile([1, 4, 6, 3, 8], |x: &i32| *x < 5).collect();
    assert_eq!(json!(after), cpython("dropwhile"));
    let before: Vec<i32> = takewhile([1, 4, 6, 3, 8], |x: &i32| *x < 5).collect();
    assert_eq!(json!(before), cpython("takewhile"));
    let odd: Vec<i32> = filterfalse(0..10, |x: &i32| x % 2 == 0).collect();
    assert_eq!(json!(odd), cpython("filterfalse"));
    let powers: Vec<u32> = starmap([(2u32, 5u32), (3, 2), (10, 3)], u32::pow).collect();
    assert_eq!(json!(powers), cpython("starmap"));
    let rows: Vec<[char; 2]> = zip_longest_array(["AB".chars(), "xyz".chars()], '-').collect();
    assert_eq!(json!(rows), cpython("zip_longest_fill"));
    let pairs: Vec<_> = zip_longest_pair([1, 2], "a".chars()).collect();
    assert_eq!(json!(pairs), cpython("zip_longest_pair"));
    assert_eq!(
        json!(repeat_n("ab", 3).collect::<Vec<_>>()),
        cpython("repeat")
    );
    let words: Vec<&str> = WordSplitter::new("Do today").collect();
    assert_eq!(json!(words), cpython("word_split"));
}
