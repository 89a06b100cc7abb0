# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # variables for the scripts sourcing this
#
# Host side of the VM tests: find the cases and read their header directives.
#
# A case is tests/vm/cases/NN-name.sh. Lines "# vm: ..." in it say what it
# needs (all may repeat; lists are separated by ',' or spaces):
#   own-boot                  a VM of its own (else: one shared boot per kernel)
#   modules=virtio_scsi,sd_mod  in-tree modules to put in the VM (with deps)
#   bins=/usr/sbin/mkfs.ext4  host programs to put in the VM (with their libs)
#   disk=NAME:SIZE            a scratch raw image (truncate SIZE), for qemu=
#   qemu=ARGS                 extra QEMU arguments, split on blanks;
#                             {disk:NAME} is the path of disk NAME
#   append=ARGS               extra kernel command line
#   files=SRC:/PATH           a file at /PATH in the VM: SRC relative is a
#                             file of the repository, absolute a file of the
#                             host (a distribution package's, e.g. a udev rule)
#   timeout=SECONDS           the case's time limit in the guest (default 60)
#   expect-log=REGEX          kernel log lines of this case matching REGEX (and
#                             the rest of their report, up to "end trace") do
#                             not fail the kernel-log check
#   monitor                   the guest may ask for QEMU monitor commands
#                             (device_del, device_add: guest lib.sh's
#                             qemu_monitor); implies own-boot
#   host-check=CMD            after QEMU has exited, bash -c CMD on the host,
#                             {disk:NAME} and {serial} (the console log)
#                             replaced by their paths; when it fails, a PASS
#                             of the case becomes FAIL
# disk=, qemu=, append= and monitor imply own-boot.

CASE_TIMEOUT_DEFAULT=${HVLIS_VM_CASE_TIMEOUT:-60}

# list_cases GLOBS: case files whose name (without .sh) matches one of the
# comma-separated shell GLOBS.
list_cases() {
	local f n g gl
	IFS=, read -ra gl <<<"${1:-*}"
	for f in "$CASES_DIR"/[0-9][0-9]-*.sh; do
		[ -f "$f" ] || continue
		n=$(basename "$f" .sh)
		for g in "${gl[@]}"; do
			# shellcheck disable=SC2053 # $g is a glob on purpose
			if [[ $n == $g ]]; then
				echo "$f"
				break
			fi
		done
	done
}

# parse_case FILE: set C_NAME C_OWN C_MODULES C_OPTMODULES C_BINS C_DISKS C_QEMU
# C_APPEND C_MONITOR C_TIMEOUT C_EXPECT (newline-separated regexes) C_HOSTCHECK (newline-separated
# commands); false + C_ERR on a bad line.
parse_case() {
	local line d key val src
	C_NAME=$(basename "$1" .sh)
	C_OWN=0 C_MODULES='' C_OPTMODULES='' C_BINS='' C_DISKS='' C_QEMU='' C_APPEND='' C_FILES=''
	C_MONITOR=0
	C_TIMEOUT=$CASE_TIMEOUT_DEFAULT C_EXPECT='' C_HOSTCHECK='' C_ERR=''
	while IFS= read -r line; do
		[[ $line =~ ^#[[:space:]]*vm:[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]] ||
			continue
		d=${BASH_REMATCH[1]}
		key=${d%%=*}
		val=
		[ "$key" = "$d" ] || val=${d#*=}
		case $key in
		own-boot) C_OWN=1 ;;
		modules) C_MODULES+=" ${val//,/ }" ;;
		modules-if-present) C_OPTMODULES+=" ${val//,/ }" ;;
		bins) C_BINS+=" ${val//,/ }" ;;
		files)
			# repository file (relative path) or host file (absolute)
			# : guest path, repeatable
			src=${val%%:*}
			[ "${src#/}" != "$src" ] || src=$REPO/$src
			if ! [[ $val =~ ^[A-Za-z0-9_./-]+:/[A-Za-z0-9_./-]+$ ]] ||
				[ ! -f "$src" ]; then
				C_ERR="bad directive 'files=$val' (REPO-FILE|/HOST/FILE:/GUEST/PATH)"
				return 1
			fi
			C_FILES+=" $val" ;;
		disk)
			[[ $val =~ ^[A-Za-z0-9_]+:[0-9]+[KMGT]?$ ]] || {
				C_ERR="bad directive 'disk=$val' (NAME:SIZE)"
				return 1
			}
			C_DISKS+=" $val" C_OWN=1 ;;
		qemu) C_QEMU+=" $val" C_OWN=1 ;;
		append) C_APPEND+=" $val" C_OWN=1 ;;
		monitor) C_MONITOR=1 C_OWN=1 ;;
		timeout)
			{ [[ $val =~ ^[0-9]+$ ]] && [ "$val" -gt 0 ]; } || {
				C_ERR="bad directive 'timeout=$val'"
				return 1
			}
			C_TIMEOUT=$val ;;
		expect-log)
			[ -n "$val" ] || { C_ERR="empty expect-log="; return 1; }
			C_EXPECT+="$val"$'\n' ;;
		host-check)
			[ -n "$val" ] || { C_ERR="empty host-check="; return 1; }
			C_HOSTCHECK+="$val"$'\n' ;;
		*)
			C_ERR="unknown directive '# vm: $d'"
			return 1 ;;
		esac
	done <"$1"
}
