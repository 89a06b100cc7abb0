#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# hv_storvsc against each host profile of the simhost (default, ws2016:
# VMBus 4.0 + vstor 6.0, azure: VMBus 5.3 + vstor 6.2) and against
# completions padded to 64 and 80 bytes from BEGIN_INITIALIZATION on (legal:
# Hyper-V sizes them like the request, a guest must ignore trailing bytes).
# Two disks sit at target 0 LUN 3 and target 1 LUN 9; every other address
# is absent (INQUIRY: peripheral qualifier 3, REPORT LUNS: the list, the
# rest: INVALID_LUN, as OpenVMM's storvsp).  Each time: the negotiated
# versions are the profile's, exactly those two SCSI devices exist, the
# kernel log stays quiet after the scan, data written to both reads back,
# and after rmmod/modprobe hv_storvsc (the host rescinds the sub-channels
# when the primary closes) the sub-channels are offered and open again.
# vm: modules=virtio_pci,virtio_scsi,sd_mod
# vm: disk=back0:32M
# vm: disk=back1:32M
# vm: qemu=-device virtio-scsi-pci,id=vs0 -drive if=none,id=d0,file={disk:back0},format=raw -device scsi-hd,bus=vs0.0,drive=d0,serial=HVLIS-DISK0 -drive if=none,id=d1,file={disk:back1},format=raw -device scsi-hd,bus=vs0.0,drive=d1,serial=HVLIS-DISK1
# vm: timeout=600
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_storvsc
scsi=53494d08-0000-4000-8000-73696d687374
S=/sys/kernel/debug/hv_simhost/storvsp
C=/sys/kernel/debug/hv_simhost/channels
modprobe -q virtio_pci 2>/dev/null || true
load_module virtio_scsi || case_fail "virtio_scsi did not load"
load_module sd_mod || case_fail "sd_mod did not load"

# the H:C:T:L of the SCSI devices below our VMBus device, sorted
our_luns() {
	for _d in /sys/bus/scsi/devices/*:*:*:*; do
		case $(readlink -f "$_d") in
		*/"$scsi"/*) echo "${_d##*/}" ;;
		esac
	done | cut -d: -f2- | sort | tr '\n' ' '
}

# open sub-channels of our scsi device in the host's view
open_subs() {
	grep "class=scsi" $C | grep -v "sub=0 " | grep -c "state=open"
}

# sub-channels of our scsi device still offered (closed or open)
# shellcheck disable=SC2317 # called through eval (wait_until)
live_subs() {
	grep "class=scsi" "$C" | grep -v "sub=0 " | grep -cE "state=(open|closed)"
}

# disk_at T:L: the sdX of our device at channel 0, target T, LUN L
disk_at() {
	for _d in /sys/bus/scsi/devices/*:0:"$1"/block/sd*; do
		case $(readlink -f "$_d") in
		*/"$scsi"/*) echo "${_d##*/}"; return 0 ;;
		esac
	done
	return 1
}

# run NAME VMBUS VSTOR SUBS [simhost params...]
run() {
	name=$1 vmbus=$2 vstor=$3 subs=$4
	shift 4
	load_hvlis devices=scsi scsi_backing=HVLIS-DISK0@0:3,HVLIS-DISK1@1:9 "$@" ||
		case_fail "$name: load failed"
	wait_until 20 grep -q 'lun 1 serial HVLIS-DISK1 backing [0-9].* at 1:9' $S ||
		case_fail "$name: backing devices not claimed: $(cat $S)"
	mark_dmesg "$name"
	load_module hv_storvsc || case_fail "$name: hv_storvsc did not load"
	wait_until 60 eval 'test -n "$(disk_at 1:9)"' || case_fail "$name: no disk at 1:9: $(our_luns)"
	wait_until 20 eval 'test -n "$(disk_at 0:3)"' || case_fail "$name: no disk at 0:3: $(our_luns)"
	sleep 3		# a retry loop would show by now
	luns=$(our_luns)
	[ "$luns" = "0:0:3 0:1:9 " ] || case_fail "$name: SCSI devices '$luns', want 0:0:3 0:1:9"
	v=$(awk '$1 == "version" { print $2 }' /sys/kernel/debug/hv_simhost/stats)
	[ $((v)) = $((vmbus)) ] || case_fail "$name: VMBus version $v, want $vmbus"
	want="$((vstor >> 8)).$((vstor & 255))"
	dmesg_since_mark | grep -q "vstor protocol $want," ||
		case_fail "$name: vstor $(dmesg_since_mark | grep -o 'vstor protocol [0-9.]*'), want $want"
	bad=$(dmesg_since_mark | grep -E 'hv_storvsc|scsi|sd ' | grep -ivE 'registering driver|storvsc_host_t|vstor protocol|Attached|Direct-Access|Write Protect|Mode Sense|Write cache|Preferred|Optimal|logical blocks|scsi host|Msft|QEMU|thin provisioning|cache data unavailable|Assuming drive cache|sub-channel|channel')
	[ -z "$bad" ] || case_fail "$name: kernel log after the scan: $bad"
	n=$(dmesg_since_mark | wc -l)
	sleep 2
	[ "$(dmesg_since_mark | wc -l)" = "$n" ] ||
		case_fail "$name: the kernel log keeps growing: $(dmesg_since_mark | tail -n 3)"
	for tl in 0:3 1:9; do
		d=$(disk_at $tl)
		dd if=/dev/urandom of=/tmp/w bs=1M count=2 2>/dev/null
		expect_ok "$name: write $tl" dd if=/tmp/w of="/dev/$d" bs=1M count=2 oflag=direct 2>/dev/null
		dd if="/dev/$d" of=/tmp/r bs=1M count=2 iflag=direct 2>/dev/null ||
			case_fail "$name: read $tl failed"
		cmp -s /tmp/w /tmp/r || case_fail "$name: $tl data read back differs"
	done
	wait_until 10 eval 'test "$(open_subs)" = "$subs"' ||
		case_fail "$name: $(open_subs) open sub-channels, want $subs: $(cat $C)"
	# the primary's close rescinds the sub-channels; a new CREATE_SUB_CHANNELS
	# offers them again
	rmmod hv_storvsc || case_fail "$name: rmmod hv_storvsc"
	wait_until 10 eval 'test "$(live_subs)" = 0' ||
		case_fail "$name: sub-channels still offered after the primary closed: $(cat $C)"
	load_module hv_storvsc || case_fail "$name: hv_storvsc did not load again"
	wait_until 60 eval 'test -n "$(disk_at 1:9)"' || case_fail "$name: no disk at 1:9 after reload"
	wait_until 20 eval 'test "$(open_subs)" = "$subs"' ||
		case_fail "$name: after reload $(open_subs) open sub-channels, want $subs: $(cat $C)"
	[ "$subs" = 0 ] || grep "class=scsi" $C | grep -q "sub=1 .*state=open" ||
		case_fail "$name: after reload the sub-channels do not start at index 1: $(cat $C)"
	grep -q 'dropped 0 .*bad_state 0' $S ||
		case_fail "$name: host dropped guest packets or saw them out of order: $(cat $S)"
	log "$name: VMBus $v, vstor $want, $luns, $subs sub-channel(s) reopened after reload"
	rmmod hv_storvsc || case_fail "$name: rmmod hv_storvsc"
	rmmod hv_vmbus || case_fail "$name: rmmod hv_vmbus"
	rmmod hv_simhost || case_fail "$name: rmmod hv_simhost"
}

# 2 CPUs: the guest asks for one sub-channel wherever multi-channel exists
run default 0x50003 0x602 1
run ws2016 0x40000 0x600 1 profile=ws2016
run azure 0x50003 0x602 1 profile=azure
run pad64 0x50003 0x602 1 storvsp_completion_size=64
run pad80-4.2 0x50003 0x402 0 storvsp_completion_size=80 storvsp_version=0x402
case_pass "profiles default, ws2016, azure; 64/80-byte completions; 2 of the addresses populated"
