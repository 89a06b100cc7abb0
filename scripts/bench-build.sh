#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-build.sh [--kernel K] [--rounds N] [--out DIR] [-j N]
#
# Build-time benchmark of `make bench`: per round, in this order,
#   kernel: the kernel's own hv_vmbus, hv_utils, hv_balloon (drivers/hv),
#           hv_storvsc (drivers/scsi/storvsc_drv.c) and hv_netvsc
#           (drivers/net/hyperv) from the distribution's linux-source
#           tarball, as external modules against K's headers;
#   cold:   what dkms runs (`make modules-in-place`, scripts/build-modules.sh
#           --in-place) in a copy of the package tree, probe cache empty;
#   warm:   the same again after `make clean`, probe cache kept (the second
#           DKMS build of a kernel whose probes did not change);
# all from clean trees with the same -j.  Ratios cold/kernel (target <=
# 1.0x) and warm/kernel (<= 0.5x), by CPU time (user+sys of every process:
# the machine is shared, wall time mostly measures the others' load) and,
# for information, by wall time.  Nothing passes or fails on speed.
set -euo pipefail
export LC_ALL=C
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

kernel='' rounds=3 out=$top/build/bench jobs=$(nproc 2>/dev/null || echo 1)
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--rounds) rounds=$2; shift ;;
	--out) out=$2; shift ;;
	-j) jobs=$2; shift ;;
	*) echo "usage: $0 [--kernel K] [--rounds N] [--out DIR] [-j N]" >&2; exit 2 ;;
	esac
	shift
done
if [ -z "$kernel" ]; then
	# the newest kernel with headers, a generic flavour rather than -rt
	kernel=$(for d in /lib/modules/*/build; do
		[ -f "$d/Makefile" ] && basename "$(dirname "$d")"; done |
		sort -V | awk '/-rt-/ { rt = $0; next } { k = $0 } END { print k ? k : rt }')
fi
kdir=/lib/modules/$kernel/build
[ -f "$kdir/Makefile" ] || { echo "bench-build: no headers for $kernel" >&2; exit 1; }
series=$(sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<<"$kernel")
tarball=/usr/src/linux-source-$series.tar.xz
echo "== build time, kernel $kernel, -j$jobs, $rounds rounds"
if [ ! -f "$tarball" ]; then
	echo "build: skipped: no $tarball (apt-get install linux-source-$series)"
	exit 0
fi

work=$out/build-work
mkdir -p "$work"
# The kernel's modules as an external tree: extracted once per tarball.
ksrc=$work/ksrc-$series
stamp="$(stat -c '%s %Y' "$tarball")"
if [ "$(cat "$ksrc/.stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$ksrc"
	mkdir -p "$ksrc/x"
	tar -xJf "$tarball" -C "$ksrc/x" --strip-components=1 --wildcards \
		'*/drivers/hv/*' '*/drivers/scsi/storvsc_drv.c' '*/drivers/net/hyperv/*'
	mkdir -p "$ksrc/t/drivers/scsi" "$ksrc/t/drivers/net" "$ksrc/t/inc/x"
	mv "$ksrc/x/drivers/hv" "$ksrc/t/drivers/hv"
	mv "$ksrc/x/drivers/net/hyperv" "$ksrc/t/drivers/net/hyperv"
	mv "$ksrc/x/drivers/scsi/storvsc_drv.c" "$ksrc/t/drivers/scsi/"
	rm -rf "$ksrc/x"
	printf 'obj-m := hv_storvsc.o\nhv_storvsc-y := storvsc_drv.o\n' \
		>"$ksrc/t/drivers/scsi/Kbuild"
	# netvsc_trace.h names its directory relative to an include path
	echo "CFLAGS_netvsc_trace.o = -I\$(src)/../../../inc/x" \
		>>"$ksrc/t/drivers/net/hyperv/Makefile"
	printf 'obj-y += drivers/hv/ drivers/scsi/ drivers/net/hyperv/\n' >"$ksrc/t/Kbuild"
	echo "$stamp" >"$ksrc/.stamp"
fi

# The package tree as dkms copies it.
pkg=$work/pkg
rm -rf "$pkg"
mkdir -p "$pkg"
(cd "$top" && tar -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' \
	--exclude=compat/gen Makefile dkms.conf src scripts) | tar -xf - -C "$pkg"
cache=$work/probe-cache

# timed NAME CMD...: appends "wall cpu" to $work/NAME.times; 1 on failure
timed() {
	local name=$1 t
	shift
	t=$(mktemp)
	if ! /usr/bin/time -f '%e %U %S' -o "$t" "$@" >"$work/$name.log" 2>&1; then
		tail -n 20 "$work/$name.log" >&2
		rm -f "$t"
		return 1
	fi
	awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$t" >>"$work/$name.times"
	rm -f "$t"
}
kclean() { make -s -C "$kdir" M="$ksrc/t" clean >/dev/null 2>&1 || true; }
pclean() { make -s -C "$pkg" clean >/dev/null 2>&1 || true; find "$pkg/src" -name gen -type d -prune -exec rm -rf {} +; }

rm -f "$work"/*.times
t0=$(date +%s)
for ((r = 1; r <= rounds; r++)); do
	kclean
	timed kernel make -C "$kdir" M="$ksrc/t" -j"$jobs" modules ||
		{ echo "build: the kernel's modules do not build (log $work/kernel.log)"; exit 0; }
	rm -rf "$cache"
	pclean
	timed cold env HVLIS_CACHE_DIR="$cache" make -C "$pkg" modules-in-place \
		KVER="$kernel" KDIR="$kdir" BUILD_ARGS="-j $jobs --kver $kernel" ||
		{ echo "build: the package does not build (log $work/cold.log)"; exit 1; }
	pclean
	timed warm env HVLIS_CACHE_DIR="$cache" make -C "$pkg" modules-in-place \
		KVER="$kernel" KDIR="$kdir" BUILD_ARGS="-j $jobs --kver $kernel" ||
		{ echo "build: the package does not build (log $work/warm.log)"; exit 1; }
	grep -q '(cached)' "$work/warm.log" ||
		echo "build: round $r: the second build probed again (log $work/warm.log)"
	echo "round $r: kernel $(tail -n1 "$work/kernel.times"), cold $(tail -n1 "$work/cold.times")," \
		"warm $(tail -n1 "$work/warm.times") (wall s, cpu s)"
done
echo "(build rounds: $(( $(date +%s) - t0 )) s; kernel's modules: $(cd "$ksrc/t" &&
	find . -name '*.ko' -printf '%f ' | sort))"
col() { awk -v c="$1" '{ print $c }' "$work/$2.times" | paste -sd, -; }
{
	echo "RATIO build-cold/kernel-cpu 1.0 le cpu-s $(col 2 cold) $(col 2 kernel) empty probe cache, CPU time"
	echo "RATIO build-warm/kernel-cpu 0.5 le cpu-s $(col 2 warm) $(col 2 kernel) probes cached, CPU time"
	echo "RATIO build-cold/kernel-wall 1.0 le s $(col 1 cold) $(col 1 kernel) empty probe cache, wall time (load!)"
	echo "RATIO build-warm/kernel-wall 0.5 le s $(col 1 warm) $(col 1 kernel) probes cached, wall time (load!)"
} | "$top/scripts/bench-report.py" add "$out" build
