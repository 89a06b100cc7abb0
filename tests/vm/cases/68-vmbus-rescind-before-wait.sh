#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Issue 14 item 8: the host rescinds a channel right after answering its
# ring GPADL, so the rescind usually arrives before the guest has queued
# its wait for OPENCHANNEL_RESULT (which a revoked channel never gets).
# The open must fail at once with the rescind, not wait for an answer:
# no "no OPENCHANNEL_RESULT" line, the device goes away, the other binds.
# vm: timeout=60
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
S=/sys/kernel/debug/hv_simhost
X=/sys/kernel/debug/hv_echo
e0=53494d01-0000-4000-8000-73696d687374
e1=53494d01-0001-4000-8000-73696d687374

load_hvlis -- timeout_ms=2000 || case_fail "load"
relid=$(cat /sys/bus/vmbus/devices/$e0/id)
echo "$relid" >$S/rescind_after_gpadl || case_fail "knob"
mark_dmesg race
load_module hv_echo &
ld=$!
wait_until 20 sh -c "! kill -0 $ld 2>/dev/null" || case_fail "modprobe hv_echo hangs"
wait "$ld" || case_fail "modprobe hv_echo failed"
[ "$(cat $S/rescind_after_gpadl)" = 0 ] || case_fail "the knob did not fire"
if dmesg_since_mark | grep "no OPENCHANNEL_RESULT from the host"; then
	case_fail "the open waited for an answer after the rescind"
fi
wait_until 10 test ! -e /sys/bus/vmbus/devices/$e0 || case_fail "$e0 not removed"
wait_for $X/$e1/xfer 10 || case_fail "$e1 not bound"
echo "20 256" >$X/$e1/xfer
[ "$(cat $X/$e1/xfer)" = "ok=20 bad=0 errors=0 lost=0" ] ||
	case_fail "I/O on $e1: $(cat $X/$e1/xfer)"
unload_ours || case_fail "unload"
case_pass
