// SPDX-License-Identifier: GPL-2.0-only
/*
 * IC framing, version negotiation, shutdown/heartbeat/timesync bodies and
 * the UTF-16 <-> UTF-8 conversions (src/utils/ic_proto.c).  Offsets are
 * written out from protocol-facts §5, not taken from the structures.
 */
#include <string.h>

#include "test.h"
#include "ic_proto.h"

#define TEST_SUITE "ic_proto"

static u8 pkt[IC_MAX_PKT];

static void put16(u8 *p, u32 off, u16 v)
{
	p[off] = (u8)v;
	p[off + 1] = (u8)(v >> 8);
}

static void put32(u8 *p, u32 off, u32 v)
{
	put16(p, off, (u16)v);
	put16(p, off + 2, (u16)(v >> 16));
}

static u16 get16(const u8 *p, u32 off)
{
	return (u16)(p[off] | p[off + 1] << 8);
}

static u32 get32(const u8 *p, u32 off)
{
	return p[off] | p[off + 1] << 8 | p[off + 2] << 16 | (u32)p[off + 3] << 24;
}

/* A negotiate request: frameworks then service versions, as (maj, min). */
static u32 build_nego(const u16 *fw, u16 nfw, const u16 *srv, u16 nsrv)
{
	u32 len = 28 + 8 + 4u * (nfw + nsrv), i, o = 36;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = IC_PIPE_FLAG_DATA;
	pkt[4] = (u8)(len - 8);
	put16(pkt, 12, IC_MSGTYPE_NEGOTIATE);
	put16(pkt, 18, (u16)(len - 28));
	pkt[25] = IC_FLAG_TRANSACTION | IC_FLAG_REQUEST;
	put16(pkt, 28, nfw);
	put16(pkt, 30, nsrv);
	for (i = 0; i < nfw; i++, o += 4) {
		put16(pkt, o, fw[2 * i]);
		put16(pkt, o + 2, fw[2 * i + 1]);
	}
	for (i = 0; i < nsrv; i++, o += 4) {
		put16(pkt, o, srv[2 * i]);
		put16(pkt, o + 2, srv[2 * i + 1]);
	}
	return len;
}

static const u32 g_fw[] = { IC_FW_VER_3, IC_FW_VER_1 };
static const u32 g_sd[] = { IC_SD_VER_3_2, IC_SD_VER_3_1, IC_SD_VER_3, IC_SD_VER_1 };
static const struct ic_ver_list sd_list = { g_fw, 2, g_sd, 4 };

TEST(header_sizes)
{
	CHECK_EQ(IC_HDR_SIZE, 28);
	CHECK_EQ(sizeof(struct ic_msg_hdr), 20);
	CHECK_EQ(sizeof(struct ic_kvp_msg), 2580);
	CHECK_EQ(sizeof(struct ic_kvp_ip_msg), 7428);
	CHECK_EQ(sizeof(struct ic_fcopy_write), 6196);
}

TEST(check_hdr)
{
	const char *why = NULL;
	u32 bl = 0;

	memset(pkt, 0, 64);
	pkt[4] = 20;			/* pipe msgsize: the IC header only */
	CHECK_EQ(ic_check_hdr(pkt, 27, &bl, &why), -EBADMSG);
	CHECK(why);
	CHECK_EQ(ic_check_hdr(pkt, 28, &bl, &why), 0);
	CHECK_EQ(bl, 0);
	put16(pkt, 18, 9);		/* icmsgsize 9, 8 present */
	pkt[4] = 28;
	CHECK_EQ(ic_check_hdr(pkt, 36, &bl, &why), -EBADMSG);
	pkt[4] = 32;
	CHECK_EQ(ic_check_hdr(pkt, 40, &bl, &why), 0);
	CHECK_EQ(bl, 12);
}

/* The pipe header's msgsize: within the packet, at least the IC header. */
TEST(check_hdr_pipe_size)
{
	const char *why = NULL;
	u32 bl = 0;

	memset(pkt, 0, 64);
	put16(pkt, 18, 4);		/* icmsgsize 4 */
	pkt[4] = 24;			/* 20 + 4: exact */
	CHECK_EQ(ic_check_hdr(pkt, 32, &bl, &why), 0);
	CHECK_EQ(bl, 4);
	/* padding after the message is not body */
	CHECK_EQ(ic_check_hdr(pkt, 40, &bl, &why), 0);
	CHECK_EQ(bl, 4);
	why = NULL;
	pkt[4] = 25;			/* one byte past the packet */
	CHECK_EQ(ic_check_hdr(pkt, 32, &bl, &why), -EBADMSG);
	CHECK(why && strstr(why, "pipe"));
	why = NULL;
	put32(pkt, 4, 0xffffffffu);	/* no wrap-around */
	CHECK_EQ(ic_check_hdr(pkt, 64, &bl, &why), -EBADMSG);
	CHECK(why && strstr(why, "pipe"));
	why = NULL;
	put16(pkt, 18, 0);
	put32(pkt, 4, 19);		/* shorter than the IC header */
	CHECK_EQ(ic_check_hdr(pkt, 32, &bl, &why), -EBADMSG);
	CHECK(why && strstr(why, "pipe"));
	why = NULL;
	put32(pkt, 4, 0);		/* what an unset pipe header says */
	CHECK_EQ(ic_check_hdr(pkt, 32, &bl, &why), -EBADMSG);
	CHECK(why);
	/* the IC header's msgsize past the pipe's message, within the packet */
	put32(pkt, 4, 24);
	put16(pkt, 18, 5);
	CHECK_EQ(ic_check_hdr(pkt, 40, &bl, &why), -EBADMSG);
}

TEST(negotiate_picks_highest_common)
{
	static const u16 fw[] = { 1, 0, 3, 0 };
	static const u16 sd[] = { 1, 0, 3, 0, 3, 1, 3, 2 };
	u32 len = build_nego(fw, 2, sd, 4), f = 0, s = 0, out = 0;
	const char *why = NULL;

	CHECK_EQ(ic_negotiate(pkt, len, sizeof(pkt), &sd_list, &f, &s, &out,
			      &why), 0);
	CHECK_EQ(f, IC_VERSION(3, 0));
	CHECK_EQ(s, IC_VERSION(3, 2));
	CHECK_EQ(out, len);
	CHECK_EQ(get32(pkt, 4), len - 8);	/* pipe header untouched */
	CHECK_EQ(get16(pkt, 18), 0x10);		/* icmsgsize */
	CHECK_EQ(pkt[25], IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE);
	CHECK_EQ(get32(pkt, 20), 0);		/* status */
	CHECK_EQ(get16(pkt, 28), 1);
	CHECK_EQ(get16(pkt, 30), 1);
	CHECK_EQ(get16(pkt, 36), 3);
	CHECK_EQ(get16(pkt, 38), 0);
	CHECK_EQ(get16(pkt, 40), 3);
	CHECK_EQ(get16(pkt, 42), 2);
}

TEST(negotiate_old_host)
{
	static const u16 fw[] = { 1, 0 };
	static const u16 sd[] = { 1, 0, 3, 0 };
	u32 len = build_nego(fw, 1, sd, 2), f = 0, s = 0, out = 0;
	const char *why = NULL;

	CHECK_EQ(ic_negotiate(pkt, len, sizeof(pkt), &sd_list, &f, &s, &out,
			      &why), 0);
	CHECK_EQ(f, IC_VERSION(1, 0));
	CHECK_EQ(s, IC_VERSION(3, 0));
}

TEST(negotiate_no_match)
{
	static const u16 fw[] = { 3, 0 };
	static const u16 sd[] = { 9, 9 };
	u32 len = build_nego(fw, 1, sd, 1), f = 0, s = 0, out = 0;
	const char *why = NULL;

	CHECK_EQ(ic_negotiate(pkt, len, sizeof(pkt), &sd_list, &f, &s, &out,
			      &why), -ENOENT);
	CHECK_EQ(out, 44);
	CHECK_EQ(get16(pkt, 28), 0);
	CHECK_EQ(get16(pkt, 30), 0);
	CHECK_EQ(pkt[25], IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE);

	/* no service version at all: 40 bytes, the answer needs 44 */
	len = build_nego(fw, 1, sd, 0);
	CHECK_EQ(len, 40);
	CHECK_EQ(ic_negotiate(pkt, len, sizeof(pkt), &sd_list, &f, &s, &out,
			      &why), -ENOENT);
	CHECK_EQ(out, 44);			/* grown to hold 2 versions */
	CHECK_EQ(get32(pkt, 4), 36);		/* and the pipe says so */
}

TEST(negotiate_counts_past_packet)
{
	static const u16 fw[] = { 3, 0 };
	static const u16 sd[] = { 3, 2 };
	u32 len = build_nego(fw, 1, sd, 1), f = 0, s = 0, out = 0;
	const char *why = NULL;

	put16(pkt, 30, 2);			/* claims 2 service versions */
	CHECK_EQ(ic_negotiate(pkt, len, sizeof(pkt), &sd_list, &f, &s, &out,
			      &why), -EBADMSG);
	CHECK(why && strstr(why, "past"));
	CHECK_EQ(get16(pkt, 28), 0);		/* refused: 0/0 */
	CHECK_EQ(get16(pkt, 30), 0);

	len = build_nego(fw, 1, sd, 1);
	put16(pkt, 28, 101);			/* above the maximum */
	CHECK_EQ(ic_negotiate(pkt, sizeof(pkt), sizeof(pkt), &sd_list, &f, &s,
			      &out, &why), -EBADMSG);

	CHECK_EQ(ic_negotiate(pkt, 31, sizeof(pkt), &sd_list, &f, &s, &out,
			      &why), -EINVAL);	/* counts cut off */
	CHECK_EQ(out, 0);
	CHECK_EQ(ic_negotiate(pkt, len, 40, &sd_list, &f, &s, &out, &why),
		 -EINVAL);			/* no room for the answer */
}

TEST(shutdown_flags)
{
	static const struct { u32 flags; int act; u32 st; } c[] = {
		{ 0, IC_SD_POWEROFF, IC_S_OK }, { 1, IC_SD_POWEROFF, IC_S_OK },
		{ 2, IC_SD_REBOOT, IC_S_OK }, { 3, IC_SD_REBOOT, IC_S_OK },
		{ 4, IC_SD_NONE, IC_E_FAIL }, { 5, IC_SD_NONE, IC_E_FAIL },
		{ 6, IC_SD_NONE, IC_E_FAIL }, { 8, IC_SD_NONE, IC_E_FAIL },
	};
	u8 body[12] = { 0 };
	enum ic_sd_action act;
	const char *why = NULL;
	u32 st, i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		body[8] = (u8)c[i].flags;
		CHECK_EQ(ic_shutdown_decode(body, 12, false, &act, &st, &why), 0);
		CHECK_EQ(act, c[i].act);
		CHECK_EQ(st, c[i].st);
	}
	body[8] = 4;
	CHECK_EQ(ic_shutdown_decode(body, 12, true, &act, &st, &why), 0);
	CHECK_EQ(act, IC_SD_HIBERNATE);
	CHECK_EQ(ic_shutdown_decode(body, 11, true, &act, &st, &why), -EBADMSG);
}

TEST(heartbeat)
{
	u8 body[16] = { 0xff, 0xff, 0xff, 0xff, 1 };
	const char *why = NULL;

	CHECK_EQ(ic_heartbeat_answer(body, 16, &why), 0);
	CHECK_EQ(get32(body, 0), 0);
	CHECK_EQ(get32(body, 4), 2);		/* carried into the high word */
	CHECK_EQ(ic_heartbeat_answer(body, 7, &why), -EBADMSG);
}

TEST(timesync)
{
	u8 body[28] = { 0 };
	struct ic_ts_sample s;
	const char *why = NULL;
	s64 ns = 0;
	u64 t = IC_TIMESYNC_EPOCH_DELTA + 15;

	memcpy(body, &t, 8);
	body[8] = 7;				/* v4: ref time 7 */
	body[16] = IC_TIMESYNC_FLAG_SYNC;	/* v4 flags at 16 */
	body[24] = IC_TIMESYNC_FLAG_SAMPLE;	/* v1-3 flags at 24 */
	CHECK_EQ(ic_timesync_decode(body, 17, IC_TS_VER_4, &s, &why), 0);
	CHECK(s.has_ref);
	CHECK_EQ(s.ref_time, 7);
	CHECK_EQ(s.flags, IC_TIMESYNC_FLAG_SYNC);
	CHECK_EQ(ic_timesync_decode(body, 16, IC_TS_VER_4, &s, &why), -EBADMSG);
	CHECK_EQ(ic_timesync_decode(body, 25, IC_TS_VER_3, &s, &why), 0);
	CHECK(!s.has_ref);
	CHECK_EQ(s.flags, IC_TIMESYNC_FLAG_SAMPLE);
	CHECK_EQ(ic_timesync_decode(body, 24, IC_TS_VER_1, &s, &why), -EBADMSG);
	CHECK(ic_host_time_to_unix_ns(s.host_time, &ns));
	CHECK_EQ(ns, 1500);
	CHECK(!ic_host_time_to_unix_ns(5, &ns));
	CHECK(!ic_host_time_to_unix_ns(~0ull, &ns));
}

TEST(utf16_to_utf8)
{
	/* "Aé€😀" + NUL */
	static const u8 s[] = { 'A', 0, 0xe9, 0, 0xac, 0x20, 0x3d, 0xd8,
				0x00, 0xde, 0, 0 };
	char out[32];

	CHECK_EQ(ic_utf16_to_utf8(s, sizeof(s), out, sizeof(out)), 10);
	CHECK(strcmp(out, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") == 0);
	CHECK_EQ(ic_utf16_to_utf8(s, sizeof(s) - 2, out, sizeof(out)), -EINVAL);
	CHECK_EQ(ic_utf16_to_utf8(s, 3, out, sizeof(out)), -EINVAL);
	CHECK_EQ(ic_utf16_to_utf8(s, sizeof(s), out, 10), -ENOSPC);
	CHECK_EQ(ic_utf16_to_utf8(s, sizeof(s), out, 11), 10);
	/* a lone low surrogate, a high one followed by no low one */
	CHECK_EQ(ic_utf16_to_utf8((const u8 []){ 0, 0xdc, 0, 0 }, 4, out, 8),
		 -EINVAL);
	CHECK_EQ(ic_utf16_to_utf8((const u8 []){ 0, 0xd8, 'a', 0, 0, 0 }, 6,
				  out, 8), -EINVAL);
	CHECK_EQ(ic_utf16_to_utf8((const u8 []){ 0, 0xd8 }, 2, out, 8), -EINVAL);
}

TEST(utf8_to_utf16)
{
	const char *s = "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	u8 out[32];
	char back[32];

	CHECK_EQ(ic_utf8_to_utf16(s, strlen(s), out, sizeof(out)), 12);
	CHECK_EQ(ic_utf16_to_utf8(out, 12, back, sizeof(back)), 10);
	CHECK(strcmp(back, s) == 0);
	CHECK_EQ(ic_utf8_to_utf16(s, strlen(s), out, 11), -ENOSPC);
	CHECK_EQ(ic_utf8_to_utf16("\xc0\x80", 2, out, 8), -EINVAL);	/* overlong */
	CHECK_EQ(ic_utf8_to_utf16("\xe2\x82", 2, out, 8), -EINVAL);	/* cut */
	CHECK_EQ(ic_utf8_to_utf16("\xed\xa0\x80", 3, out, 8), -EINVAL);	/* surrogate */
	CHECK_EQ(ic_utf8_to_utf16("\xff", 1, out, 8), -EINVAL);
	CHECK_EQ(ic_utf8_to_utf16("ab\0cd", 5, out, 8), 6);	/* stops at NUL */
}

TEST(vss_decode)
{
	u8 body[12] = { IC_VSS_OP_FREEZE };
	const char *why = NULL;
	u8 op = 0xff;

	CHECK_EQ(ic_vss_decode(body, 12, &op, &why), 0);
	CHECK_EQ(op, IC_VSS_OP_FREEZE);
	CHECK_EQ(ic_vss_decode(body, 11, &op, &why), -EBADMSG);
}

static struct ic_fcopy_start fstart;
static struct ic_fcopy_write fwrite_msg, fout;

TEST(fcopy_start)
{
	const char *why = NULL;
	u32 len = 0, op = 9;
	const char *n = "f.txt";
	unsigned int i;

	memset(&fstart, 0, sizeof(fstart));
	for (i = 0; n[i]; i++)
		fstart.file_name[i] = (u8)n[i];
	fstart.path_name[0] = '/';
	fstart.copy_flags = IC_FCOPY_FLAG_OVER_WRITE;
	fstart.file_size = 10;
	CHECK_EQ(ic_fcopy_host_to_daemon(&fstart, sizeof(fstart), &fout,
					 sizeof(fout), &len, &op, &why), 0);
	CHECK_EQ(op, IC_FCOPY_OP_START_FILE_COPY);
	CHECK_EQ(len, 1088);
	CHECK(strcmp((char *)((struct ic_fcopy_start *)&fout)->file_name,
		     "f.txt") == 0);
	CHECK_EQ(((struct ic_fcopy_start *)&fout)->file_size, 10);
	CHECK_EQ(ic_fcopy_host_to_daemon(&fstart, sizeof(fstart) - 1, &fout,
					 sizeof(fout), &len, &op, &why),
		 -EBADMSG);
	/* a name that fills all 260 units: no NUL */
	for (i = 0; i < IC_FCOPY_MAX_PATH; i++)
		fstart.file_name[i] = 'a';
	CHECK_EQ(ic_fcopy_host_to_daemon(&fstart, sizeof(fstart), &fout,
					 sizeof(fout), &len, &op, &why),
		 -EBADMSG);
	/* 259 three-byte characters do not fit the daemon's 259 bytes */
	for (i = 0; i < IC_FCOPY_MAX_PATH - 1; i++)
		fstart.file_name[i] = 0x20ac;
	fstart.file_name[i] = 0;
	CHECK_EQ(ic_fcopy_host_to_daemon(&fstart, sizeof(fstart), &fout,
					 sizeof(fout), &len, &op, &why),
		 -EBADMSG);
}

TEST(fcopy_write)
{
	const char *why = NULL;
	u32 len = 0, op = 9;

	memset(&fwrite_msg, 0, sizeof(fwrite_msg));
	fwrite_msg.hdr.operation = IC_FCOPY_OP_WRITE_TO_FILE;
	fwrite_msg.offset = 4096;
	fwrite_msg.size = 3;
	memcpy(fwrite_msg.data, "abc", 3);
	CHECK_EQ(ic_fcopy_host_to_daemon(&fwrite_msg, 52 + 3, &fout,
					 sizeof(fout), &len, &op, &why), 0);
	CHECK_EQ(len, 6196);
	CHECK_EQ(fout.offset, 4096);
	CHECK(memcmp(fout.data, "abc", 3) == 0);
	CHECK_EQ(ic_fcopy_host_to_daemon(&fwrite_msg, 52 + 2, &fout,
					 sizeof(fout), &len, &op, &why),
		 -EBADMSG);			/* size past the packet */
	fwrite_msg.size = 6145;
	CHECK_EQ(ic_fcopy_host_to_daemon(&fwrite_msg, sizeof(fwrite_msg), &fout,
					 sizeof(fout), &len, &op, &why),
		 -EBADMSG);			/* past DATA_FRAGMENT */
	fwrite_msg.hdr.operation = IC_FCOPY_OP_CANCEL;
	CHECK_EQ(ic_fcopy_host_to_daemon(&fwrite_msg, 36, &fout, sizeof(fout),
					 &len, &op, &why), 0);
	CHECK_EQ(len, 36);
	fwrite_msg.hdr.operation = 4;
	CHECK_EQ(ic_fcopy_host_to_daemon(&fwrite_msg, 36, &fout, sizeof(fout),
					 &len, &op, &why), -EBADMSG);
	CHECK_EQ(ic_fcopy_host_to_daemon(&fwrite_msg, 35, &fout, sizeof(fout),
					 &len, &op, &why), -EBADMSG);
}
