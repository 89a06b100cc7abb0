#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench.sh [SECTION...] - run benchmark sections (default: those of
# SECTIONS; netprofile only when named).
#
# Each section is a function bench_<name> that prints "== <name> ==" and
# its figures; add a section by writing the function and listing it in
# SECTIONS.  Sections must not need root or a VM unless they say so.
# Every ratio (ours / baseline, from paired runs) also goes through
# scripts/bench-report.py into build/bench/results.json (HVLIS_BENCH_OUT),
# drawn against its target in build/bench/ratios.svg.  Nothing here passes
# or fails on speed; on a shared machine the figures are noisy.
#   HVLIS_BENCH_ROUNDS  rounds of the paired runs (default 3)
#   HVLIS_BENCH_KERNEL  kernel of the VM and build sections (default newest)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/bench-vm-lib.sh
. "$top/scripts/bench-vm-lib.sh"
SECTIONS=(storage net ring build)
out=${HVLIS_BENCH_OUT:-$top/build/bench}
rounds=${HVLIS_BENCH_ROUNDS:-3}
kargs=()
if [ -n "${HVLIS_BENCH_KERNEL:-}" ]; then kargs=(--kernel "$HVLIS_BENCH_KERNEL"); fi

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

# "size label ring-GB/s memcpy-GB/s" per line of a bench_ring log
ring_rates() {
	sed -n 's/^ring \([0-9]*\) \([KiB]*\): \([0-9.]*\) GB\/s, memcpy \([0-9.]*\) GB\/s.*/\1\2 \2 \3 \4/p' "$1"
}

bench_ring() {
	local bin=$top/tests/unit/build/bench_ring size n label r ri mi
	local nob=$top/tests/unit/build/bench_ring_nobarrier
	local -A rg mc nrg nmc
	echo "== ring =="
	make -s -C "$top/tests/unit" build/bench_ring build/bench_ring_nobarrier
	# each run measures ring and memcpy in alternating slices
	for ((r = 1; r <= rounds; r++)); do
		"$bin" | tee "$out/logs/ring-$r.log"
		while read -r size label ri mi; do
			rg[$size]+=${rg[$size]:+,}$ri
			mc[$size]+=${mc[$size]:+,}$mi
		done < <(ring_rates "$out/logs/ring-$r.log")
		# reference: the same ring without its store->load barrier
		"$nob" > "$out/logs/ring-nobarrier-$r.log"
		while read -r size label ri mi; do
			nrg[$size]+=${nrg[$size]:+,}$ri
			nmc[$size]+=${nmc[$size]:+,}$mi
		done < <(ring_rates "$out/logs/ring-nobarrier-$r.log")
	done
	{
		echo "RATIO ring-64B/memcpy 0.5 ge GB/s ${rg[64B]:-} ${mc[64B]:-} payload throughput, best slice"
		echo "RATIO ring-1500B/memcpy 0.8 ge GB/s ${rg[1500B]:-} ${mc[1500B]:-} payload throughput, best slice"
		echo "RATIO ring-64B-nobarrier/memcpy 0.5 ge GB/s ${nrg[64B]:-} ${nmc[64B]:-}" \
			"REFERENCE ONLY, not a result: the writer's store->load barrier" \
			"(required; Linux's ring has it too) left out, to show its share"
	} | "$top/scripts/bench-report.py" add "$out" ring
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
		ri=$(ring_ipp "$bin" $size $n)
		mi=$(memcpy_ipp "$bin" $size $n)
		echo "ring $label: $ri instructions/packet" \
			"(write+read+commit incl. memcpy, callgrind);" \
			"memcpy baseline $mi"
		# instructions are deterministic: one run; ratio memcpy/ring
		case $size in
		64) echo "RATIO ring-64B-instructions 0.5 ge instr/pkt $mi $ri memcpy/ring instructions (callgrind, deterministic)" ;;
		1500) echo "RATIO ring-1500B-instructions 0.8 ge instr/pkt $mi $ri memcpy/ring instructions (callgrind, deterministic)" ;;
		esac
	done | tee /dev/stderr | "$top/scripts/bench-report.py" add "$out" ring >/dev/null
}

# Storage: synthetic disk against virtio, I/O and boot (scripts/bench-storage.sh)
bench_storage() {
	"$top/scripts/bench-storage.sh" --out "$out" --boots "$rounds" "${kargs[@]}"
}

# Network (a VM: tests/vm/bench/51-net-bench.sh): iperf3 between two
# synthetic NICs (hv_netvsc, switched by the simulated host's NetVSP) and
# between the ends of a veth pair, in alternation, three rounds: TCP with 1
# and 4 streams and with LRO, UDP with 64-byte datagrams; ratios
# synthetic/veth into section "net".
bench_net() {
	local kernel=${HVLIS_BENCH_KERNEL:-$(bench_default_kernel)}
	[ -n "$kernel" ] || { echo "bench net: no kernel headers" >&2; return 1; }
	echo "== network, kernel $kernel (synthetic NICs / veth, 3 alternating rounds)"
	bench_vm "$top" "$kernel" "$out" net '51-net-bench' || return 1
	grep -a '^INFO ' "$out/logs/net-hvlis.log" | tr -d '\r' | sed 's/^/  /'
	grep -ah '^BENCH net ' "$out/logs/net-hvlis.log" | tr -d '\r' |
		"$top/scripts/bench-report.py" net "$out"
}

# Not a default section: a guest profile of one TCP stream over the
# synthetic NICs (tests/vm/bench/52-net-profile.sh), no ratio
bench_netprofile() {
	local kernel=${HVLIS_BENCH_KERNEL:-$(bench_default_kernel)}
	[ -n "$kernel" ] || { echo "bench netprofile: no kernel headers" >&2; return 1; }
	echo "== network profile, kernel $kernel (one TCP stream, LRO off then on)"
	bench_vm "$top" "$kernel" "$out" netprofile '52-net-profile' || return 1
	grep -aE '^(INFO|PROF|COMM|SS|ETH) ' "$out/logs/netprofile-hvlis.log" |
		tr -d '\r' | sed 's/^/  /'
}

# DKMS build (empty / cached probes) against the kernel's own hv_* modules
bench_build() {
	"$top/scripts/bench-build.sh" --out "$out" --rounds "$rounds" "${kargs[@]}"
}

main() {
	local s t0 t rc=0
	[ $# -gt 0 ] || set -- "${SECTIONS[@]}"
	for s in "$@"; do
		if ! declare -F "bench_$s" >/dev/null; then
			echo "bench.sh: unknown section '$s' (have: ${SECTIONS[*]})" >&2
			exit 2
		fi
	done
	rm -rf "$out/sections"
	mkdir -p "$out/logs"
	t0=$(date +%s)
	for s in "$@"; do
		t=$(date +%s)
		"bench_$s" || { rc=1; echo "bench.sh: section $s failed" >&2; }
		echo "(section $s: $(( $(date +%s) - t )) s)"
	done
	"$top/scripts/bench-report.py" final "$out" "sections=$*" "rounds=$rounds" \
		"seconds=$(( $(date +%s) - t0 ))" "kernel=${HVLIS_BENCH_KERNEL:-newest}"
	return "$rc"
}

main "$@"
