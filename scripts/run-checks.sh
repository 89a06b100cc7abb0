#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run-checks.sh SUITE... - run test suites and sum their results.
# Each suite prints its own cases and ends with "N passed, N failed"; this
# script prints the total as its last line and fails if any suite failed
# (a suite that dies without a count line counts as one failure).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

run_suite() {
	case $1 in
	static)		scripts/check-static.sh ;;
	unit)		make -s -C tests/unit check ;;
	vm)		tests/vm/run.sh ;;
	boot)		tests/vm/boot/run.sh ;;
	packaging)	tests/packaging/run.sh ;;
	*)		echo "unknown suite $1" >&2; return 2 ;;
	esac
}

mkdir -p build/results
tp=0 tf=0 ts=0 rc=0
for suite in "$@"; do
	log=build/results/$suite.log
	echo "===== $suite ====="
	start=$(date +%s)
	run_suite "$suite" 2>&1 | tee "$log"
	src=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "suite $suite: no result line (exit $src)"
		p=0 f=1 s=0
	else
		p=$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
		s=0
		[[ $line == *skipped* ]] && s=$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")
		if [ "$src" -ne 0 ] && [ "$f" -eq 0 ]; then
			echo "suite $suite: exit $src with no failed case: counting one failure"
			f=1
		fi
	fi
	echo "suite $suite: $p passed, $f failed, $s skipped (${secs}s)"
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
	[ "$f" -ne 0 ] && rc=1
done
echo "$tp passed, $tf failed, $ts skipped"
exit $rc
