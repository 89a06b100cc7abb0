#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Two LUNs over the simulated StorVSP.  LUN 1 is hot-removed and hot-added
# (the host's ENUMERATE_BUS; the guest rescans).  Then every StorVSP fault
# knob on LUN 0 while a checksummed 4 MiB write is in flight, each followed
# by a read-back: SRB errors, bus-reset status, completions for unknown
# request ids, and a completion that arrives after the guest's command
# timeout (5 s here: the timer restarts, no reset).  No byte may be lost.
# vm: modules=virtio_pci,virtio_scsi,sd_mod
# vm: disk=back0:64M
# vm: disk=back1:32M
# vm: qemu=-device virtio-scsi-pci,id=vs0 -drive if=none,id=d0,file={disk:back0},format=raw -device scsi-hd,bus=vs0.0,drive=d0,serial=HVLIS-DISK0 -drive if=none,id=d1,file={disk:back1},format=raw -device scsi-hd,bus=vs0.0,drive=d1,serial=HVLIS-DISK1
# vm: timeout=300
# vm: expect-log=timing out command|hv_storvsc.*(reset|dropped host packet|timed out|cmd 0x)|sd [0-9:]+: .*(abort|reset|Sense|Add\. Sense|ASC|Result|CDB|tag#)
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_storvsc
scsi=53494d08-0000-4000-8000-73696d687374
S=/sys/kernel/debug/hv_simhost/storvsp
load_hvlis devices=scsi scsi_backing=HVLIS-DISK0,HVLIS-DISK1 || case_fail "load failed"
modprobe -q virtio_pci 2>/dev/null || true
load_module virtio_scsi || case_fail "virtio_scsi did not load"
wait_until 20 grep -q 'lun 1 serial HVLIS-DISK1 backing [0-9]' $S ||
	case_fail "backing devices not claimed: $(cat $S)"
load_module sd_mod || case_fail "sd_mod did not load"
load_module hv_storvsc storvsc_timeout=5 || case_fail "hv_storvsc did not load"

# disk_of LUN: the synthetic disk of that LUN, or nothing
disk_of() {
	for b in /sys/block/sd*; do
		p=$(readlink -f "$b")
		case $p in
		*/$scsi/*/*:0:0:"$1"/block/*) echo "${b##*/}"; return 0 ;;
		esac
	done
	return 1
}
# shellcheck disable=SC2317 # called through wait_until
have_lun() { disk_of "$1" >/dev/null; }
# shellcheck disable=SC2317 # called through wait_until
no_lun() { ! disk_of "$1" >/dev/null; }

wait_until 60 have_lun 1 || case_fail "LUN 1 never appeared"
wait_until 10 have_lun 0 || case_fail "LUN 0 never appeared"
d0=/dev/$(disk_of 0)
log "LUN 0 $d0, LUN 1 /dev/$(disk_of 1)"

echo "lun-remove 1" >$S || case_fail "lun-remove refused"
wait_until 30 no_lun 1 || case_fail "LUN 1 still there after hot-remove"
have_lun 0 || case_fail "LUN 0 went away with LUN 1"
echo "lun-add 1" >$S || case_fail "lun-add refused"
wait_until 30 have_lun 1 || case_fail "LUN 1 did not come back after hot-add"
[ "$(cat /sys/block/"$(disk_of 1)"/size)" = $((32 * 2048)) ] || case_fail "hot-added LUN 1 has the wrong size"

dd if=/dev/urandom of=/tmp/pat bs=1M count=4 2>/dev/null
want=$(sha256sum </tmp/pat)
n=0
# fault_round KNOB: arm the fault, write the pattern at a new place, read
# it back (direct I/O both ways) and compare
fault_round() {
	n=$((n + 1))
	echo "$1" >$S || case_fail "knob '$1' refused"
	dd if=/tmp/pat of="$d0" bs=1M seek=$((n * 4)) count=4 oflag=direct 2>/tmp/dd.err ||
		case_fail "write under '$1' failed: $(cat /tmp/dd.err)"
	got=$(dd if="$d0" bs=1M skip=$((n * 4)) count=4 iflag=direct 2>/dev/null | sha256sum)
	[ "$got" = "$want" ] || case_fail "data differs after '$1'"
	log "'$1': written and read back intact"
}
fault_round "error 04 3"
fault_round "error 0e 2"
fault_round "unknown 3"
r0=$(sed -n 's/.* resets \([0-9]*\) .*/\1/p' $S)
t0=$(cut -d. -f1 /proc/uptime)
fault_round "delay 8000 1"
t1=$(cut -d. -f1 /proc/uptime)
[ $((t1 - t0)) -ge 5 ] || case_fail "the late completion did not delay the write ($((t1 - t0)) s)"
# a late completion restarts the command's timer (no error handler, no reset)
[ "$(sed -n 's/.* resets \([0-9]*\) .*/\1/p' $S)" = "$r0" ] ||
	case_fail "bus reset after a late completion: $(cat $S)"
grep -q 'dropped 0 .*bad_state 0' $S || case_fail "host dropped guest packets or saw them out of order: $(cat $S)"
dmesg | grep -q 'dropped host packet' || case_fail "the unknown completions were not reported dropped"
log "host: $(tr '\n' ';' <$S)"
case_pass
