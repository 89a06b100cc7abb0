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
# HVLIS_PKG_KMODDEB=0  skip the prebuilt-package case (builds the modules
#                     for one kernel and regenerates its initrd twice).
# HVLIS_PKG_CASES="a b" run only these cases (the function names without
#                     case_, e.g. "dkms_conf dkms_checkout"); a case that
#                     needs an earlier one's result (the .deb, the install)
#                     is skipped unless that one is listed too.
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
fake_weak=9.9.4-hvlis-weak

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
deps_removed=""

cleanup() {
	if [ -n "$deps_removed" ]; then
		echo "cleanup: reinstalling $deps_removed"
		apt-get install -y -q "$deps_removed" >> "$log/deps-repair.log" 2>&1 ||
			echo "cleanup: WARNING: could not reinstall $deps_removed"
	fi
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
	if [ -n "${co_src:-}" ]; then
		dkms remove -m hyperv-lis -v "$version" --all >> "$log/checkout.log" 2>&1
		rm -rf "$co_src"
	fi
	if [ ${#kd_pkgs[@]} -gt 0 ]; then
		apt-get -o DPkg::Lock::Timeout=900 purge -y "${kd_pkgs[@]}" >> "$log/purge.log" 2>&1
	fi
	purge_pkg
	rm -rf "/lib/modules/$fake_unsup" "/lib/modules/$fake_nohdr" \
		"/lib/modules/$fake_weak" "/boot/initrd.img-$fake_weak" \
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
# A run stopped from outside must still put the machine back (headers, image).
trap 'exit 130' INT TERM HUP

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
	local c=dkms-conf conf n_kbuild
	bash -n "$top/dkms.conf" || { ko $c "dkms.conf is not valid bash"; return; }
	conf=$("$top/scripts/gen-dkms-conf.sh" --file "$tree") || { ko $c "gen-dkms-conf failed"; return; }
	n_kbuild=$(grep -l '^obj-m' "$tree"/src/*/Kbuild 2>/dev/null | wc -l)
	if [ "${#tree_modules[@]}" -ne "$n_kbuild" ] || [ "${tree_modules[0]}" != hv_vmbus ]; then
		ko $c "modules '${tree_modules[*]}' vs $n_kbuild Kbuild files"; return
	fi
	for v in 'PACKAGE_NAME="hyperv-lis"' "PACKAGE_VERSION=\"$version\"" 'AUTOINSTALL="yes"' \
		'NO_WEAK_MODULES="yes"' 'BUILD_EXCLUSIVE_ARCH=' 'BUILD_EXCLUSIVE_CONFIG=' \
		"MAKE\\[0\\]=\"make modules-in-place KVER='\\\${kernelver}' KDIR='\\\${kernel_source_dir}'\""; do
		grep -q "^$v" <<<"$conf" || { ko $c "missing $v"; return; }
	done
	# The file packages ship: dh_dkms's regexes find one literal name
	# and version; the module list stays computed at dkms time.
	{ [ "$(grep -c 'PACKAGE_NAME=' <<<"$conf")" = 1 ] &&
		[ "$(grep -c 'PACKAGE_VERSION=' <<<"$conf")" = 1 ] &&
		grep -qx "PACKAGE_VERSION=\"$version\"" <<<"$conf"; } ||
		{ ko $c "packaged dkms.conf: not one literal PACKAGE_NAME/PACKAGE_VERSION"; return; }
	# Once hv_netvsc and hv_utils exist the consent gate is gone: a scratch
	# copy of src/ with stand-in Kbuild files for both.
	local s=$log/gate-tree out
	rm -rf "$s"
	mkdir -p "$s"
	cp -a "$tree/src" "$s/src"
	mkdir -p "$s/src/netvsc" "$s/src/utils"
	echo 'obj-m := hv_netvsc.o' > "$s/src/netvsc/Kbuild"
	echo 'obj-m += hv_utils.o' > "$s/src/utils/Kbuild"
	out=$("$top/scripts/gen-dkms-conf.sh" "$s")
	grep -qx '_hvlis_missing=""' <<<"$out" || { ko $c "gate still set with both modules"; return; }
	{ grep -q 'BUILT_MODULE_NAME\[[0-9]\]="hv_netvsc"' <<<"$out" &&
		grep -q 'BUILT_MODULE_NAME\[[0-9]\]="hv_utils"' <<<"$out"; } ||
		{ ko $c "hv_netvsc/hv_utils not listed from the scratch tree"; return; }
	# ... and sourcing it for a kernel (as dkms does, no consent) excludes
	# nothing and says nothing; without the stand-ins it excludes.
	cp "$top/dkms.conf" "$s/dkms.conf"
	# shellcheck disable=SC2016
	out=$(env -i PATH="$PATH" bash -c 'kernelver=$2; . "$1"; echo "excl=${BUILD_EXCLUSIVE_KERNEL:-}"' \
		x "$s/dkms.conf" 9.9.9-none 2>&1)
	[ "$out" = "excl=" ] || { ko $c "gate active with both modules: $out"; return; }
	if [ -n "$missing_mods" ]; then
		rm -rf "$s/src/netvsc"
		# shellcheck disable=SC2016
		out=$(env -i PATH="$PATH" bash -c 'kernelver=$2; . "$1"; echo "excl=${BUILD_EXCLUSIVE_KERNEL:-}"' \
			x "$s/dkms.conf" 9.9.9-none 2>&1)
		{ grep -q 'excl=^hyperv-lis-not-accepted' <<<"$out" &&
			grep -q 'ACCEPT_MISSING=hv_netvsc' <<<"$out"; } ||
			{ ko $c "gate not active without hv_netvsc: $out"; return; }
	fi
	rm -rf "$s"
	ok "$c (${tree_modules[*]}; gate gone with netvsc+utils)"
}

# `dkms add .`, build, install, remove from a checkout (a copy of this
# tree's files: dkms builds inside the source it is given), consent gate
# included: without ACCEPT_MISSING the build is skipped (77) with the
# message, with it the modules install into updates/dkms; remove takes
# them out and modprobe resolves the in-tree ones again.
co_src=""
case_dkms_checkout() {
	local c=dkms-checkout co=$log/checkout/hyperv-lis k rc out m p bad=""
	k=${supported_kernels[0]:-}
	[ -n "$k" ] || { sk $c "no supported kernel with headers"; return; }
	if [ -e "/usr/src/hyperv-lis-$version" ] || dkms status -m hyperv-lis | grep -q .; then
		sk $c "hyperv-lis $version already known to dkms (package installed?)"; return
	fi
	rm -rf "$log/checkout"
	mkdir -p "$co"
	# This checkout's files (tracked and new, not ignored); with
	# HVLIS_PKG_TREE, that tree's src/ instead of ours.
	(cd "$top" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) |
		tar -C "$co" -xf -
	if [ "$tree" != "$top" ]; then
		rm -rf "$co/src"
		cp -a "$tree/src" "$co/src"
		find "$co/src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
			-o -name modules.order -o -name Module.symvers \) -type f -delete
		rm -rf "$co/src/compat/gen"
	fi
	co_src=/usr/src/hyperv-lis-$version
	rm -rf /etc/hyperv-lis
	{ (cd "$co" && dkms add .) > "$log/checkout.log" 2>&1; } ||
		{ ko $c "dkms add . failed (see $log/checkout.log)"; return; }
	dkms status -m hyperv-lis -v "$version" | grep -q 'added' || bad="$bad not-added"
	if [ -n "$missing_mods" ]; then
		rc=0
		out=$(dkms build -m hyperv-lis -v "$version" -k "$k" 2>&1) || rc=$?
		echo "$out" >> "$log/checkout.log"
		[ "$rc" -eq 77 ] || bad="$bad no-consent-build-rc=$rc"
		grep -q "ACCEPT_MISSING=${missing_mods// /,}" <<<"$out" || bad="$bad no-consent-message"
		mkdir -p /etc/hyperv-lis
		echo "ACCEPT_MISSING=${missing_mods// /,}" > "$conf_file"
	fi
	dkms build -m hyperv-lis -v "$version" -k "$k" >> "$log/checkout.log" 2>&1 || bad="$bad build"
	dkms install -m hyperv-lis -v "$version" -k "$k" >> "$log/checkout.log" 2>&1 || bad="$bad install"
	for m in "${tree_modules[@]}"; do
		case $(resolved "$k" "$m") in */updates/dkms/*) ;; *) bad="$bad $m-not-ours" ;; esac
		[ "$(modinfo -k "$k" -F vermagic "$m" 2>/dev/null | awk '{print $1}')" = "$k" ] ||
			bad="$bad $m-vermagic"
	done
	dkms remove -m hyperv-lis -v "$version" --all >> "$log/checkout.log" 2>&1 || bad="$bad remove"
	dkms status -m hyperv-lis | grep -q . && bad="$bad still-in-dkms"
	for m in hv_vmbus hv_storvsc; do
		p=$(resolved "$k" "$m")
		case $p in */updates/*|*/extra/*) bad="$bad $m-left:$p" ;; esac
	done
	rm -rf "$co_src" /etc/hyperv-lis "$log/checkout"
	co_src=""
	if [ -n "$bad" ]; then ko $c "$k:$bad (see $log/checkout.log)"; else
		ok "$c ($k: add ., ${missing_mods:+refused without consent, }build, install, remove)"
	fi
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

# install-deps.sh must repair what a run cut off half-way leaves: a CI
# kernel's headers gone under a metapackage dpkg still calls installed (CI
# failed so once: a session stopped inside image-before-headers, and no
# module could be built for that kernel).
case_deps_repair() {
	local c=deps-repair r p out
	r=$("$top/scripts/kernels.sh" ci 2>/dev/null | head -n 1)
	[ -n "$r" ] || { sk $c "no CI kernel installed"; return; }
	p=linux-headers-$r
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		{ sk $c "$p is not installed"; return; }
	deps_removed=$p
	if ! dpkg -r --force-depends "$p" > "$log/deps-repair.log" 2>&1; then
		ko $c "could not remove $p (see $log/deps-repair.log)"; return
	fi
	out=$("$top/scripts/install-deps.sh" 2>&1)
	echo "$out" >> "$log/deps-repair.log"
	if [ -f "/lib/modules/$r/build/Makefile" ] && apt-get check >/dev/null 2>&1; then
		deps_removed=""
		ok "$c ($p removed under its metapackage; install-deps.sh reinstalled it)"
	else
		ko $c "install-deps.sh left $p missing (see $log/deps-repair.log)"
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

# A kABI kernel whose modules are weak-updates/ links to a build for another
# kernel (EL's weak-modules, the kmod RPM): the initrd holding those files is
# right, whatever their vermagic.  A fake kernel, no image: findings are
# warnings at worst, and the initrd check must say ok.  (doctor called that
# initrd wrong until it took the linked module's own vermagic.)
case_doctor_weak() {
	local c=doctor-weak-updates d=/lib/modules/$fake_weak w=$log/weak src k m f
	local ir=/boot/initrd.img-$fake_weak bad="" out
	k=""
	for f in "${hdr_kernels[@]}"; do
		[ -n "$(find "/lib/modules/$f/kernel/drivers/hv" -name 'hv_vmbus.ko*' 2>/dev/null)" ] && { k=$f; break; }
	done
	[ -n "$k" ] || { sk $c "no installed kernel with in-tree Hyper-V modules"; return; }
	[ ! -e "$ir" ] || { ko $c "$ir exists already"; return; }
	rm -rf "$d" "$w"
	mkdir -p "$d/weak-updates/hyperv-lis" "$w/root/lib/modules/$fake_weak/weak-updates/hyperv-lis"
	for m in hv_vmbus hv_storvsc; do
		src=$(find "/lib/modules/$k/kernel/drivers" -name "$m.ko*" | head -n 1)
		f=${src##*/}
		cp "$src" "$w/$f"
		ln -s "$w/$f" "$d/weak-updates/hyperv-lis/$f"
		cp "$src" "$w/root/lib/modules/$fake_weak/weak-updates/hyperv-lis/$f"
	done
	depmod -a "$fake_weak" > "$log/doctor-weak.log" 2>&1
	(cd "$w/root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$ir"
	out=$("$top/scripts/hyperv-lis-doctor" --json --kernel "$fake_weak" 2>>"$log/doctor-weak.log")
	echo "$out" > "$log/doctor-weak.json"
	rm -rf "$d" "$w" "$ir"
	for m in hv_vmbus hv_storvsc; do
		python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(f["check"] == "initrd:" + sys.argv[2] and f["level"] == "ok"
		  and "weak-updates" in f["message"] for f in d["findings"]) else 1)
' "$log/doctor-weak.json" "$m" || bad="$bad $m"
	done
	if [ -n "$bad" ]; then ko $c "initrd check not ok for:$bad (see $log/doctor-weak.json)"; else
		ok "$c (modules of $k linked under weak-updates/ of $fake_weak: initrd ok)"
	fi
}

# LIS 4.3 leftovers in a fake root: its package layout (extra/ and
# weak-updates/microsoft-hyper-v), its install script's (modules straight
# in extra/), its depmod.d/modprobe.d files and /opt/files; each reported
# with a removal command naming exactly those paths, and a module of ours
# in extra/ (dkms's place on EL) not taken for LIS's.
case_doctor_lis() {
	local c=doctor-lis r=$log/lisroot k=9.9.7-lis j bad="" intree ours rc=0
	intree=$(find /lib/modules/*/kernel/drivers/hv -name 'hv_vmbus.ko*' 2>/dev/null | head -n 1)
	ours=$(find "$top/build" -path '*/src/storvsc/hv_storvsc.ko' 2>/dev/null | head -n 1)
	[ -n "$intree" ] || { sk $c "no in-tree hv_vmbus.ko to stand in for LIS's"; return; }
	rm -rf "$r"
	mkdir -p "$r/lib/modules/$k/extra/microsoft-hyper-v" "$r/lib/modules/$k/weak-updates/microsoft-hyper-v" \
		"$r/lib/modules/8.8.8-tar/extra" "$r/lib/modules/7.7.7-clean/kernel" \
		"$r/etc/depmod.d" "$r/etc/modprobe.d" "$r/opt/files"
	cp "$intree" "$r/lib/modules/$k/extra/microsoft-hyper-v/"
	ln -s "../../extra/microsoft-hyper-v/${intree##*/}" "$r/lib/modules/$k/weak-updates/microsoft-hyper-v/"
	cp "$intree" "$r/lib/modules/8.8.8-tar/extra/"
	if [ -n "$ours" ]; then
		mkdir -p "$r/lib/modules/7.7.7-clean/extra"
		cp "$ours" "$r/lib/modules/7.7.7-clean/extra/hv_storvsc.ko"
	fi
	echo 'override hv_vmbus * weak-updates/microsoft-hyper-v' > "$r/etc/depmod.d/hyperv.conf"
	echo 'install ata_piix { /sbin/modprobe hv_storvsc 2>&1; /sbin/modprobe --ignore-install ata_piix; }' \
		> "$r/etc/modprobe.d/hyperv_pvdrivers.conf"
	echo 'install mlx5_ib /bin/false' > "$r/etc/modprobe.d/hyperv_mod_blacklist.conf"
	cp "$r/etc/depmod.d/hyperv.conf" "$r/opt/files/hyperv.conf"
	j=$("$top/scripts/hyperv-lis-doctor" --json --root "$r" 2>"$log/doctor-lis.err") || rc=$?
	echo "$j" > "$log/doctor-lis.json"
	python3 - "$log/doctor-lis.json" "$r" "$k" > "$log/doctor-lis.txt" 2>&1 <<'PY' || bad="$bad $(tail -n 1 "$log/doctor-lis.txt")"
import json, sys
d = json.load(open(sys.argv[1]))
r, k = sys.argv[2], sys.argv[3]
f = {(x["kernel"], x["check"]): x for x in d["findings"]}
def need(kern, check, paths):
    x = f.get((kern, check))
    assert x, f"no {check} finding for {kern}"
    assert x["level"] == "warn", f"{kern} {check} level {x['level']}"
    cmd = x["message"].split("remove them with: ", 1)[1]
    for p in paths:
        assert r + p in cmd, f"{kern} {check}: {p} not in the command: {cmd}"
need(k, "lis:modules", [f"/lib/modules/{k}/extra/microsoft-hyper-v",
                        f"/lib/modules/{k}/weak-updates/microsoft-hyper-v"])
assert f"depmod -b {r} -a {k}" in f[(k, "lis:modules")]["message"], "no depmod in the command"
need("8.8.8-tar", "lis:modules", ["/lib/modules/8.8.8-tar/extra/hv_vmbus.ko"])
need("-", "lis:config", ["/etc/depmod.d/hyperv.conf", "/etc/modprobe.d/hyperv_pvdrivers.conf",
                         "/etc/modprobe.d/hyperv_mod_blacklist.conf", "/opt/files/hyperv.conf"])
assert ("7.7.7-clean", "lis:modules") not in f, "our own module in extra/ taken for LIS's"
print("ok")
PY
	# The printed command really removes them: run it on the fake root.
	if [ -z "$bad" ]; then
		local cmd
		while read -r cmd; do
			cmd=${cmd%% && depmod*}
			eval "$cmd"
		done < <(python3 -c 'import json,sys
for x in json.load(open(sys.argv[1]))["findings"]:
    if x["check"].startswith("lis:"): print(x["message"].split("remove them with: ",1)[1])' "$log/doctor-lis.json")
		j=$("$top/scripts/hyperv-lis-doctor" --json --root "$r" 2>/dev/null || true)
		grep -q '"lis:' <<<"$j" && bad="$bad leftovers-after-the-command"
	fi
	rm -rf "$r"
	if [ -n "$bad" ]; then ko $c "$bad (see $log/doctor-lis.json)"; else
		ok "$c (package, install-script and config leftovers, with removal commands)"
	fi
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

# --------------------------------------------------- prebuilt (kmod-deb)
# make kmod-deb for a kernel with an image, scripts/build-repo.sh into an
# apt repository, then apt installs from that repository alone (its own
# sources list, lists and cache: the machine's sources are not touched):
# refused without consent while modules are missing, then installed (ours
# resolve from updates/hyperv-lis, initrd holds them), removed (in-tree
# back, initrd too).
kd_pkgs=()
case_kmod_deb_apt() {
	local c=kmod-deb-apt k="" x a=$log/apt bad="" rc p
	if [ "${HVLIS_PKG_KMODDEB:-1}" = 0 ]; then sk $c "HVLIS_PKG_KMODDEB=0"; return; fi
	for x in "${img_kernels[@]}"; do
		case " ${supported_kernels[*]} " in *" $x "*) k=$x; break ;; esac
	done
	[ -n "$k" ] || { sk $c "no supported kernel with an image"; return; }
	dpkg-query -W -f='${Status}' "linux-image-$k" 2>/dev/null | grep -q 'ok installed' ||
		{ sk $c "linux-image-$k is not a package here"; return; }
	command -v apt-ftparchive >/dev/null || { sk $c "apt-ftparchive missing (apt-utils)"; return; }
	if dpkg-query -W -f='${Status}' hyperv-lis-dkms 2>/dev/null | grep -q 'ok installed'; then
		sk $c "hyperv-lis-dkms is installed"; return
	fi
	rm -rf "$out/kmod-deb"
	if ! "$top/scripts/build-kmod-deb.sh" --tree "$tree" --kver "$k" > "$log/kmod-deb.log" 2>&1; then
		ko $c "build-kmod-deb.sh failed (see $log/kmod-deb.log)"; return
	fi
	rm -rf "$a"
	"$top/scripts/build-repo.sh" "$out/kmod-deb" "$a/repo" >> "$log/kmod-deb.log" 2>&1 ||
		{ ko $c "build-repo.sh failed (see $log/kmod-deb.log)"; return; }
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial"
	echo "deb [trusted=yes] file:$a/repo/apt ./" > "$a/sources.list"
	local opts=(-o "Dir::Etc::SourceList=$a/sources.list" -o Dir::Etc::SourceParts=/nonexistent
		-o "Dir::State::Lists=$a/lists" -o "Dir::Cache=$a/cache" -o DPkg::Lock::Timeout=900)
	apt-get "${opts[@]}" update > "$log/kmod-deb-apt.log" 2>&1 || { ko $c "apt-get update failed"; return; }
	p=hyperv-lis-modules-$k
	kd_pkgs=("$p" hyperv-lis-common)
	rm -rf /etc/hyperv-lis
	if [ -n "$missing_mods" ]; then
		rc=0
		apt-get "${opts[@]}" install -y "$p" >> "$log/kmod-deb-apt.log" 2>&1 || rc=$?
		[ "$rc" -ne 0 ] || bad="$bad installed-without-consent"
		grep -q "ACCEPT_MISSING=${missing_mods// /,}" "$log/kmod-deb-apt.log" || bad="$bad no-consent-message"
		apt-get -o DPkg::Lock::Timeout=900 purge -y "${kd_pkgs[@]}" >> "$log/kmod-deb-apt.log" 2>&1
		mkdir -p /etc/hyperv-lis
		echo "ACCEPT_MISSING=${missing_mods// /,}" > "$conf_file"
	fi
	if ! apt-get "${opts[@]}" install -y -o Dpkg::Options::=--force-confold "$p" \
		>> "$log/kmod-deb-apt.log" 2>&1; then
		ko $c "$bad apt-get install $p from the repository failed (see $log/kmod-deb-apt.log)"; return
	fi
	for m in "${tree_modules[@]}"; do
		case $(resolved "$k" "$m") in */updates/hyperv-lis/*) ;; *) bad="$bad $m-not-ours" ;; esac
		[ "$(modinfo -k "$k" -F vermagic "$m" 2>/dev/null | awk '{print $1}')" = "$k" ] ||
			bad="$bad $m-vermagic"
	done
	"$helper" --check-only --expect ours "$k" >> "$log/kmod-deb-apt.log" 2>&1 || bad="$bad initrd-not-ours"
	if apt-get "${opts[@]}" purge -y "${kd_pkgs[@]}" >> "$log/kmod-deb-apt.log" 2>&1; then
		kd_pkgs=()
	else
		bad="$bad purge"
	fi
	for m in hv_vmbus hv_storvsc; do
		case $(resolved "$k" "$m") in */updates/*|*/extra/*) bad="$bad $m-left" ;; esac
	done
	"$helper" --check-only --expect in-tree "$k" >> "$log/kmod-deb-apt.log" 2>&1 || bad="$bad initrd-not-in-tree"
	rm -rf /etc/hyperv-lis "$a"
	if [ -n "$bad" ]; then ko $c "$k:$bad (see $log/kmod-deb-apt.log)"; else
		ok "$c ($k: ${missing_mods:+refused without consent, }installed from a file: apt repository, removed)"
	fi
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
	if ! "$top/scripts/build-rpm.sh" --tree "$tree" --no-rpmlint --kmod "$kmod_k" > "$log/rpm.log" 2>&1; then
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

# The DKMS rpm's scriptlets executed by the real rpm (4.18) in a scratch
# root: busybox (static) as /bin/sh and its tools, the host's bash with its
# libraries (our scripts are bash), and logging stand-ins for dkms, dracut
# and lsinitrd (EL's cannot run here; the stand-in dkms keeps which version
# is installed for which kernel).  Install 1, upgrade 1 -> 2, reinstall 2,
# erase: the dkms calls come in rpm's order (%post new before %preun old on
# an upgrade; %postun regenerates the initramfs only when $1 is 0), the
# right version ends up installed, and the kernel's initramfs exists at
# every step.
case_rpm_scriptlets() {
	local c=rpm-scriptlets r=$log/rpmsroot k=9.9.6-el v2 rpm1 rpm2 bad="" a l calls
	command -v rpmbuild >/dev/null || { sk $c "rpmbuild missing"; return; }
	[ -x /bin/busybox ] || { sk $c "no /bin/busybox (busybox-static)"; return; }
	v2=$version.9
	# Its own two builds (noarch only), version and version.9.
	if ! "$top/scripts/build-rpm.sh" --tree "$tree" --no-rpmlint --version "$version" > "$log/rpm-v2.log" 2>&1; then
		ko $c "build of $version failed (see $log/rpm-v2.log)"; return
	fi
	rpm1=$(find "$out" -maxdepth 1 -name "hyperv-lis-dkms-$version-*.noarch.rpm" | head -n 1)
	[ -n "$rpm1" ] || { ko $c "no $version rpm"; return; }
	cp "$rpm1" "$log/"
	rpm1=$log/${rpm1##*/}
	if ! "$top/scripts/build-rpm.sh" --tree "$tree" --no-rpmlint --version "$v2" >> "$log/rpm-v2.log" 2>&1; then
		ko $c "build of $v2 failed (see $log/rpm-v2.log)"; return
	fi
	rpm2=$(find "$out" -maxdepth 1 -name "hyperv-lis-dkms-$v2-*.noarch.rpm" | head -n 1)
	[ -n "$rpm2" ] || { ko $c "no $v2 rpm"; return; }
	rm -rf "$r"
	mkdir -p "$r/bin" "$r/usr/sbin" "$r/usr/bin" "$r/tmp" "$r/var/log" "$r/var/run" \
		"$r/lib/modules/$k/build" "$r/lib/modules/$k/kernel" "$r/boot" "$r/etc/hyperv-lis"
	cp /bin/busybox "$r/bin/"
	for a in $(/bin/busybox --list); do
		[ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"
	done
	# (busybox's modinfo would shadow the stand-in: /bin comes first, and
	# busybox sh runs its own applets before PATH: the stand-ins call
	# /usr/bin/modinfo by its path)
	rm -f "$r/bin/bash" "$r/bin/modinfo"
	cp /bin/bash "$r/bin/bash"
	for l in $(ldd /bin/bash | grep -o '/[^ ]*'); do
		mkdir -p "$r$(dirname "$l")"
		cp -L "$l" "$r$l"
	done
	mkdir -p "$r/dev" "$r/var/tmp"
	mknod -m 666 "$r/dev/null" c 1 3 2>/dev/null || : > "$r/dev/null"
	echo "# headers" > "$r/lib/modules/$k/build/Makefile"
	printf -- '-rw-r--r-- 1 root root 1 usr/lib/modules/%s/kernel/drivers/hv/%s.ko\n' \
		"$k" hv_vmbus "$k" hv_storvsc > "$r/boot/initramfs-$k.img"
	[ -z "$missing_mods" ] || echo "ACCEPT_MISSING=${missing_mods// /,}" > "$r/etc/hyperv-lis/hyperv-lis.conf"
	cat > "$r/usr/sbin/dkms" <<'DKMS'
#!/bin/sh
# stand-in dkms: logs each call, keeps version@kernel state; like dkms's
# --rpm_safe_upgrade, a remove of a version added in the same rpm
# transaction (marker txn-V, cleared by the test before each rpm) is skipped
echo "dkms $*" >> /var/log/calls
st=/var/lib/fake-dkms
mkdir -p "$st"
act=$1
shift
v="" k="" safe=0
while [ $# -gt 0 ]; do
	case $1 in -v) v=$2; shift 2 ;; -k) k=$2; shift 2 ;; --rpm_safe_upgrade) safe=1; shift ;; *) shift ;; esac
done
case $act in
add) touch "$st/$v.added"; [ "$safe" = 0 ] || touch "$st/txn-$v" ;;
install) [ -f "/lib/modules/$k/build/Makefile" ] && touch "$st/$v@$k" ;;
remove)
	if [ "$safe" = 1 ] && [ -f "$st/txn-$v" ]; then
		echo "dkms: remove of $v skipped (rpm_safe_upgrade)" >> /var/log/calls
	else
		rm -f "$st/$v.added" "$st/$v@"*
	fi ;;
status)
	for f in "$st"/*@*; do
		[ -f "$f" ] || continue
		b=${f##*/}
		if { [ -z "$v" ] || [ "$v" = "${b%@*}" ]; } && { [ -z "$k" ] || [ "$k" = "${b#*@}" ]; }; then
			echo "hyperv-lis/${b%@*}, ${b#*@}, x86_64: installed"
		fi
	done ;;
esac
exit 0
DKMS
	# Stand-in dracut writes an "image" listing the hv_vmbus/hv_storvsc
	# that the stand-in dkms state makes modprobe resolve; lsinitrd lists
	# it and extracts a "module" (its vermagic); modinfo answers like the
	# real one for those two.  hyperv-lis-update-initrd runs for real.
	cat > "$r/usr/bin/dracut" <<'DRACUT'
#!/bin/sh
echo "dracut $*" >> /var/log/calls
img=$2 k=$3
for m in hv_vmbus hv_storvsc; do
	echo "-rw-r--r-- 1 root root 1 usr$(/usr/bin/modinfo -k "$k" -n "$m")"
done > "$img"
DRACUT
	cat > "$r/usr/bin/lsinitrd" <<'LSINITRD'
#!/bin/sh
echo "lsinitrd $*" >> /var/log/calls
if [ "$1" = -f ]; then
	echo "vermagic=$(echo "$2" | sed 's|.*/lib/modules/\([^/]*\)/.*|\1|')"
else
	cat "$1"
fi
LSINITRD
	cat > "$r/usr/bin/modinfo" <<'MODINFO'
#!/bin/sh
case $1 in
-k)
	if ls /var/lib/fake-dkms/*@"$2" >/dev/null 2>&1; then
		echo "/lib/modules/$2/extra/$4.ko"
	else
		echo "/lib/modules/$2/kernel/drivers/hv/$4.ko"
	fi ;;
-F) sed -n 's/^vermagic=//p' "$3" ;;
*) exit 1 ;;
esac
MODINFO
	chmod 755 "$r/usr/sbin/dkms" "$r/usr/bin/dracut" "$r/usr/bin/lsinitrd" "$r/usr/bin/modinfo"
	rpm --root "$r" --initdb > "$log/rpmscript.log" 2>&1
	step() {  # name rpm-args...
		local n=$1
		shift
		: > "$r/var/log/calls"
		rm -f "$r"/var/lib/fake-dkms/txn-*
		echo "== $n: rpm $*" >> "$log/rpmscript.log"
		rpm --root "$r" --nodeps "$@" >> "$log/rpmscript.log" 2>&1 || bad="$bad $n:rpm-failed"
		cat "$r/var/log/calls" >> "$log/rpmscript.log"
		[ -s "$r/boot/initramfs-$k.img" ] || bad="$bad $n:no-initramfs"
		calls=$(grep -o '^dkms [a-z]* .*-v [^ ]*\|^dracut -f\|^lsinitrd /' "$r/var/log/calls" |
			sed 's/ -m hyperv-lis//; s/ --rpm_safe_upgrade//' | tr '\n' ';')
	}
	installed_v() {
		rpm --root "$r" -q --qf '%{VERSION}\n' hyperv-lis-dkms 2>/dev/null | grep -v 'not installed' |
			tr '\n' ' '
	}
	step install -i "$rpm1"
	[[ $calls == "dkms add -v $version;dkms install -v $version;"* ]] || bad="$bad install:order[$calls]"
	[ -f "$r/var/lib/fake-dkms/$version@$k" ] || bad="$bad install:not-built"
	[[ $calls == *"dracut -f;"* ]] || bad="$bad install:no-initramfs-regeneration"
	grep -q "/extra/hv_vmbus" "$r/boot/initramfs-$k.img" || bad="$bad install:initramfs-not-ours"
	[ ! -e "$r/boot/initramfs-$k.img.hvlis-bak" ] || bad="$bad install:bak-left"
	step upgrade -U "$rpm2"
	# %post of 2 (add, install 2) before %preun of 1 (remove 1); %postun of
	# 1 with $1=1 does not touch the initramfs; %posttrans of 2 does.
	[[ $calls == "dkms add -v $v2;dkms install -v $v2;dkms remove -v $version;"* ]] ||
		bad="$bad upgrade:order[$calls]"
	[ -f "$r/var/lib/fake-dkms/$v2@$k" ] && [ ! -f "$r/var/lib/fake-dkms/$version@$k" ] ||
		bad="$bad upgrade:state"
	grep -q "/extra/hv_vmbus" "$r/boot/initramfs-$k.img" || bad="$bad upgrade:initramfs-not-ours"
	[ "$(installed_v)" = "$v2 " ] || bad="$bad upgrade:rpmdb[$(installed_v)]"
	step reinstall --reinstall "$rpm2"
	[ -f "$r/var/lib/fake-dkms/$v2@$k" ] || bad="$bad reinstall:state"
	step erase -e hyperv-lis-dkms
	[[ $calls == "dkms remove -v $v2;"*"lsinitrd /;dracut -f;"* ]] || bad="$bad erase:order[$calls]"
	grep -q "/kernel/drivers/hv/hv_vmbus" "$r/boot/initramfs-$k.img" || bad="$bad erase:initramfs-not-in-tree"
	[ -z "$(installed_v)" ] || bad="$bad erase:rpmdb"
	rm -rf "$r" "$rpm1"
	if [ -n "$bad" ]; then ko $c "$bad (see $log/rpmscript.log)"; else
		ok "$c (rpm $(rpm --version | awk '{print $3}'): install, upgrade $version -> $v2, reinstall, erase)"
	fi
}

# A scratch root for the kmod rpm's scriptlets (EL layout, merged /usr):
# bash as /bin/sh (as on EL; busybox sh would run its own depmod/modinfo
# applets), busybox for the other tools, the host's kmod (real depmod and
# modinfo) with their libraries; kernel $kmod_k and a second kernel of the
# same kABI ($el_k2), each with "in-tree" hv_vmbus/hv_storvsc (empty ELF
# objects with a .modinfo of that kernel's vermagic: the image of $kmod_k
# need not be installed), an initramfs and a symvers.gz; logging stand-ins (EL's own cannot run here)
# for weak-modules (links every module under another kernel's extra/ into
# weak-updates/ of each kernel with the same symvers.gz, drops links whose
# module is gone, depmod, and dracut -f without --no-initramfs: what EL's
# does), dracut (the "image" is a tar of the hv_vmbus and hv_storvsc that
# modprobe resolves, links dereferenced, as dracut's instmods) and lsinitrd.
el_k2=""
el_root() {
	local r=$1 k1=$kmod_k k2=9.9.5-hvlis-kabi a l f d k
	el_k2=$k2
	rm -rf "$r"
	mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/usr/lib" "$r/usr/lib64" "$r/tmp" "$r/var/log" \
		"$r/var/run" "$r/var/tmp" "$r/boot" "$r/etc/hyperv-lis" "$r/dev"
	for d in bin sbin lib lib64; do ln -s "usr/$d" "$r/$d"; done
	cp /bin/busybox "$r/usr/bin/"
	for a in $(/bin/busybox --list); do
		[ -e "$r/usr/bin/$a" ] || ln -s busybox "$r/usr/bin/$a"
	done
	rm -f "$r"/usr/bin/{sh,bash,depmod,modinfo,modprobe,insmod,rmmod,lsmod}
	cp /bin/bash /usr/bin/kmod "$r/usr/bin/"
	ln -s bash "$r/usr/bin/sh"
	for a in depmod modinfo modprobe; do ln -s ../bin/kmod "$r/usr/sbin/$a"; done
	for l in $(ldd /bin/bash /usr/bin/kmod | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do
		mkdir -p "$r$(dirname "$l")"
		cp -L "$l" "$r$l"
	done
	mknod -m 666 "$r/dev/null" c 1 3 2>/dev/null || : > "$r/dev/null"
	[ -z "$missing_mods" ] || echo "ACCEPT_MISSING=${missing_mods// /,}" > "$r/etc/hyperv-lis/hyperv-lis.conf"
	echo 'int hvlis_in_tree_stand_in;' | gcc -x c -c -o "$r/tmp/stand-in.o" - || return 1
	for k in "$k1" "$k2"; do
		for f in drivers/hv/hv_vmbus drivers/scsi/hv_storvsc; do
			mkdir -p "$r/lib/modules/$k/kernel/${f%/*}"
			printf 'vermagic=%s SMP mod_unload modversions \0name=%s\0license=GPL\0' \
				"$k" "${f##*/}" > "$r/tmp/modinfo"
			objcopy --add-section .modinfo="$r/tmp/modinfo" \
				--set-section-flags .modinfo=alloc,readonly \
				"$r/tmp/stand-in.o" "$r/lib/modules/$k/kernel/$f.ko" || return 1
		done
		echo "kabi-stand-in" | gzip > "$r/lib/modules/$k/symvers.gz"
		touch "$r/lib/modules/$k"/modules.{order,builtin,builtin.modinfo}
		depmod -b "$r" "$k"
	done
	cat > "$r/usr/sbin/weak-modules" <<'WM'
#!/bin/sh
echo "weak-modules $*" >> /var/log/calls
noinit=0
for a in "$@"; do [ "$a" = --no-initramfs ] && noinit=1; done
cat > /dev/null
links() { find "$1/weak-updates" -type l 2>/dev/null | sort | while read -r l; do echo "$l $(readlink "$l")"; done; }
changed=""
for kd in /lib/modules/*; do
	k=${kd##*/}
	[ -f "$kd/symvers.gz" ] || continue
	before=$(links "$kd")
	for l in $(find "$kd/weak-updates" -type l 2>/dev/null); do
		[ -e "$l" ] || rm -f "$l"
	done
	for src in /lib/modules/*/extra; do
		sk=${src%/extra}
		sk=${sk##*/}
		[ "$sk" != "$k" ] && [ -f "/lib/modules/$sk/symvers.gz" ] || continue
		cmp -s "/lib/modules/$sk/symvers.gz" "$kd/symvers.gz" || continue
		for f in $(find "$src" -name '*.ko'); do
			rel=${f#"$src"/}
			mkdir -p "$kd/weak-updates/$(dirname "$rel")"
			ln -sfn "$f" "$kd/weak-updates/$rel"
		done
	done
	[ "$before" = "$(links "$kd")" ] || changed="$changed $k"
done
for k in $changed; do
	depmod -a "$k"
	if [ "$noinit" = 0 ] && [ -f "/boot/initramfs-$k.img" ]; then
		dracut -f "/boot/initramfs-$k.img" "$k"
	fi
done
exit 0
WM
	cat > "$r/usr/bin/dracut" <<'DRACUT'
#!/bin/sh
echo "dracut $*" >> /var/log/calls
[ "$1" = -f ] || exit 2
img=$2 k=$3 files=""
for m in hv_vmbus hv_storvsc; do
	f=$(modinfo -k "$k" -n "$m") || exit 1
	files="$files usr$f"
done
cd / && tar -chf "$img.new" $files && mv -f "$img.new" "$img"
DRACUT
	cat > "$r/usr/bin/lsinitrd" <<'LSINITRD'
#!/bin/sh
echo "lsinitrd $*" >> /var/log/calls
if [ "$1" = -f ]; then tar -xOf "$3" "$2"; else tar -tvf "$1"; fi
LSINITRD
	chmod 755 "$r/usr/sbin/weak-modules" "$r/usr/bin/dracut" "$r/usr/bin/lsinitrd"
	: > "$r/var/log/calls"
	for k in "$k1" "$k2"; do
		chroot "$r" /usr/bin/dracut -f "/boot/initramfs-$k.img" "$k" ||
			return 1
	done
}

# el_state R: "K1:where K2:where" of hv_vmbus (modinfo in R), where is
# extra, weak (weak-updates), in-tree; and of each initramfs (its hv_vmbus).
el_state() {
	local r=$1 k f i out=""
	for k in "$kmod_k" "$el_k2"; do
		f=$(chroot "$r" /usr/sbin/modinfo -k "$k" -n hv_vmbus 2>/dev/null)
		i=$(tar -tf "$r/boot/initramfs-$k.img" 2>/dev/null | grep '/hv_vmbus\.ko')
		out="$out $(where "$f")/$(where "$i")"
	done
	echo "${out# }"
}
where() {
	case $1 in */extra/hyperv-lis/*) echo extra ;; */weak-updates/hyperv-lis/*) echo weak ;;
	*/kernel/drivers/*) echo in-tree ;; *) echo "none" ;; esac
}

# The kmod rpm's scriptlets executed by the real rpm in el_root: install
# (%pre consent, %post depmod + weak-modules --no-initramfs, %posttrans
# the initramfs of both kernels regenerated and checked), upgrade to
# version.9 (%post of the new one, then %preun/%postun of the old one with
# $1=1: the weak-updates links stay), reinstall, erase (%postun with $1=0:
# weak-modules drops the links and rebuilds the second kernel's
# initramfs, dracut the build kernel's).  Each step: where modprobe
# resolves hv_vmbus for each kernel and what each initramfs holds.
kmod_rpm1="" kmod_rpm2=""
case_kmod_scriptlets() {
	local c=kmod-scriptlets r=$log/kmodsroot v2=$version.9 bad="" st calls
	[ -n "$kmodfile" ] || { sk $c "no kmod rpm"; return; }
	command -v objcopy >/dev/null || { sk $c "objcopy missing (binutils)"; return; }
	kmod_rpm1=$log/${kmodfile##*/}
	cp "$kmodfile" "$kmod_rpm1"
	if ! "$top/scripts/build-rpm.sh" --tree "$tree" --no-rpmlint --version "$v2" --kmod "$kmod_k" \
		> "$log/kmod-v2.log" 2>&1; then
		ko $c "kmod build of $v2 failed (see $log/kmod-v2.log)"; return
	fi
	kmod_rpm2=$(find "$out" -maxdepth 1 -name "kmod-hyperv-lis-$v2-*.rpm" | head -n 1)
	[ -n "$kmod_rpm2" ] || { ko $c "no $v2 kmod rpm"; return; }
	cp "$kmod_rpm2" "$log/"
	kmod_rpm2=$log/${kmod_rpm2##*/}
	el_root "$r" > "$log/kmodscript.log" 2>&1 || { ko $c "scratch root (see $log/kmodscript.log)"; return; }
	rpm --root "$r" --initdb >> "$log/kmodscript.log" 2>&1
	kstep() {  # name rpm-args...
		local n=$1
		shift
		: > "$r/var/log/calls"
		echo "== $n: rpm $*" >> "$log/kmodscript.log"
		rpm --root "$r" --nodeps "$@" > "$log/kmodstep.log" 2>&1 || bad="$bad $n:rpm-failed"
		cat "$log/kmodstep.log" "$r/var/log/calls" >> "$log/kmodscript.log"
		! grep -q 'hyperv-lis: WARNING' "$log/kmodstep.log" || bad="$bad $n:warning"
		st=$(el_state "$r")
		echo "state: $st" >> "$log/kmodscript.log"
		calls=$(grep -o '^weak-modules .*\|^dracut -f [^ ]*' "$r/var/log/calls" | tr '\n' ';')
		! ls "$r"/boot/*.hvlis-bak >/dev/null 2>&1 || bad="$bad $n:initramfs-kept-old"
	}
	kv() { rpm --root "$r" -q --qf '%{VERSION} ' kmod-hyperv-lis 2>/dev/null | grep -v 'not installed'; }
	kstep install -i "$kmod_rpm1"
	[ "$st" = "extra/extra weak/weak" ] || bad="$bad install:state[$st]"
	[[ $calls == "weak-modules --no-initramfs --add-modules;"*"dracut -f /boot/initramfs-$kmod_k.img;"* ]] ||
		bad="$bad install:calls[$calls]"
	kstep upgrade -U "$kmod_rpm2"
	[ "$st" = "extra/extra weak/weak" ] || bad="$bad upgrade:state[$st]"
	[ "$(kv)" = "$v2 " ] || bad="$bad upgrade:rpmdb[$(kv)]"
	kstep reinstall --reinstall "$kmod_rpm2"
	[ "$st" = "extra/extra weak/weak" ] || bad="$bad reinstall:state[$st]"
	kstep erase -e kmod-hyperv-lis
	[ "$st" = "in-tree/in-tree in-tree/in-tree" ] || bad="$bad erase:state[$st]"
	[[ $calls == "weak-modules --remove-modules;dracut -f /boot/initramfs-$el_k2.img;dracut -f /boot/initramfs-$kmod_k.img;" ]] ||
		bad="$bad erase:calls[$calls]"
	[ -z "$(kv)" ] || bad="$bad erase:rpmdb"
	[ ! -e "$r/etc/depmod.d/kmod-hyperv-lis.conf" ] || bad="$bad erase:depmod.d-left"
	if [ -n "$bad" ]; then ko $c "$bad (see $log/kmodscript.log)"; else
		rm -rf "$r"
		ok "$c (rpm $(rpm --version | awk '{print $3}'): $kmod_k + $el_k2 (weak-updates): install, upgrade $version -> $v2, reinstall, erase)"
	fi
}

# `make repo` of the two kmod rpms, then dnf (Debian's) installs
# kmod-hyperv-lis from that yum repository alone into el_root (a second
# repository holds a stand-in package providing kernel, kmod, dracut and
# weak-modules: the scratch root has no EL packages), the newest version,
# scriptlets run: ours resolve for both kernels, both initramfs hold them;
# dnf remove puts the in-tree ones back.
case_kmod_dnf_repo() {
	local c=kmod-dnf-repo r=$log/dnfroot a=$log/dnf bad="" st kb v2=$version.9
	[ -n "$kmod_rpm2" ] || { sk $c "no kmod rpms (kmod_scriptlets)"; return; }
	command -v dnf >/dev/null || { sk $c "dnf missing (apt-get install dnf)"; return; }
	rm -rf "$a"
	mkdir -p "$a/pkgs" "$a/base/SPECS" "$a/repos.d" "$a/cache"
	cp "$kmod_rpm1" "$kmod_rpm2" "$a/pkgs/"
	if ! make -s -C "$top" repo PKGS="$a/pkgs" REPO="$a/repo" > "$log/dnf.log" 2>&1; then
		ko $c "make repo failed (see $log/dnf.log)"; return
	fi
	kb=$(echo "$kmod_k" | cut -d- -f1)
	cat > "$a/base/SPECS/base.spec" <<SPEC
Name: hvlis-test-el-base
Version: 1
Release: 1
Summary: test stand-in for the EL packages the kmod needs
License: GPL-2.0-only
BuildArch: noarch
Provides: kernel = $kb
Provides: kmod
Provides: dracut
Provides: /usr/sbin/weak-modules
Provides: /bin/sh
Provides: /bin/bash
Provides: /usr/bin/bash
%description
Stand-in: the files are in the scratch root already.
%files
SPEC
	if ! { rpmbuild --define "_topdir $a/base" -bb "$a/base/SPECS/base.spec" &&
		mkdir -p "$a/baserepo" && cp "$a"/base/RPMS/noarch/*.rpm "$a/baserepo/" &&
		createrepo_c --quiet "$a/baserepo"; } >> "$log/dnf.log" 2>&1; then
		ko $c "stand-in base package (see $log/dnf.log)"; return
	fi
	cp "$a/repo/yum/hyperv-lis.repo" "$a/repos.d/"
	printf '%s\n' "[hvlis-test-base]" "name=stand-in" "baseurl=file://$a/baserepo" \
		"enabled=1" "gpgcheck=0" > "$a/repos.d/base.repo"
	printf '%s\n' "[main]" "gpgcheck=0" "install_weak_deps=0" "reposdir=$a/repos.d" \
		"cachedir=$a/cache" "plugins=0" > "$a/dnf.conf"
	el_root "$r" >> "$log/dnf.log" 2>&1 || { ko $c "scratch root (see $log/dnf.log)"; return; }
	rpm --root "$r" --initdb >> "$log/dnf.log" 2>&1
	local dnf=(dnf -y -c "$a/dnf.conf" --installroot="$r" --releasever=9 --setopt=reposdir="$a/repos.d")
	if ! "${dnf[@]}" install kmod-hyperv-lis >> "$log/dnf.log" 2>&1; then
		ko $c "dnf install from the repository failed (see $log/dnf.log)"; return
	fi
	cat "$r/var/log/calls" >> "$log/dnf.log"
	[ "$(rpm --root "$r" -q --qf '%{VERSION}' kmod-hyperv-lis)" = "$v2" ] || bad="$bad not-newest"
	st=$(el_state "$r")
	[ "$st" = "extra/extra weak/weak" ] || bad="$bad install:state[$st]"
	! ls "$r"/boot/*.hvlis-bak >/dev/null 2>&1 || bad="$bad install:initramfs-kept-old"
	if ! "${dnf[@]}" remove kmod-hyperv-lis >> "$log/dnf.log" 2>&1; then
		bad="$bad dnf-remove"
	fi
	st=$(el_state "$r")
	[ "$st" = "in-tree/in-tree in-tree/in-tree" ] || bad="$bad remove:state[$st]"
	if [ -n "$bad" ]; then ko $c "$bad (see $log/dnf.log)"; else
		rm -rf "$r" "$a"
		ok "$c (dnf $(dnf --version | head -n 1): kmod-hyperv-lis $v2 from a file: yum repository, removed)"
	fi
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
		scripts/build-rpm.sh scripts/build-kmod-deb.sh scripts/build-repo.sh dkms.conf \
		tests/packaging/run.sh packaging/doctor/hyperv-lis \
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

run_case() {
	local t0=$SECONDS
	if [ -z "${HVLIS_PKG_CASES:-}" ] || [[ " $HVLIS_PKG_CASES " == *" $1 "* ]]; then
		"case_$1"
		echo "# case $1: $((SECONDS - t0)) s"
	fi
}
run_case shellcheck
run_case udev_rules
run_case secureboot_message
run_case dkms_conf
run_case kernel_supported
run_case dkms_checkout
run_case deb_build
run_case lintian
run_case deps_repair
run_case not_accepted
run_case apt_install
run_case initrd_ours
run_case installed_initrd_boots
run_case guard
run_case unsupported
run_case no_headers
run_case upgrade
run_case doctor
run_case doctor_lis
run_case doctor_weak
run_case new_kernel
run_case image_before_headers
run_case remove
run_case kmod_deb_apt
run_case rpm_build
run_case rpmlint
run_case rpm_scratch_root
run_case kmod_scratch_root
run_case rpm_scriptlets
run_case kmod_scriptlets
run_case kmod_dnf_repo

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
