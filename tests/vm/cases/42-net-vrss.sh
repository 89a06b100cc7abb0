#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# vRSS: the host offers 4 receive queues (netvsp_queues=4).  ethtool -l
# shows them; -L combined 4 opens 3 sub-channels and gives the host RSS
# parameters (40-byte key, 128-entry table over queues 0..3) and the host
# sends its send indirection table; iperf3 with 8 TCP streams between the
# two NICs uses several channels on the host (debugfs per-channel counts)
# and several queues in the guest (ethtool -S tx_queue_N / rx_queue_N);
# a sha256-checked transfer; ethtool -x shows the table and key the
# host has, -X equal 1 puts every flow on queue 0 and equal 4 spreads
# them again, -X hkey reaches the host, a -X weight table survives -L
# where valid, ICMP follows the table (IPv4 address-pair hash);
# -L 1 -> 4 -> 2 round trip (host channels
# and table follow), 0 and 5 refused with the setting kept; a host that
# refuses the RSS parameters leaves one working queue; a
# sub-channel rescinded by the host under traffic: its queue is dropped,
# the RSS table leaves it out, traffic goes on; the whole NIC 0 rescinded
# (sub-channels first): removed, NIC 1 unaffected; unload.
# vm: bins=/usr/sbin/ip /usr/bin/iperf3 /usr/sbin/ethtool
# vm: timeout=420
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh

require_ko hv_simhost hv_vmbus hv_netvsc
net_load 2 netvsp_queues=4
net_check_nics
net_ns_up
net_addr_up 10.11.0
net_wait_carrier 10

# chans NS DEV max|cur: ethtool -l's combined count
chans() {
	$IP netns exec "$1" ethtool -l "$2" | awk -v w="$3" '
		/^Pre-set/ { s = "max" } /^Current/ { s = "cur" }
		$1 == "Combined:" && s == w { print $2; exit }'
}
# host view of NIC $1: open channels, per-channel receive frames
host_open() { grep -c "^chan $1\.[0-9]* relid [0-9]* open 1 " $N; }
host_rx() { awk -v c="$1.$2" '$1 == "chan" && $2 == c { print $8 }' $N; }
# frames the host received from NIC N on its channel Q
host_tx() { awk -v c="$1.$2" '$1 == "chan" && $2 == c { print $10 }' $N; }
host_relid() { awk -v c="$1.$2" '$1 == "chan" && $2 == c { print $4 }' $N; }
host_table() { awk -v n="$1" '$1 == "rss_table" && $2 == n {
		for (i = 3; i <= NF; i++) print $i }' $N | sort -u | tr '\n' ' '; }
host_key() { awk -v n="$1" '$1 == "rss_key" && $2 == n { print $3 }' $N; }
# the guest's per-queue counter KIND (tx|rx) of queue Q
qstat() {
	$IP netns exec "$1" ethtool -S "$2" |
		awk -v k="$3_queue_$4_packets:" '$1 == k { print $2 }'
}
# how many of queues 0..3 counted more than 50 packets since "before"
busy_queues() {
	_n=0
	for _q in 0 1 2 3; do
		_v=$(qstat "$1" "$2" "$3" $_q)
		_b=$(eval echo "\${before_$3_$_q:-0}")
		[ "$((${_v:-0} - _b))" -gt 50 ] && _n=$((_n + 1))
	done
	echo $_n
}
snap() {
	for _q in 0 1 2 3; do
		eval "before_tx_$_q=$(qstat a "$e0" tx $_q)"
		eval "before_rx_$_q=$(qstat b "$e1" rx $_q)"
	done
}
set_chans() {
	$IP netns exec "$1" ethtool -L "$2" combined "$3" ||
		case_fail "ethtool -L $2 combined $3 failed: $(dmesg | tail -n 5)"
	[ "$(chans "$1" "$2" cur)" = "$3" ] ||
		case_fail "after -L combined $3: $2 has $(chans "$1" "$2" cur)"
	# eval runs inside wait_until: its $1 and $2 are not ours
	_cns=$1 _cdev=$2
	wait_until 10 eval 'test "$(carrier "$_cns" "$_cdev")" = 1' ||
		case_fail "$2: no carrier after -L $3"
}
pings() {
	wait_until 15 in_a ping -c 1 -W 1 10.11.0.2 >/dev/null ||
		case_fail "$1: a -> b: no answer: $(cat $N)"
	in_b ping -c 3 -W 2 10.11.0.1 >/dev/null || case_fail "$1: b -> a"
}
iperf_p8() {
	in_b iperf3 -s -1 -D -p 5201 >/dev/null 2>&1 || case_fail "$1: iperf3 server"
	net_wait_listen b 5201 || case_fail "$1: iperf3 server not listening"
	out=$(in_a timeout 90 iperf3 -c 10.11.0.2 -p 5201 -P 8 -t "$2" 2>&1) ||
		case_fail "$1: iperf3 -P 8 failed: $out"
	log "$1: TCP x8 $(echo "$out" | grep 'SUM.*receiver' | awk '{print $6, $7}')"
}

# the host's 4 queues are the maximum; the default is the stack's default
# RSS queue count within it (2 vCPUs here)
[ "$(chans a "$e0" max)" = 4 ] || case_fail "ethtool -l max combined $(chans a "$e0" max), want 4"
def=$(chans a "$e0" cur)
if [ "$def" -lt 2 ] || [ "$def" -gt 4 ]; then
	case_fail "default combined $def, want 2..4"
fi
[ "$(host_open 0)" = "$def" ] || case_fail "host: $(host_open 0) channels of NIC 0 open, want $def: $(cat $N)"
log "channels: max 4, default $def"

set_chans a "$e0" 4
set_chans b "$e1" 4
for n in 0 1; do
	[ "$(host_open $n)" = 4 ] || case_fail "host: NIC $n has $(host_open $n) channels open, want 4: $(cat $N)"
	[ "$(host_table $n)" = "0 1 2 3 " ] ||
		case_fail "host: NIC $n RSS table '$(host_table $n)', want queues 0..3: $(cat $N)"
	[ "$(host_key $n | wc -c)" = 81 ] || case_fail "host: NIC $n RSS key '$(host_key $n)'"
	grep -Eq "^send_tables $n [1-9]" $N || case_fail "host: no send table sent to NIC $n: $(cat $N)"
done
log "combined 4: 4 channels per NIC on the host, RSS key and table over 0..3, send table sent"

dd if=/dev/urandom of=/tmp/big bs=1M count=16 2>/dev/null

snap
iperf_p8 "4 queues" 6
rxch=0
for q in 0 1 2 3; do
	[ "$(host_rx 1 $q)" -gt 100 ] && rxch=$((rxch + 1))
done
[ "$rxch" -ge 2 ] || case_fail "host: receive traffic of NIC 1 on $rxch channel(s): $(grep '^chan' $N)"
# what a sent went out on several channels (the guest's queue counters
# count the stack's queue, not the channel a frame took)
txch=0
for q in 0 1 2 3; do
	[ "$(host_tx 0 $q)" -gt 100 ] && txch=$((txch + 1))
done
[ "$txch" -ge 2 ] || case_fail "host: NIC 0 sent on $txch channel(s): $(grep '^chan' $N)"
txq=$(busy_queues a "$e0" tx)
rxq=$(busy_queues b "$e1" rx)
[ "$txq" -ge 2 ] || case_fail "guest: a sent on $txq queue(s): $(in_a ethtool -S "$e0" | grep queue)"
[ "$rxq" -ge 2 ] || case_fail "guest: b received on $rxq queue(s): $(in_b ethtool -S "$e1" | grep queue)"
log "iperf3 -P 8: host delivered on $rxch channels of NIC 1, took NIC 0's frames on $txch; a sent on $txq queues, b received on $rxq"
net_transfer "4 queues" 10.11.0.2
log "4 queues: 16 MiB transfer, sha256 matches"

# ethtool -x/-X on NIC 1 (the receiver): the table and key ethtool shows
# are what the host got (debugfs rss_table/rss_key) and steers by;
# -X equal 1: every flow arrives on queue 0; equal 4 spreads them again;
# a new hkey reaches the host
gtable() {
	in_b ethtool -x "$e1" | awk '/^ *[0-9]+:/ {
		for (i = 2; i <= NF; i++) print $i }' | sort -u | tr '\n' ' '
}
gkey() { in_b ethtool -x "$e1" | awk '/^RSS hash key:/ { getline; print; exit }' | tr -d ':'; }
rx_now() { for _q in 0 1 2 3; do printf '%s ' "$(host_rx 1 $_q)"; done; }
set_table() {
	in_b ethtool -X "$e1" "$@" || case_fail "ethtool -X $*: $(dmesg | tail -n 3)"
}
[ "$(gtable)" = "0 1 2 3 " ] || case_fail "ethtool -x table '$(gtable)', want 0..3"
[ "$(gkey)" = "$(host_key 1)" ] || case_fail "ethtool -x key $(gkey), host has $(host_key 1)"
set_table equal 1
[ "$(gtable)" = "0 " ] || case_fail "after -X equal 1: ethtool -x '$(gtable)'"
[ "$(host_table 1)" = "0 " ] || case_fail "after -X equal 1: host table '$(host_table 1)'"
snap
h0=$(rx_now)
iperf_p8 "-X equal 1" 4
h1=$(rx_now)
rxq=$(busy_queues b "$e1" rx)
q0=$(qstat b "$e1" rx 0)
q0b=$(eval echo "\$before_rx_0")
if [ "$rxq" != 1 ] || [ "$((q0 - q0b))" -le 50 ]; then
	case_fail "-X equal 1: b received on $rxq queue(s): $(in_b ethtool -S "$e1" | grep 'rx_queue')"
fi
# shellcheck disable=SC2086 # the four counts, one per word
set -- $h0
for q in 1 2 3; do
	shift
	[ "$(host_rx 1 $q)" = "$1" ] ||
		case_fail "-X equal 1: the host delivered on channel $q ($h0-> $h1)"
done
log "-X equal 1: 8 TCP flows all on queue 0 (host channels rx $h0-> $h1)"
set_table equal 4
[ "$(host_table 1)" = "0 1 2 3 " ] || case_fail "after -X equal 4: host table '$(host_table 1)'"
snap
iperf_p8 "-X equal 4" 4
rxq=$(busy_queues b "$e1" rx)
[ "$rxq" -ge 2 ] || case_fail "-X equal 4: b received on $rxq queue(s)"
key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627
set_table hkey "$(echo $key | sed 's/../&:/g; s/:$//')"
[ "$(gkey)" = $key ] || case_fail "after -X hkey: ethtool -x key $(gkey)"
[ "$(host_key 1)" = $key ] || case_fail "after -X hkey: host key $(host_key 1)"
pings "new hkey"
log "-X equal 4: received on $rxq queues; hkey: ethtool -x and the host have the new key"
# a configured table outlives -L where it stays valid; -L below what it
# names is refused (ethtool core); -X default spreads again
set_table weight 0 1 1
[ "$(host_table 1)" = "1 2 " ] || case_fail "-X weight 0 1 1: host table '$(host_table 1)'"
set_chans b "$e1" 3
[ "$(gtable)" = "1 2 " ] || case_fail "-L 3 changed the configured table to '$(gtable)'"
[ "$(host_table 1)" = "1 2 " ] || case_fail "-L 3: host table '$(host_table 1)'"
in_b ethtool -L "$e1" combined 2 2>/dev/null && case_fail "-L 2 taken with a table naming queue 2"
pings "table 1 2 over 3 queues"
set_chans b "$e1" 4
set_table default
[ "$(host_table 1)" = "0 1 2 3 " ] || case_fail "-X default: host table '$(host_table 1)'"
log "-X weight 0 1 1 kept across -L 3 and 4, -L 2 refused, -X default spreads over 0..3"
# not only TCP is hashed: the guest asks for IPv4/IPv6 too, so ICMP
# (the address pair) follows the table: every entry on queue 1
set_table weight 0 1
gq=$(qstat b "$e1" rx 1)
hq=$(host_rx 1 1)
in_a ping -c 20 -i 0.05 -W 2 10.11.0.2 >/dev/null || case_fail "-X weight 0 1: pings lost"
gq=$(($(qstat b "$e1" rx 1) - gq))
hq=$(($(host_rx 1 1) - hq))
if [ "$gq" -lt 20 ] || [ "$hq" -lt 20 ]; then
	case_fail "-X weight 0 1: 20 pings, $gq received on queue 1, host delivered $hq on channel 1"
fi
set_table default
log "-X weight 0 1: 20 ICMP echo requests on queue 1 ($gq, host $hq)"

# -L round trip on NIC 1: 1 -> 4 -> 2, the host's channels and table follow
set_chans b "$e1" 1
[ "$(host_open 1)" = 1 ] || case_fail "combined 1: host has $(host_open 1) channels of NIC 1 open"
pings "combined 1"
set_chans b "$e1" 4
[ "$(host_open 1)" = 4 ] || case_fail "combined 4 again: host has $(host_open 1) channels open"
pings "combined 4 again"
set_chans b "$e1" 2
[ "$(host_open 1)" = 2 ] || case_fail "combined 2: host has $(host_open 1) channels open"
[ "$(host_table 1)" = "0 1 " ] || case_fail "combined 2: host RSS table '$(host_table 1)'"
pings "combined 2"
for bad in 0 5; do
	in_b ethtool -L "$e1" combined $bad 2>/dev/null &&
		case_fail "ethtool -L combined $bad was taken"
	[ "$(chans b "$e1" cur)" = 2 ] ||
		case_fail "a refused -L combined $bad changed the count to $(chans b "$e1" cur)"
done
[ "$(host_open 1)" = 2 ] || case_fail "refused -L: host has $(host_open 1) channels open"
pings "after refused -L"
log "combined 1 -> 4 -> 2 with traffic; 0 and 5 refused (by the ethtool core), 2 kept"

# a host that refuses the RSS parameters: one queue, not a NIC gone (as
# the kernel's driver; it used to fail the reconnect); a configured table
# naming queue 1 is spread evenly again (all 0) on that one queue
set_table weight 0 1
echo "fault rss_refuse 1" >$N || case_fail "fault rss_refuse"
mark_dmesg rss_refuse
in_b ethtool -L "$e1" combined 4 ||
	case_fail "-L 4 with the RSS parameters refused failed: $(dmesg_since_mark | tail -n 3)"
[ "$(chans b "$e1" cur)" = 1 ] ||
	case_fail "RSS parameters refused: $e1 has $(chans b "$e1" cur) queues, want 1"
[ "$(host_open 1)" = 1 ] ||
	case_fail "RSS parameters refused: host has $(host_open 1) channels of NIC 1 open, want 1"
dmesg_since_mark | grep -q "host refused RSS parameters for 4 queues .*: one queue" ||
	case_fail "RSS parameters refused: no log line: $(dmesg_since_mark | tail -n 3)"
dmesg_since_mark | grep -q "RSS table names queues beyond the 1 of this connection" ||
	case_fail "RSS parameters refused: the table naming queue 1 was not reset: $(dmesg_since_mark | tail -n 3)"
[ "$(gtable)" = "0 " ] || case_fail "RSS parameters refused: ethtool -x '$(gtable)', want 0"
wait_until 10 eval 'test "$(carrier b "$e1")" = 1' || case_fail "$e1: no carrier after the refused RSS parameters"
pings "RSS parameters refused"
set_chans b "$e1" 2
log "RSS parameters refused by the host: one queue, traffic flows"

# a sub-channel rescinded by the host while iperf3 runs
set_chans b "$e1" 4
relid=$(host_relid 1 2)
[ -n "$relid" ] || case_fail "no relid for sub-channel 2 of NIC 1: $(cat $N)"
mark_dmesg rescind
in_b iperf3 -s -1 -D -p 5201 >/dev/null 2>&1 || case_fail "rescind: iperf3 server"
net_wait_listen b 5201 || case_fail "rescind: iperf3 server not listening"
in_a timeout 90 iperf3 -c 10.11.0.2 -p 5201 -P 8 -t 8 >/tmp/iperf.out 2>&1 &
cli=$!
sleep 3
echo "$relid" >/sys/kernel/debug/hv_simhost/rescind ||
	case_fail "cannot rescind relid $relid"
wait $cli || case_fail "iperf3 across the rescind failed: $(cat /tmp/iperf.out)"
log "rescind: TCP x8 $(grep 'SUM.*receiver' /tmp/iperf.out | awk '{print $6, $7}')"
dmesg_since_mark | grep -q "sub-channel 2 rescinded by the host" ||
	case_fail "no rescind message from hv_netvsc: $(dmesg_since_mark | tail -n 5)"
[ "$(host_open 1)" = 3 ] || case_fail "after the rescind: host has $(host_open 1) channels open"
wait_until 10 eval 'test "$(host_table 1)" = "0 1 3 "' ||
	case_fail "after the rescind: host RSS table '$(host_table 1)', want 0 1 3"
pings "after the rescind"
net_transfer "after the rescind" 10.11.0.2
log "sub-channel 2 rescinded under traffic: queue dropped, RSS table 0 1 3, transfer ok"

# the host removes NIC 0 with its 2 sub-channels (they are rescinded
# first): the netdev goes away, NIC 1 keeps working
relid=$(host_relid 0 0)
[ -n "$relid" ] || case_fail "no relid for NIC 0: $(cat $N)"
echo "$relid" >/sys/kernel/debug/hv_simhost/rescind ||
	case_fail "cannot rescind relid $relid"
# quickly: nothing may wait for the host that is gone (a request left
# waiting took 10 s, the request timeout)
wait_until 6 test ! -e "/sys/bus/vmbus/devices/$nic0" ||
	case_fail "NIC 0 still there 6 s after its rescind: $(dmesg | tail -n 8)"
in_b ping -c 3 -W 2 10.11.0.254 >/dev/null || case_fail "b -> host port after NIC 0 went"
log "NIC 0 rescinded with its sub-channels: removed, NIC 1 still works"

net_check_host
unload_ours
net_cleanup
case_pass
