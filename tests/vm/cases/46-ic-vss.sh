#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# VSS IC with Debian's hv_vss_daemon (hyperv-daemons), an ext4 on a RAM
# disk (/dev/ram0, brd) mounted at /mnt/vss:
#  - no daemon: a host FREEZE fails at once with E_FAIL (0x80004005);
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

t0=$(uptime_ms)
vss freeze && fail "FREEZE without a daemon succeeded: $(cat "$ic/vss")"
el=$(($(uptime_ms) - t0))
[ "$(ic_field vss last_status)" = 0x80004005 ] ||
	fail "no daemon: status $(ic_field vss last_status) err $(ic_field vss last_err), want 0x80004005"
[ "$el" -lt 3000 ] || fail "no daemon: the answer took $el ms"

modprobe brd rd_nr=1 rd_size=16384 || fail "brd did not load"
wait_for /dev/ram0 5 || fail "no /dev/ram0"
expect_ok "mkfs.ext4" mkfs.ext4 -q -F -E nodiscard /dev/ram0
mkdir -p "$mnt"
mount -t ext4 /dev/ram0 "$mnt" || fail "mount failed"

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
