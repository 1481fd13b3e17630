//! The pinned slot that holds a generator's body future: polled only through `Pin<&mut F>`,
//! dropped in place exactly once.
//!
//! An `async` body may keep a reference into itself across a yield (`let r = &mut local;` then
//! `co.yield_(..).await` then `*r += 1`). Between polls that reference lives inside the future's
//! own bytes, so any *other* reference covering those bytes (a `&Frame` taken to read the
//! generator's state, say) would assert, under Rust's aliasing rules, that they do not change
//! behind it, and invalidate the body's own borrow: undefined behaviour that Miri reports under
//! Stacked and Tree Borrows. So the future sits in an `UnsafeCell`, which makes a shared
//! reference to the slot assert nothing about it (as std's and tokio's task cells do), and the
//! slot is `!Unpin`, which does the same for `&mut`. The future itself is only ever reached as
//! `Pin<&mut F>` for a poll, or as a raw pointer to drop it in place. The `alive` flag lies
//! outside the cell, so reading it never touches the future's bytes. (A plain `bool`, not a
//! `Cell`: the `Cell` cost one instruction per `send`, measured with callgrind.)

use core::cell::UnsafeCell;
use core::fmt;
use core::marker::PhantomPinned;
use core::mem::MaybeUninit;
use core::pin::Pin;

pub(crate) struct Body<F> {
    /// Whether `future` holds a value not yet dropped.
    alive: bool,
    future: UnsafeCell<MaybeUninit<F>>,
    /// The future may borrow from itself once polled: never move it, and keep `&mut Body`
    /// from claiming unique access to it.
    _pinned: PhantomPinned,
}

impl<F> Body<F> {
    pub(crate) fn new(future: F) -> Self {
        Body {
            alive: true,
            future: UnsafeCell::new(MaybeUninit::new(future)),
            _pinned: PhantomPinned,
        }
    }

    /// The future, pinned where it lies, for one poll.
    ///
    /// # Safety
    /// The future is alive (not dropped yet). The frame asks only for the future of a Running
    /// generator, which it checks first; a frame is Running only between `begin` (which never
    /// runs on a Closed frame) and the end of a step, and it marks itself Closed before it drops
    /// its body.
    #[inline(always)]
    pub(crate) unsafe fn future(self: Pin<&mut Self>) -> Pin<&mut F> {
        debug_assert!(
            self.alive,
            "cogen: a generator's body polled after it was dropped"
        );
        let future = self.future.get().cast::<F>();
        // SAFETY: the caller guarantees the value is alive, hence initialised (`MaybeUninit<F>`
        // has `F`'s layout, so the cast pointer is to it). The pointer comes from the cell, so it
        // may be used for writes, and `Pin<&mut Self>` is the caller's unique access to the slot,
        // lent for as long as the returned reference lives: no other reference to the future
        // exists meanwhile. Pinning is structural: `Body` is `!Unpin`, never moves the future
        // out, and drops it in place (`drop_future`, `Drop`), so a pinned `Body` gives a pinned
        // future.
        unsafe { Pin::new_unchecked(&mut *future) }
    }

    /// Drops the future in place, once: runs the body's destructors (Python's `finally`).
    pub(crate) fn drop_future(self: Pin<&mut Self>) {
        // SAFETY: nothing is moved out: `drop_in_place` drops the future where it lies. The
        // `&mut Body` claims no unique access to the future's bytes (`Body` is `!Unpin`, and the
        // future sits in an `UnsafeCell`), so the future's borrows of itself stay valid.
        unsafe { self.get_unchecked_mut() }.drop_in_place();
    }

    fn drop_in_place(&mut self) {
        if self.alive {
            // Marked first: should a destructor panic, the value is never dropped again.
            self.alive = false;
            // SAFETY: `alive` was true, so the value is initialised and not yet dropped; it is
            // dropped where it lies, as pinning requires, through the cell's pointer. `&mut self`
            // is the only access to the slot meanwhile.
            unsafe { core::ptr::drop_in_place(self.future.get().cast::<F>()) };
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
