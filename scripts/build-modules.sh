#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-modules.sh [--kver V]... [--kdir D]... [--in-place] [--werror]
#                  [--sparse] [--any-kernel] [-j N]
#
# Builds the modules of src/ for each kernel: --kver V means
# /lib/modules/V/build, --kdir D any prepared tree (D/.ktree-make-args is
# honoured like ../shared/scripts/kmake.sh).  Without either, every
# /lib/modules/*/build that exists.
#
# Out of place (default): src/ is mirrored into build/<kver>/src/ (only
# changed files are copied, so kbuild rebuilds only what changed) and the
# modules end up in build/<kver>/src/<module dir>/*.ko.  --in-place builds in
# src/ itself (DKMS, which has its own copy per build).  Each build first runs
# scripts/conftest.sh into <tree>/compat/gen.
#
# A kernel that scripts/kernel-supported.sh rejects (VMBus built in, not
# x86_64, older than 3.10) is skipped with its one-line reason: it keeps its
# in-tree drivers.  That is not a failure, except with --in-place (the DKMS
# build, for dkms versions that ignore BUILD_EXCLUSIVE_*): there it exits 77
# so that nothing is installed for that kernel, and a kernel named with
# --kver/--kdir counts as failed.  --any-kernel builds anyway
# (compile tests against trees configured without Hyper-V).
#
# --werror   compile our files with -Werror (HVLIS_WERROR=1)
# --sparse   afterwards run sparse over every file (kbuild C=2, so unchanged
#            files are checked too) and fail on any sparse warning or error
#            located in our tree; the kernel's own headers do not count.
set -euo pipefail
export LC_ALL=C

prog=build-modules
die() { echo "$prog: $*" >&2; exit 1; }
usage() {
	echo "usage: $0 [--kver V]... [--kdir D]... [--in-place] [--werror] [--sparse] [--any-kernel] [-j N]" >&2
	exit "${1:-2}"
}

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
kvers=()
kdirs=()
in_place=0
werror=0
sparse=0
any_kernel=0
jobs=""
while [ $# -gt 0 ]; do
	case $1 in
	--kver) [ $# -ge 2 ] || usage; kvers+=("$2"); shift 2 ;;
	--kver=*) kvers+=("${1#--kver=}"); shift ;;
	--kdir) [ $# -ge 2 ] || usage; kdirs+=("$2"); shift 2 ;;
	--kdir=*) kdirs+=("${1#--kdir=}"); shift ;;
	--in-place) in_place=1; shift ;;
	--werror) werror=1; shift ;;
	--sparse) sparse=1; shift ;;
	--any-kernel) any_kernel=1; shift ;;
	-j) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
	-j[0-9]*) jobs=${1#-j}; shift ;;
	-h|--help) usage 0 ;;
	*) echo "$prog: unknown argument '$1'" >&2; usage ;;
	esac
done
[ -n "$jobs" ] || jobs=$(nproc 2>/dev/null || echo 1)
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "bad -j value '$jobs'"

targets=()
for v in "${kvers[@]}"; do
	[ -f "/lib/modules/$v/build/Makefile" ] ||
		die "no headers for $v: install linux-headers-$v (no /lib/modules/$v/build)"
	targets+=("/lib/modules/$v/build")
done
for d in "${kdirs[@]}"; do
	[ -f "$d/Makefile" ] || die "$d is not a kernel build dir (no Makefile)"
	targets+=("$d")
done
explicit=1
if [ ${#kvers[@]} -eq 0 ] && [ ${#kdirs[@]} -eq 0 ]; then
	explicit=0
	for d in /lib/modules/*/build; do
		if [ -f "$d/Makefile" ]; then targets+=("$d"); fi
	done
	[ ${#targets[@]} -gt 0 ] ||
		die "no kernel headers under /lib/modules/*/build: install linux-headers-<version> or pass --kdir"
fi
if [ "$sparse" = 1 ]; then
	command -v sparse >/dev/null || die "--sparse needs sparse (apt-get install sparse)"
fi

release_of() {  # kdir -> kernel release
	local d=$1
	if [ -f "$d/include/generated/utsrelease.h" ]; then
		sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$d/include/generated/utsrelease.h"
	elif [ -f "$d/include/config/kernel.release" ]; then
		cat "$d/include/config/kernel.release"
	else
		basename "$(dirname "$d")"
	fi
}

# Files of src/ that are sources, not build products.
list_sources() {
	(cd "$1" && find . -mindepth 1 \( -name '.*' -o -path ./compat/gen \) -prune -o \
		-type f ! -name '*.o' ! -name '*.ko' ! -name '*.ko.*' ! -name '*.mod' \
		! -name '*.mod.c' ! -name '*.a' ! -name '*.order' ! -name '*.symvers' \
		! -name '*.dwo' ! -name '*.su' -print | sed 's|^\./||' | sort)
}

# Mirror src/ into $1: copy new or changed files (fresh mtime, so kbuild
# rebuilds them), leave unchanged ones alone, drop ones deleted from src/.
sync_tree() {
	local dst=$1 f manifest=$1/.hvlis-sources
	mkdir -p "$dst"
	list_sources "$root/src" > "$manifest.new"
	while read -r f; do
		if ! cmp -s "$root/src/$f" "$dst/$f"; then
			mkdir -p "$(dirname "$dst/$f")"
			cp "$root/src/$f" "$dst/$f"
		fi
	done < "$manifest.new"
	if [ -f "$manifest" ]; then
		comm -23 "$manifest" "$manifest.new" | while read -r f; do
			rm -f "$dst/$f"
		done
	fi
	mv -f "$manifest.new" "$manifest"
}

# Objects built against another kernel tree must not be reused: kbuild's
# dependency files name that tree's headers, so it would not notice.
forget_other_kernel() {  # tree kdir
	local tree=$1 kdir=$2 stamp=$1/.hvlis-kdir
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" != "$kdir" ]; then
		find "$tree" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o \
			-name '*.mod.c' -o -name '.*.cmd' -o -name '*.order' -o \
			-name '*.symvers' -o -name '*.a' \) -type f -delete
		rm -rf "$tree/.tmp_versions"
	fi
	echo "$kdir" > "$stamp"
}

# Sparse diagnostics whose file is in our tree ($1); the log is on stdin.
# Absolute paths must lie under the tree; relative ones (kbuild since 6.13
# runs in the module dir) must exist there and not in the kernel tree ($2).
our_sparse_findings() {
	local tree=$1 kdir=$2 line f
	while IFS= read -r line; do
		[[ $line =~ ^([^:[:space:]]+):[0-9]+:[0-9]+:\ (warning|error): ]] || continue
		f=${BASH_REMATCH[1]}
		if [[ $f == /* ]]; then
			[[ $(readlink -f "$f") == "$tree"/* ]] || continue
		else
			if [ ! -e "$tree/$f" ] || [ -e "$kdir/$f" ]; then continue; fi
		fi
		echo "$line"
	done
}

failed=()
skipped=()
for kd in "${targets[@]}"; do
	kdir=$(readlink -f "$kd")
	rel=$(release_of "$kdir")
	[ -n "$rel" ] || die "cannot tell the kernel release of $kdir"
	if [ "$any_kernel" = 0 ]; then
		src=0
		"$root/scripts/kernel-supported.sh" "$kdir" "$rel" || src=$?
		case $src in
		0) ;;
		1|3)	# the script said why on stderr
			if [ "$in_place" = 1 ]; then exit 77; fi
			# Asked for by name: that is an error.
			if [ "$explicit" = 1 ]; then failed+=("$rel"); else skipped+=("$rel"); fi
			continue ;;
		*) die "scripts/kernel-supported.sh failed for $kdir (exit $src)" ;;
		esac
	fi
	margs=()
	if [ -f "$kdir/.ktree-make-args" ]; then
		mapfile -t margs < "$kdir/.ktree-make-args"
	fi
	if [ "$in_place" = 1 ]; then
		tree=$root/src
		log=$(mktemp "${TMPDIR:-/tmp}/hvlis-build.XXXXXX")
	else
		tree=$root/build/$rel/src
		mkdir -p "$tree"
		log=$root/build/$rel/build.log
	fi
	# One build per tree at a time (CI, developers and check-static may
	# overlap); waits for the other one to finish.
	exec {lockfd}>"$tree/../.hvlis-build-$(basename "$tree").lock"
	if command -v flock >/dev/null; then flock "$lockfd"; fi
	if [ "$in_place" = 0 ]; then sync_tree "$tree"; fi
	forget_other_kernel "$tree" "$kdir"
	echo "=== $rel ($kdir)"

	ok=1
	"$root/scripts/conftest.sh" -j "$jobs" "$kdir" "$tree/compat/gen" || ok=0
	mvars=()
	if [ "$werror" = 1 ]; then mvars+=(HVLIS_WERROR=1); fi
	if [ "$ok" = 1 ]; then
		make -C "$kdir" "${margs[@]}" M="$tree" -j"$jobs" "${mvars[@]}" modules \
			2>&1 | tee "$log" || ok=0
	fi
	if [ "$ok" = 1 ] && [ "$sparse" = 1 ]; then
		# Second pass: nothing is left to compile, so every diagnostic
		# printed is sparse's.
		make -C "$kdir" "${margs[@]}" M="$tree" -j"$jobs" "${mvars[@]}" C=2 modules \
			> "$log.sparse" 2>&1 || ok=0
		# A header's finding repeats for every file including it: once.
		findings=$(our_sparse_findings "$tree" "$kdir" < "$log.sparse" | sort -u)
		if [ "$ok" = 0 ]; then
			cat "$log.sparse"
			echo "$prog: $rel: the sparse pass failed" >&2
		elif ! grep -qE '^[[:space:]]+CHECK[[:space:]]' "$log.sparse"; then
			# e.g. "sparse is not available or not up to date" (v6.x)
			grep -i sparse "$log.sparse" >&2 || true
			echo "$prog: $rel: sparse did not run on any file" >&2
			ok=0
		elif [ -n "$findings" ]; then
			echo "$findings"
			echo "$prog: $rel: sparse: $(echo "$findings" | wc -l) finding(s) in our files" >&2
			ok=0
		else
			echo "sparse: no findings in our files for $rel"
		fi
		if [ "$in_place" = 1 ]; then rm -f "$log.sparse"; fi
	fi
	if [ "$in_place" = 1 ]; then rm -f "$log"; fi
	if [ "$ok" = 1 ]; then
		echo "built for $rel:"
		(cd "$tree" && find . -name '*.ko' -type f | sed 's|^\./||' | sort |
			sed "s|^|  ${tree#"$root"/}/|")
	else
		failed+=("$rel")
	fi
	exec {lockfd}>&-
done

if [ ${#skipped[@]} -gt 0 ]; then
	echo "$prog: not built (kernel not served): ${skipped[*]}" >&2
fi
if [ ${#failed[@]} -gt 0 ]; then
	die "FAILED for: ${failed[*]}"
fi
