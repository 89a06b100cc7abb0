#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Power-off with ext4 mounted on a synthetic disk and direct writes in
# flight: the kernel's orderly path (reboot(2) POWER_OFF: reboot notifiers,
# then device_shutdown, where sd flushes each disk's write cache) must
# find the VMBus connection and the disk channels alive, every SYNCHRONIZE
# CACHE must complete without an error or a stall, and no I/O error may
# appear.  hv_vmbus must not UNLOAD from its reboot notifier (the in-tree
# driver unloads only for kexec and crash).
#
# This case ends the VM itself: a watcher outside the case's process group
# follows the kernel log during the shutdown and writes the result and the
# closing lines of the run (what /init would print) on the harness channel.
# Every completion is held 3 s by the StorVSP once the shutdown starts, so
# that the second disk's flush is still in progress when the watcher has
# seen the first one complete.
# vm: modules=virtio_pci,virtio_scsi,sd_mod,ext4
# vm: disk=back0:64M
# vm: disk=back1:32M
# vm: qemu=-device virtio-scsi-pci,id=vs0 -drive if=none,id=d0,file={disk:back0},format=raw -device scsi-hd,bus=vs0.0,drive=d0,serial=HVLIS-DISK0 -drive if=none,id=d1,file={disk:back1},format=raw -device scsi-hd,bus=vs0.0,drive=d1,serial=HVLIS-DISK1
# vm: bins=/usr/sbin/mkfs.ext4
# vm: timeout=240
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_storvsc
scsi=53494d08-0000-4000-8000-73696d687374
S=/sys/kernel/debug/hv_simhost/storvsp
ST=/sys/kernel/debug/hv_simhost/stats
load_hvlis devices=scsi scsi_backing=HVLIS-DISK0,HVLIS-DISK1 || case_fail "load failed"
modprobe -q virtio_pci 2>/dev/null || true
load_module virtio_scsi || case_fail "virtio_scsi did not load"
wait_until 20 grep -q 'lun 1 serial HVLIS-DISK1 backing [0-9]' $S ||
	case_fail "backing devices not claimed: $(cat $S)"
load_module sd_mod || case_fail "sd_mod did not load"
load_module ext4 2>/dev/null || true
load_module hv_storvsc || case_fail "hv_storvsc did not load"

# disks: the synthetic disks (sdX) below our VMBus device
disks() {
	for b in /sys/block/sd*; do
		case $(readlink -f "$b") in
		*/$scsi/*) echo "${b##*/}" ;;
		esac
	done
}
# shellcheck disable=SC2317 # called through wait_until
two_disks() { [ "$(disks | wc -l)" = 2 ]; }
wait_until 60 two_disks || case_fail "synthetic disks: '$(disks | tr '\n' ' ')', want two"
# shellcheck disable=SC2046 # one word per disk
set -- $(disks)
da=$1 db=$2
for d in "$da" "$db"; do
	wait_for /dev/"$d" 10 || case_fail "no /dev/$d"
	ct=$(cat /sys/block/"$d"/device/scsi_disk/*/cache_type)
	# sd flushes at shutdown only a write-back cache: nothing to test else
	[ "$ct" = "write back" ] || case_fail "$d: cache type '$ct', the test needs 'write back'"
done
log "disks $da $db"

expect_ok "mkfs.ext4" mkfs.ext4 -q -F /dev/"$da"
mkdir -p /mnt/p
mount -t ext4 /dev/"$da" /mnt/p || case_fail "mount failed"
grep -q '^connected 1' $ST || case_fail "simhost not connected: $(head -n 3 $ST)"

# the watcher: outside the case's process group, it outlives the case
cat >/tmp/poweroff-watch.sh <<EOF
. /hvlis/lib.sh
da=$da db=$db ST=$ST
EOF
cat >>/tmp/poweroff-watch.sh <<'EOF'
# finish STATUS WHY: the result, then what /init prints at the end of a run
finish() {
	_case_result "$1" "$2"
	chan "VMTEST-DMESG-BEGIN"
	dmesg >"$HVLIS_CH"
	chan "VMTEST-DMESG-END"
	chan "VMTEST-DONE"
	exit 0
}
n=0 on=0
t0=$(cut -d. -f1 /proc/uptime)
# cat: /dev/kmsg hands out whole records only (no byte-wise reads)
cat /dev/kmsg | while :; do
	if ! read -r -t 90 line; then
		finish FAIL "shutdown stalled: $n of 2 disk flushes seen after $(($(cut -d. -f1 /proc/uptime) - t0)) s"
	fi
	msg=${line#*;}
	# /dev/kmsg starts with the whole log: only what follows the mark counts
	if [ "$on" = 0 ]; then
		case $msg in
		*"hvlis-poweroff: begin"*) on=1 t0=$(cut -d. -f1 /proc/uptime) ;;
		esac
		continue
	fi
	case $msg in
	*"Synchronize Cache"*|*"I/O error"*|*"EXT4-fs error"*|*"Buffer I/O"*|*"hv_storvsc"*"reset"*)
		finish FAIL "during power-off: $msg" ;;
	*"[$da] Synchronizing SCSI cache"*|*"[$db] Synchronizing SCSI cache"*)
		n=$((n + 1))
		c=$(sed -n 's/^connected //p' "$ST")
		u=$(sed -n 's/^in UNLOAD //p' "$ST")
		[ "$c" = 1 ] || finish FAIL "VMBus already disconnected when sd began flushing (flush $n; host connected=$c, UNLOADs received ${u:-?})"
		if [ "$n" = 2 ]; then
			# the first flush returned without an error line
			finish PASS "first disk flushed and second flush started over a live VMBus, $(($(cut -d. -f1 /proc/uptime) - t0)) s into the shutdown"
		fi ;;
	esac
done
EOF
HVLIS_CASE=$HVLIS_CASE setsid sh /tmp/poweroff-watch.sh </dev/null >/dev/console 2>&1 &
sleep 1

# writes in flight: direct writes into files of the mounted file system
# shellcheck disable=SC2016 # expanded by the inner shell
setsid sh -c 'i=0; while :; do
	dd if=/dev/zero of=/mnt/p/w$((i % 4)) bs=256k count=32 oflag=direct 2>/dev/null
	i=$((i + 1)); done' </dev/null >/dev/null 2>&1 &
sleep 3
sync
echo "delay 3000 100000" >$S || case_fail "delay knob refused"
log "powering off"
echo "hvlis-poweroff: begin" >/dev/kmsg
poweroff -f -n
sleep 30
case_fail "poweroff -f returned"
