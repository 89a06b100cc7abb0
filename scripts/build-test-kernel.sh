#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-test-kernel.sh [--jobs N] [--force] [--config-only]
#                      [--vendor-config FILE [--extra-config FILE]] TREE
#
# Build a plain bootable test kernel for the VM suite (`make check-vm
# KERNELS=old`, issue 15: the drivers running, not only compiling, on old
# kernels) out of a kernel source tree, e.g. a vanilla LTS tree fetched and
# extracted as ../shared/docs/kernel-trees.md says.  Configuration:
# x86_64_defconfig + kvm_guest.config + the fragment below (the Hyper-V
# drivers as modules, as distributions have them; PVH so that QEMU boots the
# ELF vmlinux; what the VM cases load), no debug options.
#
# The result goes to the same per-machine cache as build-debug-kernel.sh's
# (scripts/kernels.sh debug_kernel_cache), as <release>/ with vmlinux, root/
# (modules_install), info and .ready; the release ends in -hvlis-test.
# scripts/vm-kernel.sh takes it from there and links /lib/modules/<release>/
# build to TREE while it is tested (`build-debug-kernel.sh --unlink` style:
# `build-test-kernel.sh --unlink` removes those links).
# The tree is built in place under `nice -n 19` (make is incremental; a
# re-run continues); a ready build of an unchanged tree and fragment is
# reused.  Every option of the fragment must survive olddefconfig, except
# those the tree's Kconfig does not know (older kernels lack some).
# --vendor-config FILE: start from a distribution's own configuration (a
# vendor tree such as Alma's that builds only from its own: e.g.
# TREE/almalinux/kernel-x86_64-rhel.config) instead of defconfig, cut down
# by localmodconfig to the modules the VM cases load (VENDOR_MODULES below),
# with the fragment and what a local build needs on top (no module signing,
# lockdown, trusted keys or BTF).  --extra-config FILE: options merged
# last, for what one tree needs (scripts/test-kernel-configs/).

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/kernels.sh
. "$REPO/scripts/kernels.sh"
# shellcheck source=scripts/kernel-build-lib.sh
. "$REPO/scripts/kernel-build-lib.sh"

jobs=$(nproc)
force=0
mode=build
tree=
suffix=-hvlis-test
vendor=
extra=

usage() { sed -n '4,33s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
msg() { echo "build-test-kernel: $*" >&2; }
die() { msg "error: $*"; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--jobs) [ $# -ge 2 ] || usage; jobs=$2; shift ;;
	--force) force=1 ;;
	--config-only) mode=config ;;
	--vendor-config) [ $# -ge 2 ] || usage; vendor=$2; shift ;;
	--extra-config) [ $# -ge 2 ] || usage; extra=$2; shift ;;
	--unlink) mode="unlink" ;;
	-*) usage ;;
	*) [ -z "$tree" ] || usage; tree=$1 ;;
	esac
	shift
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "bad --jobs '$jobs'"
cache=$(debug_kernel_cache)

if [ "$mode" = unlink ]; then
	kbuild_unlink "$suffix"
	exit 0
fi

[ -n "$tree" ] || usage
tree=$(cd "$tree" && pwd)
if [ ! -f "$tree/Makefile" ] || [ ! -f "$tree/arch/x86/configs/x86_64_defconfig" ]; then
	die "$tree is not a kernel source tree"
fi
[ "$(uname -m)" = x86_64 ] || die "x86_64 only"
for tool in make gcc bc bison flex perl readelf; do
	command -v "$tool" >/dev/null || die "'$tool' not found (make deps)"
done

fragment() {
	kbuild_fragment_common
	cat <<'EOF'
CONFIG_LOCALVERSION="-hvlis-test"
# CONFIG_DEBUG_INFO is not set
CONFIG_VETH=m
CONFIG_NET_NS=y
CONFIG_IPV6=y
CONFIG_PTP_1588_CLOCK=y
CONFIG_KPROBES=y
CONFIG_KPROBE_EVENTS=y
CONFIG_BPF_SYSCALL=y
# CONFIG_DRM_AMDGPU is not set
# CONFIG_DRM_RADEON is not set
EOF
}

# --vendor-config: the modules of the VM cases (their modules= directives
# and the kernel's Hyper-V drivers) with what they need, for localmodconfig
VENDOR_MODULES="hv_vmbus hv_storvsc hv_netvsc hv_utils hv_balloon hv_sock
 hyperv_drm hid_hyperv hyperv_keyboard pci_hyperv uio_hv_generic uio vsock
 veth virtio virtio_ring virtio_pci virtio_pci_modern_dev virtio_net
 net_failover failover virtio_scsi sd_mod scsi_mod scsi_common scsi_debug
 brd ext4 jbd2 mbcache crc16 crc32c_generic libcrc32c 8021q garp mrp stp
 llc drm drm_kms_helper hid serio_raw"
# and what a local build of a vendor configuration must change
vendor_overrides() {
	cat <<'EOF'
# CONFIG_MODULE_SIG is not set
# CONFIG_SECURITY_LOCKDOWN_LSM is not set
# CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT is not set
# CONFIG_IMA_ARCH_POLICY is not set
# CONFIG_IMA_APPRAISE_MODSIG is not set
CONFIG_SYSTEM_TRUSTED_KEYS=""
# CONFIG_SYSTEM_REVOCATION_LIST is not set
# CONFIG_INTEGRITY_PLATFORM_KEYRING is not set
# CONFIG_DEBUG_INFO_BTF is not set
# CONFIG_DEBUG_INFO is not set
EOF
	[ -z "$extra" ] || cat "$extra"
}

kver=$(make -s -C "$tree" kernelversion 2>/dev/null) || die "cannot read the version of $tree"
fhash=$(fragment | sha256sum | cut -c1-16)
[ -z "$extra" ] || [ -n "$vendor" ] || die "--extra-config goes with --vendor-config"
if [ -n "$vendor" ]; then
	[ -f "$vendor" ] || die "no vendor configuration $vendor"
	[ -z "$extra" ] || [ -f "$extra" ] || die "no configuration $extra"
	vendor=$(cd "$(dirname "$vendor")" && pwd)/$(basename "$vendor")
	fhash=$( { fragment; vendor_overrides; echo "$VENDOR_MODULES"; cat "$vendor"; } |
		sha256sum | cut -c1-16)
fi
mkdir -p "$cache"
exec 9>"$cache/.lock-test-$kver"
flock -n 9 || { msg "another build of $kver runs; waiting"; flock 9; }

if [ "$force" = 0 ] && [ "$mode" = build ]; then
	d=$cache/$kver$suffix
	if [ -e "$d/.ready" ] && grep -qxF "config_fragment=$fhash" "$d/info" &&
	   grep -qxF "tree=$tree" "$d/info"; then
		msg "${d##*/} is ready (cached in $d)"
		echo "${d##*/}"
		exit 0
	fi
fi

t0=$(date +%s)
if [ ! -f "$tree/.config" ] || [ "$(cat "$tree/.hvlis-test-fragment" 2>/dev/null)" != "$fhash" ]; then
	fragment >"$tree/hvlis-test.config"
	if [ -n "$vendor" ]; then
		msg "configuring $kver ($vendor, localmodconfig, fragment $fhash)"
		vendor_overrides >>"$tree/hvlis-test.config"
		for m in $VENDOR_MODULES; do echo "$m 16384 0 - Live 0x0"; done >"$tree/hvlis-lsmod"
		kbuild_configure_vendor "$tree" "$vendor" hvlis-lsmod hvlis-test.config
	else
		msg "configuring $kver (defconfig + kvm_guest.config + fragment $fhash)"
		kbuild_configure "$tree" hvlis-test.config
	fi
	echo "$fhash" >"$tree/.hvlis-test-fragment"
fi
fragment >"$tree/hvlis-test.config"
[ -z "$vendor" ] || vendor_overrides >>"$tree/hvlis-test.config"
kbuild_check_options "$tree" "$tree/hvlis-test.config" known
[ "$mode" = config ] && { msg "configured: $tree/.config"; exit 0; }

msg "building $kver with -j$jobs under nice -n 19 (log: $tree/hvlis-build.log)"
kbuild_make "$tree" "$jobs" "$tree/hvlis-build.log"
kbuild_install "$tree" "$suffix" "package=local build of $tree" \
	"source_version=$kver" "config_fragment=$fhash" "vendor_config=${vendor:-none}" \
	"build_seconds=$(( $(date +%s) - t0 ))"
