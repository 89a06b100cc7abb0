# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # variables for the scripts sourcing this
#
# Host side of the VM tests: paths, messages, time, which kernels to test.
# Sourced by tests/vm/run.sh and scripts/demo.sh.

VM_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$VM_LIB/../../.." && pwd)
# Where build-modules.sh leaves build/<kver>/src/... (and we put the simhost).
BUILD=${HVLIS_BUILD_DIR:-$REPO/build}
VM_BUILD=$REPO/build/vm
GUEST_DIR=$REPO/tests/vm/guest
CASES_DIR=${HVLIS_VM_CASES_DIR:-$REPO/tests/vm/cases}
BUILD_MODULES=${HVLIS_BUILD_MODULES:-$REPO/scripts/build-modules.sh}
QEMU=${HVLIS_QEMU:-qemu-system-x86_64}

now() { date +%s.%N; }
# since T0: seconds from T0 to now, one decimal.
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

warn() { echo "vm: $*" >&2; }
die() { echo "vm: error: $*" >&2; exit 1; }

# shellcheck source=scripts/kernels.sh
. "$REPO/scripts/kernels.sh"

# has_image_pkg KVER: Debian has (or we cached) the image package of KVER,
# or scripts/build-debug-kernel.sh built it here, or scripts/install-kernel.sh
# downloaded it from another release (bullseye).
has_image_pkg() {
	[ -e "$VM_BUILD/kernels/$1/.ready" ] && return 0
	[ -e "$(debug_kernel_cache)/$1/.ready" ] && return 0
	local p f
	for f in "$(foreign_kernel_cache)"/*/debs/"linux-image-$1"_*.deb; do
		[ -e "$f" ] && return 0
	done
	for p in "linux-image-$1" "linux-image-$1-unsigned"; do
		[ -n "$(apt-cache show --no-all-versions "$p" 2>/dev/null)" ] &&
			return 0
	done
	return 1
}

# default_kernels: the kernels to test when --kernels is not given:
# $HVLIS_KERNELS (`make check-vm KERNELS=...`: releases and the aliases ci,
# rt, debug, old, bullseye, all of scripts/kernels.sh), else the CI kernels - never simply
# whatever is installed, so an extra kernel does not lengthen CI.
default_kernels() {
	local words k
	read -ra words <<<"${HVLIS_KERNELS:-ci}"
	[ ${#words[@]} -gt 0 ] || words=(ci)
	resolve_kernels "${words[@]}" | while read -r k; do
		if has_image_pkg "$k"; then
			echo "$k"
		else
			warn "$k: neither a Debian image package nor a local build, not tested"
		fi
	done
}

# pick_kernel: the one kernel the demo uses (newest installed 6.12 first).
pick_kernel() {
	local ks
	ks=$(default_kernels)
	grep -m1 '^6\.12\.' <<<"$ks" || tail -n1 <<<"$ks"
}

# Kernel log lines that fail a boot: the guest library's list, kept there.
bad_log_regex() {
	sed -n "s/^HVLIS_BAD='\(.*\)'\$/\1/p" "$GUEST_DIR/lib.sh"
}

# oops_summary LOG: one line on the first oops in a serial log (what, where,
# the call chain without '?' guesses, all the modules loaded: the retry
# decision reads them), so a failure
# reported from a machine whose files we never see still names its cause.
oops_summary() {
	tr -d '\r' <"$1" 2>/dev/null | sed 's/^\[ *[0-9.]*\] //' | awk '
	!what && /^(BUG: |Oops|general protection fault|kernel BUG at|Unable to handle)/ {
		what = $0; next
	}
	!what { next }
	!rip && /^RIP: / { rip = $2; sub(/^[0-9a-f]+:/, "", rip); if ($3 ~ /^\[/) rip = rip " " $3; next }
	!hasmods && /^Modules linked in:/ { hasmods = 1; mods = substr($0, 20); next }
	!comm && / Comm: / { comm = $0; sub(/.* Comm: /, "", comm); sub(/ .*/, "", comm); next }
	/^Call Trace:/ { intrace = 1; next }
	intrace && /^ *<\/?(IRQ|TASK|NMI|EOI|SOFTIRQ)>/ { next }
	intrace && /^ *\?/ { next }
	intrace && /^ +[a-zA-Z_.0-9]+\+0x/ {
		if (ncalls < 8) { s = $1; sub(/\/.*/, "", s); calls = calls (ncalls++ ? " < " : "") s }
		next
	}
	intrace { intrace = 0 }
	END {
		if (!what) exit
		printf "%s", what
		if (rip) printf "; RIP %s", rip
		if (comm) printf "; in %s", comm
		if (calls) printf "; calls %s", calls
		printf "; modules:%s\n", mods != "" ? mods : hasmods ? " (none)" : " (no list)"
	}'
}

# oops_before_ours SUMMARY: true if the oops (an oops_summary line) names
# the loaded modules and none is ours or the simulated host's, or says none
# was loaded: the kernel died before any code of this project ran.  Seen
# under TCG: "Oops: int3" in early boot on a just-patched static-key NOP
# (a vCPU ran the breakpoint of a text_poke_bp that had already finished).
oops_before_ours() {
	local mods=${1##*; modules:}
	[ -n "$1" ] && [ "$mods" != "$1" ] && [ "$mods" != " (no list)" ] &&
		! grep -qE '(^|[ ,])hv_(vmbus|storvsc|netvsc|utils|simhost)(\(|$| )' <<<"$mods"
}

# vm_kernel_image KDIR: what QEMU boots of a scripts/vm-kernel.sh directory:
# the vmlinux (PVH entry), else the bzImage of a kernel without PVH
vm_kernel_image() {
	if [ -e "$1/vmlinux" ]; then echo "$1/vmlinux"; else echo "$1/bzImage"; fi
}
