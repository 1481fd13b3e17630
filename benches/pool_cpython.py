#!/usr/bin/env python3
"""CPython's concurrent.futures.ThreadPoolExecutor on the workloads of benches/pool.rs.

The same tiny task (i + 1), the same task count (N = 100,000) and worker counts (2 and 4):

- latency: submit one task and block for its result (`executor.submit(task, i).result()`),
  per task;
- throughput: submit N tasks, then take every result (`[f.result() for f in futures]`), and
  `list(executor.map(task, range(N)))` (which submits all N at once); per task;
- as_completed: submit N tasks, then take every result through `as_completed` (for reference
  beside cogen's `pool_as_completed`).

Each measurement is repeated (`--repeat`, default 5) on one executor per worker count, after
one warm-up round; the table shows the best and the median (time.perf_counter). Results are
checked (their sum). With `--json FILE`, also writes the numbers for scripts/pool_table.py.

Usage: python3 benches/pool_cpython.py [--repeat R] [--json FILE]
Stdlib only.
"""

import argparse
import json
import platform
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

N = 100_000
LATENCY_TASKS = 20_000
WORKERS = (2, 4)


def task(i):
    return i + 1


def expected(n):
    return n * (n + 1) // 2


def latency(executor, n):
    total = 0
    for i in range(n):
        total += executor.submit(task, i).result()
    return total


def submit_result(executor, n):
    futures = [executor.submit(task, i) for i in range(n)]
    return sum(f.result() for f in futures)


def executor_map(executor, n):
    return sum(executor.map(task, range(n)))


def submit_as_completed(executor, n):
    futures = [executor.submit(task, i) for i in range(n)]
    return sum(f.result() for f in as_completed(futures))


WORKLOADS = [
    # (name, function, tasks per run)
    ("latency_submit_result", latency, LATENCY_TASKS),
    ("throughput_submit_result", submit_result, N),
    ("throughput_map", executor_map, N),
    ("throughput_as_completed", submit_as_completed, N),
]


def measure(executor, function, n, repeat):
    """Seconds per run, `repeat` runs after one warm-up run."""
    assert function(executor, n) == expected(n), function.__name__
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(executor, n)
        times.append(time.perf_counter() - start)
        assert result == expected(n), function.__name__
    return times


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv[1:])

    results = []
    print(f"# {platform.python_implementation()} {platform.python_version()}, "
          f"{args.repeat} runs each (best / median)")
    print(f"{'workload':<26} {'workers':>7} {'tasks':>7} {'best us/task':>13} "
          f"{'median us/task':>15} {'best tasks/s':>13}")
    for workers in WORKERS:
        with ThreadPoolExecutor(max_workers=workers) as executor:
            for name, function, n in WORKLOADS:
                times = measure(executor, function, n, args.repeat)
                best = min(times) / n
                median = statistics.median(times) / n
                print(f"{name:<26} {workers:>7} {n:>7} {best * 1e6:>13.2f} "
                      f"{median * 1e6:>15.2f} {1 / best:>13.0f}", flush=True)
                results.append({
                    "workload": name,
                    "workers": workers,
                    "tasks": n,
                    "best_ns_per_task": best * 1e9,
                    "median_ns_per_task": median * 1e9,
                    "runs_s": times,
                })
    if args.json:
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump({
                "python": f"{platform.python_implementation()} {platform.python_version()}",
                "repeat": args.repeat,
                "results": results,
            }, file, indent=1)


if __name__ == "__main__":
    main(sys.argv)
