#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-storage.sh [--kernel K] [--boots N] [--out DIR] [--no-boot]
#
# Storage benchmark of `make bench`, for one Debian kernel (default: the
# newest with headers), in QEMU/TCG:
#   1. one VM (tests/vm/bench/50-storage-bench.sh), fio 4k random read and
#      write IOPS and 1 MiB sequential read and write bandwidth, each job
#      run on a pair of disks in alternation, three rounds:
#      disk-null: the simhost's null backend (scsi_backing=null:1G) against
#        a virtio-scsi disk on QEMU's null-co driver, queue depths 1 and 32:
#        transport + guest driver (the issue's >= 0.8x targets apply here);
#      disk-pass: the synthetic path through the simhost's passthrough
#        (profile=azure) against virtio-scsi on an identical raw file, queue
#        depth 32: the end-to-end figure, simulated host included;
#   2. boot to /sbin/init with the root file system on the synthetic disk
#      against the same image and initrd with root on virtio (N boots each,
#      boot i of one paired with boot i of the other; tests/vm/boot/run.sh
#      builds one initrd per mode, so the boots run in two blocks).
# Ratios ours/virtio (median, min-max) go to stdout and, through
# scripts/bench-report.py, to DIR/sections/storage.json (DIR: build/bench).
# Nothing here passes or fails on speed.
set -uo pipefail
export LC_ALL=C
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$top" || exit 2

kernel='' boots=3 out=$top/build/bench do_boot=1
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--boots) boots=$2; shift ;;
	--out) out=$2; shift ;;
	--no-boot) do_boot=0 ;;
	*) echo "usage: $0 [--kernel K] [--boots N] [--out DIR] [--no-boot]" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "$kernel" ]; then
	# the newest kernel with headers, a generic flavour rather than -rt
	kernel=$(for d in /lib/modules/*/build; do
		[ -f "$d/Makefile" ] && basename "$(dirname "$d")"; done |
		sort -V | awk '/-rt-/ { rt = $0; next } { k = $0 } END { print k ? k : rt }')
fi
[ -n "$kernel" ] || { echo "bench-storage: no kernel headers" >&2; exit 1; }
mkdir -p "$out/logs"

echo "== storage I/O, kernel $kernel (ours / virtio, 3 alternating rounds)"
t0=$(date +%s)
# The run directory is build/vm/runs/<date>-<pid of run.sh>; other people's
# runs may prune it, so its channel log is copied while the VM runs.
HVLIS_VM_CASES_DIR=$top/tests/vm/bench tests/vm/run.sh --kernels "$kernel" \
	--cases '50-*' >"$out/logs/storage-vm.log" 2>&1 &
vmpid=$!
copy_logs() {
	local f
	for f in "$top"/build/vm/runs/*-"$vmpid"/"$kernel"/*/hvlis.log; do
		[ -f "$f" ] && cp "$f" "$out/logs/storage-hvlis.log.new" 2>/dev/null &&
			mv -f "$out/logs/storage-hvlis.log.new" "$out/logs/storage-hvlis.log"
	done
	return 0
}
rm -f "$out/logs/storage-hvlis.log"
while kill -0 "$vmpid" 2>/dev/null; do
	copy_logs
	sleep 5
done
wait "$vmpid"
copy_logs
echo "(VM: $(( $(date +%s) - t0 )) s; log $out/logs/storage-vm.log)"
if ! grep -q "^PASS $kernel/50-storage-bench" "$out/logs/storage-vm.log"; then
	grep -E '^(FAIL|SKIP)' "$out/logs/storage-vm.log" >&2
	echo "bench-storage: the I/O benchmark VM failed" >&2
	exit 1
fi
grep -a 'max_hw_sectors_kb\|virtio null' "$out/logs/storage-hvlis.log" | tr -d '\r' |
	sed 's/^/  /'
grep -ah '^BENCH ' "$out/logs/storage-hvlis.log" | tr -d '\r' |
	"$top/scripts/bench-report.py" storage "$out"

[ "$do_boot" = 1 ] || exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "bench-storage: boot part skipped: needs root (mount namespace)" >&2
	exit 0
fi
echo "== boot to /sbin/init, kernel $kernel, $boots boots each"
t0=$(date +%s)
boot_times() {  # mode -> comma-separated init times
	tests/vm/boot/run.sh --kernels "$kernel" --root "$1" --initramfs initramfs-tools \
		--repeat "$boots" >"$out/logs/boot-$1.log" 2>&1
	sed -n "s/^# $kernel $1 boot [0-9]*: init at \([0-9.]*\)s.*/\1/p" \
		"$out/logs/boot-$1.log" | paste -sd, -
}
bv=$(boot_times virtio)
bs=$(boot_times synthetic)
echo "(boots: $(( $(date +%s) - t0 )) s)"
echo "RATIO boot-synthetic-root 1.1 le s ${bs:-?} ${bv:-?} boot i of each mode paired" |
	"$top/scripts/bench-report.py" add "$out" storage-boot
