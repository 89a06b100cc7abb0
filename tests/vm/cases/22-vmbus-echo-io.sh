#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Ring I/O both ways through the echo class: the test driver hv_echo
# (loaded by modalias, as udev would) sends packets from 1 byte to 16 KiB
# with COMPLETION_REQUESTED and checks every byte of every echoed payload;
# small rings force the full-ring and pending_send_sz paths.
# vm: timeout=180
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
load_hvlis || case_fail "load failed"
load_by_alias vmbus
is_loaded hv_echo || case_fail "hv_echo was not loaded by its modalias"
e=/sys/kernel/debug/hv_echo
wait_until 10 test -e "$e/53494d01-0000-4000-8000-73696d687374/xfer" ||
	case_fail "echo device not bound"
for d in "$e"/*/; do
	for sz in 1 7 8 64 1500 4096 9000 16384; do
		echo "300 $sz" >"$d/xfer" || case_fail "xfer $sz failed"
	done
	r=$(cat "$d/xfer")
	[ "$r" = "ok=2400 bad=0 errors=0 lost=0" ] || case_fail "$d: $r"
	dev=$(basename "$d")
	[ "$(cat /sys/bus/vmbus/devices/"$dev"/state)" = 3 ] || case_fail "$dev not in state 3"
done
# Full ring, made certain: the host stops reading, the guest fills its
# ring and waits for room; then the host drains it and every echo arrives.
S=/sys/kernel/debug/hv_simhost
e0=53494d01-0000-4000-8000-73696d687374
relid=$(cat /sys/bus/vmbus/devices/$e0/id)
full_total() { cat /sys/bus/vmbus/devices/$e0/channels/*/out_full_total; }
before=$(full_total)
echo "$relid on" >$S/hold || case_fail "hold knob"
echo "40 16384" >"$e/$e0/xfer" &
xfer=$!
wait_until 20 sh -c "[ \$(cat /sys/bus/vmbus/devices/$e0/channels/*/out_full_total) -gt $before ]"
filled=$?
echo "$relid off" >$S/hold || case_fail "hold knob off"
wait "$xfer" || case_fail "xfer with a held host failed"
full=$(full_total)
log "out_full_total $before -> $full"
[ "$filled" = 0 ] || case_fail "the ring never filled while the host was held"
r=$(cat "$e/$e0/xfer")
[ "$r" = "ok=2440 bad=0 errors=0 lost=0" ] || case_fail "after the held run: $r"
unload_ours || case_fail "unload failed"
case_pass
