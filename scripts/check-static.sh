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
#  - poll-args: no VM-test "wait_until N CMD" whose CMD has a "$(...)" the
#    shell expands once, before the first poll (tests/vm/README.md)
#  - sparse-<X.Y>: build-modules.sh --werror --sparse, one case per kernel
#    that has /lib/modules/<kver>/build
#  - compat-selftest: src/compat/selftest, which uses every compat wrapper,
#    builds with -Werror for each kernel (and each tree in HVLIS_EXTRA_KDIRS)
#  - compat-symbols: kernel names newer than v3.10 are used only where a
#    probe covers them, and compat fallbacks use only what v3.10 has
#    (src/compat/check-symbols.pl, src/compat/symbols-since.txt)
#  - kernel-supported: scripts/kernel-supported.sh on fake build dirs (built-in
#    VMBus, wrong architecture, too old, no headers, and the served cases)
#  - compile-matrix (only when named; "make compile-matrix"): every module
#    with -Werror against every installed kernel and prepared tree, one line
#    per kernel
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
		# The package's own consent file (/etc/hyperv-lis/) is not the
		# build host's identity: dkms.conf may read it.
		f=$(script_code_grep "$etc_re" "${bpath[@]}" | grep -v '/etc/hyperv-lis/')
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

# ---- poll-args ---------------------------------------------------------

# "wait_until N test "$(f)" = x" polls a value taken once: the "$(...)" is
# expanded before wait_until runs.  Flags such calls (the command before a
# "||"; "eval '...'" and "sh -c" re-expand at every poll).  Prints
# FILE:LINE: TEXT of each.
poll_args_hits() {
	awk '{
		line = $0
		i = index(line, "wait_until ")
		if (!i || line ~ /^[[:space:]]*#/ || line ~ /^[[:space:]]*wait_until\(\)/)
			next
		rest = substr(line, i + 11)
		j = index(rest, " ||")
		if (j)
			rest = substr(rest, 1, j - 1)
		n = split(rest, w, " ")
		if (n < 2 || w[2] == "eval" || w[2] == "sh")
			next
		# "$((...))" is arithmetic: a fixed bound is fine
		if (rest ~ /(^|[^\\])\$\([^(]/)
			printf "%s:%d: %s\n", FILENAME, FNR, line
	}' "$@"
}

case_poll_args() {
	local files=() hits
	mapfile -t files < <(repo_files | grep -E '^tests/vm/.*\.sh$')
	# shellcheck disable=SC2016 # the planted line itself
	printf 'wait_until 5 test "$(x)" = 1 || true\n' >"$tmp/poll.sh"
	if [ -z "$(poll_args_hits "$tmp/poll.sh")" ]; then
		fail poll-args "detector self-test did not flag the planted line"
		return
	fi
	hits=$(poll_args_hits "${files[@]}")
	if [ -n "$hits" ]; then
		echo "$hits" | indent
		fail poll-args "$(echo "$hits" | wc -l) wait_until call(s) poll a value expanded once"
	else
		pass poll-args "${#files[@]} VM test scripts"
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
	for c in "$dest/scripts/checkpatch.pl" /usr/src/linux-*/scripts/checkpatch.pl; do
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
	# last: a tree linked under /lib/modules (an old test kernel of
	# build-test-kernel.sh has an older checkpatch with other rules), newest
	for c in $(printf '%s\n' /lib/modules/*/build/scripts/checkpatch.pl | sort -rV); do
		[ -f "$c" ] && { echo "$c"; return 0; }
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

# ---- compat-symbols ---------------------------------------------------

# Kernel names newer than v3.10 (src/compat/symbols-since.txt) are used only
# where a probe covers them, and compat fallbacks are written from what
# v3.10 has (src/compat/check-symbols.pl says how).  The checker must flag a
# planted tree first: a fallback built on a newer helper, and an unprobed
# helper.
case_compat_symbols() {
	local chk=src/compat/check-symbols.pl p=$tmp/cs out rc=0
	mkdir -p "$p/src/compat/probes" "$p/src/drv"
	printf 'kvmalloc_array | 4.12 | HAVE_KVMALLOC_ARRAY | t\nkvcalloc | 4.18 | HAVE_KVCALLOC | t\narray_size | 4.18 | HAVE_ARRAY_SIZE | t\nbitmap_zalloc | 4.19 | - | t\n' \
		> "$p/data"
	touch "$p/src/compat/probes/kvmalloc_array.c" "$p/src/compat/probes/kvcalloc.c" \
		"$p/src/compat/probes/array_size.c"
	printf '#ifndef HAVE_ARRAY_SIZE\n#define array_size(a, b) ((a) * (b))\n#endif\n#ifndef HAVE_KVCALLOC\n#define kvcalloc(n, s, f) kvzalloc(array_size(n, s), f)\n#endif\n' \
		> "$p/src/compat/compat.h"
	printf 'void *f(void)\n{\n\treturn kvmalloc_array(2, 4, 0);\n}\n' > "$p/src/drv/a.c"
	printf '#ifdef HAVE_KVMALLOC_ARRAY\nvoid *g(void) { return kvcalloc(1, 2, 0) ?: bitmap_zalloc(8, 0); }\n#endif\n' \
		> "$p/src/drv/b.c"
	out=$(perl "$chk" "$p" data 2>&1) && rc=0 || rc=$?
	if [ "$rc" != 1 ] || ! grep -q 'compat.h:5: fallback uses array_size' <<<"$out" ||
	   ! grep -q 'a.c:3: kvmalloc_array' <<<"$out" ||
	   [ "$(grep -c ': ' <<<"$out")" != 3 ]; then
		echo "$out" | indent
		fail compat-symbols "checker self-test: the planted tree was not flagged as expected"
		return
	fi
	printf 'void *f(void)\n{\n\treturn kvcalloc(2, 4, 0);\n}\n' > "$p/src/drv/a.c"
	printf '#ifndef HAVE_ARRAY_SIZE\n#define array_size(a, b) ((a) * (b))\n#endif\n#ifndef HAVE_KVCALLOC\n#define kvcalloc(n, s, f) __x(n, s, f)\n#endif\n' \
		> "$p/src/compat/compat.h"
	rm -f "$p/src/drv/b.c"
	if ! out=$(perl "$chk" "$p" data 2>&1); then
		echo "$out" | indent
		fail compat-symbols "checker self-test: a clean planted tree was flagged"
		return
	fi
	if out=$(perl "$chk" "$root" src/compat/symbols-since.txt 2>&1); then
		pass compat-symbols "$(tail -n 1 <<<"$out")"
	else
		echo "$out" | indent
		fail compat-symbols "$(grep -cvE '^(required|checked) ' <<<"$out") finding(s); see src/compat/symbols-since.txt"
	fi
}

# ---- kernel-supported --------------------------------------------------

# scripts/kernel-supported.sh on fake build dirs: which kernels are served,
# and the one-line reason for each that is not (exit 1) or has no headers
# (exit 3).
ks_fake() {  # dir release config-lines...
	local d=$1 rel=$2
	shift 2
	mkdir -p "$d/include/config" "$d/drivers/hv"
	echo "# fake" > "$d/Makefile"
	echo "$rel" > "$d/include/config/kernel.release"
	printf '%s\n' "$@" > "$d/.config"
}

# The VM harness's boot retry (boot_vm in tests/vm/lib/boot.sh) with QEMU
# replaced by a stub that "boots" into a fixture log: a kernel that died
# with no module loaded before any case is booted once more; one that died
# with hv_storvsc loaded, or after a case began, is not.
case_boot_retry() {
	local out n why=''
	boot_try() {	# FIXTURE FIRST_CASE: prints the number of boots
		(
			# shellcheck source=tests/vm/lib/common.sh
			. tests/vm/lib/common.sh
			# shellcheck source=tests/vm/lib/boot.sh
			. tests/vm/lib/boot.sh
			boot_vm_once() {
				echo x >>"$2/boots"
				cp "$FIXTURE" "$2/serial.log"
				BOOT_FIRST=$FIRST_CASE
			}
			rm -rf "$tmp/retry"
			mkdir -p "$tmp/retry"
			FIXTURE=$1 FIRST_CASE=$2
			boot_vm K "$tmp/retry" >"$tmp/retry.out"
			wc -l <"$tmp/retry/boots"
		)
	}
	n=$(boot_try tests/vm/fixtures/oops-int3-boot.log "")
	out=$(cat "$tmp/retry.out")
	[ "$n" = 2 ] || why="int3 oops with no module loaded: $n boot(s)"
	[ -n "$why" ] || grep -q 'booting again' <<<"$out" || why="no 'booting again' line: $out"
	n=$(boot_try tests/vm/fixtures/oops-in-irq.log "")
	[ -n "$why" ] || [ "$n" = 1 ] || why="oops with hv_storvsc loaded: $n boots"
	n=$(boot_try tests/vm/fixtures/oops-int3-boot.log 00-boot)
	[ -n "$why" ] || [ "$n" = 1 ] || why="oops after a case began: $n boots"
	if [ -n "$why" ]; then fail boot-retry "$why"; else pass boot-retry; fi
}

# The VM harness's oops_summary (tests/vm/lib/common.sh) on a fixture: the
# one line a CI failure carries must name the fault, RIP, call chain and
# loaded modules, and a log without an oops must give nothing.
case_oops_summary() {
	local fx=tests/vm/fixtures/oops-in-irq.log summary clean
	# shellcheck source=tests/vm/lib/common.sh
	summary=$(. tests/vm/lib/common.sh && oops_summary "$fx")
	clean=$(. tests/vm/lib/common.sh && grep -v -e BUG -e Oops "$fx" >"$tmp/clean.log" &&
		oops_summary "$tmp/clean.log")
	# a real 6.12 boot under TCG (CI, 2026-12-05): "Modules linked in:" empty
	local int3 int3_want="Oops: int3: 0000 [#1] PREEMPT SMP NOPTI; RIP hrtimer_start_range_ns+0x1cb/0x440; in swapper/0; calls tick_nohz_restart_sched_tick+0x6f < tick_nohz_idle_exit+0x9f < do_idle+0x163 < cpu_startup_entry+0x29 < rest_init+0xcc < start_kernel+0x63f < x86_64_start_reservations+0x18 < x86_64_start_kernel+0x96; modules: (none)"
	int3=$(. tests/vm/lib/common.sh && oops_summary tests/vm/fixtures/oops-int3-boot.log)
	case $summary in
	"BUG: kernel NULL pointer dereference"*"; RIP storvsc_io_complete+0x35/0x1a0 [hv_storvsc]; in swapper/1; calls storvsc_on_packet+0x120 < storvsc_on_channel+0x40 < "*"; modules:hv_storvsc(OE) hv_vmbus(OE)"*)
		sed 's/Modules linked in:.*/Modules linked in: sd_mod virtio_scsi/' "$fx" >"$tmp/early.log"
		grep -v 'Modules linked in:' "$fx" >"$tmp/nolist.log"
		# ours far down a long list must still be seen
		sed "s/Modules linked in:/& $(printf 'intree_mod%02d ' $(seq 1 30))/" "$fx" >"$tmp/long.log"
		if [ -n "$clean" ]; then
			fail oops-summary "a log without an oops gave: $clean"
		elif (. tests/vm/lib/common.sh && oops_before_ours "$summary"); then
			fail oops-summary "an oops with hv_storvsc loaded counted as before ours"
		elif ! (. tests/vm/lib/common.sh &&
			oops_before_ours "$(oops_summary "$tmp/early.log")"); then
			fail oops-summary "an oops with only in-tree modules loaded not seen as before ours"
		elif (. tests/vm/lib/common.sh &&
			oops_before_ours "$(oops_summary "$tmp/nolist.log")"); then
			fail oops-summary "an oops without a module list counted as before ours"
		elif (. tests/vm/lib/common.sh &&
			oops_before_ours "$(oops_summary "$tmp/long.log")"); then
			fail oops-summary "hv_storvsc after 30 in-tree modules not seen"
		elif [ "$int3" != "$int3_want" ]; then
			fail oops-summary "the early-boot int3 oops gave: '$int3'"
		elif ! (. tests/vm/lib/common.sh && oops_before_ours "$int3"); then
			fail oops-summary "an oops with no module loaded not seen as before ours"
		else
			pass oops-summary
		fi ;;
	*) fail oops-summary "got: '$summary'" ;;
	esac
}

case_kernel_supported() {
	local d=$tmp/ks bad=() n=0 t rc out want_rc want_msg
	# name|release|config (comma-separated)|exit|message part
	local tests=(
		"modular|6.1.0-57-amd64|CONFIG_X86_64=y,CONFIG_HYPERV=m|0|"
		"el7|3.10.0-1160.el7.x86_64|CONFIG_X86_64=y,CONFIG_HYPERV=m|0|"
		"split-vmbus|6.16.0-1-amd64|CONFIG_X86_64=y,CONFIG_HYPERV=y,CONFIG_HYPERV_VMBUS=m|0|"
		"builtin|6.1.0-57-cloud-amd64|CONFIG_X86_64=y,CONFIG_HYPERV=y|1|CONFIG_HYPERV=y (VMBus is built into the kernel"
		"builtin-vmbus|6.16.0-1-amd64|CONFIG_X86_64=y,CONFIG_HYPERV=y,CONFIG_HYPERV_VMBUS=y|1|CONFIG_HYPERV_VMBUS=y"
		"no-hyperv|6.1.0-57-amd64|CONFIG_X86_64=y,# CONFIG_HYPERV is not set|1|CONFIG_HYPERV is not set"
		"arm64|6.1.0-57-arm64|CONFIG_ARM64=y,CONFIG_HYPERV=m|1|architecture is not x86_64"
		"i386|4.19.0-27-686|CONFIG_X86_32=y,CONFIG_HYPERV=m|1|architecture is not x86_64"
		"too-old|2.6.32-754.el6.x86_64|CONFIG_X86_64=y,CONFIG_HYPERV=m|1|older than 3.10"
		"3.9|3.9.11|CONFIG_X86_64=y,CONFIG_HYPERV=m|1|older than 3.10"
	)
	for t in "${tests[@]}"; do
		IFS='|' read -r name rel cfg want_rc want_msg <<<"$t"
		IFS=',' read -r -a lines <<<"$cfg"
		ks_fake "$d/$name" "$rel" "${lines[@]}"
		rc=0
		out=$(scripts/kernel-supported.sh "$d/$name" 2>&1) || rc=$?
		n=$((n + 1))
		if [ "$rc" != "$want_rc" ]; then
			bad+=("$name: exit $rc, expected $want_rc ($out)")
		elif [ "$want_rc" = 0 ] && [ -n "$out" ]; then
			bad+=("$name: supported, but said: $out")
		elif [ "$want_rc" != 0 ] && { ! grep -qF -- "$want_msg" <<<"$out" ||
			! grep -q "^hyperv-lis: not building for kernel $rel: .*keeps its in-tree Hyper-V drivers\$" <<<"$out" ||
			[ "$(wc -l <<<"$out")" != 1 ]; }; then
			bad+=("$name: unclear message: $out")
		fi
	done
	# No headers at all: exit 3 and a pointer to the package to install.
	mkdir -p "$d/none"
	rc=0
	out=$(scripts/kernel-supported.sh "$d/none" 5.4.0-1-amd64 2>&1) || rc=$?
	n=$((n + 1))
	if [ "$rc" != 3 ] || ! grep -q 'install linux-headers-5.4.0-1-amd64' <<<"$out"; then
		bad+=("no-headers: exit $rc: $out")
	fi
	if [ ${#bad[@]} -eq 0 ]; then
		pass kernel-supported "$n fake build dirs"
	else
		printf '%s\n' "${bad[@]}" | indent
		fail kernel-supported "${#bad[@]} of $n fake build dirs"
	fi
}

# ---- compile-matrix ----------------------------------------------------

# "make compile-matrix": every module of src/ with -Werror against every
# installed kernel (/lib/modules/*/build), every tree in $HVLIS_EXTRA_KDIRS
# and every tree prepared under ${HVLIS_KTREES:-/tmp/kt/src} (see
# ../shared/docs/kernel-trees.md); one PASS/FAIL/SKIP line per kernel.  Not
# part of the default cases (minutes per kernel).  HVLIS_MATRIX_INSTALLED=0
# leaves out the installed kernels.
# After a failed build: which modules compile (make -k, so one module's
# errors do not hide another's), e.g. "vmbus ok, netvsc FAIL".
matrix_modules() {  # kdir release log
	local kdir tree=$root/build/$2/src m res="" margs=()
	kdir=$(readlink -f "$1")
	[ -d "$tree/compat/gen" ] || { echo "conftest failed"; return; }
	if [ -f "$kdir/.ktree-make-args" ]; then mapfile -t margs < "$kdir/.ktree-make-args"; fi
	make -C "$kdir" "${margs[@]}" M="$tree" -k -j"${HVLIS_JOBS:-2}" HVLIS_WERROR=1 modules \
		>> "$3" 2>&1
	for m in "$tree"/*/Kbuild; do
		m=$(basename "$(dirname "$m")")
		[ "$m" = compat ] && continue
		if grep -qE "$tree/$m/[^ :]*(:[0-9]+:[0-9]+: error|\] Error)" "$3"; then
			res+="${res:+, }$m FAIL"
		else
			res+="${res:+, }$m ok"
		fi
	done
	echo "$res"
}

case_compile_matrix() {
	local d kdirs=() visited="" kdir name rel log rc why today
	today=$(date -u +%F)
	local installed=(/lib/modules/*/build)
	# HVLIS_MATRIX_INSTALLED=0: the prepared trees only
	if [ "${HVLIS_MATRIX_INSTALLED:-1}" = 0 ]; then installed=(); fi
	for d in "${installed[@]}" ${HVLIS_EXTRA_KDIRS:-} "${HVLIS_KTREES:-/tmp/kt/src}"/*; do
		[ -f "$d/Makefile" ] || continue
		case $d in /lib/modules/*) ;; *) [ -f "$d/.ktree-make-args" ] || [ -f "$d/.config" ] || continue ;; esac
		kdir=$(readlink -f "$d")
		case " $visited " in *" $kdir "*) continue ;; esac
		visited="$visited $kdir"
		kdirs+=("$d")
	done
	if [ ${#kdirs[@]} -eq 0 ]; then
		fail compile-matrix "no kernel build dirs"
		return
	fi
	for d in "${kdirs[@]}"; do
		name=$(basename "$(dirname "$d")")
		[ "$(basename "$d")" = build ] || name=$(basename "$d")
		rel=$(cat "$d/include/config/kernel.release" 2>/dev/null || echo "$name")
		log=$logdir/matrix-$name.log
		rc=0
		why=$(scripts/kernel-supported.sh "$d" 2>&1) || rc=$?
		if [ "$rc" = 1 ]; then
			skip "matrix/$name" "$rel: ${why#hyperv-lis: }"
			continue
		elif [ "$rc" != 0 ]; then
			fail "matrix/$name" "$rel: kernel-supported.sh exit $rc: $why"
			continue
		fi
		if scripts/build-modules.sh --kdir "$d" --werror -j "${HVLIS_JOBS:-2}" > "$log" 2>&1; then
			pass "matrix/$name" "$rel, -Werror, $(find "$root/build/$rel/src" \
				-name '*.ko' 2>/dev/null | wc -l) modules, $today"
		else
			grep -E 'error|FAILED' "$log" | head -n 10 | indent
			fail "matrix/$name" "$rel: $(matrix_modules "$d" "$rel" "$log"), $today; log: ${log#"$root"/}"
		fi
	done
}

# ---- main -------------------------------------------------------------

all=(version-guard shellcheck poll-args)
nsparse=0
while read -r name kver; do
	all+=("$name")
	declare "kver_${name//[^A-Za-z0-9]/_}=$kver"
	nsparse=$((nsparse + 1))
done < <(sparse_cases)
# No kernel headers at all is a failure: there would be nothing to check.
[ "$nsparse" -gt 0 ] || all+=(sparse)
all+=(compat-selftest compat-symbols kernel-supported checkpatch wire-asserts oops-summary
	boot-retry)
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
	poll-args) case_poll_args ;;
	checkpatch) case_checkpatch ;;
	wire-asserts) case_wire_asserts ;;
	compat-selftest) case_compat_selftest ;;
	compat-symbols) case_compat_symbols ;;
	kernel-supported) case_kernel_supported ;;
	oops-summary) case_oops_summary ;;
	boot-retry) case_boot_retry ;;
	ktree-build) case_ktree_build ;;
	compile-matrix) case_compile_matrix ;;
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
