#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 100 cycles of loading hv_vmbus and the echo driver (which opens two
# channels: GPADLs, rings, sysfs) and unloading them, against one
# simulated host: no kmalloc objects, vmalloc areas or modules may leak.
# vm: timeout=600
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
load_module hv_simhost || case_fail "simhost did not load"

kmalloc_objs() { awk '$1 ~ /^kmalloc-/ { s += $2 } END { print s }' /proc/slabinfo; }
vmalloc_areas() { grep -vc -e ' ioremap' -e 'vmap' -e unpurged /proc/vmallocinfo; }
# vfree()/vunmap() leave "unpurged" areas that the kernel frees in batches
# (6.12 keeps a small kmalloc object with each): counted apart.
unpurged() { grep -c unpurged /proc/vmallocinfo; }

cycle() {
	load_module hv_vmbus || case_fail "cycle $1: hv_vmbus did not load"
	load_module hv_echo || case_fail "cycle $1: hv_echo did not load"
	wait_for /sys/kernel/debug/hv_echo/53494d01-0001-4000-8000-73696d687374/xfer 10 ||
		case_fail "cycle $1: echo not bound"
	rmmod hv_echo || case_fail "cycle $1: rmmod hv_echo"
	rmmod hv_vmbus || case_fail "cycle $1: rmmod hv_vmbus"
}

mark_dmesg reload
i=0
while [ $i -lt 5 ]; do i=$((i + 1)); cycle "warm-up $i"; done
sync; echo 3 >/proc/sys/vm/drop_caches
k0=$(kmalloc_objs); v0=$(vmalloc_areas); u0=$(unpurged)
i=0
while [ $i -lt 100 ]; do i=$((i + 1)); cycle $i; done
sync; echo 3 >/proc/sys/vm/drop_caches
sleep 1
k1=$(kmalloc_objs); v1=$(vmalloc_areas); u1=$(unpurged)
grow=$((k1 - k0 - (u1 > u0 ? u1 - u0 : 0)))
log "kmalloc objects $k0 -> $k1, vmalloc areas $v0 -> $v1, unpurged $u0 -> $u1"
# Exact: hv_vmbus reports channels still referenced when it unloads.
# Coarse: slab totals move by a few hundred objects between runs without
# any leak (measured -192 .. +562), so they only catch gross leaks.
if dmesg_since_mark | grep "still referenced at exit"; then
	case_fail "hv_vmbus leaked channels"
fi
[ "$grow" -lt 1500 ] || case_fail "kmalloc objects grew by $grow over 100 cycles"
[ "$(grep -c unpurged /proc/vmallocinfo)" -lt 300 ] || case_fail "vmalloc areas piling up"
[ $((v1 - v0)) -lt 10 ] || case_fail "vmalloc areas grew by $((v1 - v0)) over 100 cycles"
grep -q "^connected *0" /sys/kernel/debug/hv_simhost/stats ||
	case_fail "host still sees a connection after UNLOAD"
rmmod hv_simhost || case_fail "rmmod hv_simhost"
case_pass "kmalloc $k0->$k1 (net $grow) vmalloc $v0->$v1 unpurged $u0->$u1"
