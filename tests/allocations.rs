//! Heap allocations, counted by a global allocator: none per yield, one per boxed generator,
//! none for a generator whose frame is pinned on the stack, none per item of the itertools.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::pin::pin;

use cogen::{Co, Frame, Gen, Step};

struct CountingAllocator;

thread_local! {
    // Per thread, so that the test harness's own threads do not disturb the counts.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations_during<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATIONS.with(Cell::get);
    let result = f();
    (ALLOCATIONS.with(Cell::get) - before, result)
}

/// Enough steps that one allocation per step could not hide; fewer under Miri, which
/// interprets every step.
const ITEMS: u64 = if cfg!(miri) { 300 } else { 10_000 };

#[test]
fn a_boxed_generator_allocates_once_whatever_it_yields() {
    let make = |items: u64| {
        Gen::new(move |co| async move {
            for n in 0..black_box(items) {
                co.yield_(n).await;
            }
        })
    };
    for items in [0, 1, ITEMS] {
        // Folded (`sum`: the consumer is called from each yield) and stepped (`next`).
        let (allocations, sum) = allocations_during(|| make(items).sum::<u64>());
        assert_eq!(sum, (0..items).sum::<u64>());
        assert_eq!(allocations, 1, "fold, {items} items");
        let (allocations, sum) = allocations_during(|| {
            let mut total = 0;
            for n in make(items) {
                total += n;
            }
            total
        });
        assert_eq!(sum, (0..items).sum::<u64>());
        assert_eq!(allocations, 1, "next, {items} items");
    }
}

#[test]
fn a_pinned_generator_never_allocates() {
    let (allocations, sum) = allocations_during(|| {
        let frame = pin!(Frame::new(|co| async move {
            for n in 0..black_box(ITEMS) {
                co.yield_(n).await;
            }
        }));
        Gen::pinned(frame).sum::<u64>()
    });
    assert_eq!(sum, (0..ITEMS).sum::<u64>());
    assert_eq!(allocations, 0);
}

#[test]
fn send_and_yield_from_allocate_nothing_per_step() {
    let (allocations, last) = allocations_during(|| {
        let inner = pin!(Frame::new(|co: Co<u64, u64>| async move {
            let mut total = 0;
            for _ in 0..ITEMS {
                total += co.yield_(total).await;
            }
            total
        }));
        let outer = pin!(Frame::new(|co: Co<u64, u64>| async move {
            co.yield_from(Gen::pinned(inner)).await
        }));
        let mut g = Gen::pinned(outer);
        let mut step = g.start();
        while let Step::Yielded(_) = step {
            step = g.send(2).unwrap();
        }
        step
    });
    assert_eq!(last, Step::Returned(2 * ITEMS));
    assert_eq!(allocations, 0);
}

/// How many items `next_ref` lends before the end (a macro: the three forms are different
/// types with no trait in common).
macro_rules! count_lent {
    ($rows:expr) => {{
        let mut items = 0;
        while $rows.next_ref().is_some() {
            items += 1;
        }
        items
    }};
}

/// The allocation-free combinatoric forms and the plain adapters allocate nothing per item:
/// once built, they are drained without a single allocation.
#[test]
fn itertools_allocate_nothing_per_item() {
    use cogen::iter::{
        accumulate, combinations, combinations_array, combinations_with_replacement_array, count,
        islice, pairwise, permutations, permutations_array, product, product_array,
        product_repeat_array, zip_longest_array,
    };
    let letters: Vec<char> = "ABCDEFGH".chars().collect();

    let mut arrays = product_array([letters.clone(), letters.clone(), letters.clone()]);
    let (allocations, items) = allocations_during(|| arrays.by_ref().count());
    assert_eq!((allocations, items), (0, 512), "product_array");

    let mut squares = product_repeat_array::<2, _>(letters.clone());
    let (allocations, items) = allocations_during(|| squares.by_ref().count());
    assert_eq!((allocations, items), (0, 64), "product_repeat_array");

    let mut arrays = permutations_array::<3, _>(letters.clone());
    let (allocations, items) = allocations_during(|| arrays.by_ref().count());
    assert_eq!((allocations, items), (0, 336), "permutations_array");

    let mut arrays = combinations_array::<3, _>(letters.clone());
    let (allocations, items) = allocations_during(|| arrays.by_ref().count());
    assert_eq!((allocations, items), (0, 56), "combinations_array");

    let mut arrays = combinations_with_replacement_array::<3, _>(letters.clone());
    let (allocations, items) = allocations_during(|| arrays.by_ref().count());
    assert_eq!(
        (allocations, items),
        (0, 120),
        "combinations_with_replacement_array"
    );

    // The Vec forms lend each item through `next_ref` without a new Vec.
    let mut rows = product([letters.clone(), letters.clone()]);
    let (allocations, items) = allocations_during(|| count_lent!(rows));
    assert_eq!((allocations, items), (0, 64), "product next_ref");

    let mut rows = permutations(letters.clone(), 4);
    let (allocations, items) = allocations_during(|| count_lent!(rows));
    assert_eq!((allocations, items), (0, 1680), "permutations next_ref");

    let mut rows = combinations(letters.clone(), 4);
    let (allocations, items) = allocations_during(|| count_lent!(rows));
    assert_eq!((allocations, items), (0, 70), "combinations next_ref");

    let mut pipeline = islice(pairwise(accumulate(count(0_u64, 1))), (5..5_005, 3));
    let (allocations, items) = allocations_during(|| pipeline.by_ref().count());
    assert_eq!(
        (allocations, items),
        (0, 1667),
        "islice(pairwise(accumulate(count())))"
    );

    let mut zipped = zip_longest_array([letters.clone(), vec!['x'; 3]], '-');
    let (allocations, items) = allocations_during(|| zipped.by_ref().count());
    assert_eq!((allocations, items), (0, 8), "zip_longest_array");
}
