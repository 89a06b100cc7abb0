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
	cat <<'EOF'
CONFIG_LOCALVERSION="-hvlis-debug"
# CONFIG_LOCALVERSION_AUTO is not set
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
CONFIG_MODULE_FORCE_UNLOAD=y
# CONFIG_MODVERSIONS is not set
# CONFIG_MODULE_SIG is not set
# CONFIG_MODULE_COMPRESS is not set
CONFIG_DEBUG_INFO_NONE=y
CONFIG_KALLSYMS_ALL=y
CONFIG_DEBUG_FS=y
CONFIG_IKCONFIG=y
CONFIG_IKCONFIG_PROC=y
CONFIG_HYPERVISOR_GUEST=y
CONFIG_PARAVIRT=y
CONFIG_PVH=y
CONFIG_SMP=y
CONFIG_HOTPLUG_CPU=y
CONFIG_KEXEC=y
CONFIG_CRASH_DUMP=y
CONFIG_HYPERV=m
CONFIG_HYPERV_UTILS=m
CONFIG_HYPERV_BALLOON=m
CONFIG_HYPERV_STORAGE=m
CONFIG_HYPERV_NET=m
CONFIG_HYPERV_VSOCKETS=m
CONFIG_HYPERV_KEYBOARD=m
CONFIG_HID_HYPERV_MOUSE=m
CONFIG_PCI_HYPERV=m
CONFIG_UIO=m
CONFIG_UIO_HV_GENERIC=m
CONFIG_DRM=m
CONFIG_DRM_HYPERV=m
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
# CONFIG_SOUND is not set
# CONFIG_USB_SUPPORT is not set
# CONFIG_WIRELESS is not set
# CONFIG_WLAN is not set
# CONFIG_CFG80211 is not set
# CONFIG_RFKILL is not set
# CONFIG_NETFILTER is not set
# CONFIG_NET_SCHED is not set
# CONFIG_ETHERNET is not set
# CONFIG_NFS_FS is not set
# CONFIG_ATA is not set
# CONFIG_MD is not set
# CONFIG_AGP is not set
# CONFIG_DRM_I915 is not set
# CONFIG_PCCARD is not set
# CONFIG_SECURITY_SELINUX is not set
# CONFIG_AUDIT is not set
# CONFIG_FTRACE is not set
# CONFIG_KPROBES is not set
# CONFIG_INPUT_JOYSTICK is not set
# CONFIG_INPUT_TABLET is not set
# CONFIG_INPUT_TOUCHSCREEN is not set
# CONFIG_LOGO is not set
# CONFIG_HIBERNATION is not set
EOF
}

# --unlink: take /lib/modules/<release>/build (and the directory, when
# nothing else is in it) of every debug kernel away again.
if [ "$mode" = unlink ]; then
	for r in $(debug_kernel_releases); do
		[ -L "/lib/modules/$r/build" ] || continue
		rm -f "/lib/modules/$r/build"
		rmdir "/lib/modules/$r" 2>/dev/null || true
		msg "unlinked /lib/modules/$r/build"
	done
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
	(cd "$src" && make -s x86_64_defconfig >&2 &&
	 KCONFIG_CONFIG=.config scripts/kconfig/merge_config.sh -m .config \
		kernel/configs/kvm_guest.config hvlis-debug.config >&2 &&
	 make -s olddefconfig >&2)
	echo "$fhash" >"$src/.fragment-hash"
fi
# Every option asked for must have survived olddefconfig (a dependency that
# is not met drops it silently).
lost=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF "$line" "$src/.config" || lost+=("$line") ;;
	"# CONFIG_"*" is not set")
		o=${line#\# }; o=${o%% *}
		! grep -q "^$o=" "$src/.config" || lost+=("$o=n") ;;
	esac
done < <(fragment)
[ ${#lost[@]} -eq 0 ] || die "options lost in the configuration: ${lost[*]}"
[ "$mode" = config ] && { msg "configured: $src/.config"; exit 0; }

# --- 3. the build ---------------------------------------------------------------
msg "building with -j$jobs under nice -n 19 (log: $src/build.log)"
# With sched_autogroup (Debian's default) nice counts only inside the
# session: run the build in a session of its own whose autogroup is nice 19
# too, so that it really yields to everybody else's work.
lowprio() {
	setsid -w nice -n 19 sh -c \
		'echo 19 >/proc/self/autogroup 2>/dev/null; exec "$@"' lowprio "$@"
}
if ! lowprio make -C "$src" -j"$jobs" vmlinux modules >"$src/build.log" 2>&1; then
	grep -m5 -E 'error|Error' "$src/build.log" >&2 || tail -n 20 "$src/build.log" >&2
	die "build failed (log: $src/build.log)"
fi
t_build=$(( $(date +%s) - t0 ))
# Known only once the build wrote include/config/auto.conf.
rel=$(make -s -C "$src" kernelrelease)
case $rel in *"$suffix") ;; *) die "release '$rel' does not end in $suffix" ;; esac

# --- 4. what the harness needs --------------------------------------------------
out=$cache/$rel
rm -rf "$out"
mkdir -p "$out"
lowprio make -s -C "$src" modules_install INSTALL_MOD_PATH="$out/root" \
	INSTALL_MOD_STRIP=1 DEPMOD=/sbin/depmod >&2
rm -f "$out/root/lib/modules/$rel/build" "$out/root/lib/modules/$rel/source"
cp "$src/vmlinux" "$out/vmlinux"
readelf -n "$out/vmlinux" | grep -q 'Xen' || die "vmlinux has no PVH note (CONFIG_PVH)"
# No /lib/modules/<release>/build link here: scripts/vm-kernel.sh makes it
# when the kernel is tested, so that a finished build changes nothing else
# (check-static and compile-matrix build against every /lib/modules/*/build).
cat >"$out/info" <<EOF
kver=$rel
package=local build of linux-source-$srcver
source_version=$pkgver
config_fragment=$fhash
tree=$src
moddir=lib/modules/$rel
build_seconds=$t_build
built=$(date -u +%Y-%m-%dT%H:%MZ)
EOF
touch "$out/.ready"
msg "$rel ready in $out ($t_build s)"
echo "$rel"
