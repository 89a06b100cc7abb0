// SPDX-License-Identifier: GPL-2.0-only
/*
 * VSS (backup) IC, host side.  OpenVMM has no VSS host, only the protocol
 * (hyperv_ic_protocol/src/vss.rs): versions 4.0, 5.0, 6.0 and 7.0 are
 * offered (the versions it defines); FREEZE and THAW exist from 5.0 on.
 * A FREEZE (and AUTO_RECOVER) is the 6260-byte body with the LUN table
 * (no LUNs listed), every other operation the 32-byte short message.  The
 * answer's status is the result; HOT_BACKUP's answer carries the guest's
 * flags at offset 8 (Linux hv_snapshot.c: VSS_HBU_NO_AUTO_RECOVERY).
 * Sent only when a test asks (debugfs); a write fails with EIO when the
 * status is not S_OK, with the error of ic_request() when there is none:
 *
 *   freeze | thaw | hot_backup | dm_info | bu_complete   one request
 *   op N                                                 any operation
 *   vfault size N      the next request sends only the first N body
 *                      bytes (a test knob: Hyper-V sends whole messages)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": ic: " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hv_devids.h"
#include "ic.h"

static const u32 vss_versions[] = {
	IC_VERSION(4, 0), IC_VERSION(5, 0), IC_VERSION(6, 0), IC_VERSION(7, 0),
};

static struct {
	struct mutex lock;		/* one command at a time; the fields */
	u8 op;
	int err;
	u32 status;
	u32 flags;			/* of the answer */
	s64 f_size;			/* one-shot fault; -1 = off */
	u64 requests, failed;
} vss = { .lock = __MUTEX_INITIALIZER(vss.lock), .f_size = -1 };

static int vss_request(struct ic_svc *svc, u8 op)
{
	struct ic_vss_freeze_msg *msg;
	u32 status = 0, rlen = 0, ver = 0, blen;
	int ret;

	if (!ic_is_ready(svc, &ver))
		return -ENOTCONN;
	/* OpenVMM vss.rs: FREEZE and later operations need version 5.0 */
	if (op >= IC_VSS_OP_FREEZE && ver < IC_VSS_VER_5)
		return -EOPNOTSUPP;
	msg = kzalloc(sizeof(*msg), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	msg->operation = op;
	blen = (op == IC_VSS_OP_FREEZE || op == IC_VSS_OP_AUTO_RECOVER) ?
	       sizeof(*msg) : IC_VSS_SHORT_MSG_SIZE;
	mutex_lock(&vss.lock);
	if (vss.f_size >= 0 && vss.f_size < blen) {
		blen = vss.f_size;
		pr_info("fault: vss: operation %u in %u bytes\n", op, blen);
	}
	vss.f_size = -1;
	mutex_unlock(&vss.lock);
	ret = ic_request(svc, msg, blen, &status, msg, sizeof(*msg), &rlen, 0);
	mutex_lock(&vss.lock);
	vss.op = op;
	vss.err = ret;
	vss.status = status;
	vss.flags = 0;
	if (!ret && rlen >= sizeof(struct ic_vss_msg))
		vss.flags = ((struct ic_vss_msg *)msg)->flags;
	vss.requests++;
	if (ret || status != IC_S_OK)
		vss.failed++;
	mutex_unlock(&vss.lock);
	kfree(msg);
	if (ret)
		return ret;
	return status == IC_S_OK ? 0 : -EIO;
}

static int vss_command(struct ic_svc *svc, char *line)
{
	static const struct {
		const char *name;
		u8 op;
	} ops[] = {
		{ "freeze", IC_VSS_OP_FREEZE },
		{ "thaw", IC_VSS_OP_THAW },
		{ "hot_backup", IC_VSS_OP_HOT_BACKUP },
		{ "dm_info", IC_VSS_OP_GET_DM_INFO },
		{ "bu_complete", IC_VSS_OP_BU_COMPLETE },
	};
	unsigned int i;
	u32 size;
	u8 op;

	if (!strncmp(line, "vfault size ", 12)) {
		if (kstrtou32(strim(line + 12), 0, &size))
			return -EINVAL;
		mutex_lock(&vss.lock);
		vss.f_size = size;
		mutex_unlock(&vss.lock);
		return 0;
	}
	if (!strncmp(line, "op ", 3)) {
		if (kstrtou8(strim(line + 3), 0, &op))
			return -EINVAL;
		return vss_request(svc, op);
	}
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (!strcmp(line, ops[i].name))
			return vss_request(svc, ops[i].op);
	return -EINVAL;
}

static void vss_show(struct ic_svc *svc, struct seq_file *m)
{
	mutex_lock(&vss.lock);
	seq_printf(m, "requests=%llu failed=%llu last_op=%u last_err=%d last_status=%#x last_flags=%#x\n",
		   vss.requests, vss.failed, vss.op, vss.err, vss.status,
		   vss.flags);
	mutex_unlock(&vss.lock);
}

static const struct ic_svc_ops vss_ops = {
	.show = vss_show,
	.command = vss_command,
};

struct ic_svc ic_vss_svc = {
	.name = "vss",
	.msgtype = IC_MSGTYPE_VSS,
	.ops = &vss_ops,
	.def_versions = vss_versions,
	.def_nver = ARRAY_SIZE(vss_versions),
};

IC_DEV_CLASS(sim_vss_class, "vss", 0x06, HV_VSS_GUID, ic_vss_svc);
