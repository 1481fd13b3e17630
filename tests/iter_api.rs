//! The `iter` module's contract beyond the values: size hints, fusing, auto traits, `Clone`,
//! `Debug`, panics, how far sources are read, group emptiness, tee's buffer and the
//! allocation-free forms.

use std::fmt::Debug;
use std::iter::FusedIterator;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cogen::IterExt;
use cogen::chain;
use cogen::iter::*;

// ---------------------------------------------------------------------------------------------
// Helpers

/// Checks `size_hint` against the true number of items left, after every number of `next`
/// calls (and one past the end): always a correct bound, and exact when `exact`.
fn check_hints<I: Iterator>(what: &str, mut make: impl FnMut() -> I, exact: bool) {
    let total = make().count();
    for advanced in 0..=total + 1 {
        let mut it = make();
        for _ in 0..advanced {
            it.next();
        }
        let left = total.saturating_sub(advanced);
        let (low, high) = it.size_hint();
        assert!(
            low <= left,
            "{what}: after {advanced}: lower {low} > {left} left"
        );
        if let Some(high) = high {
            assert!(
                left <= high,
                "{what}: after {advanced}: upper {high} < {left} left"
            );
        }
        if exact {
            assert_eq!(
                (low, high),
                (left, Some(left)),
                "{what}: after {advanced}: not exact"
            );
        }
    }
}

/// Sizes of the inputs most tests run over.
const SIZES: [usize; 6] = [0, 1, 2, 3, 5, 8];

/// A source that is not fused: `None` after every `period` items, then more items.
#[derive(Clone, Debug)]
struct Stutter {
    next: u32,
    period: u32,
    paused: bool,
}

fn stutter(period: u32) -> Stutter {
    Stutter {
        next: 0,
        period,
        paused: false,
    }
}

impl Iterator for Stutter {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.paused {
            self.paused = false;
            return None;
        }
        let item = self.next;
        self.next += 1;
        self.paused = self.next % self.period == 0;
        Some(item)
    }
}

/// After the first `None`, `None` again (several times).
fn stays_none<I: Iterator>(what: &str, mut it: I)
where
    I::Item: Debug,
{
    let mut guard = 0;
    while it.next().is_some() {
        guard += 1;
        assert!(guard < 10_000, "{what}: never ended");
    }
    for _ in 0..3 {
        assert!(it.next().is_none(), "{what}: an item after None");
    }
}

fn assert_fused<I: FusedIterator>(_: &I) {}
fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

/// A value that counts its live instances and its clones.
#[derive(Debug)]
struct Tracked {
    value: u32,
    live: Arc<AtomicUsize>,
    clones: Arc<AtomicUsize>,
}

impl Tracked {
    fn source(
        n: u32,
    ) -> (
        impl Iterator<Item = Tracked>,
        Arc<AtomicUsize>,
        Arc<AtomicUsize>,
    ) {
        let live = Arc::new(AtomicUsize::new(0));
        let clones = Arc::new(AtomicUsize::new(0));
        let (l, c) = (Arc::clone(&live), Arc::clone(&clones));
        let items = (0..n).map(move |value| {
            l.fetch_add(1, Ordering::SeqCst);
            Tracked {
                value,
                live: Arc::clone(&l),
                clones: Arc::clone(&c),
            }
        });
        (items, live, clones)
    }
}

impl Clone for Tracked {
    fn clone(&self) -> Self {
        self.live.fetch_add(1, Ordering::SeqCst);
        self.clones.fetch_add(1, Ordering::SeqCst);
        Tracked {
            value: self.value,
            live: Arc::clone(&self.live),
            clones: Arc::clone(&self.clones),
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::SeqCst);
    }
}

fn live(counter: &Arc<AtomicUsize>) -> usize {
    counter.load(Ordering::SeqCst)
}

// ---------------------------------------------------------------------------------------------
// size_hint

#[test]
fn count_and_cycle_hints() {
    assert_eq!(count(0, 1).size_hint(), (usize::MAX, None));
    assert_eq!(count(0.5, 1.0).size_hint(), (usize::MAX, None));
    assert_eq!(cycle(Vec::<i32>::new()).size_hint(), (0, Some(0)));
    assert_eq!(cycle(vec![1]).size_hint(), (usize::MAX, None));
    // Unknown whether the source is empty: no lower bound, no upper bound.
    assert_eq!(cycle((0..3).filter(|_| true)).size_hint(), (0, None));
    let mut c = cycle((0..3).filter(|&x| x == 1));
    assert_eq!(c.next(), Some(1));
    assert_eq!(c.size_hint(), (usize::MAX, None));
    // After an empty first pass: known empty.
    let mut c = cycle((0..3).filter(|_| false));
    assert_eq!(c.next(), None);
    assert_eq!(c.size_hint(), (0, Some(0)));
}

#[test]
fn adapter_hints_are_exact_over_exact_sources() {
    for n in SIZES {
        let v: Vec<i32> = (0..n as i32).collect();
        check_hints("accumulate", || accumulate(v.clone()), true);
        check_hints(
            "accumulate_with",
            || accumulate_with(v.clone(), |a, b| (*a).max(b)),
            true,
        );
        check_hints(
            "accumulate_initial",
            || accumulate_initial(v.clone(), 0i64, |t, x| t + i64::from(x)),
            true,
        );
        for size in 1..=4 {
            check_hints("batched", || batched(v.clone(), size), true);
            check_hints("batched_strict", || batched_strict(v.clone(), size), true);
        }
        check_hints("pairwise", || pairwise(v.clone()), true);
        check_hints(
            "starmap",
            || starmap(v.iter().map(|&x| (x, 1)), |a, b| a + b),
            true,
        );
        check_hints("tee", || tee(v.clone(), 2).remove(0), true);
        check_hints(
            "zip_longest",
            || zip_longest([v.clone(), vec![1, 2, 3]], 0),
            true,
        );
        check_hints(
            "zip_longest_array",
            || zip_longest_array([v.clone(), vec![7]], 0),
            true,
        );
        check_hints(
            "zip_longest_pair",
            || zip_longest_pair(v.clone(), ['a', 'b', 'c']),
            true,
        );
        // std's Flatten: a correct bound, exact only once the last iterable is reached.
        check_hints("chain", || chain([v.clone(), v.clone()]), false);
        for start in [0, 1, 2, 4] {
            for stop in [None, Some(0), Some(1), Some(3), Some(6), Some(20)] {
                for step in [1, 2, 3, 7] {
                    check_hints("islice", || islice(v.clone(), (start, stop, step)), true);
                }
            }
        }
    }
}

#[test]
fn tee_hints_are_exact_for_every_branch() {
    for n in SIZES {
        // The hint of a branch that is behind another one (items in the buffer).
        let make = || {
            let mut branches = tee(0..n, 3);
            let mut ahead = branches.pop().unwrap();
            ahead.nth(n / 2);
            branches.swap_remove(0)
        };
        check_hints("tee (behind)", make, true);
    }
}

#[test]
fn adapter_hints_are_bounds_over_inexact_sources() {
    for n in SIZES {
        let source = move || (0..n as u32).filter(|x| x % 3 != 1);
        check_hints("accumulate", || accumulate(source()), false);
        check_hints("batched", || batched(source(), 2), false);
        check_hints("compress", || compress(source(), [1, 0, 1, 1, 0, 1]), false);
        check_hints("compress", || compress(0..n, source()), false);
        check_hints(
            "filterfalse",
            || filterfalse(source(), |x| x % 2 == 0),
            false,
        );
        check_hints("pairwise", || pairwise(source()), false);
        check_hints("islice", || islice(source(), (1, 5, 2)), false);
        check_hints("islice", || islice(source(), (1, None, 2)), false);
        check_hints("tee", || tee(source(), 2).remove(1), false);
        check_hints(
            "zip_longest",
            || zip_longest([source(), source()], 9),
            false,
        );
        check_hints(
            "cycle_saved + take",
            || source().cycle_saved().take(7),
            false,
        );
        let words = ["a", "a", "b", "c", "c", "c", "a"];
        check_hints("groupby", || groupby(words.iter().take(n)), false);
        check_hints("groupby_key", || groupby_key(source(), |x| x / 4), false);
        // The groups themselves, at each place in their run, current or stale.
        let groups = groupby(words.iter().take(n)).count();
        for k in 0..groups {
            check_hints(
                "group",
                || groupby(words.iter().take(n)).nth(k).unwrap().1,
                false,
            );
            let stale = || {
                let mut all = groupby(words.iter().take(n));
                let (_, group) = all.nth(k).unwrap();
                all.next();
                group
            };
            check_hints("stale group", stale, true);
        }
    }
}

#[test]
fn group_hints() {
    let mut groups = groupby("aaab".chars());
    let (_, mut a) = groups.next().unwrap();
    assert_eq!(a.size_hint(), (1, Some(4)));
    a.next();
    // "aab" is left in the source: at most all of it.
    assert_eq!(a.size_hint(), (0, Some(3)));
    let (_, b) = groups.next().unwrap();
    assert_eq!(a.size_hint(), (0, Some(0)), "a stale group is empty");
    assert_eq!(b.size_hint(), (1, Some(1)));
    assert_eq!(groups.size_hint(), (0, Some(0)));
}

#[test]
fn combinatoric_hints_are_exact() {
    for n in 0..=4 {
        let v: Vec<u32> = (0..n as u32).collect();
        for r in 0..=n + 1 {
            check_hints("permutations", || permutations(v.clone(), r), true);
            check_hints("combinations", || combinations(v.clone(), r), true);
            check_hints("cwr", || combinations_with_replacement(v.clone(), r), true);
            check_hints("product_repeat", || product_repeat(v.clone(), r), true);
        }
        check_hints("permutations(None)", || permutations(v.clone(), None), true);
        check_hints(
            "product",
            || product([v.clone(), vec![1, 2], v.clone()]),
            true,
        );
        check_hints(
            "product_array",
            || product_array([v.clone(), vec![1, 2]]),
            true,
        );
        check_hints(
            "product_repeat_array",
            || product_repeat_array::<2, _>(v.clone()),
            true,
        );
        check_hints(
            "permutations_array",
            || permutations_array::<2, _>(v.clone()),
            true,
        );
        check_hints(
            "combinations_array",
            || combinations_array::<3, _>(v.clone()),
            true,
        );
        check_hints(
            "cwr_array",
            || combinations_with_replacement_array::<2, _>(v.clone()),
            true,
        );
    }
    check_hints("product()", || product(Vec::<Vec<u8>>::new()), true);
}

#[test]
fn combinatoric_hints_overflow_honestly() {
    // 40! > usize::MAX: no upper bound, and the lower bound does not lie by being small.
    let perms = permutations(0..40, None);
    assert_eq!(perms.size_hint(), (usize::MAX, None));
    let product = product_repeat(0..10, 30);
    assert_eq!(product.size_hint(), (usize::MAX, None));
    let combos = combinations(0..200, 100);
    assert_eq!(combos.size_hint(), (usize::MAX, None));
    let mut bits = product_repeat(0..2, 70);
    assert_eq!(bits.size_hint(), (usize::MAX, None));
    bits.next();
    assert_eq!(bits.size_hint(), (usize::MAX, None));
    if usize::BITS == 64 {
        // 21! does not fit in a u64, 20! does.
        assert_eq!(permutations(0..21, None).size_hint(), (usize::MAX, None));
        let all = 2_432_902_008_176_640_000;
        assert_eq!(permutations(0..20, None).size_hint(), (all, Some(all)));
        let mut perms = permutations(0..20, None);
        perms.nth(1000);
        assert_eq!(perms.size_hint(), (all - 1001, Some(all - 1001)));
    }
    // C(64, 32) fits in a u64 even though C(64, 32) * 33 does not.
    let combos = combinations(0..64, 32);
    if usize::BITS == 64 {
        assert_eq!(
            combos.size_hint(),
            (1_832_624_140_942_590_534, Some(1_832_624_140_942_590_534))
        );
    }
}

// ---------------------------------------------------------------------------------------------
// FusedIterator

#[test]
fn fused_adapters_stay_done_over_unfused_sources() {
    // Each of these promises to be fused whatever its source.
    let mut calls = 0;
    let empty_first = std::iter::from_fn(move || {
        calls += 1;
        (calls > 1).then_some(calls)
    });
    stays_none("cycle", cycle(empty_first));
    stays_none("accumulate", accumulate(stutter(3)));
    stays_none(
        "accumulate_initial",
        accumulate_initial(stutter(3), 0, |t, x| t + x),
    );
    stays_none("batched", batched(stutter(2), 2));
    stays_none("batched_strict", batched_strict(stutter(3), 2));
    stays_none("pairwise", pairwise(stutter(3)));
    stays_none("islice", islice(stutter(3), (0, None, 1)));
    stays_none("islice stop", islice(stutter(3), (0, 10, 1)));
    stays_none("zip_longest", zip_longest([stutter(2), stutter(3)], 0));
    stays_none(
        "zip_longest_array",
        zip_longest_array([stutter(2), stutter(3)], 0),
    );
    stays_none("zip_longest_pair", zip_longest_pair(stutter(2), stutter(3)));
    stays_none("product", product([stutter(2), stutter(3)]));
    stays_none("permutations", permutations(stutter(4), 2));
    stays_none("combinations", combinations(stutter(4), 2));
    stays_none("cwr", combinations_with_replacement(stutter(4), 2));

    let c = cycle(0..0);
    assert_fused(&c);
    assert_fused(&accumulate(stutter(2)));
    assert_fused(&batched(stutter(2), 3));
    assert_fused(&batched_strict(stutter(2), 3));
    assert_fused(&pairwise(stutter(2)));
    assert_fused(&islice(stutter(2), (0, None, 1)));
    assert_fused(&zip_longest_pair(stutter(2), stutter(3)));
    assert_fused(&count(0, 1));
    assert_fused(&product_repeat_array::<2, _>(stutter(2)));
    assert_fused(&permutations_array::<2, _>(stutter(2)));
    assert_fused(&combinations_array::<2, _>(stutter(2)));
    assert_fused(&combinations_with_replacement_array::<2, _>(stutter(2)));
    // These are fused when their sources are.
    assert_fused(&compress(0..3, [true]));
    assert_fused(&filterfalse(0..3, |_| false));
    assert_fused(&starmap([(1, 2)], |a: i32, b: i32| a + b));
    assert_fused(&groupby(0..3));
    assert_fused(&groupby(0..3).next().unwrap().1);
    assert_fused(&tee(0..3, 1).remove(0));
}

#[test]
fn batched_reads_on_after_a_short_batch_as_cpython() {
    // CPython's batched only stops for good after a batch that got no item at all.
    let mut b = batched(stutter(3), 2);
    assert_eq!(b.next(), Some(vec![0, 1]));
    assert_eq!(b.next(), Some(vec![2]));
    assert_eq!(b.next(), Some(vec![3, 4]));
}

// ---------------------------------------------------------------------------------------------
// Send, Sync, Clone, Debug

#[test]
fn auto_traits_follow_the_parts() {
    type V = std::vec::IntoIter<String>;
    assert_send::<Count<i64>>();
    assert_send::<Cycle<V>>();
    assert_send::<Accumulate<V, String, fn(&String, String) -> String>>();
    assert_send::<Batched<V>>();
    assert_send::<BatchedStrict<V>>();
    assert_send::<IncompleteBatch<String>>();
    assert_send::<Compress<V, std::vec::IntoIter<bool>>>();
    assert_send::<FilterFalse<V, fn(&String) -> bool>>();
    assert_send::<Pairwise<V>>();
    assert_send::<Starmap<std::vec::IntoIter<(u8, u8)>, fn(u8, u8) -> u8>>();
    assert_send::<ISlice<V>>();
    assert_send::<ZipLongest<V>>();
    assert_send::<ZipLongestArray<V, 3>>();
    assert_send::<ZipLongestPair<V, V>>();
    assert_send::<Product<String>>();
    assert_send::<ProductArray<String, 2>>();
    assert_send::<Permutations<String>>();
    assert_send::<PermutationsArray<String, 2>>();
    assert_send::<Combinations<String>>();
    assert_send::<CombinationsArray<String, 2>>();
    assert_send::<CombinationsWithReplacement<String>>();
    assert_send::<CombinationsWithReplacementArray<String, 2>>();

    assert_sync::<Count<i64>>();
    assert_sync::<Product<String>>();
    assert_sync::<Permutations<String>>();

    // Their shared state is behind a lock that knows its holder's thread, which needs std:
    // without it, groups and tee branches stay on one thread.
    #[cfg(feature = "std")]
    {
        assert_send::<GroupBy<V, Identity>>();
        assert_send::<Group<V, Identity>>();
        assert_send::<GroupBy<V, fn(&String) -> usize>>();
        assert_send::<Tee<V>>();
        assert_sync::<GroupBy<V, Identity>>();
        assert_sync::<Group<V, Identity>>();
        assert_sync::<Tee<V>>();
    }
}

#[cfg(feature = "std")]
#[test]
fn groups_and_tee_branches_work_across_threads() {
    let [a, b] = tee_array((0..10_000u64).map(|x| x * 3));
    let (sa, sb) = std::thread::scope(|s| {
        let ha = s.spawn(|| a.sum::<u64>());
        let hb = s.spawn(|| b.sum::<u64>());
        (ha.join().unwrap(), hb.join().unwrap())
    });
    assert_eq!(sa, 3 * 9_999 * 10_000 / 2);
    assert_eq!(sa, sb);

    // Branches interleaving item by item on two threads.
    let [a, b] = tee_array(0..2_000u32);
    let (va, vb) = std::thread::scope(|s| {
        let ha = s.spawn(|| a.collect::<Vec<_>>());
        let hb = s.spawn(|| b.collect::<Vec<_>>());
        (ha.join().unwrap(), hb.join().unwrap())
    });
    assert_eq!(va, (0..2_000).collect::<Vec<_>>());
    assert_eq!(va, vb);

    let mut groups = groupby("aaabbc".chars());
    let (_, first) = groups.next().unwrap();
    let run: String = std::thread::spawn(move || first.collect()).join().unwrap();
    assert_eq!(run, "aaa");
    let rest: Vec<char> = groups.map(|(k, _)| k).collect();
    assert_eq!(rest, ['b', 'c']);
}

#[test]
fn clones_continue_from_the_same_place() {
    fn same_rest<I: Iterator + Clone>(what: &str, mut it: I, skip: usize)
    where
        I::Item: PartialEq + Debug,
    {
        for _ in 0..skip {
            it.next();
        }
        let copy = it.clone();
        assert_eq!(
            it.collect::<Vec<_>>(),
            copy.collect::<Vec<_>>(),
            "{what}: a clone went elsewhere"
        );
    }
    let v = vec![3, 1, 4, 1, 5, 9, 2, 6];
    same_rest("count", count(5, 3).take(6), 2);
    same_rest("cycle (first pass)", cycle(v.clone()).take(20), 3);
    same_rest("cycle (replay)", cycle(v.clone()).take(20), 12);
    same_rest("accumulate", accumulate(v.clone()), 3);
    same_rest(
        "accumulate_initial",
        accumulate_initial(v.clone(), 1, |t, x| t * x),
        0,
    );
    same_rest("batched", batched(v.clone(), 3), 1);
    same_rest("batched_strict", batched_strict(v.clone(), 3), 1);
    same_rest("compress", compress(v.clone(), [1, 0, 1, 1, 0, 1]), 1);
    same_rest("filterfalse", filterfalse(v.clone(), |x| x % 2 == 0), 1);
    same_rest("pairwise", pairwise(v.clone()), 2);
    same_rest("starmap", starmap(v.iter().map(|&x| (x, 2)), i32::pow), 2);
    same_rest("islice", islice(v.clone(), (1, 7, 2)), 1);
    same_rest("zip_longest", zip_longest([v.clone(), vec![0]], -1), 1);
    same_rest(
        "zip_longest_array",
        zip_longest_array([v.clone(), vec![0]], -1),
        1,
    );
    same_rest("zip_longest_pair", zip_longest_pair(v.clone(), 0..3), 1);
    same_rest("product", product([v.clone(), v.clone()]), 10);
    same_rest("product_array", product_array([v.clone(), v.clone()]), 10);
    same_rest("permutations", permutations(v.clone(), 3), 17);
    same_rest("combinations", combinations(v.clone(), 3), 17);
    same_rest("cwr", combinations_with_replacement(v.clone(), 3), 17);
    same_rest("tee", tee(v.clone(), 2).remove(0), 3);
    same_rest("repeat_n", repeat_n(7, 5), 2);
    same_rest("accumulate_from", accumulate_from(v.clone(), 10), 2);
    same_rest(
        "product_repeat_all",
        product_repeat_all([v.clone(), vec![0]], 2),
        5,
    );
    same_rest(
        "zip_longest_none",
        zip_longest_none([v.clone(), vec![0]]),
        1,
    );
    same_rest(
        "zip_longest_array_none",
        zip_longest_array_none([v.clone(), vec![0]]),
        1,
    );
    let collect_runs = |runs: GroupBy<std::vec::IntoIter<i32>, Identity>| {
        runs.map(|(k, g)| (k, g.collect::<Vec<_>>()))
            .collect::<Vec<_>>()
    };
    let mut runs = groupby(vec![1, 1, 2, 3, 3, 3, 1]);
    runs.next();
    let copy = runs.clone();
    assert_eq!(
        collect_runs(runs),
        collect_runs(copy),
        "groupby: a clone went elsewhere"
    );
    let (_, mut group) = groupby(vec![4, 4, 4, 5]).next().unwrap();
    group.next();
    same_rest("group", group, 0);
}

/// A source whose `Clone` panics when told to; it yields 0, 0, 1, 1, 2, 2, ...
#[derive(Debug)]
struct PanickyClone {
    next: u32,
    panic: Arc<AtomicUsize>,
}

impl Iterator for PanickyClone {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.next += 1;
        (self.next <= 10).then_some((self.next - 1) / 2)
    }
}

impl Clone for PanickyClone {
    fn clone(&self) -> Self {
        if self.panic.load(Ordering::SeqCst) != 0 {
            panic!("PanickyClone: told to panic");
        }
        PanickyClone {
            next: self.next,
            panic: Arc::clone(&self.panic),
        }
    }
}

#[test]
fn a_groupby_or_group_whose_clone_panics_is_left_whole() {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    let panic = Arc::new(AtomicUsize::new(0));
    let source = PanickyClone {
        next: 0,
        panic: Arc::clone(&panic),
    };
    let mut runs = groupby(source);
    let (key, mut group) = runs.next().unwrap();
    assert_eq!((key, group.next()), (0, Some(0)));
    panic.store(1, Ordering::SeqCst);
    assert!(catch_unwind(AssertUnwindSafe(|| runs.clone())).is_err());
    assert!(catch_unwind(AssertUnwindSafe(|| group.clone())).is_err());
    panic.store(0, Ordering::SeqCst);
    // Nothing moved: the group gives its last item, the groupby the rest, and clones work.
    let copy = group.clone();
    assert_eq!(group.collect::<Vec<_>>(), [0]);
    assert_eq!(copy.collect::<Vec<_>>(), [0]);
    let rest: Vec<(u32, usize)> = runs.map(|(k, g)| (k, g.count())).collect();
    assert_eq!(rest, [(1, 2), (2, 2), (3, 2), (4, 2)]);
}

#[test]
fn a_group_clone_outlives_the_groupby_and_its_moving_on() {
    let mut runs = groupby("aaabbc".chars());
    let (_, group) = runs.next().unwrap();
    let copy = group.clone();
    let (_, second) = runs.next().unwrap();
    drop(runs);
    assert_eq!(group.count(), 0, "the original is stale, as in Python");
    assert_eq!(copy.collect::<String>(), "aaa");
    assert_eq!(second.collect::<String>(), "bb");
}

#[test]
fn repeat_n_keeps_its_count_when_a_clone_panics() {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    let panic = Arc::new(AtomicUsize::new(0));
    let item = PanickyClone {
        next: 0,
        panic: Arc::clone(&panic),
    };
    let mut repeated = repeat_n(item, 5);
    assert!(repeated.next().is_some());
    panic.store(1, Ordering::SeqCst);
    // Every way of taking a repetition out clones first: a panicking clone uses none up.
    type Try = fn(&mut RepeatN<PanickyClone>);
    let tries: [(&str, Try); 4] = [
        ("next", |r| drop(r.next())),
        ("nth(2)", |r| drop(r.nth(2))),
        ("next_back", |r| drop(r.next_back())),
        ("nth_back(2)", |r| drop(r.nth_back(2))),
    ];
    for (what, try_it) in tries {
        assert!(
            catch_unwind(AssertUnwindSafe(|| try_it(&mut repeated))).is_err(),
            "{what} did not clone"
        );
        assert_eq!(repeated.len(), 4, "{what} used up repetitions");
    }
    panic.store(0, Ordering::SeqCst);
    assert!(repeated.nth(2).is_some());
    assert_eq!(repeated.len(), 1);
    assert_eq!(repeated.count(), 1);
}

#[test]
fn repeat_n_moves_like_std() {
    // Every sequence of up to four moves, on cogen's and std's repeat_n alike: the same items,
    // and the same lengths after each move.
    #[derive(Clone, Copy, Debug)]
    enum Move {
        Next,
        NextBack,
        Nth(usize),
        NthBack(usize),
    }
    let moves = [
        Move::Next,
        Move::NextBack,
        Move::Nth(0),
        Move::Nth(1),
        Move::Nth(3),
        Move::NthBack(0),
        Move::NthBack(2),
        Move::NthBack(5),
    ];
    /// The item a move gives, and `len` and `size_hint` after it.
    type Moved<T> = (Option<T>, usize, (usize, Option<usize>));
    fn apply<I: DoubleEndedIterator + ExactSizeIterator>(it: &mut I, step: Move) -> Moved<I::Item> {
        let item = match step {
            Move::Next => it.next(),
            Move::NextBack => it.next_back(),
            Move::Nth(n) => it.nth(n),
            Move::NthBack(n) => it.nth_back(n),
        };
        (item, it.len(), it.size_hint())
    }
    let mut sequences: Vec<Vec<Move>> = vec![vec![]];
    for length in 1..=4 {
        let longer: Vec<Vec<Move>> = sequences
            .iter()
            .filter(|seq| seq.len() == length - 1)
            .flat_map(|seq| {
                moves.iter().map(move |&step| {
                    let mut seq = seq.clone();
                    seq.push(step);
                    seq
                })
            })
            .collect();
        sequences.extend(longer);
    }
    for n in 0..5 {
        for seq in &sequences {
            let mut ours = repeat_n(String::from("x"), n);
            let mut std = std::iter::repeat_n(String::from("x"), n);
            assert_eq!(ours.len(), std.len(), "repeat_n(_, {n})");
            for (i, &step) in seq.iter().enumerate() {
                assert_eq!(
                    apply(&mut ours, step),
                    apply(&mut std, step),
                    "repeat_n(_, {n}), move {i} of {seq:?}"
                );
            }
            let what = format!("repeat_n(_, {n}) after {seq:?}");
            assert_eq!(ours.clone().last(), std.clone().last(), "{what}: last");
            assert_eq!(ours.clone().count(), std.clone().count(), "{what}: count");
            assert_eq!(
                ours.clone().rev().count(),
                std.clone().rev().count(),
                "{what}: rev().count()"
            );
            let concat = |acc: String, s: String| acc + &s + ",";
            assert_eq!(
                ours.fold(String::new(), concat),
                std.fold(String::new(), concat),
                "{what}: fold"
            );
        }
    }
    assert_eq!(repeat_n(1, 4).fold(0, |a, b| a * 10 + b), 1111);
    assert_fused(&repeat_n(1, 1));
}

#[test]
fn a_cloned_tee_branch_is_a_new_branch() {
    let mut branches = tee(0..6, 2);
    let mut b = branches.pop().unwrap();
    let mut a = branches.pop().unwrap();
    assert_eq!(a.next(), Some(0));
    let mut a2 = a.clone();
    assert_eq!(a.by_ref().take(3).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(a2.next(), Some(1));
    assert_eq!(b.by_ref().take(2).collect::<Vec<_>>(), [0, 1]);
    drop(a);
    assert_eq!(a2.collect::<Vec<_>>(), [2, 3, 4, 5]);
    assert_eq!(b.collect::<Vec<_>>(), [2, 3, 4, 5]);
}

#[test]
fn debug_output_names_each_iterator() {
    fn shows<T: Debug>(value: T, name: &str) {
        let text = format!("{value:?}");
        assert!(
            text.starts_with(name),
            "{text:?} does not start with {name:?}"
        );
    }
    let v = vec![1, 2];
    shows(count(1, 2), "Count");
    shows(cycle(v.clone()), "Cycle");
    shows(accumulate(v.clone()), "Accumulate");
    shows(accumulate_with(v.clone(), |a, b| a - b), "Accumulate");
    shows(batched(v.clone(), 1), "Batched");
    shows(batched_strict(v.clone(), 1), "BatchedStrict");
    shows(
        batched_strict(v.clone(), 3).next().unwrap().unwrap_err(),
        "IncompleteBatch",
    );
    shows(compress(v.clone(), [true]), "Compress");
    shows(filterfalse(v.clone(), |_| true), "FilterFalse");
    shows(pairwise(v.clone()), "Pairwise");
    shows(starmap([(1, 2)], |a: i32, b: i32| a + b), "Starmap");
    let mut groups = groupby(v.clone());
    shows(groups.next().unwrap().1, "Group");
    shows(groups, "GroupBy");
    shows(islice(v.clone(), (0, 1, 1)), "ISlice");
    shows(tee(v.clone(), 1).remove(0), "Tee");
    shows(zip_longest([v.clone()], 0), "ZipLongest");
    shows(zip_longest_array([v.clone()], 0), "ZipLongestArray");
    shows(zip_longest_pair(v.clone(), v.clone()), "ZipLongestPair");
    shows(product([v.clone()]), "Product");
    shows(product_array([v.clone()]), "ProductArray");
    shows(permutations(v.clone(), 1), "Permutations");
    shows(permutations_array::<1, _>(v.clone()), "PermutationsArray");
    shows(combinations(v.clone(), 1), "Combinations");
    shows(combinations_array::<1, _>(v.clone()), "CombinationsArray");
    shows(
        combinations_with_replacement(v.clone(), 1),
        "CombinationsWithReplacement",
    );
    shows(
        combinations_with_replacement_array::<1, _>(v.clone()),
        "CombinationsWithReplacementArray",
    );
    shows(Identity, "Identity");
    shows(repeat_n(1, 2), "RepeatN");
    shows(zip_longest_none([v.clone()]), "ZipLongest");
    shows(zip_longest_array_none([v.clone()]), "ZipLongestArray");
    shows(product_repeat_all([v.clone()], 2), "Product");
    shows(accumulate_from(v.clone(), 0), "Accumulate");
}

// ---------------------------------------------------------------------------------------------
// Panics

#[test]
#[should_panic(expected = "ValueError: n must be at least one")]
fn batched_zero_panics() {
    let _ = batched([1, 2], 0);
}

#[test]
#[should_panic(expected = "ValueError: n must be at least one")]
fn batched_strict_zero_panics() {
    let _ = batched_strict([1, 2], 0);
}

#[test]
#[should_panic(expected = "ValueError: n must be at least one")]
fn batched_method_zero_panics() {
    let _ = (0..3).batched(0);
}

#[test]
#[should_panic(expected = "ValueError: Step for islice() must be a positive integer or None.")]
fn islice_step_zero_panics() {
    let _ = islice(0..3, (0, None, 0));
}

#[test]
#[should_panic(expected = "ValueError: Step for islice() must be a positive integer or None.")]
fn islice_method_step_zero_panics() {
    let _ = (0..3).islice((1, 2, 0));
}

#[test]
fn count_gives_the_last_value_that_fits() {
    let mut c = count(i64::MAX - 1, 1);
    assert_eq!(c.next(), Some(i64::MAX - 1));
    assert_eq!(c.next(), Some(i64::MAX));
    let mut down = count(1u8, 255);
    assert_eq!(down.next(), Some(1));
    let mut neg = count(i8::MIN + 1, -1);
    assert_eq!((neg.next(), neg.next()), (Some(-127), Some(-128)));
}

#[test]
#[should_panic(expected = "count(): integer overflow: 9223372036854775807 + 1 does not fit in i64")]
fn count_overflow_panics_when_asked_for_the_value() {
    let mut c = count(i64::MAX, 1);
    assert_eq!(c.next(), Some(i64::MAX));
    c.next();
}

#[test]
#[should_panic(expected = "count(): integer overflow: -128 + -1 does not fit in i8")]
fn count_underflow_panics() {
    let mut c = count(i8::MIN + 1, -1);
    assert_eq!((c.next(), c.next()), (Some(-127), Some(-128)));
    c.next();
}

#[test]
#[should_panic(expected = "count(): integer overflow: 255 + 5 does not fit in u8")]
fn unsigned_count_overflow_panics() {
    let mut c = count(250u8, 5);
    assert_eq!((c.next(), c.next()), (Some(250), Some(255)));
    c.next();
}

#[test]
fn float_count_accumulates_like_python() {
    // Python: list(islice(count(0.0, 0.1), 11))[-1] == 0.9999999999999999
    let values: Vec<f64> = count(0.0, 0.1).take(11).collect();
    assert_eq!(values[3], 0.30000000000000004);
    assert_eq!(values[10], 0.9999999999999999);
    assert_ne!(values[10], 1.0);
    // No overflow panic for floats: infinity is a value.
    let mut big = count(f64::MAX, f64::MAX);
    assert_eq!(big.next(), Some(f64::MAX));
    assert_eq!(big.next(), Some(f64::INFINITY));
    assert_eq!(count(1.5f32, -0.5).nth(4), Some(-0.5));
}

#[test]
fn groupby_fold_inside_fold_panics_instead_of_deadlocking() {
    let mut groups = groupby("aabb".chars());
    let (_, first) = groups.next().unwrap();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        first.for_each(|_| {
            groups.next();
        })
    }));
    let message = *outcome.unwrap_err().downcast::<String>().unwrap();
    assert!(
        message.starts_with("groupby(): used from inside the closure of a fold"),
        "{message}"
    );
    // The groupby is still usable afterwards.
    assert_eq!(
        groups.map(|(k, g)| (k, g.count())).collect::<Vec<_>>(),
        [('b', 2)]
    );
}

#[test]
fn tee_next_inside_fold_panics_instead_of_deadlocking() {
    let [a, mut b] = tee_array(0..4);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        a.for_each(|_| {
            b.next();
        })
    }));
    let message = *outcome.unwrap_err().downcast::<String>().unwrap();
    assert!(
        message.starts_with("tee(): used from inside the closure of a fold"),
        "{message}"
    );
    // The first item was read by `a` before its closure panicked; `b` still gets everything.
    assert_eq!(b.collect::<Vec<_>>(), [0, 1, 2, 3]);
}

#[test]
fn dropping_a_branch_inside_a_fold_neither_panics_nor_hangs() {
    let (items, live_items, _) = Tracked::source(4);
    let [a, b] = tee_array(items);
    let mut b = Some(b);
    let values: Vec<u32> = a.fold(Vec::new(), |mut seen, item| {
        if item.value == 1 {
            drop(b.take());
        }
        seen.push(item.value);
        seen
    });
    assert_eq!(values, [0, 1, 2, 3]);
    // What `b` never read was kept until every branch was gone; now all is freed.
    assert_eq!(live(&live_items), 0);
}

#[test]
fn next_inside_a_for_loop_over_a_branch_is_fine() {
    // Python: for x in a: y = next(b)
    let [a, mut b] = tee_array(0..4);
    let mut pairs = Vec::new();
    for x in a {
        pairs.push((x, b.next()));
    }
    assert_eq!(
        pairs,
        [(0, Some(0)), (1, Some(1)), (2, Some(2)), (3, Some(3))]
    );
}

// ---------------------------------------------------------------------------------------------
// How far sources are read

#[test]
fn islice_reads_the_source_as_far_as_cpython() {
    // Python: it = iter(range(10)); out = list(islice(it, *args)); next(it, None)
    fn case(args: (usize, Option<usize>, usize), take: Option<usize>) -> (Vec<u32>, Option<u32>) {
        let mut it = 0..10u32;
        let (start, stop, step) = args;
        let slice = islice(it.by_ref(), (start, stop, step));
        let out = match take {
            Some(n) => slice.take(n).collect(),
            None => slice.collect(),
        };
        (out, it.next())
    }
    assert_eq!(case((2, Some(8), 3), None), (vec![2, 5], Some(8)));
    assert_eq!(case((2, Some(8), 3), Some(1)), (vec![2], Some(3)));
    assert_eq!(case((5, Some(3), 1), None), (vec![], Some(5)));
    assert_eq!(case((0, None, 4), None), (vec![0, 4, 8], None));
    assert_eq!(case((3, Some(4), 1), None), (vec![3], Some(4)));
    assert_eq!(case((12, None, 1), None), (vec![], None));
    assert_eq!(case((1, Some(5), 1), None), (vec![1, 2, 3, 4], Some(5)));

    // Python: it = count(); list(islice(it, 1, 3, 50)); next(it)
    let mut it = count(0, 1);
    assert_eq!(islice(it.by_ref(), (1, 3, 50)).collect::<Vec<_>>(), [1]);
    assert_eq!(it.next(), Some(3));
    // The same, one `next` at a time.
    let mut it = count(0, 1);
    let mut slice = it.by_ref().islice((1, 3, 50));
    assert_eq!(
        (slice.next(), slice.next(), slice.next()),
        (Some(1), None, None)
    );
    drop(slice);
    assert_eq!(it.next(), Some(3));
    // And through fold, step 1.
    let mut it = count(0, 1);
    assert_eq!(islice(it.by_ref(), (2, 6, 1)).sum::<i32>(), 2 + 3 + 4 + 5);
    assert_eq!(it.next(), Some(6));
}

#[test]
fn takewhile_consumes_the_first_failing_item() {
    let mut source = [1, 4, 6, 3, 8].into_iter();
    assert_eq!(
        source.by_ref().takewhile(|&x| x < 5).collect::<Vec<_>>(),
        [1, 4]
    );
    assert_eq!(source.next(), Some(3));
    let mut source = [1, 4, 6, 3, 8].into_iter();
    assert_eq!(dropwhile(source.by_ref(), |&x| x < 5).next(), Some(6));
    assert_eq!(source.next(), Some(3));
}

#[test]
fn cycle_reads_its_source_once() {
    let mut reads = 0;
    let source = std::iter::from_fn(|| {
        reads += 1;
        (reads <= 3).then_some(reads)
    });
    let values: Vec<i32> = source.cycle_saved().take(8).collect();
    assert_eq!(values, [1, 2, 3, 1, 2, 3, 1, 2]);
    assert_eq!(reads, 4);
}

#[test]
fn compress_reads_a_datum_then_a_selector() {
    // Python: d = iter('ABC'); list(compress(d, [1])); next(d) -> 'C' (B was read, then the
    // selectors ran out).
    let mut data = "ABC".chars();
    assert_eq!(compress(data.by_ref(), [1]).collect::<String>(), "A");
    assert_eq!(data.next(), Some('C'));
}

#[test]
fn groupby_reads_only_the_first_item_of_a_group() {
    // Python: it = iter('AAABBC'); g = groupby(it); next(g); next(it) -> 'A'
    let mut it = "AAABBC".chars();
    {
        let mut groups = groupby(it.by_ref());
        let (key, _group) = groups.next().unwrap();
        assert_eq!(key, 'A');
    }
    assert_eq!(it.next(), Some('A'));
}

#[test]
fn zip_longest_stops_calling_exhausted_inputs() {
    let calls = AtomicUsize::new(0);
    let short = std::iter::from_fn(|| {
        calls.fetch_add(1, Ordering::SeqCst);
        None::<i32>
    });
    let long = [1, 2, 3].into_iter();
    let rows: Vec<(Option<i32>, Option<i32>)> = zip_longest_pair(short, long).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

// ---------------------------------------------------------------------------------------------
// groupby's groups

#[test]
fn a_skipped_group_is_empty() {
    // Python: g = groupby('AAB'); k1, g1 = next(g); k2, g2 = next(g); list(g1), list(g2)
    let mut groups = groupby("AAB".chars());
    let (k1, g1) = groups.next().unwrap();
    let (k2, g2) = groups.next().unwrap();
    assert_eq!((k1, k2), ('A', 'B'));
    assert_eq!(g1.collect::<String>(), "");
    assert_eq!(g2.collect::<String>(), "B");

    // Python: ...; next(g, 'END'); list(g2) -> [] (even when no group follows)
    let mut groups = groupby("AAB".chars());
    groups.next();
    let (_, g2) = groups.next().unwrap();
    assert!(groups.next().is_none());
    assert_eq!(g2.count(), 0);

    // Python: g = groupby('AABBA'); k1, g1 = next(g); next(g1); k2, g2 = next(g);
    //         list(g1), list(g2) -> [], ['B', 'B']
    let mut groups = groupby("AABBA".chars());
    let (_, mut g1) = groups.next().unwrap();
    assert_eq!(g1.next(), Some('A'));
    let (k2, g2) = groups.next().unwrap();
    assert_eq!(k2, 'B');
    assert_eq!(g1.next(), None);
    assert_eq!(g2.collect::<String>(), "BB");
    let rest: Vec<(char, String)> = groups.map(|(k, g)| (k, g.collect())).collect();
    assert_eq!(rest, [('A', "A".to_string())]);
}

#[test]
fn groups_read_by_next_and_by_fold_agree() {
    let text = "aaabccddddeff";
    let by_next: Vec<(char, String)> = groupby(text.chars())
        .map(|(k, mut g)| {
            let mut run = String::new();
            for c in g.by_ref() {
                run.push(c);
            }
            (k, run)
        })
        .collect();
    let by_fold: Vec<(char, String)> = groupby(text.chars())
        .map(|(k, g)| {
            (
                k,
                g.fold(String::new(), |mut s, c| {
                    s.push(c);
                    s
                }),
            )
        })
        .collect();
    assert_eq!(by_next, by_fold);
    assert_eq!(by_next.len(), 6);
    // Half by next, half by fold.
    let mixed: Vec<usize> = groupby(text.chars())
        .map(|(_, mut g)| usize::from(g.next().is_some()) + g.count())
        .collect();
    assert_eq!(mixed, [3, 1, 2, 4, 1, 2]);
}

#[test]
fn groupby_key_calls_the_key_once_per_item() {
    let calls = AtomicUsize::new(0);
    let runs: Vec<(bool, Vec<i32>)> = groupby_key([1, 3, 2, 4, 5, 7], |x| {
        calls.fetch_add(1, Ordering::SeqCst);
        x % 2 == 1
    })
    .map(|(k, g)| (k, g.collect()))
    .collect();
    assert_eq!(
        runs,
        [(true, vec![1, 3]), (false, vec![2, 4]), (true, vec![5, 7])]
    );
    assert_eq!(calls.load(Ordering::SeqCst), 6);
}

#[test]
fn groups_need_no_binding_and_can_be_returned() {
    fn runs(text: &str) -> impl Iterator<Item = (char, Group<std::str::Chars<'_>, Identity>)> {
        groupby(text.chars())
    }
    let mut lengths = Vec::new();
    for (k, g) in runs("xxyzz") {
        lengths.push((k, g.count()));
    }
    assert_eq!(lengths, [('x', 2), ('y', 1), ('z', 2)]);
}

#[test]
fn groupby_clones_only_group_starts() {
    // Identity keys are compared in place: items are cloned for keys only where a group
    // starts, never to compare the items that follow.
    let values = [0, 0, 1, 1, 1, 2];
    let counter = Arc::new(AtomicUsize::new(0));
    #[derive(Debug)]
    struct Key(u32, Arc<AtomicUsize>);
    impl Clone for Key {
        fn clone(&self) -> Self {
            self.1.fetch_add(1, Ordering::SeqCst);
            Key(self.0, Arc::clone(&self.1))
        }
    }
    impl PartialEq for Key {
        fn eq(&self, other: &Self) -> bool {
            self.0 == other.0
        }
    }
    let keys: Vec<Key> = values
        .iter()
        .map(|&v| Key(v, Arc::clone(&counter)))
        .collect();
    let runs: Vec<(u32, usize)> = groupby(keys).map(|(k, g)| (k.0, g.count())).collect();
    assert_eq!(runs, [(0, 2), (1, 3), (2, 1)]);
    // Per group: the first item's key, and the copy kept to compare the next items with.
    assert_eq!(counter.load(Ordering::SeqCst), 3 * 2);
}

// ---------------------------------------------------------------------------------------------
// tee's buffer

#[test]
fn tee_frees_items_once_every_branch_has_passed_them() {
    let (items, live_items, clones) = Tracked::source(10);
    let [mut a, mut b] = tee_array(items);
    a.by_ref().take(5).for_each(drop);
    assert_eq!(live(&live_items), 5, "five items wait for b");
    b.by_ref().take(3).for_each(drop);
    assert_eq!(live(&live_items), 2);
    b.by_ref().take(2).for_each(drop);
    assert_eq!(live(&live_items), 0, "both passed them all");
    // One clone per item read by a while b still needed it; b got those clones by move.
    assert_eq!(live(&clones), 5);

    // Dropping a branch frees what only it still needed.
    a.by_ref().take(3).for_each(drop);
    assert_eq!(live(&live_items), 3);
    drop(b);
    assert_eq!(live(&live_items), 0);
    // With one branch left, nothing is buffered or cloned.
    let before = live(&clones);
    assert_eq!(a.map(|t| t.value).collect::<Vec<_>>(), [8, 9]);
    assert_eq!(live(&clones), before);
    assert_eq!(live(&live_items), 0);
}

#[test]
fn tee_clones_keep_their_items_alive() {
    let (items, live_items, _) = Tracked::source(6);
    let [mut a, b] = tee_array(items);
    a.by_ref().take(3).for_each(drop);
    assert_eq!(live(&live_items), 3);
    let c = b.clone();
    assert_eq!(b.map(|t| t.value).collect::<Vec<_>>(), [0, 1, 2, 3, 4, 5]);
    assert_eq!(
        live(&live_items),
        6,
        "c still needs all six (a three of them)"
    );
    drop(c);
    assert_eq!(live(&live_items), 3, "a still needs 3, 4, 5");
    drop(a);
    assert_eq!(live(&live_items), 0);
}

#[test]
fn tee_many_branches() {
    for n in [0, 1, 2, 5, 17] {
        let branches = tee("abc".chars(), n);
        assert_eq!(branches.len(), n);
        let copies: Vec<String> = branches.into_iter().map(String::from_iter).collect();
        assert!(copies.iter().all(|c| c == "abc"));
    }
    let [a, b, c, d] = tee_array(0..3);
    let sums: Vec<i32> = [a, b, c, d].into_iter().map(Iterator::sum).collect();
    assert_eq!(sums, [3, 3, 3, 3]);
}

// ---------------------------------------------------------------------------------------------
// The allocation-free forms

fn via_next_ref<T: Clone>(mut next_ref: impl FnMut() -> Option<Vec<T>>) -> Vec<Vec<T>> {
    std::iter::from_fn(&mut next_ref).collect()
}

#[test]
fn next_ref_and_array_forms_equal_the_vec_forms() {
    for n in SIZES {
        let pool: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
        for r in 0..=4 {
            let vecs: Vec<Vec<String>> = permutations(pool.clone(), r).collect();
            let mut it = permutations(pool.clone(), r);
            assert_eq!(via_next_ref(|| it.next_ref().map(<[_]>::to_vec)), vecs);

            let vecs: Vec<Vec<String>> = combinations(pool.clone(), r).collect();
            let mut it = combinations(pool.clone(), r);
            assert_eq!(via_next_ref(|| it.next_ref().map(<[_]>::to_vec)), vecs);

            let vecs: Vec<Vec<String>> = combinations_with_replacement(pool.clone(), r).collect();
            let mut it = combinations_with_replacement(pool.clone(), r);
            assert_eq!(via_next_ref(|| it.next_ref().map(<[_]>::to_vec)), vecs);

            let vecs: Vec<Vec<String>> = product_repeat(pool.clone(), r).collect();
            let mut it = product_repeat(pool.clone(), r);
            assert_eq!(via_next_ref(|| it.next_ref().map(<[_]>::to_vec)), vecs);
        }
        let arrays: Vec<Vec<String>> = permutations_array::<2, _>(pool.clone())
            .map(Vec::from)
            .collect();
        assert_eq!(arrays, permutations(pool.clone(), 2).collect::<Vec<_>>());
        let arrays: Vec<Vec<String>> = combinations_array::<3, _>(pool.clone())
            .map(Vec::from)
            .collect();
        assert_eq!(arrays, combinations(pool.clone(), 3).collect::<Vec<_>>());
        let arrays: Vec<Vec<String>> = combinations_with_replacement_array::<2, _>(pool.clone())
            .map(Vec::from)
            .collect();
        assert_eq!(
            arrays,
            combinations_with_replacement(pool.clone(), 2).collect::<Vec<_>>()
        );
        let arrays: Vec<Vec<String>> = product_repeat_array::<3, _>(pool.clone())
            .map(Vec::from)
            .collect();
        assert_eq!(arrays, product_repeat(pool.clone(), 3).collect::<Vec<_>>());
        let arrays: Vec<Vec<String>> =
            product_array([pool.clone(), vec!["x".into()], pool.clone()])
                .map(Vec::from)
                .collect();
        assert_eq!(
            arrays,
            product([pool.clone(), vec!["x".into()], pool.clone()]).collect::<Vec<_>>()
        );
    }
}

#[test]
fn next_ref_mixes_with_next() {
    let mut it = product([0..2, 0..3]);
    assert_eq!(it.next_ref(), Some(&[0, 0][..]));
    assert_eq!(it.next(), Some(vec![0, 1]));
    assert_eq!(it.next_ref(), Some(&[0, 2][..]));
    assert_eq!(it.size_hint(), (3, Some(3)));
    assert_eq!(it.collect::<Vec<_>>(), [[1, 0], [1, 1], [1, 2]]);
}

#[test]
fn combinatorics_follow_cpythons_order_and_edges() {
    // Python: list(permutations(range(4), 3))[:8]
    let first: Vec<Vec<u8>> = permutations(0..4, 3).take(8).collect();
    assert_eq!(
        first,
        [
            [0, 1, 2],
            [0, 1, 3],
            [0, 2, 1],
            [0, 2, 3],
            [0, 3, 1],
            [0, 3, 2],
            [1, 0, 2],
            [1, 0, 3]
        ]
    );
    // Python: len(list(combinations_with_replacement(range(5), 3))) == 35
    assert_eq!(combinations_with_replacement(0..5, 3).count(), 35);
    // r > n: nothing; r == 0: one empty tuple; cwr of nothing: nothing unless r == 0.
    assert_eq!(permutations(0..2, 3).count(), 0);
    assert_eq!(combinations(0..2, 3).count(), 0);
    assert_eq!(combinations_with_replacement(0..2, 3).count(), 4);
    assert_eq!(combinations_with_replacement(0..0, 1).count(), 0);
    assert_eq!(
        combinations_with_replacement(0..0, 0).collect::<Vec<_>>(),
        [vec![]]
    );
    assert_eq!(permutations(0..0, None).collect::<Vec<_>>(), [vec![]]);
    assert_eq!(combinations(0..3, 0).collect::<Vec<_>>(), [vec![]]);
    // product: no inputs or repeat 0 -> one empty tuple; an empty input -> nothing.
    assert_eq!(product(Vec::<Vec<u8>>::new()).collect::<Vec<_>>(), [vec![]]);
    assert_eq!(product_repeat(0..0, 0).collect::<Vec<_>>(), [vec![]]);
    assert_eq!(product_repeat(0..0, 2).count(), 0);
    assert_eq!(product([vec![1, 2], vec![], vec![3]]).count(), 0);
    assert_eq!(product_repeat_array::<0, _>(0..3).collect::<Vec<_>>(), [[]]);
    // Items are told apart by position, not value.
    assert_eq!(permutations([1, 1], None).count(), 2);
}

// ---------------------------------------------------------------------------------------------
// The rest of the surface

#[test]
fn chain_macro_mixes_types() {
    let set = std::collections::BTreeSet::from([9, 8]);
    let all: Vec<i32> = chain![
        [1, 2],
        vec![3],
        4..6,
        set.iter().copied(),
        std::iter::once(7),
    ]
    .collect();
    assert_eq!(all, [1, 2, 3, 4, 5, 8, 9, 7]);
    let one: Vec<char> = chain!["ab".chars()].collect();
    assert_eq!(one, ['a', 'b']);
    let none: Vec<u8> = chain![].collect();
    assert!(none.is_empty());
    assert_eq!(chain![0..2, 5..7].size_hint(), (4, Some(4)));
}

#[test]
fn accumulate_initial_comes_first() {
    let empty: [i32; 0] = [];
    assert_eq!(
        accumulate_initial(empty, 100, |t, x| t + x).collect::<Vec<_>>(),
        [100]
    );
    assert_eq!(
        [1, 2, 3]
            .into_iter()
            .accumulate_initial(100, |t, x| t + x)
            .collect::<Vec<_>>(),
        [100, 101, 103, 106]
    );
    // fold and next agree, from every starting point.
    for skip in 0..5 {
        let mut by_next = accumulate_initial([1, 2, 3], 10, |t, x| t * x);
        let mut by_fold = by_next.clone();
        for _ in 0..skip {
            by_next.next();
            by_fold.next();
        }
        let by_next: Vec<i32> = by_next.collect::<Vec<_>>();
        let by_fold: Vec<i32> = by_fold.fold(Vec::new(), |mut v, x| {
            v.push(x);
            v
        });
        assert_eq!(by_next, by_fold);
    }
}

#[test]
fn folds_agree_with_next() {
    fn agree<I: Iterator + Clone>(what: &str, it: I)
    where
        I::Item: PartialEq + Debug,
    {
        let mut by_next = Vec::new();
        let copy = it.clone();
        for item in copy {
            by_next.push(item);
        }
        let by_fold = it.fold(Vec::new(), |mut v, x| {
            v.push(x);
            v
        });
        assert_eq!(by_next, by_fold, "{what}");
    }
    for n in SIZES {
        let v: Vec<i32> = (0..n as i32).collect();
        agree("accumulate", accumulate(v.clone()));
        agree("compress", compress(v.clone(), [1, 0, 1, 1, 0]));
        agree("filterfalse", filterfalse(v.clone(), |x| x % 3 == 0));
        agree("pairwise", pairwise(v.clone()));
        agree("starmap", starmap(v.iter().map(|&x| (x, x)), |a, b| a * b));
        agree("tee", tee(v.clone(), 2).remove(0));
        for (start, stop, step) in [
            (0, None, 1),
            (1, Some(4), 1),
            (2, None, 3),
            (1, Some(7), 2),
            (5, Some(3), 1),
            (0, Some(0), 2),
        ] {
            agree("islice", islice(v.clone(), (start, stop, step)));
            // Also from the middle of the slice.
            let mut partway = islice(v.clone(), (start, stop, step));
            partway.next();
            agree("islice (partway)", partway);
        }
        agree("zip_longest", zip_longest([v.clone(), vec![7, 8, 9]], 0));
        agree(
            "zip_longest",
            zip_longest([vec![7, 8, 9], v.clone(), vec![]], 0),
        );
        agree(
            "zip_longest_array",
            zip_longest_array([v.clone(), vec![7, 8, 9]], 0),
        );
        agree(
            "zip_longest_array",
            zip_longest_array([vec![7], v.clone()], 0),
        );
        agree("zip_longest_pair", zip_longest_pair(v.clone(), [7, 8, 9]));
        agree("zip_longest_pair", zip_longest_pair([7, 8, 9], v.clone()));
        if n <= 5 {
            for r in 0..=3 {
                agree("product_repeat", product_repeat(v.clone(), r));
                agree("permutations", permutations(v.clone(), r));
                agree("combinations", combinations(v.clone(), r));
                agree("cwr", combinations_with_replacement(v.clone(), r));
                let mut partway = combinations(v.clone(), r);
                partway.next_ref();
                partway.next_ref();
                agree("combinations (partway)", partway);
            }
            agree("product", product([v.clone(), vec![1, 2], v.clone()]));
            agree(
                "product_array",
                product_array([v.clone(), vec![1, 2], v.clone()]),
            );
            agree(
                "product_repeat_array",
                product_repeat_array::<3, _>(v.clone()),
            );
            agree("permutations_array", permutations_array::<2, _>(v.clone()));
            agree("combinations_array", combinations_array::<3, _>(v.clone()));
            agree(
                "cwr_array",
                combinations_with_replacement_array::<2, _>(v.clone()),
            );
            let mut partway = product_repeat_array::<2, _>(v.clone());
            partway.nth(2);
            agree("product_repeat_array (partway)", partway);
        }
    }
}

#[test]
fn folds_read_sources_as_far_as_next_does() {
    // Python: it = iter(range(10)); list(islice(it, 2, 8, 3)); next(it) -> 8
    let mut it = 0..10;
    assert_eq!(islice(it.by_ref(), (2, 8, 3)).sum::<i32>(), 2 + 5);
    assert_eq!(it.next(), Some(8));
    let mut it = 0..10;
    assert_eq!(islice(it.by_ref(), (5, 3, 1)).count(), 0);
    assert_eq!(it.next(), Some(5));
    // zip_longest's fold calls an exhausted input no more than `next` does.
    let calls = AtomicUsize::new(0);
    let short = [1, 2].into_iter().chain(std::iter::from_fn(|| {
        calls.fetch_add(1, Ordering::SeqCst);
        None
    }));
    assert_eq!(zip_longest([short], 0).count(), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn incomplete_batch_holds_the_leftovers() {
    let mut batches = batched_strict("ABCDEFG".chars(), 3);
    assert_eq!(batches.next(), Some(Ok(vec!['A', 'B', 'C'])));
    assert_eq!(batches.next(), Some(Ok(vec!['D', 'E', 'F'])));
    let error = batches.next().unwrap().unwrap_err();
    assert_eq!(error.to_string(), "batched(): incomplete batch");
    assert_eq!(error.items(), ['G']);
    assert_eq!(error.expected(), 3);
    let as_error: &dyn std::error::Error = &error;
    assert!(as_error.source().is_none());
    assert_eq!(error.into_items(), ['G']);
    assert_eq!(batches.next(), None);
    assert_eq!(batches.size_hint(), (0, Some(0)));
}

#[test]
fn truthy_is_pythons_bool() {
    assert!(!false.is_truthy() && true.is_truthy());
    assert!(!0u64.is_truthy() && 7i16.is_truthy() && (-1i128).is_truthy());
    assert!(!0.0f64.is_truthy() && !(-0.0f32).is_truthy() && f32::NAN.is_truthy());
    assert!((&&5u8).is_truthy());
    let kept: Vec<char> = compress("abcd".chars(), [0.0, 1.5, f64::NAN, 0.0]).collect();
    assert_eq!(kept, ['b', 'c']);
    let flags = [true, false, true];
    let kept: Vec<i32> = compress([1, 2, 3], flags.iter()).collect();
    assert_eq!(kept, [1, 3]);
}

#[test]
fn zip_longest_forms() {
    let rows: Vec<Vec<i32>> = zip_longest(vec![vec![1, 2, 3], vec![], vec![4]], 0).collect();
    assert_eq!(rows, [[1, 0, 4], [2, 0, 0], [3, 0, 0]]);
    assert_eq!(zip_longest(Vec::<Vec<i32>>::new(), 0).count(), 0);
    assert_eq!(zip_longest([Vec::<i32>::new(), vec![]], 0).count(), 0);
    let rows: Vec<[i32; 3]> = zip_longest_array([vec![1], vec![2, 3], vec![]], -1).collect();
    assert_eq!(rows, [[1, 2, -1], [-1, 3, -1]]);
    let pairs: Vec<_> = (0..2).zip_longest(["a", "b", "c"]).collect();
    assert_eq!(
        pairs,
        [
            (Some(0), Some("a")),
            (Some(1), Some("b")),
            (None, Some("c"))
        ]
    );
    assert_eq!((0..2).zip_longest(0..5).len(), 5);
}

#[test]
fn starmap_spreads_up_to_twelve_arguments() {
    let one: Vec<i32> = starmap([(1,), (2,)], |a: i32| -a).collect();
    assert_eq!(one, [-1, -2]);
    let twelve: Vec<i32> = starmap(
        [(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)],
        |a, b, c, d, e, f, g, h, i, j, k, l| a + b + c + d + e + f + g + h + i + j + k + l,
    )
    .collect();
    assert_eq!(twelve, [78]);
    let mut backwards = starmap([(1, 2), (3, 4)], |a: i32, b: i32| a * b);
    assert_eq!(backwards.next_back(), Some(12));
    assert_eq!(backwards.len(), 1);
}

#[test]
fn method_forms_match_the_functions() {
    let v = vec![5, 3, 3, 8, 1];
    assert_eq!(
        v.clone().into_iter().accumulate().collect::<Vec<_>>(),
        accumulate(v.clone()).collect::<Vec<_>>()
    );
    assert_eq!(
        v.clone().into_iter().pairwise().collect::<Vec<_>>(),
        pairwise(v.clone()).collect::<Vec<_>>()
    );
    assert_eq!(
        v.clone().into_iter().permutations(None).count(),
        permutations(v.clone(), None).count()
    );
    assert_eq!(
        v.clone().into_iter().product_repeat(2).collect::<Vec<_>>(),
        product_repeat(v.clone(), 2).collect::<Vec<_>>()
    );
    assert_eq!(
        vec![v.clone(), v.clone()]
            .into_iter()
            .chain_from_iterable()
            .count(),
        chain([v.clone(), v.clone()]).count()
    );
    let runs: Vec<(i32, usize)> = v
        .clone()
        .into_iter()
        .groupby()
        .map(|(k, g)| (k, g.count()))
        .collect();
    assert_eq!(runs, [(5, 1), (3, 2), (8, 1), (1, 1)]);
    let tees = v.clone().into_iter().tee(3);
    assert_eq!(tees.into_iter().map(Iterator::count).sum::<usize>(), 15);
}

#[test]
fn an_exhausted_inclusive_range_slices_nothing() {
    // `2..=4` run to its end is empty: as a slice it takes nothing, like the empty `5..5`.
    let mut r = 2..=4;
    r.by_ref().for_each(drop);
    assert!(r.is_empty());
    assert_eq!(r.clone().slice_args(), (4, Some(4), 1));
    assert_eq!(islice(0..10, r.clone()).collect::<Vec<_>>(), [] as [i32; 0]);
    assert_eq!((r.clone(), 2).slice_args(), (4, Some(4), 2));
    assert_eq!(islice(0..10, (r, 2)).collect::<Vec<_>>(), [] as [i32; 0]);
    // Half-way through, what is left of the range is the slice.
    let mut r = 2..=4;
    r.next();
    assert_eq!(islice(0..10, r).collect::<Vec<_>>(), [3, 4]);
    // At the end of `usize` too.
    let mut r = usize::MAX..=usize::MAX;
    r.next();
    assert_eq!(r.slice_args(), (usize::MAX, Some(usize::MAX), 1));
}
