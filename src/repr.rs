//! Values printed as Python's `repr` prints them, for programs that must print what a Python
//! program prints: `'A'` for a string, `True`, `None`, `1.0` and `1e+16` for floats, `[1, 2]`
//! for a list, `(1,)` for a 1-tuple.
//!
//! ```
//! use cogen::repr::{py_repr, PyTuple};
//!
//! // Python: print(list(itertools.product('AB', repeat=2)))
//! let pairs = [['A', 'A'], ['A', 'B'], ['B', 'A'], ['B', 'B']];
//! let tuples: Vec<PyTuple<char>> = pairs.iter().map(|pair| PyTuple(pair)).collect();
//! assert_eq!(py_repr(&tuples), "[('A', 'A'), ('A', 'B'), ('B', 'A'), ('B', 'B')]");
//! assert_eq!(py_repr(&(1, 2.5, "x", None::<i32>, true)), "(1, 2.5, 'x', None, True)");
//! ```
//!
//! | Rust | Python repr |
//! |---|---|
//! | `str`, `String`, `char` | `str`: `'it'`, `"it's"`, `'a\nb'` |
//! | `bool` | `True`, `False` |
//! | integers | `int`: `-12` |
//! | `f64` | `float`: `0.1`, `1.0`, `1e+16`, `1e-05`, `inf`, `nan` |
//! | `f32` | its shortest digits, written as Python writes a float (as numpy prints a `float32`) |
//! | `Option<T>` | `None`, or the value |
//! | `Vec<T>`, `[T]`, `[T; N]` | `list`: `[1, 2]` |
//! | tuples of 0 to 12 values, [`PyTuple`] | `tuple`: `()`, `(1,)`, `(1, 2)` |
//! | `&T`, `&mut T`, `Box<T>` | as `T` |
//! | [`Count`](crate::iter::Count), [`repeat`](crate::iter::repeat)'s `Repeat`, [`RepeatN`](crate::iter::RepeatN) | `count(5)`, `count(0.5, 0.1)`, `repeat('a')`, `repeat('a', 2)`, as they stand |
//!
//! [`PyRepr`] is dyn-compatible, so `Vec<Box<dyn PyRepr>>` prints a list of mixed values, as
//! Python's lists can hold.

use core::fmt::{self, Write};

/// A value that prints as Python's `repr` prints the Python value it stands for.
///
/// ```
/// use cogen::repr::{py_repr, PyRepr};
///
/// // A type of your own, printed as a Python tuple would be:
/// struct Point {
///     x: i32,
///     y: i32,
/// }
/// impl PyRepr for Point {
///     fn fmt_py(&self, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
///         (self.x, self.y).fmt_py(out)
///     }
/// }
/// assert_eq!(py_repr(&vec![Point { x: 1, y: -2 }]), "[(1, -2)]");
///
/// // Mixed values, as in Python's list(chain('AB', range(1, 4, 2))):
/// let mixed: Vec<Box<dyn PyRepr>> = vec![Box::new('A'), Box::new('B'), Box::new(1), Box::new(3)];
/// assert_eq!(py_repr(&mixed), "['A', 'B', 1, 3]");
/// ```
pub trait PyRepr {
    /// Writes `repr(self)` to `out`.
    ///
    /// ```
    /// use cogen::repr::PyRepr;
    ///
    /// let mut out = String::new();
    /// 0.1f64.fmt_py(&mut out).unwrap();
    /// out.push(' ');
    /// 1e16f64.fmt_py(&mut out).unwrap();
    /// assert_eq!(out, "0.1 1e+16");
    /// ```
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result;
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
/// Python's `repr(value)` as a `String`.
///
/// ```
/// use cogen::repr::py_repr;
///
/// assert_eq!(py_repr("it's"), r#""it's""#);
/// assert_eq!(py_repr(&[Some(1.0), None]), "[1.0, None]");
/// assert_eq!(py_repr(&(('x',),)), "(('x',),)");
/// ```
pub fn py_repr<T: PyRepr + ?Sized>(value: &T) -> alloc::string::String {
    let mut out = alloc::string::String::new();
    value
        .fmt_py(&mut out)
        .expect("writing to a String cannot fail");
    out
}

/// Displays a value as Python's `repr` does, without building a `String` first: `{}` on
/// `Repr(&value)` prints `repr(value)`.
///
/// ```
/// use cogen::repr::Repr;
///
/// // Python: print(list('ab'))
/// let letters: Vec<char> = "ab".chars().collect();
/// assert_eq!(format!("{}", Repr(&letters)), "['a', 'b']");
/// assert_eq!(format!("{:>8}|", Repr(&2.50)), "     2.5|"); // width and alignment apply
/// ```
#[derive(Clone, Copy)]
pub struct Repr<'a, T: ?Sized>(pub &'a T);

impl<T: PyRepr + ?Sized> fmt::Display for Repr<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.width().is_none() && f.precision().is_none() {
            return self.0.fmt_py(f);
        }
        // As `Formatter::pad` would pad and cut the repr, without building it in a `String`.
        let mut measure = Truncated {
            left: usize::MAX,
            out: None,
        };
        self.0.fmt_py(&mut measure)?;
        let len = usize::MAX - measure.left;
        let shown = f.precision().map_or(len, |precision| precision.min(len));
        let padding = f.width().unwrap_or(0).saturating_sub(shown);
        let (before, after) = match f.align() {
            None | Some(fmt::Alignment::Left) => (0, padding),
            Some(fmt::Alignment::Right) => (padding, 0),
            Some(fmt::Alignment::Center) => (padding / 2, padding - padding / 2),
        };
        let fill = f.fill();
        for _ in 0..before {
            f.write_char(fill)?;
        }
        self.0.fmt_py(&mut Truncated {
            left: shown,
            out: Some(&mut *f),
        })?;
        for _ in 0..after {
            f.write_char(fill)?;
        }
        Ok(())
    }
}

/// Passes on the first `left` characters written to it (to nothing when `out` is `None`, to
/// count them) and drops the rest.
struct Truncated<'a> {
    left: usize,
    out: Option<&'a mut dyn Write>,
}

impl Write for Truncated<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let cut = s
            .char_indices()
            .nth(self.left)
            .map_or(s.len(), |(at, _)| at);
        let kept = &s[..cut];
        self.left -= kept.chars().count();
        match &mut self.out {
            Some(out) => out.write_str(kept),
            None => Ok(()),
        }
    }
}

impl<T: PyRepr + ?Sized> fmt::Debug for Repr<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A slice printed as a Python tuple: `()`, `('A',)`, `('A', 'B')`. Use it for the `Vec`s and
/// arrays that cogen's iterators yield where Python's yield tuples (`product`, `permutations`,
/// `combinations`, `zip_longest`, `pairwise`, `batched`).
///
/// ```
/// use cogen::repr::{py_repr, PyTuple};
///
/// assert_eq!(py_repr(&PyTuple(&['A'])), "('A',)");
/// assert_eq!(py_repr(&PyTuple(&[1, 2, 3])), "(1, 2, 3)");
/// assert_eq!(py_repr(&PyTuple::<i32>(&[])), "()");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PyTuple<'a, T>(pub &'a [T]);

impl<T: PyRepr> PyRepr for PyTuple<'_, T> {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        out.write_char('(')?;
        write_items(out, self.0.iter().map(|item| item as &dyn PyRepr))?;
        if self.0.len() == 1 {
            out.write_char(',')?;
        }
        out.write_char(')')
    }
}

/// `item, item, item` (no brackets).
fn write_items<'a>(
    out: &mut dyn Write,
    items: impl Iterator<Item = &'a dyn PyRepr>,
) -> fmt::Result {
    for (index, item) in items.enumerate() {
        if index > 0 {
            out.write_str(", ")?;
        }
        item.fmt_py(out)?;
    }
    Ok(())
}

fn write_list<T: PyRepr>(out: &mut dyn Write, items: &[T]) -> fmt::Result {
    out.write_char('[')?;
    write_items(out, items.iter().map(|item| item as &dyn PyRepr))?;
    out.write_char(']')
}

impl PyRepr for str {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        write_py_str_repr(out, self)
    }
}

#[cfg(feature = "alloc")]
impl PyRepr for alloc::string::String {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        write_py_str_repr(out, self)
    }
}

/// A `char` prints as a string of one character (Python has no character type).
impl PyRepr for char {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        write_py_str_repr(out, self.encode_utf8(&mut [0; 4]))
    }
}

impl PyRepr for bool {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        out.write_str(if *self { "True" } else { "False" })
    }
}

macro_rules! int_repr {
    ($($int:ty)*) => {$(
        impl PyRepr for $int {
            fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
                write!(out, "{self}")
            }
        }
    )*};
}

int_repr!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

impl PyRepr for f64 {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        write_py_float_repr(out, *self)
    }
}

/// An `f32` prints its own shortest round-trip digits (`0.1f32` prints `0.1`, not the
/// `0.10000000149011612` of `float(numpy.float32(0.1))`), laid out as Python lays out a float.
impl PyRepr for f32 {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        write_py_float_repr(out, *self)
    }
}

/// `None`, or the value itself (`Some(1)` prints `1`).
impl<T: PyRepr> PyRepr for Option<T> {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        match self {
            Some(value) => value.fmt_py(out),
            None => out.write_str("None"),
        }
    }
}

impl<T: PyRepr> PyRepr for [T] {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        write_list(out, self)
    }
}

impl<T: PyRepr, const N: usize> PyRepr for [T; N] {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        write_list(out, self)
    }
}

#[cfg(feature = "alloc")]
impl<T: PyRepr> PyRepr for alloc::vec::Vec<T> {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        write_list(out, self)
    }
}

impl<T: PyRepr + ?Sized> PyRepr for &T {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        (**self).fmt_py(out)
    }
}

impl<T: PyRepr + ?Sized> PyRepr for &mut T {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        (**self).fmt_py(out)
    }
}

#[cfg(feature = "alloc")]
impl<T: PyRepr + ?Sized> PyRepr for alloc::boxed::Box<T> {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        (**self).fmt_py(out)
    }
}

impl PyRepr for () {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        out.write_str("()")
    }
}

macro_rules! tuple_repr {
    ($($name:ident)+) => {
        impl<$($name: PyRepr),+> PyRepr for ($($name,)+) {
            #[allow(non_snake_case)]
            fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
                let ($($name,)+) = self;
                let items: &[&dyn PyRepr] = &[$($name),+];
                out.write_char('(')?;
                write_items(out, items.iter().copied())?;
                if items.len() == 1 {
                    out.write_char(',')?;
                }
                out.write_char(')')
            }
        }
    };
}

tuple_repr!(A);
tuple_repr!(A B);
tuple_repr!(A B C);
tuple_repr!(A B C D);
tuple_repr!(A B C D E);
tuple_repr!(A B C D E F);
tuple_repr!(A B C D E F G);
tuple_repr!(A B C D E F G H);
tuple_repr!(A B C D E F G H I);
tuple_repr!(A B C D E F G H I J);
tuple_repr!(A B C D E F G H I J K);
tuple_repr!(A B C D E F G H I J K L);

/// `count(next)`, or `count(next, step)` unless the step is Python's `int` 1: what CPython's
/// `repr` prints for the count as it stands (its next value first). A float step is always
/// shown, as CPython shows `count(1.5, 1.0)`; a float count's values are the sums CPython
/// makes, so `count(0.1, 0.1)` after two values prints `count(0.30000000000000004, 0.1)`.
///
/// ```
/// use cogen::iter::count;
/// use cogen::repr::py_repr;
///
/// // Python: c = count(4); next(c); next(c); repr(c)
/// let mut c = count(4, 1);
/// c.nth(1);
/// assert_eq!(py_repr(&c), "count(6)");
/// assert_eq!(py_repr(&count(10, -1)), "count(10, -1)");
/// assert_eq!(py_repr(&count(0.0, 0.5)), "count(0.0, 0.5)");
/// ```
impl<T: crate::iter::CountStep + PyRepr> PyRepr for crate::iter::Count<T> {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        let (next, step, overflowed) = self.repr_parts();
        out.write_str("count(")?;
        if overflowed {
            // The last value that fits was given out: Python's unbounded int goes on.
            next.write_overflowed_sum(step, out)?;
        } else {
            next.fmt_py(out)?;
        }
        if !step.equals_int_one() {
            out.write_str(", ")?;
            step.fmt_py(out)?;
        }
        out.write_char(')')
    }
}

/// `repeat(x)`, as CPython prints `repr(repeat(x))`.
///
/// ```
/// use cogen::iter::repeat;
/// use cogen::repr::py_repr;
///
/// assert_eq!(py_repr(&repeat('a')), "repeat('a')");
/// ```
impl<T: PyRepr + Clone> PyRepr for core::iter::Repeat<T> {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        out.write_str("repeat(")?;
        // std's `Repeat` lends its element only through a clone of itself.
        self.clone().next().fmt_py(out)?;
        out.write_char(')')
    }
}

/// `repeat(x, n)` with `n` the repetitions left, as CPython prints `repr(repeat(x, n))`.
///
/// ```
/// use cogen::iter::repeat_n;
/// use cogen::repr::py_repr;
///
/// // Python: r = repeat('a', 3); list(r); repr(r)
/// let mut r = repeat_n('a', 3);
/// assert_eq!(py_repr(&r), "repeat('a', 3)");
/// r.by_ref().for_each(drop);
/// assert_eq!(py_repr(&r), "repeat('a', 0)");
/// ```
impl<T: PyRepr> PyRepr for crate::iter::RepeatN<T> {
    fn fmt_py(&self, out: &mut dyn Write) -> fmt::Result {
        let (element, left) = self.repr_parts();
        out.write_str("repeat(")?;
        element.fmt_py(out)?;
        write!(out, ", {left})")
    }
}

/// A float type Rust formats with its shortest round-trip digits (`{:e}`) and parses.
trait Float: fmt::LowerExp + core::str::FromStr + PartialEq + Copy {
    fn is_nan(self) -> bool;
    fn is_infinite(self) -> bool;
    fn is_sign_negative(self) -> bool;
    fn abs(self) -> Self;
}

macro_rules! float {
    ($($float:ident)*) => {$(
        impl Float for $float {
            fn is_nan(self) -> bool {
                $float::is_nan(self)
            }
            fn is_infinite(self) -> bool {
                $float::is_infinite(self)
            }
            fn is_sign_negative(self) -> bool {
                $float::is_sign_negative(self)
            }
            fn abs(self) -> Self {
                $float::abs(self)
            }
        }
    )*};
}

float!(f32 f64);

/// A fixed buffer that `{:e}` of a float fits in (the longest is `2.2250738585072014e-308`).
struct Buffer {
    bytes: [u8; 32],
    len: usize,
}

impl Buffer {
    fn new() -> Self {
        Buffer {
            bytes: [0; 32],
            len: 0,
        }
    }

    fn as_str(&self) -> &str {
        // Only whole `str`s are ever written in.
        core::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl Write for Buffer {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        self.bytes
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Python's `float.__repr__`: the shortest digits that round-trip (of those, the closest to the
/// value, and of two as close the one with an even last digit), in positional notation when the
/// decimal exponent is in `-4 ..= 15` (`0.0001`, `1000000000000000.0`), else in scientific
/// notation with a signed exponent of at least two digits (`1e-05`, `1e+16`, `1.5e+300`);
/// positional notation always has a `.` (`1.0`); `inf`, `-inf`, `nan`.
fn write_py_float_repr<F: Float>(out: &mut dyn Write, x: F) -> fmt::Result {
    if x.is_nan() {
        return out.write_str("nan");
    }
    if x.is_sign_negative() {
        out.write_char('-')?;
    }
    if x.is_infinite() {
        return out.write_str("inf");
    }
    let x = x.abs();
    // Rust's `{:e}` writes the shortest round-trip digits, `1.2345e3`, `1e-5`, `0e0`, and of
    // two as close it takes the upper; Python (David Gay's dtoa) takes the even one. Rust's
    // `{:.N$e}` rounds the exact value to N + 1 digits, ties to even: where that has as many
    // digits and round-trips too, it is Python's choice (it differs only on such a tie).
    let mut shortest = Buffer::new();
    write!(shortest, "{x:e}")?;
    let significant = shortest.as_str().find('e').ok_or(fmt::Error)?
        - usize::from(shortest.as_str().contains('.'));
    let mut rounded = Buffer::new();
    write!(rounded, "{x:.*e}", significant - 1)?;
    let text = if rounded.as_str() != shortest.as_str()
        && rounded.as_str().parse::<F>().is_ok_and(|back| back == x)
    {
        rounded.as_str()
    } else {
        shortest.as_str()
    };
    let (mantissa, exponent) = text.split_once('e').ok_or(fmt::Error)?;
    let exponent: i32 = exponent.parse().map_err(|_| fmt::Error)?;
    // The digits d1 d2 ... dn, without the point: the value is 0.d1d2...dn * 10^point.
    let mut digits = Buffer::new();
    for part in mantissa.split('.') {
        digits.write_str(part)?;
    }
    let digits = digits.as_str();
    let count = digits.len() as i32;
    let point = exponent + 1;
    if point <= -4 || point > 16 {
        let (first, rest) = digits.split_at(1);
        out.write_str(first)?;
        if !rest.is_empty() {
            out.write_char('.')?;
            out.write_str(rest)?;
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        write!(out, "e{sign}{:02}", exponent.unsigned_abs())
    } else if point <= 0 {
        out.write_str("0.")?;
        for _ in point..0 {
            out.write_char('0')?;
        }
        out.write_str(digits)
    } else if point >= count {
        out.write_str(digits)?;
        for _ in count..point {
            out.write_char('0')?;
        }
        out.write_str(".0")
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        out.write_str(whole)?;
        out.write_char('.')?;
        out.write_str(fraction)
    }
}

/// Writes `s` as Python's `repr(str)` does: single quotes unless the text holds a single quote
/// and no double quote, backslash escapes for the quote, `\\`, `\t`, `\n`, `\r`, and `\x`, `\u`
/// or `\U` escapes for characters Python does not print (controls, separators other than the
/// space, format characters, private use). One difference: unassigned code points are written as
/// they are, where CPython escapes them (which ones are unassigned depends on its Unicode version).
pub(crate) fn write_py_str_repr<W: Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.write_char(quote)?;
    for c in s.chars() {
        match c {
            '\\' => out.write_str("\\\\")?,
            '\t' => out.write_str("\\t")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            c if c == quote => {
                out.write_char('\\')?;
                out.write_char(c)?;
            }
            c if is_py_printable(c) => out.write_char(c)?,
            c if (c as u32) < 0x100 => write!(out, "\\x{:02x}", c as u32)?,
            c if (c as u32) < 0x10000 => write!(out, "\\u{:04x}", c as u32)?,
            c => write!(out, "\\U{:08x}", c as u32)?,
        }
    }
    out.write_char(quote)
}

/// Python's `str.isprintable` for one character, except that unassigned code points (category
/// Cn), which Python does not print, count as printable here.
fn is_py_printable(c: char) -> bool {
    let code = c as u32;
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace() // the separators Zs, Zl, Zp, and no other: controls are caught above
        || matches!(code,
            0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2
            | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
            | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
        || matches!(code, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD))
}
