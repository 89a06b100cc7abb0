#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Shutdown IC, hibernate request on a guest whose kernel cannot hibernate
# (QEMU without ACPI S4: PIIX4_PM.disable_s4=1): even with hv_utils
# hibernate=1 the request is refused with E_FAIL (0x80004005), logged,
# and no uevent goes out (the kernel's hv_utils: hv_is_hibernation_supported();
# a kernel older than it, v5.7, is told apart by its log line).
# Then, as this boot is the case's own, a reboot request that ends in the
# kernel's real restart: hv_utils answers S_OK and runs orderly_reboot(),
# i.e. /sbin/reboot, here a script that writes the result, the kernel log
# and VMTEST-DONE and then restarts the VM (busybox reboot -f, not the link: reboot(2)
# RESTART); QEMU runs with -no-reboot, so it exits, and the host then
# checks that the console shows the kernel's "reboot: Restarting system"
# and not "reboot: Power down".  A power-off instead (poweroff_cmd is a
# script that fails the case) or no action at all (60 s) fails.
# vm: timeout=150
# vm: host-check=grep 'reboot: Restarting system' {serial} && ! grep 'reboot: Power down' {serial}
# vm: bins=/usr/bin/udevadm
# vm: qemu=-global PIIX4_PM.disable_s4=1
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh
mon=
fail() { [ -z "$mon" ] || kill "$mon" 2>/dev/null; case_fail "$*"; }

# "ACPI: PM: (supports S0 ...)"; 5.10 prints "ACPI: (supports S0 ...)"
s=$(dmesg | grep -E 'ACPI: (PM: )?\(supports')
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
why=$(ic_no_hibernate_why)
dmesg_since_mark | grep -qF "hibernation request refused: $why" ||
	fail "no log line 'refused: $why': $(dmesg_since_mark)"
sleep 1
grep -q EVENT=hibernate /tmp/uevents && fail "a refused request sent a uevent"
kill "$mon"
wait "$mon" 2>/dev/null
[ "$(ic_field shutdown errors)" = 0 ] || case_fail "protocol errors: $(cat "$ic/shutdown")"

# the real reboot; both scripts are run by the kernel (usermode helper: no
# environment of ours)
# end STATUS WHY ACTION: the script that ends the run with this result
end() {
	cat <<EOS
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HVLIS_CH=$HVLIS_CH HVLIS_CASE=$HVLIS_CASE
. /hvlis/lib.sh
_case_result $1 "$2"
chan VMTEST-DMESG-BEGIN
dmesg >"\$HVLIS_CH"
chan VMTEST-DMESG-END
chan VMTEST-DONE
sync
$3
EOS
}
end PASS "the host's reboot request ran /sbin/reboot (the restart itself: host-check)" \
	"/bin/reboot -f" >/tmp/hvlis-reboot
end FAIL "the host's reboot request powered the VM off" "/bin/poweroff -f" >/tmp/hvlis-poweroff
chmod 755 /tmp/hvlis-reboot /tmp/hvlis-poweroff
echo /tmp/hvlis-poweroff >/proc/sys/kernel/poweroff_cmd || case_fail "cannot set poweroff_cmd"
ln -sf /tmp/hvlis-reboot /sbin/reboot || case_fail "cannot replace /sbin/reboot"
log "asking the guest to reboot"
echo reboot >"$ic/shutdown" || log "request: $(cat "$ic/shutdown")"
sleep 60
case_fail "still running 60 s after the reboot request: $(cat "$ic/shutdown")"
