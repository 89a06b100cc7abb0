#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# Jumbo frames through the simulated vswitch.  MTU 9000 on both synthetic
# NICs (each a reconnect with a new NDIS config, frame size 9014) and on the
# host port: the host takes the new frame size, full-size pings with DF set
# (-M do -s 8972) go both ways NIC to NIC and to the host port, 8973 bytes
# do not fit, and 8 MiB over TCP arrive intact.  MTU changes (1500, 4000,
# 9000) while a TCP stream is open and being written: all data arrives.
# MTU 68 works, 67 is refused.  Then the host's limit (OpenVMM/vmswitch:
# frame 1514..9216, anything else falls back to 1514): MTU 9202 (frame
# 9216) is taken; MTU 9203 is refused by the driver (the kernel's driver
# would silently take the host's fallback, 1500), which reconnects at the
# MTU it had, and traffic goes on at full size.
# RSC (NVSP 6.1): the host offers it, LRO is off until `ethtool -K lro
# on`; with it on, 8 MiB over TCP from a to b arrive intact as coalesced
# packets (the host's and the driver's RSC counters move), over IPv4 and
# IPv6; a VLAN device on b turns LRO off there and RSC off at the host
# (the kernel's rule for devices under a VLAN); with `lro off`
# they do not; fragment sequences without a first or a last fragment and
# with a short PKTINFO_ID are dropped and counted, and the NIC works on.
# vm: bins=/usr/sbin/ip /usr/bin/ping /usr/sbin/ethtool
# vm: modules=8021q
# vm: timeout=240
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh

require_ko hv_simhost hv_vmbus hv_netvsc
PING=/usr/bin/ping
[ -x $PING ] || case_fail "no iputils ping (ping -M do) in the guest"

net_load 2
net_ns_up
net_addr_up 10.9.4
net_wait_carrier 10

mtu_of() { $IP netns exec "$1" cat "/sys/class/net/$2/mtu"; }
# frame size the host took for NIC $1 (NDIS config mtu, debugfs "nic N ... mtu F")
host_frame() { sed -n "s/^nic $1 .* mtu \([0-9]*\) .*/\1/p" $N; }

set_mtu() {	# NS DEV MTU
	$IP netns exec "$1" $IP link set "$2" mtu "$3"
}

dfping() {	# WHAT SIZE NS(a, b or - for the root) TARGET
	if [ "$3" = - ]; then
		_run=""
	else
		_run="$IP netns exec $3"
	fi
	# shellcheck disable=SC2086 # _run is words
	wait_until 10 $_run $PING -c 1 -W 1 -M "do" -s "$2" "$4" >/dev/null 2>&1 ||
		case_fail "$1: ping -M do -s $2 to $4: no answer: $(cat $N)"
}

jumbo() {	# NS DEV NIC
	set_mtu "$1" "$2" 9000 || case_fail "$2: MTU 9000 refused by the driver"
	[ "$(mtu_of "$1" "$2")" = 9000 ] || case_fail "$2: MTU $(mtu_of "$1" "$2") after setting 9000"
	[ "$(host_frame "$3")" = 9014 ] ||
		case_fail "$2: the host took frame size '$(host_frame "$3")', not 9014: $(cat $N)"
}
jumbo a "$e0" 0
jumbo b "$e1" 1
$IP link set simhost0 mtu 9000 || case_fail "host port: MTU 9000 refused"
net_wait_carrier 20

dfping "a -> b" 8972 a 10.9.4.2
dfping "b -> a" 8972 b 10.9.4.1
dfping "a -> host port" 8972 a 10.9.4.254
dfping "host port -> b" 8972 - 10.9.4.2
in_a $PING -c 1 -W 1 -M "do" -s 8973 10.9.4.2 >/dev/null 2>&1 &&
	case_fail "a 9001-byte packet with DF set went out of an MTU 9000 NIC"
log "mtu 9000: DF pings of 9000 bytes both ways and to the host port"

# TCP from a to b with busybox nc.  The server's stdin is a FIFO this
# shell keeps open (fd 3), or its EOF would end the connection early; the
# client's stdin is FIFO /tmp/jsend, fed from fd 4, so that the connection
# stays open as long as this shell wants.
dd if=/dev/urandom of=/tmp/jumbo bs=1M count=8 2>/dev/null
sum=$(sha256sum </tmp/jumbo)

tcp_start() {	# PORT [ADDRESS of b]: server in b, client in a, fd 4 feeds the client
	rm -f /tmp/jrecv /tmp/jfifo /tmp/jsend
	mkfifo /tmp/jfifo /tmp/jsend
	exec 3<>/tmp/jfifo
	in_b nc -l -p "$1" </tmp/jfifo >/tmp/jrecv &
	srv=$!
	net_wait_listen b "$1" || case_fail "nc server not listening on $1"
	in_a timeout 90 nc "${2:-10.9.4.2}" "$1" </tmp/jsend >/dev/null &
	cli=$!
	exec 4>/tmp/jsend
}

tcp_end() {	# WHAT: close the client's input, check what b received
	exec 4>&-
	wait "$cli" || case_fail "$1: nc client failed: $(cat $N)"
	wait_until 20 eval 'test "$(stat -c %s /tmp/jrecv 2>/dev/null)" = $((8 << 20))' ||
		case_fail "$1: received $(stat -c %s /tmp/jrecv 2>/dev/null) of $((8 << 20)) bytes"
	exec 3>&-
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	[ "$(sha256sum </tmp/jrecv)" = "$sum" ] || case_fail "$1: sha256 of the received data differs"
	rm -f /tmp/jrecv /tmp/jfifo /tmp/jsend
}

tcp_start 5002
cat /tmp/jumbo >&4
tcp_end "mtu 9000"
log "mtu 9000: 8 MiB over TCP intact"

# MTU changes under traffic: the connection is open and the data is being
# written while e0 reconnects at 1500, 4000 and 9000 (a new NDIS config
# each time); everything arrives, and full-size frames flow afterwards.
tcp_start 5003
dd if=/tmp/jumbo bs=1M count=2 >&4 2>/dev/null
k=2
for m in 1500 4000 9000; do
	# the next 2 MiB are written while the NIC reconnects
	dd if=/tmp/jumbo bs=1M skip=$k count=2 >&4 2>/dev/null &
	wr=$!
	log "MTU $m with $(stat -c %s /tmp/jrecv) bytes received so far"
	set_mtu a "$e0" $m || case_fail "MTU $m under traffic refused"
	[ "$(host_frame 0)" = $((m + 14)) ] ||
		case_fail "MTU $m under traffic: the host has frame size '$(host_frame 0)': $(cat $N)"
	wait "$wr" || case_fail "under MTU changes: writing to the nc client failed"
	k=$((k + 2))
done
tcp_end "under MTU changes"
net_wait_carrier 20
dfping "a -> b after MTU changes under traffic" 8972 a 10.9.4.2
log "MTU 1500 -> 4000 -> 9000 under TCP traffic: 8 MiB intact, NIC working"

# the smallest MTU (IPv4's 68; the host falls back to its default frame)
set_mtu a "$e0" 68 || case_fail "$e0: MTU 68 refused"
[ "$(mtu_of a "$e0")" = 68 ] || case_fail "$e0: MTU $(mtu_of a "$e0") after setting 68"
dfping "a -> b at MTU 68" 40 a 10.9.4.2
in_a $PING -c 1 -W 1 -M "do" -s 41 10.9.4.2 >/dev/null 2>&1 &&
	case_fail "a 69-byte packet with DF set went out of an MTU 68 NIC"
set_mtu a "$e0" 67 2>/dev/null && case_fail "$e0: MTU 67 accepted"
[ "$(mtu_of a "$e0")" = 68 ] || case_fail "$e0: MTU $(mtu_of a "$e0") after refusing 67"
log "MTU 68 works, 67 refused"

# the host's limit: frame 9216 is the largest it takes
set_mtu a "$e0" 9202 || case_fail "$e0: MTU 9202 (frame 9216, the host's maximum) refused"
[ "$(host_frame 0)" = 9216 ] || case_fail "MTU 9202: the host took frame size '$(host_frame 0)': $(cat $N)"
mark_dmesg over
set_mtu a "$e0" 9203 2>/dev/null && case_fail "$e0: MTU 9203 accepted; the host allows 9202"
[ "$(mtu_of a "$e0")" = 9202 ] || case_fail "$e0: MTU $(mtu_of a "$e0") after the refused change, not 9202"
dmesg_since_mark | grep -q "MTU 9203 is above what the host takes" ||
	case_fail "no log line for the refused MTU: $(dmesg_since_mark | tail -5)"
[ "$(host_frame 0)" = 9216 ] || case_fail "after the refused change the host has frame size '$(host_frame 0)', not 9216"
net_wait_carrier 20
dfping "a -> b after the refused MTU" 8972 a 10.9.4.2
log "MTU 9203 refused, reconnected at 9202, traffic goes on"

# RSC: coalesced receive on NIC 1 (b), whose traffic from a comes as
# LSO sends the host hands over whole, as fragments
set_mtu a "$e0" 1500 || case_fail "MTU 1500 refused"
set_mtu b "$e1" 1500 || case_fail "MTU 1500 refused"
net_wait_carrier 20
gstat() { in_b ethtool -S "$e1" | awk -v k="$1:" '$1 == k { print $2 }'; }
lro() { in_b ethtool -k "$e1" | awk '/^large-receive-offload:/ { print $2 }'; }
host_rsc() { sed -n "s/^rsc 1 .* packets \([0-9]*\) .*/\1/p" $N; }
fault_left() { sed -n "s/^faults.* $1 \([0-9]*\).*/\1/p" $N; }
# IPv4 header checksum errors in b (IpExt InCsumErrors): a coalesced
# packet whose stale header checksum the driver did not compute is one
csum_errs() {
	# shellcheck disable=SC2016 # awk's own variables
	in_b awk '/^IpExt:/ { if (!h) { for (i = 1; i <= NF; i++)
		if ($i == "InCsumErrors") c = i; h = 1 } else print $c }' /proc/net/netstat
}
ce0=$(csum_errs)
grep -q '^rsc 1 ip4 off ip6 off' $N || case_fail "RSC not offered to NIC 1, or on before lro on: $(cat $N)"
[ "$(lro)" = off ] || case_fail "LRO is '$(lro)' before ethtool -K lro on"
in_b ethtool -K "$e1" lro on || case_fail "ethtool -K lro on failed: $(dmesg | tail -n 3)"
[ "$(lro)" = on ] || case_fail "LRO is '$(lro)' after ethtool -K lro on"
grep -q '^rsc 1 ip4 on ip6 on' $N || case_fail "the host did not get RSC on: $(grep '^rsc' $N)"
# rsc_mark, then rsc_moved WHAT: the guest's and the host's RSC counters
# moved, each packet had more than one fragment, nothing was dropped, no
# IPv4 header checksum error; or rsc_still WHAT: no counter moved
rsc_mark() { p0=$(gstat rx_rsc_packets) f0=$(gstat rx_rsc_frags) h0=$(host_rsc); }
rsc_moved() {
	p1=$(gstat rx_rsc_packets) f1=$(gstat rx_rsc_frags) h1=$(host_rsc)
	{ [ "$p1" -gt "$p0" ] && [ "$h1" -gt "$h0" ]; } ||
		case_fail "$1: no coalesced packets (guest $p0 -> $p1, host $h0 -> $h1)"
	[ $((f1 - f0)) -gt $((p1 - p0)) ] ||
		case_fail "$1: $((p1 - p0)) packets of $((f1 - f0)) fragments"
	[ "$(gstat rx_rsc_dropped)" = 0 ] || case_fail "$1: $(gstat rx_rsc_dropped) dropped"
	[ "$(csum_errs)" = "$ce0" ] ||
		case_fail "$1: IPv4 header checksum errors in b: $ce0 -> $(csum_errs)"
	log "$1: 8 MiB intact, $((p1 - p0)) coalesced packets of $((f1 - f0)) fragments (host $((h1 - h0)))"
}
rsc_still() {
	{ [ "$(gstat rx_rsc_packets)" = "$p0" ] && [ "$(host_rsc)" = "$h0" ]; } ||
		case_fail "$1: RSC counters moved (guest $p0 -> $(gstat rx_rsc_packets), host $h0 -> $(host_rsc))"
}
rsc_mark
tcp_start 5004
cat /tmp/jumbo >&4
tcp_end "RSC on"
rsc_moved "RSC on"

# over IPv6 (the host coalesces TCP over IPv6 too: rsc ip6 on)
in_a $IP addr add fd00:41::1/64 dev "$e0" nodad || case_fail "no IPv6 address on $e0"
in_b $IP addr add fd00:41::2/64 dev "$e1" nodad || case_fail "no IPv6 address on $e1"
wait_until 10 in_a ping -6 -c 1 -W 1 fd00:41::2 >/dev/null || case_fail "RSC IPv6: no ping"
rsc_mark
tcp_start 5007 fd00:41::2
cat /tmp/jumbo >&4
tcp_end "RSC on, IPv6"
rsc_moved "RSC on, IPv6"
# a VLAN device on b: the kernel turns LRO off on the device under it (a
# VLAN device has no LRO: NETIF_F_UPPER_DISABLES), for this driver as for
# the kernel's, and the driver turns RSC off at the host; tagged traffic
# then arrives as plain frames
load_module 8021q || case_fail "8021q did not load"
in_a $IP link add link "$e0" name v41 type vlan id 41 || case_fail "no VLAN on $e0"
in_b $IP link add link "$e1" name v41 type vlan id 41 || case_fail "no VLAN on $e1"
if ! { in_a $IP addr add 10.41.0.1/24 dev v41 && in_a $IP link set v41 up &&
	in_b $IP addr add 10.41.0.2/24 dev v41 && in_b $IP link set v41 up; }; then
	case_fail "VLAN 41 does not come up"
fi
[ "$(lro)" = off ] || case_fail "LRO is '$(lro)' under a VLAN device"
grep -q '^rsc 1 ip4 off ip6 off' $N ||
	case_fail "VLAN device on b: the host did not get RSC off: $(grep '^rsc' $N)"
wait_until 10 in_a ping -c 1 -W 1 10.41.0.2 >/dev/null || case_fail "VLAN 41: no ping"
rsc_mark
tcp_start 5008 10.41.0.2
cat /tmp/jumbo >&4
tcp_end "VLAN 41"
rsc_still "VLAN 41 (LRO off)"
log "VLAN device on b: LRO off, host RSC off, 8 MiB intact over VLAN 41"
in_a $IP link del v41
in_b $IP link del v41

in_b ethtool -K "$e1" lro off || case_fail "ethtool -K lro off failed"
grep -q '^rsc 1 ip4 off ip6 off' $N || case_fail "the host did not get RSC off: $(grep '^rsc' $N)"
rsc_mark
tcp_start 5005
cat /tmp/jumbo >&4
tcp_end "RSC off"
rsc_still "RSC off"
log "RSC off: 8 MiB intact, no coalesced packet"

in_b ethtool -K "$e1" lro on || case_fail "ethtool -K lro on (again) failed"
mark_dmesg rsc
for f in rsc_no_first rsc_no_last rsc_size; do
	d0=$(gstat rx_rsc_dropped) b0=$(gstat err_bad_rndis)
	echo "fault $f 2" >$N || case_fail "cannot arm $f"
	tcp_start 5006
	cat /tmp/jumbo >&4
	tcp_end "fault $f"
	[ "$(fault_left $f)" = 0 ] || case_fail "fault $f not used: $(grep '^faults' $N)"
	d1=$(gstat rx_rsc_dropped) b1=$(gstat err_bad_rndis)
	[ "$d1" -gt "$d0" ] || case_fail "fault $f: rx_rsc_dropped $d0 -> $d1"
	[ "$f" != rsc_size ] || [ "$b1" -gt "$b0" ] ||
		case_fail "fault $f: err_bad_rndis $b0 -> $b1"
	log "fault $f: rx_rsc_dropped $d0 -> $d1, err_bad_rndis $b0 -> $b1, 8 MiB intact"
done
dmesg_since_mark | grep -q 'RSC' || case_fail "no log line for the dropped RSC packets"
[ "$(csum_errs)" = "$ce0" ] ||
	case_fail "IPv4 header checksum errors in b: $ce0 -> $(csum_errs)"
dfping "a -> b after the RSC faults" 1472 a 10.9.4.2
in_b ethtool -K "$e1" lro off || case_fail "ethtool -K lro off (end) failed"

net_check_host
unload_ours
net_cleanup
case_pass
