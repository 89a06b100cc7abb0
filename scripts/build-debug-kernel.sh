#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-debug-kernel.sh [--source-version 6.12] [--jobs N] [--force]
#                       [--release|--config-only|--progress|--unlink]
#
# Build a debug kernel for the VM suite (`make check-vm KERNELS=debug`) out of
# Debian's linux-source-X.Y package: x86_64 defconfig + kvm_guest.config, the
# Hyper-V drivers as modules (CONFIG_HYPERV=m, as Debian has them), what the
# VM cases load (virtio-scsi, sd, ext4, vsock, 8021q, DRM, HID, UIO), the
# checkers KASAN (generic, with vmalloc), KFENCE, PROVE_LOCKING with
# PROVE_RAW_LOCK_NESTING (a spinlock_t taken in hard-IRQ context or under a
# raw lock - a sleeping lock on PREEMPT_RT - is reported here too, as
# "BUG: Invalid wait context"), DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS,
# DEBUG_LIST, UBSAN, and without what a
# test VM never uses (sound, USB, wireless, netfilter, NIC drivers, i915, ...).
#
# Cached per machine in $HVLIS_DEBUG_KERNEL_CACHE (default
# /var/cache/hvlis/debug-kernel, ~/.cache/hvlis/... when not root): src-<ver>/ is the
# configured and built tree (a re-run continues an interrupted build, make
# is incremental), <release>/ holds what the VM harness needs:
#   vmlinux   the ELF kernel (PVH entry: QEMU boots it directly)
#   root/     `make modules_install` output (lib/modules/<release>/...)
#   info      source package version, config hash, build time
#   .ready    written last
# When the kernel is tested, scripts/vm-kernel.sh links /lib/modules/<release>/
# build to the tree, so that our modules and the simhost build against it as
# against any installed kernel's headers (--unlink takes the link away).
# A finished build whose config fragment is unchanged is reused (<1 s).
#
# The build runs under `nice -n 19`, in an autogroup of nice 19.  --release
# prints the release name of the cached build (exit 1 if none is ready);
# --config-only stops after the
# configuration (and checks that every option asked for survived it);
# --unlink removes the /lib/modules/<release>/build links (scripts/vm-kernel.sh
# makes them again when the kernel is tested).
# Progress: <cache>/src-<ver>/build.log; `--progress` prints objects built.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/kernels.sh
. "$REPO/scripts/kernels.sh"
# shellcheck source=scripts/kernel-build-lib.sh
. "$REPO/scripts/kernel-build-lib.sh"

srcver=${HVLIS_DEBUG_KERNEL_SOURCE:-6.12}
jobs=$(nproc)
mode=build
force=0

usage() { sed -n '4,36s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
msg() { echo "build-debug-kernel: $*" >&2; }
die() { msg "error: $*"; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--source-version) [ $# -ge 2 ] || usage; srcver=$2; shift ;;
	--release) mode=release ;;
	--config-only) mode=config ;;
	--progress) mode=progress ;;
	--unlink) mode="unlink" ;;
	--jobs) [ $# -ge 2 ] || usage; jobs=$2; shift ;;
	--force) force=1 ;;
	*) usage ;;
	esac
	shift
done
[[ $srcver =~ ^[0-9]+\.[0-9]+$ ]] || die "bad --source-version '$srcver'"
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "bad --jobs '$jobs'"

cache=$(debug_kernel_cache)
src=$cache/src-$srcver
tarball=/usr/src/linux-source-$srcver.tar.xz
suffix=-hvlis-debug

if [ "$mode" = release ]; then
	r=$(debug_kernel_releases | grep "^$srcver\." | tail -n1) || true
	[ -n "$r" ] || exit 1
	echo "$r"
	exit 0
fi

# The options of the debug kernel.  "=n" lines switch off what defconfig
# has and no VM case needs (build time on a 2-core machine).
fragment() {
	kbuild_fragment_common
	cat <<'EOF'
CONFIG_LOCALVERSION="-hvlis-debug"
CONFIG_MODULE_FORCE_UNLOAD=y
# CONFIG_MODULE_COMPRESS is not set
CONFIG_DEBUG_INFO_NONE=y
CONFIG_KEXEC=y
CONFIG_CRASH_DUMP=y
CONFIG_DRM=m
CONFIG_DEBUG_KERNEL=y
CONFIG_KASAN=y
CONFIG_KASAN_GENERIC=y
CONFIG_KASAN_OUTLINE=y
CONFIG_KASAN_VMALLOC=y
CONFIG_KFENCE=y
CONFIG_PROVE_LOCKING=y
CONFIG_PROVE_RAW_LOCK_NESTING=y
CONFIG_DEBUG_ATOMIC_SLEEP=y
CONFIG_DEBUG_OBJECTS=y
CONFIG_DEBUG_OBJECTS_FREE=y
CONFIG_DEBUG_OBJECTS_TIMERS=y
CONFIG_DEBUG_OBJECTS_WORK=y
CONFIG_DEBUG_OBJECTS_RCU_HEAD=y
CONFIG_DEBUG_LIST=y
CONFIG_UBSAN=y
CONFIG_UBSAN_BOUNDS=y
CONFIG_UBSAN_SHIFT=y
CONFIG_SLUB_DEBUG=y
CONFIG_DETECT_HUNG_TASK=y
CONFIG_BPF_SYSCALL=y
CONFIG_HIBERNATION=y
# CONFIG_RFKILL is not set
# CONFIG_NETFILTER is not set
# CONFIG_NET_SCHED is not set
# CONFIG_ATA is not set
# CONFIG_MD is not set
# CONFIG_AGP is not set
# CONFIG_PCCARD is not set
# CONFIG_FTRACE is not set
# CONFIG_KPROBES is not set
# CONFIG_INPUT_JOYSTICK is not set
# CONFIG_INPUT_TABLET is not set
# CONFIG_INPUT_TOUCHSCREEN is not set
EOF
}

# --unlink: take /lib/modules/<release>/build (and the directory, when
# nothing else is in it) of every debug kernel away again.
if [ "$mode" = unlink ]; then
	kbuild_unlink "$suffix"
	exit 0
fi

# --progress: how far a build is (objects built, their rate).
if [ "$mode" = progress ]; then
	[ -d "$src" ] || die "no tree in $src"
	n=$(find "$src" -name '*.o' -newer "$src/.config" | wc -l)
	first=$(stat -c %Y "$src/.config")
	mins=$(( ($(date +%s) - first) / 60 ))
	echo "objects built: $n in ${mins} min since configuration" \
	     "($(awk -v n="$n" -v m="$mins" 'BEGIN { printf "%.1f", m ? n / m : 0 }')/min)"
	exit 0
fi

[ "$(uname -m)" = x86_64 ] || die "x86_64 only"
for tool in make gcc bc bison flex perl xz; do
	command -v "$tool" >/dev/null || die "'$tool' not found (make deps)"
done

if [ ! -f "$tarball" ]; then
	[ "$(id -u)" -eq 0 ] ||
		die "$tarball missing: apt-get install linux-source-$srcver"
	msg "installing linux-source-$srcver"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "linux-source-$srcver" >&2
fi
pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$srcver" 2>/dev/null || echo unknown)
fhash=$(fragment | sha256sum | cut -c1-16)

mkdir -p "$cache"
exec 9>"$cache/.lock-$srcver"
flock -n 9 || { msg "another build of $srcver runs; waiting"; flock 9; }

# A ready build of this source version and this fragment: reuse it.
if [ "$force" = 0 ] && [ "$mode" = build ]; then
	for d in "$cache"/"$srcver".*"$suffix"; do
		if [ -e "$d/.ready" ] && grep -qxF "config_fragment=$fhash" "$d/info" &&
		   grep -qxF "source_version=$pkgver" "$d/info"; then
			msg "${d##*/} is ready (cached in $d)"
			echo "${d##*/}"
			exit 0
		fi
	done
fi

t0=$(date +%s)
# --- 1. the tree -------------------------------------------------------------
if [ "$force" = 1 ] || [ ! -f "$src/.source-version" ] ||
   [ "$(cat "$src/.source-version")" != "$pkgver" ]; then
	msg "unpacking $tarball ($pkgver) into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
	echo "$pkgver" >"$src/.source-version"
fi

# --- 2. the configuration ------------------------------------------------------
if [ ! -f "$src/.config" ] || [ "$(cat "$src/.fragment-hash" 2>/dev/null)" != "$fhash" ]; then
	msg "configuring (defconfig + kvm_guest.config + debug fragment $fhash)"
	fragment >"$src/hvlis-debug.config"
	kbuild_configure "$src" hvlis-debug.config
	echo "$fhash" >"$src/.fragment-hash"
fi
fragment >"$src/hvlis-debug.config"
kbuild_check_options "$src" "$src/hvlis-debug.config"
[ "$mode" = config ] && { msg "configured: $src/.config"; exit 0; }

# --- 3. the build and what the harness needs -------------------------------------
msg "building with -j$jobs under nice -n 19 (log: $src/build.log)"
kbuild_make "$src" "$jobs" "$src/build.log"
t_build=$(( $(date +%s) - t0 ))
kbuild_install "$src" "$suffix" \
	"package=local build of linux-source-$srcver" \
	"source_version=$pkgver" "config_fragment=$fhash" \
	"build_seconds=$t_build"
