# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# kernel-build-lib.sh: the steps build-debug-kernel.sh and
# build-test-kernel.sh share, sourced by both (after scripts/kernels.sh,
# with msg and die defined).  A kernel for the VM harness is configured
# from x86_64_defconfig + kvm_guest.config + a fragment, built with nice,
# and installed into the per-machine cache (debug_kernel_cache) as
# <release>/ with vmlinux, root/ (modules_install), info and .ready.

# kbuild_fragment_common: the options every kernel of the VM harness has:
# the Hyper-V drivers as modules (as distributions build them), PVH (QEMU
# boots the ELF vmlinux), what the cases load, nothing a test VM never uses
kbuild_fragment_common() {
	cat <<'EOF'
CONFIG_BLK_DEV_RAM=m
CONFIG_SCSI_DEBUG=m
CONFIG_DRM_HYPERV=m
CONFIG_HID_HYPERV_MOUSE=m
# CONFIG_LOCALVERSION_AUTO is not set
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
# CONFIG_MODVERSIONS is not set
# CONFIG_MODULE_SIG is not set
CONFIG_KALLSYMS_ALL=y
CONFIG_DEBUG_FS=y
CONFIG_IKCONFIG=y
CONFIG_IKCONFIG_PROC=y
CONFIG_HYPERVISOR_GUEST=y
CONFIG_PARAVIRT=y
CONFIG_PVH=y
CONFIG_SMP=y
CONFIG_HOTPLUG_CPU=y
CONFIG_HYPERV=m
CONFIG_HYPERV_UTILS=m
CONFIG_HYPERV_BALLOON=m
CONFIG_HYPERV_STORAGE=m
CONFIG_HYPERV_NET=m
CONFIG_HYPERV_VSOCKETS=m
CONFIG_HYPERV_KEYBOARD=m
CONFIG_PCI_HYPERV=m
CONFIG_UIO=m
CONFIG_UIO_HV_GENERIC=m
CONFIG_VSOCKETS=m
CONFIG_VLAN_8021Q=m
CONFIG_VIRTIO_PCI=m
CONFIG_SCSI_VIRTIO=m
CONFIG_BLK_DEV_SD=m
CONFIG_EXT4_FS=m
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_RD_GZIP=y
CONFIG_DEVTMPFS=y
CONFIG_TMPFS=y
CONFIG_AIO=y
# CONFIG_SOUND is not set
# CONFIG_USB_SUPPORT is not set
# CONFIG_WIRELESS is not set
# CONFIG_WLAN is not set
# CONFIG_CFG80211 is not set
# CONFIG_ETHERNET is not set
# CONFIG_NFS_FS is not set
# CONFIG_DRM_I915 is not set
# CONFIG_SECURITY_SELINUX is not set
# CONFIG_AUDIT is not set
# CONFIG_LOGO is not set
EOF
}

# kbuild_configure TREE FRAGMENT_FILE: the configuration (olddefconfig)
kbuild_configure() {
	local tree=$1 frag=$2 guest=kernel/configs/kvm_guest.config
	[ -f "$tree/$guest" ] || guest=arch/x86/configs/kvm_guest.config
	[ -f "$tree/$guest" ] || die "no kvm_guest.config in $tree"
	(cd "$tree" && make -s x86_64_defconfig >&2 &&
	 KCONFIG_CONFIG=.config scripts/kconfig/merge_config.sh -m .config \
		"$guest" "$frag" >&2 &&
	 make -s olddefconfig >&2)
}

# kbuild_configure_vendor TREE VENDOR_CONFIG LSMOD FRAGMENT: the vendor's
# configuration, localmodconfig down to the modules LSMOD (a /proc/modules
# style list, relative to TREE) names, FRAGMENT merged on top.  Kconfig's
# questions and answers go to TREE/hvlis-config.log.
kbuild_configure_vendor() {
	local tree=$1 vendor=$2 lsmod=$3 frag=$4
	(cd "$tree" && cp "$vendor" .config &&
	 { yes '' || true; } | make -s LSMOD="$lsmod" localmodconfig >hvlis-config.log 2>&1 &&
	 KCONFIG_CONFIG=.config scripts/kconfig/merge_config.sh -m .config "$frag" \
		>>hvlis-config.log 2>&1 &&
	 make -s olddefconfig >&2) || die "configuration failed (log: $tree/hvlis-config.log)"
}

# kbuild_check_options TREE FRAGMENT_FILE [any|known]: every option of the
# fragment survived olddefconfig (a dependency that is not met drops one
# silently); "known" skips the options the tree's Kconfig does not define
# (older kernels lack some).  Dies naming the lost ones.
kbuild_check_options() {
	local tree=$1 frag=$2 which=${3:-any} line o lost=()
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			o=${line%%=*}
			grep -qxF "$line" "$tree/.config" && continue
			[ "$which" = known ] &&
				! grep -rqs --include='Kconfig*' -E "^(menu)?config ${o#CONFIG_}\$" "$tree" &&
				continue
			lost+=("$line") ;;
		"# CONFIG_"*" is not set")
			o=${line#\# }; o=${o%% *}
			! grep -q "^$o=" "$tree/.config" || lost+=("$o=n") ;;
		esac
	done <"$frag"
	[ ${#lost[@]} -eq 0 ] || die "options lost in the configuration: ${lost[*]}"
}

# kbuild_make TREE JOBS LOG: vmlinux and modules, under lowprio
kbuild_make() {
	if ! lowprio make -C "$1" -j"$2" vmlinux modules >"$3" 2>&1; then
		grep -m5 -E 'error|Error' "$3" >&2 || tail -n 20 "$3" >&2
		die "build failed (log: $3)"
	fi
}

# kbuild_install TREE SUFFIX INFO_LINE...: the release (it must end in
# SUFFIX) installed into the cache (vmlinux, or bzImage for a kernel without
# PVH entry); prints the release.  No
# /lib/modules/<release>/build link here: scripts/vm-kernel.sh makes it when
# the kernel is tested, so that a finished build changes nothing else
# (check-static and compile-matrix build against every /lib/modules/*/build).
kbuild_install() {
	local tree=$1 suffix=$2 rel out
	shift 2
	# known only once the build wrote include/config/auto.conf
	rel=$(make -s -C "$tree" kernelrelease)
	case $rel in *"$suffix") ;; *) die "release '$rel' does not end in $suffix" ;; esac
	out=$(debug_kernel_cache)/$rel
	rm -rf "$out"
	mkdir -p "$out"
	lowprio make -s -C "$tree" modules_install INSTALL_MOD_PATH="$out/root" \
		INSTALL_MOD_STRIP=1 DEPMOD=/sbin/depmod >&2
	rm -f "$out/root/lib/modules/$rel/build" "$out/root/lib/modules/$rel/source"
	# as an image package has them: mkinitramfs and dracut read the config
	mkdir -p "$out/root/boot"
	cp "$tree/.config" "$out/root/boot/config-$rel"
	cp "$tree/System.map" "$out/root/boot/System.map-$rel"
	# QEMU boots an ELF vmlinux by its PVH entry, the Xen note of type
	# 0x12 (XEN_ELFNOTE_PHYS32_ENTRY); other Xen notes (RHEL 8's PVHVM)
	# are no entry
	if readelf -n "$tree/vmlinux" | grep -q 'Xen.*(0x00000012)'; then
		cp "$tree/vmlinux" "$out/vmlinux"
	else
		# Trees without PVH boot outside Xen (no CONFIG_PVH: before
		# v5.0, PVH was Xen's alone): QEMU boots the bzImage, which
		# costs its decompression (a few seconds under TCG).
		msg "vmlinux has no PVH entry note: the VMs boot the bzImage"
		lowprio make -s -C "$tree" -j"$(nproc)" bzImage >&2
		cp "$tree/arch/x86/boot/bzImage" "$out/bzImage"
	fi
	{
		echo "kver=$rel"
		printf '%s\n' "$@"
		echo "tree=$tree"
		echo "moddir=lib/modules/$rel"
		echo "built=$(date -u +%Y-%m-%dT%H:%MZ)"
	} >"$out/info"
	touch "$out/.ready"
	msg "$rel ready in $out"
	echo "$rel"
}

# kbuild_unlink SUFFIX: remove the /lib/modules/<release>/build links that
# scripts/vm-kernel.sh made for the cached kernels ending in SUFFIX
kbuild_unlink() {
	local r
	for r in $(debug_kernel_releases "$1"); do
		[ -L "/lib/modules/$r/build" ] || continue
		rm -f "/lib/modules/$r/build"
		rmdir "/lib/modules/$r" 2>/dev/null || true
		msg "unlinked /lib/modules/$r/build"
	done
}
