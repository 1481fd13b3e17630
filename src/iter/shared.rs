//! The lock shared by [`GroupBy`](super::GroupBy) and its groups, and by the branches of a
//! [`tee`](super::tee): a `Mutex` (so the handles are `Send` and `Sync` when their parts are)
//! that a `fold` holds for its whole run, with a clear panic instead of a deadlock when the
//! closure given to that `fold` reaches back into the same shared state on the same thread.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};

/// A mutex-protected state, remembering which thread (if any) holds it for a whole `fold`.
pub(crate) struct Shared<T> {
    state: Mutex<T>,
    /// [`thread_mark`] of the thread running a `fold` with the lock held, or 0.
    folding: AtomicUsize,
    /// Who owns this state, for the panic message (`"groupby()"`, `"tee()"`).
    owner: &'static str,
}

thread_local! {
    static MARK: u8 = const { 0 };
}

/// A number that tells the live threads apart (the address of a thread-local), never 0.
fn thread_mark() -> usize {
    MARK.with(|mark| std::ptr::from_ref(mark) as usize)
}

impl<T> Shared<T> {
    pub(crate) fn new(state: T, owner: &'static str) -> Self {
        Shared {
            state: Mutex::new(state),
            folding: AtomicUsize::new(0),
            owner,
        }
    }

    /// Locks the state. A panic in an earlier holder (a key function, a fold's closure) does
    /// not make the state unusable: every update is complete before user code runs.
    ///
    /// Panics (instead of deadlocking) when this thread already holds the lock in a `fold`.
    #[inline]
    pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
        match self.state.try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => self.lock_contended(),
        }
    }

    /// Locks the state, or returns `None` when this thread holds it in a `fold` (for `Drop`,
    /// which must not panic).
    pub(crate) fn lock_unless_reentrant(&self) -> Option<MutexGuard<'_, T>> {
        match self.state.try_lock() {
            Ok(guard) => Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) if self.is_reentrant() => None,
            Err(TryLockError::WouldBlock) => {
                Some(self.state.lock().unwrap_or_else(PoisonError::into_inner))
            }
        }
    }

    fn is_reentrant(&self) -> bool {
        self.folding.load(Ordering::Relaxed) == thread_mark()
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn lock_contended(&self) -> MutexGuard<'_, T> {
        if self.is_reentrant() {
            panic!(
                "{}: used from inside the closure of a fold (for_each, sum, count, ...) over an \
                 iterator sharing the same source; iterate that one with `next` or a `for` loop",
                self.owner
            );
        }
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Locks the state for a whole `fold`: until the guard drops, using the same shared state
    /// from this thread panics (see [`Shared::lock`]) while other threads wait.
    pub(crate) fn lock_for_fold(&self) -> FoldGuard<'_, T> {
        let guard = self.lock();
        self.folding.store(thread_mark(), Ordering::Relaxed);
        FoldGuard {
            guard,
            folding: &self.folding,
        }
    }
}

/// The lock held by a `fold`; clears the fold mark before unlocking.
pub(crate) struct FoldGuard<'a, T> {
    guard: MutexGuard<'a, T>,
    folding: &'a AtomicUsize,
}

impl<T> std::ops::Deref for FoldGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> std::ops::DerefMut for FoldGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

impl<T> Drop for FoldGuard<'_, T> {
    fn drop(&mut self) {
        // Runs before the field `guard` unlocks: the mark is cleared while the lock is held.
        self.folding.store(0, Ordering::Relaxed);
    }
}
