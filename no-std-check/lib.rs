//! cogen on a target without std: generators pinned on the stack, a coroutine driven by `send`,
//! delegation with `yield_from`, and the itertools that keep nothing, with no allocator.
//! (With the `alloc` feature: a boxed generator and `throw`, with a bump allocator.)
#![no_std]

use core::pin::pin;

use cogen::iter::{accumulate, count, islice, pairwise, zip_longest_pair};
use cogen::{Co, Frame, Gen, Step};

/// The sum of the squares of `0..n`, from a generator whose frame is on the stack.
#[unsafe(no_mangle)]
pub extern "C" fn cogen_sum_of_squares(n: u32) -> u32 {
    let frame = pin!(Frame::new(|co: Co<u32>| async move {
        for i in 0..n {
            co.yield_(i.wrapping_mul(i)).await;
        }
    }));
    Gen::pinned(frame).fold(0u32, u32::wrapping_add)
}

/// Fluent Python's `averager` coroutine: sends `values[..len]` and gives the last average.
#[unsafe(no_mangle)]
pub extern "C" fn cogen_average(first: f64, second: f64, third: f64) -> f64 {
    let frame = pin!(Frame::new(|co: Co<f64, f64>| async move {
        let (mut total, mut n, mut average) = (0.0, 0.0, 0.0);
        loop {
            total += co.yield_(average).await;
            n += 1.0;
            average = total / n;
        }
    }));
    let mut averager = Gen::pinned(frame);
    let _ = averager.start();
    let mut last = 0.0;
    for value in [first, second, third] {
        if let Ok(Step::Yielded(average)) = averager.send(value) {
            last = average;
        }
    }
    last
}

/// `yield from` a pinned sub-generator, its return value, and five itertools chained.
#[unsafe(no_mangle)]
pub extern "C" fn cogen_delegate_and_chain() -> i64 {
    let inner = pin!(Frame::new(|co: Co<i64>| async move {
        co.yield_(1).await;
        co.yield_(2).await;
        10
    }));
    let outer = pin!(Frame::new(|co: Co<i64>| async move {
        let returned = co.yield_from(Gen::pinned(inner)).await;
        co.yield_(returned).await;
    }));
    let delegated: i64 = Gen::pinned(outer).sum();
    let running = accumulate(islice(count(1i64, 1), 4)); // 1 3 6 10
    let gaps = pairwise(running).map(|(a, b)| b - a); // 2 3 4
    let zipped: i64 = zip_longest_pair(gaps, 0..1i64)
        .map(|(gap, index)| gap.unwrap_or(0) + index.unwrap_or(0))
        .sum();
    delegated + zipped
}

#[cfg(feature = "alloc")]
mod with_alloc {
    extern crate alloc;

    use cogen::{Co, Gen};

    /// A boxed generator, and a value thrown into it and caught.
    #[unsafe(no_mangle)]
    pub extern "C" fn cogen_boxed_and_thrown() -> u32 {
        let mut g = Gen::new(|co: Co<u32>| async move {
            match co.yield_catching::<u32>(1).await {
                Ok(()) => 0,
                Err(thrown) => thrown,
            }
        });
        let _ = g.resume();
        match g.throw(7u32) {
            Ok(step) => step.returned().unwrap_or(0),
            Err(_) => 0,
        }
    }

    /// Enough of an allocator to link: hands out a static arena and never frees.
    struct Bump;

    static mut ARENA: [u8; 4096] = [0; 4096];
    static NEXT: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

    // SAFETY: each allocation is a distinct, suitably aligned range of the arena (or null when
    // it is full); nothing is handed out twice.
    unsafe impl core::alloc::GlobalAlloc for Bump {
        unsafe fn alloc(&self, layout: core::alloc::Layout) -> *mut u8 {
            let base = core::ptr::addr_of_mut!(ARENA).cast::<u8>();
            let mut start = 0;
            let taken = NEXT.fetch_update(
                core::sync::atomic::Ordering::Relaxed,
                core::sync::atomic::Ordering::Relaxed,
                |next| {
                    let addr = base as usize + next;
                    start = addr.next_multiple_of(layout.align()) - base as usize;
                    let end = start.checked_add(layout.size())?;
                    (end <= 4096).then_some(end)
                },
            );
            match taken {
                // SAFETY: `start + size <= 4096`, within the arena.
                Ok(_) => unsafe { base.add(start) },
                Err(_) => core::ptr::null_mut(),
            }
        }

        unsafe fn dealloc(&self, _: *mut u8, _: core::alloc::Layout) {}
    }

    #[global_allocator]
    static ALLOCATOR: Bump = Bump;
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
