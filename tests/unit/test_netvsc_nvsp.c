// SPDX-License-Identifier: GPL-2.0-only
/*
 * NVSP codec: builders produce the wire layout, the checks refuse every
 * malformed host message (short, refused, out-of-buffer sections and
 * ranges, bad transaction ids).
 */
#include <string.h>

#include "test.h"
#include "nvsp_codec.h"

#define TEST_SUITE "netvsc_nvsp"

static int copy(struct nvsp_host_msg *h, const struct nvsp_msg *m, u32 len)
{
	const char *why = NULL;

	return nvsp_copy_msg(m, len, h, &why);
}

TEST(init_builder)
{
	struct nvsp_msg m;
	u32 n = nvsp_build_init(&m, NVSP_VERSION_61);
	const u8 *b = (const u8 *)&m;

	CHECK_EQ(n, 40);
	CHECK_EQ(b[0], 1);
	CHECK_EQ(m.u.init.min_version, 0x60001);
	CHECK_EQ(m.u.init.max_version, 0x60001);
	CHECK_EQ(nvsp_versions[0], NVSP_VERSION_61);
	CHECK_EQ(nvsp_versions[NVSP_NUM_VERSIONS - 1], NVSP_VERSION_2);
}

TEST(ndis_config_and_version)
{
	struct nvsp_msg m;

	nvsp_build_ndis_config(&m, 1500, NVSP_VERSION_61);
	CHECK_EQ(m.type, 125);
	CHECK_EQ(m.u.ndis_config.mtu, 1514);
	CHECK(m.u.ndis_config.capabilities & NVSP_CAP_IEEE8021Q);
	CHECK(m.u.ndis_config.capabilities & NVSP_CAP_RSC);
	nvsp_build_ndis_config(&m, 1500, NVSP_VERSION_4);
	CHECK_EQ(m.u.ndis_config.capabilities, NVSP_CAP_IEEE8021Q);
	nvsp_build_ndis_version(&m, NVSP_VERSION_5);
	CHECK_EQ(m.u.ndis_ver.major, 6);
	CHECK_EQ(m.u.ndis_ver.minor, 30);
	nvsp_build_ndis_version(&m, NVSP_VERSION_4);
	CHECK_EQ(m.u.ndis_ver.minor, 1);
}

TEST(copy_short)
{
	struct nvsp_host_msg h;
	struct nvsp_msg m = { .type = NVSP_MSG_INIT_COMPLETE };
	const char *why = NULL;

	CHECK_EQ(nvsp_copy_msg(&m, 3, &h, &why), -EBADMSG);
	CHECK_EQ(copy(&h, &m, 15), -EBADMSG);	/* needs 16 */
	CHECK_EQ(copy(&h, &m, 16), 0);
	/* unknown type: only the type is needed */
	m.type = 999;
	CHECK_EQ(copy(&h, &m, 4), 0);
	/* long messages are cut to the struct, length kept */
	{
		u8 big[100] = { 2, 0, 0, 0 };

		CHECK_EQ(nvsp_copy_msg(big, sizeof(big), &h, &why), 0);
		CHECK_EQ(h.len, 100);
	}
}

TEST(init_complete)
{
	struct nvsp_host_msg h;
	struct nvsp_msg m = { .type = NVSP_MSG_INIT_COMPLETE };
	const char *why;

	m.u.init_complete.status = NVSP_STATUS_SUCCESS;
	CHECK_EQ(copy(&h, &m, 16), 0);
	CHECK_EQ(nvsp_check_init_complete(&h, &why), 0);
	m.u.init_complete.status = NVSP_STATUS_FAIL;
	copy(&h, &m, 16);
	CHECK_EQ(nvsp_check_init_complete(&h, &why), -EPROTONOSUPPORT);
	m.type = NVSP_MSG_SEND_SEND_BUF_COMPLETE;
	copy(&h, &m, 16);
	CHECK_EQ(nvsp_check_init_complete(&h, &why), -EBADMSG);
}

static void recv_complete(struct nvsp_msg *m, u32 off, u32 sub, u32 num,
			  u32 end)
{
	memset(m, 0, sizeof(*m));
	m->type = NVSP_MSG_SEND_RECV_BUF_COMPLETE;
	m->u.recv_buf_complete.status = NVSP_STATUS_SUCCESS;
	m->u.recv_buf_complete.num_sections = 1;
	m->u.recv_buf_complete.sections[0].offset = off;
	m->u.recv_buf_complete.sections[0].sub_alloc_size = sub;
	m->u.recv_buf_complete.sections[0].num_sub_allocs = num;
	m->u.recv_buf_complete.sections[0].end_offset = end;
}

TEST(recv_buf_complete)
{
	struct nvsp_recv_layout lay;
	struct nvsp_host_msg h;
	struct nvsp_msg m;
	const char *why;
	u32 size = 1 << 20;

	recv_complete(&m, 0, 1728, size / 1728, (size / 1728) * 1728);
	copy(&h, &m, 28);
	CHECK_EQ(nvsp_check_recv_buf_complete(&h, size, &lay, &why), 0);
	CHECK_EQ(lay.sub_alloc_size, 1728);
	/* section table cut short */
	copy(&h, &m, 20);
	CHECK_EQ(nvsp_check_recv_buf_complete(&h, size, &lay, &why), -EBADMSG);
	/* too many sub-allocations for the buffer */
	recv_complete(&m, 0, 1728, size / 1728 + 1, size);
	copy(&h, &m, 28);
	CHECK_EQ(nvsp_check_recv_buf_complete(&h, size, &lay, &why), -EBADMSG);
	/* multiplication overflow */
	recv_complete(&m, 0, 0x10000, 0x10001, size);
	copy(&h, &m, 28);
	CHECK_EQ(nvsp_check_recv_buf_complete(&h, size, &lay, &why), -EBADMSG);
	/* end past the buffer */
	recv_complete(&m, 0, 1728, 10, size + 1);
	copy(&h, &m, 28);
	CHECK_EQ(nvsp_check_recv_buf_complete(&h, size, &lay, &why), -EBADMSG);
	/* two sections */
	recv_complete(&m, 0, 1728, 10, 17280);
	m.u.recv_buf_complete.num_sections = 2;
	copy(&h, &m, 28);
	CHECK_EQ(nvsp_check_recv_buf_complete(&h, size, &lay, &why), -EBADMSG);
	/* refused */
	recv_complete(&m, 0, 1728, 10, 17280);
	m.u.recv_buf_complete.status = NVSP_STATUS_FAIL;
	copy(&h, &m, 28);
	CHECK_EQ(nvsp_check_recv_buf_complete(&h, size, &lay, &why), -EIO);
	/* nonzero start */
	recv_complete(&m, 4096, 1728, 10, 17280);
	copy(&h, &m, 28);
	CHECK_EQ(nvsp_check_recv_buf_complete(&h, size, &lay, &why), -EBADMSG);
}

TEST(send_buf_complete)
{
	struct nvsp_send_layout lay;
	struct nvsp_host_msg h;
	struct nvsp_msg m = { .type = NVSP_MSG_SEND_SEND_BUF_COMPLETE };
	const char *why;

	m.u.send_buf_complete.status = NVSP_STATUS_SUCCESS;
	m.u.send_buf_complete.section_size = 6144;
	copy(&h, &m, 12);
	CHECK_EQ(nvsp_check_send_buf_complete(&h, 1 << 20, &lay, &why), 0);
	CHECK_EQ(lay.num_sections, (1 << 20) / 6144);
	m.u.send_buf_complete.section_size = 0;
	copy(&h, &m, 12);
	CHECK_EQ(nvsp_check_send_buf_complete(&h, 1 << 20, &lay, &why), -EBADMSG);
	m.u.send_buf_complete.section_size = (1 << 20) + 1;
	copy(&h, &m, 12);
	CHECK_EQ(nvsp_check_send_buf_complete(&h, 1 << 20, &lay, &why), -EBADMSG);
}

TEST(xfer_ranges)
{
	struct vmbus_xfer_range r[3] = {
		{ .byte_count = 100, .byte_offset = 0 },
		{ .byte_count = 100, .byte_offset = 900 },
		{ .byte_count = 8, .byte_offset = 992 },
	};
	u64 scratch[3];
	const char *why;
	u32 bad = 99;

	r[1].byte_count = 92;
	CHECK_EQ(nvsp_check_xfer_ranges(r, 3, 1000, scratch, 3, &bad, &why), 0);
	CHECK_EQ(nvsp_check_xfer_ranges(r, 0, 1000, scratch, 3, &bad, &why),
		 -EBADMSG);
	/* more ranges than the caller has room for */
	CHECK_EQ(nvsp_check_xfer_ranges(r, 3, 1000, scratch, 2, &bad, &why),
		 -EBADMSG);
	r[1].byte_count = 101;		/* past the end */
	CHECK_EQ(nvsp_check_xfer_ranges(r, 3, 1000, scratch, 3, &bad, &why),
		 -EBADMSG);
	CHECK_EQ(bad, 1);
	r[1].byte_count = 100;		/* inside, but overlaps range 2 */
	CHECK_EQ(nvsp_check_xfer_ranges(r, 3, 1000, scratch, 3, &bad, &why),
		 -EBADMSG);
	r[1].byte_count = 92;
	r[2].byte_offset = 0xfffffffc;	/* offset + count wraps */
	CHECK_EQ(nvsp_check_xfer_ranges(r, 3, 1000, scratch, 3, &bad, &why),
		 -EBADMSG);
	CHECK_EQ(bad, 2);
	r[2].byte_offset = 500;
	r[2].byte_count = 7;		/* shorter than an RNDIS header */
	CHECK_EQ(nvsp_check_xfer_ranges(r, 3, 1000, scratch, 3, &bad, &why),
		 -EBADMSG);
}

/* The same range twice (out of order among others) is an overlap. */
TEST(xfer_ranges_duplicate)
{
	struct vmbus_xfer_range r[64];
	u64 scratch[64];
	const char *why;
	u32 bad, i;

	for (i = 0; i < 64; i++) {
		r[i].byte_offset = ((i * 37) % 64) * 1728;
		r[i].byte_count = 1700;
	}
	CHECK_EQ(nvsp_check_xfer_ranges(r, 64, 64 * 1728, scratch, 64, &bad,
					&why), 0);
	r[40] = r[3];
	CHECK_EQ(nvsp_check_xfer_ranges(r, 64, 64 * 1728, scratch, 64, &bad,
					&why), -EBADMSG);
}

TEST(send_table)
{
	u8 buf[12 + 64];
	u32 t[NVSP_SEND_TABLE_SIZE], v, i;
	const char *why;

	memset(buf, 0, sizeof(buf));
	v = NVSP_MSG_SEND_INDIRECTION_TABLE;
	memcpy(buf, &v, 4);
	v = 16;
	memcpy(buf + 4, &v, 4);
	v = 12;
	memcpy(buf + 8, &v, 4);
	for (i = 0; i < 16; i++) {
		v = i;
		memcpy(buf + 12 + 4 * i, &v, 4);
	}
	CHECK_EQ(nvsp_parse_send_table(buf, sizeof(buf), t, &why), 0);
	CHECK_EQ(t[5], 5);	/* as sent: a queue only if live, at use */
	CHECK_EQ(nvsp_parse_send_table(buf, sizeof(buf) - 1, t, &why),
		 -EBADMSG);
	v = 0xfffffff8;			/* offset wraps */
	memcpy(buf + 8, &v, 4);
	CHECK_EQ(nvsp_parse_send_table(buf, sizeof(buf), t, &why), -EBADMSG);
	v = 12;
	memcpy(buf + 8, &v, 4);
	v = 17;
	memcpy(buf + 4, &v, 4);
	CHECK_EQ(nvsp_parse_send_table(buf, sizeof(buf), t, &why), -EBADMSG);
}

TEST(trans_ids)
{
	u32 a, b;

	CHECK_EQ(nvsp_tid_decode(NVSP_TID_CTL_VALUE(NVSP_MSG_INIT), &a, &b),
		 NVSP_TID_KIND_CTL);
	CHECK_EQ(b, NVSP_MSG_INIT);
	CHECK_EQ(nvsp_tid_decode(NVSP_TID_TX_VALUE(3, 169), &a, &b),
		 NVSP_TID_KIND_TX);
	CHECK_EQ(a, 3);
	CHECK_EQ(b, 169);
	CHECK_EQ(nvsp_tid_decode(0, &a, &b), NVSP_TID_KIND_INVALID);
	CHECK_EQ(nvsp_tid_decode(~0ull, &a, &b), NVSP_TID_KIND_INVALID);
	CHECK_EQ(nvsp_tid_decode(NVSP_TID_CTL_VALUE(1) | (1ull << 32), &a, &b),
		 NVSP_TID_KIND_INVALID);
}

TEST(subchannel_complete)
{
	struct nvsp_host_msg h;
	struct nvsp_msg m = { .type = NVSP_MSG_SUBCHANNEL };
	const char *why;
	u32 g;

	m.u.subchan_complete.status = NVSP_STATUS_SUCCESS;
	m.u.subchan_complete.num_subchannels = 3;
	copy(&h, &m, 12);
	CHECK_EQ(nvsp_check_subchannel_complete(&h, 3, &g, &why), 0);
	CHECK_EQ(g, 3);
	CHECK_EQ(nvsp_check_subchannel_complete(&h, 2, &g, &why), -EBADMSG);
}
