#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A slow host and a quiet bring-up.
# 1. Bringing up a synthetic disk and reading/writing it logs no hv_storvsc
#    line at warning level or above: the MODE SENSE and scan misses the
#    in-tree driver also expects are debug messages.
# 2. The StorVSP holds completions for 12 s, more than the SCSI command
#    timeout (storvsc_timeout=5), then sends them: the timer is restarted
#    instead of failing the command (as the in-tree driver does), so fio
#    verify sees 0 errors, no bus reset reaches the host, the disk stays
#    online and keeps working afterwards.
# vm: modules=virtio_pci,virtio_scsi,sd_mod
# vm: disk=back0:64M
# vm: qemu=-device virtio-scsi-pci,id=vs0 -drive if=none,id=d0,file={disk:back0},format=raw -device scsi-hd,bus=vs0.0,drive=d0,serial=HVLIS-DISK0
# vm: bins=/usr/bin/fio
# vm: timeout=300
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_storvsc
scsi=53494d08-0000-4000-8000-73696d687374
S=/sys/kernel/debug/hv_simhost/storvsp
fails=
fail() { log "FAIL: $*"; fails="$fails; $*"; }

load_hvlis devices=scsi scsi_backing=HVLIS-DISK0 || case_fail "load failed"
modprobe -q virtio_pci 2>/dev/null || true
load_module virtio_scsi || case_fail "virtio_scsi did not load"
wait_until 20 grep -q 'lun 0 serial HVLIS-DISK0 backing [0-9]' $S ||
	case_fail "backing device not claimed: $(cat $S)"
load_module sd_mod || case_fail "sd_mod did not load"
mark_dmesg bringup
load_module hv_storvsc storvsc_timeout=5 || case_fail "hv_storvsc did not load"
disk=
wait_until 60 find_vmbus_disk $scsi || case_fail "no synthetic disk appeared"
D=/dev/$disk
wait_for "$D" 10 || case_fail "no $D"
dd if=/dev/urandom of="$D" bs=64k count=16 oflag=direct 2>/dev/null ||
	case_fail "first write failed"
dd if="$D" of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null ||
	case_fail "first read failed"
sleep 1

# 1: levels 0-4 (emerg .. warning) of the kernel facility: "<N>" with N <= 4
loud=$(dmesg -r | awk -v m="hvlis-mark: $HVLIS_CASE bringup" '
	index($0, m) { f = 1; next }
	f && /hv_storvsc/ && match($0, /^<[0-9]+>/) &&
		substr($0, 2, RLENGTH - 2) + 0 <= 4')
[ -z "$loud" ] || fail "bring-up logged at warning or above: $(echo "$loud" | head -n 3 | tr '\n' '|')"

# 2: completions held beyond the command timeout
[ "$(cat /sys/block/"$disk"/device/timeout)" = 5 ] ||
	fail "command timeout $(cat /sys/block/"$disk"/device/timeout), want 5 (storvsc_timeout)"
r0=$(sed -n 's/.*resets \([0-9]*\).*/\1/p' $S)
mark_dmesg slow
echo "delay 12000 3" >$S || case_fail "delay knob refused"
t0=$(cut -d. -f1 /proc/uptime)
fio --name=slow --filename="$D" --direct=1 --ioengine=libaio --iodepth=4 \
	--rw=randwrite --bs=4k --size=8M --numjobs=2 --offset_increment=16M \
	--verify=crc32c --verify_fatal=1 --do_verify=1 --group_reporting \
	--output=/tmp/fio.txt || fail "fio failed: $(grep -m 3 -i err /tmp/fio.txt | tr '\n' ' ')"
t1=$(cut -d. -f1 /proc/uptime)
grep -q 'err= 0' /tmp/fio.txt || fail "fio reported errors: $(grep err= /tmp/fio.txt)"
[ $((t1 - t0)) -ge 12 ] || fail "the held completions did not delay fio ($((t1 - t0)) s)"
log "fio took $((t1 - t0)) s"
dmesg_since_mark | grep -q 'hv_storvsc.*no answer from the host' ||
	fail "no timeout was reported (was the command timeout reached?)"
st=$(cat /sys/block/"$disk"/device/state)
[ "$st" = running ] || fail "disk state '$st' after the slow completions"
r1=$(sed -n 's/.*resets \([0-9]*\).*/\1/p' $S)
[ "$r1" = "$r0" ] || fail "$((r1 - r0)) bus resets reached the host (timer not restarted)"
bad=$(dmesg_since_mark | grep -E 'I/O error|rejecting I/O|offline|adapter disabled' | head -n 2)
[ -z "$bad" ] || fail "errors in the log: $(echo "$bad" | tr '\n' '|')"
dd if=/dev/urandom of=/tmp/pat bs=64k count=16 2>/dev/null
dd if=/tmp/pat of="$D" bs=64k count=16 seek=700 oflag=direct 2>/dev/null ||
	fail "write after the slow completions failed"
cmp -s /tmp/pat "$(dd if="$D" bs=64k count=16 skip=700 iflag=direct 2>/dev/null >/tmp/back; echo /tmp/back)" ||
	fail "read-back after the slow completions differs"
log "host: $(tr '\n' ';' <$S)"
[ -z "$fails" ] || case_fail "${fails#; }"
case_pass "fio 0 errors in $((t1 - t0)) s, no reset, disk $st"
