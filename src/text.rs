//! The word splitters of the Python concurrency tutorial: the hand-written iterator ([`WordSplitter`]) and the generator one
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

use core::fmt;
#[cfg(feature = "alloc")]
use core::future::Future;
use core::iter::FusedIterator;

#[cfg(feature = "alloc")]
use crate::Gen;
use crate::repr::write_py_str_repr;

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

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
/// The Python concurrency tutorial's `WordSplitGenerator`: its [`iter`](WordSplitGenerator::iter) is a cogen generator
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
///
/// // Python: `for word in wg:`, as often as you like, each loop from the first word.
/// let mut lengths = Vec::new();
/// for word in &wg {
///     lengths.push(word.len());
/// }
/// for word in wg {
///     lengths.push(word.len());
/// }
/// assert_eq!(lengths, [2, 5, 4, 3, 5, 2, 8, 2, 5, 4, 3, 5, 2, 8]);
/// ```
#[derive(Clone, Copy)]
pub struct WordSplitGenerator<'text> {
    text: &'text str,
}

#[cfg(feature = "alloc")]
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

    /// A fresh generator over the words (Python's `iter(wg)`). A `for` loop over `&wg` (or
    /// `wg`) runs the same generator, boxed so that its type has a name ([`WordSplitGen`]).
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
        Gen::new(move |co| split_words(text, co))
    }
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
/// The generator a `for` loop over a [`WordSplitGenerator`] runs (Python's `iter(wg)`, which
/// `for word in wg:` calls): the generator of [`WordSplitGenerator::iter`], with its body boxed
/// so that its type has a name (one more allocation per loop, and a call through a pointer per
/// word): a [`BoxGen`](crate::BoxGen), `Send` as `iter`'s is, with std; without std a yielder
/// stays on its thread, and this is a [`LocalBoxGen`](crate::LocalBoxGen).
///
/// ```
/// use cogen::text::WordSplitGen;
/// use cogen::{GenState, WordSplitGenerator};
///
/// let wg = WordSplitGenerator::new("to be or not");
/// let mut wt: WordSplitGen<'_> = (&wg).into_iter();
/// assert_eq!(wt.state(), GenState::Created);
/// assert_eq!(wt.next(), Some("to"));
/// assert_eq!(wt.collect::<Vec<_>>(), ["be", "or", "not"]);
/// ```
#[cfg(feature = "std")]
pub type WordSplitGen<'text> = crate::BoxGen<'text, &'text str>;

/// The generator a `for` loop over a [`WordSplitGenerator`] runs; without std, a
/// [`LocalBoxGen`](crate::LocalBoxGen) (see the std form).
#[cfg(all(feature = "alloc", not(feature = "std")))]
pub type WordSplitGen<'text> = crate::LocalBoxGen<'text, &'text str>;

/// The body of a [`WordSplitGenerator`]'s generators: each word of `text` yielded in turn.
#[cfg(feature = "alloc")]
async fn split_words<'text>(text: &'text str, co: crate::Co<&'text str>) {
    for word in WordSplitter::new(text) {
        co.yield_(word).await;
    }
}

#[cfg(feature = "alloc")]
impl<'text> IntoIterator for &WordSplitGenerator<'text> {
    type Item = &'text str;
    type IntoIter = WordSplitGen<'text>;

    /// A fresh generator over the words, from the first: Python's `for word in wg:` (which
    /// calls the generator function `__iter__` anew for every loop).
    ///
    /// ```
    /// use cogen::WordSplitGenerator;
    ///
    /// let wg = WordSplitGenerator::new("Do today what you could do tomorrow");
    /// let mut first_pass = Vec::new();
    /// for word in &wg {
    ///     first_pass.push(word);
    /// }
    /// let second_pass: Vec<&str> = (&wg).into_iter().collect();
    /// assert_eq!(first_pass, second_pass);
    /// assert_eq!(first_pass, ["Do", "today", "what", "you", "could", "do", "tomorrow"]);
    /// ```
    fn into_iter(self) -> WordSplitGen<'text> {
        let text = self.text;
        #[cfg(feature = "std")]
        return crate::BoxGen::boxed(move |co| split_words(text, co));
        #[cfg(not(feature = "std"))]
        return crate::LocalBoxGen::boxed_local(move |co| split_words(text, co));
    }
}

#[cfg(feature = "alloc")]
impl<'text> IntoIterator for WordSplitGenerator<'text> {
    type Item = &'text str;
    type IntoIter = WordSplitGen<'text>;

    /// As `for word in &wg` (the splitter is `Copy`: `wg` stays usable after the loop).
    ///
    /// ```
    /// use cogen::WordSplitGenerator;
    ///
    /// let wg = WordSplitGenerator::new("a b");
    /// for word in wg {
    ///     assert!(word == "a" || word == "b");
    /// }
    /// assert_eq!(wg.into_iter().count(), 2);
    /// ```
    fn into_iter(self) -> WordSplitGen<'text> {
        (&self).into_iter()
    }
}

#[cfg(feature = "alloc")]
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
