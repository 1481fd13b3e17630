//! Bodies that borrow from themselves across suspensions: the code that Rust's aliasing rules
//! make delicate for a generator library. Each test is ordinary safe code; run under Miri
//! (`bash scripts/miri.sh`, Stacked and Tree Borrows) they check that cogen never creates a
//! reference that invalidates a body's own borrows. Natively they check the values.
//!
//! Nothing here waits on a timer or a socket, so Miri runs every test: bodies that await use
//! `YieldOnce` (pending once, waking itself) or a channel fed by another thread.

use std::cell::Cell;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use cogen::{Co, Frame, Gen, GenState, Step};
use futures_lite::future::block_on;

/// A future that is pending once (waking its waker at once), then ready: the smallest "real"
/// await, which a synchronous resume blocks on and an asynchronous one passes up.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn yield_once() -> YieldOnce {
    YieldOnce(false)
}

#[test]
fn a_mutable_borrow_of_a_local_lives_across_a_yield() {
    // The example, with the state read between the steps (that read was the UB).
    let mut g = Gen::new(|co: Co<u32>| async move {
        let mut v = 0u32;
        let r = &mut v;
        *r = 5;
        co.yield_(1).await;
        *r += 1;
        co.yield_(*r).await;
    });
    assert_eq!(g.state(), GenState::Created);
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(format!("{g:?}"), "Gen { state: Suspended, .. }");
    assert_eq!(g.next(), Some(6));
    assert_eq!(g.next(), None);
    assert_eq!(g.state(), GenState::Closed);
}

#[test]
fn a_borrow_first_written_after_the_yield() {
    let mut g = Gen::new(|co: Co<u32>| async move {
        let mut v = [0u32; 4];
        let r = &mut v;
        co.yield_(0).await;
        // The first use of `r` comes after the suspension.
        r[2] = 7;
        co.yield_(r.iter().sum()).await;
        let shared = &v;
        co.yield_(shared[2]).await;
        shared.len() as u32
    });
    assert_eq!(g.resume(), Step::Yielded(0));
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(g.resume(), Step::Yielded(7));
    assert_eq!(g.resume(), Step::Yielded(7));
    assert_eq!(g.resume(), Step::Returned(4));
}

#[test]
fn a_borrow_across_a_plain_pending_future() {
    let mut g = Gen::new(|co: Co<u64>| async move {
        let mut total = 0u64;
        let r = &mut total;
        for n in 1..=3 {
            // Pending without yielding: the synchronous resume blocks, then polls again.
            yield_once().await;
            *r += n;
            co.yield_(*r).await;
        }
    });
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [1, 3, 6]);
    assert_eq!(g.state(), GenState::Closed);

    // The same body driven asynchronously: the pending future reaches the executor.
    let stream = Gen::new(|co: Co<u64>| async move {
        let mut total = 0u64;
        let r = &mut total;
        for n in 1..=3 {
            yield_once().await;
            *r += n;
            co.yield_(*r).await;
        }
    });
    assert_eq!(
        block_on(futures_lite::StreamExt::collect::<Vec<_>>(
            stream.into_stream()
        )),
        [1, 3, 6]
    );
}

#[test]
fn borrowed_iterators_across_yields() {
    let g = Gen::new(|co: Co<String>| async move {
        let text = String::from("Do today what you could do tomorrow");
        let numbers = [10, 20, 30];
        let mut numbers_iter = numbers.iter();
        for word in text.split(' ') {
            let n = numbers_iter.next().copied().unwrap_or(0);
            co.yield_(format!("{word}:{n}")).await;
        }
        for (i, c) in text.char_indices().rev() {
            if c == ' ' {
                co.yield_(text[i + 1..].to_string()).await;
                break;
            }
        }
    });
    assert_eq!(
        g.collect::<Vec<_>>(),
        [
            "Do:10",
            "today:20",
            "what:30",
            "you:0",
            "could:0",
            "do:0",
            "tomorrow:0",
            "tomorrow"
        ]
    );
}

#[test]
fn send_throw_and_close_with_live_self_borrows() {
    let dropped = Cell::new(0);
    let dropped = &dropped;
    struct CountDrop<'a>(&'a Cell<i32>, i32);
    impl Drop for CountDrop<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + self.1);
        }
    }
    let make = || {
        Gen::new(move |co: Co<i32, i32>| async move {
            let mut history = Vec::new();
            let log = &mut history;
            let guard = CountDrop(dropped, 1);
            let guard_ref = &guard;
            loop {
                match co.yield_catching::<&'static str>(log.len() as i32).await {
                    Ok(sent) => log.push(sent + guard_ref.1),
                    Err(reason) => log.push(-(reason.len() as i32)),
                }
                if log.len() == 4 {
                    return log.iter().sum::<i32>();
                }
            }
        })
    };
    let mut g = make();
    assert_eq!(g.start(), Step::Yielded(0));
    assert_eq!(g.send(10), Ok(Step::Yielded(1)));
    assert_eq!(g.throw("abc"), Ok(Step::Yielded(2)));
    assert_eq!(g.send(20), Ok(Step::Yielded(3)));
    assert_eq!(g.send(30), Ok(Step::Returned(11 - 3 + 21 + 31)));
    assert_eq!(dropped.get(), 1);

    let mut closed = make();
    assert_eq!(closed.start(), Step::Yielded(0));
    assert_eq!(closed.send(5), Ok(Step::Yielded(1)));
    closed.close();
    assert_eq!(closed.state(), GenState::Closed);
    assert_eq!(dropped.get(), 2);

    let mut thrown = make();
    assert_eq!(thrown.start(), Step::Yielded(0));
    assert_eq!(thrown.throw(1.5f64), Err(1.5));
    assert_eq!(dropped.get(), 3);
}

#[test]
fn a_pinned_frame_with_self_borrows() {
    let frame = pin!(Frame::new(|co: Co<usize>| async move {
        let words = ["pinned", "on", "the", "stack"];
        let mut lengths = words.iter().map(|w| w.len());
        let longest = &mut 0;
        for length in lengths.by_ref() {
            *longest = (*longest).max(length);
            co.yield_(length).await;
            yield_once().await;
        }
        *longest
    }));
    let mut g = Gen::pinned(frame);
    assert_eq!(g.state(), GenState::Created);
    assert_eq!(g.by_ref().collect::<Vec<_>>(), [6, 2, 3, 5]);
    assert_eq!(g.take_return_value(), Some(6));
}

#[test]
fn nested_generators_driven_asynchronously() {
    // Both levels borrow from themselves across yields and pending futures; the outer one
    // delegates to the inner one and is driven as a Stream, with asend and athrow.
    let inner = Gen::new(|co: Co<i32, i32>| async move {
        let mut acc = vec![0];
        let last = &mut acc;
        loop {
            yield_once().await;
            let sent = co.yield_(*last.last().unwrap_or(&0)).await;
            if sent < 0 {
                return last.len();
            }
            last.push(sent * 2);
        }
    });
    let mut outer = Gen::new(|co: Co<i32, i32>| async move {
        let mut seen = 0usize;
        let seen_ref = &mut seen;
        let from_inner = co.yield_from(inner).await;
        *seen_ref += from_inner;
        yield_once().await;
        let caught = co.yield_catching::<String>(*seen_ref as i32).await;
        match caught {
            Ok(_) => -1,
            Err(message) => message.len() as i32 + *seen_ref as i32,
        }
    });
    block_on(async {
        assert_eq!(outer.astart().await, Step::Yielded(0));
        assert_eq!(outer.state(), GenState::Suspended);
        assert_eq!(outer.asend(3).await, Ok(Step::Yielded(6)));
        assert_eq!(outer.asend(4).await, Ok(Step::Yielded(8)));
        // The inner generator returns its length (3): the outer one yields it.
        assert_eq!(outer.asend(-1).await, Ok(Step::Yielded(3)));
        assert_eq!(
            outer.athrow("four".to_string()).await,
            Ok(Step::Returned(4 + 3))
        );
    });
    assert_eq!(outer.state(), GenState::Closed);

    // A stream of streams: each item of the outer generator is a whole inner generator's sum.
    let outer = Gen::new(|co: Co<u32>| async move {
        for size in 1..=3u32 {
            let inner = Gen::new(move |co: Co<u32>| async move {
                let values: Vec<u32> = (1..=size).collect();
                for v in &values {
                    yield_once().await;
                    co.yield_(*v).await;
                }
            });
            let mut sum = 0;
            let mut inner = inner.into_stream();
            while let Some(v) = futures_lite::StreamExt::next(&mut inner).await {
                sum += v;
            }
            co.yield_(sum).await;
        }
    });
    assert_eq!(
        block_on(futures_lite::StreamExt::collect::<Vec<_>>(
            outer.into_stream()
        )),
        [1, 3, 6]
    );
}

/// A one-value mailbox filled by another thread, and the waker of whoever waits on it.
#[derive(Default)]
struct Mailbox(Mutex<(Option<u32>, Option<Waker>)>);

/// Awaits the next value put in a `Mailbox`.
struct Receive<'a>(&'a Mailbox);

impl Future for Receive<'_> {
    type Output = u32;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        let mut slot = self.0.0.lock().unwrap();
        match slot.0.take() {
            Some(value) => Poll::Ready(value),
            None => {
                slot.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

#[test]
fn a_body_awaiting_another_thread_keeps_its_borrows() {
    let mailbox = Arc::new(Mailbox::default());
    let feeder = {
        let mailbox = Arc::clone(&mailbox);
        std::thread::spawn(move || {
            for value in [4, 5] {
                // Each value once the last one was taken; then wake the latest waiter.
                let waker = loop {
                    let mut slot = mailbox.0.lock().unwrap();
                    if slot.0.is_none() {
                        slot.0 = Some(value);
                        break slot.1.take();
                    }
                    drop(slot);
                    std::thread::yield_now();
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
        })
    };
    let mut g = Gen::new(|co: Co<u32>| async move {
        let mut sum = 0;
        let r = &mut sum;
        let mailbox = &*mailbox;
        for _ in 0..2 {
            *r += Receive(mailbox).await;
            co.yield_(*r).await;
        }
    });
    assert_eq!(g.next(), Some(4));
    assert_eq!(g.next(), Some(9));
    assert_eq!(g.next(), None);
    feeder.join().unwrap();
}

// Without std a generator is not `Send` (its yielder stays on one thread).
#[cfg(feature = "std")]
#[test]
fn a_generator_moved_between_resumes_keeps_its_borrows() {
    let mut g = Gen::new(|co: Co<String>| async move {
        let mut line = String::from("moved");
        let r = &mut line;
        co.yield_(r.clone()).await;
        r.push_str(" twice");
        co.yield_(r.clone()).await;
        r.push_str(" and sent");
        co.yield_(r.clone()).await;
    });
    assert_eq!(g.next().as_deref(), Some("moved"));
    let mut boxed = Box::new(g);
    assert_eq!(boxed.next().as_deref(), Some("moved twice"));
    let rest = std::thread::spawn(move || boxed.collect::<Vec<_>>())
        .join()
        .unwrap();
    assert_eq!(rest, ["moved twice and sent"]);
}
