#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Without Hyper-V and without the simulated host, hv_vmbus refuses to load
# with ENODEV and says why in one line, without any oops or warning.
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_vmbus
is_loaded hv_simhost && case_fail "hv_simhost is loaded"

mark_dmesg nohost
if out=$(insmod "$(ko_path hv_vmbus)" 2>&1); then
	rmmod hv_vmbus
	case_fail "insmod hv_vmbus succeeded without Hyper-V"
fi
log "insmod: $out"
case $out in
*"No such device"*) ;;
*) case_fail "insmod failed, but not with ENODEV: $out" ;;
esac
is_loaded hv_vmbus && case_fail "hv_vmbus is in /proc/modules after a failed insmod"

klog=$(dmesg_since_mark)
echo "$klog" | grep hv_vmbus | sed 's/^/    /'
lines=$(echo "$klog" | grep hv_vmbus | grep -c "no Hyper-V")
[ "$lines" -eq 1 ] ||
	case_fail "$lines kernel log lines with 'hv_vmbus' and 'no Hyper-V', expected 1"
if bad=$(dmesg_bad_since_mark); then
	case_fail "kernel log: $(echo "$bad" | head -n 1)"
fi
case_pass "ENODEV, one clear log line"
