#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Version negotiation walks down from 5.3 to what the host supports (and
# max_version caps it): for each simulated host version the guest must
# settle on exactly that version, use connection id 4 only from 5.0 on,
# and enumerate the devices; then UNLOAD and reload cleanly.
# vm: timeout=240
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus

try() {	# HOST_VERSION EXPECT [VMBUS_PARAMS]
	hv=$1 want=$2
	shift 2
	mark_dmesg "host $hv"
	load_hvlis host_version="$hv" -- "$@" || case_fail "host $hv: load failed"
	got=$(dmesg_since_mark | sed -n 's/.*VMBus protocol \([0-9.]*\) negotiated.*/\1/p' | tail -n 1)
	[ "$got" = "$want" ] || case_fail "host $hv $*: negotiated '$got', want $want"
	v=$(sed -n 's/^version *//p' /sys/kernel/debug/hv_simhost/stats | head -n 1)
	log "host $hv $*: guest $got, host says version $v"
	set -- /sys/bus/vmbus/devices/*
	[ $# -ge 7 ] || case_fail "host $hv: only $# devices"
	unload_ours || case_fail "host $hv: unload failed"
	if dmesg_bad_since_mark; then case_fail "host $hv: kernel complained"; fi
}

try 0x50003 5.3
try 0x50002 5.2
try 0x50001 5.1
try 0x50000 5.0
try 0x40001 4.1
try 0x40000 4.0
try 0x30000 3.0
try 0x20004 2.4
try 0x50003 4.1 max_version=0x40001
try 0x50003 5.0 max_version=0x50000
case_pass
