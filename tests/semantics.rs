//! cogen against CPython, scenario by scenario.
//!
//! `tests/fixtures/semantics/scenarios.py` drives small generators in CPython and records a trace
//! of each scenario: what the driver did and what came back (`next -> 1`, `send(7) -> 70`,
//! `throw(ValueError('bad')) -> raised ValueError('bad')`, `close -> None`), the generator's
//! state (`state GEN_SUSPENDED`) and what the body did (`body: ...`, `body: finally <name>` for a
//! `finally:` block). It writes the traces to `scenarios.json`, which is committed: this test
//! needs no Python.
//!
//! Each scenario below builds the same generator with cogen, drives it the same way and writes
//! its trace from what cogen returns, through a few fixed translations into Python's wording:
//!
//! | cogen | trace |
//! |---|---|
//! | `Step::Yielded(v)` | `v` as Python's `repr` prints it |
//! | `Step::Returned(v)` | `StopIteration(v)`, `StopIteration()` when `v` is `()` (None) |
//! | `Step::Closed`, `Err(SendError::Closed(_))` | `StopIteration()` |
//! | `Err(SendError::NotStarted(_))` | `raised TypeError(<the SendError's Display>)` |
//! | `throw(e)` giving `Err(e)` | `raised <repr of e>` |
//! | a panic whose payload is a [`RuntimeError`] etc. | `raised <repr of the payload>` |
//! | `GenState` | its `Display` (`GEN_SUSPENDED`) |
//!
//! Python's `try: x = yield v` / `except ValueError as e:` is `co.yield_catching::<ValueError>(v)`,
//! `raise RuntimeError('boom')` is `raise(RuntimeError(..))` (a panic carrying the exception),
//! and `try: ... finally:` is a drop guard ([`Trace::finally`]).
//!
//! The scenarios named `gap_*` are things Python does that cogen's API cannot express; their
//! tests are `#[ignore]`d, with the reason, and show the difference when run with `--ignored`.

use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::{Display, Write as _};
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::Once;

use cogen::{Co, Frame, Gen, GeneratorExit, SendError, Step, Thrown};

const FIXTURE_PATH: &str = "tests/fixtures/semantics/scenarios.json";
const FIXTURE: &str = include_str!("fixtures/semantics/scenarios.json");

// --- Python's repr ------------------------------------------------------------------------------

/// A value as Python's `repr` prints it.
trait PyRepr {
    fn py_repr(&self) -> String;
}

impl PyRepr for i32 {
    fn py_repr(&self) -> String {
        self.to_string()
    }
}

impl PyRepr for () {
    fn py_repr(&self) -> String {
        "None".to_string()
    }
}

impl PyRepr for str {
    fn py_repr(&self) -> String {
        py_str_repr(self)
    }
}

impl PyRepr for String {
    fn py_repr(&self) -> String {
        py_str_repr(self)
    }
}

impl<T: PyRepr + ?Sized> PyRepr for &T {
    fn py_repr(&self) -> String {
        (**self).py_repr()
    }
}

impl<T: PyRepr> PyRepr for Vec<T> {
    fn py_repr(&self) -> String {
        let items: Vec<String> = self.iter().map(PyRepr::py_repr).collect();
        format!("[{}]", items.join(", "))
    }
}

/// Python's `repr` of a `str`: single quotes, unless the text has a single quote and no double
/// one; backslashes, the quote and control characters escaped. (Enough for the ASCII texts of
/// these scenarios; non-ASCII unprintables would need Python's `isprintable` table.)
fn py_str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut repr = String::from(quote);
    for c in text.chars() {
        match c {
            '\\' => repr.push_str("\\\\"),
            '\n' => repr.push_str("\\n"),
            '\r' => repr.push_str("\\r"),
            '\t' => repr.push_str("\\t"),
            c if c == quote => {
                repr.push('\\');
                repr.push(c);
            }
            c if c < ' ' || c == '\x7f' => {
                let _ = write!(repr, "\\x{:02x}", c as u32);
            }
            c => repr.push(c),
        }
    }
    repr.push(quote);
    repr
}

/// A value of a Python generator that yields both strings and ints (`yield from 'AB'` then
/// `yield from range(1, 4)`): a Rust generator yields one type.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Str(String),
    Int(i32),
}

impl From<char> for Value {
    fn from(c: char) -> Self {
        Value::Str(c.to_string())
    }
}

impl PyRepr for Value {
    fn py_repr(&self) -> String {
        match self {
            Value::Str(text) => text.py_repr(),
            Value::Int(n) => n.py_repr(),
        }
    }
}

// --- Python's exceptions ------------------------------------------------------------------------

macro_rules! python_exceptions {
    ($($name:ident),* $(,)?) => {
        $(
            /// The Python exception of this name, with its one string argument: thrown in with
            /// `Gen::throw`, caught with `yield_catching`, raised by a body with [`raise`].
            #[derive(Clone, Debug, PartialEq)]
            struct $name(String);

            impl PyRepr for $name {
                fn py_repr(&self) -> String {
                    format!("{}({})", stringify!($name), self.0.py_repr())
                }
            }
        )*

        /// The repr of a panic payload that is one of the Python exceptions above.
        fn exception_repr(payload: &(dyn Any + Send)) -> Option<String> {
            $(
                if let Some(exception) = payload.downcast_ref::<$name>() {
                    return Some(exception.py_repr());
                }
            )*
            None
        }
    };
}

python_exceptions!(ValueError, KeyError, RuntimeError);

impl PyRepr for GeneratorExit {
    fn py_repr(&self) -> String {
        "GeneratorExit()".to_string()
    }
}

/// The repr of a value caught by `yield_catching_any`, as Python's `repr(e)` of the exception.
fn thrown_repr(thrown: &Thrown) -> String {
    if let Some(error) = thrown.downcast_ref::<ValueError>() {
        error.py_repr()
    } else if let Some(error) = thrown.downcast_ref::<KeyError>() {
        error.py_repr()
    } else if thrown.is::<GeneratorExit>() {
        GeneratorExit.py_repr()
    } else {
        format!("{thrown:?}")
    }
}

/// Python's `raise`: a panic whose payload is the exception.
fn raise<E: Any + Send>(exception: E) -> ! {
    std::panic::panic_any(exception)
}

/// What a caught panic is in the trace: the Python exception it carries, or (a panic of cogen's
/// own, which Python has no counterpart for) `panic('<message>')`.
fn panic_repr(payload: &(dyn Any + Send)) -> String {
    if let Some(repr) = exception_repr(payload) {
        return repr;
    }
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    // `close` panics with Python's words where Python raises this RuntimeError.
    if message == "generator ignored GeneratorExit" {
        return RuntimeError(message).py_repr();
    }
    format!("panic({})", message.py_repr())
}

/// Keeps the default panic hook from printing the Python exceptions that bodies raise on
/// purpose; other panics print as usual.
fn quiet_python_exceptions() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let ignored =
                info.payload().downcast_ref::<&str>() == Some(&"generator ignored GeneratorExit");
            if exception_repr(info.payload()).is_none() && !ignored {
                default(info);
            }
        }));
    });
}

/// A body whose output is `()` (Python's `None`) although it never returns (`while True:`, or it
/// ends with a `raise`): in edition 2024 such an `async` block's output would be `!`.
fn returns_none<F: Future<Output = ()>>(body: F) -> F {
    body
}

// --- the trace ----------------------------------------------------------------------------------

/// The events of one scenario, and the driver's operations, each recorded with its outcome.
#[derive(Clone, Default)]
struct Trace(Rc<RefCell<Vec<String>>>);

/// Records `body: finally <name>` when dropped: Python's `finally:`.
struct Finally(Trace, &'static str);

impl Drop for Finally {
    fn drop(&mut self) {
        self.0.body(format_args!("finally {}", self.1));
    }
}

/// `Step` as Python reports it: the yielded value, or the `StopIteration` raised.
fn step<Y: PyRepr, R: PyRepr>(step: Step<Y, R>) -> String {
    match step {
        Step::Yielded(value) => value.py_repr(),
        Step::Returned(value) => stop_iteration(&value),
        Step::Closed => stop_iteration(&()),
    }
}

/// CPython raises `StopIteration()` for a `return None` and `StopIteration(v)` otherwise.
fn stop_iteration<R: PyRepr>(value: &R) -> String {
    match value.py_repr() {
        none if none == "None" => "StopIteration()".to_string(),
        value => format!("StopIteration({value})"),
    }
}

/// Python's `finally:` block that records `body: finally <name>` and then raises: a drop guard that
/// panics. (Only where the guard is not dropped by an unwinding panic: a second panic would abort,
/// where Python would replace the first exception with the second.)
struct FinallyRaising(Trace, &'static str, RuntimeError);

impl Drop for FinallyRaising {
    fn drop(&mut self) {
        self.0.body(format_args!("finally {}", self.1));
        raise(self.2.clone());
    }
}

impl Trace {
    fn event(&self, text: impl Into<String>) {
        self.0.borrow_mut().push(text.into());
    }

    fn events(&self) -> Vec<String> {
        self.0.borrow().clone()
    }

    fn body(&self, text: impl Display) {
        self.event(format!("body: {text}"));
    }

    fn finally(&self, name: &'static str) -> Finally {
        Finally(self.clone(), name)
    }

    fn finally_raising(&self, name: &'static str, exception: RuntimeError) -> FinallyRaising {
        FinallyRaising(self.clone(), name, exception)
    }

    /// `getgeneratorstate(g)`.
    fn state<Y, S, F: Future>(&self, g: &Gen<Y, S, F>) {
        self.event(format!("state {}", g.state()));
    }

    /// `next(g)` of a generator that is only iterated.
    fn next<Y: PyRepr, F: Future<Output: PyRepr>>(&self, g: &mut Gen<Y, (), F>) {
        self.next_of("", g);
    }

    /// `next(g)`, recorded as `<who>next`.
    fn next_of<Y: PyRepr, F: Future<Output: PyRepr>>(&self, who: &str, g: &mut Gen<Y, (), F>) {
        self.op(&format!("{who}next"), || step(g.resume()));
    }

    /// `next(g)` of a generator that is sent values, while it is Created (its first `next`) or
    /// Closed: cogen's `start`. (Python's `next` on a Suspended one sends None, which a generator
    /// whose send type is not `()` or an `Option` cannot receive.)
    fn start<Y: PyRepr, S, F: Future<Output: PyRepr>>(&self, g: &mut Gen<Y, S, F>) {
        self.op("next", || step(g.start()));
    }

    /// `g.send(value)`.
    fn send<Y: PyRepr, S: PyRepr, F: Future<Output: PyRepr>>(
        &self,
        g: &mut Gen<Y, S, F>,
        value: S,
    ) {
        let label = format!("send({})", value.py_repr());
        self.op(&label, || match g.send(value) {
            Ok(outcome) => step(outcome),
            // Python raises a TypeError, with the message SendError prints.
            Err(error @ SendError::NotStarted(_)) => {
                format!("raised TypeError({})", error.to_string().py_repr())
            }
            // Python's send into a closed generator raises StopIteration(), as `next` does:
            // nothing ran. cogen reports it as an error that gives the value back.
            Err(SendError::Closed(_)) => stop_iteration(&()),
            // Python raises ValueError('generator already executing').
            Err(error @ SendError::Running(_)) => {
                format!("raised ValueError({})", error.to_string().py_repr())
            }
        });
    }

    /// `g.throw(error)`.
    fn throw<Y: PyRepr, S, F: Future<Output: PyRepr>, E: PyRepr + Send + 'static>(
        &self,
        g: &mut Gen<Y, S, F>,
        error: E,
    ) {
        let label = format!("throw({})", error.py_repr());
        self.op(&label, || match g.throw(error) {
            Ok(outcome) => step(outcome),
            Err(error) => format!("raised {}", error.py_repr()),
        });
    }

    /// `g.close()`: None, or (Python 3.13) what the body returned after catching GeneratorExit.
    fn close<Y, S, F: Future<Output: PyRepr>>(&self, g: &mut Gen<Y, S, F>) {
        self.op("close", || match g.close() {
            Some(value) => value.py_repr(),
            None => ().py_repr(),
        });
    }

    /// Runs one operation of the driver and records `<label> -> <outcome>`; a panic is an
    /// exception raised out of the operation.
    fn op(&self, label: &str, operation: impl FnOnce() -> String) {
        let outcome = catch_unwind(AssertUnwindSafe(operation))
            .unwrap_or_else(|payload| format!("raised {}", panic_repr(payload.as_ref())));
        self.event(format!("{label} -> {outcome}"));
    }
}

// --- the comparison -----------------------------------------------------------------------------

fn fixture() -> BTreeMap<String, Vec<String>> {
    serde_json::from_str(FIXTURE).unwrap_or_else(|error| panic!("{FIXTURE_PATH}: {error}"))
}

fn check(name: &str, scenario: fn() -> Vec<String>) {
    quiet_python_exceptions();
    let expected = fixture().remove(name).unwrap_or_else(|| {
        panic!(
            "scenario `{name}` is not in {FIXTURE_PATH}: rerun python3 \
             tests/fixtures/semantics/scenarios.py"
        )
    });
    let actual = scenario();
    if actual != expected {
        panic!("{}", report(name, &expected, &actual));
    }
}

/// Both traces side by side, the differing events marked with `!`.
fn report(name: &str, expected: &[String], actual: &[String]) -> String {
    let width = expected
        .iter()
        .map(|event| event.chars().count())
        .max()
        .unwrap_or(0)
        .max("CPython (expected)".len());
    let mut report = format!(
        "scenario `{name}`: cogen's trace differs from CPython's ({FIXTURE_PATH})\n\
         {:>6}  {:<width$}  cogen (actual)\n",
        "", "CPython (expected)"
    );
    for index in 0..expected.len().max(actual.len()) {
        let python = expected.get(index).map_or("<none>", String::as_str);
        let rust = actual.get(index).map_or("<none>", String::as_str);
        let mark = if python == rust { ' ' } else { '!' };
        let _ = writeln!(report, "{mark} {index:>3}  {python:<width$}  {rust}");
    }
    report
}

macro_rules! scenarios {
    ($($(#[$attribute:meta])* $name:ident),* $(,)?) => {
        $(
            #[test]
            $(#[$attribute])*
            fn $name() {
                check(stringify!($name), scenario::$name);
            }
        )*

        const RUST_SCENARIOS: &[&str] = &[$(stringify!($name)),*];
    };
}

scenarios! {
    next_send_and_return_value,
    send_into_a_closed_generator,
    send_non_none_into_a_just_started_generator,
    state_inside_the_body_is_running,
    for_loop_then_break_and_close,
    throw_caught_at_a_yield_goes_on,
    throw_caught_then_the_body_returns,
    throw_caught_then_the_handler_raises,
    throw_not_caught_closes_the_generator,
    throw_of_another_type_is_not_caught,
    throw_not_caught_and_finally_raises,
    throw_into_a_just_created_generator,
    throw_into_a_closed_generator,
    close_a_just_created_generator,
    close_a_suspended_generator_runs_finally,
    close_twice,
    close_after_return,
    close_when_finally_raises,
    exception_raised_in_the_body,
    yield_from_forwards_send_and_returns_a_value,
    yield_from_a_sub_generator_that_returns_at_once,
    yield_from_throw_caught_by_the_sub_generator,
    yield_from_throw_caught_by_the_sub_generator_which_returns,
    yield_from_throw_not_caught_by_the_sub_generator,
    yield_from_an_exception_raised_in_the_sub_generator,
    close_a_delegating_generator_closes_its_sub_generator,
    yield_from_iterables,
    yield_from_catching_what_the_sub_generator_did_not,
    coroutine2_seed,
    coroutine2_returning_the_sum,
    yield_from_a_started_generator,
    yield_from_an_exhausted_generator,
    close_caught_and_the_body_returns_a_value,
    close_ignored_generator_exit,
    close_and_the_handler_raises_another_exception,
    close_and_the_handler_reraises_generator_exit,
    close_a_generator_that_catches_only_other_exceptions,
    throw_generator_exit_and_the_body_yields,
    dropping_a_suspended_generator_runs_finally,
    #[ignore = "cogen's drop drops a suspended body without resuming it with GeneratorExit (its \
                drop guards run); `close()` throws it in"]
    gap_dropping_a_generator_throws_generator_exit_in,
    throw_caught_whatever_its_type_then_handled,
    throw_caught_whatever_its_type_then_reraised,
    close_after_a_caught_throw,
    close_a_delegating_generator_whose_sub_generator_returns_on_close,
    close_a_delegating_generator_that_returns_on_close,
    dropping_a_delegating_generator_closes_both,
}

#[test]
fn every_scenario_of_the_fixture_is_reproduced() {
    let in_fixture: Vec<String> = fixture().into_keys().collect();
    let mut in_rust: Vec<String> = RUST_SCENARIOS.iter().map(|name| name.to_string()).collect();
    in_rust.sort();
    assert_eq!(
        in_fixture, in_rust,
        "the scenarios of {FIXTURE_PATH} (left) and of tests/semantics.rs (right) differ"
    );
    assert!(in_rust.len() >= 16);
}

#[test]
fn python_repr_of_strings() {
    assert_eq!("bad".py_repr(), "'bad'");
    assert_eq!("can't".py_repr(), "\"can't\"");
    assert_eq!("both ' and \"".py_repr(), "'both \\' and \"'");
    assert_eq!("tab\there\\".py_repr(), "'tab\\there\\\\'");
    assert_eq!(ValueError("bad".into()).py_repr(), "ValueError('bad')");
    assert_eq!(stop_iteration(&()), "StopIteration()");
    assert_eq!(stop_iteration(&600), "StopIteration(600)");
}

/// The scenarios, each mirroring the function of the same name in scenarios.py.
mod scenario {
    use super::*;

    // --- next, send, return value, states -------------------------------------------------------

    pub fn next_send_and_return_value() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32, i32>| async move {
            let a = co.yield_(1).await;
            b.body(format_args!("a = {}", a.py_repr()));
            let c = co.yield_(a * 10).await;
            b.body(format_args!("b = {}", c.py_repr()));
            "done"
        });
        t.state(&g);
        t.start(&mut g);
        t.state(&g);
        t.send(&mut g, 7);
        t.state(&g);
        t.send(&mut g, 8);
        t.state(&g);
        t.start(&mut g);
        t.state(&g);
        t.events()
    }

    pub fn send_into_a_closed_generator() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32, i32>| async move {
            let x = co.yield_(1).await;
            b.body(format_args!("x = {}", x.py_repr()));
            x + 1
        });
        t.start(&mut g);
        t.send(&mut g, 41);
        t.send(&mut g, 5);
        t.state(&g);
        t.events()
    }

    pub fn send_non_none_into_a_just_started_generator() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32, i32>| async move {
            b.body("started");
            let received = co.yield_(100).await;
            b.body(format_args!("received {}", received.py_repr()));
        });
        t.state(&g);
        t.send(&mut g, 1);
        t.state(&g);
        t.start(&mut g);
        t.state(&g);
        t.send(&mut g, 2);
        t.state(&g);
        t.events()
    }

    pub fn state_inside_the_body_is_running() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            b.body(format_args!("state {}", co.state().await));
            co.yield_(1).await;
            b.body(format_args!("state {}", co.state().await));
        });
        t.state(&g);
        t.next(&mut g);
        t.state(&g);
        t.next(&mut g);
        t.state(&g);
        t.events()
    }

    pub fn for_loop_then_break_and_close() -> Vec<String> {
        let t = Trace::default();
        let body = |b: Trace| {
            Gen::new(|co: Co<i32>| async move {
                let _finally = b.finally("loop");
                for n in 1..4 {
                    co.yield_(n).await;
                }
            })
        };

        let mut g = body(t.clone());
        for item in g.by_ref() {
            t.event(format!("for -> {}", item.py_repr()));
        }
        t.state(&g);

        let mut g = body(t.clone());
        for item in g.by_ref() {
            t.event(format!("for -> {}", item.py_repr()));
            if item == 2 {
                break;
            }
        }
        t.state(&g);
        t.close(&mut g);
        t.state(&g);
        t.events()
    }

    // --- throw ----------------------------------------------------------------------------------

    pub fn throw_caught_at_a_yield_goes_on() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| {
            returns_none(async move {
                let mut n = 0;
                loop {
                    match co.yield_catching::<ValueError>(n).await {
                        Ok(()) => n += 1,
                        Err(error) => {
                            b.body(format_args!("caught {}", error.py_repr()));
                            n = 100;
                        }
                    }
                }
            })
        });
        t.next(&mut g);
        t.next(&mut g);
        t.throw(&mut g, ValueError("bad".into()));
        t.state(&g);
        t.next(&mut g);
        t.throw(&mut g, ValueError("again".into()));
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.events()
    }

    pub fn throw_caught_then_the_body_returns() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            match co.yield_catching::<ValueError>(1).await {
                Err(error) => {
                    b.body(format_args!("caught {}", error.py_repr()));
                    format!("recovered from {}", error.0)
                }
                Ok(()) => "normal".to_string(),
            }
        });
        t.next(&mut g);
        t.throw(&mut g, ValueError("bad".into()));
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn throw_caught_then_the_handler_raises() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            if let Err(error) = co.yield_catching::<ValueError>(1).await {
                b.body(format_args!("caught {}", error.py_repr()));
                raise(RuntimeError("handler failed".into()));
            }
        });
        t.next(&mut g);
        t.throw(&mut g, ValueError("bad".into()));
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn throw_not_caught_closes_the_generator() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            b.body("started");
            co.yield_(1).await;
            b.body("never here");
            co.yield_(2).await;
        });
        t.next(&mut g);
        t.throw(&mut g, ValueError("bad".into()));
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn throw_of_another_type_is_not_caught() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            if let Err(error) = co.yield_catching::<ValueError>(1).await {
                b.body(format_args!("caught {}", error.py_repr()));
            }
            co.yield_(2).await;
        });
        t.next(&mut g);
        t.throw(&mut g, KeyError("k".into()));
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    /// The generator must end Closed even when a `finally` raises while it closes.
    pub fn throw_not_caught_and_finally_raises() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally_raising("body", RuntimeError("cleanup failed".into()));
            co.yield_(1).await;
        });
        t.next(&mut g);
        t.throw(&mut g, ValueError("bad".into()));
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn throw_into_a_just_created_generator() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            b.body("started");
            co.yield_(1).await;
        });
        t.state(&g);
        t.throw(&mut g, ValueError("early".into()));
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn throw_into_a_closed_generator() -> Vec<String> {
        let t = Trace::default();
        let mut g = Gen::new(|co: Co<i32>| async move {
            co.yield_(1).await;
            "end"
        });
        t.next(&mut g);
        t.next(&mut g);
        t.state(&g);
        t.throw(&mut g, ValueError("late".into()));
        t.state(&g);
        t.events()
    }

    // --- close ----------------------------------------------------------------------------------

    pub fn close_a_just_created_generator() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            b.body("started");
            co.yield_(1).await;
        });
        t.close(&mut g);
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn close_a_suspended_generator_runs_finally() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _outer = b.finally("outer");
            co.yield_(1).await;
            {
                let _inner = b.finally("inner");
                co.yield_(2).await;
                b.body("never here");
            }
        });
        t.next(&mut g);
        t.next(&mut g);
        t.state(&g);
        t.close(&mut g);
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn close_twice() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            co.yield_(1).await;
        });
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.close(&mut g);
        t.state(&g);
        t.events()
    }

    pub fn close_after_return() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            {
                let _finally = b.finally("body");
                co.yield_(1).await;
            }
            "end"
        });
        t.next(&mut g);
        t.next(&mut g);
        t.state(&g);
        t.close(&mut g);
        t.state(&g);
        t.events()
    }

    /// The generator must end Closed even when a `finally` raises while it closes.
    pub fn close_when_finally_raises() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally_raising("body", RuntimeError("cleanup failed".into()));
            co.yield_(1).await;
        });
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    // --- exceptions raised by the body ----------------------------------------------------------

    pub fn exception_raised_in_the_body() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| {
            returns_none(async move {
                let _finally = b.finally("body");
                co.yield_(1).await;
                raise(RuntimeError("boom".into()))
            })
        });
        t.next(&mut g);
        t.next(&mut g);
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    // --- yield from -----------------------------------------------------------------------------

    pub fn yield_from_forwards_send_and_returns_a_value() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<String, i32>| async move {
            let x = co.yield_("outer first".to_string()).await;
            b.body(format_args!("outer got {}", x.py_repr()));
            let bi = b.clone();
            let inner = Gen::new(|co: Co<String, i32>| async move {
                let a = co.yield_("inner 1".to_string()).await;
                bi.body(format_args!("inner got {}", a.py_repr()));
                let c = co.yield_("inner 2".to_string()).await;
                bi.body(format_args!("inner got {}", c.py_repr()));
                a + c
            });
            let total = co.yield_from(inner).await;
            b.body(format_args!("yield from -> {}", total.py_repr()));
            co.yield_(format!("total {total}")).await
        });
        t.start(&mut g);
        t.send(&mut g, 0);
        t.state(&g);
        t.send(&mut g, 3);
        t.send(&mut g, 4);
        t.send(&mut g, 5);
        t.state(&g);
        t.events()
    }

    pub fn yield_from_a_sub_generator_that_returns_at_once() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let bi = b.clone();
            let inner = Gen::new(|_co: Co<i32>| async move {
                bi.body("inner runs");
                5
            });
            let result = co.yield_from(inner).await;
            b.body(format_args!("yield from -> {}", result.py_repr()));
            co.yield_(result * 2).await;
        });
        t.next(&mut g);
        t.next(&mut g);
        t.events()
    }

    pub fn yield_from_throw_caught_by_the_sub_generator() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("outer");
            let bi = b.clone();
            let inner = Gen::new(|co: Co<i32>| {
                returns_none(async move {
                    let _finally = bi.finally("inner");
                    let mut n = 0;
                    loop {
                        match co.yield_catching::<ValueError>(n).await {
                            Ok(()) => n += 1,
                            Err(error) => {
                                bi.body(format_args!("inner caught {}", error.py_repr()));
                                n = -100;
                            }
                        }
                    }
                })
            });
            co.yield_from(inner).await;
        });
        t.next(&mut g);
        t.next(&mut g);
        t.throw(&mut g, ValueError("reset".into()));
        t.state(&g);
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.events()
    }

    pub fn yield_from_throw_caught_by_the_sub_generator_which_returns() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<String>| async move {
            let inner = Gen::new(|co: Co<String>| async move {
                match co
                    .yield_catching::<ValueError>("inner waiting".to_string())
                    .await
                {
                    Err(error) => {
                        b.body(format_args!("inner caught {}", error.py_repr()));
                        "inner recovered"
                    }
                    Ok(()) => "inner normal",
                }
            });
            let result = co.yield_from(inner).await;
            co.yield_(format!("outer got {result}")).await;
        });
        t.next(&mut g);
        t.throw(&mut g, ValueError("bad".into()));
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn yield_from_throw_not_caught_by_the_sub_generator() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("outer");
            let bi = b.clone();
            let inner = Gen::new(|co: Co<i32>| async move {
                let _finally = bi.finally("inner");
                if let Err(error) = co.yield_catching::<KeyError>(1).await {
                    bi.body(format_args!("inner caught {}", error.py_repr()));
                }
            });
            co.yield_from(inner).await;
            b.body("never here");
        });
        t.next(&mut g);
        t.throw(&mut g, ValueError("bad".into()));
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn yield_from_an_exception_raised_in_the_sub_generator() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("outer");
            let bi = b.clone();
            let inner = Gen::new(|co: Co<i32>| {
                returns_none(async move {
                    let _finally = bi.finally("inner");
                    co.yield_(1).await;
                    raise(RuntimeError("inner failed".into()))
                })
            });
            co.yield_from(inner).await;
            b.body("never here");
        });
        t.next(&mut g);
        t.next(&mut g);
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn close_a_delegating_generator_closes_its_sub_generator() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<&str>| async move {
            let _finally = b.finally("outer");
            co.yield_("outer 0").await;
            let bi = b.clone();
            let inner = Gen::new(|co: Co<&str>| async move {
                let _finally = bi.finally("inner");
                co.yield_("inner 1").await;
                co.yield_("inner 2").await;
            });
            co.yield_from(inner).await;
            b.body("never here");
        });
        t.next(&mut g);
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn yield_from_iterables() -> Vec<String> {
        // Seed 004's generator2.
        let t = Trace::default();
        let generator2 = || {
            Gen::new(|co: Co<Value>| async move {
                co.yield_from_iter("AB".chars().map(Value::from)).await;
                co.yield_from_iter((1..4).map(Value::Int)).await;
            })
        };
        let mut g = generator2();
        for _ in 0..6 {
            t.next(&mut g);
        }
        t.state(&g);
        let listed: Vec<Value> = generator2().collect();
        t.event(format!("list -> {}", listed.py_repr()));
        t.events()
    }

    // --- seed 004 -------------------------------------------------------------------------------

    pub fn coroutine2_seed() -> Vec<String> {
        // Seed 004's coroutine2(100) and the calls the seed makes on it.
        let t = Trace::default();
        let coroutine2 = |x: i32| {
            let b = t.clone();
            Gen::new(move |co: Co<i32, i32>| async move {
                b.body(format_args!("coroutine started : x = {x}"));
                let y = co.yield_(x).await;
                b.body(format_args!("coroutine received : y = {y}"));
                let z = co.yield_(x + y).await;
                b.body(format_args!("coroutine received : z = {z}"));
            })
        };
        let mut cr3 = coroutine2(100);
        t.state(&cr3);
        t.start(&mut cr3);
        t.state(&cr3);
        t.send(&mut cr3, 200);
        t.state(&cr3);
        t.send(&mut cr3, 300);
        t.state(&cr3);
        t.events()
    }

    pub fn coroutine2_returning_the_sum() -> Vec<String> {
        // The README's version: sent to before it starts, then returns x + y + z.
        let t = Trace::default();
        let coroutine2 = |x: i32| {
            Gen::new(move |co: Co<i32, i32>| async move {
                let y = co.yield_(x).await;
                let z = co.yield_(x + y).await;
                x + y + z
            })
        };
        let mut cr3 = coroutine2(100);
        t.send(&mut cr3, 1);
        t.state(&cr3);
        t.start(&mut cr3);
        t.send(&mut cr3, 200);
        t.send(&mut cr3, 300);
        t.state(&cr3);
        t.events()
    }

    // --- what cogen cannot express --------------------------------------------------------------

    /// Python: `try: yield from inner() except ValueError as e: ...; yield 'outer handled'`.
    /// cogen's `yield_from` raises what the sub-generator did not catch straight out of the
    /// delegating generator, closing it; there is no place to catch it. This is the closest
    /// cogen comes.
    pub fn yield_from_catching_what_the_sub_generator_did_not() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<Value>| async move {
            let inner_finally = b.clone();
            let inner = Gen::new(|co: Co<Value>| async move {
                let _finally = inner_finally.finally("inner");
                co.yield_(Value::Int(1)).await;
            });
            if let Err(error) = co.yield_from_catching::<ValueError, _, _>(inner).await {
                b.body(format_args!("outer caught {}", error.py_repr()));
                co.yield_(Value::Str("outer handled".into())).await;
            }
        });
        t.next(&mut g);
        t.throw(&mut g, ValueError("bad".into()));
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    /// Python: `sub = inner(); next(sub)`, then `yield from sub` resumes `sub` where it is.
    /// cogen's `yield_from` requires a sub-generator that has not started and panics otherwise.
    pub fn yield_from_a_started_generator() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut sub = Gen::new(|co: Co<&str>| async move {
            let x = co.yield_("inner 1").await;
            b.body(format_args!("inner got {}", x.py_repr()));
            co.yield_("inner 2").await;
        });
        t.next_of("sub ", &mut sub);
        let mut g = Gen::new(|co: Co<&str>| async move {
            co.yield_from(sub).await;
        });
        t.next(&mut g);
        t.next(&mut g);
        t.next(&mut g);
        t.events()
    }
    pub fn yield_from_an_exhausted_generator() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut sub = Gen::new(|co: Co<&str>| async move {
            co.yield_("inner 1").await;
        });
        t.next_of("sub ", &mut sub);
        t.next_of("sub ", &mut sub);
        let mut g = Gen::new(|co: Co<&str>| async move {
            let result = co.yield_from(sub).await;
            b.body(format_args!("yield from gave {}", result.py_repr()));
            co.yield_("outer after").await;
        });
        t.next(&mut g);
        t.next(&mut g);
        t.events()
    }

    pub fn close_caught_and_the_body_returns_a_value() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let mut total = 0;
            loop {
                match co.yield_catching::<GeneratorExit>(total).await {
                    Ok(()) => total += 1,
                    Err(GeneratorExit) => {
                        b.body("got GeneratorExit");
                        return total * 100;
                    }
                }
            }
        });
        t.next(&mut g);
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.next(&mut g);
        t.close(&mut g);
        t.events()
    }

    pub fn close_ignored_generator_exit() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| {
            returns_none(async move {
                let mut n = 0;
                loop {
                    if co.yield_catching::<GeneratorExit>(n).await.is_err() {
                        b.body("ignoring GeneratorExit");
                    }
                    n += 1;
                }
            })
        });
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.events()
    }

    pub fn close_and_the_handler_raises_another_exception() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            if co.yield_catching::<GeneratorExit>(1).await.is_err() {
                b.body("got GeneratorExit");
                raise(ValueError("not closing quietly".into()));
            }
        });
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn close_and_the_handler_reraises_generator_exit() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            if let Err(exit) = co.yield_catching::<GeneratorExit>(1).await {
                b.body("got GeneratorExit");
                co.reraise::<()>(Thrown::new(exit)).await;
            }
        });
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.events()
    }

    pub fn close_a_generator_that_catches_only_other_exceptions() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            if co.yield_catching::<ValueError>(1).await.is_err() {
                b.body("never here");
            }
        });
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.events()
    }

    pub fn throw_generator_exit_and_the_body_yields() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            if co.yield_catching::<GeneratorExit>(1).await.is_err() {
                b.body("got GeneratorExit");
                co.yield_(2).await;
            }
            b.body("after");
        });
        t.next(&mut g);
        t.throw(&mut g, GeneratorExit);
        t.state(&g);
        t.next(&mut g);
        t.state(&g);
        t.events()
    }

    pub fn dropping_a_suspended_generator_runs_finally() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            co.yield_(1).await;
            co.yield_(2).await;
        });
        t.next(&mut g);
        t.event("del g");
        drop(g);
        t.events()
    }

    pub fn gap_dropping_a_generator_throws_generator_exit_in() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            if let Err(thrown) = co.yield_catching_any(1).await {
                if thrown.is::<GeneratorExit>() {
                    b.body("got GeneratorExit");
                }
                co.reraise::<()>(thrown).await;
            }
        });
        t.next(&mut g);
        t.event("del g");
        drop(g);
        t.events()
    }

    pub fn throw_caught_whatever_its_type_then_handled() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| {
            returns_none(async move {
                let mut seen = 0;
                loop {
                    if let Err(thrown) = co.yield_catching_any(seen).await {
                        if thrown.is::<GeneratorExit>() {
                            return co.reraise(thrown).await;
                        }
                        b.body(format_args!("caught {}", thrown_repr(&thrown)));
                        seen += 1;
                    }
                }
            })
        });
        t.next(&mut g);
        t.throw(&mut g, ValueError("bad".into()));
        t.throw(&mut g, KeyError("k".into()));
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn throw_caught_whatever_its_type_then_reraised() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<i32>| async move {
            let _finally = b.finally("body");
            if let Err(thrown) = co.yield_catching_any(1).await {
                b.body(format_args!("caught {}, re-raising", thrown_repr(&thrown)));
                co.reraise::<()>(thrown).await;
            }
        });
        t.next(&mut g);
        t.throw(&mut g, ValueError("bad".into()));
        t.state(&g);
        t.next(&mut g);
        t.events()
    }

    pub fn close_after_a_caught_throw() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let mut g = Gen::new(|co: Co<&str, i32>| {
            returns_none(async move {
                loop {
                    if let Err(error) = co.yield_catching::<ValueError>("ready").await {
                        b.body(format_args!("caught {}", error.py_repr()));
                    }
                }
            })
        });
        t.start(&mut g);
        t.throw(&mut g, ValueError("bad".into()));
        t.close(&mut g);
        t.state(&g);
        t.send(&mut g, 5);
        t.throw(&mut g, ValueError("late".into()));
        t.events()
    }

    pub fn close_a_delegating_generator_whose_sub_generator_returns_on_close() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let bi = t.clone();
        let inner = Gen::new(|co: Co<&str>| async move {
            match co.yield_catching::<GeneratorExit>("inner 1").await {
                Ok(()) => "never here",
                Err(GeneratorExit) => {
                    bi.body("inner got GeneratorExit");
                    "inner result"
                }
            }
        });
        let mut g = Gen::new(|co: Co<&str>| async move {
            match co.yield_from_catching::<GeneratorExit, _, _>(inner).await {
                Ok(result) => b.body(format_args!("never here {}", result.py_repr())),
                Err(exit) => {
                    b.body("outer got GeneratorExit");
                    co.reraise::<()>(Thrown::new(exit)).await;
                }
            }
        });
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.events()
    }

    pub fn close_a_delegating_generator_that_returns_on_close() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let bi = t.clone();
        let inner = Gen::new(|co: Co<&str>| async move {
            let _finally = bi.finally("inner");
            co.yield_("inner 1").await;
        });
        let mut g = Gen::new(|co: Co<&str>| async move {
            match co.yield_from_catching::<GeneratorExit, _, _>(inner).await {
                Ok(()) => "never here",
                Err(GeneratorExit) => {
                    b.body("outer got GeneratorExit");
                    "outer result"
                }
            }
        });
        t.next(&mut g);
        t.close(&mut g);
        t.state(&g);
        t.events()
    }

    pub fn dropping_a_delegating_generator_closes_both() -> Vec<String> {
        let t = Trace::default();
        let b = t.clone();
        let bi = t.clone();
        // The sub-generator on the stack (`Gen::pinned`): dropping the outer one still closes it.
        let mut g = Gen::new(|co: Co<&str>| async move {
            let _finally = b.finally("outer");
            let inner = std::pin::pin!(Frame::new(|co: Co<&str>| async move {
                let _finally = bi.finally("inner");
                co.yield_("inner 1").await;
            }));
            co.yield_from(Gen::pinned(inner)).await;
        });
        t.next(&mut g);
        t.event("del g");
        drop(g);
        t.events()
    }
}
