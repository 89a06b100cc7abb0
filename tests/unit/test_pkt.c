// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmbus_pkt_parse(): inband, completion and transfer-page packets, good
 * and bad.  Packets are laid out by hand at byte offsets (§3.2).
 */
#include <string.h>

#include "test.h"
#include "vmbus_codec.h"

#define TEST_SUITE "pkt"

static u8 pkt[512] __attribute__((aligned(8)));

static void put16(u32 off, u16 v) { memcpy(pkt + off, &v, 2); }
static void put32(u32 off, u32 v) { memcpy(pkt + off, &v, 4); }
static void put64(u32 off, u64 v) { memcpy(pkt + off, &v, 8); }

static void desc(u16 type, u16 off8, u16 len8, u16 flags, u64 id)
{
	u32 i;

	for (i = 0; i < sizeof(pkt); i++)
		pkt[i] = (u8)(i * 13 + 5);
	put16(0, type);
	put16(2, off8);
	put16(4, len8);
	put16(6, flags);
	put64(8, id);
}

static int parse(u32 len, struct vmbus_pkt_view *v, const char **why)
{
	*why = NULL;
	return vmbus_pkt_parse(pkt, len, v, why);
}

TEST(inband_and_completion)
{
	struct vmbus_pkt_view v;
	const char *why;

	desc(VMBUS_PKT_DATA_INBAND, 2, 6, 1, 0x1122334455667788ull);
	CHECK_EQ(parse(48, &v, &why), 0);
	CHECK_EQ(v.type, VMBUS_PKT_DATA_INBAND);
	CHECK_EQ(v.flags, 1);
	CHECK(v.trans_id == 0x1122334455667788ull);
	CHECK(v.payload == pkt + 16);
	CHECK_EQ(v.payload_len, 32);
	CHECK_EQ(v.range_cnt, 0);
	CHECK(v.ranges == NULL);

	desc(VMBUS_PKT_COMP, 3, 5, 0, 7);	/* payload after a longer header */
	CHECK_EQ(parse(40, &v, &why), 0);
	CHECK_EQ(v.type, VMBUS_PKT_COMP);
	CHECK(v.payload == pkt + 24);
	CHECK_EQ(v.payload_len, 16);

	desc(VMBUS_PKT_COMP, 2, 2, 0, 7);	/* empty payload */
	CHECK_EQ(parse(16, &v, &why), 0);
	CHECK_EQ(v.payload_len, 0);
	desc(VMBUS_PKT_COMP, 4, 4, 0, 7);
	CHECK_EQ(parse(32, &v, &why), 0);
	CHECK_EQ(v.payload_len, 0);
}

TEST(bad_lengths_offsets)
{
	struct vmbus_pkt_view v;
	const char *why;
	u32 len;

	desc(VMBUS_PKT_DATA_INBAND, 2, 4, 0, 1);
	for (len = 0; len < 16; len++)
		CHECK_EQ(parse(len, &v, &why), -EBADMSG);
	CHECK_EQ(parse(24, &v, &why), -EBADMSG);	/* len8 says 32 */
	CHECK(why && strstr(why, "len8"));
	CHECK_EQ(parse(40, &v, &why), -EBADMSG);
	CHECK_EQ(parse(31, &v, &why), -EBADMSG);

	desc(VMBUS_PKT_DATA_INBAND, 0, 4, 0, 1);
	CHECK_EQ(parse(32, &v, &why), -EBADMSG);
	desc(VMBUS_PKT_DATA_INBAND, 1, 4, 0, 1);
	CHECK_EQ(parse(32, &v, &why), -EBADMSG);
	CHECK(why && strstr(why, "descriptor"));
	desc(VMBUS_PKT_DATA_INBAND, 5, 4, 0, 1);
	CHECK_EQ(parse(32, &v, &why), -EBADMSG);
	CHECK(why && strstr(why, "past"));
	desc(VMBUS_PKT_DATA_INBAND, 0, 0, 0, 1);
	CHECK_EQ(parse(0, &v, &why), -EBADMSG);

}

/* flag bits the guest does not know: the packet is kept, the bits reported */
TEST(unknown_flags_kept)
{
	struct vmbus_pkt_view v;
	const char *why;

	desc(VMBUS_PKT_DATA_INBAND, 2, 4, 2, 1);
	CHECK_EQ(parse(32, &v, &why), 0);
	CHECK_EQ(v.flags, 0);
	CHECK_EQ(v.unknown_flags, 2);
	CHECK_EQ(v.payload_len, 16);
	CHECK_EQ(v.trans_id, 1);
	desc(VMBUS_PKT_COMP, 2, 4, 0x8001, 9);
	CHECK_EQ(parse(32, &v, &why), 0);
	CHECK_EQ(v.flags, VMBUS_PKT_FLAG_COMPLETION_REQUESTED);
	CHECK_EQ(v.unknown_flags, 0x8000);
	CHECK_EQ(v.trans_id, 9);
	desc(VMBUS_PKT_DATA_INBAND, 2, 4, 1, 1);
	CHECK_EQ(parse(32, &v, &why), 0);
	CHECK_EQ(v.unknown_flags, 0);
}

/* descriptor, xfer header, n ranges, then payload of 'plen8' units */
static void xfer(u32 nranges_in_table, u32 range_cnt, u32 plen8)
{
	u32 off8 = (24 + 8 * nranges_in_table) / 8, i;

	desc(VMBUS_PKT_DATA_USING_XFER_PAGES, (u16)off8, (u16)(off8 + plen8), 1, 99);
	put16(16, 0xcafe);
	pkt[18] = 0;
	pkt[19] = 0;
	put32(20, range_cnt);
	for (i = 0; i < nranges_in_table; i++) {
		put32(24 + 8 * i, 100 + i);		/* byte_count */
		put32(28 + 8 * i, 4096 * i);		/* byte_offset */
	}
}

TEST(xfer_pages_good)
{
	struct vmbus_pkt_view v;
	const char *why;
	u32 i;

	xfer(3, 3, 2);
	CHECK_EQ(parse(64, &v, &why), 0);
	CHECK_EQ(v.type, VMBUS_PKT_DATA_USING_XFER_PAGES);
	CHECK_EQ(v.xfer_pageset_id, 0xcafe);
	CHECK_EQ(v.range_cnt, 3);
	CHECK(v.ranges == (const void *)(pkt + 24));
	for (i = 0; i < 3; i++) {
		CHECK_EQ(v.ranges[i].byte_count, 100 + i);
		CHECK_EQ(v.ranges[i].byte_offset, 4096 * i);
	}
	CHECK(v.payload == pkt + 48);
	CHECK_EQ(v.payload_len, 16);

	xfer(3, 2, 0);			/* a table shorter than its room is fine */
	CHECK_EQ(parse(48, &v, &why), 0);
	CHECK_EQ(v.range_cnt, 2);
	xfer(0, 0, 1);
	CHECK_EQ(parse(32, &v, &why), 0);
	CHECK_EQ(v.range_cnt, 0);
}

TEST(xfer_pages_bad_tables)
{
	struct vmbus_pkt_view v;
	const char *why;

	xfer(3, 4, 2);			/* table runs into the payload */
	CHECK_EQ(parse(64, &v, &why), -EBADMSG);
	CHECK(why && strstr(why, "ranges"));
	xfer(3, 0xffffffffu, 2);	/* count * 8 overflows 32 bits */
	CHECK_EQ(parse(64, &v, &why), -EBADMSG);
	xfer(3, 0x20000000u, 2);	/* count * 8 == 2^32 */
	CHECK_EQ(parse(64, &v, &why), -EBADMSG);
	xfer(0, 1, 0);			/* range without room, no payload */
	CHECK_EQ(parse(24, &v, &why), -EBADMSG);
	/* header itself past offset8 */
	desc(VMBUS_PKT_DATA_USING_XFER_PAGES, 2, 4, 0, 1);
	put32(20, 0);
	CHECK_EQ(parse(32, &v, &why), -EBADMSG);
	CHECK(why && strstr(why, "header"));
	CHECK_EQ(v.range_cnt, 0);
	CHECK(v.ranges == NULL);
}
