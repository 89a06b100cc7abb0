#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Time sync IC: with the host clock 30 s ahead, a SYNC steps the guest clock
# to the host time (within a second, counting the time the exchange took),
# with service version 4.0 (OpenVMM's only one) and again with 3.0 after
# rebinding; hv_utils registers a PTP clock named "hyperv".
# vm: timeout=120
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh
syncs_ge() { [ "$(ic_field timesync syncs)" -ge "$1" ]; }

# step_check VERSION: host 30 s ahead, SYNC, the guest clock must follow.
step_check() {
	echo "offset 30000" >"$ic/timesync" || case_fail "offset refused"
	t0=$(uptime_ms)
	echo sync >"$ic/timesync" || case_fail "SYNC failed: $(cat $ic/timesync)"
	# the guest may step its clock from a work item after answering
	sleep 0.3
	d=$(ic_field timesync now_minus_last_ms)
	el=$(($(uptime_ms) - t0))
	log "v$1: guest clock - host time sent = $d ms, $el ms after the SYNC"
	if [ "$d" -lt -1000 ] || [ "$d" -gt $((el + 1000)) ]; then
		case_fail "v$1: guest clock is $d ms from the host time ($el ms elapsed): not stepped"
	fi
	echo "offset 0" >"$ic/timesync"
}

require_ko hv_simhost hv_vmbus hv_utils
load_hvlis || case_fail "load failed"
echo "period 0" >"$ic/timesync" || case_fail "period refused"
load_by_alias vmbus
is_loaded hv_utils || case_fail "hv_utils was not loaded by its modalias"
wait_until 30 ic_ready timesync || case_fail "not negotiated: $(cat $ic/timesync)"
[ "$(ic_field timesync version)" = 4.0 ] ||
	case_fail "version $(ic_field timesync version), want 4.0"
wait_until 10 syncs_ge 1 || case_fail "no initial SYNC: $(cat $ic/timesync)"
step_check 4.0

ptp=
for c in /sys/class/ptp/ptp*; do
	[ "$(cat "$c/clock_name" 2>/dev/null)" = hyperv ] && ptp=/dev/${c##*/}
done
[ -n "$ptp" ] || case_fail "no PTP clock named hyperv"
[ -c "$ptp" ] || case_fail "$ptp is not a character device"
exec 3<"$ptp" || case_fail "cannot open $ptp"
exec 3<&-

# service version 3.0: offer only that one, reopen the channel
echo "versions 3.0" >"$ic/timesync" || case_fail "versions refused"
ic_reopen timesync 9527e630-d0ae-497b-adce-e80ab0175caf
[ "$(ic_field timesync version)" = 3.0 ] ||
	case_fail "version $(ic_field timesync version), want 3.0"
step_check 3.0
[ "$(ic_field timesync errors)" = 0 ] || case_fail "protocol errors: $(cat $ic/timesync)"
unload_ours || case_fail "unload failed"
case_pass
