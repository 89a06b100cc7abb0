#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/packaging/run.sh - packaging tests with the real dpkg, apt, dkms and
# initramfs-tools of this machine (root).  Each named case prints PASS, FAIL
# or SKIP; the last line is "N passed, N failed, N skipped"; exit 1 if any
# case failed.
#
# Flow: build the .deb (and lint it), the fake-kernel cases (unsupported
# kernel, kernel without headers), apt install of the package (every kernel
# with headers built and installed, modules resolve to updates/dkms, the
# initrd of every installed image holds ours), an upgrade to a newer
# version, hyperv-lis doctor, apt remove + purge (in-tree modules back in
# resolution and initrd), then the RPM cases.  Everything is undone at exit:
# the package is purged, the fake kernels deleted, and an initrd that no
# longer holds the in-tree drivers is restored from the copy taken first.
#
# HVLIS_PKG_TREE=DIR  package another tree laid out like this one.
# HVLIS_PKG_UPGRADE=0 skip the upgrade case (one more initrd rebuild:
#                     1.5-4 min on a loaded 2-core machine).
# HVLIS_PKG_NEWKERNEL=0 skip the two new-kernel cases (a kernel image with
#                     headers but no image is installed afterwards, in both
#                     orders; 5-8 min).
set -uo pipefail
export LC_ALL=C DEBIAN_FRONTEND=noninteractive

top=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
cd "$top" || exit 2
tree=${HVLIS_PKG_TREE:-$top}
out=$top/packaging/out
log=$top/build/packaging-tests
mkdir -p "$log"
pass=0 fail=0 skip=0

ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
sk() { echo "SKIP $1: $2"; skip=$((skip + 1)); }

if [ "$(id -u)" -ne 0 ]; then
	sk all "needs root (dpkg, apt, dkms)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi

version=$(sed -n 's/^#define HVLIS_VERSION "\(.*\)"$/\1/p' "$tree/src/include/hvlis/version.h")
up_version=$version.1
fake_unsup=9.9.9-hvlis-unsupported
fake_nohdr=9.9.8-hvlis-noheaders

# Installed kernels with headers, and those with an image + initrd.
hdr_kernels=()
for d in /lib/modules/*/build; do
	if [ -f "$d/Makefile" ]; then
		k=${d%/build}
		hdr_kernels+=("${k##*/}")
	fi
done
img_kernels=()
for k in "${hdr_kernels[@]}"; do
	if [ -f "/boot/initrd.img-$k" ]; then img_kernels+=("$k"); fi
done

# Keep each initrd as it was, to restore if the suite leaves it broken.
for k in "${img_kernels[@]}"; do
	cp -p "/boot/initrd.img-$k" "$log/initrd.img-$k.orig"
done

helper=$top/packaging/initramfs-tools/hyperv-lis-update-initrd

purge_pkg() {
	if dpkg-query -W -f='${Status}' hyperv-lis-dkms 2>/dev/null | grep -q 'installed\|config-files\|half'; then
		dpkg --purge hyperv-lis-dkms >> "$log/purge.log" 2>&1
	fi
}

conf_file=/etc/hyperv-lis/hyperv-lis.conf
# A kernel with headers and no image: installed afterwards by the
# new-kernel cases, with its cached image package.
newk=""
new_image_installed=0
hdr_removed=0
hdr_debs=()

cleanup() {
	if [ "$hdr_removed" = 1 ]; then
		echo "cleanup: reinstalling the headers of $newk"
		dpkg -i "${hdr_debs[@]}" >> "$log/newkernel.log" 2>&1 ||
			echo "cleanup: WARNING: could not reinstall ${hdr_debs[*]}"
	fi
	if [ "$new_image_installed" = 1 ]; then
		dpkg --purge "linux-image-$newk" >> "$log/newkernel.log" 2>&1 ||
			echo "cleanup: WARNING: could not purge linux-image-$newk"
		rm -f "/boot/initrd.img-$newk.hvlis-bak"
	fi
	purge_pkg
	rm -rf "/lib/modules/$fake_unsup" "/lib/modules/$fake_nohdr" \
		"/var/lib/dkms/hyperv-lis" /etc/hyperv-lis
	local k
	for k in "${img_kernels[@]}"; do
		if ! "$helper" --check-only --expect in-tree "$k" >/dev/null 2>&1; then
			echo "cleanup: restoring the initrd of $k saved before the tests"
			cp -p "$log/initrd.img-$k.orig" "/boot/initrd.img-$k"
		fi
		rm -f "$log/initrd.img-$k.orig" "/boot/initrd.img-$k.hvlis-bak"
	done
}
trap cleanup EXIT

# A package left from an earlier run would hide what this run installs.
purge_pkg
rm -rf /var/lib/dkms/hyperv-lis

rm -rf /etc/hyperv-lis

# modules this tree provides (dirs with a Kbuild naming obj-m)
mapfile -t tree_modules < <("$top/scripts/gen-dkms-conf.sh" "$tree" |
	sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"$/\1/p')
# in-tree modules it does not replace yet: installing needs ACCEPT_MISSING
missing_mods=$("$top/scripts/gen-dkms-conf.sh" "$tree" |
	sed -n 's/^_hvlis_missing="\(.*\)"$/\1/p')

# ---------------------------------------------------------------- dkms.conf
case_dkms_conf() {
	local c=dkms-conf-generated conf n_kbuild
	conf=$("$top/scripts/gen-dkms-conf.sh" "$tree") || { ko $c "gen-dkms-conf failed"; return; }
	bash -n <<<"$conf" || { ko $c "not valid bash"; return; }
	n_kbuild=$(grep -l '^obj-m' "$tree"/src/*/Kbuild 2>/dev/null | wc -l)
	if [ "${#tree_modules[@]}" -ne "$n_kbuild" ] || [ "${tree_modules[0]}" != hv_vmbus ]; then
		ko $c "modules '${tree_modules[*]}' vs $n_kbuild Kbuild files"; return
	fi
	for v in 'PACKAGE_NAME="hyperv-lis"' "PACKAGE_VERSION=\"$version\"" 'AUTOINSTALL="yes"' \
		'NO_WEAK_MODULES="yes"' 'BUILD_EXCLUSIVE_ARCH=' 'BUILD_EXCLUSIVE_CONFIG=' \
		"MAKE\\[0\\]=\"make modules-in-place KVER='\\\${kernelver}' KDIR='\\\${kernel_source_dir}'\""; do
		grep -q "^$v" <<<"$conf" || { ko $c "missing $v"; return; }
	done
	ok "$c (${tree_modules[*]})"
}

# ------------------------------------------------------- kernel-supported.sh
# fake_kdir DIR RELEASE CONFIG-LINES...: a minimal "prepared tree"
fake_kdir() {
	local d=$1 rel=$2
	shift 2
	rm -rf "$d"
	mkdir -p "$d/include/config"
	echo "# fake" > "$d/Makefile"
	echo "$rel" > "$d/include/config/kernel.release"
	printf '%s\n' "$@" > "$d/.config"
}

case_kernel_supported() {
	local c=kernel-supported t=$log/ks k rc msg bad=""
	for k in "${hdr_kernels[@]}"; do
		"$top/scripts/kernel-supported.sh" "/lib/modules/$k/build" 2>/dev/null ||
			bad="$bad $k(real kernel rejected)"
	done
	# expected-rc release config...
	check() {
		local want=$1 rel=$2
		shift 2
		fake_kdir "$t" "$rel" "$@"
		rc=0
		msg=$("$top/scripts/kernel-supported.sh" "$t" 2>&1) || rc=$?
		[ "$rc" -eq "$want" ] || bad="$bad ${rel}[$*]:rc=$rc"
		if [ "$want" = 1 ] && ! grep -q "keeps its in-tree Hyper-V drivers" <<<"$msg"; then
			bad="$bad $rel:no-message"
		fi
	}
	check 0 6.1.0-x CONFIG_X86_64=y CONFIG_HYPERV=m
	check 1 6.1.0-x CONFIG_X86_64=y CONFIG_HYPERV=y
	check 1 6.1.0-x CONFIG_X86_64=y
	check 1 6.1.0-x CONFIG_ARM64=y CONFIG_HYPERV=m
	check 0 6.15.0-x CONFIG_X86_64=y CONFIG_HYPERV=y CONFIG_HYPERV_VMBUS=m
	check 1 6.15.0-x CONFIG_X86_64=y CONFIG_HYPERV=y CONFIG_HYPERV_VMBUS=y
	check 1 3.2.0-x CONFIG_X86_64=y CONFIG_HYPERV=m
	check 0 3.10.0-x CONFIG_X86_64=y CONFIG_HYPERV=m
	# The Makefile/DKMS path asks the same script: a kernel with a
	# built-in VMBus is not built; the in-place (DKMS) build exits 77,
	# a kernel named on the command line is an error, and "every kernel"
	# mode skips it with the reason.
	fake_kdir "$t" 6.1.0-x CONFIG_X86_64=y CONFIG_HYPERV=y
	rc=0
	msg=$("$top/scripts/build-modules.sh" --in-place --kdir "$t" 2>&1) || rc=$?
	[ "$rc" -eq 77 ] || bad="$bad build-modules-in-place:rc=$rc"
	grep -q "CONFIG_HYPERV=y (VMBus is built into the kernel" <<<"$msg" ||
		bad="$bad build-modules:no-reason"
	rc=0
	"$top/scripts/build-modules.sh" --kdir "$t" >/dev/null 2>&1 || rc=$?
	[ "$rc" -eq 1 ] || bad="$bad build-modules-named:rc=$rc"
	rm -rf "$t"
	rc=0
	"$top/scripts/kernel-supported.sh" "$t" 2>/dev/null || rc=$?
	[ "$rc" -eq 3 ] || bad="$bad missing-tree:rc=$rc"
	if [ -z "$bad" ]; then ok $c; else ko $c "$bad"; fi
}

# -------------------------------------------------------------------- deb
deb=""
case_deb_build() {
	local c=deb-builds
	if ! "$top/scripts/build-deb.sh" --tree "$tree" --no-lintian > "$log/deb.log" 2>&1; then
		ko $c "build-deb.sh failed (see $log/deb.log)"; return
	fi
	deb=$out/hyperv-lis-dkms_${version}_all.deb
	[ -f "$deb" ] || { ko $c "no $deb"; deb=""; return; }
	local f
	f=$(dpkg-deb -c "$deb" | awk '{print $6}')
	for p in "./usr/src/hyperv-lis-$version/dkms.conf" \
		"./usr/src/hyperv-lis-$version/scripts/kernel-supported.sh" \
		./lib/modprobe.d/hyperv-lis.conf ./lib/depmod.d/hyperv-lis.conf \
		./usr/share/initramfs-tools/hooks/hyperv-lis ./usr/sbin/hyperv-lis \
		./usr/lib/hyperv-lis/hyperv-lis-doctor ./usr/share/man/man8/hyperv-lis.8.gz \
		./usr/share/doc/hyperv-lis-dkms/DEPENDANTS.md \
		./usr/share/initramfs-tools/modules.d/hyperv-lis \
		./etc/kernel/postinst.d/zz-hyperv-lis ./etc/kernel/header_postinst.d/zz-hyperv-lis \
		./usr/lib/hyperv-lis/hyperv-lis-kernel-hook ./etc/hyperv-lis/hyperv-lis.conf \
		./usr/lib/dracut/modules.d/90hyperv-lis/module-setup.sh \
		./usr/lib/dracut/dracut.conf.d/90-hyperv-lis.conf \
		./lib/udev/rules.d/40-hyperv-lis-hotadd.rules \
		./lib/udev/rules.d/60-hyperv-lis-storage.rules \
		./lib/udev/rules.d/68-hyperv-lis-sriov-nm-unmanaged.rules; do
		grep -qxF "$p" <<<"$f" || { ko $c "$p missing from the .deb"; return; }
	done
	ok "$c (${deb#"$top"/})"
}

case_lintian() {
	local c=deb-lintian
	[ -n "$deb" ] || { sk $c "no .deb"; return; }
	lintian "$deb" > "$log/lintian.txt" 2>&1
	if grep -qE '^[EW]: ' "$log/lintian.txt"; then
		ko $c "$(grep -cE '^[EW]: ' "$log/lintian.txt") error/warning tags (see $log/lintian.txt)"
	else
		ok "$c ($(grep -c '^[IPX]: ' "$log/lintian.txt") info tags)"
	fi
}

# ------------------------------------------------------------ install
# resolved K M: module file modprobe would load
resolved() { modinfo -k "$1" -n "$2" 2>/dev/null; }

supported_kernels=()
for k in "${hdr_kernels[@]}"; do
	if "$top/scripts/kernel-supported.sh" --quiet "/lib/modules/$k/build"; then
		supported_kernels+=("$k")
	fi
done

check_installed() {  # version -> "" or a problem list
	local v=$1 k m p vm bad=""
	for k in "${supported_kernels[@]}"; do
		dkms status -m hyperv-lis -v "$v" -k "$k" | grep -q ': installed' ||
			bad="$bad $k:not-installed"
		for m in "${tree_modules[@]}"; do
			p=$(resolved "$k" "$m")
			case $p in
			*/updates/dkms/*) ;;
			*) bad="$bad $k:$m->${p:-none}" ;;
			esac
			vm=$(modinfo -k "$k" -F vermagic "$m" 2>/dev/null | awk '{print $1}')
			[ "$vm" = "$k" ] || bad="$bad $k:$m:vermagic=$vm"
			[ "$(modinfo -k "$k" -F version "$m" 2>/dev/null)" = "$v" ] ||
				bad="$bad $k:$m:version"
		done
	done
	echo "$bad"
}

check_initrds() {  # expect -> "" or problems
	local k bad=""
	for k in "${img_kernels[@]}"; do
		"$helper" --check-only --expect "$1" "$k" >> "$log/initrd-check.log" 2>&1 ||
			bad="$bad $k"
	done
	echo "$bad"
}

initrd_sums() {
	local k
	for k in "${img_kernels[@]}"; do sha256sum "/boot/initrd.img-$k"; done
}

# Without the administrator's ACCEPT_MISSING, installing the package must
# change nothing: no kernel gets our modules, every initrd stays as it was,
# and the reason is printed.  Then purged (conffile included).
case_not_accepted() {
	local c=not-accepted-keeps-intree k before bad="" out
	[ -n "$deb" ] || { sk $c "no .deb"; return; }
	[ -n "$missing_mods" ] || { sk $c "this tree ships every module"; return; }
	before=$(initrd_sums)
	if ! apt-get install -y "$deb" > "$log/install-noaccept.log" 2>&1; then
		ko $c "apt-get install failed (see $log/install-noaccept.log)"; purge_pkg; return
	fi
	for k in "${supported_kernels[@]}"; do
		if dkms status -m hyperv-lis -k "$k" | grep -q ': installed'; then
			bad="$bad $k:installed"
		fi
		case $(resolved "$k" hv_vmbus) in */updates/*|*/extra/*) bad="$bad $k:resolves-ours" ;; esac
	done
	grep -q "ACCEPT_MISSING=${missing_mods// /,}" "$log/install-noaccept.log" ||
		bad="$bad no-message"
	[ "$(initrd_sums)" = "$before" ] || bad="$bad initrd-changed"
	out=$(hyperv-lis doctor 2>&1 || true)
	grep -q 'not activated' <<<"$out" || bad="$bad doctor-silent"
	[ -f "$conf_file" ] || bad="$bad no-conffile"
	purge_pkg
	[ ! -e "$conf_file" ] || bad="$bad conffile-left-after-purge"
	if [ -n "$bad" ]; then ko $c "$bad"; else
		ok "$c ($(grep -m1 -o 'not installing for kernel [^:]*' "$log/install-noaccept.log"))"
	fi
}

installed=0
case_apt_install() {
	local c=apt-install bad
	[ -n "$deb" ] || { sk $c "no .deb"; return; }
	# The administrator's consent, written before the install (as
	# cloud-init would); dpkg keeps it over the package's conffile.
	if [ -n "$missing_mods" ]; then
		mkdir -p /etc/hyperv-lis
		echo "ACCEPT_MISSING=${missing_mods// /,}" > "$conf_file"
	fi
	if ! apt-get install -y -o Dpkg::Options::=--force-confdef \
		-o Dpkg::Options::=--force-confold "$deb" > "$log/install.log" 2>&1; then
		ko $c "apt-get install failed (see $log/install.log)"; return
	fi
	installed=1
	bad=$(check_installed "$version")
	if [ -n "$missing_mods" ] && ! grep -q '^ACCEPT_MISSING=' "$conf_file"; then
		bad="$bad consent-lost"
	fi
	if [ -n "$bad" ]; then ko $c "$bad"; else
		ok "$c (${supported_kernels[*]}: ${tree_modules[*]} in updates/dkms)"
	fi
}

case_initrd_ours() {
	local c=initrd-holds-ours bad
	[ "$installed" = 1 ] || { sk $c "package not installed"; return; }
	[ ${#img_kernels[@]} -gt 0 ] || { sk $c "no kernel image with an initrd"; return; }
	bad=$(check_initrds ours)
	if [ -n "$bad" ]; then
		ko $c "initrd of$bad lacks our hv_vmbus/hv_storvsc (see $log/initrd-check.log)"
	elif ls /boot/*.hvlis-bak >/dev/null 2>&1; then
		ko $c "a .hvlis-bak initrd was left behind"
	else
		ok "$c (${img_kernels[*]})"
	fi
}

# The initrd the installed package made (our hook, Debian's mkinitramfs)
# boots a root file system on the synthetic disk; the VM test appends only
# the simulated host to it.
case_installed_initrd_boots() {
	local c=installed-initrd-boots k out
	[ "$installed" = 1 ] || { sk $c "package not installed"; return; }
	[ ${#img_kernels[@]} -gt 0 ] || { sk $c "no kernel image with an initrd"; return; }
	command -v qemu-system-x86_64 >/dev/null || { sk $c "no qemu-system-x86_64"; return; }
	k=${img_kernels[0]}
	out=$("$top/tests/vm/boot/run.sh" --kernels "$k" --initrd "/boot/initrd.img-$k" 2>&1)
	echo "$out" > "$log/installed-initrd-boot.log"
	if grep -q "^PASS $k/boot-synthetic-root" <<<"$out"; then
		ok "$c ($k: $(grep -m1 "^PASS $k/boot-synthetic-root" <<<"$out" | sed 's/.*: //'))"
	else
		ko $c "$(grep -m1 '^FAIL' <<<"$out") (see $log/installed-initrd-boot.log)"
	fi
}

case_guard() {
	local c=dependant-guard k out rc
	[ "$installed" = 1 ] || { sk $c "package not installed"; return; }
	k=${supported_kernels[0]}
	# The install command of the modprobe.d file, as modprobe would run it
	# for a kernel using our hv_vmbus (checked with -S on that kernel).
	out=$(modprobe -S "$k" -n -v hyperv_drm 2>&1)
	if ! grep -q 'hyperv-lis-dependant-guard hyperv_drm' <<<"$out"; then
		ko $c "modprobe -n does not run the guard: $out"; return
	fi
	rc=0
	out=$(modprobe -S "$k" hyperv_drm 2>&1) || rc=$?
	if [ "$(uname -r)" = "$k" ]; then
		if [ "$rc" -eq 0 ] || ! grep -q DEPENDANTS.md <<<"$out"; then
			ko $c "running kernel: hyperv_drm not refused ($rc: $out)"; return
		fi
	fi
	ok "$c"
}

case_unsupported() {
	local c=unsupported-kernel-skipped d=/lib/modules/$fake_unsup rc=0 out
	[ "$installed" = 1 ] || { sk $c "package not installed"; return; }
	# A copy of a real header tree whose VMBus is built in.
	mkdir -p "$d"
	cp -rs "$(readlink -f "/lib/modules/${hdr_kernels[0]}/build")" "$d/build"
	rm -f "$d/build/.config" "$d/build/include/config/kernel.release"
	sed 's/^CONFIG_HYPERV=m/CONFIG_HYPERV=y/' "/lib/modules/${hdr_kernels[0]}/build/.config" \
		> "$d/build/.config"
	echo "$fake_unsup" > "$d/build/include/config/kernel.release"
	out=$(dkms install -m hyperv-lis -v "$version" -k "$fake_unsup" 2>&1) || rc=$?
	echo "$out" > "$log/unsupported.log"
	if [ "$rc" -ne 77 ]; then
		ko $c "dkms install exit $rc, expected 77 (skipped)"
	elif ! grep -q "CONFIG_HYPERV=y.*keeps its in-tree Hyper-V drivers" <<<"$out"; then
		ko $c "no clear message: $(head -n 3 <<<"$out")"
	elif [ -e "$d/updates" ]; then
		ko $c "modules were installed for it"
	else
		ok "$c ($(grep -m1 'hyperv-lis: not building' <<<"$out"))"
	fi
	rm -rf "$d"
}

case_no_headers() {
	local c=kernel-without-headers d=/lib/modules/$fake_nohdr rc=0 out
	[ "$installed" = 1 ] || { sk $c "package not installed"; return; }
	mkdir -p "$d"
	# What the kernel image's postinst runs for a kernel without headers.
	out=$(/etc/kernel/postinst.d/dkms "$fake_nohdr" 2>&1) || rc=$?
	echo "$out" > "$log/noheaders.log"
	if [ "$rc" -ne 0 ]; then
		ko $c "/etc/kernel/postinst.d/dkms exit $rc"
	elif ! grep -qi 'headers' <<<"$out"; then
		ko $c "no message about headers: $out"
	elif [ -n "$(check_installed "$version")" ]; then
		ko $c "the other kernels were disturbed"
	else
		ok "$c"
	fi
	rm -rf "$d"
}

case_upgrade() {
	local c=apt-upgrade bad updeb
	[ "$installed" = 1 ] || { sk $c "package not installed"; return; }
	if [ "${HVLIS_PKG_UPGRADE:-1}" = 0 ]; then sk $c "HVLIS_PKG_UPGRADE=0"; return; fi
	if ! "$top/scripts/build-deb.sh" --tree "$tree" --version "$up_version" --no-lintian \
		> "$log/deb-up.log" 2>&1; then
		ko $c "build of $up_version failed"; return
	fi
	updeb=$out/hyperv-lis-dkms_${up_version}_all.deb
	if ! apt-get install -y "$updeb" > "$log/upgrade.log" 2>&1; then
		ko $c "apt-get install of $up_version failed (see $log/upgrade.log)"; return
	fi
	bad=$(check_installed "$up_version")
	if dkms status -m hyperv-lis -v "$version" | grep -q .; then bad="$bad old-version-left"; fi
	[ -z "$(check_initrds ours)" ] || bad="$bad initrd"
	if [ -n "$bad" ]; then ko $c "$bad"; else ok "$c ($version -> $up_version)"; fi
	version=$up_version
}

case_doctor() {
	local c=doctor rc=0 j errs
	[ "$installed" = 1 ] || { sk $c "package not installed"; return; }
	j=$(hyperv-lis doctor --json 2>"$log/doctor.err") || rc=$?
	echo "$j" > "$log/doctor.json"
	if ! python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$j" 2>/dev/null; then
		ko $c "--json output is not JSON"; return
	fi
	errs=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["errors"])' <<<"$j")
	if { [ "$errs" -gt 0 ] && [ "$rc" -ne 1 ]; } || { [ "$errs" -eq 0 ] && [ "$rc" -ne 0 ]; }; then
		ko $c "exit $rc with $errs errors"; return
	fi
	# It must name our module as what modprobe loads, for every kernel.
	local k
	for k in "${supported_kernels[@]}"; do
		if ! python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
k = sys.argv[2]
sys.exit(0 if any(f["kernel"] == k and f["check"] == "modprobe:hv_vmbus" and
		  "/updates/dkms/" in f["message"] for f in d["findings"]) else 1)
' "$log/doctor.json" "$k"; then
			ko $c "$k: hv_vmbus not reported as ours"; return
		fi
	done
	# A stale initrd (the one saved before install) must be an error.
	if [ ${#img_kernels[@]} -gt 0 ]; then
		k=${img_kernels[0]}
		cp -p "/boot/initrd.img-$k" "$log/initrd.cur"
		cp -p "$log/initrd.img-$k.orig" "/boot/initrd.img-$k"
		rc=0
		hyperv-lis doctor --kernel "$k" > "$log/doctor-stale.txt" 2>&1 || rc=$?
		cp -p "$log/initrd.cur" "/boot/initrd.img-$k"
		rm -f "$log/initrd.cur"
		if [ "$rc" -ne 1 ] || ! grep -q 'error *initrd:hv_vmbus' "$log/doctor-stale.txt"; then
			ko $c "a stale initrd was not reported as an error (exit $rc)"; return
		fi
	fi
	ok "$c (exit $rc on the stale-initrd check, $errs error(s) now; see $log/doctor.json)"
}

# ------------------------------------------------------- new kernels
for k in "${supported_kernels[@]}"; do
	if [ ! -e "/boot/vmlinuz-$k" ]; then newk=$k; break; fi
done
image_deb() {  # the cached image package of $newk (the VM tests fetch it)
	local d=$top/build/vm/kernels/$newk
	local f
	f=$(find "$d" -maxdepth 1 -name "linux-image-${newk}_*.deb" 2>/dev/null | head -n 1)
	if [ -z "$f" ]; then
		"$top/scripts/vm-kernel.sh" "$newk" >> "$log/newkernel.log" 2>&1 || return 1
		f=$(find "$d" -maxdepth 1 -name "linux-image-${newk}_*.deb" | head -n 1)
	fi
	[ -n "$f" ] && echo "$f"
}

# ours_for K -> "" or problems: built, resolved, in the initrd, vermagic
ours_for() {
	local k=$1 bad="" m
	dkms status -m hyperv-lis -v "$version" -k "$k" | grep -q ': installed' ||
		bad="$bad not-built"
	# (listed first: grep -q would cut lsinitramfs's pipe under pipefail)
	lsinitramfs "/boot/initrd.img-$k" > "$log/lsinitramfs.txt" 2>/dev/null
	for m in hv_vmbus hv_storvsc; do
		case $(resolved "$k" "$m") in */updates/dkms/*) ;; *) bad="$bad $m-not-ours" ;; esac
		grep -q "/updates/dkms/$m\.ko" "$log/lsinitramfs.txt" || bad="$bad $m-not-in-initrd"
	done
	"$helper" --check-only --expect ours "$k" >> "$log/newkernel.log" 2>&1 ||
		bad="$bad initrd-check"
	echo "$bad"
}

# Headers first, then the image (apt's usual order): the image's postinst
# hooks (dkms, then initramfs-tools with our hook) build and pack ours.
case_new_kernel() {
	local c=new-kernel-afterwards img bad
	[ "$installed" = 1 ] || { sk $c "package not installed"; return; }
	[ "${HVLIS_PKG_NEWKERNEL:-1}" != 0 ] || { sk $c "HVLIS_PKG_NEWKERNEL=0"; return; }
	[ -n "$newk" ] || { sk $c "no kernel with headers and without an image"; return; }
	img=$(image_deb) || { sk $c "no image package of $newk"; return; }
	# A kernel installed now has no build of ours yet.
	dkms remove -m hyperv-lis -v "$version" -k "$newk" >> "$log/newkernel.log" 2>&1 || true
	new_image_installed=1
	if ! dpkg -i "$img" > "$log/newkernel-a.log" 2>&1; then
		ko $c "dpkg -i $img failed (see $log/newkernel-a.log)"; return
	fi
	bad=$(ours_for "$newk")
	if [ -n "$bad" ]; then ko $c "$newk:$bad (see $log/newkernel-a.log)"; else
		ok "$c ($newk: built by the image's dkms hook, initrd holds ours)"
	fi
}

# The image configured before its headers (Debian can do that): nothing can
# be built with the image, whose initrd keeps the in-tree drivers; the
# headers' dkms hook builds ours and our header_postinst.d hook must then
# regenerate that initrd.
case_image_before_headers() {
	local c=image-before-headers img bad="" p
	[ "$installed" = 1 ] || { sk $c "package not installed"; return; }
	[ "${HVLIS_PKG_NEWKERNEL:-1}" != 0 ] || { sk $c "HVLIS_PKG_NEWKERNEL=0"; return; }
	[ -n "$newk" ] || { sk $c "no kernel with headers and without an image"; return; }
	img=$(image_deb) || { sk $c "no image package of $newk"; return; }
	p=$(dpkg-query -W -f='${Package}_${Version}_${Architecture}' "linux-headers-$newk" 2>/dev/null) ||
		{ sk $c "linux-headers-$newk is not a package here"; return; }
	p=${p/:/%3a}
	hdr_debs=()
	[ -f "/var/cache/apt/archives/$p.deb" ] && hdr_debs+=("/var/cache/apt/archives/$p.deb")
	[ ${#hdr_debs[@]} -eq 1 ] || { sk $c "no cached $p.deb to reinstall the headers from"; return; }
	if [ "$new_image_installed" = 1 ]; then
		dpkg --purge "linux-image-$newk" >> "$log/newkernel.log" 2>&1
		new_image_installed=0
	fi
	dkms remove -m hyperv-lis -v "$version" -k "$newk" >> "$log/newkernel.log" 2>&1 || true
	hdr_removed=1
	if ! dpkg -r --force-depends "linux-headers-$newk" > "$log/newkernel-b.log" 2>&1; then
		ko $c "could not remove linux-headers-$newk"; return
	fi
	new_image_installed=1
	dpkg -i "$img" >> "$log/newkernel-b.log" 2>&1 || bad="$bad image-install"
	"$helper" --check-only --expect in-tree "$newk" >> "$log/newkernel-b.log" 2>&1 ||
		bad="$bad initrd-without-headers-not-in-tree"
	if dpkg -i "${hdr_debs[@]}" >> "$log/newkernel-b.log" 2>&1; then
		hdr_removed=0
	else
		bad="$bad headers-install"
	fi
	bad="$bad$(ours_for "$newk")"
	grep -q "regenerating /boot/initrd.img-$newk" "$log/newkernel-b.log" ||
		bad="$bad hook-did-not-regenerate"
	dpkg --purge "linux-image-$newk" >> "$log/newkernel.log" 2>&1 && new_image_installed=0
	if [ -n "$bad" ]; then ko $c "$newk:$bad (see $log/newkernel-b.log)"; else
		ok "$c ($newk: image, then headers; our hook regenerated its initrd)"
	fi
}

case_remove() {
	local c=apt-remove-restores-intree k m p bad=""
	[ "$installed" = 1 ] || { sk $c "package not installed"; return; }
	if ! apt-get remove -y hyperv-lis-dkms > "$log/remove.log" 2>&1; then
		ko $c "apt-get remove failed (see $log/remove.log)"; return
	fi
	for k in "${supported_kernels[@]}"; do
		for m in hv_vmbus hv_storvsc; do
			p=$(resolved "$k" "$m")
			case $p in
			*/updates/*|*/extra/*) bad="$bad $k:$m->$p" ;;
			esac
			# Where the kernel has its own module, it must be the one.
			if find "/lib/modules/$k/kernel" -name "$m.ko*" 2>/dev/null | grep -q .; then
				case $p in
				*/kernel/drivers/*) ;;
				*) bad="$bad $k:$m->${p:-none}" ;;
				esac
			fi
		done
		[ -z "$(find "/lib/modules/$k/updates/dkms" -name 'hv_*.ko*' 2>/dev/null)" ] ||
			bad="$bad $k:file-left"
	done
	[ -z "$(check_initrds in-tree)" ] || bad="$bad initrd-not-in-tree"
	if ls /boot/*.hvlis-bak >/dev/null 2>&1; then bad="$bad bak-left"; fi
	if ! dpkg --purge hyperv-lis-dkms > "$log/purge.log" 2>&1; then bad="$bad purge-failed"; fi
	if dpkg-query -W hyperv-lis-dkms >/dev/null 2>&1 &&
		dpkg-query -W -f='${Status}' hyperv-lis-dkms | grep -qv 'not-installed'; then
		bad="$bad still-known-to-dpkg"
	fi
	installed=0
	if [ -n "$bad" ]; then ko $c "$bad"; else ok "$c"; fi
}

# ------------------------------------------------------------------- rpm
rpmfile=""
kmodfile=""
kmod_k=""
case_rpm_build() {
	local c=rpm-builds
	command -v rpmbuild >/dev/null || { sk $c "rpmbuild missing"; return; }
	# The kmod is compiled for the newest kernel with headers here.
	kmod_k=${supported_kernels[${#supported_kernels[@]}-1]:-}
	[ -n "$kmod_k" ] || { ko $c "no supported kernel with headers for the kmod"; return; }
	if ! "$top/scripts/build-rpm.sh" --no-rpmlint --kmod "$kmod_k" > "$log/rpm.log" 2>&1; then
		ko $c "build-rpm.sh failed (see $log/rpm.log)"; return
	fi
	rpmfile=$(find "$out" -maxdepth 1 -name 'hyperv-lis-dkms-*.noarch.rpm' | head -n 1)
	kmodfile=$(find "$out" -maxdepth 1 -name 'kmod-hyperv-lis-*.rpm' | head -n 1)
	[ -n "$rpmfile" ] || { ko $c "no rpm"; return; }
	[ -n "$kmodfile" ] || { ko $c "no kmod rpm"; return; }
	ok "$c (${rpmfile#"$top"/}, ${kmodfile#"$top"/})"
}

case_rpmlint() {
	local c=rpmlint
	[ -n "$rpmfile" ] || { sk $c "no rpm"; return; }
	rpmlint -r "$top/packaging/rpm/hyperv-lis-dkms.rpmlintrc" "$rpmfile" > "$log/rpmlint.txt" 2>&1
	if [ -n "$kmodfile" ]; then
		rpmlint -r "$top/packaging/rpm/kmod-hyperv-lis.rpmlintrc" "$kmodfile" >> "$log/rpmlint.txt" 2>&1
	fi
	if grep -qE ': E: ' "$log/rpmlint.txt"; then
		ko $c "$(grep -cE ': E: ' "$log/rpmlint.txt") errors (see $log/rpmlint.txt)"
	else
		ok "$c (dkms + kmod: $(grep -cE ': W: ' "$log/rpmlint.txt") warning(s))"
	fi
}

case_rpm_scratch_root() {
	local c=rpm-scratch-root r=$log/rpmroot bad="" f pv
	[ -n "$rpmfile" ] || { sk $c "no rpm"; return; }
	rm -rf "$r"
	mkdir -p "$r"
	if ! rpm --root "$r" --initdb > "$log/rpmroot.log" 2>&1 ||
		! rpm -i --nodeps --noscripts --root "$r" "$rpmfile" >> "$log/rpmroot.log" 2>&1; then
		ko $c "rpm -i into a scratch root failed"; rm -rf "$r"; return
	fi
	pv=$(rpm -qp --qf '%{VERSION}' "$rpmfile" 2>/dev/null)
	for f in "usr/src/hyperv-lis-$pv/dkms.conf" "usr/src/hyperv-lis-$pv/Makefile" \
		"usr/src/hyperv-lis-$pv/scripts/kernel-supported.sh" \
		"usr/src/hyperv-lis-$pv/src/vmbus/Kbuild" usr/lib/modprobe.d/hyperv-lis.conf \
		usr/lib/depmod.d/hyperv-lis.conf usr/sbin/hyperv-lis; do
		[ -e "$r/$f" ] || bad="$bad $f"
	done
	# Scriptlets: dkms with --rpm_safe_upgrade in both.
	local s
	s=$(rpm -qp --scripts "$rpmfile" 2>/dev/null)
	grep -q 'dkms add .*--rpm_safe_upgrade' <<<"$s" || bad="$bad post-scriptlet"
	grep -q 'dkms remove .*--rpm_safe_upgrade' <<<"$s" || bad="$bad preun-scriptlet"
	grep -q 'hyperv-lis-update-initrd' <<<"$s" || bad="$bad posttrans-initrd"
	for f in etc/kernel/postinst.d/zz-hyperv-lis usr/lib/kernel/install.d/55-hyperv-lis.install \
		usr/lib/dracut/modules.d/90hyperv-lis/module-setup.sh \
		usr/lib/dracut/dracut.conf.d/90-hyperv-lis.conf etc/hyperv-lis/hyperv-lis.conf \
		usr/lib/hyperv-lis/hyperv-lis-kernel-hook usr/lib/hyperv-lis/hyperv-lis-update-initrd \
		usr/lib/udev/rules.d/60-hyperv-lis-storage.rules; do
		[ -e "$r/$f" ] || bad="$bad $f"
	done
	rpm -qp --configfiles "$rpmfile" 2>/dev/null | grep -qx /etc/hyperv-lis/hyperv-lis.conf ||
		bad="$bad conf-not-config"
	rm -rf "$r"
	if [ -n "$bad" ]; then ko $c "missing:$bad"; else ok "$c"; fi
}

# The kmod: modules of the right vermagic in extra/, the depmod.d override
# for extra/ and weak-updates/, weak-modules and the initrd in the
# scriptlets, and the %pre consent check run for real: it refuses without
# ACCEPT_MISSING and passes with it.
case_kmod_scratch_root() {
	local c=kmod-scratch-root r=$log/kmodroot bad="" m f pre rc s
	[ -n "$kmodfile" ] || { sk $c "no kmod rpm"; return; }
	rm -rf "$r"
	mkdir -p "$r"
	if ! rpm --root "$r" --initdb > "$log/kmodroot.log" 2>&1 ||
		! rpm -i --nodeps --noscripts --root "$r" "$kmodfile" >> "$log/kmodroot.log" 2>&1; then
		ko $c "rpm -i into a scratch root failed"; rm -rf "$r"; return
	fi
	for m in "${tree_modules[@]}"; do
		f=$r/lib/modules/$kmod_k/extra/hyperv-lis/$m.ko
		if [ ! -f "$f" ]; then bad="$bad $m-missing"; continue; fi
		[ "$(modinfo -F vermagic "$f" | awk '{print $1}')" = "$kmod_k" ] || bad="$bad $m-vermagic"
		grep -qx "override $m \* weak-updates/hyperv-lis" "$r/etc/depmod.d/kmod-hyperv-lis.conf" ||
			bad="$bad $m-no-weak-override"
	done
	s=$(rpm -qp --scripts "$kmodfile" 2>/dev/null)
	grep -q 'weak-modules .*--add-modules' <<<"$s" || bad="$bad post-weak-modules"
	grep -q 'weak-modules --remove-modules' <<<"$s" || bad="$bad postun-weak-modules"
	grep -q 'hyperv-lis-update-initrd' <<<"$s" || bad="$bad posttrans-initrd"
	if [ -n "$missing_mods" ]; then
		pre=$(rpm -qp --qf '%{PREIN}' "$kmodfile" | sed "s|/etc/hyperv-lis/hyperv-lis.conf|$r/consent.conf|g")
		rc=0
		sh -c "$pre" > "$log/kmod-pre.log" 2>&1 || rc=$?
		{ [ "$rc" -ne 0 ] && grep -q ACCEPT_MISSING "$log/kmod-pre.log"; } || bad="$bad pre-did-not-refuse"
		echo "ACCEPT_MISSING=${missing_mods// /,}" > "$r/consent.conf"
		sh -c "$pre" >> "$log/kmod-pre.log" 2>&1 || bad="$bad pre-refused-with-consent"
	fi
	rm -rf "$r"
	if [ -n "$bad" ]; then ko $c "$bad"; else ok "$c ($kmod_k: ${tree_modules[*]})"; fi
}

# udev's own parser on our rules: each file read, no diagnostic about it
# (udevadm prints "<file>:<line> <problem>" for a bad key or operator).
case_udev_rules() {
	local c=udev-rules-parse f out bad="" dev
	command -v udevadm >/dev/null || { sk $c "udevadm missing"; return; }
	dev=$(find /sys/devices/system/cpu -maxdepth 1 -name 'cpu[0-9]*' | head -n 1)
	mkdir -p /run/udev/rules.d
	for f in "$top"/packaging/udev/*.rules; do
		cp "$f" "/run/udev/rules.d/${f##*/}"
	done
	out=$(udevadm test --action=add "$dev" 2>&1)
	for f in "$top"/packaging/udev/*.rules; do
		rm -f "/run/udev/rules.d/${f##*/}"
		grep -qF "Reading rules file: /run/udev/rules.d/${f##*/}" <<<"$out" ||
			bad="$bad ${f##*/}:not-read"
		if grep -q "^/run/udev/rules.d/${f##*/}:[0-9]" <<<"$out"; then
			bad="$bad $(grep "^/run/udev/rules.d/${f##*/}:[0-9]" <<<"$out" | head -n 1)"
		fi
	done
	if [ -n "$bad" ]; then ko $c "$bad"; else ok "$c ($(find "$top/packaging/udev" -name '*.rules' | wc -l) files)"; fi
}

# The postinst's Secure Boot message, against a stand-in mokutil that
# answers as the real one does (--sb-state, --test-key).
case_secureboot_message() {
	local c=secureboot-message d=$log/sb sc=$top/packaging/secureboot/hyperv-lis-secureboot-check
	local out bad=""
	rm -rf "$d"
	mkdir -p "$d/bin"
	echo "-----BEGIN CERTIFICATE-----" > "$d/mok.pub"
	cat > "$d/bin/mokutil" <<'MOK'
#!/bin/sh
case $1 in
--sb-state) echo "SecureBoot $SB" ;;
--test-key) if [ "$ENROLLED" = 1 ]; then echo "$2 is already enrolled"; else echo "$2 is not enrolled"; fi ;;
esac
MOK
	chmod +x "$d/bin/mokutil"
	run_sb() { PATH="$d/bin:$PATH" SB=$1 ENROLLED=$2 sh "$sc" "$3"; }
	out=$(run_sb enabled 0 "$d/mok.pub")
	grep -qF "mokutil --import $d/mok.pub" <<<"$out" || bad="$bad on+not-enrolled:no-command"
	[ -z "$(run_sb enabled 1 "$d/mok.pub")" ] || bad="$bad on+enrolled:not-silent"
	[ -z "$(run_sb disabled 0 "$d/mok.pub")" ] || bad="$bad off:not-silent"
	grep -q 'no DKMS signing certificate' <<<"$(run_sb enabled 0 "$d/none.pub")" ||
		bad="$bad on+no-cert:silent"
	[ -z "$(PATH=/nonexistent /bin/sh "$sc" "$d/mok.pub" 2>&1)" ] || bad="$bad no-mokutil:not-silent"
	rm -rf "$d"
	if [ -n "$bad" ]; then ko $c "$bad"; else ok "$c"; fi
}

case_shellcheck() {
	local c=shellcheck
	command -v shellcheck >/dev/null || { sk $c "shellcheck missing"; return; }
	if shellcheck scripts/hyperv-lis-doctor scripts/kernel-supported.sh \
		scripts/gen-dkms-conf.sh scripts/stage-source.sh scripts/build-deb.sh \
		scripts/build-rpm.sh tests/packaging/run.sh packaging/doctor/hyperv-lis \
		packaging/initramfs-tools/hyperv-lis-update-initrd \
		packaging/dracut/90hyperv-lis/module-setup.sh > "$log/shellcheck.txt" 2>&1 &&
		shellcheck -s sh packaging/initramfs-tools/hooks/hyperv-lis packaging/kernel-hooks/* \
		packaging/secureboot/hyperv-lis-secureboot-check \
		packaging/modprobe.d/hyperv-lis-dependant-guard \
		packaging/debian/hyperv-lis-dkms.postinst packaging/debian/hyperv-lis-dkms.prerm \
		>> "$log/shellcheck.txt" 2>&1; then
		ok $c
	else
		ko $c "see $log/shellcheck.txt"
	fi
}

case_shellcheck
case_udev_rules
case_secureboot_message
case_dkms_conf
case_kernel_supported
case_deb_build
case_lintian
case_not_accepted
case_apt_install
case_initrd_ours
case_installed_initrd_boots
case_guard
case_unsupported
case_no_headers
case_upgrade
case_doctor
case_new_kernel
case_image_before_headers
case_remove
case_rpm_build
case_rpmlint
case_rpm_scratch_root
case_kmod_scratch_root

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
