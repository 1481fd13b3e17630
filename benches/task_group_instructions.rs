//! A group of 1,000 tiny tasks spawned and all joined, `rounds` times, for callgrind to count
//! the instructions per task (wall time on this shared machine moves by 10% from run to run):
//! cogen's `TaskGroup::scope` on its loop, or async-executor's `LocalExecutor` with its tasks
//! in a `Vec` (driven by async-io's `block_on`, as `asyncio_task_group` drives it).
//!
//! ```sh
//! cargo bench -p cogen-benches --bench task_group_instructions --no-run
//! exe=$(ls -t target/release/deps/task_group_instructions-* | grep -v '\.d$' | head -1)
//! for peer in task_group async_executor; do
//!     small=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" $peer 10 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
//!     large=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" $peer 110 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
//!     echo "$peer $(( (large - small) / 100000 )) instructions per task"
//! done
//! ```

use std::hint::black_box;

const GROUP: u64 = 1_000;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(peer), Some(rounds)) = (args.next(), args.next()) else {
        eprintln!("usage: task_group_instructions task_group|async_executor ROUNDS");
        std::process::exit(2);
    };
    let rounds: u64 = rounds.parse().expect("ROUNDS is a number");
    match peer.as_str() {
        "task_group" => {
            let event_loop = cogen::rt::EventLoop::new();
            for _ in 0..rounds {
                event_loop
                    .run_until_complete(cogen::rt::TaskGroup::scope(async |tasks| {
                        for i in 0..GROUP {
                            tasks.spawn(async move { black_box(i) });
                        }
                    }))
                    .expect("no task fails");
            }
        }
        "async_executor" => {
            let executor = async_executor::LocalExecutor::new();
            for _ in 0..rounds {
                async_io::block_on(executor.run(async {
                    let tasks: Vec<_> = (0..GROUP)
                        .map(|i| executor.spawn(async move { black_box(i) }))
                        .collect();
                    for task in tasks {
                        task.await;
                    }
                }));
            }
        }
        other => {
            eprintln!("task_group_instructions: no peer {other}");
            std::process::exit(2);
        }
    }
}
