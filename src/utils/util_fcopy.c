// SPDX-License-Identifier: GPL-2.0-only
/*
 * File copy IC: the host copies a file into the guest (Copy-VMFile); the
 * fcopy daemon (hv_fcopy_daemon) writes it, through /dev/vmbus/hv_fcopy.
 *
 * Daemon handshake: the daemon writes an int, its protocol version;
 * version 1 gets the driver's (1) back, version 0 nothing.  Each host
 * request then goes to the daemon (START_FILE_COPY with the names in
 * UTF-8, WRITE_TO_FILE, COMPLETE_FCOPY, CANCEL_FCOPY) and the int the
 * daemon writes back is the status for the host.  No daemon, a daemon
 * that goes away or does not answer in time: E_FAIL to the host.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include "util.h"
#include "util_transport.h"
#include "hv_daemon_abi.h"

static unsigned int fcopy_timeout_s = 30;
module_param(fcopy_timeout_s, uint, 0644);
MODULE_PARM_DESC(fcopy_timeout_s,
		 "Seconds the fcopy daemon has to answer a host request");

static const u32 fc_fw[] = { IC_FW_VER_3 };
static const u32 fc_srv[] = { IC_FCOPY_VER_1_1 };

enum fc_state { FC_NO_DAEMON, FC_IDLE, FC_BUSY };

static struct {
	spinlock_t lock;	/* state, pkt, pkt_len, tid, svc */
	enum fc_state state;
	struct util_svc *svc;
	u8 *pkt;
	u32 pkt_len;
	u64 tid;
	s64 mark;		/* transport mark before the request went out */
	u8 *req;		/* to the daemon */
	u32 req_len;
	struct work_struct send_work;
	struct delayed_work timeout_work;
	struct util_transport t;
	bool t_ready;
} fc;

static void fc_finish_locked(u32 status)
{
	ic_set_response(fc.pkt, status);
	if (fc.svc && fc.svc->opened)
		util_reply(fc.svc, fc.pkt, fc.pkt_len, fc.tid);
	fc.state = FC_IDLE;
}

static void fc_send_work(struct work_struct *w)
{
	unsigned long flags;
	int ret;

	ret = util_transport_send(&fc.t, fc.req, fc.req_len);
	if (!ret)
		return;
	pr_warn_ratelimited("fcopy: cannot pass the request to the daemon (%d)\n",
			    ret);
	if (cancel_delayed_work(&fc.timeout_work)) {
		spin_lock_irqsave(&fc.lock, flags);
		if (fc.state == FC_BUSY)
			fc_finish_locked(IC_E_FAIL);
		spin_unlock_irqrestore(&fc.lock, flags);
	}
}

/* Not answered in time; not read at all: taken back (see vss_timeout). */
static void fc_timeout(struct work_struct *w)
{
	unsigned long flags;
	bool unread;

	cancel_work_sync(&fc.send_work);
	unread = util_transport_withdraw(&fc.t, fc.mark);
	spin_lock_irqsave(&fc.lock, flags);
	if (fc.state == FC_BUSY) {
		pr_warn_ratelimited("fcopy: the daemon did not %s the request in %u s\n",
				    unread ? "read" : "answer", fcopy_timeout_s);
		fc_finish_locked(IC_E_FAIL);
	}
	spin_unlock_irqrestore(&fc.lock, flags);
}

static bool fc_handle(struct util_svc *s, u32 len, u32 body_len, u64 tid)
{
	const char *why = "";
	bool now = true;
	u32 op, olen;

	spin_lock(&fc.lock);
	if (fc.state == FC_BUSY) {
		util_err(s, "host request while one is pending\n");
		ic_set_response(s->buf, IC_E_FAIL);
	} else if (ic_fcopy_host_to_daemon(ic_body(s->buf), body_len, fc.req,
					   sizeof(struct hv_do_fcopy), &olen,
					   &op, &why)) {
		util_err(s, "refused message: %s\n", why);
		ic_set_response(s->buf, IC_E_FAIL);
	} else if (fc.state == FC_NO_DAEMON) {
		ic_set_response(s->buf, IC_E_FAIL);
	} else {
		memcpy(fc.pkt, s->buf, len);
		fc.pkt_len = len;
		fc.tid = tid;
		fc.req_len = olen;
		fc.mark = util_transport_mark(&fc.t);
		fc.state = FC_BUSY;
		now = false;
		schedule_work(&fc.send_work);
		schedule_delayed_work(&fc.timeout_work, fcopy_timeout_s * HZ);
	}
	spin_unlock(&fc.lock);
	return now;
}

static int fc_on_msg(void *ctx, const void *msg, u32 len)
{
	u32 val, ours = FCOPY_CURRENT_VERSION;
	enum fc_state st;
	s64 mark;
	int ret;

	if (len != sizeof(u32))
		return -EINVAL;
	memcpy(&val, msg, sizeof(val));
	spin_lock_bh(&fc.lock);
	st = fc.state;
	mark = fc.mark;
	spin_unlock_bh(&fc.lock);
	if (st == FC_NO_DAEMON) {
		if (val != FCOPY_VERSION_0 && val != FCOPY_VERSION_1)
			return -EINVAL;
		if (val == FCOPY_VERSION_1) {
			ret = util_transport_send(&fc.t, &ours, sizeof(ours));
			if (ret)
				return ret;
		}
		spin_lock_bh(&fc.lock);
		fc.state = FC_IDLE;
		spin_unlock_bh(&fc.lock);
		pr_info("fcopy: daemon registered (protocol %u)\n", val);
		return 0;
	}
	if (st != FC_BUSY)
		return -EINVAL;
	/* an answer to a request not read yet is out of order (see vss) */
	if (!util_transport_read_since(&fc.t, mark)) {
		pr_warn_ratelimited("fcopy: daemon answered a request it has not read\n");
		return -EINVAL;
	}
	if (!cancel_delayed_work_sync(&fc.timeout_work))
		return -EINVAL;
	spin_lock_bh(&fc.lock);
	if (fc.state == FC_BUSY)
		fc_finish_locked(val);
	spin_unlock_bh(&fc.lock);
	return 0;
}

static void fc_on_reset(void *ctx)
{
	bool pending;

	cancel_work_sync(&fc.send_work);
	/* a timeout already running answers the host itself: let it */
	pending = cancel_delayed_work_sync(&fc.timeout_work);
	spin_lock_bh(&fc.lock);
	if (fc.state == FC_BUSY && pending)
		fc_finish_locked(IC_E_FAIL);
	fc.state = FC_NO_DAEMON;
	spin_unlock_bh(&fc.lock);
}

static void fc_free(void)
{
	kfree(fc.pkt);
	kfree(fc.req);
	fc.pkt = NULL;
	fc.req = NULL;
}

static int fc_init(struct util_svc *s)
{
	int ret;

	spin_lock_init(&fc.lock);
	INIT_WORK(&fc.send_work, fc_send_work);
	INIT_DELAYED_WORK(&fc.timeout_work, fc_timeout);
	fc.state = FC_NO_DAEMON;
	fc.pkt = kzalloc(IC_MAX_PKT, GFP_KERNEL);
	fc.req = kzalloc(sizeof(struct hv_do_fcopy), GFP_KERNEL);
	if (!fc.pkt || !fc.req) {
		fc_free();
		return -ENOMEM;
	}
	fc.svc = s;
	ret = util_transport_init(&fc.t, "vmbus/hv_fcopy", fc_on_msg,
				  fc_on_reset, NULL);
	if (ret) {
		fc_free();
		fc.svc = NULL;
		return ret;
	}
	fc.t_ready = true;
	return 0;
}

static void fc_deinit(struct util_svc *s)
{
	if (fc.t_ready)
		util_transport_destroy(&fc.t);
	fc.t_ready = false;
	cancel_work_sync(&fc.send_work);
	cancel_delayed_work_sync(&fc.timeout_work);
	spin_lock_bh(&fc.lock);
	fc.svc = NULL;
	fc.state = FC_NO_DAEMON;
	spin_unlock_bh(&fc.lock);
	fc_free();
}

const struct util_ops util_fcopy_ops = {
	.name = "fcopy",
	.msgtype = IC_MSGTYPE_FCOPY,
	.vers = { fc_fw, ARRAY_SIZE(fc_fw), fc_srv, ARRAY_SIZE(fc_srv) },
	.init = fc_init,
	.deinit = fc_deinit,
	.handle = fc_handle,
};
