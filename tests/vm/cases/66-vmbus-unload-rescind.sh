#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Module exit racing the host: 30 load/unload cycles of hv_vmbus while
# the simulated host rescinds every echo device during the unload and
# offers new ones for the next cycle.  No channel may be put twice or
# leaked (the exact leak check of hv_vmbus's exit), no kernel trace.
# vm: timeout=300
# vm: expect-log=hv_vmbus|hv_simhost
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus
S=/sys/kernel/debug/hv_simhost
CYCLES=30

load_module hv_simhost || case_fail "simhost did not load"
echo echo:4 >$S/offer || case_fail "hot-add failed"
mark_dmesg cycles
t0=$(cut -d. -f1 /proc/uptime)
i=0
while [ $i -lt $CYCLES ]; do
	load_module hv_vmbus || case_fail "cycle $i: hv_vmbus did not load"
	relids=$(sed -n 's/^relid=\([0-9]*\) class=echo .*sub=0 .*state=closed.*/\1/p' $S/channels)
	# rescinds that race the unload; then new devices for the next cycle
	(
		for r in $relids; do echo "$r" >$S/rescind; done 2>/dev/null
		echo echo:2 >$S/offer
	) &
	rmmod hv_vmbus || case_fail "cycle $i: rmmod hv_vmbus"
	wait
	if dmesg_since_mark | grep -E "still referenced at exit|BUG:|Oops|WARNING:|Call Trace"; then
		case_fail "cycle $i: leak or kernel trace"
	fi
	i=$((i + 1))
done
t1=$(cut -d. -f1 /proc/uptime)
unload_ours || case_fail "unload failed"
case_pass "$CYCLES cycles in $((t1 - t0)) s"
