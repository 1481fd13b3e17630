//! Seed 004's word splitters: the hand-written iterator ([`WordSplitter`]) and the generator one
//! ([`WordSplitGenerator`]). Both split on `' '` exactly as Python's `str.split(' ')` does:
//! consecutive, leading and trailing spaces give empty words, and `""` gives one empty word.
//!
//! ```
//! use cogen::{WordSplitGenerator, WordSplitter};
//!
//! let text = " two  spaces";
//! let by_hand: Vec<&str> = WordSplitter::new(text).collect();
//! let by_generator: Vec<&str> = WordSplitGenerator::new(text).iter().collect();
//! assert_eq!(by_hand, ["", "two", "", "spaces"]); // Python: ' two  spaces'.split(' ')
//! assert_eq!(by_generator, by_hand);
//! ```

use std::fmt::{self, Write};
use std::future::Future;
use std::iter::FusedIterator;

use crate::Gen;

/// An iterator over the words of a text split on `' '`, borrowing each word from the text
/// (Python's `WordSplitter` class with `__next__`).
///
/// Its `Debug` prints every word of the text the way the seed's `__repr__` does, wherever the
/// iteration is, with Python's string escapes (but for unassigned code points, printed as they
/// are where CPython escapes them).
///
/// ```
/// use cogen::WordSplitter;
///
/// let mut wi = WordSplitter::new("Do today what you could do tomorrow");
/// assert_eq!(
///     format!("{wi:?}"),
///     "WordSplit(['Do', 'today', 'what', 'you', 'could', 'do', 'tomorrow'])"
/// );
/// assert_eq!(wi.next(), Some("Do"));
/// assert_eq!(wi.next(), Some("today"));
/// assert_eq!(WordSplitter::new("a  b ").collect::<Vec<_>>(), ["a", "", "b", ""]);
/// ```
#[derive(Clone)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct WordSplitter<'text> {
    text: &'text str,
    /// What is left to split; `None` once the last word has been given out.
    rest: Option<&'text str>,
}

impl<'text> WordSplitter<'text> {
    /// Splits `text` on `' '`, lazily.
    ///
    /// ```
    /// use cogen::WordSplitter;
    ///
    /// assert_eq!(WordSplitter::new("").collect::<Vec<_>>(), [""]);
    /// ```
    pub fn new(text: &'text str) -> Self {
        WordSplitter {
            text,
            rest: Some(text),
        }
    }

    /// The whole text being split.
    ///
    /// ```
    /// use cogen::WordSplitter;
    ///
    /// let mut words = WordSplitter::new("to be");
    /// words.next();
    /// assert_eq!(words.text(), "to be");
    /// ```
    pub fn text(&self) -> &'text str {
        self.text
    }
}

impl<'text> Iterator for WordSplitter<'text> {
    type Item = &'text str;

    #[inline]
    fn next(&mut self) -> Option<&'text str> {
        let rest = self.rest?;
        match rest.find(' ') {
            Some(space) => {
                self.rest = Some(&rest[space + 1..]);
                Some(&rest[..space])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.rest {
            // At least one word is left; at most one more than there are bytes.
            Some(rest) => (1, Some(rest.len() + 1)),
            None => (0, Some(0)),
        }
    }
}

impl<'text> DoubleEndedIterator for WordSplitter<'text> {
    fn next_back(&mut self) -> Option<&'text str> {
        let rest = self.rest?;
        match rest.rfind(' ') {
            Some(space) => {
                self.rest = Some(&rest[..space]);
                Some(&rest[space + 1..])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

impl FusedIterator for WordSplitter<'_> {}

impl fmt::Debug for WordSplitter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_word_split_repr(f, self.text)
    }
}

/// Seed 004's `WordSplitGenerator`: its [`iter`](WordSplitGenerator::iter) is a cogen generator
/// that yields the words of the text split on `' '` (Python's `__iter__` with `yield word`).
///
/// ```
/// use cogen::{GenState, WordSplitGenerator};
///
/// let wg = WordSplitGenerator::new("Do today what you could do tomorrow");
/// let mut wt = wg.iter();
/// assert_eq!(wt.state(), GenState::Created);
/// assert_eq!(wt.next(), Some("Do"));
/// assert_eq!(wt.next(), Some("today"));
/// assert_eq!(wt.state(), GenState::Suspended);
/// assert_eq!(wt.count(), 5);
/// ```
#[derive(Clone, Copy)]
pub struct WordSplitGenerator<'text> {
    text: &'text str,
}

impl<'text> WordSplitGenerator<'text> {
    /// Keeps `text` to split when iterated.
    ///
    /// ```
    /// use cogen::WordSplitGenerator;
    ///
    /// let wg = WordSplitGenerator::new("a b");
    /// assert_eq!(format!("{wg:?}"), "WordSplit(['a', 'b'])");
    /// ```
    pub fn new(text: &'text str) -> Self {
        WordSplitGenerator { text }
    }

    /// A fresh generator over the words (Python's `iter(wg)`).
    ///
    /// ```
    /// use cogen::WordSplitGenerator;
    ///
    /// let wg = WordSplitGenerator::new("one  two");
    /// assert_eq!(wg.iter().collect::<Vec<_>>(), ["one", "", "two"]);
    /// assert_eq!(wg.iter().count(), 3); // iterable again, as in Python
    /// ```
    pub fn iter(&self) -> Gen<&'text str, (), impl Future<Output = ()> + 'text> {
        let text = self.text;
        Gen::new(move |co| async move {
            for word in WordSplitter::new(text) {
                co.yield_(word).await;
            }
        })
    }
}

impl fmt::Debug for WordSplitGenerator<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_word_split_repr(f, self.text)
    }
}

/// The seed's `__repr__`: `'WordSplit(%s)' % text.split(' ')`.
fn write_word_split_repr(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("WordSplit([")?;
    for (index, word) in WordSplitter::new(text).enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write_py_str_repr(f, word)?;
    }
    f.write_str("])")
}

/// Writes `s` as Python's `repr(str)` does: single quotes unless the text holds a single quote
/// and no double quote, backslash escapes for the quote, `\\`, `\t`, `\n`, `\r`, and `\x`, `\u`
/// or `\U` escapes for characters Python does not print (controls, separators other than the
/// space, format characters, private use). One difference: unassigned code points are written as
/// they are, where CPython escapes them (which ones are unassigned depends on its Unicode version).
pub(crate) fn write_py_str_repr(out: &mut impl Write, s: &str) -> fmt::Result {
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
