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
//! Run: `cargo bench -p cogen-benches --bench asyncio_sync` (BENCHMARKS.md, "asyncio's locks and
//! queues").

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_lite::future::block_on;

const PAIRS: u64 = 10_000;

fn semaphore(c: &mut Criterion) {
    let mut group = c.benchmark_group("asyncio_sync_semaphore");
    group.throughput(Throughput::Elements(PAIRS));
    group.bench_function("cogen", |b| {
        let semaphore = cogen::rt::Semaphore::new(10);
        b.iter(|| {
            block_on(async {
                for _ in 0..PAIRS {
                    drop(black_box(semaphore.acquire().await));
                }
            })
        });
    });
    group.bench_function("async_lock", |b| {
        let semaphore = async_lock::Semaphore::new(10);
        b.iter(|| {
            block_on(async {
                for _ in 0..PAIRS {
                    drop(black_box(semaphore.acquire().await));
                }
            })
        });
    });
    group.bench_function("tokio", |b| {
        let semaphore = tokio::sync::Semaphore::new(10);
        b.iter(|| {
            block_on(async {
                for _ in 0..PAIRS {
                    drop(black_box(semaphore.acquire().await.unwrap()));
                }
            })
        });
    });
    group.finish();
}

fn lock(c: &mut Criterion) {
    let mut group = c.benchmark_group("asyncio_sync_lock");
    group.throughput(Throughput::Elements(PAIRS));
    group.bench_function("cogen", |b| {
        let lock = cogen::rt::Lock::new();
        b.iter(|| {
            block_on(async {
                for _ in 0..PAIRS {
                    drop(black_box(lock.acquire().await));
                }
            })
        });
    });
    group.bench_function("async_lock", |b| {
        let lock = async_lock::Mutex::new(());
        b.iter(|| {
            block_on(async {
                for _ in 0..PAIRS {
                    drop(black_box(lock.lock().await));
                }
            })
        });
    });
    group.bench_function("tokio", |b| {
        let lock = tokio::sync::Mutex::new(());
        b.iter(|| {
            block_on(async {
                for _ in 0..PAIRS {
                    drop(black_box(lock.lock().await));
                }
            })
        });
    });
    group.finish();
}

fn queue(c: &mut Criterion) {
    let mut group = c.benchmark_group("asyncio_sync_queue");
    group.throughput(Throughput::Elements(PAIRS));
    group.bench_function("one_by_one/cogen", |b| {
        let queue = cogen::rt::Queue::new(128);
        b.iter(|| {
            block_on(async {
                for i in 0..PAIRS {
                    queue.put(i).await.unwrap();
                    black_box(queue.get().await.unwrap());
                }
            })
        });
    });
    group.bench_function("one_by_one/async_channel", |b| {
        let (sender, receiver) = async_channel::bounded(128);
        b.iter(|| {
            block_on(async {
                for i in 0..PAIRS {
                    sender.send(i).await.unwrap();
                    black_box(receiver.recv().await.unwrap());
                }
            })
        });
    });
    group.bench_function("one_by_one/tokio", |b| {
        let (sender, mut receiver) = tokio::sync::mpsc::channel(128);
        b.iter(|| {
            block_on(async {
                for i in 0..PAIRS {
                    sender.send(i).await.unwrap();
                    black_box(receiver.recv().await.unwrap());
                }
            })
        });
    });
    group.bench_function("batch_of_100/cogen", |b| {
        let queue = cogen::rt::Queue::new(128);
        b.iter(|| {
            block_on(async {
                for _ in 0..PAIRS / 100 {
                    for i in 0..100u64 {
                        queue.put(i).await.unwrap();
                    }
                    for _ in 0..100 {
                        black_box(queue.get().await.unwrap());
                    }
                }
            })
        });
    });
    group.bench_function("batch_of_100/async_channel", |b| {
        let (sender, receiver) = async_channel::bounded(128);
        b.iter(|| {
            block_on(async {
                for _ in 0..PAIRS / 100 {
                    for i in 0..100u64 {
                        sender.send(i).await.unwrap();
                    }
                    for _ in 0..100 {
                        black_box(receiver.recv().await.unwrap());
                    }
                }
            })
        });
    });
    group.bench_function("batch_of_100/tokio", |b| {
        let (sender, mut receiver) = tokio::sync::mpsc::channel(128);
        b.iter(|| {
            block_on(async {
                for _ in 0..PAIRS / 100 {
                    for i in 0..100u64 {
                        sender.send(i).await.unwrap();
                    }
                    for _ in 0..100 {
                        black_box(receiver.recv().await.unwrap());
                    }
                }
            })
        });
    });
    group.finish();
}

criterion_group!(benches, semaphore, lock, queue);
criterion_main!(benches);
