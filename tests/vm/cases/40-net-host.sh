#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The host side of networking without a guest driver: hv_simhost with
# devices=nic:2 offers two synthetic NICs (class GUID of Hyper-V's NIC,
# deterministic instances), creates the host port simhost0 with its MAC,
# and its netvsp debugfs file shows the counters and takes the knobs
# (and refuses malformed ones).  Broadcasts of the host port are flooded
# to no port while no NIC is open, and nothing comes back.
# vm: bins=/usr/sbin/ip
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh

if is_loaded hv_simhost; then
	log "hv_simhost still loaded: refcnt $(cat /sys/module/hv_simhost/refcnt)" \
	    "holders $(ls /sys/module/hv_simhost/holders)"
	rmmod hv_simhost
	case_fail "hv_simhost was left loaded by an earlier case"
fi
load_hvlis devices=nic:2 || case_fail "load failed"
for g in $nic0 $nic1; do
	wait_for "/sys/bus/vmbus/devices/$g" 10 || case_fail "NIC $g not offered"
	[ "$(cat "/sys/bus/vmbus/devices/$g/class_id")" = "{f8615163-df3e-46c5-913f-f2d2f965ed0e}" ] ||
		case_fail "$g: class_id $(cat "/sys/bus/vmbus/devices/$g/class_id")"
done
[ -d /sys/class/net/simhost0 ] || case_fail "no host port simhost0"
[ "$(cat /sys/class/net/simhost0/address)" = 00:15:5d:53:ff:00 ] ||
	case_fail "host port MAC $(cat /sys/class/net/simhost0/address)"
[ -r $N ] || case_fail "no $N"
grep -q '^switched 0$' $N || case_fail "counters: $(cat $N)"

$IP addr add 10.9.2.254/24 dev simhost0 || case_fail "cannot address simhost0"
$IP link set simhost0 up || case_fail "simhost0 does not come up"
ping -c 2 -W 1 10.9.2.1 >/dev/null 2>&1 && case_fail "a ping was answered with no NIC up"
grep -q '^hostport_tx [1-9]' $N || case_fail "host port sent nothing: $(cat $N)"
# ARP broadcasts: flooded to the ports there are (none: no NIC is open)
grep -q '^flooded [1-9]' $N || case_fail "broadcasts not flooded: $(cat $N)"
grep -q '^hostport_rx 0$' $N || case_fail "the host port got frames back: $(cat $N)"

echo "link 1 down" >$N || case_fail "link knob refused"
grep -q '^link 1 down$' $N || case_fail "link knob not shown: $(cat $N)"
echo "link 1 up" >$N || case_fail "link knob refused"
grep -q '^link 1 down$' $N && case_fail "link knob not cleared"
echo "version_cap 50000" >$N || case_fail "version_cap refused"
grep -q '^version_cap 0x50000$' $N || case_fail "version_cap not shown"
echo "version_cap 0" >$N
echo "fault storm 3" >$N || case_fail "fault knob refused"
grep -q 'storm 3' $N || case_fail "fault not armed: $(grep faults $N)"
echo "fault storm 0" >$N 2>/dev/null && case_fail "count 0 accepted"
echo "fault nosuch 1" >$N 2>/dev/null && case_fail "unknown fault accepted"
echo "link 99 down" >$N 2>/dev/null && case_fail "link index 99 accepted"
echo "bogus" >$N 2>/dev/null && case_fail "bogus command accepted"
case_pass
