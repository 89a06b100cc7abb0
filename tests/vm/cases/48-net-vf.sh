#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2317 # helpers are called through wait_until
# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# VF failover (accelerated networking).  Two synthetic NICs in namespaces
# a and b; each gets a "VF": a QEMU virtio-net-pci NIC with the NIC's MAC
# on a QEMU-internal hub (frames between the two VFs never reach the
# simulated host).  The simhost offers them (debugfs "vf N SERIAL": the
# serial is the QEMU slot number, which ACPI hotplug names the PCI slot).
# Checked: virtio_net's netdevs appear in the root namespace and are moved
# to the NICs' namespaces and joined as slaves; the data path switch to
# the VF reaches the host; pings between a and b go through the VFs (the
# VF counters grow, the synthetic ones and the host's do not); the host
# revokes the VFs (VF_ASSOCIATION 0, after its own SWITCH_DATA_PATH to
# synthetic): pings go the synthetic way; offered again: back on the VFs;
# an MTU change (a reconnect) comes back to the VF with the new MTU;
# the VFs are hot-removed during a ping stream (QEMU device_del: an ACPI
# eject the guest carries out, as when a host takes a VF away), the data
# path returns to synthetic (host counter) and the stream goes on (loss
# logged); hot-added again (device_add) they join again (a kernel
# without ACPI PCI hotplug: PCI remove and rescan from the guest); unloading
# hv_netvsc releases them (no master, no SLAVE flag, usable alone),
# reloading finds them in the namespaces and joins them again; the final
# unload releases them.
# What the VF takes from the NIC (as the kernel's driver): promiscuous and
# allmulti mode on and off (its IFF_ flags and promiscuity count), also
# when it joins a NIC that has them, and given back at the release; the
# NIC's XDP program (an xdp_drop program on NIC b stops the pings that
# arrive through b's VF, which counts XDP frames), taken off at detach,
# given to a VF that joins later and taken off at the release; the NIC's
# tso_max_size is the VF's while the data path is on the VF (the host's
# 62780 before and after).
# vm: modules=virtio_pci,virtio_net
# vm: qemu=-netdev hubport,id=vf0,hubid=0 -device virtio-net-pci,netdev=vf0,mac=00:15:5d:53:09:00,addr=0x8,romfile=,id=vfdev0 -netdev hubport,id=vf1,hubid=0 -device virtio-net-pci,netdev=vf1,mac=00:15:5d:53:09:01,addr=0x9,romfile=,id=vfdev1
# vm: monitor
# vm: bins=/usr/sbin/ip /usr/sbin/ethtool
# vm: files=build/vm/xdp/xdp_drop.o:/hvlis/xdp/drop.o
# vm: timeout=480
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-net.sh
. /hvlis/lib-net.sh

require_ko hv_simhost hv_vmbus hv_netvsc
BDF0=0000:00:08.0
BDF1=0000:00:09.0
# the VFs as the qemu= line above has them, for device_add
VFDEV0=virtio-net-pci,netdev=vf0,mac=00:15:5d:53:09:00,addr=0x8,romfile=,id=vfdev0
VFDEV1=virtio-net-pci,netdev=vf1,mac=00:15:5d:53:09:01,addr=0x9,romfile=,id=vfdev1

# host's VF line of NIC $1, field $2 ("vf N adv A serial S datapath D ...")
vf_host() {
	awk -v n="$1" -v k="$2" '$1 == "vf" && $2 == n {
		for (i = 3; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' $N
}
# guest counter $3 of netdev $2 in namespace $1 (ethtool -S)
stat_of() {
	$IP netns exec "$1" ethtool -S "$2" | awk -v k="$3:" '$1 == k { print $2 }'
}
# synthetic-path frames of netdev $2 in $1: tx or rx ($3), all queues
synth_of() {
	$IP netns exec "$1" ethtool -S "$2" |
		awk -v p="$3" '$1 ~ "^" p "_queue_[0-9]+_packets:$" { s += $2 } END { print s + 0 }'
}
# the slave of netdev $2 in namespace $1 (empty: none)
vf_of() {
	$IP netns exec "$1" $IP -o link show master "$2" 2>/dev/null |
		awk -F': ' 'NR == 1 { sub(/@.*/, "", $2); print $2 }'
}
# host: frames from / to NIC $1 on the synthetic path
host_tx() { awk -v n="$1" '$1 == "nic" && $2 == n { for (i = 3; i < NF; i++) if ($i == "tx") { print $(i + 1); exit } }' $N; }
host_rx() { awk -v n="$1" '$1 == "nic" && $2 == n { for (i = 3; i < NF; i++) if ($i == "rx") { print $(i + 1); exit } }' $N; }

# wait_until runs its command again and again: a function, never "$(...)"
host_is() { [ "$(vf_host "$1" "$2")" = "$3" ]; }
stat_is() { [ "$(stat_of "$1" "$2" "$3")" = "$4" ]; }
both_joined() { [ -n "$(vf_of a "$e0")" ] && [ -n "$(vf_of b "$e1")" ]; }
both_netdevs() { [ -n "$(netdev_of "$nic0")" ] && [ -n "$(netdev_of "$nic1")" ]; }
both_pci_gone() { [ ! -e "/sys/bus/pci/devices/$BDF0" ] && [ ! -e "/sys/bus/pci/devices/$BDF1" ]; }
has_slave() { [ -n "$($IP -o link show master "$1" 2>/dev/null)" ]; }
logged() { dmesg | grep -q "$1"; }
# IFF_ flags of netdev $2 in namespace $1 (hex), its promiscuity count,
# its tso_max_size (ip -d link), frames its XDP program ran on (virtio_net:
# rx_queue_N_xdp_packets, from 6.10 rxN_xdp_packets)
flags_of() { $IP netns exec "$1" cat "/sys/class/net/$2/flags"; }
flag_on() { f=$(flags_of "$1" "$2") && [ $((f & $3)) -ne 0 ]; }
ipd_of() {
	$IP netns exec "$1" $IP -d link show "$2" |
		awk -v k="$3" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}
xdp_frames() {
	$IP netns exec "$1" ethtool -S "$2" |
		awk '$1 ~ /^rx(_queue_)?[0-9]+_xdp_packets:$/ { s += $2 } END { print s + 0 }'
}
# the XDP program is there: an ELF object, or "SKIP: why" (build_xdp_progs)
xdp_built() { [ "$(head -c 4 /hvlis/xdp/drop.o | tail -c 3)" = ELF ] && [ -e /proc/sys/kernel/unprivileged_bpf_disabled ]; }
xdp_on_b() {
	out=$(in_b $IP -force link set dev "$e1" xdp obj /hvlis/xdp/drop.o sec xdp 2>&1) ||
		case_fail "XDP program on $e1 refused: $out"
}

wait_dp() {	# NIC, datapath, what
	wait_until 20 host_is "$1" datapath "$2" ||
		case_fail "$3: host data path of NIC $1 is $(vf_host "$1" datapath), want $2: $(grep '^vf' $N)"
}

wait_joined() {	# what
	wait_until 30 both_joined ||
		case_fail "$1: VFs not joined (a: '$(vf_of a "$e0")', b: '$(vf_of b "$e1")'); root: $($IP -o link | awk -F': ' '{print $2}' | tr '\n' ' ')"
	vfa=$(vf_of a "$e0")
	vfb=$(vf_of b "$e1")
	in_a $IP -o link show "$vfa" | grep -q 'SLAVE' || case_fail "$1: $vfa has no SLAVE flag"
}

ping_ab() {	# what, count: all must answer
	in_a ping -c "$2" -i 0.2 -W 2 10.48.0.2 >/dev/null ||
		case_fail "$1: ping a -> b lost packets: $(grep '^vf' $N)"
}

net_load 2
net_check_nics
net_ns_up
net_addr_up 10.48.0
net_wait_carrier 10
wait_until 10 in_a ping -c 1 -W 1 10.48.0.2 >/dev/null ||
	case_fail "no synthetic ping before the VFs: $(cat $N)"
tso_host=$(ipd_of a "$e0" tso_max_size)

# ---- the host offers the VFs, then virtio_net brings them ----
mark_dmesg vf
echo "vf 0 8" >$N || case_fail "vf knob"
echo "vf 1 9" >$N || case_fail "vf knob"
{ wait_until 10 host_is 0 adv 1 && wait_until 10 host_is 1 adv 1; } ||
	case_fail "no VF association sent: $(grep '^vf' $N)"
wait_until 10 logged 'host offers VF serial 9' ||
	case_fail "the guest did not log the association"
modprobe -q virtio_pci 2>/dev/null || true
load_module virtio_net || case_fail "virtio_net did not load"
wait_joined "hot-add"
log "VFs: a $e0 <- $vfa, b $e1 <- $vfb"
if [ -e /sys/bus/pci/slots/8 ]; then
	dmesg_since_mark | grep -q "joined (serial 8)" ||
		case_fail "slot 8 exists but the VF was not matched by serial: $(dmesg_since_mark | grep joined)"
	log "matched by serial (PCI slot names 8, 9)"
else
	log "no PCI slot names: matched by MAC"
fi
wait_dp 0 vf "VF up"
wait_dp 1 vf "VF up"
wait_until 10 stat_is a "$e0" vf_datapath_to_vf 1 ||
	case_fail "guest a counts $(stat_of a "$e0" vf_datapath_to_vf) switches to the VF"

# ---- traffic through the VFs ----
sa=$(synth_of a "$e0" tx); sb=$(synth_of b "$e1" tx)
ra=$(synth_of a "$e0" rx); rb=$(synth_of b "$e1" rx)
ht0=$(host_tx 0); ht1=$(host_tx 1); hr0=$(host_rx 0); hr1=$(host_rx 1)
vta=$(stat_of a "$e0" vf_tx_packets); vrb=$(stat_of b "$e1" vf_rx_packets)
ping_ab "VF path" 20
d_vta=$(($(stat_of a "$e0" vf_tx_packets) - vta))
d_vrb=$(($(stat_of b "$e1" vf_rx_packets) - vrb))
{ [ "$d_vta" -ge 20 ] && [ "$d_vrb" -ge 20 ]; } ||
	case_fail "VF path: a sent $d_vta, b received $d_vrb through the VFs (want >= 20)"
d_s="$(($(synth_of a "$e0" tx) - sa)) $(($(synth_of b "$e1" tx) - sb)) $(($(synth_of a "$e0" rx) - ra)) $(($(synth_of b "$e1" rx) - rb))"
d_h="$(($(host_tx 0) - ht0)) $(($(host_tx 1) - ht1)) $(($(host_rx 0) - hr0)) $(($(host_rx 1) - hr1))"
[ "$d_s" = "0 0 0 0" ] ||
	case_fail "VF path: synthetic queues moved (tx a, tx b, rx a, rx b): $d_s"
[ "$d_h" = "0 0 0 0" ] ||
	case_fail "VF path: the host saw synthetic frames (tx 0, tx 1, rx 0, rx 1): $d_h"
log "VF path: 20 pings, VF tx a +$d_vta, rx b +$d_vrb, synthetic $d_s, host $d_h"

# ---- the NIC's TSO limit is the VF's while transmit goes there ----
if [ -n "$tso_host" ]; then
	tso_vf=$(ipd_of a "$vfa" tso_max_size)
	[ "$tso_vf" != "$tso_host" ] ||
		case_fail "TSO: host and VF have one tso_max_size $tso_host: nothing to see"
	wait_until 10 eval '[ "$(ipd_of a "$e0" tso_max_size)" = "$tso_vf" ]' ||
		case_fail "TSO: $e0 tso_max_size $(ipd_of a "$e0" tso_max_size) on the VF path, want the VF's $tso_vf"
	log "TSO: $e0 tso_max_size $tso_host synthetic, $tso_vf (the VF's) on the VF path"
else
	log "TSO: no tso_max_size in ip -d link ($(uname -r)): not checked"
fi

# ---- promiscuous and allmulti mode: the VF follows the NIC ----
pa=$(ipd_of a "$vfa" promiscuity)
in_a $IP link set "$e0" promisc on || case_fail "promisc on refused"
flag_on a "$vfa" 0x100 ||
	case_fail "promisc on: $e0 flags $(flags_of a "$e0"), VF $vfa flags $(flags_of a "$vfa") (no IFF_PROMISC)"
[ "$(ipd_of a "$vfa" promiscuity)" = $((pa + 1)) ] ||
	case_fail "promisc on: VF $vfa promiscuity $(ipd_of a "$vfa" promiscuity), want $((pa + 1))"
in_a $IP link set "$e0" promisc off || case_fail "promisc off refused"
flag_on a "$vfa" 0x100 &&
	case_fail "promisc off: VF $vfa flags $(flags_of a "$vfa") (IFF_PROMISC still set)"
[ "$(ipd_of a "$vfa" promiscuity)" = "$pa" ] ||
	case_fail "promisc off: VF $vfa promiscuity $(ipd_of a "$vfa" promiscuity), want $pa"
in_a $IP link set "$e0" allmulticast on || case_fail "allmulticast on refused"
flag_on a "$vfa" 0x200 ||
	case_fail "allmulti on: $e0 flags $(flags_of a "$e0"), VF $vfa flags $(flags_of a "$vfa") (no IFF_ALLMULTI)"
in_a $IP link set "$e0" allmulticast off || case_fail "allmulticast off refused"
flag_on a "$vfa" 0x200 &&
	case_fail "allmulti off: VF $vfa flags $(flags_of a "$vfa") (IFF_ALLMULTI still set)"
log "promisc/allmulti: VF $vfa followed $e0 on and off (promiscuity $pa -> $((pa + 1)) -> $pa)"

# ---- XDP: the NIC's program runs on the VF (frames through the VF never ----
# ---- reach the NIC's receive path) ----
# vf_xdp=0: this kernel's VF driver takes no program here (virtio_net of
# older kernels wants a free TX queue per CPU, the QEMU VFs have one):
# the NIC then refuses the program with the VF's reason, as the kernel's
# driver does, and the VF XDP checks cannot run
vf_xdp=1
xdp_b_refused() {
	out=$(in_b $IP -force link set dev "$e1" xdp obj /hvlis/xdp/drop.o sec xdp 2>&1) &&
		return 1
	case $out in
	*virtio_net*) ;;
	*) case_fail "XDP program on $e1 refused: $out" ;;
	esac
	! in_b $IP -o link show "$e1" | grep -q 'xdp' ||
		case_fail "XDP refused by the VF ($out), but $e1 has a program: $(in_b $IP -o link show "$e1")"
	log "XDP: the VF's driver refuses a program ($out); $e1 refused it too (as the kernel's driver): the VF XDP checks are not run on this kernel"
	vf_xdp=0
}
if xdp_built && xdp_b_refused; then
	:
elif xdp_built; then
	x=$(xdp_frames b "$vfb")
	in_a ping -c 4 -i 0.2 -W 1 10.48.0.2 >/dev/null &&
		case_fail "XDP drop on $e1: pings through VF $vfb still answered (VF XDP frames +$(($(xdp_frames b "$vfb") - x)))"
	[ $(($(xdp_frames b "$vfb") - x)) -ge 4 ] ||
		case_fail "XDP drop on $e1: VF $vfb ran a program on $(($(xdp_frames b "$vfb") - x)) frames, want >= 4"
	log "XDP: drop program on $e1 runs on $vfb: pings dropped, VF XDP frames +$(($(xdp_frames b "$vfb") - x)); ip link: $(in_b $IP -o link show "$vfb" | grep -o 'prog/xdp id [0-9]*')"
	in_b $IP link set dev "$e1" xdp off || case_fail "XDP off refused"
	x=$(xdp_frames b "$vfb")
	ping_ab "XDP off" 5
	[ "$(xdp_frames b "$vfb")" = "$x" ] ||
		case_fail "XDP off: VF $vfb still runs a program (+$(($(xdp_frames b "$vfb") - x)) frames)"
	log "XDP off: the VF runs none, pings answered"
else
	log "XDP: no program or no bpf(): $(head -n 1 /hvlis/xdp/drop.o | cut -c 1-200)"
fi

# ---- the host takes the VFs away ----
echo "vf 0 off" >$N; echo "vf 1 off" >$N
wait_dp 0 synthetic "revoke"
wait_dp 1 synthetic "revoke"
{ wait_until 10 host_is 0 unassoc 1 && wait_until 10 host_is 1 unassoc 1; } ||
	case_fail "revoke: no VF_ASSOCIATION 0: $(grep '^vf' $N)"
[ "$(vf_host 0 host_to_synth)" = 1 ] || case_fail "revoke: the host did not switch NIC 0 itself"
wait_until 10 stat_is a "$e0" vf_datapath_host_synthetic 1 ||
	case_fail "revoke: guest a did not take the host's switch"
wait_until 10 logged 'host removed VF serial 8' ||
	case_fail "revoke: the guest did not log the removal"
ht0=$(host_tx 0); vta=$(stat_of a "$e0" vf_tx_packets)
wait_until 10 in_a ping -c 1 -W 1 10.48.0.2 >/dev/null || case_fail "revoke: no answer"
ping_ab "revoked" 10
d_ht0=$(($(host_tx 0) - ht0)); d_vta=$(($(stat_of a "$e0" vf_tx_packets) - vta))
{ [ "$d_ht0" -ge 10 ] && [ "$d_vta" = 0 ]; } ||
	case_fail "revoked: a sent $d_ht0 synthetic, $d_vta through the VF (want >= 10, 0)"
if [ -n "$tso_host" ]; then
	wait_until 10 eval '[ "$(ipd_of a "$e0" tso_max_size)" = "$tso_host" ]' ||
		case_fail "revoked: $e0 tso_max_size $(ipd_of a "$e0" tso_max_size), want the host's $tso_host"
fi
log "revoked: synthetic again (host tx 0 +$d_ht0, VF tx a +0); VFs stay slaves"

# ---- offered again: back on the VFs ----
echo "vf 0 8" >$N; echo "vf 1 9" >$N
wait_dp 0 vf "re-offer"
wait_dp 1 vf "re-offer"
[ "$(vf_host 0 to_vf)" = 2 ] || case_fail "re-offer: host to_vf $(vf_host 0 to_vf), want 2"
vta=$(stat_of a "$e0" vf_tx_packets)
ping_ab "re-offered" 10
[ $(($(stat_of a "$e0" vf_tx_packets) - vta)) -ge 10 ] || case_fail "re-offered: not through the VF"

# ---- MTU change with the VF joined: a reconnect starts synthetic, the ----
# ---- host offers the VF again on the new connection, the VF takes the MTU ----
in_a $IP link set "$e0" mtu 1400 || case_fail "MTU 1400 refused"
wait_until 20 host_is 0 assoc 1 ||
	case_fail "MTU: no new connection with a VF offer: $(grep '^vf' $N)"
wait_dp 0 vf "MTU reconnect"
wait_until 10 stat_is a "$e0" vf_datapath_to_vf 3 ||
	case_fail "MTU: guest a counts $(stat_of a "$e0" vf_datapath_to_vf) switches to the VF, want 3"
[ "$(in_a cat "/sys/class/net/$vfa/mtu")" = 1400 ] ||
	case_fail "MTU: VF $vfa has MTU $(in_a cat "/sys/class/net/$vfa/mtu")"
ping_ab "MTU 1400" 5
log "MTU 1400: reconnect, VF offered again, data path on the VF, VF MTU 1400"

# ---- the host hot-removes the VFs under a ping stream ----
[ -e /sys/bus/pci/devices/$BDF0 ] || case_fail "no $BDF0"
# device_del needs the guest's ACPI PCI hotplug (acpiphp names the slots
# by number); a kernel without it (the test kernels' defconfig) removes
# and rescans the VFs itself, the same removal path from the driver down
if [ -d /sys/bus/pci/slots/8 ] && [ -d /sys/bus/pci/slots/9 ]; then
	hotplug=acpi
else
	hotplug=guest
	# shellcheck disable=SC2012 # names of sysfs slots: plain
	log "no ACPI PCI hotplug slots 8 and 9 (slots: $(ls -A /sys/bus/pci/slots 2>/dev/null | tr '\n' ' ')): the guest removes and rescans the VFs itself instead of device_del/device_add"
fi
in_a ping -i 0.2 -c 60 -W 1 10.48.0.2 >/tmp/vfping 2>&1 &
pp=$!
sleep 3
if [ $hotplug = acpi ]; then
	qemu_monitor device_del vfdev0
	qemu_monitor device_del vfdev1
else
	echo 1 >"/sys/bus/pci/devices/$BDF0/remove" || case_fail "PCI remove $BDF0"
	echo 1 >"/sys/bus/pci/devices/$BDF1/remove" || case_fail "PCI remove $BDF1"
fi
wait_until 30 both_pci_gone ||
	case_fail "device_del: $(ls -d "/sys/bus/pci/devices/$BDF0" "/sys/bus/pci/devices/$BDF1" 2>/dev/null) still there"
wait_dp 0 synthetic "VF removed"
wait_dp 1 synthetic "VF removed"
{ [ "$(vf_host 0 to_synth)" = 1 ] && [ "$(vf_host 1 to_synth)" = 1 ]; } ||
	case_fail "VF removed: the guest's switches to synthetic: $(grep '^vf' $N)"
[ -z "$(vf_of a "$e0")" ] || case_fail "VF removed: $e0 still has a slave"
wait "$pp"
sent=$(awk '/packets transmitted/ { print $1 }' /tmp/vfping)
got=$(awk '/packets transmitted/ { print $4 }' /tmp/vfping)
{ [ -n "$got" ] && [ "$got" -ge 40 ]; } ||
	case_fail "VF removed: ping stream $got of $sent answered: $(tail -n 3 /tmp/vfping)"
log "VF removal under a ping stream: $got of $sent answered ($((sent - got)) lost)"
ping_ab "after removal" 10
dmesg_since_mark | grep -q "data path switched from VF" ||
	case_fail "no 'data path switched from VF' log"

# ---- they come back (device_add) and join again; NIC b is promiscuous ----
# ---- and allmulti and has an XDP program before: its new VF takes them ----
in_b $IP link set "$e1" promisc on allmulticast on || case_fail "b: promisc/allmulticast on refused"
[ $vf_xdp = 0 ] || ! xdp_built || xdp_on_b
if [ $hotplug = acpi ]; then
	qemu_monitor device_add "$VFDEV0"
	qemu_monitor device_add "$VFDEV1"
else
	echo 1 >/sys/bus/pci/rescan
fi
wait_joined "re-added"
wait_dp 0 vf "re-added"
wait_dp 1 vf "re-added"
f=$(flags_of b "$vfb")
[ $((f & 0x300)) = $((0x300)) ] ||
	case_fail "re-added: $e1 is promiscuous and allmulti, the VF $vfb that joined has flags $f"
[ "$(ipd_of b "$vfb" promiscuity)" = 1 ] ||
	case_fail "re-added: VF $vfb promiscuity $(ipd_of b "$vfb" promiscuity), want 1"
if [ $vf_xdp = 1 ] && xdp_built; then
	x=$(xdp_frames b "$vfb")
	in_a ping -c 4 -i 0.2 -W 1 10.48.0.2 >/dev/null &&
		case_fail "re-added: the VF $vfb that joined does not run $e1's XDP drop program (pings answered)"
	[ $(($(xdp_frames b "$vfb") - x)) -ge 4 ] ||
		case_fail "re-added: VF $vfb ran a program on $(($(xdp_frames b "$vfb") - x)) frames, want >= 4"
	in_b $IP link set dev "$e1" xdp off || case_fail "XDP off refused"
	ping_ab "re-added, XDP off" 5
	xdp_on_b	# there at the unload
	log "re-added: VF $vfb joined promiscuous, allmulti and with the XDP program"
else
	ping_ab "re-added" 5
fi

# ---- unload with the VFs joined: released, usable alone ----
rmmod hv_netvsc || case_fail "rmmod hv_netvsc with the VFs joined"
for x in "a $vfa" "b $vfb"; do
	ns=${x%% *}; v=${x#* }
	out=$($IP netns exec "$ns" $IP -o link show "$v") || case_fail "unload: $v gone"
	case "$out" in
	*SLAVE* | *master*) case_fail "unload: $v not released: $out" ;;
	esac
done
f=$(flags_of b "$vfb")
[ $((f & 0x300)) = 0 ] ||
	case_fail "unload: released VF $vfb keeps flags $f (IFF_PROMISC/IFF_ALLMULTI of $e1)"
[ "$(ipd_of b "$vfb" promiscuity)" = 0 ] ||
	case_fail "unload: released VF $vfb promiscuity $(ipd_of b "$vfb" promiscuity), want 0"
x=$(xdp_frames b "$vfb")
in_a $IP addr add 10.49.0.1/24 dev "$vfa" || case_fail "unload: $vfa takes no address"
in_b $IP addr add 10.49.0.2/24 dev "$vfb" || case_fail "unload: $vfb takes no address"
in_a ping -c 3 -W 2 10.49.0.2 >/dev/null || case_fail "unload: the released VFs do not talk"
[ "$(xdp_frames b "$vfb")" = "$x" ] ||
	case_fail "unload: released VF $vfb still runs the XDP program (+$(($(xdp_frames b "$vfb") - x)) frames)"
in_a $IP addr flush dev "$vfa"; in_b $IP addr flush dev "$vfb"
log "unload: VFs released, they ping alone"

# ---- reload: the VFs (in the namespaces) come back to the new NICs ----
load_module hv_netvsc || case_fail "reload hv_netvsc"
wait_until 30 both_netdevs ||
	case_fail "reload: no netdevs"
e0=$(netdev_of $nic0); e1=$(netdev_of $nic1)
wait_until 30 has_slave "$e0" ||
	case_fail "reload: the VF did not come back to $e0: $($IP -o link | awk -F': ' '{print $2}' | tr '\n' ' ')"
log "reload: VF joined $e0 again in the root namespace"

net_cleanup
unload_ours
dmesg_bad_since_mark && case_fail "bad kernel log lines"
case_pass "VF joined, data path switched, revoked, removed and rejoined ($([ $hotplug = acpi ] && echo device_del/device_add || echo guest PCI remove/rescan)), released"
