# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0-only
# Setup shared by the networking cases (40-net-*, 41-net-*): source it after
# /hvlis/lib.sh.  The simulated host's NICs, their netdevs, one network
# namespace per NIC ("a" for NIC 0, "b" for NIC 1) and the host port
# simhost0 in the root namespace.
#
#   net_load N [SIMHOST_P=V...]  hv_simhost with N NICs, hv_vmbus, hv_netvsc;
#                                waits for the netdevs, sets $e0 (and $e1)
#   net_check_nics               driver hv_netvsc, parent = the VMBus
#                                device, MAC from the host
#   net_ns_up                    $e0 -> namespace a, $e1 -> b, lo up
#   net_addr_up PREFIX           PREFIX.1 on $e0, .2 on $e1, .254 on
#                                simhost0 (/24), all up; with NET6=fd00:X
#                                also NET6::1, ::2, ::fe (/64)
#   net_wait_carrier SECONDS     carrier on $e0 (and $e1)
#   net_check_host               the host refused no guest packet and the
#                                guest completed no unknown receive id
#   net_cleanup                  the namespaces go (the NICs return to the
#                                root namespace and can unload); set as the
#                                EXIT trap by net_load
#   net_wait_listen NS PORT      wait (10 s) until a TCP socket in NS
#                                listens on PORT, IPv4 or IPv6 (busybox nc
#                                -l listens on an IPv6 socket: /proc/net/tcp6)
#   net_transfer WHAT IP         /tmp/big over TCP (busybox nc) from
#                                namespace a to IP:5001 in b; what b
#                                received must be /tmp/big (sha256)
#   in_a CMD..., in_b CMD...     run in namespace a / b
#   carrier NS DEV               /sys/class/net/DEV/carrier seen from NS
#   netdev_of GUID               the netdev below a VMBus device

N=/sys/kernel/debug/hv_simhost/netvsp
nic0=53494d09-0000-4000-8000-73696d687374
nic1=53494d09-0001-4000-8000-73696d687374
IP=/usr/sbin/ip
e0=
e1=

netdev_of() {
	for _d in "/sys/bus/vmbus/devices/$1/net/"*; do
		[ -e "$_d" ] && basename "$_d" && return 0
	done
	return 1
}

in_a() { $IP netns exec a "$@"; }
in_b() { $IP netns exec b "$@"; }

carrier() { $IP netns exec "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null; }

net_cleanup() {
	$IP netns del a 2>/dev/null
	$IP netns del b 2>/dev/null
	return 0
}

net_load() {
	_net_n=$1
	shift
	trap net_cleanup EXIT
	load_hvlis "devices=nic:$_net_n" "$@" || case_fail "load failed"
	load_module hv_netvsc || case_fail "hv_netvsc did not load"
	if [ "$_net_n" -ge 2 ]; then
		wait_until 30 eval 'test -n "$(netdev_of $nic0)" -a -n "$(netdev_of $nic1)"' ||
			case_fail "no netdev under the synthetic NICs: $(cat $N)"
		e1=$(netdev_of $nic1)
	else
		wait_until 30 eval 'test -n "$(netdev_of $nic0)"' ||
			case_fail "no netdev under the synthetic NIC: $(cat $N)"
	fi
	e0=$(netdev_of $nic0)
	log "NICs: $e0 $e1"
}

net_check_nics() {
	for _e in "$e0:$nic0:00" "$e1:$nic1:01"; do
		_dev=${_e%%:*}
		[ -n "$_dev" ] || continue
		_rest=${_e#*:}
		_guid=${_rest%%:*}
		_drv=$(basename "$(readlink "/sys/class/net/$_dev/device/driver")")
		[ "$_drv" = hv_netvsc ] || case_fail "$_dev: driver '$_drv', not hv_netvsc"
		[ "$(realpath "/sys/class/net/$_dev/device")" = \
		  "$(realpath "/sys/bus/vmbus/devices/$_guid")" ] ||
			case_fail "$_dev: parent is not the VMBus device $_guid"
		_mac=$(cat "/sys/class/net/$_dev/address")
		[ "$_mac" = "00:15:5d:53:09:${_rest#*:}" ] ||
			case_fail "$_dev: MAC $_mac is not the host's"
	done
}

net_ns_up() {
	mkdir -p /var/run/netns
	net_cleanup
	$IP netns add a || case_fail "ip netns add failed"
	$IP link set "$e0" netns a || case_fail "cannot move $e0 to a namespace"
	in_a $IP link set lo up
	[ -n "$e1" ] || return 0
	$IP netns add b || case_fail "ip netns add failed"
	$IP link set "$e1" netns b || case_fail "cannot move $e1 to a namespace"
	in_b $IP link set lo up
}

net_addr_up() {
	in_a $IP addr add "$1.1/24" dev "$e0"
	[ -z "${NET6:-}" ] || in_a $IP addr add "$NET6::1/64" dev "$e0" nodad
	in_a $IP link set "$e0" up || case_fail "$e0 does not come up"
	if [ -n "$e1" ]; then
		in_b $IP addr add "$1.2/24" dev "$e1"
		[ -z "${NET6:-}" ] || in_b $IP addr add "$NET6::2/64" dev "$e1" nodad
		in_b $IP link set "$e1" up || case_fail "$e1 does not come up"
	fi
	$IP addr add "$1.254/24" dev simhost0 || case_fail "no host port simhost0"
	[ -z "${NET6:-}" ] || $IP addr add "$NET6::fe/64" dev simhost0 nodad
	$IP link set simhost0 up
}

net_wait_carrier() {
	wait_until "$1" eval 'test "$(carrier a "$e0")" = 1' || case_fail "$e0: no carrier"
	[ -z "$e1" ] || wait_until "$1" eval 'test "$(carrier b "$e1")" = 1' ||
		case_fail "$e1: no carrier"
}

net_wait_listen() {
	# local address :PORT, remote any:0000, state 0A (LISTEN)
	_pat=$(printf ':%04X [0-9A-F]*:0000 0A ' "$2")
	wait_until 10 $IP netns exec "$1" grep -qs "$_pat" /proc/net/tcp /proc/net/tcp6
}

net_check_host() {
	grep -q '^refused_.* [1-9]' $N && case_fail "host refused guest packets: $(cat $N)"
	grep -E 'bad_completions [1-9]' $N && case_fail "guest completed unknown receive ids: $(cat $N)"
	return 0
}

# busybox nc: the server's stdin must not end (its EOF would half-close
# the connection and stop the client): a FIFO this shell keeps open.
net_transfer() {
	_size=$(stat -c %s /tmp/big)
	_sum=$(sha256sum </tmp/big)
	rm -f /tmp/recv /tmp/nvfifo
	mkfifo /tmp/nvfifo
	exec 3<>/tmp/nvfifo
	in_b nc -l -p 5001 </tmp/nvfifo >/tmp/recv &
	_srv=$!
	net_wait_listen b 5001 || case_fail "$1: nc server not listening"
	in_a timeout 180 nc "$2" 5001 </tmp/big >/dev/null ||
		case_fail "$1: nc client failed or timed out: $(cat $N)"
	wait_until 30 eval 'test "$(stat -c %s /tmp/recv 2>/dev/null)" = "$_size"' ||
		case_fail "$1: received $(stat -c %s /tmp/recv 2>/dev/null) of $_size bytes: $(cat $N)"
	exec 3>&-
	kill "$_srv" 2>/dev/null
	wait "$_srv" 2>/dev/null
	[ "$(sha256sum </tmp/recv)" = "$_sum" ] || case_fail "$1: sha256 of the received data differs"
	rm -f /tmp/recv /tmp/nvfifo
}
