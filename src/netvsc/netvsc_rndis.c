// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_netvsc: RNDIS control requests (INITIALIZE, QUERY, SET, HALT) and
 * the RNDIS messages the host sends other than data: completions and
 * status indications.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/delay.h>

#include "netvsc.h"

/* Copy an RNDIS message into a send section and send it (control). */
static int netvsc_rndis_send(struct netvsc_dev *nd, const void *msg, u32 len)
{
	unsigned long deadline = jiffies + netvsc_timeout * HZ;
	struct nvsp_msg m;
	u32 n;
	int idx, ret;

	if (len > nd->send_lay.section_size)
		return -EMSGSIZE;
	for (;;) {
		idx = netvsc_section_get(nd);
		if (idx >= 0)
			break;
		if (time_after(jiffies, deadline))
			return -EBUSY;
		msleep(20);
	}
	memcpy((u8 *)nd->send_buf + (size_t)idx * nd->send_lay.section_size,
	       msg, len);
	nd->tx_skb[idx] = NULL;
	WRITE_ONCE(nd->tx_owner[idx], 0);	/* control: the primary channel */
	n = nvsp_build_rndis_pkt(&m, NVSP_CHANNEL_CONTROL, idx, len);
	for (;;) {
		ret = hvlis_chan_send(nd->chan[0]->ch, VMBUS_PKT_DATA_INBAND,
				      VMBUS_PKT_FLAG_COMPLETION_REQUESTED,
				      NVSP_TID_TX_VALUE(0, idx), &m, n);
		if (ret != -EAGAIN || time_after(jiffies, deadline))
			break;
		msleep(20);
	}
	if (ret)
		netvsc_section_put(nd, idx);
	return ret;
}

/*
 * Send a request built in buf and wait for its completion; the reply
 * stays in nd->rreq (mutex held by the caller).
 */
static int netvsc_rndis_exec(struct netvsc_dev *nd, const void *buf, u32 len,
			     u32 req_id, u32 reply_type)
{
	struct netvsc_rndis_req *r = &nd->rreq;
	unsigned long flags;
	int ret;

	reinit_completion(&r->done);
	spin_lock_irqsave(&nd->lock, flags);
	r->pending = true;
	r->req_id = req_id;
	r->wait_type = reply_type;
	r->err = 0;
	spin_unlock_irqrestore(&nd->lock, flags);

	ret = netvsc_rndis_send(nd, buf, len);
	if (!ret && !wait_for_completion_timeout(&r->done, netvsc_timeout * HZ))
		ret = -ETIMEDOUT;
	spin_lock_irqsave(&nd->lock, flags);
	if (!ret)
		ret = r->err;
	r->pending = false;
	spin_unlock_irqrestore(&nd->lock, flags);
	if (ret == -ETIMEDOUT)
		dev_err(&nd->hdev->device, "RNDIS request %#x: no answer\n",
			reply_type);
	return ret;
}

static u32 netvsc_new_req_id(struct netvsc_dev *nd)
{
	u32 id = ++nd->next_req_id;

	if (!id)
		id = ++nd->next_req_id;
	return id;
}

int netvsc_rndis_init(struct netvsc_dev *nd)
{
	struct netvsc_rndis_req *r = &nd->rreq;
	u8 buf[64];
	u32 id, len;
	int ret;

	mutex_lock(&r->mutex);
	id = netvsc_new_req_id(nd);
	len = rndis_build_init(buf, sizeof(buf), id);
	ret = netvsc_rndis_exec(nd, buf, len, id, RNDIS_MSG_INIT_C);
	if (!ret && r->info.status != RNDIS_STATUS_SUCCESS) {
		dev_err(&nd->hdev->device, "RNDIS INITIALIZE failed: %#x\n",
			r->info.status);
		ret = -EIO;
	}
	if (!ret) {
		nd->max_pkt_per_msg = r->info.max_pkt_per_msg;
		nd->pkt_align = 1u << r->info.pkt_align_factor;
		nd->rndis_up = true;
	}
	mutex_unlock(&r->mutex);
	return ret;
}

/* *len: in, the room at out; out, the bytes the host returned (<= room). */
int netvsc_rndis_query(struct netvsc_dev *nd, u32 oid, void *out, u32 *len)
{
	struct netvsc_rndis_req *r = &nd->rreq;
	u8 buf[64];
	u32 id, n;
	int ret;

	mutex_lock(&r->mutex);
	id = netvsc_new_req_id(nd);
	n = rndis_build_query(buf, sizeof(buf), id, oid, NULL, 0);
	ret = netvsc_rndis_exec(nd, buf, n, id, RNDIS_MSG_QUERY_C);
	if (!ret && r->info.status != RNDIS_STATUS_SUCCESS)
		ret = -EIO;
	if (!ret) {
		n = r->info.info_len < *len ? r->info.info_len : *len;
		memcpy(out, r->info.info, n);
		*len = n;
	}
	mutex_unlock(&r->mutex);
	return ret;
}

/* A SET; -EIO when the host answers a failure, its status in *status. */
int netvsc_rndis_set_status(struct netvsc_dev *nd, u32 oid, const void *data,
			    u32 len, u32 *status)
{
	struct netvsc_rndis_req *r = &nd->rreq;
	u8 *buf = r->req_buf;
	u32 id, n;
	int ret;

	mutex_lock(&r->mutex);
	id = netvsc_new_req_id(nd);
	n = rndis_build_set(buf, sizeof(r->req_buf), id, oid, data, len);
	ret = n ? netvsc_rndis_exec(nd, buf, n, id, RNDIS_MSG_SET_C) : -EMSGSIZE;
	if (!ret) {
		*status = r->info.status;
		if (r->info.status != RNDIS_STATUS_SUCCESS)
			ret = -EIO;
	}
	mutex_unlock(&r->mutex);
	return ret;
}

int netvsc_rndis_set(struct netvsc_dev *nd, u32 oid, const void *data, u32 len)
{
	u32 status;

	return netvsc_rndis_set_status(nd, oid, data, len, &status);
}

int netvsc_set_filter(struct netvsc_dev *nd, u32 filter)
{
	int ret = netvsc_rndis_set(nd, RNDIS_OID_GEN_CURRENT_PACKET_FILTER,
				   &filter, sizeof(filter));

	if (!ret)
		nd->filter = filter;
	return ret;
}

/* HALT has no completion: send it and let the host stop. */
void netvsc_rndis_halt(struct netvsc_dev *nd)
{
	struct netvsc_rndis_req *r = &nd->rreq;
	u8 buf[16];
	u32 n;

	if (!nd->rndis_up)
		return;
	mutex_lock(&r->mutex);
	n = rndis_build_halt(buf, sizeof(buf), netvsc_new_req_id(nd));
	if (netvsc_rndis_send(nd, buf, n))
		dev_warn(&nd->hdev->device, "RNDIS HALT could not be sent\n");
	nd->rndis_up = false;
	mutex_unlock(&r->mutex);
}

static void netvsc_rndis_complete(struct netvsc_chan *c, const u8 *msg,
				  u32 len)
{
	struct netvsc_dev *nd = c->nd;
	struct netvsc_rndis_req *r = &nd->rreq;
	struct rndis_cmplt_info info;
	unsigned long flags;
	const char *why;
	bool ok = false;

	if (len > NETVSC_RNDIS_REPLY_MAX) {
		netvsc_reject(nd, NETVSC_ERR_BAD_RNDIS, 0,
			      "RNDIS completion too long");
		return;
	}
	spin_lock_irqsave(&nd->lock, flags);
	if (r->pending) {
		/* parse our own copy, so that info points into it */
		memcpy(r->buf, msg, len);
		if (rndis_parse_cmplt(r->buf, len, &info, &why)) {
			spin_unlock_irqrestore(&nd->lock, flags);
			netvsc_reject(nd, NETVSC_ERR_BAD_RNDIS, 0, why);
			return;
		}
		if (info.type == r->wait_type && info.req_id == r->req_id) {
			r->info = info;
			r->pending = false;
			complete(&r->done);
			ok = true;
		}
	}
	spin_unlock_irqrestore(&nd->lock, flags);
	if (!ok)
		netvsc_reject(nd, NETVSC_ERR_UNKNOWN_TID, 0,
			      "RNDIS completion nobody waits for");
}

static void netvsc_rndis_indicate(struct netvsc_chan *c, const u8 *msg,
				  u32 len)
{
	struct netvsc_dev *nd = c->nd;
	struct rndis_indicate_info ind;
	const char *why;
	u32 speed;

	if (rndis_parse_indicate(msg, len, &ind, &why)) {
		netvsc_reject(nd, NETVSC_ERR_BAD_RNDIS, 0, why);
		return;
	}
	switch (ind.status) {
	case RNDIS_STATUS_MEDIA_CONNECT:
		nd->link_up = true;
		netif_carrier_on(nd->ndev);
		break;
	case RNDIS_STATUS_MEDIA_DISCONNECT:
		nd->link_up = false;
		netif_carrier_off(nd->ndev);
		break;
	case RNDIS_STATUS_LINK_SPEED_CHANGE:
		if (ind.buf_len >= 4) {
			memcpy(&speed, ind.buf, 4);
			nd->link_speed = speed;
		}
		break;
	case RNDIS_STATUS_NETWORK_CHANGE:
		/* a new network behind the same port: renew addresses */
		if (nd->link_up) {
			netif_carrier_off(nd->ndev);
			netif_carrier_on(nd->ndev);
		}
		break;
	default:
		break;
	}
}

/* An RNDIS message other than data, from the receive path. */
void netvsc_rndis_receive(struct netvsc_chan *c, const u8 *msg, u32 len)
{
	u32 type;

	memcpy(&type, msg, 4);
	switch (type) {
	case RNDIS_MSG_INIT_C:
	case RNDIS_MSG_QUERY_C:
	case RNDIS_MSG_SET_C:
	case RNDIS_MSG_RESET_C:
	case RNDIS_MSG_KEEPALIVE_C:
		netvsc_rndis_complete(c, msg, len);
		break;
	case RNDIS_MSG_INDICATE:
		netvsc_rndis_indicate(c, msg, len);
		break;
	default:
		netvsc_reject(c->nd, NETVSC_ERR_BAD_RNDIS, 0,
			      "unexpected RNDIS message type");
		break;
	}
}
