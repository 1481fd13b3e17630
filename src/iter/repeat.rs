//! `repeat`: an object again and again, forever (std's) or `n` times.

use core::iter::FusedIterator;

/// `x`, forever (Python's `itertools.repeat(x)`): std's [`core::iter::Repeat`], which already
/// has Python's semantics. [`py_repr`](crate::repr::py_repr) prints it as CPython does,
/// `repeat('a')`.
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

/// The iterator returned by [`repeat_n`]: `x`, `n` times.
///
/// Unlike std's [`core::iter::RepeatN`], it keeps `x` after the last time (it gives out
/// clones only, as CPython's `repeat` does), so that [`py_repr`](crate::repr::py_repr) still
/// prints it: `repeat('a', 0)`. Should `x`'s `Clone` panic, no repetition is used up.
///
/// ```
/// use cogen::iter::repeat_n;
/// use cogen::repr::py_repr;
///
/// // Python: r = repeat('a', 2); next(r); repr(r)
/// let mut r = repeat_n("a", 2);
/// assert_eq!(r.next(), Some("a"));
/// assert_eq!(py_repr(&r), "repeat('a', 1)");
/// assert_eq!(r.len(), 1);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct RepeatN<T> {
    element: T,
    left: usize,
}

/// `x`, `n` times (Python's `itertools.repeat(x, n)`).
///
/// Python's negative `n` (which CPython treats as 0) has no `usize`; write 0.
///
/// ```
/// use cogen::iter::repeat_n;
///
/// // Python: list(repeat('ab', 3))
/// assert_eq!(repeat_n("ab", 3).collect::<Vec<_>>(), ["ab", "ab", "ab"]);
/// assert_eq!(repeat_n("ab", 0).next(), None);
/// ```
pub fn repeat_n<T: Clone>(x: T, n: usize) -> RepeatN<T> {
    RepeatN {
        element: x,
        left: n,
    }
}

impl<T> RepeatN<T> {
    /// `(x, times left)`, for `repr` (`crate::repr`).
    pub(crate) fn repr_parts(&self) -> (&T, usize) {
        (&self.element, self.left)
    }
}

impl<T: Clone> Iterator for RepeatN<T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        if self.left == 0 {
            return None;
        }
        let item = self.element.clone();
        self.left -= 1;
        Some(item)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }

    #[inline]
    fn nth(&mut self, n: usize) -> Option<T> {
        if n >= self.left {
            self.left = 0;
            return None;
        }
        // Clone first: should it panic, no repetition is used up.
        let item = self.element.clone();
        self.left -= n + 1;
        Some(item)
    }

    #[inline]
    fn last(self) -> Option<T> {
        // The last repetition is `x` itself: no clone, no loop.
        (self.left > 0).then_some(self.element)
    }

    #[inline]
    fn count(self) -> usize {
        self.left
    }

    #[inline]
    fn fold<B, F>(mut self, init: B, mut f: F) -> B
    where
        F: FnMut(B, T) -> B,
    {
        let mut acc = init;
        while self.left > 0 {
            let item = self.element.clone();
            self.left -= 1;
            acc = f(acc, item);
        }
        acc
    }
}

impl<T: Clone> DoubleEndedIterator for RepeatN<T> {
    #[inline]
    fn next_back(&mut self) -> Option<T> {
        // Every repetition is the same: the back is the front (cloned before it is counted).
        self.next()
    }

    #[inline]
    fn nth_back(&mut self, n: usize) -> Option<T> {
        self.nth(n)
    }
}

impl<T: Clone> ExactSizeIterator for RepeatN<T> {}
impl<T: Clone> FusedIterator for RepeatN<T> {}
