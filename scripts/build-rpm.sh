#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-rpm.sh [--no-rpmlint] [--version V] [--tree DIR] [--kmod KVER |
# --kmod-kdir DIR] (make rpm; --version and --tree: another version, another
# checkout's src/, for tests)
#
# Builds hyperv-lis-dkms-<version>-1.noarch.rpm into packaging/out/: the
# DKMS source is staged by scripts/stage-source.sh with the packaging files
# into a tarball, then rpmbuild -bb packaging/rpm/hyperv-lis-dkms.spec with
# _topdir packaging/out/rpm.  With --kmod KVER (headers in
# /lib/modules/KVER/build) or --kmod-kdir DIR (any prepared tree), also the
# kABI-tracking kmod-hyperv-lis rpm of packaging/rpm/kmod-hyperv-lis.spec,
# whose modules are compiled for that kernel.  Then rpmlint on each (output
# in packaging/out/rpmlint*.txt; any E: line fails).
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
usage() { echo "usage: $0 [--no-rpmlint] [--version V] [--tree DIR] [--kmod KVER | --kmod-kdir DIR]" >&2; exit 2; }
rpmlint=1
kmod_kdir=""
version=""
tree=$root
while [ $# -gt 0 ]; do
	case $1 in
	--no-rpmlint) rpmlint=0; shift ;;
	--version) [ $# -ge 2 ] || usage; version=$2; shift 2 ;;
	--tree) [ $# -ge 2 ] || usage; tree=$(cd "$2" && pwd); shift 2 ;;
	--kmod) [ $# -ge 2 ] || usage; kmod_kdir=/lib/modules/$2/build; shift 2 ;;
	--kmod-kdir) [ $# -ge 2 ] || usage; kmod_kdir=$2; shift 2 ;;
	*) usage ;;
	esac
done
command -v rpmbuild >/dev/null || { echo "build-rpm: rpmbuild missing: apt-get install rpm" >&2; exit 1; }
if [ -n "$kmod_kdir" ]; then
	[ -f "$kmod_kdir/Makefile" ] || { echo "build-rpm: $kmod_kdir is not a kernel build dir" >&2; exit 1; }
	kmod_kdir=$(readlink -f "$kmod_kdir")
fi

out=$root/packaging/out
top=$out/rpm
[ -n "$version" ] ||
	version=$(sed -n 's/^#define HVLIS_VERSION "\(.*\)"$/\1/p' "$tree/src/include/hvlis/version.h")
[ -n "$version" ] || { echo "build-rpm: no HVLIS_VERSION" >&2; exit 1; }
rm -rf "$top"
mkdir -p "$top/SOURCES" "$top/stage"
st=$top/stage/hyperv-lis-$version
"$root/scripts/stage-source.sh" "$st"
# --tree: that tree's src/ (same layout; tests), as build-deb.sh does.
if [ "$tree" != "$root" ]; then
	rm -rf "$st/src"
	cp -a "$tree/src" "$st/src"
	find "$st/src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
		-o -name modules.order -o -name Module.symvers \) -type f -delete
	rm -rf "$st/src/compat/gen"
fi
# --version: package as another version (upgrade tests), as build-deb.sh.
sed -i "s/^#define HVLIS_VERSION \".*\"$/#define HVLIS_VERSION \"$version\"/" \
	"$st/src/include/hvlis/version.h"
"$root/scripts/gen-dkms-conf.sh" --file --version "$version" "$st" > "$st/dkms.conf"
install -m755 "$root/scripts/hyperv-lis-doctor" "$st/scripts/"
mkdir -p "$st/packaging"
for d in modprobe.d depmod.d doctor DEPENDANTS.md initramfs-tools kernel-hooks dracut etc udev secureboot; do
	cp -a "$root/packaging/$d" "$st/packaging/"
done
tar -C "$top/stage" --owner=0 --group=0 -czf "$top/SOURCES/hyperv-lis-$version.tar.gz" \
	"hyperv-lis-$version"
# Modules the in-tree stack has and this version does not ship yet.
missing=$("$root/scripts/gen-dkms-conf.sh" "$st" | sed -n 's/^_hvlis_missing="\(.*\)"$/\1/p')

lint() {  # rpm rpmlintrc report
	[ "$rpmlint" = 1 ] || return 0
	command -v rpmlint >/dev/null || { echo "build-rpm: rpmlint missing" >&2; exit 1; }
	rpmlint -r "$root/packaging/rpm/$2" "$1" > "$3" 2>&1 || true
	cat "$3"
	if grep -qE '(^|: )E: ' "$3"; then
		echo "build-rpm: rpmlint reported errors for $1" >&2
		exit 1
	fi
}

rpmbuild --define "_topdir $top" --define "hvlis_version $version" \
	-bb "$root/packaging/rpm/hyperv-lis-dkms.spec" > "$top/build.log" 2>&1 || {
	tail -n 40 "$top/build.log" >&2
	echo "build-rpm: rpmbuild failed (log: $top/build.log)" >&2
	exit 1
}
rpm=$(find "$top/RPMS" -name "hyperv-lis-dkms-$version-*.noarch.rpm" | head -n 1)
[ -n "$rpm" ] || { echo "build-rpm: no rpm produced" >&2; exit 1; }
rm -f "$out"/hyperv-lis-dkms-*.noarch.rpm
cp "$rpm" "$out/"
rpm=$out/${rpm##*/}
echo "build-rpm: $rpm"
lint "$rpm" hyperv-lis-dkms.rpmlintrc "$out/rpmlint.txt"

[ -n "$kmod_kdir" ] || exit 0
krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kmod_kdir/include/generated/utsrelease.h" 2>/dev/null ||
	true)
[ -n "$krel" ] || krel=$(cat "$kmod_kdir/include/config/kernel.release")
# rpm refuses a macro with an empty body: define it only when a module is missing.
missing_def=()
[ -z "$missing" ] || missing_def=(--define "hvlis_missing $missing")
# --nodeps: kernel-devel is not an rpm on a Debian build host.
rpmbuild --nodeps --define "_topdir $top" --define "hvlis_version $version" \
	--define "kversion $krel" --define "kdir $kmod_kdir" \
	"${missing_def[@]}" \
	-bb "$root/packaging/rpm/kmod-hyperv-lis.spec" > "$top/build-kmod.log" 2>&1 || {
	tail -n 40 "$top/build-kmod.log" >&2
	echo "build-rpm: rpmbuild of the kmod failed (log: $top/build-kmod.log)" >&2
	exit 1
}
krpm=$(find "$top/RPMS" -name "kmod-hyperv-lis-$version-*.rpm" | head -n 1)
[ -n "$krpm" ] || { echo "build-rpm: no kmod rpm produced" >&2; exit 1; }
rm -f "$out"/kmod-hyperv-lis-*.rpm
cp "$krpm" "$out/"
krpm=$out/${krpm##*/}
echo "build-rpm: $krpm"
lint "$krpm" kmod-hyperv-lis.rpmlintrc "$out/rpmlint-kmod.txt"
