#!/usr/bin/env python3
"""Prints the process-pool benchmarks (benches/process_pool.rs, benches/process_pool_cpython.py)
as Markdown.

Reads criterion's results, target/criterion/process_pool_<group>/<bench>/w<n>/new/estimates.json
(the median time per iteration, with its 95% confidence interval; per task where the bench
declares a throughput), the idle workers' memory that the bench wrote to
target/process_pool_rss.json, and the JSON that `benches/process_pool_cpython.py --json FILE`
wrote (medians). Prints:

- one table of times: cogen's process pool, cogen's thread pool (the same task through the
  `Executor` trait), CPython's ProcessPoolExecutor (fork; spawn for start-up), and the ratios
  CPython / cogen processes (above 1x: cogen is faster), against the issue's 10x target;
- one table of memory per idle worker (VmRSS, RssAnon, RssFile, Pss, Uss), with the ratio
  cogen / CPython against the issue's 1/10 target.

Usage: python3 scripts/process_pool_table.py [--criterion DIR] [--rss FILE] [--cpython FILE]
       (defaults: target/criterion, target/process_pool_rss.json,
       target/process_pool_cpython.json; missing inputs leave their cells as –)
Stdlib only.
"""

import argparse
import json
import os
import statistics
import sys

# (label, criterion group, cogen process bench, cogen thread bench, param, CPython workload,
#  CPython start method or None for the pool workloads, quantity, target speed-up)
TIME_ROWS = [
    ("latency: submit + join one task, warm pool", "process_pool_latency",
     "cogen_process_submit_join", "cogen_thread_submit_join", "w2",
     "latency_submit_result", None, "per task", None),
    ("throughput: submit 100,000, then join all", "process_pool_throughput",
     "cogen_process_submit_join", "cogen_thread_submit_join", "w2",
     "throughput_submit_result", None, "per task", 10),
    ("throughput: map, chunksize 1000", "process_pool_throughput",
     "cogen_process_map_chunked_1000", "cogen_thread_map_chunked_1000", "w2",
     "throughput_map_chunked_1000", None, "per task", 10),
    ("throughput: map, chunksize 1", "process_pool_throughput",
     "cogen_process_map", "cogen_thread_map", "w2",
     "throughput_map", None, "per task", None),
    ("start-up, 1 worker: new pool to first result", "process_pool_startup",
     "cogen_process_first_result", "cogen_thread_first_result", "w1",
     "first_result", "startup", "per pool", 10),
    ("start-up, 2 workers: new pool to first result", "process_pool_startup",
     "cogen_process_first_result", "cogen_thread_first_result", "w2",
     "first_result", "startup", "per pool", 10),
    ("life cycle, 1 worker: new, 1 result, shut down", "process_pool_startup",
     "cogen_process_lifecycle", "cogen_thread_lifecycle", "w1",
     "lifecycle", "startup", "per pool", None),
    ("life cycle, 2 workers: new, 2 results, shut down", "process_pool_startup",
     "cogen_process_lifecycle", "cogen_thread_lifecycle", "w2",
     "lifecycle", "startup", "per pool", None),
]
MEMORY_FIELDS = [
    ("VmRSS", "vmrss_kib"),
    ("RssAnon", "rss_anon_kib"),
    ("RssFile", "rss_file_kib"),
    ("Pss", "pss_kib"),
    ("Uss", "uss_kib"),
]


def load_json(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def criterion_median(root, group, bench, param):
    """(median, low, high) in ns per element (per iteration without a throughput), or None."""
    new = os.path.join(root, group, bench, param, "new")
    path = os.path.join(new, "estimates.json")
    if not os.path.isfile(path):
        return None
    per = 1
    throughput = load_json(os.path.join(new, "benchmark.json")).get("throughput")
    if isinstance(throughput, dict) and throughput:
        per = max(1, int(next(iter(throughput.values()))))
    median = load_json(path)["median"]
    interval = median["confidence_interval"]
    return (
        median["point_estimate"] / per,
        interval["lower_bound"] / per,
        interval["upper_bound"] / per,
    )


def cpython_time(cpython, workload, kind, method, param):
    """CPython's median in ns (per task, or per pool for start-up), or None."""
    if not cpython:
        return None
    workers = int(param[1:])
    if kind is None:
        for row in cpython["results"]:
            if row["workload"] == workload and row["workers"] == workers:
                return row["median_ns_per_task"]
        return None
    for row in cpython.get("startup", []):
        if row["start_method"] == method and row["workers"] == workers:
            return row[f"{workload}_median_s"] * 1e9
    return None


def fmt_ns(value):
    if value is None:
        return "–"
    if value >= 1e6:
        return f"{value / 1e6:.2f} ms"
    if value >= 10_000:
        return f"{value / 1000:.1f} µs"
    if value >= 1000:
        return f"{value / 1000:.2f} µs"
    if value >= 100:
        return f"{value:.0f} ns"
    return f"{value:.1f} ns"


def fmt_measured(value, quantity):
    if value is None:
        return "–"
    ns, low, high = value
    text = f"{fmt_ns(ns)} ({fmt_ns(low)} – {fmt_ns(high)})"
    if quantity == "per task":
        text += f", {1e9 / ns / 1e3:,.0f} k/s"
    return text


def fmt_ratio(theirs, ours):
    return f"{theirs / ours:.1f}x" if theirs and ours else "–"


def times_table(root, cpython):
    print("### Times (2 workers unless said; criterion medians (95% CI), CPython medians)")
    print()
    print("| measurement | cogen processes | cogen threads | CPython fork | CPython spawn "
          "| CPython fork / cogen processes | CPython spawn / cogen processes | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for (label, group, process, thread, param, workload, kind, quantity,
         target) in TIME_ROWS:
        ours = criterion_median(root, group, process, param)
        threads = criterion_median(root, group, thread, param)
        fork = cpython_time(cpython, workload, kind, "fork", param)
        spawn = cpython_time(cpython, workload, kind, "spawn", param) if kind else None
        ours_ns = ours[0] if ours else None
        if target is None:
            verdict = "(for reference)"
        else:
            ratio = fork / ours_ns if fork and ours_ns else None
            verdict = f"≥ {target}x: " + (
                "–" if ratio is None else ("met" if ratio >= target else "**not met**"))
        print(f"| {label} ({quantity}) | {fmt_measured(ours, quantity)} "
              f"| {fmt_measured(threads, quantity)} | {fmt_ns(fork)} "
              f"| {fmt_ns(spawn) if kind else '–'} | {fmt_ratio(fork, ours_ns)} "
              f"| {fmt_ratio(spawn, ours_ns) if kind else '–'} | {verdict} |")
    print()


def mean_field(rows, key):
    values = [row[key] for row in rows if row.get(key) is not None]
    return statistics.mean(values) if values else None


def fmt_kib(value):
    if value is None:
        return "–"
    if value >= 1024:
        return f"{value / 1024:.2f} MiB"
    return f"{value:.0f} KiB"


def memory_table(rss, cpython):
    print("### Memory per idle worker (after a warm-up task; mean over the pool's 2 workers)")
    print()
    header = "| worker |" + "".join(f" {name} |" for name, _ in MEMORY_FIELDS)
    print(header)
    print("|---|" + "---:|" * len(MEMORY_FIELDS))
    rows = []
    if rss:
        rows.append(("cogen process worker",
                     {key: mean_field(rss["process_workers"], key) for _, key in MEMORY_FIELDS}))
        rows.append(("cogen thread worker (growth of the process per thread)",
                     rss["thread_growth_per_worker"]))
    for method in ("fork", "spawn"):
        workers = [row for row in (cpython or {}).get("rss", []) if row["start_method"] == method]
        if workers:
            rows.append((f"CPython process worker ({method})",
                         {key: mean_field(workers, key) for _, key in MEMORY_FIELDS}))
    for label, values in rows:
        print(f"| {label} |" + "".join(f" {fmt_kib(values.get(key))} |"
                                       for _, key in MEMORY_FIELDS))
    cogen = dict(rows).get("cogen process worker")
    for method in ("fork", "spawn"):
        theirs = dict(rows).get(f"CPython process worker ({method})")
        if not cogen or not theirs:
            continue
        cells = []
        for _, key in MEMORY_FIELDS:
            if cogen.get(key) and theirs.get(key):
                ratio = cogen[key] / theirs[key]
                cells.append(f"{ratio:.2f} ({'met' if ratio <= 0.1 else '**not met**'})")
            else:
                cells.append("–")
        print(f"| cogen / CPython {method} (target ≤ 0.10) |" + "".join(f" {c} |" for c in cells))
    if rss:
        parent = rss["parent"]
        print(f"| (the cogen bench process itself, for scale) |"
              + "".join(f" {fmt_kib(parent.get(key))} |" for _, key in MEMORY_FIELDS))
    if cpython and cpython.get("parent"):
        parent = cpython["parent"]
        print(f"| (the CPython parent process, for scale) |"
              + "".join(f" {fmt_kib(parent.get(key))} |" for _, key in MEMORY_FIELDS))
    print()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--criterion", default=os.path.join("target", "criterion"))
    parser.add_argument("--rss", default=os.path.join("target", "process_pool_rss.json"))
    parser.add_argument("--cpython", default=os.path.join("target", "process_pool_cpython.json"))
    args = parser.parse_args(argv[1:])
    if not os.path.isdir(args.criterion):
        sys.exit(f"{args.criterion}: no criterion results; run `cargo bench -p cogen-benches --bench process_pool`")
    cpython = load_json(args.cpython) if os.path.isfile(args.cpython) else None
    rss = load_json(args.rss) if os.path.isfile(args.rss) else None
    if cpython:
        print(f"CPython: {cpython['python']}, default start method "
              f"{cpython['default_start_method']}, median of {cpython['repeat']} runs.")
        print()
    times_table(args.criterion, cpython)
    memory_table(rss, cpython)


if __name__ == "__main__":
    main(sys.argv)
