//! The lazy-against-eager pipelines, shared by `benches/lazy_vs_eager.rs`,
//! `examples/lazy_vs_eager.rs` and `tests/lazy_vs_eager.rs` so that all three run the very same
//! code. `benches/lazy_vs_eager.py` is the same three pipelines in CPython.
//!
//! Each pipeline has a lazy form (cogen generators and iterator adapters, one item at a time)
//! and an eager form (the same stages, with a `Vec` collected after every stage and kept until
//! the end, as a Python function of list comprehensions keeps each list in a local). The two
//! forms compute the same result.
//!
//! - **numbers** (`n` = numbers taken): `count(0)` → `takewhile(x < n)` →
//!   `filterfalse(x % 3 == 0)` → `accumulate` → `sum` (into a `u128`: the sum outgrows a `u64`
//!   at `n = 10^7`).
//! - **words** (`n` = words in the text): the words of a text (made beforehand by [`text`], not
//!   counted in the pipeline's memory) from the generator [`WordSplitGenerator`] → `groupby`
//!   (runs of equal consecutive words: the text is made of runs, so no sort is needed) → a
//!   count per word (`HashMap`).
//! - **digits** (`n` = size of the product = tuples explored before the take is satisfied):
//!   `product(range(10), repeat=e)` with `n = 10^e` (the `e`-digit strings, in order) →
//!   `filter(digit sum % 9 == 0)` (the multiples of nine) → `take(m)` with `m` the number of
//!   matches, so that the take is satisfied exactly at the product's last tuple: the lazy form
//!   explores all `n` tuples too, and the comparison measures materialising, not skipping
//!   work → the sum of the numbers taken. The tuples are arrays (`product_repeat_array`), in
//!   both forms: no allocation per tuple, lazy or eager.
//!
//! Every input goes through `black_box`, so nothing is computed at compile time.

// Each includer uses its own part of this module.
#![allow(dead_code)]

use std::collections::HashMap;
use std::hint::black_box;

use cogen::iter::{count, product_repeat_array};
use cogen::{IterExt, WordSplitGenerator};

/// The three pipelines, in table order.
pub const PIPELINES: [&str; 3] = ["numbers", "words", "digits"];

// ---------------------------------------------------------------------------------------------
// numbers: count -> takewhile -> filterfalse -> accumulate -> sum

/// Lazy: `sum(accumulate(filterfalse(lambda x: x % 3 == 0, takewhile(lambda x: x < n, count()))))`.
pub fn numbers_lazy(n: u64) -> u128 {
    count(0u64, 1)
        .takewhile(|&x| x < n)
        .filterfalse(|x| x % 3 == 0)
        .accumulate()
        .map(u128::from)
        .sum()
}

/// Eager: one `Vec` per stage.
pub fn numbers_eager(n: u64) -> u128 {
    let taken: Vec<u64> = count(0u64, 1).takewhile(|&x| x < n).collect();
    let kept: Vec<u64> = taken.iter().copied().filterfalse(|x| x % 3 == 0).collect();
    let sums: Vec<u64> = kept.iter().copied().accumulate().collect();
    sums.iter().map(|&total| u128::from(total)).sum()
}

// ---------------------------------------------------------------------------------------------
// words: WordSplitGenerator -> groupby -> counts

/// The words the text is made of.
pub const VOCABULARY: [&str; 24] = [
    "do",
    "today",
    "what",
    "you",
    "could",
    "tomorrow",
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "lazy",
    "dog",
    "generator",
    "yield",
    "iterator",
    "python",
    "rust",
    "coroutine",
    "send",
    "throw",
    "close",
    "lambda",
];

/// xorshift64*: small, and the same in Python (`benches/lazy_vs_eager.py`).
pub struct Rng(u64);

impl Rng {
    pub const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// A text of exactly `words` words separated by single spaces: runs of 1 to 4 copies of a
/// word of [`VOCABULARY`], each run's word and length drawn from [`Rng`] (two neighbouring runs
/// may draw the same word, and then `groupby` sees one longer run).
pub fn text(words: usize) -> String {
    let mut rng = Rng(Rng::SEED);
    let mut text = String::with_capacity(words * 8);
    let mut made = 0;
    while made < words {
        let r = rng.next_u64();
        let word = VOCABULARY[(r >> 32) as usize % VOCABULARY.len()];
        let run = 1 + (r >> 16) as usize % 4;
        for _ in 0..run.min(words - made) {
            if made > 0 {
                text.push(' ');
            }
            text.push_str(word);
            made += 1;
        }
    }
    text
}

/// How often each word occurs.
pub type Counts<'text> = HashMap<&'text str, u64>;

/// Lazy: `for word, run in groupby(split_words(text)): counts[word] += len(run)`, the words
/// coming from a cogen generator.
pub fn words_lazy(text: &str) -> Counts<'_> {
    let mut counts = Counts::new();
    for (word, run) in WordSplitGenerator::new(text).iter().groupby() {
        *counts.entry(word).or_insert(0) += run.count() as u64;
    }
    counts
}

/// Eager: the words in a `Vec`, then the groups, each a `Vec` of its words
/// (`[(k, list(g)) for k, g in groupby(words)]`), then the counts.
pub fn words_eager(text: &str) -> Counts<'_> {
    let words: Vec<&str> = WordSplitGenerator::new(text).iter().collect();
    let groups: Vec<(&str, Vec<&str>)> = words
        .iter()
        .copied()
        .groupby()
        .map(|(word, run)| (word, run.collect()))
        .collect();
    let mut counts = Counts::new();
    for (word, run) in &groups {
        *counts.entry(*word).or_insert(0) += run.len() as u64;
    }
    counts
}

/// A number standing for the counts, the same in Python: the sum of `(i + 1) * count` over
/// the words sorted alphabetically.
pub fn digest(counts: &Counts<'_>) -> u64 {
    let mut sorted: Vec<(&str, u64)> = counts.iter().map(|(&word, &n)| (word, n)).collect();
    sorted.sort_unstable();
    sorted
        .iter()
        .enumerate()
        .map(|(i, &(_, n))| (i as u64 + 1) * n)
        .sum()
}

// ---------------------------------------------------------------------------------------------
// digits: product -> filter -> take

/// `e` such that `n == 10^e`, for `n` from 10 to 10^7.
///
/// # Panics
///
/// If `n` is not one of those.
pub fn digits_exponent(n: u64) -> u32 {
    (1..=7)
        .find(|&e| 10u64.pow(e) == n)
        .unwrap_or_else(|| panic!("digits: n must be 10^1 to 10^7, not {n}"))
}

/// How many of the `n` digit tuples are taken: all the multiples of nine below `n = 10^e`,
/// the last of which, `99...9`, is the product's last tuple.
pub fn digits_taken(n: u64) -> usize {
    ((n - 1) / 9 + 1) as usize
}

/// The sum of what the digits pipeline takes, in closed form: `9 * (0 + 1 + ... + (m - 1))`.
pub fn digits_expected(n: u64) -> u64 {
    let m = digits_taken(n) as u64;
    9 * m * (m - 1) / 2
}

fn digit_sum<const E: usize>(tuple: &[u8; E]) -> u32 {
    tuple.iter().map(|&digit| u32::from(digit)).sum()
}

fn value<const E: usize>(tuple: &[u8; E]) -> u64 {
    tuple
        .iter()
        .fold(0, |value, &digit| value * 10 + u64::from(digit))
}

fn digits_lazy_e<const E: usize>(take: usize) -> u64 {
    product_repeat_array::<E, _>(0..black_box(10u8))
        .filter(|tuple| digit_sum(tuple) % 9 == 0)
        .take(take)
        .map(|tuple| value(&tuple))
        .sum()
}

fn digits_eager_e<const E: usize>(take: usize) -> u64 {
    let tuples: Vec<[u8; E]> = product_repeat_array::<E, _>(0..black_box(10u8)).collect();
    let kept: Vec<[u8; E]> = tuples
        .iter()
        .filter(|tuple| digit_sum(tuple) % 9 == 0)
        .copied()
        .collect();
    let taken: Vec<[u8; E]> = kept.iter().take(take).copied().collect();
    taken.iter().map(value).sum()
}

/// The tuple length is a const generic (the array form of `product`), so `n` picks it here.
macro_rules! by_exponent {
    ($f:ident, $n:expr) => {{
        let n = $n;
        let take = black_box(digits_taken(n));
        match digits_exponent(n) {
            1 => $f::<1>(take),
            2 => $f::<2>(take),
            3 => $f::<3>(take),
            4 => $f::<4>(take),
            5 => $f::<5>(take),
            6 => $f::<6>(take),
            _ => $f::<7>(take),
        }
    }};
}

/// Lazy: `sum(value(t) for t in islice(filter(lambda t: sum(t) % 9 == 0,
/// product(range(10), repeat=e)), m))`.
pub fn digits_lazy(n: u64) -> u64 {
    by_exponent!(digits_lazy_e, n)
}

/// Eager: the whole product in a `Vec`, then the matches, then the first `m` of them.
pub fn digits_eager(n: u64) -> u64 {
    by_exponent!(digits_eager_e, n)
}

// ---------------------------------------------------------------------------------------------

/// One pipeline, made ready for a given `n` (the words pipeline's text is made here, outside
/// what is timed or measured).
pub enum Prepared {
    Numbers(u64),
    Words(String),
    Digits(u64),
}

impl Prepared {
    /// # Panics
    ///
    /// For an unknown pipeline name, or an `n` the digits pipeline does not take.
    pub fn new(pipeline: &str, n: u64) -> Self {
        match pipeline {
            "numbers" => Prepared::Numbers(n),
            "words" => Prepared::Words(text(n as usize)),
            "digits" => {
                digits_exponent(n);
                Prepared::Digits(n)
            }
            other => panic!("unknown pipeline {other}"),
        }
    }

    /// Runs the lazy form; the result is reduced to one number ([`digest`] for the counts).
    pub fn lazy(&self) -> u128 {
        match self {
            Prepared::Numbers(n) => numbers_lazy(black_box(*n)),
            Prepared::Words(text) => u128::from(digest(&words_lazy(black_box(text)))),
            Prepared::Digits(n) => u128::from(digits_lazy(black_box(*n))),
        }
    }

    /// Runs the eager form, reduced as [`lazy`](Prepared::lazy).
    pub fn eager(&self) -> u128 {
        match self {
            Prepared::Numbers(n) => numbers_eager(black_box(*n)),
            Prepared::Words(text) => u128::from(digest(&words_eager(black_box(text)))),
            Prepared::Digits(n) => u128::from(digits_eager(black_box(*n))),
        }
    }
}
