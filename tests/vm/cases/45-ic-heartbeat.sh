#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Heartbeat IC: hv_utils (bound by modalias) negotiates with the simulated
# host (frameworks 1.0/3.0, heartbeat 1.0/3.0 offered) and answers every
# heartbeat with the sequence number plus one; the host sees the numbers
# grow, with no wrong or failed answer.  The host's `interval 0` stops the
# heartbeats at once: nothing is sent after that write returns (a beat
# already scheduled used to go out up to a second later and take the
# one-shot fault 45-ic-malformed arms next: issue 11, profile ws2016).
# vm: timeout=90
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh

ic_start heartbeat
[ "$(ic_field heartbeat framework)" = 3.0 ] ||
	case_fail "framework $(ic_field heartbeat framework), want 3.0"
[ "$(ic_field heartbeat version)" = 3.0 ] ||
	case_fail "heartbeat version $(ic_field heartbeat version), want 3.0"
[ "$(ic_field heartbeat bad_version)" = 0 ] || case_fail "guest chose a version not offered"
hb_count_ge() { [ "$(ic_field heartbeat count)" -ge "$1" ]; }
wait_until 20 hb_count_ge 2 || case_fail "no heartbeats answered: $(cat $ic/heartbeat)"
s1=$(ic_field heartbeat last_seq)
c1=$(ic_field heartbeat count)
wait_until 20 hb_count_ge $((c1 + 3)) || case_fail "heartbeats stopped: $(cat $ic/heartbeat)"
s2=$(ic_field heartbeat last_seq)
log "last_seq $s1 -> $s2"
[ "$s2" -gt "$s1" ] || case_fail "sequence did not increase ($s1 -> $s2)"
[ "$(ic_field heartbeat wrong)" = 0 ] || case_fail "answers not seq+1: $(cat $ic/heartbeat)"
[ "$(ic_field heartbeat failed)" = 0 ] || case_fail "failed heartbeats: $(cat $ic/heartbeat)"
[ "$(ic_field heartbeat errors)" = 0 ] || case_fail "protocol errors: $(cat $ic/heartbeat)"
echo "interval 0" >"$ic/heartbeat" || case_fail "interval 0"
r0=$(ic_field heartbeat requests)
sleep 2	# more than the 1 s interval: a scheduled beat would have gone out
r1=$(ic_field heartbeat requests)
[ "$r1" = "$r0" ] || case_fail "$((r1 - r0)) heartbeat(s) sent after interval 0"
unload_ours || case_fail "unload failed"
case_pass "seq $s1 -> $s2"
