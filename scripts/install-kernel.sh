#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# install-kernel.sh [--image] [--purge] SET...: install (or remove) an extra
# set of Debian kernels for the VM suite, on demand (never part of `make
# deps`: `make check-vm` tests only the CI kernels unless told otherwise).
#   SET    rt: Debian 12's PREEMPT_RT kernels, 6.1 and 6.12
#              (the releases scripts/kernels.sh --packages rt depend on)
#          cloud: Debian 12's -cloud kernels, 6.1 and 6.12 (--packages cloud)
#          bullseye: Debian 11's 5.10 (the release bullseye-security's
#              linux-headers-amd64 depends on), without this machine's apt
#              sources: a private apt configuration under
#              /var/cache/hvlis/foreign/bullseye downloads the headers,
#              -common, linux-kbuild-5.10 and the image .deb; the headers
#              are unpacked there (dpkg-deb -x, nothing goes into dpkg's
#              database) and linked as /lib/modules/<release>/build.
#              Its headers ask for gcc-10, which Debian 12 lacks: the
#              unpacked copy then builds with gcc-12 (recorded in
#              <release>.info there)
#          or a header metapackage name (linux-headers-...)
#   --image  also the image packages (only to boot them for real: the VM
#            suite needs just the headers, it takes the image out of the
#            .deb itself; an image costs ~4 min of initramfs generation)
#   --purge  remove what an earlier install of SET added (exactly the
#            packages it recorded, nothing else), then apt-get purge the
#            releases' own packages if still there
# Then: make check-vm KERNELS=rt (or tests/vm/run.sh --kernels "$(scripts/kernels.sh rt)"),
# make check-vm KERNELS=cloud,
# make check-vm KERNELS=bullseye.
# Records: /var/cache/hvlis/install-kernel-SET.list.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/kernels.sh
. "$REPO/scripts/kernels.sh"

usage() { sed -n '4,31s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
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

# --- another Debian release's kernel, outside apt and dpkg ------------------

# foreign_apt SUITE CMD ARG...: apt-get or apt-cache CMD with the private
# configuration of SUITE (its own sources, lists and cache; no dpkg status).
foreign_apt() {
	local suite=$1 tool=$2 base
	shift 2
	base=$(foreign_kernel_cache)/$suite/apt
	"$tool" -q -o Dir::Etc::sourcelist="$base/sources.list" \
		-o Dir::Etc::sourceparts=- -o Dir::State::Lists="$base/lists" \
		-o Dir::Cache="$base/cache" -o Dir::State::status=/dev/null \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts="$base/preferences.d" \
		-o APT::Sandbox::User=root "$@"
}

# foreign_sources SUITE: the apt sources of SUITE.
foreign_sources() {
	case $1 in
	bullseye)
		echo "deb http://deb.debian.org/debian bullseye main"
		echo "deb http://deb.debian.org/debian-security bullseye-security main"
		;;
	*) return 1 ;;
	esac
}

# install_foreign SUITE: download and unpack SUITE's newest amd64 kernel.
install_foreign() {
	local suite=$1 top base debs k ver common kbuild f root hdr cc want link
	top=$(foreign_kernel_cache)/$suite
	base=$top/apt
	debs=$top/debs
	mkdir -p "$base/lists/partial" "$base/cache/archives/partial" \
		"$base/preferences.d" "$debs"
	foreign_sources "$suite" >"$base/sources.list"
	msg "$suite: apt-get update (private lists in $base)"
	foreign_apt "$suite" apt-get update >&2
	k=$(foreign_apt "$suite" apt-cache depends --important linux-headers-amd64 |
		sed -n 's/^ *Depends: linux-headers-\([^ ]*\)$/\1/p' | head -n1)
	[ -n "$k" ] || die "$suite: no linux-headers-amd64 in its lists"
	ver=$(foreign_apt "$suite" apt-cache show --no-all-versions \
		"linux-headers-$k" | sed -n 's/^Version: //p' | head -n1)
	common=$(foreign_apt "$suite" apt-cache depends --important "linux-headers-$k" |
		sed -n 's/^ *Depends: \(linux-headers-[^ ]*-common\)$/\1/p' | head -n1)
	kbuild=$(foreign_apt "$suite" apt-cache depends --important "linux-headers-$k" |
		sed -n 's/^ *Depends: \(linux-kbuild-[^ ]*\)$/\1/p' | head -n1)
	if [ -z "$common" ] || [ -z "$kbuild" ]; then
		die "$suite: linux-headers-$k names no -common or linux-kbuild"
	fi
	msg "$suite: $k ($ver): downloading into $debs"
	rm -f "$debs"/*.deb
	(cd "$debs" && foreign_apt "$suite" apt-get download \
		"linux-headers-$k=$ver" "$common=$ver" "$kbuild=$ver" \
		"linux-image-$k=$ver" >&2)
	root=$top/$k
	rm -rf "$root" "$root.tmp"
	for f in "$debs/linux-headers-"*.deb "$debs/$kbuild"_*.deb; do
		dpkg-deb -x "$f" "$root.tmp"
	done
	mv "$root.tmp" "$root"
	hdr=$root/usr/src/linux-headers-$k
	[ -f "$hdr/Makefile" ] || die "$suite: no $hdr/Makefile"
	# The arch Makefile includes the -common one by its absolute path;
	# scripts/ and tools/ are relative links, which hold in the copy.
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$hdr/Makefile"
	# The compiler Debian built the kernel with (.kernelvariables).
	want=$(sed -n 's/^CC = .*)\(gcc-[0-9]*\)$/\1/p' "$hdr/.kernelvariables")
	cc=$want
	if [ -n "$want" ] && ! command -v "$want" >/dev/null; then
		cc=gcc-12
		command -v "$cc" >/dev/null || die "neither $want nor $cc installed"
		sed -i "s/)$want\$/)$cc/" "$hdr/.kernelvariables"
	fi
	{
		echo "kver=$k"
		echo "version=$ver"
		echo "suite=$suite"
		echo "compiler_wanted=$want"
		echo "compiler_used=$cc"
		echo "unpacked=$(date -u +%FT%TZ)"
	} >"$top/$k.info"
	link=/lib/modules/$k/build
	if [ -e "$link" ] && [ ! -L "$link" ]; then
		die "$link exists and is not a link: a real package of $k is installed"
	fi
	mkdir -p "/lib/modules/$k"
	ln -sfn "$hdr" "$link"
	echo "$k" >"$top/releases"
	echo "link $link" >"$records/install-kernel-$suite.list"
	msg "$suite: $k headers in $hdr (compiler $cc${want:+, Debian used $want}), linked as $link"
}

# purge_foreign SUITE: take the links away and the unpacked trees.
purge_foreign() {
	local suite=$1 top k link
	top=$(foreign_kernel_cache)/$suite
	if [ -f "$top/releases" ]; then
		while read -r k; do
			link=/lib/modules/$k/build
			case $(readlink "$link" 2>/dev/null) in
			"$top"/*) rm -f "$link"; rmdir "/lib/modules/$k" 2>/dev/null || true ;;
			esac
		done <"$top/releases"
	fi
	rm -rf "$top" "$records/install-kernel-$suite.list"
	msg "$suite: removed $top and its links"
}

for set in "${sets[@]}"; do
	case $set in
	bullseye)
		if [ "$purge" = 1 ]; then
			purge_foreign "$set"
		else
			install_foreign "$set"
		fi
		continue
		;;
	rt) metas=$RT_KERNEL_PKGS ;;
	cloud) metas=$CLOUD_KERNEL_PKGS ;;
	linux-headers-*) metas=$set ;;
	*) die "unknown set '$set' (rt, cloud, bullseye, or a linux-headers-... metapackage)" ;;
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
