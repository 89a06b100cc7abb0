#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Profile (not a test, not in make bench's default sections: run by
# `scripts/bench.sh netprofile`).  One TCP stream over two synthetic NICs
# (as 51-net-bench's tcp1 and tcp1-lro), with LRO off then on; during each
# 5 s run: perf record -a in the guest (top kernel symbols and commands),
# TCP state of both ends at 3 s (ss -tie: RTT, cwnd, retransmissions,
# sndbuf/rwnd-limited time, unsent bytes), the NICs' non-zero ethtool -S
# counters and the simulated host's switch counters afterwards.  Lines
# "PROF <lro> ...", "SS <lro> ...", "ETH <lro> <ns> ...", "INFO ..." on the
# harness channel.
# vm: modules=veth,inet_diag,tcp_diag
# vm: bins=/usr/sbin/ip /usr/bin/iperf3 /usr/sbin/ethtool /usr/bin/perf /usr/bin/ss
# vm: timeout=600
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh

RUNTIME=5
require_ko hv_simhost hv_vmbus hv_netvsc
{ load_module inet_diag && load_module tcp_diag; } ||
	case_fail "no inet_diag/tcp_diag: ss would fall back to /proc/net/tcp"
net_load 2
trap net_cleanup EXIT
net_ns_up
net_addr_up 10.52.0
net_wait_carrier 10
wait_until 10 in_a ping -c 1 -W 1 10.52.0.2 >/dev/null || case_fail "no ping"

# each line of file $2 to the channel, prefixed with $1
to_chan() {
	while read -r l; do chan "$1 $l"; done <"$2"
}

for lro in off on; do
	{ in_a ethtool -K "$e0" lro $lro && in_b ethtool -K "$e1" lro $lro; } ||
		case_fail "ethtool -K lro $lro refused"
	in_b iperf3 -s -1 -D -p 5201 >/dev/null 2>&1 || case_fail "iperf3 server"
	net_wait_listen b 5201 || case_fail "iperf3 server not listening"
	perf record -a -o /tmp/perf.data -- sleep $((RUNTIME - 1)) >/dev/null 2>&1 &
	prof=$!
	{ sleep 3; in_a ss -tie; in_b ss -tie; } >/tmp/ss.out 2>/dev/null &
	ssp=$!
	out=$(in_a timeout $((RUNTIME + 30)) iperf3 -c 10.52.0.2 -p 5201 \
		-t $RUNTIME -f m 2>&1) || case_fail "lro $lro: iperf3 failed: $out"
	wait $prof $ssp
	chan "INFO lro $lro: $(echo "$out" | grep receiver)"
	perf report -i /tmp/perf.data --sort sym --stdio 2>/dev/null |
		grep '%' | grep -v '^#' | head -25 >/tmp/prof.out
	to_chan "PROF $lro" /tmp/prof.out
	perf report -i /tmp/perf.data --sort comm --stdio 2>/dev/null |
		grep '%' | grep -v '^#' | head -10 >/tmp/prof.out
	to_chan "COMM $lro" /tmp/prof.out
	grep -v 'cgroup2' /tmp/ss.out >/tmp/ss.f
	to_chan "SS $lro" /tmp/ss.f
	for ns in a b; do
		dev=$e0
		[ $ns = a ] || dev=$e1
		$IP netns exec $ns ethtool -S "$dev" 2>/dev/null |
			awk 'NF == 2 && $2 != 0 && !/statistics/ { printf "%s%s", s, $0; s = " " } END { print "" }' >/tmp/eth.out
		to_chan "ETH $lro $ns" /tmp/eth.out
	done
done
grep -E '^(switched|dropped_[a-z]*|rsc) ' $N >/tmp/host.out
to_chan "INFO host" /tmp/host.out
case_pass
