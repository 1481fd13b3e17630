//! The pinned slot that holds a generator's body future and drops it exactly once, even when a
//! destructor in the body panics while it is being dropped.
//!
//! `Pin::set(&mut Option<F>, None)` is not enough: if `F`'s drop panics, the `Option` still says
//! `Some` over a value already dropped, and the next drop frees it again. Here the slot is marked
//! empty first, then the future is dropped in place.

use std::fmt;
use std::marker::PhantomPinned;
use std::mem::MaybeUninit;
use std::pin::Pin;

pub(crate) struct Body<F> {
    /// Whether `future` holds a value not yet dropped.
    alive: bool,
    future: MaybeUninit<F>,
    /// The future may borrow from itself once polled: never move it.
    _pinned: PhantomPinned,
}

impl<F> Body<F> {
    pub(crate) fn new(future: F) -> Self {
        Body {
            alive: true,
            future: MaybeUninit::new(future),
            _pinned: PhantomPinned,
        }
    }

    /// The future, pinned where it lies.
    ///
    /// # Panics
    /// When it has been dropped (callers only ask for the future of a Running generator, whose
    /// body is alive; the check keeps a broken invariant from becoming a use after free).
    #[inline(always)]
    pub(crate) fn future(self: Pin<&mut Self>) -> Pin<&mut F> {
        if !self.alive {
            body_gone();
        }
        // SAFETY: `alive` says the value is initialised. The projection is structural pinning:
        // `Body` is `!Unpin`, never moves `future` out, and drops it in place (`drop_future`,
        // `Drop`), so a pinned `Body` gives a pinned future.
        unsafe { self.map_unchecked_mut(|body| body.future.assume_init_mut()) }
    }

    /// Drops the future in place, once: runs the body's destructors (Python's `finally`).
    pub(crate) fn drop_future(self: Pin<&mut Self>) {
        // SAFETY: nothing is moved out; `drop_in_place` below is the only use of the pointer.
        let this = unsafe { self.get_unchecked_mut() };
        this.drop_in_place();
    }

    fn drop_in_place(&mut self) {
        if self.alive {
            // Marked first: should a destructor panic, the value is never dropped again.
            self.alive = false;
            // SAFETY: `alive` was true, so the value is initialised and not yet dropped; it is
            // dropped where it lies, as pinning requires.
            unsafe { self.future.assume_init_drop() };
        }
    }
}

impl<F> Drop for Body<F> {
    fn drop(&mut self) {
        self.drop_in_place();
    }
}

impl<F> fmt::Debug for Body<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Body")
            .field("alive", &self.alive)
            .finish_non_exhaustive()
    }
}

#[cold]
#[inline(never)]
fn body_gone() -> ! {
    panic!("cogen: a generator's body was polled after it had been dropped")
}
