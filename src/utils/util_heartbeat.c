// SPDX-License-Identifier: GPL-2.0-only
/*
 * Heartbeat IC: the host sends a sequence number about every few
 * seconds; the guest proves it is alive by answering it plus one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "util.h"

static const u32 hb_fw[] = { IC_FW_VER_3, IC_FW_VER_1 };
static const u32 hb_srv[] = { IC_HB_VER_3, IC_HB_VER_1 };

static bool hb_handle(struct util_svc *s, u32 len, u32 body_len, u64 tid)
{
	const char *why = "";

	if (ic_heartbeat_answer(ic_body(s->buf), body_len, &why)) {
		util_err(s, "refused message: %s\n", why);
		return false;
	}
	ic_set_response(s->buf, IC_S_OK);
	return true;
}

const struct util_ops util_heartbeat_ops = {
	.name = "heartbeat",
	.msgtype = IC_MSGTYPE_HEARTBEAT,
	.vers = { hb_fw, ARRAY_SIZE(hb_fw), hb_srv, ARRAY_SIZE(hb_srv) },
	.handle = hb_handle,
};
