#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-storage.sh [--kernel K] [--boots N]
#
# Storage benchmark of `make bench`, for one Debian kernel (default: the
# newest with headers), in QEMU/TCG:
#   1. one VM (tests/vm/bench/50-storage-bench.sh): fio 4k random read and
#      write IOPS and 1 MiB sequential read and write bandwidth on the same
#      backing disk, first through virtio-scsi + sd, then through the
#      synthetic path (hv_simhost's StorVSP passes every CDB to that disk);
#   2. boot to /sbin/init with the root file system on the synthetic disk
#      against the same image and initrd with root on virtio (N boots each,
#      median; tests/vm/boot/run.sh).
# Prints the measurements and the ratios synthetic/virtio (targets: >= 0.8x
# for I/O, <= 1.2x for boot time).  Nothing here passes or fails on speed.
set -uo pipefail
export LC_ALL=C
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$top" || exit 2

kernel='' boots=3
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--boots) boots=$2; shift ;;
	*) echo "usage: $0 [--kernel K] [--boots N]" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "$kernel" ]; then
	kernel=$(for d in /lib/modules/*/build; do
		[ -f "$d/Makefile" ] && basename "$(dirname "$d")"; done | sort -V | tail -n 1)
fi
[ -n "$kernel" ] || { echo "bench-storage: no kernel headers" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
	echo "bench-storage: needs root (the boot part uses a mount namespace)" >&2
	exit 1
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }

echo "== storage I/O, kernel $kernel (same disk: virtio-scsi, then synthetic)"
out=$(HVLIS_VM_CASES_DIR=$top/tests/vm/bench tests/vm/run.sh --kernels "$kernel" \
	--cases '50-*' 2>&1)
if ! grep -q "^PASS $kernel/50-storage-bench\$\|^PASS $kernel/50-storage-bench:" <<<"$out"; then
	echo "$out" | grep -E '^(FAIL|SKIP)' >&2
	echo "bench-storage: the I/O benchmark VM failed" >&2
	exit 1
fi
logs=$(find "$top/build/vm/runs/latest/$kernel" -name 'hvlis.log' 2>/dev/null)
# shellcheck disable=SC2086 # one or more log files
bench=$(grep -ah '^BENCH ' $logs | tr -d '\r')
printf '%-14s %14s %14s %14s %14s %8s\n' job "virtio IOPS" "virtio KiB/s" \
	"synth IOPS" "synth KiB/s" ratio
for job in randread-4k randwrite-4k read-1M write-1M; do
	read -r _ _ _ vi vb <<<"$(grep " $job virtio " <<<"$bench")"
	read -r _ _ _ si sb <<<"$(grep " $job synthetic " <<<"$bench")"
	case $job in *4k) r=$(ratio "$si" "$vi") ;; *) r=$(ratio "$sb" "$vb") ;; esac
	printf '%-14s %14s %14s %14s %14s %8s\n' "$job" "${vi:-?}" "${vb:-?}" \
		"${si:-?}" "${sb:-?}" "$r"
done
echo "(ratio: synthetic / virtio, IOPS for 4k, bandwidth for 1M; target >= 0.80x)"

echo "== boot to /sbin/init, kernel $kernel, $boots boots each"
med() { sed -n "s/^boot-time $kernel $1: median \([0-9.]*\) s.*/\1/p"; }
bv=$(tests/vm/boot/run.sh --kernels "$kernel" --root virtio --repeat "$boots" 2>&1 | med virtio)
bs=$(tests/vm/boot/run.sh --kernels "$kernel" --root synthetic --repeat "$boots" 2>&1 | med synthetic)
echo "virtio root: median ${bv:-?} s; synthetic root: median ${bs:-?} s;" \
	"ratio $(ratio "${bs:-0}" "${bv:-0}") (target <= 1.20x)"
