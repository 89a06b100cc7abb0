#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench.sh [SECTION...] - run benchmark sections (default: all of them).
#
# Each section is a function bench_<name> that prints "== <name> ==" and
# its figures; add a section by writing the function and listing it in
# SECTIONS.  Sections must not need root or a VM unless they say so.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
SECTIONS=(ring storage)

# --- ring: tests/unit/bench_ring.c ------------------------------------------
# Instructions per packet: counted with callgrind (this machine has no
# hardware counters for perf) over hv_ring_write + hv_ring_read +
# hv_ring_commit_read, callees (memcpy) included.
ring_ipp() {
	local bin=$1 size=$2 n=$3 out
	out=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file="$out" \
		--toggle-collect=hv_ring_write --toggle-collect=hv_ring_read \
		--toggle-collect=hv_ring_commit_read \
		"$bin" --ipp "$size" "$n" >/dev/null 2>&1
	callgrind_annotate "$out" 2>/dev/null |
		awk -v n="$n" '/PROGRAM TOTALS/ { gsub(",", "", $1); printf "%.0f", $1 / n }'
	rm -f "$out"
}

memcpy_ipp() {
	local bin=$1 size=$2 n=$3 out
	out=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file="$out" \
		--toggle-collect=memcpy_pass "$bin" --ipp-memcpy "$size" "$n" \
		>/dev/null 2>&1
	callgrind_annotate "$out" 2>/dev/null |
		awk -v n="$n" '/PROGRAM TOTALS/ { gsub(",", "", $1); printf "%.0f", $1 / n }'
	rm -f "$out"
}

bench_ring() {
	local bin=$top/tests/unit/build/bench_ring size n label
	echo "== ring =="
	make -s -C "$top/tests/unit" build/bench_ring
	"$bin"
	if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
		echo "instructions/packet: skipped (valgrind not installed)"
		return 0
	fi
	for size in 64 1500 65536; do
		case $size in
		64) n=200000 label="64 B" ;;
		1500) n=40000 label="1500 B" ;;
		*) n=2000 label="64 KiB" ;;
		esac
		echo "ring $label: $(ring_ipp "$bin" $size $n) instructions/packet" \
			"(write+read+commit incl. memcpy, callgrind);" \
			"memcpy baseline $(memcpy_ipp "$bin" $size $n)"
	done
}

# Storage: synthetic disk against virtio, I/O and boot (scripts/bench-storage.sh)
bench_storage() {
	"$(dirname "${BASH_SOURCE[0]}")/bench-storage.sh"
}

main() {
	local s
	[ $# -gt 0 ] || set -- "${SECTIONS[@]}"
	for s in "$@"; do
		if ! declare -F "bench_$s" >/dev/null; then
			echo "bench.sh: unknown section '$s' (have: ${SECTIONS[*]})" >&2
			exit 2
		fi
		"bench_$s"
	done
}

main "$@"
