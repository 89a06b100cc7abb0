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
# shellcheck source=scripts/bench-vm-lib.sh
. "$top/scripts/bench-vm-lib.sh"

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
[ -n "$kernel" ] || kernel=$(bench_default_kernel)
[ -n "$kernel" ] || { echo "bench-storage: no kernel headers" >&2; exit 1; }
mkdir -p "$out/logs"

echo "== storage I/O, kernel $kernel (ours / virtio, 3 alternating rounds)"
bench_vm "$top" "$kernel" "$out" storage '50-storage-bench' || exit 1
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
