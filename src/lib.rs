//! # cogen
//!
//! Python's generator and coroutine toolkit for Rust: resumable generators with `send`,
//! `throw`, `close`, return values and `yield from`, with Python's semantics, on stable Rust,
//! with no allocation per yield and no `unsafe` for its users. Around them, the rest of the
//! toolkit: [`iter`] (Python's `itertools`, with CPython's results), [`pool`]
//! (`concurrent.futures`: thread and process pools whose futures you can query, cancel and
//! await) and
//! [`rt`] (`asyncio`: an event loop of cancellable tasks, timers, `gather` and
//! `run_in_executor`).
//!
//! ```
//! use cogen::{Gen, GenState, Step};
//!
//! // Python:  def coroutine2(x):
//! //              y = yield x
//! //              z = yield x + y
//! let mut cr3 = Gen::new(|co| async move {
//!     let x = 100;
//!     let y: i32 = co.yield_(x).await;
//!     let _z: i32 = co.yield_(x + y).await;
//! });
//! assert_eq!(cr3.start(), Step::Yielded(100));
//! assert_eq!(cr3.state(), GenState::Suspended);
//! assert_eq!(cr3.send(200), Ok(Step::Yielded(300)));
//! ```
//!
//! ## From Python to cogen
//!
//! | Python | cogen |
//! |---|---|
//! | `def g(): ... yield x` | [`Gen::new`]`(\|co\| async move { ... co.yield_(x).await })` |
//! | `next(g)`, `for x in g` | [`Gen::resume`], `Iterator` |
//! | `g.send(v)`, first `next(g)` | [`Gen::send`], [`Gen::start`] |
//! | `g.throw(e)`, `except E` at a yield | [`Gen::throw`], [`Co::yield_catching`] |
//! | `g.close()` | [`Gen::close`] |
//! | `inspect.getgeneratorstate(g)` | [`Gen::state`], [`GenState`] |
//! | `StopIteration.value` | [`Step::Returned`], [`Gen::take_return_value`] |
//! | `yield from g`, `yield from 'AB'` | [`Co::yield_from`], [`Co::yield_from_iter`] |
//! | async generator, `asend`, `athrow` | `futures_core::Stream`, [`Gen::asend`], [`Gen::athrow`] |
//! | `concurrent.futures.ThreadPoolExecutor`, `Future` | [`pool::ThreadPoolExecutor`], [`pool::PoolFuture`] |
//! | `executor.submit`, `executor.map` | [`pool::ThreadPoolExecutor::submit`], [`pool::ThreadPoolExecutor::map`] |
//! | `concurrent.futures.ProcessPoolExecutor`, `BrokenProcessPool` | [`pool::ProcessPoolExecutor`], [`pool::FutureError::BrokenProcessPool`] (feature `process`, Unix) |
//! | a function a process pool runs, `if __name__ == '__main__'` | [`pool::Task`], [`task!`], [`pool::Registry`], [`pool::serve_if_worker`], [`worker_test!`] |
//! | `concurrent.futures.Executor` | [`pool::Executor`] |
//! | `concurrent.futures.wait`, `as_completed` | [`pool::wait`], [`pool::as_completed`] |
//! | `asyncio.run`, `create_task`, `Task.cancel` | [`rt::run`], [`rt::spawn`], [`rt::Task::cancel`] |
//! | `asyncio.sleep`, `wait_for`, `gather`, `wait`, `as_completed` | [`rt::sleep`], [`rt::timeout`], [`rt::gather`], [`rt::wait`], [`rt::as_completed`] |
//! | `loop.run_in_executor`, `asyncio.to_thread` | [`rt::run_in_executor`], [`rt::to_thread`] |
//! | `WordSplitter`, `WordSplitGenerator` (the Python concurrency tutorial) | [`WordSplitter`], [`WordSplitGenerator`] |
//! | `repr(x)`, `print(x)` of a list, tuple, float, `None` | [`repr::py_repr`], [`repr::Repr`], [`repr::PyTuple`] |
//! | `itertools.count`, `cycle`, `repeat` | [`iter::count`], [`iter::cycle`], [`iter::repeat`], [`iter::repeat_n`] |
//! | `accumulate`, `batched`, `pairwise`, `starmap` | [`iter::accumulate`], [`iter::batched`], [`iter::pairwise`], [`iter::starmap`] |
//! | `chain(a, b)`, `chain.from_iterable` | [`chain!`], [`iter::chain`], [`iter::chain_from_iterable`] |
//! | `compress`, `dropwhile`, `takewhile`, `filterfalse` | [`iter::compress`], [`iter::dropwhile`], [`iter::takewhile`], [`iter::filterfalse`] |
//! | `groupby`, `islice`, `tee`, `zip_longest` | [`iter::groupby`], [`iter::islice`], [`iter::tee`], [`iter::zip_longest`] |
//! | `product`, `permutations`, `combinations`, `combinations_with_replacement` | [`iter::product`], [`iter::permutations`], [`iter::combinations`], [`iter::combinations_with_replacement`] |
//! | any of those as a method: `it.batched(3)` | [`IterExt`] (the whole table: [`iter`]) |

//!
//! ## Features
//!
//! The generators, the itertools, `repr` and the word splitters need no feature: they are what
//! the crate builds by default, with futures-core and pin-project-lite as its only
//! dependencies. The rest is opt-in, as in tokio and futures-lite, so that a crate that wants
//! generators compiles no reactor, no serde and no process manager:
//!
//! | feature | what it adds | dependencies it brings |
//! |---|---|---|
//! | `pool` | [`pool`]: `ThreadPoolExecutor`, `PoolFuture`, `wait`, `as_completed` | none (std) |
//! | `process` | `pool` and `ProcessPoolExecutor`, `Task`, `Registry`, `Executor`, `serve_if_worker`, [`task!`], [`worker_test!`] (Unix) | serde, postcard, rustix |
//! | `rt` | `pool` and [`rt`]: the event loop, tasks, timers, `gather`, `run_in_executor` | async-io, async-task |
//! | `full` | all of the above | |
//!
//! ```toml
//! [dependencies]
//! cogen = "0.1"                                      # generators and itertools
//! cogen = { version = "0.1", features = ["full"] }   # and the pools and the event loop
//! ```

#![deny(missing_docs)]
#![deny(clippy::undocumented_unsafe_blocks)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(all(test, feature = "rt"))]
mod auto_traits;
pub mod generator;
pub mod iter;
#[cfg(feature = "pool")]
#[cfg_attr(docsrs, doc(cfg(feature = "pool")))]
pub mod pool;
pub mod repr;
#[cfg(feature = "rt")]
#[cfg_attr(docsrs, doc(cfg(feature = "rt")))]
pub mod rt;
pub mod text;

pub use generator::{Co, Frame, Gen, GenState, SendError, Step};
pub use iter::IterExt;
pub use text::{WordSplitGenerator, WordSplitter};

// The README's example is compiled and run with the doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
