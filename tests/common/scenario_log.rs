//! What the asyncio scenario tests share: running a scenario, the log it writes, CPython's logs
//! from a fixture, and a drop guard that logs a cancellation.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

/// CPython's log of scenario `name`, from a fixture's JSON text
/// (`{"scenarios": {name: [line, ...]}}`).
pub fn expected_in(fixture: &str, name: &str) -> Vec<String> {
    let fixture: serde_json::Value = serde_json::from_str(fixture).expect("the fixture is JSON");
    let scenarios: HashMap<String, Vec<String>> =
        serde_json::from_value(fixture["scenarios"].clone()).expect("scenario logs");
    scenarios
        .get(name)
        .unwrap_or_else(|| panic!("no scenario {name} in the fixture"))
        .clone()
}

/// Runs a scenario on a new event loop and gives its log. A scenario whose tasks all wait for
/// each other fails, with its log so far, instead of hanging the run.
pub fn scenario(program: impl AsyncFnOnce(Log)) -> Vec<String> {
    let log = Log::default();
    cogen::rt::run(async {
        cogen::rt::timeout(Duration::from_secs(10), program(log.clone()))
            .await
            .unwrap_or_else(|_| panic!("the scenario did not finish; its log: {:?}", log.take()))
    });
    log.take()
}

/// A scenario's log, shared by its tasks.
#[derive(Clone, Default)]
pub struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    pub fn push(&self, line: impl Into<String>) {
        self.0.borrow_mut().push(line.into());
    }

    pub fn take(&self) -> Vec<String> {
        self.0.take()
    }
}

/// Logs `<what> cancelled` if dropped before `done` (Python's `except CancelledError:`).
pub struct OnCancel {
    log: Log,
    what: &'static str,
    pub done: bool,
}

impl OnCancel {
    pub fn new(log: &Log, what: &'static str) -> Self {
        OnCancel {
            log: log.clone(),
            what,
            done: false,
        }
    }
}

impl Drop for OnCancel {
    fn drop(&mut self) {
        if !self.done {
            self.log.push(format!("{} cancelled", self.what));
        }
    }
}

/// `n` turns of the loop (Python's `await asyncio.sleep(0)`, `n` times).
pub async fn turns(n: usize) {
    for _ in 0..n {
        cogen::rt::sleep(Duration::ZERO).await;
    }
}

/// Python's `str` of a bool.
pub fn py(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// The message `f` panics with (Python: the text of the exception it raises).
///
/// # Panics
///
/// If `f` does not panic, or panics with something other than a `&str`.
pub fn panic_text<R>(f: impl FnOnce() -> R) -> String {
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .err()
        .expect("a panic");
    (*payload.downcast_ref::<&str>().expect("a message")).to_string()
}
