//! `cogen::iter` against its peers in std and the itertools crate: for every cogen function
//! with a peer, the same work on both, in one run, so that the ratios compare like with like.
//!
//! Every bench builds its iterator from inputs passed through `black_box` (so nothing is known
//! at compile time), mixes every item into a `u64` checksum and returns it. `Mix` is additive,
//! each tuple element shifted by its position, so every element is read, and each element goes
//! through `opaque`, an empty `asm!` the optimizer cannot see through: nothing folds away or is
//! vectorized, and, unlike `black_box`, no item makes a trip through memory. Before timing,
//! every bench of a group is checked to return the same checksum as the others (the same items,
//! in the same tuples). Each bench is run with two consumers:
//!
//! - `.next`: a `while let Some(x) = it.next()` loop (what a `for` loop does);
//! - `.fold`: `it.fold(..)` (what `sum`, `count`, `for_each` and most of std's consumers do, and
//!   where an adapter's `fold` override pays off).
//!
//! `next_ref` forms lend each tuple: they are consumed with a `while let` loop (`.next_ref`).
//! Throughput is per item read from the source for the adapters, per item given out for
//! `count` and `cycle`, and per tuple for the combinatorics.
//!
//! Run: `cargo bench -p cogen-benches --bench itertools_peers && python3 scripts/itertools_table.py --paired
//! --instructions` (BENCHMARKS.md). Two other modes, chosen by the environment:
//!
//! - `ITERTOOLS_PEERS_RUN=<group>/<bench>:<reps>` runs that one bench `reps` times, untimed (for
//!   callgrind and perf); `ITERTOOLS_PEERS_RUN=list` lists every bench and its item count.
//! - `ITERTOOLS_PEERS_PAIRED=<group>/<a>,<group>/<b>;...` times each pair in alternation (see
//!   `paired`), for ratios that a burst of load on a shared machine does not skew.

use std::hint::black_box;
use std::iter::Copied;
use std::slice::Iter;
use std::time::{Duration, Instant};

use cogen::iter as ci;
use criterion::{Criterion, Throughput};
use itertools::{EitherOrBoth, Itertools, iproduct};

/// Items per run of the adapters.
const N: usize = 100_000;
/// The items `cycle` repeats.
const CYCLE_SOURCE: usize = 1_000;
/// `batched`'s `n`.
const BATCH: usize = 8;
/// The length of each run of equal keys in `groupby`.
const RUN_SHIFT: u32 = 3;
/// `islice(it, START, N - START, step)`.
const ISLICE_START: usize = 10;
/// `product` of three inputs of this many items: 125,000 tuples.
const PRODUCT_SIDE: usize = 50;
/// `permutations(range(12), 4)`: 11,880 tuples.
const PERMUTATIONS_N: usize = 12;
/// `combinations(range(40), 4)`: 91,390 tuples.
const COMBINATIONS_N: usize = 40;
/// `combinations_with_replacement(range(24), 4)`: 17,550 tuples.
const CWR_N: usize = 24;
/// The tuple length of the combinatorics.
const R: usize = 4;

struct Inputs {
    /// `0..N`.
    data: Vec<u64>,
    /// `0..N / 2`: the shorter input of `zip_longest`.
    short: Vec<u64>,
    /// `i % 3 != 0`.
    selectors: Vec<bool>,
    /// `(i, N - i)`.
    pairs: Vec<(u64, u64)>,
    /// `i >> RUN_SHIFT`: runs of 8 equal items.
    runs: Vec<u64>,
    cycle_source: Vec<u64>,
    product_sides: [Vec<u64>; 3],
    permutation_pool: Vec<u64>,
    combination_pool: Vec<u64>,
    cwr_pool: Vec<u64>,
    /// Parameters the compiler must not see: `count`'s start and step, `islice`'s
    /// start, stop and step.
    zero: u64,
    one: u64,
    islice_start: usize,
    islice_stop: usize,
    islice_step: usize,
}

impl Inputs {
    fn new() -> Self {
        let range = |n: usize| (0..n as u64).collect::<Vec<u64>>();
        Inputs {
            data: range(N),
            short: range(N / 2),
            selectors: (0..N).map(|i| i % 3 != 0).collect(),
            pairs: (0..N as u64).map(|i| (i, N as u64 - i)).collect(),
            runs: (0..N as u64).map(|i| i >> RUN_SHIFT).collect(),
            cycle_source: range(CYCLE_SOURCE),
            product_sides: [
                range(PRODUCT_SIDE),
                range(PRODUCT_SIDE),
                range(PRODUCT_SIDE),
            ],
            permutation_pool: range(PERMUTATIONS_N),
            combination_pool: range(COMBINATIONS_N),
            cwr_pool: range(CWR_N),
            zero: 0,
            one: 1,
            islice_start: ISLICE_START,
            islice_stop: N - ISLICE_START,
            islice_step: 3,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Consumers

/// Mixes one item into the checksum: `acc + Σ element << position`.
trait Mix {
    fn mix(self, acc: u64) -> u64;
}

/// `x`, unknown to the optimizer from here on (so no sum is computed in closed form or
/// vectorized), without the trip through memory that `black_box` makes: a store and a reload
/// per item would add their own cost, and make every piece of iterator state that a call has
/// seen the address of be reloaded after every item.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
#[inline(always)]
fn opaque(mut x: u64) -> u64 {
    // SAFETY: an empty asm block (a comment) that claims to change one register, and nothing
    // else: no memory, no stack, no flags.
    unsafe {
        std::arch::asm!(
            "/* {0} */",
            inout(reg) x,
            options(pure, nomem, nostack, preserves_flags)
        );
    }
    x
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
#[inline(always)]
fn opaque(x: u64) -> u64 {
    black_box(x)
}

impl Mix for u64 {
    #[inline(always)]
    fn mix(self, acc: u64) -> u64 {
        acc.wrapping_add(opaque(self))
    }
}

impl Mix for &[u64] {
    #[inline(always)]
    fn mix(self, acc: u64) -> u64 {
        self.iter()
            .enumerate()
            .fold(acc, |acc, (k, &x)| acc.wrapping_add(opaque(x) << k))
    }
}

impl Mix for Vec<u64> {
    #[inline(always)]
    fn mix(self, acc: u64) -> u64 {
        self.as_slice().mix(acc)
    }
}

impl<const K: usize> Mix for [u64; K] {
    #[inline(always)]
    fn mix(self, acc: u64) -> u64 {
        self.as_slice().mix(acc)
    }
}

impl Mix for (u64, u64) {
    #[inline(always)]
    fn mix(self, acc: u64) -> u64 {
        [self.0, self.1].mix(acc)
    }
}

impl Mix for (u64, u64, u64) {
    #[inline(always)]
    fn mix(self, acc: u64) -> u64 {
        [self.0, self.1, self.2].mix(acc)
    }
}

impl Mix for (u64, u64, u64, u64) {
    #[inline(always)]
    fn mix(self, acc: u64) -> u64 {
        [self.0, self.1, self.2, self.3].mix(acc)
    }
}

/// `zip_longest`'s pairs: a missing side counts as 1.
impl Mix for (Option<u64>, Option<u64>) {
    #[inline(always)]
    fn mix(self, acc: u64) -> u64 {
        (self.0.unwrap_or(1), self.1.unwrap_or(1)).mix(acc)
    }
}

impl Mix for EitherOrBoth<u64, u64> {
    #[inline(always)]
    fn mix(self, acc: u64) -> u64 {
        match self {
            EitherOrBoth::Both(a, b) => (Some(a), Some(b)),
            EitherOrBoth::Left(a) => (Some(a), None),
            EitherOrBoth::Right(b) => (None, Some(b)),
        }
        .mix(acc)
    }
}

/// How a bench drives its iterator.
trait Consume {
    fn run<I>(iter: I) -> u64
    where
        I: Iterator,
        I::Item: Mix;

    /// `groupby`'s groups: each key, then each item of its group, then the group's length.
    fn groups<I, G>(groups: I) -> u64
    where
        I: Iterator<Item = (u64, G)>,
        G: Iterator<Item = u64>;
}

/// `while let Some(item) = iter.next()`: what a `for` loop does.
struct Next;

/// `iter.fold(..)`: what `sum`, `count`, `for_each`, ... do.
struct Fold;

impl Consume for Next {
    // Spelled out: each item through `next`, as a `for` loop does.
    #[allow(clippy::while_let_on_iterator)]
    #[inline(always)]
    fn run<I>(mut iter: I) -> u64
    where
        I: Iterator,
        I::Item: Mix,
    {
        let mut acc = 0u64;
        while let Some(item) = iter.next() {
            acc = item.mix(acc);
        }
        acc
    }

    #[inline(always)]
    fn groups<I, G>(groups: I) -> u64
    where
        I: Iterator<Item = (u64, G)>,
        G: Iterator<Item = u64>,
    {
        let mut acc = 0u64;
        for (key, group) in groups {
            acc = key.mix(acc);
            let mut len = 0u64;
            for item in group {
                acc = item.mix(acc);
                len += 1;
            }
            acc = acc.wrapping_add(len << 32);
        }
        acc
    }
}

impl Consume for Fold {
    #[inline(always)]
    fn run<I>(iter: I) -> u64
    where
        I: Iterator,
        I::Item: Mix,
    {
        iter.fold(0u64, |acc, item| item.mix(acc))
    }

    #[inline(always)]
    fn groups<I, G>(groups: I) -> u64
    where
        I: Iterator<Item = (u64, G)>,
        G: Iterator<Item = u64>,
    {
        groups.fold(0u64, |acc, (key, group)| {
            let (acc, len) = group.fold((key.mix(acc), 0u64), |(acc, len), item| {
                (item.mix(acc), len + 1)
            });
            acc.wrapping_add(len << 32)
        })
    }
}

/// A lent tuple as an array, as a caller who knows `r` would read it.
#[inline(always)]
fn lent<const K: usize>(tuple: &[u64]) -> [u64; K] {
    match <[u64; K]>::try_from(tuple) {
        Ok(array) => array,
        Err(_) => unreachable!("a tuple of {K}"),
    }
}

type Items<'a> = Copied<Iter<'a, u64>>;

fn items(slice: &[u64]) -> Items<'_> {
    slice.iter().copied()
}

// ---------------------------------------------------------------------------------------------
// The work

fn count_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::count(i.zero, 1).take(i.data.len()))
}

fn count_std_range_from<C: Consume>(i: &Inputs) -> u64 {
    C::run((i.zero..).take(i.data.len()))
}

fn count_step_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::count(i.zero, i.one).take(i.data.len()))
}

fn count_step_std_successors<C: Consume>(i: &Inputs) -> u64 {
    let step = i.one;
    C::run(
        std::iter::successors(Some(i.zero), move |x: &u64| x.checked_add(step)).take(i.data.len()),
    )
}

fn cycle_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::cycle(items(&i.cycle_source)).take(i.data.len()))
}

fn cycle_std<C: Consume>(i: &Inputs) -> u64 {
    C::run(items(&i.cycle_source).cycle().take(i.data.len()))
}

fn accumulate_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::accumulate(items(&i.data)))
}

fn accumulate_std_scan<C: Consume>(i: &Inputs) -> u64 {
    C::run(items(&i.data).scan(0u64, |total, x| {
        *total += x;
        Some(*total)
    }))
}

fn batched_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::batched(items(&i.data), BATCH))
}

fn batched_itertools_chunks<C: Consume>(i: &Inputs) -> u64 {
    let chunks = items(&i.data).chunks(BATCH);
    C::run((&chunks).into_iter().map(|chunk| {
        chunk
            .enumerate()
            .fold(0u64, |acc, (k, x)| acc.wrapping_add(opaque(x) << k))
    }))
}

fn batched_std_chunks<C: Consume>(i: &Inputs) -> u64 {
    C::run(i.data.chunks(BATCH))
}

fn batched_std_chunks_to_vec<C: Consume>(i: &Inputs) -> u64 {
    C::run(i.data.chunks(BATCH).map(<[u64]>::to_vec))
}

fn quarters(i: &Inputs) -> [Items<'_>; 4] {
    let q = i.data.len() / 4;
    [
        items(&i.data[..q]),
        items(&i.data[q..2 * q]),
        items(&i.data[2 * q..3 * q]),
        items(&i.data[3 * q..]),
    ]
}

fn chain_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::chain(quarters(i)))
}

fn chain_std_flatten<C: Consume>(i: &Inputs) -> u64 {
    C::run(quarters(i).into_iter().flatten())
}

fn chain_std_chain<C: Consume>(i: &Inputs) -> u64 {
    let [a, b, c, d] = quarters(i);
    C::run(a.chain(b).chain(c).chain(d))
}

fn compress_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::compress(items(&i.data), i.selectors.iter().copied()))
}

fn compress_std<C: Consume>(i: &Inputs) -> u64 {
    C::run(
        items(&i.data)
            .zip(i.selectors.iter().copied())
            .filter(|&(_, selector)| selector)
            .map(|(datum, _)| datum),
    )
}

fn filterfalse_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::filterfalse(items(&i.data), |&x| x % 3 == 0))
}

fn filterfalse_std<C: Consume>(i: &Inputs) -> u64 {
    C::run(items(&i.data).filter(|&x| x % 3 != 0))
}

fn pairwise_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::pairwise(items(&i.data)))
}

fn pairwise_itertools<C: Consume>(i: &Inputs) -> u64 {
    C::run(items(&i.data).tuple_windows::<(_, _)>())
}

fn pairwise_std_windows<C: Consume>(i: &Inputs) -> u64 {
    C::run(i.data.windows(2))
}

fn starmap_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::starmap(i.pairs.iter().copied(), |a: u64, b: u64| {
        a ^ (b << 1)
    }))
}

fn starmap_std<C: Consume>(i: &Inputs) -> u64 {
    C::run(i.pairs.iter().copied().map(|(a, b)| a ^ (b << 1)))
}

fn groupby_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::groups(ci::groupby(items(&i.runs)))
}

fn groupby_itertools<C: Consume>(i: &Inputs) -> u64 {
    let groups = items(&i.runs).chunk_by(|&x| x);
    C::groups((&groups).into_iter())
}

fn groupby_key_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::groups(ci::groupby_key(items(&i.data), |&x: &u64| x >> RUN_SHIFT))
}

fn groupby_key_itertools<C: Consume>(i: &Inputs) -> u64 {
    let groups = items(&i.data).chunk_by(|&x| x >> RUN_SHIFT);
    C::groups((&groups).into_iter())
}

fn islice_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::islice(items(&i.data), i.islice_start..i.islice_stop))
}

fn islice_std<C: Consume>(i: &Inputs) -> u64 {
    C::run(items(&i.data).take(i.islice_stop).skip(i.islice_start))
}

fn islice_step_cogen<C: Consume>(i: &Inputs) -> u64 {
    let (start, stop, step) = (i.islice_start, i.islice_stop, i.islice_step);
    C::run(ci::islice(items(&i.data), (start..stop, step)))
}

fn islice_step_std<C: Consume>(i: &Inputs) -> u64 {
    let (start, stop, step) = (i.islice_start, i.islice_stop, i.islice_step);
    C::run(items(&i.data).take(stop).skip(start).step_by(step))
}

/// Reads the two branches in turn, one item each.
#[inline(always)]
fn interleaved<A, B>(mut a: A, mut b: B) -> u64
where
    A: Iterator<Item = u64>,
    B: Iterator<Item = u64>,
{
    let mut acc = 0u64;
    while let (Some(x), Some(y)) = (a.next(), b.next()) {
        acc = (x, y).mix(acc);
    }
    acc
}

fn tee_interleaved_cogen(i: &Inputs) -> u64 {
    let [a, b] = ci::tee_array(items(&i.data));
    interleaved(a, b)
}

fn tee_interleaved_itertools(i: &Inputs) -> u64 {
    let (a, b) = items(&i.data).tee();
    interleaved(a, b)
}

fn tee_sequential_cogen<C: Consume>(i: &Inputs) -> u64 {
    let [a, b] = ci::tee_array(items(&i.data));
    C::run(a).wrapping_add(C::run(b) << 1)
}

fn tee_sequential_itertools<C: Consume>(i: &Inputs) -> u64 {
    let (a, b) = items(&i.data).tee();
    C::run(a).wrapping_add(C::run(b) << 1)
}

fn zip_longest_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::zip_longest_pair(items(&i.data), items(&i.short)))
}

fn zip_longest_itertools<C: Consume>(i: &Inputs) -> u64 {
    C::run(items(&i.data).zip_longest(items(&i.short)))
}

fn sides(i: &Inputs) -> [Items<'_>; 3] {
    i.product_sides.each_ref().map(|side| items(side))
}

fn product_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::product(sides(i)))
}

fn product_itertools_multi<C: Consume>(i: &Inputs) -> u64 {
    C::run(sides(i).into_iter().multi_cartesian_product())
}

fn product_array_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::product_array(sides(i)))
}

fn product_itertools_iproduct<C: Consume>(i: &Inputs) -> u64 {
    let [a, b, c] = sides(i);
    C::run(iproduct!(a, b, c))
}

fn product_next_ref_cogen(i: &Inputs) -> u64 {
    let mut tuples = ci::product(sides(i));
    let mut acc = 0u64;
    while let Some(tuple) = tuples.next_ref() {
        acc = lent::<3>(tuple).mix(acc);
    }
    acc
}

fn permutations_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::permutations(items(&i.permutation_pool), R))
}

fn permutations_itertools<C: Consume>(i: &Inputs) -> u64 {
    C::run(items(&i.permutation_pool).permutations(R))
}

fn permutations_array_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::permutations_array::<R, _>(items(&i.permutation_pool)))
}

fn permutations_next_ref_cogen(i: &Inputs) -> u64 {
    let mut tuples = ci::permutations(items(&i.permutation_pool), R);
    let mut acc = 0u64;
    while let Some(tuple) = tuples.next_ref() {
        acc = lent::<R>(tuple).mix(acc);
    }
    acc
}

fn combinations_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::combinations(items(&i.combination_pool), R))
}

fn combinations_itertools<C: Consume>(i: &Inputs) -> u64 {
    C::run(items(&i.combination_pool).combinations(R))
}

fn combinations_array_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::combinations_array::<R, _>(items(&i.combination_pool)))
}

fn combinations_itertools_array<C: Consume>(i: &Inputs) -> u64 {
    C::run(items(&i.combination_pool).array_combinations::<R>())
}

fn combinations_itertools_tuple<C: Consume>(i: &Inputs) -> u64 {
    C::run(items(&i.combination_pool).tuple_combinations::<(u64, u64, u64, u64)>())
}

fn combinations_next_ref_cogen(i: &Inputs) -> u64 {
    let mut tuples = ci::combinations(items(&i.combination_pool), R);
    let mut acc = 0u64;
    while let Some(tuple) = tuples.next_ref() {
        acc = lent::<R>(tuple).mix(acc);
    }
    acc
}

fn cwr_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::combinations_with_replacement(items(&i.cwr_pool), R))
}

fn cwr_itertools<C: Consume>(i: &Inputs) -> u64 {
    C::run(items(&i.cwr_pool).combinations_with_replacement(R))
}

fn cwr_array_cogen<C: Consume>(i: &Inputs) -> u64 {
    C::run(ci::combinations_with_replacement_array::<R, _>(items(
        &i.cwr_pool,
    )))
}

fn cwr_next_ref_cogen(i: &Inputs) -> u64 {
    let mut tuples = ci::combinations_with_replacement(items(&i.cwr_pool), R);
    let mut acc = 0u64;
    while let Some(tuple) = tuples.next_ref() {
        acc = lent::<R>(tuple).mix(acc);
    }
    acc
}

// ---------------------------------------------------------------------------------------------
// The registry

type Run = fn(&Inputs) -> u64;

struct Group {
    name: &'static str,
    /// Items per run, for `Throughput::Elements`.
    items: u64,
    benches: Vec<(String, Run)>,
}

impl Group {
    fn new(name: &'static str, items: usize) -> Self {
        Group {
            name,
            items: items as u64,
            benches: Vec::new(),
        }
    }

    fn add(mut self, name: &str, run: Run) -> Self {
        self.benches.push((name.to_string(), run));
        self
    }

    /// The same work with both consumers: `<name>.next` and `<name>.fold`.
    fn both(self, name: &str, next: Run, fold: Run) -> Self {
        self.add(&format!("{name}.next"), next)
            .add(&format!("{name}.fold"), fold)
    }
}

/// `group!(name, items, [bench => f, ...], next: [bench => f, ...])`: a group whose generic
/// benches run with both consumers, and whose other benches (`next_ref`, interleaved) with
/// their own loop.
macro_rules! group {
    (
        $name:literal, $items:expr,
        [$($bench:literal => $f:ident),* $(,)?]
        $(, next: [$($own:literal => $g:ident),* $(,)?])? $(,)?
    ) => {
        Group::new($name, $items)
            $(.both($bench, $f::<Next>, $f::<Fold>))*
            $($(.add(concat!($own, ".next"), $g))*)?
    };
}

fn tuples_of(n: usize, r: usize, kind: &str) -> usize {
    let falling = |n: usize, r: usize| (n + 1 - r..=n).product::<usize>();
    let factorial = |r: usize| (1..=r).product::<usize>();
    match kind {
        "permutations" => falling(n, r),
        "combinations" => falling(n, r) / factorial(r),
        _ => falling(n + r - 1, r) / factorial(r),
    }
}

fn groups() -> Vec<Group> {
    let product = PRODUCT_SIDE.pow(3);
    let permutations = tuples_of(PERMUTATIONS_N, R, "permutations");
    let combinations = tuples_of(COMBINATIONS_N, R, "combinations");
    let cwr = tuples_of(CWR_N, R, "with_replacement");
    vec![
        group!("count", N, ["cogen" => count_cogen, "std_range_from" => count_std_range_from]),
        group!("count_step", N, [
            "cogen" => count_step_cogen,
            "std_successors" => count_step_std_successors,
        ]),
        group!("cycle", N, ["cogen" => cycle_cogen, "std_cycle" => cycle_std]),
        group!("accumulate", N, ["cogen" => accumulate_cogen, "std_scan" => accumulate_std_scan]),
        group!("batched", N, [
            "cogen" => batched_cogen,
            "itertools_chunks" => batched_itertools_chunks,
            "std_chunks" => batched_std_chunks,
            "std_chunks_to_vec" => batched_std_chunks_to_vec,
        ]),
        group!("chain", N, [
            "cogen" => chain_cogen,
            "std_flatten" => chain_std_flatten,
            "std_chain" => chain_std_chain,
        ]),
        group!("compress", N, ["cogen" => compress_cogen, "std_zip_filter_map" => compress_std]),
        group!("filterfalse", N, ["cogen" => filterfalse_cogen, "std_filter" => filterfalse_std]),
        group!("pairwise", N, [
            "cogen" => pairwise_cogen,
            "itertools_tuple_windows" => pairwise_itertools,
            "std_windows" => pairwise_std_windows,
        ]),
        group!("starmap", N, ["cogen" => starmap_cogen, "std_map" => starmap_std]),
        group!("groupby", N, ["cogen" => groupby_cogen, "itertools_chunk_by" => groupby_itertools]),
        group!("groupby_key", N, [
            "cogen" => groupby_key_cogen,
            "itertools_chunk_by" => groupby_key_itertools,
        ]),
        group!("islice", N, ["cogen" => islice_cogen, "std_take_skip" => islice_std]),
        group!("islice_step", N, [
            "cogen" => islice_step_cogen,
            "std_take_skip_step_by" => islice_step_std,
        ]),
        group!("tee_interleaved", N, [], next: [
            "cogen" => tee_interleaved_cogen,
            "itertools_tee" => tee_interleaved_itertools,
        ]),
        group!("tee_sequential", N, [
            "cogen" => tee_sequential_cogen,
            "itertools_tee" => tee_sequential_itertools,
        ]),
        group!("zip_longest", N, [
            "cogen" => zip_longest_cogen,
            "itertools_zip_longest" => zip_longest_itertools,
        ]),
        group!("product", product, [
            "cogen_vec" => product_cogen,
            "itertools_multi_cartesian_product" => product_itertools_multi,
        ]),
        group!("product_alloc_free", product, [
            "cogen_array" => product_array_cogen,
            "itertools_iproduct" => product_itertools_iproduct,
        ], next: ["cogen_next_ref" => product_next_ref_cogen]),
        group!("permutations", permutations, [
            "cogen_vec" => permutations_cogen,
            "itertools_permutations" => permutations_itertools,
            "cogen_array" => permutations_array_cogen,
        ], next: ["cogen_next_ref" => permutations_next_ref_cogen]),
        group!("combinations", combinations, [
            "cogen_vec" => combinations_cogen,
            "itertools_combinations" => combinations_itertools,
            "cogen_array" => combinations_array_cogen,
            "itertools_array_combinations" => combinations_itertools_array,
            "itertools_tuple_combinations" => combinations_itertools_tuple,
        ], next: ["cogen_next_ref" => combinations_next_ref_cogen]),
        group!("combinations_with_replacement", cwr, [
            "cogen_vec" => cwr_cogen,
            "itertools_combinations_with_replacement" => cwr_itertools,
            "cogen_array" => cwr_array_cogen,
        ], next: ["cogen_next_ref" => cwr_next_ref_cogen]),
    ]
}

/// Every bench of a group does the same work: the same checksum.
fn check(groups: &[Group], inputs: &Inputs) {
    for group in groups {
        let (first, run) = &group.benches[0];
        let expected = run(inputs);
        for (name, run) in &group.benches[1..] {
            assert_eq!(
                run(inputs),
                expected,
                "{}: {name} differs from {first}",
                group.name
            );
        }
    }
}

/// The bench `<group>/<bench>` and its group's item count.
fn find(groups: &[Group], id: &str) -> (Run, u64) {
    let (group_name, bench_name) = id.split_once('/').expect("<group>/<bench>");
    groups
        .iter()
        .filter(|group| group.name == group_name)
        .find_map(|group| {
            let (_, run) = group.benches.iter().find(|(name, _)| name == bench_name)?;
            Some((*run, group.items))
        })
        .unwrap_or_else(|| panic!("no bench {id}"))
}

/// `ITERTOOLS_PEERS_RUN=<group>/<bench>:<reps>`: runs one bench, untimed; `list`: lists them.
fn run_one(spec: &str, groups: &[Group], inputs: &Inputs) {
    if spec == "list" {
        for group in groups {
            for (name, _) in &group.benches {
                println!("{}/{name} {}", group.name, group.items);
            }
        }
        return;
    }
    let (id, reps) = spec.split_once(':').unwrap_or((spec, "1"));
    let reps: usize = reps
        .parse()
        .expect("ITERTOOLS_PEERS_RUN=<group>/<bench>:<reps>");
    let (run, _) = find(groups, id);
    let mut total = 0u64;
    for _ in 0..reps {
        total = total.wrapping_add(run(black_box(inputs)));
    }
    println!("{total}");
}

/// Seconds that `reps` runs of `run` take.
fn time(run: Run, inputs: &Inputs, reps: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..reps {
        black_box(run(black_box(inputs)));
    }
    start.elapsed().as_secs_f64()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// `ITERTOOLS_PEERS_PAIRED=<group>/<a>,<group>/<b>;...`: for each pair, times `a` and `b` in
/// alternation (a b, then b a, ...) for about a second, so that a burst of load on this shared
/// machine hits both alike, and prints `a b <a ns/item> <b ns/item> <ratio>`: the medians of
/// the rounds' times and of the rounds' ratios `a / b`.
fn paired(spec: &str, groups: &[Group], inputs: &Inputs) {
    for pair in spec.split(';').filter(|pair| !pair.is_empty()) {
        let (a_id, b_id) = pair.split_once(',').expect("<group>/<a>,<group>/<b>");
        let ((a, items), (b, _)) = (find(groups, a_id), find(groups, b_id));
        // Warm up, and time one round: each side runs for about 2 ms per round.
        time(a, inputs, 3);
        time(b, inputs, 3);
        let one = time(a, inputs, 1).max(time(b, inputs, 1)).max(1e-7);
        let reps = (2e-3 / one).ceil().clamp(1.0, 10_000.0) as u32;
        let (mut a_times, mut b_times, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        let deadline = Instant::now() + Duration::from_millis(1200);
        while ratios.len() < 20 || (Instant::now() < deadline && ratios.len() < 1000) {
            let (ta, tb) = if ratios.len() % 2 == 0 {
                let ta = time(a, inputs, reps);
                (ta, time(b, inputs, reps))
            } else {
                let tb = time(b, inputs, reps);
                (time(a, inputs, reps), tb)
            };
            a_times.push(ta);
            b_times.push(tb);
            ratios.push(ta / tb);
        }
        let per_item = 1e9 / (f64::from(reps) * items as f64);
        println!(
            "{a_id} {b_id} {:.4} {:.4} {:.4}",
            median(&mut a_times) * per_item,
            median(&mut b_times) * per_item,
            median(&mut ratios)
        );
    }
}

fn main() {
    let inputs = Inputs::new();
    let groups = groups();
    if let Ok(spec) = std::env::var("ITERTOOLS_PEERS_RUN") {
        run_one(&spec, &groups, &inputs);
        return;
    }
    if let Ok(spec) = std::env::var("ITERTOOLS_PEERS_PAIRED") {
        paired(&spec, &groups, &inputs);
        return;
    }
    check(&groups, &inputs);
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1200))
        .sample_size(30)
        .configure_from_args();
    for group in &groups {
        let mut timed = criterion.benchmark_group(format!("peers.{}", group.name));
        timed.throughput(Throughput::Elements(group.items));
        for (name, run) in &group.benches {
            timed.bench_function(name.as_str(), |b| b.iter(|| run(black_box(&inputs))));
        }
        timed.finish();
    }
    criterion.final_summary();
}
