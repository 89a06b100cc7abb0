#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The in-tree modules that need the in-tree hv_vmbus (packaging/DEPENDANTS.md),
# with our hv_vmbus loaded and the package's modprobe.d file and guard
# installed: modprobe of each is refused by the guard with one line naming
# DEPENDANTS.md, and nothing reaches the kernel (no "Unknown symbol" in the
# log).  Without the guard (--ignore-install) the in-tree module really
# cannot load next to ours.  hyperv_drm is tested where the kernel has it
# (5.14 and later): an older kernel has no such module to guard.
# vm: modules=pci_hyperv,hyperv_keyboard,hid_hyperv,hv_balloon,hv_sock,uio_hv_generic
# vm: modules-if-present=hyperv_drm
# vm: files=packaging/modprobe.d/hyperv-lis.conf:/lib/modprobe.d/hyperv-lis.conf
# vm: files=packaging/modprobe.d/hyperv-lis-dependant-guard:/usr/lib/hyperv-lis/hyperv-lis-dependant-guard
# vm: expect-log=Unknown symbol|disagrees about version
# vm: timeout=120
# shellcheck source=tests/vm/guest/lib.sh
. /hvlis/lib.sh

require_ko hv_simhost hv_vmbus
[ -x /usr/lib/hyperv-lis/hyperv-lis-dependant-guard ] || case_fail "guard not installed"
load_hvlis || case_fail "load failed"
case $(modinfo -n hv_vmbus) in
*/updates/*) ;;
*) case_fail "hv_vmbus resolves to $(modinfo -n hv_vmbus), not ours" ;;
esac
n=0
absent=
for m in pci_hyperv hyperv_drm hyperv_keyboard hid_hyperv hv_balloon hv_sock uio_hv_generic; do
	# the harness leaves hyperv_drm out only when the kernel has none
	if [ "$m" = hyperv_drm ] && ! modinfo -n "$m" >/dev/null 2>&1; then
		absent=" (hyperv_drm: not in this kernel)"
		continue
	fi
	mark_dmesg "$m"
	if /sbin/modprobe "$m" 2>/tmp/err; then
		case_fail "$m loaded next to our hv_vmbus"
	fi
	grep -q "hyperv-lis: $m needs the in-tree hv_vmbus.*DEPENDANTS.md" /tmp/err ||
		case_fail "$m: no guard message: $(cat /tmp/err)"
	dmesg | sed -n "/hvlis-mark: .* $m /,\$p" | grep -q 'Unknown symbol' &&
		case_fail "$m reached the kernel despite the guard"
	is_loaded "$m" && case_fail "$m is loaded"
	n=$((n + 1))
done
# the control: bypassing the guard, the in-tree module cannot load
/sbin/modprobe --ignore-install hv_balloon 2>/dev/null && case_fail "hv_balloon loaded without the guard"
is_loaded hv_balloon && case_fail "hv_balloon is loaded"
case_pass "$n dependants refused by the guard$absent"
