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
//! | `except BaseException as e:` at a yield, bare `raise` | [`Co::yield_catching_any`] → [`Thrown`], [`Co::reraise`] |
//! | `g.close()`, `except GeneratorExit:` | [`Gen::close`] (or drop it), [`GeneratorExit`] |
//! | a function that returns a generator, a generator in a struct field | `-> impl Iterator<Item = T>`, `-> Gen<T, (), impl Future<Output = ()>>`, [`BoxGen`] |
//! | `inspect.getgeneratorstate(g)` | [`Gen::state`], [`GenState`] |
//! | `StopIteration.value` | [`Step::Returned`], [`Gen::take_return_value`] |
//! | `yield from g`, `yield from 'AB'` | [`Co::yield_from`], [`Co::yield_from_iter`] |
//! | async generator: `async for`, `asend`, `athrow`, `aclose` | [`Gen::into_stream`] (a `futures_core::Stream`), [`Gen::asend`], [`Gen::athrow`], [`Gen::aclose`] |
//! | `concurrent.futures.ThreadPoolExecutor`, `Future` | [`pool::ThreadPoolExecutor`], [`pool::PoolFuture`] |
//! | `executor.submit`, `executor.map` | [`pool::ThreadPoolExecutor::submit`], [`pool::ThreadPoolExecutor::map`] |
//! | `concurrent.futures.ProcessPoolExecutor`, `BrokenProcessPool` | [`pool::ProcessPoolExecutor`], [`pool::FutureError::BrokenProcessPool`] (feature `process`, Unix) |
//! | `mpi4py.futures.MPIPoolExecutor`, `mpiexec -n N python -m mpi4py.futures prog.py` | `pool::MpiPoolExecutor::start(tasks)` first in `main`, run with `mpirun -n N prog` (feature `mpi`) |
//! | a function a process pool runs, `if __name__ == '__main__'` | [`pool::Task`], [`task!`], [`pool::Registry`], [`pool::serve_if_worker`], [`worker_test!`] |
//! | `concurrent.futures.Executor` | [`pool::Executor`] |
//! | `concurrent.futures.wait`, `as_completed` | [`pool::wait`], [`pool::as_completed`] |
//! | a task's exception, re-raised by `future.result()` or `await task` | [`pool::Panic`] in [`pool::FutureError::Panicked`] and [`rt::TaskError::Panicked`], [`pool::Panic::resume_unwind`] |
//! | `asyncio.run`, `create_task`, `Task.cancel` | [`rt::run`], [`rt::spawn`], [`rt::Task::cancel`] |
//! | `asyncio.sleep`, `wait_for`, `gather`, `wait`, `as_completed` | [`rt::sleep`], [`rt::timeout`], [`rt::gather`], [`rt::wait`], [`rt::as_completed`] |
//! | `loop.run_in_executor`, `asyncio.to_thread` | [`rt::run_in_executor`], [`rt::to_thread`] |
//! | `asyncio.TaskGroup`, `asyncio.timeout`, `asyncio.shield` | [`rt::TaskGroup`], [`rt::TimeoutScope`], [`rt::shield`] |
//! | `asyncio.Lock`, `Event`, `Semaphore`, `BoundedSemaphore`, `Condition`, `Barrier` | [`rt::Lock`], [`rt::Event`], [`rt::Semaphore`], [`rt::BoundedSemaphore`], [`rt::Condition`], [`rt::Barrier`] |
//! | `asyncio.Queue`, `PriorityQueue`, `LifoQueue` | [`rt::Queue`], [`rt::PriorityQueue`], [`rt::LifoQueue`] |
//! | `gather(a(), b())` of any types, eager tasks, `current_task`, `Runner` | [`gather!`], [`rt::spawn_eager`], [`rt::current_task`], [`rt::Runner`] |
//! | `WordSplitter`, `WordSplitGenerator` (the Python concurrency tutorial) | [`WordSplitter`], [`WordSplitGenerator`] |
//! | `repr(x)`, `print(x)` of a list, tuple, float, `None`, `count(4)`, `repeat('a', 3)` | [`repr::py_repr`], [`repr::Repr`], [`repr::PyTuple`] |
//! | `itertools.count`, `cycle`, `repeat` | [`iter::count`], [`iter::cycle`], [`iter::repeat`], [`iter::repeat_n`] |
//! | `accumulate`, `accumulate(it, initial=x)`, `batched`, `pairwise`, `starmap` | [`iter::accumulate`], [`iter::accumulate_from`], [`iter::batched`], [`iter::pairwise`], [`iter::starmap`] |
//! | `chain(a, b)`, `chain.from_iterable` | [`chain!`], [`iter::chain`], [`iter::chain_from_iterable`] |
//! | `compress`, `dropwhile`, `takewhile`, `filterfalse` | [`iter::compress`], [`iter::dropwhile`], [`iter::takewhile`], [`iter::filterfalse`] |
//! | `groupby`, `islice(it, 5)`, `islice(it, 2, None, 3)`, `tee`, `zip_longest` | [`iter::groupby`], [`iter::islice`]`(it, 5)`, `islice(it, (2.., 3))`, [`iter::tee`], [`iter::zip_longest`], [`iter::zip_longest_none`] |
//! | `product`, `product(a, b, repeat=2)`, `permutations`, `combinations`, `combinations_with_replacement` | [`iter::product`], [`iter::product_repeat_all`], [`iter::permutations`], [`iter::combinations`], [`iter::combinations_with_replacement`] |
//! | any of those as a method: `it.batched(3)` | [`IterExt`] (the whole table: [`iter`]) |
//!
//! ## Where cogen differs from Python
//!
//! cogen follows CPython 3.13; its tests compare it with traces and results recorded from
//! CPython (`tests/fixtures/`). These differences remain, because Rust cannot express Python's
//! behaviour or because Rust's own rules come first:
//!
//! | Python | cogen | why |
//! |---|---|---|
//! | `yield` evaluates to None after `next(g)`; `next(g)` on a coroutine | the send type `S` is fixed: `next` is for `S = ()`; a coroutine is started with [`Gen::start`] and resumed with [`Gen::send`] | a Rust value has one type; there is no None of every type |
//! | `yield from g` of an advanced coroutine sends it None; of an exhausted generator gives None | supported when `S = ()` and when the return type is `()`; otherwise a documented panic ([`Co::yield_from`]) | as above |
//! | a body raises any exception | a body panics (payload of any type); `throw` gives back the value thrown, typed | exceptions are panics in Rust; a caller that threw an `E` gets an `E` back |
//! | `except ValueError:` matches subclasses | [`Co::yield_catching`]`::<E>` matches the type `E` exactly; [`Co::yield_catching_any`] catches all | Rust has no subclassing of values |
//! | a collected generator is closed: `GeneratorExit` reaches its handler | dropping a [`Gen`] drops its body where it paused (its drop guards, Python's `finally`, run) without resuming it; [`Gen::close`] throws `GeneratorExit` in | resuming the body from `drop` would make every generator's frame reachable from code the compiler cannot see through, and cost the summing loop 42 instructions per item instead of 5 |
//! | a body's `finally` may `await` in an async generator closed by `aclose()` | cleanup that awaits goes in a handler of `GeneratorExit` ([`Gen::aclose`] awaits it); drop guards cannot await | destructors are synchronous |
//! | `g.gi_frame`, `gi_code`, `gi_running` introspection | [`Gen::state`] only | a Rust future exposes no frame |
//! | `count(0, 0.5)`, `count(1.5)` print so | `count(0.0, 0.5)`, `count(1.5, 1.0)`: their repr shows the float start and step | a `count` has one number type for start and step |
//! | negative arguments: `repeat('a', -1)`, `islice(it, -1)`, `combinations(it, -1)`, `tee(it, -1)` | cannot be written | those arguments are `usize` |
//! | `zip_longest(*its)` over any items | the items are `Clone` (the fill value is cloned) | the fill is one value given for every missing item |
//! | `copy.copy` of a `groupby` or a group shares the source | a clone of [`iter::GroupBy`] or [`iter::Group`] copies the whole state and goes on alone (as `copy.deepcopy`) | a Rust clone may not move its original |
//! | an exception from a pool's task, re-raised by `future.result()` | the task's panic, as [`pool::FutureError::Panicked`], with its payload (a process pool keeps its message only) | a panic payload cannot cross a process |

//!
//! ## Features
//!
//! By default cogen builds the generators, the itertools, `repr` and the word splitters, with
//! std, and with futures-core and pin-project-lite as its only dependencies. The rest is
//! opt-in, as in tokio and futures-lite, so that a crate that wants generators compiles no
//! reactor, no serde and no process manager; and without its default feature the crate is
//! `#![no_std]`, for microcontrollers:
//!
//! | feature | what it adds | dependencies it brings |
//! |---|---|---|
//! | (none: `default-features = false`) | `#![no_std]`, no allocator: pinned generators ([`Gen::pinned`]) with `next`, `send`, `close` and `yield_from`; the itertools that keep nothing; [`repr::Repr`]; [`WordSplitter`] | futures-core, pin-project-lite |
//! | `alloc` | boxed generators ([`Gen::new`]), `throw` and catching yields, the itertools that keep items (`tee`, `groupby`, `cycle`, `batched`, the combinatorics), `py_repr`, `WordSplitGenerator` | none (the `alloc` crate) |
//! | `std` (default) | `alloc`, and threads: generators, `tee` and `groupby` may move between threads, and a blocking resume parks the thread while its body awaits a timer | none |
//! | `pool` | `std` and [`pool`]: `ThreadPoolExecutor`, `PoolFuture`, `wait`, `as_completed` | none |
//! | `process` | `pool` and `ProcessPoolExecutor`, `Task`, `Registry`, `Executor`, `serve_if_worker`, [`task!`], [`worker_test!`] (Unix) | serde, postcard, rustix |
//! | `rt` | `pool` and [`rt`]: the event loop, tasks, timers, `gather`, `run_in_executor` | async-io, async-task |
//! | `mpi` | `process` and `MpiPoolExecutor`: the process pool's tasks on the ranks of an MPI job (Unix; it builds against the system's MPI library, with libclang) | mpi (rsmpi) |
//! | `full` | all of the above but `mpi` | |
//!
//! ```toml
//! [dependencies]
//! cogen = "0.1"                                      # generators and itertools
//! cogen = { version = "0.1", features = ["full"] }   # and the pools and the event loop
//! cogen = { version = "0.1", default-features = false }  # no_std, no allocator
//! ```
//!
//! ### Without std
//!
//! A generator whose frame is pinned on the stack needs no allocator; this function uses
//! nothing but `core` and would compile unchanged in a `#![no_std]` crate:
//!
//! ```
//! use core::pin::pin;
//! use cogen::{Co, Frame, Gen, Step};
//!
//! /// Fluent Python's `averager`, sent three readings: the last running average.
//! fn average_of(readings: [f32; 3]) -> Option<f32> {
//!     let frame = pin!(Frame::new(|co: Co<f32, f32>| async move {
//!         let (mut total, mut count) = (0.0, 0.0);
//!         let mut average = 0.0;
//!         loop {
//!             total += co.yield_(average).await;
//!             count += 1.0;
//!             average = total / count;
//!         }
//!     }));
//!     let mut averager = Gen::pinned(frame);
//!     assert_eq!(averager.start(), Step::Yielded(0.0));
//!     readings.into_iter().map(|x| averager.send(x).ok()?.yielded()).last()?
//! }
//!
//! assert_eq!(average_of([10.0, 30.0, 5.0]), Some(15.0));
//! ```
//!
//! Three things differ without std. A yield cannot ask which thread it runs on, so a yielder
//! ([`Co`]) is neither `Send` nor `Sync` there, and neither is a generator whose body holds one
//! (with std the yield checks the thread, and both may move). A synchronous resume whose body
//! awaits something other than a yield polls it again until it is ready, as `spin_on` does:
//! drive such a generator as a `Stream` ([`Gen::into_stream`]) from your executor instead. And on a target without
//! 64-bit atomics (a Cortex-M) a program may create 2^32 - 1 generators in its life; the next
//! one panics rather than reuse an id, which a yielder that outlived its generator could
//! otherwise mistake for its own. CI builds the crate for `thumbv7em-none-eabihf` with and
//! without `alloc`, and runs the tests that need no more with cogen built without std.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(clippy::undocumented_unsafe_blocks)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;

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

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use generator::{BoxGen, LocalBoxGen, Thrown};
pub use generator::{Co, Frame, Gen, GenState, GenStream, GeneratorExit, SendError, Step};
pub use iter::IterExt;
#[cfg(feature = "alloc")]
pub use text::WordSplitGenerator;
pub use text::WordSplitter;

// The README's example is compiled and run with the doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
