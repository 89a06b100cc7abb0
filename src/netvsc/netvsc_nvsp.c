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
		ret = hvlis_chan_send(nd->chan[0]->ch, VMBUS_PKT_DATA_INBAND, flags,
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

/*
 * SWITCH_DATA_PATH (NVSP 4): the guest's data path, VF or synthetic.
 * The host completes it without a message (RTNL; waits for it).
 */
int netvsc_switch_datapath(struct netvsc_dev *nd, bool vf)
{
	struct nvsp_host_msg h;
	struct nvsp_msg m;

	if (nd->nvsp_version < NVSP_VERSION_4)
		return -EOPNOTSUPP;
	memset(&m, 0, sizeof(m));
	m.type = NVSP_MSG_SWITCH_DATA_PATH;
	m.u.switch_dp.active_datapath = vf ? NVSP_DATAPATH_VF :
					     NVSP_DATAPATH_SYNTHETIC;
	return netvsc_ctl_exec(nd, &m, sizeof(m), NVSP_MSG_NONE, &h);
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
	ret = hvlis_gpadl_establish(nd->chan[0]->ch, nd->recv_buf, size,
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
	ret = hvlis_gpadl_establish(nd->chan[0]->ch, nd->send_buf, size,
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
	nd->tx_owner = kmalloc_array(nd->send_lay.num_sections,
				     sizeof(*nd->tx_owner), GFP_KERNEL);
	if (!nd->section_map || !nd->tx_skb || !nd->tx_owner)
		return -ENOMEM;
	memset(nd->tx_owner, 0xff,
	       nd->send_lay.num_sections * sizeof(*nd->tx_owner));
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
		.ctx = nd->chan[0],
	};
	struct nvsp_msg m;
	u32 len;
	int ret;

	ret = hvlis_chan_open(nd->chan[0]->ch, &p);
	if (ret) {
		dev_err(&nd->hdev->device, "channel open failed: %d\n", ret);
		return ret;
	}
	nd->chan[0]->opened = true;

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

	if (nd->chan[0]->opened && !hvlis_chan_rescinded(nd->chan[0]->ch)) {
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
	if (nd->chan[0]->opened) {
		hvlis_chan_close(nd->chan[0]->ch);
		nd->chan[0]->opened = false;
	}
	/* the host may still map a buffer whose teardown failed: leak it */
	if (nd->recv_gpadl_ok &&
	    hvlis_gpadl_teardown(nd->chan[0]->ch, &nd->recv_gpadl))
		nd->recv_buf = NULL;
	nd->recv_gpadl_ok = false;
	if (nd->send_gpadl_ok &&
	    hvlis_gpadl_teardown(nd->chan[0]->ch, &nd->send_gpadl))
		nd->send_buf = NULL;
	nd->send_gpadl_ok = false;
	netvsc_tx_purge(nd, NETVSC_ALL_OWNERS);
	netvsc_purge_rx(nd->chan[0]);
	vfree(nd->recv_buf);
	nd->recv_buf = NULL;
	vfree(nd->send_buf);
	nd->send_buf = NULL;
	bitmap_free(nd->section_map);
	nd->section_map = NULL;
	kfree(nd->tx_skb);
	nd->tx_skb = NULL;
	kfree(nd->tx_owner);
	nd->tx_owner = NULL;
}

/* ---- sub-channels (vRSS) ---- */

DEFINE_MUTEX(netvsc_sc_mutex);

static struct netvsc_dev *netvsc_chan_owner(struct vmbus_channel *ch)
{
	struct hv_device *hdev = hvlis_chan_device(ch);

	return hdev ? dev_get_drvdata(&hdev->device) : NULL;
}

/* Close one sub-channel and drop what was in flight on it (sc_mutex). */
static void netvsc_sc_close(struct netvsc_dev *nd, struct netvsc_chan *c)
{
	struct netdev_queue *txq = netdev_get_tx_queue(nd->ndev, c->q);

	/* after this no transmit of its queue sends on the channel */
	__netif_tx_lock_bh(txq);
	WRITE_ONCE(c->gone, true);
	__netif_tx_unlock_bh(txq);
	hvlis_chan_set_rescind_callback(c->ch, NULL);
	hvlis_chan_close(c->ch);	/* no callback runs any more */
	hvlis_chan_set_drvdata(c->ch, NULL);
	c->opened = false;
	if (c->napi_on) {
		WRITE_ONCE(c->napi_on, false);
		napi_disable(&c->napi);
	}
	netvsc_purge_rx(c);
	c->comp_count = 0;
	/* the host answers nothing sent on a closed channel */
	netvsc_tx_purge(nd, c->q);
	netvsc_tx_wake(nd);
}

/*
 * The host rescinded a sub-channel (hv_vmbus message work, process
 * context): its queue is dropped; transmits of that queue go out on the
 * primary, and the host is given RSS parameters without it.
 */
static void netvsc_sc_rescind(struct vmbus_channel *ch)
{
	struct netvsc_dev *nd;
	struct netvsc_chan *c;

	mutex_lock(&netvsc_sc_mutex);
	nd = netvsc_chan_owner(ch);
	c = nd ? hvlis_chan_get_drvdata(ch) : NULL;
	if (!c || c == nd->chan[0]) {
		mutex_unlock(&netvsc_sc_mutex);
		return;
	}
	netdev_info(nd->ndev, "sub-channel %u rescinded by the host; its queue is dropped\n",
		    c->q);
	netvsc_sc_close(nd, c);
	/* not from here: the message work must not wait for the host */
	if (nd->rss_set)
		schedule_work(&nd->rss_work);
	mutex_unlock(&netvsc_sc_mutex);
}

/* RSS parameters again, without the queues rescinded meanwhile. */
void netvsc_rss_work(struct work_struct *w)
{
	struct netvsc_dev *nd = container_of(w, struct netvsc_dev, rss_work);

	bool go;

	mutex_lock(&netvsc_sc_mutex);
	/* a device being removed: the primary goes right after its subs */
	go = nd->rss_set && nd->rndis_up &&
	     !hvlis_chan_rescinded(nd->chan[0]->ch);
	mutex_unlock(&netvsc_sc_mutex);
	if (go && netvsc_set_rss(nd) && !hvlis_chan_rescinded(nd->chan[0]->ch))
		netdev_warn(nd->ndev, "RSS parameters without the rescinded queues were refused\n");
}

/* A sub-channel offer (process context, hv_vmbus's message work). */
static void netvsc_sc_offer(struct vmbus_channel *ch)
{
	u16 idx = hvlis_chan_subchannel_index(ch);
	struct hvlis_open_params p = {
		.send_ring_size = NETVSC_RING_BYTES,
		.recv_ring_size = NETVSC_RING_BYTES,
		.max_pkt_size = NETVSC_MAX_IN_PKT,
		.onchannel = netvsc_onchannel,
	};
	struct netvsc_dev *nd;
	struct netvsc_chan *c;
	int ret;

	mutex_lock(&netvsc_sc_mutex);
	nd = netvsc_chan_owner(ch);
	if (!nd)
		goto out;
	if (!idx || idx > nd->sc_asked) {
		dev_warn(&nd->hdev->device,
			 "sub-channel %u offered, %u asked for: not used\n",
			 idx, nd->sc_asked);
		goto out;
	}
	c = nd->chan[idx];
	if (c->opened) {
		dev_warn(&nd->hdev->device,
			 "sub-channel %u offered twice: not used\n", idx);
		goto out;
	}
	c->ch = ch;
	c->gone = false;
	c->comp_head = 0;
	c->comp_count = 0;
	p.ctx = c;
	hvlis_chan_set_drvdata(ch, c);
	ret = hvlis_chan_open(ch, &p);
	if (ret) {
		hvlis_chan_set_drvdata(ch, NULL);
		c->gone = true;
		dev_err(&nd->hdev->device, "sub-channel %u: open failed: %d\n",
			idx, ret);
		goto out;
	}
	c->opened = true;
	hvlis_chan_set_rescind_callback(ch, netvsc_sc_rescind);
	WRITE_ONCE(nd->sc_opened, nd->sc_opened + 1);
	wake_up(&nd->sc_wait);
out:
	mutex_unlock(&netvsc_sc_mutex);
}

/*
 * Ask the host for want - 1 sub-channels and open those it offers (the
 * kernel's driver: SUBCHANNEL ALLOCATE on the primary, then every offer
 * opened from the sub-channel callback).  Sets nd->num_queues to the
 * channels opened, the primary and sub-channels 1..n-1 without a gap;
 * failures leave the primary alone, which is not an error.
 */
int netvsc_open_subchannels(struct netvsc_dev *nd, u32 want)
{
	struct device *dev = &nd->hdev->device;
	struct nvsp_host_msg h;
	struct nvsp_msg m;
	const char *why;
	u32 len, granted = 0, i, nq;
	int ret;

	nd->num_queues = 1;
	if (want <= 1)
		return 0;
	mutex_lock(&netvsc_sc_mutex);
	nd->sc_asked = want - 1;
	WRITE_ONCE(nd->sc_opened, 0);
	for (i = 1; i < NETVSC_MAX_QUEUES; i++)
		nd->chan[i]->gone = true;
	mutex_unlock(&netvsc_sc_mutex);
	/* offers may come before the completion */
	hvlis_chan_set_subchannel_callback(nd->chan[0]->ch, netvsc_sc_offer);
	len = nvsp_build_subchannel(&m, want - 1);
	ret = netvsc_ctl_exec(nd, &m, len, NVSP_MSG_SUBCHANNEL, &h);
	if (!ret)
		ret = nvsp_check_subchannel_complete(&h, want - 1, &granted,
						     &why);
	if (ret) {
		dev_warn(dev, "no sub-channels (%s, %d): one queue\n",
			 ret == -ETIMEDOUT ? "no answer" :
			 ret == -EIO || ret == -EBADMSG ? why : "send failed",
			 ret);
		granted = 0;
	}
	if (granted &&
	    !wait_event_timeout(nd->sc_wait,
				READ_ONCE(nd->sc_opened) >= granted,
				netvsc_timeout * HZ))
		dev_warn(dev, "%u of %u sub-channels opened in %u s\n",
			 READ_ONCE(nd->sc_opened), granted, netvsc_timeout);

	mutex_lock(&netvsc_sc_mutex);
	/* later offers are not ours: this connection has its channels */
	nd->sc_asked = 0;
	nq = 1;
	while (nq <= granted && nq < NETVSC_MAX_QUEUES && nd->chan[nq]->opened)
		nq++;
	for (i = nq; i < NETVSC_MAX_QUEUES; i++)
		if (nd->chan[i]->opened)
			netvsc_sc_close(nd, nd->chan[i]);
	WRITE_ONCE(nd->num_queues, nq);
	mutex_unlock(&netvsc_sc_mutex);
	hvlis_chan_set_subchannel_callback(nd->chan[0]->ch, NULL);
	return 0;
}

/*
 * No RSS parameters are sent from here on: a re-send queued or running
 * (a rescind) is waited for.  Before the RNDIS HALT, so that none follows it.
 */
void netvsc_stop_rss(struct netvsc_dev *nd)
{
	mutex_lock(&netvsc_sc_mutex);
	nd->rss_set = false;
	mutex_unlock(&netvsc_sc_mutex);
	cancel_work_sync(&nd->rss_work);
}

/* Close every sub-channel (before the primary: reconnect, remove). */
void netvsc_close_subchannels(struct netvsc_dev *nd)
{
	u32 i;

	hvlis_chan_set_subchannel_callback(nd->chan[0]->ch, NULL);
	mutex_lock(&netvsc_sc_mutex);
	nd->sc_asked = 0;
	nd->rss_set = false;
	for (i = 1; i < NETVSC_MAX_QUEUES; i++)
		if (nd->chan[i]->opened)
			netvsc_sc_close(nd, nd->chan[i]);
	WRITE_ONCE(nd->num_queues, 1);
	WRITE_ONCE(nd->tx_table_valid, false);
	mutex_unlock(&netvsc_sc_mutex);
	/*
	 * A rescind before the loop above may have queued it; none can now
	 * (rss_set is false, the sub-channels have no callback or drvdata).
	 */
	cancel_work_sync(&nd->rss_work);
}

/*
 * The indirection table for this connection's queues (setup, RTNL): an
 * even spread over them (ethtool_rxfh_indir_default(), as the kernel's
 * driver) unless ethtool -X configured one whose entries all name a
 * queue of this connection.  A configured table that names a queue the
 * host did not give this time is replaced by the spread, with a log line.
 */
void netvsc_rss_table_check(struct netvsc_dev *nd)
{
	bool user = netvsc_rxfh_configured(nd->ndev);
	u32 i, bad = 0;

	for (i = 0; i < NDIS_RSS_ITAB_MAX; i++)
		if (nd->rss_indir[i] >= nd->num_queues)
			bad++;
	if (user && !bad)
		return;
	if (user) {
		netdev_warn(nd->ndev, "RSS table names queues beyond the %u of this connection: spread evenly again\n",
			    nd->num_queues);
		netvsc_rxfh_forget(nd->ndev);
	}
	mutex_lock(&nd->rss_mutex);
	for (i = 0; i < NDIS_RSS_ITAB_MAX; i++)
		nd->rss_indir[i] = ethtool_rxfh_indir_default(i, nd->num_queues);
	mutex_unlock(&nd->rss_mutex);
}

/*
 * OID_GEN_RECEIVE_SCALE_PARAMETERS with the table of ethtool -x and the
 * key.  An entry naming a queue the host has rescinded since is sent as
 * a live queue instead (entry i: the (i mod n)th live one), so that the
 * host spreads over what is left without changing the table ethtool
 * shows.  The queues are read and rss_set is set under netvsc_sc_mutex
 * (a rescind from then on sends them again); the host is waited for
 * without it, so that no sub-channel callback waits for the host.
 */
int netvsc_set_rss(struct netvsc_dev *nd)
{
	bool live[NETVSC_MAX_QUEUES] = { };
	u32 queues[NETVSC_MAX_QUEUES];
	u32 *table;
	u32 i, n = 0, len, e;
	u8 *buf;
	int ret;

	buf = kzalloc(RNDIS_RSS_PARAMS_LEN + 4 * NDIS_RSS_ITAB_MAX,
		      GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	table = (u32 *)(buf + RNDIS_RSS_PARAMS_LEN);
	/* one list at a time: the last one built is the last one sent */
	mutex_lock(&nd->rss_mutex);
	mutex_lock(&netvsc_sc_mutex);
	for (i = 0; i < nd->num_queues; i++) {
		if (!nd->chan[i]->gone || !i) {
			live[i] = true;
			queues[n++] = i;
		}
	}
	for (i = 0; i < NDIS_RSS_ITAB_MAX; i++) {
		e = nd->rss_indir[i];
		table[i] = e < NETVSC_MAX_QUEUES && live[e] ? e : queues[i % n];
	}
	len = rndis_build_rss_params(buf, RNDIS_RSS_PARAMS_LEN, nd->rss_key,
				     table);
	nd->rss_set = true;
	mutex_unlock(&netvsc_sc_mutex);
	ret = len ? netvsc_rndis_set(nd, RNDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS,
				     buf, len) : -EINVAL;
	mutex_unlock(&nd->rss_mutex);
	kfree(buf);
	return ret;
}

/*
 * The primary rescinded (hv_vmbus's device work, before remove): the
 * requests waiting for the host's answer give up at once; later ones fail
 * when they find the channel rescinded.
 */
void netvsc_primary_rescind(struct vmbus_channel *ch)
{
	struct netvsc_dev *nd;
	unsigned long flags;

	mutex_lock(&netvsc_sc_mutex);
	nd = netvsc_chan_owner(ch);
	if (nd) {
		spin_lock_irqsave(&nd->lock, flags);
		if (nd->ctl.pending) {
			nd->ctl.err = -ENODEV;
			nd->ctl.pending = false;
			complete(&nd->ctl.done);
		}
		if (nd->rreq.pending) {
			nd->rreq.err = -ENODEV;
			nd->rreq.pending = false;
			complete(&nd->rreq.done);
		}
		spin_unlock_irqrestore(&nd->lock, flags);
	}
	mutex_unlock(&netvsc_sc_mutex);
}
