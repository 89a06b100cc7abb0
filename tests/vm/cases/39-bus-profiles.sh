#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# hv_vmbus against each host profile of the simhost (default, ws2016:
# VMBus 4.0, azure: VMBus 5.3): the guest negotiates the profile's version,
# every offered device appears, echo I/O through hv_echo is exact, and after
# rmmod hv_vmbus (UNLOAD) a new hv_vmbus connects again to the same host
# (INITIATE_CONTACT after UNLOAD, as kexec does) with the same version.
# vm: timeout=240
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
ST=/sys/kernel/debug/hv_simhost/stats
E0=53494d01-0000-4000-8000-73696d687374
E1=53494d01-0001-4000-8000-73696d687374

stat_of() { awk -v k="$1" '$1 == k { print $2 }' $ST; }

# check NAME VMBUS: connected at VMBUS, echo devices work
check() {
	wait_until 10 eval 'test "$(stat_of connected)" = 1' || case_fail "$1: not connected"
	v=$(stat_of version)
	[ $((v)) = $(($2)) ] || case_fail "$1: VMBus version $v, want $2"
	wait_until 10 test -e /sys/bus/vmbus/devices/$E1 || case_fail "$1: echo devices missing"
	load_by_alias vmbus
	e=/sys/kernel/debug/hv_echo
	wait_until 10 test -e "$e/$E0/xfer" -a -e "$e/$E1/xfer" ||
		case_fail "$1: echo devices not bound"
	for d in $E0 $E1; do
		for sz in 1 64 4096 9000; do
			echo "50 $sz" >"$e/$d/xfer" || case_fail "$1: $d xfer $sz failed"
		done
		r=$(cat "$e/$d/xfer")
		[ "$r" = "ok=200 bad=0 errors=0 lost=0" ] || case_fail "$1: $d: $r"
	done
}

for p in default:0x50003 ws2016:0x40000 azure:0x50003; do
	name=${p%%:*} ver=${p#*:}
	load_hvlis profile="$name" || case_fail "$name: load failed"
	check "$name" "$ver"
	resets=$(stat_of resets)
	# everything that uses hv_vmbus (the drivers loaded by modalias)
	unload_dependants hv_vmbus || case_fail "$name: modules using hv_vmbus stay loaded"
	rmmod hv_vmbus || case_fail "$name: rmmod hv_vmbus"
	[ "$(stat_of connected)" = 0 ] || case_fail "$name: still connected after UNLOAD"
	load_module hv_vmbus || case_fail "$name: hv_vmbus did not load again"
	check "$name (again)" "$ver"
	[ "$(stat_of resets)" -gt "$resets" ] || case_fail "$name: no reset seen"
	unload_ours || case_fail "$name: unload failed"
	log "$name: VMBus $ver, echo I/O exact, reconnected after UNLOAD"
done
case_pass "profiles default, ws2016, azure"
