#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# NetVSP fault knobs against hv_netvsc: a transfer-page range past the
# receive buffer, two overlapping ranges, an RNDIS data offset outside the
# message, a per-packet info with a bad size, a completion for an unknown
# transaction id and a storm of status indications.  Each one is used up
# by the host, the guest logs it (no oops), and the NIC still answers pings
# from the host port afterwards.  Then the NVSP version cap: with the host capped at 5.0 the
# guest settles on 5.0 and works.
# vm: bins=/usr/sbin/ip
# vm: timeout=240
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh

require_ko hv_simhost hv_vmbus hv_netvsc

bring_up() {
	net_load 1 "$@"
	net_ns_up
	net_addr_up 10.9.1
	wait_until 15 ping -c 1 -W 1 10.9.1.1 >/dev/null ||
		case_fail "no ping before the faults: $(cat $N)"
}

# shellcheck disable=SC2317 # called through eval (wait_until)
fault_left() { sed -n "s/^faults.* $1 \([0-9]*\).*/\1/p" "$N"; }

bring_up
for f in xfer_range xfer_overlap data_offset ppi_size bad_trans_id storm; do
	mark_dmesg "$f"
	n=1
	[ $f = storm ] && n=200
	echo "fault $f $n" >$N || case_fail "cannot arm $f"
	# traffic makes the host use the knob
	ping -c 3 -i 0.2 -W 1 10.9.1.1 >/dev/null 2>&1
	wait_until 10 eval 'test "$(fault_left $f)" = 0' ||
		case_fail "$f: the host did not use the knob: $(cat $N)"
	wait_until 15 ping -c 1 -W 1 10.9.1.1 >/dev/null ||
		case_fail "$f: the NIC does not answer afterwards: $(cat $N)"
	ping -c 5 -i 0.2 -W 2 10.9.1.1 >/dev/null ||
		case_fail "$f: packets lost after the fault"
	if [ $f != storm ] && [ $f != bad_trans_id ]; then
		dmesg_since_mark | grep -qi 'netvsc' ||
			case_fail "$f: the guest did not report the bad packet"
	fi
	dmesg_bad_since_mark && case_fail "$f: kernel trouble"
	log "$f: used, reported, NIC works"
done
unload_ours

bring_up netvsp_version=0x50000
grep -q 'version 0x50000' $N || case_fail "cap 5.0: negotiated $(grep -o 'version 0x[0-9a-f]*' $N)"
grep -q '^refused_version [1-9]' $N || case_fail "cap 5.0: 6.x not refused"
log "cap 5.0: guest fell back and works"
unload_ours
net_cleanup
case_pass
