# SPDX-License-Identifier: GPL-2.0-only
#
# hv_netvsc protocol code: NVSP and RNDIS codecs.
TESTS += test_netvsc_nvsp test_netvsc_rndis
MOD_SHARED += $(SRC)/netvsc/nvsp_codec.c $(SRC)/netvsc/rndis_codec.c
FUZZERS += fuzz_nvsp fuzz_rndis
INC += -I$(SRC)/netvsc
TEST_CFLAGS += -I$(SRC)/netvsc
