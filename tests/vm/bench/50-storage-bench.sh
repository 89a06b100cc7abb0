#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Benchmark (not a test: make bench runs it through scripts/bench-storage.sh).
# One boot, three pairs of disks, every job run on both disks of a pair in
# alternation (ROUNDS rounds, the order swapped every round):
#   null: a virtio-scsi disk on QEMU's null-co driver (reads return zeros)
#         against the simhost's null backend (scsi_backing=null:1G, the host
#         completes every SRB at once): transport + guest driver only;
#   pass: a virtio-scsi disk on a raw file against the synthetic path over
#         an identical file (hv_simhost passes every CDB to a claimed
#         virtio-scsi disk): the end-to-end figure, simulated host included.
# The simhost runs with profile=azure.  fio 4k random read/write and 1 MiB
# sequential read/write at queue depths 1 and 32; lines
# "BENCH <set> <job> <qd> <virtio|synthetic> <round> <IOPS> <KiB/s>" on the
# harness channel.  The pass set runs at queue depth 32 only (time).
# About 72 fio runs of RUNTIME + 1 s ramp: 6-7 minutes under TCG.
# vm: modules=virtio_pci,virtio_scsi,sd_mod
# vm: disk=ref:256M
# vm: disk=back:256M
# vm: qemu=-device virtio-scsi-pci,id=vs0 -drive if=none,id=dn,driver=null-co,size=1G,read-zeroes=on -device scsi-hd,bus=vs0.0,drive=dn,serial=HVLIS-VNULL -drive if=none,id=dr,file={disk:ref},format=raw,cache=unsafe -device scsi-hd,bus=vs0.0,drive=dr,serial=HVLIS-VREF -drive if=none,id=db,file={disk:back},format=raw,cache=unsafe -device scsi-hd,bus=vs0.0,drive=db,serial=HVLIS-BENCH
# vm: bins=/usr/bin/fio
# vm: timeout=1500
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

ROUNDS=3
RUNTIME=3
require_ko hv_simhost hv_vmbus hv_storvsc
scsi=53494d08-0000-4000-8000-73696d687374
modprobe -q virtio_pci 2>/dev/null || true
load_module virtio_scsi || case_fail "virtio_scsi did not load"
load_module sd_mod || case_fail "sd_mod did not load"

# disk_serial SERIAL: the sd disk whose VPD 0x80 names SERIAL
disk_serial() {
	for b in /sys/block/sd*; do
		[ -r "$b/device/vpd_pg80" ] || continue
		if tr -d '\000' <"$b/device/vpd_pg80" | grep -q "$1"; then
			echo "/dev/${b##*/}"
			return 0
		fi
	done
	return 1
}
# disk_path PATTERN: the sd disk whose sysfs path matches
disk_path() {
	for b in /sys/block/sd*; do
		# shellcheck disable=SC2254 # $1 is a pattern
		case $(readlink -f "$b") in
		$1) echo "/dev/${b##*/}"; return 0 ;;
		esac
	done
	return 1
}
# shellcheck disable=SC2317 # called through wait_until
have_serial() { disk_serial "$1" >/dev/null; }
# shellcheck disable=SC2317 # called through wait_until
have_path() { disk_path "$1" >/dev/null; }

for s in HVLIS-VNULL HVLIS-VREF HVLIS-BENCH; do
	wait_until 30 have_serial "$s" || case_fail "no virtio disk $s"
done
# fill both file-backed disks, so every path reads allocated blocks
dd if=/dev/urandom of=/tmp/blk bs=1M count=1 2>/dev/null
for s in HVLIS-VREF HVLIS-BENCH; do
	d=$(disk_serial "$s")
	i=0
	while [ $i -lt 256 ]; do
		dd if=/tmp/blk of="$d" bs=1M seek=$i count=1 oflag=direct 2>/dev/null
		i=$((i + 1))
	done
done
rm -f /tmp/blk
vnull=$(disk_serial HVLIS-VNULL)
vref=$(disk_serial HVLIS-VREF)

load_hvlis profile=azure devices=scsi scsi_backing=null:1G,HVLIS-BENCH ||
	case_fail "load failed"
load_module hv_storvsc || case_fail "hv_storvsc did not load"
wait_until 60 have_path "*/$scsi/*:0:0:0/block/*" || case_fail "no synthetic null disk"
wait_until 60 have_path "*/$scsi/*:0:0:1/block/*" || case_fail "no synthetic passthrough disk"
snull=$(disk_path "*/$scsi/*:0:0:0/block/*")
spass=$(disk_path "*/$scsi/*:0:0:1/block/*")
for d in "$snull" "$spass"; do
	chan "INFO $d: max_hw_sectors_kb $(cat "/sys/block/${d#/dev/}/queue/max_hw_sectors_kb")," \
		"max_sectors_kb $(cat "/sys/block/${d#/dev/}/queue/max_sectors_kb")"
done
chan "INFO virtio null $vnull, virtio file $vref, synthetic null $snull, synthetic file $spass"

# one_fio SET JOB QD PATH ROUND DEV
one_fio() {
	rw=${2%-*}
	bs=${2#*-}
	fio --name=b --filename="$6" --direct=1 --ioengine=libaio \
		--iodepth="$3" --rw="$rw" --bs="$bs" --size=256M \
		--time_based --runtime=$RUNTIME --ramp_time=1 --minimal \
		>/tmp/fio.out 2>&1 ||
		case_fail "fio $rw $bs qd$3 on $4 ($6): $(head -c 300 /tmp/fio.out)"
	# terse v3: 7/8 read KiB/s and IOPS, 48/49 write KiB/s and IOPS
	case $rw in
	*read) f=8 g=7 ;;
	*) f=49 g=48 ;;
	esac
	chan "BENCH $1 $2 $3 $4 $5 $(cut -d';' -f$f /tmp/fio.out) $(cut -d';' -f$g /tmp/fio.out)"
}

round=1
while [ $round -le $ROUNDS ]; do
	for set in null pass; do
		if [ $set = null ]; then v=$vnull s=$snull; else v=$vref s=$spass; fi
		for job in randread-4k randwrite-4k read-1M write-1M; do
			qds="1 32"
			[ $set = null ] || qds=32
			for qd in $qds; do
				if [ $((round % 2)) = 1 ]; then
					one_fio $set $job "$qd" virtio $round "$v"
					one_fio $set $job "$qd" synthetic $round "$s"
				else
					one_fio $set $job "$qd" synthetic $round "$s"
					one_fio $set $job "$qd" virtio $round "$v"
				fi
			done
		done
	done
	round=$((round + 1))
done
sed 's/^/storvsp: /' /sys/kernel/debug/hv_simhost/storvsp 2>/dev/null || true
case_pass
