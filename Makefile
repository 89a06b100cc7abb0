# SPDX-License-Identifier: GPL-2.0-only
#
# hyperv-lis top-level Makefile.  Every target delegates to a script so
# that DKMS, CI and developers run exactly the same steps.
#
#   make [KVER=<release>] [KDIR=<build dir>]   build the modules
#   make check                                 all test suites
#   make check-static|check-unit|check-vm|check-packaging
#   make demo | bench | deb | rpm | deps | clean

KVER ?=
KDIR ?=
V ?=

BUILD_ARGS := $(if $(KVER),--kver $(KVER)) $(if $(KDIR),--kdir $(KDIR))

.PHONY: all modules modules-in-place check check-static check-unit check-vm \
	check-packaging demo bench deb rpm deps clean

all modules:
	scripts/build-modules.sh $(BUILD_ARGS)

# Used by dkms.conf: builds in this (DKMS-owned) copy of the tree.
modules-in-place:
	scripts/build-modules.sh --in-place $(BUILD_ARGS)

check:
	scripts/run-checks.sh static unit vm boot packaging

check-static:
	scripts/run-checks.sh static

check-unit:
	scripts/run-checks.sh unit

# The QEMU cases, then booting the root file system from the synthetic disk.
check-vm:
	scripts/run-checks.sh vm boot

check-packaging:
	scripts/run-checks.sh packaging

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

deb:
	scripts/build-deb.sh

# The DKMS rpm, and the kABI kmod rpm for KVER (or KDIR) when given.
rpm:
	scripts/build-rpm.sh $(if $(KVER),--kmod $(KVER)) $(if $(KDIR),--kmod-kdir $(KDIR))

deps:
	scripts/install-deps.sh

clean:
	rm -rf build tests/unit/build packaging/out
	find src tests -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name modules.order \
		-o -name Module.symvers | xargs -r rm -f
	rm -rf src/compat/gen
