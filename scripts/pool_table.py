#!/usr/bin/env python3
"""Prints the thread-pool benchmarks (benches/pool.rs, benches/pool_cpython.py) as Markdown.

Reads criterion's results, target/criterion/pool_<group>/<bench>/<param>/new/estimates.json
(the median time per iteration, with its 95% confidence interval) and the throughput beside it
in benchmark.json, and the JSON that `benches/pool_cpython.py --json FILE` wrote (the best of
its runs). Prints:

- latency and throughput tables: time per task for each peer and worker count, and the ratio
  of each peer's time to cogen's (`cogen_submit_join` at the same worker count; above 1x:
  cogen is faster);
- the issue's targets: cogen's throughput over CPython's, cogen's time over the threadpool
  crate's;
- the as_completed table: total time and time per handle for each n.

Usage: python3 scripts/pool_table.py [--criterion DIR] [--cpython FILE]
       (defaults: target/criterion, target/pool_cpython.json; without the CPython file its
       rows are left out)
Stdlib only.
"""

import argparse
import json
import os
import sys

BASELINE = "cogen_submit_join"
WORKERS = ("w2", "w4")
LATENCY_ORDER = [
    "cogen_submit_join",
    "cogen_submit_result",
    "threadpool_oneshot",
    "rayon_spawn_oneshot",
]
THROUGHPUT_ORDER = [
    "cogen_submit_join",
    "cogen_submit_result",
    "cogen_map",
    "cogen_map_buffered_all",
    "cogen_map_unordered",
    "cogen_as_completed",
    "threadpool_oneshot",
    "threadpool_shared_channel",
    "rayon_spawn_oneshot",
    "rayon_spawn_shared_channel",
]
# CPython workloads (benches/pool_cpython.py) shown as rows of the Rust tables.
CPYTHON_LATENCY = {"cpython_submit_result": "latency_submit_result"}
CPYTHON_THROUGHPUT = {
    "cpython_submit_result": "throughput_submit_result",
    "cpython_map": "throughput_map",
    "cpython_as_completed": "throughput_as_completed",
}
# (cogen bench, CPython workload): the throughput comparisons of the 30x target.
CPYTHON_PAIRS = [
    ("cogen_submit_join", "cpython_submit_result"),
    ("cogen_submit_result", "cpython_submit_result"),
    ("cogen_map", "cpython_map"),
    ("cogen_map_buffered_all", "cpython_map"),
    ("cogen_as_completed", "cpython_as_completed"),
]
THREADPOOL_PEERS = ["threadpool_oneshot", "threadpool_shared_channel"]


def load_json(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def read_group(root, group):
    """{(bench, param): (median, low, high)} in ns per element."""
    results = {}
    group_dir = os.path.join(root, group)
    if not os.path.isdir(group_dir):
        return results
    for bench in os.listdir(group_dir):
        bench_dir = os.path.join(group_dir, bench)
        if not os.path.isdir(bench_dir) or bench == "report":
            continue
        for param in os.listdir(bench_dir):
            new = os.path.join(bench_dir, param, "new")
            path = os.path.join(new, "estimates.json")
            if not os.path.isfile(path):
                continue
            per = 1
            throughput = load_json(os.path.join(new, "benchmark.json")).get("throughput")
            if isinstance(throughput, dict) and throughput:
                per = max(1, int(next(iter(throughput.values()))))
            median = load_json(path)["median"]
            interval = median["confidence_interval"]
            results[(bench, param)] = (
                median["point_estimate"] / per,
                interval["lower_bound"] / per,
                interval["upper_bound"] / per,
            )
    return results


def read_cpython(path):
    """{(workload, "w<workers>"): best ns per task}, and the Python version."""
    if not path or not os.path.isfile(path):
        return {}, None
    data = load_json(path)
    results = {
        (row["workload"], f"w{row['workers']}"): row["best_ns_per_task"]
        for row in data["results"]
    }
    return results, f"{data['python']}, best of {data['repeat']} runs"


def fmt_ns(value):
    if value >= 10_000:
        return f"{value / 1000:.1f} µs"
    if value >= 1000:
        return f"{value / 1000:.2f} µs"
    if value >= 100:
        return f"{value:.0f} ns"
    return f"{value:.1f} ns"


def fmt_rate(ns):
    per_second = 1e9 / ns
    if per_second >= 1e6:
        return f"{per_second / 1e6:.2f} M/s"
    return f"{per_second / 1e3:.0f} k/s"


def ordered(names, order):
    return [name for name in order if name in names] + sorted(
        name for name in names if name not in order
    )


def peer_table(title, results, order, cpython, cpython_rows):
    """Rows: peers; per worker count: time per task (95% CI), tasks/s, ratio to cogen."""
    rows = {}
    for (bench, param), value in results.items():
        rows.setdefault(bench, {})[param] = value
    for row, workload in cpython_rows.items():
        for param in WORKERS:
            if (workload, param) in cpython:
                ns = cpython[(workload, param)]
                rows.setdefault(row, {})[param] = (ns, None, None)
    if not rows:
        return
    print(f"### {title}")
    print()
    header = "| peer |"
    rule = "|---|"
    for param in WORKERS:
        workers = param[1:]
        header += f" {workers} workers: per task (95% CI) | tasks/s | vs {BASELINE} |"
        rule += "---:|---:|---:|"
    print(header)
    print(rule)
    for bench in ordered(rows, order + list(cpython_rows)):
        line = f"| {bench} |"
        for param in WORKERS:
            value = rows[bench].get(param)
            baseline = rows.get(BASELINE, {}).get(param)
            if value is None:
                line += " – | – | – |"
                continue
            ns, low, high = value
            ci = f" ({fmt_ns(low)} – {fmt_ns(high)})" if low is not None else ""
            ratio = f"{ns / baseline[0]:.2f}x" if baseline else "n/a"
            line += f" {fmt_ns(ns)}{ci} | {fmt_rate(ns)} | {ratio} |"
        print(line)
    print()


def targets_table(throughput, cpython):
    print("### Targets")
    print()
    print("| comparison | 2 workers | 4 workers | target |")
    print("|---|---:|---:|---|")

    def median(bench, param):
        value = throughput.get((bench, param))
        return value[0] if value else None

    for cogen, peer in CPYTHON_PAIRS:
        workload = CPYTHON_THROUGHPUT[peer]
        cells = []
        for param in WORKERS:
            ours, theirs = median(cogen, param), cpython.get((workload, param))
            cells.append(f"{theirs / ours:.1f}x" if ours and theirs else "–")
        print(f"| throughput of {cogen} over {peer} | {cells[0]} | {cells[1]} | ≥ 30x |")
    for peer in THREADPOOL_PEERS:
        cells = []
        for param in WORKERS:
            ours, theirs = median(BASELINE, param), median(peer, param)
            cells.append(f"{ours / theirs:.2f}x" if ours and theirs else "–")
        print(f"| time of {BASELINE} over {peer} | {cells[0]} | {cells[1]} | ≤ 1.5x |")
    print()


def as_completed_table(results):
    sizes = sorted({int(param) for (_, param) in results})
    if not sizes:
        return
    print("### pool_as_completed (2 workers)")
    print()
    print("| handles | submitted: total | per handle | done: total | per handle |")
    print("|---:|---:|---:|---:|---:|")
    for n in sizes:
        line = f"| {n:,} |"
        for bench in ("submitted", "done"):
            value = results.get((bench, str(n)))
            if value is None:
                line += " – | – |"
                continue
            per_handle = value[0]
            line += f" {per_handle * n / 1e6:.2f} ms | {fmt_ns(per_handle)} |"
        print(line)
    print()
    for bench in ("submitted", "done"):
        per = [results[(bench, str(n))][0] for n in sizes if (bench, str(n)) in results]
        if len(per) >= 2:
            spread = max(per) / min(per)
            print(
                f"{bench}: per-handle time from {fmt_ns(min(per))} to {fmt_ns(max(per))} "
                f"over n = {sizes[0]:,}–{sizes[-1]:,}: {spread:.2f}x apart (a flat time per "
                "handle is a total time linear in n)."
            )
    print()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--criterion", default=os.path.join("target", "criterion"))
    parser.add_argument("--cpython", default=os.path.join("target", "pool_cpython.json"))
    args = parser.parse_args(argv[1:])
    if not os.path.isdir(args.criterion):
        sys.exit(f"{args.criterion}: no criterion results; run `cargo bench -p cogen-benches --bench pool`")
    cpython, version = read_cpython(args.cpython)
    if version:
        print(f"CPython: {version}.")
        print()
    latency = read_group(args.criterion, "pool_latency")
    throughput = read_group(args.criterion, "pool_throughput")
    peer_table(
        "pool_latency: submit one task, block for its result",
        latency, LATENCY_ORDER, cpython, CPYTHON_LATENCY,
    )
    peer_table(
        "pool_throughput: submit 100,000 tasks, then collect every result",
        throughput, THROUGHPUT_ORDER, cpython, CPYTHON_THROUGHPUT,
    )
    if throughput:
        targets_table(throughput, cpython)
    as_completed_table(read_group(args.criterion, "pool_as_completed"))


if __name__ == "__main__":
    main(sys.argv)
