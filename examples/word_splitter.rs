//! The Python concurrency tutorial, cells In [6]-[9]: the class-based iterator `WordSplitter` and the generator-based
//! `WordSplitGenerator`, each stepped with `next` past its end.
//!
//! Expected output: `tests/fixtures/seed004/word_splitter.out` (printed by CPython).

use cogen::{WordSplitGenerator, WordSplitter};

fn main() {
    // Python: wi = WordSplitter('Do today what you could do tomorrow')
    let mut wi = WordSplitter::new("Do today what you could do tomorrow");
    println!("{wi:?}");
    for _ in 0..7 {
        println!("{}", wi.next().expect("seven words"));
    }
    // Python: print(next(wi)) # error
    match wi.next() {
        Some(word) => println!("{word}"),
        None => println!("StopIteration: Stopped Iteration."),
    }

    // Python: wg = WordSplitGenerator(...); wt = iter(wg)
    let wg = WordSplitGenerator::new("Do today what you could do tomorrow");
    let mut wt = wg.iter();
    println!("{wt:?}");
    for _ in 0..7 {
        println!("{}", wt.next().expect("seven words"));
    }
    match wt.next() {
        Some(word) => println!("{word}"),
        None => println!("StopIteration: "),
    }
}
