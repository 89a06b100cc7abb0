#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Unbind and bind through the driver's sysfs files, driver_override, and
# that a rebound device works (its channel is closed and reopened).
# vm: timeout=90
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
load_hvlis || case_fail "load failed"
load_module hv_echo || case_fail "hv_echo did not load"
dev=53494d01-0000-4000-8000-73696d687374
d=/sys/bus/vmbus/devices/$dev
drv=/sys/bus/vmbus/drivers/hv_echo
x=/sys/kernel/debug/hv_echo/$dev/xfer
wait_for "$x" 10 || case_fail "not bound at load"

echo "$dev" >$drv/unbind || case_fail "unbind refused"
[ "$(cat $d/state)" = 0 ] || case_fail "state $(cat $d/state) after unbind (channel not closed)"
[ -e "$x" ] && case_fail "driver still attached after unbind"
echo "$dev" >$drv/bind || case_fail "bind refused"
wait_for "$x" 10 || case_fail "no xfer after bind"
echo "100 512" >"$x"
[ "$(cat "$x")" = "ok=100 bad=0 errors=0 lost=0" ] || case_fail "after rebind: $(cat "$x")"

# driver_override: a device overridden to another driver name stays unbound
echo "$dev" >$drv/unbind
echo nosuchdriver >$d/driver_override
[ "$(cat $d/driver_override)" = nosuchdriver ] || case_fail "driver_override not stored"
echo "$dev" >$drv/bind 2>/dev/null && case_fail "bound despite driver_override"
echo >$d/driver_override
echo "$dev" >$drv/bind || case_fail "bind after clearing driver_override refused"
wait_for "$x" 10 || case_fail "not bound after clearing driver_override"
unload_ours || case_fail "unload failed"
case_pass
