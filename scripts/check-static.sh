#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-static.sh [CASE...] - the fast static checks ("make check-static").
# Prints one PASS/FAIL/SKIP line per case and ends with
# "N passed, N failed, N skipped"; exits non-zero when a case failed.
#
#  - version-guard: no kernel-version tests outside src/compat, and nothing
#    on the build path reads the build host's /etc
#  - shellcheck: every shell script of the repository
#  - sparse-<X.Y>: build-modules.sh --werror --sparse, one case per kernel
#    that has /lib/modules/<kver>/build
#  - compat-selftest: src/compat/selftest, which uses every compat wrapper,
#    builds with -Werror for each kernel (and each tree in HVLIS_EXTRA_KDIRS)
#  - ktree-build: build-modules.sh --werror for each tree in HVLIS_EXTRA_KDIRS
#    (only then listed)
#  - checkpatch: checkpatch.pl --no-tree on our kernel C files
#  - wire-asserts: every src/include/*.h compiles alone in userspace (gcc,
#    and clang when installed), so the static size/offset assertions hold
#    without a kernel
# Logs of the longer cases: build/check-static/.
set -uo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root" || exit 2
logdir=$root/build/check-static
mkdir -p "$logdir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hvlis-static.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

passed=0 failed=0 skipped=0
pass() { echo "PASS $1${2:+ ($2)}"; passed=$((passed + 1)); }
fail() { echo "FAIL $1${2:+ ($2)}"; failed=$((failed + 1)); }
skip() { echo "SKIP $1${2:+ ($2)}"; skipped=$((skipped + 1)); }
indent() { sed 's/^/    /'; }

# Repository files, without build outputs and VCS data.
repo_files() {
	find . \( -path ./.git -o -path ./build -o -path ./packaging/out -o \
		-path ./tests/unit/build -o -path ./src/compat/gen \) -prune -o \
		-type f -print | sed 's|^\./||' | sort
}

# ---- version-guard ----------------------------------------------------

version_re='\b(LINUX_VERSION_CODE|KERNEL_VERSION[[:space:]]*\(|RHEL_RELEASE_CODE|RHEL_RELEASE_VERSION|RHEL_MAJOR|RHEL_MINOR|UTS_RELEASE)|linux/version\.h|generated/utsrelease\.h'
etc_re='/etc/|os-release|lsb_release|redhat-release|system-release|debian_version'

# C files with comments blanked (line numbers kept): prints file:line:text.
c_code_grep() {  # regex files...
	local re=$1 f
	shift
	for f in "$@"; do
		perl -0777 -pe 's{/\*(.*?)\*/}{"\n" x ($1 =~ tr/\n//)}gse; s{//[^\n]*}{}g' "$f" |
			grep -nE "$re" | sed "s|^|$f:|"
	done
}

# Shell/make files with comment lines dropped: prints file:line:text.
script_code_grep() {  # regex files...
	local re=$1
	shift
	grep -nE "$re" "$@" /dev/null | grep -vE '^[^:]+:[0-9]+:[[:space:]]*#'
}

case_version_guard() {
	local cfiles=() bpath=() hits f

	# The detectors must catch a planted offence, or the case proves nothing.
	mkdir -p "$tmp/vg"
	printf '#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 4, 0)\n#endif\n' > "$tmp/vg/a.c"
	printf '#!/bin/bash\n. /etc/os-release\n' > "$tmp/vg/b.sh"
	if [ -z "$(c_code_grep "$version_re" "$tmp/vg/a.c")" ] ||
	   [ -z "$(script_code_grep "$etc_re" "$tmp/vg/b.sh")" ]; then
		fail version-guard "detector self-test did not flag the planted files"
		return
	fi

	mapfile -t cfiles < <(repo_files | grep -E '\.[ch]$' | grep -v '^src/compat/')
	hits=""
	if [ ${#cfiles[@]} -gt 0 ]; then
		hits=$(c_code_grep "$version_re" "${cfiles[@]}")
	fi
	# Everything that runs while modules are built, by us or by DKMS.
	for f in scripts/build-modules.sh scripts/conftest.sh Makefile; do
		[ -f "$f" ] && bpath+=("$f")
	done
	while IFS= read -r f; do
		bpath+=("$f")
	done < <(repo_files | grep -E '^src/(.*/)?(Kbuild|Makefile|[^/]*\.mk)$|(^|/)dkms\.conf[^/]*$')
	if [ ${#bpath[@]} -gt 0 ]; then
		f=$(script_code_grep "$etc_re" "${bpath[@]}")
		hits=$hits${f:+${hits:+$'\n'}$f}
	fi
	if [ -n "$hits" ]; then
		echo "$hits" | indent
		fail version-guard "$(echo "$hits" | wc -l) offending line(s)"
	else
		pass version-guard "${#cfiles[@]} C files, ${#bpath[@]} build-path files"
	fi
}

# ---- shellcheck -------------------------------------------------------

case_shellcheck() {
	local files=() f out
	if ! command -v shellcheck >/dev/null; then
		fail shellcheck "shellcheck not installed: apt-get install shellcheck"
		return
	fi
	while IFS= read -r f; do
		case $f in
		*.sh|*.bash) files+=("$f"); continue ;;
		esac
		head -c 2 "$f" 2>/dev/null | grep -q '^#!' || continue
		head -n 1 "$f" | grep -qE '^#!.*[/ ](ba|da|k)?sh([[:space:]]|$)' && files+=("$f")
	done < <(repo_files)
	if [ ${#files[@]} -eq 0 ]; then
		fail shellcheck "no shell scripts found"
		return
	fi
	if out=$(shellcheck -x -P SCRIPTDIR "${files[@]}" 2>&1); then
		pass shellcheck "${#files[@]} scripts"
	else
		echo "$out" | head -n 60 | indent
		fail shellcheck "$(echo "$out" | grep -cE '^In .* line [0-9]+:') finding(s) in ${#files[@]} scripts"
	fi
}

# ---- sparse-<kver> ----------------------------------------------------

sparse_cases() {  # prints "name kver" per installed kernel with a build dir
	local d v short
	declare -A seen=()
	local kvers=()
	for d in /lib/modules/*/build; do
		[ -f "$d/Makefile" ] || continue
		v=$(basename "$(dirname "$d")")
		kvers+=("$v")
		short=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$v")
		seen[$short]=$(( ${seen[$short]:-0} + 1 ))
	done
	for v in "${kvers[@]}"; do
		short=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$v")
		if [ "${seen[$short]}" -gt 1 ]; then
			echo "sparse-$v $v"
		else
			echo "sparse-$short $v"
		fi
	done
}

case_sparse() {  # name kver
	local name=$1 kver=$2 log=$tmp/$1.log rc=0
	if ! command -v sparse >/dev/null; then
		fail "$name" "sparse not installed: apt-get install sparse"
		return
	fi
	scripts/build-modules.sh --kver "$kver" --werror --sparse -j "${HVLIS_JOBS:-2}" \
		> "$log" 2>&1 || rc=$?
	cp "$log" "$logdir/"
	if [ "$rc" = 0 ]; then
		pass "$name" "$kver"
	else
		tail -n 25 "$log" | indent
		fail "$name" "$kver; log: ${logdir#"$root"/}/$name.log"
	fi
}

# ---- checkpatch -------------------------------------------------------

# Types not enforced, and why:
#  PREFER_DEFINED_ATTRIBUTE_MACRO (PREFER_PACKED, PREFER_ALIGNED in older
#      checkpatch): src/include wire headers are shared with userspace
#      (tests/unit), which has no __packed/__aligned.
#  NEW_TYPEDEFS: the same headers typedef u8..u64 for userspace.
#  FILE_PATH_CHANGES, GIT_COMMIT_ID, COMMIT_MESSAGE, EMAIL_SUBJECT,
#      COMMIT_LOG_LONG_LINE: about patches and commit messages, not files.
#  LINUX_VERSION_CODE: version-guard enforces a stricter rule.
#  FUNCTION_ARGUMENTS: misfires on local function-pointer variables
#      ("void (*isr)(void) = READ_ONCE(...);"); unnamed parameters in real
#      prototypes are style only.
checkpatch_ignore=PREFER_DEFINED_ATTRIBUTE_MACRO,PREFER_PACKED,PREFER_ALIGNED,NEW_TYPEDEFS,FILE_PATH_CHANGES,GIT_COMMIT_ID,COMMIT_MESSAGE,EMAIL_SUBJECT,COMMIT_LOG_LONG_LINE,LINUX_VERSION_CODE,FUNCTION_ARGUMENTS

find_checkpatch() {
	local c tarball dest=$root/build/tools/checkpatch
	for c in "$dest/scripts/checkpatch.pl" /usr/src/linux-*/scripts/checkpatch.pl \
		 /lib/modules/*/build/scripts/checkpatch.pl; do
		[ -f "$c" ] && { echo "$c"; return 0; }
	done
	# Debian's linux-source-X.Y ships the tree as a tarball: take only the
	# script and its two data files.
	for tarball in /usr/src/linux-source-*.tar.xz /usr/src/linux-source-*.tar.bz2; do
		[ -f "$tarball" ] || continue
		mkdir -p "$dest"
		tar -xaf "$tarball" -C "$dest" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch' 2>/dev/null
		[ -f "$dest/scripts/checkpatch.pl" ] && { echo "$dest/scripts/checkpatch.pl"; return 0; }
	done
	return 1
}

case_checkpatch() {
	local cp files=() out n
	if ! cp=$(find_checkpatch); then
		skip checkpatch "no checkpatch.pl: apt-get install linux-source-6.1"
		return
	fi
	# Kernel code: the modules, the compat probes and selftest, the
	# simulated host.  Not userspace (daemons, unit tests).
	mapfile -t files < <(repo_files | grep -E '^(src|tests/simhost)/.*\.[ch]$' |
		grep -vE '^src/daemons/')
	if [ ${#files[@]} -eq 0 ]; then
		fail checkpatch "no kernel C files found"
		return
	fi
	out=$(perl "$cp" --no-tree --terse --show-types --no-summary --max-line-length=100 \
		--ignore "$checkpatch_ignore" -f "${files[@]}" 2>&1 | grep -E ': (ERROR|WARNING):')
	if [ -z "$out" ]; then
		pass checkpatch "${#files[@]} files"
	else
		n=$(echo "$out" | wc -l)
		echo "$out" | head -n 60 | indent
		fail checkpatch "$n error(s)/warning(s) in ${#files[@]} files"
	fi
}

# ---- compat-selftest --------------------------------------------------

# Build src/compat/selftest (every compat wrapper in use) with -Werror for
# each installed kernel and each prepared tree in $HVLIS_EXTRA_KDIRS: on a
# kernel where a wrapper is active, this is what shows that it compiles.
case_compat_selftest() {
	local kdirs=() d kdir name m gen log ok=() bad=() margs
	for d in /lib/modules/*/build ${HVLIS_EXTRA_KDIRS:-}; do
		if [ -f "$d/Makefile" ]; then kdirs+=("$d"); fi
	done
	if [ ${#kdirs[@]} -eq 0 ]; then
		fail compat-selftest "no kernel build dirs"
		return
	fi
	for d in "${kdirs[@]}"; do
		kdir=$(readlink -f "$d")
		name=$(basename "$(dirname "$d")")
		[ "$(basename "$d")" = build ] || name=$(basename "$d")
		m=$tmp/selftest-$name/m
		gen=$tmp/selftest-$name/gen
		log=$tmp/compat-selftest-$name.log
		mkdir -p "$m"
		cp src/compat/selftest/* "$m/"
		margs=()
		if [ -f "$kdir/.ktree-make-args" ]; then
			mapfile -t margs < "$kdir/.ktree-make-args"
		fi
		if scripts/conftest.sh -j "${HVLIS_JOBS:-2}" "$kdir" "$gen" > "$log" 2>&1 &&
		   make -C "$kdir" "${margs[@]}" M="$m" -j"${HVLIS_JOBS:-2}" \
			HVLIS_COMPAT="$root/src/compat" HVLIS_COMPAT_GEN="$gen" modules \
			>> "$log" 2>&1 && [ -f "$m/hvlis_compat_selftest.ko" ]; then
			ok+=("$name")
		else
			grep -E 'error|Error' "$log" | head -n 15 | indent
			bad+=("$name")
		fi
		cp "$log" "$logdir/"
	done
	if [ ${#bad[@]} -eq 0 ]; then
		pass compat-selftest "${ok[*]}"
	else
		fail compat-selftest "failed for ${bad[*]}; logs: ${logdir#"$root"/}/"
	fi
}

# ---- ktree-build -------------------------------------------------------

# Every module of src/ with -Werror against each prepared tree in
# $HVLIS_EXTRA_KDIRS (old and new kernels: ../shared/docs/kernel-trees.md).
# Listed only when that variable is set; CI has Debian's headers only.
case_ktree_build() {
	local d name log ok=() bad=()
	for d in ${HVLIS_EXTRA_KDIRS:-}; do
		name=$(basename "$d")
		log=$logdir/ktree-build-$name.log
		if scripts/build-modules.sh --kdir "$d" --werror -j "${HVLIS_JOBS:-2}" \
			> "$log" 2>&1; then
			ok+=("$name")
		else
			grep -E 'error|FAILED' "$log" | head -n 15 | indent
			bad+=("$name")
		fi
	done
	if [ ${#bad[@]} -eq 0 ]; then
		pass ktree-build "${ok[*]}"
	else
		fail ktree-build "failed for ${bad[*]}; logs: ${logdir#"$root"/}/"
	fi
}

# ---- wire-asserts -----------------------------------------------------

case_wire_asserts() {
	local hdrs=() h cc out="" ccs=()
	mapfile -t hdrs < <(find src/include -maxdepth 1 -name '*.h' | sort)
	if [ ${#hdrs[@]} -eq 0 ]; then
		fail wire-asserts "no headers in src/include"
		return
	fi
	command -v gcc >/dev/null && ccs+=(gcc)
	for cc in clang clang-14; do
		if command -v "$cc" >/dev/null; then ccs+=("$cc"); break; fi
	done
	[ ${#ccs[@]} -gt 0 ] || { fail wire-asserts "no C compiler"; return; }
	# A failing assertion must fail the command used below.
	printf '_Static_assert(sizeof(char) == 2, "planted");\n' > "$tmp/planted.h"
	if gcc -fsyntax-only -std=gnu11 -Wall -Werror -x c "$tmp/planted.h" 2>/dev/null; then
		fail wire-asserts "a failing _Static_assert compiled"
		return
	fi
	for cc in "${ccs[@]}"; do
		for h in "${hdrs[@]}"; do
			out+=$("$cc" -fsyntax-only -std=gnu11 -Wall -Werror -Isrc/include -x c "$h" 2>&1)
		done
	done
	if [ -n "$out" ]; then
		echo "$out" | head -n 40 | indent
		fail wire-asserts "${#hdrs[@]} headers"
	else
		pass wire-asserts "${#hdrs[@]} headers with ${ccs[*]}"
	fi
}

# ---- main -------------------------------------------------------------

all=(version-guard shellcheck)
nsparse=0
while read -r name kver; do
	all+=("$name")
	declare "kver_${name//[^A-Za-z0-9]/_}=$kver"
	nsparse=$((nsparse + 1))
done < <(sparse_cases)
# No kernel headers at all is a failure: there would be nothing to check.
[ "$nsparse" -gt 0 ] || all+=(sparse)
all+=(compat-selftest checkpatch wire-asserts)
if [ -n "${HVLIS_EXTRA_KDIRS:-}" ]; then all+=(ktree-build); fi

if [ "${1:-}" = --list ]; then
	printf '%s\n' "${all[@]}"
	exit 0
fi
want=("$@")
[ ${#want[@]} -gt 0 ] || want=("${all[@]}")

for c in "${want[@]}"; do
	case $c in
	version-guard) case_version_guard ;;
	shellcheck) case_shellcheck ;;
	checkpatch) case_checkpatch ;;
	wire-asserts) case_wire_asserts ;;
	compat-selftest) case_compat_selftest ;;
	ktree-build) case_ktree_build ;;
	sparse) fail sparse "no kernel headers under /lib/modules/*/build" ;;
	sparse-*)
		v="kver_${c//[^A-Za-z0-9]/_}"
		if [ -n "${!v:-}" ]; then
			case_sparse "$c" "${!v}"
		else
			fail "$c" "no such kernel (see --list)"
		fi
		;;
	*) fail "$c" "unknown case (see --list)" ;;
	esac
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
