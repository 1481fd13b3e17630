//! asyncio's TaskGroup, timeout scopes and shield on cogen's event loop, against what CPython
//! 3.13 logs for the same programs (`tests/fixtures/asyncio_tasks/`, written by its
//! `scenarios.py`). Each test is the Python scenario of the same name.

#[path = "common/scenario_log.rs"]
#[allow(dead_code)] // panic_text is for the other scenario tests
mod scenario_log;

use scenario_log::{Log, OnCancel, expected_in, py, scenario, turns};

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use cogen::rt::{
    TaskError, TaskGroup, TimeoutError, TimeoutScope, run, shield, sleep, spawn, timeout,
};

fn expected(name: &str) -> Vec<String> {
    expected_in(include_str!("fixtures/asyncio_tasks/scenarios.json"), name)
}

/// A child task: logs `<name> starts`, waits `turns_taken` turns, logs `<name> ends`, and
/// gives `output`.
async fn starts_and_ends<T>(log: Log, name: &'static str, turns_taken: usize, output: T) -> T {
    log.push(format!("{name} starts"));
    turns(turns_taken).await;
    log.push(format!("{name} ends"));
    output
}

/// Python's `", ".join(str(e) for e in group.exceptions)` for panics with these messages.
fn messages(errors: &[TaskError]) -> String {
    errors
        .iter()
        .map(|error| match error {
            TaskError::Panicked(message) => message.to_string(),
            TaskError::Cancelled => "cancelled".to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn task_group_waits_for_every_task() {
    let log = scenario(async |log| {
        let child = |name, n| starts_and_ends(log.clone(), name, n, n * 10);
        let (a, b) = TaskGroup::scope(async |group| {
            let a = group.spawn(child("a", 3));
            let b = group.spawn(child("b", 1));
            log.push("body done");
            (a, b)
        })
        .await
        .unwrap();
        assert!(a.done() && b.done());
        log.push(format!(
            "after the group: {} {}",
            a.await.unwrap(),
            b.await.unwrap()
        ));
    });
    assert_eq!(log, expected("task_group_waits_for_every_task"));
}

#[test]
fn task_group_failure_cancels_the_rest() {
    let log = scenario(async |log| {
        let patient = |name: &'static str| {
            let log = log.clone();
            async move {
                let mut cancelled = OnCancel::new(&log, name);
                log.push(format!("{name} starts"));
                turns(100).await;
                log.push(format!("{name} ends"));
                cancelled.done = true;
            }
        };
        let failing = {
            let log = log.clone();
            async move {
                log.push("failing starts");
                turns(2).await;
                panic!("boom");
            }
        };
        let outcome = TaskGroup::scope(async |group| {
            group.spawn(patient("a"));
            group.spawn(failing);
            group.spawn(patient("c"));
            let mut cancelled = OnCancel::new(&log, "body");
            turns(100).await;
            log.push("body ends");
            cancelled.done = true;
        })
        .await;
        let error = outcome.unwrap_err();
        log.push(format!(
            "{} error(s): {}",
            error.errors().len(),
            messages(error.errors())
        ));
    });
    // asyncio cancels the group's tasks in the order of a set (by address), then the body;
    // the cancellations are compared as a set, everything else in order.
    let (got_cancelled, got_rest): (Vec<_>, Vec<_>) = log
        .into_iter()
        .partition(|line| line.ends_with("cancelled"));
    let (mut want_cancelled, want_rest): (Vec<_>, Vec<_>) =
        expected("task_group_failure_cancels_the_rest")
            .into_iter()
            .partition(|line| line.ends_with("cancelled"));
    assert_eq!(got_rest, want_rest);
    let mut got_cancelled = got_cancelled;
    got_cancelled.sort();
    want_cancelled.sort();
    assert_eq!(got_cancelled, want_cancelled);
}

#[test]
fn task_group_failures_in_one_turn() {
    let log = scenario(async |log| {
        let outcome = TaskGroup::scope(async |group| {
            for name in ["a", "b", "c"] {
                group.spawn(async move {
                    turns(1).await;
                    panic!("{name}");
                });
            }
        })
        .await;
        let error = outcome.unwrap_err();
        log.push(format!(
            "{} error(s): {}",
            error.errors().len(),
            messages(error.errors())
        ));
    });
    assert_eq!(log, expected("task_group_failures_in_one_turn"));
}

#[test]
#[allow(clippy::async_yields_async)] // the scope gives the task's handle back
fn task_group_task_cancelled_by_its_handle() {
    let log = scenario(async |log| {
        let task = TaskGroup::scope(async |group| {
            let task = group.spawn(turns(100));
            turns(1).await;
            assert!(task.cancel());
            task
        })
        .await
        .expect("a cancelled task is no failure");
        log.push(format!(
            "no error; cancelled {}",
            if task.cancelled() { "True" } else { "False" }
        ));
    });
    assert_eq!(log, expected("task_group_task_cancelled_by_its_handle"));
}

fn child(group: TaskGroup, log: Log, depth: u32) -> std::pin::Pin<Box<dyn Future<Output = ()>>> {
    Box::pin(async move {
        log.push(format!("depth {depth}"));
        if depth < 3 {
            group.spawn(child(group.clone(), log.clone(), depth + 1));
        }
    })
}

#[test]
fn task_group_children_spawn_children() {
    let log = scenario(async |log| {
        let group = TaskGroup::scope(async |group| {
            group.spawn(child(group.clone(), log.clone(), 1));
            group
        })
        .await
        .unwrap();
        log.push("all ended");
        if group
            .try_spawn(child(group.clone(), log.clone(), 9))
            .is_err()
        {
            log.push("RuntimeError: the group is finished");
        }
    });
    assert_eq!(log, expected("task_group_children_spawn_children"));
}

#[test]
fn task_group_parent_cancelled() {
    let log = scenario(async |log| {
        let parent = spawn({
            let log = log.clone();
            async move {
                let mut cancelled = OnCancel::new(&log, "parent");
                let patient = |name: &'static str| {
                    let log = log.clone();
                    async move {
                        let mut cancelled = OnCancel::new(&log, name);
                        turns(100).await;
                        cancelled.done = true;
                    }
                };
                let _ = TaskGroup::scope(async |group| {
                    group.spawn(patient("a"));
                    group.spawn(patient("b"));
                    turns(100).await;
                })
                .await;
                cancelled.done = true;
            }
        });
        turns(2).await;
        parent.cancel();
        let outcome = parent.await;
        // The parent's cleanup runs as its future is dropped; its children are cancelled then,
        // and stop at their next turn.
        turns(2).await;
        log.push(format!(
            "parent task cancelled {}",
            if outcome == Err(TaskError::Cancelled) {
                "True"
            } else {
                "False"
            }
        ));
    });
    // Python's parent waits for its children's cancellation before it ends; cogen's scope is
    // dropped at once with its task (Rust has no asynchronous drop), and the children stop at
    // their next turn: the same lines, the parent's first.
    let mut want = expected("task_group_parent_cancelled");
    let parent = want
        .iter()
        .position(|line| line == "parent cancelled")
        .unwrap();
    let line = want.remove(parent);
    want.insert(0, line);
    assert_eq!(log, want);
}

#[test]
fn timeout_expires() {
    let log = scenario(async |log| {
        let scope = TimeoutScope::after(Duration::from_millis(20));
        if scope.run(sleep(Duration::from_secs(10))).await == Err(TimeoutError) {
            log.push(format!("TimeoutError, expired {}", py(scope.expired())));
        }
    });
    assert_eq!(log, expected("timeout_expires"));
}

#[test]
fn timeout_not_reached() {
    let log = scenario(async |log| {
        let scope = TimeoutScope::after(Duration::from_secs(10));
        scope.run(turns(1)).await.unwrap();
        log.push(format!("done, expired {}", py(scope.expired())));
    });
    assert_eq!(log, expected("timeout_not_reached"));
}

#[test]
fn timeout_rescheduled() {
    let log = scenario(async |log| {
        let scope = TimeoutScope::never();
        let outcome = scope
            .run(async {
                log.push(format!("when {}", scope.when().map_or("None", |_| "set")));
                scope.reschedule(Some(Instant::now() + Duration::from_millis(20)));
                sleep(Duration::from_secs(10)).await;
            })
            .await;
        if outcome == Err(TimeoutError) {
            log.push(format!("TimeoutError, expired {}", py(scope.expired())));
        }
        let scope = TimeoutScope::after(Duration::from_millis(10));
        scope
            .run(async {
                scope.reschedule(None);
                sleep(Duration::from_millis(30)).await;
            })
            .await
            .unwrap();
        log.push(format!(
            "pushed back to never: expired {}",
            py(scope.expired())
        ));
    });
    assert_eq!(log, expected("timeout_rescheduled"));
}

#[test]
fn timeout_at() {
    let log = scenario(async |log| {
        let scope = TimeoutScope::at(Instant::now() + Duration::from_millis(20));
        if scope.run(sleep(Duration::from_secs(10))).await.is_err() {
            log.push("TimeoutError");
        }
    });
    assert_eq!(log, expected("timeout_at"));
}

/// A deadline due when the body starts, moved away by the body before it first waits: the
/// body's move counts (the scope reads the deadline after polling the body).
#[test]
fn timeout_zero_rescheduled_in_the_body() {
    let log = scenario(async |log| {
        let scope = TimeoutScope::after(Duration::ZERO);
        scope
            .run(async {
                scope.reschedule(None);
                sleep(Duration::from_millis(5)).await;
            })
            .await
            .unwrap();
        log.push(format!("done, expired {}", py(scope.expired())));
    });
    assert_eq!(log, expected("timeout_zero_rescheduled_in_the_body"));
}

/// A scope runs one future at a time: a second `run` through a clone while the first runs
/// panics (Python: `RuntimeError: Timeout has already been entered`).
#[test]
fn timeout_entered_twice() {
    let log = scenario(async |log| {
        let scope = TimeoutScope::after(Duration::from_secs(10));
        scope
            .run(async {
                let second = spawn({
                    let (scope, log) = (scope.clone(), log.clone());
                    async move {
                        scope.run(async { log.push("second entered") }).await.ok();
                    }
                });
                match second.await {
                    Err(TaskError::Panicked(error)) => log.push(format!("RuntimeError: {error}")),
                    other => panic!("the second run gave {other:?}"),
                }
                log.push("first goes on");
            })
            .await
            .unwrap();
        log.push(format!("first done, expired {}", py(scope.expired())));
    });
    assert_eq!(log, expected("timeout_entered_twice"));
}

/// Once the first `run` ends, however it ends, the scope may run another future.
#[test]
fn timeout_scope_runs_again_after_a_run_ends() {
    run(async {
        let scope = TimeoutScope::after(Duration::from_secs(10));
        assert_eq!(scope.run(async { 1 }).await, Ok(1));
        // A run dropped while it waits (cancelled) leaves the scope too.
        let pending = scope.run(std::future::pending::<()>());
        assert_eq!(
            timeout(Duration::from_millis(1), pending).await,
            Err(TimeoutError)
        );
        assert_eq!(scope.clone().run(async { 2 }).await, Ok(2));
    });
}

#[test]
#[allow(clippy::await_holding_refcell_ref)] // the outer task borrows the handle while awaiting
fn shield_keeps_the_inner_task() {
    let log = scenario(async |log| {
        let inner = shield({
            let log = log.clone();
            async move {
                sleep(Duration::from_millis(20)).await;
                log.push("inner done");
                5
            }
        });
        let inner = Rc::new(RefCell::new(inner));
        let outer = spawn({
            let (log, inner) = (log.clone(), inner.clone());
            async move {
                let mut cancelled = OnCancel::new(&log, "outer");
                // Python: `return await asyncio.shield(inner_task)`, the caller keeping
                // `inner_task`: the handle is borrowed while awaited.
                let result = (&mut *inner.borrow_mut()).await;
                cancelled.done = true;
                result
            }
        });
        turns(1).await;
        outer.cancel();
        let _ = outer.await;
        let inner = Rc::try_unwrap(inner)
            .unwrap_or_else(|_| panic!("the outer task let go of the handle"))
            .into_inner();
        log.push(format!("inner result {}", inner.await.unwrap()));
    });
    assert_eq!(log, expected("shield_keeps_the_inner_task"));
}

#[test]
fn eager_tasks() {
    use cogen::rt::spawn_eager;
    let log = scenario(async |log| {
        let child = |name, waits| starts_and_ends(log.clone(), name, waits, name);
        let lazy = spawn(child("lazy", 1));
        let eager = spawn_eager(child("eager", 1));
        let quick = spawn_eager(child("quick", 0));
        log.push(format!(
            "spawned: lazy done {}, eager done {}, quick done {}",
            py(lazy.done()),
            py(eager.done()),
            py(quick.done())
        ));
        let (lazy, eager, quick) = cogen::gather!(lazy, eager, quick).await;
        log.push(format!(
            "results ['{}', '{}', '{}']",
            lazy.unwrap(),
            eager.unwrap(),
            quick.unwrap()
        ));
    });
    assert_eq!(log, expected("eager_tasks"));
}

#[test]
fn task_names_and_current_task() {
    use cogen::rt::{all_tasks, current_task, spawn_named};
    /// The number in a `Task-<n>` name.
    fn number(name: &str) -> i64 {
        name.strip_prefix("Task-").unwrap().parse().unwrap()
    }
    let log = scenario(async |log| {
        let main = current_task().unwrap();
        log.push(format!(
            "main is named Task-n: {}",
            py(main.name().starts_with("Task-"))
        ));
        let first = spawn(async { current_task().unwrap() });
        log.push(format!(
            "the next task is Task-(n+{})",
            number(&first.name()) - number(&main.name())
        ));
        let first_name = first.name();
        let inside = first.await.unwrap();
        log.push(format!(
            "current_task() inside it is it: {}",
            py(inside.name() == first_name && inside != main)
        ));
        let fetcher = spawn_named("fetcher", async { current_task().unwrap() });
        fetcher.set_name("renamed");
        log.push(format!("named {}", fetcher.name()));
        assert_eq!(fetcher.await.unwrap().name(), "renamed");
        let sleepers: Vec<_> = (0..2)
            .map(|i| spawn_named(format!("sleeper {i}"), sleep(Duration::from_secs(10))))
            .collect();
        turns(1).await;
        let mut named: Vec<String> = all_tasks()
            .iter()
            .map(|task| task.name())
            .filter(|name| !name.starts_with("Task-"))
            .collect();
        named.sort();
        log.push(format!("all_tasks named: {named:?}").replace('"', "'"));
        for sleeper in &sleepers {
            sleeper.cancel();
        }
        for sleeper in sleepers {
            let _ = sleeper.await;
        }
    });
    assert_eq!(log, expected("task_names_and_current_task"));
}

#[test]
fn gather_mixed_types() {
    let log = scenario(async |log| {
        let text = {
            let log = log.clone();
            async move {
                turns(2).await;
                log.push("text done");
                "cogen"
            }
        };
        let count = || {
            let log = log.clone();
            async move {
                turns(1).await;
                log.push("count done");
                3
            }
        };
        let (text, n) = cogen::gather!(text, count()).await;
        log.push(format!("['{text}', {n}]"));
        let fails = async {
            turns(1).await;
            panic!("no flag");
        };
        let (n, failed) = cogen::gather!(count(), fails; return_exceptions).await;
        let failed: Result<(), TaskError> = failed;
        match failed {
            Err(TaskError::Panicked(message)) => {
                log.push(format!("[{}, ValueError: {message}]", n.unwrap()));
            }
            other => panic!("the second gave {other:?}"),
        }
    });
    assert_eq!(log, expected("gather_mixed_types"));
}

/// `TimeoutScope` and `gather!` need no event loop of cogen's: under tokio's runtime (its
/// timers are async-io's, which run on their own thread).
#[test]
fn timeout_scopes_and_gather_work_under_tokio() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let scope = TimeoutScope::after(Duration::from_millis(10));
        assert_eq!(
            scope.run(tokio::time::sleep(Duration::from_secs(10))).await,
            Err(TimeoutError)
        );
        assert!(scope.expired());
        let (a, b) = cogen::gather!(
            async {
                tokio::time::sleep(Duration::from_millis(2)).await;
                "two"
            },
            async { 1 }
        )
        .await;
        assert_eq!((a, b), ("two", 1));
    });
}
