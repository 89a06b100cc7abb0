#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# stage-source.sh <dest> - copy what DKMS needs to build the modules into
# <dest> (which becomes /usr/src/hyperv-lis-<version>): the top Makefile,
# the three build scripts, src/ without build products, COPYING, README and
# the top-level dkms.conf with its version filled in (scripts/gen-dkms-conf.sh
# --file).
set -euo pipefail
export LC_ALL=C

[ $# -eq 1 ] || { echo "usage: $0 <dest>" >&2; exit 2; }
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
dest=$1

mkdir -p "$dest/scripts"
install -m644 "$root/Makefile" "$root/COPYING" "$root/README" "$dest/"
for s in build-modules.sh conftest.sh kernel-supported.sh; do
	install -m755 "$root/scripts/$s" "$dest/scripts/$s"
done
(cd "$root" && find src -mindepth 1 \( -name '.*' -o -path src/compat/gen \) -prune -o \
	-type f ! -name '*.o' ! -name '*.ko' ! -name '*.ko.*' ! -name '*.mod' \
	! -name '*.mod.c' ! -name '*.a' ! -name '*.order' ! -name '*.symvers' \
	! -name '*.dwo' ! -name '*.su' ! -name '*~' -print) | sort |
while read -r f; do
	# Scripts keep their execute bit (rpmlint: non-executable-script).
	if [ -x "$root/$f" ]; then m=755; else m=644; fi
	install -D -m"$m" "$root/$f" "$dest/$f"
done
"$root/scripts/gen-dkms-conf.sh" --file "$dest" > "$dest/dkms.conf"
