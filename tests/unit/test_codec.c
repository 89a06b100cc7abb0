// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmbus_decode_host_msg() and vmbus_msgtype_name().  The expected sizes
 * and relid offsets are written out here from protocol-facts §2.2, not
 * taken from the structures under test.
 */
#include <string.h>

#include "test.h"
#include "vmbus_codec.h"

#define TEST_SUITE "codec"

static const struct {
	u32 type;
	u32 size;
	u32 relid_off;		/* 0: no relid */
	const char *name;
} h2g[] = {
	{ 1, 196, 184, "OFFERCHANNEL" },
	{ 2, 12, 8, "RESCIND_CHANNELOFFER" },
	{ 4, 8, 0, "ALLOFFERS_DELIVERED" },
	{ 6, 20, 8, "OPENCHANNEL_RESULT" },
	{ 10, 20, 8, "GPADL_CREATED" },
	{ 12, 12, 0, "GPADL_TORNDOWN" },
	{ 15, 16, 0, "VERSION_RESPONSE" },
	{ 17, 8, 0, "UNLOAD_RESPONSE" },
	{ 23, 44, 0, "TL_CONNECT_RESULT" },
	{ 24, 16, 8, "MODIFYCHANNEL_RESPONSE" },
};
#define NH2G (sizeof(h2g) / sizeof(h2g[0]))

static const u32 g2h[] = { 3, 5, 7, 8, 9, 11, 13, 14, 16, 18, 19, 21, 22 };
static const u32 unknown[] = { 0, 20, 25, 26, 29, 255, 0x10001, 0xffffffffu };

static u8 msg[256];

static void make_msg(u32 type, u32 relid_off, u32 relid, u8 fill)
{
	u32 i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (u8)(fill + i * 7);
	memcpy(msg, &type, 4);
	if (relid_off)
		memcpy(msg + relid_off, &relid, 4);
}

static bool zero_from(const union vmbus_host_msg *m, u32 from)
{
	const u8 *p = (const u8 *)m;
	u32 i;

	for (i = from; i < sizeof(*m); i++)
		if (p[i])
			return false;
	return true;
}

TEST(host_msgs_exact_short_long)
{
	union vmbus_host_msg out;
	const char *why;
	unsigned int k;

	for (k = 0; k < NH2G; k++) {
		u32 sz = h2g[k].size;
		u32 lens[] = { sz, sz + 1, sz + 8, 240 };
		unsigned int l;

		for (l = 0; l < 4; l++) {
			make_msg(h2g[k].type, h2g[k].relid_off, 77, (u8)k);
			memset(&out, 0xaa, sizeof(out));
			why = "unset";
			CHECK_MSG(vmbus_decode_host_msg(msg, lens[l], &out, &why) == 0,
				  "%s len %u: %s", h2g[k].name, lens[l], why);
			CHECK_MSG(!memcmp(&out, msg, sz), "%s: copy differs",
				  h2g[k].name);
			CHECK_MSG(zero_from(&out, sz), "%s len %u: rest not zeroed",
				  h2g[k].name, lens[l]);
			CHECK_EQ(out.hdr.msgtype, h2g[k].type);
		}
		make_msg(h2g[k].type, h2g[k].relid_off, 77, (u8)k);
		why = NULL;
		CHECK_MSG(vmbus_decode_host_msg(msg, sz - 1, &out, &why) == -EBADMSG,
			  "%s short by one accepted", h2g[k].name);
		CHECK(why && *why);
		CHECK(zero_from(&out, 0));
	}
}

TEST(host_msgs_length_limits)
{
	union vmbus_host_msg out;
	const char *why = NULL;
	u32 len;

	make_msg(4, 0, 0, 1);
	for (len = 0; len < 8; len++)
		CHECK_EQ(vmbus_decode_host_msg(msg, len, &out, &why), -EBADMSG);
	CHECK_EQ(vmbus_decode_host_msg(msg, 8, &out, &why), 0);
	CHECK_EQ(vmbus_decode_host_msg(msg, 241, &out, &why), -EBADMSG);
	CHECK_EQ(vmbus_decode_host_msg(msg, 0xffffffffu, &out, &why), -EBADMSG);
}

TEST(host_msgs_relid_range)
{
	static const struct { u32 relid; int ret; } cases[] = {
		{ 0, -EBADMSG }, { 1, 0 }, { 2047, 0 }, { 2048, -EBADMSG },
		{ 0x10000, -EBADMSG }, { 0xffffffffu, -EBADMSG },
	};
	union vmbus_host_msg out;
	const char *why;
	unsigned int k, c;

	for (k = 0; k < NH2G; k++) {
		if (!h2g[k].relid_off)
			continue;
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			make_msg(h2g[k].type, h2g[k].relid_off, cases[c].relid, 3);
			why = NULL;
			CHECK_MSG(vmbus_decode_host_msg(msg, h2g[k].size, &out,
							&why) == cases[c].ret,
				  "%s relid %u", h2g[k].name, cases[c].relid);
			if (cases[c].ret)
				CHECK(why && strstr(why, "relid"));
		}
	}
}

TEST(host_msgs_reject_wrong_direction_and_unknown)
{
	union vmbus_host_msg out;
	const char *why;
	unsigned int k;

	for (k = 0; k < sizeof(g2h) / sizeof(g2h[0]); k++) {
		make_msg(g2h[k], 8, 5, 9);
		why = NULL;
		CHECK_MSG(vmbus_decode_host_msg(msg, 240, &out, &why) == -EBADMSG,
			  "guest-to-host type %u accepted", g2h[k]);
		CHECK(why && strstr(why, "guest-to-host"));
	}
	for (k = 0; k < sizeof(unknown) / sizeof(unknown[0]); k++) {
		make_msg(unknown[k], 8, 5, 9);
		why = NULL;
		CHECK_MSG(vmbus_decode_host_msg(msg, 240, &out, &why) == -EBADMSG,
			  "type %u accepted", unknown[k]);
		CHECK(why && strstr(why, "unknown"));
	}
}

TEST(offer_fields)
{
	union vmbus_host_msg out;
	const char *why;
	u32 v;

	make_msg(1, 184, 42, 0);
	v = 0xabcd1234;
	memcpy(msg + 192, &v, 4);		/* connection_id */
	msg[189] = 1;				/* monitor_allocated */
	msg[188] = 17;				/* monitorid */
	CHECK_EQ(vmbus_decode_host_msg(msg, 196, &out, &why), 0);
	CHECK_EQ(out.offer.child_relid, 42);
	CHECK_EQ(out.offer.connection_id, 0xabcd1234);
	CHECK_EQ(out.offer.monitorid, 17);
	CHECK_EQ(out.offer.monitor_allocated, 1);
	CHECK(!memcmp(out.offer.if_type.b, msg + 8, 16));
	CHECK(!memcmp(out.offer.if_instance.b, msg + 24, 16));
	CHECK(!memcmp(out.offer.user_def, msg + 60, 120));
}

TEST(msgtype_names)
{
	unsigned int k;

	for (k = 0; k < NH2G; k++)
		CHECK_MSG(!strcmp(vmbus_msgtype_name(h2g[k].type), h2g[k].name),
			  "type %u named %s", h2g[k].type,
			  vmbus_msgtype_name(h2g[k].type));
	CHECK(!strcmp(vmbus_msgtype_name(8), "GPADL_HEADER"));
	CHECK(!strcmp(vmbus_msgtype_name(14), "INITIATE_CONTACT"));
	CHECK(!strcmp(vmbus_msgtype_name(25), "UNKNOWN"));
	CHECK(!strcmp(vmbus_msgtype_name(0xffffffffu), "UNKNOWN"));
	for (k = 0; k < 25; k++)
		CHECK(strcmp(vmbus_msgtype_name(k), "UNKNOWN"));
}
