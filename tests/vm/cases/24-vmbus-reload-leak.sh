#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The exact leak check of 24-vmbus-reload can fail: with hv_echo keeping a
# reference to each device it binds (leak_device_ref=1), unloading hv_vmbus
# must report exactly those devices' channels as still referenced.  Without
# the fault, the same cycle must report nothing.  Own boot: the leaked
# devices stay in the kernel for good.
# vm: own-boot
# vm: timeout=120
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
load_module hv_simhost || case_fail "simhost did not load"

# one load/bind/unload cycle; sets $bound to the echo devices bound
cycle() {
	load_module hv_vmbus || case_fail "$1: hv_vmbus did not load"
	load_module hv_echo "$2" || case_fail "$1: hv_echo did not load"
	wait_for /sys/kernel/debug/hv_echo/53494d01-0001-4000-8000-73696d687374/xfer 10 ||
		case_fail "$1: echo not bound"
	bound=$(find /sys/bus/vmbus/drivers/hv_echo/ -maxdepth 1 -name '*-*' | wc -l)
	rmmod hv_echo || case_fail "$1: rmmod hv_echo"
	rmmod hv_vmbus || case_fail "$1: rmmod hv_vmbus"
}

mark_dmesg clean
cycle clean leak_device_ref=0
[ "$bound" -ge 1 ] || case_fail "no echo device was bound"
if dmesg_since_mark | grep "still referenced at exit"; then
	case_fail "a clean cycle reported leaked channels"
fi

mark_dmesg leak
cycle leak leak_device_ref=1
line=$(dmesg_since_mark | grep "still referenced at exit") ||
	case_fail "leaked device references went unreported"
leaked=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) channels still referenced.*/\1/p')
[ "$leaked" = "$bound" ] ||
	case_fail "reported '$line' for $bound leaked devices"
case_pass "$bound devices leaked -> '$line'"
