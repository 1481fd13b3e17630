#!/usr/bin/env bash
# Runs the tests that reach cogen's `unsafe` code and its locks under Miri, once with Stacked
# Borrows and once with Tree Borrows. Installs the pinned nightly with Miri through rustup first.
#
#   bash scripts/miri.sh          # both models
#   bash scripts/miri.sh stacked  # one of them (stacked or tree)
#
# Any undefined behaviour, leak or failed test fails the run. A machine that cannot fetch the
# toolchain fails it too, loudly: Miri is never skipped in silence.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned: a newer nightly may report new things, which should be a change of its own.
TOOLCHAIN=nightly-2026-09-01

if [ -z "${COGEN_MIRI_READY:-}" ]; then
    install_log=$(mktemp)
    if ! rustup toolchain install "$TOOLCHAIN" --profile minimal --component miri,rust-src \
        >"$install_log" 2>&1; then
        cat "$install_log" >&2
        printf '\n%s\n' "!!! miri: could not install $TOOLCHAIN with the miri component through rustup." >&2
        printf '%s\n\n' "!!! Miri did NOT run: the soundness checks of this build are missing." >&2
        exit 1
    fi
    rm -f "$install_log"
    # Builds Miri's standard library once, before the two models share it.
    cargo "+$TOOLCHAIN" miri setup >/dev/null 2>&1 || cargo "+$TOOLCHAIN" miri setup
    export COGEN_MIRI_READY=1
fi

# With no model named, both run at once (one per core), each in a target directory of its own
# so that neither waits for the other's build lock; their reports follow each other.
if [ $# -eq 0 ]; then
    logs=$(mktemp -d)
    bash "$0" stacked >"$logs/stacked" 2>&1 &
    stacked=$!
    bash "$0" tree >"$logs/tree" 2>&1 &
    tree=$!
    failed=0
    wait "$stacked" || failed=1
    wait "$tree" || failed=1
    cat "$logs/stacked" "$logs/tree"
    rm -rf "$logs"
    [ "$failed" -eq 0 ] && echo "miri: clean under Stacked and Tree Borrows"
    exit "$failed"
fi
model=$1

# What Miri cannot run, by test name, and why. Everything else in these files runs.
#  - Timers: async-io's reactor needs `timerfd_create`, which Miri does not emulate; so do the
#    event loop (`cogen::rt`) and every test that awaits `async_io::Timer`. The bodies that
#    await in tests/aliasing.rs use futures Miri can run instead, to cover the same paths.
#  - Sockets: none of the files below opens one (tests/rt.rs, tests/examples.rs and the pool's
#    stress and flags tests are left out whole: sockets, timers, or millions of tasks).
#  - tests/itertools_props.rs (proptest) and tests/itertools_cpython.rs reach no `unsafe` or
#    lock that tests/iter_api.rs and tests/panic_safety.rs do not, at a hundred times the cost.
#  - Doc tests: Miri would build each of the few hundred examples as a crate of its own; the
#    generator examples do what tests/generator.rs and tests/semantics.rs do.
generator_skips=(
    --skip a_body_awaiting_a_timer_blocks_a_synchronous_resume   # timer
    --skip a_generator_is_a_stream_in_async_code                 # timer
    --skip async_send_and_throw_await_what_the_body_awaits       # timer
    --skip a_dropped_async_step_is_finished_by_the_next_resume   # timer
    --skip a_delegated_sub_generator_may_await                   # timer
)
lib_skips=(
    --skip auto_traits::the_event_loop_runs_futures_that_are_not_send  # the event loop: timers
    --skip rt::task_group::tests                                       # the event loop: timers
)
panic_safety_skips=(
    --skip the_event_loop_survives_a_detached_tasks_output_whose_drop_panics  # the event loop
)
# The iterator tests of the two adapters built on the crate's lock (`tee`, `groupby`).
iter_filters=(tee group fold_inside_fold dropping_a_branch)

log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() {
    local name=$1
    shift
    local start=$SECONDS
    if MIRIFLAGS="$flags" cargo "+$TOOLCHAIN" miri test "$@" >"$log" 2>&1; then
        printf '== miri (%s) %s: %s (%ss)\n' "$model" "$name" \
            "$(grep -E '^test result' "$log" | sed 's/^test result: //; s/; finished.*//' | paste -sd '|')" \
            "$((SECONDS - start))"
    else
        cat "$log"
        echo "miri ($model): FAILED $name"
        exit 1
    fi
}

case "$model" in
    stacked) flags="" ;;
    tree) flags="-Zmiri-tree-borrows" ;;
    *) echo "miri: unknown model '$model' (stacked or tree)" >&2; exit 2 ;;
esac
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/miri-$model"
run "unit tests" --lib -- "${lib_skips[@]}"
run aliasing --test aliasing
run fold --test fold
run generator --test generator -- "${generator_skips[@]}"
run semantics --test semantics
run allocations --test allocations
run text --test text
run repr --test repr
run panic_safety --test panic_safety -- "${panic_safety_skips[@]}"
run "iter_api (tee, groupby)" --test iter_api -- "${iter_filters[@]}"
# cogen built without std, where a yield trusts that its yielder cannot leave the polling
# thread (it is not `Send` there) instead of checking the thread, a step that awaits spins, and
# the lock of tee and groupby knows no threads.
run "core_only, cogen with no feature" -p cogen-feature-tests --no-default-features --test core_only
run "aliasing, cogen no_std + alloc" -p cogen-feature-tests --no-default-features --features alloc --test aliasing
run "iter_api (tee, groupby), cogen no_std + alloc" -p cogen-feature-tests --no-default-features --features alloc --test iter_api -- "${iter_filters[@]}"
echo "miri ($model): clean"
