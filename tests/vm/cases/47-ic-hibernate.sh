#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Shutdown IC, hibernate requests (flags 4, with force 5), on a guest whose
# kernel can hibernate (QEMU's ACPI tables have S4):
#  - hv_utils hibernate=0 (the default: hv_vmbus does not resume from
#    hibernation yet): refused with E_FAIL (0x80004005), no uevent;
#  - hibernate=1: answered S_OK, and a KOBJ_CHANGE uevent with
#    EVENT=hibernate goes out on the shutdown device (seen by udevadm
#    monitor on the kernel's uevent socket), as the kernel's hv_utils does;
#    nothing else happens: the VM is not hibernated (that is the job of a
#    udev rule or script of the administrator).
# 47-ic-hibernate-nos4 has the guest without S4.  A kernel without
# hv_is_hibernation_supported() (before v5.7): every request refused, with
# hibernate=0 and =1; then the case skips (the accepting half cannot run).
# vm: timeout=90
# vm: bins=/usr/bin/udevadm
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh
mon=
stop_mon() { [ -z "$mon" ] || { kill "$mon" 2>/dev/null; wait "$mon" 2>/dev/null; mon=; }; }
fail() { stop_mon; case_fail "$*"; }
param=/sys/module/hv_utils/parameters/hibernate

# skipped only where the environment has no S4: QEMU gave the VM none (no
# \_S4 in its DSDT) or the kernel cannot hibernate at all (no
# /sys/power/disk: CONFIG_HIBERNATION off); then the kernel must list S4,
# and every check below fails rather than skips
grep -q '_S4_' /sys/firmware/acpi/tables/DSDT ||
	case_skip "QEMU gave this VM no ACPI S4 (no _S4 in the DSDT)"
[ -e /sys/power/disk ] || case_skip "$(uname -r) is built without hibernation"
# the sleep states line: "ACPI: PM: (supports S0 ...)"; 5.10 prints
# "ACPI: (supports S0 ...)"
dmesg | grep -qE 'ACPI: (PM: )?\(supports.* S4' ||
	case_fail "the DSDT has _S4 but the kernel does not list S4: $(dmesg | grep -E 'ACPI: (PM: )?\(supports')"
ic_start shutdown
dev=
for _d in /sys/bus/vmbus/devices/*; do
	[ "$(cat "$_d/class_id" 2>/dev/null)" = "{0e0b6031-5213-4934-818b-38d90ced39db}" ] &&
		dev=${_d##*/}
done
[ -n "$dev" ] || case_fail "no shutdown device"
[ "$(cat $param)" = N ] || case_fail "hibernate is $(cat $param) by default, want N"

udevadm monitor --kernel --property --subsystem-match=vmbus >/tmp/uevents 2>&1 &
mon=$!
wait_until 5 grep -q 'kernel uevent' /tmp/uevents || fail "udevadm monitor did not start: $(cat /tmp/uevents)"

# hibernate REQ: the host's request REQ (fails when not answered S_OK);
# the answer's status in $st
hibernate() {
	mark_dmesg "$1"
	_rc=0
	echo "$1" >"$ic/shutdown" || _rc=1
	st=$(ic_field shutdown last_status)
	return $_rc
}

# refused PARAM REASON: every hibernation request is refused with E_FAIL,
# REASON logged, no uevent
refused() {
	for req in hibernate "hibernate force"; do
		: >/tmp/uevents
		hibernate "$req" && fail "hibernate=$1: '$req' accepted: $(cat "$ic/shutdown")"
		[ "$st" = 0x80004005 ] || fail "hibernate=$1: '$req': status $st, want 0x80004005"
		dmesg_since_mark | grep -qF "hibernation request refused: $2" ||
			fail "hibernate=$1: '$req': no log line 'refused: $2': $(dmesg_since_mark)"
		sleep 1
		grep -q EVENT=hibernate /tmp/uevents && fail "hibernate=$1: a refused '$req' sent a uevent"
	done
}

if ! ic_kernel_hibernates; then
	# before v5.7 no kernel tells a module whether it can hibernate: hv_utils
	# refuses, whatever its parameter says
	why=$(ic_no_hibernate_why)
	refused 0 "$why"
	echo 1 >$param || fail "cannot set $param"
	refused 1 "$why"
	echo 0 >$param
	stop_mon
	[ "$(ic_field shutdown errors)" = 0 ] || case_fail "protocol errors: $(cat "$ic/shutdown")"
	unload_ours || case_fail "unload failed"
	case_skip "$(uname -r) has no hv_is_hibernation_supported() (v5.7): every request refused as it must be; the accepting half cannot run here"
fi

refused 0 "hv_utils hibernate=0"

echo 1 >$param || fail "cannot set $param"
for req in hibernate "hibernate force"; do
	: >/tmp/uevents
	hibernate "$req" || fail "hibernate=1: '$req' refused: $(cat "$ic/shutdown")"
	[ $((st)) -eq 0 ] || fail "$req: status $st, want 0"
	wait_until 5 grep -qx EVENT=hibernate /tmp/uevents ||
		fail "$req: no EVENT=hibernate uevent: $(tr '\n' ' ' </tmp/uevents)"
	grep -qx ACTION=change /tmp/uevents || fail "$req: uevent is not a change: $(tr '\n' ' ' </tmp/uevents)"
	grep -q "^DEVPATH=.*/$dev\$" /tmp/uevents ||
		fail "$req: uevent not on the shutdown device $dev: $(tr '\n' ' ' </tmp/uevents)"
	dmesg_since_mark | grep -q 'hibernation uevent sent' || fail "$req: no log of the uevent"
	log "$req: S_OK, uevent $(grep '^DEVPATH=' /tmp/uevents)"
done
echo 0 >$param
: >/tmp/uevents
hibernate hibernate && fail "hibernate=0 again: accepted"
sleep 1
grep -q EVENT=hibernate /tmp/uevents && fail "a refused request sent a uevent"
stop_mon
[ "$(ic_field shutdown errors)" = 0 ] || case_fail "protocol errors: $(cat "$ic/shutdown")"
unload_ours || case_fail "unload failed"
case_pass
