# SPDX-License-Identifier: GPL-2.0-only
#
# hyperv-lis top-level Makefile.  Every target delegates to a script so
# that DKMS, CI and developers run exactly the same steps.
#
#   make [KVER=<release>] [KDIR=<build dir>]   build the modules
#   make check                                 all test suites
#   make check-static|check-unit|check-vm|check-packaging
#   make check-vm KERNELS="ci|rt|debug|old|bullseye|all|<release>..."
#   make demo | bench | deb | rpm | deps | clean
#   make kmod-deb KVER=<release>               prebuilt modules .deb for one kernel
#   make repo [PKGS=<dir>] [REPO=<dir>]        apt/yum repositories of them

KVER ?=
KDIR ?=
V ?=

BUILD_ARGS := $(if $(KVER),--kver $(KVER)) $(if $(KDIR),--kdir $(KDIR))

.PHONY: all modules modules-in-place check check-static check-unit check-vm \
	check-packaging compile-matrix demo bench deb rpm kmod-deb repo deps clean

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
# KERNELS: releases or ci (the default: the CI kernels), rt, debug, old,
# bullseye, all
# (scripts/kernels.sh resolves them).
check-vm:
	$(if $(KERNELS),HVLIS_KERNELS="$(KERNELS)") scripts/run-checks.sh vm boot

check-packaging:
	scripts/run-checks.sh packaging

# Every module with -Werror against every installed kernel and every tree
# prepared under /tmp/kt/src (or HVLIS_KTREES); one line per kernel.
compile-matrix:
	scripts/check-static.sh compile-matrix

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

deb:
	scripts/build-deb.sh

# The DKMS rpm, and the kABI kmod rpm for KVER (or KDIR) when given.
rpm:
	scripts/build-rpm.sh $(if $(KVER),--kmod $(KVER)) $(if $(KDIR),--kmod-kdir $(KDIR))

# Prebuilt modules for one kernel (headers of KVER installed), for fleets.
kmod-deb:
	scripts/build-kmod-deb.sh --kver $(if $(KVER),$(KVER),$(error KVER=<kernel release> is required))

# A directory of prebuilt .deb/.rpm packages -> apt and yum repositories.
PKGS ?= packaging/out/kmod-deb
REPO ?= packaging/out/repo
repo:
	scripts/build-repo.sh $(PKGS) $(REPO)

deps:
	scripts/install-deps.sh

clean:
	rm -rf build tests/unit/build packaging/out
	find src tests -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name modules.order \
		-o -name Module.symvers | xargs -r rm -f
	rm -rf src/compat/gen
