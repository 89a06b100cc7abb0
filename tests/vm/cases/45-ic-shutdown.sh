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

ic=/sys/kernel/debug/hv_simhost/ic
ic_field() {
	awk -v k="$2" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) {
		print substr($i, length(k) + 2); exit } }' "$ic/$1"
}
ic_ready() { [ "$(ic_field "$1" state)" = ready ]; }

require_ko hv_simhost hv_vmbus hv_utils
load_hvlis || case_fail "load failed"
load_by_alias vmbus
is_loaded hv_utils || case_fail "hv_utils was not loaded by its modalias"
wait_until 30 ic_ready shutdown || case_fail "not negotiated: $(cat $ic/shutdown)"
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
