//! Conformance of seed 004's word splitters with CPython: `text.split(' ')` and the seed's
//! `'WordSplit(%s)' % text.split(' ')`, for every case in `tests/fixtures/split/cases.json`
//! (made by `generate.py` there).

use cogen::{WordSplitGenerator, WordSplitter};
use serde_json::Value;

struct Case {
    text: String,
    words: Vec<String>,
    /// `None` where CPython's repr depends on its Unicode version (see generate.py).
    repr: Option<String>,
}

fn cases() -> Vec<Case> {
    // Compiled in, so that the tests need no file system (Miri runs them isolated).
    let json = include_str!("fixtures/split/cases.json");
    let cases: Vec<Value> = serde_json::from_str(json).expect("parse cases.json");
    let string = |value: &Value| value.as_str().expect("a string").to_string();
    let cases: Vec<Case> = cases
        .iter()
        .map(|case| Case {
            text: string(&case["text"]),
            words: case["words"]
                .as_array()
                .expect("words")
                .iter()
                .map(string)
                .collect(),
            repr: case["repr"].as_str().map(String::from),
        })
        .collect();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let with_repr = cases.iter().filter(|case| case.repr.is_some()).count();
    assert!(
        with_repr + 1 >= cases.len(),
        "only {with_repr} cases with a repr"
    );
    cases
}

/// Runs `check` on every case and reports every failure at once.
fn check_all(what: &str, check: impl Fn(&Case) -> Option<String>) {
    let failures: Vec<String> = cases()
        .iter()
        .filter_map(|case| check(case).map(|failure| format!("  text {:?}: {failure}", case.text)))
        .collect();
    assert!(
        failures.is_empty(),
        "{what}: {} case(s) differ from CPython:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn differ<T: std::fmt::Debug + PartialEq>(expected: T, actual: T) -> Option<String> {
    (expected != actual).then(|| format!("expected {expected:?}, got {actual:?}"))
}

#[test]
fn word_splitter_splits_as_python() {
    check_all("WordSplitter", |case| {
        differ(
            &case.words,
            &WordSplitter::new(&case.text).map(String::from).collect(),
        )
    });
}

#[test]
fn word_splitter_reversed_splits_as_python() {
    check_all("WordSplitter reversed", |case| {
        let expected: Vec<String> = case.words.iter().rev().cloned().collect();
        differ(
            &expected,
            &WordSplitter::new(&case.text)
                .rev()
                .map(String::from)
                .collect(),
        )
    });
}

#[test]
fn word_splitter_from_both_ends_splits_as_python() {
    check_all("WordSplitter from both ends", |case| {
        // Alternate next and next_back: the words meet in the middle, none lost or repeated.
        let mut words = WordSplitter::new(&case.text);
        let (mut front, mut back) = (Vec::new(), Vec::new());
        while let Some(word) = words.next() {
            front.push(word.to_string());
            match words.next_back() {
                Some(word) => back.push(word.to_string()),
                None => break,
            }
        }
        front.extend(back.into_iter().rev());
        differ(&case.words, &front)
    });
}

#[test]
fn word_split_generator_splits_as_python() {
    check_all("WordSplitGenerator", |case| {
        let wg = WordSplitGenerator::new(&case.text);
        differ(&case.words, &wg.iter().map(String::from).collect())
    });
}

#[test]
fn word_splitter_repr_is_python_repr() {
    check_all("WordSplitter Debug", |case| {
        let expected = case.repr.as_ref()?;
        differ(expected, &format!("{:?}", WordSplitter::new(&case.text)))
    });
}

#[test]
fn word_split_generator_repr_is_python_repr() {
    check_all("WordSplitGenerator Debug", |case| {
        let expected = case.repr.as_ref()?;
        differ(
            expected,
            &format!("{:?}", WordSplitGenerator::new(&case.text)),
        )
    });
}

#[test]
fn repr_does_not_depend_on_progress() {
    check_all("WordSplitter Debug after next", |case| {
        let expected = case.repr.as_ref()?;
        let mut words = WordSplitter::new(&case.text);
        words.next();
        differ(expected, &format!("{words:?}"))
    });
}

/// `size_hint` brackets the number of words left before every step, from either end.
fn size_hint_failure(mut words: impl Iterator<Item = impl Sized>, total: usize) -> Option<String> {
    for left in (0..=total).rev() {
        let (lower, upper) = words.size_hint();
        if lower > left || upper.is_some_and(|upper| upper < left) {
            return Some(format!(
                "size_hint {:?} with {left} words left",
                (lower, upper)
            ));
        }
        let next = words.next();
        if next.is_some() != (left > 0) {
            return Some(format!(
                "next() gave {} with {left} words left",
                next.is_some()
            ));
        }
    }
    None
}

#[test]
fn size_hints_hold_at_every_step() {
    check_all("WordSplitter size_hint", |case| {
        size_hint_failure(WordSplitter::new(&case.text), case.words.len())
    });
    check_all("WordSplitter reversed size_hint", |case| {
        size_hint_failure(WordSplitter::new(&case.text).rev(), case.words.len())
    });
    check_all("WordSplitGenerator size_hint", |case| {
        size_hint_failure(WordSplitGenerator::new(&case.text).iter(), case.words.len())
    });
}

#[test]
fn for_over_a_word_split_generator_starts_anew_every_time() {
    // Python: `[w for w in wg]`, twice; each loop calls `__iter__` anew.
    check_all("for word in &wg", |case| {
        let wg = WordSplitGenerator::new(&case.text);
        let mut passes = Vec::new();
        for _ in 0..2 {
            let mut words = Vec::new();
            for word in &wg {
                words.push(word.to_string());
            }
            passes.push(words);
        }
        let mut by_value = Vec::new();
        for word in wg {
            by_value.push(word.to_string());
        }
        passes.push(by_value);
        differ(&vec![case.words.clone(); 3], &passes)
    });
}

#[test]
fn a_loop_left_early_leaves_the_next_loop_whole() {
    let wg = WordSplitGenerator::new("Do today what you could do tomorrow");
    for word in &wg {
        if word == "what" {
            break;
        }
    }
    let mut loop_generator = (&wg).into_iter();
    assert_eq!(loop_generator.state(), cogen::GenState::Created);
    assert_eq!(loop_generator.next(), Some("Do"));
    assert_eq!(loop_generator.state(), cogen::GenState::Suspended);
    // As `iter`'s generator, it may move to another thread with `std` (without it, a yielder
    // stays on its thread, and so does the generator).
    #[cfg(feature = "std")]
    let rest = std::thread::spawn(move || loop_generator.collect::<Vec<_>>())
        .join()
        .unwrap();
    #[cfg(not(feature = "std"))]
    let rest = loop_generator.collect::<Vec<_>>();
    assert_eq!(rest, ["today", "what", "you", "could", "do", "tomorrow"]);
}
