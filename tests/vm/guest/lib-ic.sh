# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Helpers of the integration-component cases (45-*, 46-*), sourced after
# lib.sh: the simulated host's IC control files and the usual start.
#
#   ic_field SERVICE KEY   value of KEY=... in the service's debugfs file
#   ic_ready SERVICE       the host has negotiated the service
#   ic_start SERVICE...    load the simulated host and hv_utils (by its
#                          modalias) and wait until each SERVICE is ready
#   ic_reopen SERVICE CLASS_GUID
#                          unbind and bind hv_utils on that device, wait
#                          for the new negotiation (fails through $IC_FAIL)
#   uptime_ms              milliseconds since boot

ic=/sys/kernel/debug/hv_simhost/ic
IC_FAIL=${IC_FAIL:-case_fail}

ic_field() {
	awk -v k="$2" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) {
		print substr($i, length(k) + 2); exit } }' "$ic/$1"
}

ic_ready() { [ "$(ic_field "$1" state)" = ready ]; }

uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

ic_start() {
	require_ko hv_simhost hv_vmbus hv_utils
	load_hvlis || case_fail "load failed"
	load_by_alias vmbus
	is_loaded hv_utils || case_fail "hv_utils was not loaded by its modalias"
	for _s in "$@"; do
		wait_until 30 ic_ready "$_s" ||
			case_fail "$_s not negotiated: $(cat "$ic/$_s")"
	done
}

ic_reopen() {
	_dev=
	for _d in /sys/bus/vmbus/drivers/hv_utils/*-*; do
		[ "$(cat "$_d/class_id" 2>/dev/null)" = "{$2}" ] && _dev=${_d##*/}
	done
	[ -n "$_dev" ] || $IC_FAIL "$1 device not bound to hv_utils"
	echo "$_dev" >/sys/bus/vmbus/drivers/hv_utils/unbind || $IC_FAIL "unbind $1"
	echo "$_dev" >/sys/bus/vmbus/drivers/hv_utils/bind || $IC_FAIL "bind $1"
	wait_until 30 ic_ready "$1" ||
		$IC_FAIL "$1 not negotiated again: $(cat "$ic/$1")"
}
