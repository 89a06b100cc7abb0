#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kernels.sh [WORD...]: the kernel releases the VM suite tests, one a line.
# WORD is a release (6.12.118+deb12-amd64) or an alias:
#   ci     the CI kernels: the releases that the header metapackages in
#          CI_KERNEL_PKGS below depend on (scripts/install-deps.sh installs
#          exactly these) - the default of `make check-vm`
#   rt     Debian's PREEMPT_RT kernels whose headers are installed
#          (scripts/install-kernel.sh rt)
#   cloud  Debian's -cloud kernels whose headers are installed (the
#          distribution's Azure/cloud flavour; scripts/install-kernel.sh cloud)
#   debug  the debug kernel(s) built by scripts/build-debug-kernel.sh
#   old    the test kernels built from other trees by scripts/build-test-kernel.sh
#   bullseye  Debian 11's 5.10 kernel, unpacked outside dpkg by
#          scripts/install-kernel.sh bullseye
#   all    every kernel with headers in /lib/modules/*/build
# No WORD: $HVLIS_KERNELS, else "ci".  An alias that names no kernel is an
# error (exit 1) with the command that provides one.
#   --packages ci|rt|cloud   the header metapackages of that set
# Also sourced (scripts/build-debug-kernel.sh, tests/vm/lib/common.sh): it
# then only defines the functions and the lists.

# The one place the CI kernels are named: header metapackages (their
# dependency names the release).  linux-headers-amd64 is Debian 12's 6.1,
# linux-headers-6.12-amd64 its 6.12 from bookworm-security.
CI_KERNEL_PKGS="linux-headers-amd64 linux-headers-6.12-amd64"
# Their PREEMPT_RT twins (scripts/install-kernel.sh rt).
RT_KERNEL_PKGS="linux-headers-rt-amd64 linux-headers-6.12-rt-amd64"
# The cloud flavour (scripts/install-kernel.sh cloud): fewer drivers, the
# Hyper-V ones as modules.
CLOUD_KERNEL_PKGS="linux-headers-cloud-amd64 linux-headers-6.12-cloud-amd64"

# debug_kernel_cache: where build-debug-kernel.sh keeps its builds, once per
# machine: /var/cache/hvlis/debug-kernel (root), else ~/.cache/hvlis/...
debug_kernel_cache() {
	if [ -n "${HVLIS_DEBUG_KERNEL_CACHE:-}" ]; then
		echo "$HVLIS_DEBUG_KERNEL_CACHE"
	elif [ -w /var/cache ] || [ -w /var/cache/hvlis ]; then
		echo /var/cache/hvlis/debug-kernel
	else
		echo "${XDG_CACHE_HOME:-$HOME/.cache}/hvlis/debug-kernel"
	fi
}

# foreign_kernel_cache: where scripts/install-kernel.sh keeps the kernels
# of other Debian releases (bullseye), each SUITE/ with its .debs, the
# unpacked headers and the list SUITE/releases.
foreign_kernel_cache() {
	echo "${HVLIS_FOREIGN_CACHE:-/var/cache/hvlis/foreign}"
}

# foreign_releases SUITE: its unpacked releases whose headers are linked.
foreign_releases() {
	local f k
	f=$(foreign_kernel_cache)/$1/releases
	[ -f "$f" ] || return 0
	while read -r k; do
		has_headers "$k" && echo "$k"
	done <"$f"
}

# debug_kernel_releases [SUFFIX]: the finished kernels built here whose
# release ends in SUFFIX (default -hvlis-debug: build-debug-kernel.sh;
# -hvlis-test: build-test-kernel.sh), oldest first.
debug_kernel_releases() {
	local d
	for d in "$(debug_kernel_cache)"/*"${1:--hvlis-debug}"; do
		[ -e "$d/.ready" ] && echo "${d##*/}"
	done | sort -V
}

# lowprio CMD...: run CMD under nice 19.  With sched_autogroup (Debian's
# default) nice counts only inside a session: CMD gets a session of its
# own whose autogroup is nice 19 too, so that it yields to everybody else.
lowprio() {
	setsid -w nice -n 19 sh -c \
		'echo 19 >/proc/self/autogroup 2>/dev/null; exec "$@"' lowprio "$@"
}

# meta_releases PKG...: the release each installed header metapackage
# depends on (a warning for one that is not installed).
meta_releases() {
	local p dep
	for p in "$@"; do
		dep=$(dpkg-query -W -f='${Status}|${Depends}' "$p" 2>/dev/null) || dep=
		case $dep in
		*"ok installed|"*) ;;
		*) echo "kernels: $p is not installed" >&2; continue ;;
		esac
		dep=$(grep -o 'linux-headers-[^ ,|]*' <<<"${dep#*|}" | head -n1)
		[ -n "$dep" ] && echo "${dep#linux-headers-}"
	done
}

# has_headers KVER: headers (a kbuild tree) for KVER are here.
has_headers() { [ -e "/lib/modules/$1/build/Makefile" ]; }

# resolve_kernels WORD...: releases, one a line, in the order given;
# returns 1 (after a message) when a word names no usable kernel.
resolve_kernels() {
	local w k ks out='' rc=0
	for w in "$@"; do
		case $w in
		ci)
			# shellcheck disable=SC2086 # a list of package names
			ks=$(meta_releases $CI_KERNEL_PKGS)
			[ -n "$ks" ] || { echo "kernels: no CI kernel: make deps" >&2; rc=1; }
			;;
		rt)
			ks=$(for k in /lib/modules/*-rt-amd64; do
				has_headers "${k##*/}" && echo "${k##*/}"
			done | sort -V)
			[ -n "$ks" ] || { echo "kernels: no PREEMPT_RT kernel: scripts/install-kernel.sh rt" >&2; rc=1; }
			;;
		cloud)
			ks=$(for k in /lib/modules/*-cloud-amd64; do
				has_headers "${k##*/}" && echo "${k##*/}"
			done | sort -V)
			[ -n "$ks" ] || { echo "kernels: no -cloud kernel: scripts/install-kernel.sh cloud" >&2; rc=1; }
			;;
		debug)
			ks=$(debug_kernel_releases)
			[ -n "$ks" ] || { echo "kernels: no debug kernel built: scripts/build-debug-kernel.sh (about 1-2 h on 2 cores)" >&2; rc=1; }
			;;
		old)
			ks=$(debug_kernel_releases -hvlis-test)
			[ -n "$ks" ] || { echo "kernels: no old test kernel built: scripts/build-test-kernel.sh TREE" >&2; rc=1; }
			;;
		bullseye)
			ks=$(foreign_releases "$w")
			[ -n "$ks" ] || { echo "kernels: no Debian 11 kernel: scripts/install-kernel.sh $w (as root)" >&2; rc=1; }
			;;
		all)
			ks=$(for k in /lib/modules/*; do
				has_headers "${k##*/}" && echo "${k##*/}"
			done | sort -V)
			;;
		*[!A-Za-z0-9._+~-]*|.*|'')
			echo "kernels: bad kernel release '$w'" >&2
			rc=1
			continue
			;;
		*)
			ks=$w
			has_headers "$w" || echo "kernels: $w has no headers in /lib/modules/$w/build" >&2
			;;
		esac
		[ -z "$ks" ] || out+=$ks$'\n'
	done
	printf '%s' "$out" | awk '!seen[$0]++'
	return $rc
}

kernels_main() {
	if [ "${1:-}" = --packages ]; then
		case ${2:-} in
		ci) echo "$CI_KERNEL_PKGS" ;;
		rt) echo "$RT_KERNEL_PKGS" ;;
		cloud) echo "$CLOUD_KERNEL_PKGS" ;;
		*) echo "usage: $0 --packages ci|rt|cloud" >&2; return 2 ;;
		esac
		return 0
	fi
	case ${1:-} in -h|--help) sed -n '4,21s/^# \{0,1\}//p' "$0" >&2; return 2 ;; esac
	local words
	if [ $# -eq 0 ]; then
		read -ra words <<<"${HVLIS_KERNELS:-ci}"
		[ ${#words[@]} -gt 0 ] || words=(ci)
	else
		words=("$@")
	fi
	resolve_kernels "${words[@]}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -uo pipefail
	kernels_main "$@"
fi
