//! The Python concurrency tutorial, cells In [14]-[22]: the itertools tour. `count(1, 2.5)`, `takewhile` over it,
//! `filterfalse`, `accumulate`, two `chain`s, `product`, `product(repeat=2)` and `groupby`,
//! printed as the seed's Python prints them (`cogen::repr` writes Python's reprs).
//!
//! Expected output: `tests/fixtures/seed004/itertools_tour.out` (printed by CPython).

use cogen::iter::{
    accumulate, chain, count, filterfalse, groupby, product, product_repeat_array, takewhile,
};
use cogen::repr::{PyRepr, PyTuple, Repr};

/// A number as `itertools.count(1, 2.5)` yields it: Python's count yields its start unchanged,
/// the int `1`, and then floats (`1 + 2.5` is the float `3.5`).
#[derive(Clone, Copy)]
enum Number {
    Int(i32),
    Float(f64),
}

impl Number {
    fn value(self) -> f64 {
        match self {
            Number::Int(n) => f64::from(n),
            Number::Float(x) => x,
        }
    }
}

impl PyRepr for Number {
    fn fmt_py(&self, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        match self {
            Number::Int(n) => n.fmt_py(out),
            Number::Float(x) => x.fmt_py(out),
        }
    }
}

/// Python's `itertools.count(start, step)` with an int start and a float step: cogen's `count`
/// over `f64` (the same additions, so the same floats), with the start itself first.
fn count_from_int(start: i32, step: f64) -> impl Iterator<Item = Number> {
    let mut floats = count(f64::from(start), step);
    floats.next(); // Python yields the int start instead
    std::iter::once(Number::Int(start)).chain(floats.map(Number::Float))
}

/// A value in a Python list of mixed types.
fn object<T: PyRepr + 'static>(value: T) -> Box<dyn PyRepr> {
    Box::new(value)
}

fn main() {
    // gen1 = itertools.count(1, 2.5); print(next(gen1)) four times
    let mut gen1 = count_from_int(1, 2.5);
    for _ in 0..4 {
        println!("{}", Repr(&gen1.next().expect("count never ends")));
    }

    // gen2 = itertools.takewhile(lambda n: n < 1000, itertools.count(1, 2.5))
    let gen2 = takewhile(count_from_int(1, 2.5), |n| n.value() < 1000.0);
    for v in gen2 {
        println!("{}", Repr(&v));
    }

    // gen3 = itertools.filterfalse(lambda n: n < 3, [1, 2, 3, 4, 5])
    let gen3 = filterfalse([1, 2, 3, 4, 5], |n| *n < 3);
    for v in gen3 {
        println!("{v}");
    }

    // gen4 = itertools.accumulate([x for x in range(1, 101)])
    let gen4 = accumulate((1..101).collect::<Vec<i32>>());
    for v in gen4 {
        println!("{v}");
    }

    // gen5 = itertools.chain('ABCDE', range(1, 11, 2)): a str and ints, so the items are
    // Python objects of two types.
    let gen5 = cogen::chain!["ABCDE".chars().map(object), (1..11).step_by(2).map(object)];
    println!("{}", Repr(&gen5.collect::<Vec<_>>()));

    // gen6 = itertools.chain(enumerate('ABCDE')): a chain of one iterable
    let gen6 = chain(["ABCDE".chars().enumerate()]);
    println!("{}", Repr(&gen6.collect::<Vec<(usize, char)>>()));

    // gen7 = itertools.product('ABCDE'): 1-tuples
    let gen7: Vec<Vec<char>> = product(["ABCDE".chars()]).collect();
    let tuples: Vec<PyTuple<char>> = gen7.iter().map(|item| PyTuple(item)).collect();
    println!("{}", Repr(&tuples));

    // gen8 = itertools.product('ABCDE', repeat=2): pairs, as arrays (no Vec per pair)
    let gen8 = product_repeat_array("ABCDE".chars()).map(|[a, b]: [char; 2]| (a, b));
    println!("{}", Repr(&gen8.collect::<Vec<_>>()));

    // gen9 = itertools.groupby('AAABBCCCCDDEEE')
    // for chr, group in gen9: print(chr, ' : ', list(group))
    let gen9 = groupby("AAABBCCCCDDEEE".chars());
    for (chr, group) in gen9 {
        // print(a, b, c) puts a space between its arguments: "A" " " " : " " " "[...]"
        println!("{chr}  :  {}", Repr(&group.collect::<Vec<_>>()));
    }
}
