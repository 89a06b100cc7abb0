// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shutdown IC: the host asks for power-off, reboot or hibernation.  The
 * guest answers first, then starts an orderly power-off or reboot from
 * process context.  Hibernation is not advertised (answered E_FAIL).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/reboot.h>
#include "util.h"
#include "utils_compat.h"

static const u32 sd_fw[] = { IC_FW_VER_3, IC_FW_VER_1 };
static const u32 sd_srv[] = {
	IC_SD_VER_3_2, IC_SD_VER_3_1, IC_SD_VER_3, IC_SD_VER_1
};

static void sd_poweroff(struct work_struct *w)
{
	orderly_poweroff(true);
}

static void sd_reboot(struct work_struct *w)
{
	util_orderly_reboot();
}

static DECLARE_WORK(sd_poweroff_work, sd_poweroff);
static DECLARE_WORK(sd_reboot_work, sd_reboot);

static bool sd_handle(struct util_svc *s, u32 len, u32 body_len, u64 tid)
{
	enum ic_sd_action act = IC_SD_NONE;
	const char *why = "";
	u32 status = IC_E_FAIL;

	if (ic_shutdown_decode(ic_body(s->buf), body_len, false, &act,
			       &status, &why)) {
		util_err(s, "refused message: %s\n", why);
		return false;
	}
	if (act == IC_SD_REBOOT && !UTIL_HAVE_ORDERLY_REBOOT) {
		act = IC_SD_NONE;
		status = IC_E_FAIL;
	}
	ic_set_response(s->buf, status);
	util_reply(s, s->buf, len, tid);

	switch (act) {
	case IC_SD_POWEROFF:
		pr_info("shutdown requested by the host\n");
		schedule_work(&sd_poweroff_work);
		break;
	case IC_SD_REBOOT:
		pr_info("reboot requested by the host\n");
		schedule_work(&sd_reboot_work);
		break;
	default:
		pr_info("shutdown IC request refused (flags %#x)\n",
			((struct ic_shutdown_msg *)ic_body(s->buf))->flags);
		break;
	}
	return false;			/* already answered */
}

static void sd_deinit(struct util_svc *s)
{
	/* a started power-off or reboot runs on; just do not leave work queued */
	flush_work(&sd_poweroff_work);
	flush_work(&sd_reboot_work);
}

const struct util_ops util_shutdown_ops = {
	.name = "shutdown",
	.msgtype = IC_MSGTYPE_SHUTDOWN,
	.vers = { sd_fw, ARRAY_SIZE(sd_fw), sd_srv, ARRAY_SIZE(sd_srv) },
	.deinit = sd_deinit,
	.handle = sd_handle,
};
