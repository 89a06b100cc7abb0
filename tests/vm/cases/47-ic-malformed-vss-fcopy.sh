#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Malformed VSS and fcopy bodies (simulated host fault knobs) with Debian's
# hv_vss_daemon and hv_fcopy_daemon running: each is refused by hv_utils
# with a log line, nothing reaches the daemon (it makes no read call: a
# valid request makes it read), no oops, and the next valid request works:
#  - VSS: a FREEZE of 11 bytes and a HOT_BACKUP of 8 bytes (the header
#    only), both shorter than the 12-byte message (header and flags) every
#    operation needs: dropped unanswered, as Linux's hv_snapshot.c drops
#    a message shorter than its hv_vss_msg (the host times out); then
#    HOT_BACKUP answers S_OK with the daemon's flags 0x5;
#  - fcopy: a START_FILE_COPY whose file name fills its 260 UTF-16 units
#    without a NUL, one whose path does; a WRITE_TO_FILE with size 6145
#    (past its 6144 bytes of data), after which the host's CANCEL leaves no
#    file; E_FAIL (0x80004005) reaches the host for each; then a copy
#    arrives with the same sha256.  hv_fcopy_daemon reads each message
#    with one call: the good copy of 20000 bytes (START, 4 WRITEs,
#    COMPLETE) makes 6, the refused WRITE's copy 2 (START, CANCEL).
# vm: timeout=120
# vm: bins=/usr/sbin/hv_vss_daemon /usr/sbin/hv_fcopy_daemon /usr/bin/sha256sum
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh

vssd=
fcd=
stop_daemons() {
	for _p in $vssd $fcd; do
		kill "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	vssd=
	fcd=
}
fail() { stop_daemons; case_fail "$*"; }
IC_FAIL=fail
fc() { echo "$*" >"$ic/fcopy"; }
fc_result() { awk 'f; /^requests=/ { f = 1 }' "$ic/fcopy" | tr '\n' ' '; }
sum() { sha256sum "$1" | cut -d' ' -f1; }
registered() { dmesg_since_mark daemons | grep -q "$1: daemon registered"; }
# refused MARK WHY: hv_utils logged "refused message: WHY" since MARK
refused() {
	dmesg_since_mark "$1" | grep -q "refused message: $2" ||
		fail "$1: no log line 'refused message: $2': $(dmesg_since_mark "$1" | tail -n 5)"
}

ic_start vss fcopy
# a directory of its own (the boot is shared with 46-ic-fcopy's /tmp/fc)
rm -rf /tmp/fcm
mkdir -p /tmp/fcm
mark_dmesg daemons
hv_vss_daemon -n >/tmp/vssd.log 2>&1 &
vssd=$!
hv_fcopy_daemon -n >/tmp/fcd.log 2>&1 &
fcd=$!
wait_until 10 registered vss || fail "hv_vss_daemon did not register: $(cat /tmp/vssd.log)"
wait_until 10 registered fcopy || fail "hv_fcopy_daemon did not register: $(cat /tmp/fcd.log)"

# VSS bodies shorter than the message
for f in "freeze 11" "hot_backup 8"; do
	op=${f% *}
	mark_dmesg "vss-$op"
	echo "vfault size ${f#* }" >"$ic/vss" || fail "vfault size ${f#* }"
	r0=$(daemon_reads "$vssd")
	echo "$op" >"$ic/vss" && fail "$op of ${f#* } bytes accepted: $(cat "$ic/vss")"
	[ "$(ic_field vss last_err)" = -110 ] ||
		fail "$op of ${f#* } bytes: $(cat "$ic/vss"), want last_err=-110 (no answer)"
	refused "vss-$op" "VSS body too short"
	no_daemon_read "$vssd" "$r0" "the refused $op of ${f#* } bytes"
done
r0=$(daemon_reads "$vssd")
echo hot_backup >"$ic/vss" || fail "HOT_BACKUP after the malformed ones: $(cat "$ic/vss")"
[ "$(daemon_reads "$vssd")" -gt "$r0" ] || fail "a valid HOT_BACKUP made hv_vss_daemon read nothing"
[ "$(ic_field vss last_flags)" = 0x5 ] ||
	fail "HOT_BACKUP flags $(ic_field vss last_flags), want 0x5"

# fcopy
dd if=/dev/urandom of=/tmp/fcm-src.bin bs=1000 count=20 2>/dev/null || fail "no source file"
for f in name path; do
	mark_dmesg "fc-$f"
	fc ffault "unterminated_$f" || fail "ffault unterminated_$f"
	r0=$(daemon_reads "$fcd")
	fc send /tmp/fcm-src.bin /tmp/fcm "bad$f.bin" && fail "unterminated $f accepted: $(fc_result)"
	grep -qx "start status=0x80004005" "$ic/fcopy" ||
		fail "unterminated $f: want start status=0x80004005, got $(fc_result)"
	refused "fc-$f" "bad, oversized or unterminated UTF-16 file name"
	[ -z "$(ls /tmp/fcm)" ] || fail "unterminated $f: files made: $(ls /tmp/fcm)"
	no_daemon_read "$fcd" "$r0" "the refused START_FILE_COPY (unterminated $f)"
done

mark_dmesg fc-write
fc ffault write_size 6145 || fail "ffault write_size"
r0=$(daemon_reads "$fcd")
fc send /tmp/fcm-src.bin /tmp/fcm write.bin && fail "WRITE past its data accepted: $(fc_result)"
grep -qx "write offset=0 status=0x80004005" "$ic/fcopy" ||
	fail "WRITE past its data: want write offset=0 status=0x80004005, got $(fc_result)"
refused fc-write "WRITE_TO_FILE size past the data"
[ ! -e /tmp/fcm/write.bin ] || fail "WRITE past its data: the cancelled copy left $(wc -c </tmp/fcm/write.bin) bytes"
# the daemon has read the last message (CANCEL, COMPLETE) before it answered
n=$(($(daemon_reads "$fcd") - r0))
[ "$n" = 2 ] || fail "WRITE past its data: hv_fcopy_daemon made $n read calls, want 2 (START, CANCEL)"

r0=$(daemon_reads "$fcd")
fc send /tmp/fcm-src.bin /tmp/fcm good.bin || fail "send after the malformed ones: $(fc_result)"
n=$(($(daemon_reads "$fcd") - r0))
[ "$n" = 6 ] || fail "the good copy: hv_fcopy_daemon made $n read calls, want 6 (START, 4 WRITEs, COMPLETE)"
[ "$(sum /tmp/fcm/good.bin)" = "$(sum /tmp/fcm-src.bin)" ] || fail "sha256 differs"

kill -0 "$vssd" 2>/dev/null || fail "hv_vss_daemon died: $(cat /tmp/vssd.log)"
kill -0 "$fcd" 2>/dev/null || fail "hv_fcopy_daemon died: $(cat /tmp/fcd.log)"
stop_daemons
for s in vss fcopy; do
	[ "$(ic_field $s errors)" = 0 ] || fail "$s protocol errors: $(cat "$ic/$s")"
done
unload_ours || case_fail "unload failed"
case_pass
