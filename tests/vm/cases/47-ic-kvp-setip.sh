#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# KVP SET_IP_INFO (the host injects an IP configuration) with Debian's
# hv_kvp_daemon and two synthetic NICs.  The daemon finds the interface
# whose VMBus device_id is the adapter id the host sent, writes
# /var/lib/hyperv/ifcfg-<if> (HWADDR, DEVICE, BOOTPROTO, IPADDRn, NETMASKn,
# GATEWAY, DNSn) and runs /usr/libexec/hypervkvpd/hv_set_ifconfig on it
# (the name and path in Debian's binary; Debian ships no such script, so
# the case installs one that records what it got):
#  - static addresses for NIC 1: the hook gets NIC 1's file, exact content;
#    the host sees S_OK;
#  - DHCP for NIC 0: BOOTPROTO=dhcp;
#  - an adapter id no NIC has: the daemon's HV_GUID_NOTFOUND (0x80041002)
#    reaches the host, no hook run;  a hook that fails: E_FAIL;
#  - malformed host messages, refused by hv_utils with a log line and E_FAIL,
#    nothing reaches the daemon: a SET_IP_INFO of 2580 bytes (not 7428),
#    an address list without its NUL; the next request works;
#  - the host's ENUMERATE of the intrinsic (auto) pool has the guest's
#    address in NetworkAddressIPv4 (an address put on NIC 1; loopback is
#    left out by the daemon).
# vm: timeout=180
# vm: bins=/usr/sbin/hv_kvp_daemon /usr/sbin/ip
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh
hook=/usr/libexec/hypervkvpd/hv_set_ifconfig
fail() { stop_daemon; case_fail "$*"; }

# setip ARGS...: one host SET_IP_INFO; its result line in $res
setip() {
	rm -f /tmp/hook.args /tmp/hook.ifcfg
	_rc=0
	echo "setip $*" >"$ic/kvp" || _rc=1
	res=$(grep -E '^(status|err)=' "$ic/kvp")
	return $_rc
}
# expect_file IFACE LINE...: the hook ran on ifcfg-IFACE, which is exactly
# these lines
expect_file() {
	_f=/var/lib/hyperv/ifcfg-$1
	shift
	[ "$(cat /tmp/hook.args 2>/dev/null)" = "$_f" ] ||
		fail "hook arguments '$(cat /tmp/hook.args 2>/dev/null)', want $_f"
	printf '%s\n' "$@" >/tmp/hook.want
	cmp -s /tmp/hook.want /tmp/hook.ifcfg ||
		fail "$_f: got '$(tr '\n' '|' </tmp/hook.ifcfg)', want '$(tr '\n' '|' </tmp/hook.want)'"
}
no_hook() { [ ! -e /tmp/hook.args ] || fail "$1: the hook ran: $(cat /tmp/hook.args)"; }

require_ko hv_simhost hv_vmbus hv_utils hv_netvsc
load_hvlis devices=kvp,nic:2 || case_fail "load failed"
load_module hv_netvsc || case_fail "hv_netvsc did not load"
load_module hv_utils || case_fail "hv_utils did not load"
wait_until 30 eval 'test -n "$(netdev_of $nic0)" -a -n "$(netdev_of $nic1)"' ||
	case_fail "no netdevs under the synthetic NICs"
e0=$(netdev_of $nic0)
e1=$(netdev_of $nic1)
wait_until 30 ic_ready kvp || case_fail "kvp not negotiated: $(cat "$ic/kvp")"
log "NICs $e0 $e1, kvp version $(ic_field kvp version)"
[ "$(cat /sys/class/net/"$e1"/device/device_id)" = "{$nic1}" ] ||
	case_fail "$e1: device_id $(cat /sys/class/net/"$e1"/device/device_id)"

mkdir -p /usr/libexec/hypervkvpd /var/lib/hyperv
cat >$hook <<'EOF'
#!/bin/sh
cp "$1" /tmp/hook.ifcfg
echo "$*" >/tmp/hook.args
exit "$(cat /tmp/hook.rc 2>/dev/null || echo 0)"
EOF
chmod 755 $hook
echo 0 >/tmp/hook.rc
start_kvp_daemon

mac1=$(tr a-f A-F </sys/class/net/"$e1"/address)
mac0=$(tr a-f A-F </sys/class/net/"$e0"/address)
ok() { setip "{$nic1}" 0 "10.1.2.3;10.1.2.4" "255.255.255.0;255.255.0.0" 10.1.2.254 "10.1.2.53;10.1.2.54"; }
wait_until 20 ok || fail "static SET_IP_INFO: '$res'; daemon: $(cat /tmp/kvpd.log)"
[ "$res" = status=0 ] || fail "static: $res"
expect_file "$e1" "HWADDR=$mac1" "DEVICE=$e1" BOOTPROTO=none \
	IPADDR0=10.1.2.3 IPADDR1=10.1.2.4 NETMASK0=255.255.255.0 \
	NETMASK1=255.255.0.0 GATEWAY=10.1.2.254 DNS1=10.1.2.53 DNS2=10.1.2.54
log "static: $(tr '\n' ' ' </tmp/hook.ifcfg)"

setip "{$nic0}" 1 - - - - || fail "DHCP: $res"
expect_file "$e0" "HWADDR=$mac0" "DEVICE=$e0" BOOTPROTO=dhcp

setip "{53494d09-00ff-4000-8000-73696d687374}" 0 10.9.9.9 255.0.0.0 - - &&
	fail "unknown adapter: accepted"
[ "$res" = status=0x80041002 ] || fail "unknown adapter: $res, want status=0x80041002"
no_hook "unknown adapter"

echo 1 >/tmp/hook.rc
rm -f /tmp/hook.args
setip "{$nic1}" 0 10.1.2.3 255.255.255.0 - - && fail "failing hook: accepted"
[ "$res" = status=0x80004005 ] || fail "failing hook: $res, want status=0x80004005"
[ -e /tmp/hook.args ] || fail "failing hook: the hook never ran"
echo 0 >/tmp/hook.rc

mark_dmesg short
echo "kfault ip_size 2580" >"$ic/kvp" || fail "kfault ip_size"
setip "{$nic1}" 0 10.1.2.3 255.255.255.0 - - && fail "2580-byte SET_IP_INFO accepted"
[ "$res" = status=0x80004005 ] || fail "2580-byte SET_IP_INFO: $res"
no_hook "2580-byte SET_IP_INFO"
dmesg_since_mark | grep -q 'kvp: refused message: KVP body too short' ||
	fail "2580-byte SET_IP_INFO: no log line: $(dmesg_since_mark)"

mark_dmesg unterminated
echo "kfault unterminated" >"$ic/kvp" || fail "kfault unterminated"
setip "{$nic1}" 0 10.1.2.3 255.255.255.0 - - && fail "unterminated list accepted"
[ "$res" = status=0x80004005 ] || fail "unterminated list: $res"
no_hook "unterminated list"
dmesg_since_mark | grep -q 'kvp: refused message: bad or unterminated UTF-16 string in IP info' ||
	fail "unterminated list: no log line: $(dmesg_since_mark)"

setip "{$nic1}" 0 10.7.0.1 255.255.0.0 10.7.0.254 10.7.0.53 || fail "after the malformed ones: $res"
expect_file "$e1" "HWADDR=$mac1" "DEVICE=$e1" BOOTPROTO=none \
	IPADDR0=10.7.0.1 NETMASK0=255.255.0.0 GATEWAY=10.7.0.254 DNS1=10.7.0.53

/usr/sbin/ip addr add 10.5.5.5/24 dev "$e1" || fail "cannot put 10.5.5.5/24 on $e1"
/usr/sbin/ip link set "$e1" up || fail "cannot set $e1 up"
echo "enumall 2" >"$ic/kvp" || fail "ENUMERATE auto pool: $(cat "$ic/kvp")"
grep -q "key=NetworkAddressIPv4 type=1 value=10.5.5.5\$" "$ic/kvp" ||
	fail "auto pool without NetworkAddressIPv4=10.5.5.5: $(grep key= "$ic/kvp" | tr '\n' '|')"
log "auto pool: $(grep -o 'key=NetworkAddressIPv[46] type=1 value=[^ ]*' "$ic/kvp" | tr '\n' ' ')"

stop_daemon
[ "$(ic_field kvp errors)" = 0 ] || fail "protocol errors: $(cat "$ic/kvp")"
unload_ours || case_fail "unload failed"
case_pass
