# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # variables for the scripts sourcing this
#
# Host side of the VM tests: make the initramfs of one boot, boot it in QEMU
# under a hard time limit and wait for it.
# Needs common.sh and cases.sh.

BOOT_MARGIN=${HVLIS_VM_BOOT_MARGIN:-240}	# s for boot + shutdown (TCG under load)

# vm_cmdline KVER [EXTRA]: the kernel command line of a test VM;
# hvlis.profile=$HVLIS_PROFILE when that is set (the guest's /init makes it
# hv_simhost's default profile).  no_timer_check: TCG on a loaded host
# fails the IO-APIC timer check (a panic before /init).
vm_cmdline() {
	echo "console=ttyS0 panic=-1 printk.devkmsg=on log_buf_len=4M no_timer_check" \
		"slab_nomerge hvlis.kver=$1${HVLIS_PROFILE:+ hvlis.profile=$HVLIS_PROFILE}${2:+ $2}"
}

# prepare_boot KVER DIR CASEFILE...: write DIR/plan, DIR/expect,
# DIR/hostcheck ("CASE<TAB>CMD", paths filled in) and DIR/initrd.cpio.gz (with the modules in OUR_KOS); sets BOOT_QEMU_ARGS
# (array), BOOT_APPEND, BOOT_LIMIT (host time limit, s), BOOT_MONITOR (1: a
# case asks for monitor commands) and BOOT_CASES.
prepare_boot() {
	local k=$1 dir=$2 f m r d name args=() modules='' optmodules='' bins=''
	local disks='' files=''
	local qemu='' total=0
	shift 2
	mkdir -p "$dir"
	: >"$dir/plan"
	: >"$dir/expect"
	: >"$dir/hostcheck"
	BOOT_CASES=()
	BOOT_APPEND=''
	BOOT_MONITOR=0
	for f in "$@"; do
		parse_case "$f" || return 1
		BOOT_CASES+=("$C_NAME")
		modules+=$C_MODULES optmodules+=$C_OPTMODULES bins+=$C_BINS disks+=$C_DISKS qemu+=$C_QEMU
		files+=$C_FILES
		BOOT_APPEND+=$C_APPEND
		[ "$C_MONITOR" = 0 ] || BOOT_MONITOR=1
		echo "$C_NAME $C_TIMEOUT /hvlis/cases/$C_NAME.sh" >>"$dir/plan"
		while IFS= read -r r; do
			[ -z "$r" ] || printf '%s\t%s\n' "$C_NAME" "$r" >>"$dir/expect"
		done <<<"$C_EXPECT"
		while IFS= read -r r; do
			[ -z "$r" ] || printf '%s\t%s\n' "$C_NAME" "$r" >>"$dir/hostcheck"
		done <<<"$C_HOSTCHECK"
		total=$((total + C_TIMEOUT + 15))
		args+=(--case "$f")
	done
	for f in "${OUR_KOS[@]}"; do args+=(--ko "$f"); done
	for m in $(tr ' ' '\n' <<<"$modules" | sort -u); do args+=(--module "$m"); done
	for m in $(tr ' ' '\n' <<<"$optmodules" | sort -u); do
		args+=(--module-if-present "$m")
	done
	for m in $(tr ' ' '\n' <<<"$bins" | sort -u); do args+=(--bin "$m"); done
	for m in $files; do
		case $m in
		/*) args+=(--file "$m") ;;
		*) args+=(--file "$REPO/$m") ;;
		esac
	done
	"$REPO/scripts/vm-initramfs.sh" --kver "$k" --out "$dir/initrd.cpio.gz" \
		--plan "$dir/plan" "${args[@]}" >"$dir/initramfs.log" 2>&1 || {
		C_ERR="initramfs: $(grep -m1 error: "$dir/initramfs.log" ||
			tail -n1 "$dir/initramfs.log")"
		return 1
	}
	for d in $disks; do
		name=${d%%:*}
		rm -f "$dir/$name.img"
		truncate -s "${d#*:}" "$dir/$name.img"
		qemu=${qemu//\{disk:$name\}/$dir/$name.img}
		sed -i "s|{disk:$name}|$dir/$name.img|g" "$dir/hostcheck"
	done
	sed -i "s|{serial}|$dir/serial.log|g" "$dir/hostcheck"
	read -ra BOOT_QEMU_ARGS <<<"$qemu"
	BOOT_LIMIT=$((BOOT_MARGIN + total))
}

# boot_vm KVER DIR: boot DIR/initrd.cpio.gz; sets BOOT_RC (QEMU's status, 124
# when the time limit killed it), BOOT_FIRST (s to the first case, '' if
# none) and BOOT_TIME (s).  A kernel that died before the first case with
# none of our modules (nor the simulated host) loaded, by its oops's module
# list, is booted once more (a TCG hiccup; the dead log is kept): a death
# with any of them loaded is the boot's result.
boot_vm() {
	local oops
	boot_vm_once "$@"
	[ -z "$BOOT_FIRST" ] || return 0
	oops=$(oops_summary "$2/serial.log")
	oops_before_ours "$oops" || return 0
	cp "$2/serial.log" "$2/serial.log.died"
	echo "# $1: the kernel died before any module of ours was loaded [$oops]; booting again (log: $2/serial.log.died)"
	boot_vm_once "$@"
}

# The guest's monitor requests (vm: monitor): a line "VMTEST-MONITOR CMD"
# on the harness channel runs CMD in QEMU's human monitor, if it is one of
# the commands a case may need (device_del ID, device_add ARGS); request
# and answer go to DIR/monitor.log.  The guest sees no reply: it waits for
# the effect (a PCI device gone or back).  MON_DONE: requests handled.
MONITOR_ALLOWED='^(device_del|device_add) [A-Za-z0-9_.,=:-]+$'
monitor_serve() {
	local dir=$1 sock=$2 f=$1/hvlis.log n cmd out
	n=$(grep -c '^VMTEST-MONITOR ' "$f" 2>/dev/null) || return 0
	# a request line the guest is still writing waits for the next poll
	if [ -n "$(tail -c 1 "$f")" ] && tail -n 1 "$f" | grep -q '^VMTEST-MONITOR '; then
		n=$((n - 1))
	fi
	[ "$n" -gt "$MON_DONE" ] || return 0
	while IFS= read -r cmd; do
		cmd=${cmd#VMTEST-MONITOR }
		if ! [[ $cmd =~ $MONITOR_ALLOWED ]]; then
			echo "refused (not $MONITOR_ALLOWED): $cmd" >>"$dir/monitor.log"
			continue
		fi
		if out=$(python3 "$REPO/tests/vm/lib/hmp.py" "$sock" "$cmd" 2>&1); then
			echo "ok: $cmd${out:+: $out}" >>"$dir/monitor.log"
		else
			echo "failed: $cmd: $out" >>"$dir/monitor.log"
		fi
	done < <(grep '^VMTEST-MONITOR ' "$f" | sed -n "$((MON_DONE + 1)),${n}p")
	MON_DONE=$n
}

boot_vm_once() {
	local k=$1 dir=$2 t0 qpid cmd mon=() sock=''
	if [ "$BOOT_MONITOR" = 1 ]; then
		# a short path: a unix socket's name has 107 bytes at most
		sock=$(mktemp -u /tmp/hvlis-mon.XXXXXX)
		# shellcheck disable=SC2054 # QEMU's own commas
		mon=(-chardev "socket,id=hvmon,path=$sock,server=on,wait=off"
			-mon chardev=hvmon,mode=readline)
	else
		mon=(-monitor none)
	fi
	MON_DONE=0
	rm -f "$dir/monitor.log"
	cmd=(timeout -k 5 "$BOOT_LIMIT" "$QEMU" -machine pc -accel tcg -m 1024
		-smp 2 -display none "${mon[@]}" -no-reboot -nic none
		-kernel "$(vm_kernel_image "$VM_BUILD/kernels/$k")" -initrd "$dir/initrd.cpio.gz"
		-append "$(vm_cmdline "$k" "${BOOT_APPEND# }")"
		-serial "file:$dir/serial.log" -serial "file:$dir/hvlis.log"
		"${BOOT_QEMU_ARGS[@]}")
	printf '%q ' "${cmd[@]}" >"$dir/qemu.cmd"
	echo >>"$dir/qemu.cmd"
	rm -f "$dir/serial.log" "$dir/hvlis.log"
	t0=$(now)
	"${cmd[@]}" </dev/null >"$dir/qemu.out" 2>&1 &
	qpid=$!
	BOOT_FIRST=''
	while kill -0 "$qpid" 2>/dev/null; do
		if [ -z "$BOOT_FIRST" ] &&
		   grep -q '^VMTEST-BEGIN' "$dir/hvlis.log" 2>/dev/null; then
			BOOT_FIRST=$(since "$t0")
		fi
		[ -z "$sock" ] || monitor_serve "$dir" "$sock"
		sleep 0.2
	done
	[ -z "$sock" ] || rm -f "$sock"
	BOOT_RC=0
	wait "$qpid" || BOOT_RC=$?
	BOOT_TIME=$(since "$t0")
	if [ -z "$BOOT_FIRST" ] && grep -q '^VMTEST-BEGIN' "$dir/hvlis.log" 2>/dev/null; then
		BOOT_FIRST=$BOOT_TIME
	fi
}
