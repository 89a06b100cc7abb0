#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Unusable completions (issue 14, item 12).  The StorVSP carries out an SRB
# and then answers it in a way the guest cannot use (simhost knob
# storvsp_bad_completion): with 0 bytes, as an in-band data packet instead
# of a completion, or (a sub-channel's request) on the primary channel.
# Each names an outstanding request, so the guest must finish that request
# with an error the SCSI layer retries: fio verify sees 0 errors, no bus
# reset reaches the host and the disk stays online.  (Before the fix the
# request kept its slot for ever and fio never finished.)  The backing disk
# is scsi_debug (RAM, VPD serial 2000), so the case needs no VM of its own.
# vm: modules=scsi_debug,sd_mod
# vm: bins=/usr/bin/fio
# vm: timeout=240
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_storvsc
scsi=53494d08-0000-4000-8000-73696d687374
S=/sys/kernel/debug/hv_simhost/storvsp
K=/sys/kernel/debug/hv_simhost/storvsp_bad_completion
fails=
fail() { log "FAIL: $*"; fails="$fails; $*"; }

# vpd_use_hostno=0: the unit serial (VPD 0x80) is 2000 whatever the host number
load_module scsi_debug dev_size_mb=32 vpd_use_hostno=0 ||
	case_skip "scsi_debug not available"
load_hvlis devices=scsi scsi_backing=2000 || case_fail "load failed"
[ -e $K ] || case_fail "the simhost has no storvsp_bad_completion knob"
wait_until 20 grep -q 'lun 0 serial 2000 backing [0-9]' $S ||
	case_fail "scsi_debug disk not claimed: $(cat $S)"
load_module sd_mod || case_fail "sd_mod did not load"
load_module hv_storvsc || case_fail "hv_storvsc did not load"
disk=
wait_until 60 find_vmbus_disk $scsi || case_fail "no synthetic disk appeared"
D=/dev/$disk
wait_for "$D" 10 || case_fail "no $D"
nch=$(find /sys/bus/vmbus/devices/$scsi/channels/ -mindepth 1 -maxdepth 1 | wc -l)
log "disk $disk, $nch channels"

resets() { sed -n 's/.* resets \([0-9]*\) .*/\1/p' $S; }
r0=$(resets)

# round MODE: arm 3 unusable completions of MODE, run fio verify on both
# CPUs (the second one's requests go out on the sub-channel), check
round() {
	rm -f /tmp/fio.rc
	mark_dmesg "$1"
	echo "$1 3" >$K || case_fail "knob '$1 3' refused"
	(fio --name=bad --filename="$D" --direct=1 --ioengine=libaio \
		--iodepth=8 --rw=randwrite --bs=4k --size=2M --numjobs=2 \
		--offset_increment=8M --cpus_allowed=0,1 \
		--cpus_allowed_policy=split --verify=crc32c --verify_fatal=1 \
		--do_verify=1 --group_reporting --eta=never --output=/tmp/fio.txt
	 echo $? >/tmp/fio.rc) &
	# not a speed limit: a lost request never completes
	wait_until 60 test -e /tmp/fio.rc ||
		case_fail "$1: fio did not finish within 60 s (a request was lost): $(cat $K)"
	[ "$(cat /tmp/fio.rc)" = 0 ] ||
		fail "$1: fio failed: $(grep -m 3 -i err /tmp/fio.txt | tr '\n' ' ')"
	grep -q 'err= 0' /tmp/fio.txt || fail "$1: fio reported errors: $(grep err= /tmp/fio.txt)"
	left=$(sed -n "s/.*$1 \([0-9]*\).*/\1/p" $K)
	[ "$left" = 0 ] || fail "$1: $left of 3 faults never fired: $(cat $K)"
	n=$(dmesg_since_mark | grep -c 'hv_storvsc.*unusable answer')
	[ "$n" -ge 1 ] || fail "$1: the guest logged no unusable answer"
	bad=$(dmesg_since_mark | grep -E 'I/O error|rejecting I/O|offline|host reset' | head -n 2)
	[ -z "$bad" ] || fail "$1: errors in the log: $(echo "$bad" | tr '\n' '|')"
	log "$1: fio verify 0 errors, $n unusable answers retried"
}

round empty
round inband
if [ "$nch" -ge 2 ]; then
	round otherchan
else
	fail "no sub-channel: the wrong-channel round cannot run"
fi

st=$(cat /sys/block/"$disk"/device/state)
[ "$st" = running ] || fail "disk state '$st'"
[ "$(resets)" = "$r0" ] || fail "$(($(resets) - r0)) bus resets reached the host"
echo "empty 0" >$K
echo "inband 0" >$K
echo "otherchan 0" >$K
unload_ours || fail "our modules did not unload"
rmmod scsi_debug 2>/dev/null || fail "scsi_debug did not unload"
[ -z "$fails" ] || case_fail "${fails#; }"
case_pass "3 x 3 unusable completions retried, fio verify 0 errors, disk $st"
