#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# hv_utils binds the shutdown, timesync, heartbeat, KVP and VSS channels of
# the simulated host, registers the "hyperv" PTP clock and the daemon
# devices vmbus/hv_kvp and vmbus/hv_vss;
# the KVP daemon handshake (REGISTER1 -> the driver's answer) works, a
# daemon message of the wrong size or out of order gets EINVAL; the module
# unloads cleanly.  Needs nothing from the host side of the ICs.
# Debian's hyperv-daemons starts its daemons from udev: for each of
# vmbus/hv_kvp, hv_vss and hv_fcopy the misc device must sit at exactly
# /sys/devices/virtual/misc/vmbus!hv_NAME, whose systemd device unit
# (systemd-escape --path) is what the service's BindsTo= names, and udev's
# processing of Debian's rules file (udevadm test, no udevd needed) must
# give it TAG systemd and SYSTEMD_WANTS=<that service>.  The rules and the
# units are the host's (the installed package's), copied in.
# vm: timeout=90
# vm: bins=/usr/bin/udevadm /usr/bin/systemd-escape
# vm: files=/lib/udev/rules.d/60-hyperv-daemons.rules:/usr/lib/udev/rules.d/60-hyperv-daemons.rules
# vm: files=/lib/systemd/system/hv-kvp-daemon.service:/lib/systemd/system/hv-kvp-daemon.service
# vm: files=/lib/systemd/system/hv-vss-daemon.service:/lib/systemd/system/hv-vss-daemon.service
# vm: files=/lib/systemd/system/hv-fcopy-daemon.service:/lib/systemd/system/hv-fcopy-daemon.service
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_utils
load_hvlis || case_fail "load failed"
load_module hv_utils || case_fail "hv_utils did not load"
for cc in 02 03 04 05 06 07; do
	d=/sys/bus/vmbus/devices/53494d$cc-0000-4000-8000-73696d687374
	wait_until 10 test -e "$d/driver" || case_fail "device $cc not bound"
	drv=$(basename "$(readlink "$d/driver")")
	[ "$drv" = hv_utils ] || case_fail "device $cc bound to $drv"
done

ptp=
for c in /sys/class/ptp/ptp*/clock_name; do
	[ -e "$c" ] && [ "$(cat "$c")" = hyperv ] && ptp=$c
done
[ -n "$ptp" ] || case_fail "no PTP clock named hyperv"

wait_for "/sys/class/misc/vmbus!hv_vss/dev" 5 ||
	case_fail "no misc device vmbus/hv_vss"

# the daemons' activation: device path, udev rule, systemd unit
for d in kvp vss fcopy; do
	wait_for "/sys/class/misc/vmbus!hv_$d/dev" 5 || case_fail "no misc device vmbus/hv_$d"
	p=$(readlink -f "/sys/class/misc/vmbus!hv_$d")
	[ "$p" = "/sys/devices/virtual/misc/vmbus!hv_$d" ] ||
		case_fail "hv_$d: device at $p, want /sys/devices/virtual/misc/vmbus!hv_$d"
	udevadm test "$p" >/tmp/udev-$d.out 2>&1 ||
		case_fail "udevadm test $p failed: $(tail -n 5 /tmp/udev-$d.out)"
	prop() { sed -n "s/^$1=//p" /tmp/udev-$d.out; }
	[ "$(prop DEVNAME)" = "/dev/vmbus/hv_$d" ] ||
		case_fail "hv_$d: udev DEVNAME '$(prop DEVNAME)', want /dev/vmbus/hv_$d"
	case $(prop TAGS) in
	*:systemd:*) ;;
	*) case_fail "hv_$d: no udev TAG systemd (TAGS '$(prop TAGS)'): $(tail -n 12 /tmp/udev-$d.out | tr '\n' '|')" ;;
	esac
	want=$(prop SYSTEMD_WANTS)
	[ "$want" = "hv-$d-daemon.service" ] ||
		case_fail "hv_$d: SYSTEMD_WANTS '$want', want hv-$d-daemon.service"
	u=/lib/systemd/system/$want
	[ -f "$u" ] || case_fail "hv_$d: no unit $u"
	binds=$(sed -n 's/^BindsTo=//p' "$u")
	unit=$(systemd-escape --path --suffix=device "$p") ||
		case_fail "systemd-escape failed"
	[ "$binds" = "$unit" ] ||
		case_fail "hv_$d: the device's unit is $unit, $want has BindsTo=$binds"
	log "hv_$d: $p, TAGS $(prop TAGS), wants $want, BindsTo=$binds"
done
m=/sys/class/misc/vmbus!hv_kvp/dev
wait_for "$m" 5 || case_fail "no misc device vmbus/hv_kvp"
dev=/dev/vmbus/hv_kvp
if [ ! -c "$dev" ]; then
	mkdir -p /tmp/kvpdev
	dev=/tmp/kvpdev/hv_kvp
	mknod "$dev" c "$(cut -d: -f1 "$m")" "$(cut -d: -f2 "$m")"
fi

# struct hv_kvp_msg is 7432 bytes; REGISTER1 is operation 100 (octal 144)
{ printf '\144'; head -c 7431 /dev/zero; } >/tmp/reg1
exec 3<>"$dev" || case_fail "open $dev failed"
printf 'xx' >&3 2>/dev/null && case_fail "a 2-byte message was accepted"
dd bs=7432 count=1 if=/tmp/reg1 >&3 2>/dev/null ||
	case_fail "REGISTER1 was refused"
dd bs=8192 count=1 <&3 >/tmp/reply 2>/dev/null || case_fail "no answer"
[ "$(wc -c </tmp/reply)" -eq 7432 ] || case_fail "answer of $(wc -c </tmp/reply) bytes"
op=$(od -An -tu1 -N1 /tmp/reply | tr -d ' ')
[ "$op" = 100 ] || case_fail "answer operation $op"
ver=$(dd if=/tmp/reply bs=1 skip=4 count=3 2>/dev/null)
[ "$ver" = 3.1 ] || case_fail "answer version '$ver'"
# registered, nothing asked: a reply is out of order
dd bs=7432 count=1 if=/tmp/reg1 >&3 2>/dev/null &&
	case_fail "an out-of-order daemon message was accepted"
# a second opener is refused while the first holds the device
(exec 4<>"$dev") 2>/dev/null && case_fail "second open succeeded"
exec 3>&-
# closed: the next opener registers again
exec 3<>"$dev" || case_fail "reopen failed"
dd bs=7432 count=1 if=/tmp/reg1 >&3 2>/dev/null ||
	case_fail "REGISTER1 after reopen was refused"
exec 3>&-

rmmod hv_utils || case_fail "rmmod hv_utils failed"
[ ! -e "$m" ] || case_fail "misc device left behind"
unload_ours || case_fail "unload failed"
case_pass
