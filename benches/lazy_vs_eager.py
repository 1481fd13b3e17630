#!/usr/bin/env python3
"""The lazy-against-eager pipelines of examples/common/pipelines.rs, in CPython.

Lazy: itertools and generators, one item at a time. Eager: the same stages, each materialised
into a list by a list comprehension and kept in a local until the end.

- numbers (n = numbers taken): count() -> takewhile(x < n) -> filterfalse(x % 3 == 0)
  -> accumulate -> sum
- words (n = words in the text): the words of a text (made beforehand with the same xorshift64*
  generator as the Rust code, so the results are comparable) from a generator that finds the
  spaces (cogen's WordSplitGenerator; the eager form materialises the same generator, where
  text.split(' ') would do it in C) -> groupby -> a count per word (dict)
- digits (n = 10^e = size of the product): product(range(10), repeat=e) -> filter(digit sum
  % 9 == 0) -> islice(m) with m the number of matches (the take is satisfied at the last
  tuple) -> sum of the numbers

Prints a Markdown table: time per run (median of a few batches, lazy and eager alternating),
and peak memory above the start from tracemalloc (a separate run, since tracing slows
allocation; --no-memory skips it). --check prints the results for n = 10^3..10^5 only.

Usage: python3 benches/lazy_vs_eager.py [--min-exp 3] [--max-exp 7] [--pipeline NAME]...
                                        [--no-memory] [--json PATH] [--check]
Stdlib only.
"""

import argparse
import json
import platform
import statistics
import sys
import time
import tracemalloc
from itertools import accumulate, count, filterfalse, groupby, islice, product, takewhile

PIPELINES = ["numbers", "words", "digits"]
MASK = (1 << 64) - 1


# --- numbers ----------------------------------------------------------------------------------


def numbers_lazy(n):
    return sum(accumulate(filterfalse(lambda x: x % 3 == 0, takewhile(lambda x: x < n, count()))))


def numbers_eager(n):
    taken = [x for x in takewhile(lambda x: x < n, count())]
    kept = [x for x in taken if not x % 3 == 0]
    total = 0
    sums = [total := total + x for x in kept]
    return sum(sums)


# --- words ------------------------------------------------------------------------------------

VOCABULARY = [
    "do", "today", "what", "you", "could", "tomorrow", "the", "quick", "brown", "fox", "jumps",
    "over", "lazy", "dog", "generator", "yield", "iterator", "python", "rust", "coroutine",
    "send", "throw", "close", "lambda",
]
SEED = 0x9E3779B97F4A7C15


def make_text(words):
    """The text of pipelines::text: runs of 1 to 4 copies of a word, drawn by xorshift64*."""
    x = SEED
    out = []
    vocabulary = VOCABULARY
    while len(out) < words:
        x ^= x >> 12
        x ^= (x << 25) & MASK
        x ^= x >> 27
        r = (x * 0x2545F4914F6CDD1D) & MASK
        word = vocabulary[(r >> 32) % len(vocabulary)]
        run = 1 + (r >> 16) % 4
        out.extend([word] * min(run, words - len(out)))
    return " ".join(out)


def split_words(text):
    """The words of text split on ' ', one at a time (cogen's WordSplitter/WordSplitGenerator)."""
    start = 0
    find = text.find
    while True:
        end = find(" ", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def words_lazy(text):
    # len(list(run)) holds one run (a few words, however long the text) and is CPython's
    # fastest way to count one; sum(1 for _ in run) holds nothing but takes twice as long.
    counts = {}
    for word, run in groupby(split_words(text)):
        counts[word] = counts.get(word, 0) + len(list(run))
    return counts


def words_eager(text):
    words = [word for word in split_words(text)]
    groups = [(word, list(run)) for word, run in groupby(words)]
    counts = {}
    for word, run in groups:
        counts[word] = counts.get(word, 0) + len(run)
    return counts


def digest(counts):
    """pipelines::digest: the sum of (i + 1) * count over the words sorted."""
    return sum((i + 1) * c for i, (_, c) in enumerate(sorted(counts.items())))


# --- digits -----------------------------------------------------------------------------------


def exponent(n):
    e = len(str(n)) - 1
    if n != 10**e or not 1 <= e <= 7:
        sys.exit(f"digits: n must be 10^1 to 10^7, not {n}")
    return e


def value(digits):
    v = 0
    for d in digits:
        v = v * 10 + d
    return v


def digits_lazy(n):
    e, m = exponent(n), (n - 1) // 9 + 1
    return sum(value(t) for t in islice(filter(lambda t: sum(t) % 9 == 0, product(range(10), repeat=e)), m))


def digits_eager(n):
    e, m = exponent(n), (n - 1) // 9 + 1
    tuples = [t for t in product(range(10), repeat=e)]
    kept = [t for t in tuples if sum(t) % 9 == 0]
    taken = kept[:m]
    return sum(value(t) for t in taken)


# --- driver -----------------------------------------------------------------------------------


def prepare(pipeline, n):
    """(lazy, eager): two functions of no argument, each returning one number."""
    if pipeline == "numbers":
        return (lambda: numbers_lazy(n)), (lambda: numbers_eager(n))
    if pipeline == "words":
        text = make_text(n)
        return (lambda: digest(words_lazy(text))), (lambda: digest(words_eager(text)))
    exponent(n)
    return (lambda: digits_lazy(n)), (lambda: digits_eager(n))


def peak(f):
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    f()
    top = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return top - base


def time_both(lazy, eager):
    """Seconds per run: median over batches, lazy and eager alternating (as the Rust example)."""
    start = time.perf_counter()
    eager()
    once = time.perf_counter() - start
    runs = max(1, int(0.05 / once))
    batches = 1 if once > 5 else 3 if once > 0.2 else 5

    def batch(f):
        start = time.perf_counter()
        for _ in range(runs):
            f()
        return (time.perf_counter() - start) / runs

    lazy_times, eager_times = [], []
    for _ in range(batches):
        lazy_times.append(batch(lazy))
        eager_times.append(batch(eager))
    return statistics.median(lazy_times), statistics.median(eager_times)


def fmt_time(seconds):
    for scale, unit in ((1, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if seconds >= scale or unit == "µs":
            v = seconds / scale
            return f"{v:.0f} {unit}" if v >= 100 else f"{v:.1f} {unit}" if v >= 10 else f"{v:.2f} {unit}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-exp", type=int, default=3)
    parser.add_argument("--max-exp", type=int, default=7)
    parser.add_argument("--pipeline", action="append", choices=PIPELINES)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    pipelines = args.pipeline or PIPELINES

    if args.check:
        for pipeline in pipelines:
            for e in range(3, 6):
                lazy, eager = prepare(pipeline, 10**e)
                result = lazy()
                assert result == eager(), (pipeline, e)
                print(f'("{pipeline}", {10**e:_}, {result:_}),')
        return

    print(f"CPython {platform.python_version()}")
    print()
    print("| pipeline | n | lazy | eager | speed-up | lazy peak (B) | eager peak (B) | result |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for pipeline in pipelines:
        for e in range(args.min_exp, args.max_exp + 1):
            n = 10**e
            lazy, eager = prepare(pipeline, n)
            result = lazy()
            assert result == eager(), (pipeline, n)
            lazy_s, eager_s = time_both(lazy, eager)
            lazy_peak = eager_peak = None
            if not args.no_memory:
                lazy_peak, eager_peak = peak(lazy), peak(eager)
            row = dict(pipeline=pipeline, n=n, result=str(result), lazy_s=lazy_s, eager_s=eager_s,
                       lazy_peak_bytes=lazy_peak, eager_peak_bytes=eager_peak)
            rows.append(row)
            mem = ["n/a", "n/a"] if lazy_peak is None else [f"{lazy_peak:,}", f"{eager_peak:,}"]
            print(f"| {pipeline} | 10^{e} | {fmt_time(lazy_s)} | {fmt_time(eager_s)} | "
                  f"{eager_s / lazy_s:.2f}x | {mem[0]} | {mem[1]} | {result} |", flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump(rows, file, indent=1)


if __name__ == "__main__":
    main()
