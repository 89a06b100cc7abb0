#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-rpm.sh [--no-rpmlint] - build hyperv-lis-dkms-<version>-1.noarch.rpm
# into packaging/out/ (make rpm): the DKMS source is staged by
# scripts/stage-source.sh with the packaging files into a tarball, then
# rpmbuild -bb packaging/rpm/hyperv-lis-dkms.spec with _topdir
# packaging/out/rpm, then rpmlint (output in packaging/out/rpmlint.txt; any
# E: line fails).
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
rpmlint=1
if [ "${1:-}" = --no-rpmlint ]; then rpmlint=0; shift; fi
[ $# -eq 0 ] || { echo "usage: $0 [--no-rpmlint]" >&2; exit 2; }
command -v rpmbuild >/dev/null || { echo "build-rpm: rpmbuild missing: apt-get install rpm" >&2; exit 1; }

out=$root/packaging/out
top=$out/rpm
version=$(sed -n 's/^#define HVLIS_VERSION "\(.*\)"$/\1/p' "$root/src/include/hvlis/version.h")
[ -n "$version" ] || { echo "build-rpm: no HVLIS_VERSION" >&2; exit 1; }
rm -rf "$top"
mkdir -p "$top/SOURCES" "$top/stage"
st=$top/stage/hyperv-lis-$version
"$root/scripts/stage-source.sh" "$st"
install -m755 "$root/scripts/hyperv-lis-doctor" "$st/scripts/"
mkdir -p "$st/packaging"
for d in modprobe.d depmod.d doctor DEPENDANTS.md; do
	cp -a "$root/packaging/$d" "$st/packaging/"
done
tar -C "$top/stage" --owner=0 --group=0 -czf "$top/SOURCES/hyperv-lis-$version.tar.gz" \
	"hyperv-lis-$version"

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

if [ "$rpmlint" = 1 ]; then
	command -v rpmlint >/dev/null || { echo "build-rpm: rpmlint missing" >&2; exit 1; }
	rpmlint -r "$root/packaging/rpm/hyperv-lis-dkms.rpmlintrc" "$rpm" > "$out/rpmlint.txt" 2>&1 || true
	cat "$out/rpmlint.txt"
	if grep -qE '(^|: )E: ' "$out/rpmlint.txt"; then
		echo "build-rpm: rpmlint reported errors" >&2
		exit 1
	fi
fi
