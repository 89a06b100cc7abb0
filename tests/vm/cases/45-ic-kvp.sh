#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# KVP IC with Debian's hv_kvp_daemon (hyperv-daemons) in the guest:
#  - no daemon yet: a host SET fails at once with E_FAIL (0x80004005);
#  - a misbehaving daemon (the case itself on /dev/vmbus/hv_kvp, 7432-byte
#    hv_kvp_msg): a write of the wrong size, an unknown protocol instead of
#    REGISTER1, an answer with no request, an answer to a SET it has not
#    read: each fails with EINVAL (Linux's kvp_on_msg refuses all but the
#    unread one, see 46-ic-vss); its E_FAIL answer reaches the host; a SET
#    it never reads times out and is taken back (its next read is the
#    host's next SET, not the stale one);
#  - the daemon starts later, registers, and then: a host SET in the
#    external pool lands in /var/lib/hyperv/.kvp_pool_0, ENUMERATE reads
#    it back, GET finds it, DELETE removes it; the host's ENUMERATE of the intrinsic (auto)
#    pool returns FullyQualifiedDomainName and OSName; a record written by
#    a guest tool into the guest pool file is readable from the host;
#  - the daemon killed: requests fail at once again.
# vm: timeout=180
# vm: bins=/usr/sbin/hv_kvp_daemon
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh
# kvp CMD...: one host request; its result lines in $res
kvp() {
	_rc=0
	echo "$*" >"$ic/kvp" || _rc=1
	res=$(grep -E '^(status|err)=' "$ic/kvp")
	return $_rc
}
pool=/var/lib/hyperv/.kvp_pool_
fail() { stop_daemon; case_fail "$*"; }

# expect_fast_fail WHAT: a host SET must fail with E_FAIL within 3 s
expect_fast_fail() {
	t0=$(uptime_ms)
	kvp set 0 NoDaemonKey x && fail "$1: SET succeeded: $res"
	el=$(($(uptime_ms) - t0))
	log "$1: $res after $el ms"
	[ "$res" = "status=0x80004005" ] || fail "$1: want status=0x80004005, got '$res'"
	[ "$el" -lt 3000 ] || fail "$1: took $el ms"
}

ic_start kvp
log "kvp framework $(ic_field kvp framework) version $(ic_field kvp version)"
wait_for /dev/vmbus/hv_kvp 10 || case_fail "no /dev/vmbus/hv_kvp"

expect_fast_fail "no daemon"

# the misbehaving daemon: operation in byte 0, the answer's error over 0-3
exec 3<>/dev/vmbus/hv_kvp || fail "cannot open /dev/vmbus/hv_kvp"
dev_refused "4-byte message" "64 00 00 00"
dev_pad=7432
dev_refused "protocol 7" "07"
dev_write "64" || fail "REGISTER1: $dev_err"
dev_read 5 || fail "no answer to REGISTER1"
[ "$dev_len.${dev_msg%% *}" = 7432.64 ] ||
	fail "REGISTER1 answered with $dev_len bytes '$(echo "$dev_msg" | cut -c1-24)...'"
dev_refused "answer without a request" "00"
kvp set 0 GarbageKey x 2>/dev/null 3>&- &
host=$!
sleep 2	# the guest takes it in
dev_refused "answer to an unread SET" "00"
dev_read 5 || fail "SET did not reach the daemon"
[ "$dev_len.${dev_msg%"${dev_msg#?????}"}" = "7432.01 00" ] ||
	fail "SET reached the daemon as $dev_len bytes '$(echo "$dev_msg" | cut -c1-24)...'"
dev_write "$(le32 0x80004005)" || fail "E_FAIL answer: $dev_err"
dev_pad=
wait "$host" && fail "SET answered E_FAIL succeeded at the host"
grep -qx "status=0x80004005" "$ic/kvp" ||
	fail "garbage daemon: want status=0x80004005, got $(grep -E '^(status|err)=' "$ic/kvp")"
# a SET the daemon never reads times out (E_FAIL) and is taken back: the
# daemon's next read is the host's next request
tmo=/sys/module/hv_utils/parameters/kvp_timeout_s
echo 2 >"$tmo" || fail "cannot set $tmo"
kvp set 0 UnreadKey x 2>/dev/null 3>&- &
host=$!
wait "$host" && fail "an unread SET succeeded at the host"
echo 30 >"$tmo"
grep -qx "status=0x80004005" "$ic/kvp" ||
	fail "unread SET: want status=0x80004005, got $(grep -E '^(status|err)=' "$ic/kvp")"
kvp set 0 NextKey y 2>/dev/null 3>&- &
host=$!
dev_pad=7432
dev_read 5 || fail "the SET after a timed-out one did not reach the daemon"
grep -aq NextKey /tmp/ic-rd ||
	fail "after a SET timed out unread the daemon read $(grep -aqo UnreadKey /tmp/ic-rd && echo 'the stale SET (UnreadKey)' || echo "'$(echo "$dev_msg" | cut -c1-48)...'")"
dev_write "$(le32 0x80004005)" || fail "E_FAIL answer to NextKey: $dev_err"
dev_pad=
wait "$host" && fail "NextKey answered E_FAIL succeeded at the host"
exec 3>&-

# what the daemon reports about this machine
printf '127.0.0.1 localhost\n127.0.1.1 hvlis-vm.hvlis.test hvlis-vm\n' >/etc/hosts
hostname hvlis-vm
printf 'NAME="HvlisTestOS"\nVERSION_ID="12"\n' >/etc/os-release
start_kvp_daemon
set_ok() { kvp set 0 HvlisKey hello-from-host; }
wait_until 20 set_ok || fail "SET with the daemon running: '$res'; daemon: $(cat /tmp/kvpd.log)"
[ "$res" = "status=0" ] || fail "SET: $res"
grep -aq HvlisKey "${pool}0" || fail "key not in ${pool}0"
grep -aq hello-from-host "${pool}0" || fail "value not in ${pool}0"

kvp enumall 0 || fail "ENUMERATE external pool: $res"
echo "$res" | grep -qx "status=0 index=[0-9]* key=HvlisKey type=1 value=hello-from-host" ||
	fail "external pool: $res"
# GET finds the key (the daemon copies as many value bytes as the request's
# value_size: 0, as Linux's driver passes it; so the value comes back empty)
kvp get 0 HvlisKey || fail "GET: $res"
echo "$res" | grep -q "^status=0 key=HvlisKey type=1 value=" || fail "GET returned '$res'"

kvp enumall 2 || fail "ENUMERATE auto pool: $res"
log "auto pool: $(echo "$res" | tr '\n' '|')"
echo "$res" | grep -q "key=FullyQualifiedDomainName type=1 value=hvlis-vm" ||
	fail "no FullyQualifiedDomainName: $res"
echo "$res" | grep -q "key=OSName type=1 value=HvlisTestOS" || fail "no OSName: $res"
echo "$res" | tail -n1 | grep -q "^status=0x80070103 index=[0-9]* end" ||
	fail "enumeration did not end with S_CONT: $res"

# a guest tool adds a record (key[512], value[2048]) to the guest pool
sleep 1
{
	printf GuestKey | dd bs=512 conv=sync 2>/dev/null
	printf guest-value | dd bs=2048 conv=sync 2>/dev/null
} >>"${pool}1"
kvp enumall 1 || fail "ENUMERATE guest pool: $res"
echo "$res" | grep -qx "status=0 index=[0-9]* key=GuestKey type=1 value=guest-value" ||
	fail "guest pool: $res"

kvp delete 0 HvlisKey || fail "DELETE: $res"
grep -aq HvlisKey "${pool}0" && fail "key still in ${pool}0 after DELETE"
kvp get 0 HvlisKey && fail "GET after DELETE succeeded: $res"
log "GET after DELETE: $res"

stop_daemon
expect_fast_fail "daemon killed"
[ "$(ic_field kvp errors)" = 0 ] || fail "protocol errors: $(cat $ic/kvp)"
unload_ours || case_fail "unload failed"
case_pass
