//! `chain` and `chain.from_iterable`: std's `Flatten` and nested `Chain`s.

use core::iter::Flatten;

/// The items of each iterable in turn (Python's `itertools.chain(*iterables)`), for iterables
/// of one type; std's [`Flatten`], which already has Python's semantics (each iterable is
/// taken from `iterables` only when the one before is exhausted). For iterables of different
/// types, use the [`chain!`](crate::chain!) macro.
///
/// ```
/// use cogen::iter::chain;
///
/// // Python: list(chain('ABC', 'DEF'))
/// assert_eq!(chain(["ABC".chars(), "DEF".chars()]).collect::<String>(), "ABCDEF");
/// // Python: list(chain([1, 2], [], [3]))
/// assert_eq!(chain([vec![1, 2], vec![], vec![3]]).collect::<Vec<_>>(), [1, 2, 3]);
/// ```
pub fn chain<I>(iterables: I) -> Flatten<I::IntoIter>
where
    I: IntoIterator,
    I::Item: IntoIterator,
{
    iterables.into_iter().flatten()
}

/// The items of each iterable that `iterables` yields, in turn, taking the iterables lazily
/// (Python's `itertools.chain.from_iterable(iterables)`); std's [`Flatten`].
///
/// ```
/// use cogen::iter::chain_from_iterable;
///
/// // Python: list(chain.from_iterable(['ABC', 'DEF']))
/// let letters: String = chain_from_iterable(["ABC", "DEF"].map(str::chars)).collect();
/// assert_eq!(letters, "ABCDEF");
/// // Python: list(chain.from_iterable(range(n) for n in range(4)))
/// assert_eq!(chain_from_iterable((0..4).map(|n| 0..n)).collect::<Vec<_>>(), [0, 0, 1, 0, 1, 2]);
/// ```
pub fn chain_from_iterable<I>(iterables: I) -> Flatten<I::IntoIter>
where
    I: IntoIterator,
    I::Item: IntoIterator,
{
    iterables.into_iter().flatten()
}

/// Chains any number of iterables, of any types with the same item type (Python's
/// `itertools.chain(a, b, c)`), into nested std [`Chain`](std::iter::Chain)s:
/// `chain![a, b, c]` is `a.into_iter().chain(b).chain(c)`. `chain![]` is an empty iterator.
///
/// ```
/// use cogen::chain;
///
/// // Python: list(chain([1, 2], range(3, 5), {5: 'five'}.keys()))
/// let numbers = std::collections::BTreeMap::from([(5, "five")]);
/// let all: Vec<i32> = chain![vec![1, 2], 3..5, numbers.keys().copied()].collect();
/// assert_eq!(all, [1, 2, 3, 4, 5]);
/// let nothing: Vec<u8> = chain![].collect();
/// assert!(nothing.is_empty());
/// ```
#[macro_export]
macro_rules! chain {
    () => {
        ::core::iter::empty()
    };
    ($first:expr $(, $rest:expr)* $(,)?) => {{
        let chained = ::core::iter::IntoIterator::into_iter($first);
        $(
            let chained = ::core::iter::Iterator::chain(chained, $rest);
        )*
        chained
    }};
}
