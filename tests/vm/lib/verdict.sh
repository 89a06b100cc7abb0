# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # variables for the scripts sourcing this
#
# Host side of the VM tests: turn the logs of one boot into case results.
# Needs common.sh and a report() function (STATUS NAME [REASON]).

# kernel_log DIR: the guest's kernel log: the dmesg it printed at the end,
# else (it died) the kernel lines of the console.
kernel_log() {
	local dir=$1
	if grep -q '^VMTEST-DMESG-END' "$dir/channel.log"; then
		sed -n '/^VMTEST-DMESG-BEGIN/,/^VMTEST-DMESG-END/p' "$dir/channel.log"
	else
		tr -d '\r' <"$dir/serial.log" | grep -E '^\[ *[0-9]+\.[0-9]+\]'
	fi
}

# bad_log_lines DIR: "CASE<TAB>LINE" for every kernel log line matching
# bad_log_regex() that no expect-log= of the case it happened in allows.
# An allowed line also allows the rest of its report (up to "end trace").
bad_log_lines() {
	local dir=$1
	kernel_log "$dir" | awk -v bad="$(bad_log_regex)" -v expf="$dir/expect" '
	BEGIN {
		while ((getline l < expf) > 0) {
			i = index(l, "\t")
			c = substr(l, 1, i - 1)
			nre[c]++
			re[c, nre[c]] = substr(l, i + 1)
		}
		cur = "boot"
	}
	/hvlis: case [^ ]+ begin$/ { cur = $(NF - 1); allow = 0; next }
	/hvlis: case [^ ]+ end$/ { cur = "after " cur; allow = 0; next }
	allow > 0 {
		if ($0 ~ /---\[ end trace/)
			allow = 0
		else
			allow--
		next
	}
	$0 ~ bad {
		for (j = 1; j <= nre[cur]; j++)
			if ($0 ~ re[cur, j]) {
				allow = 200
				next
			}
		print cur "\t" $0
	}'
}

# host_checks DIR CASE: run the host-check= commands of CASE (DIR/hostcheck)
# now that QEMU has exited; false with the first failure in $why.
host_checks() {
	local c cmd out
	while IFS=$'\t' read -r c cmd; do
		[ "$c" = "$2" ] || continue
		out=$(bash -c "$cmd" 2>&1 </dev/null) && continue
		why="host check failed: $cmd: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
		return 1
	done <"$1/hostcheck"
}

# boot_verdict KVER BOOT DIR: report every case of BOOT_CASES and the boot's
# kernel-log pseudo-case (BOOT_RC, BOOT_FIRST, BOOT_LIMIT from boot_vm).
boot_verdict() {
	local k=$1 boot=$2 dir=$3 name line st why died='' last kl nbad oops
	tr -d '\r' <"$dir/hvlis.log" >"$dir/channel.log" 2>/dev/null || : >"$dir/channel.log"
	[ -f "$dir/serial.log" ] || : >"$dir/serial.log"
	if ! grep -q '^VMTEST-DONE' "$dir/channel.log"; then
		died=$(tr -d '\r' <"$dir/serial.log" |
			grep -m1 -oE 'Kernel panic - not syncing.*|Kernel Offset.*' || true)
		if [ "$BOOT_RC" = 124 ] || [ "$BOOT_RC" = 137 ]; then
			died="VM killed by the ${BOOT_LIMIT}s time limit${died:+ after $died}"
		elif [ -n "$died" ]; then
			died="guest died: $died"
			oops=$(oops_summary "$dir/serial.log")
			[ -z "$oops" ] || died+=" [$oops]"
		else
			died="VM ended (qemu status $BOOT_RC) before the run was over"
			died+=": $(tail -n1 "$dir/qemu.out" 2>/dev/null)"
		fi
		[ -n "$BOOT_FIRST" ] || died+=", before the first case"
	fi
	last=$(grep '^VMTEST-BEGIN ' "$dir/channel.log" | tail -n1 | cut -d' ' -f2)
	for name in "${BOOT_CASES[@]}"; do
		line=$(grep -m1 "^VMTEST $name " "$dir/channel.log" || true)
		if [ -n "$line" ]; then
			read -r _ _ st why <<<"$line"
			case $st in
			PASS|FAIL|SKIP) ;;
			*) st=FAIL why="bad result line: $line" ;;
			esac
		elif [ -n "$died" ] && [ "$name" = "$last" ]; then
			st=FAIL why="no result, $died"
		elif [ -n "$died" ]; then
			st=FAIL why="not run, $died"
		else
			st=FAIL why="no result line"
		fi
		[ "$st" != PASS ] || host_checks "$dir" "$name" || st=FAIL
		report "$st" "$k/$name" "$why"
		[ "$st" != FAIL ] || echo "    serial log: $dir/serial.log"
	done

	kl=$k/kernel-log
	[ "$boot" = shared ] || kl=$k/$boot/kernel-log
	bad_log_lines "$dir" >"$dir/kernel-log.bad"
	nbad=$(wc -l <"$dir/kernel-log.bad")
	if [ "$nbad" -gt 0 ]; then
		report FAIL "$kl" "$nbad bad lines, first in" \
			"$(head -n1 "$dir/kernel-log.bad" | sed 's/\t/: /')"
		echo "    serial log: $dir/serial.log (all: $dir/kernel-log.bad)"
	elif [ -n "$died" ]; then
		report FAIL "$kl" "$died"
		echo "    serial log: $dir/serial.log"
	else
		report PASS "$kl"
	fi
}
