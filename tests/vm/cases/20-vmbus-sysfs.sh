#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every device the simulated host offers appears in /sys/bus/vmbus/devices
# under its instance GUID, with the attributes of the in-tree driver in
# the in-tree formats (id, class_id, device_id, modalias, state, vendor,
# device, channel_vp_mapping, channels/<relid>/) and a MODALIAS uevent.
# The modalias is recomputed here from the class GUID text, byte by byte.
# vm: timeout=60
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

load_hvlis || case_fail "loading hv_simhost + hv_vmbus failed"
hc=/sys/kernel/debug/hv_simhost/channels
[ -r $hc ] || case_fail "no $hc"

# le GUID text -> the 32 hex digits of its 16 bytes in memory order
guid_hex() {
	g=$(echo "$1" | tr -d '{}')
	a=${g%%-*}; r=${g#*-}; b=${r%%-*}; r=${r#*-}; c=${r%%-*}; r=${r#*-}
	d=$(echo "$r" | tr -d -)
	echo "$a" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/' | tr -d '\n'
	echo "$b" | sed 's/\(..\)\(..\)/\2\1/' | tr -d '\n'
	echo "$c" | sed 's/\(..\)\(..\)/\2\1/' | tr -d '\n'
	echo "$d"
}

n=0
while read -r line; do
	relid=$(echo "$line" | sed -n 's/.*relid=\([0-9]*\).*/\1/p')
	inst=$(echo "$line" | sed -n 's/.*instance=\([0-9a-f-]*\).*/\1/p')
	sub=$(echo "$line" | sed -n 's/.* sub=\([0-9]*\).*/\1/p')
	[ "$sub" = 0 ] || continue
	d=/sys/bus/vmbus/devices/$inst
	[ -d "$d" ] || case_fail "relid $relid: no $d"
	[ "$(cat "$d/id")" = "$relid" ] || case_fail "$inst: id $(cat "$d/id") != relid $relid"
	cls=$(cat "$d/class_id")
	echo "$cls" | grep -qE '^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$' ||
		case_fail "$inst: class_id '$cls' not in {guid} form"
	[ "$(cat "$d/device_id")" = "{$inst}" ] || case_fail "$inst: device_id $(cat "$d/device_id")"
	want="vmbus:$(guid_hex "$cls")"
	[ "$(cat "$d/modalias")" = "$want" ] || case_fail "$inst: modalias $(cat "$d/modalias") != $want"
	grep -qx "MODALIAS=$want" "$d/uevent" || case_fail "$inst: uevent lacks MODALIAS=$want"
	[ "$(cat "$d/state")" = 0 ] || case_fail "$inst: unbound device has state $(cat "$d/state")"
	[ "$(cat "$d/vendor")" = 0x1414 ] || case_fail "$inst: vendor $(cat "$d/vendor")"
	grep -qE '^0x[0-9a-f]+$' "$d/device" || case_fail "$inst: device '$(cat "$d/device")'"
	grep -qE "^$relid:[0-9]+$" "$d/channel_vp_mapping" ||
		case_fail "$inst: channel_vp_mapping '$(cat "$d/channel_vp_mapping")'"
	[ -d "$d/channels/$relid" ] || case_fail "$inst: no channels/$relid"
	# monitor_id/pending/latency exist only for monitored channels (in-tree too)
	for a in cpu in_mask out_mask read_avail write_avail events interrupts \
		 subchannel_id intr_in_full intr_out_empty out_full_first \
		 out_full_total; do
		[ -r "$d/channels/$relid/$a" ] || case_fail "$inst: no channels/$relid/$a"
	done
	# the simulated host allocates no monitors: in-tree hides these then
	for a in channels/$relid/monitor_id monitor_id server_monitor_pending \
		 client_monitor_pending server_monitor_latency; do
		[ -e "$d/$a" ] && case_fail "$inst: $a shown for an unmonitored channel"
	done
	for a in out_intr_mask in_intr_mask out_read_index in_write_index \
		 driver_override numa_node; do
		[ -e "$d/$a" ] || case_fail "$inst: no attribute $a"
	done
	n=$((n + 1))
done <$hc

want=$(grep -c ' sub=0 ' $hc)
if [ "$n" -lt 7 ] || [ "$n" != "$want" ]; then
	case_fail "checked $n devices, host offered $want"
fi
set -- /sys/bus/vmbus/devices/*
[ $# = "$want" ] || case_fail "$# devices in sysfs, host offered $want"
case_pass "$n devices"
