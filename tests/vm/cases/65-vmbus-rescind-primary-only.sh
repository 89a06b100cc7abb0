#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A host rescinds a primary channel but not its sub-channels.  hv_vmbus
# must remove the device and keep the sub-channels (their relids are the
# host's) until they are rescinded too, then release them; sub-channels
# never rescinded are freed at unload: the exact leak check of hv_vmbus's
# exit must stay silent.
# vm: timeout=120
# vm: expect-log=hv_vmbus|hv_simhost
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
S=/sys/kernel/debug/hv_simhost
e0=53494d01-0000-4000-8000-73696d687374
e1=53494d01-0001-4000-8000-73696d687374

# give device $1 two sub-channels, rescind its primary alone; sets $subs
split_dev() {
	wait_for "/sys/bus/vmbus/devices/$1" 10 || case_fail "no device $1"
	# Hyper-V offers sub-channels of an open primary only: hv_echo opens it
	wait_for "/sys/kernel/debug/hv_echo/$1/xfer" 10 || case_fail "echo not bound to $1"
	relid=$(cat "/sys/bus/vmbus/devices/$1"/id)
	echo "$relid 2" >$S/subchannels || case_fail "subchannels refused"
	wait_until 10 sh -c "[ \$(grep -c 'instance=$1 ' $S/channels) -ge 3 ]" ||
		case_fail "sub-channels not offered: $(grep "instance=$1" $S/channels)"
	subs=$(grep "instance=$1" $S/channels | grep -v "^relid=$relid " |
		sed 's/^relid=\([0-9]*\) .*/\1/' | tr '\n' ' ')
	echo "$relid only" >$S/rescind || case_fail "rescind only refused"
	wait_until 20 test ! -e "/sys/bus/vmbus/devices/$1" || case_fail "device $1 stays"
	wait_until 10 sh -c "! grep -q '^relid=$relid ' $S/channels" ||
		case_fail "primary relid $relid not released"
}

load_hvlis || case_fail "load failed"
load_module hv_echo || case_fail "hv_echo did not load"
mark_dmesg rescind
split_dev $e1
# the host rescinds these sub-channels late: each must be released
for r in $subs; do
	echo "$r" >$S/rescind || case_fail "rescind of sub-channel $r refused"
done
for r in $subs; do
	wait_until 10 sh -c "! grep -q '^relid=$r ' $S/channels" ||
		case_fail "sub-channel relid $r not released: $(grep "^relid=$r " $S/channels)"
done
# these are never rescinded: unloading must free them
split_dev $e0
rmmod hv_echo || case_fail "rmmod hv_echo"
rmmod hv_vmbus || case_fail "rmmod hv_vmbus"
if dmesg_since_mark | grep "still referenced at exit"; then
	case_fail "channels leaked"
fi
if dmesg_since_mark | grep -E 'BUG:|Oops|WARNING:|Call Trace'; then
	case_fail "kernel trace"
fi
unload_ours || case_fail "unload failed"
case_pass "late-rescinded and never-rescinded sub-channels released"
