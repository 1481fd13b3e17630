#!/usr/bin/env python3
"""Prints the itertools-peers comparison (benches/itertools_peers.rs) as a Markdown table.

Reads criterion's latest results, target/criterion/peers.<group>/<bench>/new/estimates.json
(the mean time per iteration) and the item count beside it (benchmark.json's throughput), and
prints one row per comparison and consumer: cogen's ns per item, the peer's, the ratio
cogen / peer, the target (<= 1.1 for the same work; < 1.0 for cogen's allocation-free
product, permutations and combinations against the itertools crate) and whether it is met.

With --paired, each row also gets the paired ratio: the bench binary times cogen and the
peer in alternation for about a second per row (ITERTOOLS_PEERS_PAIRED) and reports the median
of the rounds' ratios, which a burst of load on a shared machine does not skew (criterion runs
each bench in its own window, so a burst there moves one side of a ratio only). The verdict
then uses the paired ratio.

With --instructions, each row also gets callgrind's instruction counts per item (the
difference between 3 runs and 1 run of the bench, divided by 2 x its items: setup cancels
out), which do not move with the machine's load at all. That runs every bench twice under
valgrind (about a minute).

Usage: python3 scripts/itertools_table.py [--paired] [--instructions] [--exe=PATH] [criterion-dir]
       (defaults: target/criterion, and the executable `cargo bench -p cogen-benches --no-run` builds; run
       `cargo bench -p cogen-benches --bench itertools_peers` first)
Stdlib only.
"""

import glob
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

SAME = ("<= 1.1", lambda ratio: ratio <= 1.1)
FASTER = ("< 1.0", lambda ratio: ratio < 1.0)

# (function, group, cogen bench, peer, peer bench, target). Each comparison is made once per
# consumer (`.next`, `.fold`) both benches have; a `next_ref` bench (a `while let` loop) is
# compared with the peer's `.next` (a `while let Some(..) = it.next()` loop).
ROWS = [
    ("count(0, 1)", "count", "cogen", "std `(0..)`", "std_range_from", SAME),
    ("count(0, step)", "count_step", "cogen", "std `successors(.., checked_add)`",
     "std_successors", SAME),
    ("cycle_saved", "cycle", "cogen", "std `cycle`", "std_cycle", SAME),
    ("accumulate", "accumulate", "cogen", "std `scan`", "std_scan", SAME),
    ("batched(8)", "batched", "cogen", "itertools `chunks(8)` (lazy)", "itertools_chunks", SAME),
    ("batched(8)", "batched", "cogen", "std `slice.chunks(8).map(to_vec)`",
     "std_chunks_to_vec", SAME),
    ("batched(8)", "batched", "cogen", "std `slice.chunks(8)` (no `Vec`)", "std_chunks", SAME),
    ("chain (4 inputs)", "chain", "cogen", "std `flatten` (the same type)", "std_flatten", SAME),
    ("chain (4 inputs)", "chain", "cogen", "std `a.chain(b).chain(c).chain(d)`", "std_chain",
     SAME),
    ("compress", "compress", "cogen", "std `zip().filter().map()`", "std_zip_filter_map", SAME),
    ("filterfalse", "filterfalse", "cogen", "std `filter(!p)`", "std_filter", SAME),
    ("pairwise", "pairwise", "cogen", "itertools `tuple_windows::<(_, _)>`",
     "itertools_tuple_windows", SAME),
    ("pairwise", "pairwise", "cogen", "std `slice.windows(2)`", "std_windows", SAME),
    ("starmap", "starmap", "cogen", "std `map(\\|(a, b)\\| f(a, b))`", "std_map", SAME),
    ("groupby", "groupby", "cogen", "itertools `chunk_by`", "itertools_chunk_by", SAME),
    ("groupby_key", "groupby_key", "cogen", "itertools `chunk_by`", "itertools_chunk_by", SAME),
    ("islice(10, n-10)", "islice", "cogen", "std `take().skip()`", "std_take_skip", SAME),
    ("islice(10, n-10, 3)", "islice_step", "cogen", "std `take().skip().step_by()`",
     "std_take_skip_step_by", SAME),
    ("tee, 2 interleaved", "tee_interleaved", "cogen", "itertools `tee`", "itertools_tee", SAME),
    ("tee, one after the other", "tee_sequential", "cogen", "itertools `tee`", "itertools_tee",
     SAME),
    ("zip_longest (pair)", "zip_longest", "cogen", "itertools `zip_longest`",
     "itertools_zip_longest", SAME),
    ("product (`Vec`)", "product", "cogen_vec", "itertools `multi_cartesian_product`",
     "itertools_multi_cartesian_product", SAME),
    ("product_array", "product_alloc_free", "cogen_array", "itertools `iproduct!`",
     "itertools_iproduct", FASTER),
    ("product `next_ref`", "product_alloc_free", "cogen_next_ref", "itertools `iproduct!`",
     "itertools_iproduct", FASTER),
    ("permutations (`Vec`)", "permutations", "cogen_vec", "itertools `permutations`",
     "itertools_permutations", SAME),
    ("permutations_array", "permutations", "cogen_array", "itertools `permutations`",
     "itertools_permutations", FASTER),
    ("permutations `next_ref`", "permutations", "cogen_next_ref", "itertools `permutations`",
     "itertools_permutations", FASTER),
    ("combinations (`Vec`)", "combinations", "cogen_vec", "itertools `combinations`",
     "itertools_combinations", SAME),
    ("combinations_array", "combinations", "cogen_array", "itertools `array_combinations`",
     "itertools_array_combinations", FASTER),
    ("combinations_array", "combinations", "cogen_array", "itertools `tuple_combinations`",
     "itertools_tuple_combinations", FASTER),
    ("combinations `next_ref`", "combinations", "cogen_next_ref",
     "itertools `array_combinations`", "itertools_array_combinations", FASTER),
    ("combinations `next_ref`", "combinations", "cogen_next_ref",
     "itertools `tuple_combinations`", "itertools_tuple_combinations", FASTER),
    ("combinations_with_replacement (`Vec`)", "combinations_with_replacement", "cogen_vec",
     "itertools `combinations_with_replacement`", "itertools_combinations_with_replacement",
     SAME),
    ("combinations_with_replacement_array", "combinations_with_replacement", "cogen_array",
     "itertools `combinations_with_replacement`", "itertools_combinations_with_replacement",
     SAME),
    ("combinations_with_replacement `next_ref`", "combinations_with_replacement",
     "cogen_next_ref", "itertools `combinations_with_replacement`",
     "itertools_combinations_with_replacement", SAME),
]

# cogen functions that are std's own adapters: nothing to compare.
STD_OWN = [
    ("repeat, repeat_n", "std's `repeat`, `repeat_n`"),
    ("dropwhile, takewhile", "std's `SkipWhile`, `TakeWhile`"),
    ("chain!, chain_from_iterable", "std's `Chain`, `Flatten`"),
]

CONSUMERS = ("next", "fold")


def load_json(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def read_results(root):
    """{(group, bench): (ns per item, items)} for every peers.* bench with results."""
    results = {}
    pattern = os.path.join(root, "peers.*", "*", "new", "estimates.json")
    for path in glob.glob(pattern):
        bench_dir = os.path.dirname(os.path.dirname(path))
        bench = os.path.basename(bench_dir)
        group = os.path.basename(os.path.dirname(bench_dir))[len("peers."):]
        mean = load_json(path)["mean"]["point_estimate"]
        try:
            throughput = load_json(os.path.join(bench_dir, "new", "benchmark.json"))["throughput"]
            items = max(1, int(next(iter(throughput.values()))))
        except (OSError, ValueError, KeyError, TypeError, StopIteration):
            items = 1
        results[(group, bench)] = (mean / items, items)
    return results


def comparisons(results):
    """(function, consumer, group, cogen id, peer, peer id, target) for each table row."""
    rows = []
    for function, group, cogen, peer, peer_bench, target in ROWS:
        if cogen.endswith("next_ref"):
            ids = (f"{cogen}.next", f"{peer_bench}.next")
            if all((group, bench) in results for bench in ids):
                rows.append((function, "next_ref / next", group, ids[0], peer, ids[1], target))
            continue
        for consumer in CONSUMERS:
            ids = (f"{cogen}.{consumer}", f"{peer_bench}.{consumer}")
            if all((group, bench) in results for bench in ids):
                rows.append((function, consumer, group, ids[0], peer, ids[1], target))
    return rows


def bench_executable():
    out = subprocess.run(
        ["cargo", "bench", "--bench", "itertools_peers", "--no-run", "--message-format=json"],
        check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        message = json.loads(line)
        if message.get("executable") and "itertools_peers" in message["executable"]:
            return message["executable"]
    sys.exit("no itertools_peers executable")


def instructions(exe, group, bench, reps):
    env = dict(os.environ, ITERTOOLS_PEERS_RUN=f"{group}/{bench}:{reps}")
    err = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", exe],
        env=env, check=True, capture_output=True, text=True).stderr
    return int(re.search(r"Collected : (\d+)", err).group(1))


def instructions_per_item(exe, group, bench, items):
    return (instructions(exe, group, bench, 3) - instructions(exe, group, bench, 1)) / (2 * items)


def fmt(value):
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def paired_ratios(exe, rows):
    """{(group, cogen, peer): (cogen ns/item, peer ns/item, median ratio)}, timed in pairs."""
    pairs = sorted({(row[2], row[3], row[5]) for row in rows})
    spec = ";".join(f"{group}/{cogen},{group}/{peer}" for group, cogen, peer in pairs)
    out = subprocess.run([exe], env=dict(os.environ, ITERTOOLS_PEERS_PAIRED=spec),
                         check=True, capture_output=True, text=True).stdout
    ratios = {}
    for line in out.splitlines():
        a_id, b_id, a_ns, b_ns, ratio = line.split()
        group, cogen = a_id.split("/", 1)
        ratios[(group, cogen, b_id.split("/", 1)[1])] = (float(a_ns), float(b_ns), float(ratio))
    return ratios


def main(argv):
    flags = [arg for arg in argv[1:] if arg.startswith("--")]
    args = [arg for arg in argv[1:] if not arg.startswith("--")]
    with_paired = "--paired" in flags
    with_instructions = "--instructions" in flags
    exe = next((flag.partition("=")[2] for flag in flags if flag.startswith("--exe=")), "")
    root = args[0] if args else os.path.join("target", "criterion")
    results = read_results(root)
    if not results:
        sys.exit(f"{root}: no peers.* results; run `cargo bench -p cogen-benches --bench itertools_peers` first")
    rows = comparisons(results)
    if (with_paired or with_instructions) and not exe:
        exe = bench_executable()

    paired = paired_ratios(exe, rows) if with_paired else {}
    counts = {}
    if with_instructions:
        needed = sorted({(group, bench) for row in rows for group, bench in
                         ((row[2], row[3]), (row[2], row[5]))})
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {key: pool.submit(instructions_per_item, exe, *key, results[key][1])
                       for key in needed}
            counts = {key: future.result() for key, future in futures.items()}

    header = "| function | consumer | peer | cogen ns/item | peer ns/item | cogen/peer |"
    rule = "|---|---|---|---:|---:|---:|"
    if with_paired:
        header += " paired cogen/peer |"
        rule += "---:|"
    if with_instructions:
        header += " cogen instr/item | peer instr/item | instr cogen/peer |"
        rule += "---:|---:|---:|"
    header += " target | met |"
    rule += "---|---|"
    print(header)
    print(rule)
    met_count = 0
    for function, consumer, group, cogen, peer, peer_bench, (target, test) in rows:
        cogen_ns = results[(group, cogen)][0]
        peer_ns = results[(group, peer_bench)][0]
        ratio = cogen_ns / peer_ns
        line = (f"| {function} | {consumer} | {peer} | {fmt(cogen_ns)} | {fmt(peer_ns)} | "
                f"{ratio:.2f} |")
        if with_paired:
            ratio = paired[(group, cogen, peer_bench)][2]
            line += f" {ratio:.2f} |"
        if with_instructions:
            cogen_i = counts[(group, cogen)]
            peer_i = counts[(group, peer_bench)]
            line += f" {fmt(cogen_i)} | {fmt(peer_i)} | {cogen_i / peer_i:.2f} |"
        met = test(ratio)
        met_count += met
        line += f" {target} | {'yes' if met else '**no**'} |"
        print(line)
    blanks = " |" * (5 + with_paired + 3 * with_instructions)
    for function, what in STD_OWN:
        print(f"| {function} | | {what}: the same type{blanks} (std's own) |")
    print()
    print(f"{met_count} of {len(rows)} comparisons meet their target"
          f" ({'paired' if with_paired else 'criterion'} ratios).")


if __name__ == "__main__":
    main(sys.argv)
