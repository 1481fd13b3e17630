//! cogen's itertools against CPython's: every case in `tests/fixtures/itertools/cases.json`
//! (written by `cases.py` there, whose docstring describes the schema) is replayed with cogen,
//! in several forms where cogen has them (the free function, the `IterExt` method, the `_array`
//! and `next_ref` forms), and each must yield what CPython yielded and leave in its source what
//! CPython left. The test counts the cases it replayed and fails if any was skipped.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};
#[cfg(feature = "std")]
use std::collections::{HashMap, HashSet};
use std::fmt::Debug;
use std::ops::{Add, Mul, Sub};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::Arc;

use cogen::IterExt;
use cogen::iter::{
    IncompleteBatch, SliceArgs, Tee, Truthy, accumulate, accumulate_from, accumulate_initial,
    accumulate_with, batched, batched_strict, chain, chain_from_iterable, combinations,
    combinations_array, combinations_with_replacement, combinations_with_replacement_array,
    compress, count, cycle, dropwhile, filterfalse, groupby, groupby_key, islice, pairwise,
    permutations, permutations_array, product, product_array, product_repeat, product_repeat_all,
    product_repeat_array, repeat, repeat_n, starmap, takewhile, tee, tee_array, zip_longest,
    zip_longest_array, zip_longest_array_none, zip_longest_none, zip_longest_pair,
};
use cogen::repr::{PyRepr, Repr, py_repr};
use serde_json::Value;

// ------------------------------------------------------------------------------ the fixture

/// Reads a Rust value from the fixture's JSON.
trait FromJson: Sized {
    fn from_json(value: &Value) -> Self;
}

impl FromJson for i64 {
    fn from_json(value: &Value) -> Self {
        value
            .as_i64()
            .unwrap_or_else(|| panic!("not an i64: {value}"))
    }
}

/// Exact: the fixture is parsed with serde_json's `float_roundtrip`, and Python wrote each float
/// with `repr`. An int (`count(1, 2.5)` yields the int 1 first) reads as that float.
impl FromJson for f64 {
    fn from_json(value: &Value) -> Self {
        value
            .as_f64()
            .unwrap_or_else(|| panic!("not a number: {value}"))
    }
}

impl FromJson for char {
    fn from_json(value: &Value) -> Self {
        let text = value
            .as_str()
            .unwrap_or_else(|| panic!("not a string: {value}"));
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => c,
            _ => panic!("not one character: {value}"),
        }
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Self {
        value
            .as_str()
            .unwrap_or_else(|| panic!("not a string: {value}"))
            .to_string()
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Self {
        value
            .as_bool()
            .unwrap_or_else(|| panic!("not a bool: {value}"))
    }
}

impl FromJson for usize {
    fn from_json(value: &Value) -> Self {
        value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or_else(|| panic!("not a usize: {value}"))
    }
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Self {
        value.clone()
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Self {
        (!value.is_null()).then(|| T::from_json(value))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Self {
        value
            .as_array()
            .unwrap_or_else(|| panic!("not a list: {value}"))
            .iter()
            .map(T::from_json)
            .collect()
    }
}

fn tuple_items(value: &Value, len: usize) -> &[Value] {
    let items = value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"));
    assert_eq!(items.len(), len, "not a {len}-tuple: {value}");
    items
}

impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn from_json(value: &Value) -> Self {
        let items = tuple_items(value, 2);
        (A::from_json(&items[0]), B::from_json(&items[1]))
    }
}

impl<A: FromJson, B: FromJson, C: FromJson> FromJson for (A, B, C) {
    fn from_json(value: &Value) -> Self {
        let items = tuple_items(value, 3);
        (
            A::from_json(&items[0]),
            B::from_json(&items[1]),
            C::from_json(&items[2]),
        )
    }
}

struct Case<'a> {
    id: &'a str,
    func: &'a str,
    ty: &'a str,
    input: &'a Value,
    args: &'a Value,
    expect: &'a Value,
    raw: &'a Value,
}

impl<'a> Case<'a> {
    fn new(raw: &'a Value) -> Self {
        let text = |key: &str| {
            raw[key]
                .as_str()
                .unwrap_or_else(|| panic!("case without {key}: {raw}"))
        };
        Case {
            id: text("id"),
            func: text("fn"),
            ty: text("type"),
            input: &raw["input"],
            args: &raw["args"],
            expect: &raw["expect"],
            raw,
        }
    }

    fn arg<T: FromJson>(&self, name: &str) -> T {
        T::from_json(&self.args[name])
    }

    /// How many values the case read, when not all of them.
    fn consume(&self) -> Option<usize> {
        self.arg("consume")
    }

    fn input<T: FromJson>(&self) -> Vec<T> {
        Vec::from_json(self.input)
    }

    fn expect<T: FromJson>(&self) -> T {
        T::from_json(self.expect)
    }

    /// What CPython left in the source, where the case recorded it.
    fn rest<T: FromJson>(&self) -> Option<Vec<T>> {
        self.raw.get("rest").map(Vec::from_json)
    }

    /// `(values, rest)` as CPython had them, to compare with [`Case::outcome`].
    fn expected<O: FromJson, T: FromJson>(&self) -> (O, Option<Vec<T>>) {
        (self.expect(), self.rest())
    }

    /// `(values, rest)` from cogen; the rest only where the case recorded one.
    fn outcome<O, T>(&self, values: O, rest: impl IntoIterator<Item = T>) -> (O, Option<Vec<T>>) {
        let rest = self
            .raw
            .get("rest")
            .map(|_| rest.into_iter().collect::<Vec<T>>());
        (values, rest)
    }

    fn raises(&self) -> Option<&'a str> {
        self.raw.get("raises").and_then(Value::as_str)
    }
}

type Outcome = Result<(), String>;

fn same<T: PartialEq + Debug>(form: &str, expected: &T, actual: &T) -> Outcome {
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{form}:\n      expected (python) {expected:?}\n      actual (cogen)    {actual:?}"
        ))
    }
}

/// Runs `call`, which must panic; returns its message.
fn panic_message(call: impl FnOnce()) -> Result<String, String> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(()) => Err("did not panic where Python raised".to_string()),
        Err(payload) => Ok(payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()),
    }
}

// ---------------------------------------------------------------------------- item types

/// The item types cases come in: `int` (i64), `float` (f64), `str` (char).
trait Item: FromJson + Clone + PartialEq + PartialOrd + Debug + Send + Sync + 'static {
    /// Python's `x % k == 0`.
    fn divisible_by(&self, k: &Self) -> bool {
        panic!("divisible is for ints, not {self:?} % {k:?}")
    }
}

impl Item for i64 {
    fn divisible_by(&self, k: &Self) -> bool {
        self.rem_euclid(*k) == 0
    }
}

impl Item for f64 {}

impl Item for char {}

/// Numbers: what `accumulate` and the named functions work on.
trait Num: Item + Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> {}

impl Num for i64 {}

impl Num for f64 {}

/// Python's `max(a, b)`: `b` only if it is greater. `min` likewise.
fn py_max<T: PartialOrd + Clone>(a: &T, b: T) -> T {
    if b > *a { b } else { a.clone() }
}

fn py_min<T: PartialOrd + Clone>(a: &T, b: T) -> T {
    if b < *a { b } else { a.clone() }
}

/// The fixture's `pred`: `[name, operand]`.
fn predicate<T: Item>(case: &Case) -> impl Fn(&T) -> bool + Clone + use<T> {
    let spec = &case.args["pred"];
    let name = spec[0].as_str().expect("pred name").to_string();
    let k = T::from_json(&spec[1]);
    move |x: &T| match name.as_str() {
        "lt" => *x < k,
        "le" => *x <= k,
        "gt" => *x > k,
        "ge" => *x >= k,
        "eq" => *x == k,
        "ne" => *x != k,
        "divisible" => x.divisible_by(&k),
        other => panic!("unknown predicate {other}"),
    }
}

// -------------------------------------------------------------------------- the replays

macro_rules! by_type {
    ($case:expr, $replay:ident) => {
        match $case.ty {
            "int" => $replay::<i64>($case),
            "float" => $replay::<f64>($case),
            "str" => $replay::<char>($case),
            other => Err(format!("unknown type {other}")),
        }
    };
}

fn replay(case: &Case) -> Outcome {
    match case.func {
        "count" => match case.ty {
            "int" => replay_count_int(case),
            "float" => replay_count::<f64>(case),
            other => Err(format!("count of {other}")),
        },
        "cycle" => by_type!(case, replay_cycle),
        "repeat" => by_type!(case, replay_repeat),
        "accumulate" => match case.ty {
            "int" => replay_accumulate::<i64>(case),
            "float" => replay_accumulate::<f64>(case),
            "str" => replay_accumulate_str(case),
            other => Err(format!("accumulate of {other}")),
        },
        "batched" => by_type!(case, replay_batched),
        "chain" => by_type!(case, replay_chain),
        "compress" if case.args.get("selector_kind").is_some() => replay_truthy(case),
        "compress" => by_type!(case, replay_compress),
        "repr" => replay_repr(case),
        "dropwhile" | "takewhile" | "filterfalse" => by_type!(case, replay_predicate),
        "groupby" => replay_groupby(case),
        "islice" => match (case.ty, case.input.get("count")) {
            ("int", Some(_)) => replay_islice_count::<i64>(case),
            ("float", Some(_)) => replay_islice_count::<f64>(case),
            (_, None) => by_type!(case, replay_islice),
            (other, Some(_)) => Err(format!("islice of a count of {other}")),
        },
        "pairwise" => by_type!(case, replay_pairwise),
        "starmap" => replay_starmap(case),
        "tee" => by_type!(case, replay_tee),
        "zip_longest" => by_type!(case, replay_zip_longest),
        "product" => by_type!(case, replay_product),
        "permutations" | "combinations" | "combinations_with_replacement" => {
            by_type!(case, replay_combinatoric)
        }
        other => Err(format!("no replay for fn {other:?}")),
    }
}

fn replay_count<T: Item + cogen::iter::CountStep>(case: &Case) -> Outcome {
    let take: usize = case.arg("take");
    let (start, step): (T, T) = (case.arg("start"), case.arg("step"));
    let values: Vec<T> = count(start, step).take(take).collect();
    same("count", &case.expect::<Vec<T>>(), &values)
}

/// As i64, and as i32 and i128 where the values fit.
fn replay_count_int(case: &Case) -> Outcome {
    replay_count::<i64>(case)?;
    let take: usize = case.arg("take");
    let (start, step): (i64, i64) = (case.arg("start"), case.arg("step"));
    let expected: Vec<i64> = case.expect();
    let wide: Vec<i128> = count(i128::from(start), i128::from(step))
        .take(take)
        .collect();
    same(
        "count::<i128>",
        &expected.iter().map(|&x| i128::from(x)).collect(),
        &wide,
    )?;
    let fits = |x: &i64| i32::try_from(*x).is_ok();
    if fits(&start) && fits(&step) && expected.iter().all(fits) {
        let narrow: Vec<i64> = count(start as i32, step as i32)
            .take(take)
            .map(i64::from)
            .collect();
        same("count::<i32>", &expected, &narrow)?;
    }
    Ok(())
}

fn replay_cycle<T: Item>(case: &Case) -> Outcome {
    let input: Vec<T> = case.input();
    let take = case.consume().unwrap_or_else(|| case.arg("take"));
    let expected = case.expected::<Vec<T>, T>();

    let mut source = input.clone().into_iter();
    let values: Vec<T> = cycle(source.by_ref()).take(take).collect();
    same("cycle", &expected, &case.outcome(values, source))?;

    let mut source = input.into_iter();
    let values: Vec<T> = source.by_ref().cycle_saved().take(take).collect();
    same(".cycle_saved()", &expected, &case.outcome(values, source))
}

fn replay_repeat<T: Item>(case: &Case) -> Outcome {
    let x: T = case.arg("x");
    let expected: Vec<T> = case.expect();
    match case.arg::<Option<usize>>("times") {
        Some(times) => same(
            "repeat_n",
            &expected,
            &repeat_n(x, times).collect::<Vec<T>>(),
        ),
        None => {
            let take: usize = case.arg("take");
            same(
                "repeat",
                &expected,
                &repeat(x).take(take).collect::<Vec<T>>(),
            )
        }
    }
}

fn named_function<T: Num>(name: &str) -> fn(&T, T) -> T {
    match name {
        "add" => |a, b| *a + b,
        "sub" => |a, b| *a - b,
        "mul" => |a, b| *a * b,
        "max" => py_max,
        "min" => py_min,
        other => panic!("unknown accumulate func {other}"),
    }
}

fn replay_accumulate<T: Num>(case: &Case) -> Outcome {
    let input: Vec<T> = case.input();
    let take = case.consume().unwrap_or(usize::MAX);
    let func: Option<String> = case.arg("func");
    let initial: Option<T> = case.arg("initial");
    let expected = case.expected::<Vec<T>, T>();
    let f = named_function::<T>(func.as_deref().unwrap_or("add"));

    let mut source = input.clone().into_iter();
    let values: Vec<T> = match (&func, initial) {
        (None, None) => accumulate(source.by_ref()).take(take).collect(),
        (Some(_), None) => accumulate_with(source.by_ref(), f).take(take).collect(),
        (_, Some(initial)) => accumulate_initial(source.by_ref(), initial, f)
            .take(take)
            .collect(),
    };
    same("free function", &expected, &case.outcome(values, source))?;

    // Python's accumulate(it, initial=x): sums, no function named.
    if let (None, Some(initial)) = (&func, initial) {
        let mut source = input.clone().into_iter();
        let values: Vec<T> = accumulate_from(source.by_ref(), initial)
            .take(take)
            .collect();
        same("accumulate_from", &expected, &case.outcome(values, source))?;
        let mut source = input.clone().into_iter();
        let values: Vec<T> = source
            .by_ref()
            .accumulate_from(initial)
            .take(take)
            .collect();
        same(".accumulate_from", &expected, &case.outcome(values, source))?;
    }

    let mut source = input.into_iter();
    let values: Vec<T> = match (&func, initial) {
        (None, None) => source.by_ref().accumulate().take(take).collect(),
        (Some(_), None) => source.by_ref().accumulate_with(f).take(take).collect(),
        (_, Some(initial)) => source
            .by_ref()
            .accumulate_initial(initial, f)
            .take(take)
            .collect(),
    };
    same("IterExt method", &expected, &case.outcome(values, source))
}

/// Strings: `+` concatenates (Rust: `String`s from the chars); `max` compares.
fn replay_accumulate_str(case: &Case) -> Outcome {
    let input: Vec<char> = case.input();
    let func: Option<String> = case.arg("func");
    let initial: Option<String> = case.arg("initial");
    match (func.as_deref(), initial) {
        (None, None) => {
            let words = input.iter().map(|c| c.to_string());
            let values: Vec<String> =
                accumulate_with(words.clone(), |a: &String, b: String| a.clone() + &b).collect();
            same("accumulate_with", &case.expect(), &values)?;
            let values: Vec<String> = words
                .accumulate_with(|a: &String, b: String| a.clone() + &b)
                .collect();
            same(".accumulate_with", &case.expect(), &values)
        }
        (Some("max"), None) => {
            let values: Vec<char> = accumulate_with(input.clone(), py_max).collect();
            same("accumulate_with", &case.expect(), &values)?;
            let values: Vec<char> = input.into_iter().accumulate_with(py_max).collect();
            same(".accumulate_with", &case.expect(), &values)
        }
        (None, Some(initial)) => {
            let append = |a: &String, c: char| format!("{a}{c}");
            let values: Vec<String> =
                accumulate_initial(input.clone(), initial.clone(), append).collect();
            same("accumulate_initial", &case.expect(), &values)?;
            let values: Vec<String> = input
                .into_iter()
                .accumulate_initial(initial, append)
                .collect();
            same(".accumulate_initial", &case.expect(), &values)
        }
        (func, initial) => Err(format!("no str replay for {func:?}, {initial:?}")),
    }
}

fn replay_batched<T: Item>(case: &Case) -> Outcome {
    let input: Vec<T> = case.input();
    let n: usize = case.arg("n");
    let strict: bool = case.arg("strict");
    let take = case.consume().unwrap_or(usize::MAX);
    if n == 0 {
        let python = case.raises().ok_or("n = 0 without raises")?.to_string();
        // CPython's words, exactly: `ValueError: n must be at least one`.
        type Call = Box<dyn FnOnce()>;
        let forms: [(&str, Call); 4] = [
            ("batched", {
                let source = input.clone();
                Box::new(move || drop(batched(source, 0).next()))
            }),
            (".batched", {
                let source = input.clone();
                Box::new(move || drop(source.into_iter().batched(0).next()))
            }),
            ("batched_strict", {
                let source = input.clone();
                Box::new(move || drop(batched_strict(source, 0).next()))
            }),
            (".batched_strict", {
                let source = input.clone();
                Box::new(move || drop(source.into_iter().batched_strict(0).next()))
            }),
        ];
        for (form, call) in forms {
            same(&format!("{form} panic"), &python, &panic_message(call)?)?;
        }
        return Ok(());
    }
    let expected = case.expected::<Vec<Vec<T>>, T>();
    if !strict {
        let mut source = input.clone().into_iter();
        let values: Vec<Vec<T>> = batched(source.by_ref(), n).take(take).collect();
        same("batched", &expected, &case.outcome(values, source))?;
        let mut source = input.into_iter();
        let values: Vec<Vec<T>> = source.by_ref().batched(n).take(take).collect();
        return same(".batched", &expected, &case.outcome(values, source));
    }
    // strict, reading part of a source that is read on afterwards: what is left in it.
    if case.consume().is_some() {
        let mut source = input.clone().into_iter();
        let values: Vec<Vec<T>> = batched_strict(source.by_ref(), n)
            .take(take)
            .map_while(Result::ok)
            .collect();
        same(
            "batched_strict, by_ref",
            &expected,
            &case.outcome(values, source),
        )?;
        let mut source = input.clone().into_iter();
        let values: Vec<Vec<T>> = source
            .by_ref()
            .batched_strict(n)
            .take(take)
            .map_while(Result::ok)
            .collect();
        same(
            ".batched_strict, by_ref",
            &expected,
            &case.outcome(values, source),
        )?;
    }
    // strict: the batches, then (where Python raised) the incomplete batch as an error, then
    // nothing.
    for (form, mut batches) in [
        (
            "batched_strict",
            Box::new(batched_strict(input.clone(), n)) as Box<dyn Iterator<Item = _>>,
        ),
        (
            ".batched_strict",
            Box::new(input.clone().into_iter().batched_strict(n)) as Box<dyn Iterator<Item = _>>,
        ),
    ] {
        let mut values = Vec::new();
        let mut error: Option<IncompleteBatch<T>> = None;
        for batch in batches.by_ref().take(take) {
            match batch {
                Ok(batch) => values.push(batch),
                Err(incomplete) => {
                    error = Some(incomplete);
                    break;
                }
            }
        }
        same(form, &case.expect::<Vec<Vec<T>>>(), &values)?;
        match (case.raises(), error) {
            (None, None) => {}
            (Some(python), Some(error)) => {
                same(
                    &format!("{form} error message"),
                    &python.trim_start_matches("ValueError: ").to_string(),
                    &error.to_string(),
                )?;
                same(&format!("{form} expected()"), &n, &error.expected())?;
                same(
                    &format!("{form}: values after the error"),
                    &Vec::<Vec<T>>::from_json(&case.raw["after_error"]).len(),
                    &batches.count(),
                )?;
                same(
                    &format!("{form} error items"),
                    &Vec::<T>::from_json(&case.raw["error_items"]),
                    &error.into_items(),
                )?;
            }
            (python, rust) => {
                return Err(format!(
                    "{form}: python raised {python:?}, cogen's error: {:?}",
                    rust.map(|error| error.to_string())
                ));
            }
        }
    }
    Ok(())
}

fn replay_chain<T: Item>(case: &Case) -> Outcome {
    let inputs: Vec<Vec<T>> = case.input();
    let expected: Vec<T> = case.expect();
    same(
        "chain",
        &expected,
        &chain(inputs.clone()).collect::<Vec<T>>(),
    )?;
    same(
        "chain_from_iterable",
        &expected,
        &chain_from_iterable(inputs.clone()).collect::<Vec<T>>(),
    )?;
    same(
        ".chain_from_iterable()",
        &expected,
        &inputs
            .clone()
            .into_iter()
            .chain_from_iterable()
            .collect::<Vec<T>>(),
    )?;
    let by_macro: Option<Vec<T>> = match inputs.as_slice() {
        [a] => Some(cogen::chain![a.clone()].collect()),
        [a, b] => Some(cogen::chain![a.clone(), b.iter().cloned()].collect()),
        [a, b, c] => Some(cogen::chain![a.clone(), b.clone(), c.iter().cloned()].collect()),
        _ => None,
    };
    match by_macro {
        Some(values) => same("chain!", &expected, &values),
        None => Ok(()),
    }
}

fn replay_compress<T: Item>(case: &Case) -> Outcome {
    let data: Vec<T> = case.input();
    let selectors: Vec<i64> = case.arg("selectors");
    let take = case.consume().unwrap_or(usize::MAX);
    let expected = case.expected::<Vec<T>, T>();

    let mut source = data.clone().into_iter();
    let values: Vec<T> = compress(source.by_ref(), selectors.clone())
        .take(take)
        .collect();
    same(
        "compress, int selectors",
        &expected,
        &case.outcome(values, source),
    )?;

    let mut source = data.clone().into_iter();
    let values: Vec<T> = compress(source.by_ref(), selectors.iter())
        .take(take)
        .collect();
    same(
        "compress, &int selectors",
        &expected,
        &case.outcome(values, source),
    )?;

    let mut source = data.into_iter();
    let bools = selectors.iter().map(|&s| s != 0);
    let values: Vec<T> = source.by_ref().compress(bools).take(take).collect();
    same(
        ".compress, bool selectors",
        &expected,
        &case.outcome(values, source),
    )
}

/// `compress(range(n), selectors)` with selectors of another Python type than int: cogen's
/// `Truthy` against Python's `bool()`, through every Rust type that stands for that Python type.
fn replay_truthy(case: &Case) -> Outcome {
    let kind: String = case.arg("selector_kind");
    let raw: Vec<Value> = case.arg::<Vec<Value>>("selectors");
    let data: Vec<i64> = case.input();
    let expected: Vec<i64> = case.expect();
    let check = |form: &str, selectors: Vec<Box<dyn Truthy + '_>>| -> Outcome {
        let values: Vec<i64> = compress(data.clone(), selectors).collect();
        same(&format!("{kind} as {form}"), &expected, &values)
    };
    macro_rules! each {
        ($form:expr, |$value:ident| $make:expr) => {
            check(
                $form,
                raw.iter()
                    .map(|$value| Box::new($make) as Box<dyn Truthy>)
                    .collect(),
            )?
        };
    }
    // A reference form: the values are made and kept first, then lent to the selectors
    // (`$lend` turns `&mut` one of them into the reference), so that nothing is leaked.
    macro_rules! each_lent {
        ($form:expr, |$value:ident| $make:expr, |$owned:ident| $lend:expr) => {{
            let mut kept: Vec<_> = raw.iter().map(|$value| $make).collect();
            check(
                $form,
                kept.iter_mut()
                    .map(|$owned| Box::new($lend) as Box<dyn Truthy + '_>)
                    .collect(),
            )?
        }};
    }
    let ints = |value: &Value| Vec::<i64>::from_json(value);
    match kind.as_str() {
        "float" => {
            let parse = |value: &Value| -> f64 {
                value
                    .as_str()
                    .expect("a float's repr")
                    .parse()
                    .expect("a float")
            };
            each!("f64", |v| parse(v));
            // As f32 where every value is one (5e-324 is not: it is 0.0 as an f32).
            let exact = |x: f64| x.is_nan() || f64::from(x as f32) == x;
            if raw.iter().all(|v| exact(parse(v))) {
                each!("f32", |v| parse(v) as f32);
            }
            each_lent!("&f64", |v| parse(v), |x| &*x);
            each!("Box<f64>", |v| Box::new(parse(v)));
            each!("Rc<f64>", |v| Rc::new(parse(v)));
        }
        "str" => {
            each!("String", |v| String::from_json(v));
            each_lent!("&str", |v| String::from_json(v), |x| x.as_str());
            each!("Box<str>", |v| String::from_json(v).into_boxed_str());
            each!("Rc<str>", |v| Rc::<str>::from(String::from_json(v)));
            each!("Arc<str>", |v| Arc::<str>::from(String::from_json(v)));
        }
        "char" => {
            each!("char", |v| char::from_json(v));
            each!("String", |v| String::from_json(v));
        }
        "bool" => {
            each!("bool", |v| bool::from_json(v));
            each_lent!("&mut bool", |v| bool::from_json(v), |x| x);
        }
        "optional" => {
            each!("Option<i64>", |v| Option::<i64>::from_json(v));
            each!("Option<u8>", |v| Option::<i64>::from_json(v)
                .map(|n| n as u8));
            each!("Option<Box<i64>>", |v| Option::<i64>::from_json(v)
                .map(Box::new));
        }
        "optional_str" => {
            each!("Option<String>", |v| Option::<String>::from_json(v));
            each_lent!("Option<&str>", |v| Option::<String>::from_json(v), |x| x
                .as_deref());
            each!("Option<Box<str>>", |v| Option::<String>::from_json(v)
                .map(String::into_boxed_str));
        }
        "list" => {
            each!("Vec", |v| ints(v));
            each!("VecDeque", |v| VecDeque::from(ints(v)));
            each!("BinaryHeap", |v| BinaryHeap::from(ints(v)));
            each!("Box<[i64]>", |v| ints(v).into_boxed_slice());
            each!("Rc<[i64]>", |v| Rc::<[i64]>::from(ints(v)));
            each!("Arc<Vec<i64>>", |v| Arc::new(ints(v)));
            each_lent!("&[i64]", |v| ints(v), |x| x.as_slice());
        }
        "tuple" => {
            let tuple = |value: &Value| -> Box<dyn Truthy> {
                match ints(value).as_slice() {
                    [] => Box::new(()),
                    &[a] => Box::new((a,)),
                    &[a, b] => Box::new((a, b)),
                    &[a, b, c] => Box::new((a, b, c)),
                    &[a, b, c, d, e, f, g, h, i, j, k, l] => {
                        Box::new((a, b, c, d, e, f, g, h, i, j, k, l))
                    }
                    other => panic!("no tuple of {} in the replay", other.len()),
                }
            };
            // Python's tuples hold any types: their truth is their length alone.
            let mixed = |value: &Value| -> Box<dyn Truthy> {
                match ints(value).as_slice() {
                    [] => Box::new(()),
                    &[a] => Box::new((a != 0,)),
                    &[a, b] => Box::new((a != 0, b as f64)),
                    &[a, b, c] => Box::new((a != 0, b as f64, c.to_string())),
                    &[a, b, c, d, e, f, g, h, i, j, k, l] => Box::new((
                        a != 0,
                        b as f64,
                        c.to_string(),
                        Some(d),
                        [e],
                        (f,),
                        vec![g; 0],
                        h as u8,
                        i as f32,
                        j == 0,
                        ((), k),
                        Box::new(l),
                    )),
                    other => panic!("no tuple of {} in the replay", other.len()),
                }
            };
            let array = |value: &Value| -> Box<dyn Truthy> {
                match ints(value).as_slice() {
                    [] => Box::new([0i64; 0]),
                    &[a] => Box::new([a]),
                    &[a, b] => Box::new([a, b]),
                    &[a, b, c] => Box::new([a, b, c]),
                    twelve @ &[_, _, _, _, _, _, _, _, _, _, _, _] => {
                        Box::new(<[i64; 12]>::try_from(twelve).expect("twelve items"))
                    }
                    other => panic!("no array of {} in the replay", other.len()),
                }
            };
            each!("tuple", |v| tuple(v));
            each!("tuple of mixed types", |v| mixed(v));
            each!("array", |v| array(v));
        }
        "set" => {
            // cogen's `Truthy` for the hashed collections needs its `std` feature.
            #[cfg(feature = "std")]
            each!("HashSet", |v| ints(v).into_iter().collect::<HashSet<i64>>());
            each!("BTreeSet", |v| ints(v)
                .into_iter()
                .collect::<BTreeSet<i64>>());
        }
        "dict" => {
            let pairs = |value: &Value| Vec::<(i64, i64)>::from_json(value);
            #[cfg(feature = "std")]
            each!("HashMap", |v| pairs(v)
                .into_iter()
                .collect::<HashMap<i64, i64>>());
            each!("BTreeMap", |v| pairs(v)
                .into_iter()
                .collect::<BTreeMap<i64, i64>>());
        }
        other => return Err(format!("no Truthy replay for {other}")),
    }
    Ok(())
}

/// `repr()` of a count or a repeat after `advance` values: `py_repr` must print CPython's.
fn replay_repr(case: &Case) -> Outcome {
    let expected: String = case.expect();
    let advance: usize = case.arg("advance");
    match case.args["of"].as_str() {
        Some("count") => {
            let rust_type: String = case.arg("rust_type");
            fn run<T: cogen::iter::CountStep + PyRepr + std::str::FromStr>(
                case: &Case,
                advance: usize,
                default_step: T,
                expected: &str,
            ) -> Outcome {
                let number = |value: &Value| -> T {
                    let text = match value {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    text.parse()
                        .unwrap_or_else(|_| panic!("not a {}: {text}", std::any::type_name::<T>()))
                };
                let start = number(&case.args["start"]);
                let step = match &case.args["step"] {
                    Value::Null => default_step,
                    step => number(step),
                };
                let mut counter = count(start, step);
                for _ in 0..advance {
                    counter.next();
                }
                same_repr("count", expected, &counter)
            }
            match rust_type.as_str() {
                "i64" => run::<i64>(case, advance, 1, &expected),
                "u8" => run::<u8>(case, advance, 1, &expected),
                "i8" => run::<i8>(case, advance, 1, &expected),
                "u64" => run::<u64>(case, advance, 1, &expected),
                "i128" => run::<i128>(case, advance, 1, &expected),
                "u128" => run::<u128>(case, advance, 1, &expected),
                "f64" if !case.args["step"].is_null() => run::<f64>(case, advance, 1.0, &expected),
                other => Err(format!("no count repr replay for {other}")),
            }
        }
        Some("repeat") => {
            fn run<T: FromJson + Clone + PyRepr>(
                case: &Case,
                advance: usize,
                expected: &str,
            ) -> Outcome {
                let x: T = case.arg("x");
                match case.arg::<Option<usize>>("times") {
                    Some(times) => {
                        let mut repeater = repeat_n(x, times);
                        for _ in 0..advance {
                            repeater.next();
                        }
                        same_repr("repeat_n", expected, &repeater)
                    }
                    None => {
                        let mut repeater = repeat(x);
                        for _ in 0..advance {
                            repeater.next();
                        }
                        same_repr("repeat", expected, &repeater)
                    }
                }
            }
            match case.ty {
                "int" => run::<i64>(case, advance, &expected),
                "float" => run::<f64>(case, advance, &expected),
                // A string of one character: as a char and as a String.
                "str" => {
                    run::<char>(case, advance, &expected)?;
                    run::<String>(case, advance, &expected)
                }
                other => Err(format!("no repeat repr replay for {other}")),
            }
        }
        other => Err(format!("no repr replay of {other:?}")),
    }
}

/// `py_repr(value)` is CPython's `repr`, exactly; `Repr(value)` displays it, and pads and cuts
/// it as `Formatter::pad` pads and cuts CPython's text.
fn same_repr<T: PyRepr>(what: &str, expected: &str, value: &T) -> Outcome {
    same(
        &format!("py_repr(&{what})"),
        &expected,
        &py_repr(value).as_str(),
    )?;
    let forms: [(&str, String, String); 4] = [
        ("{}", expected.to_string(), Repr(value).to_string()),
        (
            "{:>40}|",
            format!("{expected:>40}|"),
            format!("{:>40}|", Repr(value)),
        ),
        (
            "{:^30}|",
            format!("{expected:^30}|"),
            format!("{:^30}|", Repr(value)),
        ),
        (
            "{:.7}",
            format!("{expected:.7}"),
            format!("{:.7}", Repr(value)),
        ),
    ];
    for (form, expected, actual) in forms {
        same(&format!("Repr(&{what}) as {form}"), &expected, &actual)?;
    }
    Ok(())
}

fn replay_predicate<T: Item>(case: &Case) -> Outcome {
    let input: Vec<T> = case.input();
    let take = case.consume().unwrap_or(usize::MAX);
    let expected = case.expected::<Vec<T>, T>();
    let pred = predicate::<T>(case);

    let mut source = input.clone().into_iter();
    let values: Vec<T> = match case.func {
        "dropwhile" => dropwhile(source.by_ref(), pred.clone())
            .take(take)
            .collect(),
        "takewhile" => takewhile(source.by_ref(), pred.clone())
            .take(take)
            .collect(),
        _ => filterfalse(source.by_ref(), pred.clone())
            .take(take)
            .collect(),
    };
    same(case.func, &expected, &case.outcome(values, source))?;

    let mut source = input.into_iter();
    let values: Vec<T> = match case.func {
        "dropwhile" => source.by_ref().dropwhile(pred).take(take).collect(),
        "takewhile" => source.by_ref().takewhile(pred).take(take).collect(),
        _ => source.by_ref().filterfalse(pred).take(take).collect(),
    };
    same(
        &format!(".{}", case.func),
        &expected,
        &case.outcome(values, source),
    )
}

/// One `[key, read_now, read_after]` per group, read as `cases.py` reads them.
type Groups<K, T> = Vec<(K, Vec<T>, Option<Vec<T>>)>;

fn read_groups<K, T, G: Iterator<Item = T>>(
    mut outer: impl Iterator<Item = (K, G)>,
    read: &Option<Vec<Option<usize>>>,
    stop_after: Option<usize>,
) -> Groups<K, T> {
    let mut groups = Vec::new();
    let mut pending: Option<(K, Vec<T>, G)> = None;
    let mut index = 0;
    while stop_after.is_none_or(|stop| index < stop) {
        let Some((key, mut group)) = outer.next() else {
            break;
        };
        if let Some((key, now, old)) = pending.take() {
            groups.push((key, now, Some(old.collect())));
        }
        let now = match read.as_ref().and_then(|read| read[index]) {
            Some(limit) => group.by_ref().take(limit).collect(),
            None => group.by_ref().collect(),
        };
        pending = Some((key, now, group));
        index += 1;
    }
    if let Some((key, now, old)) = pending {
        // Without stop_after the outer iterator was exhausted: it moved past the last group.
        let after = stop_after.is_none().then(|| old.collect());
        groups.push((key, now, after));
    }
    groups
}

fn replay_groupby(case: &Case) -> Outcome {
    let key: Option<(String, Value)> = case.args["key"].as_array().map(|spec| {
        (
            spec[0].as_str().expect("key name").to_string(),
            spec[1].clone(),
        )
    });
    match (case.ty, key) {
        ("int", None) => replay_groupby_identity::<i64>(case),
        ("float", None) => replay_groupby_identity::<f64>(case),
        ("str", None) => replay_groupby_identity::<char>(case),
        ("int", Some((name, k))) => {
            let k = i64::from_json(&k);
            match name.as_str() {
                "floordiv" => replay_groupby_key(case, move |x: &i64| x.div_euclid(k)),
                "mod" => replay_groupby_key(case, move |x: &i64| x.rem_euclid(k)),
                other => Err(format!("no int key {other}")),
            }
        }
        ("str", Some((name, _))) => match name.as_str() {
            "lower" => replay_groupby_key(case, |c: &char| c.to_ascii_lowercase()),
            "isupper" => replay_groupby_key(case, |c: &char| c.is_uppercase()),
            other => Err(format!("no str key {other}")),
        },
        (ty, key) => Err(format!("no groupby replay for {ty} with key {key:?}")),
    }
}

/// `GroupBy::clone` and `Group::clone` against CPython's groups, where every group was read in
/// full (`read` and `stop_after` absent): a clone of the outer iterator, made after any number
/// of groups, gives the groups CPython gave from there on, and so does the original; a clone of
/// a group, made after 0 or 1 of its items were read, gives the rest of CPython's group even
/// after the outer iterator moved on (when the original group, as CPython's, is empty).
fn check_groupby_clones<K, T, I, F>(
    make: impl Fn() -> cogen::iter::GroupBy<I, F>,
    expected: &Groups<K, T>,
) -> Outcome
where
    K: Clone + PartialEq + Debug,
    T: Clone + PartialEq + Debug,
    I: Iterator<Item = T> + Clone,
    F: cogen::iter::KeyFn<T, Key = K> + Clone,
{
    let full: Vec<(K, Vec<T>)> = expected
        .iter()
        .map(|(key, now, _)| (key.clone(), now.clone()))
        .collect();
    let read_all = |outer: cogen::iter::GroupBy<I, F>| -> Vec<(K, Vec<T>)> {
        outer.map(|(key, group)| (key, group.collect())).collect()
    };
    for skipped in 0..=full.len() {
        let mut outer = make();
        for _ in 0..skipped {
            let (_, group) = outer.next().ok_or("fewer groups than CPython's")?;
            group.for_each(drop);
        }
        let copy = outer.clone();
        same(
            &format!("GroupBy::clone after {skipped} groups"),
            &full[skipped..].to_vec(),
            &read_all(copy),
        )?;
        same(
            &format!("the original GroupBy after its clone, {skipped} groups in"),
            &full[skipped..].to_vec(),
            &read_all(outer),
        )?;
    }
    for (index, (_, run)) in full.iter().enumerate() {
        for first in 0..=run.len().min(1) {
            let mut outer = make();
            for _ in 0..index {
                let (_, group) = outer.next().ok_or("fewer groups than CPython's")?;
                group.for_each(drop);
            }
            let (_, mut group) = outer.next().ok_or("fewer groups than CPython's")?;
            let read: Vec<T> = group.by_ref().take(first).collect();
            let copy = group.clone();
            outer.next();
            let form = format!("Group::clone of group {index} after {first} items");
            same(&form, &run[..first].to_vec(), &read)?;
            same(&form, &run[first..].to_vec(), &copy.collect())?;
            same(
                &format!("{form}: the original, once the outer moved on"),
                &Vec::new(),
                &group.collect::<Vec<T>>(),
            )?;
        }
    }
    Ok(())
}

fn replay_groupby_identity<T: Item>(case: &Case) -> Outcome {
    let input: Vec<T> = case.input();
    let read: Option<Vec<Option<usize>>> = case.arg("read");
    let stop_after: Option<usize> = case.arg("stop_after");
    let expected = case.expected::<Groups<T, T>, T>();
    if read.is_none() && stop_after.is_none() {
        check_groupby_clones(|| groupby(input.clone()), &expected.0)?;
    }

    let mut source = input.clone().into_iter();
    let groups = read_groups(groupby(source.by_ref()), &read, stop_after);
    same("groupby", &expected, &case.outcome(groups, source))?;

    let mut source = input.clone().into_iter();
    let groups = read_groups(source.by_ref().groupby(), &read, stop_after);
    same(".groupby()", &expected, &case.outcome(groups, source))?;

    // With a key that is the item itself.
    let mut source = input.into_iter();
    let groups = read_groups(
        groupby_key(source.by_ref(), |x: &T| x.clone()),
        &read,
        stop_after,
    );
    same(
        "groupby_key(identity)",
        &expected,
        &case.outcome(groups, source),
    )
}

fn replay_groupby_key<T: Item, K: FromJson + Clone + PartialEq + Debug>(
    case: &Case,
    key: impl Fn(&T) -> K + Clone,
) -> Outcome {
    let input: Vec<T> = case.input();
    let read: Option<Vec<Option<usize>>> = case.arg("read");
    let stop_after: Option<usize> = case.arg("stop_after");
    let expected = case.expected::<Groups<K, T>, T>();
    if read.is_none() && stop_after.is_none() {
        check_groupby_clones(|| groupby_key(input.clone(), key.clone()), &expected.0)?;
    }

    let mut source = input.clone().into_iter();
    let groups = read_groups(groupby_key(source.by_ref(), key.clone()), &read, stop_after);
    same("groupby_key", &expected, &case.outcome(groups, source))?;

    let mut source = input.into_iter();
    let groups = read_groups(source.by_ref().groupby_key(key), &read, stop_after);
    same(".groupby_key", &expected, &case.outcome(groups, source))
}

/// Runs `$check!(label, args)` for every form of `islice`'s arguments ([`cogen::iter::SliceArgs`])
/// that means Python's `islice(it, start, stop, step)`: Python's own order as a tuple, the
/// stop alone, the ranges, and a range with a step.
macro_rules! every_islice_form {
    ($check:ident, $start:expr, $stop:expr, $step:expr) => {{
        let (start, stop, step): (usize, Option<usize>, usize) = ($start, $stop, $step);
        $check!("(start, stop, step)", (start, stop, step));
        match stop {
            Some(stop) => {
                $check!("(start..stop, step)", (start..stop, step));
                if start == 0 {
                    $check!("(..stop, step)", (..stop, step));
                }
                if stop > 0 {
                    $check!("(start..=stop - 1, step)", (start..=stop - 1, step));
                    if start == 0 {
                        $check!("(..=stop - 1, step)", (..=stop - 1, step));
                    }
                }
            }
            None => {
                $check!("(start.., step)", (start.., step));
                $check!("(start..=usize::MAX, step)", (start..=usize::MAX, step));
                if start == 0 {
                    $check!("(.., step)", (.., step));
                }
            }
        }
        if step == 1 {
            $check!("(start, stop)", (start, stop));
            match stop {
                Some(stop) => {
                    $check!("start..stop", start..stop);
                    if stop > 0 {
                        $check!("start..=stop - 1", start..=stop - 1);
                    }
                    if start == 0 {
                        $check!("stop", stop);
                        $check!("Some(stop)", Some(stop));
                        $check!("..stop", ..stop);
                        if stop > 0 {
                            $check!("..=stop - 1", ..=stop - 1);
                        }
                    }
                }
                None => {
                    $check!("start..", start..);
                    if start == 0 {
                        $check!("None", None::<usize>);
                        $check!("..", ..);
                        $check!("..=usize::MAX", ..=usize::MAX);
                    }
                }
            }
        }
    }};
}

/// Python's call, when the case recorded it (`[5]`, `[2, null]`, `[null, null, 3]`): runs
/// `$check!(label, args)` with the cogen arguments that spell that call, as [`SliceArgs`]'
/// table gives them (`5`, `(2, None)`, `(.., 3)`).
macro_rules! python_call_form {
    ($check:ident, $case:expr) => {
        if let Some(call) = $case.args.get("call") {
            let call: Vec<Option<usize>> = Vec::from_json(call);
            match *call.as_slice() {
                [Some(stop)] => $check!("the call's stop", stop),
                [None] => $check!("the call's None", None::<usize>),
                [Some(start), stop] | [Some(start), stop, None] => {
                    $check!("the call's (start, stop)", (start, stop))
                }
                [None, Some(stop)] | [None, Some(stop), None] => {
                    $check!("the call's ..stop", ..stop)
                }
                [None, None] | [None, None, None] => $check!("the call's ..", ..),
                [Some(start), stop, Some(step)] => {
                    $check!("the call's (start, stop, step)", (start, stop, step))
                }
                [None, Some(stop), Some(step)] => {
                    $check!("the call's (..stop, step)", (..stop, step))
                }
                [None, None, Some(step)] => $check!("the call's (.., step)", (.., step)),
                ref other => return Err(format!("islice call {other:?}")),
            }
        }
    };
}

fn replay_islice<T: Item>(case: &Case) -> Outcome {
    let start: usize = case.arg("start");
    let stop: Option<usize> = case.arg("stop");
    let step: usize = case.arg("step");
    if step == 0 {
        let python = case.raises().ok_or("step 0 without raises")?;
        let message = panic_message(|| {
            let _ = islice(0..10, (start, stop, 0)).next();
        })?;
        same("islice step 0 panic", &python.to_string(), &message)?;
        let message = panic_message(|| {
            let _ = (0..10).islice((start, stop, 0)).next();
        })?;
        return same(".islice step 0 panic", &python.to_string(), &message);
    }
    let take = case.consume().unwrap_or(usize::MAX);
    let expected = case.expected::<Vec<T>, T>();
    let input: Vec<T> = case.input();
    macro_rules! check {
        ($label:expr, $args:expr) => {{
            same(
                &format!("{}.slice_args()", $label),
                &(start, stop, step),
                &SliceArgs::slice_args($args),
            )?;
            let mut source = input.clone().into_iter();
            let values: Vec<T> = islice(source.by_ref(), $args).take(take).collect();
            same(
                &format!("islice(it, {})", $label),
                &expected,
                &case.outcome(values, source),
            )?;
            let mut source = input.clone().into_iter();
            let values: Vec<T> = source.by_ref().islice($args).take(take).collect();
            same(
                &format!(".islice({})", $label),
                &expected,
                &case.outcome(values, source),
            )?;
        }};
    }
    every_islice_form!(check, start, stop, step);
    python_call_form!(check, case);
    Ok(())
}

/// islice over `count(start, step)`; the rest is the count's next 3 values.
fn replay_islice_count<T: Item + Copy + cogen::iter::CountStep>(case: &Case) -> Outcome {
    let start: usize = case.arg("start");
    let stop: Option<usize> = case.arg("stop");
    let step: usize = case.arg("step");
    let take = case.consume().unwrap_or(usize::MAX);
    let expected = case.expected::<Vec<T>, T>();
    let counter = &case.input["count"];
    let (from, by) = (T::from_json(&counter[0]), T::from_json(&counter[1]));
    macro_rules! check {
        ($label:expr, $args:expr) => {{
            same(
                &format!("{}.slice_args()", $label),
                &(start, stop, step),
                &SliceArgs::slice_args($args),
            )?;
            let mut source = count(from, by);
            let values: Vec<T> = islice(source.by_ref(), $args).take(take).collect();
            let rest: Vec<T> = source.by_ref().take(3).collect();
            same(
                &format!("islice(count, {})", $label),
                &expected,
                &case.outcome(values, rest),
            )?;
            let mut source = count(from, by);
            let values: Vec<T> = source.by_ref().islice($args).take(take).collect();
            let rest: Vec<T> = source.by_ref().take(3).collect();
            same(
                &format!("count.islice({})", $label),
                &expected,
                &case.outcome(values, rest),
            )?;
        }};
    }
    every_islice_form!(check, start, stop, step);
    python_call_form!(check, case);
    Ok(())
}

fn replay_pairwise<T: Item>(case: &Case) -> Outcome {
    let input: Vec<T> = case.input();
    let take = case.consume().unwrap_or(usize::MAX);
    let expected = case.expected::<Vec<(T, T)>, T>();
    let mut source = input.clone().into_iter();
    let values: Vec<(T, T)> = pairwise(source.by_ref()).take(take).collect();
    same("pairwise", &expected, &case.outcome(values, source))?;
    let mut source = input.into_iter();
    let values: Vec<(T, T)> = source.by_ref().pairwise().take(take).collect();
    same(".pairwise()", &expected, &case.outcome(values, source))
}

fn replay_starmap(case: &Case) -> Outcome {
    let func = case.arg::<String>("func");
    macro_rules! replace_ty {
        ($_arg:ident, $t:ty) => {
            $t
        };
    }
    macro_rules! replace_expr {
        ($_arg:ident, $e:expr) => {
            $e
        };
    }
    macro_rules! run {
        ($t:ty, |$($arg:ident),+| $body:expr) => {{
            let tuples: Vec<($(replace_ty!($arg, $t),)+)> = case
                .input::<Vec<$t>>()
                .into_iter()
                .map(|args| {
                    let mut args = args.into_iter();
                    let tuple = ($(replace_expr!($arg, args.next().expect("an argument")),)+);
                    assert!(args.next().is_none(), "more arguments than the function takes");
                    tuple
                })
                .collect();
            let expected: Vec<$t> = case.expect();
            let values: Vec<$t> = starmap(tuples.clone(), |$($arg: $t),+| $body).collect();
            same("starmap", &expected, &values)?;
            let values: Vec<$t> = tuples.into_iter().starmap(|$($arg: $t),+| $body).collect();
            same(".starmap", &expected, &values)
        }};
    }
    match func.as_str() {
        "neg" => run!(i64, |a| -a),
        "pow" => run!(i64, |a, b| a
            .pow(u32::try_from(b).expect("a small exponent"))),
        "sub" => run!(i64, |a, b| a - b),
        "max" => run!(char, |a, b| py_max(&a, b)),
        "add3" => run!(i64, |a, b, c| a + b + c),
        "muladd" => run!(f64, |a, b, c| a * b + c),
        "sub4" => run!(i64, |a, b, c, d| a - b - c - d),
        "sum12" => run!(i64, |a, b, c, d, e, f, g, h, i, j, k, l| a
            + b
            + c
            + d
            + e
            + f
            + g
            + h
            + i
            + j
            + k
            + l),
        other => Err(format!("no starmap function {other}")),
    }
}

fn replay_tee<T: Item>(case: &Case) -> Outcome {
    let input: Vec<T> = case.input();
    let n: usize = case.arg("n");
    let ops: Vec<(String, usize)> = case.arg("ops");
    let expected = case.expected::<Vec<Option<T>>, T>();

    let mut source = input.clone().into_iter();
    let values = run_tee_ops(tee(source.by_ref(), n), &ops);
    same("tee", &expected, &case.outcome(values, source))?;

    let mut source = input.clone().into_iter();
    let values = run_tee_ops(source.by_ref().tee(n), &ops);
    same(".tee", &expected, &case.outcome(values, source))?;

    let mut source = input.into_iter();
    macro_rules! array {
        ($n:literal) => {{
            let branches: [Tee<_>; $n] = tee_array(source.by_ref());
            Vec::from(branches)
        }};
    }
    let branches = match n {
        1 => array!(1),
        2 => array!(2),
        3 => array!(3),
        4 => array!(4),
        _ => return Ok(()),
    };
    let values = run_tee_ops(branches, &ops);
    same("tee_array", &expected, &case.outcome(values, source))
}

/// `["next", i]`: next on branch i; `["copy", i]`: a clone of branch i becomes a new branch.
fn run_tee_ops<I>(mut branches: Vec<Tee<I>>, ops: &[(String, usize)]) -> Vec<Option<I::Item>>
where
    I: Iterator,
    Tee<I>: Iterator<Item = I::Item> + Clone,
{
    ops.iter()
        .map(|(op, index)| match op.as_str() {
            "next" => branches[*index].next(),
            "copy" => {
                let copy = branches[*index].clone();
                branches.push(copy);
                None
            }
            other => panic!("unknown tee op {other}"),
        })
        .collect()
}

fn replay_zip_longest<T: Item>(case: &Case) -> Outcome {
    let inputs: Vec<Vec<T>> = case.input();
    match case.arg::<Option<T>>("fill") {
        Some(fill) => zip_longest_filled(case, inputs, fill),
        // fill None: the items as Some, the fill None.
        None => {
            let inputs: Vec<Vec<Option<T>>> = inputs
                .into_iter()
                .map(|input| input.into_iter().map(Some).collect())
                .collect();
            zip_longest_filled(case, inputs, None)?;
            // Python's zip_longest(*its): no fill named.
            let plain: Vec<Vec<T>> = case.input();
            let expected: Vec<Vec<Option<T>>> = case.expect();
            let values: Vec<Vec<Option<T>>> = zip_longest_none(plain.clone()).collect();
            same("zip_longest_none", &expected, &values)?;
            macro_rules! array_none {
                ($n:literal) => {{
                    let inputs: [Vec<T>; $n] = plain.clone().try_into().expect("the length");
                    let values: Vec<Vec<Option<T>>> =
                        zip_longest_array_none(inputs).map(Vec::from).collect();
                    same(
                        concat!("zip_longest_array_none::<", $n, ">"),
                        &expected,
                        &values,
                    )?;
                }};
            }
            match plain.len() {
                0 => array_none!(0),
                1 => array_none!(1),
                2 => array_none!(2),
                3 => array_none!(3),
                4 => array_none!(4),
                n => return Err(format!("no zip_longest_array_none replay for {n} inputs")),
            }
            if let [a, b] = case.input::<Vec<T>>().as_slice() {
                let expected: Vec<(Option<T>, Option<T>)> = case.expect();
                let values: Vec<_> = zip_longest_pair(a.clone(), b.clone()).collect();
                same("zip_longest_pair", &expected, &values)?;
                let values: Vec<_> = a.clone().into_iter().zip_longest(b.clone()).collect();
                same(".zip_longest", &expected, &values)?;
            }
            Ok(())
        }
    }
}

fn zip_longest_filled<T>(case: &Case, inputs: Vec<Vec<T>>, fill: T) -> Outcome
where
    T: FromJson + Clone + PartialEq + Debug,
{
    let expected: Vec<Vec<T>> = case.expect();
    let values: Vec<Vec<T>> = zip_longest(inputs.clone(), fill.clone()).collect();
    same("zip_longest", &expected, &values)?;
    macro_rules! array {
        ($n:literal) => {{
            let inputs: [Vec<T>; $n] = inputs.clone().try_into().expect("the length");
            let values: Vec<Vec<T>> = zip_longest_array(inputs, fill.clone())
                .map(Vec::from)
                .collect();
            same(concat!("zip_longest_array::<", $n, ">"), &expected, &values)?;
        }};
    }
    match inputs.len() {
        1 => array!(1),
        2 => {
            array!(2);
            let [a, b]: [Vec<T>; 2] = inputs.clone().try_into().expect("two");
            let filled = |x: Option<T>| x.unwrap_or_else(|| fill.clone());
            let values: Vec<Vec<T>> = zip_longest_pair(a.clone(), b.clone())
                .map(|(x, y)| vec![filled(x), filled(y)])
                .collect();
            same("zip_longest_pair", &expected, &values)?;
            let values: Vec<Vec<T>> = a
                .into_iter()
                .zip_longest(b)
                .map(|(x, y)| vec![filled(x), filled(y)])
                .collect();
            same(".zip_longest", &expected, &values)?;
        }
        3 => array!(3),
        4 => array!(4),
        _ => {}
    }
    Ok(())
}

/// Everything a combinatoric iterator yields, read with `next_ref`.
macro_rules! all_by_next_ref {
    ($iterator:expr) => {{
        let mut iterator = $iterator;
        let mut values = Vec::new();
        while let Some(items) = iterator.next_ref() {
            values.push(items.to_vec());
        }
        values
    }};
}

fn replay_product<T: Item>(case: &Case) -> Outcome {
    let inputs: Vec<Vec<T>> = case.input();
    let repeat: usize = case.arg("repeat");
    let expected = case.expected::<Vec<Vec<T>>, T>();
    if let Some(take) = case.consume() {
        let [input]: [Vec<T>; 1] = inputs.try_into().expect("one input");
        let mut source = input.clone().into_iter();
        let values: Vec<Vec<T>> = product_repeat(source.by_ref(), repeat).take(take).collect();
        same("product_repeat", &expected, &case.outcome(values, source))?;
        let mut source = input.clone().into_iter();
        let values: Vec<Vec<T>> = source.by_ref().product_repeat(repeat).take(take).collect();
        same(".product_repeat", &expected, &case.outcome(values, source))?;
        let mut source = input.into_iter();
        let values: Vec<Vec<T>> = product_repeat_all([source.by_ref()], repeat)
            .take(take)
            .collect();
        return same(
            "product_repeat_all",
            &expected,
            &case.outcome(values, source),
        );
    }
    let expected = expected.0;
    // Python's product(*its, repeat=r) as one call.
    same(
        "product_repeat_all",
        &expected,
        &product_repeat_all(inputs.clone(), repeat).collect::<Vec<Vec<T>>>(),
    )?;
    same(
        "product_repeat_all, next_ref",
        &expected,
        &all_by_next_ref!(product_repeat_all(inputs.clone(), repeat)),
    )?;
    same(
        "product_repeat_all, size_hint",
        &(expected.len(), Some(expected.len())),
        &product_repeat_all(inputs.clone(), repeat).size_hint(),
    )?;
    // Python's product(*its, repeat=r) is the product of its, r times over.
    let pools: Vec<Vec<T>> = (0..repeat).flat_map(|_| inputs.clone()).collect();
    same(
        "product",
        &expected,
        &product(pools.clone()).collect::<Vec<Vec<T>>>(),
    )?;
    same(
        "product, next_ref",
        &expected,
        &all_by_next_ref!(product(pools.clone())),
    )?;
    macro_rules! product_array {
        ($n:literal) => {{
            let pools: [Vec<T>; $n] = pools.clone().try_into().expect("the length");
            let values: Vec<Vec<T>> = product_array(pools).map(Vec::from).collect();
            same(concat!("product_array::<", $n, ">"), &expected, &values)?;
        }};
    }
    match pools.len() {
        1 => product_array!(1),
        2 => product_array!(2),
        3 => product_array!(3),
        4 => product_array!(4),
        _ => {}
    }
    if let [input] = inputs.as_slice() {
        same(
            "product_repeat",
            &expected,
            &product_repeat(input.clone(), repeat).collect::<Vec<Vec<T>>>(),
        )?;
        same(
            ".product_repeat",
            &expected,
            &input
                .clone()
                .into_iter()
                .product_repeat(repeat)
                .collect::<Vec<Vec<T>>>(),
        )?;
        same(
            "product_repeat, next_ref",
            &expected,
            &all_by_next_ref!(product_repeat(input.clone(), repeat)),
        )?;
        macro_rules! repeat_array {
            ($n:literal) => {{
                let values: Vec<Vec<T>> = product_repeat_array(input.clone())
                    .map(|items: [T; $n]| Vec::from(items))
                    .collect();
                same(
                    concat!("product_repeat_array::<", $n, ">"),
                    &expected,
                    &values,
                )?;
            }};
        }
        match repeat {
            0 => repeat_array!(0),
            1 => repeat_array!(1),
            2 => repeat_array!(2),
            3 => repeat_array!(3),
            4 => repeat_array!(4),
            _ => {}
        }
    }
    Ok(())
}

fn replay_combinatoric<T: Item>(case: &Case) -> Outcome {
    let input: Vec<T> = case.input();
    let r: Option<usize> = case.arg("r");
    let expected = case.expected::<Vec<Vec<T>>, T>();
    let func = case.func;
    let take = case.consume().unwrap_or(usize::MAX);

    // Free function and method, over the source by reference (to see what is left of it).
    let mut source = input.clone().into_iter();
    let values: Vec<Vec<T>> = match func {
        "permutations" => permutations(source.by_ref(), r).take(take).collect(),
        "combinations" => combinations(source.by_ref(), r.expect("r"))
            .take(take)
            .collect(),
        _ => combinations_with_replacement(source.by_ref(), r.expect("r"))
            .take(take)
            .collect(),
    };
    same(func, &expected, &case.outcome(values, source))?;
    let mut source = input.clone().into_iter();
    let values: Vec<Vec<T>> = match func {
        "permutations" => source.by_ref().permutations(r).take(take).collect(),
        "combinations" => source
            .by_ref()
            .combinations(r.expect("r"))
            .take(take)
            .collect(),
        _ => source
            .by_ref()
            .combinations_with_replacement(r.expect("r"))
            .take(take)
            .collect(),
    };
    same(
        &format!(".{func}"),
        &expected,
        &case.outcome(values, source),
    )?;
    if take != usize::MAX {
        return Ok(());
    }
    let expected = expected.0;

    // next_ref
    let values = match func {
        "permutations" => all_by_next_ref!(permutations(input.clone(), r)),
        "combinations" => all_by_next_ref!(combinations(input.clone(), r.expect("r"))),
        _ => all_by_next_ref!(combinations_with_replacement(input.clone(), r.expect("r"))),
    };
    same(&format!("{func}, next_ref"), &expected, &values)?;

    // The _array forms, for r (or the input's length, for permutations with r None) up to 4.
    macro_rules! arrays {
        ($r:literal) => {{
            let values: Vec<Vec<T>> = match func {
                "permutations" => permutations_array(input.clone())
                    .map(|items: [T; $r]| Vec::from(items))
                    .collect(),
                "combinations" => combinations_array(input.clone())
                    .map(|items: [T; $r]| Vec::from(items))
                    .collect(),
                _ => combinations_with_replacement_array(input.clone())
                    .map(|items: [T; $r]| Vec::from(items))
                    .collect(),
            };
            same(&format!("{func}_array::<{}>", $r), &expected, &values)?;
        }};
    }
    match r.unwrap_or(input.len()) {
        0 => arrays!(0),
        1 => arrays!(1),
        2 => arrays!(2),
        3 => arrays!(3),
        4 => arrays!(4),
        _ => {}
    }
    Ok(())
}

// ------------------------------------------------------------------------------- the test

/// The cases, found beside this file (so that another package of the workspace can run it).
const CASES: &str = include_str!("fixtures/itertools/cases.json");

#[test]
fn every_case_yields_what_cpython_yielded() {
    let fixture: Value = serde_json::from_str(CASES).expect("parse cases.json");
    let cases = fixture["cases"].as_array().expect("cases");
    let declared = fixture["count"].as_u64().expect("count") as usize;
    assert_eq!(cases.len(), declared, "cases.json holds a different count");
    assert!(cases.len() >= 150, "only {} cases", cases.len());

    let mut replayed = 0;
    let mut failures = Vec::new();
    for raw in cases {
        let case = Case::new(raw);
        let outcome = catch_unwind(AssertUnwindSafe(|| replay(&case))).unwrap_or_else(|payload| {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("panicked: {message}"))
        });
        replayed += 1;
        if let Err(failure) = outcome {
            failures.push(format!("  {} ({}): {failure}", case.id, case.raw["input"]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from CPython:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert_eq!(replayed, declared, "every case is replayed");
}

#[test]
fn every_function_of_the_spec_has_cases() {
    let fixture: Value = serde_json::from_str(CASES).expect("parse cases.json");
    let cases = fixture["cases"].as_array().expect("cases");
    for func in [
        "count",
        "cycle",
        "repeat",
        "repr",
        "accumulate",
        "batched",
        "chain",
        "compress",
        "dropwhile",
        "takewhile",
        "filterfalse",
        "groupby",
        "islice",
        "pairwise",
        "starmap",
        "tee",
        "zip_longest",
        "product",
        "permutations",
        "combinations",
        "combinations_with_replacement",
    ] {
        let n = cases.iter().filter(|case| case["fn"] == func).count();
        assert!(n >= 4, "only {n} cases for {func}");
    }
}
