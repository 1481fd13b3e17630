//! The Python concurrency tutorial, cells In [23]-[32]: `coroutine1` with `next` and `send`, sending into a
//! just-started coroutine, `coroutine2` with `getgeneratorstate`, and `generator1` against
//! `generator2` (`yield from`).
//!
//! Expected output: `tests/fixtures/seed004/coroutines.out` (printed by CPython).

use std::fmt;
use std::future::Future;

use cogen::{Gen, Step};

/// Python: `def coroutine1(): print(...); i = yield; print(...)`
fn coroutine1() -> Gen<(), i32, impl Future<Output = ()>> {
    Gen::new(|co| async move {
        println!(">>> coroutine started.");
        let i = co.yield_(()).await;
        println!(">>> coroutine received : {i}");
    })
}

/// Python: `def coroutine2(x): ... y = yield x ... z = yield x + y ...`
fn coroutine2(x: i32) -> Gen<i32, i32, impl Future<Output = ()>> {
    Gen::new(move |co| async move {
        println!(">>> coroutine started : x = {x}");
        let y = co.yield_(x).await;
        println!(">>> coroutine received : y = {y}");
        let z = co.yield_(x + y).await;
        println!(">>> coroutine received : z = {z}");
    })
}

/// What `generator1` yields: a one-character string or an int.
#[derive(Clone, Copy)]
enum Value {
    Str(char),
    Int(i32),
}

/// Python's `str(value)`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(c) => write!(f, "{c}"),
            Value::Int(n) => write!(f, "{n}"),
        }
    }
}

/// Python's `repr(value)`.
impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(c) => write!(f, "'{c}'"),
            Value::Int(n) => write!(f, "{n}"),
        }
    }
}

/// Python: `for x in 'AB': yield x` then `for y in range(1, 4): yield y`
fn generator1() -> Gen<Value, (), impl Future<Output = ()>> {
    Gen::new(|co| async move {
        for x in "AB".chars() {
            co.yield_(Value::Str(x)).await;
        }
        for y in 1..4 {
            co.yield_(Value::Int(y)).await;
        }
    })
}

/// Python: `yield from 'AB'` then `yield from range(1, 4)`
fn generator2() -> Gen<Value, (), impl Future<Output = ()>> {
    Gen::new(|co| async move {
        co.yield_from_iter("AB".chars().map(Value::Str)).await;
        co.yield_from_iter((1..4).map(Value::Int)).await;
    })
}

/// Python's `print(next(g))`, or the `StopIteration` it raises.
fn print_next(g: &mut impl Iterator<Item = Value>) {
    match g.next() {
        Some(value) => println!("{value}"),
        None => println!("StopIteration: "),
    }
}

/// Python's `print(list(values))`.
fn print_list(values: impl IntoIterator<Item = Value>) {
    let items: Vec<String> = values.into_iter().map(|v| format!("{v:?}")).collect();
    println!("[{}]", items.join(", "));
}

fn main() {
    let mut cr1 = coroutine1();
    println!("{cr1:?} <class 'generator'>");
    let _ = cr1.start(); // Python: next(cr1)
    // Python: cr1.send(100) # StopIteration
    match cr1.send(100) {
        Ok(Step::Yielded(())) => {}
        Ok(Step::Returned(()) | Step::Closed) => println!("StopIteration: "),
        Err(error) => println!("TypeError: {error}"),
    }

    // Python: cr2.send(100) without next(cr2) first
    let mut cr2 = coroutine1();
    if let Err(error) = cr2.send(100) {
        println!("TypeError: {error}");
    }

    let mut cr3 = coroutine2(100);
    if let Step::Yielded(x) = cr3.start() {
        println!("{x}");
    }
    println!("{}", cr3.state());
    if let Ok(Step::Yielded(x_plus_y)) = cr3.send(200) {
        println!("{x_plus_y}");
    }
    println!("{}", cr3.state());
    match cr3.send(300) {
        Ok(Step::Yielded(value)) => println!("{value}"),
        Ok(Step::Returned(()) | Step::Closed) => println!("StopIteration: "),
        Err(error) => println!("TypeError: {error}"),
    }

    let mut t1 = generator1();
    for _ in 0..6 {
        print_next(&mut t1);
    }
    print_list(generator1());

    let mut t3 = generator2();
    for _ in 0..6 {
        print_next(&mut t3);
    }
}
