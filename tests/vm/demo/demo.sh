#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side of `make demo`: load the simulated host and our drivers, then
# show what a user sees on Hyper-V: the VMBus devices (lsvmbus style), disks,
# NICs, KVP. The report goes to the harness channel between
# VMTEST-DEMO-BEGIN and VMTEST-DEMO-END.
# The synthetic SCSI controller gets one disk: QEMU's scsi-hd on virtio-scsi,
# which the simulated host claims (serial HVLIS-DEMO0) and serves as LUN 0.
# vm: modules=virtio_pci,virtio_scsi,sd_mod
# vm: disk=demo:1G
# vm: qemu=-device virtio-scsi-pci,id=vs0 -drive if=none,id=d0,file={disk:demo},format=raw -device scsi-hd,bus=vs0.0,drive=d0,serial=HVLIS-DEMO0
# vm: timeout=120
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

out=/tmp/demo.txt
problems=
: >"$out"
say() { echo "$*" >>"$out"; }
problem() { problems="$problems; $*"; say "!! $*"; }

class_name() {
	case $1 in
	f8615163-df3e-46c5-913f-f2d2f965ed0e) echo "Synthetic network adapter" ;;
	ba6163d9-04a1-4d29-b605-72e2ffb1dc7f) echo "Synthetic SCSI Controller" ;;
	32412632-86cb-44a2-9b5c-50d1417354f5) echo "Synthetic IDE Controller" ;;
	2f9bcc4a-0069-4af3-b76b-6fd0be528cda) echo "Synthetic FiberChannel Adapter" ;;
	0e0b6031-5213-4934-818b-38d90ced39db) echo "Shutdown" ;;
	9527e630-d0ae-497b-adce-e80ab0175caf) echo "Time Synchronization" ;;
	57164f39-9115-4e78-ab55-382f3bd5422d) echo "Heartbeat" ;;
	a9a0f4e7-5a45-4d96-b827-8a841e8c03e6) echo "Data Exchange (KVP)" ;;
	35fa2e29-ea23-4236-96ae-3a6ebacba440) echo "Backup (volume checkpoint)" ;;
	34d14be3-dee4-41c8-9ae7-6b174977c192) echo "Guest services (file copy)" ;;
	525074dc-8985-46e2-8057-a307dc18a502) echo "Dynamic Memory" ;;
	f912ad6d-2b17-48ea-bd65-f927a61c7684) echo "Synthetic keyboard" ;;
	cfa8b69e-5b4a-4cc0-b98b-8ba1a1f3f95a) echo "Synthetic mouse" ;;
	da0a7802-e377-4aac-8e77-0558eb1073f8) echo "Synthetic framebuffer adapter" ;;
	44c4f61d-4444-4400-9d52-802e27ede19f) echo "PCI Express pass-through" ;;
	6c7bb4a1-1b21-4b8e-9a33-525f6563686f) echo "hv_simhost echo device (test only)" ;;
	*) echo "Unknown device class" ;;
	esac
}

# attr DEV NAME: a sysfs attribute ("-" when absent); a directory lists its
# entries.
attr() {
	if [ -d "$1/$2" ]; then
		_l=
		for _e in "$1/$2"/*; do
			[ -e "$_e" ] && _l="$_l ${_e##*/}"
		done
		echo "${_l# }"
	else
		cat "$1/$2" 2>/dev/null || echo -
	fi
}
# guid TEXT: a GUID in braces, lower case.
guid() { echo "{$(echo "$1" | tr -d '{}' | tr 'A-F' 'a-f')}"; }

# --- load --------------------------------------------------------------------
mark_dmesg demo
require_ko hv_simhost hv_vmbus
# hvlis.simhost=P=V;P=V... (HVLIS_DEMO_SIMHOST on the host): simhost params.
sim_params=$(cmdline_arg hvlis.simhost | tr ';' ' ')
[ -n "$sim_params" ] ||
	sim_params="devices=echo:2,shutdown,timesync,heartbeat,kvp,vss,scsi,nic:2 scsi_backing=HVLIS-DEMO0"
# shellcheck disable=SC2086 # one word per parameter
if ! load_hvlis $sim_params >/tmp/load.err 2>&1; then
	cat /tmp/load.err
	dmesg_since_mark | tail -n 20
	case_fail "loading hv_simhost + hv_vmbus failed: $(cat /tmp/load.err)"
fi
loaded="hv_simhost hv_vmbus"
# the disk behind the synthetic SCSI controller (virtio_pci: a module on 6.1)
modprobe -q virtio_pci 2>/dev/null || true
modprobe -q virtio_scsi 2>/dev/null || problem "virtio_scsi did not load"
modprobe -q sd_mod 2>/dev/null || problem "sd_mod did not load"
for m in hv_utils hv_storvsc hv_netvsc; do
	have_ko "$m" || continue
	if err=$(load_module "$m" 2>&1); then
		loaded="$loaded $m"
	else
		problem "modprobe $m failed: $err"
	fi
done
# Give the drivers a moment to bind and the devices to show up.
# shellcheck disable=SC2317 # called by wait_until
has_devices() {
	for _d in /sys/bus/vmbus/devices/*; do
		[ -e "$_d" ] && return 0
	done
	return 1
}
wait_until 10 has_devices ||
	problem "no device in /sys/bus/vmbus/devices after 10 s"
# shellcheck disable=SC2317 # called by wait_until
has_disk() { for _b in /sys/block/sd*; do [ -e "$_b" ] && return 0; done; return 1; }
if have_ko hv_storvsc; then
	wait_until 20 has_disk || problem "no disk on the synthetic SCSI controller after 20 s"
fi
sleep 2

# --- report --------------------------------------------------------------------
say "Kernel $(uname -r); modules loaded: $loaded"
[ -z "$sim_params" ] || say "Simulated host parameters: $sim_params"
say ""
say "VMBus devices (lsvmbus -vv):"
for dev in /sys/bus/vmbus/devices/*; do
	[ -e "$dev" ] || continue
	echo "$(attr "$dev" id) $dev"
done | sort -n | while read -r id dev; do
	cls=$(guid "$(attr "$dev" class_id)")
	say "VMBUS ID $(printf '%2s' "$id"): Class_ID = $cls - $(class_name "$(echo "$cls" | tr -d '{}')")"
	say "	Device_ID = $(guid "$(attr "$dev" device_id)")"
	say "	Sysfs path: $dev"
	drv=-
	[ -e "$dev/driver" ] && drv=$(basename "$(readlink "$dev/driver")")
	say "	id=$(attr "$dev" id) state=$(attr "$dev" state) channels=[$(attr "$dev" channels)] driver=$drv"
done

disks=
for b in /sys/block/sd*; do
	[ -e "$b" ] && disks="$disks $b"
done
if [ -n "$disks" ]; then
	say ""
	say "Disks (lsblk):"
	say "NAME   SIZE(MiB) VENDOR   MODEL            SCSI ADDRESS"
	for b in $disks; do
		sz=$(($(cat "$b/size") / 2048))
		addr=$(basename "$(readlink "$b/device")")
		say "$(printf '%-6s %9s %-8s %-16s %s' "${b##*/}" "$sz" \
			"$(cat "$b/device/vendor" 2>/dev/null)" \
			"$(cat "$b/device/model" 2>/dev/null)" "$addr")"
	done
	if [ -r /sys/kernel/debug/hv_simhost/storvsp ]; then
		say "(simulated host side: $(grep '^lun ' /sys/kernel/debug/hv_simhost/storvsp | tr '\n' ' '))"
	fi
elif have_ko hv_storvsc; then
	say ""
	say "Disks: none"
fi

nics=
for n in /sys/class/net/*; do
	[ -e "$n/device/driver" ] || continue
	case $(readlink "$n/device/driver") in
	*hv_netvsc*) nics="$nics ${n##*/}" ;;
	esac
done
if [ -n "$nics" ]; then
	say ""
	say "Network interfaces (ip link):"
	for n in $nics; do
		ip link set "$n" up 2>/dev/null
		ip link show "$n" >>"$out"
	done
elif have_ko hv_netvsc; then
	say ""
	say "Network interfaces of hv_netvsc: none"
fi

if [ -e /dev/vmbus/hv_kvp ]; then
	say ""
	say "KVP: /dev/vmbus/hv_kvp is there for hv_kvp_daemon"
fi
d=/sys/kernel/debug/hv_simhost/ic/kvp
if [ -r "$d" ]; then
	say "KVP (host side):"
	cat "$d" >>"$out"
fi

say ""
say "Kernel log (hv_*):"
dmesg_since_mark | grep -E 'hv_|hyperv|Hyper-V|vmbus' | tail -n 30 >>"$out"

chan "VMTEST-DEMO-BEGIN"
cat "$out" >"$HVLIS_CH"
chan "VMTEST-DEMO-END"
[ -z "$problems" ] || case_fail "${problems#; }"
case_pass "$loaded"
