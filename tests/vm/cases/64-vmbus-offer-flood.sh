#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A control-message flood: the host sends thousands of duplicate
# OFFERCHANNELs of a device, then its RESCIND.  hv_vmbus must drop no
# message (it holds the SynIC slot while it has no room, so the host
# waits): the RESCIND must remove the device and give the relid back.
# vm: timeout=180
# vm: expect-log=hv_vmbus|hv_simhost
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus
S=/sys/kernel/debug/hv_simhost
e1=53494d01-0001-4000-8000-73696d687374
N=3000

load_hvlis || case_fail "load failed"
wait_for /sys/bus/vmbus/devices/$e1 10 || case_fail "no echo device"
relid=$(cat /sys/bus/vmbus/devices/$e1/id)
mark_dmesg flood
echo "$relid $N" >$S/offer_flood || case_fail "offer_flood refused"
wait_until 60 test ! -e /sys/bus/vmbus/devices/$e1 ||
	case_fail "the device stays after the flood's RESCIND: $(dmesg_since_mark | grep -c dropped) messages dropped"
# RELID_RELEASED makes the simhost forget the channel
wait_until 20 sh -c "! grep -q '^relid=$relid ' $S/channels" ||
	case_fail "relid $relid never released: $(grep "^relid=$relid " $S/channels)"
if dmesg_since_mark | grep "dropped"; then
	case_fail "control messages were dropped"
fi
if dmesg_since_mark | grep -E 'BUG:|Oops|WARNING:|Call Trace'; then
	case_fail "kernel trace"
fi
grep -q "queued 0 " $S/stats || case_fail "the host still holds messages: $(grep queued $S/stats)"
unload_ours || case_fail "unload failed"
case_pass "$N duplicate offers + RESCIND"
