//! User code that panics while cogen holds internal state: an item's `Clone`, a value's `Drop`,
//! a key function, a source iterator, a done callback, a task's output. Each test makes the
//! panic strike in the middle of an operation, catches it, goes on, and checks that nothing
//! was lost that was owed, nothing was given twice or out of order, and (by counting live
//! values) nothing was freed early, twice, or never.
//!
//! CI runs this file in debug and in release builds (`.ci/run`): a count that underflows
//! panics in debug and wraps silently in release, so both must pass.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use cogen::iter::{
    GroupBy, IterExt, KeyFn, accumulate_from, accumulate_initial, batched, cycle, groupby,
    groupby_key, pairwise, permutations, product, product_array, product_repeat_all, tee,
    zip_longest, zip_longest_array,
};
use cogen::pool::{FutureError, ThreadPoolExecutor};
use cogen::rt::{self, TaskError};
use serde_json::Value;

thread_local! {
    /// Clones this thread may still make before one panics (`None`: never).
    static CLONES_BEFORE_PANIC: Cell<Option<usize>> = const { Cell::new(None) };
    /// `Tracked` values alive on this thread: made or cloned, minus dropped.
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

/// Makes the clone after `clones` more successful ones panic (once).
fn panic_after_clones(clones: usize) {
    CLONES_BEFORE_PANIC.with(|left| left.set(Some(clones)));
}

fn live() -> isize {
    LIVE.with(Cell::get)
}

/// A value that counts its live copies and whose `clone` panics when armed.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Tracked(u32);

impl Tracked {
    fn new(value: u32) -> Self {
        LIVE.with(|live| live.set(live.get() + 1));
        Tracked(value)
    }
}

impl Clone for Tracked {
    fn clone(&self) -> Self {
        let armed = CLONES_BEFORE_PANIC.with(|left| match left.get() {
            Some(0) => {
                left.set(None);
                true
            }
            Some(n) => {
                left.set(Some(n - 1));
                false
            }
            None => false,
        });
        if armed {
            panic!("the clone of Tracked({}) panicked", self.0);
        }
        Tracked::new(self.0)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        LIVE.with(|live| live.set(live.get() - 1));
    }
}

/// `a + b` makes a new value and drops both (so the live count stays right), as Python's `+`.
impl std::ops::Add for Tracked {
    type Output = Tracked;
    fn add(self, other: Tracked) -> Tracked {
        Tracked::new(self.0 + other.0)
    }
}

fn tracked(values: impl IntoIterator<Item = u32>) -> Vec<Tracked> {
    values.into_iter().map(Tracked::new).collect()
}

fn values<'a>(items: impl IntoIterator<Item = &'a Tracked>) -> Vec<u32> {
    items.into_iter().map(|item| item.0).collect()
}

fn disarm() {
    CLONES_BEFORE_PANIC.with(|left| left.set(None));
}

/// Calls `next` until it gives `None`, catching panics (at most `max_panics` of them): the
/// values given, in order, and the number of calls that panicked. Disarms clones at the end.
fn drain<T>(mut next: impl FnMut() -> Option<T>, max_panics: usize) -> (Vec<T>, usize) {
    let mut given = Vec::new();
    let mut panics = 0;
    loop {
        match catch_unwind(AssertUnwindSafe(&mut next)) {
            Ok(Some(item)) => given.push(item),
            Ok(None) => {
                disarm();
                return (given, panics);
            }
            Err(_) => {
                panics += 1;
                assert!(panics <= max_panics, "more panics than armed");
            }
        }
    }
}

#[test]
fn tee_keeps_every_item_for_every_branch_when_a_clone_panics() {
    let before = live();
    let mut branches = tee(tracked(0..8), 3);
    let (mut a, mut b, mut c) = (branches.remove(0), branches.remove(0), branches.remove(0));
    // `a` leads: each item it reads from the source is cloned for it and buffered for b and c.
    let mut seen_a = values(&a.by_ref().take(2).collect::<Vec<_>>());
    panic_after_clones(0);
    assert!(catch_unwind(AssertUnwindSafe(|| a.next())).is_err());
    // The item that `a` failed to get is buffered for all three; `a` gets it now.
    let (rest_a, _) = drain(|| a.next(), 0);
    seen_a.extend(values(&rest_a));
    assert_eq!(seen_a, (0..8).collect::<Vec<_>>());
    // `b` is behind, with the buffer's front shared (index 0, more readers to come), and
    // refills its queue in runs: clones panic at the front and in the middle of a run.
    panic_after_clones(0);
    let (first_b, panics) = drain(|| b.next(), 1);
    assert_eq!(panics, 1);
    assert_eq!(values(&first_b), (0..8).collect::<Vec<_>>());
    drop(first_b);
    // `c`, the last reader, gets every item without a clone.
    panic_after_clones(0);
    let all_c: Vec<Tracked> = c.by_ref().collect();
    assert_eq!(values(&all_c), (0..8).collect::<Vec<_>>());
    disarm();
    drop((rest_a, all_c, a, b, c));
    assert_eq!(live(), before, "every item freed exactly once");
}

#[test]
fn tee_branches_behind_get_every_item_when_clones_panic_mid_run() {
    let before = live();
    for strike in 0..12 {
        let [mut lead, mut middle, mut last] = cogen::iter::tee_array(tracked(0..10));
        let led: Vec<Tracked> = lead.by_ref().collect();
        assert_eq!(values(&led), (0..10).collect::<Vec<_>>());
        // `middle` reads the buffered items (cloned: `last` still needs them).
        panic_after_clones(strike);
        let (got, _) = drain(|| middle.next(), 1);
        assert_eq!(values(&got), (0..10).collect::<Vec<_>>(), "strike {strike}");
        disarm();
        let rest: Vec<Tracked> = last.by_ref().collect();
        assert_eq!(
            values(&rest),
            (0..10).collect::<Vec<_>>(),
            "strike {strike}"
        );
        drop((led, got, rest, lead, middle, last));
    }
    assert_eq!(live(), before);
}

#[test]
fn cloning_a_tee_branch_whose_queue_clone_panics_changes_no_count() {
    let before = live();
    let [mut a, mut b] = cogen::iter::tee_array(tracked(0..200));
    let _: Vec<Tracked> = a.by_ref().collect();
    // `b` takes a run of buffered items into its own queue.
    assert_eq!(b.next().map(|item| item.0), Some(0));
    panic_after_clones(3);
    assert!(catch_unwind(AssertUnwindSafe(|| b.clone())).is_err());
    // No phantom third branch: once `b` has read everything, the shared buffer is empty and
    // the only items alive are the ones `b` gave out.
    let rest: Vec<Tracked> = b.by_ref().collect();
    assert_eq!(values(&rest), (1..200).collect::<Vec<_>>());
    assert_eq!(live() - before, rest.len() as isize);
    drop((rest, a, b));
    assert_eq!(live(), before);
}

#[test]
fn tee_drop_of_a_branch_whose_items_panic_on_drop_keeps_the_state_whole() {
    thread_local! {
        static ARMED: Cell<bool> = const { Cell::new(false) };
    }
    /// Item 2 panics when dropped while armed (once).
    #[derive(Clone)]
    struct Bomb(u32);
    impl Drop for Bomb {
        fn drop(&mut self) {
            if self.0 == 2 && ARMED.with(|armed| armed.replace(false)) {
                panic!("Bomb(2) dropped");
            }
        }
    }
    let mut branches = tee((0..5).map(Bomb), 3);
    let mut lead = branches.remove(0);
    let (slow, mut other) = (branches.remove(0), branches.remove(0));
    let _ = lead.by_ref().count();
    let read: Vec<u32> = other.by_ref().take(3).map(|b| b.0).collect();
    assert_eq!(read, [0, 1, 2]);
    // Dropping the slowest branch frees the buffered 0, 1 and 2: the last one panics.
    ARMED.with(|armed| armed.set(true));
    assert!(catch_unwind(AssertUnwindSafe(move || drop(slow))).is_err());
    assert!(
        !ARMED.with(Cell::get),
        "the panic came from the tee freeing item 2"
    );
    // `other` still reads 3 and 4, each once, in order.
    let rest: Vec<u32> = other.by_ref().map(|b| b.0).collect();
    assert_eq!(rest, [3, 4]);
}

/// A key whose `Clone` panics when armed (keys are cloned when a group starts).
#[derive(Debug, PartialEq)]
struct Key(Tracked);

impl Clone for Key {
    fn clone(&self) -> Self {
        Key(self.0.clone())
    }
}

#[test]
fn groupby_gives_a_group_whose_key_clone_panicked_on_the_next_call() {
    let before = live();
    // Python: [(k, list(g)) for k, g in groupby(range(6), key=lambda x: x // 2)]
    let expected: Vec<(u32, Vec<u32>)> = vec![(0, vec![0, 1]), (1, vec![2, 3]), (2, vec![4, 5])];
    for strike in 0..3 {
        let mut groups = groupby_key(0..6u32, |n| Key(Tracked::new(n / 2)));
        panic_after_clones(strike);
        let (got, panics) = drain(
            || {
                groups
                    .next()
                    .map(|(key, group)| (key.0.0, group.collect::<Vec<_>>()))
            },
            1,
        );
        assert_eq!(panics, 1, "strike {strike}");
        assert_eq!(got, expected, "strike {strike}");
    }
    assert_eq!(live(), before);
}

#[test]
fn accumulate_keeps_its_total_right_when_a_clone_panics() {
    let before = live();
    let add = |total: &Tracked, n: u32| Tracked::new(total.0 + n);
    // Python: list(accumulate([1, 2, 3, 4], initial=0)) == [0, 1, 3, 6, 10]
    for strike in 0..5 {
        let mut totals = accumulate_initial([1, 2, 3, 4], Tracked::new(0), add);
        panic_after_clones(strike);
        let (got, panics) = drain(|| totals.next(), 1);
        assert_eq!(panics, 1);
        // The total whose clone panicked is not given; every later one is right.
        let mut expected = vec![0, 1, 3, 6, 10];
        expected.remove(strike);
        assert_eq!(values(&got), expected, "strike {strike}");
    }
    assert_eq!(live(), before);
}

#[test]
fn accumulate_from_keeps_its_total_right_when_a_clone_panics() {
    let before = live();
    // Python: list(accumulate([1, 2, 3, 4], initial=0))
    let expected: Vec<u32> =
        values(&accumulate_from(tracked([1, 2, 3, 4]), Tracked::new(0)).collect::<Vec<_>>());
    assert_eq!(expected, [0, 1, 3, 6, 10]);
    // Clones: the initial total given out (0), then for each item the total that `+` takes
    // (odd strikes) and the new total given out (even strikes).
    for strike in 0..9 {
        let mut totals = accumulate_from(tracked([1, 2, 3, 4]), Tracked::new(0));
        panic_after_clones(strike);
        let (got, panics) = drain(|| totals.next(), 1);
        assert_eq!(panics, 1, "strike {strike}");
        // A total whose clone for the caller panicked is not given; a panic before the item
        // is read loses nothing. Every later total is right.
        let mut expected = expected.clone();
        if strike % 2 == 0 {
            expected.remove(strike / 2);
        }
        assert_eq!(values(&got), expected, "strike {strike}");
    }
    assert_eq!(live(), before);
}

#[test]
fn groupby_and_group_clones_that_panic_leave_the_originals_whole() {
    let before = live();
    type Rows = Vec<(u32, Vec<u32>)>;
    fn rest<I: Iterator<Item = Tracked>>(runs: GroupBy<I, cogen::iter::Identity>) -> Rows {
        runs.map(|(key, group)| (key.0, values(&group.collect::<Vec<_>>())))
            .collect()
    }
    // Python: [(k, list(g)) for k, g in groupby([0, 0, 1, 1, 2])]
    let after_first: Rows = vec![(1, vec![1, 1]), (2, vec![2])];
    // Two places to copy from: the first group just given out (its first item read ahead),
    // and the first group read to its end (the next group's first item read ahead).
    for read_first_group in [false, true] {
        let mut copies = [0, 0];
        for strike in 0.. {
            let mut runs = groupby(tracked([0, 0, 1, 1, 2]));
            let (key, mut group) = runs.next().unwrap();
            assert_eq!(key.0, 0);
            drop(key);
            let group_left = if read_first_group {
                assert_eq!(values(&group.by_ref().collect::<Vec<_>>()), [0, 0]);
                vec![]
            } else {
                vec![0, 0]
            };
            // The group's clone: every clone inside it, in turn, panics.
            panic_after_clones(strike);
            let copied = catch_unwind(AssertUnwindSafe(|| group.clone()));
            disarm();
            if let Ok(copy) = copied {
                copies[0] += 1;
                assert_eq!(
                    values(&copy.collect::<Vec<_>>()),
                    group_left,
                    "strike {strike}"
                );
            }
            // Then the groupby's.
            panic_after_clones(strike);
            let copied = catch_unwind(AssertUnwindSafe(|| runs.clone()));
            disarm();
            if let Ok(copy) = copied {
                copies[1] += 1;
                assert_eq!(rest(copy), after_first, "strike {strike}");
            }
            // The originals give what they would have given.
            assert_eq!(
                values(&group.collect::<Vec<_>>()),
                group_left,
                "strike {strike}"
            );
            assert_eq!(rest(runs), after_first, "strike {strike}");
            assert_eq!(
                live(),
                before,
                "strike {strike}: every value freed exactly once"
            );
            if copies == [1, 1] {
                // Both clones made it: no clone is left to strike.
                assert!(
                    strike > 3,
                    "the clones clone the source, the key and the items"
                );
                break;
            }
            assert!(strike < 20, "a clone that always panics");
        }
    }
}

#[test]
fn cycle_saves_its_whole_first_pass_when_a_clone_panics() {
    let before = live();
    for strike in 0..8 {
        let mut items = cycle(tracked(0..4));
        panic_after_clones(strike);
        let mut got = Vec::new();
        let mut panics = 0;
        while got.len() < 10 {
            match catch_unwind(AssertUnwindSafe(|| items.next())) {
                Ok(item) => got.push(item.expect("a cycle is endless").0),
                Err(_) => panics += 1,
            }
        }
        assert_eq!(panics, 1);
        // In the first pass the item is lost to the caller (it is saved); in the replay the
        // same item comes again.
        let expected: Vec<u32> = if strike < 4 {
            (0..4)
                .filter(|&n| n != strike as u32)
                .chain((0..4).cycle())
                .take(10)
                .collect()
        } else {
            (0..4).cycle().take(10).collect()
        };
        assert_eq!(got, expected, "strike {strike}");
    }
    assert_eq!(live(), before);
}

#[test]
fn cycle_replays_when_the_sources_drop_panics_at_its_end() {
    struct Source(std::vec::IntoIter<u32>);
    impl Iterator for Source {
        type Item = u32;
        fn next(&mut self) -> Option<u32> {
            self.0.next()
        }
    }
    impl Drop for Source {
        fn drop(&mut self) {
            panic!("the source's destructor failed");
        }
    }
    let mut items = cycle(Source(vec![1, 2].into_iter()));
    assert_eq!((items.next(), items.next()), (Some(1), Some(2)));
    assert!(catch_unwind(AssertUnwindSafe(|| items.next())).is_err());
    assert_eq!(items.take(5).collect::<Vec<_>>(), [1, 2, 1, 2, 1]);
}

/// `product(range(2), range(2), range(2))`, `permutations(range(3))` and their values.
fn expected_product() -> Vec<Vec<u32>> {
    let mut rows = Vec::new();
    for a in 0..2 {
        for b in 0..2 {
            for c in 0..2 {
                rows.push(vec![a, b, c]);
            }
        }
    }
    rows
}

#[test]
fn product_makes_the_tuple_whose_clone_panicked_again_whole() {
    let before = live();
    // Moving from (0, 1, 1) to (1, 0, 0) refreshes three items; clones panic at each point.
    for strike in 0..16 {
        let mut rows = product([tracked(0..2), tracked(0..2), tracked(0..2)]);
        panic_after_clones(strike);
        let (got, _) = drain(|| rows.next_ref().map(values), 1);
        assert_eq!(got, expected_product(), "next_ref, strike {strike}");

        let mut rows = product([tracked(0..2), tracked(0..2), tracked(0..2)]);
        panic_after_clones(strike);
        let (got, _) = drain(|| rows.next().map(|row| values(&row)), 1);
        let mut expected = expected_product();
        if got.len() < expected.len() {
            // `next` clones the lent row into a `Vec` after the state moved on: that row is
            // lost, the rest are right.
            let lost = expected
                .iter()
                .position(|row| !got.contains(row))
                .expect("one row lost");
            expected.remove(lost);
        }
        assert_eq!(got, expected, "next, strike {strike}");

        let mut rows = product_array([tracked(0..2), tracked(0..2), tracked(0..2)]);
        panic_after_clones(strike);
        let (got, _) = drain(|| rows.next().map(|row| values(&row)), 1);
        assert_eq!(got, expected_product(), "array, strike {strike}");

        // Python: product(range(2), repeat=3), one input stored once for three slots.
        let mut rows = product_repeat_all([tracked(0..2)], 3);
        panic_after_clones(strike);
        let (got, _) = drain(|| rows.next_ref().map(values), 1);
        assert_eq!(got, expected_product(), "repeat_all, strike {strike}");
    }
    disarm();
    assert_eq!(live(), before);
}

#[test]
fn permutations_make_the_tuple_whose_clone_panicked_again_whole() {
    let before = live();
    let expected: Vec<Vec<u32>> = permutations(0..3u32, None).collect();
    for strike in 0..12 {
        let mut rows = permutations(tracked(0..3), None);
        panic_after_clones(strike);
        let (got, _) = drain(|| rows.next_ref().map(values), 1);
        assert_eq!(got, expected, "strike {strike}");
    }
    disarm();
    assert_eq!(live(), before);
}

#[test]
fn pairwise_loses_only_the_pair_whose_clone_panicked() {
    let before = live();
    for strike in 0..4 {
        let mut pairs = pairwise(tracked(0..5));
        panic_after_clones(strike);
        let (got, panics) = drain(|| pairs.next().map(|(a, b)| (a.0, b.0)), 1);
        assert_eq!(panics, 1);
        let mut expected = vec![(0, 1), (1, 2), (2, 3), (3, 4)];
        expected.remove(strike);
        assert_eq!(got, expected, "strike {strike}");
    }
    assert_eq!(live(), before);
}

#[test]
fn zip_longest_keeps_its_inputs_in_step_when_the_fill_clone_panics() {
    let before = live();
    let inputs = || [tracked([0, 1]), tracked([10]), tracked([20, 21, 22])];
    // Python: list(zip_longest([0, 1], [10], [20, 21, 22], fillvalue=-1))
    let all = vec![vec![0, 10, 20], vec![1, 99, 21], vec![99, 99, 22]];
    for strike in 0..3 {
        let mut rows = zip_longest_array(inputs(), Tracked::new(99));
        panic_after_clones(strike);
        let (got, panics) = drain(|| rows.next().map(|row| values(&row)), 1);
        assert_eq!(panics, 1);
        // The fill's clones: one in row 2, two in row 3. The row that panicked is lost; no
        // input is left a row ahead of the others.
        let mut expected = all.clone();
        expected.remove(if strike == 0 { 1 } else { 2 });
        assert_eq!(got, expected, "array, strike {strike}");

        let mut rows = zip_longest(inputs(), Tracked::new(99));
        panic_after_clones(strike);
        let (got, _) = drain(|| rows.next().map(|row| values(&row)), 1);
        assert_eq!(got, expected, "vec, strike {strike}");
    }
    assert_eq!(live(), before);
}

#[test]
fn the_methods_share_the_free_functions_guarantees() {
    let before = live();
    let mut lead_and_rest = tracked(0..3).into_iter().tee(2);
    let mut lead = lead_and_rest.remove(0);
    panic_after_clones(1);
    let (got, panics) = drain(|| lead.next(), 1);
    assert_eq!((values(&got), panics), (vec![0, 1, 2], 1));
    let rest: Vec<Tracked> = lead_and_rest.remove(0).collect();
    assert_eq!(values(&rest), [0, 1, 2]);
    drop((got, rest, lead));
    assert_eq!(live(), before);
}

/// A value whose `Clone` or `Drop` panics, for the pool and the event loop.
#[derive(Debug)]
struct Fragile {
    value: u32,
    panic_on_clone: bool,
    panic_on_drop: bool,
}

impl Clone for Fragile {
    fn clone(&self) -> Self {
        assert!(!self.panic_on_clone, "Fragile::clone panicked");
        Fragile {
            value: self.value,
            panic_on_clone: false,
            panic_on_drop: false,
        }
    }
}

impl Drop for Fragile {
    fn drop(&mut self) {
        if self.panic_on_drop && !std::thread::panicking() {
            panic!("Fragile::drop panicked");
        }
    }
}

fn fragile(value: u32, panic_on_clone: bool, panic_on_drop: bool) -> Fragile {
    Fragile {
        value,
        panic_on_clone,
        panic_on_drop,
    }
}

#[test]
fn a_pool_future_whose_value_fails_to_clone_still_gives_it_to_join() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    let future = pool.submit(|| fragile(7, true, false)).unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| future.result(None))).is_err());
    assert!(future.done());
    assert_eq!(future.join().map(|value| value.value), Ok(7));
}

#[test]
fn a_worker_survives_a_value_whose_drop_panics_and_a_panicking_callback_payload() {
    let pool = ThreadPoolExecutor::with_max_workers(1);
    // Nobody holds the future when the task ends: the worker drops the value, whose destructor
    // panics.
    let (go, wait) = mpsc::channel::<()>();
    drop(
        pool.submit(move || {
            wait.recv().unwrap();
            fragile(1, false, true)
        })
        .unwrap(),
    );
    go.send(()).unwrap();
    // A done callback that panics with a payload whose own destructor panics.
    struct LoudPayload;
    impl Drop for LoudPayload {
        fn drop(&mut self) {
            panic!("the payload's destructor panicked");
        }
    }
    let (ran, callbacks) = mpsc::channel();
    let future = pool.submit(|| 2).unwrap();
    future.add_done_callback(|_| std::panic::panic_any(LoudPayload));
    future.add_done_callback(move |done| ran.send(done.result(None)).unwrap());
    assert_eq!(
        callbacks.recv_timeout(Duration::from_secs(30)),
        Ok(Ok(2)),
        "the callbacks after the panicking one still ran"
    );
    assert_eq!(
        future.join(),
        Ok(2),
        "join is not left waiting for the callbacks"
    );
    // The single worker still runs tasks.
    assert_eq!(pool.submit(|| 3).unwrap().join(), Ok(3));
    let ran_after = Arc::new(Mutex::new(false));
    let flag = Arc::clone(&ran_after);
    pool.submit(move || *flag.lock().unwrap() = true)
        .unwrap()
        .join()
        .unwrap();
    assert!(*ran_after.lock().unwrap());
    assert!(matches!(
        pool.submit(|| -> u32 { panic!("task") }).unwrap().join(),
        Err(FutureError::Panicked(_))
    ));
}

#[test]
fn the_event_loop_survives_a_detached_tasks_output_whose_drop_panics() {
    let outcome = rt::run(async {
        // Detached: the loop drops the output when the task ends, and the destructor panics.
        drop(rt::spawn(async { fragile(1, false, true) }));
        rt::sleep(Duration::ZERO).await;
        rt::sleep(Duration::ZERO).await;
        // A cancelled task whose body panics while dropped.
        let doomed = rt::spawn(async {
            let _bomb = fragile(2, false, true);
            rt::sleep(Duration::from_secs(3600)).await;
        });
        rt::sleep(Duration::ZERO).await;
        assert!(doomed.cancel());
        let cancelled = doomed.await;
        let next = rt::spawn(async { 3 }).await;
        (cancelled, next)
    });
    assert_eq!(outcome, (Err(TaskError::Cancelled), Ok(3)));
}

/// The iterator of `tests/fixtures/panic_safety/cases.py`: 1..=8, whose `fail_at`-th call
/// panics (where Python's raises ValueError) and gives no item.
struct Source {
    calls: u32,
    number: u32,
    fail_at: u32,
}

fn source(fail_at: u32) -> Source {
    Source {
        calls: 0,
        number: 0,
        fail_at,
    }
}

impl Iterator for Source {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.calls += 1;
        assert!(self.calls != self.fail_at, "the source failed");
        self.number += 1;
        (self.number <= 8).then_some(self.number)
    }
}

/// Each call's outcome, as the fixture records it: the value, or "raised" for a panic.
fn outcomes(mut next: impl FnMut() -> Option<Value>, limit: usize) -> Value {
    let mut outcomes = Vec::new();
    while outcomes.len() < limit {
        match catch_unwind(AssertUnwindSafe(&mut next)) {
            Ok(Some(value)) => outcomes.push(value),
            Ok(None) => break,
            Err(_) => outcomes.push(Value::from("raised")),
        }
    }
    Value::from(outcomes)
}

fn all<T: Into<Value>>(iter: impl Iterator<Item = T>) -> Value {
    let mut iter = iter;
    outcomes(|| iter.next().map(Into::into), 40)
}

/// Each group as `[key, [outcomes of its items]]`, read in full as it comes.
fn groupby_lists<I, F>(mut groups: GroupBy<I, F>) -> Value
where
    I: Iterator<Item = u32>,
    F: KeyFn<u32, Key = u32>,
{
    let mut listed = Vec::new();
    loop {
        match catch_unwind(AssertUnwindSafe(|| groups.next())) {
            Ok(Some((key, mut group))) => {
                listed.push(Value::from(vec![
                    Value::from(key),
                    outcomes(|| group.next().map(Value::from), 40),
                ]));
            }
            Ok(None) => return Value::from(listed),
            Err(_) => listed.push(Value::from("raised")),
        }
    }
}

/// Every itertools adapter over a source that panics once, against CPython over one that
/// raises once: those that go on after the error go on, those that end end.
#[test]
fn adapters_over_a_source_that_panics_once_do_what_cpython_does() {
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/panic_safety/cases.json")).unwrap();
    let cases = fixture["cases"].as_object().expect("cases by adapter");
    type Adapter = fn(Source) -> Value;
    let adapters: [(&str, Adapter); 13] = [
        ("accumulate", |s| all(cogen::iter::accumulate(s))),
        ("batched", |s| all(batched(s, 3))),
        ("cycle", |s| {
            let mut items = cycle(s);
            outcomes(|| items.next().map(Value::from), 14)
        }),
        ("pairwise", |s| all(pairwise(s).map(|(a, b)| vec![a, b]))),
        ("islice", |s| all(cogen::iter::islice(s, (1..7, 2)))),
        ("compress", |s| {
            all(cogen::iter::compress(s, [1, 0, 1, 1, 0, 1, 1, 1, 0]))
        }),
        ("filterfalse", |s| {
            all(cogen::iter::filterfalse(s, |n| n % 2 != 0))
        }),
        ("dropwhile", |s| all(cogen::iter::dropwhile(s, |n| *n < 3))),
        ("takewhile", |s| all(cogen::iter::takewhile(s, |n| *n < 6))),
        ("zip_longest", |s| {
            all(
                cogen::iter::zip_longest_pair(s, "abcde".chars()).map(|(a, b)| {
                    let side = |value: Option<Value>| value.unwrap_or_else(|| Value::from("-"));
                    vec![
                        side(a.map(Value::from)),
                        side(b.map(|c| c.to_string().into())),
                    ]
                }),
            )
        }),
        ("chain", |s| {
            let parts: [Box<dyn Iterator<Item = u32>>; 2] =
                [Box::new(s), Box::new([100].into_iter())];
            all(cogen::iter::chain(parts))
        }),
        ("groupby", |s| groupby_lists(groupby_key(s, |n| n / 3))),
        ("tee", |s| {
            let [a, b] = cogen::iter::tee_array(s);
            Value::from(vec![all(a), all(b)])
        }),
    ];
    assert_eq!(adapters.len(), cases.len(), "every adapter of the fixture");
    for (name, adapter) in adapters {
        for (fail_at, expected) in cases[name].as_object().expect("cases by fail_at") {
            let got = adapter(source(fail_at.parse().unwrap()));
            assert_eq!(&got, expected, "{name}, failing at call {fail_at}");
        }
    }
}

/// A groupby key function that panics loses the item it was given, as CPython loses the item
/// whose key function raised; the groups go on.
#[test]
fn groupby_with_a_panicking_key_function_does_what_cpython_does() {
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/panic_safety/cases.json")).unwrap();
    let cases = fixture["groupby_key_raises"]
        .as_object()
        .expect("cases by fail_at");
    assert_eq!(cases.len(), 6);
    for (fail_at, expected) in cases {
        let fail_at: u32 = fail_at.parse().unwrap();
        let mut calls = 0;
        let key = move |n: &u32| {
            calls += 1;
            assert!(calls != fail_at, "the key function failed");
            *n
        };
        let got = groupby_lists(groupby_key([1, 1, 2, 2, 3], key));
        assert_eq!(&got, expected, "failing at call {fail_at}");
    }
}
