#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# vm-kernel.sh KVER: prepare build/vm/kernels/KVER/ for the QEMU tests:
#   <pkg>.deb     Debian's image package of exactly that release (the one whose
#                 headers are in /lib/modules/KVER/build, so vermagic matches)
#   deb.sha256    sha256 of that .deb
#   root/         its files (dpkg-deb -x: no maintainer script ever runs), plus
#                 the modules.dep/... that depmod writes for it
#   vmlinux       uncompressed ELF kernel taken out of the bzImage (PVH boot)
#   info          what was done and how long it took
# A kernel that scripts/build-debug-kernel.sh or build-test-kernel.sh built
# is taken from its cache instead (vmlinux, or bzImage when it has no PVH
# entry, root/ with its modules, info).
# Cached and idempotent: a finished directory is reused as it is (<0.1 s).
# Cold, on the 2-core CI machine kind: 6.1.0-56 (xz) 13 s, 6.12.117 (zstd)
# 16 s, nearly all of it dpkg-deb -x and depmod; the download is 1-2 s.
# Prints the directory on stdout; progress goes to stderr.
# --force redoes everything (downloads again unless the .deb is still there).

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${HVLIS_VM_KERNEL_CACHE:-$REPO/build/vm/kernels}

usage() {
	echo "usage: $0 [--force] KVER   (e.g. 6.1.0-56-amd64)" >&2
	exit 2
}

msg() { echo "vm-kernel: $*" >&2; }
die() { msg "error: $*"; exit 1; }

force=0
kver=
while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1 ;;
	-h|--help) usage ;;
	-*) usage ;;
	*) [ -z "$kver" ] || usage; kver=$1 ;;
	esac
	shift
done
[ -n "$kver" ] || usage
case $kver in
*/*|.*) die "bad kernel release '$kver'" ;;
esac

for tool in apt-get dpkg-deb depmod readelf sha256sum od; do
	command -v "$tool" >/dev/null || die "'$tool' not found"
done

dir=$CACHE/$kver
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9

# A kernel built here (scripts/build-debug-kernel.sh): no package, its own
# vmlinux and modules_install tree; its headers are the build tree, linked
# as /lib/modules/KVER/build while it is under test (run
# `scripts/build-debug-kernel.sh --unlink` to take the link away again).
# shellcheck source=scripts/kernels.sh
. "$REPO/scripts/kernels.sh"
local_build=$(debug_kernel_cache)/$kver
if [ -e "$local_build/.ready" ]; then
	tree=$(sed -n 's/^tree=//p' "$local_build/info")
	if [ ! -e "/lib/modules/$kver/build/Makefile" ]; then
		[ "$(id -u)" -eq 0 ] ||
			die "as root: mkdir -p /lib/modules/$kver && ln -sfn $tree /lib/modules/$kver/build"
		mkdir -p "/lib/modules/$kver"
		ln -sfn "$tree" "/lib/modules/$kver/build"
		msg "linked /lib/modules/$kver/build -> $tree"
	fi
	stamp=$(sed -n 's/^built=//p' "$local_build/info")
	if [ "$force" = 1 ] || [ ! -e "$dir/.ready" ] ||
	   ! grep -qxF "built=$stamp" "$dir/info"; then
		rm -rf "$dir/.ready" "$dir/root" "$dir/vmlinux" "$dir/bzImage" "$dir"/*.deb
		ln -sfn "$local_build/root" "$dir/root"
		# bzImage: a kernel without PVH entry (kbuild_install)
		img=vmlinux
		[ -e "$local_build/vmlinux" ] || img=bzImage
		ln -f "$local_build/$img" "$dir/$img" 2>/dev/null ||
			cp "$local_build/$img" "$dir/$img"
		{
			sed -n 's/^\(kver\|package\|moddir\|built\)=/&/p' "$local_build/info"
			echo "version=$(sed -n 's/^source_version=//p' "$local_build/info")"
			echo "from=$local_build"
			echo "${img}_bytes=$(stat -c %s "$dir/$img")"
		} >"$dir/info"
		touch "$dir/.ready"
		msg "$kver: local build from $local_build"
	fi
	echo "$dir"
	exit 0
fi

# Pin the version of the installed headers package when there is one.
hdr_ver=$(dpkg-query -W -f='${Version}' "linux-headers-$kver" 2>/dev/null || true)

if [ "$force" = 0 ] && [ -e "$dir/.ready" ] && [ -s "$dir/vmlinux" ] &&
   { [ -z "$hdr_ver" ] || grep -qxF "version=$hdr_ver" "$dir/info"; }; then
	echo "$dir"
	exit 0
fi
rm -f "$dir/.ready"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t_start=$(now)

# --- 1. the package -------------------------------------------------------

# find_deb PKG DIR...: set $deb to a PKG .deb of the wanted version found there.
find_deb() {
	local pkg=$1 d f
	shift
	for d in "$@"; do
	for f in "$d/${pkg}"_*.deb; do
		[ -e "$f" ] || continue
		if [ -z "$hdr_ver" ] ||
		   [ "$(dpkg-deb -f "$f" Version)" = "$hdr_ver" ]; then
			deb=$f
			return 0
		fi
	done
	done
	return 1
}

fetch_deb() {
	local pkg=$1 spec=$1
	[ -n "$hdr_ver" ] && spec="$pkg=$hdr_ver"
	# Reuse what is already here, in apt's own cache, or what
	# scripts/install-kernel.sh fetched from another Debian release
	# (bullseye: not in this machine's apt sources).
	if ! find_deb "$pkg" "$dir" /var/cache/apt/archives \
	     "$(foreign_kernel_cache)"/*/debs; then
		msg "downloading $spec"
		(cd "$dir" && apt-get -q -o APT::Sandbox::User=root \
			download "$spec" >&2 2>>"$dir/apt.err") || return 1
		find_deb "$pkg" "$dir" || return 1
	fi
	if [ "$(dirname "$deb")" != "$dir" ]; then
		cp "$deb" "$dir/"
		deb=$dir/$(basename "$deb")
	fi
}

t0=$(now)
rm -f "$dir/apt.err"
pkg=
deb=
for cand in "linux-image-$kver" "linux-image-$kver-unsigned"; do
	if fetch_deb "$cand"; then
		pkg=$cand
		break
	fi
done
if [ -z "$pkg" ]; then
	cat "$dir/apt.err" >&2
	die "no Debian image package for $kver${hdr_ver:+ version $hdr_ver}" \
	    "(tried linux-image-$kver and linux-image-$kver-unsigned; run apt-get update?)"
fi
rm -f "$dir/apt.err"
# Keep only the package we use.
for f in "$dir"/*.deb; do
	[ "$f" = "$deb" ] || rm -f "$f"
done
t_download=$(elapsed "$t0")
sha=$(sha256sum "$deb" | cut -d' ' -f1)
echo "$sha  $(basename "$deb")" >"$dir/deb.sha256"
msg "$(basename "$deb") sha256 $sha"

# --- 2. its files, without maintainer scripts ------------------------------
t0=$(now)
rm -rf "$dir/root" "$dir/root.tmp"
dpkg-deb -x "$deb" "$dir/root.tmp"
vmlinuz=$dir/root.tmp/boot/vmlinuz-$kver
[ -f "$vmlinuz" ] || die "$(basename "$deb") has no boot/vmlinuz-$kver"
moddir=lib/modules/$kver
[ -d "$dir/root.tmp/$moddir" ] || moddir=usr/lib/modules/$kver
[ -d "$dir/root.tmp/$moddir" ] || die "$(basename "$deb") has no modules for $kver"
# The package ships no modules.dep (its postinst runs depmod): make one.
depmod -b "$dir/root.tmp" "$kver"
[ -s "$dir/root.tmp/$moddir/modules.dep" ] || die "depmod wrote no modules.dep"
t_extract=$(elapsed "$t0")

# --- 3. vmlinux out of the bzImage -----------------------------------------
t0=$(now)
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
u8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }

# Name of the compressor whose magic starts at byte OFF of FILE, if any.
magic_at() {
	local hex
	hex=$(od -An -tx1 -j "$2" -N6 "$1" | tr -d ' \n')
	case $hex in
	fd377a585a00*) echo xz ;;
	28b52ffd*) echo zstd ;;
	1f8b08*) echo gzip ;;
	02214c18*) echo lz4 ;;
	425a68*) echo bzip2 ;;
	5d0000*) echo lzma ;;
	*) return 1 ;;
	esac
}

# decompress FILE OFF LEN COMP OUT: the kernel build appends the 4-byte
# decompressed size after every payload except gzip's; the tools would
# call it trailing garbage, so leave it out.
decompress() {
	local file=$1 off=$2 len=$3 comp=$4 out=$5 cmd
	case $comp in
	xz) cmd="xz -dc" ;;
	zstd) cmd="zstd -dcq" ;;
	gzip) cmd="gzip -dc" ;;
	lz4) cmd="lz4 -dc" ;;
	bzip2) cmd="bzip2 -dc" ;;
	lzma) cmd="xz --format=lzma -dc" ;;
	esac
	command -v "${cmd%% *}" >/dev/null || die "need '${cmd%% *}' to unpack $comp"
	[ "$comp" = gzip ] || len=$((len - 4))
	# shellcheck disable=SC2086 # $cmd is a command and its options
	dd if="$file" bs=1M iflag=skip_bytes,count_bytes skip="$off" \
		count="$len" status=none | $cmd >"$out" 2>/dev/null
}

is_elf() { [ "$(od -An -tx1 -N4 "$1" | tr -d ' \n')" = 7f454c46 ]; }

vmlinux_tmp=$dir/vmlinux.tmp
comp=
[ "$(od -An -c -j $((0x202)) -N4 "$vmlinuz" | tr -d ' ')" = HdrS ] ||
	die "$vmlinuz: not a bzImage"
setup_sects=$(u8 "$vmlinuz" $((0x1f1)))
[ "$setup_sects" -ne 0 ] || setup_sects=4
payload_off=$(( (setup_sects + 1) * 512 + $(u32 "$vmlinuz" $((0x248))) ))
payload_len=$(u32 "$vmlinuz" $((0x24c)))
if c=$(magic_at "$vmlinuz" "$payload_off") &&
   decompress "$vmlinuz" "$payload_off" "$payload_len" "$c" "$vmlinux_tmp" &&
   is_elf "$vmlinux_tmp"; then
	comp=$c
	how="boot header payload at $payload_off, $payload_len bytes"
else
	# Old boot protocol or odd image: try every compressor magic in turn.
	size=$(stat -c %s "$vmlinuz")
	while IFS=: read -r off _; do
		c=$(magic_at "$vmlinuz" "$off") || continue
		# The tail after the stream makes the tool fail: judge the output.
		decompress "$vmlinuz" "$off" $((size - off + 4)) "$c" \
			"$vmlinux_tmp" || true
		if is_elf "$vmlinux_tmp"; then
			comp=$c
			how="magic scan at $off"
			break
		fi
	done < <(LC_ALL=C grep -obUaP \
		'\xfd7zXZ\x00|\x28\xb5\x2f\xfd|\x1f\x8b\x08|\x02\x21\x4c\x18|BZh' \
		"$vmlinuz")
fi
[ -n "$comp" ] || die "could not find a compressed ELF kernel in $vmlinuz"

# PVH entry: an ELF note of owner "Xen", type 18 (XEN_ELFNOTE_PHYS32_ENTRY).
notes=$(readelf -n "$vmlinux_tmp" 2>/dev/null)
if ! awk '$1 == "Xen" && /(\(0x0*12\)|PHYS32_ENTRY)[[:space:]]*$/ { f = 1 }
	  END { exit !f }' <<<"$notes"; then
	die "vmlinux of $kver has no PVH entry note (Xen note type 18)"
fi
mv "$vmlinux_tmp" "$dir/vmlinux"
mv "$dir/root.tmp" "$dir/root"
t_vmlinux=$(elapsed "$t0")

cat >"$dir/info" <<EOF
kver=$kver
package=$pkg
version=$(dpkg-deb -f "$deb" Version)
deb=$(basename "$deb")
sha256=$sha
moddir=$moddir
compressor=$comp
extracted_by=$how
vmlinux_bytes=$(stat -c %s "$dir/vmlinux")
seconds_download=$t_download
seconds_extract_depmod=$t_extract
seconds_vmlinux=$t_vmlinux
seconds_total=$(elapsed "$t_start")
EOF
touch "$dir/.ready"
msg "$kver ready in $(elapsed "$t_start") s (download $t_download s," \
    "extract+depmod $t_extract s, vmlinux ($comp) $t_vmlinux s)"
echo "$dir"
