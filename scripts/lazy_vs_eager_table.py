#!/usr/bin/env python3
"""Prints the "Lazy against eager" tables of BENCHMARKS.md, one per pipeline: cogen lazy and
eager (criterion's mean time per run, `cargo bench -p cogen-benches --bench lazy_vs_eager`), CPython lazy and
eager (`python3 benches/lazy_vs_eager.py --json ...`), and peak heap (the example's counting
allocator, `cargo run --release --example lazy_vs_eager -- --json ...`; tracemalloc for Python).

Usage: python3 scripts/lazy_vs_eager_table.py [--criterion target/criterion]
           [--heap target/lazy_vs_eager_heap.json] [--python target/lazy_vs_eager_python.json]
A missing source leaves its columns out. Stdlib only.
"""

import argparse
import json
import os

PIPELINES = ["numbers", "words", "digits"]
SIZES = [10**e for e in range(3, 8)]


def load(path):
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except OSError:
        return None


def criterion_mean(root, pipeline, form, n):
    """Seconds per run (criterion's mean), or None."""
    path = os.path.join(root, f"lazy_vs_eager_{pipeline}", form, str(n), "new", "estimates.json")
    estimates = load(path)
    return None if estimates is None else estimates["mean"]["point_estimate"] * 1e-9


def by_key(rows):
    return {(row["pipeline"], row["n"]): row for row in rows or []}


def fmt_time(seconds):
    if seconds is None:
        return "–"
    for scale, unit in ((1, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if seconds >= scale or unit == "µs":
            v = seconds / scale
            digits = 0 if v >= 100 else 1 if v >= 10 else 2
            return f"{v:.{digits}f} {unit}"
    return "–"


def fmt_bytes(count):
    if count is None:
        return "–"
    if count < 64 * 1024:
        return f"{count:,} B"
    return f"{count / 2**20:,.1f} MiB"


def ratio(eager, lazy):
    return "–" if eager is None or lazy is None else f"{eager / lazy:.2f}x"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--criterion", default=os.path.join("target", "criterion"))
    parser.add_argument("--heap", default=os.path.join("target", "lazy_vs_eager_heap.json"))
    parser.add_argument("--python", default=os.path.join("target", "lazy_vs_eager_python.json"))
    args = parser.parse_args()
    heap = by_key(load(args.heap))
    python = by_key(load(args.python))

    for pipeline in PIPELINES:
        print(f"#### {pipeline}")
        print()
        print("| n | cogen lazy | cogen eager | eager/lazy | CPython lazy | CPython eager "
              "| eager/lazy | cogen lazy heap | cogen eager heap | CPython lazy peak "
              "| CPython eager peak |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in SIZES:
            lazy = criterion_mean(args.criterion, pipeline, "lazy", n)
            eager = criterion_mean(args.criterion, pipeline, "eager", n)
            rust_heap = heap.get((pipeline, n), {})
            py = python.get((pipeline, n), {})
            cells = [
                f"10^{len(str(n)) - 1}",
                fmt_time(lazy),
                fmt_time(eager),
                ratio(eager, lazy),
                fmt_time(py.get("lazy_s")),
                fmt_time(py.get("eager_s")),
                ratio(py.get("eager_s"), py.get("lazy_s")),
                fmt_bytes(rust_heap.get("lazy_peak_bytes")),
                fmt_bytes(rust_heap.get("eager_peak_bytes")),
                fmt_bytes(py.get("lazy_peak_bytes")),
                fmt_bytes(py.get("eager_peak_bytes")),
            ]
            print("| " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
