# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Guest library of the VM tests, sourced by /init and by every case (busybox sh).
#
# A case prints exactly one result line on the harness channel:
#   VMTEST <case> PASS|FAIL|SKIP [reason]
# through case_pass / case_fail / case_skip, which also end the case: they
# exit the shell they run in, so never call them (or load_hvlis, require_ko,
# expect_ok) inside $(...) or a pipeline.

HVLIS_KO=/hvlis/ko
HVLIS_STATE=/tmp/hvlis
# Kernel log lines that fail a boot (tests/vm/run.sh reads this line too).
HVLIS_BAD='BUG:|Oops|WARNING:|general protection|KASAN|UBSAN|refcount_t|list_add corruption|list_del corruption|stack-protector|soft lockup|hung task|blocked for more than|Call Trace|detected stall'
: "${HVLIS_CH:=/dev/console}"
: "${HVLIS_CASE:=adhoc}"

# cmdline_arg NAME: the value of NAME=VALUE on the kernel command line.
cmdline_arg() {
	read -r _cl </proc/cmdline
	for _w in $_cl; do
		case $_w in
		"$1="*) echo "${_w#*=}"; return 0 ;;
		esac
	done
	return 1
}
: "${HVLIS_KVER:=$(cmdline_arg hvlis.kver)}"

# chan TEXT: one line on the harness channel (and on the console).
chan() {
	echo "$*" >"$HVLIS_CH"
	[ "$HVLIS_CH" = /dev/console ] || echo "$*"
}

log() { echo "[$HVLIS_CASE] $*"; }

# qemu_monitor CMD...: the harness runs CMD in QEMU's monitor (the case
# needs "# vm: monitor"; device_del ID or device_add ARGS only).  Nothing
# comes back: wait for the effect; the harness logs the answer in
# monitor.log of the boot.
qemu_monitor() {
	[ "$HVLIS_CH" != /dev/console ] ||
		case_fail "monitor request '$*': no harness channel (ttyS1)"
	chan "VMTEST-MONITOR $*"
}

_case_result() {
	_st=$1
	shift
	mkdir -p "$HVLIS_STATE"
	# Only the first result of a case counts.
	[ -e "$HVLIS_STATE/result.$HVLIS_CASE" ] && return 0
	_why=$(printf '%s' "$*" | tr '\n\t' '  ')
	echo "$_st $_why" >"$HVLIS_STATE/result.$HVLIS_CASE"
	chan "VMTEST $HVLIS_CASE $_st${_why:+ $_why}"
}
# shellcheck disable=SC2120 # arguments are optional
case_pass() { _case_result PASS "$@"; exit 0; }
# shellcheck disable=SC2120 # arguments are optional
case_fail() { _case_result FAIL "${*:-failed}"; exit 1; }
# shellcheck disable=SC2120 # arguments are optional
case_skip() { _case_result SKIP "${*:-skipped}"; exit 0; }

# expect_ok WHAT CMD...: run CMD, fail the case with WHAT if it fails.
expect_ok() {
	_what=$1
	shift
	"$@" || case_fail "$_what (exit $?)"
}

# run_timeout SECONDS CMD...: CMD killed after SECONDS.
run_timeout() { timeout "$@"; }

# --- modules ----------------------------------------------------------------

# kmod's tools, not busybox's applets (busybox sh runs its own applets before
# looking at PATH; its insmod runs a failing module init twice).
insmod() { /sbin/insmod "$@"; }
rmmod() { /sbin/rmmod "$@"; }
modprobe() { /sbin/modprobe "$@"; }
lsmod() { /sbin/lsmod "$@"; }
modinfo() { /sbin/modinfo "$@"; }

modname() { basename "$1" | sed 's/\.ko.*$//; s/-/_/g'; }
ko_path() { echo "$HVLIS_KO/$(modname "$1").ko"; }
have_ko() { [ -f "$(ko_path "$1")" ]; }
is_loaded() { grep -q "^$(modname "$1") " /proc/modules; }

# require_ko NAME...: SKIP the case unless all these modules of ours exist.
require_ko() {
	for _m in "$@"; do
		have_ko "$_m" || case_skip "$(modname "$_m").ko is not built"
	done
}

# modinfo_field FILE FIELD: FIELD=... from the .modinfo section of a .ko
# (kmod's modinfo reads the section; scanning the whole file costs ~0.5 s a
# module under TCG).
modinfo_field() { modinfo -F "$2" "$1" 2>/dev/null | head -n 1; }
# vermagic_of FILE: the kernel release a .ko was built for.
vermagic_of() { modinfo_field "$1" vermagic | cut -d' ' -f1; }

# load_module NAME [PARAM=VALUE...]: modprobe NAME (ours or in-tree) and the
# modules it needs; PARAMs are ignored when NAME is already loaded.
load_module() {
	_n=$(modname "$1")
	shift
	modprobe "$_n" "$@"
}

# load_by_alias [BUS]: modprobe the drivers for the devices on BUS (default:
# every bus) by their modalias, as udev's coldplug would; there is no udev.
load_by_alias() {
	cat /sys/bus/"${1:-*}"/devices/*/modalias 2>/dev/null | sort -u >/tmp/aliases
	while read -r _a; do
		modprobe -q "$_a" || true
	done </tmp/aliases
}

# load_hvlis [SIMHOST_PARAM...] [-- VMBUS_PARAM...]: insmod hv_simhost, then
# hv_vmbus. SKIPs the case when either is not built; returns insmod's status.
# shellcheck disable=SC2120 # arguments are optional
load_hvlis() {
	_sim=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		_sim="$_sim $1"
		shift
	done
	[ "${1:-}" = -- ] && shift
	require_ko hv_simhost hv_vmbus
	# shellcheck disable=SC2086 # one word per parameter
	load_module hv_simhost $_sim || return $?
	load_module hv_vmbus "$@"
}

# unload_ours: rmmod every module of ours still loaded, newest first.
unload_ours() {
	for _pass in 1 2 3; do
		_left=
		# a snapshot: /proc/modules read while rmmod runs skips entries
		# shellcheck disable=SC2013 # module names are words
		for _m in $(cut -d' ' -f1 /proc/modules); do
			[ -f "$HVLIS_KO/$_m.ko" ] || continue
			rmmod "$_m" 2>/dev/null || _left="$_left $_m"
		done
		[ -z "$_left" ] && return 0
		sleep 1
	done
	log "still loaded:$_left"
	return 1
}
unload_hvlis() { unload_ours; }

# dependants_of MODULE: the loaded modules that use MODULE, directly or
# through others (its holders in sysfs, and theirs), one per line.
dependants_of() {
	_todo=$1 _seen=
	while [ -n "$_todo" ]; do
		_cur=${_todo%% *}
		_todo=${_todo#"$_cur"}
		_todo=${_todo# }
		for _h in "/sys/module/$_cur/holders"/*; do
			[ -e "$_h" ] || continue
			_h=${_h##*/}
			case " $_seen " in
			*" $_h "*) ;;
			*) _seen="$_seen $_h" _todo="${_todo:+$_todo }$_h" ;;
			esac
		done
	done
	for _h in $_seen; do echo "$_h"; done
}

# unload_dependants MODULE: rmmod every module that uses MODULE (see
# dependants_of), users before what they use; MODULE stays loaded.  1 (and
# a log line naming them) when some could not be unloaded.
unload_dependants() {
	for _pass in 1 2 3 4 5 6 7 8; do
		_deps=$(dependants_of "$1")
		[ -z "$_deps" ] && return 0
		for _m in $_deps; do
			# only one that nothing uses any more
			for _h in "/sys/module/$_m/holders"/*; do
				[ -e "$_h" ] && continue 2
			done
			rmmod "$_m" 2>/dev/null
		done
	done
	_deps=$(dependants_of "$1")
	[ -z "$_deps" ] && return 0
	log "still using $1: $(echo "$_deps" | tr '\n' ' ')"
	return 1
}

# --- waiting ---------------------------------------------------------------

# bus_version: the VMBus version the simulated host negotiated, as a
# decimal number (0x40001 = 262145); 0 when not connected.
bus_version() {
	_v=$(sed -n 's/^version *//p' /sys/kernel/debug/hv_simhost/stats 2>/dev/null | head -n 1)
	echo $((${_v:-0}))
}

# wait_until SECONDS CMD...: poll CMD every 0.1 s; 1 if it never succeeded.
wait_until() {
	_t=$(($1 * 10))
	shift
	while [ "$_t" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	"$@"
}

# wait_for PATH SECONDS: wait until PATH exists.
wait_for() { wait_until "$2" test -e "$1"; }

# --- kernel state ----------------------------------------------------------

# find_vmbus_disk GUID: set $disk to the block device (sdX) below the VMBus
# device GUID; 1 while there is none (use with wait_until).
# shellcheck disable=SC2034 # $disk is the caller's
find_vmbus_disk() {
	for _b in /sys/block/sd*; do
		case $(readlink -f "$_b") in
		*/"$1"/*) disk=${_b##*/}; return 0 ;;
		esac
	done
	return 1
}

# slab_count CACHE: active objects of a slab cache (/proc/slabinfo).
slab_count() {
	awk -v n="$1" '$1 == n { print $2; f = 1 } END { exit !f }' /proc/slabinfo
}

# mark_dmesg [TAG]: put a mark into the kernel log for dmesg_since_mark.
mark_dmesg() {
	mkdir -p "$HVLIS_STATE"
	_mk="hvlis-mark: $HVLIS_CASE ${1:-mark} $(cut -d' ' -f1 /proc/uptime)"
	echo "$_mk" >/dev/kmsg
	echo "$_mk" >"$HVLIS_STATE/mark.$HVLIS_CASE"
}

# dmesg_since_mark: kernel log after the last mark_dmesg of this case (or
# after the start of the case).
dmesg_since_mark() {
	_mk=$(cat "$HVLIS_STATE/mark.$HVLIS_CASE" 2>/dev/null) ||
		_mk="hvlis: case $HVLIS_CASE begin"
	dmesg | awk -v m="$_mk" 'index($0, m) { f = 1; n = 0; next }
		f { l[++n] = $0 }
		END { for (i = 1; i <= n; i++) print l[i] }'
}

# dmesg_bad_since_mark: print the bad kernel log lines since the mark; true
# if there are any.
dmesg_bad_since_mark() { dmesg_since_mark | grep -E "$HVLIS_BAD"; }
