#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# conftest.sh [-j N] [--no-cache] [-v] KDIR OUTDIR
#
# Feature-probes the kernel build dir KDIR and writes OUTDIR/compat_autoconf.h
# with "#define HAVE_<NAME> 1" or "/* #undef HAVE_<NAME> */" for every probe
# src/compat/probes/<name>.c.  A probe passes when
#   1. it compiles (kbuild flags plus -Werror for the warning classes that
#      signal an API mismatch), and
#   2. every symbol its object leaves undefined is exported to modules:
#      by vmlinux or by a module we do not replace (Module.symvers), or, for
#      trees without Module.symvers, the symbols named on a probe's
#      "vmlinux-export:" line have an EXPORT_SYMBOL*() in the tree's sources.
# All probes are compiled by ONE kbuild run (make -k -jN, one obj-m each), so
# a failing probe costs nothing extra.  A canary probe that must always pass
# guards against a broken toolchain silently turning every feature off.
#
# Results are cached in ${HVLIS_CACHE_DIR:-$HOME/.cache/hyperv-lis}/compat/
# under a checksum of the kernel build dir (.config, Module.symvers,
# utsrelease.h, .ktree-make-args, its path), of the probe sources and of this
# script (contents, not the package's location), so a rebuild for a known
# kernel costs nothing, from any copy of the package, and editing a probe
# invalidates the cache.  Honours KDIR/.ktree-make-args like kmake.sh.
# Never reads anything of the build host outside KDIR, the probes and the
# cache (in particular nothing under /etc).
set -euo pipefail
export LC_ALL=C

prog=conftest
die() { echo "$prog: $*" >&2; exit 1; }
usage() {
	echo "usage: $0 [-j N] [--no-cache] [-v] KDIR OUTDIR" >&2
	exit "${1:-2}"
}

jobs=${HVLIS_JOBS:-}
use_cache=1
verbose=0
while [ $# -gt 0 ]; do
	case $1 in
	-j) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
	-j[0-9]*) jobs=${1#-j}; shift ;;
	--no-cache) use_cache=0; shift ;;
	-v) verbose=1; shift ;;
	-h|--help) usage 0 ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || usage
[ -n "$jobs" ] || jobs=$(nproc 2>/dev/null || echo 1)
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "bad -j value '$jobs'"

self=$(readlink -f "${BASH_SOURCE[0]}")
probedir=${HVLIS_PROBE_DIR:-$(dirname "$self")/../src/compat/probes}
[ -d "$probedir" ] || die "no probe directory $probedir"
probedir=$(readlink -f "$probedir")

[ -f "$1/Makefile" ] || die "$1 is not a kernel build dir (no Makefile); install the kernel headers"
kdir=$(readlink -f "$1")
[ -f "$kdir/.config" ] || die "$kdir is not configured (no .config)"
outdir=$2

release=unknown
if [ -f "$kdir/include/generated/utsrelease.h" ]; then
	release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h")
elif [ -f "$kdir/include/config/kernel.release" ]; then
	release=$(cat "$kdir/include/config/kernel.release")
fi

# Make arguments recorded by prepare-ktree.sh (one per line), as kmake.sh.
margs=()
if [ -f "$kdir/.ktree-make-args" ]; then
	mapfile -t margs < "$kdir/.ktree-make-args"
fi

probes=()
for f in "$probedir"/*.c; do
	[ -e "$f" ] || continue
	n=${f##*/}
	n=${n%.c}
	[[ $n =~ ^[a-z0-9_]+$ ]] || die "probe name '$n' is not a lower-case identifier"
	[ "$n" != hvlis_canary ] || die "probe name '$n' is reserved"
	probes+=("$n")
done
[ ${#probes[@]} -gt 0 ] || die "no probes in $probedir"

key=$({
	echo "hvlis-conftest 1"
	echo "kdir $kdir"
	printf 'arg %s\n' "${margs[@]}"
	for v in ARCH CC CROSS_COMPILE KCFLAGS LLVM; do echo "env $v=${!v:-}"; done
	present=()
	for f in .config Module.symvers include/generated/utsrelease.h \
		 include/config/kernel.release; do
		if [ -f "$kdir/$f" ]; then present+=("$kdir/$f"); else echo "$f absent"; fi
	done
	[ ${#present[@]} -eq 0 ] || sha256sum -- "${present[@]}"
	# the probes and this script by content, not by where the package
	# sits: dkms's build dir, a kmod build's copy and a checkout share
	# one entry for the same kernel
	cd "$probedir" && sha256sum -- *.c
	sha256sum < "$self"
} | sha256sum)
key=${key:0:40}

cachedir=""
if [ "$use_cache" = 1 ]; then
	if [ -n "${HVLIS_CACHE_DIR:-}" ]; then
		cachedir=$HVLIS_CACHE_DIR/compat
	elif [ -n "${HOME:-}" ]; then
		cachedir=$HOME/.cache/hyperv-lis/compat
	fi
	if [ -n "$cachedir" ] && ! mkdir -p "$cachedir" 2>/dev/null; then
		echo "$prog: cannot create $cachedir; not caching" >&2
		cachedir=""
	fi
fi

# Install $1 as OUTDIR/compat_autoconf.h unless identical (keeps the mtime,
# so kbuild does not rebuild everything for an unchanged result).
install_header() {
	local src=$1 dst=$outdir/compat_autoconf.h
	mkdir -p "$outdir"
	if ! cmp -s "$src" "$dst" 2>/dev/null; then
		cp "$src" "$dst.tmp.$$"
		mv -f "$dst.tmp.$$" "$dst"
	fi
	cp "${src%/*}/conftest.log" "$outdir/conftest.log" 2>/dev/null || true
}

summary() {  # header file, how
	local yes
	yes=$(grep -c '^#define HAVE_' "$1" || true)
	echo "$prog: $release: $yes of ${#probes[@]} features ($2)"
	if [ "$verbose" = 1 ]; then
		sed -n -e 's|^#define \(HAVE_[A-Z0-9_]*\) 1$|  yes \1|p' \
		       -e 's|^/\* #undef \(HAVE_[A-Z0-9_]*\) \*/$|  no  \1|p' "$1"
	fi
}

if [ -n "$cachedir" ] && [ -f "$cachedir/$key/compat_autoconf.h" ]; then
	install_header "$cachedir/$key/compat_autoconf.h"
	summary "$cachedir/$key/compat_autoconf.h" cached
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hvlis-conftest.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/probe" "$work/result"
cp "$probedir"/*.c "$work/probe/"
cat > "$work/probe/hvlis_canary.c" <<'EOF'
// SPDX-License-Identifier: GPL-2.0-only
#include <linux/kernel.h>
#include <linux/module.h>

void hvlis_probe(void)
{
	printk(KERN_INFO "hvlis\n");
}
EOF
{
	echo "obj-m := hvlis_canary.o"
	printf 'obj-m += %s.o\n' "${probes[@]}"
	# A mismatched API must fail, not warn; the kernel's own warnings must not.
	echo "ccflags-y := -Wno-error -Werror=implicit-function-declaration \\"
	echo "	-Werror=implicit-int -Werror=return-type \\"
	echo "	\$(call cc-option,-Werror=incompatible-pointer-types) \\"
	echo "	\$(call cc-option,-Werror=int-conversion) \\"
	echo "	\$(call cc-option,-Werror=discarded-qualifiers) \\"
	echo "	\$(call cc-option,-Wno-missing-prototypes) \\"
	echo "	\$(call cc-option,-Wno-missing-declarations)"
} > "$work/probe/Kbuild"

log=$work/result/conftest.log
{
	echo "# conftest for $release ($kdir), key $key"
	echo "# make -C $kdir ${margs[*]} M=$work/probe -k -j$jobs modules"
} > "$log"
start=$(date +%s)
make -C "$kdir" "${margs[@]}" M="$work/probe" -k -j"$jobs" modules \
	>> "$log" 2>&1 || true
echo "# kbuild took $(( $(date +%s) - start ))s" >> "$log"

[ -f "$work/probe/hvlis_canary.o" ] || {
	tail -n 30 "$log" >&2
	die "the canary probe did not compile against $kdir: build environment broken (log above)"
}

nm=${NM:-nm}
if grep -q '^CONFIG_LTO_CLANG=y' "$kdir/.config"; then nm=${NM:-llvm-nm}; fi
undefined() { "$nm" -u "$work/probe/$1.o" | awk '$2 != "__this_module" {print $2}' | sort -u; }
# Symbols named on "/* vmlinux-export: a b */" lines of the given probe sources.
annotated() {
	sed -n 's|^/\* vmlinux-export:\(.*\)\*/$|\1|p' "$@" | tr -s '[:blank:]' '\n' |
		sed '/^$/d' | sort -u
}

# The modules this package replaces: their exports do not count.
ours='(^|/)hv_(vmbus|storvsc|netvsc|utils)$'
if [ -f "$kdir/Module.symvers" ]; then
	exports=symvers
	awk -F'\t' -v ours="$ours" '$3 !~ ours {print $2}' "$kdir/Module.symvers" |
		sort -u > "$work/exports"
elif [ -f "$kdir/kernel/fork.c" ]; then
	exports=source
	annotated "$work"/probe/*.c > "$work/annotated"
	arch=x86
	if grep -q '^CONFIG_ARM64=y' "$kdir/.config"; then arch=arm64; fi
	dirs=()
	# net/core: the XDP and skb helpers hv_netvsc's probes name
	for d in "arch/$arch" kernel mm lib block drivers/base net/core \
		 drivers/hv/hv_common.c drivers/clocksource/hyperv_timer.c; do
		if [ -e "$kdir/$d" ]; then dirs+=("$kdir/$d"); fi
	done
	if [ -s "$work/annotated" ]; then
		alt=$(paste -sd'|' "$work/annotated")
		{ grep -rhoE --include='*.c' --include='*.S' \
			"EXPORT_SYMBOL[A-Z_]*\([[:space:]]*($alt)[[:space:]]*[,)]" "${dirs[@]}" || true; } |
			sed -E 's/.*\([[:space:]]*([A-Za-z0-9_]+).*/\1/' | sort -u > "$work/exports"
	else
		: > "$work/exports"
	fi
else
	exports=none
fi
echo "# exports checked against: $exports" >> "$log"

if [ "$exports" = symvers ]; then
	missing=$(undefined hvlis_canary | comm -23 - "$work/exports")
	[ -z "$missing" ] || die "canary symbols not in $kdir/Module.symvers: $missing"
fi

hdr=$work/result/compat_autoconf.h
{
	echo "/* SPDX-License-Identifier: GPL-2.0-only */"
	echo "/*"
	echo " * Generated by scripts/conftest.sh - do not edit."
	echo " * kernel $release, $kdir"
	echo " * key $key, exports checked against: $exports"
	echo " */"
	echo "#ifndef HVLIS_COMPAT_AUTOCONF_H"
	echo "#define HVLIS_COMPAT_AUTOCONF_H"
	echo
} > "$hdr"
for n in "${probes[@]}" ; do
	macro=HAVE_${n^^}
	reason=""
	if [ ! -f "$work/probe/$n.o" ]; then
		# The first diagnostic in the probe itself, or the header's.
		why=$(grep -m1 -E "(^|/)$n\.c:[0-9]+:[0-9]+: (fatal )?error: " "$log" ||
		      grep -m1 -A2 -E "from ([^ ]*/)?$n\.c:[0-9]+" "$log" |
		      grep -m1 -E "error: " || true)
		reason="does not compile: ${why#*error: }"
	elif [ "$exports" = symvers ]; then
		missing=$(undefined "$n" | comm -23 - "$work/exports" | paste -sd' ' -)
		[ -z "$missing" ] || reason="not exported: $missing"
	elif [ "$exports" = source ]; then
		missing=$(annotated "$work/probe/$n.c" | comm -12 - <(undefined "$n") |
			  comm -23 - "$work/exports" | paste -sd' ' -)
		[ -z "$missing" ] || reason="no EXPORT_SYMBOL in the sources: $missing"
	fi
	if [ -z "$reason" ]; then
		echo "#define $macro 1" >> "$hdr"
		echo "yes $n" >> "$log"
	else
		echo "/* #undef $macro */" >> "$hdr"
		echo "no  $n ($reason)" >> "$log"
	fi
done
printf '\n#endif /* HVLIS_COMPAT_AUTOCONF_H */\n' >> "$hdr"

if [ -n "$cachedir" ]; then
	tmpc=$(mktemp -d "$cachedir/.new.XXXXXX")
	cp "$hdr" "$log" "$tmpc/"
	# Atomic publish; a concurrent run that won the race leaves its copy.
	mv -T "$tmpc" "$cachedir/$key" 2>/dev/null || rm -rf "$tmpc"
fi
install_header "$hdr"
summary "$hdr" "probed in $(( $(date +%s) - start ))s"
