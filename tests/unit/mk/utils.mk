# SPDX-License-Identifier: GPL-2.0-only
# hv_utils protocol code: IC framing/negotiation/bodies and KVP conversion.
TESTS += test_ic_proto test_ic_kvp test_ic_uapi
MOD_SHARED += $(SRC)/utils/ic_proto.c $(SRC)/utils/kvp_proto.c
FUZZERS += fuzz_icmsg fuzz_kvp
INC += -I$(SRC)/utils
TEST_CFLAGS += -I$(SRC)/utils
