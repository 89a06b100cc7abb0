#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Control-path faults from the simulated host: truncated and padded
# messages, answers that are slow or never come, a busy message queue,
# rescind instead of an open answer, answers for unknown relids and
# duplicate offers.  Each time hv_vmbus must log, refuse what is wrong,
# keep working and unload.
# vm: timeout=300
# vm: expect-log=hv_vmbus|hv_simhost|hv_echo
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
S=/sys/kernel/debug/hv_simhost
e0=53494d01-0000-4000-8000-73696d687374
e1=53494d01-0001-4000-8000-73696d687374
X=/sys/kernel/debug/hv_echo

logged() { dmesg_since_mark | grep -q "$1"; }
no_oops() { if dmesg_since_mark | grep -E 'BUG:|Oops|WARNING:|Call Trace'; then case_fail "$1: kernel trace"; fi; }
io_ok() { echo "50 256" >"$X/$1/xfer"; grep -q "bad=0 errors=0 lost=0" "$X/$1/xfer" || case_fail "$2: I/O on $1: $(cat "$X/$1/xfer")"; }
fresh() { unload_ours || case_fail "$1: unload failed"; load_module hv_simhost || case_fail "$1: simhost"; mark_dmesg "$1"; }

# 1. a truncated offer is refused, the rest of the bus comes up
fresh offer-truncated
echo "OFFERCHANNEL -60" >$S/msg_size
load_module hv_vmbus timeout_ms=2000 || case_fail "offer-truncated: load failed"
logged "refused host message" || case_fail "offer-truncated: nothing logged"
set -- /sys/bus/vmbus/devices/*
[ $# -ge 6 ] || case_fail "offer-truncated: only $# devices"
no_oops offer-truncated

# 2. padded answer is fine; truncated open answer makes the open fail, not hang
fresh open-truncated
load_module hv_vmbus timeout_ms=2000 || case_fail "open-truncated: load"
echo "OPENCHANNEL_RESULT 8" >$S/msg_size
load_module hv_echo
wait_for $X/$e0/xfer 5 || case_fail "padded OPENCHANNEL_RESULT refused"
rmmod hv_echo
echo "OPENCHANNEL_RESULT -8" >$S/msg_size
load_module hv_echo
wait_until 10 logged "refused host message" || case_fail "open-truncated: nothing logged"
wait_for $X/$e1/xfer 10 || case_fail "open-truncated: the second device did not bind"
io_ok $e1 open-truncated
no_oops open-truncated

# 3. slow answers are waited for; answers that never come time out
fresh slow
echo "OPENCHANNEL_RESULT 800" >$S/delay_ms
{ load_module hv_vmbus timeout_ms=3000 && load_module hv_echo; } || case_fail "slow: load"
wait_for $X/$e0/xfer 10 || case_fail "slow: a slow answer was not waited for"
io_ok $e0 slow
echo "OPENCHANNEL_RESULT 0" >$S/delay_ms
rmmod hv_echo
echo "GPADL_TORNDOWN -1" >$S/drop
rmmod hv_vmbus || case_fail "never: unload with teardown answers missing"
echo "GPADL_TORNDOWN 0" >$S/drop
fresh never
echo "VERSION_RESPONSE 1" >$S/drop
load_module hv_vmbus timeout_ms=1000 && case_fail "never: loaded without a VERSION_RESPONSE"
logged "no VERSION_RESPONSE" || case_fail "never: timeout not logged"
load_module hv_vmbus timeout_ms=1000 || case_fail "never: reload after the timeout failed"
no_oops never

# 4. a busy hypervisor message queue is retried
fresh busy
echo 20 >$S/post_busy
{ load_module hv_vmbus && load_module hv_echo; } || case_fail "busy: load"
wait_for $X/$e0/xfer 10 || case_fail "busy: not bound"
io_ok $e0 busy
[ "$(cat $S/post_busy)" = 0 ] || case_fail "busy: the knob did not fire"

# 5. rescind instead of the open answer: the open fails at once
fresh rescind-on-open
load_module hv_vmbus timeout_ms=20000 || case_fail "rescind-on-open: load"
cat /sys/bus/vmbus/devices/$e0/id >$S/rescind_on_open
t0=$(cut -d. -f1 /proc/uptime)
load_module hv_echo
t1=$(cut -d. -f1 /proc/uptime)
[ $((t1 - t0)) -lt 10 ] || case_fail "rescind-on-open: the open waited $((t1 - t0)) s"
wait_until 5 test ! -e /sys/bus/vmbus/devices/$e0 || case_fail "rescind-on-open: device stays"
io_ok $e1 rescind-on-open

# 6. answers for relids that do not exist, duplicate offers
fresh unknown
{ load_module hv_vmbus && load_module hv_echo; } || case_fail "unknown: load"
for m in open_result gpadl_created rescind; do
	echo "$m" >$S/unknown_relid || case_fail "unknown: knob $m"
done
wait_until 5 logged "unknown relid\|no request is waiting" || case_fail "unknown: nothing logged"
set -- /sys/bus/vmbus/devices/*
n=$#
relid=$(cat /sys/bus/vmbus/devices/$e1/id)
echo "relid $relid" >$S/dup_offer
echo "instance $relid" >$S/dup_offer
wait_until 5 logged "duplicate offer" || case_fail "dup: nothing logged"
set -- /sys/bus/vmbus/devices/*
[ $# = "$n" ] || case_fail "dup: device count $n -> $#"
io_ok $e1 dup
no_oops unknown
unload_ours || case_fail "final unload"
case_pass
