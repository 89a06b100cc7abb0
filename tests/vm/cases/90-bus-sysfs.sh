#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The vmbus bus ABI: device names, modalias/uevent, the in-tree sysfs files
# and their formats, channels/<relid>/, matching by id_table, new_id,
# remove_id and driver_override, cpu retargeting, sub-channel and rescind
# directories.  Uses the test-only hv_bustest drivers.
# vm: timeout=120
# SC2317: helpers run through wait_until/expect_ok; SC2086: D, ECHO0 etc.
# are constant paths without blanks.
# shellcheck disable=SC2317,SC2086
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_bustest
load_hvlis || case_fail "load failed"
mark_dmesg bus

D=/sys/bus/vmbus/devices
ECHO0=53494d01-0000-4000-8000-73696d687374
ECHO1=53494d01-0001-4000-8000-73696d687374
SHUT=53494d02-0000-4000-8000-73696d687374
ECHO_ALIAS=vmbus:a1b47b6c211b8e4b9a33525f6563686f
SHUT_GUID=0e0b6031-5213-4934-818b-38d90ced39db

checks=0
# eq WHAT ACTUAL EXPECTED
eq() {
	[ "$2" = "$3" ] || case_fail "$1: got '$2', expected '$3'"
	checks=$((checks + 1))
}
# fails_with WHAT ERRTEXT CMD...: CMD must fail with ERRTEXT in its stderr
fails_with() {
	_w=$1 _e=$2
	shift 2
	if _o=$("$@" 2>&1); then
		case_fail "$_w: succeeded ($_o), expected $_e"
	fi
	case $_o in
	*"$_e"*) ;;
	*) case_fail "$_w: '$_o', expected $_e" ;;
	esac
	checks=$((checks + 1))
}
# wr FILE TEXT: one write(2) of TEXT; on failure the errno text on stderr
# shellcheck disable=SC2317 # called through expect_ok/fails_with
wr() {
	printf '%s' "$2" | dd of="$1" 2>/tmp/wr.err ||
		{ cat /tmp/wr.err >&2; return 1; }
}

wait_for "$D/$ECHO0" 10 || case_fail "no $ECHO0"
wait_for "$D/$ECHO1" 10 || case_fail "no $ECHO1"
wait_for "$D/$SHUT/channels" 10 || case_fail "no $SHUT/channels"

# identity and class files (in-tree formats)
eq "echo modalias" "$(cat $D/$ECHO0/modalias)" "$ECHO_ALIAS"
eq "echo uevent" "$(grep MODALIAS $D/$ECHO0/uevent)" "MODALIAS=$ECHO_ALIAS"
eq "echo class_id" "$(cat $D/$ECHO0/class_id)" "{6c7bb4a1-1b21-4b8e-9a33-525f6563686f}"
eq "echo device_id" "$(cat $D/$ECHO0/device_id)" "{$ECHO0}"
eq "echo vendor" "$(cat $D/$ECHO0/vendor)" "0x1414"
eq "echo device" "$(cat $D/$ECHO0/device)" "0x10"
eq "shutdown class_id" "$(cat $D/$SHUT/class_id)" "{$SHUT_GUID}"
eq "shutdown modalias" "$(cat $D/$SHUT/modalias)" "vmbus:31600b0e13523449818b38d90ced39db"
for pair in 02:0xc 03:0xa 04:0xb 05:0x9 06:0xe; do
	eq "device of class ${pair%%:*}" \
		"$(cat $D/53494d${pair%%:*}-0000-4000-8000-73696d687374/device)" "${pair#*:}"
done
eq "driver_override unset" "$(cat $D/$ECHO0/driver_override)" "(null)"
alias=$(modinfo_field "$(ko_path hv_bustest)" alias)
eq "modpost alias of hv_bustest" "$alias" "$ECHO_ALIAS"
eq "device dir under /sys/devices/vmbus" "$(readlink -f $D/$ECHO0)" "/sys/devices/vmbus/$ECHO0"

relid=$(cat $D/$ECHO0/id)
C=$D/$ECHO0/channels/$relid
[ -d "$C" ] || case_fail "no $C"
eq "state before open" "$(cat $D/$ECHO0/state)" "0"
eq "channel_vp_mapping" "$(cat $D/$ECHO0/channel_vp_mapping)" "$relid:$(cat "$C"/cpu)"
for f in monitor_id server_monitor_pending client_monitor_latency; do
	[ -e "$D/$ECHO0/$f" ] && case_fail "$f exists without a monitor page"
done
for f in pending latency monitor_id; do
	[ -e "$C/$f" ] && case_fail "channels/$relid/$f exists without a monitor page"
done
fails_with "out_read_index of a closed channel" "Invalid argument" cat $D/$ECHO0/out_read_index
fails_with "read_avail of a closed channel" "Invalid argument" cat "$C"/read_avail
eq "subchannel_id" "$(cat "$C"/subchannel_id)" "0"
eq "interrupts before open" "$(cat "$C"/interrupts)" "0"
[ -d $D/$ECHO0/driver ] && case_fail "echo device bound before any driver"

# id_table match + probe: bustest_a opens both echo channels
expect_ok "insmod hv_bustest" insmod "$(ko_path hv_bustest)"
wait_for $D/$ECHO0/driver 5 || case_fail "echo0 not bound"
eq "echo0 driver" "$(basename "$(readlink $D/$ECHO0/driver)")" "bustest_a"
eq "state open" "$(cat $D/$ECHO0/state)" "3"
# two 16-byte inband packets: 16 descriptor + 16 payload + 8 trailer each
eq "out_write_index" "$(cat $D/$ECHO0/out_write_index)" "80"
out_consumed() { [ "$(cat $D/$ECHO0/out_read_index)" = 80 ]; }
wait_until 5 out_consumed ||
	case_fail "host did not consume: out_read_index $(cat $D/$ECHO0/out_read_index)"
in_filled() { [ "$(cat $D/$ECHO0/in_read_bytes_avail)" -gt 0 ]; }
wait_until 5 in_filled ||
	case_fail "no echo reply in the inbound ring"
inavail=$(cat $D/$ECHO0/in_read_bytes_avail)
eq "read_avail = in_read_bytes_avail" "$(cat "$C"/read_avail)" "$inavail"
eq "in_write_index" "$(cat $D/$ECHO0/in_write_index)" "$inavail"
insz=$((inavail + $(cat $D/$ECHO0/in_write_bytes_avail)))
eq "inbound data size" "$insz" "$((3 * 4096))"
eq "write_avail" "$(cat "$C"/write_avail)" "$((3 * 4096))"
eq "out_read_bytes_avail" "$(cat $D/$ECHO0/out_read_bytes_avail)" "0"
cat "$C"/out_mask "$C"/in_mask $D/$ECHO0/out_intr_mask $D/$ECHO0/in_intr_mask >/dev/null ||
	case_fail "mask files unreadable on an open channel"
[ "$(cat "$C"/events)" -ge 1 ] || case_fail "events $(cat "$C"/events), expected >= 1"
[ "$(cat "$C"/interrupts)" -ge 1 ] || case_fail "interrupts $(cat "$C"/interrupts), expected >= 1"

# cpu: MODIFYCHANNEL through hvlis_chan_set_target_cpu
if [ "$(bus_version)" -lt $((0x40001)) ]; then
	# MODIFYCHANNEL exists from VMBus 4.1 (profile=ws2016 negotiates 4.0)
	fails_with "cpu below VMBus 4.1" "not supported" wr "$C"/cpu 0
elif [ "$(nproc)" -ge 2 ]; then
	new=$(( $(cat "$C"/cpu) == 0 ? 1 : 0 ))
	expect_ok "write cpu" wr "$C"/cpu "$new"
	eq "cpu after write" "$(cat "$C"/cpu)" "$new"
	eq "channel_vp_mapping after write" "$(cat $D/$ECHO0/channel_vp_mapping)" "$relid:$new"
	numa=$(cat $D/$ECHO0/numa_node 2>/dev/null || echo none)
	[ "$numa" = none ] || eq "numa_node" "$numa" "0"
fi
fails_with "cpu abc" "Input/output error" wr "$C"/cpu abc
fails_with "cpu 4096" "Invalid argument" wr "$C"/cpu 4096

# sub-channels appear under channels/ and in channel_vp_mapping
echo "$relid 2" >/sys/kernel/debug/hv_simhost/subchannels ||
	case_fail "simhost refused sub-channels"
nchannels() { set -- "$D/$ECHO0"/channels/*; echo $#; }
three_channels() { [ "$(nchannels)" -eq 3 ]; }
wait_until 10 three_channels ||
	case_fail "channels/: $(nchannels) entries"
eq "channel_vp_mapping lines" "$(wc -l <$D/$ECHO0/channel_vp_mapping)" "3"
subs=$(for c in "$D/$ECHO0"/channels/*; do cat "$c"/subchannel_id; done | sort | tr '\n' ' ')
eq "subchannel ids" "$subs" "0 1 2 "

# driver_override + null id: echo1 moves to bustest_b
expect_ok "override" wr $D/$ECHO1/driver_override "bustest_b"
eq "override shown" "$(cat $D/$ECHO1/driver_override)" "bustest_b"
expect_ok "unbind echo1" wr /sys/bus/vmbus/drivers/bustest_a/unbind $ECHO1
expect_ok "drivers_probe echo1" wr /sys/bus/vmbus/drivers_probe $ECHO1
eq "echo1 driver after override" "$(basename "$(readlink $D/$ECHO1/driver)")" "bustest_b"
dmesg_since_mark | grep -q "$ECHO1: bustest_b: probe id=00000000000000000000000000000000" ||
	case_fail "bustest_b did not get the null id via driver_override"
echo >$D/$ECHO1/driver_override || case_fail "clear override"
eq "override cleared" "$(cat $D/$ECHO1/driver_override)" "(null)"
expect_ok "override newline" wr $D/$ECHO1/driver_override "$(printf 'bustest_b\nxx')"
eq "override cut at newline" "$(cat $D/$ECHO1/driver_override)" "bustest_b"
echo >$D/$ECHO1/driver_override || case_fail "clear override again"
eq "override cleared again" "$(cat $D/$ECHO1/driver_override)" "(null)"

# new_id / remove_id: bustest_b takes the shutdown device
B=/sys/bus/vmbus/drivers/bustest_b
fails_with "new_id garbage" "Invalid argument" wr $B/new_id "not-a-guid"
expect_ok "new_id" wr $B/new_id "$SHUT_GUID"
wait_for $D/$SHUT/driver 5 || case_fail "new_id did not bind the shutdown device"
eq "shutdown driver" "$(basename "$(readlink $D/$SHUT/driver)")" "bustest_b"
dmesg_since_mark | grep -q "$SHUT: bustest_b: probe id=31600b0e13523449818b38d90ced39db" ||
	case_fail "bustest_b did not get the dynamic id"
fails_with "new_id twice" "File exists" wr $B/new_id "$SHUT_GUID"
expect_ok "remove_id" wr $B/remove_id "$(echo $SHUT_GUID | tr a-f A-F)"
fails_with "remove_id twice" "No such device" wr $B/remove_id "$SHUT_GUID"

# rescind of an open primary with sub-channels: device and channels go
echo "$relid" >/sys/kernel/debug/hv_simhost/rescind || case_fail "rescind refused"
echo0_gone() { [ ! -e $D/$ECHO0 ]; }
wait_until 10 echo0_gone || case_fail "$ECHO0 still there after rescind"
dmesg_since_mark | grep -q "$ECHO0: bustest_a: remove" || case_fail "no remove on rescind"

# driver unload unbinds (remove runs)
expect_ok "rmmod hv_bustest" rmmod hv_bustest
[ -e $D/$SHUT/driver ] && case_fail "shutdown device still bound after rmmod"
[ -e $D/$ECHO1/driver ] && case_fail "echo1 still bound after rmmod"

if bad=$(dmesg_bad_since_mark); then
	case_fail "kernel log: $(echo "$bad" | head -n 1)"
fi
case_pass "$checks checks"
