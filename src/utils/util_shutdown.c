// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shutdown IC: the host asks for power-off, reboot or hibernation.  The
 * guest answers first, then starts an orderly power-off or reboot from
 * process context.
 *
 * Hibernation, as the kernel's hv_utils: the guest can hibernate when the
 * kernel says so (hv_is_hibernation_supported(): ACPI S4 present, not the
 * root partition), decided once when the channel opens.  Then a request is
 * answered S_OK and a KOBJ_CHANGE uevent with EVENT=hibernate goes out on
 * the shutdown device; a udev rule or script of the administrator does the
 * hibernation (echo disk > /sys/power/state).  Otherwise E_FAIL.  On top of
 * that, hyperv-lis answers S_OK only with the module parameter hibernate=1:
 * its hv_vmbus cannot bring its channels back after a resume from
 * hibernation yet, so by default the host is told no.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/moduleparam.h>
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

static bool hibernate;
module_param(hibernate, bool, 0644);
MODULE_PARM_DESC(hibernate,
		 "Accept the host's hibernate requests (uevent EVENT=hibernate) when the kernel can hibernate; off by default: hv_vmbus does not resume from hibernation yet");

/* the shutdown device (for the uevent) and the kernel's answer at init */
static struct hv_device *sd_dev;
static bool sd_kernel_can_hibernate;

static void sd_hibernate_uevent(struct work_struct *w)
{
	char *env[2] = { "EVENT=hibernate", NULL };

	kobject_uevent_env(&sd_dev->device.kobj, KOBJ_CHANGE, env);
	pr_info("hibernation uevent sent\n");
}

static DECLARE_WORK(sd_poweroff_work, sd_poweroff);
static DECLARE_WORK(sd_reboot_work, sd_reboot);
static DECLARE_WORK(sd_hibernate_work, sd_hibernate_uevent);

static int sd_init(struct util_svc *s)
{
	sd_dev = s->hdev;
	sd_kernel_can_hibernate = util_kernel_can_hibernate();
	return 0;
}

static bool sd_handle(struct util_svc *s, u32 len, u32 body_len, u64 tid)
{
	enum ic_sd_action act = IC_SD_NONE;
	const char *why = "";
	u32 status = IC_E_FAIL;
	u32 flags;
	bool can_hibernate = sd_kernel_can_hibernate && READ_ONCE(hibernate);

	if (ic_shutdown_decode(ic_body(s->buf), body_len, can_hibernate, &act,
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
	case IC_SD_HIBERNATE:
		pr_info("hibernation requested by the host\n");
		schedule_work(&sd_hibernate_work);
		break;
	default:
		flags = ((struct ic_shutdown_msg *)ic_body(s->buf))->flags;
		if ((flags & ~(u32)IC_SHUTDOWN_FLAG_FORCE) ==
		    IC_SHUTDOWN_FLAG_HIBERNATE)
			pr_info_ratelimited("hibernation request refused: %s\n",
					    !sd_kernel_can_hibernate ?
					    UTIL_NO_HIBERNATE_WHY :
					    "hv_utils hibernate=0");
		else
			pr_info_ratelimited("shutdown IC request refused (flags %#x)\n",
					    flags);
		break;
	}
	return false;			/* already answered */
}

static void sd_deinit(struct util_svc *s)
{
	/*
	 * A started power-off or reboot runs on; no hibernate uevent on a
	 * device that is going away.
	 */
	flush_work(&sd_poweroff_work);
	flush_work(&sd_reboot_work);
	cancel_work_sync(&sd_hibernate_work);
}

const struct util_ops util_shutdown_ops = {
	.name = "shutdown",
	.msgtype = IC_MSGTYPE_SHUTDOWN,
	.vers = { sd_fw, ARRAY_SIZE(sd_fw), sd_srv, ARRAY_SIZE(sd_srv) },
	.init = sd_init,
	.deinit = sd_deinit,
	.handle = sd_handle,
};
