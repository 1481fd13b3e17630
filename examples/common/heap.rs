//! A counting global allocator: the heap bytes this thread has live now, and the most it has
//! had live since the last [`peak_during`] began. Per thread, so that a test harness's other
//! threads do not disturb the counts. Sizes are the requested ones (`Layout::size`); a
//! `realloc` counts as its change in size, as Python's `tracemalloc` does.
//!
//! The includer declares the static:
//!
//! ```ignore
//! #[global_allocator]
//! static GLOBAL: heap::CountingAllocator = heap::CountingAllocator;
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub struct CountingAllocator;

thread_local! {
    // `isize`: memory made on another thread and freed on this one takes the count down.
    static CURRENT: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn grow(bytes: isize) {
    // `try_with`: nothing to count (and no panic) while the thread's locals are torn down.
    let _ = CURRENT.try_with(|current| {
        let now = current.get().wrapping_add(bytes);
        current.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grow(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grow(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        grow(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            grow(new_size as isize - layout.size() as isize);
        }
        new
    }
}

/// Runs `f` and returns its result with the most heap bytes that were live at once while it
/// ran, above those live when it began (what `f` returns is included: it is live at the end).
pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = CURRENT.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    let result = f();
    let peak = PEAK.with(Cell::get);
    (result, (peak - base).max(0) as usize)
}
