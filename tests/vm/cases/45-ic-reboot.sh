#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Shutdown IC, reboot and refused requests: a reboot request (flag RESTART)
# is answered S_OK and hv_utils runs the kernel's orderly reboot, i.e.
# /sbin/reboot (here a stand-in that only records it was run, so the boot
# goes on: the VM does not really restart); hibernate (not advertised by this guest) and unknown flags are
# answered E_FAIL and start nothing.
# vm: timeout=90
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

ic=/sys/kernel/debug/hv_simhost/ic
ic_field() {
	awk -v k="$2" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) {
		print substr($i, length(k) + 2); exit } }' "$ic/$1"
}
ic_ready() { [ "$(ic_field "$1" state)" = ready ]; }
restore() {
	rm -f /sbin/reboot /tmp/hvlis-rebooted
	[ ! -e /sbin/reboot.hvlis ] || mv -f /sbin/reboot.hvlis /sbin/reboot
}
fail() { restore; case_fail "$*"; }

require_ko hv_simhost hv_vmbus hv_utils
load_hvlis || case_fail "load failed"
load_by_alias vmbus
is_loaded hv_utils || case_fail "hv_utils was not loaded by its modalias"
wait_until 30 ic_ready shutdown || case_fail "not negotiated: $(cat $ic/shutdown)"

# the kernel runs /sbin/reboot (it forces a restart if that fails)
[ ! -e /sbin/reboot ] || mv /sbin/reboot /sbin/reboot.hvlis ||
	case_fail "cannot move /sbin/reboot"
printf '#!/bin/sh\necho "$*" >/tmp/hvlis-rebooted\n' >/sbin/reboot
chmod 755 /sbin/reboot

for req in hibernate "flags 0x10"; do
	echo "$req" >"$ic/shutdown" && fail "$req: accepted: $(cat $ic/shutdown)"
	[ "$(ic_field shutdown last_status)" = 0x80004005 ] ||
		fail "$req: status $(ic_field shutdown last_status), want 0x80004005"
done
sleep 2
[ -e /tmp/hvlis-rebooted ] && fail "a refused request ran /sbin/reboot"

echo reboot >"$ic/shutdown" || fail "reboot: $(cat $ic/shutdown)"
[ $(($(ic_field shutdown last_status))) -eq 0 ] || fail "reboot: status $(ic_field shutdown last_status)"
wait_for /tmp/hvlis-rebooted 20 || fail "/sbin/reboot was not run"
restore
[ "$(ic_field shutdown errors)" = 0 ] || case_fail "protocol errors: $(cat $ic/shutdown)"
unload_ours || case_fail "unload failed"
case_pass
