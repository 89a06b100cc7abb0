#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# XDP on hv_netvsc's synthetic path (issue 12): programs built on the host
# by clang -target bpf (tests/vm/xdp, SKIP when they could not be built or
# the kernel has no bpf())
# attached with iproute2 (libbpf) to NIC a, pinged from NIC b:
#   PASS      traffic flows, no XDP verdict counted
#   DROP      ICMP to a is dropped: b's pings fail, xdp_drop counts them
#   ABORTED   the same, through the exception path
#   TX        the program turns the echo request into the reply and sends
#             it back out of a: b gets answers, xdp_tx counts them and a's
#             stack never sees the requests (Icmp InEchos)
#   REDIRECT  the same reply bpf_redirect()ed to a itself (xdp_do_redirect,
#             ndo_xdp_xmit, xdp_do_flush): xdp_redirect and xdp_xmit count
#   detach    a's stack answers again, the counters stand still
# A program is refused at an MTU above a page's XDP buffer, and an MTU
# change above it is refused while one is attached; the modules unload
# with a program still attached (the harness checks for leaks).
# vm: bins=/usr/sbin/ip /usr/sbin/ethtool
# vm: files=build/vm/xdp/xdp_pass.o:/hvlis/xdp/pass.o
# vm: files=build/vm/xdp/xdp_drop.o:/hvlis/xdp/drop.o
# vm: files=build/vm/xdp/xdp_tx.o:/hvlis/xdp/tx.o
# vm: files=build/vm/xdp/xdp_redirect.o:/hvlis/xdp/redirect.o
# vm: files=build/vm/xdp/xdp_aborted.o:/hvlis/xdp/aborted.o
# vm: timeout=120
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh

X=/hvlis/xdp
# bpf(2) exists (CONFIG_BPF_SYSCALL, which every distribution kernel has)
# where this sysctl does
[ -e /proc/sys/kernel/unprivileged_bpf_disabled ] ||
	case_skip "$(uname -r) has no bpf() system call (CONFIG_BPF_SYSCALL off)"
for p in pass drop tx redirect aborted; do
	# an ELF object, or the text "SKIP: why" (build_xdp_progs)
	[ "$(head -c 4 $X/$p.o | tail -c 3)" = ELF ] ||
		case_skip "XDP program $p not built: $(head -n 1 $X/$p.o | cut -c 1-200)"
done

require_ko hv_simhost hv_vmbus hv_netvsc
net_load 2
net_ns_up
net_addr_up 10.9.0
net_wait_carrier 10

# sum over a's queues of the ethtool -S counter *_$1
xstat() {
	in_a ethtool -S "$e0" | awk -v k="_$1:" 'substr($1, length($1) - length(k) + 1) == k { s += $2 } END { print s + 0 }'
}
# echo requests a's stack answered
in_echos() {
	# shellcheck disable=SC2016 # awk's fields
	in_a awk '$1 == "Icmp:" { if (!c) { for (i = 2; i <= NF; i++) if ($i == "InEchos") c = i } else { print $c; exit } }' /proc/net/snmp
}
attach() {
	out=$(in_a $IP -force link set dev "$e0" xdp obj "$X/$1.o" sec xdp 2>&1) ||
		case_fail "attach $1: $out"
	in_a $IP link show dev "$e0" | grep -q 'prog/xdp' ||
		case_fail "attach $1: ip link shows no XDP program"
}
ping_b() { in_b ping -c "$1" -i 0.2 -W 2 10.9.0.1 >/dev/null 2>&1; }

in_a ethtool -S "$e0" | grep -q rx_queue_0_xdp_drop ||
	case_fail "ethtool -S has no rx_queue_0_xdp_drop"
wait_until 10 ping_b 1 || case_fail "no traffic b -> a before XDP"

# PASS
attach pass
e=$(in_echos)
ping_b 5 || case_fail "PASS: b -> a lost packets"
[ $(($(in_echos) - e)) -ge 5 ] || case_fail "PASS: a's stack answered $(($(in_echos) - e)) of 5"
[ "$(xstat xdp_drop).$(xstat xdp_tx).$(xstat xdp_redirect)" = 0.0.0 ] ||
	case_fail "PASS counted verdicts: drop $(xstat xdp_drop) tx $(xstat xdp_tx) redirect $(xstat xdp_redirect)"
log "PASS: 5 pings through the program"

# dropped VERDICT N: with the program VERDICT attached, N pings of b get
# no answer and a's xdp_drop counts each of them
dropped() {
	attach "$1"
	d=$(xstat xdp_drop)
	ping_b "$2" && case_fail "$1: b -> a still answered"
	[ $(($(xstat xdp_drop) - d)) -ge "$2" ] ||
		case_fail "$1: xdp_drop counted $(($(xstat xdp_drop) - d)) of $2"
	log "$1: pings dropped, xdp_drop +$(($(xstat xdp_drop) - d))"
}
dropped drop 4
# ABORTED: dropped (and traced) as well
dropped aborted 3

# TX: answered by the program
attach tx
t=$(xstat xdp_tx)
e=$(in_echos)
ping_b 5 || case_fail "TX: b got no answers from the program: $(in_a ethtool -S "$e0" | grep -E 'xdp|tx_dropped')"
[ $(($(xstat xdp_tx) - t)) -ge 5 ] || case_fail "TX: xdp_tx counted $(($(xstat xdp_tx) - t)) of 5"
[ "$(in_echos)" = "$e" ] || case_fail "TX: a's stack saw $(($(in_echos) - e)) requests"
log "TX: 5 answers bounced by XDP, xdp_tx +$(($(xstat xdp_tx) - t))"

# REDIRECT to the NIC itself (ndo_xdp_xmit)
attach redirect
r=$(xstat xdp_redirect)
x=$(xstat xdp_xmit)
e=$(in_echos)
ping_b 5 || case_fail "REDIRECT: b got no answers: $(in_a ethtool -S "$e0" | grep -E 'xdp|tx_dropped')"
[ $(($(xstat xdp_redirect) - r)) -ge 5 ] ||
	case_fail "REDIRECT: xdp_redirect counted $(($(xstat xdp_redirect) - r)) of 5"
[ $(($(xstat xdp_xmit) - x)) -ge 5 ] ||
	case_fail "REDIRECT: xdp_xmit counted $(($(xstat xdp_xmit) - x)) of 5"
[ "$(in_echos)" = "$e" ] || case_fail "REDIRECT: a's stack saw $(($(in_echos) - e)) requests"
log "REDIRECT: 5 answers through ndo_xdp_xmit, xdp_redirect +$(($(xstat xdp_redirect) - r))"

# MTU: refused above an XDP buffer while attached
mark_dmesg mtu
in_a $IP link set dev "$e0" mtu 4000 2>/dev/null &&
	case_fail "MTU 4000 taken with an XDP program attached"
[ "$(in_a cat /sys/class/net/"$e0"/mtu)" = 1500 ] || case_fail "refused MTU change left $(in_a cat /sys/class/net/"$e0"/mtu)"
dmesg_since_mark | grep -q "MTU 4000 is above" || case_fail "no MTU refusal logged: $(dmesg_since_mark | tail -n 2)"

# detach: the stack answers, counters stand still
in_a $IP link set dev "$e0" xdp off || case_fail "detach failed"
in_a $IP link show dev "$e0" | grep -q 'prog/xdp' && case_fail "program still attached after xdp off"
s=$(xstat xdp_drop).$(xstat xdp_tx).$(xstat xdp_redirect)
e=$(in_echos)
ping_b 5 || case_fail "after detach: b -> a lost packets"
[ $(($(in_echos) - e)) -ge 5 ] || case_fail "after detach: a's stack answered $(($(in_echos) - e)) of 5"
[ "$(xstat xdp_drop).$(xstat xdp_tx).$(xstat xdp_redirect)" = "$s" ] ||
	case_fail "after detach the XDP counters moved: $s -> $(xstat xdp_drop).$(xstat xdp_tx).$(xstat xdp_redirect)"
log "detach: the stack answers again"

# attach refused above the XDP MTU (extack message)
in_a $IP link set dev "$e0" mtu 4000 || case_fail "MTU 4000 without XDP refused"
out=$(in_a $IP link set dev "$e0" xdp obj "$X/pass.o" sec xdp 2>&1) &&
	case_fail "XDP attached at MTU 4000"
echo "$out" | grep -q "MTU too large for XDP" || case_fail "attach at MTU 4000: no extack message: $out"
in_a $IP link set dev "$e0" mtu 1500 || case_fail "back to MTU 1500"
log "MTU: 4000 refused with a program, a program refused at 4000"

# unload with a program attached
attach drop
net_check_host
net_cleanup
unload_ours || case_fail "modules did not unload with an XDP program attached"
case_pass "PASS, DROP, ABORTED, TX, REDIRECT, detach, MTU refusals"
