#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Malformed host messages to hv_utils: each one is refused (an error status
# or no answer), logged by hv_utils, does not oops, and the next well-formed
# request of the same service works.  Heartbeat: IC msgsize past the packet,
# packet cut inside the IC header, pipe msgsize past the packet (refused as
# OpenVMM's pipe reader does; Linux ignores it).  KVP (with
# Debian's hv_kvp_daemon registered, so refusals are the kernel's): key not
# NUL-terminated, key_size and value_size past their maximum, odd key_size.
# Time sync (4.0) and shutdown bodies shorter than their message (framing
# consistent: pipe and IC sizes cut with the packet): refused, no answer;
# the next SAMPLE, and a hibernate request (hv_utils hibernate=1, so that
# an accepted request does nothing but a uevent), work (the hibernate
# request is answered E_FAIL on a kernel that cannot tell whether it can
# hibernate, before v5.7).
# Negotiation: version counts past the packet, then counts above the
# guest's limit; the channel is reopened (unbind/bind) after each and
# negotiates again.
# vm: timeout=240
# vm: bins=/usr/sbin/hv_kvp_daemon
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh
fail() { stop_daemon; case_fail "$*"; }

# refused SERVICE WHAT FAULT... -- REQUEST: arm the faults, send REQUEST,
# expect it to fail and hv_utils to log something; then REQUEST works.
refused() {
	_svc=$1 _what=$2
	shift 2
	while [ "$1" != -- ]; do
		echo "$1" >"$ic/$_svc" || fail "$_what: cannot arm '$1'"
		shift
	done
	shift
	mark_dmesg "$_what"
	echo "$*" >"$ic/$_svc" && fail "$_what: accepted: $(cat "$ic/$_svc")"
	sleep 0.5
	dmesg_since_mark "$_what" | grep -q hv_utils ||
		fail "$_what: refused without a log line from hv_utils"
	log "$_what: refused: $(dmesg_since_mark "$_what" | grep hv_utils | tail -n1)"
	if [ -n "${next_status:-}" ]; then
		_n=$(ic_field "$_svc" responses)
		echo "$*" >"$ic/$_svc" && fail "$_what: the next request: accepted, want status $next_status"
		[ "$(ic_field "$_svc" responses)" = $((_n + 1)) ] ||
			fail "$_what: the next request was not answered: $(cat "$ic/$_svc")"
		[ "$(ic_field "$_svc" last_status)" = "$next_status" ] ||
			fail "$_what: the next request: status $(ic_field "$_svc" last_status), want $next_status"
		return
	fi
	echo "$*" >"$ic/$_svc" || fail "$_what: the next request failed: $(cat "$ic/$_svc")"
}

IC_FAIL=fail

# bad_negotiate WHAT FW MSG: the next NEGOTIATE claims FW/MSG versions
bad_negotiate() {
	mark_dmesg "$1"
	echo "interval 0" >"$ic/heartbeat"
	echo "fault neg_counts $2 $3" >"$ic/heartbeat" || fail "$1: cannot arm"
	echo renegotiate >"$ic/heartbeat" || fail "$1: renegotiate"
	sleep 2
	ic_ready heartbeat && fail "$1: host says negotiated: $(cat "$ic/heartbeat")"
	dmesg_since_mark "$1" | grep -q hv_utils ||
		fail "$1: refused without a log line from hv_utils"
	log "$1: $(ic_field heartbeat state): $(dmesg_since_mark "$1" | grep hv_utils | tail -n1)"
	ic_reopen heartbeat 57164f39-9115-4e78-ab55-382f3bd5422d
	echo beat >"$ic/heartbeat" || fail "$1: heartbeat after reopening: $(cat "$ic/heartbeat")"
}

ic_start heartbeat kvp timesync shutdown
echo "interval 0" >"$ic/heartbeat"
echo "period 0" >"$ic/timesync"
for s in heartbeat kvp timesync shutdown; do echo "timeout 3000" >"$ic/$s"; done

refused heartbeat "hb msgsize+4000" "fault msg_size 4000" -- beat
refused heartbeat "hb cut to 20 bytes" "fault trunc 24" "fault pipe_size -24" -- beat
refused heartbeat "hb pipe msgsize past the packet" "fault pipe_size 64" -- beat
# body 24 -> 16 bytes (4.0 needs 17)
refused timesync "ts body of 16 bytes" "fault msg_size -8" "fault trunc 8" \
	"fault pipe_size -8" -- sample
# body 2060 -> 8 bytes (the flags end at 12)
echo 1 >/sys/module/hv_utils/parameters/hibernate || fail "cannot set hibernate=1"
# before v5.7 hv_utils refuses every hibernation request: the next one is
# answered E_FAIL there (47-ic-hibernate)
next_status=
ic_kernel_hibernates || next_status=0x80004005
refused shutdown "shutdown body of 8 bytes" "fault msg_size -2052" \
	"fault trunc 2052" "fault pipe_size -2052" -- hibernate
next_status=
echo 0 >/sys/module/hv_utils/parameters/hibernate

wait_for /dev/vmbus/hv_kvp 10 || fail "no /dev/vmbus/hv_kvp"
start_kvp_daemon
kvp_ok() { echo "set 0 GoodKey v" >"$ic/kvp"; }
wait_until 20 kvp_ok || fail "KVP with the daemon: $(cat $ic/kvp)"
refused kvp "kvp key unterminated" "kfault unterminated" -- set 0 GoodKey v
refused kvp "kvp key_size 4096" "kfault key_size 4096" -- set 0 GoodKey v
refused kvp "kvp value_size 4096" "kfault value_size 4096" -- set 0 GoodKey v
refused kvp "kvp key_size odd" "kfault key_size 15" -- set 0 GoodKey v
stop_daemon

bad_negotiate "negotiate counts past the packet" 2 40
bad_negotiate "negotiate counts above the limit" 200 200

for s in heartbeat kvp timesync shutdown; do
	log "$s: $(tr '\n' ' ' <"$ic/$s")"
done
unload_ours || case_fail "unload failed"
case_pass
