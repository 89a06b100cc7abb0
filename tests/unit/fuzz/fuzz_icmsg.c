// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: an IC packet as the host sends it, through the header
 * check, negotiation (in place) and every service body decoder, plus the
 * UTF-16/UTF-8 converters on the raw bytes.  The packet sits in a heap
 * buffer of exactly its length (plus the room a negotiate answer needs),
 * so ASan sees any read past what the host sent.
 */
#include <stdlib.h>
#include <string.h>

#include "ic_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const u32 fw[] = { IC_FW_VER_3, IC_FW_VER_1 };
static const u32 srv[] = { IC_TS_VER_4, IC_TS_VER_3, IC_TS_VER_1 };
static const struct ic_ver_list vl = { fw, 2, srv, 3 };

static struct ic_fcopy_write fc;

static u32 get_le32(const u8 *b)
{
	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

static bool listed(const u32 *l, unsigned int n, u32 v)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (l[i] == v)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u32 len = (u32)size, body_len, cap, f, s, out;
	const char *why = NULL;
	enum ic_sd_action act;
	struct ic_ts_sample ts;
	char u8s[600];
	u8 u16s[600];
	u32 st;
	u8 *p, op;
	u32 fc_len, fc_op;
	int ret;

	if (size > IC_MAX_PKT)
		return -1;
	p = malloc(len ? len : 1);
	memcpy(p, data, len);
	ic_utf16_to_utf8(p, len & ~1u, u8s, sizeof(u8s));
	ret = ic_utf8_to_utf16((const char *)p, len, u16s, sizeof(u16s));
	if (ret > (int)sizeof(u16s) || (ret > 0 && (ret & 1)))
		abort();

	if (ic_check_hdr(p, len, &body_len, &why) == 0) {
		if (body_len > len - IC_HDR_SIZE ||
		    body_len != get_le32(p + 4) - (u32)sizeof(struct ic_msg_hdr))
			abort();
		ic_shutdown_decode(p + IC_HDR_SIZE, body_len, true, &act, &st,
				   &why);
		ic_timesync_decode(p + IC_HDR_SIZE, body_len, IC_TS_VER_4, &ts,
				   &why);
		ic_timesync_decode(p + IC_HDR_SIZE, body_len, IC_TS_VER_1, &ts,
				   &why);
		ic_heartbeat_answer(p + IC_HDR_SIZE, body_len, &why);
		ic_vss_decode(p + IC_HDR_SIZE, body_len, &op, &why);
		if (ic_fcopy_host_to_daemon(p + IC_HDR_SIZE, body_len, &fc,
					    sizeof(fc), &fc_len, &fc_op,
					    &why) == 0 &&
		    fc_len > sizeof(fc))
			abort();

		/* negotiate in a buffer with just the room for the answer */
		cap = len < IC_HDR_SIZE + IC_NEGOTIATE_RESP_SIZE ?
		      IC_HDR_SIZE + IC_NEGOTIATE_RESP_SIZE : len;
		p = realloc(p, cap);
		memcpy(p, data, len);
		ret = ic_negotiate(p, len, cap, &vl, &f, &s, &out, &why);
		if (ret == 0 && (!listed(fw, 2, f) || !listed(srv, 3, s)))
			abort();
		if (ret != -EINVAL && (out < IC_HDR_SIZE + 16 || out > cap))
			abort();
		if (ret == -EINVAL && out)
			abort();
	}
	free(p);
	return 0;
}
