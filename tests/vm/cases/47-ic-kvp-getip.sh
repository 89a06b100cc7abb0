#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# KVP GET_IP_INFO (the host asks for a NIC's IP configuration) with Debian's
# hv_kvp_daemon, two synthetic NICs.  The daemon runs Debian's own
# /usr/libexec/hypervkvpd/hv_get_dns_info (name servers of resolv.conf)
# and hv_get_dhcp_info IFACE (bash: NetworkManager, systemd-networkd and
# ifupdown are absent here, so it answers from
# /etc/sysconfig/network-scripts/ifcfg-IFACE: "Enabled" when that says
# dhcp, else "Disabled").  The host names the NIC by its MAC address in upper case;
# the daemon answers with what the interface has (getifaddrs: addresses and
# masks, 'ip route' default gateways, resolv.conf name servers, DHCP from
# the DHCP script), which hv_utils converts to UTF-16:
#  - NIC 1 with 10.6.0.5/24 and fd00:6::5/64 (no link-local address),
#    default routes via 10.6.0.1 and fd00:6::1, two name servers, an
#    ifcfg file with BOOTPROTO=dhcp: the host sees exactly those, DHCP on;
#  - a MAC no NIC has: the daemon's E_FAIL (0x80004005) reaches the host;
#  - malformed host messages, refused by hv_utils with a log line and
#    E_FAIL, nothing reaches the daemon (it makes no read call): a
#    GET_IP_INFO of 2580 bytes and one of 7427 bytes (not 7428); the next
#    request works, sees a new address, and DHCP off once the ifcfg file
#    says BOOTPROTO=none (the script got the interface's name).
# vm: timeout=180
# vm: bins=/usr/sbin/hv_kvp_daemon /usr/sbin/ip
# vm: bins=/usr/libexec/hypervkvpd/hv_get_dns_info /usr/libexec/hypervkvpd/hv_get_dhcp_info
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh
ip=/usr/sbin/ip
fail() { stop_daemon; case_fail "$*"; }
IC_FAIL=fail

# getip MAC: one host GET_IP_INFO; the status line in $res
getip() {
	_rc=0
	echo "getip $1" >"$ic/kvp" || _rc=1
	res=$(grep -E '^(status|err)=' "$ic/kvp")
	return $_rc
}
# field NAME: a field of the last GET_IP_INFO answer
field() { sed -n "s/^$1=//p" "$ic/kvp"; }
# expect NAME VALUE
expect() {
	[ "$(field "$1")" = "$2" ] ||
		fail "GET_IP_INFO $1: '$(field "$1")', want '$2'; answer: $(tr '\n' '|' <"$ic/kvp")"
}

require_ko hv_simhost hv_vmbus hv_utils hv_netvsc
load_hvlis devices=kvp,nic:2 || case_fail "load failed"
load_module hv_netvsc || case_fail "hv_netvsc did not load"
load_module hv_utils || case_fail "hv_utils did not load"
wait_until 30 eval 'test -n "$(netdev_of $nic0)" -a -n "$(netdev_of $nic1)"' ||
	case_fail "no netdevs under the synthetic NICs"
e0=$(netdev_of $nic0)
e1=$(netdev_of $nic1)
wait_until 30 ic_ready kvp || case_fail "kvp not negotiated: $(cat "$ic/kvp")"
mac1=$(tr a-f A-F </sys/class/net/"$e1"/address)
log "NICs $e0 $e1, $e1 is $mac1, kvp version $(ic_field kvp version)"

# started before resolv.conf is written: at start the daemon looks up its
# host name, which with unreachable name servers takes minutes
start_kvp_daemon

# NIC 1: no link-local address, so the lists hold only what is set here
echo 1 >/proc/sys/net/ipv6/conf/"$e1"/addr_gen_mode ||
	case_fail "addr_gen_mode of $e1"
$ip link set "$e1" up || case_fail "cannot set $e1 up"
$ip addr add 10.6.0.5/24 dev "$e1" || case_fail "IPv4 address"
$ip -6 addr add fd00:6::5/64 dev "$e1" nodad || case_fail "IPv6 address"
$ip route add default via 10.6.0.1 dev "$e1" || case_fail "IPv4 default route"
$ip -6 route add default via fd00:6::1 dev "$e1" || case_fail "IPv6 default route"
printf 'nameserver 10.6.0.53\nnameserver fd00:6::53\n' >/etc/resolv.conf
for f in hv_get_dns_info hv_get_dhcp_info; do
	[ -x /usr/libexec/hypervkvpd/$f ] || case_fail "Debian's $f is not in the image"
done
ifcfg=/etc/sysconfig/network-scripts/ifcfg-$e1
mkdir -p /etc/sysconfig/network-scripts
printf 'DEVICE=%s\nBOOTPROTO=dhcp\n' "$e1" >"$ifcfg"
log "$e1: $($ip addr show dev "$e1" | grep inet | tr '\n' '|')"

wait_until 20 getip "$mac1" || fail "GET_IP_INFO $mac1: '$res'; daemon: $(cat /tmp/kvpd.log)"
log "GET_IP_INFO $mac1: $(tr '\n' '|' <"$ic/kvp")"
[ "$res" = status=0 ] || fail "GET_IP_INFO: $res"
expect adapter "$mac1"
expect family 3
expect dhcp 1
expect ip "10.6.0.5;fd00:6::5"
expect subnet "255.255.255.0;/64"
expect gateway "10.6.0.1;fd00:6::1;"
expect dns "10.6.0.53;fd00:6::53;"

getip "02:00:00:00:00:99" && fail "unknown MAC: accepted"
[ "$res" = status=0x80004005 ] || fail "unknown MAC: $res, want status=0x80004005"

for size in 2580 7427; do
	mark_dmesg "size$size"
	echo "kfault ip_size $size" >"$ic/kvp" || fail "kfault ip_size $size"
	r0=$(daemon_reads "$daemon")
	getip "$mac1" && fail "$size-byte GET_IP_INFO accepted"
	[ "$res" = status=0x80004005 ] || fail "$size-byte GET_IP_INFO: $res"
	dmesg_since_mark | grep -q 'kvp: refused message: KVP body too short for its operation' ||
		fail "$size-byte GET_IP_INFO: no log line: $(dmesg_since_mark)"
	no_daemon_read "$daemon" "$r0" "the refused $size-byte GET_IP_INFO"
done

# the next request works (and reaches the daemon), and sees the changes
$ip addr add 10.6.1.7/16 dev "$e1" || fail "second IPv4 address"
printf 'DEVICE=%s\nBOOTPROTO=none\n' "$e1" >"$ifcfg"
r0=$(daemon_reads "$daemon")
getip "$mac1" || fail "GET_IP_INFO after the malformed ones: $res"
[ "$(daemon_reads "$daemon")" -gt "$r0" ] || fail "a valid GET_IP_INFO made the daemon read nothing"
expect ip "10.6.0.5;10.6.1.7;fd00:6::5"
expect dhcp 0

stop_daemon
[ "$(ic_field kvp errors)" = 0 ] || fail "protocol errors: $(cat "$ic/kvp")"
unload_ours || case_fail "unload failed"
case_pass
