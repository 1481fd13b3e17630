//! `Gen::fold`: internal iteration, where each yield hands its value straight to the consumer
//! and the body's loop runs inside one poll. Everything `next` does, `fold` must do too: the
//! same items, the same cleanup, waits on real futures, delegation; and what only a consumer
//! called from inside the body can do (panic, have its panic caught by the body) must leave the
//! generator closed with its cleanup run once. Miri runs this file (`scripts/miri.sh`).

// `fold` is what is tested, so it is called by name where `sum` would do.
#![allow(clippy::unnecessary_fold)]

use std::cell::Cell;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use cogen::{Co, Frame, Gen, GenState};
use futures_lite::FutureExt;

/// Pending once (waking itself), then ready: the smallest await that is not a yield.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            return Poll::Ready(());
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn squares(n: u64) -> Gen<u64, (), impl Future<Output = &'static str>> {
    Gen::new(move |co: Co<u64>| async move {
        for i in 1..=n {
            co.yield_(i * i).await;
        }
        "done"
    })
}

/// Counts the drops of its guard: a body's cleanup.
#[derive(Clone, Default)]
struct Drops(Rc<Cell<u32>>);

impl Drops {
    fn guard(&self) -> DropGuard {
        DropGuard(self.clone())
    }
    fn count(&self) -> u32 {
        self.0.get()
    }
}

struct DropGuard(Drops);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.0.set(self.0.0.get() + 1);
    }
}

#[test]
fn the_adapters_built_on_fold_give_what_next_gives() {
    let by_next: Vec<u64> = squares(6).by_ref().collect();
    assert_eq!(by_next, [1, 4, 9, 16, 25, 36]);
    assert_eq!(squares(6).fold(0, |total, x| total + x), 91);
    assert_eq!(squares(6).sum::<u64>(), 91);
    assert_eq!(squares(6).count(), 6);
    assert_eq!(squares(6).last(), Some(36));
    assert_eq!(squares(6).max(), Some(36));
    assert_eq!(squares(6).min(), Some(1));
    let mut seen = Vec::new();
    squares(3).for_each(|x| seen.push(x));
    assert_eq!(seen, [1, 4, 9]);
    assert_eq!(squares(0).fold(7, |total, x| total + x), 7);
}

#[test]
fn fold_goes_on_from_wherever_the_generator_is() {
    // Suspended: the pending yield evaluates to `()`, the later ones go to the consumer.
    let mut g = squares(5);
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.next(), Some(4));
    assert_eq!(
        g.fold(Vec::new(), |mut v, x| {
            v.push(x);
            v
        }),
        [9, 16, 25]
    );
    // Closed: nothing runs.
    let mut g = squares(1);
    assert_eq!(g.by_ref().count(), 1);
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.fold(5, |total, x| total + x), 5);
    // A pinned frame, no allocation.
    let frame = pin!(Frame::new(|co: Co<u32>| async move {
        for i in 0..4 {
            co.yield_(i).await;
        }
    }));
    assert_eq!(Gen::pinned(frame).fold(0, |total, x| total * 10 + x), 123);
}

#[test]
fn a_body_that_awaits_other_futures_is_waited_for() {
    let g = Gen::new(|co: Co<u32>| async move {
        for i in 0..5 {
            YieldOnce(false).await;
            co.yield_(i).await;
        }
    });
    assert_eq!(g.fold(0, |total, x| total + x), 10);

    // A value another thread hands over, with a real wake-up.
    let slot: Arc<Mutex<(Option<u32>, Option<Waker>)>> = Arc::default();
    let feeder = {
        let slot = Arc::clone(&slot);
        std::thread::spawn(move || {
            for value in [3, 4] {
                let waker = loop {
                    let mut s = slot.lock().unwrap();
                    if s.0.is_none() {
                        s.0 = Some(value);
                        break s.1.take();
                    }
                    drop(s);
                    std::thread::yield_now();
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
        })
    };
    let received = std::future::poll_fn({
        let slot = Arc::clone(&slot);
        move |cx| {
            let mut s = slot.lock().unwrap();
            match s.0.take() {
                Some(v) => Poll::Ready(v),
                None => {
                    s.1 = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }
    });
    let mut received = Box::pin(received);
    let g = Gen::new(move |co: Co<u32>| async move {
        for _ in 0..2 {
            let v = std::future::poll_fn(|cx| received.as_mut().poll(cx)).await;
            co.yield_(v).await;
        }
    });
    assert_eq!(
        g.fold(Vec::new(), |mut v, x| {
            v.push(x);
            v
        }),
        [3, 4]
    );
    feeder.join().unwrap();
}

#[test]
fn a_panicking_consumer_closes_the_generator_and_its_cleanup_runs_once() {
    let drops = Drops::default();
    let seen = Cell::new(0);
    let g = {
        let drops = drops.clone();
        Gen::new(move |co: Co<u32>| async move {
            let _guard = drops.guard();
            for i in 0.. {
                co.yield_(i).await;
            }
        })
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        g.fold(0, |total, x| {
            seen.set(seen.get() + 1);
            assert!(x != 3, "the consumer panics at 3");
            total + x
        })
    }));
    let message = *outcome.unwrap_err().downcast::<&str>().unwrap();
    assert_eq!(message, "the consumer panics at 3");
    assert_eq!(seen.get(), 4);
    assert_eq!(drops.count(), 1, "the body's cleanup ran once");
}

#[test]
fn a_panicking_consumer_of_a_borrowed_generator_leaves_it_usable() {
    // `by_ref()` folds through `next` (std's `&mut I` does not forward `fold`), so this is the
    // plain path: the generator is still usable afterwards, and simply suspended.
    let mut g = squares(5);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        g.by_ref().for_each(|x| assert!(x < 9, "too big"));
    }));
    assert!(outcome.is_err());
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(g.next(), Some(16));
}

#[test]
fn a_body_that_catches_the_consumers_panic_ends_the_fold_with_a_panic() {
    // The body runs its yields under `catch_unwind`: the consumer's panic unwinds into the body,
    // which catches it and yields again. The accumulator went with the panic, so the fold cannot
    // go on: it panics, and the generator's cleanup runs once (no hang, even though the body
    // would go on forever).
    let drops = Drops::default();
    let g = {
        let drops = drops.clone();
        Gen::new(move |co: Co<u32>| async move {
            let _guard = drops.guard();
            loop {
                let caught = AssertUnwindSafe(async {
                    for i in 0..3 {
                        co.yield_(i).await;
                    }
                })
                .catch_unwind()
                .await;
                if caught.is_err() {
                    co.yield_(99).await;
                }
            }
        })
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        g.fold(0, |total, x| {
            assert!(x != 1, "the consumer panics at 1");
            total + x
        })
    }));
    let payload = outcome.unwrap_err();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .map(String::from)
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap();
    assert!(message.contains("caught the panic"), "{message}");
    assert_eq!(drops.count(), 1);
}

#[test]
fn nested_folds_keep_their_consumers_apart() {
    // The consumer of the outer fold folds other generators; the folded body drives a generator
    // of its own with `next`. Each yield reaches its own generator's consumer or driver.
    let outer = Gen::new(|co: Co<u64>| async move {
        // A `for` loop: `next`, not `fold`.
        for x in squares(3) {
            co.yield_(x).await;
        }
        co.yield_(100).await;
    });
    let total = outer.fold(0, |total, x| total + x + squares(2).fold(0, |t, y| t + y));
    // (1 + 4 + 9 + 100) plus 5 for each of the 4 items.
    assert_eq!(total, 114 + 4 * 5);
}

#[test]
fn delegation_and_state_under_fold() {
    let g = Gen::new(|co: Co<String>| async move {
        let inside = co.state().await;
        let returned = co
            .yield_from(Gen::new(|sub: Co<String>| async move {
                sub.yield_("a".into()).await;
                sub.yield_("b".into()).await;
                7
            }))
            .await;
        co.yield_(format!("{inside}:{returned}")).await;
    });
    assert_eq!(g.fold(String::new(), |s, x| s + &x), "abGEN_RUNNING:7");
}

#[test]
fn yields_joined_with_zip_deliver_both_under_fold() {
    // Under `fold` each yield completes at once, so yields joined in the body deliver their
    // values in the order they are polled. Driven by `next`, two yields pending at once are a
    // misuse that panics (tests/generator.rs).
    let make = || {
        Gen::new(|co: Co<u32>| async move {
            futures_lite::future::zip(co.yield_(1), co.yield_(2)).await;
            co.yield_(3).await;
        })
    };
    assert_eq!(
        make().fold(Vec::new(), |mut v, x| {
            v.push(x);
            v
        }),
        [1, 2, 3]
    );
    let mut stepped = make();
    assert!(catch_unwind(AssertUnwindSafe(|| stepped.next())).is_err());
}

#[test]
fn a_yield_of_the_enclosing_generator_inside_a_folded_body_panics_instead_of_reaching_its_sink() {
    // The outer body folds an inner generator whose body awaits the outer yielder: that yield
    // finds the inner frame's airlock and sink lent to it, not its own, and must panic (the
    // sink is typed for the inner generator) rather than hand them its value.
    let mut outer = Gen::new(|co: Co<u64>| async move {
        let co = &co;
        let inner = Gen::new(move |inner_co: Co<u64>| async move {
            inner_co.yield_(1).await;
            co.yield_(2).await;
            inner_co.yield_(3).await;
        });
        let outcome = catch_unwind(AssertUnwindSafe(|| inner.fold(0, |total, x| total + x)));
        let message = match outcome {
            Ok(total) => format!("no panic, total {total}"),
            Err(payload) => payload
                .downcast_ref::<&str>()
                .copied()
                .map(String::from)
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default(),
        };
        assert!(message.contains("yielder"), "{message}");
        co.yield_(10).await;
    });
    assert_eq!(outer.next(), Some(10));
    assert_eq!(outer.next(), None);
}
