#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Shutdown IC: the simulated host asks for a shut down (version 3.2, as
# OpenVMM negotiates it), hv_utils answers S_OK and powers the VM off through
# the kernel's orderly_poweroff(), which runs poweroff_cmd.  Here that
# command is a script that does what a distribution's shutdown does and
# ends the run the way /init does: it stops the processes writing, unmounts
# the file systems, then writes this case's result, the kernel log and
# VMTEST-DONE and really powers off: QEMU exits.  If the VM is still running
# 60 s later the case fails.
# The file system is ext4 on a synthetic disk (the simulated StorVSP over
# QEMU's virtio-scsi disk), with buffered writes going on when the request
# comes: after QEMU has exited the host checks the disk image: e2fsck -fn
# finds nothing and the journal needs no recovery ("clean on the next
# boot"); a power-off without the orderly shutdown leaves it needing
# recovery.
# vm: own-boot
# vm: timeout=150
# vm: modules=virtio_pci,virtio_scsi,sd_mod,ext4
# vm: disk=icfs:64M
# vm: qemu=-device virtio-scsi-pci,id=vs0 -drive if=none,id=d0,file={disk:icfs},format=raw -device scsi-hd,bus=vs0.0,drive=d0,serial=HVLIS-DISK0
# vm: bins=/usr/sbin/mkfs.ext4
# vm: host-check=/sbin/e2fsck -fn {disk:icfs} && ! /sbin/dumpe2fs -h {disk:icfs} 2>/dev/null | grep needs_recovery
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh

require_ko hv_simhost hv_vmbus hv_utils hv_storvsc
scsi=53494d08-0000-4000-8000-73696d687374
load_hvlis devices=shutdown,scsi scsi_backing=HVLIS-DISK0 || case_fail "load failed"
modprobe -q virtio_pci 2>/dev/null || true
load_module virtio_scsi || case_fail "virtio_scsi did not load"
wait_until 20 grep -q 'serial HVLIS-DISK0 backing [0-9]' /sys/kernel/debug/hv_simhost/storvsp ||
	case_fail "backing device not claimed: $(cat /sys/kernel/debug/hv_simhost/storvsp)"
load_module sd_mod || case_fail "sd_mod did not load"
load_module ext4 2>/dev/null || true
load_module hv_storvsc || case_fail "hv_storvsc did not load"
load_by_alias vmbus
is_loaded hv_utils || case_fail "hv_utils was not loaded by its modalias"
wait_until 30 ic_ready shutdown || case_fail "shutdown not negotiated: $(cat "$ic/shutdown")"
[ "$(ic_field shutdown version)" = 3.2 ] ||
	case_fail "shutdown version $(ic_field shutdown version), want 3.2"

# the synthetic disk (sdX below our VMBus device)
synth_disk() {
	disk=
	for b in /sys/block/sd*; do
		case $(readlink -f "$b") in
		*/$scsi/*) disk=${b##*/} ;;
		esac
	done
	[ -n "$disk" ] && [ -b "/dev/$disk" ]
}
wait_until 60 synth_disk || case_fail "no synthetic disk"
expect_ok "mkfs.ext4" mkfs.ext4 -q -F /dev/"$disk"
mkdir -p /mnt/ic
mount -t ext4 /dev/"$disk" /mnt/ic || case_fail "mount failed"
log "ext4 on $disk (synthetic), mounted"

# writes going on: buffered writes into files of the file system, in a
# process group of their own that the shutdown stops
# shellcheck disable=SC2016 # expanded by the inner shell
setsid sh -c 'echo $$ >/tmp/hvlis-writers; i=0; while :; do
	dd if=/dev/zero of=/mnt/ic/w$((i % 4)) bs=64k count=64 2>/dev/null
	i=$((i + 1)); done' </dev/null >/dev/null 2>&1 &
wait_for /tmp/hvlis-writers 5 || case_fail "writers did not start"
sleep 1

# run by the kernel (usermode helper: no environment of ours)
cat >/tmp/hvlis-poweroff <<EOS
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HVLIS_CH=$HVLIS_CH HVLIS_CASE=$HVLIS_CASE
. /hvlis/lib.sh
log "poweroff_cmd: stopping the writers, unmounting /mnt/ic"
kill -TERM -"\$(cat /tmp/hvlis-writers)"
n=0
until umount /mnt/ic 2>/tmp/hvlis-umount.err; do
	n=\$((n + 1))
	[ "\$n" -lt 50 ] || break
	sleep 0.2
done
if grep -q ' /mnt/ic ' /proc/mounts; then
	_case_result FAIL "cannot unmount /mnt/ic: \$(cat /tmp/hvlis-umount.err)"
else
	_case_result PASS "powered off by the host's shutdown request, /mnt/ic unmounted"
fi
chan VMTEST-DMESG-BEGIN
dmesg >"\$HVLIS_CH"
chan VMTEST-DMESG-END
chan VMTEST-DONE
sync
poweroff -f
EOS
chmod 755 /tmp/hvlis-poweroff
echo /tmp/hvlis-poweroff >/proc/sys/kernel/poweroff_cmd || case_fail "cannot set poweroff_cmd"
log "asking the guest to shut down"
echo shutdown >"$ic/shutdown" || log "request: $(cat $ic/shutdown)"
sleep 60
case_fail "still running 60 s after the shutdown request: $(cat $ic/shutdown)"
