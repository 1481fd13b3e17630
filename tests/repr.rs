//! `cogen::repr` against CPython's `repr`, for every case in `tests/fixtures/repr/cases.json`
//! (made by `generate.py` there): floats by their bits, and other values built here to mirror
//! the Python values named by each id.

use cogen::repr::{PyRepr, PyTuple, Repr, py_repr};
use serde_json::Value;

fn fixture() -> Value {
    // Compiled in, so that the tests need no file system (Miri runs them isolated).
    let json = include_str!("fixtures/repr/cases.json");
    serde_json::from_str(json).expect("parse cases.json")
}

fn cases<'a>(fixture: &'a Value, section: &str) -> &'a [Value] {
    fixture[section].as_array().expect("a list of cases")
}

fn bits(case: &Value) -> u64 {
    let hex = case["bits"].as_str().expect("bits");
    u64::from_str_radix(hex.trim_start_matches("0x"), 16).expect("hex bits")
}

fn expected(case: &Value) -> &str {
    case["repr"].as_str().expect("repr")
}

/// Checks each case, reporting every difference at once.
fn check(what: &str, cases: &[Value], actual: impl Fn(&Value) -> String) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let actual = actual(case);
            (actual != expected(case))
                .then(|| format!("  {case}: python {:?}, rust {actual:?}", expected(case)))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{what}: {} of {} differ from CPython:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn f64_repr_is_python_float_repr() {
    let fixture = fixture();
    let cases = cases(&fixture, "f64");
    assert!(cases.len() >= 50, "only {} f64 cases", cases.len());
    check("f64", cases, |case| py_repr(&f64::from_bits(bits(case))));
}

#[test]
fn f32_repr_is_shortest_digits_in_python_layout() {
    let fixture = fixture();
    let cases = cases(&fixture, "f32");
    assert!(cases.len() >= 15, "only {} f32 cases", cases.len());
    check("f32", cases, |case| {
        let bits = u32::try_from(bits(case)).expect("32 bits");
        py_repr(&f32::from_bits(bits))
    });
}

/// The Rust value standing for the Python value the fixture names `id`, as its repr.
fn value_repr(id: &str) -> String {
    let mixed: Vec<Box<dyn PyRepr>> = vec![Box::new('A'), Box::new("B"), Box::new(1), Box::new(3)];
    match id {
        "true" => py_repr(&true),
        "false" => py_repr(&false),
        "none" => py_repr(&None::<i32>),
        "int_negative" => py_repr(&-42i8),
        "int_big" => py_repr(&i64::MAX),
        "u128_max" => py_repr(&u128::MAX),
        "str_plain" => py_repr(&'A'),
        "str_quote" => py_repr("it's"),
        "str_both_quotes" => py_repr(&String::from("say \"it's\"")),
        "str_escapes" => py_repr("tab\tnew\nline\\"),
        "str_control" => py_repr("\u{0}\u{7f}\u{85}\u{200b}"),
        "str_unicode" => py_repr("한글 é"),
        "str_empty" => py_repr(""),
        "list_empty" => py_repr(&Vec::<i32>::new()),
        "list_ints" => py_repr(&[1u8, 2, 3]),
        "list_chars" => py_repr(&vec!['A', 'B']),
        "list_floats" => py_repr(&[1.0, 2.5, 1e16, 1e-5][..]),
        "list_nested" => py_repr(&vec![vec![1, 2], vec![], vec![3]]),
        "list_optional" => py_repr(&[Some(1), None, Some(3)]),
        "tuple_empty" => py_repr(&()),
        "tuple_1" => py_repr(&(1,)),
        "tuple_1_str" => py_repr(&PyTuple(&["A"])),
        "tuple_2" => py_repr(&(0usize, 'A')),
        "tuple_mixed" => py_repr(&(1, 2.0, "x", None::<bool>, true)),
        "tuple_12" => py_repr(&(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)),
        "tuple_nested" => py_repr(&((1,), ('a', 'b'), PyTuple::<char>(&[]))),
        "list_of_tuples" => py_repr(&vec![PyTuple(&['A', 'A']), PyTuple(&['A', 'B'])]),
        "list_of_1_tuples" => py_repr(&[('A',), ('B',)]),
        "list_mixed" => py_repr(&mixed),
        "list_of_lists_of_floats" => py_repr(&[vec![0.1, 0.2], vec![0.1 + 0.2]]),
        other => panic!("no Rust value for fixture id {other:?}: add one"),
    }
}

#[test]
fn other_values_repr_as_python() {
    let fixture = fixture();
    let cases = cases(&fixture, "values");
    assert!(cases.len() >= 25, "only {} value cases", cases.len());
    check("values", cases, |case| {
        value_repr(case["id"].as_str().expect("id"))
    });
}

#[test]
fn repr_display_matches_py_repr_and_pads() {
    let fixture = fixture();
    for case in cases(&fixture, "f64") {
        let x = f64::from_bits(bits(case));
        assert_eq!(format!("{}", Repr(&x)), expected(case));
        assert_eq!(format!("{:?}", Repr(&x)), expected(case));
        // Width pads the whole repr, as Python's format(repr(x), '>30') does.
        assert_eq!(
            format!("{:>30}", Repr(&x)),
            format!("{:>30}", expected(case))
        );
    }
}

#[test]
fn repr_aligns_fills_and_cuts_as_python_formats_a_repr() {
    let fixture = fixture();
    check(
        "formatted",
        cases(&fixture, "formatted"),
        |case| match case["id"].as_str().expect("id") {
            "center_list" => format!("{:^9}|", Repr(&[1, 2])),
            "fill_left_cut_str" => format!("{:*<8.4}|", Repr("héllo")),
            "right_cut_none" => format!("{:>6.2}|", Repr(&None::<u8>)),
            "width_char" => format!("{:7}|", Repr(&'a')),
            other => panic!("no Rust value for formatted case {other}"),
        },
    );
}

#[test]
fn references_and_boxes_print_their_value() {
    let fixture = fixture();
    for case in cases(&fixture, "f64") {
        let x = f64::from_bits(bits(case));
        assert_eq!(py_repr(&&x), expected(case));
        assert_eq!(py_repr(&Box::new(x)), expected(case));
        assert_eq!(py_repr(&Some(&mut x.clone())), expected(case));
    }
}

/// `Repr` of a count or a repeat is `py_repr`'s text (which tests/itertools_cpython.rs checks,
/// with `Repr`'s, against CPython's `repr` of `count` and `repeat`), padded and cut as
/// `Formatter::pad` does.
#[test]
fn count_and_repeat_display_like_their_py_repr() {
    use cogen::iter::{count, repeat, repeat_n};
    let mut counter = count(0.1f64, 0.1);
    counter.nth(2);
    // The text itself is CPython's, `count(0.4, 0.1)`: the replay of
    // tests/fixtures/itertools/cases.json compares `py_repr` and `Repr` of every count and repeat
    // case with it exactly.
    let text = py_repr(&counter);
    assert_eq!(format!("{}", Repr(&counter)), text);
    assert_eq!(format!("{:>40}|", Repr(&counter)), format!("{text:>40}|"));
    assert_eq!(format!("{:.7}", Repr(&counter)), format!("{text:.7}"));
    let repeated = repeat_n("it's", 2);
    assert_eq!(
        format!("{:^30}", Repr(&repeated)),
        format!("{:^30}", py_repr(&repeated))
    );
    assert_eq!(format!("{}", Repr(&repeat(1u8))), py_repr(&repeat(1u8)));
}
