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
# HVLIS_PKG_UPGRADE=1 also run the upgrade case (one more initrd rebuild:
#                     1.5-4 min on a loaded 2-core machine; skipped otherwise).
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

cleanup() {
	purge_pkg
	rm -rf "/lib/modules/$fake_unsup" "/lib/modules/$fake_nohdr" \
		"/var/lib/dkms/hyperv-lis"
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

# modules this tree provides (dirs with a Kbuild naming obj-m)
mapfile -t tree_modules < <("$top/scripts/gen-dkms-conf.sh" "$tree" |
	sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"$/\1/p')

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
		./usr/share/doc/hyperv-lis-dkms/DEPENDANTS.md; do
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

installed=0
case_apt_install() {
	local c=apt-install bad
	[ -n "$deb" ] || { sk $c "no .deb"; return; }
	if ! apt-get install -y "$deb" > "$log/install.log" 2>&1; then
		ko $c "apt-get install failed (see $log/install.log)"; return
	fi
	installed=1
	bad=$(check_installed "$version")
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
	if [ "${HVLIS_PKG_UPGRADE:-0}" != 1 ]; then sk $c "set HVLIS_PKG_UPGRADE=1 to run it"; return; fi
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
case_rpm_build() {
	local c=rpm-builds
	command -v rpmbuild >/dev/null || { sk $c "rpmbuild missing"; return; }
	if ! "$top/scripts/build-rpm.sh" --no-rpmlint > "$log/rpm.log" 2>&1; then
		ko $c "build-rpm.sh failed (see $log/rpm.log)"; return
	fi
	rpmfile=$(find "$out" -maxdepth 1 -name 'hyperv-lis-dkms-*.noarch.rpm' | head -n 1)
	[ -n "$rpmfile" ] || { ko $c "no rpm"; return; }
	ok "$c (${rpmfile#"$top"/})"
}

case_rpmlint() {
	local c=rpmlint
	[ -n "$rpmfile" ] || { sk $c "no rpm"; return; }
	rpmlint -r "$top/packaging/rpm/hyperv-lis-dkms.rpmlintrc" "$rpmfile" > "$log/rpmlint.txt" 2>&1
	if grep -qE ': E: ' "$log/rpmlint.txt"; then
		ko $c "$(grep -cE ': E: ' "$log/rpmlint.txt") errors (see $log/rpmlint.txt)"
	else
		ok "$c ($(grep -cE ': W: ' "$log/rpmlint.txt") warning(s))"
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
	rm -rf "$r"
	if [ -n "$bad" ]; then ko $c "missing:$bad"; else ok "$c"; fi
}

case_shellcheck() {
	local c=shellcheck
	command -v shellcheck >/dev/null || { sk $c "shellcheck missing"; return; }
	if shellcheck scripts/hyperv-lis-doctor scripts/kernel-supported.sh \
		scripts/gen-dkms-conf.sh scripts/stage-source.sh scripts/build-deb.sh \
		scripts/build-rpm.sh tests/packaging/run.sh packaging/doctor/hyperv-lis \
		packaging/initramfs-tools/hyperv-lis-update-initrd > "$log/shellcheck.txt" 2>&1 &&
		shellcheck -s sh packaging/initramfs-tools/hooks/hyperv-lis \
		packaging/modprobe.d/hyperv-lis-dependant-guard \
		packaging/debian/hyperv-lis-dkms.postinst packaging/debian/hyperv-lis-dkms.prerm \
		>> "$log/shellcheck.txt" 2>&1; then
		ok $c
	else
		ko $c "see $log/shellcheck.txt"
	fi
}

case_shellcheck
case_dkms_conf
case_kernel_supported
case_deb_build
case_lintian
case_apt_install
case_initrd_ours
case_guard
case_unsupported
case_no_headers
case_upgrade
case_doctor
case_remove
case_rpm_build
case_rpmlint
case_rpm_scratch_root

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
