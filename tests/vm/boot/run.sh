#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/boot/run.sh [--kernels "K..."] [--root synthetic|virtio]
#                      [--initrd FILE] [--repeat N] [--keep]
#
# Boot a Debian kernel with its root file system on the synthetic disk:
#   - the initrd is made by Debian's own mkinitramfs for K, with the
#     package's initramfs hook and modules.d entry (packaging/initramfs-tools)
#     taking our freshly built hv_vmbus and hv_storvsc, plus, added only by
#     this test, hv_simhost with a modprobe.d file (its options, and softdeps
#     so it is loaded before virtio_scsi, sd_mod and hv_vmbus);
#   - mkinitramfs runs in a private mount namespace where /lib/modules/K is
#     the image package's tree plus our modules in updates/ (depmod'ed
#     there): nothing on this machine changes;
#   - the root file system (ext4, built with mkfs.ext4 -d, a static busybox
#     whose /sbin/init reports and powers off) is QEMU's scsi-hd with serial
#     HVLIS-ROOT on virtio-scsi, which hv_simhost claims (scsi_backing=), so
#     root=UUID=... can only be found through hv_vmbus + hv_storvsc.
# /sbin/init prints the root device and its sysfs path: PASS needs it below
# the simulated SCSI VMBus device.  --root virtio boots the same image and
# initrd with the claim turned off (the baseline of `make bench`): root is
# then found on the virtio-scsi disk directly.  --initrd uses a given initrd
# (e.g. the one an installed package built) with the test's hv_simhost
# overlay appended as a second cpio archive.  --repeat N boots N times and
# prints "boot-time K MODE: ..." lines (seconds from kernel start to
# /sbin/init, from the guest's /proc/uptime).
# Output: PASS/FAIL/SKIP lines, then "N passed, N failed, N skipped".
set -uo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/vm/lib/common.sh
. "$HERE/../lib/common.sh"
# shellcheck source=tests/vm/lib/build.sh
. "$HERE/../lib/build.sh"

kernels='' root_mode=synthetic initrd_in='' repeat=1 keep=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernels) kernels=$2; shift ;;
	--root) root_mode=$2; shift ;;
	--initrd) initrd_in=$(readlink -f "$2"); shift ;;
	--repeat) repeat=$2; shift ;;
	--keep) keep=1 ;;
	*) sed -n '4,5s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
	esac
	shift
done
case $root_mode in synthetic|virtio) ;; *) die "--root synthetic|virtio" ;; esac
[[ $repeat =~ ^[1-9][0-9]*$ ]] || die "--repeat N"

pass=0 fail=0 skip=0
report() {
	local st=$1 name=$2
	shift 2
	echo "$st $name${*:+: $*}"
	case $st in PASS) pass=$((pass + 1)) ;; FAIL) fail=$((fail + 1)) ;; *) skip=$((skip + 1)) ;; esac
}
finish() {
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

if [ "$(id -u)" -ne 0 ]; then
	report SKIP boot "needs root (mount namespace for mkinitramfs)"
	finish
fi
for tool in "$QEMU" mkinitramfs unshare mkfs.ext4 busybox depmod; do
	command -v "$tool" >/dev/null ||
		die "'$tool' not found (make deps: qemu-system-x86 initramfs-tools util-linux e2fsprogs busybox-static kmod)"
done
file -L "$(command -v busybox)" | grep -q 'statically linked' ||
	die "busybox is not static (apt-get install busybox-static)"
[ -n "$kernels" ] || kernels=$(default_kernels | tr '\n' ' ')

UUID=5eb7a1d2-0b0f-4c1e-9d55-6876e6c15f00
ROOT_SERIAL=HVLIS-ROOT
SCSI_GUID=53494d08-0000-4000-8000-73696d687374

# make_rootfs IMG: ext4 image, no loop mount; /sbin/init reports and stops.
make_rootfs() {
	local img=$1 d
	d=$(mktemp -d "${TMPDIR:-/tmp}/hvlis-rootfs.XXXXXX")
	mkdir -p "$d"/{bin,sbin,dev,proc,sys,run,tmp,root,etc}
	cp "$(command -v busybox)" "$d/bin/busybox"
	ln -s busybox "$d/bin/sh"
	cat >"$d/sbin/init" <<'EOF'
#!/bin/busybox sh
# hyperv-lis boot test: runs from the real root (after switch_root)
b=/bin/busybox
$b mount -t proc proc /proc
$b mount -t sysfs sysfs /sys
up=$($b cut -d' ' -f1 /proc/uptime)
dev=$($b awk '$2 == "/" && $1 != "rootfs" { print $1 }' /proc/mounts | $b tail -n 1)
mm=$($b stat -L -c '%t:%T' "$dev" 2>/dev/null)
path=$($b readlink -f "/sys/dev/block/$((0x${mm%:*})):$((0x${mm#*:}))")
echo "HVLIS-ROOT-INIT uptime=$up root=$dev path=$path"
echo "HVLIS-ROOT-CMDLINE $($b cat /proc/cmdline)"
# root is mounted read-only: nothing to sync.  QEMU runs with -no-reboot,
# so an immediate reboot ends it.
echo 1 >/proc/sys/kernel/sysrq
echo b >/proc/sysrq-trigger
EOF
	chmod 755 "$d/sbin/init"
	rm -f "$img"
	mkfs.ext4 -q -F -U "$UUID" -L hvlisroot -d "$d" "$img" 64M >/dev/null
	rm -rf "$d"
}

# make_conf DIR: mkinitramfs config: the host's, plus the package's hook and
# modules.d entry, plus the test's hv_simhost hook.
make_conf() {
	local c=$1
	rm -rf "$c"
	mkdir -p "$c/hooks" "$c/scripts" "$c/conf.d"
	cp /etc/initramfs-tools/initramfs.conf "$c/"
	sed -i 's/^MODULES=.*/MODULES=most/' "$c/initramfs.conf"
	install -m755 "$REPO/packaging/initramfs-tools/hooks/hyperv-lis" "$c/hooks/"
	grep -v '^#' "$REPO/packaging/initramfs-tools/modules.d/hyperv-lis" >"$c/modules"
	cat >"$c/hooks/zz-hvlis-simhost" <<'EOF'
#!/bin/sh
# test only: the simulated Hyper-V host, loaded before anything that could
# bind its backing disk, and before hv_vmbus
[ "$1" = prereqs ] && exit 0
. /usr/share/initramfs-tools/hook-functions
manual_add_modules hv_simhost virtio_scsi sd_mod
mkdir -p "$DESTDIR/etc/modprobe.d"
cat >"$DESTDIR/etc/modprobe.d/hvlis-simhost.conf" <<'CONF'
options hv_simhost devices=scsi scsi_backing=HVLIS-ROOT
softdep virtio_scsi pre: hv_simhost
softdep sd_mod pre: hv_simhost
softdep hv_vmbus pre: hv_simhost
CONF
exit 0
EOF
	chmod 755 "$c/hooks/zz-hvlis-simhost"
}

# overlay_cpio K INITRD OUT: what the test adds to an initrd made elsewhere
# (a second cpio archive, whose files win): hv_simhost, its modprobe.d file,
# and the initrd's module index redone with it.
overlay_cpio() {
	local k=$1 in=$2 out=$3 d x m ko
	d=$(mktemp -d "${TMPDIR:-/tmp}/hvlis-ovl.XXXXXX")
	unmkinitramfs "$in" "$d/x" || { rm -rf "$d"; return 1; }
	x=$d/x
	[ -d "$x/main" ] && x=$x/main
	m=$x/usr/lib/modules/$k
	[ -d "$m" ] || m=$x/lib/modules/$k
	ko=$(printf '%s\n' "${OUR_KOS[@]}" | grep '/hv_simhost\.ko$')
	mkdir -p "$m/updates/hyperv-lis-test"
	cp "$ko" "$m/updates/hyperv-lis-test/"
	depmod -b "$x" "$k" || { rm -rf "$d"; return 1; }
	mkdir -p "$d/o/${m#"$x"/}/updates/hyperv-lis-test" "$d/o/etc/modprobe.d"
	cp "$ko" "$d/o/${m#"$x"/}/updates/hyperv-lis-test/"
	cp "$m"/modules.* "$d/o/${m#"$x"/}/"
	printf '%s\n' "options hv_simhost devices=scsi scsi_backing=$ROOT_SERIAL" \
		"softdep virtio_scsi pre: hv_simhost" "softdep sd_mod pre: hv_simhost" \
		"softdep hv_vmbus pre: hv_simhost" >"$d/o/etc/modprobe.d/hvlis-simhost.conf"
	(cd "$d/o" && find . | cpio -o -H newc --quiet) >"$out"
	rm -rf "$d"
}

run_kernel() {
	local k=$1 dir kdir mods initrd log t0 i line up path
	dir=$BUILD/vm/boot/$k
	local ups=() cmdline extra='' pad
	mkdir -p "$dir"
	build_ours "$k" "$dir/build.log" || return
	build_simhost "$k" "$dir/simhost.log" || return
	printf '%s\n' "${OUR_KOS[@]}" | grep -q '/hv_storvsc\.ko$' ||
		{ report FAIL "$k/boot-$root_mode-root" "hv_storvsc was not built"; return; }
	kdir=$("$REPO/scripts/vm-kernel.sh" "$k" 2>"$dir/vm-kernel.log") ||
		{ report FAIL "$k/boot-$root_mode-root" "vm-kernel.sh failed"; return; }
	make_rootfs "$dir/root.img" ||
		{ report FAIL "$k/boot-$root_mode-root" "mkfs.ext4 -d failed"; return; }

	initrd=$dir/initrd.img
	if [ -n "$initrd_in" ]; then
		overlay_cpio "$k" "$initrd_in" "$dir/overlay.cpio" ||
			{ report FAIL "$k/boot-$root_mode-root" "cannot add hv_simhost to $initrd_in"; return; }
		# The kernel looks for an appended archive at a 4-byte boundary
		# only ("invalid magic at start of compressed archive" otherwise).
		pad=$(((4 - $(stat -c %s "$initrd_in") % 4) % 4))
		{ cat "$initrd_in"; head -c "$pad" /dev/zero; cat "$dir/overlay.cpio"; } >"$initrd"
	else
		# the image's module tree + ours, hard links (depmod writes new files)
		mods=$dir/root/lib/modules/$k
		rm -rf "$dir/root"
		mkdir -p "$(dirname "$mods")"
		cp -al "$kdir/root/lib/modules/$k" "$mods"
		mkdir -p "$mods/updates/hyperv-lis-test"
		printf '%s\n' "${OUR_KOS[@]}" | grep -E '/(hv_vmbus|hv_storvsc|hv_simhost)\.ko$' |
			xargs -I{} cp {} "$mods/updates/hyperv-lis-test/"
		depmod -b "$dir/root" "$k" || { report FAIL "$k/boot-$root_mode-root" "depmod"; return; }
		make_conf "$dir/conf"
		local made=0
		if [ ! -d "/lib/modules/$k" ]; then mkdir -p "/lib/modules/$k"; made=1; fi
		# shellcheck disable=SC2016 # expanded by that sh
		# /boot: a tmpfs holding the image package's config-K (mkinitramfs
		# reads it; the image may not be installed here)
		unshare -m sh -c 'mount --make-rprivate / && mount --bind "$1" "/lib/modules/$2" &&
			mount -t tmpfs hvlis-boot /boot && cp "$5/boot/config-$2" /boot/ &&
			mkinitramfs -d "$3" -o "$4" "$2"' sh "$mods" "$k" "$dir/conf" "$initrd" \
			"$kdir/root" >"$dir/mkinitramfs.log" 2>&1
		local rc=$?
		if [ "$made" = 1 ]; then rmdir "/lib/modules/$k"; fi
		[ "$rc" = 0 ] || { report FAIL "$k/boot-$root_mode-root" \
			"mkinitramfs failed (log: $dir/mkinitramfs.log)"; return; }
		if ! lsinitramfs "$initrd" >"$dir/initrd.list" ||
			! grep -q "updates/hyperv-lis-test/hv_vmbus.ko" "$dir/initrd.list" ||
			! grep -q "updates/hyperv-lis-test/hv_storvsc.ko" "$dir/initrd.list"; then
			report FAIL "$k/boot-$root_mode-root" "the hook did not put our hv_vmbus/hv_storvsc in the initrd"
			return
		fi
	fi

	[ "$root_mode" = virtio ] && extra=" hv_simhost.scsi_backing=NONE"
	cmdline="root=UUID=$UUID ro console=ttyS0 panic=-1 quiet loglevel=4$extra"
	for i in $(seq 1 "$repeat"); do
		log=$dir/serial-$root_mode-$i.log
		t0=$(now)
		timeout -k 5 300 "$QEMU" -machine pc -accel tcg -m 1024 -smp 2 \
			-display none -monitor none -no-reboot -nic none \
			-kernel "$kdir/vmlinux" -initrd "$initrd" -append "$cmdline" \
			-device virtio-scsi-pci,id=vs0 \
			-drive "if=none,id=r,file=$dir/root.img,format=raw" \
			-device "scsi-hd,bus=vs0.0,drive=r,serial=$ROOT_SERIAL" \
			-serial "file:$log" </dev/null >"$dir/qemu.out" 2>&1
		if grep -a -q 'Initramfs unpacking failed' "$log"; then
			report FAIL "$k/boot-$root_mode-root" \
				"$(grep -a -m1 'Initramfs unpacking failed' "$log" | tr -d '\r') (log: $log)"
			return
		fi
		line=$(grep -a -m1 '^HVLIS-ROOT-INIT ' "$log" | tr -d '\r')
		if [ -z "$line" ]; then
			report FAIL "$k/boot-$root_mode-root" "/sbin/init on the root disk never ran" \
				"($(grep -a -m1 -iE 'panic|gave up|ALERT|not exist' "$log" | tr -d '\r')) (log: $log)"
			return
		fi
		up=$(sed -n 's/.* uptime=\([0-9.]*\) .*/\1/p' <<<"$line")
		path=$(sed -n 's/.* path=\(.*\)$/\1/p' <<<"$line")
		ups+=("$up")
		grep -a -q "^HVLIS-ROOT-CMDLINE .*root=UUID=$UUID" "$log" ||
			{ report FAIL "$k/boot-$root_mode-root" "not booted with root=UUID"; return; }
		case $root_mode:$path in
		synthetic:*/$SCSI_GUID/*) ;;
		virtio:*/virtio*) ;;
		*) report FAIL "$k/boot-$root_mode-root" "root is $path"; return ;;
		esac
		echo "# $k $root_mode boot $i: init at ${up}s, $(since "$t0") s wall"
	done
	echo "boot-time $k $root_mode: $(printf '%s\n' "${ups[@]}" | sort -n |
		awk '{ a[NR] = $1 } END { print "median " a[int((NR + 1) / 2)] " s of " NR }')"
	report PASS "$k/boot-$root_mode-root" "init at ${ups[0]} s from ${path#/sys}"
	[ "$keep" = 1 ] || rm -rf "$dir/root"
}

for k in $kernels; do
	run_kernel "$k"
done
finish
