# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Shared by the VM benchmarks (scripts/bench-storage.sh, bench.sh's bench_net):
# the kernel to run and one benchmark VM of tests/vm/bench.

# bench_default_kernel: the newest kernel with headers, a generic flavour
# rather than -rt
bench_default_kernel() {
	local d
	for d in /lib/modules/*/build; do
		[ -f "$d/Makefile" ] && basename "$(dirname "$d")"
	done | sort -V | awk '/-rt-/ { rt = $0; next } { k = $0 } END { print k ? k : rt }'
}

# _bench_copy TOP VMPID KERNEL DEST: the boot's channel log, copied atomically
_bench_copy() {
	local f
	for f in "$1"/build/vm/runs/*-"$2"/"$3"/*/hvlis.log; do
		[ -f "$f" ] && cp "$f" "$4.new" 2>/dev/null && mv -f "$4.new" "$4"
	done
	return 0
}

# bench_vm TOP KERNEL OUT NAME CASE: boot tests/vm/bench/CASE.sh; its
# harness channel (the BENCH lines) ends in OUT/logs/NAME-hvlis.log, the
# suite's output in OUT/logs/NAME-vm.log.  False when the case did not pass.
bench_vm() {
	local top=$1 kernel=$2 out=$3 name=$4 case=$5 vmpid t0
	t0=$(date +%s)
	rm -f "$out/logs/$name-hvlis.log"
	HVLIS_VM_CASES_DIR=$top/tests/vm/bench "$top/tests/vm/run.sh" --kernels "$kernel" \
		--cases "$case" >"$out/logs/$name-vm.log" 2>&1 &
	vmpid=$!
	# The run directory is build/vm/runs/<date>-<pid of run.sh>; other
	# people's runs may prune it, so the channel log is copied meanwhile.
	while kill -0 "$vmpid" 2>/dev/null; do
		_bench_copy "$top" "$vmpid" "$kernel" "$out/logs/$name-hvlis.log"
		sleep 5
	done
	wait "$vmpid"
	_bench_copy "$top" "$vmpid" "$kernel" "$out/logs/$name-hvlis.log"
	echo "(VM: $(( $(date +%s) - t0 )) s; log $out/logs/$name-vm.log)"
	if ! grep -q "^PASS $kernel/$case" "$out/logs/$name-vm.log"; then
		grep -E '^(FAIL|SKIP)' "$out/logs/$name-vm.log" >&2
		echo "bench: the $name benchmark VM failed" >&2
		return 1
	fi
}
