#!/usr/bin/env bash
# Runs cogen's test binaries (unit and integration tests) and the seed examples under valgrind
# memcheck. Fails on any memory error or on memory definitely lost.
#
#   bash scripts/memcheck.sh            # every test binary and example
#   bash scripts/memcheck.sh generator  # only binaries whose name contains "generator"
set -euo pipefail
cd "$(dirname "$0")/.."
filter="${1:-}"

command -v valgrind >/dev/null || { echo "memcheck: valgrind is not installed" >&2; exit 2; }

# Build first; the JSON messages name every executable the tests use, examples included.
executables=$(cargo test --no-run --message-format=json 2>/dev/null \
    | grep -o '"executable":"[^"]*"' | sed 's/"executable":"\(.*\)"/\1/' | sort -u)

failed=0
count=0
while IFS= read -r exe; do
    [ -n "$exe" ] || continue
    case "$(basename "$exe")" in *"$filter"*) ;; *) continue ;; esac
    count=$((count + 1))
    echo "== memcheck $(basename "$exe")"
    # --test-threads=1 keeps the run short and the reports readable; examples ignore the flag.
    args=()
    case "$exe" in */deps/*) args=(--test-threads=1) ;; esac
    # Examples that wait or compute for seconds natively get their short forms.
    case "$(basename "$exe")" in
        futures_sum) args=(--quick) ;;
        loiter) args=(--unit-ms 20) ;;
        flags) args=(--delay-ms 5) ;;
        spinner) args=(--slow-ms 200) ;;
    esac
    # The pool's stress test runs a million tasks natively; a few thousand say as much here.
    if ! COGEN_STRESS_TASKS=5000 valgrind --quiet --error-exitcode=101 --leak-check=full \
        --errors-for-leak-kinds=definite --show-leak-kinds=definite \
        "$exe" "${args[@]}" >/tmp/memcheck.out 2>&1; then
        cat /tmp/memcheck.out
        echo "memcheck: FAILED $(basename "$exe")"
        failed=$((failed + 1))
    else
        grep -E "^test result" /tmp/memcheck.out || true
    fi
done <<< "$executables"

echo "memcheck: $count binaries, $failed failed"
[ "$failed" -eq 0 ]
