#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# install-deps.sh [--check] - install the Debian 12 packages that building,
# testing and the demo need.  Not root: print the exact command instead.
set -euo pipefail

# Kernels the VM tests boot: Debian 12's 6.1 and 6.12 (bookworm-security),
# named once, in scripts/kernels.sh (CI_KERNEL_PKGS).
# shellcheck source=scripts/kernels.sh
. "$(cd "$(dirname "$0")" && pwd)/kernels.sh"
# shellcheck disable=SC2206 # CI_KERNEL_PKGS is a list of package names
pkgs=(
	build-essential gcc make bc bison flex libelf-dev libssl-dev kmod cpio
	xz-utils zstd rsync
	$CI_KERNEL_PKGS
	sparse shellcheck linux-source-6.1
	clang-14 libclang-rt-14-dev valgrind
	qemu-system-x86 busybox-static e2fsprogs fio iperf3 iputils-ping ethtool
	dkms debhelper dh-dkms lintian fakeroot dpkg-dev
	rpm rpmlint apt-utils createrepo-c dnf
	hyperv-daemons chrony
)

# A run cut off half-way (a killed session; a packaging test stopped while a
# kernel's headers were out) leaves dpkg half-done: a metapackage "installed"
# without the headers it depends on.  Finish or repair that first.
if [ "$(id -u)" -eq 0 ] && [ "${1:-}" != --check ] &&
	{ [ -n "$(dpkg --audit 2>/dev/null)" ] || ! apt-get check >/dev/null 2>&1; }; then
	echo "install-deps: dpkg's state is broken; running dpkg --configure -a, apt-get -f install"
	export DEBIAN_FRONTEND=noninteractive
	dpkg --configure -a || true
	apt-get install -f -y -q --no-install-recommends
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
# Each CI kernel needs its build directory, not only its metapackage.
# shellcheck disable=SC2086 # CI_KERNEL_PKGS is a list of package names
for r in $(meta_releases $CI_KERNEL_PKGS 2>/dev/null); do
	[ -e "/lib/modules/$r/build/Makefile" ] || missing+=("linux-headers-$r")
done
[ ${#missing[@]} -eq 0 ] && { echo "install-deps: all packages present"; exit 0; }
[ "${1:-}" = --check ] && { echo "missing: ${missing[*]}"; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: run as root, or install them yourself:" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
