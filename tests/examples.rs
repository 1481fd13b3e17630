//! Runs the thread-pool and event-loop examples (`futures_sum`, `loiter`, `flags`) and checks
//! what they print.
//!
//! Their output depends on timing (how far a worker got, how long things took), so each test
//! says which parts are compared exactly and which are normalized first. No test asserts a
//! duration.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::example_binary;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

// ---------------------------------------------------------------------------------------------
// futures_sum: seed 004's sum_generator with map, wait(timeout) and as_completed, against what
// CPython printed for the same program (tests/fixtures/seed004/futures_sum.py).
// ---------------------------------------------------------------------------------------------

/// With `--quick` every sum finishes within the 7 s `wait`, on both sides: the whole output is
/// compared after [`normalize_futures_sum`].
#[test]
fn futures_sum_quick_matches_cpython() {
    check_futures_sum("futures_sum.quick.out", &["--quick"]);
}

/// The seed's sizes (sums up to 10^8). Slow in a debug build; run it with
/// `cargo test --release --test examples -- --ignored`. Like the seed's own run, it assumes
/// that the largest sum finishes within `wait`'s 7 s in both Python and Rust (CPython takes
/// about 4 s on a 2-core machine, the release example under half a second).
#[test]
#[ignore = "seconds of work; run with --release -- --ignored"]
fn futures_sum_full_matches_cpython() {
    check_futures_sum("futures_sum.out", &[]);
}

/// A `wait` that times out at once splits the futures however far they got; whatever the
/// split, the two sets hold the four futures, and `Result` lists one correct sum per done one.
/// The program does this on a thread pool, then on a process pool.
#[test]
fn futures_sum_wait_timeout_splits_done_and_not_done() {
    let output = run_example("futures_sum", &["--quick", "--timeout", "0"]);
    let lines: Vec<&str> = output.lines().collect();
    let scheduled: Vec<u64> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("Scheduled for "))
        .map(|rest| rest.split(" : ").next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(scheduled, [100_000, 100, 10, 1000].repeat(4));
    let sums: Vec<u64> = scheduled[..4].iter().map(|n| n * (n + 1) / 2).collect();

    let fields = |prefix: &str| -> Vec<&str> {
        lines
            .iter()
            .filter_map(|line| line.strip_prefix(prefix))
            .collect()
    };
    let done_sets = fields("Completed Tasks : ");
    let not_done_sets = fields("Pending ones after waiting for 0 seconds : ");
    let result_lists = fields("Result : ");
    assert_eq!(done_sets.len(), 2, "{output}");
    assert_eq!(not_done_sets.len(), 2, "{output}");
    assert_eq!(result_lists.len(), 2, "{output}");
    for ((done, not_done), results) in done_sets.into_iter().zip(not_done_sets).zip(result_lists) {
        let (done, not_done) = (set_items(done), set_items(not_done));
        assert_eq!(done.len() + not_done.len(), 4, "{output}");
        assert!(
            done.iter()
                .all(|future| future == "<Future state=finished returned u64>"),
            "{output}"
        );
        // A future not done when `wait` returned may have finished by the time it is printed.
        assert!(
            not_done.iter().all(|future| [
                "<Future state=pending>",
                "<Future state=running>",
                "<Future state=finished returned u64>"
            ]
            .contains(&future.as_str())),
            "{output}"
        );
        let results = number_list(results);
        assert_eq!(results.len(), done.len(), "{output}");
        assert!(results.iter().all(|sum| sums.contains(sum)), "{output}");
    }
    // as_completed, without a timeout, still gives every sum, on both pools.
    let mut completed: Vec<u64> = lines
        .iter()
        .filter_map(|line| line.strip_prefix("Future Result : "))
        .map(|rest| rest.strip_suffix(", Done : True").unwrap().parse().unwrap())
        .collect();
    completed.sort_unstable();
    let mut expected = [sums.clone(), sums].concat();
    expected.sort_unstable();
    assert_eq!(completed, expected, "{output}");
}

fn check_futures_sum(fixture: &str, args: &[&str]) {
    let path = Path::new(MANIFEST_DIR)
        .join("tests/fixtures/seed004")
        .join(fixture);
    let python = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let rust = run_example("futures_sum", args);
    let (expected, actual) = (normalize_futures_sum(&python), normalize_futures_sum(&rust));
    let mut report = String::new();
    for index in 0..expected.len().max(actual.len()) {
        let (python, rust) = (expected.get(index), actual.get(index));
        if python != rust {
            report += &format!(
                "line {}:\n  expected (python): {python:?}\n  actual   (rust):   {rust:?}\n",
                index + 1
            );
        }
    }
    assert!(
        report.is_empty(),
        "futures_sum {args:?} does not print what CPython printed ({}), after \
         normalization:\n{report}\nraw output:\n{rust}",
        path.display()
    );
}

/// Keeps what is the same on every run of the `futures_sum` program, in CPython or in Rust:
///
/// 1. Future reprs: CPython's `<Future at 0xADDR state=...>` loses its address (cogen's has
///    none), and cogen's `returned u64` reads `returned int` (Rust's type name for Python's
///    class name).
/// 2. Times (`Time : 1.45s`) become `Time : <t>s`.
/// 3. `Scheduled for N : <Future state=S>`: S is how far a worker got before the print, so it
///    becomes `state=<any>` once checked to be `pending`, `running` or `finished returned int`.
///    `N` stays.
/// 4. The `Completed Tasks` and `Pending ones` sets and the `Result : [...]` list of the done
///    futures are in a Python set's order (arbitrary): their items are sorted. The states of
///    the done futures stay (`finished returned int`); those of the pending ones become
///    `<any>` (`running` or `pending`).
/// 5. `as_completed`'s three-line blocks come in the order the sums finish: they are sorted.
///
/// Everything else (the `map` results and their order, the numbers scheduled, the counts, the
/// sums, `Done`, `Cancelled`, blank lines) must be equal.
fn normalize_futures_sum(output: &str) -> Vec<String> {
    let mut lines: Vec<String> = output.lines().map(normalize_future_repr).collect();
    for line in &mut lines {
        *line = normalize_time(line);
        if let Some(rest) = line.strip_prefix("Scheduled for ") {
            let (work, future) = rest
                .split_once(" : ")
                .expect("Scheduled for N : <Future ...>");
            let state = future
                .strip_prefix("<Future state=")
                .and_then(|state| state.strip_suffix('>'))
                .expect("a future repr");
            assert!(
                ["pending", "running", "finished returned int"].contains(&state),
                "unexpected state in {line:?}"
            );
            *line = format!("Scheduled for {work} : <Future state=<any>>");
        } else if let Some(set) = line.strip_prefix("Completed Tasks : ") {
            *line = format!("Completed Tasks : {}", sorted_set(set_items(set)));
        } else if let Some((label, set)) = line.split_once(" seconds : ")
            && label.starts_with("Pending ones after waiting for ")
        {
            let items = set_items(set).into_iter().map(|future| {
                assert!(
                    future == "<Future state=running>" || future == "<Future state=pending>",
                    "a not-done future is running or pending: {future}"
                );
                "<Future state=<any>>".to_string()
            });
            *line = format!("{label} seconds : {}", sorted_set(items.collect()));
        } else if let Some(list) = line.strip_prefix("Result : ") {
            let mut results = number_list(list);
            results.sort_unstable();
            *line = format!("Result : {results:?}");
        }
    }
    sort_as_completed_blocks(&mut lines);
    lines
}

/// `<Future at 0x7f.. state=finished returned int>` and `<Future state=finished returned u64>`
/// both become `<Future state=finished returned int>`.
fn normalize_future_repr(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("<Future at 0x") {
        out += &rest[..start];
        out += "<Future ";
        let after = &rest[start + "<Future at 0x".len()..];
        let address_end = after
            .find(|c: char| !c.is_ascii_hexdigit())
            .expect("an address ends");
        rest = after[address_end..]
            .strip_prefix(' ')
            .expect("a space after the address");
    }
    out += rest;
    out.replace(
        "state=finished returned u64>",
        "state=finished returned int>",
    )
}

/// `Time : 1.45s` -> `Time : <t>s` (two decimals, as the programs print it).
fn normalize_time(line: &str) -> String {
    let Some(start) = line.find("Time : ") else {
        return line.to_string();
    };
    let value_start = start + "Time : ".len();
    let value = &line[value_start..];
    let end = value.find('s').expect("a time ends with s");
    let number = &value[..end];
    let (whole, fraction) = number.split_once('.').expect("a time has decimals");
    assert!(
        !whole.is_empty()
            && whole.chars().all(|c| c.is_ascii_digit())
            && fraction.len() == 2
            && fraction.chars().all(|c| c.is_ascii_digit()),
        "not a time with two decimals: {line:?}"
    );
    format!("{}<t>{}", &line[..value_start], &value[end..])
}

/// The items of a printed set, `{a, b}` or `set()`. Items are future reprs, which hold no
/// comma.
fn set_items(set: &str) -> Vec<String> {
    if set == "set()" {
        return Vec::new();
    }
    let inner = set
        .strip_prefix('{')
        .and_then(|set| set.strip_suffix('}'))
        .unwrap_or_else(|| panic!("not a set: {set:?}"));
    inner.split(", ").map(str::to_string).collect()
}

fn sorted_set(mut items: Vec<String>) -> String {
    if items.is_empty() {
        return "set()".to_string();
    }
    items.sort();
    format!("{{{}}}", items.join(", "))
}

/// `[1, 2, 3]` -> the numbers.
fn number_list(list: &str) -> Vec<u64> {
    let inner = list
        .strip_prefix('[')
        .and_then(|list| list.strip_suffix(']'))
        .unwrap_or_else(|| panic!("not a list: {list:?}"));
    if inner.is_empty() {
        return Vec::new();
    }
    inner
        .split(", ")
        .map(|n| n.parse().unwrap_or_else(|_| panic!("not a number: {n:?}")))
        .collect()
}

/// Sorts each run of `Future Result : ...` / `Future Cancelled : ...` / blank blocks.
fn sort_as_completed_blocks(lines: &mut [String]) {
    let is_block_at = |lines: &[String], at: usize| {
        at + 2 < lines.len()
            && lines[at].starts_with("Future Result : ")
            && lines[at + 1].starts_with("Future Cancelled : ")
            && lines[at + 2].is_empty()
    };
    let mut start = 0;
    while start < lines.len() {
        let mut end = start;
        while is_block_at(lines, end) {
            end += 3;
        }
        if end > start {
            let mut blocks: Vec<Vec<String>> = lines[start..end]
                .chunks(3)
                .map(<[String]>::to_vec)
                .collect();
            blocks.sort();
            for (slot, line) in lines[start..end].iter_mut().zip(blocks.concat()) {
                *slot = line;
            }
            start = end;
        } else {
            start += 1;
        }
    }
}

#[test]
fn futures_sum_normalization_is_narrow() {
    assert_eq!(
        normalize_future_repr("x <Future at 0x7f12e1c599d0 state=running> y"),
        "x <Future state=running> y"
    );
    assert_eq!(
        normalize_future_repr(
            "{<Future at 0xa state=pending>, <Future at 0xb state=finished returned int>}"
        ),
        "{<Future state=pending>, <Future state=finished returned int>}"
    );
    assert_eq!(
        normalize_future_repr("<Future state=finished returned u64>"),
        "<Future state=finished returned int>"
    );
    // Other types are not renamed.
    assert_eq!(
        normalize_future_repr("<Future state=finished returned i32>"),
        "<Future state=finished returned i32>"
    );
    assert_eq!(
        normalize_time(" Result -> [1, 2] Time : 12.34s"),
        " Result -> [1, 2] Time : <t>s"
    );
    assert_eq!(normalize_time(" Time : 0.00s"), " Time : <t>s");
    // Both sides' sets, lists and as_completed blocks are put in one order.
    let python = "Completed Tasks : {<Future at 0x2 state=finished returned int>, <Future at 0x1 state=pending>}\n\
                  Result : [30, 10]\n\
                  Future Result : 2, Done : True\nFuture Cancelled : False\n\n\
                  Future Result : 1, Done : True\nFuture Cancelled : False\n\n";
    let rust = "Completed Tasks : {<Future state=pending>, <Future state=finished returned u64>}\n\
                Result : [10, 30]\n\
                Future Result : 1, Done : True\nFuture Cancelled : False\n\n\
                Future Result : 2, Done : True\nFuture Cancelled : False\n\n";
    assert_eq!(normalize_futures_sum(python), normalize_futures_sum(rust));
    // But not the results, the counts or the map's order.
    for (python, rust) in [
        ("Result : [10, 30]", "Result : [10, 31]"),
        ("Result : [10, 30]", "Result : [10]"),
        (
            " Result -> [1, 2] Time : 0.01s",
            " Result -> [2, 1] Time : 0.01s",
        ),
        (
            "Completed Tasks : {<Future at 0x1 state=finished returned int>}",
            "Completed Tasks : {<Future state=running>}",
        ),
        (
            "Future Result : 2, Done : True",
            "Future Result : 2, Done : False",
        ),
    ] {
        assert_ne!(normalize_futures_sum(python), normalize_futures_sum(rust));
    }
}

// ---------------------------------------------------------------------------------------------
// loiter: seed 002's Executor.map experiment. Which worker line comes when depends on timing;
// the structure does not.
// ---------------------------------------------------------------------------------------------

#[test]
fn loiter_gives_results_in_call_order() {
    let output = run_example("loiter", &["--unit-ms", "30"]);
    let lines: Vec<&str> = output
        .lines()
        .map(|line| strip_timestamp(line).unwrap_or_else(|| panic!("no [HH:MM:SS]: {line:?}")))
        .collect();
    assert_eq!(lines.len(), 1 + 5 * 2 + 2 + 5, "{output}");
    assert_eq!(lines[0], "Script starting.");

    let position = |wanted: &str| {
        lines
            .iter()
            .position(|line| *line == wanted)
            .unwrap_or_else(|| panic!("no line {wanted:?} in:\n{output}"))
    };
    let results = lines
        .iter()
        .position(|line| line.starts_with("results: Map {"))
        .unwrap_or_else(|| panic!("no `results: Map {{..}}` line in:\n{output}"));
    let waiting = position("Waiting for individual results:");
    assert!(results < waiting, "{output}");

    let mut previous_result = waiting;
    for n in 0..5 {
        let indent = "\t".repeat(n);
        let start = position(&format!("{indent}loiter({n}): doing nothing for {n}s..."));
        let done = position(&format!("{indent}loiter({n}): done."));
        let result = position(&format!("result {n}: {}", n * 10));
        assert!(start < done, "loiter({n}) ends after it starts:\n{output}");
        assert!(done < result, "result {n} waits for loiter({n}):\n{output}");
        // Results come in call order, whenever the calls finish.
        assert!(
            previous_result < result,
            "result {n} comes in order:\n{output}"
        );
        previous_result = result;
    }

    // Three workers: never more than three calls between their start and done lines.
    let mut running = 0;
    for line in &lines {
        if line.ends_with("s...") {
            running += 1;
            assert!(running <= 3, "more than 3 calls at once:\n{output}");
        } else if line.ends_with("): done.") {
            running -= 1;
        }
    }
    assert_eq!(running, 0);
}

/// `[HH:MM:SS] rest` -> `rest`, when the time is well formed.
fn strip_timestamp(line: &str) -> Option<&str> {
    let (stamp, rest) = line.split_at_checked("[HH:MM:SS] ".len())?;
    let bytes = stamp.as_bytes();
    let digits = [1, 2, 4, 5, 7, 8]
        .iter()
        .all(|&i| bytes[i].is_ascii_digit());
    let shape = bytes[0] == b'[' && bytes[3] == b':' && bytes[6] == b':' && &bytes[9..] == b"] ";
    let in_range = stamp[1..3] < *"24" && stamp[4..6] < *"60" && stamp[7..9] < *"60";
    (digits && shape && in_range).then_some(rest)
}

#[test]
fn loiter_timestamps() {
    assert_eq!(
        strip_timestamp("[20:56:19] result 0: 0"),
        Some("result 0: 0")
    );
    assert_eq!(
        strip_timestamp("[20:56:19] \tloiter(1): done."),
        Some("\tloiter(1): done.")
    );
    assert_eq!(strip_timestamp("[24:00:00] x"), None);
    assert_eq!(strip_timestamp("[2:56:19] x"), None);
    assert_eq!(strip_timestamp("20:56:19 x"), None);
}

// ---------------------------------------------------------------------------------------------
// flags: seeds 001 and 002's flag downloads, sequential and with a pool, from the example's own
// HTTP server or from another one.
// ---------------------------------------------------------------------------------------------

const POP20_CC: [&str; 20] = [
    "CN", "IN", "US", "ID", "BR", "PK", "NG", "BD", "RU", "JP", "MX", "PH", "VN", "ET", "EG", "DE",
    "IR", "TR", "CD", "FR",
];

#[test]
fn flags_downloads_twenty_flags_both_ways() {
    let dest = TempDir::new("flags-both");
    let output = run_example(
        "flags",
        &[
            "--delay-ms",
            "20",
            "--mode",
            "both",
            "--dest",
            dest.path_str(),
        ],
    );
    let runs = downloads(&output);
    assert_eq!(runs.len(), 2, "a sequential and a pool run:\n{output}");
    let mut sorted = POP20_CC.to_vec();
    sorted.sort_unstable();
    // One after the other, in sorted order, as the seed's `for cc in sorted(cc_list)`.
    assert_eq!(runs[0], sorted, "{output}");
    // The pool: every code once, in whatever order the downloads finished.
    let mut pool = runs[1].clone();
    pool.sort_unstable();
    assert_eq!(pool, sorted, "{output}");
    assert!(
        output
            .lines()
            .any(|line| line.starts_with("The pool was ") && line.ends_with(" times as fast.")),
        "{output}"
    );

    // The built-in server's flags: a one-pixel GIF89a that names its country in a comment.
    assert_eq!(gif_files(dest.path()).len(), 20);
    for cc in POP20_CC {
        let path = dest.path().join(format!("{}.gif", cc.to_lowercase()));
        let gif = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(gif.starts_with(b"GIF89a\x01\x00\x01\x00"), "{cc}: {gif:?}");
        assert_eq!(gif.last(), Some(&0x3B), "{cc}: the GIF trailer");
        // A comment extension: 0x21 0xFE, the length, the text, 0.
        let text = format!("flag of {cc}");
        let comment = [&[0x21, 0xFE, text.len() as u8], text.as_bytes(), &[0]].concat();
        assert!(
            gif.windows(comment.len()).any(|w| w == comment),
            "{cc}: {gif:?}"
        );
    }
}

/// `--base-url`: the flags come from any server, byte for byte, one request per flag, with the
/// pool's HTTP client (ureq) and with the event loop's (async TCP).
#[test]
fn flags_downloads_from_another_server() {
    for mode in ["pool", "async"] {
        let server = TestServer::start();
        let dest = TempDir::new(&format!("flags-other-{mode}"));
        let base_url = format!("{}/flags", server.url);
        let output = run_example(
            "flags",
            &[
                "--base-url",
                &base_url,
                "--mode",
                mode,
                "--dest",
                dest.path_str(),
            ],
        );
        assert!(
            !output.contains("Serving flags"),
            "no built-in server:\n{output}"
        );
        let runs = downloads(&output);
        assert_eq!(runs.len(), 1, "{mode}: {output}");
        assert_eq!(runs[0].len(), 20, "{mode}: {output}");

        let mut requested = server.stop();
        requested.sort();
        let mut expected: Vec<String> = POP20_CC
            .iter()
            .map(|cc| {
                let cc = cc.to_lowercase();
                format!("/flags/{cc}/{cc}.gif")
            })
            .collect();
        expected.sort();
        assert_eq!(requested, expected, "{mode}");
        assert_eq!(gif_files(dest.path()).len(), 20, "{mode}");
        for cc in POP20_CC {
            let path = dest.path().join(format!("{}.gif", cc.to_lowercase()));
            assert_eq!(
                std::fs::read(&path).unwrap(),
                TestServer::body(cc).as_bytes(),
                "{mode}: {}",
                path.display()
            );
        }
    }
}

/// A download that fails (404) makes the run fail and say which flag and why.
#[test]
fn flags_reports_a_failed_download() {
    let server = TestServer::start();
    let dest = TempDir::new("flags-404");
    let base_url = format!("{}/no-flags-here", server.url);
    let output = Command::new(example_binary("flags"))
        .args([
            "--base-url",
            &base_url,
            "--mode",
            "sequential",
            "--dest",
            dest.path_str(),
        ])
        .output()
        .unwrap();
    server.stop();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Sorted order: BD is the first flag asked for.
    assert!(
        stderr.contains("flags: BD: ") && stderr.contains("404"),
        "{stderr}"
    );
    assert!(gif_files(dest.path()).is_empty());
}

#[test]
fn flags_downloads_twenty_flags_all_three_ways() {
    let dest = TempDir::new("flags-all");
    let output = run_example("flags", &["--delay-ms", "20", "--dest", dest.path_str()]);
    let runs = downloads(&output);
    assert_eq!(runs.len(), 3, "sequential, pool and async runs:\n{output}");
    let mut sorted = POP20_CC.to_vec();
    sorted.sort_unstable();
    for run in &runs[1..] {
        let mut codes = run.clone();
        codes.sort_unstable();
        assert_eq!(codes, sorted, "{output}");
    }
    assert!(
        output
            .lines()
            .any(|line| line.starts_with("The async run was ")
                && line.ends_with(" times as fast as the sequential one.")),
        "{output}"
    );
    assert_eq!(gif_files(dest.path()).len(), 20);
}

/// Seed 002's 17.5 on the loop: a cap on requests in flight, seen from the server's side, and
/// missing flags counted and reported while the others are saved.
#[test]
fn flags_async_caps_its_requests_and_reports_missing_flags() {
    let dest = TempDir::new("flags-async");
    let output = run_example(
        "flags",
        &[
            "--mode",
            "async",
            "--delay-ms",
            "20",
            "--concurrency",
            "5",
            "--missing",
            "CD,ir",
            "--dest",
            dest.path_str(),
        ],
    );
    let runs = downloads(&output);
    assert_eq!(runs.len(), 1, "{output}");
    let mut saved = runs[0].clone();
    saved.sort_unstable();
    let mut expected: Vec<&str> = POP20_CC
        .into_iter()
        .filter(|cc| !["CD", "IR"].contains(cc))
        .collect();
    expected.sort_unstable();
    assert_eq!(saved, expected, "{output}");
    let lines: Vec<&str> = output.lines().collect();
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("18 flags downloaded in ")),
        "{output}"
    );
    assert!(lines.contains(&"2 not found: CD IR"), "{output}");
    let peak: usize = lines
        .iter()
        .find_map(|line| {
            line.strip_prefix("The server saw at most ")?
                .strip_suffix(" requests at once.")?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no peak reported:\n{output}"));
    assert!(
        (1..=5).contains(&peak),
        "{peak} requests at once with a cap of 5"
    );
    let mut files: Vec<String> = gif_files(dest.path())
        .iter()
        .map(|path| path.file_stem().unwrap().to_string_lossy().to_uppercase())
        .collect();
    files.sort_unstable();
    assert_eq!(files, expected);
}

#[test]
fn flags_refuses_missing_flags_outside_the_async_mode() {
    let output = Command::new(example_binary("flags"))
        .args(["--mode", "pool", "--missing", "CD"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--missing needs --mode async"), "{stderr}");
}

/// The country codes of each `N flags downloaded in T` run: the line before it, split.
fn downloads(output: &str) -> Vec<Vec<&str>> {
    let lines: Vec<&str> = output.lines().collect();
    let mut runs = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let rest = line
            .split_once(" flags downloaded in ")
            .filter(|(count, _)| count.parse::<usize>().is_ok())
            .map(|(_, rest)| rest);
        if let Some(rest) = rest {
            let seconds = rest.strip_suffix('s').expect("a time in seconds");
            let (whole, fraction) = seconds.split_once('.').expect("two decimals");
            assert!(
                whole.parse::<u64>().is_ok() && fraction.len() == 2,
                "{line:?}"
            );
            assert!(index > 0 && lines[index - 1].ends_with(' '), "{output}");
            runs.push(lines[index - 1].split_whitespace().collect());
        }
    }
    runs
}

fn gif_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "gif"))
        .collect()
}

/// A flag server for the tests: `GET /flags/{cc}/{cc}.gif` gives [`TestServer::body`], anything
/// else 404. It records the paths asked for.
struct TestServer {
    url: String,
    server: std::sync::Arc<tiny_http::Server>,
    thread: std::thread::JoinHandle<Vec<String>>,
}

impl TestServer {
    fn start() -> Self {
        let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let serving = std::sync::Arc::clone(&server);
        let thread = std::thread::spawn(move || {
            let mut requested = Vec::new();
            for request in serving.incoming_requests() {
                let path = request.url().to_string();
                let cc = path
                    .strip_prefix("/flags/")
                    .and_then(|rest| rest.split_once('/'))
                    .filter(|(dir, file)| file.strip_suffix(".gif") == Some(dir))
                    .map(|(dir, _)| dir.to_uppercase());
                let response = match cc {
                    Some(cc) => tiny_http::Response::from_string(Self::body(&cc)),
                    None => tiny_http::Response::from_string("not found").with_status_code(404),
                };
                let _ = request.respond(response);
                requested.push(path);
            }
            requested
        });
        TestServer {
            url: format!("http://127.0.0.1:{port}"),
            server,
            thread,
        }
    }

    fn body(cc: &str) -> String {
        format!("not really a GIF: the flag of {cc}\n")
    }

    /// Stops the server and gives the paths it was asked for.
    fn stop(self) -> Vec<String> {
        self.server.unblock();
        self.thread.join().unwrap()
    }
}

/// A fresh directory under the system's temp directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("cogen-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn path_str(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temp path")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Running the examples
// ---------------------------------------------------------------------------------------------

/// Runs an example with `args`, asserts that it succeeds, and returns its standard output.
fn run_example(name: &str, args: &[&str]) -> String {
    let binary = example_binary(name);
    let output = Command::new(&binary)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.display()));
    assert!(
        output.status.success(),
        "example {name} {args:?} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("the example prints UTF-8")
}

// ---------------------------------------------------------------------------------------------
// broken_pool: a task aborts its worker process; the other futures and the next submit report
// BrokenProcessPool with CPython's messages (tests/fixtures/broken_pool/broken_pool.py).
// ---------------------------------------------------------------------------------------------

/// Nothing here depends on timing: compared exactly, line by line, including the line a task
/// printed in its worker process.
#[test]
#[cfg(all(feature = "process", unix))]
fn broken_pool_matches_cpython() {
    let path = Path::new(MANIFEST_DIR).join("tests/fixtures/broken_pool/broken_pool.out");
    let python = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let rust = run_example("broken_pool", &[]);
    assert_eq!(
        rust.lines().collect::<Vec<_>>(),
        python.lines().collect::<Vec<_>>(),
        "broken_pool does not print what CPython printed ({})",
        path.display()
    );
}
