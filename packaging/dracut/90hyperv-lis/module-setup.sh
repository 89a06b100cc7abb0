#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dracut module: hyperv-lis's hv_vmbus and hv_storvsc (the boot disk's path)
# in every initramfs, with the dependant guard that the modprobe.d install
# lines of /usr/lib/modprobe.d/hyperv-lis.conf run.  udev loads the drivers
# from their ACPI/VMBus aliases; nothing is force-loaded, so the same initrd
# still boots on a machine that is not Hyper-V.

check() {
	# Include when hyperv-lis is installed; in host-only mode only on
	# Hyper-V (the VMBus ACPI device).
	[ -x /usr/lib/hyperv-lis/hyperv-lis-dependant-guard ] || return 1
	if [[ $hostonly ]]; then
		[ -d /sys/bus/vmbus ] || grep -qs 'VMBUS\|VMBus' /sys/bus/acpi/devices/*/hid ||
			return 255
	fi
	return 0
}

depends() {
	return 0
}

installkernel() {
	# The ones modprobe resolves for $kernel: ours when dkms installed them
	# (the depmod.d override), the in-tree ones on a kernel we do not serve.
	hostonly='' instmods hv_vmbus hv_storvsc
	# Network in the initramfs (network root, iSCSI, NFS): dracut's
	# kernel-network-modules picks drivers by path under kernel/drivers/net,
	# which is the in-tree hv_netvsc; add the one modprobe resolves (ours).
	# hv_utils is not needed there (the in-tree one is not included either).
	if dracut_module_included kernel-network-modules || dracut_module_included network; then
		hostonly='' instmods hv_netvsc
	fi
}

install() {
	inst_simple /usr/lib/hyperv-lis/hyperv-lis-dependant-guard
	inst_simple /usr/lib/modprobe.d/hyperv-lis.conf
}
