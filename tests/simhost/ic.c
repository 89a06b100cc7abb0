// SPDX-License-Identifier: GPL-2.0-only
/*
 * Integration components, host side: the part every service shares.
 *
 * Behaviour (OpenVMM hyperv_ic/src/common.rs and vmbus_async pipe.rs):
 *  - After the guest opens the channel the host sends NEGOTIATE with
 *    header versions 0.0, frameworks 1.0 and 3.0, then the service's
 *    versions (oldest first), IC transaction id 0, TRANSACTION|REQUEST.
 *  - While waiting for the answer, answers of other message types are
 *    dropped (stale); the answer must carry counts 1/1 and the chosen
 *    framework and service version, which the host then uses in the
 *    header of every later message.
 *  - Every guest packet must be in-band with a DATA pipe header whose
 *    size fits the packet and 13312 bytes, an IC header with transaction
 *    id 0 and TRANSACTION|RESPONSE, and a body at least the header's
 *    msgsize.  Anything else fails the channel (OpenVMM's "ic error"
 *    state): the host goes silent until the guest reopens it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": ic: " fmt

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/nls.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ic.h"
#include "simhost_int.h"

static const u32 ic_fw_versions[] = { IC_FW_VER_1, IC_FW_VER_3 };

void ic_svc_init(struct ic_svc *svc)
{
	mutex_init(&svc->lock);
	mutex_init(&svc->xact);
	spin_lock_init(&svc->rlock);
	init_completion(&svc->done);
	svc->state = IC_CLOSED;
	svc->nver = min_t(unsigned int, svc->def_nver, IC_MAX_OFFER);
	memcpy(svc->versions, svc->def_versions, svc->nver * sizeof(u32));
	svc->faults.neg_fw = -1;
	svc->faults.neg_msg = -1;
	svc->timeout_ms = IC_REQ_TIMEOUT_MS;
}

static void ver_put(struct ic_version *v, u32 ver)
{
	v->major = IC_VERSION_MAJOR(ver);
	v->minor = IC_VERSION_MINOR(ver);
}

static u32 ver_get(const struct ic_version *v)
{
	return IC_VERSION(v->major, v->minor);
}

/* Complete the waiting request (if any) with an error. */
static void ic_abort_waiter(struct ic_svc *svc, int err)
{
	unsigned long fl;

	spin_lock_irqsave(&svc->rlock, fl);
	if (svc->waiting) {
		svc->waiting = false;
		svc->resp_err = err;
		complete(&svc->done);
	}
	spin_unlock_irqrestore(&svc->rlock, fl);
}

void ic_fail(struct ic_svc *svc, const char *fmt, ...)
{
	va_list ap;

	mutex_lock(&svc->lock);
	va_start(ap, fmt);
	vsnprintf(svc->last_error, sizeof(svc->last_error), fmt, ap);
	va_end(ap);
	svc->errors++;
	if (svc->state != IC_CLOSED)
		svc->state = IC_FAILED;
	mutex_unlock(&svc->lock);
	pr_warn_ratelimited("%s: %s; channel failed\n", svc->name,
			    svc->last_error);
	ic_abort_waiter(svc, -EPROTO);
}

bool ic_is_ready(struct ic_svc *svc, u32 *msg_ver)
{
	bool ready;

	mutex_lock(&svc->lock);
	ready = svc->chan && svc->state == IC_READY;
	if (msg_ver)
		*msg_ver = svc->msg_ver;
	mutex_unlock(&svc->lock);
	return ready;
}

/* svc->lock held.  Frames @buf (headers first) and applies the faults. */
static int ic_send_locked(struct ic_svc *svc, u8 *buf, u32 len)
{
	struct ic_hdr *h = (struct ic_hdr *)buf;
	struct ic_faults *f = &svc->faults;

	h->pipe.flags = IC_PIPE_FLAG_DATA;
	h->pipe.msgsize = len - sizeof(h->pipe);
	if (f->pipe_flags) {
		h->pipe.flags = 0;
		pr_info("fault: %s: pipe flags 0\n", svc->name);
	}
	if (f->pipe_size) {
		h->pipe.msgsize += f->pipe_size;
		pr_info("fault: %s: pipe msgsize %u\n", svc->name,
			h->pipe.msgsize);
	}
	if (f->msg_size) {
		h->ic.msgsize += f->msg_size;
		pr_info("fault: %s: IC msgsize %u\n", svc->name,
			h->ic.msgsize);
	}
	if (f->trunc > 0) {
		len -= min_t(u32, f->trunc, len - 8);
		pr_info("fault: %s: packet cut to %u bytes\n", svc->name, len);
	}
	f->pipe_flags = false;
	f->pipe_size = 0;
	f->msg_size = 0;
	f->trunc = 0;
	return sim_chan_send(svc->chan, VMBUS_PKT_DATA_INBAND, 0, 0, buf, len);
}

static void ic_neg_work(struct work_struct *w)
{
	struct ic_svc *svc = container_of(w, struct ic_svc, neg_work);
	struct sim_chan *chan = READ_ONCE(svc->chan);
	unsigned int i, n, tries = 2000;
	struct ic_negotiate *neg;
	struct ic_hdr *h;
	u32 blen, len;
	u8 *buf;
	int ret;

	/* the guest learns the channel is open from OPENCHANNEL_RESULT first */
	while (chan && READ_ONCE(chan->state) != CHAN_OPEN && --tries) {
		usleep_range(1000, 2000);
		if (READ_ONCE(svc->chan) != chan)
			return;
	}
	n = ARRAY_SIZE(ic_fw_versions) + svc->nver;
	blen = sizeof(*neg) + n * sizeof(struct ic_version);
	len = IC_HDR_SIZE + blen;
	buf = kzalloc(len, GFP_KERNEL);
	if (!buf)
		return;
	h = (struct ic_hdr *)buf;
	neg = (struct ic_negotiate *)(buf + IC_HDR_SIZE);
	h->ic.msgtype = IC_MSGTYPE_NEGOTIATE;
	h->ic.msgsize = blen;
	h->ic.flags = IC_FLAG_TRANSACTION | IC_FLAG_REQUEST;
	for (i = 0; i < ARRAY_SIZE(ic_fw_versions); i++)
		ver_put(&neg->ver[i], ic_fw_versions[i]);
	for (i = 0; i < svc->nver; i++)
		ver_put(&neg->ver[ARRAY_SIZE(ic_fw_versions) + i],
			svc->versions[i]);

	mutex_lock(&svc->lock);
	if (svc->chan != chan || !chan || svc->state != IC_NEG_WAIT) {
		mutex_unlock(&svc->lock);
		kfree(buf);
		return;
	}
	neg->fw_count = ARRAY_SIZE(ic_fw_versions);
	neg->msg_count = svc->nver;
	if (svc->faults.neg_fw >= 0 || svc->faults.neg_msg >= 0) {
		if (svc->faults.neg_fw >= 0)
			neg->fw_count = svc->faults.neg_fw;
		if (svc->faults.neg_msg >= 0)
			neg->msg_count = svc->faults.neg_msg;
		pr_info("fault: %s: NEGOTIATE claims %u/%u versions, carries %u\n",
			svc->name, neg->fw_count, neg->msg_count, n);
		svc->faults.neg_fw = -1;
		svc->faults.neg_msg = -1;
	}
	svc->negotiations++;
	ret = ic_send_locked(svc, buf, len);
	mutex_unlock(&svc->lock);
	kfree(buf);
	if (ret)
		pr_warn("%s: NEGOTIATE not sent: %d\n", svc->name, ret);
}

int ic_open(struct ic_svc *svc, struct sim_chan *chan)
{
	mutex_lock(&svc->lock);
	if (svc->chan) {
		/* a second instance: open, but silent */
		mutex_unlock(&svc->lock);
		return 0;
	}
	svc->chan = chan;
	svc->state = IC_NEG_WAIT;
	svc->fw_ver = 0;
	svc->msg_ver = 0;
	svc->guest_bad_ver = false;
	INIT_WORK(&svc->neg_work, ic_neg_work);
	mutex_unlock(&svc->lock);
	/* not from open(): OPENCHANNEL_RESULT goes out after it returns */
	schedule_work(&svc->neg_work);
	return 0;
}

void ic_close(struct ic_svc *svc, struct sim_chan *chan)
{
	mutex_lock(&svc->lock);
	if (svc->chan != chan) {
		mutex_unlock(&svc->lock);
		return;
	}
	WRITE_ONCE(svc->chan, NULL);
	svc->state = IC_CLOSED;
	mutex_unlock(&svc->lock);
	ic_abort_waiter(svc, -ESHUTDOWN);
	cancel_work_sync(&svc->neg_work);
	if (svc->ops->closed)
		svc->ops->closed(svc);
}

static bool ver_offered(struct ic_svc *svc, u32 fw, u32 msg)
{
	bool fw_ok = false, msg_ok = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ic_fw_versions); i++)
		fw_ok |= ic_fw_versions[i] == fw;
	for (i = 0; i < svc->nver; i++)
		msg_ok |= svc->versions[i] == msg;
	return fw_ok && msg_ok;
}

/* The guest's NEGOTIATE answer; svc->lock held.  Returns an error text. */
static const char *ic_negotiated(struct ic_svc *svc, const u8 *body, u32 blen)
{
	const struct ic_negotiate *neg = (const void *)body;
	u32 fw, msg;

	if (blen < sizeof(*neg))
		return "negotiate answer without counts";
	if (neg->fw_count != 1 || neg->msg_count != 1)
		return "no supported versions (counts not 1/1)";
	if (blen < sizeof(*neg) + 2 * sizeof(struct ic_version))
		return "negotiate answer without its version table";
	fw = ver_get(&neg->ver[0]);
	msg = ver_get(&neg->ver[1]);
	svc->fw_ver = fw;
	svc->msg_ver = msg;
	svc->state = IC_READY;
	/* OpenVMM takes the guest's choice as it is; so do we, but say so */
	if (!ver_offered(svc, fw, msg)) {
		svc->guest_bad_ver = true;
		pr_warn_ratelimited("%s: guest chose framework %u.%u / version %u.%u, not offered\n",
				    svc->name, IC_VERSION_MAJOR(fw),
				    IC_VERSION_MINOR(fw), IC_VERSION_MAJOR(msg),
				    IC_VERSION_MINOR(msg));
	}
	return NULL;
}

void ic_packet(struct ic_svc *svc, struct sim_chan *chan, const void *pkt,
	       u32 len)
{
	const struct vmbus_pkt_desc *d = pkt;
	const struct ic_pipe_hdr *pipe;
	const struct ic_msg_hdr *ic;
	const char *why = NULL;
	const u8 *p, *body;
	unsigned long fl;
	u32 plen, mlen;
	bool ready = false;

	if (READ_ONCE(svc->chan) != chan)
		return;		/* a silent extra instance */
	if (d->type != VMBUS_PKT_DATA_INBAND) {
		ic_fail(svc, "guest packet of type %u, not in-band", d->type);
		return;
	}
	p = sim_pkt_payload(pkt, len, &plen);
	if (!p || plen < sizeof(*pipe)) {
		ic_fail(svc, "guest packet without a pipe header");
		return;
	}
	pipe = (const void *)p;
	if (pipe->flags != IC_PIPE_FLAG_DATA) {
		ic_fail(svc, "pipe packet type %u, not DATA", pipe->flags);
		return;
	}
	if (pipe->msgsize > plen - sizeof(*pipe) ||
	    pipe->msgsize > IC_MAX_MESSAGE) {
		ic_fail(svc, "pipe msgsize %u past the packet (%u)",
			pipe->msgsize, plen);
		return;
	}
	mlen = pipe->msgsize;
	if (mlen < sizeof(*ic)) {
		ic_fail(svc, "message of %u bytes has no IC header", mlen);
		return;
	}
	ic = (const void *)(p + sizeof(*pipe));
	if (ic->trans_id != 0 || !(ic->flags & IC_FLAG_TRANSACTION) ||
	    !(ic->flags & IC_FLAG_RESPONSE)) {
		ic_fail(svc, "not a transaction response (id %u, flags %#x)",
			ic->trans_id, ic->flags);
		return;
	}
	if (ic->msgsize > mlen - sizeof(*ic)) {
		ic_fail(svc, "IC msgsize %u past the message (%u)", ic->msgsize,
			mlen);
		return;
	}
	body = (const u8 *)(ic + 1);

	mutex_lock(&svc->lock);
	switch (svc->state) {
	case IC_NEG_WAIT:
		if (ic->msgtype != IC_MSGTYPE_NEGOTIATE) {
			svc->stale++;
			pr_warn_ratelimited("%s: dropped a type %u answer while negotiating\n",
					    svc->name, ic->msgtype);
			break;
		}
		why = ic_negotiated(svc, body, ic->msgsize);
		ready = !why;
		break;
	case IC_READY:
		spin_lock_irqsave(&svc->rlock, fl);
		if (svc->waiting) {
			svc->waiting = false;
			svc->resp_err = 0;
			svc->resp_status = ic->status;
			svc->resp_len = ic->msgsize;
			memcpy(svc->resp, body, ic->msgsize);
			svc->responses++;
			if (sim_chan_rx_in_ring(chan))
				svc->answers_in_ring++;
			complete(&svc->done);
		} else {
			svc->unsolicited++;
		}
		spin_unlock_irqrestore(&svc->rlock, fl);
		break;
	default:
		break;
	}
	mutex_unlock(&svc->lock);
	if (why)
		ic_fail(svc, "%s", why);
	else if (ready && svc->ops->ready)
		svc->ops->ready(svc);
}

int ic_request(struct ic_svc *svc, const void *body, u32 blen, u32 *status,
	       void *resp, u32 rmax, u32 *rlen, unsigned int timeout_ms)
{
	struct ic_hdr *h;
	unsigned long fl;
	u8 *buf;
	int ret;

	if (blen > IC_MAX_MESSAGE - sizeof(struct ic_msg_hdr))
		return -EMSGSIZE;
	buf = kzalloc(IC_HDR_SIZE + blen, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memcpy(buf + IC_HDR_SIZE, body, blen);
	h = (struct ic_hdr *)buf;

	mutex_lock(&svc->xact);
	mutex_lock(&svc->lock);
	if (!svc->chan || svc->state != IC_READY) {
		mutex_unlock(&svc->lock);
		ret = -ENOTCONN;
		goto out;
	}
	ver_put(&h->ic.fw_ver, svc->fw_ver);
	ver_put(&h->ic.msg_ver, svc->msg_ver);
	h->ic.msgtype = svc->msgtype;
	h->ic.msgsize = blen;
	h->ic.flags = IC_FLAG_TRANSACTION | IC_FLAG_REQUEST;
	spin_lock_irqsave(&svc->rlock, fl);
	reinit_completion(&svc->done);
	svc->waiting = true;
	svc->resp_err = 0;
	spin_unlock_irqrestore(&svc->rlock, fl);
	svc->requests++;
	ret = ic_send_locked(svc, buf, IC_HDR_SIZE + blen);
	mutex_unlock(&svc->lock);
	if (!timeout_ms)
		timeout_ms = READ_ONCE(svc->timeout_ms);
	if (!ret)
		wait_for_completion_timeout(&svc->done,
					    msecs_to_jiffies(timeout_ms));
	spin_lock_irqsave(&svc->rlock, fl);
	if (ret) {
		svc->waiting = false;
	} else if (svc->waiting) {
		svc->waiting = false;
		svc->timeouts++;
		ret = -ETIMEDOUT;
	} else if (svc->resp_err) {
		ret = svc->resp_err;
	} else {
		if (status)
			*status = svc->resp_status;
		if (resp)
			memcpy(resp, svc->resp, min(svc->resp_len, rmax));
		if (rlen)
			*rlen = svc->resp_len;
	}
	spin_unlock_irqrestore(&svc->rlock, fl);
out:
	mutex_unlock(&svc->xact);
	kfree(buf);
	return ret;
}

/* Send NEGOTIATE again now (debugfs "renegotiate"). */
int ic_renegotiate(struct ic_svc *svc)
{
	mutex_lock(&svc->lock);
	if (!svc->chan || svc->state == IC_CLOSED) {
		mutex_unlock(&svc->lock);
		return -ENOTCONN;
	}
	svc->state = IC_NEG_WAIT;
	mutex_unlock(&svc->lock);
	ic_abort_waiter(svc, -ECANCELED);
	schedule_work(&svc->neg_work);
	flush_work(&svc->neg_work);
	return 0;
}

/* ASCII/UTF-8 to NUL-terminated UTF-16LE; returns bytes with the NUL. */
int ic_to_utf16(const char *s, u8 *out, unsigned int max_bytes)
{
	int n = utf8s_to_utf16s(s, strlen(s), UTF16_LITTLE_ENDIAN,
				(wchar_t *)out, max_bytes / 2);

	if (n < 0)
		return n;
	if ((unsigned int)(n + 1) * 2 > max_bytes)
		return -ENAMETOOLONG;
	out[n * 2] = 0;
	out[n * 2 + 1] = 0;
	return (n + 1) * 2;
}
