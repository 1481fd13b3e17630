//! Runs seed 003's spinners (the `spinner` example, thread and async) and compares what they
//! print with what CPython printed for the same programs (`tests/fixtures/seed003/*.py`, with
//! the slow function shortened to 0.35 s; `generate.sh` made the `.out` files).
//!
//! Two normalizations. The number of frames the spinner drew depends on timing, so each run of
//! frames is checked on its own (a prefix of the `|/-\` cycle, each frame drawn over with
//! backspaces) and then stands as one marker; and Python's task repr names the source line the
//! coroutine waits at (`coro=<spin() running at /path/spinner_asyncio.py:14>`), which the Rust
//! task's `Debug` leaves out.

use std::path::Path;
use std::process::Command;

mod common;

use common::example_binary;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");
const STATUS: &str = " thinking!";

#[test]
fn thread_spinner_prints_what_cpython_prints() {
    check("thread", "spinner_thread.out");
}

#[test]
fn async_spinner_prints_what_cpython_prints() {
    check("async", "spinner_asyncio.out");
}

fn check(mode: &str, fixture: &str) {
    let path = Path::new(MANIFEST_DIR)
        .join("tests/fixtures/seed003")
        .join(fixture);
    let python = std::fs::read_to_string(&path).unwrap();
    let output = Command::new(example_binary("spinner"))
        .args(["--mode", mode, "--slow-ms", "350"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rust = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        normalize(&rust),
        normalize(&python),
        "rust:\n{rust:?}\npython:\n{python:?}"
    );
}

/// The output with each run of spinner frames checked and replaced by `<frames>`, and the
/// source position dropped from a task's repr.
fn normalize(output: &str) -> String {
    let backspaces = "\x08".repeat(1 + STATUS.len());
    let frame_len = 1 + STATUS.len() + backspaces.len();
    let mut normalized = String::new();
    let mut rest = output;
    while !rest.is_empty() {
        let mut frames = Vec::new();
        while rest.len() >= frame_len
            && rest.is_char_boundary(1)
            && &rest[1..1 + STATUS.len()] == STATUS
            && rest[1 + STATUS.len()..].starts_with(&backspaces)
        {
            frames.push(rest.as_bytes()[0]);
            rest = &rest[frame_len..];
        }
        if !frames.is_empty() {
            let cycle: Vec<u8> = b"|/-\\"
                .iter()
                .copied()
                .cycle()
                .take(frames.len())
                .collect();
            assert_eq!(frames, cycle, "frames out of order: {output:?}");
            normalized.push_str("<frames>");
            continue;
        }
        let next = rest.chars().next().unwrap();
        normalized.push(next);
        rest = &rest[next.len_utf8()..];
    }
    let running_at = " running at ";
    normalized
        .lines()
        .map(|line| match (line.find(running_at), line.rfind(">>")) {
            (Some(start), Some(end)) if start < end => {
                format!("{}{}", &line[..start], &line[end..])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn normalization_is_narrow() {
    let frames = format!("| thinking!{0}/ thinking!{0}", "\x08".repeat(11));
    assert_eq!(normalize(&format!("a\n{frames}b\n")), "a\n<frames>b");
    assert_eq!(
        normalize("<Task pending name='Task-2' coro=<spin() running at /x.py:14>>"),
        "<Task pending name='Task-2' coro=<spin()>>"
    );
    // Not a repr: left alone.
    assert_eq!(normalize("running at noon"), "running at noon");
}

#[test]
#[should_panic(expected = "frames out of order")]
fn frames_out_of_order_are_caught() {
    normalize(&format!("/ thinking!{}", "\x08".repeat(11)));
}
