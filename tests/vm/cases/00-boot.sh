#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The harness booted the kernel it meant to boot, and every module it put
# into the VM (ours and the in-tree ones) was built for that kernel.
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

want=$HVLIS_KVER
[ -n "$want" ] || case_fail "no hvlis.kver= on the kernel command line"
have=$(uname -r)
[ "$have" = "$want" ] || case_fail "booted $have, the harness expected $want"

find /lib/modules -name '*.ko' >/tmp/kos
n=0
ours=0
bad=
while read -r ko; do
	n=$((n + 1))
	case $ko in */updates/hvlis/*) ours=$((ours + 1)) ;; esac
	vm=$(vermagic_of "$ko")
	[ "$vm" = "$have" ] || bad="$bad ${ko##*/}=${vm:-none}"
done </tmp/kos
[ -z "$bad" ] || case_fail "vermagic is not $have:$bad"
shipped=0
for ko in "$HVLIS_KO"/*.ko; do
	[ -e "$ko" ] && shipped=$((shipped + 1))
done
[ "$ours" = "$shipped" ] ||
	case_fail "$ours modules in updates/hvlis, but $shipped in $HVLIS_KO"
case_pass "$have, vermagic of $n modules ($ours ours) matches"
