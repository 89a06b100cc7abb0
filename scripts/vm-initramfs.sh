#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# vm-initramfs.sh: build the gzip'd cpio initramfs of one test VM boot.
#
#   vm-initramfs.sh --kver KVER --out FILE [options]
#     --ko FILE        one of our modules (-> /lib/modules/KVER/updates/hvlis/,
#                      linked from /hvlis/ko/NAME.ko); its in-tree
#                      dependencies (modinfo depends=) come along
#     --module NAME    an in-tree module of KVER's image, with its dependencies
#                      (modules.dep); .ko.xz/.zst/.gz are decompressed
#     --module-if-present NAME
#                      the same when KVER has that module at all (an older
#                      kernel may not: hyperv_drm is 5.14's); else left out
#     --bin PATH       a host binary, at the same path, with its shared libraries;
#                      a script as it is, with its #! interpreter (and that
#                      one's libraries) unless the image has that path already
#     --case FILE      a case script (-> /hvlis/cases/)
#     --plan FILE      the run plan (-> /hvlis/plan; default: every --case, 60 s)
#     --file SRC:DST   any other file
#     --guest DIR      guest side (default tests/vm/guest: init, lib.sh, ...)
# Options may repeat. The kernel tree comes from scripts/vm-kernel.sh KVER.
#
# In the image: busybox with its applet links, kmod (insmod, modprobe, ...),
# /init and the rest of the guest dir in /hvlis/, the modules with the
# modules.dep that depmod makes for them.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

msg() { echo "vm-initramfs: $*" >&2; }
die() { msg "error: $*"; exit 1; }
usage() { sed -n '4,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

kver=''
out=''
plan=''
guest=$REPO/tests/vm/guest
kos=() mods=() optmods=() bins=() cases=() files=()
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--kver) kver=$2 ;;
	--out) out=$(abs "$2") ;;
	--ko) kos+=("$(abs "$2")") ;;
	--module) mods+=("$2") ;;
	--module-if-present) optmods+=("$2") ;;
	--bin) bins+=("$2") ;;
	--case) cases+=("$(abs "$2")") ;;
	--plan) plan=$(abs "$2") ;;
	--file) files+=("$(abs "${2%%:*}"):${2#*:}") ;;
	--guest) guest=$(abs "$2") ;;
	*) usage ;;
	esac
	shift 2
done
{ [ -n "$kver" ] && [ -n "$out" ]; } || usage

busybox=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
ldd "$busybox" >/dev/null 2>&1 && die "$busybox is not static (apt-get install busybox-static)"
{ [ -f "$guest/init" ] && [ -f "$guest/lib.sh" ]; } || die "no init/lib.sh in $guest"

kdir=$("$REPO/scripts/vm-kernel.sh" "$kver")
moddir=$(sed -n 's/^moddir=//p' "$kdir/info")
ktree=$kdir/root/$moddir
gmod=lib/modules/$kver			# where in-tree modules go in the image

stage=$(mktemp -d "${TMPDIR:-/tmp}/hvlis-initrd.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cd "$stage"

# --- base system -------------------------------------------------------------
mkdir -p bin sbin usr/bin usr/sbin dev proc sys tmp run root etc mnt \
	hvlis/ko hvlis/cases "$gmod"
# All applet links in /bin, pointing where the host's busybox is.
"$busybox" --install -s "$stage/bin"
bbpath=$(readlink bin/sh)
mkdir -p "$(dirname "${bbpath#/}")"
cp "$busybox" "${bbpath#/}"
# The kernel's built-in initramfs has /dev/console already; this is a spare.
mknod -m 600 dev/console c 5 1 2>/dev/null || true
install -m 755 "$guest/init" init
for f in "$guest"/*; do
	[ "$(basename "$f")" = init ] || install -m 644 "$f" hvlis/
done
for f in modules.builtin modules.builtin.modinfo modules.order; do
	cp "$ktree/$f" "$gmod/" 2>/dev/null || touch "$gmod/$f"
done

# --- modules ---------------------------------------------------------------
# norm PATH|NAME: set $n to the module name (no directory, no .ko*, '_').
norm() { n=${1##*/}; n=${n%%.ko*}; n=${n//-/_}; }

declare -A PATHOF=() DEPS=() OURS=() BUILTIN=()
while IFS= read -r line; do
	p=${line%%:*}
	norm "$p"
	PATHOF[$n]=$p
	DEPS[$n]=${line#*:}
done <"$ktree/modules.dep"
while read -r p; do norm "$p"; BUILTIN[$n]=1; done <"$ktree/modules.builtin"

for f in "${kos[@]}"; do
	[ -f "$f" ] || die "no such module: $f"
	norm "$f"
	OURS[$n]=$f
	d=$(modinfo -F depends "$f" 2>/dev/null || true)
	DEPS[$n]=${d//,/ }
done

# place NAME: copy module NAME (decompressed) and, first, all it depends on.
declare -A PLACED=()
place() {
	local n d sd src dst
	norm "$1"
	[ -z "${PLACED[$n]:-}" ] || return 0
	PLACED[$n]=1
	[ -z "${BUILTIN[$n]:-}" ] || return 0
	if [ -n "${OURS[$n]:-}" ]; then
		# Where DKMS would put them: depmod prefers updates/ to kernel/.
		# Without debug info, as DKMS installs them (strip -g): the
		# image is a fifth of the size and quicker to unpack and scan.
		objcopy --strip-debug "${OURS[$n]}" "$gmod/updates/hvlis/$n.ko"
		ln -s "/$gmod/updates/hvlis/$n.ko" "hvlis/ko/$n.ko"
	elif [ -n "${PATHOF[$n]:-}" ]; then
		src=$ktree/${PATHOF[$n]}
		dst=$gmod/${PATHOF[$n]%%.ko*}.ko
		mkdir -p "$(dirname "$dst")"
		case $src in
		*.ko.xz) xz -dc "$src" >"$dst" ;;
		*.ko.zst) zstd -dcq "$src" >"$dst" ;;
		*.ko.gz) gzip -dc "$src" >"$dst" ;;
		*) cp "$src" "$dst" ;;
		esac
	else
		die "module '$1' is neither ours nor in $kver's modules.dep"
	fi
	for d in ${DEPS[$n]}; do
		place "$d"
	done
	# softdep "pre: crc32c" (ext4): names or aliases, loaded by modprobe.
	[ -z "${OURS[$n]:-}" ] || src=${OURS[$n]}
	for sd in $(modinfo -F softdep "$src" 2>/dev/null | tr ' ' '\n' |
		    grep -v ':$' || true); do
		norm "$sd"
		if [ -n "${PATHOF[$n]:-}" ] || [ -n "${OURS[$n]:-}" ]; then
			place "$sd"
			continue
		fi
		while read -r d; do
			place "$d"
		done < <(awk -v a="$sd" '$1 == "alias" && $2 == a { print $3 }' \
			 "$ktree/modules.alias")
	done
}

mkdir -p "$gmod/updates/hvlis"
for n in "${!OURS[@]}"; do place "$n"; done
for m in "${mods[@]}"; do
	norm "$m"
	[ -z "${BUILTIN[$n]:-}" ] || msg "$m is built into $kver"
	place "$m"
done
for m in "${optmods[@]}"; do
	norm "$m"
	if [ -z "${PATHOF[$n]:-}${BUILTIN[$n]:-}${OURS[$n]:-}" ]; then
		msg "$m is not a module of $kver: left out (--module-if-present)"
		continue
	fi
	place "$m"
done
# modules.dep & co. of what is in the image, for the guest's modprobe.
depmod -b "$stage" "$kver"

# kmod's insmod/modprobe/rmmod: busybox's insmod runs a failing module init
# twice (init_module after finit_module), and Debian uses kmod anyway.  In
# /sbin and /usr/sbin: the kernel's own module requests (mount -t ext4)
# run CONFIG_MODPROBE_PATH, /sbin/modprobe on Debian, /usr/sbin/modprobe
# on RHEL 9.
kmod=$(command -v kmod) || die "kmod not found (apt-get install kmod)"
bins+=("$kmod")
mkdir -p usr/sbin
for t in insmod rmmod lsmod modprobe modinfo depmod; do
	rm -f "sbin/$t" "bin/$t" "usr/sbin/$t" "usr/bin/$t"
	ln -s "$kmod" "sbin/$t"
	[ -e "usr/sbin/$t" ] || ln -s "$kmod" "usr/sbin/$t"
done

# --- host binaries -----------------------------------------------------------
copy_file() {
	local src=$1 dst=${2#/}
	mkdir -p "$(dirname "$dst")"
	rm -f "$dst"
	cp -L "$src" "$dst"
}
# add_bin PATH: a program with its shared libraries; a script ("#!") as it
# is, and its interpreter (the #! line's first word) unless the image has a
# program there already (busybox's /bin/sh), e.g. /bin/bash from the host.
add_bin() {
	local b=$1 interp
	[ -x "$b" ] || die "no such program: $b"
	copy_file "$b" "$b"
	if [ "$(head -c 2 "$b")" = '#!' ]; then
		interp=$(head -n 1 "$b" | sed 's/^#![[:space:]]*//; s/[[:space:]].*//')
		case $interp in
		/*) ;;
		*) die "$b: no absolute interpreter on its #! line" ;;
		esac
		[ -e "${interp#/}" ] || [ -L "${interp#/}" ] || add_bin "$interp"
		return 0
	fi
	# "libx.so => /path (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
	ldd "$b" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
				      $1 ~ /^\// { print $1 }' |
	while read -r lib; do
		[ -e "${lib#/}" ] || copy_file "$lib" "$lib"
	done
}
for b in "${bins[@]}"; do
	add_bin "$b"
done

# --- cases, plan, other files -------------------------------------------------
for c in "${cases[@]}"; do
	install -m 755 "$c" hvlis/cases/
done
if [ -n "$plan" ]; then
	cp "$plan" hvlis/plan
else
	for c in "${cases[@]}"; do
		n=$(basename "$c" .sh)
		echo "$n 60 /hvlis/cases/$n.sh"
	done >hvlis/plan
fi
for f in "${files[@]}"; do
	copy_file "${f%%:*}" "${f#*:}"
done

# --- archive ---------------------------------------------------------------
mkdir -p "$(dirname "$out")"
find . -mindepth 1 -printf '%P\0' | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --reproducible --quiet |
	gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
msg "$out: $(du -k "$out" | cut -f1) KiB, ${#OURS[@]} of our modules," \
    "$((${#PLACED[@]} - ${#OURS[@]})) in-tree, ${#bins[@]} programs, ${#cases[@]} cases"
