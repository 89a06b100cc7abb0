#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Shutdown IC, reboot and refused requests: a reboot request (flag RESTART)
# is answered S_OK and hv_utils runs the kernel's orderly reboot, i.e.
# /sbin/reboot (here a stand-in that only records it was run, so the shared
# boot goes on; 47-ic-hibernate-nos4, a boot of its own, ends in the
# kernel's real restart); hibernate (hv_utils
# hibernate=0, the default; 47-ic-hibernate has the rest) and unknown
# flags are answered E_FAIL and start nothing.
# vm: timeout=90
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh
restore() {
	rm -f /sbin/reboot /tmp/hvlis-rebooted
	[ ! -e /sbin/reboot.hvlis ] || mv -f /sbin/reboot.hvlis /sbin/reboot
}
fail() { restore; case_fail "$*"; }

ic_start shutdown

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
