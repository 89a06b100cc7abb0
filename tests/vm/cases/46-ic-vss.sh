#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# VSS IC with Debian's hv_vss_daemon (hyperv-daemons), an ext4 on a RAM
# disk (/dev/ram0, brd) mounted at /mnt/vss:
#  - no daemon: a host FREEZE, THAW and HOT_BACKUP fail at once with E_FAIL
#    (0x80004005), as Linux's hv_snapshot.c answers before registration;
#  - a misbehaving daemon (the case itself on /dev/vmbus/hv_vss): a
#    message of the wrong size, an operation other than REGISTER before it
#    registered, an answer with no request, an answer to a FREEZE it has
#    not read, a REGISTER during the FREEZE: each write fails with EINVAL
#    (Linux's vss_on_msg: -EINVAL for all but the unread one, which it
#    takes; ours refuses it, or the FREEZE would reach the daemon after its
#    transaction); its E_FAIL answer reaches the host; nothing is frozen;
#    REGISTER1 and REGISTER again while idle are taken (as by Linux); a
#    FREEZE it never reads times out with E_FAIL and is taken back, so its
#    next read is the host's THAW that follows, not the stale FREEZE;
#  - daemon running: HOT_BACKUP answers S_OK with flags 0x5
#    (NO_AUTO_RECOVERY); FREEZE is answered S_OK and a write to /mnt/vss
#    then blocks; THAW is answered S_OK and the write completes;
#  - the daemon killed (SIGKILL) while the file system is frozen: hv_utils
#    thaws it (the blocked write completes) and the host's THAW then fails
#    with E_FAIL; a daemon started again freezes and thaws.
# vm: timeout=120
# vm: modules=brd,ext4
# vm: bins=/usr/sbin/hv_vss_daemon /usr/sbin/mkfs.ext4 /usr/sbin/fsfreeze
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh

mnt=/mnt/vss
daemon=
writer=
cleanup() {
	[ -z "$daemon" ] || { kill -9 "$daemon"; wait "$daemon"; } 2>/dev/null
	daemon=
	# never leave the file system frozen for the next case
	fsfreeze -u "$mnt" 2>/dev/null && log "cleanup: $mnt was still frozen"
	# a writer blocked in the kernel is not waited for
	writer=
	umount "$mnt" 2>/dev/null
}
fail() { cleanup; case_fail "$*"; }
IC_FAIL=fail

vss() { echo "$1" >"$ic/vss"; }
registered() { dmesg_since_mark "$1" | grep -q "vss: daemon registered"; }
start_daemon() {
	hv_vss_daemon -n >/tmp/vssd.log 2>&1 &
	daemon=$!
	wait_until 10 registered "$1" ||
		fail "$1: hv_vss_daemon did not register: $(cat /tmp/vssd.log)"
}
# start_writer NAME: a write to the file system, in the background
start_writer() {
	sh -c "echo data >$mnt/$1; echo done >/tmp/$1.done" &
	writer=$!
}
writer_done() { [ -e "/tmp/$1.done" ]; }

ic_start vss
log "vss framework $(ic_field vss framework) version $(ic_field vss version)"
[ "$(ic_field vss version)" = 5.0 ] || fail "version $(ic_field vss version), want 5.0"
wait_for /dev/vmbus/hv_vss 10 || fail "no /dev/vmbus/hv_vss"

for op in freeze thaw hot_backup; do
	t0=$(uptime_ms)
	vss $op && fail "$op without a daemon succeeded: $(cat "$ic/vss")"
	el=$(($(uptime_ms) - t0))
	[ "$(ic_field vss last_status)" = 0x80004005 ] ||
		fail "no daemon: $op status $(ic_field vss last_status) err $(ic_field vss last_err), want 0x80004005"
	[ "$el" -lt 3000 ] || fail "no daemon: the answer to $op took $el ms"
done

modprobe brd rd_nr=1 rd_size=16384 || fail "brd did not load"
wait_for /dev/ram0 5 || fail "no /dev/ram0"
expect_ok "mkfs.ext4" mkfs.ext4 -q -F -E nodiscard /dev/ram0
mkdir -p "$mnt"
mount -t ext4 /dev/ram0 "$mnt" || fail "mount failed"

# the misbehaving daemon: hv_vss_msg is 12 bytes, the operation in byte 0,
# the answer's error (s32) over bytes 0-3
z8="00 00 00 00 00 00 00 00"
exec 3<>/dev/vmbus/hv_vss || fail "cannot open /dev/vmbus/hv_vss"
dev_refused "8-byte REGISTER1" 81 00 00 00 00 00 00 00
dev_refused "FREEZE before registering" "05 00 00 00 $z8"
dev_write "81 00 00 00 $z8" || fail "REGISTER1: $dev_err"
dev_read 5 || fail "no answer to REGISTER1"
[ "$dev_msg" = "81 00 00 00" ] || fail "REGISTER1 answered '$dev_msg', want 81 00 00 00"
dev_refused "answer without a request" "00 00 00 00 $z8"
# registering again while idle is taken (Linux's vss_on_msg: state READY)
dev_write "81 00 00 00 $z8" || fail "second REGISTER1 while idle: $dev_err"
dev_read 5 || fail "no answer to the second REGISTER1"
[ "$dev_msg" = "81 00 00 00" ] || fail "second REGISTER1 answered '$dev_msg'"
dev_write "80 00 00 00 $z8" || fail "REGISTER (old protocol) while idle: $dev_err"
req0=$(ic_field vss requests)
vss freeze 2>/dev/null 3>&- &
host=$!
host_sent() { [ "$(ic_field vss requests)" -gt "$req0" ]; }
wait_until 10 host_sent || fail "the host did not send FREEZE"
sleep 1	# the guest takes it in
dev_refused "answer to an unread FREEZE" "00 00 00 00 $z8"
dev_read 5 || fail "FREEZE did not reach the daemon"
[ "$dev_msg" = "05 00 00 00 $z8" ] || fail "FREEZE reached the daemon as '$dev_msg'"
dev_refused "4-byte answer" 00 00 00 00
dev_refused "REGISTER1 during a FREEZE" "81 00 00 00 $z8"
dev_write "$(le32 0x80004005) $z8" || fail "E_FAIL answer: $dev_err"
wait "$host" && fail "FREEZE answered E_FAIL succeeded at the host"
[ "$(ic_field vss last_status)" = 0x80004005 ] ||
	fail "garbage daemon: status $(ic_field vss last_status), want 0x80004005"
# a FREEZE the daemon never reads times out (E_FAIL) and is taken back:
# the daemon's next read is the host's next request, not that FREEZE
ftmo=/sys/module/hv_utils/parameters/vss_freeze_timeout_s
echo 2 >"$ftmo" || fail "cannot set $ftmo"
vss freeze 2>/dev/null 3>&- &
host=$!
wait "$host" && fail "an unread FREEZE succeeded at the host"
echo 900 >"$ftmo"
[ "$(ic_field vss last_status)" = 0x80004005 ] ||
	fail "unread FREEZE: status $(ic_field vss last_status), want 0x80004005"
vss thaw 2>/dev/null 3>&- &
host=$!
dev_read 5 || fail "THAW after a timed-out FREEZE did not reach the daemon"
[ "$dev_msg" = "06 00 00 00 $z8" ] ||
	fail "after a FREEZE timed out unread the daemon read '$dev_msg', want THAW (06 ...)"
dev_write "00 00 00 00 $z8" || fail "THAW answer: $dev_err"
wait "$host" || fail "THAW answered S_OK failed at the host: $(cat "$ic/vss")"
exec 3>&-
start_writer w0
wait_until 10 writer_done w0 || fail "a write blocked after the misbehaving daemon"
wait "$writer"
writer=

mark_dmesg d1
start_daemon d1
vss hot_backup || fail "HOT_BACKUP: $(cat "$ic/vss")"
[ "$(ic_field vss last_flags)" = 0x5 ] || fail "HOT_BACKUP flags $(ic_field vss last_flags), want 0x5"

vss freeze || fail "FREEZE: $(cat "$ic/vss"); daemon: $(cat /tmp/vssd.log)"
start_writer w1
sleep 1
writer_done w1 && fail "a write completed on the frozen file system"
vss thaw || fail "THAW: $(cat "$ic/vss")"
wait_until 10 writer_done w1 || fail "the write did not complete after THAW"
wait "$writer"
writer=

# the daemon dies while the file system is frozen
vss freeze || fail "second FREEZE: $(cat "$ic/vss")"
start_writer w2
sleep 1
writer_done w2 && fail "a write completed on the frozen file system (2)"
mark_dmesg kill
kill -9 "$daemon"
wait "$daemon" 2>/dev/null
daemon=
wait_until 10 writer_done w2 ||
	fail "file system still frozen 10 s after the daemon died: $(dmesg_since_mark kill | tail -n 5)"
wait "$writer"
writer=
log "after the daemon died: $(dmesg_since_mark kill | grep hv_utils | tail -n 1)"
vss thaw && fail "THAW without a daemon succeeded"
[ "$(ic_field vss last_status)" = 0x80004005 ] ||
	fail "THAW without a daemon: status $(ic_field vss last_status), want 0x80004005"

mark_dmesg d2
start_daemon d2
vss freeze || fail "FREEZE with a new daemon: $(cat "$ic/vss")"
vss thaw || fail "THAW with a new daemon: $(cat "$ic/vss")"
echo after >"$mnt/after" || fail "write after THAW"
[ "$(ic_field vss errors)" = 0 ] || fail "protocol errors: $(cat "$ic/vss")"
cleanup
unload_ours || case_fail "unload failed"
case_pass
