#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# gen-dkms-conf.sh [--version V] [<tree>] - print what dkms reads from the
# top-level dkms.conf for the source tree <tree> (default: this checkout):
# PACKAGE_NAME, PACKAGE_VERSION, BUILT_MODULE_NAME[n],
# BUILT_MODULE_LOCATION[n], DEST_MODULE_LOCATION[n] (one line each, as
# NAME="value") and _hvlis_missing="..." (the in-tree modules the tree does
# not replace yet: installing needs ACCEPT_MISSING).  dkms.conf is sourced
# the way dkms does it (bash, no kernel given), next to <tree>/src.
#   --version V   the version packages fill in (default HVLIS_VERSION)
#   --file        print the dkms.conf a package ships instead (version
#                 filled in; the module list stays computed at dkms time)
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
version="" file=0
while [ $# -gt 0 ]; do
	case $1 in
	--version) version=$2; shift 2 ;;
	--file) file=1; shift ;;
	-*) echo "usage: $0 [--version V] [--file] [<tree>]" >&2; exit 2 ;;
	*) break ;;
	esac
done
tree=${1:-$root}
vfile=$tree/src/include/hvlis/version.h
[ -f "$vfile" ] || { echo "gen-dkms-conf: no $vfile" >&2; exit 1; }
[ -n "$version" ] || version=$(sed -n 's/^#define HVLIS_VERSION "\(.*\)"$/\1/p' "$vfile")
[[ $version =~ ^[0-9][0-9A-Za-z.+~]*$ ]] ||
	{ echo "gen-dkms-conf: bad version '$version' (HVLIS_VERSION in $vfile)" >&2; exit 1; }
grep -q '^PACKAGE_VERSION="#MODULE_VERSION#"$' "$root/dkms.conf" ||
	{ echo "gen-dkms-conf: $root/dkms.conf lacks PACKAGE_VERSION=\"#MODULE_VERSION#\"" >&2; exit 1; }

if [ "$file" = 1 ]; then
	sed "s/^PACKAGE_VERSION=\"#MODULE_VERSION#\"$/PACKAGE_VERSION=\"$version\"/" "$root/dkms.conf"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hvlis-dkmsconf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sed "s/^PACKAGE_VERSION=\"#MODULE_VERSION#\"$/PACKAGE_VERSION=\"$version\"/" "$root/dkms.conf" \
	> "$tmp/dkms.conf"
ln -s "$(cd "$tree" && pwd)/src" "$tmp/src"
# shellcheck disable=SC2016 # expanded by the inner bash
env -i PATH="$PATH" LC_ALL=C bash -c '
	. "$1" >/dev/null
	echo "PACKAGE_NAME=\"$PACKAGE_NAME\""
	echo "PACKAGE_VERSION=\"$PACKAGE_VERSION\""
	for i in "${!BUILT_MODULE_NAME[@]}"; do
		echo "BUILT_MODULE_NAME[$i]=\"${BUILT_MODULE_NAME[$i]}\""
		echo "BUILT_MODULE_LOCATION[$i]=\"${BUILT_MODULE_LOCATION[$i]}\""
		echo "DEST_MODULE_LOCATION[$i]=\"${DEST_MODULE_LOCATION[$i]}\""
	done
	echo "_hvlis_missing=\"$_hvlis_missing\""
' gen-dkms-conf "$tmp/dkms.conf" > "$tmp/out"
grep -q '^BUILT_MODULE_NAME\[0\]="hv_vmbus"$' "$tmp/out" ||
	{ echo "gen-dkms-conf: no src/vmbus/Kbuild building hv_vmbus in $tree" >&2; exit 1; }
cat "$tmp/out"
