//! Runs seed 004's examples and compares what they print, line by line, with what CPython
//! printed for the same programs (`tests/fixtures/seed004/<name>.out`, made by `generate.sh`).
//!
//! One normalization, and only one: where Python prints a generator object's repr
//! (`<generator object NAME at 0xADDR>`), the example prints the generator's `Debug`
//! (`Gen { .. }`); the rest of the line must match exactly.

use std::path::Path;
use std::process::Command;

mod common;

use common::example_binary;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn word_splitter() {
    check_example("word_splitter");
}

#[test]
fn generators() {
    check_example("generators");
}

#[test]
fn coroutines() {
    check_example("coroutines");
}

#[test]
fn itertools_tour() {
    check_example("itertools_tour");
}

fn check_example(name: &str) {
    let fixture = Path::new(MANIFEST_DIR).join(format!("tests/fixtures/seed004/{name}.out"));
    let expected = std::fs::read_to_string(&fixture)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", fixture.display()));
    let binary = example_binary(name);
    let output = Command::new(&binary)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.display()));
    assert!(
        output.status.success(),
        "example {name} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let actual = String::from_utf8(output.stdout).expect("the example prints UTF-8");
    if let Some(report) = compare(&expected, &actual) {
        panic!(
            "example {name} does not print what CPython printed ({}):\n{report}",
            fixture.display()
        );
    }
}

/// Compares line by line; `None` when they agree, else a report of every differing line.
fn compare(expected: &str, actual: &str) -> Option<String> {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let mut report = String::new();
    for index in 0..expected.len().max(actual.len()) {
        let (python, rust) = (expected.get(index), actual.get(index));
        let same = match (python, rust) {
            (Some(python), Some(rust)) => lines_match(python, rust),
            _ => false,
        };
        if !same {
            let show =
                |line: Option<&&str>| line.map_or("<no line>".to_string(), |l| format!("{l:?}"));
            report += &format!(
                "line {}:\n  expected (python): {}\n  actual   (rust):   {}\n",
                index + 1,
                show(python),
                show(rust)
            );
        }
    }
    if expected.len() != actual.len() {
        report += &format!("expected {} lines, got {}\n", expected.len(), actual.len());
    }
    (!report.is_empty()).then_some(report)
}

/// Equal lines, or a Python generator repr against a Rust `Gen { .. }` with the same suffix.
fn lines_match(python: &str, rust: &str) -> bool {
    if python == rust {
        return true;
    }
    match (
        python_generator_repr_suffix(python),
        rust_gen_debug_suffix(rust),
    ) {
        (Some(python), Some(rust)) => python == rust,
        _ => false,
    }
}

/// What follows `<generator object NAME at 0xADDR>` at the start of `line`. The name may hold
/// `<` and `>` (`<genexpr>`), the address does not.
fn python_generator_repr_suffix(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("<generator object ")?;
    let address = &rest[rest.find(" at 0x")? + " at 0x".len()..];
    let end = address.find('>')?;
    address[..end]
        .chars()
        .all(|c| c.is_ascii_hexdigit())
        .then(|| &address[end + 1..])
}

/// What follows `Gen { .. }` (the `Debug` of a cogen generator) at the start of `line`.
fn rust_gen_debug_suffix(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("Gen {")?;
    Some(&rest[rest.find('}')? + 1..])
}

#[test]
fn normalization_is_narrow() {
    assert!(lines_match(
        "<generator object <genexpr> at 0x7f80fc5c0110>",
        "Gen { state: Created, .. }"
    ));
    assert!(lines_match(
        "<generator object coroutine1 at 0x7f78e33d6340> <class 'generator'>",
        "Gen { state: Created, .. } <class 'generator'>"
    ));
    assert!(!lines_match(
        "<generator object coroutine1 at 0x7f78e33d6340> <class 'generator'>",
        "Gen { state: Created, .. }"
    ));
    assert!(!lines_match(
        "<generator object g at 0x1>",
        "Map { iter: Gen { .. } }"
    ));
    assert!(!lines_match(
        "WordSplit(['a'])",
        "Gen { state: Created, .. }"
    ));
    assert!(!lines_match("StopIteration: ", "StopIteration:"));
    assert!(compare("a\nb\n", "a\nb\n").is_none());
    let report = compare("a\nb\n", "a\nc\nd\n").expect("they differ");
    assert!(
        report.contains("line 2:") && report.contains("line 3:"),
        "{report}"
    );
}
