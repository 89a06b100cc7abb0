#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-deb.sh [--tree DIR] [--version V] [--no-lintian]
#
# Builds hyperv-lis-dkms_<version>_all.deb into packaging/out/ (make deb):
# stages the DKMS source (scripts/stage-source.sh) and packaging/debian into
# packaging/out/deb/hyperv-lis-<version>/, runs dpkg-buildpackage -us -uc -b
# there, then lintian; lintian's tags are printed and saved to
# packaging/out/lintian.txt, and any E: or W: tag fails the build.
#   --tree DIR   package another checkout laid out like this one (tests)
#   --version V  package as version V: HVLIS_VERSION in the staged copy and a
#                changelog entry are rewritten (upgrade tests)
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
tree=$root
version=""
lintian=1
while [ $# -gt 0 ]; do
	case $1 in
	--tree) tree=$(cd "$2" && pwd); shift 2 ;;
	--version) version=$2; shift 2 ;;
	--no-lintian) lintian=0; shift ;;
	*) echo "usage: $0 [--tree DIR] [--version V] [--no-lintian]" >&2; exit 2 ;;
	esac
done
for t in dpkg-buildpackage dh dh_dkms fakeroot; do
	command -v "$t" >/dev/null ||
		{ echo "build-deb: $t missing: apt-get install dpkg-dev debhelper dh-dkms fakeroot" >&2; exit 1; }
done

out=$root/packaging/out
[ -n "$version" ] ||
	version=$(sed -n 's/^#define HVLIS_VERSION "\(.*\)"$/\1/p' "$tree/src/include/hvlis/version.h")
[ -n "$version" ] || { echo "build-deb: no HVLIS_VERSION" >&2; exit 1; }
work=$out/deb/hyperv-lis-$version
rm -rf "$out/deb"
mkdir -p "$work/packaging"

"$root/scripts/stage-source.sh" "$work"
# stage-source.sh took the sources from this checkout: with --tree, use that
# tree's src/ instead (same layout, e.g. a test tree with stub modules).
if [ "$tree" != "$root" ]; then
	rm -rf "$work/src"
	cp -a "$tree/src" "$work/src"
	find "$work/src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
		-o -name modules.order -o -name Module.symvers \) -type f -delete
	rm -rf "$work/src/compat/gen"
fi
vh=$work/src/include/hvlis/version.h
sed -i "s/^#define HVLIS_VERSION \".*\"$/#define HVLIS_VERSION \"$version\"/" "$vh"
"$root/scripts/gen-dkms-conf.sh" --file --version "$version" "$work" > "$work/dkms.conf"
install -m755 "$root/scripts/hyperv-lis-doctor" "$work/scripts/"
cp -a "$root/packaging/debian" "$work/debian"
for d in modprobe.d depmod.d initramfs-tools doctor DEPENDANTS.md kernel-hooks dracut etc udev secureboot; do
	cp -a "$root/packaging/$d" "$work/packaging/"
done

cur=$(dpkg-parsechangelog -l "$work/debian/changelog" -S Version)
if [ "$cur" != "$version" ]; then
	{
		echo "hyperv-lis ($version) unstable; urgency=medium"
		echo
		echo "  * Version $version built by scripts/build-deb.sh."
		echo
		echo " -- hyperv-lis developers <hyperv-lis@lists.example.org>  $(date -R)"
		echo
		cat "$work/debian/changelog"
	} > "$work/debian/changelog.new"
	mv "$work/debian/changelog.new" "$work/debian/changelog"
fi

(cd "$work" && dpkg-buildpackage -us -uc -b) > "$out/deb/build.log" 2>&1 || {
	tail -n 40 "$out/deb/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed (log: $out/deb/build.log)" >&2
	exit 1
}
deb=$out/deb/hyperv-lis-dkms_${version}_all.deb
[ -f "$deb" ] || { echo "build-deb: $deb was not produced" >&2; exit 1; }
rm -f "$out"/hyperv-lis-dkms_*_all.deb
mv "$deb" "$out/"
deb=$out/${deb##*/}
echo "build-deb: $deb"

if [ "$lintian" = 1 ]; then
	command -v lintian >/dev/null || { echo "build-deb: lintian missing" >&2; exit 1; }
	lintian --info --display-info "$deb" > "$out/lintian.txt" 2>&1 || true
	if [ -s "$out/lintian.txt" ]; then cat "$out/lintian.txt"; fi
	if grep -qE '^[EW]: ' "$out/lintian.txt"; then
		echo "build-deb: lintian reported errors or warnings" >&2
		exit 1
	fi
	echo "build-deb: lintian: no errors or warnings ($(grep -c '^[IP]: ' "$out/lintian.txt" || true) info/pedantic tags)"
fi
