//! `count`: an endless arithmetic progression.

use core::fmt::Debug;
use core::iter::FusedIterator;

mod sealed {
    use core::fmt;

    /// What `repr` needs of a count's number, kept out of the public trait.
    pub trait Sealed {
        /// Python's `int` 1: a step `repr(count(...))` leaves out.
        fn equals_int_one(self) -> bool;
        /// Writes `self + step`, which does not fit in the type (an integer count that gave
        /// out its last value), as Python's unbounded `int` would be written.
        fn write_overflowed_sum(self, step: Self, out: &mut dyn fmt::Write) -> fmt::Result;
    }
}

/// A number [`count`] can count with: every primitive integer, `f32` and `f64`.
///
/// Integers add `step` with overflow checking; floats add `step` repeatedly (so rounding
/// accumulates exactly as in Python). This trait is sealed.
///
/// ```
/// use cogen::iter::count;
///
/// // Python: count(10, 5)
/// assert_eq!(count(10u8, 5).take(3).collect::<Vec<_>>(), [10, 15, 20]);
/// ```
pub trait CountStep: Copy + Debug + sealed::Sealed {
    /// `self + step`, or `None` if that does not fit in the type (never `None` for floats).
    ///
    /// ```
    /// use cogen::iter::CountStep;
    ///
    /// assert_eq!(250u8.checked_step(5), Some(255));
    /// assert_eq!(251u8.checked_step(5), None);
    /// assert_eq!(0.5f64.checked_step(0.25), Some(0.75));
    /// ```
    fn checked_step(self, step: Self) -> Option<Self>;
}

/// Writes `a + b`, each a sign (`true`: negative) and a magnitude, as Python's unbounded `int`
/// is written: every primitive integer is one, and the sum may pass `u128::MAX` (up to
/// 2^129 - 2) or `i128::MIN` (down to -2^128).
fn write_sum(
    a: (bool, u128),
    b: (bool, u128),
    out: &mut dyn core::fmt::Write,
) -> core::fmt::Result {
    let ((a_negative, a), (b_negative, b)) = (a, b);
    // The sum's sign, and its magnitude as `carry * 2^128 + low`.
    let (negative, (low, carry)) = if a_negative == b_negative {
        (a_negative, a.overflowing_add(b))
    } else if a >= b {
        (a_negative && a != b, (a - b, false))
    } else {
        (b_negative, (b - a, false))
    };
    if negative {
        out.write_char('-')?;
    }
    if !carry {
        return write!(out, "{low}");
    }
    // 2^128 + low, digit by digit.
    const TWO_128: &[u8; 39] = b"340282366920938463463374607431768211456";
    let mut digits = [0u8; 40];
    let (mut rest, mut tens) = (low, 0u8);
    for i in (0..39).rev() {
        let sum = (TWO_128[i] - b'0') + (rest % 10) as u8 + tens;
        rest /= 10;
        (digits[i + 1], tens) = (sum % 10, sum / 10);
    }
    digits[0] = tens;
    let first = usize::from(tens == 0);
    for &digit in &digits[first..] {
        out.write_char(char::from(b'0' + digit))?;
    }
    Ok(())
}

macro_rules! count_step_int {
    ($($t:ty)*) => {$(
        impl sealed::Sealed for $t {
            #[inline]
            fn equals_int_one(self) -> bool {
                self == 1
            }

            #[allow(clippy::unnecessary_cast)] // `as u128` on a `u128`
            fn write_overflowed_sum(
                self,
                step: Self,
                out: &mut dyn core::fmt::Write,
            ) -> core::fmt::Result {
                // Sign and magnitude: every type but `u128` fits in `i128`, and a `u128` that
                // does not is positive.
                let sign_magnitude = |n: Self| match i128::try_from(n) {
                    Ok(n) => (n < 0, n.unsigned_abs()),
                    Err(_) => (false, n as u128),
                };
                write_sum(sign_magnitude(self), sign_magnitude(step), out)
            }
        }
        impl CountStep for $t {
            #[inline]
            fn checked_step(self, step: Self) -> Option<Self> {
                self.checked_add(step)
            }
        }
    )*};
}
count_step_int!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

macro_rules! count_step_float {
    ($($t:ty)*) => {$(
        impl sealed::Sealed for $t {
            #[inline]
            fn equals_int_one(self) -> bool {
                false
            }

            fn write_overflowed_sum(
                self,
                _step: Self,
                _out: &mut dyn core::fmt::Write,
            ) -> core::fmt::Result {
                unreachable!("a float count never overflows")
            }
        }
        impl CountStep for $t {
            #[inline]
            fn checked_step(self, step: Self) -> Option<Self> {
                Some(self + step)
            }
        }
    )*};
}
count_step_float!(f32 f64);

/// The iterator returned by [`count`]: `start`, `start + step`, `start + 2 * step`, ...
///
/// ```
/// use cogen::iter::count;
///
/// // Python: list(zip(count(1), 'abc'))
/// let pairs: Vec<_> = count(1, 1).zip("abc".chars()).collect();
/// assert_eq!(pairs, [(1, 'a'), (2, 'b'), (3, 'c')]);
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Count<T> {
    next: T,
    step: T,
    /// `next + step` overflows: `next` is the last value there is, and has been given out.
    overflowed: bool,
}

/// Counts from `start` by `step`, forever (Python's `itertools.count(start, step)`).
///
/// Floats add `step` repeatedly, as CPython does, so rounding accumulates: the 11th value of
/// `count(0.0, 0.1)` is `0.9999999999999999`.
///
/// # Panics
///
/// An integer count panics when asked for a value that does not fit in its type; the last
/// value that fits (`i64::MAX`, say) is still given out.
///
/// ```
/// use cogen::iter::count;
///
/// // Python: list(islice(count(10, 2), 3))
/// assert_eq!(count(10, 2).take(3).collect::<Vec<_>>(), [10, 12, 14]);
/// // Python: list(islice(count(0.0, 0.1), 11))[-1]
/// assert_eq!(count(0.0, 0.1).nth(10), Some(0.9999999999999999));
/// // Counting down to the last value there is (one more `next` would panic):
/// assert_eq!(count(i64::MIN + 2, -1).take(3).last(), Some(i64::MIN));
/// ```
pub fn count<T: CountStep>(start: T, step: T) -> Count<T> {
    Count {
        next: start,
        step,
        overflowed: false,
    }
}

impl<T: CountStep> Count<T> {
    /// `(next, step, overflowed)`, for `repr` (`crate::repr`).
    pub(crate) fn repr_parts(&self) -> (T, T, bool) {
        (self.next, self.step, self.overflowed)
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn overflow<T: Debug>(last: T, step: T) -> ! {
    panic!(
        "count(): integer overflow: {last:?} + {step:?} does not fit in {}",
        core::any::type_name::<T>()
    )
}

/// Called when `last` is the last value that fits: the first time it may be given out (and
/// this returns `true`, to remember that it was); the next time, it panics. Takes and returns
/// values, not `&mut Count`, so that a count stays in registers in loops.
#[cold]
#[inline(never)]
#[track_caller]
fn last_value<T: Debug>(given_out: bool, last: T, step: T) -> bool {
    if given_out {
        overflow(last, step);
    }
    true
}

impl<T: CountStep> Iterator for Count<T> {
    type Item = T;

    #[inline]
    #[track_caller]
    fn next(&mut self) -> Option<T> {
        let value = self.next;
        match value.checked_step(self.step) {
            Some(next) => self.next = next,
            // `next` stays the last value, so the next call comes back here, and panics.
            None => self.overflowed = last_value(self.overflowed, value, self.step),
        }
        Some(value)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (usize::MAX, None)
    }
}

impl<T: CountStep> FusedIterator for Count<T> {}
