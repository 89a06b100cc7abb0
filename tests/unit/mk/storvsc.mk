# SPDX-License-Identifier: GPL-2.0-only
#
# hv_storvsc protocol code: StorVSP packet builders and validators.
TESTS += test_storvsc_range test_storvsc_proto
MOD_SHARED += $(SRC)/storvsc/storvsc_proto.c
FUZZERS += fuzz_vstor
INC += -I$(SRC)/storvsc
TEST_CFLAGS += -I$(SRC)/storvsc
