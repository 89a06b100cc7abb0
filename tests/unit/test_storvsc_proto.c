// SPDX-License-Identifier: GPL-2.0-only
/*
 * StorVSP protocol code of hv_storvsc: packet sizes per version, the
 * builders against the wire layout (byte offsets of the 64-byte packet,
 * 48 before Windows 8), and every check of what the host sends:
 * completions of control requests, channel properties, unsolicited
 * messages, I/O completions, sense data and the verdict the SCSI layer
 * gets.  Expected values come from the protocol (src/include/vstor.h,
 * shared/docs/protocol-facts.md section 6) and the in-tree driver's
 * handling of SRB statuses.
 */
#include <string.h>

#include "test.h"
#include "storvsc_proto.h"

#define TEST_SUITE "storvsc_proto"

/* SCSI opcodes and status used below */
#define TUR		0x00
#define INQUIRY		0x12
#define MODE_SENSE6	0x1a
#define MODE_SENSE10	0x5a
#define READ10		0x28
#define WRITE10		0x2a
#define ATA12		0xa1
#define ATA16		0x85
#define CHECK_COND	0x02
#define SCSI_BUSY	0x08
#define TASK_SET_FULL	0x28
#define MAINT_IN	0xa3
#define PR_IN		0x5e

/* Packet offsets: header 12 bytes, then the SRB */
#define P_SRB		12

static const u16 pre_win8[] = { 0, VSTOR_PROTO_WIN6, VSTOR_PROTO_WIN7 };
static const u16 win8_up[] = { VSTOR_PROTO_WIN8, VSTOR_PROTO_WIN8_1,
			       VSTOR_PROTO_WIN10 };

static u32 rd32(const u8 *b)
{
	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

static u16 rd16(const u8 *b)
{
	return (u16)(b[0] | b[1] << 8);
}

static void wr32(u8 *b, u32 v)
{
	b[0] = (u8)v;
	b[1] = (u8)(v >> 8);
	b[2] = (u8)(v >> 16);
	b[3] = (u8)(v >> 24);
}

static void wr16(u8 *b, u16 v)
{
	b[0] = (u8)v;
	b[1] = (u8)(v >> 8);
}

static bool all_zero(const u8 *b, u32 from, u32 to)
{
	for (; from < to; from++)
		if (b[from])
			return false;
	return true;
}

/* A host packet of len bytes (raw wire bytes in w[]), through copy_reply. */
static int reply(struct vstor_reply *r, const u8 *w, u32 len)
{
	const char *why = NULL;
	int rc;

	memset(r, 0xaa, sizeof(*r));
	rc = vstor_copy_reply(w, len, r, &why);
	if (rc && !why)
		return 999;	/* an error without a reason */
	return rc;
}

/* ---- sizes, versions, transaction ids ---- */

TEST(sizes_per_version)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pre_win8); i++) {
		CHECK_EQ(vstor_srb_size(pre_win8[i]), 36);
		CHECK_EQ(vstor_packet_size(pre_win8[i]), 48);
		CHECK_EQ(vstor_sense_size(pre_win8[i]), 0x12);
	}
	for (i = 0; i < ARRAY_SIZE(win8_up); i++) {
		CHECK_EQ(vstor_srb_size(win8_up[i]), 52);
		CHECK_EQ(vstor_packet_size(win8_up[i]), 64);
		CHECK_EQ(vstor_sense_size(win8_up[i]), 0x14);
	}
	CHECK_EQ(sizeof(struct vstor_packet), 64);
	CHECK_EQ(VSTOR_PACKET_SIZE_PRE_WIN8, 48);
}

TEST(versions_newest_first)
{
	CHECK_EQ(VSTOR_NUM_VERSIONS, 5);
	CHECK_EQ(vstor_versions[0], 0x0602);
	CHECK_EQ(vstor_versions[1], 0x0600);
	CHECK_EQ(vstor_versions[2], 0x0501);
	CHECK_EQ(vstor_versions[3], 0x0402);
	CHECK_EQ(vstor_versions[4], 0x0200);
}

TEST(op_names)
{
	CHECK(!strcmp(vstor_op_name(1), "COMPLETE_IO"));
	CHECK(!strcmp(vstor_op_name(3), "EXECUTE_SRB"));
	CHECK(!strcmp(vstor_op_name(14), "EVENT_NOTIFICATION"));
	CHECK(!strcmp(vstor_op_name(0), "UNKNOWN"));
	CHECK(!strcmp(vstor_op_name(15), "UNKNOWN"));
	CHECK(!strcmp(vstor_op_name(0xffffffffu), "UNKNOWN"));
}

TEST(trans_id_kinds)
{
	u16 q = 0x1111, t = 0x2222;

	CHECK_EQ(vstor_trans_id_kind(0, &q, &t), VSTOR_TID_UNSOLICITED);
	CHECK_EQ(vstor_trans_id_kind(0xfffffffffffffffdull, &q, &t), VSTOR_TID_INIT);
	CHECK_EQ(vstor_trans_id_kind(0xfffffffffffffffcull, &q, &t), VSTOR_TID_RESET);

	CHECK_EQ(vstor_trans_id_kind(1, &q, &t), VSTOR_TID_IO);
	CHECK_EQ(q, 0);
	CHECK_EQ(t, 0);
	/* blk-mq tag + 1 on queue 0 */
	CHECK_EQ(vstor_io_trans_id(0, 41), 42);
	CHECK_EQ(vstor_trans_id_kind(42, &q, &t), VSTOR_TID_IO);
	CHECK_EQ(q, 0);
	CHECK_EQ(t, 41);
	CHECK_EQ(vstor_trans_id_kind(vstor_io_trans_id(3, 0xffff), &q, &t), VSTOR_TID_IO);
	CHECK_EQ(q, 3);
	CHECK_EQ(t, 0xffff);
	/* the largest I/O id and the first one past it */
	CHECK_EQ(vstor_io_trans_id(0xffff, 0xffff), 0x100000000ull);
	CHECK_EQ(vstor_trans_id_kind(0x100000000ull, &q, &t), VSTOR_TID_IO);
	CHECK_EQ(q, 0xffff);
	CHECK_EQ(t, 0xffff);
	CHECK_EQ(vstor_trans_id_kind(0x100000001ull, &q, &t), VSTOR_TID_INVALID);
	CHECK_EQ(vstor_trans_id_kind(0xfffffffffffffffeull, &q, &t), VSTOR_TID_INVALID);
	CHECK_EQ(vstor_trans_id_kind(0xffffffffffffffffull, &q, &t), VSTOR_TID_INVALID);
	CHECK_EQ(vstor_trans_id_kind(0xfffffffffffffffbull, &q, &t), VSTOR_TID_INVALID);
}

/* ---- builders ---- */

TEST(build_ctl_per_version)
{
	struct vstor_packet p;
	const u8 *b = (const u8 *)&p;

	memset(&p, 0xcc, sizeof(p));
	CHECK_EQ(vstor_build_ctl(&p, VSTOR_OP_BEGIN_INITIALIZATION, 0), 48);
	CHECK_EQ(rd32(b), 7);
	CHECK_EQ(rd32(b + 4), 1);		/* REQUEST_COMPLETION */
	CHECK(all_zero(b, 8, 64));
	CHECK_EQ(vstor_build_ctl(&p, VSTOR_OP_END_INITIALIZATION, VSTOR_PROTO_WIN10), 64);
	CHECK_EQ(rd32(b), 8);
	CHECK_EQ(vstor_build_ctl(&p, VSTOR_OP_QUERY_PROPERTIES, VSTOR_PROTO_WIN7), 48);
	CHECK_EQ(rd32(b), 10);
	CHECK(all_zero(b, 8, 64));
}

TEST(build_query_version)
{
	struct vstor_packet p;
	const u8 *b = (const u8 *)&p;

	memset(&p, 0xcc, sizeof(p));
	/* before negotiation: the 48-byte pre-Win8 packet */
	CHECK_EQ(vstor_build_query_version(&p, VSTOR_PROTO_WIN10, 0), 48);
	CHECK_EQ(rd32(b), 9);
	CHECK_EQ(rd32(b + 4), 1);
	CHECK_EQ(rd32(b + 8), 0);
	CHECK_EQ(rd16(b + 12), 0x0602);
	CHECK_EQ(rd16(b + 14), 0);		/* revision */
	CHECK(all_zero(b, 16, 64));
	CHECK_EQ(vstor_build_query_version(&p, VSTOR_PROTO_WIN6, 0), 48);
	CHECK_EQ(b[12], 0x00);
	CHECK_EQ(b[13], 0x02);			/* major 2 in the high byte */
}

TEST(build_create_subchannels)
{
	struct vstor_packet p;
	const u8 *b = (const u8 *)&p;

	memset(&p, 0xcc, sizeof(p));
	CHECK_EQ(vstor_build_create_subchannels(&p, 0x0107, VSTOR_PROTO_WIN8), 64);
	CHECK_EQ(rd32(b), 13);
	CHECK_EQ(rd32(b + 4), 1);
	CHECK_EQ(rd16(b + 12), 0x0107);
	CHECK(all_zero(b, 14, 64));
}

static const u8 cdb10[10] = { READ10, 0, 0, 0, 0x12, 0x34, 0, 0, 8, 0 };

static struct vstor_srb_req srb_req(u8 data_in, u32 length, u8 tagged)
{
	struct vstor_srb_req r;

	memset(&r, 0, sizeof(r));
	r.port = 2;
	r.path = 3;
	r.target = 4;
	r.lun = 5;
	r.cdb = cdb10;
	r.cdb_len = sizeof(cdb10);
	r.data_in = data_in;
	r.tagged = tagged;
	r.length = length;
	r.timeout_s = 60;
	return r;
}

/* The fields both layouts share, at their wire offsets. */
static bool srb_common_ok(const u8 *b, u16 srb_len, u8 sense, u8 data_in, u32 len)
{
	return rd32(b) == 3 && rd32(b + 4) == 1 && rd32(b + 8) == 0 &&
	       rd16(b + P_SRB + 0) == srb_len &&
	       b[P_SRB + 2] == 0 && b[P_SRB + 3] == 0 &&	/* statuses */
	       b[P_SRB + 4] == 2 && b[P_SRB + 5] == 3 &&
	       b[P_SRB + 6] == 4 && b[P_SRB + 7] == 5 &&
	       b[P_SRB + 8] == 10 && b[P_SRB + 9] == sense &&
	       b[P_SRB + 10] == data_in && b[P_SRB + 11] == 0 &&
	       rd32(b + P_SRB + 12) == len &&
	       !memcmp(b + P_SRB + 16, cdb10, 10) &&
	       all_zero(b, P_SRB + 26, P_SRB + 36);
}

TEST(build_srb_win8_directions)
{
	static const struct {
		u8 data_in;
		u32 len;
		u32 flags;
	} c[] = {
		{ VSTOR_DATA_WRITE, 4096, 0x08 | 0x80 },
		{ VSTOR_DATA_READ, 65536, 0x08 | 0x40 },
		{ VSTOR_DATA_UNKNOWN, 0, 0x08 },
	};
	struct vstor_packet p;
	const u8 *b = (const u8 *)&p;
	struct vstor_srb_req r;
	unsigned int i, v;

	for (v = 0; v < ARRAY_SIZE(win8_up); v++) {
		for (i = 0; i < ARRAY_SIZE(c); i++) {
			r = srb_req(c[i].data_in, c[i].len, 0);
			memset(&p, 0xcc, sizeof(p));
			CHECK_EQ(vstor_build_srb(&p, &r, win8_up[v]), 64);
			CHECK_MSG(srb_common_ok(b, 52, 0x14, c[i].data_in, c[i].len),
				  "version %#x case %u", win8_up[v], i);
			CHECK_EQ(rd16(b + P_SRB + 36), 0);	/* reserve */
			CHECK_EQ(b[P_SRB + 38], 0);		/* untagged: no queue tag */
			CHECK_EQ(b[P_SRB + 39], 0);
			CHECK_EQ(rd32(b + P_SRB + 40), c[i].flags);
			CHECK_EQ(rd32(b + P_SRB + 44), 60);
			CHECK_EQ(rd32(b + P_SRB + 48), 0);	/* queue_sort_key */
		}
	}
}

TEST(build_srb_win8_tagged)
{
	struct vstor_packet p;
	const u8 *b = (const u8 *)&p;
	struct vstor_srb_req r = srb_req(VSTOR_DATA_READ, 512, 1);

	r.timeout_s = 180;
	CHECK_EQ(vstor_build_srb(&p, &r, VSTOR_PROTO_WIN10), 64);
	CHECK(srb_common_ok(b, 52, 0x14, 1, 512));
	CHECK_EQ(b[P_SRB + 38], 0xff);			/* SP_UNTAGGED */
	CHECK_EQ(b[P_SRB + 39], 0x20);			/* SIMPLE */
	CHECK_EQ(rd32(b + P_SRB + 40), 0x08 | 0x02 | 0x100 | 0x40);
	CHECK_EQ(rd32(b + P_SRB + 44), 180);
}

/* Pre-Win8: 48 bytes, SRB length 36, sense 0x12, nothing past byte 48. */
TEST(build_srb_pre_win8)
{
	struct vstor_packet p;
	const u8 *b = (const u8 *)&p;
	struct vstor_srb_req r;
	unsigned int v;

	for (v = 0; v < ARRAY_SIZE(pre_win8); v++) {
		r = srb_req(VSTOR_DATA_WRITE, 8192, 1);
		memset(&p, 0xcc, sizeof(p));
		CHECK_EQ(vstor_build_srb(&p, &r, pre_win8[v]), 48);
		CHECK_MSG(srb_common_ok(b, 36, 0x12, 0, 8192), "version %#x", pre_win8[v]);
		CHECK_MSG(all_zero(b, 48, 64), "version %#x: extension not zero",
			  pre_win8[v]);
	}
}

TEST(build_srb_cdb_lengths)
{
	static const u8 cdb16[16] = { 0x88, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
				      12, 13, 14, 15 };
	struct vstor_packet p;
	const u8 *b = (const u8 *)&p;
	struct vstor_srb_req r = srb_req(VSTOR_DATA_UNKNOWN, 0, 0);

	r.cdb = cdb16;
	r.cdb_len = 16;
	CHECK_EQ(vstor_build_srb(&p, &r, VSTOR_PROTO_WIN8), 64);
	CHECK_EQ(b[P_SRB + 8], 16);
	CHECK(!memcmp(b + P_SRB + 16, cdb16, 16));
	CHECK(all_zero(b, P_SRB + 32, P_SRB + 36));
	r.cdb_len = 6;
	CHECK_EQ(vstor_build_srb(&p, &r, VSTOR_PROTO_WIN8), 64);
	CHECK_EQ(b[P_SRB + 8], 6);
	CHECK(all_zero(b, P_SRB + 22, P_SRB + 36));
	r.cdb_len = 1;
	CHECK_EQ(vstor_build_srb(&p, &r, VSTOR_PROTO_WIN8), 64);
}

TEST(build_srb_refused)
{
	struct vstor_packet p;
	struct vstor_srb_req r;

	r = srb_req(VSTOR_DATA_READ, 512, 0);
	r.cdb_len = 0;
	CHECK_EQ(vstor_build_srb(&p, &r, VSTOR_PROTO_WIN10), 0);
	r.cdb_len = 17;
	CHECK_EQ(vstor_build_srb(&p, &r, VSTOR_PROTO_WIN10), 0);
	r = srb_req(3, 512, 0);				/* no such direction */
	CHECK_EQ(vstor_build_srb(&p, &r, VSTOR_PROTO_WIN10), 0);
	r = srb_req(VSTOR_DATA_UNKNOWN, 512, 0);	/* no data, yet a length */
	CHECK_EQ(vstor_build_srb(&p, &r, VSTOR_PROTO_WIN10), 0);
	r = srb_req(VSTOR_DATA_READ, 0, 0);		/* data, no length */
	CHECK_EQ(vstor_build_srb(&p, &r, 0), 0);
	r = srb_req(VSTOR_DATA_WRITE, 0, 0);
	CHECK_EQ(vstor_build_srb(&p, &r, VSTOR_PROTO_WIN8), 0);
}

/* ---- copy_reply ---- */

TEST(copy_reply_lengths)
{
	struct vstor_reply r;
	const u8 *b = (const u8 *)&r.pkt;
	u8 w[100];
	unsigned int i;

	for (i = 0; i < sizeof(w); i++)
		w[i] = (u8)(i + 1);
	CHECK_EQ(reply(&r, w, 0), -EBADMSG);
	CHECK_EQ(r.len, 0);
	CHECK(all_zero(b, 0, 64));
	CHECK_EQ(reply(&r, w, 3), -EBADMSG);
	CHECK(all_zero(b, 0, 64));

	CHECK_EQ(reply(&r, w, 4), 0);			/* the operation only */
	CHECK_EQ(r.len, 4);
	CHECK_EQ(rd32(b), 0x04030201);
	CHECK(all_zero(b, 4, 64));

	CHECK_EQ(reply(&r, w, 48), 0);			/* pre-Win8 size */
	CHECK_EQ(r.len, 48);
	CHECK(!memcmp(b, w, 48));
	CHECK(all_zero(b, 48, 64));

	CHECK_EQ(reply(&r, w, 64), 0);
	CHECK_EQ(r.len, 64);
	CHECK(!memcmp(b, w, 64));

	CHECK_EQ(reply(&r, w, 100), 0);			/* longer: first 64 bytes */
	CHECK_EQ(r.len, 100);
	CHECK(!memcmp(b, w, 64));
}

/* ---- control completions ---- */

static u32 ctl_wire(u8 *w, u32 op, u32 status)
{
	memset(w, 0, 64);
	wr32(w, op);
	wr32(w + 8, status);
	return 64;
}

static int ctl(const u8 *w, u32 len, u32 op_sent)
{
	struct vstor_reply r;
	const char *why = NULL;
	int rc;

	rc = reply(&r, w, len);
	if (rc)
		return rc;
	rc = vstor_check_ctl_reply(&r, op_sent, &why);
	if (rc && !why)
		return 999;
	return rc;
}

TEST(ctl_reply)
{
	u8 w[64];

	ctl_wire(w, VSTOR_OP_COMPLETE_IO, 0);
	CHECK_EQ(ctl(w, 64, VSTOR_OP_BEGIN_INITIALIZATION), 0);
	CHECK_EQ(ctl(w, 48, VSTOR_OP_BEGIN_INITIALIZATION), 0);
	CHECK_EQ(ctl(w, 12, VSTOR_OP_END_INITIALIZATION), 0);
	CHECK_EQ(ctl(w, 11, VSTOR_OP_END_INITIALIZATION), -EBADMSG);
	CHECK_EQ(ctl(w, 4, VSTOR_OP_BEGIN_INITIALIZATION), -EBADMSG);
	/* the answer each request needs: 4, 24 and 36 bytes after the header */
	CHECK_EQ(ctl(w, 16, VSTOR_OP_QUERY_PROTOCOL_VERSION), 0);
	CHECK_EQ(ctl(w, 15, VSTOR_OP_QUERY_PROTOCOL_VERSION), -EBADMSG);
	CHECK_EQ(ctl(w, 36, VSTOR_OP_QUERY_PROPERTIES), 0);
	CHECK_EQ(ctl(w, 35, VSTOR_OP_QUERY_PROPERTIES), -EBADMSG);
	CHECK_EQ(ctl(w, 48, VSTOR_OP_FCHBA_DATA), 0);
	CHECK_EQ(ctl(w, 47, VSTOR_OP_FCHBA_DATA), -EBADMSG);
}

TEST(ctl_reply_wrong_op)
{
	static const u32 ops[] = { 0, VSTOR_OP_EXECUTE_SRB,
				   VSTOR_OP_QUERY_PROPERTIES,
				   VSTOR_OP_ENUMERATE_BUS, VSTOR_OP_REMOVE_DEVICE,
				   0x101, 0xffffffffu };
	u8 w[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		ctl_wire(w, ops[i], 0);
		CHECK_MSG(ctl(w, 64, VSTOR_OP_QUERY_PROPERTIES) == -EBADMSG,
			  "operation %#x accepted as a completion", ops[i]);
	}
}

/* A failed request: the status is for the caller, no payload needed. */
TEST(ctl_reply_bad_status)
{
	struct vstor_reply r;
	const char *why = NULL;
	u8 w[64];

	ctl_wire(w, VSTOR_OP_COMPLETE_IO, VSTOR_NT_REVISION_MISMATCH);
	CHECK_EQ(ctl(w, 12, VSTOR_OP_QUERY_PROTOCOL_VERSION), 0);
	CHECK_EQ(ctl(w, 12, VSTOR_OP_QUERY_PROPERTIES), 0);
	CHECK_EQ(reply(&r, w, 48), 0);
	CHECK_EQ(vstor_check_ctl_reply(&r, VSTOR_OP_QUERY_PROTOCOL_VERSION, &why), 0);
	CHECK_EQ(r.pkt.status, 0xc0000059u);
	ctl_wire(w, VSTOR_OP_COMPLETE_IO, VSTOR_NT_INVALID_DEVICE_STATE);
	CHECK_EQ(ctl(w, 12, VSTOR_OP_FCHBA_DATA), 0);
	/* a warning status (0x8...) is not success either */
	ctl_wire(w, VSTOR_OP_COMPLETE_IO, VSTOR_NT_BUFFER_OVERFLOW);
	CHECK_EQ(ctl(w, 12, VSTOR_OP_QUERY_PROPERTIES), 0);
}

/* ---- channel properties ---- */

static int props(u16 version, u32 cap, u16 chn, u32 flags, u32 max,
		 struct vstor_limits *lim)
{
	struct vstor_reply r;
	const char *why = NULL;
	u8 w[64];
	int rc;

	ctl_wire(w, VSTOR_OP_COMPLETE_IO, 0);
	wr32(w + 12, 0xdeadbeef);		/* reserved */
	wr16(w + 12 + 4, chn);
	wr16(w + 12 + 6, 0xbeef);		/* reserved1 */
	wr32(w + 12 + 8, flags);
	wr32(w + 12 + 12, max);
	if (reply(&r, w, 12 + 24) ||
	    vstor_check_ctl_reply(&r, VSTOR_OP_QUERY_PROPERTIES, &why))
		return 998;
	memset(lim, 0xaa, sizeof(*lim));
	rc = vstor_parse_properties(&r, version, cap, lim, &why);
	if (rc && !why)
		return 999;
	return rc;
}

TEST(properties)
{
	struct vstor_limits lim;

	/* what OVMM reports: 256 KiB, multi-channel from 5.1 */
	CHECK_EQ(props(VSTOR_PROTO_WIN10, 1u << 20, 7, 1, 0x40000, &lim), 0);
	CHECK_EQ(lim.max_transfer, 0x40000);
	CHECK_EQ(lim.multi_channel, 1);
	CHECK_EQ(lim.max_sub_channels, 7);
	CHECK_EQ(lim.transfer_clamped, 0);

	/* more than the driver's cap: clamped and said so */
	CHECK_EQ(props(VSTOR_PROTO_WIN8, 0x20000, 2, 1, 0x200000, &lim), 0);
	CHECK_EQ(lim.max_transfer, 0x20000);
	CHECK_EQ(lim.transfer_clamped, 1);
	CHECK_EQ(lim.multi_channel, 1);
	CHECK_EQ(lim.max_sub_channels, 2);
	CHECK_EQ(props(VSTOR_PROTO_WIN8, 0x20000, 0, 0, 0xffffffffu, &lim), 0);
	CHECK_EQ(lim.max_transfer, 0x20000);
	CHECK_EQ(lim.transfer_clamped, 1);

	/* not a page multiple: rounded down */
	CHECK_EQ(props(VSTOR_PROTO_WIN10, 1u << 20, 0, 0, 4096 + 100, &lim), 0);
	CHECK_EQ(lim.max_transfer, 4096);
	CHECK_EQ(props(VSTOR_PROTO_WIN10, 1u << 20, 0, 0, 0x41fff, &lim), 0);
	CHECK_EQ(lim.max_transfer, 0x41000);
	CHECK_EQ(lim.transfer_clamped, 0);

	/* less than a page: refused */
	CHECK_EQ(props(VSTOR_PROTO_WIN10, 1u << 20, 0, 0, 4095, &lim), -EINVAL);
	CHECK_EQ(props(VSTOR_PROTO_WIN10, 1u << 20, 0, 0, 0, &lim), -EINVAL);
	CHECK_EQ(props(VSTOR_PROTO_WIN10, 1u << 20, 0, 0, 4096, &lim), 0);
	CHECK_EQ(lim.max_transfer, 4096);
}

TEST(properties_multichannel_bits)
{
	struct vstor_limits lim;
	unsigned int i;

	/* no flag: no sub-channels whatever max_channel_cnt says */
	CHECK_EQ(props(VSTOR_PROTO_WIN10, 1u << 20, 8, 0, 0x40000, &lim), 0);
	CHECK_EQ(lim.multi_channel, 0);
	CHECK_EQ(lim.max_sub_channels, 0);
	/* other flag bits are not multi-channel */
	CHECK_EQ(props(VSTOR_PROTO_WIN10, 1u << 20, 8, 0xfffffffeu, 0x40000, &lim), 0);
	CHECK_EQ(lim.multi_channel, 0);
	CHECK_EQ(lim.max_sub_channels, 0);
	CHECK_EQ(props(VSTOR_PROTO_WIN10, 1u << 20, 8, 0xffffffffu, 0x40000, &lim), 0);
	CHECK_EQ(lim.multi_channel, 1);
	CHECK_EQ(lim.max_sub_channels, 8);
	/* before Win8 (5.1) there is no multi-channel, whatever the host says */
	for (i = 0; i < ARRAY_SIZE(pre_win8); i++) {
		CHECK_EQ(props(pre_win8[i], 1u << 20, 8, 1, 0x40000, &lim), 0);
		CHECK_EQ(lim.multi_channel, 0);
		CHECK_EQ(lim.max_sub_channels, 0);
		CHECK_EQ(lim.max_transfer, 0x40000);
	}
}

TEST(subchannel_count)
{
	CHECK_EQ(vstor_subchannel_count(0, 16, 0), 0);
	CHECK_EQ(vstor_subchannel_count(1, 16, 0), 0);
	CHECK_EQ(vstor_subchannel_count(2, 16, 0), 1);
	CHECK_EQ(vstor_subchannel_count(8, 16, 0), 7);	/* CPUs - 1 */
	CHECK_EQ(vstor_subchannel_count(8, 3, 0), 3);	/* host maximum */
	CHECK_EQ(vstor_subchannel_count(8, 0, 0), 0);
	CHECK_EQ(vstor_subchannel_count(8, 16, 4), 3);	/* max_queues - 1 */
	CHECK_EQ(vstor_subchannel_count(8, 16, 1), 0);
	CHECK_EQ(vstor_subchannel_count(8, 16, 8), 7);
	CHECK_EQ(vstor_subchannel_count(8, 16, 100), 7);
	CHECK_EQ(vstor_subchannel_count(1000, 0xffff, 0), 64);
	CHECK_EQ(vstor_subchannel_count(0xffffffffu, 0xffff, 0xffffffffu), 64);
}

/* ---- unsolicited messages (transaction id 0) ---- */

static int unsol(u32 op, u32 len)
{
	struct vstor_reply r;
	const char *why = NULL;
	u8 w[64];
	int rc;

	ctl_wire(w, op, 0);
	rc = reply(&r, w, len);
	if (rc)
		return rc;
	rc = vstor_check_unsolicited(&r, &why);
	if (rc && !why)
		return 999;
	return rc;
}

TEST(unsolicited)
{
	/* the rescan triggers need nothing but the operation */
	CHECK_EQ(unsol(VSTOR_OP_ENUMERATE_BUS, 4), 0);
	CHECK_EQ(unsol(VSTOR_OP_ENUMERATE_BUS, 64), 0);
	CHECK_EQ(unsol(VSTOR_OP_REMOVE_DEVICE, 4), 0);
	CHECK_EQ(unsol(VSTOR_OP_REMOVE_DEVICE, 48), 0);
	/* FCHBA_DATA carries the 36-byte port names */
	CHECK_EQ(unsol(VSTOR_OP_FCHBA_DATA, 48), 0);
	CHECK_EQ(unsol(VSTOR_OP_FCHBA_DATA, 64), 0);
	CHECK_EQ(unsol(VSTOR_OP_FCHBA_DATA, 47), -EBADMSG);
	CHECK_EQ(unsol(VSTOR_OP_FCHBA_DATA, 12), -EBADMSG);
	/* a completion must have a transaction id */
	CHECK_EQ(unsol(VSTOR_OP_COMPLETE_IO, 64), -EBADMSG);
	CHECK_EQ(unsol(VSTOR_OP_COMPLETE_IO, 4), -EBADMSG);
	/* guest-to-host operations and unknown ones */
	CHECK_EQ(unsol(VSTOR_OP_EXECUTE_SRB, 64), -EOPNOTSUPP);
	CHECK_EQ(unsol(VSTOR_OP_RESET_BUS, 64), -EOPNOTSUPP);
	CHECK_EQ(unsol(VSTOR_OP_EVENT_NOTIFICATION, 64), -EOPNOTSUPP);
	CHECK_EQ(unsol(0, 64), -EOPNOTSUPP);
	CHECK_EQ(unsol(0xffffffffu, 64), -EOPNOTSUPP);
}

/* ---- I/O completions ---- */

struct io_wire {
	u32 op, nt;
	u8 srb_status, scsi_status, sense_len;
	u32 dtl;
	const u8 *sense;
	u8 sense_bytes;
};

static void io_wire(u8 *w, const struct io_wire *c)
{
	memset(w, 0, 64);
	wr32(w, c->op);
	wr32(w + 8, c->nt);
	wr16(w + P_SRB, 52);
	w[P_SRB + 2] = c->srb_status;
	w[P_SRB + 3] = c->scsi_status;
	w[P_SRB + 9] = c->sense_len;
	w[P_SRB + 10] = VSTOR_DATA_READ;
	wr32(w + P_SRB + 12, c->dtl);
	if (c->sense)
		memcpy(w + P_SRB + 16, c->sense, c->sense_bytes);
}

static int io(const struct io_wire *c, u32 len, u16 version, u32 request_len,
	      struct vstor_reply *r, struct vstor_io_result *res)
{
	const char *why = NULL;
	u8 w[64];
	int rc;

	io_wire(w, c);
	rc = reply(r, w, len);
	if (rc)
		return rc;
	memset(res, 0xaa, sizeof(*res));
	rc = vstor_parse_io_reply(r, version, request_len, res, &why);
	if (rc && !why)
		return 999;
	return rc;
}

/* fixed-format sense, key 3 (MEDIUM ERROR), ASC 0x11 (unrecovered read) */
static const u8 sense_fixed[18] = { 0x70, 0, 0x03, 0, 0, 0, 0, 10,
				    0, 0, 0, 0, 0x11, 0x00, 0, 0, 0, 0 };
/* UNIT ATTENTION, capacity data has changed (2A/09) */
static const u8 sense_cap_fixed[18] = { 0x70, 0, 0x06, 0, 0, 0, 0, 10,
					0, 0, 0, 0, 0x2a, 0x09, 0, 0, 0, 0 };
static const u8 sense_cap_desc[8] = { 0x72, 0x06, 0x2a, 0x09, 0, 0, 0, 0 };
/* ILLEGAL REQUEST, invalid field in CDB (5/24/00) */
static const u8 sense_illegal[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 10,
				      0, 0, 0, 0, 0x24, 0x00, 0, 0, 0, 0 };

TEST(io_reply_success)
{
	struct io_wire c = { VSTOR_OP_COMPLETE_IO, 0, VSTOR_SRB_SUCCESS, 0, 0, 4096,
			     NULL, 0 };
	struct vstor_reply r;
	struct vstor_io_result res;

	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 4096, &r, &res), 0);
	CHECK_EQ(res.nt_status, 0);
	CHECK_EQ(res.srb_status, 1);
	CHECK_EQ(res.scsi_status, 0);
	CHECK_EQ(res.data_transfer_length, 4096);
	CHECK_EQ(res.dtl_valid, 1);
	CHECK_EQ(res.sense_len, 0);
	CHECK_EQ(res.sense_clamped, 0);
	/* sense points at the cdb/sense area of the copied packet (byte 28) */
	CHECK(res.sense == (const u8 *)&r.pkt + 28);

	c.dtl = 0;
	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 4096, &r, &res), 0);
	CHECK_EQ(res.dtl_valid, 1);
	/* raw status with flags and NTSTATUS kept as sent */
	c.srb_status = VSTOR_SRB_ERROR | VSTOR_SRB_FLAG_QUEUE_FROZEN;
	c.nt = VSTOR_NT_IO_DEVICE_ERROR;
	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 4096, &r, &res), 0);
	CHECK_EQ(res.srb_status, 0x44);
	CHECK_EQ(res.nt_status, 0xc0000185u);
}

TEST(io_reply_short)
{
	struct io_wire c = { VSTOR_OP_COMPLETE_IO, 0, VSTOR_SRB_SUCCESS, 0, 0, 512,
			     NULL, 0 };
	struct vstor_reply r;
	struct vstor_io_result res;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(win8_up); i++) {
		CHECK_EQ(io(&c, 63, win8_up[i], 512, &r, &res), -EBADMSG);
		CHECK_EQ(io(&c, 48, win8_up[i], 512, &r, &res), -EBADMSG);
		CHECK_EQ(io(&c, 12, win8_up[i], 512, &r, &res), -EBADMSG);
		CHECK_EQ(io(&c, 4, win8_up[i], 512, &r, &res), -EBADMSG);
		CHECK_EQ(io(&c, 64, win8_up[i], 512, &r, &res), 0);
	}
	for (i = 0; i < ARRAY_SIZE(pre_win8); i++) {
		CHECK_EQ(io(&c, 47, pre_win8[i], 512, &r, &res), -EBADMSG);
		CHECK_EQ(io(&c, 48, pre_win8[i], 512, &r, &res), 0);
		CHECK_EQ(res.data_transfer_length, 512);
		CHECK_EQ(io(&c, 64, pre_win8[i], 512, &r, &res), 0);
	}
	CHECK_EQ(io(&c, 3, VSTOR_PROTO_WIN10, 512, &r, &res), -EBADMSG);
}

TEST(io_reply_wrong_op)
{
	static const u32 ops[] = { 0, VSTOR_OP_EXECUTE_SRB, VSTOR_OP_REMOVE_DEVICE,
				   VSTOR_OP_ENUMERATE_BUS, VSTOR_OP_FCHBA_DATA,
				   0x10001 };
	struct io_wire c = { 0, 0, VSTOR_SRB_SUCCESS, 0, 0, 512, NULL, 0 };
	struct vstor_reply r;
	struct vstor_io_result res;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		c.op = ops[i];
		CHECK_MSG(io(&c, 64, VSTOR_PROTO_WIN10, 512, &r, &res) == -EBADMSG,
			  "operation %#x taken as an I/O completion", ops[i]);
	}
}

TEST(io_reply_transfer_longer_than_request)
{
	struct io_wire c = { VSTOR_OP_COMPLETE_IO, 0, VSTOR_SRB_SUCCESS, 0, 0, 4097,
			     NULL, 0 };
	struct vstor_reply r;
	struct vstor_io_result res;

	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 4096, &r, &res), 0);
	CHECK_EQ(res.data_transfer_length, 4097);
	CHECK_EQ(res.dtl_valid, 0);
	c.dtl = 0xffffffffu;
	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 4096, &r, &res), 0);
	CHECK_EQ(res.dtl_valid, 0);
	c.dtl = 1;
	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 0, &r, &res), 0);
	CHECK_EQ(res.dtl_valid, 0);
}

TEST(io_reply_sense)
{
	struct io_wire c = { VSTOR_OP_COMPLETE_IO, VSTOR_NT_IO_DEVICE_ERROR,
			     VSTOR_SRB_ERROR | VSTOR_SRB_FLAG_AUTOSENSE_VALID,
			     CHECK_COND, 18, 0, sense_fixed, 18 };
	struct vstor_reply r;
	struct vstor_io_result res;

	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 4096, &r, &res), 0);
	CHECK_EQ(res.sense_len, 18);
	CHECK_EQ(res.sense_clamped, 0);
	CHECK(!memcmp(res.sense, sense_fixed, 18));
	/* the whole area */
	c.sense_len = 20;
	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 4096, &r, &res), 0);
	CHECK_EQ(res.sense_len, 20);
	CHECK_EQ(res.sense_clamped, 0);
	/* pre-Win8: the 20-byte area ends at byte 48, inside the packet */
	CHECK_EQ(io(&c, 48, VSTOR_PROTO_WIN7, 4096, &r, &res), 0);
	CHECK(res.sense_len <= 20);
	CHECK(res.sense + res.sense_len <= (const u8 *)&r.pkt + 48);
	/* no CHECK CONDITION, or no AUTOSENSE_VALID: no sense */
	c.sense_len = 18;
	c.scsi_status = 0;
	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 4096, &r, &res), 0);
	CHECK_EQ(res.sense_len, 0);
	c.scsi_status = SCSI_BUSY;
	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 4096, &r, &res), 0);
	CHECK_EQ(res.sense_len, 0);
	c.scsi_status = CHECK_COND;
	c.srb_status = VSTOR_SRB_ERROR;
	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 4096, &r, &res), 0);
	CHECK_EQ(res.sense_len, 0);
	CHECK_EQ(res.scsi_status, CHECK_COND);
}

/* The host claims more sense bytes than the 20-byte area holds. */
TEST(io_reply_sense_too_long)
{
	static const u8 lens[] = { 21, 0x60, 0xff };
	struct io_wire c = { VSTOR_OP_COMPLETE_IO, 0,
			     VSTOR_SRB_ERROR | VSTOR_SRB_FLAG_AUTOSENSE_VALID,
			     CHECK_COND, 0, 0, sense_fixed, 18 };
	struct vstor_reply r;
	struct vstor_io_result res;
	unsigned int i, v;

	for (v = 0; v < 2; v++) {
		u16 ver = v ? VSTOR_PROTO_WIN10 : VSTOR_PROTO_WIN6;
		u32 len = v ? 64 : 48;

		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			c.sense_len = lens[i];
			CHECK_EQ(io(&c, len, ver, 4096, &r, &res), 0);
			CHECK_MSG(res.sense_len == 20 && res.sense_clamped == 1,
				  "sense_info_length %u: sense_len %u clamped %u",
				  lens[i], res.sense_len, res.sense_clamped);
			CHECK(res.sense + res.sense_len <= (const u8 *)&r.pkt + len);
		}
	}
}

/* ---- sense data ---- */

TEST(sense_asc_fixed)
{
	u8 s[18];
	u8 asc = 0x55, ascq = 0x66;

	memcpy(s, sense_cap_fixed, sizeof(s));
	CHECK_EQ(vstor_sense_asc(s, 18, &asc, &ascq), 1);
	CHECK_EQ(asc, 0x2a);
	CHECK_EQ(ascq, 0x09);
	s[0] = 0xf0;				/* VALID bit set */
	CHECK_EQ(vstor_sense_asc(s, 18, &asc, &ascq), 1);
	CHECK_EQ(asc, 0x2a);
	s[0] = 0x71;				/* deferred error */
	s[12] = 0x11;
	s[13] = 0x04;
	CHECK_EQ(vstor_sense_asc(s, 14, &asc, &ascq), 1);
	CHECK_EQ(asc, 0x11);
	CHECK_EQ(ascq, 0x04);
	/* ASCQ is byte 13: 13 bytes do not hold it */
	asc = ascq = 0x55;
	CHECK_EQ(vstor_sense_asc(s, 13, &asc, &ascq), 0);
	CHECK_EQ(vstor_sense_asc(s, 8, &asc, &ascq), 0);
	CHECK_EQ(vstor_sense_asc(s, 1, &asc, &ascq), 0);
	CHECK_EQ(vstor_sense_asc(s, 0, &asc, &ascq), 0);
	CHECK_EQ(asc, 0x55);
	CHECK_EQ(ascq, 0x55);
}

TEST(sense_asc_descriptor)
{
	u8 s[8];
	u8 asc = 0x55, ascq = 0x66;

	memcpy(s, sense_cap_desc, sizeof(s));
	CHECK_EQ(vstor_sense_asc(s, 8, &asc, &ascq), 1);
	CHECK_EQ(asc, 0x2a);
	CHECK_EQ(ascq, 0x09);
	s[0] = 0x73;
	s[2] = 0x04;
	s[3] = 0x01;
	CHECK_EQ(vstor_sense_asc(s, 4, &asc, &ascq), 1);
	CHECK_EQ(asc, 0x04);
	CHECK_EQ(ascq, 0x01);
	asc = ascq = 0x55;
	CHECK_EQ(vstor_sense_asc(s, 3, &asc, &ascq), 0);
	CHECK_EQ(asc, 0x55);
}

TEST(sense_asc_other_codes)
{
	static const u8 codes[] = { 0x00, 0x6f, 0x74, 0x7e, 0x7f, 0x0f };
	u8 s[18];
	u8 asc, ascq;
	unsigned int i;

	memcpy(s, sense_cap_fixed, sizeof(s));
	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		s[0] = codes[i];
		CHECK_MSG(!vstor_sense_asc(s, 18, &asc, &ascq),
			  "response code %#x parsed", codes[i]);
	}
}

/* ---- verdicts ---- */

static struct vstor_io_result io_res(u8 srb, u8 scsi, u32 dtl, u32 req,
				     const u8 *sense, u8 sense_len)
{
	struct vstor_io_result res;

	memset(&res, 0, sizeof(res));
	res.srb_status = srb;
	res.scsi_status = scsi;
	res.data_transfer_length = dtl;
	res.dtl_valid = dtl <= req;
	res.sense = sense;
	res.sense_len = sense_len;
	return res;
}

static void verdict(u8 srb, u8 scsi, u32 dtl, u8 opcode, const u8 *sense,
		    u8 sense_len, struct vstor_verdict *v)
{
	struct vstor_io_result res = io_res(srb, scsi, dtl, 4096, sense, sense_len);

	memset(v, 0xaa, sizeof(*v));
	vstor_map_result(&res, opcode, 4096, v);
}

TEST(map_success)
{
	struct vstor_verdict v;

	verdict(VSTOR_SRB_SUCCESS, 0, 4096, READ10, NULL, 0, &v);
	CHECK_EQ(v.host, VSTOR_HOST_OK);
	CHECK_EQ(v.action, VSTOR_ACT_NONE);
	CHECK_EQ(v.status, 0);
	CHECK_EQ(v.sense_len, 0);
	CHECK_EQ(v.resid, 0);
	/* short transfer */
	verdict(VSTOR_SRB_SUCCESS, 0, 1024, WRITE10, NULL, 0, &v);
	CHECK_EQ(v.host, VSTOR_HOST_OK);
	CHECK_EQ(v.resid, 3072);
	/* the SCSI status goes through (the mid layer judges BUSY etc.) */
	verdict(VSTOR_SRB_SUCCESS, SCSI_BUSY, 0, READ10, NULL, 0, &v);
	CHECK_EQ(v.host, VSTOR_HOST_OK);
	CHECK_EQ(v.status, SCSI_BUSY);
	CHECK_EQ(v.resid, 4096);
}

/* The host says it moved more than the buffer: never a negative resid. */
TEST(map_success_transfer_too_long)
{
	struct vstor_verdict v;

	verdict(VSTOR_SRB_SUCCESS, 0, 4097, READ10, NULL, 0, &v);
	CHECK(v.host != VSTOR_HOST_OK);
	CHECK(v.resid <= 4096);
	verdict(VSTOR_SRB_SUCCESS, 0, 0xffffffffu, READ10, NULL, 0, &v);
	CHECK(v.host != VSTOR_HOST_OK);
	CHECK(v.resid <= 4096);
}

TEST(map_error_with_autosense)
{
	struct vstor_verdict v;

	/* the SCSI layer decides from the sense data */
	verdict(VSTOR_SRB_ERROR | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND, 4096,
		READ10, sense_fixed, 18, &v);
	CHECK_EQ(v.host, VSTOR_HOST_OK);
	CHECK_EQ(v.action, VSTOR_ACT_NONE);
	CHECK_EQ(v.status, CHECK_COND);
	CHECK_EQ(v.sense_len, 18);
	CHECK_EQ(v.resid, 4096);		/* nothing moved on an error */
	verdict(VSTOR_SRB_ABORTED | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND, 0,
		WRITE10, sense_fixed, 18, &v);
	CHECK_EQ(v.host, VSTOR_HOST_OK);
	CHECK_EQ(v.sense_len, 18);
	CHECK_EQ(v.resid, 4096);
}

TEST(map_error_without_autosense)
{
	static const u8 codes[] = { VSTOR_SRB_ERROR, VSTOR_SRB_ABORTED,
				    VSTOR_SRB_INVALID_REQUEST,
				    VSTOR_SRB_INTERNAL_ERROR, VSTOR_SRB_TIMEOUT,
				    VSTOR_SRB_SELECTION_TIMEOUT,
				    VSTOR_SRB_BUS_RESET,
				    VSTOR_SRB_ERROR | VSTOR_SRB_FLAG_QUEUE_FROZEN };
	struct vstor_verdict v;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		verdict(codes[i], 0, 4096, READ10, NULL, 0, &v);
		CHECK_MSG(v.host == VSTOR_HOST_ERROR, "srb %#x: host %u", codes[i], v.host);
		CHECK_EQ(v.action, VSTOR_ACT_NONE);
		CHECK_EQ(v.resid, 4096);
		/* pass-through ATA commands: the caller reads the ATA status */
		verdict(codes[i], 0, 0, ATA16, NULL, 0, &v);
		CHECK_EQ(v.host, VSTOR_HOST_PASSTHROUGH);
		verdict(codes[i], 0, 0, ATA12, NULL, 0, &v);
		CHECK_EQ(v.host, VSTOR_HOST_PASSTHROUGH);
		/* some hosts fail TEST UNIT READY this way: judged by the status */
		verdict(codes[i], CHECK_COND, 0, TUR, NULL, 0, &v);
		CHECK_EQ(v.host, VSTOR_HOST_OK);
		CHECK_EQ(v.status, CHECK_COND);
	}
}

TEST(map_invalid_lun)
{
	struct vstor_verdict v;

	verdict(VSTOR_SRB_INVALID_LUN, 0, 4096, READ10, NULL, 0, &v);
	CHECK_EQ(v.host, VSTOR_HOST_NO_CONNECT);
	CHECK_EQ(v.action, VSTOR_ACT_REMOVE_LUN);
	CHECK_EQ(v.resid, 4096);
	/* flag bits do not hide the code */
	verdict(VSTOR_SRB_INVALID_LUN | VSTOR_SRB_FLAG_QUEUE_FROZEN, 0, 0, WRITE10,
		NULL, 0, &v);
	CHECK_EQ(v.host, VSTOR_HOST_NO_CONNECT);
	CHECK_EQ(v.action, VSTOR_ACT_REMOVE_LUN);
	/* not even INQUIRY is turned into success for a missing LUN */
	verdict(VSTOR_SRB_INVALID_LUN, 0, 0, INQUIRY, NULL, 0, &v);
	CHECK_EQ(v.host, VSTOR_HOST_NO_CONNECT);
	CHECK_EQ(v.action, VSTOR_ACT_REMOVE_LUN);
}

/*
 * INVALID_LUN is the most specific verdict (the in-tree driver handles it
 * before looking at the sense data): a host that also sends a "capacity
 * changed" sense must not turn it into a rescan and requeue.
 */
TEST(map_invalid_lun_before_sense)
{
	struct vstor_verdict v;

	verdict(VSTOR_SRB_INVALID_LUN | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND,
		0, READ10, sense_cap_fixed, 18, &v);
	CHECK_EQ(v.host, VSTOR_HOST_NO_CONNECT);
	CHECK_EQ(v.action, VSTOR_ACT_REMOVE_LUN);
	CHECK_EQ(v.resid, 4096);
}

TEST(map_absent_target)
{
	static const u8 codes[] = { VSTOR_SRB_INVALID_TARGET_ID,
				    VSTOR_SRB_INVALID_PATH_ID,
				    VSTOR_SRB_NO_DEVICE, VSTOR_SRB_NO_HBA };
	struct vstor_verdict v;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		verdict(codes[i], 0, 4096, READ10, NULL, 0, &v);
		CHECK_MSG(v.host == VSTOR_HOST_NO_CONNECT, "srb %#x", codes[i]);
		CHECK_EQ(v.action, VSTOR_ACT_NONE);
		CHECK_EQ(v.resid, 4096);
		verdict(codes[i], 0, 4096, INQUIRY, NULL, 0, &v);
		CHECK_MSG(v.host == VSTOR_HOST_NO_CONNECT, "INQUIRY srb %#x", codes[i]);
	}
}

TEST(map_busy)
{
	struct vstor_verdict v;

	verdict(VSTOR_SRB_BUSY, 0, 4096, READ10, NULL, 0, &v);
	CHECK_EQ(v.host, VSTOR_HOST_BUS_BUSY);
	CHECK_EQ(v.action, VSTOR_ACT_NONE);
	CHECK_EQ(v.resid, 4096);
	verdict(VSTOR_SRB_BUSY | VSTOR_SRB_FLAG_QUEUE_FROZEN, 0, 0, WRITE10, NULL, 0, &v);
	CHECK_EQ(v.host, VSTOR_HOST_BUS_BUSY);
}

/* DATA_OVERRUN: data_transfer_length is valid (a short transfer). */
TEST(map_data_overrun)
{
	struct vstor_verdict v;

	verdict(VSTOR_SRB_DATA_OVERRUN, 0, 512, READ10, NULL, 0, &v);
	CHECK_EQ(v.resid, 3584);
	CHECK_EQ(v.action, VSTOR_ACT_NONE);
	verdict(VSTOR_SRB_DATA_OVERRUN, 0, 8192, READ10, NULL, 0, &v);
	CHECK(v.host != VSTOR_HOST_OK);
	CHECK(v.resid <= 4096);
}

TEST(map_capacity_changed)
{
	static const u8 codes[] = { VSTOR_SRB_ERROR, VSTOR_SRB_ABORTED };
	struct vstor_verdict v;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		verdict(codes[i] | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND, 0,
			READ10, sense_cap_fixed, 18, &v);
		CHECK_EQ(v.host, VSTOR_HOST_REQUEUE);
		CHECK_EQ(v.action, VSTOR_ACT_RESCAN_LUN);
		CHECK_EQ(v.resid, 4096);
		verdict(codes[i] | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND, 0,
			WRITE10, sense_cap_desc, 8, &v);
		CHECK_EQ(v.host, VSTOR_HOST_REQUEUE);
		CHECK_EQ(v.action, VSTOR_ACT_RESCAN_LUN);
	}
	/* another ASCQ of 2A is not a capacity change */
	{
		u8 s[18];

		memcpy(s, sense_cap_fixed, sizeof(s));
		s[13] = 0x01;			/* mode parameters changed */
		verdict(VSTOR_SRB_ERROR | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND,
			0, READ10, s, 18, &v);
		CHECK_EQ(v.host, VSTOR_HOST_OK);
		CHECK_EQ(v.action, VSTOR_ACT_NONE);
	}
}

/* Hosts fail INQUIRY / MODE SENSE pages they lack: taken as success. */
TEST(map_inquiry_mode_sense_forced)
{
	static const u8 ops[] = { INQUIRY, MODE_SENSE6, MODE_SENSE10 };
	struct vstor_verdict v;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		verdict(VSTOR_SRB_ERROR | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND,
			0, ops[i], sense_fixed, 18, &v);
		CHECK_MSG(v.host == VSTOR_HOST_OK, "op %#x host %u", ops[i], v.host);
		CHECK_EQ(v.status, 0);
		CHECK_EQ(v.sense_len, 0);
		CHECK_EQ(v.action, VSTOR_ACT_NONE);
		CHECK(v.resid <= 4096);
		verdict(VSTOR_SRB_ERROR, 0, 0, ops[i], NULL, 0, &v);
		CHECK_EQ(v.host, VSTOR_HOST_OK);
		CHECK_EQ(v.status, 0);
		verdict(VSTOR_SRB_SUCCESS, 0, 36, ops[i], NULL, 0, &v);
		CHECK_EQ(v.host, VSTOR_HOST_OK);
		CHECK_EQ(v.resid, 4096 - 36);
	}
}

/*
 * DATA_OVERRUN with GOOD status and no sense is a short transfer: real
 * Hyper-V FC passthrough answers MAINTENANCE IN (RTPG) this way ("scsi
 * 0x0 srb 0x12", Linux b1aee7f03461) and PERSISTENT RESERVE IN with srb
 * 0x12 and the data in the buffer (9cf351b289fb); Linux before v6.6
 * completed it as success with the residual.
 */
TEST(map_data_overrun_short_good)
{
	static const u8 ops[] = { READ10, MAINT_IN, PR_IN };
	struct vstor_verdict v;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		verdict(VSTOR_SRB_DATA_OVERRUN, 0, 8, ops[i], NULL, 0, &v);
		CHECK_MSG(v.host == VSTOR_HOST_OK, "op %#x host %u", ops[i], v.host);
		CHECK_EQ(v.status, 0);
		CHECK_EQ(v.sense_len, 0);
		CHECK_EQ(v.action, VSTOR_ACT_NONE);
		CHECK_EQ(v.resid, 4096 - 8);
	}
}

/*
 * DATA_OVERRUN with CHECK CONDITION and no sense (OpenVMM's DVD answers a
 * buffer smaller than the allocation length so, with nothing moved):
 * handled like the other failures without sense, as Linux does since
 * v6.6.  Handing the SCSI layer a CHECK CONDITION without sense would
 * start its error handler for the whole host.
 */
TEST(map_data_overrun_failed_without_sense)
{
	static const u8 stat[] = { CHECK_COND, SCSI_BUSY };
	struct vstor_verdict v;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stat); i++) {
		verdict(VSTOR_SRB_DATA_OVERRUN, stat[i], 0, READ10, NULL, 0, &v);
		CHECK_MSG(v.host == VSTOR_HOST_ERROR, "status %#x host %u",
			  stat[i], v.host);
		CHECK_EQ(v.action, VSTOR_ACT_NONE);
		CHECK_EQ(v.sense_len, 0);
		CHECK_EQ(v.resid, 4096);
		/* the length the host reports still counts */
		verdict(VSTOR_SRB_DATA_OVERRUN, stat[i], 512, READ10, NULL, 0, &v);
		CHECK_EQ(v.host, VSTOR_HOST_ERROR);
		CHECK_EQ(v.resid, 4096 - 512);
		verdict(VSTOR_SRB_DATA_OVERRUN, stat[i], 0, ATA16, NULL, 0, &v);
		CHECK_EQ(v.host, VSTOR_HOST_PASSTHROUGH);
		verdict(VSTOR_SRB_DATA_OVERRUN, stat[i], 0, TUR, NULL, 0, &v);
		CHECK_EQ(v.host, VSTOR_HOST_OK);
		CHECK_EQ(v.status, stat[i]);
	}
}

/* DATA_OVERRUN with sense (OpenVMM's disk): the sense decides. */
TEST(map_data_overrun_with_sense)
{
	struct vstor_verdict v;

	verdict(VSTOR_SRB_DATA_OVERRUN | VSTOR_SRB_FLAG_AUTOSENSE_VALID,
		CHECK_COND, 0, READ10, sense_illegal, 18, &v);
	CHECK_EQ(v.host, VSTOR_HOST_OK);
	CHECK_EQ(v.status, CHECK_COND);
	CHECK_EQ(v.sense_len, 18);
	CHECK_EQ(v.action, VSTOR_ACT_NONE);
	CHECK_EQ(v.resid, 4096);
}

/*
 * UNIT ATTENTION 3F/xx "operating conditions have changed": Hyper-V
 * reports it when a differencing disk is added or removed (the VHDX block
 * size, hence discard granularity, changes).  Revalidate the LUN and
 * retry, as Linux does since 11d9874c4204 (2023); 3F/03 (INQUIRY data)
 * and 3F/0E (REPORTED LUNS data) stay with the SCSI layer, which raises
 * its own events for them.
 */
TEST(map_operating_conditions_changed)
{
	static const u8 ascq_rescan[] = { 0x00, 0x01, 0x02, 0x05, 0x0f, 0xff };
	static const u8 ascq_midlayer[] = { 0x03, 0x0e };
	static const u8 codes[] = { VSTOR_SRB_ERROR, VSTOR_SRB_ABORTED,
				    VSTOR_SRB_DATA_OVERRUN };
	struct vstor_verdict v;
	u8 s[18], d[8];
	unsigned int i, j;

	memcpy(s, sense_cap_fixed, sizeof(s));
	memcpy(d, sense_cap_desc, sizeof(d));
	s[12] = 0x3f;
	d[2] = 0x3f;
	for (j = 0; j < ARRAY_SIZE(codes); j++) {
		for (i = 0; i < ARRAY_SIZE(ascq_rescan); i++) {
			s[13] = ascq_rescan[i];
			verdict(codes[j] | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND,
				0, READ10, s, 18, &v);
			CHECK_MSG(v.host == VSTOR_HOST_REQUEUE,
				  "srb %#x 3f/%02x host %u", codes[j], s[13], v.host);
			CHECK_EQ(v.action, VSTOR_ACT_RESCAN_LUN);
			CHECK_EQ(v.resid, 4096);
			d[3] = ascq_rescan[i];
			verdict(codes[j] | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND,
				0, WRITE10, d, 8, &v);
			CHECK_EQ(v.host, VSTOR_HOST_REQUEUE);
			CHECK_EQ(v.action, VSTOR_ACT_RESCAN_LUN);
		}
		for (i = 0; i < ARRAY_SIZE(ascq_midlayer); i++) {
			s[13] = ascq_midlayer[i];
			verdict(codes[j] | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND,
				0, READ10, s, 18, &v);
			CHECK_MSG(v.host == VSTOR_HOST_OK, "3f/%02x host %u",
				  s[13], v.host);
			CHECK_EQ(v.action, VSTOR_ACT_NONE);
			CHECK_EQ(v.status, CHECK_COND);
			CHECK_EQ(v.sense_len, 18);
		}
	}
	/* a missing LUN is still removed, whatever the sense says */
	s[13] = 0x02;
	verdict(VSTOR_SRB_INVALID_LUN | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND,
		0, READ10, s, 18, &v);
	CHECK_EQ(v.host, VSTOR_HOST_NO_CONNECT);
	CHECK_EQ(v.action, VSTOR_ACT_REMOVE_LUN);
}

/*
 * The transfer length is checked against the length given here, not only
 * through dtl_valid (computed by the parser against its own length): the
 * residual can never wrap, the SCSI layer never sees more than it asked.
 */
TEST(map_transfer_length_checked_here)
{
	static const u8 ops[] = { READ10, INQUIRY, MODE_SENSE6, MODE_SENSE10 };
	static const u8 codes[] = { VSTOR_SRB_SUCCESS, VSTOR_SRB_DATA_OVERRUN };
	struct vstor_io_result res;
	struct vstor_verdict v;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		for (j = 0; j < ARRAY_SIZE(codes); j++) {
			res = io_res(codes[j], 0, 8192, 8192, NULL, 0);
			CHECK(res.dtl_valid);
			memset(&v, 0xaa, sizeof(v));
			vstor_map_result(&res, ops[i], 4096, &v);
			CHECK_MSG(v.host == VSTOR_HOST_ERROR, "op %#x srb %#x host %u",
				  ops[i], codes[j], v.host);
			CHECK_MSG(v.resid == 4096, "op %#x srb %#x resid %u",
				  ops[i], codes[j], v.resid);
		}
	}
}

/* Pins: a longer length from the parser's own check is never OK either. */
TEST(map_transfer_too_long_forced_ops)
{
	static const u8 ops[] = { INQUIRY, MODE_SENSE6, MODE_SENSE10 };
	struct vstor_verdict v;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		verdict(VSTOR_SRB_SUCCESS, 0, 4097, ops[i], NULL, 0, &v);
		CHECK(v.host != VSTOR_HOST_OK);
		CHECK_EQ(v.resid, 4096);
		verdict(VSTOR_SRB_ERROR, CHECK_COND, 0xffffffffu, ops[i], NULL, 0, &v);
		CHECK(v.host != VSTOR_HOST_OK);
		CHECK_EQ(v.resid, 4096);
	}
	verdict(VSTOR_SRB_DATA_OVERRUN, 0, 0xffffffffu, READ10, NULL, 0, &v);
	CHECK(v.host != VSTOR_HOST_OK);
	CHECK_EQ(v.resid, 4096);
}

/*
 * The old hosts' MODE SENSE(6)/(10) page failure (page 0x1c, ILLEGAL
 * REQUEST) becomes success with what the host moved (nothing here), as
 * Linux does for MODE SENSE since the staging driver and for MODE
 * SENSE(10) since 9eacec5d18f9 (2026).
 */
TEST(map_mode_sense_page_failure_forced)
{
	static const u8 ops[] = { MODE_SENSE6, MODE_SENSE10 };
	struct vstor_verdict v;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		verdict(VSTOR_SRB_ERROR | VSTOR_SRB_FLAG_AUTOSENSE_VALID, CHECK_COND,
			0, ops[i], sense_illegal, 18, &v);
		CHECK_EQ(v.host, VSTOR_HOST_OK);
		CHECK_EQ(v.status, 0);
		CHECK_EQ(v.sense_len, 0);
		CHECK_EQ(v.action, VSTOR_ACT_NONE);
		CHECK_EQ(v.resid, 4096);
		verdict(VSTOR_SRB_INVALID_REQUEST, 0, 0, ops[i], NULL, 0, &v);
		CHECK_EQ(v.host, VSTOR_HOST_OK);
		CHECK_EQ(v.resid, 4096);
	}
}

/*
 * A busy host is not a page the host cannot answer: forcing it to
 * success would hand sd an empty caching page (write through assumed, no
 * more cache flushes).  The command is retried instead.
 */
TEST(map_forced_ops_busy_retried)
{
	static const u8 ops[] = { INQUIRY, MODE_SENSE6, MODE_SENSE10 };
	static const u8 busy[] = { SCSI_BUSY, TASK_SET_FULL };
	struct vstor_verdict v;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		verdict(VSTOR_SRB_BUSY, 0, 0, ops[i], NULL, 0, &v);
		CHECK_MSG(v.host == VSTOR_HOST_BUS_BUSY, "op %#x host %u",
			  ops[i], v.host);
		CHECK_EQ(v.resid, 4096);
		for (j = 0; j < ARRAY_SIZE(busy); j++) {
			verdict(VSTOR_SRB_SUCCESS, busy[j], 0, ops[i], NULL, 0, &v);
			CHECK_EQ(v.host, VSTOR_HOST_OK);
			CHECK_MSG(v.status == busy[j], "op %#x status %#x",
				  ops[i], v.status);
			CHECK_EQ(v.resid, 4096);
		}
	}
}

/* Parse, then map: the sense the verdict hands on is inside the packet. */
TEST(parse_then_map)
{
	struct io_wire c = { VSTOR_OP_COMPLETE_IO, 0,
			     VSTOR_SRB_ERROR | VSTOR_SRB_FLAG_AUTOSENSE_VALID,
			     CHECK_COND, 0xff, 0, sense_cap_fixed, 18 };
	struct vstor_reply r;
	struct vstor_io_result res;
	struct vstor_verdict v;

	CHECK_EQ(io(&c, 64, VSTOR_PROTO_WIN10, 4096, &r, &res), 0);
	vstor_map_result(&res, READ10, 4096, &v);
	CHECK_EQ(v.host, VSTOR_HOST_REQUEUE);
	CHECK_EQ(v.action, VSTOR_ACT_RESCAN_LUN);
	CHECK(v.sense_len <= 20);
}
