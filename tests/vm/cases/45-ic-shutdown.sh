#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Shutdown IC: the simulated host asks for a shut down (version 3.2, as
# OpenVMM negotiates it), hv_utils answers S_OK and powers the VM off through
# the kernel's orderly_poweroff(), which runs poweroff_cmd.  Here that
# command is a script that ends the run the way /init does (this case's
# result, the kernel log, VMTEST-DONE) and then really powers off: QEMU
# exits.  If the VM is still running 60 s later the case fails.
# vm: own-boot
# vm: timeout=120
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh

ic_start shutdown
[ "$(ic_field shutdown version)" = 3.2 ] ||
	case_fail "shutdown version $(ic_field shutdown version), want 3.2"

# run by the kernel (usermode helper: no environment of ours)
cat >/tmp/hvlis-poweroff <<EOS
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HVLIS_CH=$HVLIS_CH HVLIS_CASE=$HVLIS_CASE
. /hvlis/lib.sh
_case_result PASS "powered off by the host's shutdown request"
chan VMTEST-DMESG-BEGIN
dmesg >"\$HVLIS_CH"
chan VMTEST-DMESG-END
chan VMTEST-DONE
sync
poweroff -f
EOS
chmod 755 /tmp/hvlis-poweroff
echo /tmp/hvlis-poweroff >/proc/sys/kernel/poweroff_cmd || case_fail "cannot set poweroff_cmd"
log "asking the guest to shut down"
echo shutdown >"$ic/shutdown" || log "request: $(cat $ic/shutdown)"
sleep 60
case_fail "still running 60 s after the shutdown request: $(cat $ic/shutdown)"
