#!/usr/bin/env bash
# Instructions per yield of each peer on the summing loop, counted by callgrind: the difference
# between runs of 1,100,000 and 100,000 items, divided by 1,000,000 (setup cancels out). Then the
# same for the averager driven by `send` (per value sent) and for short generators (per
# generator made, run through its three items and dropped).
#   bash scripts/yield_instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench yield_instructions --no-run --quiet 2>/dev/null
exe=$(cargo bench --bench yield_instructions --no-run --message-format=json 2>/dev/null \
    | grep -o '"executable":"[^"]*yield_instructions[^"]*"' | sed 's/"executable":"\(.*\)"/\1/')
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" "$1" "$2" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
per_item() {
    local small large
    small=$(count "$1" 100000)
    large=$(count "$1" 1100000)
    echo $(( (large - small) / 1000000 ))
}
echo "| peer | instructions per yield |"
echo "|---|---:|"
for peer in hand_written std_from_fn cogen_boxed cogen_pinned genawaiter_stack genawaiter_rc genawaiter_sync next_gen; do
    echo "| $peer | $(per_item "$peer") |"
done
echo
echo "| coroutine loop | instructions per item |"
echo "|---|---:|"
for peer in hand_averager cogen_averager hand_create cogen_boxed_create cogen_pinned_create; do
    echo "| $peer | $(per_item "$peer") |"
done
