//! `repeat`: std's, which already has Python's semantics.

/// `x`, forever (Python's `itertools.repeat(x)`): std's [`std::iter::repeat`], which already
/// has Python's semantics.
///
/// ```
/// use cogen::iter::repeat;
///
/// // Python: list(map(pow, range(4), repeat(2)))
/// let squares: Vec<u32> = (0..4u32).zip(repeat(2)).map(|(x, e)| x.pow(e)).collect();
/// assert_eq!(squares, [0, 1, 4, 9]);
/// ```
pub fn repeat<T: Clone>(x: T) -> core::iter::Repeat<T> {
    core::iter::repeat(x)
}

/// `x`, `n` times (Python's `itertools.repeat(x, n)`): std's [`std::iter::repeat_n`].
///
/// ```
/// use cogen::iter::repeat_n;
///
/// // Python: list(repeat('ab', 3))
/// assert_eq!(repeat_n("ab", 3).collect::<Vec<_>>(), ["ab", "ab", "ab"]);
/// assert_eq!(repeat_n("ab", 0).next(), None);
/// ```
pub fn repeat_n<T: Clone>(x: T, n: usize) -> core::iter::RepeatN<T> {
    core::iter::repeat_n(x, n)
}
