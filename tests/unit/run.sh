#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh [all|unit|fuzz] - run the unit tests and/or the fuzz smoke runs,
# one line per named case, ending with "N passed, N failed[, N skipped]".
# Called by "make check" / "make unit" / "make fuzz-smoke" after building.
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-all}
FUZZ_CC=${FUZZ_CC:-clang-14}
FUZZ_RUNS=${FUZZ_RUNS:-20000}
FUZZERS=$(make -s --no-print-directory print-fuzzers)
passed=0 failed=0 skipped=0

pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "SKIP $*"; skipped=$((skipped + 1)); }

run_unit() {
	local line status=missing seen=0
	if [ ! -x build/unit_tests ]; then
		fail "unit_tests: not built"
		return
	fi
	while IFS= read -r line; do
		case $line in
		"PASS "*) echo "$line"; passed=$((passed + 1)); seen=1 ;;
		"FAIL "*) echo "$line"; failed=$((failed + 1)); seen=1 ;;
		"exit-status "*) status=${line#exit-status } ;;
		*) echo "  $line" ;;
		esac
	done < <(build/unit_tests 2>&1; echo "exit-status $?")
	# a crash (sanitizer report, signal) after or instead of the cases
	if [ "$status" != 0 ] && { [ $seen = 0 ] || [ "$failed" = 0 ]; }; then
		fail "unit_tests: exited with status $status"
	fi
}

run_fuzz() {
	local f tmp start secs log
	if ! command -v "$FUZZ_CC" >/dev/null; then
		for f in $FUZZERS; do
			skip "fuzz/$f: $FUZZ_CC not installed (scripts/install-deps.sh)"
		done
		return
	fi
	log=$(mktemp)
	if ! make -s build-fuzz FUZZ_CC="$FUZZ_CC" >"$log" 2>&1; then
		cat "$log"
		for f in $FUZZERS; do
			fail "fuzz/$f: build failed"
		done
		rm -f "$log"
		return
	fi
	for f in $FUZZERS; do
		# new inputs go to a scratch dir, never into the committed corpus
		tmp=$(mktemp -d)
		start=$(date +%s)
		if timeout 120 "build/$f" -runs="$FUZZ_RUNS" -seed=1 \
			-print_final_stats=1 "$tmp" "corpus/$f" >"$log" 2>&1; then
			secs=$(($(date +%s) - start))
			pass "fuzz/$f ($(sed -n 's/^stat::number_of_executed_units: *//p' \
				"$log") execs, ${secs}s)"
		else
			grep -E 'ERROR|SUMMARY|#0|#1 |#2 |#3 ' "$log" | head -20 || true
			fail "fuzz/$f: crashed or timed out (see above)"
		fi
		rm -rf "$tmp"
	done
	rm -f "$log"
}

case $mode in
all) run_unit; run_fuzz ;;
unit) run_unit ;;
fuzz) run_fuzz ;;
*) echo "usage: $0 [all|unit|fuzz]" >&2; exit 2 ;;
esac

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
