//! Python's `itertools`, as lazy Rust iterators: free functions with Python's names, and the
//! same adapters as methods of [`IterExt`], an extension trait on every [`Iterator`].
//!
//! Every adapter is lazy (`#[must_use]`), reports an exact `size_hint` where it can (and a
//! correct one everywhere), and is `FusedIterator`, `Clone`, `Debug` and `Send` when its parts
//! are (`GroupBy` and `Group` too: a clone has its own copy of the source, see their `Clone`).
//! Where std already has an adapter with Python's semantics, the function returns std's
//! (`chain`, `dropwhile`, `takewhile`, the endless `repeat`). The combinatoric iterators read
//! their input in full first, as CPython does, give CPython's order, and have allocation-free
//! forms: `next_ref` lends each tuple from a reused buffer, and the `_array` functions yield
//! arrays. The bad arguments Rust's types let through (a `batched` size or an `islice` step of
//! 0) panic with CPython's `ValueError` message.
//!
//! **When your code panics.** A source iterator, a closure (a key, a predicate, a function), an
//! item's `Clone` or `Drop` that panics inside an adapter reaches the caller as a panic and
//! leaves the adapter whole: nothing is freed early or twice, no count goes wrong, and every
//! item after the panic is what it would have been without it. The item being made when the
//! panic struck is either given by the next call (by `tee`'s branches, `cycle`'s replay, the
//! combinatorics and `groupby`, whose `Clone`s run before anything moves on) or skipped (by
//! `accumulate`, `pairwise`, `cycle`'s first pass and `zip_longest`, whose `Clone`s run last,
//! and wherever a closure panicked: Python too loses the item whose key function raised).
//! A source that panics is treated as
//! CPython treats one that raises: `batched`, `islice`, `pairwise` and `zip_longest` end, the
//! others go on with the source's next item.
//!
//! | Python | cogen |
//! |---|---|
//! | `count(start, step)` | [`count`] (integers and floats; `repr`: [`py_repr`](crate::repr::py_repr)) |
//! | `cycle(it)` | [`cycle`], [`IterExt::cycle_saved`] |
//! | `repeat(x)`, `repeat(x, n)` | [`repeat`], [`repeat_n`] (`repr`: [`py_repr`](crate::repr::py_repr)) |
//! | `accumulate(it)`, `accumulate(it, f)`, `accumulate(it, initial=x)`, `accumulate(it, f, initial=x)` | [`accumulate`], [`accumulate_with`], [`accumulate_from`], [`accumulate_initial`] |
//! | `batched(it, n)`, `batched(it, n, strict=True)` | [`batched`], [`batched_strict`] |
//! | `chain(a, b, c)`, `chain.from_iterable(its)` | [`chain!`](crate::chain!), [`chain`], [`chain_from_iterable`] |
//! | `compress(data, selectors)` | [`compress`] ([`Truthy`] selectors) |
//! | `dropwhile(p, it)`, `takewhile(p, it)` | [`dropwhile`], [`takewhile`] |
//! | `filterfalse(p, it)` | [`filterfalse`] |
//! | `groupby(it)`, `groupby(it, key)` | [`groupby`], [`groupby_key`] |
//! | `islice(it, stop)`, `islice(it, start, stop, step)` | [`islice`]`(it, 5)`, `islice(it, 2..5)`, `islice(it, (2..10, 3))` ([`SliceArgs`]) |
//! | `pairwise(it)` | [`pairwise`] |
//! | `starmap(f, it)` | [`starmap`] |
//! | `tee(it, n)` | [`tee`], [`tee_array`] |
//! | `zip_longest(*its, fillvalue=x)` | [`zip_longest`], [`zip_longest_array`] |
//! | `zip_longest(*its)` (fill `None`) | [`zip_longest_none`], [`zip_longest_array_none`], [`zip_longest_pair`] (two inputs of any types) |
//! | `product(*its)`, `product(it, repeat=n)`, `product(*its, repeat=n)` | [`product`], [`product_array`], [`product_repeat`], [`product_repeat_array`], [`product_repeat_all`] |
//! | `permutations(it, r)` | [`permutations`], [`permutations_array`] |
//! | `combinations(it, r)` | [`combinations`], [`combinations_array`] |
//! | `combinations_with_replacement(it, r)` | [`combinations_with_replacement`], [`combinations_with_replacement_array`] |
//!
//! ```
//! use cogen::IterExt;
//! use cogen::iter::{count, groupby};
//!
//! // Python: list(islice(count(10), 3))
//! assert_eq!(count(10, 1).islice(3).collect::<Vec<_>>(), [10, 11, 12]);
//! // Python: [(k, len(list(g))) for k, g in groupby('AAABCC')]
//! let runs: Vec<(char, usize)> = groupby("AAABCC".chars()).map(|(k, g)| (k, g.count())).collect();
//! assert_eq!(runs, [('A', 3), ('B', 1), ('C', 2)]);
//! // Python: list(accumulate(b - a for a, b in pairwise([1, 4, 9, 16]))), as a method chain:
//! let gaps: Vec<i32> = [1, 4, 9, 16].into_iter().pairwise().map(|(a, b)| b - a).accumulate().collect();
//! assert_eq!(gaps, [3, 8, 15]);
//! ```

mod accumulate;
#[cfg(feature = "alloc")]
mod batched;
mod chain;
#[cfg(feature = "alloc")]
mod combinations;
mod compress;
mod count;
#[cfg(feature = "alloc")]
mod cycle;
mod filterfalse;
#[cfg(feature = "alloc")]
mod groupby;
mod islice;
mod pairwise;
#[cfg(feature = "alloc")]
mod permutations;
#[cfg(feature = "alloc")]
mod pool;
#[cfg(feature = "alloc")]
mod product;
mod repeat;
#[cfg(feature = "alloc")]
pub(crate) mod shared;
mod starmap;
#[cfg(feature = "alloc")]
mod tee;
mod unwind;
mod zip_longest;

#[cfg(feature = "alloc")]
use alloc::vec::Vec;
use core::iter::{Flatten, SkipWhile, TakeWhile};
use core::ops::Add;

pub use accumulate::{
    Accumulate, AccumulateFn, Plus, accumulate, accumulate_from, accumulate_initial,
    accumulate_with,
};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use batched::{Batched, BatchedStrict, IncompleteBatch, batched, batched_strict};
pub use chain::{chain, chain_from_iterable};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use combinations::{
    Combinations, CombinationsArray, CombinationsWithReplacement, CombinationsWithReplacementArray,
    combinations, combinations_array, combinations_with_replacement,
    combinations_with_replacement_array,
};
pub use compress::{Compress, Truthy, compress};
pub use count::{Count, CountStep, count};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use cycle::{Cycle, cycle};
pub use filterfalse::{FilterFalse, dropwhile, filterfalse, takewhile};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use groupby::{Group, GroupBy, Identity, KeyFn, groupby, groupby_key};
pub use islice::{ISlice, SliceArgs, islice};
pub use pairwise::{Pairwise, pairwise};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use permutations::{Permutations, PermutationsArray, permutations, permutations_array};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use product::{
    Product, ProductArray, product, product_array, product_repeat, product_repeat_all,
    product_repeat_array,
};
pub use repeat::{RepeatN, repeat, repeat_n};
pub use starmap::{SpreadFn, Starmap, starmap};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use tee::{Tee, tee, tee_array};
pub use zip_longest::{
    Somes, ZipLongestArray, ZipLongestPair, zip_longest_array, zip_longest_array_none,
    zip_longest_pair,
};
#[cfg(feature = "alloc")]
pub use zip_longest::{ZipLongest, zip_longest, zip_longest_none};

/// Python's `itertools` adapters as methods of every [`Iterator`]: `it.batched(3)` is
/// [`batched`]`(it, 3)`, and so on. No name collides with one of std's `Iterator` methods
/// (std's `cycle`, `skip_while` and `take_while` keep their names and meanings).
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(batched(filterfalse(lambda x: x % 3, range(20)), 3))
/// let batches: Vec<Vec<i32>> = (0..20).filterfalse(|x| x % 3 != 0).batched(3).collect();
/// assert_eq!(batches, [vec![0, 3, 6], vec![9, 12, 15], vec![18]]);
/// ```
pub trait IterExt: Iterator {
    /// Running sums: [`accumulate`] (Python's `accumulate(it)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(accumulate([1, 2, 3]))
    /// assert_eq!([1, 2, 3].into_iter().accumulate().collect::<Vec<_>>(), [1, 3, 6]);
    /// ```
    fn accumulate(self) -> Accumulate<Self, Self::Item, Plus>
    where
        Self: Sized,
        Self::Item: Add<Output = Self::Item> + Clone,
    {
        accumulate(self)
    }

    /// Running totals combined by `f`: [`accumulate_with`] (Python's `accumulate(it, f)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(accumulate([2, 3, 4], operator.mul))
    /// assert_eq!([2, 3, 4].into_iter().accumulate_with(|t, x| t * x).collect::<Vec<_>>(), [2, 6, 24]);
    /// ```
    fn accumulate_with<F>(self, f: F) -> Accumulate<Self, Self::Item, F>
    where
        Self: Sized,
        Self::Item: Clone,
        F: FnMut(&Self::Item, Self::Item) -> Self::Item,
    {
        accumulate_with(self, f)
    }

    /// Running sums from `initial`, which comes first: [`accumulate_from`] (Python's
    /// `accumulate(it, initial=initial)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(accumulate([1, 2, 3], initial=100))
    /// assert_eq!([1, 2, 3].into_iter().accumulate_from(100).collect::<Vec<_>>(), [100, 101, 103, 106]);
    /// ```
    fn accumulate_from(self, initial: Self::Item) -> Accumulate<Self, Self::Item, Plus>
    where
        Self: Sized,
        Self::Item: Add<Output = Self::Item> + Clone,
    {
        accumulate_from(self, initial)
    }

    /// Running totals from `initial`, which comes first: [`accumulate_initial`] (Python's
    /// `accumulate(it, f, initial=initial)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(accumulate('abc', lambda n, c: n + 1, initial=0))
    /// let lengths: Vec<usize> = "abc".chars().accumulate_initial(0, |n, _| n + 1).collect();
    /// assert_eq!(lengths, [0, 1, 2, 3]);
    /// ```
    fn accumulate_initial<T, F>(self, initial: T, f: F) -> Accumulate<Self, T, F>
    where
        Self: Sized,
        T: Clone,
        F: FnMut(&T, Self::Item) -> T,
    {
        accumulate_initial(self, initial, f)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// `Vec`s of `n` items, the last possibly shorter: [`batched`] (Python's
    /// `batched(it, n)`).
    ///
    /// # Panics
    ///
    /// If `n` is 0 (`ValueError: n must be at least one`, CPython's message).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(batched('ABCDE', 2))
    /// let batches: Vec<String> = "ABCDE".chars().batched(2).map(String::from_iter).collect();
    /// assert_eq!(batches, ["AB", "CD", "E"]);
    /// ```
    #[track_caller]
    fn batched(self, n: usize) -> Batched<Self>
    where
        Self: Sized,
    {
        batched(self, n)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// `Vec`s of exactly `n` items, then an [`IncompleteBatch`] error for leftovers:
    /// [`batched_strict`] (Python's `batched(it, n, strict=True)`).
    ///
    /// # Panics
    ///
    /// If `n` is 0 (`ValueError: n must be at least one`, CPython's message).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(batched('ABCD', 2, strict=True))
    /// let batches: Result<Vec<Vec<char>>, _> = "ABCD".chars().batched_strict(2).collect();
    /// assert_eq!(batches.unwrap(), [['A', 'B'], ['C', 'D']]);
    /// assert!("ABC".chars().batched_strict(2).collect::<Result<Vec<_>, _>>().is_err());
    /// ```
    #[track_caller]
    fn batched_strict(self, n: usize) -> BatchedStrict<Self>
    where
        Self: Sized,
    {
        batched_strict(self, n)
    }

    /// The items of each iterable this iterator yields, in turn: [`chain_from_iterable`]
    /// (Python's `chain.from_iterable(it)`), std's [`Flatten`].
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(chain.from_iterable([[1, 2], [3]]))
    /// assert_eq!([vec![1, 2], vec![3]].into_iter().chain_from_iterable().collect::<Vec<_>>(), [1, 2, 3]);
    /// ```
    fn chain_from_iterable(self) -> Flatten<Self>
    where
        Self: Sized,
        Self::Item: IntoIterator,
    {
        self.flatten()
    }

    /// The items whose selector is [truthy](Truthy): [`compress`] (Python's
    /// `compress(it, selectors)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(compress(range(5), [0, 1, 1, 0, 1]))
    /// assert_eq!((0..5).compress([0, 1, 1, 0, 1]).collect::<Vec<_>>(), [1, 2, 4]);
    /// ```
    fn compress<S>(self, selectors: S) -> Compress<Self, S::IntoIter>
    where
        Self: Sized,
        S: IntoIterator,
        S::Item: Truthy,
    {
        compress(self, selectors)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// The items, then the same items again and again, read from the source once:
    /// [`cycle`] (Python's `cycle(it)`; std's [`Iterator::cycle`] clones the iterator instead).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(islice(cycle('ab'), 5))
    /// assert_eq!("ab".chars().cycle_saved().take(5).collect::<String>(), "ababa");
    /// ```
    fn cycle_saved(self) -> Cycle<Self>
    where
        Self: Sized,
        Self::Item: Clone,
    {
        cycle(self)
    }

    /// Skips items while `predicate` holds: [`dropwhile`] (Python's `dropwhile(p, it)`),
    /// std's [`SkipWhile`].
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(dropwhile(lambda x: x < 3, [1, 5, 2]))
    /// assert_eq!([1, 5, 2].into_iter().dropwhile(|&x| x < 3).collect::<Vec<_>>(), [5, 2]);
    /// ```
    fn dropwhile<P>(self, predicate: P) -> SkipWhile<Self, P>
    where
        Self: Sized,
        P: FnMut(&Self::Item) -> bool,
    {
        self.skip_while(predicate)
    }

    /// Items while `predicate` holds (the first failing one is consumed): [`takewhile`]
    /// (Python's `takewhile(p, it)`), std's [`TakeWhile`].
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(takewhile(lambda x: x < 3, [1, 5, 2]))
    /// assert_eq!([1, 5, 2].into_iter().takewhile(|&x| x < 3).collect::<Vec<_>>(), [1]);
    /// ```
    fn takewhile<P>(self, predicate: P) -> TakeWhile<Self, P>
    where
        Self: Sized,
        P: FnMut(&Self::Item) -> bool,
    {
        self.take_while(predicate)
    }

    /// The items for which `predicate` is false: [`filterfalse`] (Python's
    /// `filterfalse(p, it)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(filterfalse(str.isdigit, 'a1b2'))
    /// assert_eq!("a1b2".chars().filterfalse(char::is_ascii_digit).collect::<String>(), "ab");
    /// ```
    fn filterfalse<P>(self, predicate: P) -> FilterFalse<Self, P>
    where
        Self: Sized,
        P: FnMut(&Self::Item) -> bool,
    {
        filterfalse(self, predicate)
    }

    /// Overlapping pairs of neighbours: [`pairwise`] (Python's `pairwise(it)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(pairwise('abc'))
    /// assert_eq!("abc".chars().pairwise().collect::<Vec<_>>(), [('a', 'b'), ('b', 'c')]);
    /// ```
    fn pairwise(self) -> Pairwise<Self>
    where
        Self: Sized,
        Self::Item: Clone,
    {
        pairwise(self)
    }

    /// Calls `f` with each tuple's elements as its arguments: [`starmap`] (Python's
    /// `starmap(f, it)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(starmap(pow, [(2, 3), (3, 2)]))
    /// assert_eq!([(2, 3), (3, 2)].into_iter().starmap(u64::pow).collect::<Vec<_>>(), [8, 9]);
    /// ```
    fn starmap<F>(self, f: F) -> Starmap<Self, F>
    where
        Self: Sized,
        F: SpreadFn<Self::Item>,
    {
        starmap(self, f)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// `(item, group)` for each run of equal items: [`groupby`] (Python's `groupby(it)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: [(k, len(list(g))) for k, g in groupby([1, 1, 2, 1])]
    /// let runs: Vec<(i32, usize)> = [1, 1, 2, 1].into_iter().groupby().map(|(k, g)| (k, g.count())).collect();
    /// assert_eq!(runs, [(1, 2), (2, 1), (1, 1)]);
    /// ```
    fn groupby(self) -> GroupBy<Self, Identity>
    where
        Self: Sized,
        Self::Item: Clone + PartialEq,
    {
        groupby(self)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// `(key, group)` for each run of items with equal keys: [`groupby_key`] (Python's
    /// `groupby(it, key)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: [(k, ''.join(g)) for k, g in groupby('aAbB', key=str.lower)]
    /// let runs: Vec<(char, String)> = "aAbB".chars()
    ///     .groupby_key(char::to_ascii_lowercase)
    ///     .map(|(k, g)| (k, g.collect()))
    ///     .collect();
    /// assert_eq!(runs, [('a', "aA".to_string()), ('b', "bB".to_string())]);
    /// ```
    fn groupby_key<K, F>(self, key: F) -> GroupBy<Self, F>
    where
        Self: Sized,
        F: FnMut(&Self::Item) -> K,
        K: Clone + PartialEq,
    {
        groupby_key(self, key)
    }

    /// The items at positions `start`, `start + step`, ... before `stop`: [`islice`]
    /// (Python's `islice(it, ...)`), with the arguments in any form of [`SliceArgs`] (`5`,
    /// `2..5`, `2..`, `..5`, `(2..10, 3)`, `(2, None, 3)`), reading the source as far as
    /// CPython does.
    ///
    /// # Panics
    ///
    /// If the step is 0 (`ValueError: Step for islice() must be a positive integer or None.`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(islice('ABCDEFG', 1, 6, 2)), list(islice('ABCDEFG', 3))
    /// assert_eq!("ABCDEFG".chars().islice((1..6, 2)).collect::<String>(), "BDF");
    /// assert_eq!("ABCDEFG".chars().islice(3).collect::<String>(), "ABC");
    /// ```
    #[track_caller]
    fn islice(self, args: impl SliceArgs) -> ISlice<Self>
    where
        Self: Sized,
    {
        islice(self, args)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// `n` independent iterators over the items: [`tee`] (Python's `tee(it, n)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: [list(t) for t in tee(range(2), 2)]
    /// let copies: Vec<Vec<i32>> = (0..2).tee(2).into_iter().map(Iterator::collect).collect();
    /// assert_eq!(copies, [[0, 1], [0, 1]]);
    /// ```
    #[must_use = "iterators are lazy and do nothing unless consumed"]
    fn tee(self, n: usize) -> Vec<Tee<Self>>
    where
        Self: Sized,
        Self::Item: Clone,
    {
        tee(self, n)
    }

    /// Pairs with `other` until both are exhausted, `None` standing in for the shorter:
    /// [`zip_longest_pair`] (Python's `zip_longest(it, other)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(zip_longest('a', [1, 2]))
    /// let pairs: Vec<_> = "a".chars().zip_longest([1, 2]).collect();
    /// assert_eq!(pairs, [(Some('a'), Some(1)), (None, Some(2))]);
    /// ```
    fn zip_longest<J>(self, other: J) -> ZipLongestPair<Self, J::IntoIter>
    where
        Self: Sized,
        J: IntoIterator,
    {
        zip_longest_pair(self, other)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// The Cartesian product of the items with themselves, `repeat` times:
    /// [`product_repeat`] (Python's `product(it, repeat=repeat)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(product([0, 1], repeat=2))
    /// let bits: Vec<Vec<u8>> = [0, 1].into_iter().product_repeat(2).collect();
    /// assert_eq!(bits, [[0, 0], [0, 1], [1, 0], [1, 1]]);
    /// ```
    fn product_repeat(self, repeat: usize) -> Product<Self::Item>
    where
        Self: Sized,
        Self::Item: Clone,
    {
        product_repeat(self, repeat)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// Every ordered arrangement of `r` of the items (all for `None`): [`permutations`]
    /// (Python's `permutations(it, r)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: [''.join(p) for p in permutations('abc', 2)]
    /// let words: Vec<String> = "abc".chars().permutations(2).map(String::from_iter).collect();
    /// assert_eq!(words, ["ab", "ac", "ba", "bc", "ca", "cb"]);
    /// ```
    fn permutations(self, r: impl Into<Option<usize>>) -> Permutations<Self::Item>
    where
        Self: Sized,
        Self::Item: Clone,
    {
        permutations(self, r)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// Every choice of `r` of the items: [`combinations`] (Python's `combinations(it, r)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: [''.join(c) for c in combinations('abc', 2)]
    /// let pairs: Vec<String> = "abc".chars().combinations(2).map(String::from_iter).collect();
    /// assert_eq!(pairs, ["ab", "ac", "bc"]);
    /// ```
    fn combinations(self, r: usize) -> Combinations<Self::Item>
    where
        Self: Sized,
        Self::Item: Clone,
    {
        combinations(self, r)
    }

    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    /// Every choice of `r` of the items, each repeatable: [`combinations_with_replacement`]
    /// (Python's `combinations_with_replacement(it, r)`).
    ///
    /// ```
    /// use cogen::IterExt;
    ///
    /// // Python: list(combinations_with_replacement([1, 2], 2))
    /// let pairs: Vec<Vec<i32>> = [1, 2].into_iter().combinations_with_replacement(2).collect();
    /// assert_eq!(pairs, [[1, 1], [1, 2], [2, 2]]);
    /// ```
    fn combinations_with_replacement(self, r: usize) -> CombinationsWithReplacement<Self::Item>
    where
        Self: Sized,
        Self::Item: Clone,
    {
        combinations_with_replacement(self, r)
    }
}

impl<I: Iterator + ?Sized> IterExt for I {}
