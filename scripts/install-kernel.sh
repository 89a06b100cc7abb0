#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# install-kernel.sh [--image] [--purge] SET...: install (or remove) an extra
# set of Debian kernels for the VM suite, on demand (never part of `make
# deps`: `make check-vm` tests only the CI kernels unless told otherwise).
#   SET    rt: Debian 12's PREEMPT_RT kernels, 6.1 and 6.12
#              (the releases scripts/kernels.sh --packages rt depend on)
#          or a header metapackage name (linux-headers-...)
#   --image  also the image packages (only to boot them for real: the VM
#            suite needs just the headers, it takes the image out of the
#            .deb itself; an image costs ~4 min of initramfs generation)
#   --purge  remove what an earlier install of SET added (exactly the
#            packages it recorded, nothing else), then apt-get purge the
#            releases' own packages if still there
# Then: make check-vm KERNELS=rt (or tests/vm/run.sh --kernels "$(scripts/kernels.sh rt)").
# Records: /var/cache/hvlis/install-kernel-SET.list.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/kernels.sh
. "$REPO/scripts/kernels.sh"

usage() { sed -n '4,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
msg() { echo "install-kernel: $*" >&2; }
die() { msg "error: $*"; exit 1; }

image=0 purge=0 sets=()
while [ $# -gt 0 ]; do
	case $1 in
	--image) image=1 ;;
	--purge) purge=1 ;;
	-h|--help) usage ;;
	-*) usage ;;
	*) sets+=("$1") ;;
	esac
	shift
done
[ ${#sets[@]} -gt 0 ] || usage
[ "$(id -u)" -eq 0 ] || die "run as root"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-y -q -o DPkg::Lock::Timeout=600)
records=/var/cache/hvlis
mkdir -p "$records"

installed() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 2>/dev/null |
		awk '$1 ~ /^.i/ { print $2 }' | sort
}

for set in "${sets[@]}"; do
	case $set in
	rt) metas=$RT_KERNEL_PKGS ;;
	linux-headers-*) metas=$set ;;
	*) die "unknown set '$set' (rt, or a linux-headers-... metapackage)" ;;
	esac
	rec=$records/install-kernel-$set.list
	# The releases: what each metapackage depends on.
	pkgs=()
	for m in $metas; do
		dep=$(apt-cache depends --important "$m" 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-headers-[^ ]*\)$/\1/p' | head -n1)
		[ -n "$dep" ] || die "apt knows no $m (apt-get update?)"
		pkgs+=("$dep")
		[ "$image" = 0 ] || pkgs+=("${dep/linux-headers-/linux-image-}")
	done
	if [ "$purge" = 1 ]; then
		gone=()
		[ ! -f "$rec" ] || mapfile -t gone <"$rec"
		for p in "${pkgs[@]}" "${pkgs[@]/linux-headers-/linux-image-}"; do
			dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
				grep -q 'ok installed' && gone+=("$p")
		done
		mapfile -t gone < <(printf '%s\n' "${gone[@]}" | sed '/^$/d' | sort -u |
			while read -r p; do
				dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
					grep -q ' installed' && echo "$p"
			done)
		if [ ${#gone[@]} -gt 0 ]; then
			msg "purging ${gone[*]}"
			apt-get purge "${apt_opts[@]}" "${gone[@]}" >&2
		else
			msg "$set: nothing to purge"
		fi
		rm -f "$rec"
		continue
	fi
	before=$(installed)
	msg "installing ${pkgs[*]}"
	apt-get install "${apt_opts[@]}" --no-install-recommends "${pkgs[@]}" >&2
	# Keep what this added (and what an earlier run added) for --purge.
	{ comm -13 <(echo "$before") <(installed); cat "$rec" 2>/dev/null || true; } |
		sort -u >"$rec.tmp"
	mv "$rec.tmp" "$rec"
	msg "$set: $(wc -l <"$rec") packages recorded in $rec"
done
msg "kernels with headers now: $(resolve_kernels all | tr "\n" " ")"
