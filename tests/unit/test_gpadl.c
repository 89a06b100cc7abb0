// SPDX-License-Identifier: GPL-2.0-only
/*
 * GPADL_HEADER / GPADL_BODY encoding, checked field by field at byte
 * offsets (protocol-facts §2.2, §3.4) and reassembled by an independent
 * decoder that works the way a host does: the total PFN count comes from
 * range_buflen in the header, the bodies append to it.
 */
#include <string.h>

#include "gpadl_reasm.h"
#include "test.h"
#include "vmbus_codec.h"

#define TEST_SUITE "gpadl"

static u64 pfns[8192], back[8192];
static u8 buf[256];

TEST(msg_counts)
{
	static const struct { u32 n, count; } c[] = {
		{ 0, 0 }, { 1, 1 }, { 26, 1 }, { 27, 2 }, { 54, 2 }, { 55, 3 },
		{ 82, 3 }, { 83, 4 }, { 4096, 147 }, { 8190, 293 }, { 8191, 0 },
		{ 0xffffffffu, 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		CHECK_MSG(vmbus_gpadl_msg_count(c[i].n) == c[i].count,
			  "%u pfns: %u messages, want %u", c[i].n,
			  vmbus_gpadl_msg_count(c[i].n), c[i].count);
}

static void check_split(u32 n, u32 byte_count)
{
	u32 count = vmbus_gpadl_msg_count(n), idx, i, carried = 0;
	struct gpadl_reasm ra;
	u64 seed = n * 1000003ull + 1;

	for (i = 0; i < n; i++)
		pfns[i] = test_rand(&seed) >> (i % 20);
	gpadl_reasm_init(&ra, back, 8192);
	for (idx = 0; idx < count; idx++) {
		u32 len, want_pfns;

		memset(buf, 0xcc, sizeof(buf));
		len = vmbus_gpadl_build_msg(idx, 33, 0xe1e10 + n, pfns, n,
					    byte_count, buf);
		if (idx == 0) {
			u32 v32;
			u16 v16;

			want_pfns = n < 26 ? n : 26;
			CHECK_EQ(len, 28 + 8 * want_pfns);
			memcpy(&v32, buf + 0, 4);
			CHECK_EQ(v32, 8);			/* GPADL_HEADER */
			memcpy(&v32, buf + 4, 4);
			CHECK_EQ(v32, 0);
			memcpy(&v32, buf + 8, 4);
			CHECK_EQ(v32, 33);			/* child_relid */
			memcpy(&v32, buf + 12, 4);
			CHECK_EQ(v32, 0xe1e10 + n);		/* gpadl */
			memcpy(&v16, buf + 16, 2);
			CHECK_EQ(v16, 8 + 8 * n);		/* whole range */
			memcpy(&v16, buf + 18, 2);
			CHECK_EQ(v16, 1);			/* rangecount */
			memcpy(&v32, buf + 20, 4);
			CHECK_EQ(v32, byte_count);
			memcpy(&v32, buf + 24, 4);
			CHECK_EQ(v32, 0);			/* byte_offset */
			CHECK(!memcmp(buf + 28, pfns, 8 * want_pfns));
		} else {
			u32 v32;

			want_pfns = n - carried < 28 ? n - carried : 28;
			CHECK_EQ(len, 16 + 8 * want_pfns);
			memcpy(&v32, buf + 0, 4);
			CHECK_EQ(v32, 9);			/* GPADL_BODY */
			memcpy(&v32, buf + 12, 4);
			CHECK_EQ(v32, 0xe1e10 + n);
			CHECK(!memcmp(buf + 16, pfns + carried, 8 * want_pfns));
		}
		CHECK(len <= 240);
		for (i = len; i < sizeof(buf); i++)
			CHECK_MSG(buf[i] == 0xcc, "message %u wrote past its length", idx);
		carried += want_pfns;
		CHECK_MSG(gpadl_reasm_feed(&ra, buf, len) == 0,
			  "%u pfns: message %u rejected by the reassembler: %s",
			  n, idx, ra.err);
	}
	CHECK_EQ(carried, n);
	CHECK(gpadl_reasm_complete(&ra));
	CHECK_EQ(ra.relid, 33);
	CHECK_EQ(ra.byte_count, byte_count);
	CHECK_EQ(ra.total, n);
	CHECK(!memcmp(back, pfns, 8 * n));
	CHECK_EQ(vmbus_gpadl_build_msg(count, 33, 1, pfns, n, byte_count, buf), 0);
}

TEST(split_1_26_27_54_55_4096_8190)
{
	static const u32 ns[] = { 1, 26, 27, 54, 55, 4096, 8190 };
	unsigned int i;

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		check_split(ns[i], ns[i] * 4096);
		if (test_failed())
			return;
		/* a last page only partly used still counts as a page */
		check_split(ns[i], ns[i] * 4096 - 100);
		if (test_failed())
			return;
	}
}

TEST(build_rejects_bad_arguments)
{
	CHECK_EQ(vmbus_gpadl_build_msg(0, 1, 1, pfns, 0, 4096, buf), 0);
	CHECK_EQ(vmbus_gpadl_build_msg(0, 1, 1, pfns, 8191, 8191 * 4096, buf), 0);
	CHECK_EQ(vmbus_gpadl_build_msg(0, 1, 1, pfns, 2, 0, buf), 0);
	CHECK_EQ(vmbus_gpadl_build_msg(0, 1, 1, pfns, 2, 4096, buf), 0);
	CHECK_EQ(vmbus_gpadl_build_msg(0, 1, 1, pfns, 2, 8193, buf), 0);
	CHECK_EQ(vmbus_gpadl_build_msg(0, 1, 1, pfns, 2, 0xffffffffu, buf), 0);
	CHECK_EQ(vmbus_gpadl_build_msg(1, 1, 1, pfns, 26, 26 * 4096, buf), 0);
	CHECK_EQ(vmbus_gpadl_build_msg(0, 1, 1, pfns, 2, 8192, buf), 28 + 16);
	CHECK_EQ(vmbus_gpadl_build_msg(0, 1, 1, pfns, 2, 4097, buf), 28 + 16);
}

/* The reassembler itself must reject what a host would reject. */
TEST(reassembler_rejects)
{
	struct gpadl_reasm ra;

	pfns[0] = 1;
	pfns[1] = 2;
	CHECK_EQ(vmbus_gpadl_build_msg(0, 5, 7, pfns, 27, 27 * 4096, buf), 236);
	gpadl_reasm_init(&ra, back, 8192);
	CHECK_EQ(gpadl_reasm_feed(&ra, buf, 236), 0);
	CHECK(!gpadl_reasm_complete(&ra));
	CHECK_EQ(vmbus_gpadl_build_msg(1, 5, 7, pfns, 27, 27 * 4096, buf), 24);
	buf[12] ^= 1;			/* a body for another gpadl */
	CHECK(gpadl_reasm_feed(&ra, buf, 24) != 0);
	buf[12] ^= 1;
	CHECK(gpadl_reasm_feed(&ra, buf, 20) != 0);	/* not whole PFNs */
	CHECK_EQ(gpadl_reasm_feed(&ra, buf, 24), 0);
	CHECK(gpadl_reasm_complete(&ra));
	CHECK(gpadl_reasm_feed(&ra, buf, 24) != 0);	/* one too many */
}
