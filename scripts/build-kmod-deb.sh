#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-kmod-deb.sh --kver KVER [--tree DIR] [--no-lintian]
# (make kmod-deb KVER=...; --tree: package another checkout's src/, tests)
#
# Prebuilt modules for one Debian kernel, for fleets without a compiler:
#   hyperv-lis-modules-KVER_<version>_amd64.deb  the modules built now for
#       KVER (headers in /lib/modules/KVER/build) in
#       /lib/modules/KVER/updates/hyperv-lis/, a depmod.d override for that
#       kernel only; Depends on that kernel's image package (its name
#       carries the kernel ABI) and on hyperv-lis-common (= version);
#   hyperv-lis-common_<version>_all.deb  what every kernel shares: the
#       modprobe.d guard, the initramfs-tools hook, doctor, udev rules, the
#       consent file; Conflicts with hyperv-lis-dkms (same files).
# Both go to packaging/out/kmod-deb/; scripts/build-repo.sh turns a
# directory of them into an apt repository.  The modules package refuses
# in preinst without the ACCEPT_MISSING consent while the tree lacks
# hv_netvsc or hv_utils (as the kmod RPM does), regenerates and checks the
# initrd of KVER in postinst, and puts the in-tree drivers back on removal.
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
usage() { echo "usage: $0 --kver KVER [--tree DIR] [--no-lintian]" >&2; exit 2; }
kver="" lintian=1 tree=$root
while [ $# -gt 0 ]; do
	case $1 in
	--kver) [ $# -ge 2 ] || usage; kver=$2; shift 2 ;;
	--no-lintian) lintian=0; shift ;;
	--tree) [ $# -ge 2 ] || usage; tree=$(cd "$2" && pwd); shift 2 ;;
	*) usage ;;
	esac
done
[ -n "$kver" ] || usage
kdir=/lib/modules/$kver/build
[ -f "$kdir/Makefile" ] || { echo "build-kmod-deb: no headers for $kver ($kdir)" >&2; exit 1; }
[[ $kver =~ ^[a-z0-9][a-z0-9.+-]*$ ]] ||
	{ echo "build-kmod-deb: '$kver' cannot be part of a package name" >&2; exit 1; }

version=$(sed -n 's/^#define HVLIS_VERSION "\(.*\)"$/\1/p' "$tree/src/include/hvlis/version.h")
[ -n "$version" ] || { echo "build-kmod-deb: no HVLIS_VERSION" >&2; exit 1; }
out=$root/packaging/out/kmod-deb
work=$out/work-$kver
rm -rf "$work"
mkdir -p "$work"

# Build in a staged copy (the tree DKMS would get), in place.
"$root/scripts/stage-source.sh" "$work/src-tree"
# --tree: that tree's src/ (same layout; tests), as build-deb.sh does.
if [ "$tree" != "$root" ]; then
	rm -rf "$work/src-tree/src"
	cp -a "$tree/src" "$work/src-tree/src"
	find "$work/src-tree/src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
		-o -name modules.order -o -name Module.symvers \) -type f -delete
	rm -rf "$work/src-tree/src/compat/gen"
fi
"$work/src-tree/scripts/build-modules.sh" --in-place --kdir "$kdir" > "$work/build.log" 2>&1 || {
	tail -n 30 "$work/build.log" >&2
	echo "build-kmod-deb: module build for $kver failed (log: $work/build.log)" >&2
	exit 1
}
missing=$("$root/scripts/gen-dkms-conf.sh" "$work/src-tree" |
	sed -n 's/^_hvlis_missing="\(.*\)"$/\1/p')

doc() {  # package dir: copyright and changelog as Debian policy wants
	local d=$1/usr/share/doc/$2
	install -d "$d"
	install -m644 "$root/packaging/debian/copyright" "$d/copyright"
	{
		echo "$2 ($version) unstable; urgency=medium"
		echo
		echo "  * Built by scripts/build-kmod-deb.sh."
		echo
		echo " -- hyperv-lis developers <hyperv-lis@lists.example.org>  $(date -R -d @"${SOURCE_DATE_EPOCH:-$(date +%s)}")"
	} | gzip -9n > "$d/changelog.gz"
}
finish() {  # package dir -> .deb in $out
	local p=$1
	(cd "$p" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
		xargs -0 -r md5sum) > "$p/DEBIAN/md5sums"
	[ -s "$p/DEBIAN/md5sums" ] || rm -f "$p/DEBIAN/md5sums"
	echo "Installed-Size: $(du -sk --exclude=DEBIAN "$p" | cut -f1)" >> "$p/DEBIAN/control"
	dpkg-deb --root-owner-group -Zxz --build "$p" "$out/" >> "$work/dpkg-deb.log"
}

# ------------------------------------------------------------- common
cp=$work/common
install -d "$cp/DEBIAN"
install -D -m644 "$root/packaging/modprobe.d/hyperv-lis.conf" "$cp/lib/modprobe.d/hyperv-lis.conf"
install -D -m755 "$root/packaging/modprobe.d/hyperv-lis-dependant-guard" \
	"$cp/usr/lib/hyperv-lis/hyperv-lis-dependant-guard"
install -D -m755 "$root/packaging/initramfs-tools/hyperv-lis-update-initrd" \
	"$cp/usr/lib/hyperv-lis/hyperv-lis-update-initrd"
install -D -m755 "$root/scripts/hyperv-lis-doctor" "$cp/usr/lib/hyperv-lis/hyperv-lis-doctor"
install -D -m755 "$root/packaging/doctor/hyperv-lis" "$cp/usr/sbin/hyperv-lis"
install -d "$cp/usr/share/man/man8"
gzip -9n < "$root/packaging/doctor/hyperv-lis.8" > "$cp/usr/share/man/man8/hyperv-lis.8.gz"
install -D -m755 "$root/packaging/initramfs-tools/hooks/hyperv-lis" \
	"$cp/usr/share/initramfs-tools/hooks/hyperv-lis"
install -D -m644 "$root/packaging/initramfs-tools/modules.d/hyperv-lis" \
	"$cp/usr/share/initramfs-tools/modules.d/hyperv-lis"
install -D -m644 "$root/packaging/etc/hyperv-lis.conf" "$cp/etc/hyperv-lis/hyperv-lis.conf"
install -d "$cp/lib/udev/rules.d"
install -m644 "$root"/packaging/udev/*.rules "$cp/lib/udev/rules.d/"
doc "$cp" hyperv-lis-common
install -m644 "$root/packaging/DEPENDANTS.md" "$cp/usr/share/doc/hyperv-lis-common/"
echo /etc/hyperv-lis/hyperv-lis.conf > "$cp/DEBIAN/conffiles"
cat > "$cp/DEBIAN/control" <<EOF
Package: hyperv-lis-common
Source: hyperv-lis
Version: $version
Architecture: all
Maintainer: hyperv-lis developers <hyperv-lis@lists.example.org>
Depends: kmod, initramfs-tools
Recommends: hyperv-daemons
Conflicts: hyperv-lis-dkms
Section: kernel
Priority: optional
Description: Hyper-V guest drivers: files shared by the prebuilt module packages
 hyperv-lis is a from-scratch implementation of the Linux guest drivers for
 Microsoft Hyper-V and Azure.  This package holds what the prebuilt
 hyperv-lis-modules-<kernel> packages share: the modprobe.d guard for the
 in-tree modules that need the kernel's own VMBus driver, the
 initramfs-tools hook, the udev rules and "hyperv-lis doctor".
EOF
finish "$cp"

# ------------------------------------------------------------- modules
pkg=hyperv-lis-modules-$kver
mp=$work/modules
dest=$mp/lib/modules/$kver/updates/hyperv-lis
install -d "$mp/DEBIAN" "$dest" "$mp/lib/depmod.d"
mods=()
while read -r ko; do
	install -m644 "$ko" "$dest/"
	strip --strip-debug "$dest/${ko##*/}"
	mods+=("$(basename "$ko" .ko)")
done < <(find "$work/src-tree/src" -name '*.ko' | sort)
[ ${#mods[@]} -gt 0 ] || { echo "build-kmod-deb: no module was built" >&2; exit 1; }
for m in "${mods[@]}"; do
	echo "override $m $kver updates/hyperv-lis"
done > "$mp/lib/depmod.d/hyperv-lis-$kver.conf"
doc "$mp" "$pkg"

cat > "$mp/DEBIAN/control" <<EOF
Package: $pkg
Source: hyperv-lis
Version: $version
Architecture: amd64
Maintainer: hyperv-lis developers <hyperv-lis@lists.example.org>
Depends: hyperv-lis-common (= $version), linux-image-$kver | linux-image-$kver-unsigned
Conflicts: hyperv-lis-dkms
Section: kernel
Priority: optional
Description: Hyper-V guest drivers built for Linux $kver
 hyperv-lis is a from-scratch implementation of the Linux guest drivers for
 Microsoft Hyper-V and Azure.  This package holds them built for the kernel
 $kver, for machines without a compiler:
 ${mods[*]}.
 They replace the kernel's own modules of the same names, and the initramfs
 of that kernel is regenerated and checked to hold them.
EOF

cat > "$mp/DEBIAN/preinst" <<EOF
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
set -e
missing="$missing"
EOF
cat >> "$mp/DEBIAN/preinst" <<'EOF'
# Modules the in-tree stack has and this version does not ship: with our
# hv_vmbus the kernel's own cannot load.  Installing needs the
# administrator's consent, given beforehand (packaging/DEPENDANTS.md).
if [ "$1" = install ] || [ "$1" = upgrade ]; then
	acc=$(sed -n 's/^[[:space:]]*ACCEPT_MISSING[[:space:]]*=[[:space:]]*"\{0,1\}\([A-Za-z0-9_, ]*\)"\{0,1\}[[:space:]]*$/\1/p' \
		/etc/hyperv-lis/hyperv-lis.conf 2>/dev/null | tail -n 1)
	for m in $missing; do
		case " $(echo "$acc" | tr ',' ' ') " in
		*" $m "*) ;;
		*)
			echo "hyperv-lis: refusing to install: this version does not ship $missing," >&2
			echo "hyperv-lis: and with its hv_vmbus the kernel's own cannot load (no synthetic" >&2
			echo "hyperv-lis: network, no host shutdown/KVP). To accept that, first run" >&2
			echo "    mkdir -p /etc/hyperv-lis; echo ACCEPT_MISSING=$(echo "$missing" | tr ' ' ',') >> /etc/hyperv-lis/hyperv-lis.conf" >&2
			exit 1 ;;
		esac
	done
fi
exit 0
EOF
cat > "$mp/DEBIAN/postinst" <<EOF
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
set -e
k=$kver
EOF
cat >> "$mp/DEBIAN/postinst" <<'EOF'
if [ "$1" = configure ]; then
	depmod -a "$k"
	if [ -f "/boot/initrd.img-$k" ]; then
		/usr/lib/hyperv-lis/hyperv-lis-update-initrd --expect ours "$k" ||
			echo "hyperv-lis: WARNING: the initrd of $k could not be updated; its previous" \
				"one was kept. Run 'hyperv-lis doctor' for details."
	fi
fi
exit 0
EOF
cat > "$mp/DEBIAN/postrm" <<EOF
#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
set -e
k=$kver
EOF
cat >> "$mp/DEBIAN/postrm" <<'EOF'
# Removed: the in-tree drivers resolve again; the initrd gets them back.
if [ "$1" = remove ] && [ -d "/lib/modules/$k/kernel" ]; then
	depmod -a "$k"
	if [ -f "/boot/initrd.img-$k" ]; then
		if [ -x /usr/lib/hyperv-lis/hyperv-lis-update-initrd ]; then
			/usr/lib/hyperv-lis/hyperv-lis-update-initrd --expect in-tree "$k" ||
				echo "hyperv-lis: WARNING: the initrd of $k still holds hyperv-lis; run update-initramfs -u -k $k"
		else
			update-initramfs -u -k "$k" || true
		fi
	fi
fi
exit 0
EOF
chmod 755 "$mp/DEBIAN/preinst" "$mp/DEBIAN/postinst" "$mp/DEBIAN/postrm"
finish "$mp"

debs=("$out/hyperv-lis-common_${version}_all.deb" "$out/${pkg}_${version}_amd64.deb")
for d in "${debs[@]}"; do
	[ -f "$d" ] || { echo "build-kmod-deb: $d was not produced" >&2; exit 1; }
	echo "build-kmod-deb: $d"
done
rm -rf "$work"

if [ "$lintian" = 1 ]; then
	command -v lintian >/dev/null || { echo "build-kmod-deb: lintian missing" >&2; exit 1; }
	lintian "${debs[@]}" > "$out/lintian.txt" 2>&1 || true
	if [ -s "$out/lintian.txt" ]; then cat "$out/lintian.txt"; fi
	if grep -qE '^[EW]: ' "$out/lintian.txt"; then
		echo "build-kmod-deb: lintian reported errors or warnings" >&2
		exit 1
	fi
fi
