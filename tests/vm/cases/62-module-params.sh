#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Module parameters are checked at load: a value outside the allowed range
# refuses the load at once with an error that names the parameter and the
# range (storvsc_ringbuffer_size=16 MiB used to load and then wait 15 s for
# a GPADL no host can build; 4 KiB was silently raised).  A valid
# non-default value still loads.
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_storvsc
fails=
fail() { log "FAIL: $*"; fails="$fails; $*"; }

# refused MODULE PARAM=VALUE: the load fails within 5 s, the log names it
refused() {
	m=$1 pv=$2
	mark_dmesg "$m $pv"
	t0=$(cut -d. -f1 /proc/uptime)
	if load_module "$m" "$pv" 2>/tmp/mod.err; then
		fail "$m $pv: loaded"
		rmmod "$m" 2>/dev/null
		return
	fi
	t=$(($(cut -d. -f1 /proc/uptime) - t0))
	[ "$t" -le 5 ] || fail "$m $pv: refused only after $t s"
	p=${pv%%=*}
	dmesg_since_mark | grep -q "$p=.*out of range ([0-9]" ||
		fail "$m $pv: no error naming $p and its range: $(dmesg_since_mark | tail -n 2 | tr '\n' '|')"
	log "$m $pv: $(dmesg_since_mark | grep "$p=" | head -n 1)"
}

load_module hv_simhost devices=scsi || case_fail "hv_simhost did not load"
refused hv_vmbus max_version=0x5
refused hv_vmbus timeout_ms=50
load_module hv_vmbus || case_fail "hv_vmbus did not load"
refused hv_storvsc storvsc_ringbuffer_size=16777216
refused hv_storvsc storvsc_ringbuffer_size=4096
refused hv_storvsc storvsc_ringbuffer_size=-1
refused hv_storvsc logging_level=5
refused hv_storvsc storvsc_timeout=0
is_loaded hv_storvsc && rmmod hv_storvsc
load_module hv_storvsc storvsc_ringbuffer_size=65536 ||
	fail "a valid storvsc_ringbuffer_size=65536 was refused"
wait_until 30 test -d /sys/bus/vmbus/drivers/hv_storvsc/53494d08-0000-4000-8000-73696d687374 ||
	fail "the scsi device did not bind with a 64 KiB ring"
[ -z "$fails" ] || case_fail "${fails#; }"
case_pass
