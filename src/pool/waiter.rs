//! What `wait`, `as_completed` and the unordered `map` block on: a queue of completions that
//! the futures they watch push into (Python's `_Waiter`). One waiter is shared by n futures, so
//! watching n futures costs O(n), and a blocked thread sleeps until a completion arrives.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use super::future::Completion;

pub(crate) struct Waiter {
    queue: Mutex<Completions>,
    signal: Condvar,
    /// Set when whoever waited is gone: futures then drop their registration instead of
    /// notifying it.
    abandoned: AtomicBool,
}

#[derive(Default)]
pub(crate) struct Completions {
    /// Indices of completed futures, in completion order.
    pub(crate) ready: VecDeque<(usize, Completion)>,
    /// Whether a thread sleeps on the condvar (so that notifying costs nothing otherwise).
    blocked: bool,
}

impl Waiter {
    pub(crate) fn new() -> Self {
        Waiter {
            queue: Mutex::new(Completions::default()),
            signal: Condvar::new(),
            abandoned: AtomicBool::new(false),
        }
    }

    pub(crate) fn notify(&self, index: usize, completion: Completion) {
        if self.is_abandoned() {
            return;
        }
        let mut queue = self.lock();
        queue.ready.push_back((index, completion));
        if queue.blocked {
            self.signal.notify_one();
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Completions> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sleeps until a completion arrives or the deadline passes; false when the deadline passed.
    pub(crate) fn sleep<'a>(
        &'a self,
        mut queue: MutexGuard<'a, Completions>,
        deadline: Option<Instant>,
    ) -> (MutexGuard<'a, Completions>, bool) {
        queue.blocked = true;
        let (mut queue, in_time) = match deadline {
            None => (
                self.signal
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner),
                true,
            ),
            Some(deadline) => {
                let now = Instant::now();
                if now >= deadline {
                    (queue, false)
                } else {
                    let (queue, _) = self
                        .signal
                        .wait_timeout(queue, deadline - now)
                        .unwrap_or_else(PoisonError::into_inner);
                    (queue, true)
                }
            }
        };
        queue.blocked = false;
        (queue, in_time)
    }

    pub(crate) fn abandon(&self) {
        self.abandoned.store(true, Ordering::Relaxed);
    }

    pub(crate) fn is_abandoned(&self) -> bool {
        self.abandoned.load(Ordering::Relaxed)
    }
}
