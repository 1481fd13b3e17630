//! Keeping an adapter's state true when user code panics in the middle of a step.

/// Writes `value` into `place` if dropped. Armed around a call of user code (a source's `next`,
/// an item's `Clone`) and disarmed after it, it acts only when that code panics, and leaves the
/// adapter in the state that says what the panic broke (a slice ended, a tuple to make again).
/// Disarming costs nothing: the write sits on the unwinding path only.
pub(crate) struct OnUnwind<'a, T: Copy> {
    place: &'a mut T,
    value: T,
}

impl<'a, T: Copy> OnUnwind<'a, T> {
    #[inline(always)]
    pub(crate) fn arm(place: &'a mut T, value: T) -> Self {
        OnUnwind { place, value }
    }

    /// The call returned: nothing to write.
    #[inline(always)]
    pub(crate) fn disarm(self) {
        core::mem::forget(self);
    }
}

impl<T: Copy> Drop for OnUnwind<'_, T> {
    fn drop(&mut self) {
        *self.place = self.value;
    }
}
