#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2016 # wait_until N eval '...': expanded at each poll
# shellcheck disable=SC2317 # helpers are called through wait_until/traps
# Time sync IC and chrony (Debian's package) with the PTP clock "hyperv":
#  - the package's udev rule (packaging/udev/61-hyperv-lis-ptp.rules) gives
#    hv_utils' PTP device the link /dev/ptp_hyperv: the guest runs no
#    udevd, so the case runs the rules with `udevadm test` on the device
#    (Debian 12's udevadm then also makes the link; if it does not, the
#    case makes it as udev does: a relative symlink) and checks the link;
#  - the host's clock is put 3 s ahead and a SAMPLE sent (the guest clock is
#    not stepped below timesync_step_ms = 5 s): the PTP clock now reads the
#    host time, and chronyd (-x: it never touches the clock) with
#    `refclock PHC /dev/ptp_hyperv` must, within 60 s, report that source
#    selectable (state * + or -) with an offset of -3 s (system clock minus
#    PHC) within 10 ms: the PTP device reads within 10 ms of the host time.
# vm: timeout=150
# vm: bins=/usr/sbin/chronyd /usr/bin/chronyc /usr/bin/udevadm
# vm: files=packaging/udev/61-hyperv-lis-ptp.rules:/etc/udev/rules.d/61-hyperv-lis-ptp.rules
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh
# shellcheck source=tests/vm/guest/lib-ic.sh
. /hvlis/lib-ic.sh
chronyd=
cleanup() {
	[ -z "$chronyd" ] || { kill "$chronyd" 2>/dev/null; wait "$chronyd" 2>/dev/null; }
	chronyd=
	rm -f /dev/ptp_hyperv
	# shellcheck disable=SC2086 # a list of files
	[ -z "${made_passwd:-}" ] || rm -f $made_passwd
	made_passwd=
	echo "offset 0" >"$ic/timesync" 2>/dev/null
}
fail() { cleanup; case_fail "$*"; }

ic_start timesync
wait_until 10 eval '[ "$(ic_field timesync syncs)" -ge 1 ]' ||
	case_fail "no initial SYNC: $(cat "$ic/timesync")"
ptp=
for c in /sys/class/ptp/ptp*; do
	[ "$(cat "$c/clock_name" 2>/dev/null)" = hyperv ] && ptp=${c##*/}
done
[ -n "$ptp" ] || case_fail "no PTP clock named hyperv"

udevadm test --action=add "/class/ptp/$ptp" >/tmp/udevtest 2>&1
grep -q '^DEVLINKS=.*/dev/ptp_hyperv' /tmp/udevtest ||
	case_fail "the udev rule gives $ptp no /dev/ptp_hyperv: $(grep -E 'DEVLINKS|61-hyperv|rules' /tmp/udevtest | tr '\n' '|')"
[ -L /dev/ptp_hyperv ] && log "udevadm test made /dev/ptp_hyperv"
[ -e /dev/ptp_hyperv ] || ln -s "$ptp" /dev/ptp_hyperv ||
	case_fail "cannot link /dev/ptp_hyperv"
[ "$(readlink -f /dev/ptp_hyperv)" = "/dev/$ptp" ] ||
	fail "/dev/ptp_hyperv -> $(readlink /dev/ptp_hyperv), not $ptp"

echo "offset 3000" >"$ic/timesync" || fail "offset refused"
echo sample >"$ic/timesync" || fail "SAMPLE failed: $(cat "$ic/timesync")"

# chronyd -u root looks the user up: the initramfs has no passwd file
made_passwd=
if ! grep -q '^root:' /etc/passwd 2>/dev/null; then
	[ ! -e /etc/passwd ] || fail "/etc/passwd without root"
	echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
	[ -e /etc/group ] || { echo 'root:x:0:' >/etc/group; made_passwd=/etc/group; }
	made_passwd="/etc/passwd $made_passwd"
fi
mkdir -p /run/chrony && chmod 750 /run/chrony
cat >/tmp/chrony.conf <<'EOF'
refclock PHC /dev/ptp_hyperv poll 0 dpoll -2 refid HYPV
cmdport 0
bindcmdaddress /run/chrony/chronyd.sock
pidfile /run/chrony/chronyd.pid
EOF
chronyd -x -n -u root -f /tmp/chrony.conf >/tmp/chronyd.log 2>&1 &
chronyd=$!
sleep 1
kill -0 "$chronyd" 2>/dev/null || { chronyd=; fail "chronyd exited: $(cat /tmp/chronyd.log)"; }

# CSV: mode, state, name, stratum, poll, reach, last rx, offset (adjusted),
# offset (measured), error; offsets in seconds, system clock minus source
selectable() {
	chronyc -n -c sources >/tmp/sources 2>&1 &&
		grep -q '^#,[*+-],HYPV,' /tmp/sources
}
t0=$(uptime_ms)
wait_until 60 selectable ||
	fail "PHC source not selectable in 60 s: $(tr '\n' '|' </tmp/sources); chronyd: $(tr '\n' '|' </tmp/chronyd.log)"
log "selectable after $(($(uptime_ms) - t0)) ms: $(grep HYPV /tmp/sources)"
chronyc -n sourcestats >/tmp/sourcestats 2>&1 || fail "chronyc sourcestats: $(cat /tmp/sourcestats)"
grep -q '^HYPV ' /tmp/sourcestats || fail "no HYPV in sourcestats: $(cat /tmp/sourcestats)"
log "sourcestats: $(grep '^HYPV ' /tmp/sourcestats)"
off=$(awk -F, '$3 == "HYPV" { print $9 }' /tmp/sources)
awk -v o="$off" 'BEGIN { exit !(o + 3 < 0.010 && o + 3 > -0.010) }' ||
	fail "PHC offset ${off} s: want -3 s within 10 ms (host 3 s ahead)"
log "PHC offset ${off} s (host time 3 s ahead of the system clock)"
cleanup
[ "$(ic_field timesync errors)" = 0 ] || case_fail "protocol errors: $(cat "$ic/timesync")"
unload_ours || case_fail "unload failed"
case_pass
