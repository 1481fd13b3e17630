//! The generator semantics of the issue, point by point, each against what CPython does.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::rc::Rc;
use std::time::Duration;

use cogen::{Co, Frame, Gen, GenState, SendError, Step};
use futures_lite::future::block_on;

/// Records what a body did, in order, like the seed's `print` calls.
#[derive(Clone, Default)]
struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    fn push(&self, line: impl Into<String>) {
        self.0.borrow_mut().push(line.into());
    }
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

/// Pushes "dropped <name>" when dropped: Python's `finally`.
struct Guard(Log, &'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.push(format!("dropped {}", self.1));
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast::<&str>()
            .map(|message| message.to_string())
            .unwrap_or_default(),
    }
}

// 1. A closure over a yielder returning an async block; `yield` gives a value out and evaluates
//    to the value sent in.
#[test]
fn yield_gives_out_and_evaluates_to_the_sent_value() {
    let log = Log::default();
    let body_log = log.clone();
    let mut g = Gen::new(|co: Co<i32, i32>| async move {
        let a = co.yield_(1).await;
        body_log.push(format!("a = {a}"));
        let b = co.yield_(a * 10).await;
        body_log.push(format!("b = {b}"));
    });
    assert_eq!(g.start(), Step::Yielded(1));
    assert_eq!(g.send(7), Ok(Step::Yielded(70)));
    assert_eq!(g.send(8), Ok(Step::Returned(())));
    assert_eq!(log.take(), ["a = 7", "b = 8"]);
}

// 2. Created before the first resume, Suspended at a yield, Running inside, Closed after.
#[test]
fn states_follow_inspect_getgeneratorstate() {
    let mut g = Gen::new(|co| async move {
        let inside = co.state().await;
        co.yield_(inside).await;
    });
    assert_eq!(g.state(), GenState::Created);
    assert_eq!(g.resume(), Step::Yielded(GenState::Running));
    assert_eq!(g.state(), GenState::Suspended);
    assert_eq!(g.resume(), Step::Returned(()));
    assert_eq!(g.state(), GenState::Closed);
    let names: Vec<String> = [
        GenState::Created,
        GenState::Running,
        GenState::Suspended,
        GenState::Closed,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        names,
        ["GEN_CREATED", "GEN_RUNNING", "GEN_SUSPENDED", "GEN_CLOSED"]
    );
}

// 3. The first resume carries no value; sending into a Created generator is an error that
//    leaves it Created and gives the value back.
#[test]
fn sending_into_a_created_generator_is_an_error_and_changes_nothing() {
    let log = Log::default();
    let body_log = log.clone();
    let mut g = Gen::new(|co: Co<i32, String>| async move {
        body_log.push("started");
        let received = co.yield_(100).await;
        body_log.push(format!("received {received}"));
    });
    let error = g.send("too early".to_string()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "can't send non-None value to a just-started generator"
    );
    assert!(matches!(&error, SendError::NotStarted(value) if value == "too early"));
    assert_eq!(error.into_inner(), "too early");
    assert_eq!(g.state(), GenState::Created);
    assert!(log.take().is_empty(), "the body must not have run");

    assert_eq!(g.start(), Step::Yielded(100));
    assert_eq!(g.send("hello".to_string()), Ok(Step::Returned(())));
    assert_eq!(log.take(), ["started", "received hello"]);
    // Sent into a closed generator: the value comes back too.
    assert_eq!(
        g.send("late".to_string()),
        Err(SendError::Closed("late".to_string()))
    );
}

#[test]
#[should_panic(expected = "start() on a Suspended generator")]
fn start_on_a_suspended_generator_is_a_documented_panic() {
    let mut g = Gen::new(|co: Co<i32, i32>| async move {
        co.yield_(1).await;
    });
    let _ = g.start();
    let _ = g.start();
}

// 4. The return value comes out exactly once, and stays reachable after iteration.
#[test]
fn return_value_comes_out_exactly_once() {
    let mut g = Gen::new(|co| async move {
        co.yield_(1).await;
        String::from("value")
    });
    assert_eq!(g.resume(), Step::Yielded(1));
    assert_eq!(g.resume(), Step::Returned("value".to_string()));
    assert_eq!(g.resume(), Step::Closed);
    assert_eq!(g.take_return_value(), None, "already given out by resume");

    let mut iterated = Gen::new(|co| async move {
        co.yield_(1).await;
        co.yield_(2).await;
        99
    });
    assert_eq!(iterated.by_ref().collect::<Vec<_>>(), [1, 2]);
    assert_eq!(iterated.take_return_value(), Some(99));
    assert_eq!(iterated.take_return_value(), None);
    assert_eq!(iterated.resume(), Step::Closed);
}

// 5. throw: caught at the yield, the body goes on; otherwise it closes and the error comes back.
#[test]
fn throw_caught_at_the_yield_continues() {
    #[derive(Debug, PartialEq)]
    struct ValueError(&'static str);

    let log = Log::default();
    let body_log = log.clone();
    let mut g = Gen::new(|co: Co<&str, ()>| async move {
        loop {
            match co.yield_catching::<ValueError>("waiting").await {
                Ok(()) => body_log.push("resumed"),
                Err(ValueError(message)) => {
                    body_log.push(format!("caught {message}"));
                    co.yield_("handled").await;
                }
            }
        }
    });
    assert_eq!(g.resume(), Step::Yielded("waiting"));
    assert_eq!(g.throw(ValueError("bad")), Ok(Step::Yielded("handled")));
    assert_eq!(g.resume(), Step::Yielded("waiting"));
    assert_eq!(g.resume(), Step::Yielded("waiting"));
    assert_eq!(log.take(), ["caught bad", "resumed"]);
    assert_eq!(g.state(), GenState::Suspended);
}

#[test]
fn throw_caught_then_returning_gives_the_return_value() {
    let mut g = Gen::new(|co| async move {
        match co.yield_catching::<u32>(1).await {
            Ok(()) => 0,
            Err(code) => code + 1,
        }
    });
    assert_eq!(g.resume(), Step::Yielded(1));
    assert_eq!(g.throw(41u32), Ok(Step::Returned(42)));
    assert_eq!(g.state(), GenState::Closed);
}

#[test]
fn uncaught_throw_closes_runs_cleanup_and_returns_the_error() {
    let log = Log::default();
    let body_log = log.clone();
    let mut g = Gen::new(|co| async move {
        let _guard = Guard(body_log.clone(), "body");
        // Catches only `u8`: a `String` goes through.
        let _ = co.yield_catching::<u8>(1).await;
        body_log.push("never here");
    });
    assert_eq!(g.resume(), Step::Yielded(1));
    assert_eq!(g.throw("boom".to_string()), Err("boom".to_string()));
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(log.take(), ["dropped body"]);
    assert_eq!(g.resume(), Step::Closed);
    // Throwing into a closed generator gives the error straight back.
    assert_eq!(g.throw(5), Err(5));
}

#[test]
fn throw_into_a_created_generator_closes_it_without_running() {
    let log = Log::default();
    let body_log = log.clone();
    let mut g = Gen::new(|co| async move {
        body_log.push("ran");
        co.yield_(1).await;
    });
    assert_eq!(g.throw('x'), Err('x'));
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.next(), None);
    assert!(log.take().is_empty());
}

// 6. close
#[test]
fn close_created_does_not_run_the_body() {
    let log = Log::default();
    let body_log = log.clone();
    let captured = Guard(log.clone(), "captured");
    let mut g = Gen::new(move |co| async move {
        let _captured = captured;
        body_log.push("ran");
        co.yield_(1).await;
    });
    g.close();
    assert_eq!(g.state(), GenState::Closed);
    // The body never ran; what it captured was dropped.
    assert_eq!(log.take(), ["dropped captured"]);
    assert_eq!(g.resume(), Step::Closed);
}

#[test]
fn close_suspended_runs_cleanup_once() {
    let log = Log::default();
    let body_log = log.clone();
    let mut g = Gen::new(|co| async move {
        let _outer = Guard(body_log.clone(), "outer");
        co.yield_(1).await;
        let _inner = Guard(body_log.clone(), "inner");
        co.yield_(2).await;
        body_log.push("never here");
    });
    assert_eq!(g.resume(), Step::Yielded(1));
    assert_eq!(g.resume(), Step::Yielded(2));
    g.close();
    assert_eq!(log.take(), ["dropped inner", "dropped outer"]);
    assert_eq!(g.state(), GenState::Closed);
    g.close();
    assert!(log.take().is_empty(), "a second close does nothing");
}

#[test]
fn dropping_a_suspended_generator_closes_it() {
    let log = Log::default();
    let body_log = log.clone();
    let mut g = Gen::new(|co| async move {
        let _guard = Guard(body_log, "body");
        co.yield_(1).await;
    });
    assert_eq!(g.resume(), Step::Yielded(1));
    drop(g);
    assert_eq!(log.take(), ["dropped body"]);
}

// 7. yield from
#[test]
fn yield_from_forwards_send_and_evaluates_to_the_return_value() {
    let log = Log::default();
    let inner_log = log.clone();
    let inner = Gen::new(|co: Co<String, i32>| async move {
        let a = co.yield_("inner 1".to_string()).await;
        inner_log.push(format!("inner got {a}"));
        let b = co.yield_("inner 2".to_string()).await;
        inner_log.push(format!("inner got {b}"));
        a + b
    });
    let outer_log = log.clone();
    let mut outer = Gen::new(|co: Co<String, i32>| async move {
        co.yield_("outer first".to_string()).await;
        let total = co.yield_from(inner).await;
        outer_log.push(format!("yield from = {total}"));
        co.yield_(format!("total {total}")).await
    });
    assert_eq!(outer.start(), Step::Yielded("outer first".to_string()));
    assert_eq!(outer.send(0), Ok(Step::Yielded("inner 1".to_string())));
    assert_eq!(outer.send(3), Ok(Step::Yielded("inner 2".to_string())));
    assert_eq!(outer.send(4), Ok(Step::Yielded("total 7".to_string())));
    assert_eq!(outer.send(5), Ok(Step::Returned(5)));
    assert_eq!(log.take(), ["inner got 3", "inner got 4", "yield from = 7"]);
}

#[test]
fn yield_from_forwards_throw_to_the_sub_generator() {
    let inner = Gen::new(|co: Co<i32>| async move {
        let mut n = 0;
        loop {
            if co.yield_catching::<&str>(n).await.is_err() {
                n = -100;
            } else {
                n += 1;
            }
        }
    });
    let mut outer = Gen::new(|co| async move {
        co.yield_from(inner).await;
    });
    assert_eq!(outer.resume(), Step::Yielded(0));
    assert_eq!(outer.resume(), Step::Yielded(1));
    assert_eq!(outer.throw("reset"), Ok(Step::Yielded(-100)));
    assert_eq!(outer.resume(), Step::Yielded(-99));
    // Not caught by the sub-generator: both close, the error comes back.
    assert_eq!(outer.throw(1.5), Err(1.5));
    assert_eq!(outer.state(), GenState::Closed);
}

#[test]
fn an_uncaught_throw_closes_the_sub_generator_and_its_delegator() {
    let log = Log::default();
    let inner_log = log.clone();
    let inner = Gen::new(|co| async move {
        let _guard = Guard(inner_log, "inner");
        co.yield_(1).await;
    });
    let outer_log = log.clone();
    let mut outer = Gen::new(|co| async move {
        let _guard = Guard(outer_log.clone(), "outer");
        co.yield_from(inner).await;
        outer_log.push("never here");
    });
    assert_eq!(outer.resume(), Step::Yielded(1));
    assert_eq!(outer.throw("stop"), Err("stop"));
    assert_eq!(log.take(), ["dropped inner", "dropped outer"]);
}

#[test]
fn closing_the_delegator_closes_the_sub_generator() {
    let log = Log::default();
    let inner_log = log.clone();
    let inner = Gen::new(|co| async move {
        let _guard = Guard(inner_log, "inner");
        co.yield_(1).await;
        co.yield_(2).await;
    });
    let mut outer = Gen::new(|co| async move { co.yield_from(inner).await });
    assert_eq!(outer.resume(), Step::Yielded(1));
    outer.close();
    assert_eq!(log.take(), ["dropped inner"]);
}

#[test]
fn yield_from_an_iterable_yields_its_items() {
    // Python: def generator2(): yield from 'AB'; yield from range(1, 4)
    let generator2 = Gen::new(|co| async move {
        co.yield_from_iter("AB".chars().map(String::from)).await;
        co.yield_from_iter((1..4).map(|n: i32| n.to_string())).await;
    });
    assert_eq!(generator2.collect::<Vec<_>>(), ["A", "B", "1", "2", "3"]);
}

#[test]
fn yield_from_a_started_generator_resumes_it_where_it_paused() {
    let mut inner = Gen::new(|co| async move {
        co.yield_(1).await;
        co.yield_(2).await;
        co.yield_(3).await;
    });
    assert_eq!(inner.resume(), Step::Yielded(1));
    let outer = Gen::new(|co| async move { co.yield_from(inner).await });
    assert_eq!(outer.collect::<Vec<_>>(), [2, 3]);
}

#[test]
#[should_panic(expected = "yield_from a generator that has already been advanced")]
fn yield_from_an_advanced_coroutine_is_a_documented_panic() {
    // Python would send it None; an `i32` has no None.
    let mut inner = Gen::new(|co: cogen::Co<i32, i32>| async move {
        let x = co.yield_(1).await;
        co.yield_(x).await;
    });
    assert_eq!(inner.start(), Step::Yielded(1));
    let mut outer = Gen::new(|co: cogen::Co<i32, i32>| async move { co.yield_from(inner).await });
    let _ = outer.start();
}

#[test]
#[should_panic(expected = "yield_from a generator that has already returned")]
fn yield_from_a_generator_that_returned_a_value_is_a_documented_panic() {
    let mut inner = Gen::new(|_co: cogen::Co<i32>| async move { 5 });
    assert_eq!(inner.resume(), Step::Returned(5));
    let mut outer = Gen::new(|co| async move { co.yield_from(inner).await });
    let _ = outer.resume();
}

#[test]
fn a_misused_start_panics_at_the_callers_line() {
    record_panic_locations();
    let mut g = Gen::new(|co: cogen::Co<i32, i32>| async move {
        co.yield_(1).await;
    });
    g.start();
    let line = line!() + 1;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| g.start()));
    assert!(result.is_err());
    let location = LAST_PANIC_LOCATION.with(|cell| cell.take());
    assert_eq!(location, Some((file!().to_string(), line)));
}

thread_local! {
    /// Where the last panic on this thread happened, as the panic hook saw it.
    static LAST_PANIC_LOCATION: std::cell::Cell<Option<(String, u32)>> =
        const { std::cell::Cell::new(None) };
}

/// Installs (once) a panic hook that records each panic's location for its thread, then hands
/// the panic to the hook that was there before.
fn record_panic_locations() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(location) = info.location() {
                let here = (location.file().to_string(), location.line());
                LAST_PANIC_LOCATION.with(|cell| cell.set(Some(here)));
            }
            previous(info);
        }));
    });
}

#[test]
fn dropping_the_handle_of_a_pinned_frame_closes_the_frame() {
    use std::cell::Cell;

    struct Cleanup<'a>(&'a Cell<u32>);
    impl Drop for Cleanup<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let cleanups = Cell::new(0);
    let counter = &cleanups;
    let mut frame = pin!(Frame::new(|co| async move {
        let _guard = Cleanup(counter);
        co.yield_(1).await;
        co.yield_(2).await;
    }));
    {
        let mut g = Gen::pinned(frame.as_mut());
        assert_eq!(g.next(), Some(1));
    }
    // Closed when its handle went, not when the frame goes out of scope; once.
    assert_eq!(frame.state(), GenState::Closed);
    assert_eq!(cleanups.get(), 1);
    let mut again = Gen::pinned(frame.as_mut());
    assert_eq!(again.next(), None);
    drop(again);
    assert_eq!(cleanups.get(), 1);
}

/// Python's `next(g)` for its effect alone: `g.resume();` compiles without a warning (this
/// function denies the lint it would raise, so a `#[must_use]` on `Step` would fail the build).
#[deny(unused_must_use)]
#[test]
fn stepping_for_the_effect_alone_is_not_a_warning() {
    let log = RefCell::new(Vec::new());
    let log_ref = &log;
    let mut g = Gen::new(|co| async move {
        log_ref.borrow_mut().push("one");
        co.yield_(()).await;
        log_ref.borrow_mut().push("two");
    });
    g.resume();
    g.resume();
    let mut coroutine = Gen::new(|co: Co<(), i32>| async move {
        co.yield_(()).await;
    });
    coroutine.start();
    assert_eq!(*log.borrow(), ["one", "two"]);
}

#[test]
fn closing_a_delegation_whose_sub_generator_ignores_generator_exit_panics_as_python_raises() {
    use std::cell::Cell;

    struct Cleanup<'a>(&'a Cell<u32>);
    impl Drop for Cleanup<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let cleanups = Cell::new(0);
    let counter = &cleanups;
    let inner = Gen::new(move |co| async move {
        let _guard = Cleanup(counter);
        loop {
            // Python: except GeneratorExit: pass (and yield again)
            let _ = co.yield_catching::<cogen::GeneratorExit>(1).await;
        }
    });
    let mut outer = Gen::new(move |co| async move {
        let _guard = Cleanup(counter);
        co.yield_from(inner).await
    });
    assert_eq!(outer.next(), Some(1));
    let payload = catch_unwind(AssertUnwindSafe(|| outer.close())).unwrap_err();
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"generator ignored GeneratorExit")
    );
    // The panic went through the outer body: it is closed; dropping it drops both bodies.
    assert_eq!(outer.state(), GenState::Closed);
    drop(outer);
    assert_eq!(cleanups.get(), 2);
}

#[test]
fn close_of_a_pinned_frame_gives_what_the_body_returns_on_generator_exit() {
    let mut frame = pin!(Frame::new(|co| async move {
        let mut seen = 0;
        while co
            .yield_catching::<cogen::GeneratorExit>(seen)
            .await
            .is_ok()
        {
            seen += 1;
        }
        seen * 10
    }));
    let mut g = Gen::pinned(frame.as_mut());
    assert_eq!(g.next(), Some(0));
    assert_eq!(g.next(), Some(1));
    assert_eq!(g.close(), Some(10));
    assert_eq!(g.close(), None);
    drop(g);
    assert_eq!(frame.state(), GenState::Closed);
}

// 8. Resuming a closed generator is defined; the Iterator is fused.
#[test]
fn a_closed_generator_stays_closed_and_the_iterator_is_fused() {
    let mut g = Gen::new(|co| async move {
        co.yield_('a').await;
    });
    assert_eq!(g.next(), Some('a'));
    assert_eq!(g.next(), None);
    for _ in 0..3 {
        assert_eq!(g.next(), None);
        assert_eq!(g.resume(), Step::Closed);
        assert_eq!(g.start(), Step::Closed);
    }
    assert_eq!(g.size_hint(), (0, Some(0)));
}

// 9. A panic in the body reaches the caller; the generator is then Closed.
#[test]
fn a_panic_in_the_body_reaches_the_caller_and_closes_the_generator() {
    let mut g = Gen::new(|co| async move {
        co.yield_(1).await;
        panic!("body failed");
    });
    assert_eq!(g.resume(), Step::Yielded(1));
    let payload = catch_unwind(AssertUnwindSafe(|| g.resume())).unwrap_err();
    assert_eq!(panic_message(payload), "body failed");
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.resume(), Step::Closed);
    assert_eq!(g.next(), None);
    // The thread's bookkeeping is intact: another generator runs normally afterwards.
    let mut other = Gen::new(|co| async move { co.yield_("fine").await });
    assert_eq!(other.resume(), Step::Yielded("fine"));
}

#[test]
fn a_panic_in_a_nested_generator_leaves_the_outer_one_usable() {
    let mut outer = Gen::new(|co| async move {
        let mut inner = Gen::new(|co| async move {
            co.yield_(1).await;
            panic!("inner failed");
        });
        assert_eq!(inner.resume(), Step::Yielded(1));
        let payload = catch_unwind(AssertUnwindSafe(|| inner.resume())).unwrap_err();
        co.yield_(panic_message(payload)).await;
        co.yield_(inner.state().to_string()).await;
    });
    assert_eq!(
        outer.by_ref().collect::<Vec<_>>(),
        ["inner failed", "GEN_CLOSED"]
    );
    assert_eq!(outer.state(), GenState::Closed);
}

// 10. Bodies that await ordinary futures: blocking when resumed synchronously, a Stream in async.
#[test]
fn a_body_awaiting_a_timer_blocks_a_synchronous_resume() {
    // Each tick is yielded only after its timer completed: the synchronous resume drove it.
    let mut ticks = Gen::new(|co| async move {
        for tick in 0..3 {
            async_io::Timer::after(Duration::from_millis(20)).await;
            co.yield_(tick).await;
        }
    });
    assert_eq!(ticks.by_ref().collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(ticks.state(), GenState::Closed);
}

#[test]
fn a_body_awaiting_a_channel_fed_by_another_thread() {
    let (sender, receiver) = async_channel::bounded::<u32>(1);
    let feeder = std::thread::spawn(move || {
        for n in 1..=3 {
            std::thread::sleep(Duration::from_millis(5));
            sender.send_blocking(n).unwrap();
        }
    });
    let doubled = Gen::new(|co| async move {
        while let Ok(n) = receiver.recv().await {
            co.yield_(n * 2).await;
        }
        "channel closed"
    });
    let mut doubled = doubled;
    assert_eq!(doubled.by_ref().collect::<Vec<_>>(), [2, 4, 6]);
    assert_eq!(doubled.take_return_value(), Some("channel closed"));
    feeder.join().unwrap();
}

#[test]
fn a_generator_is_a_stream_in_async_code() {
    let stream = Gen::new(|co| async move {
        for n in 0..3 {
            async_io::Timer::after(Duration::from_millis(1)).await;
            co.yield_(n).await;
        }
    });
    use futures_lite::StreamExt;
    let collected: Vec<i32> = block_on(stream.into_stream().collect());
    assert_eq!(collected, [0, 1, 2]);
}

#[test]
fn next_and_collect_are_unambiguous_with_stream_ext_in_scope() {
    // Python keeps generators and async generators apart; so does cogen: a `Gen` is an
    // `Iterator`, and its `Stream` is `into_stream()`, so these calls name one method each.
    use futures_lite::StreamExt;
    let make = || {
        Gen::new(|co| async move {
            for n in 0..3 {
                co.yield_(n).await;
            }
        })
    };
    let mut g = make();
    assert_eq!(g.next(), Some(0));
    assert_eq!(g.collect::<Vec<i32>>(), [1, 2]);
    let mut stream = make().into_stream();
    assert_eq!(block_on(stream.next()), Some(0));
    assert_eq!(block_on(stream.collect::<Vec<i32>>()), [1, 2]);
}

#[test]
fn async_send_and_throw_await_what_the_body_awaits() {
    let mut g = Gen::new(|co: Co<u64, u64>| async move {
        let mut total = 0;
        loop {
            match co.yield_catching::<&str>(total).await {
                Ok(n) => {
                    async_io::Timer::after(Duration::from_millis(1)).await;
                    total += n;
                }
                Err(_) => total = 0,
            }
        }
    });
    block_on(async {
        assert_eq!(g.astart().await, Step::Yielded(0));
        assert_eq!(g.asend(5).await, Ok(Step::Yielded(5)));
        assert_eq!(g.asend(6).await, Ok(Step::Yielded(11)));
        assert_eq!(g.athrow("reset").await, Ok(Step::Yielded(0)));
        assert_eq!(g.athrow(1u8).await, Err(1u8));
    });
    assert_eq!(g.state(), GenState::Closed);
}

/// Polls `inner` on every other poll only: the others return Pending (waking at once), as a
/// combinator that polls its parts in turn does.
struct EveryOtherPoll<F> {
    inner: std::pin::Pin<Box<F>>,
    polls: u32,
}

impl<F: std::future::Future> std::future::Future for EveryOtherPoll<F> {
    type Output = F::Output;
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<F::Output> {
        self.polls += 1;
        if self.polls % 2 == 1 {
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        self.inner.as_mut().poll(cx)
    }
}

#[test]
fn a_sent_value_waits_for_a_yield_first_polled_later_in_the_step() {
    // The yield that the body resumes at is polled only in the step's second poll: the value
    // sent waits for it, with the synchronous and with the asynchronous drivers.
    async fn body(co: Co<u32, String>) -> String {
        let mut words = Vec::new();
        loop {
            let pending = EveryOtherPoll {
                inner: Box::pin(co.yield_(words.len() as u32)),
                polls: 0,
            };
            match pending.await {
                word if word == "end" => return words.join(" "),
                word => words.push(word),
            }
        }
    }
    let mut g = Gen::new(body);
    assert_eq!(g.start(), Step::Yielded(0));
    assert_eq!(g.send("a".to_string()), Ok(Step::Yielded(1)));
    assert_eq!(g.send("b".to_string()), Ok(Step::Yielded(2)));
    assert_eq!(
        g.send("end".to_string()),
        Ok(Step::Returned("a b".to_string()))
    );

    let mut g = Gen::new(body);
    block_on(async {
        assert_eq!(g.astart().await, Step::Yielded(0));
        assert_eq!(g.asend("c".to_string()).await, Ok(Step::Yielded(1)));
        assert_eq!(g.asend("d".to_string()).await, Ok(Step::Yielded(2)));
        assert_eq!(
            g.asend("end".to_string()).await,
            Ok(Step::Returned("c d".to_string()))
        );
    });

    // An asynchronous send dropped after its first poll, before the yield took the value: the
    // generator is left Running, and the next resume finishes the step with that value.
    let mut g = Gen::new(body);
    assert_eq!(g.start(), Step::Yielded(0));
    let first_poll = block_on(futures_lite::future::poll_once(g.asend("e".to_string())));
    assert_eq!(first_poll, None);
    assert_eq!(g.state(), GenState::Running);
    assert_eq!(g.start(), Step::Yielded(1));
    assert_eq!(
        g.send("end".to_string()),
        Ok(Step::Returned("e".to_string()))
    );
}

#[test]
fn a_dropped_async_step_is_finished_by_the_next_resume() {
    let mut g = Gen::new(|co| async move {
        co.yield_(1).await;
        async_io::Timer::after(Duration::from_millis(10)).await;
        co.yield_(2).await;
    });
    assert_eq!(g.resume(), Step::Yielded(1));
    // Poll the async resume once, then drop it while the body waits on its timer.
    block_on(async {
        let step = pin!(g.aresume());
        assert!(futures_lite::future::poll_once(step).await.is_none());
    });
    assert_eq!(g.state(), GenState::Running);
    // Sending would lose track of the step: refused, value back.
    assert_eq!(g.throw("x"), Err("x"));
    assert_eq!(g.resume(), Step::Yielded(2));
}

// 11. Send when the parts are (with std; without it, a yielder stays on its thread).
#[cfg(feature = "std")]
#[test]
fn a_generator_is_send_and_runs_on_another_thread() {
    fn assert_send<T: Send>(_: &T) {}
    let mut g = Gen::new(|co: Co<String, usize>| async move {
        let mut lengths = 0;
        loop {
            lengths += co.yield_(format!("so far {lengths}")).await;
        }
    });
    assert_send(&g);
    assert_eq!(g.start(), Step::Yielded("so far 0".to_string()));
    let handle = std::thread::spawn(move || {
        let step = g.send(5).unwrap();
        (g, step)
    });
    let (mut g, step) = handle.join().unwrap();
    assert_eq!(step, Step::Yielded("so far 5".to_string()));
    assert_eq!(g.send(2), Ok(Step::Yielded("so far 7".to_string())));
}

// 12. The stack form (allocation counts are in tests/allocations.rs).
#[test]
fn a_pinned_frame_is_a_full_generator() {
    let frame = pin!(Frame::new(|co: Co<i32, i32>| async move {
        let x = co.yield_(1).await;
        x * 2
    }));
    let mut g = Gen::pinned(frame);
    assert_eq!(g.state(), GenState::Created);
    assert_eq!(g.send(1), Err(SendError::NotStarted(1)));
    assert_eq!(g.start(), Step::Yielded(1));
    assert_eq!(g.send(21), Ok(Step::Returned(42)));
    assert_eq!(format!("{g:?}"), "Gen { state: Closed, .. }");
}

// 13. Misuse is a clear panic, never undefined behaviour.
#[test]
fn a_yielder_used_after_its_generator_finished_panics() {
    let mut g = Gen::new(|co: Co<i32>| async move { co });
    let Step::Returned(escaped) = g.resume() else {
        panic!("expected the yielder back");
    };
    drop(g);
    let payload = catch_unwind(AssertUnwindSafe(|| block_on(escaped.yield_(1)))).unwrap_err();
    assert!(
        panic_message(payload).contains("outside the body of its generator"),
        "unclear message"
    );
}

#[test]
fn a_yielder_used_inside_another_generator_panics() {
    let mut first = Gen::new(|co: Co<i32>| async move { co });
    let Step::Returned(escaped) = first.resume() else {
        panic!("expected the yielder back");
    };
    let mut second = Gen::new(move |_co: Co<i32>| async move {
        escaped.yield_(1).await;
    });
    let payload = catch_unwind(AssertUnwindSafe(|| second.resume())).unwrap_err();
    assert!(panic_message(payload).contains("outside the body of its generator"));
    assert_eq!(second.state(), GenState::Closed);
}

#[test]
fn two_yields_pending_at_once_panic() {
    let mut g = Gen::new(|co| async move {
        futures_lite::future::zip(co.yield_(1), co.yield_(2)).await;
    });
    let payload = catch_unwind(AssertUnwindSafe(|| g.resume())).unwrap_err();
    assert!(panic_message(payload).contains("another yield of the same generator was pending"));
    assert_eq!(g.state(), GenState::Closed);
}

#[test]
fn a_yielder_state_outside_the_body_panics() {
    let mut g = Gen::new(|co: Co<()>| async move { co });
    let Step::Returned(escaped) = g.resume() else {
        panic!("expected the yielder back");
    };
    let payload = catch_unwind(AssertUnwindSafe(|| block_on(escaped.state()))).unwrap_err();
    assert!(panic_message(payload).contains("outside the body of its generator"));
}

#[test]
fn a_yield_under_a_combinator_with_its_own_waker_panics() {
    use std::task::{Context, Waker};
    let mut g = Gen::new(|co| async move {
        let mut yielding = pin!(co.yield_(1));
        // Polls the yield with a context of its own, as some combinators do.
        std::future::poll_fn(|_| {
            yielding
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()))
        })
        .await;
    });
    let payload = catch_unwind(AssertUnwindSafe(|| g.resume())).unwrap_err();
    assert!(panic_message(payload).contains("a combinator that polls with a waker of its own"));
}

#[test]
fn a_waker_cloned_in_the_body_outlives_the_generator() {
    use std::future::Future;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Context, Poll, Wake, Waker};

    struct CountWakes(AtomicUsize);
    impl Wake for CountWakes {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    let mut g = Gen::new(|co| async move {
        let waker = std::future::poll_fn(|cx| Poll::Ready(cx.waker().clone())).await;
        co.yield_(waker).await;
    });
    let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
    let driver_waker = Waker::from(wakes.clone());
    let step = pin!(g.aresume()).poll(&mut Context::from_waker(&driver_waker));
    let Poll::Ready(Step::Yielded(cloned)) = step else {
        panic!("expected the cloned waker");
    };
    drop(g);
    // The clone is the driver's waker, not one pointing into the dropped generator.
    cloned.wake_by_ref();
    assert_eq!(wakes.0.load(Ordering::SeqCst), 1);
    cloned.wake();
    assert_eq!(wakes.0.load(Ordering::SeqCst), 2);
}

#[test]
fn a_delegated_sub_generator_may_await() {
    let make = || {
        let inner = Gen::new(|co| async move {
            for n in 0..3 {
                async_io::Timer::after(Duration::from_millis(2)).await;
                co.yield_(n).await;
            }
            "inner done"
        });
        Gen::new(|co| async move {
            let inner_result = co.yield_from(inner).await;
            async_io::Timer::after(Duration::from_millis(2)).await;
            inner_result
        })
    };
    let mut blocking = make();
    assert_eq!(blocking.by_ref().collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(blocking.take_return_value(), Some("inner done"));

    let mut stream = make().into_stream();
    let collected: Vec<i32> = block_on(futures_lite::StreamExt::collect(&mut stream));
    assert_eq!(collected, [0, 1, 2]);
    assert_eq!(stream.get_mut().take_return_value(), Some("inner done"));
}

/// Whether `$t` (a type named in full) is `Send`, found at compile time: the inherent method,
/// which needs `Send`, is picked over the trait's whenever it applies.
macro_rules! is_send {
    ($t:ty) => {{
        struct Probe<T>(std::marker::PhantomData<T>);
        #[allow(dead_code)]
        trait Fallback {
            fn is_send(&self) -> bool {
                false
            }
        }
        impl<T> Fallback for Probe<T> {}
        impl<T: Send> Probe<T> {
            #[allow(dead_code)]
            fn is_send(&self) -> bool {
                true
            }
        }
        Probe::<$t>(std::marker::PhantomData).is_send()
    }};
}

// Without std a yield cannot tell threads apart, so a yielder (and so the generator whose body
// holds it, and every future that borrows it) stays on the thread that polls the body; with
// std a yield checks the thread, and all of them may move.
#[test]
fn a_yielder_is_send_exactly_with_std() {
    use cogen::generator::{Uncaught, Yield};
    assert_eq!(is_send!(Co<u8>), cfg!(feature = "std"));
    assert_eq!(is_send!(&'static Co<u8>), cfg!(feature = "std"));
    assert_eq!(
        is_send!(Yield<'static, u8, (), Uncaught>),
        cfg!(feature = "std")
    );
    // The probe itself answers both ways.
    assert!(is_send!(u8));
    assert!(!is_send!(std::rc::Rc<u8>));
}

#[cfg(feature = "std")]
#[test]
fn a_yield_polled_on_another_thread_during_the_poll_panics() {
    use std::future::Future;
    use std::task::{Context, Poll};
    let mut g = Gen::new(|co: Co<String>| async move {
        let mut yielding = co.yield_("never handed out".to_string());
        // A body that lends its context's waker to a scoped thread, which polls a yield there
        // while this thread is inside the poll.
        let message = std::future::poll_fn(|cx| {
            let waker = cx.waker();
            let outcome = std::thread::scope(|scope| {
                scope
                    .spawn(|| {
                        let _ =
                            std::pin::Pin::new(&mut yielding).poll(&mut Context::from_waker(waker));
                    })
                    .join()
            });
            Poll::Ready(panic_message(outcome.unwrap_err()))
        })
        .await;
        co.yield_(message).await;
    });
    let Step::Yielded(message) = g.resume() else {
        panic!("expected the panic message");
    };
    assert!(message.contains("on another thread"), "{message}");
}

/// A destructor that panics, counting how often it runs.
struct PanicsOnDrop(Rc<RefCell<usize>>);

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        *self.0.borrow_mut() += 1;
        panic!("cleanup failed");
    }
}

#[test]
fn a_cleanup_that_panics_on_close_leaves_the_generator_closed_and_drops_once() {
    for started in [false, true] {
        let drops = Rc::new(RefCell::new(0));
        let guard = PanicsOnDrop(drops.clone());
        let mut g = Gen::new(move |co| async move {
            let _guard = guard;
            co.yield_(1).await;
            co.yield_(2).await;
        });
        if started {
            assert_eq!(g.resume(), Step::Yielded(1));
        }
        let payload = catch_unwind(AssertUnwindSafe(|| g.close())).unwrap_err();
        assert_eq!(panic_message(payload), "cleanup failed");
        assert_eq!(g.state(), GenState::Closed);
        assert_eq!(g.resume(), Step::Closed);
        g.close();
        drop(g);
        assert_eq!(*drops.borrow(), 1, "started: {started}");
    }
}

#[test]
fn a_cleanup_that_panics_after_an_uncaught_throw_leaves_the_generator_closed() {
    let drops = Rc::new(RefCell::new(0));
    let guard = PanicsOnDrop(drops.clone());
    let mut g = Gen::new(move |co| async move {
        let _guard = guard;
        co.yield_(1).await;
    });
    assert_eq!(g.resume(), Step::Yielded(1));
    // The cleanup's panic replaces the thrown value, as a raising `finally` does in Python.
    let payload = catch_unwind(AssertUnwindSafe(|| g.throw("stop"))).unwrap_err();
    assert_eq!(panic_message(payload), "cleanup failed");
    assert_eq!(g.state(), GenState::Closed);
    assert_eq!(g.resume(), Step::Closed);
    drop(g);
    assert_eq!(*drops.borrow(), 1);
}
