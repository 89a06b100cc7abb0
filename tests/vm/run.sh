#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/run.sh: boot Debian's real kernels in QEMU (TCG) with our modules
# and run tests/vm/cases/NN-name.sh in them (see tests/vm/README.md).
#
#   tests/vm/run.sh [--kernels "KVER..."] [--cases GLOB[,GLOB...]]
#                   [--profile NAME] [--keep] [-j N]
#
#   --kernels  default: every kernel with headers in /lib/modules/*/build
#              and a Debian image package
#   --cases    shell globs on case names, e.g. '00-*,1*'  (default: all)
#   --profile  simhost host profile of the whole run (default, ws2016,
#              azure; default: $HVLIS_PROFILE, else the simhost's default):
#              every hv_simhost the guests load gets profile=NAME unless
#              the case passes its own profile=
#   --keep     keep the initramfs and disk images of every boot
#   -j N       boots at once (default: $HVLIS_VM_JOBS, else 2 with two or
#              more CPUs)
#
# One line per case: "PASS KVER/CASE", "FAIL KVER/CASE: reason" (and the
# serial log), "SKIP KVER/CASE: reason"; then "N passed, N failed, N skipped".
# Logs: build/vm/runs/latest/KVER/BOOT/{serial.log,channel.log,...}.

set -euo pipefail

LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib
# shellcheck source=tests/vm/lib/common.sh
. "$LIB/common.sh"
# shellcheck source=tests/vm/lib/build.sh
. "$LIB/build.sh"
# shellcheck source=tests/vm/lib/cases.sh
. "$LIB/cases.sh"
# shellcheck source=tests/vm/lib/boot.sh
. "$LIB/boot.sh"
# shellcheck source=tests/vm/lib/verdict.sh
. "$LIB/verdict.sh"

usage() { sed -n '4,24s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

kernels='' globs='*' keep=0
# Two boots at once where there are two CPUs: a TCG guest leaves about half
# of the machine idle (its vCPUs wait on timers and on the simulated host).
jobs=${HVLIS_VM_JOBS:-$(($(nproc) >= 2 ? 2 : 1))}
HVLIS_PROFILE=${HVLIS_PROFILE:-}
while [ $# -gt 0 ]; do
	case $1 in
	--kernels) [ $# -ge 2 ] || usage; kernels=$2; shift ;;
	--kernels=*) kernels=${1#*=} ;;
	--cases) [ $# -ge 2 ] || usage; globs=$2; shift ;;
	--cases=*) globs=${1#*=} ;;
	--profile) [ $# -ge 2 ] || usage; HVLIS_PROFILE=$2; shift ;;
	--profile=*) HVLIS_PROFILE=${1#*=} ;;
	--keep) keep=1 ;;
	-j) [ $# -ge 2 ] || usage; jobs=$2; shift ;;
	-j[0-9]*) jobs=${1#-j} ;;
	-h|--help) usage ;;
	*) usage ;;
	esac
	shift
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || usage
# The simhost checks the name (an unknown one fails its load, so every case).
[[ $HVLIS_PROFILE =~ ^[a-z0-9_]*$ ]] || die "--profile: bad name '$HVLIS_PROFILE'"

for tool in "$QEMU" busybox cpio gzip apt-get dpkg-deb; do
	command -v "$tool" >/dev/null ||
		die "'$tool' not found (make deps, or apt-get install qemu-system-x86 busybox-static cpio)"
done

t_suite=$(now)
mkdir -p "$VM_BUILD/runs"
RUN=$VM_BUILD/runs/$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$RUN"
ln -sfn "$(basename "$RUN")" "$VM_BUILD/runs/latest"
# Keep the logs of the last 10 runs.
find "$VM_BUILD/runs" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -r |
	tail -n +11 | while read -r old; do rm -rf "${VM_BUILD:?}/runs/$old"; done
RESULTS=$RUN/results.tsv
: >"$RESULTS"
echo "${HVLIS_PROFILE:-default}" >"$RUN/profile"
[ -z "$HVLIS_PROFILE" ] || echo "# simhost profile: $HVLIS_PROFILE (hvlis.profile= on the guests' command line)"

# report STATUS NAME [REASON...]: one result line (also kept in RESULTS).
report() {
	local st=$1 name=$2
	shift 2
	printf '%s\t%s\t%s\n' "$st" "$name" "$*" >>"$RESULTS"
	echo "$st $name${*:+: $*}"
}

[ -n "$kernels" ] || kernels=$(default_kernels | tr '\n' ' ')
[ -n "${kernels// /}" ] || die "no kernel to test: install linux-headers-<kver> of a Debian kernel"

mapfile -t all_cases < <(list_cases "$globs")
[ ${#all_cases[@]} -gt 0 ] || die "no case in tests/vm/cases matches '$globs'"
# the XDP programs first: cases copy them in (files=), checked when parsed
build_xdp_progs
shared=() own=()
for f in "${all_cases[@]}"; do
	if ! parse_case "$f"; then
		for k in $kernels; do report FAIL "$k/$C_NAME" "$C_ERR"; done
		continue
	fi
	if [ "$C_OWN" = 1 ]; then own+=("$f"); else shared+=("$f"); fi
done

# --- per kernel: the kernel, our modules, the simhost -------------------------
boots=()	# "KVER BOOT CASEFILE..." (case files have no blanks)
own_boots=()	# the same, of the cases with a boot of their own
for k in $kernels; do
	mkdir -p "$RUN/$k"
	t0=$(now)
	if ! "$REPO/scripts/vm-kernel.sh" "$k" >"$RUN/$k/kernel.log" 2>&1; then
		report FAIL "$k/kernel" "scripts/vm-kernel.sh $k failed:" \
			"$(grep -m1 error: "$RUN/$k/kernel.log" || tail -n1 "$RUN/$k/kernel.log")"
		continue
	fi
	echo "# $k: kernel ready in $(since "$t0") s"
	OUR_KOS=()
	t0=$(now)
	if build_ours "$k" "$RUN/$k/build.log"; then
		build_simhost "$k" "$RUN/$k/simhost.log" || true
		build_testdrivers "$k" "$RUN/$k" || true
	else
		OUR_KOS=()	# never test stale modules of an earlier build
	fi
	echo "# $k: modules ready in $(since "$t0") s:" \
		"${OUR_KOS[*]##*/}"
	printf '%s\n' "${OUR_KOS[@]}" | sed '/^$/d' >"$RUN/$k/kos"
	[ ${#shared[@]} -eq 0 ] || boots+=("$k shared ${shared[*]}")
	for f in "${own[@]}"; do
		own_boots+=("$k $(basename "$f" .sh) $f")
	done
done
# The long shared boots first: with -j 2 they run side by side and the
# short boots fill in after them.
boots+=(${own_boots[@]+"${own_boots[@]}"})

# --- boots -------------------------------------------------------------------
one_boot() {
	local k=$1 boot=$2 dir=$RUN/$1/$2 f
	shift 2
	mapfile -t OUR_KOS <"$RUN/$k/kos"
	if ! prepare_boot "$k" "$dir" "$@"; then
		for f in "$@"; do report FAIL "$k/$(basename "$f" .sh)" "$C_ERR"; done
		return 0
	fi
	boot_vm "$k" "$dir"
	echo "# boot $k/$boot: first case after ${BOOT_FIRST:-(none)} s," \
		"$BOOT_TIME s in all (limit $BOOT_LIMIT s)"
	boot_verdict "$k" "$boot" "$dir"
	[ "$keep" = 1 ] || rm -f "$dir/initrd.cpio.gz" "$dir"/*.img
}

for b in "${boots[@]}"; do
	while [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do
		wait -n || true
	done
	read -ra args <<<"$b"
	echo "# booting ${args[0]}/${args[1]}: $((${#args[@]} - 2)) cases"
	(
		one_boot "${args[@]}" >"$RUN/${args[0]}/${args[1]}.out" 2>&1 ||
			report FAIL "${args[0]}/${args[1]}" "harness error (exit $?)" \
				>>"$RUN/${args[0]}/${args[1]}.out"
		cat "$RUN/${args[0]}/${args[1]}.out"
	) &
done
wait

passed=$(grep -c '^PASS' "$RESULTS" || true)
failed=$(grep -c '^FAIL' "$RESULTS" || true)
skipped=$(grep -c '^SKIP' "$RESULTS" || true)
echo "# suite wall time: $(since "$t_suite") s; logs: $RUN"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
