// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVP IC: key/value exchange between the host and the KVP daemon
 * (hv_kvp_daemon from the distribution) through /dev/vmbus/hv_kvp.
 *
 * Daemon handshake: the daemon writes a struct hv_kvp_msg whose operation
 * is KVP_OP_REGISTER1 (or the old KVP_OP_REGISTER); the driver answers
 * with the same operation and its version string.  Then, per host
 * request, one transaction:
 *
 *   IDLE --host request--> TO_DAEMON --read by daemon--> ...
 *        <--daemon reply / timeout / daemon gone: answer the host--
 *
 * Without a registered daemon the host gets E_FAIL at once; a daemon
 * reply with no transaction pending, or of the wrong size, gets -EINVAL
 * and changes nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "util.h"
#include "util_transport.h"
#include "kvp_proto.h"

static unsigned int kvp_timeout_s = 30;
module_param(kvp_timeout_s, uint, 0644);
MODULE_PARM_DESC(kvp_timeout_s,
		 "Seconds the KVP daemon has to answer a host request");

#define KVP_DRV_VERSION	"3.1"

static const u32 kvp_fw[] = { IC_FW_VER_3, IC_FW_VER_1 };
static const u32 kvp_srv[] = { IC_KVP_VER_4, IC_KVP_VER_3, IC_KVP_VER_1 };

enum kvp_state {
	KVP_NO_DAEMON,		/* device closed or daemon not registered */
	KVP_IDLE,		/* daemon registered, no transaction */
	KVP_BUSY,		/* host request handed to the daemon */
};

static struct {
	spinlock_t lock;	/* state, pkt, pkt_len, tid, svc */
	enum kvp_state state;
	struct util_svc *svc;
	u8 *pkt;		/* the host request being served */
	u32 pkt_len;
	u64 tid;
	u8 op;
	s64 mark;		/* transport mark before the request went out */
	struct hv_kvp_msg *req;	/* to the daemon */
	struct hv_kvp_msg *reg;	/* handshake answer */
	struct work_struct send_work;
	struct delayed_work timeout_work;
	struct util_transport t;
	bool t_ready;
} kvp;

/* Answer the pending host request; lock held, state BUSY. */
static void kvp_finish_locked(const struct hv_kvp_msg *dm, u32 status)
{
	struct util_svc *s = kvp.svc;

	if (dm)
		status = ic_kvp_daemon_to_host(dm, kvp.op, ic_body(kvp.pkt),
					       kvp.pkt_len - IC_HDR_SIZE);
	ic_set_response(kvp.pkt, status);
	if (s && s->opened)
		util_reply(s, kvp.pkt, kvp.pkt_len, kvp.tid);
	kvp.state = KVP_IDLE;
}

static void kvp_send_work(struct work_struct *w)
{
	unsigned long flags;
	int ret;

	ret = util_transport_send(&kvp.t, kvp.req, sizeof(*kvp.req));
	if (!ret)
		return;
	pr_warn_ratelimited("kvp: cannot pass the request to the daemon (%d)\n",
			    ret);
	if (cancel_delayed_work(&kvp.timeout_work)) {
		spin_lock_irqsave(&kvp.lock, flags);
		if (kvp.state == KVP_BUSY)
			kvp_finish_locked(NULL, IC_E_FAIL);
		spin_unlock_irqrestore(&kvp.lock, flags);
	}
}

/* Not answered in time; not read at all: taken back (see vss_timeout). */
static void kvp_timeout(struct work_struct *w)
{
	unsigned long flags;
	bool unread;

	cancel_work_sync(&kvp.send_work);
	unread = util_transport_withdraw(&kvp.t, kvp.mark);
	spin_lock_irqsave(&kvp.lock, flags);
	if (kvp.state == KVP_BUSY) {
		pr_warn_ratelimited("kvp: the daemon did not %s the request in %u s\n",
				    unread ? "read" : "answer", kvp_timeout_s);
		kvp_finish_locked(NULL, IC_E_FAIL);
	}
	spin_unlock_irqrestore(&kvp.lock, flags);
}

static bool kvp_handle(struct util_svc *s, u32 len, u32 body_len, u64 tid)
{
	const char *why = "";
	bool answer_now = true;

	spin_lock(&kvp.lock);
	if (kvp.state == KVP_BUSY) {
		util_err(s, "host request while one is pending: refused\n");
		ic_set_response(s->buf, IC_E_FAIL);
	} else if (ic_kvp_host_to_daemon(ic_body(s->buf), body_len, kvp.req,
					 &why)) {
		util_err(s, "refused message: %s\n", why);
		ic_set_response(s->buf, IC_E_FAIL);
	} else if (kvp.state == KVP_NO_DAEMON) {
		ic_set_response(s->buf, IC_E_FAIL);	/* no daemon */
	} else {
		memcpy(kvp.pkt, s->buf, len);
		kvp.pkt_len = len;
		kvp.tid = tid;
		kvp.op = kvp.req->kvp_hdr.operation;
		kvp.mark = util_transport_mark(&kvp.t);
		kvp.state = KVP_BUSY;
		answer_now = false;
		schedule_work(&kvp.send_work);
		schedule_delayed_work(&kvp.timeout_work, kvp_timeout_s * HZ);
	}
	spin_unlock(&kvp.lock);
	return answer_now;
}

static int kvp_register(const struct hv_kvp_msg *m)
{
	u8 op = m->kvp_hdr.operation;
	int ret;

	if (op != KVP_OP_REGISTER1 && op != KVP_OP_REGISTER) {
		pr_info("kvp: daemon speaks an unknown protocol (%u)\n", op);
		return -EINVAL;
	}
	memset(kvp.reg, 0, sizeof(*kvp.reg));
	kvp.reg->kvp_hdr.operation = op;
	strscpy((char *)kvp.reg->body.kvp_register.version, KVP_DRV_VERSION,
		sizeof(kvp.reg->body.kvp_register.version));
	ret = util_transport_send(&kvp.t, kvp.reg, sizeof(*kvp.reg));
	if (ret)
		return ret;
	spin_lock_bh(&kvp.lock);
	kvp.state = KVP_IDLE;
	spin_unlock_bh(&kvp.lock);
	pr_info("kvp: daemon registered (protocol %u)\n", op);
	return 0;
}

/* A message the daemon wrote (process context). */
static int kvp_on_msg(void *ctx, const void *msg, u32 len)
{
	const struct hv_kvp_msg *m = msg;
	enum kvp_state st;
	s64 mark;

	if (len != sizeof(struct hv_kvp_msg))
		return -EINVAL;
	spin_lock_bh(&kvp.lock);
	st = kvp.state;
	mark = kvp.mark;
	spin_unlock_bh(&kvp.lock);
	if (st == KVP_NO_DAEMON)
		return kvp_register(m);
	if (st != KVP_BUSY)
		return -EINVAL;		/* nothing asked: out of order */
	/* an answer to a request not read yet is out of order (see vss) */
	if (!util_transport_read_since(&kvp.t, mark)) {
		pr_warn_ratelimited("kvp: daemon answered a request it has not read\n");
		return -EINVAL;
	}
	if (!cancel_delayed_work_sync(&kvp.timeout_work))
		return -EINVAL;		/* timed out meanwhile */
	spin_lock_bh(&kvp.lock);
	if (kvp.state == KVP_BUSY)
		kvp_finish_locked(m, 0);
	spin_unlock_bh(&kvp.lock);
	return 0;
}

/* The daemon closed the device (or died). */
static void kvp_on_reset(void *ctx)
{
	bool pending;

	cancel_work_sync(&kvp.send_work);
	/* a timeout already running answers the host itself: let it */
	pending = cancel_delayed_work_sync(&kvp.timeout_work);
	spin_lock_bh(&kvp.lock);
	if (kvp.state == KVP_BUSY && pending)
		kvp_finish_locked(NULL, IC_E_FAIL);
	kvp.state = KVP_NO_DAEMON;
	spin_unlock_bh(&kvp.lock);
}

static int kvp_init(struct util_svc *s)
{
	int ret;

	spin_lock_init(&kvp.lock);
	INIT_WORK(&kvp.send_work, kvp_send_work);
	INIT_DELAYED_WORK(&kvp.timeout_work, kvp_timeout);
	kvp.state = KVP_NO_DAEMON;
	kvp.pkt = kzalloc(IC_MAX_PKT, GFP_KERNEL);
	kvp.req = kzalloc(sizeof(*kvp.req), GFP_KERNEL);
	kvp.reg = kzalloc(sizeof(*kvp.reg), GFP_KERNEL);
	if (!kvp.pkt || !kvp.req || !kvp.reg) {
		ret = -ENOMEM;
		goto free;
	}
	kvp.svc = s;
	ret = util_transport_init(&kvp.t, "vmbus/hv_kvp", kvp_on_msg,
				  kvp_on_reset, NULL);
	if (ret)
		goto free;
	kvp.t_ready = true;
	return 0;
free:
	kfree(kvp.pkt);
	kfree(kvp.req);
	kfree(kvp.reg);
	kvp.pkt = NULL;
	kvp.req = NULL;
	kvp.reg = NULL;
	kvp.svc = NULL;
	return ret;
}

static void kvp_deinit(struct util_svc *s)
{
	if (kvp.t_ready)
		util_transport_destroy(&kvp.t);
	kvp.t_ready = false;
	cancel_work_sync(&kvp.send_work);
	cancel_delayed_work_sync(&kvp.timeout_work);
	spin_lock_bh(&kvp.lock);
	kvp.svc = NULL;
	kvp.state = KVP_NO_DAEMON;
	spin_unlock_bh(&kvp.lock);
	kfree(kvp.pkt);
	kfree(kvp.req);
	kfree(kvp.reg);
	kvp.pkt = NULL;
	kvp.req = NULL;
	kvp.reg = NULL;
}

const struct util_ops util_kvp_ops = {
	.name = "kvp",
	.msgtype = IC_MSGTYPE_KVPEXCHANGE,
	.vers = { kvp_fw, ARRAY_SIZE(kvp_fw), kvp_srv, ARRAY_SIZE(kvp_srv) },
	.init = kvp_init,
	.deinit = kvp_deinit,
	.handle = kvp_handle,
};
