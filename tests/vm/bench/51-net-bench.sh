#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Benchmark (not a test: make bench runs it through scripts/bench.sh, bench_net).
# One boot: two synthetic NICs in namespaces a and b (the simulated host's
# NetVSP switches between them) against a veth pair between namespaces c
# and d, the same VM, the same MTU (1500) and offload defaults.  Jobs, run
# on both paths in alternation (the order swapped every round), ROUNDS
# rounds of RUNTIME s each:
#   tcp1   iperf3 TCP, one stream
#   tcp4   iperf3 TCP, four streams (-P 4)
#   udp64  iperf3 UDP, 64-byte datagrams, no rate limit (-b 0)
#   tcp1-lro  tcp1 with LRO on on both synthetic NICs (the host coalesces:
#          RSC), the kernel's driver's default; ours is off (src/netvsc/README)
# Lines "BENCH net <job> <synthetic|veth> <round> <receiver Mbit/s>" on
# the harness channel.  The simulated host runs on the guest's vCPUs: the
# synthetic figure includes its switching, as the storage one does.
# vm: modules=veth
# vm: bins=/usr/sbin/ip /usr/bin/iperf3 /usr/sbin/ethtool
# vm: timeout=900
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh

ROUNDS=3
RUNTIME=3
require_ko hv_simhost hv_vmbus hv_netvsc
in_c() { $IP netns exec c "$@"; }
in_d() { $IP netns exec d "$@"; }
# shellcheck disable=SC2317 # the EXIT trap
bench_cleanup() {
	$IP netns del c 2>/dev/null
	$IP netns del d 2>/dev/null
	net_cleanup
}

net_load 2
trap bench_cleanup EXIT
net_ns_up
net_addr_up 10.51.0
net_wait_carrier 10
load_module veth || case_fail "veth did not load"
{ $IP netns add c && $IP netns add d; } || case_fail "ip netns add failed"
$IP link add vc netns c type veth peer name vd netns d ||
	case_fail "no veth pair"
in_c $IP link set lo up
in_d $IP link set lo up
in_c $IP addr add 10.52.0.1/24 dev vc
in_d $IP addr add 10.52.0.2/24 dev vd
{ in_c $IP link set vc up && in_d $IP link set vd up; } || case_fail "veth does not come up"
wait_until 10 in_a ping -c 1 -W 1 10.51.0.2 >/dev/null || case_fail "synthetic: no ping"
wait_until 10 in_c ping -c 1 -W 1 10.52.0.2 >/dev/null || case_fail "veth: no ping"
chan "INFO synthetic: $(in_a ethtool -l "$e0" 2>/dev/null | awk '/Combined/ { c = $2 } END { print c }') channels, MTU $(in_a cat "/sys/class/net/$e0/mtu"); veth MTU $(in_c cat /sys/class/net/vc/mtu)"

# one_iperf JOB PATH ROUND: the server in the second namespace of PATH,
# the client in the first
one_iperf() {
	if [ "$2" = synthetic ]; then
		cli=a srv=b ip=10.51.0.2
	else
		cli=c srv=d ip=10.52.0.2
	fi
	lro=off
	case $1 in
	tcp1) opt='' ;;
	tcp1-lro) opt='' lro=on ;;
	tcp4) opt="-P 4" ;;
	udp64) opt="-u -l 64 -b 0" ;;
	esac
	if [ "$2" = synthetic ]; then
		{ in_a ethtool -K "$e0" lro $lro && in_b ethtool -K "$e1" lro $lro; } ||
			case_fail "$1: ethtool -K lro $lro refused"
	fi
	$IP netns exec $srv iperf3 -s -1 -D -p 5201 >/dev/null 2>&1 ||
		case_fail "$1 $2: iperf3 server"
	net_wait_listen $srv 5201 || case_fail "$1 $2: iperf3 server not listening"
	# shellcheck disable=SC2086 # $opt: options, split on purpose
	out=$($IP netns exec $cli timeout $((RUNTIME + 30)) \
		iperf3 -c $ip -p 5201 -t $RUNTIME -f m $opt 2>&1) ||
		case_fail "$1 $2: iperf3 failed: $(echo "$out" | tail -n 3)"
	# the receiver's total: the [SUM] line with several streams
	v=$(echo "$out" | awk '/receiver/ { m = ""
		for (i = 2; i <= NF; i++) if ($i == "Mbits/sec") m = $(i - 1)
		if (/SUM/) sum = m; else one = m }
		END { print (sum != "" ? sum : one) }')
	[ -n "$v" ] || case_fail "$1 $2: no receiver figure: $(echo "$out" | tail -n 3)"
	chan "BENCH net $1 $2 $3 $v"
}

round=1
while [ $round -le $ROUNDS ]; do
	for job in tcp1 tcp4 udp64 tcp1-lro; do
		if [ $((round % 2)) = 1 ]; then
			one_iperf $job veth $round
			one_iperf $job synthetic $round
		else
			one_iperf $job synthetic $round
			one_iperf $job veth $round
		fi
	done
	round=$((round + 1))
done
net_check_host
chan "INFO host RSC: $(grep '^rsc' $N | tr '\n' ';')"
grep -v '^chan' $N | sed 's/^/netvsp: /'
case_pass
