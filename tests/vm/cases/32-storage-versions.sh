#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# hv_storvsc against a StorVSP that accepts at most vstor 2.0 (WS2008),
# 4.2 (Win7: the 48-byte SRB without the Win8 extension), 5.1 (Win8:
# 52-byte SRB, multi-channel), 6.0 and 6.2: each time the guest settles on
# that version, opens sub-channels only from 5.1 on, and a checksummed 4 MiB
# direct write reads back; each version's data is still there under the
# next one (same disk, new host, new guest driver).
# vm: modules=virtio_pci,virtio_scsi,sd_mod
# vm: disk=back0:64M
# vm: qemu=-device virtio-scsi-pci,id=vs0 -drive if=none,id=d0,file={disk:back0},format=raw -device scsi-hd,bus=vs0.0,drive=d0,serial=HVLIS-DISK0
# vm: timeout=420
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_storvsc
scsi=53494d08-0000-4000-8000-73696d687374
S=/sys/kernel/debug/hv_simhost/storvsp

# the block device below our VMBus device, with host vstor version $1
bring_up() {
	load_hvlis devices=scsi scsi_backing=HVLIS-DISK0 storvsp_version="$1" ||
		case_fail "$1: load failed"
	modprobe -q virtio_pci 2>/dev/null || true
	load_module virtio_scsi || case_fail "virtio_scsi did not load"
	load_module sd_mod || case_fail "sd_mod did not load"
	wait_until 20 grep -q 'lun 0 serial HVLIS-DISK0 backing [0-9]' $S ||
		case_fail "$1: backing device not claimed: $(cat $S)"
	mark_dmesg "v$1"
	load_module hv_storvsc || case_fail "$1: hv_storvsc did not load"
	disk=
	wait_until 60 find_vmbus_disk $scsi || case_fail "$1: no synthetic disk appeared"
	wait_for "/dev/$disk" 10 || case_fail "$1: no /dev/$disk"
}

prev=
n=0
for v in 0x200 0x402 0x501 0x600 0x602; do
	bring_up $v
	want="$(( v >> 8 )).$(( v & 255 ))"
	dmesg_since_mark | grep -q "vstor protocol $want," ||
		case_fail "$v: negotiated $(dmesg_since_mark | grep -o 'vstor protocol [0-9.]*')"
	nch=$(find /sys/bus/vmbus/devices/$scsi/channels/ -mindepth 1 -maxdepth 1 | wc -l)
	if [ $((v)) -ge $((0x501)) ]; then
		[ "$nch" -ge 2 ] || case_fail "$v: $nch channel(s), no sub-channel"
	else
		[ "$nch" = 1 ] || case_fail "$v: $nch channels before multi-channel"
	fi
	dd if=/dev/urandom of=/tmp/w$n bs=1M count=4 2>/dev/null
	expect_ok "$v: write" dd if=/tmp/w$n of="/dev/$disk" bs=1M seek=$((n * 4)) count=4 oflag=direct 2>/dev/null
	dd if="/dev/$disk" of=/tmp/r bs=1M skip=$((n * 4)) count=4 iflag=direct 2>/dev/null ||
		case_fail "$v: read back failed"
	cmp -s /tmp/w$n /tmp/r || case_fail "$v: data read back differs"
	if [ -n "$prev" ]; then
		dd if="/dev/$disk" of=/tmp/r bs=1M skip=$(((n - 1) * 4)) count=4 iflag=direct 2>/dev/null ||
			case_fail "$v: read of the $prev data failed"
		cmp -s /tmp/w$((n - 1)) /tmp/r || case_fail "$v: data written under $prev differs"
	fi
	log "$v: vstor $want, $nch channel(s), 4 MiB written and read back"
	grep -q 'dropped 0 .*bad_state 0' $S || case_fail "$v: host dropped guest packets or saw them out of order: $(cat $S)"
	rmmod hv_storvsc || case_fail "$v: rmmod hv_storvsc"
	rmmod hv_vmbus || case_fail "$v: rmmod hv_vmbus"
	rmmod hv_simhost || case_fail "$v: rmmod hv_simhost"
	prev=$v
	n=$((n + 1))
done
case_pass "vstor 2.0, 4.2, 5.1, 6.0, 6.2"
