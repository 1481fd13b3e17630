#!/usr/bin/env python3
"""Callgrind's instructions per item of cogen's itertools benches in two bench binaries: a
before/after table for a change to `src/iter/` (deterministic, unlike times).

Build the bench binary at each commit (`cargo bench -p cogen-benches --bench itertools_peers --no-run`; for the
old one, in a `git worktree` with its own target directory, with the same bench sources), then:

    python3 scripts/itertools_instructions_diff.py BEFORE_EXE AFTER_EXE [PATTERN]

PATTERN (a regular expression, default: every cogen bench) selects benches by their id
(`group/bench`). Two benches run at once (one per core). Stdlib only.
"""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from itertools_table import instructions_per_item  # noqa: E402


def benches(exe, pattern):
    """(id, items) of each bench the binary lists whose id matches `pattern`."""
    listed = subprocess.run([exe], env=dict(os.environ, ITERTOOLS_PEERS_RUN="list"),
                            check=True, capture_output=True, text=True).stdout
    for line in listed.splitlines():
        bench_id, items = line.split()
        if re.search(pattern, bench_id):
            yield bench_id, int(items)


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    before, after = argv[1], argv[2]
    pattern = argv[3] if len(argv) == 4 else r"/cogen"
    with ThreadPoolExecutor(2) as pool:
        rows = [
            (bench_id,
             pool.submit(instructions_per_item, before, *bench_id.split("/", 1), items),
             pool.submit(instructions_per_item, after, *bench_id.split("/", 1), items))
            for bench_id, items in benches(after, pattern)
        ]
        print("| bench | before | after |")
        print("|---|---:|---:|")
        for bench_id, old, new in rows:
            print(f"| {bench_id} | {old.result():.2f} | {new.result():.2f} |")


if __name__ == "__main__":
    main(sys.argv)
