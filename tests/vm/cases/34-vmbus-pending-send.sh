#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# pending_send_sz on the guest-to-host ring: when the guest's ring is full
# and the host frees enough room, the host signals the guest (sig_space in
# the simhost's channels file).  As OpenVMM's ring reader (vmbus_ring
# commit_read), the host honours pending_send_sz whether or not the guest
# set the feature bit on that ring: checked with the bit set (as our guest
# does) and cleared by the simhost's ring_features knob.
# vm: timeout=120
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
S=/sys/kernel/debug/hv_simhost
X=/sys/kernel/debug/hv_echo
e0=53494d01-0000-4000-8000-73696d687374

sig_space() {
	awk -v r="relid=$1" '$1 == r { for (i = 2; i <= NF; i++) if ($i ~ /^sig_space=/) { sub("sig_space=", "", $i); print $i } }' $S/channels
}

for mode in feature cleared; do
	load_hvlis || case_fail "$mode: load"
	load_module hv_echo || case_fail "$mode: hv_echo"
	wait_for $X/$e0/xfer 10 || case_fail "$mode: not bound"
	relid=$(cat /sys/bus/vmbus/devices/$e0/id)
	[ "$mode" = cleared ] && { echo "$relid" >$S/ring_features || case_fail "ring_features knob"; }
	before=$(sig_space "$relid")
	# the host holds the ring until the guest waits for room (no race
	# between guest and host speed decides whether the ring fills)
	echo "$relid on" >$S/hold || case_fail "$mode: hold knob"
	echo "300 16384" >$X/$e0/xfer &
	xfer=$!
	wait_until 20 sh -c "[ \$(cat /sys/bus/vmbus/devices/$e0/channels/*/out_full_total) -gt 0 ]"
	filled=$?
	echo "$relid off" >$S/hold || case_fail "$mode: hold knob off"
	wait "$xfer"
	r=$(cat $X/$e0/xfer)
	[ "$r" = "ok=300 bad=0 errors=0 lost=0" ] || case_fail "$mode: $r"
	[ "$filled" = 0 ] || case_fail "$mode: the guest's ring did not fill while the host was held"
	full=$(cat /sys/bus/vmbus/devices/$e0/channels/*/out_full_total)
	after=$(sig_space "$relid")
	log "$mode: out_full_total=$full sig_space $before -> $after"
	[ "$full" -gt 0 ] || case_fail "$mode: the guest's ring never filled"
	[ "$after" -gt "$before" ] || case_fail "$mode: no pending_send_sz signal from the host"
	unload_ours || case_fail "$mode: unload"
done
case_pass "pending_send_sz signalled with and without the feature bit"
