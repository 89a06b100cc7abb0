#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# File copy IC with Debian's hv_fcopy_daemon (hyperv-daemons):
#  - no daemon: START_FILE_COPY, COMPLETE_FCOPY and CANCEL_FCOPY fail at
#    once with E_FAIL (0x80004005), as Linux's hv_fcopy.c answers before
#    registration;
#  - a misbehaving daemon (the case itself on /dev/vmbus/hv_fcopy, whose
#    messages are one int: the version to register, then each answer's
#    status): a write of the wrong size, an unknown version, an answer with
#    no request, an answer to a START it has not read: each fails with
#    EINVAL (Linux's fcopy_on_msg: -EINVAL for all but the unread one,
#    which it takes; ours refuses it, or the START would reach the daemon
#    after its transaction); its E_FAIL answer reaches the host; a START
#    it never reads times out and is taken back (its next read is the
#    host's next START);
#  - daemon running: a 10 MiB file sent by the host (START, 6 KiB writes,
#    COMPLETE) arrives with the same sha256; sent again without the
#    overwrite flag it is refused with ALREADY_EXISTS (0x80070050) and left
#    alone, with the flag it is replaced; CREATE_PATH makes the directories
#    (the daemon creates those before each '/': the path ends with one);
#    a copy cancelled after 3 writes leaves no file;
#  - a host that stops reading its ring: an answer that does not fit is
#    sent once the host reads again, not dropped;
#  - the daemon killed: START fails at once with E_FAIL again;
#  - the host took every answer out of the ring before it used it, as
#    OpenVMM's pipe reader does (so a busy transfer never finds the
#    guest's 12 KiB ring still holding the last 6 KiB answer).
# vm: timeout=180
# vm: bins=/usr/sbin/hv_fcopy_daemon /usr/bin/sha256sum
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh

daemon=
fail() {
	[ -z "$daemon" ] || { kill "$daemon"; wait "$daemon"; } 2>/dev/null
	case_fail "$*"
}
IC_FAIL=fail
fc() { echo "$*" >"$ic/fcopy"; }
# the result lines: those after the service's counters
fc_result() { awk 'f; /^requests=/ { f = 1 }' "$ic/fcopy" | tr '\n' ' '; }
registered() { dmesg_since_mark fc | grep -q "fcopy: daemon registered"; }
sum() { sha256sum "$1" | cut -d' ' -f1; }

# start_fails WHAT: START must fail with E_FAIL within 3 s
start_fails() {
	t0=$(uptime_ms)
	fc start /tmp nodaemon.bin 0 10 && fail "$1: START succeeded: $(fc_result)"
	el=$(($(uptime_ms) - t0))
	log "$1: $(fc_result)after $el ms"
	grep -qx "start status=0x80004005" "$ic/fcopy" ||
		fail "$1: want start status=0x80004005, got $(fc_result)"
	[ "$el" -lt 3000 ] || fail "$1: took $el ms"
	[ ! -e /tmp/nodaemon.bin ] || fail "$1: a file was created"
}

ic_start fcopy
log "fcopy framework $(ic_field fcopy framework) version $(ic_field fcopy version)"
[ "$(ic_field fcopy version)" = 1.1 ] || fail "version $(ic_field fcopy version), want 1.1"
wait_for /dev/vmbus/hv_fcopy 10 || fail "no /dev/vmbus/hv_fcopy"
start_fails "no daemon"
for op in complete cancel; do
	fc "$op" && fail "no daemon: $op succeeded: $(fc_result)"
	grep -qx "$op status=0x80004005" "$ic/fcopy" ||
		fail "no daemon: want $op status=0x80004005, got $(fc_result)"
done

# the misbehaving daemon
exec 3<>/dev/vmbus/hv_fcopy || fail "cannot open /dev/vmbus/hv_fcopy"
dev_refused "8-byte version" "01 00 00 00 00 00 00 00"
dev_refused "version 7" "07 00 00 00"
dev_write "01 00 00 00" || fail "version 1: $dev_err"
dev_read 5 || fail "no answer to version 1"
[ "$dev_msg" = "01 00 00 00" ] || fail "version 1 answered '$dev_msg', want 01 00 00 00"
dev_refused "answer without a request" "00 00 00 00"
fc start /tmp garbage.bin 0 10 2>/dev/null 3>&- &
host=$!
sleep 2	# the guest takes it in (the control file is locked until the answer)
dev_refused "answer to an unread START" "00 00 00 00"
dev_read 5 || fail "START did not reach the daemon"
[ "$dev_len" = 1088 ] || fail "START reached the daemon with $dev_len bytes, want 1088"
[ "${dev_msg%"${dev_msg#???????????}"}" = "00 00 00 00" ] ||
	fail "START reached the daemon as '$(echo "$dev_msg" | cut -c1-48)...'"
dev_refused "2-byte answer" "00 00"
dev_write "$(le32 0x80004005)" || fail "E_FAIL answer: $dev_err"
wait "$host" && fail "START answered E_FAIL succeeded at the host"
grep -qx "start status=0x80004005" "$ic/fcopy" ||
	fail "garbage daemon: want start status=0x80004005, got $(fc_result)"
# a START the daemon never reads times out (E_FAIL) and is taken back:
# the daemon's next read is the host's next START, not the stale one
tmo=/sys/module/hv_utils/parameters/fcopy_timeout_s
echo 2 >"$tmo" || fail "cannot set $tmo"
fc start /tmp unread.bin 0 10 2>/dev/null 3>&- &
host=$!
wait "$host" && fail "an unread START succeeded at the host"
echo 30 >"$tmo"
grep -qx "start status=0x80004005" "$ic/fcopy" ||
	fail "unread START: want start status=0x80004005, got $(fc_result)"
fc start /tmp next.bin 0 10 2>/dev/null 3>&- &
host=$!
dev_read 5 || fail "the START after a timed-out one did not reach the daemon"
grep -aq next.bin /tmp/ic-rd ||
	fail "after a START timed out unread the daemon read $(grep -aq unread.bin /tmp/ic-rd && echo 'the stale START (unread.bin)' || echo "'$(echo "$dev_msg" | cut -c1-48)...'")"
dev_write "$(le32 0x80004005)" || fail "E_FAIL answer to next.bin: $dev_err"
wait "$host" && fail "START of next.bin answered E_FAIL succeeded at the host"

# A host that stops reading the guest's ring (simhost "hold"): one 6 KiB
# WRITE_TO_FILE answer fits the guest's 12 KiB ring, a second does not.
# The host gives up on the first WRITE (2 s), sends a second whose answer
# finds the ring full: it must be kept and sent once the host reads again
# (pending_send_sz), not dropped.  The host then takes the first, stale
# answer for the second WRITE (IC transactions carry no id) and counts the
# kept one as unsolicited.
fcdev=$(grep -l 34d14be3-dee4-41c8-9ae7-6b174977c192 /sys/bus/vmbus/devices/*/class_id) ||
	fail "no fcopy device"
fcdev=${fcdev%/class_id}
relid=$(cat "$fcdev/id")
full() { cat "$fcdev/channels/$relid/out_full_total"; }
S=/sys/kernel/debug/hv_simhost
answer_write() {
	dev_read 5 || fail "$1: WRITE did not reach the daemon"
	dev_write "$(le32 0)" || fail "$1: answer: $dev_err"
}
mark_dmesg held
echo "timeout 2000" >"$ic/fcopy"
echo "$relid on" >$S/hold || fail "hold knob"
fc write 0 6144 2>/dev/null 3>&- &
host=$!
answer_write "first"
wait "$host" && fail "a WRITE whose answer the host did not read succeeded"
grep -q "^write offset=0 err=" "$ic/fcopy" ||
	fail "first WRITE: want a timeout, got $(fc_result)"
echo "timeout 10000" >"$ic/fcopy"
full0=$(full)
unsol0=$(ic_field fcopy unsolicited)
fc write 6144 6144 2>/dev/null 3>&- &
host=$!
answer_write "second"
wait_until 5 sh -c "[ \$(cat $fcdev/channels/$relid/out_full_total) -gt $full0 ]" ||
	fail "the second answer fit in the ring (out_full_total $(full)): no test"
echo "$relid off" >$S/hold || fail "hold knob off"
wait "$host" || fail "second WRITE: $(fc_result)"
late() { [ "$(ic_field fcopy unsolicited)" -gt "$unsol0" ]; }
wait_until 5 late || fail "the answer the full ring had no room for never reached the host: $(dmesg_since_mark held | grep 'fcopy:' | tail -2 | tr '\n' ' ')"
log "held ring: answer kept and sent after the host read again (out_full_total $full0 -> $(full))"
exec 3>&-
[ ! -e /tmp/garbage.bin ] || fail "a file was created"

dd if=/dev/urandom of=/tmp/src.bin bs=1M count=10 2>/dev/null || fail "no source file"
dd if=/dev/urandom of=/tmp/src2.bin bs=1000 count=7 2>/dev/null || fail "no source file 2"
mkdir -p /tmp/fc
mark_dmesg fc
hv_fcopy_daemon -n >/tmp/fcd.log 2>&1 &
daemon=$!
wait_until 10 registered || fail "hv_fcopy_daemon did not register: $(cat /tmp/fcd.log)"

t0=$(uptime_ms)
fc send /tmp/src.bin /tmp/fc copy.bin || fail "send: $(fc_result)"
log "10 MiB in $(($(uptime_ms) - t0)) ms: $(fc_result)"
[ "$(sum /tmp/fc/copy.bin)" = "$(sum /tmp/src.bin)" ] || fail "sha256 differs"

fc send /tmp/src2.bin /tmp/fc copy.bin && fail "overwrite without the flag: $(fc_result)"
grep -qx "start status=0x80070050" "$ic/fcopy" ||
	fail "no overwrite flag: want start status=0x80070050, got $(fc_result)"
[ "$(sum /tmp/fc/copy.bin)" = "$(sum /tmp/src.bin)" ] || fail "the refused copy changed the file"
fc send /tmp/src2.bin /tmp/fc copy.bin overwrite || fail "overwrite: $(fc_result)"
[ "$(sum /tmp/fc/copy.bin)" = "$(sum /tmp/src2.bin)" ] || fail "overwrite: sha256 differs"

fc send /tmp/src2.bin /tmp/fc/new/dir/ made.bin create_path || fail "create_path: $(fc_result)"
[ "$(sum /tmp/fc/new/dir/made.bin)" = "$(sum /tmp/src2.bin)" ] || fail "create_path: sha256 differs"

fc cancel_after 3 || fail "cancel_after"
fc send /tmp/src.bin /tmp/fc cancelled.bin || fail "cancelled send: $(fc_result)"
grep -q "cancelled after 3 writes" "$ic/fcopy" || fail "not cancelled: $(fc_result)"
[ ! -e /tmp/fc/cancelled.bin ] || fail "a cancelled copy left $(wc -c </tmp/fc/cancelled.bin) bytes"

kill "$daemon"
wait "$daemon" 2>/dev/null
daemon=
start_fails "daemon killed"
[ "$(ic_field fcopy errors)" = 0 ] || fail "protocol errors: $(cat "$ic/fcopy")"
# the host took each answer out of the ring before it used it (pipe)
[ "$(ic_field fcopy answers_in_ring)" = 0 ] ||
	fail "$(ic_field fcopy answers_in_ring) answers used while still in the ring"
unload_ours || case_fail "unload failed"
case_pass
