//! The Python concurrency tutorial, cells In [10]-[13]: `generator_ex1` stepped with `next` and in a `for` loop, then a
//! list comprehension (`temp2`, eager) against a generator expression (`temp3`, lazy: its
//! `Start`/`continue`/`End` interleave with the values).
//!
//! Expected output: `tests/fixtures/seed004/generators.out` (printed by CPython).

use std::future::Future;

use cogen::{Gen, Step};

/// Python: `def generator_ex1(): print('Start'); yield 'A Point. '; ...`
fn generator_ex1() -> Gen<&'static str, (), impl Future<Output = ()>> {
    Gen::new(|co| async move {
        println!("Start");
        co.yield_("A Point. ").await;
        println!("continue");
        co.yield_("B Point. ").await;
        println!("End");
    })
}

/// Python's `repr` of a list of plain strings.
fn py_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| format!("'{item}'")).collect();
    format!("[{}]", items.join(", "))
}

fn main() {
    let mut temp = generator_ex1();
    println!("{}", temp.next().expect("A Point"));
    println!("{}", "-".repeat(30));
    println!("{}", temp.next().expect("B Point"));
    // Python: print(next(temp)) # StopIteration
    match temp.resume() {
        Step::Yielded(value) => println!("{value}"),
        Step::Returned(()) | Step::Closed => println!("StopIteration: "),
    }

    for v in generator_ex1() {
        println!("{v}");
    }

    // Python: temp2 = [x * 3 for x in generator_ex1()]  -- runs the whole generator now
    let temp2: Vec<String> = generator_ex1().map(|x| x.repeat(3)).collect();
    // Python: temp3 = (x * 3 for x in generator_ex1())  -- runs nothing yet
    let temp3 = Gen::new(|co| async move {
        for x in generator_ex1() {
            co.yield_(x.repeat(3)).await;
        }
    });

    println!("{}", py_list(&temp2));
    println!("{}", "-".repeat(50));
    println!("{temp3:?}");

    for i in &temp2 {
        println!("{i}");
    }
    println!("{}", "-".repeat(50));
    for i in temp3 {
        println!("{i}");
    }
}
