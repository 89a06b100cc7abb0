#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# conftest-cache-test.sh [KDIR]
#
# Test of scripts/conftest.sh's result cache: two copies of the package at
# different places (dkms's build dir, a kmod build's temporary copy, a
# developer's tree) probing the same kernel build dir with the same probes
# must share one cache entry, so the second copy re-runs no probe; a
# changed probe must miss.  Uses one small probe, so it takes seconds.
# Prints PASS/FAIL lines; exits 1 on a failure.
set -euo pipefail
export LC_ALL=C
top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
kdir=${1:-}
if [ -z "$kdir" ]; then
	for d in /lib/modules/*/build; do
		if [ -f "$d/Makefile" ]; then kdir=$d; fi
	done
fi
if [ -z "$kdir" ] || [ ! -f "$kdir/Makefile" ]; then
	echo "SKIP conftest-cache: no kernel build dir"
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hvlis-cttest.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/a/scripts" "$work/b/scripts" "$work/probes"
cp "$top/scripts/conftest.sh" "$work/a/scripts/"
cp "$top/scripts/conftest.sh" "$work/b/scripts/"
cat >"$work/probes/hvlis_test_kmalloc.c" <<'EOF'
// SPDX-License-Identifier: GPL-2.0-only
#include <linux/slab.h>

void *hvlis_probe(void)
{
	return kmalloc(8, GFP_KERNEL);
}
EOF
export HVLIS_CACHE_DIR=$work/cache HVLIS_PROBE_DIR=$work/probes
fail=0
run() {  # copy -> the summary line
	"$work/$1/scripts/conftest.sh" -j 2 "$kdir" "$work/$1/gen" 2>&1 | tail -n 1
}
check() {  # name, summary, expected word
	if grep -q "$3" <<<"$2"; then
		echo "PASS conftest-cache/$1"
	else
		echo "FAIL conftest-cache/$1: '$2' (want $3)"
		fail=1
	fi
}
check first-copy-probes "$(run a)" "probed in"
check second-copy-cached "$(run b)" "(cached)"
cmp -s "$work/a/gen/compat_autoconf.h" "$work/b/gen/compat_autoconf.h" ||
	{ echo "FAIL conftest-cache/same-header: the copies' headers differ"; fail=1; }
echo '/* changed */' >>"$work/probes/hvlis_test_kmalloc.c"
check changed-probe-probes "$(run b)" "probed in"
exit "$fail"
