#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Small lifecycle items: the per-channel intr_out_empty counter counts the
# signals the guest sent because its outbound ring was empty (it stayed 0),
# and a host that floods duplicate offers fills the log with at most a
# rate-limited handful of lines, not one per offer.
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
S=/sys/kernel/debug/hv_simhost
X=/sys/kernel/debug/hv_echo
e0=53494d01-0000-4000-8000-73696d687374
fails=
fail() { log "FAIL: $*"; fails="$fails; $*"; }

load_hvlis || case_fail "load failed"
load_module hv_echo || case_fail "hv_echo did not load"
wait_for $X/$e0/xfer 10 || case_fail "echo device not bound"
echo "50 64" >$X/$e0/xfer
grep -q "ok=50 bad=0 errors=0 lost=0" $X/$e0/xfer || fail "echo I/O: $(cat $X/$e0/xfer)"
relid=$(cat /sys/bus/vmbus/devices/$e0/id)
n=$(cat /sys/bus/vmbus/devices/$e0/channels/"$relid"/intr_out_empty)
[ "$n" -gt 0 ] || fail "intr_out_empty $n after 50 packets into an empty ring"
log "intr_out_empty $n"

mark_dmesg flood
i=0
while [ $i -lt 60 ]; do
	echo "relid $relid" >$S/dup_offer || fail "dup_offer refused"
	i=$((i + 1))
done
sleep 1
lines=$(dmesg_since_mark | grep -c "duplicate offer")
log "60 duplicate offers: $lines log lines"
[ "$lines" -ge 1 ] || fail "duplicate offers not logged at all"
[ "$lines" -le 20 ] || fail "$lines log lines for 60 duplicate offers (not rate-limited)"
echo "20 64" >$X/$e0/xfer  # counts add up: 50 + 20
grep -q "ok=70 bad=0 errors=0 lost=0" $X/$e0/xfer || fail "echo I/O after the flood: $(cat $X/$e0/xfer)"
[ -z "$fails" ] || case_fail "${fails#; }"
case_pass "intr_out_empty $n, $lines lines for 60 duplicate offers"
