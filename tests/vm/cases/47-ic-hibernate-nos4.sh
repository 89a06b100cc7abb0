#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Shutdown IC, hibernate request on a guest whose kernel cannot hibernate
# (QEMU without ACPI S4: PIIX4_PM.disable_s4=1): even with hv_utils
# hibernate=1 the request is refused with E_FAIL (0x80004005), logged,
# and no uevent goes out (the kernel's hv_utils: hv_is_hibernation_supported()).
# vm: timeout=90
# vm: bins=/usr/bin/udevadm
# vm: qemu=-global PIIX4_PM.disable_s4=1
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh
mon=
fail() { [ -z "$mon" ] || kill "$mon" 2>/dev/null; case_fail "$*"; }

s=$(dmesg | grep 'ACPI: PM: (supports')
case $s in
*S4*) case_fail "QEMU still offers S4: $s" ;;
*S5*) log "$s" ;;
*) case_fail "no ACPI sleep states in the log: $s" ;;
esac
require_ko hv_simhost hv_vmbus hv_utils
load_hvlis || case_fail "load failed"
load_module hv_utils hibernate=1 || case_fail "cannot load hv_utils hibernate=1"
load_by_alias vmbus
wait_until 30 ic_ready shutdown || case_fail "shutdown not negotiated: $(cat "$ic/shutdown")"
[ "$(cat /sys/module/hv_utils/parameters/hibernate)" = Y ] || case_fail "hibernate=1 not taken"

udevadm monitor --kernel --property --subsystem-match=vmbus >/tmp/uevents 2>&1 &
mon=$!
wait_until 5 grep -q 'kernel uevent' /tmp/uevents || fail "udevadm monitor did not start"
mark_dmesg hibernate
echo hibernate >"$ic/shutdown" && fail "accepted: $(cat "$ic/shutdown")"
st=$(ic_field shutdown last_status)
[ "$st" = 0x80004005 ] || fail "status $st, want 0x80004005"
dmesg_since_mark | grep -q 'hibernation request refused: the kernel cannot hibernate' ||
	fail "no log line: $(dmesg_since_mark)"
sleep 1
grep -q EVENT=hibernate /tmp/uevents && fail "a refused request sent a uevent"
kill "$mon"
wait "$mon" 2>/dev/null
[ "$(ic_field shutdown errors)" = 0 ] || case_fail "protocol errors: $(cat "$ic/shutdown")"
unload_ours || case_fail "unload failed"
case_pass
