#!/usr/bin/env bash
# Instructions per item of every generator peer on every loop of benches/yield_instructions.rs,
# counted by callgrind: the difference between runs of 1,100,000 and 100,000 items, divided by
# 1,000,000 (setup cancels out). Per value yielded (summing, folding), per value sent
# (averager), per generator made and dropped (create, coroutine). "-" where a peer has no such
# loop (only cogen has a fold that differs from its `next`).
#   bash scripts/yield_instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p cogen-benches --bench yield_instructions --no-run --quiet 2>/dev/null
exe=$(cargo bench -p cogen-benches --bench yield_instructions --no-run --message-format=json 2>/dev/null \
    | grep -o '"executable":"[^"]*yield_instructions[^"]*"' | sed 's/"executable":"\(.*\)"/\1/')
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$exe" "$@" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
per_item() {
    local small large
    small=$(count "$1" "$2" 100000) || return 1
    large=$(count "$1" "$2" 1100000) || return 1
    [ -n "$small" ] && [ -n "$large" ] || return 1
    echo $(( (large - small) / 1000000 ))
}
peers=(hand_written hand_written_boxed std_from_fn diapause corosensei next_gen genawaiter_stack genawaiter_rc genawaiter_sync cogen_boxed cogen_pinned)
header="| loop |"
rule="|---|"
for peer in "${peers[@]}"; do header+=" $peer |"; rule+="---:|"; done
echo "$header"
echo "$rule"
for shape in summing folding averager create coroutine lone_averager shared_next shared_send shared_fold shared_generic shared_generic_send; do
    row="| $shape |"
    for peer in "${peers[@]}"; do
        row+=" $(per_item "$shape" "$peer" 2>/dev/null || echo -) |"
    done
    echo "$row"
done
