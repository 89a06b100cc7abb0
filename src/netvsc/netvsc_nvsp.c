// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_netvsc: opening the primary channel, the NVSP handshake (version,
 * NDIS config and version, receive and send buffers) and its undoing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/vmalloc.h>
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <linux/delay.h>

#include "netvsc.h"

void netvsc_reject(struct netvsc_dev *nd, enum netvsc_err e, u64 tid,
		   const char *why)
{
	netvsc_count(nd, e);
	dev_err_ratelimited(&nd->hdev->device,
			    "dropped host packet (trans_id %#llx): %s\n",
			    (unsigned long long)tid, why);
}

/* A completion of the NVSP request of type req_type (channel callback). */
void netvsc_ctl_complete(struct netvsc_dev *nd, u32 req_type,
			 const struct nvsp_host_msg *h)
{
	struct netvsc_ctl *ctl = &nd->ctl;
	unsigned long flags;
	bool ok = false, wrong = false;

	spin_lock_irqsave(&nd->lock, flags);
	if (ctl->pending && ctl->req_type == req_type) {
		if (ctl->wait_type == h->m.type) {
			ctl->reply = *h;
			ctl->err = 0;
		} else {
			ctl->err = -EPROTO;
			wrong = true;
		}
		ctl->pending = false;
		complete(&ctl->done);
		ok = true;
	}
	spin_unlock_irqrestore(&nd->lock, flags);
	if (!ok)
		netvsc_reject(nd, NETVSC_ERR_UNKNOWN_TID,
			      NVSP_TID_CTL_VALUE(req_type),
			      "NVSP completion nobody waits for");
	else if (wrong)
		netvsc_reject(nd, NETVSC_ERR_BAD_NVSP,
			      NVSP_TID_CTL_VALUE(req_type),
			      "NVSP completion of the wrong type");
}

static int netvsc_send_retry(struct netvsc_dev *nd, u16 flags, u64 tid,
			     const void *buf, u32 len)
{
	unsigned long deadline = jiffies + netvsc_timeout * HZ;
	int ret;

	for (;;) {
		ret = hvlis_chan_send(nd->chan.ch, VMBUS_PKT_DATA_INBAND, flags,
				      tid, buf, len);
		if (ret != -EAGAIN || time_after(jiffies, deadline))
			return ret;
		msleep(20);
	}
}

/* Send an NVSP request and wait for the reply of type reply_type. */
static int netvsc_ctl_exec(struct netvsc_dev *nd, const struct nvsp_msg *m,
			   u32 len, u32 reply_type, struct nvsp_host_msg *out)
{
	struct netvsc_ctl *ctl = &nd->ctl;
	unsigned long flags;
	int ret;

	mutex_lock(&ctl->mutex);
	reinit_completion(&ctl->done);
	spin_lock_irqsave(&nd->lock, flags);
	ctl->pending = true;
	ctl->req_type = m->type;
	ctl->wait_type = reply_type;
	ctl->err = 0;
	spin_unlock_irqrestore(&nd->lock, flags);

	ret = netvsc_send_retry(nd, VMBUS_PKT_FLAG_COMPLETION_REQUESTED,
				NVSP_TID_CTL_VALUE(m->type), m, len);
	if (!ret && !wait_for_completion_timeout(&ctl->done,
						 netvsc_timeout * HZ))
		ret = -ETIMEDOUT;
	spin_lock_irqsave(&nd->lock, flags);
	if (!ret)
		ret = ctl->err;
	ctl->pending = false;
	spin_unlock_irqrestore(&nd->lock, flags);
	if (!ret)
		*out = ctl->reply;
	mutex_unlock(&ctl->mutex);
	return ret;
}

static int netvsc_negotiate(struct netvsc_dev *nd)
{
	struct device *dev = &nd->hdev->device;
	struct nvsp_host_msg h;
	struct nvsp_msg m;
	const char *why;
	int i, ret;

	for (i = 0; i < NVSP_NUM_VERSIONS; i++) {
		u32 len = nvsp_build_init(&m, nvsp_versions[i]);

		ret = netvsc_ctl_exec(nd, &m, len, NVSP_MSG_INIT_COMPLETE, &h);
		if (ret) {
			dev_err(dev, "NVSP INIT %#x: %s (%d)\n", nvsp_versions[i],
				ret == -ETIMEDOUT ? "no answer" : "send failed",
				ret);
			return ret;
		}
		ret = nvsp_check_init_complete(&h, &why);
		if (!ret) {
			nd->nvsp_version = nvsp_versions[i];
			dev_info(dev, "NVSP version %#x\n", nd->nvsp_version);
			return 0;
		}
		if (ret != -EPROTONOSUPPORT) {
			dev_err(dev, "bad INIT_COMPLETE: %s\n", why);
			return -EPROTO;
		}
	}
	dev_err(dev, "the host accepts none of our NVSP versions\n");
	return -EPROTONOSUPPORT;
}

static int netvsc_init_recv_buf(struct netvsc_dev *nd)
{
	struct device *dev = &nd->hdev->device;
	struct nvsp_host_msg h;
	struct nvsp_msg m;
	const char *why;
	u32 len, size = nd->recv_buf_size;
	int ret;

	if (nd->nvsp_version <= NVSP_VERSION_2 && size > NVSP_RECV_BUF_MAX_V2)
		size = NVSP_RECV_BUF_MAX_V2;
	nd->recv_buf = vzalloc(size);
	if (!nd->recv_buf)
		return -ENOMEM;
	nd->recv_size = size;
	ret = hvlis_gpadl_establish(nd->chan.ch, nd->recv_buf, size,
				    &nd->recv_gpadl);
	if (ret) {
		dev_err(dev, "receive buffer GPADL failed: %d\n", ret);
		return ret;
	}
	nd->recv_gpadl_ok = true;
	len = nvsp_build_send_buf(&m, NVSP_MSG_SEND_RECV_BUF,
				  nd->recv_gpadl.handle, NVSP_RECV_BUF_ID);
	ret = netvsc_ctl_exec(nd, &m, len, NVSP_MSG_SEND_RECV_BUF_COMPLETE, &h);
	if (ret)
		return ret;
	nd->recv_given = true;
	ret = nvsp_check_recv_buf_complete(&h, size, &nd->recv_lay, &why);
	if (ret) {
		dev_err(dev, "receive buffer: %s\n", why);
		return ret;
	}
	return 0;
}

static int netvsc_init_send_buf(struct netvsc_dev *nd)
{
	struct device *dev = &nd->hdev->device;
	struct nvsp_host_msg h;
	struct nvsp_msg m;
	const char *why;
	u32 len, size = nd->send_buf_size;
	int ret;

	nd->send_buf = vzalloc(size);
	if (!nd->send_buf)
		return -ENOMEM;
	nd->send_size = size;
	ret = hvlis_gpadl_establish(nd->chan.ch, nd->send_buf, size,
				    &nd->send_gpadl);
	if (ret) {
		dev_err(dev, "send buffer GPADL failed: %d\n", ret);
		return ret;
	}
	nd->send_gpadl_ok = true;
	len = nvsp_build_send_buf(&m, NVSP_MSG_SEND_SEND_BUF,
				  nd->send_gpadl.handle, NVSP_SEND_BUF_ID);
	ret = netvsc_ctl_exec(nd, &m, len, NVSP_MSG_SEND_SEND_BUF_COMPLETE, &h);
	if (ret)
		return ret;
	nd->send_given = true;
	ret = nvsp_check_send_buf_complete(&h, size, &nd->send_lay, &why);
	if (ret) {
		dev_err(dev, "send buffer: %s\n", why);
		return ret;
	}
	nd->section_map = bitmap_zalloc(nd->send_lay.num_sections, GFP_KERNEL);
	nd->tx_skb = kcalloc(nd->send_lay.num_sections, sizeof(*nd->tx_skb),
			     GFP_KERNEL);
	if (!nd->section_map || !nd->tx_skb)
		return -ENOMEM;
	dev_dbg(dev, "send buffer: %u sections of %u bytes\n",
		nd->send_lay.num_sections, nd->send_lay.section_size);
	return 0;
}

int netvsc_connect(struct netvsc_dev *nd)
{
	struct hvlis_open_params p = {
		.send_ring_size = NETVSC_RING_BYTES,
		.recv_ring_size = NETVSC_RING_BYTES,
		.max_pkt_size = NETVSC_MAX_IN_PKT,
		.onchannel = netvsc_onchannel,
		.ctx = &nd->chan,
	};
	struct nvsp_msg m;
	u32 len;
	int ret;

	ret = hvlis_chan_open(nd->chan.ch, &p);
	if (ret) {
		dev_err(&nd->hdev->device, "channel open failed: %d\n", ret);
		return ret;
	}
	nd->chan.opened = true;

	ret = netvsc_negotiate(nd);
	if (ret)
		return ret;
	if (nd->nvsp_version >= NVSP_VERSION_2) {
		len = nvsp_build_ndis_config(&m, nd->ndev->mtu, nd->nvsp_version);
		ret = netvsc_send_retry(nd, 0, NVSP_TID_CTL_VALUE(m.type), &m,
					len);
		if (ret)
			return ret;
	}
	len = nvsp_build_ndis_version(&m, nd->nvsp_version);
	ret = netvsc_send_retry(nd, 0, NVSP_TID_CTL_VALUE(m.type), &m, len);
	if (ret)
		return ret;
	ret = netvsc_init_recv_buf(nd);
	if (ret)
		return ret;
	return netvsc_init_send_buf(nd);
}

/* Undo netvsc_connect(), whatever part of it happened. */
void netvsc_disconnect(struct netvsc_dev *nd)
{
	struct nvsp_msg m;
	u32 len;

	if (nd->chan.opened && !hvlis_chan_rescinded(nd->chan.ch)) {
		if (nd->recv_given) {
			len = nvsp_build_revoke(&m, NVSP_MSG_REVOKE_RECV_BUF,
						NVSP_RECV_BUF_ID);
			netvsc_send_retry(nd, 0, NVSP_TID_CTL_VALUE(m.type),
					  &m, len);
		}
		if (nd->send_given) {
			len = nvsp_build_revoke(&m, NVSP_MSG_REVOKE_SEND_BUF,
						NVSP_SEND_BUF_ID);
			netvsc_send_retry(nd, 0, NVSP_TID_CTL_VALUE(m.type),
					  &m, len);
		}
	}
	nd->recv_given = false;
	nd->send_given = false;
	if (nd->chan.opened) {
		hvlis_chan_close(nd->chan.ch);
		nd->chan.opened = false;
	}
	/* the host may still map a buffer whose teardown failed: leak it */
	if (nd->recv_gpadl_ok &&
	    hvlis_gpadl_teardown(nd->chan.ch, &nd->recv_gpadl))
		nd->recv_buf = NULL;
	nd->recv_gpadl_ok = false;
	if (nd->send_gpadl_ok &&
	    hvlis_gpadl_teardown(nd->chan.ch, &nd->send_gpadl))
		nd->send_buf = NULL;
	nd->send_gpadl_ok = false;
	netvsc_tx_purge(nd);
	netvsc_purge_rx(&nd->chan);
	vfree(nd->recv_buf);
	nd->recv_buf = NULL;
	vfree(nd->send_buf);
	nd->send_buf = NULL;
	bitmap_free(nd->section_map);
	nd->section_map = NULL;
	kfree(nd->tx_skb);
	nd->tx_skb = NULL;
}
