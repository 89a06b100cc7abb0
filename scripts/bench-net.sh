#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-net.sh [--kernel K] [--out DIR]
#
# Network benchmark of `make bench`, for one Debian kernel (default: the
# newest with headers), in QEMU/TCG: one VM (tests/vm/bench/51-net-bench.sh)
# runs iperf3 between two synthetic NICs (hv_netvsc, switched by the
# simulated host's NetVSP) and between the ends of a veth pair, in
# alternation, three rounds: TCP with 1 and 4 streams, UDP with 64-byte
# datagrams.  Ratios synthetic/veth (median, min-max) go to stdout and,
# through scripts/bench-report.py, to DIR/sections/net.json (DIR:
# build/bench).  Nothing here passes or fails on speed.
set -uo pipefail
export LC_ALL=C
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$top" || exit 2
# shellcheck source=scripts/bench-vm-lib.sh
. "$top/scripts/bench-vm-lib.sh"

kernel='' out=$top/build/bench
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--out) out=$2; shift ;;
	*) echo "usage: $0 [--kernel K] [--out DIR]" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$kernel" ] || kernel=$(bench_default_kernel)
[ -n "$kernel" ] || { echo "bench-net: no kernel headers" >&2; exit 1; }
mkdir -p "$out/logs"

echo "== network, kernel $kernel (synthetic NICs / veth, 3 alternating rounds)"
bench_vm "$top" "$kernel" "$out" net '51-net-bench' || exit 1
grep -a '^INFO ' "$out/logs/net-hvlis.log" | tr -d '\r' | sed 's/^/  /'
grep -ah '^BENCH net ' "$out/logs/net-hvlis.log" | tr -d '\r' |
	"$top/scripts/bench-report.py" net "$out"
