#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Rescind: of an unbound device, of an open device under I/O (the writer
# must stop with errors, not hang), hot-add of a new device that the
# loaded driver binds, and unload afterwards.
# vm: timeout=120
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
load_hvlis || case_fail "load failed"
load_module hv_echo || case_fail "hv_echo did not load"
S=/sys/kernel/debug/hv_simhost
e0=53494d01-0000-4000-8000-73696d687374
e1=53494d01-0001-4000-8000-73696d687374
sd=53494d02-0000-4000-8000-73696d687374
wait_for /sys/kernel/debug/hv_echo/$e0/xfer 10 || case_fail "echo not bound"

relid=$(cat /sys/bus/vmbus/devices/$sd/id)
echo "$relid" >$S/rescind || case_fail "rescind write failed"
wait_until 5 test ! -e /sys/bus/vmbus/devices/$sd || case_fail "unbound device not removed"

relid=$(cat /sys/bus/vmbus/devices/$e0/id)
echo "200000 1500" >/sys/kernel/debug/hv_echo/$e0/xfer &
io=$!
sleep 2
echo "$relid" >$S/rescind || case_fail "rescind under I/O failed"
wait_until 40 sh -c "! kill -0 $io 2>/dev/null" || case_fail "the writer hangs after rescind"
wait_until 10 test ! -e /sys/bus/vmbus/devices/$e0 || case_fail "open device not removed"
log "host: $(grep "relid=$relid " $S/channels)"

x=/sys/kernel/debug/hv_echo/$e1/xfer
echo "100 100" >$x
[ "$(cat $x)" = "ok=100 bad=0 errors=0 lost=0" ] || case_fail "other device after rescind: $(cat $x)"

echo echo >$S/offer || case_fail "hot-add failed"
new=53494d01-0002-4000-8000-73696d687374
wait_for /sys/kernel/debug/hv_echo/$new/xfer 10 || case_fail "hot-added device not bound"
echo "100 2000" >/sys/kernel/debug/hv_echo/$new/xfer
[ "$(cat /sys/kernel/debug/hv_echo/$new/xfer)" = "ok=100 bad=0 errors=0 lost=0" ] ||
	case_fail "hot-added device I/O"
unload_ours || case_fail "unload failed"
case_pass
