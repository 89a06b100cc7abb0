#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# demo.sh (make demo): build hyperv-lis for one installed Debian kernel, boot
# that kernel in QEMU with the simulated Hyper-V host and our drivers, and
# show what a user sees on Hyper-V. HVLIS_DEMO_KVER=<kver> picks the kernel,
# HVLIS_DEMO_SIMHOST='P=V;P=V' sets parameters of the simulated host (default:
# its own defaults, e.g. devices=... to offer scsi,nic once they have a VSP).

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tests/vm/lib/common.sh
. "$REPO/tests/vm/lib/common.sh"
# shellcheck source=tests/vm/lib/build.sh
. "$REPO/tests/vm/lib/build.sh"
# shellcheck source=tests/vm/lib/cases.sh
. "$REPO/tests/vm/lib/cases.sh"
# shellcheck source=tests/vm/lib/boot.sh
. "$REPO/tests/vm/lib/boot.sh"
# shellcheck source=tests/vm/lib/verdict.sh
. "$REPO/tests/vm/lib/verdict.sh"

STEPS=5
step=0
t_all=$(now)
t_step=$t_all
step() {
	[ "$step" = 0 ] || echo "      done in $(since "$t_step") s"
	step=$((step + 1))
	t_step=$(now)
	echo "[$step/$STEPS] $*"
}
fail() { echo "demo: FAILED: $*" >&2; exit 1; }
# report STATUS NAME [REASON]: what the build helpers say.
report() {
	local st=$1 name=$2
	shift 2
	[ -z "${RESULTS:-}" ] || echo "$st $name" >>"$RESULTS"
	case $st in
	FAIL) echo "      $name failed: $*" ;;
	SKIP) echo "      $name: $*" ;;
	*) echo "      $name: ok${*:+, $*}" ;;
	esac
}

# --- 1. dependencies -------------------------------------------------------
step "checking dependencies"
# command -> Debian package
declare -A PKG=(
	[qemu-system-x86_64]=qemu-system-x86 [busybox]=busybox-static [cpio]=cpio
	[kmod]=kmod [make]=make [gcc]=gcc [xz]=xz-utils [zstd]=zstd
	[readelf]=binutils [apt-get]=apt [dpkg-deb]=dpkg
)
missing=()
for c in "${!PKG[@]}"; do
	command -v "$c" >/dev/null || missing+=("${PKG[$c]}")
done
if command -v busybox >/dev/null && ldd "$(command -v busybox)" >/dev/null 2>&1; then
	missing+=(busybox-static)	# the dynamic busybox cannot run in the VM
fi
if [ ${#missing[@]} -gt 0 ]; then
	line="apt-get install -y ${missing[*]}"
	if [ "$(id -u)" != 0 ]; then
		echo "      missing: ${missing[*]}; as root run:"
		echo "      $line"
		exit 1
	fi
	if [ -f "$REPO/scripts/install-deps.sh" ]; then
		echo "      missing: ${missing[*]}: running scripts/install-deps.sh"
		bash "$REPO/scripts/install-deps.sh"
	else
		echo "      missing: ${missing[*]}: $line"
		# shellcheck disable=SC2086 # one word per package
		DEBIAN_FRONTEND=noninteractive $line
	fi
fi
kver=${HVLIS_DEMO_KVER:-$(pick_kernel 2>/dev/null)}
[ -n "$kver" ] || fail "no Debian kernel with headers here; as root run:" \
	"apt-get install -y linux-headers-amd64"
echo "      kernel: $kver"

# --- 2. modules ------------------------------------------------------------
step "building modules for $kver"
logs=$VM_BUILD/demo
rm -rf "$logs"
mkdir -p "$logs"
[ -f "$BUILD_MODULES" ] || fail "${BUILD_MODULES#"$REPO"/} is missing"
OUR_KOS=()
build_ours "$kver" "$logs/build.log" || fail "module build failed (log: $logs/build.log)"
build_simhost "$kver" "$logs/simhost.log" ||
	fail "simulated host build failed (log: $logs/simhost.log)"
names=" ${OUR_KOS[*]##*/} "
for m in hv_vmbus hv_simhost; do
	[[ $names == *" $m.ko "* ]] || fail "$m.ko was not built"
done
echo "      modules:$names"

# --- 3. kernel ---------------------------------------------------------------
step "preparing kernel $kver (Debian's image package, uncompressed vmlinux)"
"$REPO/scripts/vm-kernel.sh" "$kver" >"$logs/kernel.log" 2>&1 ||
	fail "scripts/vm-kernel.sh $kver: $(tail -n1 "$logs/kernel.log")"
sed -n 's/^\(deb\|sha256\)=/      \1: /p' "$VM_BUILD/kernels/$kver/info"

# --- 4. VM image -------------------------------------------------------------
step "building the VM image (busybox initramfs with our modules)"
dir=$logs/vm
prepare_boot "$kver" "$dir" "$REPO/tests/vm/demo/demo.sh" || fail "$C_ERR"
# e.g. HVLIS_DEMO_SIMHOST='devices=shutdown,timesync,heartbeat,kvp,vss,scsi,nic'
[ -z "${HVLIS_DEMO_SIMHOST:-}" ] || BOOT_APPEND+=" hvlis.simhost=$HVLIS_DEMO_SIMHOST"
echo "      $(tail -n1 "$dir/initramfs.log" | sed 's/^vm-initramfs: //')"

# --- 5. boot -----------------------------------------------------------------
step "booting $kver in QEMU (software emulation, no KVM)"
boot_vm "$kver" "$dir"
echo "      done in $(since "$t_step") s (first output after ${BOOT_FIRST:-?} s)"
echo
sed -n '/^VMTEST-DEMO-BEGIN/,/^VMTEST-DEMO-END/{/^VMTEST-DEMO-/d;p}' \
	"$dir/hvlis.log" | tr -d '\r' | sed '/./s/^/    /'
echo

RESULTS=$logs/results
: >"$RESULTS"
boot_verdict "$kver" demo "$dir" | sed 's/^ */    /'
if grep -q '^FAIL' "$RESULTS"; then
	echo "demo: FAILED after $(since "$t_all") s (serial log: $dir/serial.log)" >&2
	exit 1
fi
echo "demo: OK in $(since "$t_all") s (serial log: $dir/serial.log)"
