// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shutdown IC, host side (OpenVMM hyperv_ic/src/shutdown.rs): versions
 * 1.0, 3.0, 3.1, 3.2 offered; a request is the whole shutdown message
 * (reason SHTDN_REASON_FLAG_PLANNED, timeout 0, flags force / restart /
 * hibernate, empty display message) and the answer's status is the
 * result (a write fails with EIO when it is not S_OK).  Sent only when a
 * test asks (debugfs):
 *
 *   shutdown|reboot|hibernate [force]   flags from the request
 *   flags N                             any flags value
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": ic: " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hv_devids.h"
#include "ic.h"

static const u32 sd_versions[] = {
	IC_SD_VER_1, IC_SD_VER_3, IC_SD_VER_3_1, IC_SD_VER_3_2,
};

static struct {
	struct mutex lock;		/* the fields below */
	u32 flags;
	int err;
	u32 status;
	u64 sent;
} sd = { .lock = __MUTEX_INITIALIZER(sd.lock) };

static int sd_request(struct ic_svc *svc, u32 flags)
{
	struct ic_shutdown_msg *msg;
	u32 status = 0;
	int ret;

	msg = kzalloc(sizeof(*msg), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	msg->reason_code = IC_SHUTDOWN_REASON_PLANNED;
	msg->flags = flags;
	ret = ic_request(svc, msg, sizeof(*msg), &status, NULL, 0, NULL,
			 0);
	kfree(msg);
	mutex_lock(&sd.lock);
	sd.flags = flags;
	sd.err = ret;
	sd.status = status;
	sd.sent++;
	mutex_unlock(&sd.lock);
	if (ret)
		return ret;
	return status == IC_S_OK ? 0 : -EIO;
}

static int sd_command(struct ic_svc *svc, char *line)
{
	char *op = strsep(&line, " ");
	bool force = line && !strcmp(strim(line), "force");
	u32 flags;

	if (line && !force && strcmp(op, "flags"))
		return -EINVAL;
	if (!strcmp(op, "shutdown"))
		flags = 0;
	else if (!strcmp(op, "reboot"))
		flags = IC_SHUTDOWN_FLAG_RESTART;
	else if (!strcmp(op, "hibernate"))
		flags = IC_SHUTDOWN_FLAG_HIBERNATE;
	else if (!strcmp(op, "flags") && line && !kstrtou32(strim(line), 0, &flags))
		return sd_request(svc, flags);
	else
		return -EINVAL;
	if (force)
		flags |= IC_SHUTDOWN_FLAG_FORCE;
	return sd_request(svc, flags);
}

static void sd_show(struct ic_svc *svc, struct seq_file *m)
{
	mutex_lock(&sd.lock);
	seq_printf(m, "requests=%llu last_flags=%#x last_err=%d last_status=%#x\n",
		   sd.sent, sd.flags, sd.err, sd.status);
	mutex_unlock(&sd.lock);
}

static const struct ic_svc_ops sd_ops = {
	.show = sd_show,
	.command = sd_command,
};

struct ic_svc ic_shutdown_svc = {
	.name = "shutdown",
	.msgtype = IC_MSGTYPE_SHUTDOWN,
	.ops = &sd_ops,
	.def_versions = sd_versions,
	.def_nver = ARRAY_SIZE(sd_versions),
};

IC_DEV_CLASS(sim_shutdown_class, "shutdown", 0x02, HV_SHUTDOWN_GUID,
	     ic_shutdown_svc);
