#!/usr/bin/env python3
"""Prints criterion's latest results as Markdown tables, one per benchmark group.

Reads target/criterion/<group>/<bench>/new/estimates.json (mean time per iteration, in ns)
and the throughput recorded beside it in benchmark.json, and prints, per group: the bench,
the mean time per element (ns) with its 95% confidence interval, and the ratio of the mean to
the group's `hand_written` bench.

Usage: python3 scripts/bench_table.py [criterion-dir] [group ...]
       (defaults: target/criterion, every group found, benches/generators.rs order first)
Stdlib only.
"""

import json
import os
import sys

# The order of benches/generators.rs; benches not listed here follow, alphabetically.
GROUP_ORDER = ["per_yield", "create_run_drop", "per_send", "coroutine"]
BENCH_ORDER = [
    "hand_written",
    "std_from_fn",
    "diapause",
    "corosensei",
    "next_gen",
    "genawaiter_stack",
    "genawaiter_rc",
    "genawaiter_sync",
    "cogen_boxed",
    "cogen_pinned",
    "cogen_boxed_fold",
    "cogen_pinned_fold",
]
BASELINE = "hand_written"


def ordered(names, order):
    known = [name for name in order if name in names]
    return known + sorted(name for name in names if name not in order)


def load_json(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def elements_per_iteration(bench_dir):
    """The `Throughput::Elements` (or Bytes, ...) count of a bench; 1 when it has none."""
    path = os.path.join(bench_dir, "new", "benchmark.json")
    try:
        throughput = load_json(path).get("throughput")
    except (OSError, ValueError):
        return 1
    if isinstance(throughput, dict) and throughput:
        # {"Elements": 10000}, {"Bytes": ...}, ...
        return max(1, int(next(iter(throughput.values()))))
    return 1


def read_group(group_dir):
    """{bench: (mean, low, high)} in ns per element, for the benches that have results."""
    results = {}
    for bench in os.listdir(group_dir):
        bench_dir = os.path.join(group_dir, bench)
        path = os.path.join(bench_dir, "new", "estimates.json")
        if not os.path.isfile(path):
            continue
        mean = load_json(path)["mean"]
        per = elements_per_iteration(bench_dir)
        interval = mean["confidence_interval"]
        results[bench] = (
            mean["point_estimate"] / per,
            interval["lower_bound"] / per,
            interval["upper_bound"] / per,
        )
    return results


def fmt_ns(value):
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def print_table(group, results):
    baseline = results.get(BASELINE, (None,))[0]
    per = "element" if group != "create_run_drop" else "generator"
    print(f"### {group}")
    print()
    print(f"| bench | mean ns per {per} | 95% CI (ns) | ratio to {BASELINE} |")
    print("|---|---:|---:|---:|")
    for bench in ordered(results, BENCH_ORDER):
        mean, low, high = results[bench]
        ratio = f"{mean / baseline:.2f}x" if baseline else "n/a"
        print(f"| {bench} | {fmt_ns(mean)} | {fmt_ns(low)} – {fmt_ns(high)} | {ratio} |")
    print()


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join("target", "criterion")
    if not os.path.isdir(root):
        sys.exit(f"{root}: no criterion results; run `cargo bench -p cogen-benches --bench generators` first")
    groups = argv[2:] or ordered(
        [name for name in os.listdir(root) if os.path.isdir(os.path.join(root, name))],
        GROUP_ORDER,
    )
    printed = False
    for group in groups:
        group_dir = os.path.join(root, group)
        if not os.path.isdir(group_dir):
            print(f"{group}: no results", file=sys.stderr)
            continue
        results = read_group(group_dir)
        if results:
            print_table(group, results)
            printed = True
    if not printed:
        sys.exit(f"{root}: no estimates.json found")


if __name__ == "__main__":
    main(sys.argv)
