#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Requests go out on the channel whose interrupts reach the issuing CPU
# (as the in-tree storvsc does), so completions arrive where the request
# was made instead of waking another CPU: with the I/O pinned to one CPU,
# that CPU's channel carries it, whatever the blk-mq queue-to-channel
# order.  Counted by the packets the host received on each channel (its
# pkts_in: one per request), not by host signals, whose number depends on
# whether the host was still draining when the next request came (a CI
# run under load saw 51 signals for 200 requests, all on the right channel).
# Counts, not times.  The simhost's null backend, no disk behind it.
# vm: modules=sd_mod
# vm: bins=/usr/bin/fio
# vm: timeout=120
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

N=200
require_ko hv_simhost hv_vmbus hv_storvsc
[ "$(nproc)" -ge 2 ] || case_skip "one CPU"
scsi=53494d08-0000-4000-8000-73696d687374
C=/sys/bus/vmbus/devices/$scsi/channels
load_hvlis devices=scsi scsi_backing=null:64M || case_fail "load failed"
load_module sd_mod || case_fail "sd_mod did not load"
load_module hv_storvsc || case_fail "hv_storvsc did not load"
disk=
wait_until 60 find_vmbus_disk $scsi || case_fail "no synthetic disk appeared"
wait_for "/dev/$disk" 10 || case_fail "no /dev/$disk"
nch=$(find $C/ -mindepth 1 -maxdepth 1 | wc -l)
[ "$nch" -ge 2 ] || case_skip "$nch channel(s): nothing to choose from"

# pkts_on CPU: packets the host received on the channels that interrupt
# CPU, and on the others
H=/sys/kernel/debug/hv_simhost/channels
pkts_on() {
	_on=0 _off=0
	for _c in "$C"/*; do
		_e=$(sed -n "s/^relid=${_c##*/} .* pkts_in=\([0-9]*\) .*/\1/p" $H)
		if [ "$(cat "$_c/cpu")" = "$1" ]; then
			_on=$((_on + _e))
		else
			_off=$((_off + _e))
		fi
	done
	echo "$_on $_off"
}

for cpu in 0 1; do
	grep -qx "$cpu" $C/*/cpu || { log "no channel interrupts CPU $cpu"; continue; }
	# shellcheck disable=SC2046 # two numbers
	set -- $(pkts_on $cpu)
	on0=$1 off0=$2
	fio --name=pin --filename="/dev/$disk" --direct=1 --ioengine=libaio \
		--iodepth=1 --rw=randread --bs=4k --size=64M --number_ios=$N \
		--cpus_allowed=$cpu >/tmp/fio.out 2>&1 ||
		case_fail "fio on CPU $cpu: $(head -c 300 /tmp/fio.out)"
	# shellcheck disable=SC2046 # two numbers
	set -- $(pkts_on $cpu)
	on=$(($1 - on0)) off=$(($2 - off0))
	log "CPU $cpu: $on packets on its channel(s), $off on the others"
	if [ "$on" -lt $N ] || [ "$off" -gt $((N / 4)) ]; then
		map=$(for c in "$C"/*; do printf '%s:cpu%s ' "${c##*/}" "$(cat "$c/cpu")"; done)
		case_fail "I/O pinned to CPU $cpu: $on packets on the channel(s) interrupting it, $off on the others (relid:cpu $map)"
	fi
done
case_pass
