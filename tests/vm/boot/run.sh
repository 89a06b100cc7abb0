#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/vm/boot/run.sh [--kernels "K..."] [--root synthetic|virtio]
#                      [--initramfs initramfs-tools,dracut] [--initrd FILE]
#                      [--repeat N] [--keep]
#
# Boot a Debian kernel with its root file system on the synthetic disk:
#   - the initrd is made by Debian's own mkinitramfs for K, with the
#     package's initramfs hook and modules.d entry (packaging/initramfs-tools)
#     taking our freshly built hv_vmbus and hv_storvsc, plus, added only by
#     this test, hv_simhost with a modprobe.d file (its options, and softdeps
#     so it is loaded before virtio_scsi, sd_mod and hv_vmbus);
#   - and again by Debian's dracut (dracut-core, fetched with apt-get
#     download into build/vm/dracut and run from there: installing it
#     would remove initramfs-tools) with the package's dracut module
#     (packaging/dracut: modules.d/90hyperv-lis and dracut.conf.d) where the
#     package puts them; the test adds hv_simhost (same modprobe.d file) and
#     force-loads hv_vmbus (rd.driver.pre), standing in for the udev
#     coldplug of the VMBus ACPI device that QEMU does not have; udev loads
#     hv_storvsc from the VMBus device's modalias.  Case names end in
#     -dracut;
#   - each runs in a private mount namespace where /lib/modules/K is
#     the image package's tree plus our modules in updates/ (depmod'ed
#     there), and, for dracut, /usr/lib/dracut, /usr/lib/hyperv-lis and
#     /usr/lib/modprobe.d are bind mounts of what the package would
#     install: nothing on this machine changes (an empty mount point is
#     made for the bind mount where none exists, and removed);
#   - the root file system (ext4, built with mkfs.ext4 -d, a static busybox
#     whose /sbin/init reports and powers off) is QEMU's scsi-hd with serial
#     HVLIS-ROOT on virtio-scsi, which hv_simhost claims (scsi_backing=), so
#     root=UUID=... can only be found through hv_vmbus + hv_storvsc.
# /sbin/init prints the root device and its sysfs path, and the srcversion
# of the hv_vmbus and hv_storvsc that are loaded: PASS needs the root below
# the simulated SCSI VMBus device and both modules to be the ones built here
# (in-tree modules have no srcversion).  --root virtio boots the same image and
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

kernels='' root_mode=synthetic initrd_in='' repeat=1 keep=0 gens=initramfs-tools,dracut
while [ $# -gt 0 ]; do
	case $1 in
	--kernels) kernels=$2; shift ;;
	--root) root_mode=$2; shift ;;
	--initrd) initrd_in=$(readlink -f "$2"); shift ;;
	--initramfs) gens=$2; shift ;;
	--repeat) repeat=$2; shift ;;
	--keep) keep=1 ;;
	*) sed -n '4,6s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
	esac
	shift
done
case $root_mode in synthetic|virtio) ;; *) die "--root synthetic|virtio" ;; esac
[[ $repeat =~ ^[1-9][0-9]*$ ]] || die "--repeat N"
gens=${gens//,/ }
for g in $gens; do
	case $g in initramfs-tools|dracut) ;; *) die "--initramfs initramfs-tools,dracut" ;; esac
done
# --initrd: that one initrd only
[ -z "$initrd_in" ] || gens=given

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
# the modules the initrd loaded: ours have a srcversion (MODULE_VERSION)
echo "HVLIS-ROOT-MODS hv_vmbus=$($b cat /sys/module/hv_vmbus/srcversion 2>/dev/null)" \
	"hv_storvsc=$($b cat /sys/module/hv_storvsc/srcversion 2>/dev/null)"
echo "HVLIS-ROOT-END"
# The lines above sit in the serial driver's buffer until the UART has sent
# them, and sysrq-b does not wait: stty's TCSADRAIN does (CI lost the MODS
# line of a 6.1 boot once), the pause is for the UART's FIFO.
$b stty -F /dev/console -ixon 2>/dev/null
$b sleep 1
# root is mounted read-only: nothing to sync.  QEMU runs with -no-reboot,
# so an immediate reboot ends it.
echo 1 >/proc/sys/kernel/sysrq
echo b >/proc/sysrq-trigger
EOF
	chmod 755 "$d/sbin/init"
	# systemd in an initrd (dracut's) switches only to an OS tree
	printf '%s\n' 'NAME="hyperv-lis boot test"' 'ID=hvlis' >"$d/etc/os-release"
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

# stage_modules K KDIR DIR: DIR/root/lib/modules/K = the image's module tree
# (hard links) + our hv_vmbus, hv_storvsc and hv_simhost in
# updates/hyperv-lis-test, depmod'ed there (depmod writes new files).
stage_modules() {
	local k=$1 kdir=$2 dir=$3 mods=$3/root/lib/modules/$1
	rm -rf "$dir/root"
	mkdir -p "$(dirname "$mods")"
	cp -al "$kdir/root/lib/modules/$k" "$mods"
	mkdir -p "$mods/updates/hyperv-lis-test"
	printf '%s\n' "${OUR_KOS[@]}" | grep -E '/(hv_vmbus|hv_storvsc|hv_simhost)\.ko$' |
		xargs -I{} cp {} "$mods/updates/hyperv-lis-test/"
	depmod -b "$dir/root" "$k"
}

# in_namespace K SCRIPT ARGS...: run sh -c SCRIPT in a private mount
# namespace where /boot is a tmpfs with the image package's config-K (the
# generators read it; the image may not be installed here).  SCRIPT's $1 is
# K, $2 the image tree ($kdir/root), then ARGS.  Mount points that do not
# exist here (/lib/modules/K, /usr/lib/dracut, /usr/lib/hyperv-lis) are
# made empty for the bind mounts and removed afterwards.
in_namespace() {
	local k=$1 script=$2 m made=() rc
	shift 2
	for m in "/lib/modules/$k" /usr/lib/dracut /usr/lib/hyperv-lis; do
		if [ ! -e "$m" ]; then mkdir -p "$m"; made+=("$m"); fi
	done
	# shellcheck disable=SC2016 # expanded by that sh
	unshare -m sh -c 'set -e; mount --make-rprivate /
		mount -t tmpfs hvlis-boot /boot; cp "$2/boot/config-$1" /boot/
		'"$script" sh "$k" "$kdir/root" "$@"
	rc=$?
	for m in "${made[@]}"; do rmdir "$m" 2>/dev/null; done
	return "$rc"
}

# initrd_itools K DIR INITRD NAME: mkinitramfs with the package's hook.
initrd_itools() {
	local k=$1 dir=$2 initrd=$3 name=$4
	stage_modules "$k" "$kdir" "$dir" || { report FAIL "$name" "depmod"; return 1; }
	make_conf "$dir/conf"
	# shellcheck disable=SC2016 # expanded by that sh
	if ! in_namespace "$k" 'mount --bind "$3" "/lib/modules/$1"
		mkinitramfs -d "$4" -o "$5" "$1"' \
		"$dir/root/lib/modules/$k" "$dir/conf" "$initrd" >"$dir/mkinitramfs.log" 2>&1; then
		report FAIL "$name" "mkinitramfs failed (log: $dir/mkinitramfs.log)"
		return 1
	fi
	if ! lsinitramfs "$initrd" >"$dir/initrd.list" ||
		! grep -q "updates/hyperv-lis-test/hv_vmbus.ko" "$dir/initrd.list" ||
		! grep -q "updates/hyperv-lis-test/hv_storvsc.ko" "$dir/initrd.list"; then
		report FAIL "$name" "the hook did not put our hv_vmbus/hv_storvsc in the initrd"
		return 1
	fi
}

# get_dracut: Debian's dracut-core unpacked in $DRACUT_DIR/root (cached);
# not installed (the dracut package replaces initramfs-tools).
DRACUT_DIR=$BUILD/vm/dracut
get_dracut() {
	[ -e "$DRACUT_DIR/.ready" ] && return 0
	rm -rf "$DRACUT_DIR"
	mkdir -p "$DRACUT_DIR/deb"
	(cd "$DRACUT_DIR/deb" && apt-get download dracut-core) >"$DRACUT_DIR/fetch.log" 2>&1 &&
		dpkg-deb -x "$DRACUT_DIR"/deb/dracut-core_*.deb "$DRACUT_DIR/root" &&
		[ -x "$DRACUT_DIR/root/usr/bin/dracut" ] && touch "$DRACUT_DIR/.ready"
}

# initrd_dracut K DIR INITRD NAME: dracut with the package's dracut module
# and dracut.conf.d file where the package installs them.
initrd_dracut() {
	local k=$1 dir=$2 initrd=$3 name=$4 d=$2/dracut f
	get_dracut || { report SKIP "$name" "cannot get Debian's dracut-core (log: $DRACUT_DIR/fetch.log)"; return 1; }
	stage_modules "$k" "$kdir" "$dir" || { report FAIL "$name" "depmod"; return 1; }
	rm -rf "$d"
	mkdir -p "$d/conf/conf.d" "$d/hyperv-lis" "$d/modprobe.d"
	# /usr/lib/dracut: dracut-core's + what the package installs there
	cp -a "$DRACUT_DIR/root/usr/lib/dracut" "$d/base"
	cp -a "$REPO/packaging/dracut/90hyperv-lis" "$d/base/modules.d/"
	mkdir -p "$d/base/dracut.conf.d"
	cp "$REPO/packaging/dracut/hyperv-lis.conf" "$d/base/dracut.conf.d/90-hyperv-lis.conf"
	# /usr/lib/hyperv-lis, /usr/lib/modprobe.d: the package's files (and,
	# test only, hv_simhost's options and softdeps)
	install -m755 "$REPO/packaging/modprobe.d/hyperv-lis-dependant-guard" "$d/hyperv-lis/"
	for f in /usr/lib/modprobe.d/*.conf; do
		[ ! -e "$f" ] || cp "$f" "$d/modprobe.d/"
	done
	cp "$REPO/packaging/modprobe.d/hyperv-lis.conf" "$d/modprobe.d/"
	printf '%s\n' "options hv_simhost devices=scsi scsi_backing=$ROOT_SERIAL" \
		"softdep virtio_scsi pre: hv_simhost" "softdep sd_mod pre: hv_simhost" \
		"softdep hv_vmbus pre: hv_simhost" >"$d/modprobe.d/hvlis-simhost.conf"
	cp "$DRACUT_DIR/root/etc/dracut.conf" "$d/conf/dracut.conf"
	printf '%s\n' "# test only: the simulated host in the image, and hv_vmbus loaded" \
		"# as the VMBus ACPI device's coldplug would (QEMU has none)" \
		'add_drivers+=" hv_simhost "' 'force_drivers+=" hv_vmbus "' \
		>"$d/conf/conf.d/zz-hvlis-test.conf"
	# shellcheck disable=SC2016 # expanded by that sh
	if ! in_namespace "$k" 'mount --bind "$3" "/lib/modules/$1"
		mount --bind "$4/base" /usr/lib/dracut
		mount --bind "$4/hyperv-lis" /usr/lib/hyperv-lis
		mount --bind "$4/modprobe.d" /usr/lib/modprobe.d
		"$5/usr/bin/dracut" -c "$4/conf/dracut.conf" --confdir "$4/conf/conf.d" \
			--no-hostonly --force --kver "$1" "$6"
		"$5/usr/bin/lsinitrd" "$6" >"$4/initrd.list"' \
		"$dir/root/lib/modules/$k" "$d" "$DRACUT_DIR/root" "$initrd" >"$dir/dracut.log" 2>&1; then
		report FAIL "$name" "dracut failed (log: $dir/dracut.log)"
		return 1
	fi
	cp "$d/initrd.list" "$dir/initrd-dracut.list"
	if ! grep -q "updates/hyperv-lis-test/hv_vmbus.ko" "$dir/initrd-dracut.list" ||
		! grep -q "updates/hyperv-lis-test/hv_storvsc.ko" "$dir/initrd-dracut.list" ||
		! grep -q "usr/lib/hyperv-lis/hyperv-lis-dependant-guard" "$dir/initrd-dracut.list" ||
		! grep -q "usr/lib/modprobe.d/hyperv-lis.conf" "$dir/initrd-dracut.list"; then
		report FAIL "$name" "the dracut module did not put our hv_vmbus/hv_storvsc and guard in the initrd (list: $dir/initrd-dracut.list)"
		return 1
	fi
}

# srcversion_of NAME: srcversion of our NAME.ko built for this run.
srcversion_of() {
	modinfo -F srcversion "$(printf '%s\n' "${OUR_KOS[@]}" | grep "/$1\.ko$")"
}

# boot_initrd K DIR INITRD NAME TAG: boot it --repeat times; checks.
boot_initrd() {
	local k=$1 dir=$2 initrd=$3 name=$4 tag=$5 log t0 i line up path mods=''
	local ups=() cmdline extra='' oops attempt
	[ "$root_mode" = virtio ] && extra=" hv_simhost.scsi_backing=NONE"
	# no_timer_check: TCG on a loaded host fails the IO-APIC timer check
	# ("IO-APIC + timer doesn't work!" panic before anything of ours runs)
	cmdline="root=UUID=$UUID ro console=ttyS0 panic=-1 quiet loglevel=4 no_timer_check$extra"
	for i in $(seq 1 "$repeat"); do
		log=$dir/serial-$root_mode$tag-$i.log
		t0=$(now)
		for attempt in 1 2; do
			timeout -k 5 300 "$QEMU" -machine pc -accel tcg -m 1024 -smp 2 \
				-display none -monitor none -no-reboot -nic none \
				-kernel "$(vm_kernel_image "$kdir")" -initrd "$initrd" -append "$cmdline" \
				-device virtio-scsi-pci,id=vs0 \
				-drive "if=none,id=r,file=$dir/root.img,format=raw" \
				-device "scsi-hd,bus=vs0.0,drive=r,serial=$ROOT_SERIAL" \
				-serial "file:$log" </dev/null >"$dir/qemu.out" 2>&1
			grep -a -q '^HVLIS-ROOT-INIT ' "$log" && break
			# Once only, and only when the oops's module list shows
			# that none of our modules (nor the simulated host) was
			# loaded yet: a death inside our code always fails.
			oops=$(oops_summary "$log")
			if [ "$attempt" != 1 ] || ! oops_before_ours "$oops"; then
				break
			fi
			cp "$log" "$log.died"
			echo "# $k $root_mode$tag boot $i: the kernel died before any module of ours was loaded [$oops]; booting again (log: $log.died)"
			t0=$(now)
		done
		if grep -a -q 'Initramfs unpacking failed' "$log"; then
			report FAIL "$name" \
				"$(grep -a -m1 'Initramfs unpacking failed' "$log" | tr -d '\r') (log: $log)"
			return
		fi
		line=$(grep -a -m1 '^HVLIS-ROOT-INIT ' "$log" | tr -d '\r')
		if [ -z "$line" ]; then
			oops=$(oops_summary "$log")
			report FAIL "$name" "/sbin/init on the root disk never ran" \
				"($(grep -a -m1 -iE 'panic|gave up|ALERT|not exist' "$log" | tr -d '\r'))" \
				"${oops:+[$oops] }(log: $log)"
			return
		fi
		up=$(sed -n 's/.* uptime=\([0-9.]*\) .*/\1/p' <<<"$line")
		path=$(sed -n 's/.* path=\(.*\)$/\1/p' <<<"$line")
		ups+=("$up")
		grep -a -q "^HVLIS-ROOT-CMDLINE .*root=UUID=$UUID" "$log" ||
			{ report FAIL "$name" "not booted with root=UUID"; return; }
		grep -a -q '^HVLIS-ROOT-END' "$log" ||
			{ report FAIL "$name" "the root's /sbin/init output was cut off before HVLIS-ROOT-END (log: $log)"; return; }
		case $root_mode:$path in
		synthetic:*/$SCSI_GUID/*) ;;
		virtio:*/virtio*) ;;
		*) report FAIL "$name" "root is $path"; return ;;
		esac
		# the hv_vmbus and hv_storvsc loaded are the ones built here (a
		# given initrd: ours, built elsewhere, maybe of another version)
		if [ "$root_mode" = synthetic ]; then
			mods=$(grep -a -m1 '^HVLIS-ROOT-MODS ' "$log" | tr -d '\r')
			if [ -n "$initrd_in" ]; then
				[[ $mods =~ ^HVLIS-ROOT-MODS\ hv_vmbus=[0-9A-F]+\ hv_storvsc=[0-9A-F]+$ ]]
			else
				[ "$mods" = "HVLIS-ROOT-MODS hv_vmbus=$(srcversion_of hv_vmbus) hv_storvsc=$(srcversion_of hv_storvsc)" ]
			fi || { report FAIL "$name" "loaded modules are not ours: '${mods#HVLIS-ROOT-MODS }'"; return; }
		fi
		echo "# $k $root_mode$tag boot $i: init at ${up}s, $(since "$t0") s wall"
	done
	echo "boot-time $k $root_mode${tag:+ (${tag#-})}: $(printf '%s\n' "${ups[@]}" | sort -n |
		awk '{ a[NR] = $1 } END { print "median " a[int((NR + 1) / 2)] " s of " NR }')"
	report PASS "$name" "init at ${ups[0]} s from ${path#/sys}${mods:+, our hv_vmbus and hv_storvsc loaded}"
}

run_kernel() {
	local k=$1 dir kdir g name tag initrd pad
	dir=$BUILD/vm/boot/$k
	mkdir -p "$dir"
	build_ours "$k" "$dir/build.log" || return
	build_simhost "$k" "$dir/simhost.log" || return
	printf '%s\n' "${OUR_KOS[@]}" | grep -q '/hv_storvsc\.ko$' ||
		{ report FAIL "$k/boot-$root_mode-root" "hv_storvsc was not built"; return; }
	kdir=$("$REPO/scripts/vm-kernel.sh" "$k" 2>"$dir/vm-kernel.log") ||
		{ report FAIL "$k/boot-$root_mode-root" "vm-kernel.sh failed"; return; }
	make_rootfs "$dir/root.img" ||
		{ report FAIL "$k/boot-$root_mode-root" "mkfs.ext4 -d failed"; return; }

	for g in $gens; do
		tag='' initrd=$dir/initrd.img
		[ "$g" = dracut ] && tag=-dracut initrd=$dir/initrd-dracut.img
		name=$k/boot-$root_mode-root$tag
		case $g in
		given)
			overlay_cpio "$k" "$initrd_in" "$dir/overlay.cpio" ||
				{ report FAIL "$name" "cannot add hv_simhost to $initrd_in"; continue; }
			# The kernel looks for an appended archive at a 4-byte
			# boundary only ("invalid magic at start of compressed
			# archive" otherwise).
			pad=$(((4 - $(stat -c %s "$initrd_in") % 4) % 4))
			{ cat "$initrd_in"; head -c "$pad" /dev/zero; cat "$dir/overlay.cpio"; } >"$initrd" ;;
		initramfs-tools) initrd_itools "$k" "$dir" "$initrd" "$name" || continue ;;
		dracut) initrd_dracut "$k" "$dir" "$initrd" "$name" || continue ;;
		esac
		boot_initrd "$k" "$dir" "$initrd" "$name" "$tag"
	done
	[ "$keep" = 1 ] || rm -rf "$dir/root" "$dir/dracut"
}

# Kernels side by side (as tests/vm/run.sh boots: HVLIS_VM_JOBS, else two
# with two CPUs), but one at a time for --repeat, whose boot times are
# measurements.  Each kernel's lines are printed when it is done and counted
# from its output.
jobs=${HVLIS_VM_JOBS:-$(($(nproc) >= 2 ? 2 : 1))}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "HVLIS_VM_JOBS: bad value '$jobs'"
[ "$repeat" -eq 1 ] || jobs=1
if [ "$jobs" -eq 1 ]; then
	for k in $kernels; do
		run_kernel "$k"
	done
	finish
fi
case " $gens " in *" dracut "*) get_dracut || true ;; esac
outs=$(mktemp -d)
declare -A kpid=()
for k in $kernels; do
	while [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do
		wait -n || true
	done
	run_kernel "$k" >"$outs/$k.out" 2>&1 &
	kpid[$k]=$!
done
for k in $kernels; do
	# a kernel whose run died (die) counts as failed, as it would
	# sequentially, where the whole run ends without a result line
	rc=0
	wait "${kpid[$k]}" || rc=$?
	[ "$rc" -eq 0 ] || grep -q '^FAIL ' "$outs/$k.out" ||
		echo "FAIL $k/boot: the run of this kernel ended with exit $rc" >>"$outs/$k.out"
done
for k in $kernels; do
	cat "$outs/$k.out"
	pass=$((pass + $(grep -c '^PASS ' "$outs/$k.out")))
	fail=$((fail + $(grep -c '^FAIL ' "$outs/$k.out")))
	skip=$((skip + $(grep -c '^SKIP ' "$outs/$k.out")))
done
rm -rf "$outs"
finish
