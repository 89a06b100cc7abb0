#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kernel-supported.sh [--quiet] <kernel build dir> [<kernel release>]
#
# Can hyperv-lis replace the Hyper-V drivers of this kernel?  The same
# rules as dkms.conf's BUILD_EXCLUSIVE_* (which dkms < 3.0.11 cannot fully
# express: it only tests that a CONFIG_ option is set, not to what):
#   - x86_64 (CONFIG_X86_64=y);
#   - the VMBus driver is a module: CONFIG_HYPERV=m, or from 6.15 on, where
#     CONFIG_HYPERV is the bool arch support, CONFIG_HYPERV=y plus
#     CONFIG_HYPERV_VMBUS=m.  A built-in VMBus cannot be replaced;
#   - release 3.10 or newer.
# Exit 0: supported.  Exit 1: not served; one line on stderr says why and
# that the kernel keeps its in-tree drivers.  Exit 3: not a prepared kernel
# build tree (headers missing).  Exit 2: usage.
set -euo pipefail
export LC_ALL=C

quiet=0
if [ "${1:-}" = --quiet ]; then quiet=1; shift; fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 [--quiet] <kernel build dir> [<kernel release>]" >&2
	exit 2
fi
kdir=$1
rel=${2:-}

say() { if [ "$quiet" = 0 ]; then echo "hyperv-lis: $*" >&2; fi; }

if [ -z "$rel" ]; then
	if [ -f "$kdir/include/config/kernel.release" ]; then
		rel=$(cat "$kdir/include/config/kernel.release")
	elif [ -f "$kdir/include/generated/utsrelease.h" ]; then
		rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
			"$kdir/include/generated/utsrelease.h")
	else
		rel=$(basename "$(dirname "$kdir")")
	fi
fi

config=""
for f in "$kdir/.config" "$kdir/include/config/auto.conf"; do
	if [ -f "$f" ]; then config=$f; break; fi
done
if [ ! -f "$kdir/Makefile" ] || [ -z "$config" ]; then
	say "no kernel headers for $rel at $kdir (install linux-headers-$rel" \
		"or kernel-devel-$rel); nothing built for it"
	exit 3
fi

opt() {  # NAME -> y, m, a value, or empty when unset
	sed -n "s/^$1=\\(.*\\)\$/\\1/p" "$config" | tail -n 1
}

skip() {
	say "not building for kernel $rel: $*; it keeps its in-tree Hyper-V drivers"
	exit 1
}

[ "$(opt CONFIG_X86_64)" = y ] ||
	skip "architecture is not x86_64 (CONFIG_X86_64 is not set)"

hyperv=$(opt CONFIG_HYPERV)
if grep -q '^config HYPERV_VMBUS$' "$kdir/drivers/hv/Kconfig" 2>/dev/null ||
	grep -q '^CONFIG_HYPERV_VMBUS=' "$config" ||
	grep -q '^# CONFIG_HYPERV_VMBUS is not set' "$config"; then
	# 6.15+: CONFIG_HYPERV is the bool arch support.
	vmbus=$(opt CONFIG_HYPERV_VMBUS)
	[ "$hyperv" = y ] || skip "CONFIG_HYPERV is not enabled"
	case $vmbus in
	m) ;;
	y) skip "CONFIG_HYPERV_VMBUS=y (VMBus is built into the kernel and cannot be replaced)" ;;
	*) skip "CONFIG_HYPERV_VMBUS is not set" ;;
	esac
else
	case $hyperv in
	m) ;;
	y) skip "CONFIG_HYPERV=y (VMBus is built into the kernel and cannot be replaced)" ;;
	*) skip "CONFIG_HYPERV is not set" ;;
	esac
fi

# The oldest kernel the compat layer serves is 3.10.
if [[ $rel =~ ^([0-9]+)\.([0-9]+) ]]; then
	maj=${BASH_REMATCH[1]} min=${BASH_REMATCH[2]}
	if [ "$maj" -lt 3 ] || { [ "$maj" -eq 3 ] && [ "$min" -lt 10 ]; }; then
		skip "release $maj.$min is older than 3.10"
	fi
else
	skip "cannot tell the version of release '$rel'"
fi
exit 0
