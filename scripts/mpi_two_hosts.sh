#!/usr/bin/env bash
# The MPI pool across two hosts of our own: two network namespaces of this machine, joined by
# a veth pair, each with a host name of its own (a UTS namespace). Rank 0 runs on host0
# (10.77.0.1), the two worker ranks on host1 (10.77.0.2); Open MPI starts host1's daemon through
# an "rsh agent" that enters host1's namespaces instead of ssh, and the ranks talk over its TCP
# transport only (shared memory is switched off). Runs tests/mpi.rs's `two_hosts` scenario
# (tasks must run on the other host; then every `basics` check) and futures_sum --mpi.
# Needs root (namespaces), iproute2, util-linux's unshare, Open MPI.
#   bash scripts/mpi_two_hosts.sh
set -euo pipefail
cd "$(dirname "$0")/.."

suffix=$$
ns0=cogen-host0-$suffix
ns1=cogen-host1-$suffix
work=$(mktemp -d)
cleanup() {
    ip netns del "$ns0" 2>/dev/null || true
    ip netns del "$ns1" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns0"
ip netns add "$ns1"
ip link add "cg0-$suffix" type veth peer name "cg1-$suffix"
ip link set "cg0-$suffix" netns "$ns0"
ip link set "cg1-$suffix" netns "$ns1"
ip -n "$ns0" addr add 10.77.0.1/24 dev "cg0-$suffix"
ip -n "$ns1" addr add 10.77.0.2/24 dev "cg1-$suffix"
for ns in "$ns0" "$ns1"; do
    ip -n "$ns" link set lo up
done
ip -n "$ns0" link set "cg0-$suffix" up
ip -n "$ns1" link set "cg1-$suffix" up

# Open MPI calls the agent as `agent HOST COMMAND...`, as it would call ssh.
cat >"$work/agent" <<AGENT
#!/bin/sh
host=\$1; shift
case "\$host" in
    10.77.0.2) ns=$ns1; name=host1 ;;
    *) ns=$ns0; name=host0 ;;
esac
exec ip netns exec "\$ns" unshare --uts sh -c 'hostname "\$0"; exec sh -c "\$1"' "\$name" "\$*"
AGENT
chmod +x "$work/agent"
printf '10.77.0.1 slots=1\n10.77.0.2 slots=2\n' >"$work/hosts"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
on_host0() {
    timeout 180 ip netns exec "$ns0" unshare --uts sh -c 'hostname host0; exec "$@"' sh "$@"
}
mpirun_two_hosts=(mpirun --hostfile "$work/hosts" -n 3
    --mca plm_rsh_agent "$work/agent"
    --mca btl tcp,self --mca btl_tcp_if_include 10.77.0.0/24 --mca oob_tcp_if_include 10.77.0.0/24)

test_exe=$(cargo test -q --features mpi --test mpi --no-run --message-format=json 2>/dev/null \
    | grep -o '"executable":"[^"]*"' | sed 's/"executable":"\(.*\)"/\1/' | grep '/mpi-')
cargo build -q --release --features mpi --example futures_sum

echo "-- tests/mpi.rs, scenario two_hosts"
on_host0 "${mpirun_two_hosts[@]}" -x COGEN_MPI_SCENARIO=two_hosts \
    "$test_exe" mpi_rank --exact --nocapture --quiet --test-threads=1 >"$work/out" 2>&1 || {
    cat "$work/out"
    echo "!!! the two_hosts scenario failed" >&2
    exit 1
}
grep 'tasks ran on' "$work/out"
grep -q 'scenario basics passed' "$work/out" || { cat "$work/out"; exit 1; }

echo "-- futures_sum --mpi --quick"
line=$(on_host0 "${mpirun_two_hosts[@]}" target/release/examples/futures_sum --mpi --quick \
    | grep 'Result ->')
echo "$line"
expected=$(grep -m1 'Result ->' tests/fixtures/seed004/futures_sum.quick.out)
[ "${line% Time*}" = "${expected% Time*}" ] || { echo "!!! expected: $expected" >&2; exit 1; }
echo "two hosts: ok"
