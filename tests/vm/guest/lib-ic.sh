# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Helpers of the integration-component cases (45-*, 46-*), sourced after
# lib.sh: the simulated host's IC control files and the usual start.
#
#   ic_field SERVICE KEY   value of KEY=... in the service's debugfs file
#   ic_ready SERVICE       the host has negotiated the service
#   ic_start SERVICE...    load the simulated host and hv_utils (by its
#                          modalias) and wait until each SERVICE is ready
#   ic_reopen SERVICE CLASS_GUID
#                          unbind and bind hv_utils on that device, wait
#                          for the new negotiation (fails through $IC_FAIL)
#   uptime_ms              milliseconds since boot
#   ic_kernel_hibernates   the kernel has hv_is_hibernation_supported()
#                          (v5.7; /proc/kallsyms): only there can hv_utils
#                          accept a hibernation request (utils_compat.h)
#   ic_no_hibernate_why    the reason hv_utils logs when the kernel cannot
#                          hibernate ("hibernation request refused: ...")
#   start_kvp_daemon       Debian's hv_kvp_daemon (-n: in the foreground) in
#                          the background, its pid in $daemon, its output in
#                          /tmp/kvpd.log; fails through $IC_FAIL if it exits
#   stop_daemon            kill and reap the daemon whose pid is $daemon
#   daemon_reads PID       the read(2)/pread(2) calls process PID has made
#                          (syscr of /proc/PID/io): a distribution daemon
#                          waits in poll() or read() on its device and reads
#                          nothing else until a message arrives, so the
#                          number stays the same while nothing reaches it
#   no_daemon_read PID N WHAT
#                          0.5 s on, PID's read count must still be N (else
#                          fail through $IC_FAIL: WHAT reached the daemon);
#                          a message passed on is read within milliseconds
#
# A misbehaving daemon, played by the case on file descriptor 3 (open it
# with `exec 3<>/dev/vmbus/hv_vss`, close it with `exec 3>&-`):
#   le32 N                 the 4 bytes of N, little-endian, as hex words
#   dev_write HEX...       one write() of these bytes (two hex digits each,
#                          blank-separated, in any number of arguments);
#                          fails with the error text in $dev_err; with
#                          $dev_pad set, zeros pad the message to that size
#   dev_read SECONDS       one read() (at most 8 KiB): the message's bytes
#                          as hex words in $dev_msg, its size in $dev_len;
#                          fails when nothing came in time (the reader then
#                          stays blocked until the case ends: fail the case)
# Background jobs of the case must not inherit fd 3 (`3>&-`): the device
# stays open, and the daemon registered, while any process holds it.
#   dev_refused WHAT HEX...
#                          the write must fail with EINVAL (through $IC_FAIL)

ic=/sys/kernel/debug/hv_simhost/ic
IC_FAIL=${IC_FAIL:-case_fail}

ic_field() {
	awk -v k="$2" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) {
		print substr($i, length(k) + 2); exit } }' "$ic/$1"
}

ic_ready() { [ "$(ic_field "$1" state)" = ready ]; }

ic_kernel_hibernates() {
	[ -r /proc/kallsyms ] || case_fail "no /proc/kallsyms"
	grep -q ' hv_is_hibernation_supported$' /proc/kallsyms
}

ic_no_hibernate_why() {
	if ic_kernel_hibernates; then
		echo "the kernel cannot hibernate"
	else
		echo "this kernel has no hv_is_hibernation_supported()"
	fi
}

uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

ic_start() {
	require_ko hv_simhost hv_vmbus hv_utils
	load_hvlis || case_fail "load failed"
	load_by_alias vmbus
	is_loaded hv_utils || case_fail "hv_utils was not loaded by its modalias"
	for _s in "$@"; do
		wait_until 30 ic_ready "$_s" ||
			case_fail "$_s not negotiated: $(cat "$ic/$_s")"
	done
}

ic_reopen() {
	_dev=
	for _d in /sys/bus/vmbus/drivers/hv_utils/*-*; do
		[ "$(cat "$_d/class_id" 2>/dev/null)" = "{$2}" ] && _dev=${_d##*/}
	done
	[ -n "$_dev" ] || $IC_FAIL "$1 device not bound to hv_utils"
	echo "$_dev" >/sys/bus/vmbus/drivers/hv_utils/unbind || $IC_FAIL "unbind $1"
	echo "$_dev" >/sys/bus/vmbus/drivers/hv_utils/bind || $IC_FAIL "bind $1"
	wait_until 30 ic_ready "$1" ||
		$IC_FAIL "$1 not negotiated again: $(cat "$ic/$1")"
}

daemon=
start_kvp_daemon() {
	# systemd's unit makes the state directory (StateDirectory=hyperv)
	mkdir -p /var/lib/hyperv
	hv_kvp_daemon -n >/tmp/kvpd.log 2>&1 &
	daemon=$!
	sleep 1
	kill -0 "$daemon" 2>/dev/null ||
		{ daemon=; $IC_FAIL "hv_kvp_daemon exited: $(cat /tmp/kvpd.log)"; }
}

stop_daemon() {
	[ -n "$daemon" ] || return 0
	kill "$daemon" 2>/dev/null
	wait "$daemon" 2>/dev/null
	daemon=
}

daemon_reads() { sed -n 's/^syscr: //p' "/proc/$1/io"; }

no_daemon_read() {
	sleep 0.5
	_n=$(daemon_reads "$1")
	[ "$_n" = "$2" ] ||
		$IC_FAIL "$3 reached the daemon: it made $((_n - $2)) read calls"
}

le32() {
	printf '%08x\n' "$(($1))" |
		sed 's/\(..\)\(..\)\(..\)\(..\)/\4 \3 \2 \1/'
}

dev_write() {
	# shellcheck disable=SC2048,SC2086 # one word per byte
	set -- $*
	: >/tmp/ic-wr
	for _b in "$@"; do
		# shellcheck disable=SC2059 # the format is the byte's escape
		printf "\\$(printf %03o "0x$_b")" >>/tmp/ic-wr
	done
	_n=$#
	if [ -n "${dev_pad:-}" ] && [ "$dev_pad" -gt "$_n" ]; then
		dd if=/dev/zero bs=$((dev_pad - _n)) count=1 2>/dev/null >>/tmp/ic-wr
		_n=$dev_pad
	fi
	dev_err=
	dd if=/tmp/ic-wr bs="$_n" count=1 2>/tmp/ic-wr.err >&3 && return 0
	dev_err=$(sed -n 's/^dd: error writing[^:]*: //p' /tmp/ic-wr.err)
	[ -n "$dev_err" ] || dev_err=$(cat /tmp/ic-wr.err)
	return 1
}

dev_read() {
	rm -f /tmp/ic-rd /tmp/ic-rd.done
	# not timeout(1): its watcher would keep the device open after dd
	{ dd bs=8192 count=1 of=/tmp/ic-rd <&3 2>/dev/null; : >/tmp/ic-rd.done; } &
	wait_until "$1" [ -e /tmp/ic-rd.done ] || return 1	# dd is left to the case's end
	wait $!
	dev_len=$(wc -c </tmp/ic-rd)
	dev_msg=$(od -An -tx1 -v /tmp/ic-rd | tr -s ' \n' '  ')
	dev_msg=${dev_msg# }
	dev_msg=${dev_msg% }
	[ "$dev_len" -gt 0 ]
}

dev_refused() {
	_what=$1
	shift
	dev_write "$@" && $IC_FAIL "$_what: the write was taken"
	[ "$dev_err" = "Invalid argument" ] ||
		$IC_FAIL "$_what: write failed with '$dev_err', want EINVAL"
	log "$_what: refused ($dev_err)"
}
