// SPDX-License-Identifier: GPL-2.0-only
/*
 * VSS (backup) IC: the host asks the guest to freeze and thaw its file
 * systems around a snapshot; the VSS daemon (hv_vss_daemon) does the
 * freezing through /dev/vmbus/hv_vss.
 *
 * Daemon handshake: the daemon writes a struct hv_vss_msg with operation
 * VSS_OP_REGISTER1 and reads back one u32, the driver's protocol
 * (VSS_OP_REGISTER1); the old VSS_OP_REGISTER gets no answer; either may
 * come again while no request is pending.  FREEZE,
 * THAW and HOT_BACKUP go to the daemon, one at a time, with a timeout;
 * GET_DM_INFO and the other requests are answered here.  No daemon, a
 * daemon that goes away or does not answer in time: E_FAIL to the host.
 *
 * The daemon freezes with FIFREEZE and thaws with FITHAW itself, so a
 * daemon that dies between the two (killed, crashed) leaves the file
 * systems frozen and every writer blocked; the host's THAW can no longer
 * reach anyone.  From the moment a FREEZE goes to the daemon until it
 * reports a THAW (or a failed FREEZE, after which it has thawed), the
 * driver therefore thaws every frozen file system itself when the daemon
 * closes its device: the kernel's emergency thaw (SysRq j), the only
 * exported way to reach file systems frozen from user space.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysrq.h>
#include "util.h"
#include "util_transport.h"
#include "hv_daemon_abi.h"

static unsigned int vss_timeout_s = 30;
module_param(vss_timeout_s, uint, 0644);
MODULE_PARM_DESC(vss_timeout_s,
		 "Seconds the VSS daemon has to answer THAW and HOT_BACKUP");
static unsigned int vss_freeze_timeout_s = 900;
module_param(vss_freeze_timeout_s, uint, 0644);
MODULE_PARM_DESC(vss_freeze_timeout_s,
		 "Seconds the VSS daemon has to freeze the file systems");

static const u32 vss_fw[] = { IC_FW_VER_3 };
static const u32 vss_srv[] = { IC_VSS_VER_5 };

enum vss_state { VSS_NO_DAEMON, VSS_IDLE, VSS_BUSY };

static struct {
	spinlock_t lock;	/* state, pkt, pkt_len, tid, op, svc */
	enum vss_state state;
	struct util_svc *svc;
	u8 *pkt;
	u32 pkt_len;
	u64 tid;
	u8 op;
	s64 mark;		/* transport mark before the request went out */
	bool frozen;		/* the daemon may hold file systems frozen */
	struct work_struct send_work;
	struct delayed_work timeout_work;
	struct util_transport t;
	bool t_ready;
} vss;

/* Answer the pending host request; lock held, state BUSY. */
static void vss_finish_locked(u32 status)
{
	struct ic_vss_msg *m = ic_body(vss.pkt);

	if (vss.op == IC_VSS_OP_HOT_BACKUP && status == IC_S_OK)
		m->flags = IC_VSS_HBU_NO_AUTO_RECOVERY;
	ic_set_response(vss.pkt, status);
	if (vss.svc && vss.svc->opened)
		util_reply(vss.svc, vss.pkt, vss.pkt_len, vss.tid);
	vss.state = VSS_IDLE;
}

static void vss_send_work(struct work_struct *w)
{
	struct hv_vss_msg m = { };
	unsigned long flags;
	int ret;

	m.vss_hdr.operation = vss.op;
	ret = util_transport_send(&vss.t, &m, sizeof(m));
	if (!ret)
		return;
	pr_warn_ratelimited("vss: cannot pass the request to the daemon (%d)\n",
			    ret);
	if (cancel_delayed_work(&vss.timeout_work)) {
		spin_lock_irqsave(&vss.lock, flags);
		if (vss.state == VSS_BUSY) {
			if (vss.op == IC_VSS_OP_FREEZE)
				vss.frozen = false;	/* never reached it */
			vss_finish_locked(IC_E_FAIL);
		}
		spin_unlock_irqrestore(&vss.lock, flags);
	}
}

/*
 * The daemon did not answer in time.  A request it has not even read is
 * taken back: a FREEZE read after the host saw it fail would freeze file
 * systems that no THAW follows.
 */
static void vss_timeout(struct work_struct *w)
{
	unsigned long flags;
	bool unread;

	cancel_work_sync(&vss.send_work);
	unread = util_transport_withdraw(&vss.t, vss.mark);
	spin_lock_irqsave(&vss.lock, flags);
	if (vss.state == VSS_BUSY) {
		pr_warn("vss: the daemon did not %s operation %u in time\n",
			unread ? "read" : "answer", vss.op);
		if (unread && vss.op == IC_VSS_OP_FREEZE)
			vss.frozen = false;
		vss_finish_locked(IC_E_FAIL);
	}
	spin_unlock_irqrestore(&vss.lock, flags);
}

static bool vss_handle(struct util_svc *s, u32 len, u32 body_len, u64 tid)
{
	struct ic_vss_msg *m = ic_body(s->buf);
	const char *why = "";
	unsigned int tmo;
	bool now = true;
	u8 op;

	if (ic_vss_decode(m, body_len, &op, &why)) {
		util_err(s, "refused message: %s\n", why);
		return false;
	}
	switch (op) {
	case IC_VSS_OP_FREEZE:
	case IC_VSS_OP_THAW:
	case IC_VSS_OP_HOT_BACKUP:
		break;
	case IC_VSS_OP_GET_DM_INFO:
		m->flags = 0;
		fallthrough;
	default:
		ic_set_response(s->buf, IC_S_OK);
		return true;
	}

	spin_lock(&vss.lock);
	if (vss.state != VSS_IDLE) {
		if (vss.state == VSS_BUSY)
			util_err(s, "host request while one is pending\n");
		ic_set_response(s->buf, IC_E_FAIL);
	} else {
		memcpy(vss.pkt, s->buf, len);
		vss.pkt_len = len;
		vss.tid = tid;
		vss.op = op;
		vss.mark = util_transport_mark(&vss.t);
		vss.state = VSS_BUSY;
		if (op == IC_VSS_OP_FREEZE)
			vss.frozen = true;
		now = false;
		tmo = op == IC_VSS_OP_FREEZE ? vss_freeze_timeout_s :
					       vss_timeout_s;
		schedule_work(&vss.send_work);
		schedule_delayed_work(&vss.timeout_work, tmo * HZ);
	}
	spin_unlock(&vss.lock);
	return now;
}

static int vss_on_msg(void *ctx, const void *msg, u32 len)
{
	const struct hv_vss_msg *m = msg;
	u32 ver = VSS_OP_REGISTER1;
	enum vss_state st;
	s64 mark;
	int ret;

	if (len != sizeof(*m))
		return -EINVAL;
	spin_lock_bh(&vss.lock);
	st = vss.state;
	mark = vss.mark;
	spin_unlock_bh(&vss.lock);
	if (m->vss_hdr.operation == VSS_OP_REGISTER ||
	    m->vss_hdr.operation == VSS_OP_REGISTER1) {
		/* again while idle is taken, as by Linux's vss_on_msg */
		if (st == VSS_BUSY)
			return -EINVAL;
		if (m->vss_hdr.operation == VSS_OP_REGISTER1) {
			ret = util_transport_send(&vss.t, &ver, sizeof(ver));
			if (ret)
				return ret;
		}
		spin_lock_bh(&vss.lock);
		if (vss.state == VSS_NO_DAEMON)
			vss.state = VSS_IDLE;
		spin_unlock_bh(&vss.lock);
		pr_info("vss: daemon registered (protocol %u)\n",
			m->vss_hdr.operation);
		return 0;
	}
	if (st != VSS_BUSY)
		return -EINVAL;
	/*
	 * An answer to a request the daemon has not read yet is out of
	 * order (Linux's driver takes it, and the request then reaches the
	 * daemon after its transaction ended: a FREEZE nobody thaws).
	 */
	if (!util_transport_read_since(&vss.t, mark)) {
		pr_warn_ratelimited("vss: daemon answered a request it has not read\n");
		return -EINVAL;
	}
	if (!cancel_delayed_work_sync(&vss.timeout_work))
		return -EINVAL;
	spin_lock_bh(&vss.lock);
	if (vss.state == VSS_BUSY) {
		/* a failed FREEZE: the daemon has thawed what it froze */
		if ((vss.op == IC_VSS_OP_THAW && !m->error) ||
		    (vss.op == IC_VSS_OP_FREEZE && m->error))
			vss.frozen = false;
		vss_finish_locked((u32)m->error);
	}
	spin_unlock_bh(&vss.lock);
	return 0;
}

/* The daemon is gone and may have left file systems frozen. */
static void vss_thaw_all(void)
{
	if (!IS_ENABLED(CONFIG_MAGIC_SYSRQ)) {
		pr_err("vss: the daemon went away with file systems frozen; this kernel cannot thaw them (no CONFIG_MAGIC_SYSRQ): run fsfreeze -u\n");
		return;
	}
	pr_warn("vss: the daemon went away with file systems frozen: thawing every frozen file system\n");
	handle_sysrq('j');
}

static void vss_on_reset(void *ctx)
{
	bool frozen, pending;

	cancel_work_sync(&vss.send_work);
	/* a timeout already running answers the host itself: let it */
	pending = cancel_delayed_work_sync(&vss.timeout_work);
	spin_lock_bh(&vss.lock);
	if (vss.state == VSS_BUSY && pending)
		vss_finish_locked(IC_E_FAIL);
	vss.state = VSS_NO_DAEMON;
	frozen = vss.frozen;
	vss.frozen = false;
	spin_unlock_bh(&vss.lock);
	if (frozen)
		vss_thaw_all();
}

static int vss_init(struct util_svc *s)
{
	int ret;

	spin_lock_init(&vss.lock);
	INIT_WORK(&vss.send_work, vss_send_work);
	INIT_DELAYED_WORK(&vss.timeout_work, vss_timeout);
	vss.state = VSS_NO_DAEMON;
	vss.frozen = false;
	vss.pkt = kzalloc(IC_MAX_PKT, GFP_KERNEL);
	if (!vss.pkt)
		return -ENOMEM;
	vss.svc = s;
	ret = util_transport_init(&vss.t, "vmbus/hv_vss", vss_on_msg,
				  vss_on_reset, NULL);
	if (ret) {
		kfree(vss.pkt);
		vss.pkt = NULL;
		vss.svc = NULL;
		return ret;
	}
	vss.t_ready = true;
	return 0;
}

static void vss_deinit(struct util_svc *s)
{
	if (vss.t_ready)
		util_transport_destroy(&vss.t);
	vss.t_ready = false;
	cancel_work_sync(&vss.send_work);
	cancel_delayed_work_sync(&vss.timeout_work);
	spin_lock_bh(&vss.lock);
	vss.svc = NULL;
	vss.state = VSS_NO_DAEMON;
	spin_unlock_bh(&vss.lock);
	kfree(vss.pkt);
	vss.pkt = NULL;
}

const struct util_ops util_vss_ops = {
	.name = "vss",
	.msgtype = IC_MSGTYPE_VSS,
	.vers = { vss_fw, ARRAY_SIZE(vss_fw), vss_srv, ARRAY_SIZE(vss_srv) },
	.init = vss_init,
	.deinit = vss_deinit,
	.handle = vss_handle,
};
