//! cogen's asyncio locks and queues (`cogen::rt::{Semaphore, Lock, Queue}`) against the smol
//! family's (async-lock, async-channel) and tokio's (`tokio::sync`), one task on one thread, so
//! that what is measured is each primitive's own path with no executor around it (each peer is
//! driven by `futures_lite::future::block_on`; none of these futures waits).
//!
//! - `asyncio_sync_semaphore`: acquire a permit of a semaphore of 10 and give it back, 10,000
//!   times per iteration; per pair.
//! - `asyncio_sync_lock`: take a free lock and release it (tokio's and async-lock's `Mutex<()>`);
//!   per pair.
//! - `asyncio_sync_queue`: `put` then `get` one item on a queue of 128 (`send`/`recv` of a bounded
//!   channel of 128), 10,000 times per iteration (`one_by_one`); and 100 puts then 100 gets,
//!   100 times per iteration (`batch_of_100`); per item.
//!
//! - `asyncio_task_group`: a group of 1,000 tiny tasks spawned and all joined, per task:
//!   cogen's `TaskGroup::scope` on its loop, tokio's `JoinSet` on a current-thread runtime
//!   (`join_next` until empty), and async-executor's `LocalExecutor` (a `Vec` of its tasks,
//!   each awaited: it has no group), driven by async-io's `block_on` as smol drives it (and by
//!   futures-lite's, lighter, for comparison). Each loop or runtime is made once, outside the
//!   timing.
//!
//! Run: `cargo bench -p cogen-benches --bench asyncio_sync` (BENCHMARKS.md, "asyncio's locks and
//! queues").

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_lite::future::block_on;

const PAIRS: u64 = 10_000;

/// Benchmarks each peer in `$group`: `$state` is made once (outside the timing), then each
/// iteration runs `$round` for every `$i` of `$rounds`, inside one `block_on` (none of these
/// futures waits).
macro_rules! bench_peers {
    ($group:ident, $rounds:expr, {
        $($name:literal: |$state:pat_param = $setup:expr, $i:pat_param| $round:block)+
    }) => {
        $(
            $group.bench_function($name, |b| {
                let $state = $setup;
                b.iter(|| block_on(async {
                    for $i in $rounds $round
                }));
            });
        )+
    };
}

fn semaphore(c: &mut Criterion) {
    let mut group = c.benchmark_group("asyncio_sync_semaphore");
    group.throughput(Throughput::Elements(PAIRS));
    bench_peers!(group, 0..PAIRS, {
        "cogen": |semaphore = cogen::rt::Semaphore::new(10), _| {
            drop(black_box(semaphore.acquire().await));
        }
        "async_lock": |semaphore = async_lock::Semaphore::new(10), _| {
            drop(black_box(semaphore.acquire().await));
        }
        "tokio": |semaphore = tokio::sync::Semaphore::new(10), _| {
            drop(black_box(semaphore.acquire().await.unwrap()));
        }
    });
    group.finish();
}

fn lock(c: &mut Criterion) {
    let mut group = c.benchmark_group("asyncio_sync_lock");
    group.throughput(Throughput::Elements(PAIRS));
    bench_peers!(group, 0..PAIRS, {
        "cogen": |lock = cogen::rt::Lock::new(), _| {
            drop(black_box(lock.acquire().await));
        }
        "async_lock": |lock = async_lock::Mutex::new(()), _| {
            drop(black_box(lock.lock().await));
        }
        "tokio": |lock = tokio::sync::Mutex::new(()), _| {
            drop(black_box(lock.lock().await));
        }
    });
    group.finish();
}

fn queue(c: &mut Criterion) {
    let mut group = c.benchmark_group("asyncio_sync_queue");
    group.throughput(Throughput::Elements(PAIRS));
    bench_peers!(group, 0..PAIRS, {
        "one_by_one/cogen": |queue = cogen::rt::Queue::new(128), i| {
            queue.put(i).await.unwrap();
            black_box(queue.get().await.unwrap());
        }
        "one_by_one/async_channel": |(sender, receiver) = async_channel::bounded(128), i| {
            sender.send(i).await.unwrap();
            black_box(receiver.recv().await.unwrap());
        }
        "one_by_one/tokio": |(sender, mut receiver) = tokio::sync::mpsc::channel(128), i| {
            sender.send(i).await.unwrap();
            black_box(receiver.recv().await.unwrap());
        }
    });
    bench_peers!(group, 0..PAIRS / 100, {
        "batch_of_100/cogen": |queue = cogen::rt::Queue::new(128), _| {
            for i in 0..100u64 {
                queue.put(i).await.unwrap();
            }
            for _ in 0..100 {
                black_box(queue.get().await.unwrap());
            }
        }
        "batch_of_100/async_channel": |(sender, receiver) = async_channel::bounded(128), _| {
            for i in 0..100u64 {
                sender.send(i).await.unwrap();
            }
            for _ in 0..100 {
                black_box(receiver.recv().await.unwrap());
            }
        }
        "batch_of_100/tokio": |(sender, mut receiver) = tokio::sync::mpsc::channel(128), _| {
            for i in 0..100u64 {
                sender.send(i).await.unwrap();
            }
            for _ in 0..100 {
                black_box(receiver.recv().await.unwrap());
            }
        }
    });
    group.finish();
}

const GROUP: u64 = 1_000;

fn task_group(c: &mut Criterion) {
    let mut group = c.benchmark_group("asyncio_task_group");
    group.throughput(Throughput::Elements(GROUP));
    group.bench_function("cogen", |b| {
        let event_loop = cogen::rt::EventLoop::new();
        b.iter(|| {
            event_loop
                .run_until_complete(cogen::rt::TaskGroup::scope(async |tasks| {
                    for i in 0..GROUP {
                        tasks.spawn(async move { black_box(i) });
                    }
                }))
                .unwrap()
        });
    });
    group.bench_function("tokio_join_set", |b| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        b.iter(|| {
            runtime.block_on(async {
                let mut set = tokio::task::JoinSet::new();
                for i in 0..GROUP {
                    set.spawn(async move { black_box(i) });
                }
                while let Some(done) = set.join_next().await {
                    done.unwrap();
                }
            })
        });
    });
    // Driven as smol drives it (and as `runtime_spawn` drives it), by async-io's `block_on`,
    // whose reactor cogen's loop also runs on; `futures_lite`'s lighter one for comparison.
    group.bench_function("async_executor", |b| {
        let executor = async_executor::LocalExecutor::new();
        b.iter(|| {
            async_io::block_on(executor.run(async {
                let tasks: Vec<_> = (0..GROUP)
                    .map(|i| executor.spawn(async move { black_box(i) }))
                    .collect();
                for task in tasks {
                    task.await;
                }
            }))
        });
    });
    group.bench_function("async_executor_futures_lite_block_on", |b| {
        let executor = async_executor::LocalExecutor::new();
        b.iter(|| {
            block_on(executor.run(async {
                let tasks: Vec<_> = (0..GROUP)
                    .map(|i| executor.spawn(async move { black_box(i) }))
                    .collect();
                for task in tasks {
                    task.await;
                }
            }))
        });
    });
    group.finish();
}

criterion_group!(benches, semaphore, lock, queue, task_group);
criterion_main!(benches);
