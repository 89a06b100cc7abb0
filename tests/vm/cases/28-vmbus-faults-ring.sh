#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Ring faults: corrupt indices and packet lengths past the ring.  The
# guest must stop that channel with a log line, keep the others working,
# and unload.
# vm: timeout=200
# vm: expect-log=hv_vmbus|hv_simhost|hv_echo
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus hv_echo
S=/sys/kernel/debug/hv_simhost
X=/sys/kernel/debug/hv_echo
e0=53494d01-0000-4000-8000-73696d687374
e1=53494d01-0001-4000-8000-73696d687374

corrupt_logged() {
	dmesg_since_mark | grep -q "hv_vmbus: relid $relid: .*\(corrupt\|malformed\|dropped\)"
}

for fault in "in_read unaligned" "in_read oob" "out_write unaligned" \
	     "out_write oob" "big" "small"; do
	unload_ours
	load_hvlis -- timeout_ms=2000 || case_fail "$fault: load"
	load_module hv_echo || case_fail "$fault: hv_echo"
	wait_for $X/$e1/xfer 10 || case_fail "$fault: not bound"
	mark_dmesg "$fault"
	relid=$(cat /sys/bus/vmbus/devices/$e0/id)
	case $fault in
	big|small) echo "$relid $fault" >$S/bad_pkt_len ;;
	*) echo "$relid $fault" >$S/corrupt_ring ;;
	esac
	# the knob signals the guest: a corrupt host write index must be seen
	# on that signal, before the next host packet would overwrite it
	case $fault in
	out_write*) wait_until 5 corrupt_logged ||
		case_fail "$fault: the guest did not look at the ring on the host's signal" ;;
	esac
	# a stopped channel completes nothing: wait 3 s, not 30, for them
	echo "20 128 3" >$X/$e0/xfer
	r=$(cat $X/$e0/xfer)
	log "$fault: $r"
	if [ "$fault" != small ]; then
		corrupt_logged ||
			case_fail "$fault: nothing logged for relid $relid"
	fi
	echo "50 300" >$X/$e1/xfer
	grep -q "ok=50 bad=0 errors=0 lost=0" $X/$e1/xfer ||
		case_fail "$fault: the other channel: $(cat $X/$e1/xfer)"
	if dmesg_since_mark | grep -E 'BUG:|Oops|WARNING:|Call Trace'; then
		case_fail "$fault: kernel trace"
	fi
	unload_ours || case_fail "$fault: unload"
done
case_pass
