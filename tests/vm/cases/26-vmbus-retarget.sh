#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# CPU retargeting through channels/<relid>/cpu (MODIFYCHANNEL): the host
# must see the VP of the chosen CPU (vp_map=reverse makes VP != CPU), I/O
# must go on, and a bad CPU is refused.
# vm: timeout=90
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
load_hvlis vp_map=reverse || case_fail "load failed"
load_module hv_echo || case_fail "hv_echo did not load"
dev=53494d01-0000-4000-8000-73696d687374
x=/sys/kernel/debug/hv_echo/$dev/xfer
wait_for "$x" 10 || case_fail "echo not bound"
relid=$(cat /sys/bus/vmbus/devices/$dev/id)
c=/sys/bus/vmbus/devices/$dev/channels/$relid/cpu
ncpu=$(grep -c ^processor /proc/cpuinfo)
[ "$ncpu" -ge 2 ] || case_skip "needs 2 CPUs"
# MODIFYCHANNEL exists from VMBus 4.1 (profile=ws2016 negotiates 4.0)
if [ "$(bus_version)" -lt $((0x40001)) ]; then
	echo 1 >"$c" 2>/dev/null && case_fail "retarget accepted below VMBus 4.1"
	unload_ours || case_fail "unload failed"
	case_pass "VMBus $(bus_version): retarget refused (needs 4.1)"
fi
n=0
for cpu in 1 0 1; do
	echo $cpu >"$c" || case_fail "retarget to $cpu refused"
	[ "$(cat "$c")" = $cpu ] || case_fail "cpu reads $(cat "$c") after writing $cpu"
	want_vp=$((ncpu - 1 - cpu))
	grep "relid=$relid " /sys/kernel/debug/hv_simhost/channels | grep -q "target_vp=$want_vp " ||
		case_fail "host target: $(grep "relid=$relid " /sys/kernel/debug/hv_simhost/channels)"
	echo "200 1000" >"$x"
	n=$((n + 200))
	[ "$(cat "$x")" = "ok=$n bad=0 errors=0 lost=0" ] || case_fail "I/O after cpu $cpu: $(cat "$x")"
done
echo 99 >"$c" 2>/dev/null && case_fail "CPU 99 accepted"
unload_ours || case_fail "unload failed"
case_pass
