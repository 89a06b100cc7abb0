#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# VLAN through the simulated vswitch: VLAN 10 devices on two synthetic
# NICs (each in its own namespace) and on the host port.  The guest sends
# the tag in per-packet info, the host puts it into the frame for the
# switch and hands it back out of band on receive; tagged pings work
# NIC-to-NIC and to the host port, untagged traffic is not mixed in.
# vm: bins=/usr/sbin/ip
# vm: modules=8021q
# vm: timeout=180
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh

require_ko hv_simhost hv_vmbus hv_netvsc
load_module 8021q || case_fail "8021q did not load"
net_load 2
net_ns_up
in_a $IP link set "$e0" up
in_b $IP link set "$e1" up
$IP link set simhost0 up
in_a $IP link add link "$e0" name v10 type vlan id 10 || case_fail "no VLAN on $e0"
in_b $IP link add link "$e1" name v10 type vlan id 10 || case_fail "no VLAN on $e1"
$IP link add link simhost0 name simhost0.10 type vlan id 10 || case_fail "no VLAN on the host port"
in_a $IP addr add 10.9.10.1/24 dev v10
in_b $IP addr add 10.9.10.2/24 dev v10
$IP addr add 10.9.10.254/24 dev simhost0.10
in_a $IP link set v10 up
in_b $IP link set v10 up
$IP link set simhost0.10 up
# the untagged side uses another subnet: it must not see VLAN 10
in_a $IP addr add 10.9.11.1/24 dev "$e0"
in_b $IP addr add 10.9.11.2/24 dev "$e1"

wait_until 15 in_a ping -c 1 -W 1 10.9.10.2 >/dev/null ||
	case_fail "VLAN 10 a -> b: no answer: $(cat $N)"
in_a ping -c 5 -i 0.2 -W 2 10.9.10.2 >/dev/null || case_fail "VLAN 10 a -> b lost packets"
in_b ping -c 3 -W 2 10.9.10.254 >/dev/null || case_fail "VLAN 10 b -> host port"
ping -c 3 -W 2 10.9.10.1 >/dev/null || case_fail "VLAN 10 host port -> a"
in_a ping -c 3 -W 2 -s 1400 10.9.10.2 >/dev/null || case_fail "VLAN 10 full-size frames"
in_a ping -c 3 -W 2 10.9.11.2 >/dev/null || case_fail "untagged a -> b"
net_check_host
unload_ours
net_cleanup
case_pass
