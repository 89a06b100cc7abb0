#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Issue 14 item 15: the host sets the read index of the guest-to-host ring
# 64 bytes ahead of the guest's write index (aligned, inside the ring).
# The guest must call the ring corrupt (one log line, the send fails)
# instead of waiting for room for ever; the other channel keeps working.
# vm: timeout=60
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
S=/sys/kernel/debug/hv_simhost
X=/sys/kernel/debug/hv_echo
e0=53494d01-0000-4000-8000-73696d687374
e1=53494d01-0001-4000-8000-73696d687374

load_hvlis || case_fail "load"
load_module hv_echo || case_fail "hv_echo"
wait_for $X/$e1/xfer 10 || case_fail "not bound"
relid=$(cat /sys/bus/vmbus/devices/$e0/id)
echo "5 128" >$X/$e0/xfer
[ "$(cat $X/$e0/xfer)" = "ok=5 bad=0 errors=0 lost=0" ] ||
	case_fail "before the fault: $(cat $X/$e0/xfer)"
mark_dmesg ahead
echo "$relid in_read ahead" >$S/corrupt_ring || case_fail "knob"
echo "5 128" >$X/$e0/xfer &
io=$!
if ! wait_until 10 sh -c "! kill -0 $io 2>/dev/null"; then
	# give the guest its room back so that the writer can finish
	echo "$relid in_read restore" >$S/corrupt_ring
	wait "$io"
	case_fail "the guest waited for room the host can never give: $(cat $X/$e0/xfer)"
fi
r=$(cat $X/$e0/xfer)
log "after the fault: $r"
case $r in
*errors=1*) ;;
*) case_fail "the send did not fail: $r" ;;
esac
n=$(dmesg_since_mark | grep -c "hv_vmbus: relid $relid: host corrupted the outbound ring")
[ "$n" = 1 ] || case_fail "$n log lines for relid $relid (want 1)"
echo "5 128" >$X/$e0/xfer
n=$(dmesg_since_mark | grep -c "hv_vmbus: relid $relid: host corrupted the outbound ring")
[ "$n" = 1 ] || case_fail "logged again on the next send ($n lines)"
echo "50 300" >$X/$e1/xfer
[ "$(cat $X/$e1/xfer)" = "ok=50 bad=0 errors=0 lost=0" ] ||
	case_fail "the other channel: $(cat $X/$e1/xfer)"
unload_ours || case_fail "unload"
case_pass
