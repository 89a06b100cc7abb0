#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# Two synthetic NICs on the simulated host's vswitch, each in its own
# network namespace, and the host port simhost0 in the root namespace:
# hv_netvsc binds both (driver name, netdev parent = the VMBus device, MAC
# from the host); IPv4 and IPv6 ping between the NICs and to the host port;
# TCP and UDP with iperf3; 64 MiB over TCP with a sha256 match; a link
# flap from the host: carrier follows, traffic resumes; the host's packet
# filter follows promiscuous mode while up; ethtool -i names hv_netvsc and
# ethtool -G changes the buffers (traffic after it; a too-small one is
# refused); the MAC address changes (ip link set address) when the host
# takes it, a refused change keeps the old one, a reconnect keeps it;
# unknown unicast from the host port (to 00:00:00:00:00:00) is dropped.
# (MTU 9000: 41-net-jumbo.)
# vm: bins=/usr/sbin/ip /usr/bin/iperf3 /usr/sbin/ethtool
# vm: timeout=420
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh

require_ko hv_simhost hv_vmbus hv_netvsc
net_load 2
net_check_nics
net_ns_up
NET6=fd00:9
net_addr_up 10.9.0
net_wait_carrier 10

pings() {
	wait_until 10 in_a ping -c 1 -W 1 10.9.0.2 >/dev/null ||
		case_fail "$1: IPv4 a -> b: no answer: $(cat $N)"
	in_a ping -c 5 -i 0.2 -W 2 10.9.0.2 >/dev/null ||
		case_fail "$1: IPv4 a -> b lost packets"
	in_b ping -c 3 -W 2 10.9.0.1 >/dev/null || case_fail "$1: IPv4 b -> a"
	in_a ping -c 3 -W 2 10.9.0.254 >/dev/null || case_fail "$1: IPv4 a -> host port"
	ping -c 3 -W 2 10.9.0.2 >/dev/null || case_fail "$1: IPv4 host port -> b"
	wait_until 10 in_a ping6 -c 1 -W 1 fd00:9::2 >/dev/null ||
		case_fail "$1: IPv6 a -> b: no answer"
	in_b ping6 -c 3 -W 2 fd00:9::1 >/dev/null || case_fail "$1: IPv6 b -> a"
	ping6 -c 3 -W 2 fd00:9::1 >/dev/null || case_fail "$1: IPv6 host port -> a"
	# largest frame of the MTU, unfragmented
	in_a ping -c 2 -W 2 -s $(($2 - 28)) 10.9.0.2 >/dev/null ||
		case_fail "$1: full-size ping"
}


iperf() {
	in_b iperf3 -s -1 -D -p 5201 >/dev/null 2>&1 || case_fail "$1: iperf3 server"
	net_wait_listen b 5201 || case_fail "$1: iperf3 server not listening"
	out=$(in_a timeout 60 iperf3 -c 10.9.0.2 -p 5201 -t 4 2>&1) ||
		case_fail "$1: iperf3 TCP failed: $out"
	log "$1: TCP $(echo "$out" | grep receiver | awk '{print $7, $8}')"
	in_b iperf3 -s -1 -D -p 5201 >/dev/null 2>&1 || case_fail "$1: iperf3 server"
	net_wait_listen b 5201 || case_fail "$1: iperf3 server not listening"
	out=$(in_a timeout 60 iperf3 -c 10.9.0.2 -p 5201 -u -b 20M -t 3 2>&1) ||
		case_fail "$1: iperf3 UDP failed: $out"
	log "$1: UDP $(echo "$out" | grep receiver | awk '{print $7, $8, $11, $12}')"
}

# the RNDIS packet filter the host holds for NIC $1 (debugfs "nic N ...")
nic_filter() {
	awk -v n="$1" '$1 == "nic" && $2 == n {
		for (i = 3; i < NF; i++) if ($i == "filter") { print $(i + 1); exit } }' $N
}
# up: DIRECTED|ALL_MULTICAST|BROADCAST (0xd; IPv6 joins multicast groups);
# promiscuous mode while up (tcpdump) adds PROMISCUOUS (0x20) and takes it
# back, as the kernel's driver does from ndo_set_rx_mode
[ "$(nic_filter 0)" = 0xd ] || case_fail "filter of an up NIC: $(nic_filter 0), want 0xd"
in_a $IP link set "$e0" promisc on || case_fail "promisc on"
wait_until 5 eval 'test "$(nic_filter 0)" = 0x2d' ||
	case_fail "promisc on: host filter $(nic_filter 0), want 0x2d"
in_a $IP link set "$e0" promisc off || case_fail "promisc off"
wait_until 5 eval 'test "$(nic_filter 0)" = 0xd' ||
	case_fail "promisc off: host filter $(nic_filter 0), want 0xd"
log "packet filter: up 0xd, promisc 0x2d, back to 0xd"

# unknown unicast from the host port: a frame to 00:00:00:00:00:00 (no
# port's address; no NIC has learned an address yet) reaches no NIC and
# is counted as dropped, as to any other address nobody owns
counter() { sed -n "s/^$1 //p" $N; }
nodest0=$(counter dropped_nodest)
$IP neigh replace 10.9.0.77 lladdr 00:00:00:00:00:00 dev simhost0 nud permanent ||
	case_fail "cannot add a neighbour with a zero address"
ping -c 3 -i 0.2 -W 1 10.9.0.77 >/dev/null 2>&1
$IP neigh del 10.9.0.77 dev simhost0
nodest=$(($(counter dropped_nodest) - nodest0))
[ "$nodest" -ge 3 ] ||
	case_fail "3 frames to 00:00:00:00:00:00: $nodest dropped as unknown unicast: $(grep -v '^chan' $N)"
log "unknown unicast to 00:00:00:00:00:00: $nodest dropped"

dd if=/dev/urandom of=/tmp/big bs=1M count=64 2>/dev/null

pings "mtu 1500" 1500
iperf "mtu 1500"
net_transfer "mtu 1500" 10.9.0.2
log "mtu 1500: ping, iperf3 and 64 MiB transfer done"

echo "link 0 down" >$N
wait_until 10 eval 'test "$(carrier a "$e0")" = 0' || case_fail "link down: $e0 keeps its carrier"
in_b ping -c 2 -W 1 10.9.0.1 >/dev/null 2>&1 && case_fail "link down: $e0 still answers"
echo "link 0 up" >$N
wait_until 10 eval 'test "$(carrier a "$e0")" = 1' || case_fail "link up: $e0 has no carrier"
wait_until 15 in_b ping -c 1 -W 1 10.9.0.1 >/dev/null || case_fail "link up: traffic does not resume"
log "link flap: carrier followed, traffic resumed"

# MAC address change, as the kernel's driver asks the host
# (RNDIS_CONFIG_PARAMETER "NetworkAddress"): 02:... is taken (OpenVMM
# takes a value that starts with a decimal digit), the vswitch learns it
# and traffic flows to the new address; a2:... is refused by the host
# (OpenVMM: INVALID_DATA) and the old address stays; the ring change
# below (a reconnect) keeps the new address
addr_a() { in_a cat "/sys/class/net/$e0/address"; }
flush_neigh() {
	in_a $IP neigh flush dev "$e0"
	in_b $IP neigh flush dev "$e1"
	$IP neigh flush dev simhost0
}
mac1=02:15:5d:53:aa:01
in_a $IP link set "$e0" address $mac1 ||
	case_fail "ip link set address $mac1 failed: $(dmesg | tail -n 3)"
[ "$(addr_a)" = $mac1 ] || case_fail "address after the change: $(addr_a)"
flush_neigh
pings "MAC $mac1" 1500
grep -q "^learned 0 $mac1\$" $N || case_fail "the vswitch did not learn $mac1: $(grep -v '^chan' $N)"
mark_dmesg mac
in_a $IP link set "$e0" address a2:15:5d:53:aa:02 2>/dev/null &&
	case_fail "the host's refusal of a2:15:5d:53:aa:02 was not returned"
[ "$(addr_a)" = $mac1 ] || case_fail "a refused change left $(addr_a), want $mac1"
dmesg_since_mark | grep -q "the host refused MAC address a2:15:5d:53:aa:02 (status 0xc0010015)" ||
	case_fail "no refusal logged: $(dmesg_since_mark | tail -n 3)"
pings "after the refused MAC" 1500
log "MAC: $mac1 taken and switched to, a2:... refused by the host (INVALID_DATA), $mac1 kept"

# ethtool: the driver's name; a ring change (a new connection with other
# buffer sizes, counted in the host's sections) that traffic survives; one
# whose buffer would be below 64 KiB is refused with nothing changed
drv=$(in_a ethtool -i "$e0" | sed -n 's/^driver: //p')
[ "$drv" = hv_netvsc ] || case_fail "ethtool -i: driver '$drv'"
ring() {
	in_a ethtool -g "$e0" | awk -v k="$1:" '/^Current/ { c = 1 } c && $1 == k { print $2; exit }'
}
rx0=$(ring RX)
tx0=$(ring TX)
log "rings: rx $rx0 tx $tx0"
in_a ethtool -G "$e0" rx 2000 tx 100 || case_fail "ethtool -G rx 2000 tx 100 failed"
[ "$(ring RX).$(ring TX)" = 2000.100 ] ||
	case_fail "after -G rx 2000 tx 100: rx $(ring RX) tx $(ring TX)"
wait_until 10 eval 'test "$(carrier a "$e0")" = 1' || case_fail "no carrier after the ring change"
[ "$(addr_a)" = $mac1 ] || case_fail "the reconnect of the ring change lost $mac1: $(addr_a)"
pings "rings 2000/100" 1500
in_a ethtool -G "$e0" rx 10 2>/dev/null && case_fail "ethtool -G rx 10 (a 20 KiB buffer) was taken"
[ "$(ring RX).$(ring TX)" = 2000.100 ] ||
	case_fail "a refused -G changed the rings: rx $(ring RX) tx $(ring TX)"
in_a ethtool -G "$e0" rx "$rx0" tx "$tx0" || case_fail "ethtool -G back to rx $rx0 tx $tx0"
[ "$(ring RX).$(ring TX)" = "$rx0.$tx0" ] ||
	case_fail "back: rx $(ring RX) tx $(ring TX), want $rx0 / $tx0"
log "rings: 2000/100 with traffic, rx 10 refused, back to $rx0/$tx0"

net_check_host
unload_ours
net_cleanup
case_pass
