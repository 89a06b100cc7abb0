#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Benchmark (not a test: make bench runs it through scripts/bench-storage.sh):
# the same backing disk, in one boot, first through virtio-scsi + sd, then
# through the synthetic path (hv_simhost takes the device over from sd;
# hv_vmbus + hv_storvsc).  fio 4k random read/write IOPS and 1 MiB
# sequential read/write bandwidth, 8 s each; lines "BENCH <job> <path>
# <iops> <KiB/s>" on the console.
# vm: modules=virtio_pci,virtio_scsi,sd_mod
# vm: disk=bench:256M
# vm: qemu=-device virtio-scsi-pci,id=vs0 -drive if=none,id=d0,file={disk:bench},format=raw,cache=unsafe -device scsi-hd,bus=vs0.0,drive=d0,serial=HVLIS-BENCH
# vm: bins=/usr/bin/fio
# vm: timeout=400
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_storvsc
scsi=53494d08-0000-4000-8000-73696d687374
modprobe -q virtio_pci 2>/dev/null || true
load_module virtio_scsi || case_fail "virtio_scsi did not load"
load_module sd_mod || case_fail "sd_mod did not load"

# disk_below PATTERN: the sd disk whose sysfs path matches
disk_below() {
	for b in /sys/block/sd*; do
		# shellcheck disable=SC2254 # $1 is a pattern
		case $(readlink -f "$b") in
		$1) echo "/dev/${b##*/}"; return 0 ;;
		esac
	done
	return 1
}
# shellcheck disable=SC2317 # called through wait_until
have() { disk_below "$1" >/dev/null; }

wait_until 30 have '*/virtio*' || case_fail "no virtio disk"
vd=$(disk_below '*/virtio*')
# fill the disk once, so both paths read allocated blocks
dd if=/dev/urandom of=/tmp/blk bs=1M count=1 2>/dev/null
i=0
while [ $i -lt 256 ]; do
	dd if=/tmp/blk of="$vd" bs=1M seek=$i count=1 oflag=direct 2>/dev/null
	i=$((i + 1))
done

run_fio() {  # path dev
	for job in randread:4k randwrite:4k read:1M write:1M; do
		rw=${job%%:*}
		bs=${job#*:}
		fio --name=b --filename="$2" --direct=1 --ioengine=libaio \
			--iodepth=16 --rw="$rw" --bs="$bs" --size=256M \
			--time_based --runtime=8 --ramp_time=1 --minimal >/tmp/fio.out 2>&1 ||
			case_fail "fio $rw $bs on $1: $(head -c 300 /tmp/fio.out)"
		# terse v3: 7/8 read KiB/s and IOPS, 48/49 write KiB/s and IOPS
		case $rw in
		*read) set -- "$1" "$2" "$(cut -d';' -f8 /tmp/fio.out)" "$(cut -d';' -f7 /tmp/fio.out)" ;;
		*) set -- "$1" "$2" "$(cut -d';' -f49 /tmp/fio.out)" "$(cut -d';' -f48 /tmp/fio.out)" ;;
		esac
		chan "BENCH $rw-$bs $1 $3 $4"
		set -- "$1" "$2"
	done
}

run_fio virtio "$vd"
load_hvlis devices=scsi scsi_backing=HVLIS-BENCH || case_fail "load failed"
load_module hv_storvsc || case_fail "hv_storvsc did not load"
wait_until 60 have "*/$scsi/*" || case_fail "no synthetic disk"
have '*/virtio*' && case_fail "the virtio disk is still attached to sd"
run_fio synthetic "$(disk_below "*/$scsi/*")"
case_pass
