#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Issue 14 item 3: a host slower than timeout_ms to answer GPADL_HEADER and
# OPENCHANNEL.  The guest must keep waiting (with a warning every
# timeout_ms), not give up and free pages the host may map; a rescind
# still ends a wait for an answer that never comes.
# vm: timeout=90
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
S=/sys/kernel/debug/hv_simhost
X=/sys/kernel/debug/hv_echo
P=/sys/module/hv_vmbus/parameters/timeout_ms
e0=53494d01-0000-4000-8000-73696d687374
e1=53494d01-0001-4000-8000-73696d687374

logged() { dmesg_since_mark | grep -q "$1"; }
io_ok() {
	echo "20 256" >"$X/$1/xfer"
	[ "$(cat "$X/$1/xfer")" = "ok=20 bad=0 errors=0 lost=0" ] ||
		case_fail "$2: I/O on $1: $(cat "$X/$1/xfer")"
}

# 1. answers three warning intervals late: waited for, not given up
load_hvlis || case_fail "load"
echo 300 >$P || case_fail "timeout_ms not writable"
echo "GPADL_CREATED 1000" >$S/delay_ms
echo "OPENCHANNEL_RESULT 1000" >$S/delay_ms
mark_dmesg slow
load_module hv_echo || case_fail "slow: hv_echo"
wait_for $X/$e0/xfer 30 || case_fail "slow: $e0 not opened (gave up on a slow host?)"
wait_for $X/$e1/xfer 30 || case_fail "slow: $e1 not opened (gave up on a slow host?)"
echo "GPADL_CREATED 0" >$S/delay_ms
echo "OPENCHANNEL_RESULT 0" >$S/delay_ms
logged "no GPADL_CREATED from the host after [0-9]* ms; still waiting" ||
	case_fail "slow: no warning while waiting for GPADL_CREATED"
logged "no OPENCHANNEL_RESULT from the host after [0-9]* ms; still waiting" ||
	case_fail "slow: no warning while waiting for OPENCHANNEL_RESULT"
if logged "within [0-9]* ms\|unexpected GPADL_CREATED\|unexpected OPENCHANNEL_RESULT"; then
	case_fail "slow: a wait gave up"
fi
io_ok $e0 slow
io_ok $e1 slow
unload_ours || case_fail "slow: unload"

# 2. an answer that never comes: the channel's rescind ends the wait
load_hvlis || case_fail "load 2"
echo 300 >$P
r0=$(cat /sys/bus/vmbus/devices/$e0/id)
echo "OPENCHANNEL_RESULT 1" >$S/drop
mark_dmesg never
load_module hv_echo &
ld=$!
wait_until 20 logged "no OPENCHANNEL_RESULT from the host after" ||
	case_fail "never: no warning while waiting"
relid=$(dmesg_since_mark | sed -n 's/.*hv_vmbus: relid \([0-9]*\): no OPENCHANNEL_RESULT.*/\1/p' | head -n 1)
[ -n "$relid" ] || case_fail "never: relid not logged"
echo "$relid" >$S/rescind || case_fail "never: rescind $relid"
wait "$ld" || case_fail "never: modprobe hv_echo failed"
if [ "$relid" = "$r0" ]; then gone=$e0 other=$e1; else gone=$e1 other=$e0; fi
wait_until 10 test ! -e /sys/bus/vmbus/devices/$gone || case_fail "never: $gone not removed"
wait_for $X/$other/xfer 10 || case_fail "never: the other device $other did not bind"
io_ok $other never
unload_ours || case_fail "never: unload"
case_pass
