#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Synthetic disk over the simulated StorVSP, backed by QEMU's scsi-hd on
# virtio-scsi: the host claims the backing device (no sd on it), the guest's
# disk has the backing's size, vendor, model and serial (from the target's
# own INQUIRY/VPD), sub-channels open, mkfs.ext4 + fsck are clean, 256 MiB of
# fio random writes with crc32c verify from 4 jobs show no mismatch, and a
# discarded range reads back as zeros.
# vm: modules=virtio_pci,virtio_scsi,sd_mod
# vm: disk=back0:640M
# vm: qemu=-device virtio-scsi-pci,id=vs0 -drive if=none,id=d0,file={disk:back0},format=raw,discard=unmap -device scsi-hd,bus=vs0.0,drive=d0,serial=HVLIS-DISK0
# vm: bins=/usr/sbin/mkfs.ext4 /usr/sbin/fsck.ext4 /usr/bin/fio /usr/sbin/blkdiscard
# vm: timeout=600
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_storvsc
scsi=53494d08-0000-4000-8000-73696d687374
S=/sys/kernel/debug/hv_simhost/storvsp
load_hvlis devices=scsi scsi_backing=HVLIS-DISK0 || case_fail "load failed"
# virtio_pci is a module on 6.1, built in on 6.12
modprobe -q virtio_pci 2>/dev/null || true
load_module virtio_scsi || case_fail "virtio_scsi did not load"
wait_until 20 grep -q 'lun 0 serial HVLIS-DISK0 backing [0-9]' $S ||
	case_fail "backing device not claimed: $(cat $S)"
load_module sd_mod || case_fail "sd_mod did not load"
back=
for b in /sys/bus/scsi/drivers/hv_simhost_backing/*:*; do
	[ -e "$b" ] && back=${b##*/}
done
[ -n "$back" ] || case_fail "no device bound to hv_simhost_backing"
ls -d /sys/bus/scsi/devices/"$back"/block 2>/dev/null &&
	case_fail "sd attached to the backing device $back"
load_module hv_storvsc || case_fail "hv_storvsc did not load"

# the synthetic disk: a block device below our VMBus device
disk=
wait_until 60 find_vmbus_disk $scsi || case_fail "no synthetic disk appeared"
log "synthetic disk /dev/$disk, backing $back"
D=/dev/$disk
B=/sys/block/$disk
wait_for "$D" 10 || case_fail "no $D"

bd=/sys/bus/scsi/devices/$back
sz=$(cat "$B"/size)
[ "$sz" = $((640 * 2048)) ] || case_fail "size $sz sectors, want $((640 * 2048))"
for a in vendor model rev; do
	[ "$(cat "$B"/device/$a)" = "$(cat "$bd/$a")" ] ||
		case_fail "$a '$(cat "$B"/device/$a)' vs backing '$(cat "$bd/$a")'"
done
grep -q HVLIS-DISK0 "$B"/device/vpd_pg80 ||
	case_fail "serial not passed through: $(cat "$B"/device/vpd_pg80)"
nch=$(find /sys/bus/vmbus/devices/$scsi/channels/ -mindepth 1 -maxdepth 1 | wc -l)
[ "$nch" -ge 2 ] || case_fail "$nch channel(s): no sub-channel opened"

expect_ok "mkfs.ext4" mkfs.ext4 -q -F "$D"
expect_ok "fsck after mkfs" fsck.ext4 -fn "$D"

expect_ok "fio verify" fio --name=verify --filename="$D" --direct=1 \
	--ioengine=libaio --iodepth=8 --rw=randwrite --bsrange=4k-256k \
	--size=64M --numjobs=4 --offset_increment=64M --verify=crc32c \
	--verify_fatal=1 --do_verify=1 --group_reporting --output=/tmp/fio.txt
grep -q 'err= 0' /tmp/fio.txt || case_fail "fio reported errors: $(grep err= /tmp/fio.txt)"
log "fio: $(grep -E 'WRITE:|READ:' /tmp/fio.txt | tr -s ' ' | tr '\n' ';')"

# discard: the target supports UNMAP (discard=unmap); punched ranges of a
# raw file read back as zeros
dmax=$(cat "$B"/queue/discard_max_bytes)
[ "$dmax" -gt 0 ] || case_fail "no discard support seen through the synthetic path"
dd if=/dev/urandom of=/tmp/r bs=1M count=1 2>/dev/null
expect_ok "write before discard" dd if=/tmp/r of="$D" bs=1M seek=300 count=1 oflag=direct 2>/dev/null
expect_ok "blkdiscard" blkdiscard -o $((300 * 1048576)) -l 1048576 "$D"
dd if="$D" of=/tmp/z bs=1M skip=300 count=1 iflag=direct 2>/dev/null
[ "$(tr -d '\000' </tmp/z | wc -c)" = 0 ] || case_fail "discarded range does not read back as zeros"
log "host: $(tr '\n' ';' <$S)"
grep -q 'dropped 0 .*bad_state 0' $S || case_fail "host dropped guest packets or saw them out of order: $(cat $S)"
case_pass "disk $disk, $nch channels"
