# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # variables for the scripts sourcing this
#
# Host side of the VM tests: build our modules and the simulated host for one
# kernel, and list the .ko files that go into its VMs.
# Needs common.sh and a report() function (STATUS NAME [REASON]).

# collect_kos DIR: the modules a kbuild run in DIR made, one path a line
# (its modules.order when there is one: no stale .ko of removed modules).
collect_kos() {
	local dir=$1 line ko
	if [ -f "$dir/modules.order" ]; then
		while read -r line; do
			line=${line#kernel/}
			ko=${line%.o}
			ko=${ko%.ko}.ko
			case $ko in
			/*) ;;
			*) ko=$dir/$ko ;;
			esac
			[ -f "$ko" ] && echo "$ko"
		done <"$dir/modules.order"
	else
		find "$dir" -name '*.ko' | sort
	fi
}

# first_error LOG: the line of a build log that says best what went wrong.
first_error() {
	grep -v '^make' "$1" | grep -m1 -iE 'error|cannot|undefined|Stop\.' ||
		grep -m1 -E 'Error|ERROR|\*\*\*' "$1" || tail -n1 "$1"
}

# build_ours KVER LOG: run build-modules.sh; sets OUR_KOS (array of paths).
build_ours() {
	local k=$1 log=$2
	OUR_KOS=()
	if [ ! -f "$BUILD_MODULES" ]; then
		report SKIP "$k/build" "${BUILD_MODULES#"$REPO"/} is not there yet:" \
			"no modules of ours in the VM"
		return 0
	fi
	if ! bash "$BUILD_MODULES" --kver "$k" >"$log" 2>&1; then
		report FAIL "$k/build" "build-modules.sh --kver $k failed:" \
			"$(first_error "$log") (log: $log)"
		return 1
	fi
	mapfile -t OUR_KOS < <(collect_kos "$BUILD/$k/src")
	report PASS "$k/build" "${#OUR_KOS[@]} modules"
}

# sync_tree SRC DST: copy the files of SRC that differ into DST (leaves the
# build products in DST alone, so kbuild rebuilds only what changed).
sync_tree() {
	local src=$1 dst=$2 f
	mkdir -p "$dst"
	(cd "$src" && find . -type f ! -name '*.o' ! -name '*.ko' ! -name '*.mod' \
		! -name '*.mod.c' ! -name '.*.cmd' ! -name '*.a' \
		! -name modules.order ! -name Module.symvers) |
	while read -r f; do
		if ! cmp -s "$src/$f" "$dst/$f"; then
			mkdir -p "$(dirname "$dst/$f")"
			cp "$src/$f" "$dst/$f"
		fi
	done
}

# build_simhost KVER LOG: build tests/simhost when it has a Kbuild; appends
# its modules to OUR_KOS.
build_simhost() {
	local k=$1 log=$2 src=$REPO/tests/simhost dst=$BUILD/$1/simhost kos inc
	if [ ! -f "$src/Kbuild" ]; then
		report SKIP "$k/simhost-build" "tests/simhost has no Kbuild yet"
		return 0
	fi
	sync_tree "$src" "$dst"
	# The wire headers: those of the tree build-modules.sh copied, if any.
	inc=$BUILD/$k/src/include
	[ -d "$inc" ] || inc=$REPO/src/include
	# its own feature probes (tests/simhost/probes, simhost_compat.h)
	if ! HVLIS_PROBE_DIR="$src/probes" "$REPO/scripts/conftest.sh" \
		"/lib/modules/$k/build" "$dst/gen" >"$log" 2>&1; then
		report FAIL "$k/simhost-build" "probes: $(tail -n 1 "$log") (log: $log)"
		return 1
	fi
	if ! make -C "/lib/modules/$k/build" M="$dst" HVLIS_INCLUDE="$inc" -j2 \
		modules >>"$log" 2>&1; then
		report FAIL "$k/simhost-build" "$(first_error "$log") (log: $log)"
		return 1
	fi
	mapfile -t kos < <(collect_kos "$dst")
	OUR_KOS+=("${kos[@]}")
	report PASS "$k/simhost-build" "${#kos[@]} modules"
}

# build_testdrivers KVER LOGDIR: the test-only guest drivers (tests/echo,
# tests/bustest) against the hv_vmbus just built (its Module.symvers);
# appends to OUR_KOS.
build_testdrivers() {
	local k=$1 logdir=$2 name src dst kos log rc=0
	if [ ! -f "$BUILD/$k/src/Module.symvers" ]; then
		report SKIP "$k/testdrivers-build" "no hv_vmbus build to link against"
		return 0
	fi
	for name in echo bustest; do
		src=$REPO/tests/$name dst=$BUILD/$k/$name log=$logdir/$name.log
		[ -f "$src/Kbuild" ] || continue
		sync_tree "$src" "$dst"
		if ! make -C "/lib/modules/$k/build" M="$dst" HVLIS_SRC="$BUILD/$k/src" \
			KBUILD_EXTRA_SYMBOLS="$BUILD/$k/src/Module.symvers" -j2 \
			modules >"$log" 2>&1; then
			report FAIL "$k/$name-build" "$(first_error "$log") (log: $log)"
			rc=1
			continue
		fi
		mapfile -t kos < <(collect_kos "$dst")
		OUR_KOS+=("${kos[@]}")
		report PASS "$k/$name-build" "${#kos[@]} modules"
	done
	return $rc
}

# build_xdp_progs: the XDP programs of tests/vm/xdp (kernel-independent)
# into $VM_BUILD/xdp/xdp_MODE.o with clang -target bpf.  When they cannot
# be built, each .o is written as a text file "SKIP: why" instead: the
# cases that copy them in (files=) then SKIP with that reason, never pass.
build_xdp_progs() {
	local src=$REPO/tests/vm/xdp/xdp_test.c out=$VM_BUILD/xdp m n cc='' why=''
	local log=$out/build.log
	[ -f "$src" ] || return 0
	mkdir -p "$out"
	: >"$log"
	for n in clang clang-14; do
		command -v "$n" >/dev/null && { cc=$n; break; }
	done
	[ -n "$cc" ] || why="no clang on the host to build the XDP programs"
	for m in 1:pass 2:drop 3:tx 4:redirect 5:aborted; do
		n=$out/xdp_${m#*:}.o
		rm -f "$n"
		if [ -z "$why" ] && ! "$cc" -O2 -g -target bpf -DXDP_MODE="${m%%:*}" \
			-c "$src" -o "$n" >>"$log" 2>&1; then
			why="$cc -target bpf failed: $(grep -m1 error "$log")"
		fi
	done
	if [ -n "$why" ]; then
		for m in pass drop tx redirect aborted; do
			echo "SKIP: $why" >"$out/xdp_$m.o"
		done
		report SKIP xdp-progs-build "$why"
		return 0
	fi
	report PASS xdp-progs-build "5 programs ($cc)"
}
