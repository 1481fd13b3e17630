#!/usr/bin/env python3
"""CPython's concurrent.futures.ProcessPoolExecutor on the workloads of benches/process_pool.rs.

The same tiny task (n + 1, a module-level function), 2 workers, and the same quantities:

- latency: submit one task to a warm pool and block for its result
  (`executor.submit(tiny, i).result()`), per task;
- throughput of N = 100,000 tasks, per task: submit all, then take every result in order
  (`[f.result() for f in futures]`); `executor.map(tiny, range(N), chunksize=1000)`; and
  `executor.map(tiny, range(N))` (chunksize 1). CPython's map submits every chunk at once;
- start-up of a new pool of 1 and 2 workers, cold, per pool: `first_result` is building the
  executor, submitting one task per worker and taking the first result; `lifecycle` is all of
  it: build, submit, take every result, `shutdown(wait=True)` (the processes joined);
- memory of each idle worker: VmRSS, RssAnon and RssFile from /proc/<pid>/status, and Pss and
  Uss (Private_Clean + Private_Dirty: the pages no other process shares) from
  /proc/<pid>/smaps_rollup, after a warm-up task and a short idle pause.

The pool workloads run with the default start method (fork on Linux in 3.11); start-up and
memory are measured for fork and for spawn (`--methods`), first: a forked worker starts as a
copy of this process, so they are measured before the 100,000-task runs grow its heap. Each timing is repeated
(`--repeat`, default 5) after one warm-up; the table shows the median and the best
(time.perf_counter). Results are checked (their sum). With `--json FILE`, also writes the
numbers for scripts/process_pool_table.py.

Usage: python3 benches/process_pool_cpython.py [--repeat R] [--methods fork,spawn] [--json FILE]
Stdlib only; Linux (reads /proc).
"""

import argparse
import json
import multiprocessing
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor

N = 100_000
LATENCY_TASKS = 2_000
WARM_UP_TASKS = 2_000
WORKERS = 2
STARTUP_WORKERS = (1, 2)
CHUNKSIZE = 1000
IDLE_PAUSE_S = 0.3
# (printed name, JSON key) of the memory figures, in KiB.
MEMORY = [
    ("VmRSS", "vmrss_kib"),
    ("RssAnon", "rss_anon_kib"),
    ("RssFile", "rss_file_kib"),
    ("Pss", "pss_kib"),
    ("Uss", "uss_kib"),
]


def tiny(n):
    return n + 1


def expected(n):
    return n * (n + 1) // 2


# ---- the workloads on a warm pool ----


def latency(executor, n):
    total = 0
    for i in range(n):
        total += executor.submit(tiny, i).result()
    return total


def submit_result(executor, n):
    futures = [executor.submit(tiny, i) for i in range(n)]
    return sum(f.result() for f in futures)


def map_chunked_1000(executor, n):
    return sum(executor.map(tiny, range(n), chunksize=CHUNKSIZE))


def map_chunksize_1(executor, n):
    return sum(executor.map(tiny, range(n)))


WORKLOADS = [
    # (name, function, tasks per run)
    ("latency_submit_result", latency, LATENCY_TASKS),
    ("throughput_submit_result", submit_result, N),
    ("throughput_map_chunked_1000", map_chunked_1000, N),
    ("throughput_map", map_chunksize_1, N),
]


def measure(executor, function, n, repeat):
    """Seconds per run, `repeat` runs after one (shorter) warm-up run."""
    warm = min(n, WARM_UP_TASKS)
    assert function(executor, warm) == expected(warm), function.__name__
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(executor, n)
        times.append(time.perf_counter() - start)
        assert result == expected(n), function.__name__
    return times


# ---- start-up ----


def cold_pool(context, workers):
    """(seconds to the first result, seconds to the end) for a new pool of `workers`."""
    start = time.perf_counter()
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    futures = [executor.submit(tiny, i) for i in range(workers)]
    total = futures[0].result()
    first = time.perf_counter() - start
    total += sum(f.result() for f in futures[1:])
    executor.shutdown(wait=True)
    everything = time.perf_counter() - start
    assert total == expected(workers)
    return first, everything


# ---- memory ----


def proc_kib(path, fields):
    """{field: KiB} from the `field: <n> kB` lines of a /proc file."""
    values = dict.fromkeys(fields)
    try:
        with open(path, encoding="ascii") as file:
            for line in file:
                name, _, rest = line.partition(":")
                if name in values:
                    values[name] = int(rest.split()[0])
    except OSError:
        pass
    return values


def memory(pid):
    status = proc_kib(f"/proc/{pid}/status", ("VmRSS", "RssAnon", "RssFile"))
    rollup = proc_kib(f"/proc/{pid}/smaps_rollup", ("Pss", "Private_Clean", "Private_Dirty"))
    private = (rollup["Private_Clean"], rollup["Private_Dirty"])
    return {
        "vmrss_kib": status["VmRSS"],
        "rss_anon_kib": status["RssAnon"],
        "rss_file_kib": status["RssFile"],
        "pss_kib": rollup["Pss"],
        "uss_kib": None if None in private else sum(private),
    }


def idle_workers(context):
    """The memory of each idle worker of a warm pool of WORKERS."""
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=context) as executor:
        futures = [executor.submit(tiny, i) for i in range(WORKERS)]
        assert sum(f.result() for f in futures) == expected(WORKERS)
        # pylint: disable=protected-access
        pids = sorted(executor._processes)
        assert len(pids) == WORKERS, pids
        time.sleep(IDLE_PAUSE_S)
        return [dict(pid=pid, **memory(pid)) for pid in pids]


def fmt_kib(value):
    return "-" if value is None else str(value)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--methods", default="fork,spawn",
                        help="start methods for start-up and memory (comma-separated)")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv[1:])
    methods = [m for m in args.methods.split(",") if m]
    default_method = multiprocessing.get_start_method()

    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"# {python}, default start method {default_method}, "
          f"{args.repeat} runs each (median / best)")
    parent = memory("self")

    rss = []
    print(f"idle workers of a warm {WORKERS}-worker pool, KiB")
    print(f"{'start method':<28} {'pid':>8}" + "".join(f" {name:>8}" for name, _ in MEMORY))
    for method in methods:
        for worker in idle_workers(multiprocessing.get_context(method)):
            print(f"{method:<28} {worker['pid']:>8}"
                  + "".join(f" {fmt_kib(worker[key]):>8}" for _, key in MEMORY))
            rss.append(dict(start_method=method, **worker))
    print(f"{'this process (parent)':<28} {'-':>8}"
          + "".join(f" {fmt_kib(parent[key]):>8}" for _, key in MEMORY))

    startup = []
    print()
    print(f"{'start-up':<28} {'workers':>7} {'first result ms':>16} {'lifecycle ms':>13} "
          "(median; best)")
    for method in methods:
        context = multiprocessing.get_context(method)
        for workers in STARTUP_WORKERS:
            cold_pool(context, workers)  # warm-up: the page cache, imports
            runs = [cold_pool(context, workers) for _ in range(args.repeat)]
            firsts = [first for first, _ in runs]
            alls = [everything for _, everything in runs]
            print(f"{method:<28} {workers:>7} "
                  f"{statistics.median(firsts) * 1e3:>9.2f}; {min(firsts) * 1e3:>5.2f} "
                  f"{statistics.median(alls) * 1e3:>7.2f}; {min(alls) * 1e3:>5.2f}", flush=True)
            startup.append({
                "start_method": method,
                "workers": workers,
                "first_result_median_s": statistics.median(firsts),
                "lifecycle_median_s": statistics.median(alls),
                "first_result_runs_s": firsts,
                "lifecycle_runs_s": alls,
            })

    print()
    results = []
    print(f"{'workload':<28} {'workers':>7} {'tasks':>7} {'median us/task':>15} "
          f"{'best us/task':>13} {'median tasks/s':>15}")
    with ProcessPoolExecutor(max_workers=WORKERS) as executor:
        for name, function, n in WORKLOADS:
            times = measure(executor, function, n, args.repeat)
            median = statistics.median(times) / n
            best = min(times) / n
            print(f"{name:<28} {WORKERS:>7} {n:>7} {median * 1e6:>15.2f} "
                  f"{best * 1e6:>13.2f} {1 / median:>15.0f}", flush=True)
            results.append({
                "workload": name,
                "start_method": default_method,
                "workers": WORKERS,
                "tasks": n,
                "median_ns_per_task": median * 1e9,
                "best_ns_per_task": best * 1e9,
                "runs_s": times,
            })

    if args.json:
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump({
                "python": python,
                "default_start_method": default_method,
                "repeat": args.repeat,
                "results": results,
                "startup": startup,
                "rss": rss,
                "parent": parent,
            }, file, indent=1)


if __name__ == "__main__":
    main(sys.argv)
