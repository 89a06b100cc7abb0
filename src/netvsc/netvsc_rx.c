// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_netvsc: the channel callback.  It drains the inbound ring (in the
 * VMBus tasklet): completions of our requests and sends, transfer-page
 * packets that carry received frames and RNDIS control messages, and
 * host NVSP messages.  Frames are copied out of the receive buffer into
 * skbs at once, so that the host gets its buffer back right away, and
 * handed to the stack by NAPI.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <net/ip.h>

#include "netvsc.h"

/* Send the receive completions that found the ring full. */
static void netvsc_flush_comps(struct netvsc_chan *c)
{
	struct nvsp_msg m;
	u32 n;

	while (c->comp_count) {
		n = nvsp_build_rndis_complete(&m, c->comp[c->comp_head].status);
		if (hvlis_chan_send(c->ch, VMBUS_PKT_COMP, 0,
				    c->comp[c->comp_head].tid, &m, n))
			return;
		c->comp_head = (c->comp_head + 1) % NETVSC_COMP_MAX;
		c->comp_count--;
	}
}

static void netvsc_rx_complete(struct netvsc_chan *c, u64 tid, u32 status)
{
	struct nvsp_msg m;
	u32 n, slot;
	int ret;

	netvsc_flush_comps(c);
	if (!c->comp_count) {
		n = nvsp_build_rndis_complete(&m, status);
		ret = hvlis_chan_send(c->ch, VMBUS_PKT_COMP, 0, tid, &m, n);
		if (ret != -EAGAIN)
			return;
	}
	if (c->comp_count == NETVSC_COMP_MAX) {
		netvsc_reject(c->nd, NETVSC_ERR_COMP_DROPPED, tid,
			      "receive completion queue full");
		return;
	}
	slot = (c->comp_head + c->comp_count) % NETVSC_COMP_MAX;
	c->comp[slot].tid = tid;
	c->comp[slot].status = status;
	c->comp_count++;
}

static void netvsc_on_completion(struct netvsc_chan *c,
				 const struct vmbus_pkt_view *v)
{
	struct netvsc_dev *nd = c->nd;
	enum nvsp_tid_kind kind;
	struct nvsp_host_msg h;
	const char *why;
	u32 a, b;

	kind = nvsp_tid_decode(v->trans_id, &a, &b);
	/* hosts may complete these although we did not ask; nothing to do */
	if (kind == NVSP_TID_KIND_CTL &&
	    (b == NVSP_MSG_NDIS_CONFIG || b == NVSP_MSG_NDIS_VER))
		return;
	/*
	 * SWITCH_DATA_PATH is completed without a message (OpenVMM:
	 * send_completion(id, None)); whatever it carries is not read.
	 */
	if (kind == NVSP_TID_KIND_CTL && b == NVSP_MSG_SWITCH_DATA_PATH) {
		memset(&h, 0, sizeof(h));
		if (c->q)
			netvsc_reject(nd, NETVSC_ERR_UNKNOWN_TID, v->trans_id,
				      "control completion on a sub-channel");
		else
			netvsc_ctl_complete(nd, b, &h);
		return;
	}
	if (nvsp_copy_msg(v->payload, v->payload_len, &h, &why)) {
		netvsc_reject(nd, NETVSC_ERR_BAD_NVSP, v->trans_id, why);
		return;
	}
	switch (kind) {
	case NVSP_TID_KIND_CTL:
		if (c->q) {
			netvsc_reject(nd, NETVSC_ERR_UNKNOWN_TID, v->trans_id,
				      "control completion on a sub-channel");
			return;
		}
		netvsc_ctl_complete(nd, b, &h);
		return;
	case NVSP_TID_KIND_TX:
		if (h.m.type != NVSP_MSG_RNDIS_PKT_COMPLETE) {
			netvsc_reject(nd, NETVSC_ERR_BAD_NVSP, v->trans_id,
				      "send completed by a non-RNDIS message");
			return;
		}
		/* completions come on the channel the send went on */
		if (a != c->q || !nd->section_map ||
		    b >= nd->send_lay.num_sections ||
		    !test_bit(b, nd->section_map) ||
		    READ_ONCE(nd->tx_owner[b]) != c->q) {
			netvsc_reject(nd, NETVSC_ERR_UNKNOWN_TID, v->trans_id,
				      "completion of no outstanding send");
			return;
		}
		netvsc_tx_complete(c, b, h.m.u.rndis_pkt_complete.status);
		return;
	default:
		netvsc_reject(nd, NETVSC_ERR_UNKNOWN_TID, v->trans_id,
			      "completion with an unknown transaction id");
	}
}

/*
 * As the kernel's driver: a host that coalesced segments may leave the
 * IPv4 header checksum stale and say so (IP_VALUE_INVALID with IP_OK);
 * the stack always checks it, so it is computed here.
 */
static bool netvsc_fix_ipcsum(struct sk_buff *skb, u32 csum)
{
	struct iphdr *iph;

	if (!(csum & RNDIS_CSUM_RX_IP_VALUE_INVALID) ||
	    !(csum & RNDIS_CSUM_RX_IP_OK) || skb->protocol != htons(ETH_P_IP))
		return true;
	if (!pskb_may_pull(skb, sizeof(*iph)))
		return false;
	iph = (struct iphdr *)skb->data;
	if (iph->ihl < 5 || !pskb_may_pull(skb, iph->ihl * 4))
		return false;
	iph = (struct iphdr *)skb->data;
	iph->check = 0;
	iph->check = ip_fast_csum((u8 *)iph, iph->ihl);
	return true;
}

/*
 * One frame to the NAPI queue: @n pieces (one, or the fragments of a
 * coalesced packet) of @total bytes; checksum, VLAN and hash from @rx.
 */
static void netvsc_rx_frame(struct netvsc_chan *c, const struct rndis_rx_info *rx,
			    const u8 * const *data, const u32 *len, u32 n,
			    u32 total)
{
	struct netvsc_dev *nd = c->nd;
	struct net_device *ndev = nd->ndev;
	struct sk_buff *skb;
	u32 i;

	if (total < ETH_HLEN || total > RNDIS_RSC_MAX_LEN) {
		netvsc_reject(nd, NETVSC_ERR_BAD_RNDIS, 0,
			      "frame length out of range");
		return;
	}
	if (!READ_ONCE(c->napi_on))
		return;
	if (skb_queue_len(&c->rxq) >= NETVSC_RXQ_MAX) {
		netvsc_count(nd, NETVSC_ERR_RXQ_FULL);
		return;
	}
	skb = netdev_alloc_skb_ip_align(ndev, total);
	if (!skb) {
		netvsc_count(nd, NETVSC_ERR_RX_NOMEM);
		return;
	}
	for (i = 0; i < n; i++)
		skb_put_data(skb, data[i], len[i]);
	skb->protocol = eth_type_trans(skb, ndev);
	if (rx->has_csum && !netvsc_fix_ipcsum(skb, rx->csum)) {
		kfree_skb(skb);
		netvsc_reject(nd, NETVSC_ERR_BAD_RNDIS, 0,
			      "IPv4 header checksum to compute on a short frame");
		return;
	}
	if (rx->has_csum && (ndev->features & NETIF_F_RXCSUM) &&
	    !(rx->csum & (RNDIS_CSUM_RX_TCP_FAILED | RNDIS_CSUM_RX_UDP_FAILED |
			  RNDIS_CSUM_RX_IP_FAILED)) &&
	    (rx->csum & (RNDIS_CSUM_RX_TCP_OK | RNDIS_CSUM_RX_UDP_OK)))
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	if (rx->has_vlan && (ndev->features & NETIF_F_HW_VLAN_CTAG_RX)) {
		u16 tci = (rx->vlan >> RNDIS_VLAN_ID_SHIFT) & RNDIS_VLAN_ID_MASK;

		tci |= (rx->vlan & RNDIS_VLAN_PRI_MASK) << VLAN_PRIO_SHIFT;
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);
	}
	if (rx->has_hash && (ndev->features & NETIF_F_RXHASH))
		skb_set_hash(skb, rx->hash, PKT_HASH_TYPE_L4);
	skb_record_rx_queue(skb, c->q);
	skb_queue_tail(&c->rxq, skb);
}

/* A coalesced packet whose fragments did not make a whole one. */
static void netvsc_rsc_drop(struct netvsc_chan *c, const char *why)
{
	rndis_rsc_reset(&c->rsc);
	netvsc_reject(c->nd, NETVSC_ERR_RSC_DROPPED, 0, why);
}

/*
 * One RNDIS message of a transfer-page packet (@last: its last range);
 * false when malformed.
 */
static bool netvsc_rx_msg(struct netvsc_chan *c, const u8 *msg, u32 len,
			  bool last)
{
	struct netvsc_dev *nd = c->nd;
	struct rndis_rx_info rx;
	const char *why;
	u32 type, mlen, lost;
	int v;

	if (rndis_parse_msg(msg, len, &type, &mlen, &why)) {
		netvsc_reject(nd, NETVSC_ERR_BAD_RNDIS, 0, why);
		return false;
	}
	if (type != RNDIS_MSG_PACKET) {
		netvsc_rndis_receive(c, msg, mlen);
		return true;
	}
	if (rndis_parse_packet(msg, mlen, &rx, &why)) {
		netvsc_reject(nd, NETVSC_ERR_BAD_RNDIS, 0, why);
		return false;
	}
	v = rndis_rsc_add(&c->rsc, &rx, last, &lost, &why);
	if (lost)
		netvsc_reject(nd, NETVSC_ERR_RSC_DROPPED, 0, why);
	switch (v) {
	case RNDIS_RSC_SINGLE:
		netvsc_rx_frame(c, &rx, &rx.data, &rx.data_len, 1, rx.data_len);
		return true;
	case RNDIS_RSC_MORE:
		return true;
	case RNDIS_RSC_DONE:
		netvsc_count(nd, NETVSC_ERR_RSC_PACKETS);
		atomic64_add(c->rsc.cnt, &nd->err[NETVSC_ERR_RSC_FRAGS]);
		netvsc_rx_frame(c, &c->rsc.first, c->rsc.data, c->rsc.len,
				c->rsc.cnt, c->rsc.total);
		rndis_rsc_reset(&c->rsc);
		return true;
	default:
		netvsc_rsc_drop(c, why);
		return false;
	}
}

/* Returns true when frames were queued for NAPI. */
static bool netvsc_on_xfer(struct netvsc_chan *c, const struct vmbus_pkt_view *v)
{
	struct netvsc_dev *nd = c->nd;
	u32 status = NVSP_STATUS_SUCCESS;
	struct nvsp_host_msg h;
	const char *why;
	u32 i, bad, off, n;
	bool queued = false;

	if (nvsp_copy_msg(v->payload, v->payload_len, &h, &why)) {
		status = NVSP_STATUS_FAIL;
		netvsc_reject(nd, NETVSC_ERR_BAD_NVSP, v->trans_id, why);
	} else if (h.m.type != NVSP_MSG_RNDIS_PKT) {
		status = NVSP_STATUS_FAIL;
		netvsc_reject(nd, NETVSC_ERR_BAD_NVSP, v->trans_id,
			      "transfer-page packet is not an RNDIS packet");
	} else if (v->xfer_pageset_id != NVSP_RECV_BUF_ID || !nd->recv_given) {
		status = NVSP_STATUS_FAIL;
		netvsc_reject(nd, NETVSC_ERR_BAD_RANGE, v->trans_id,
			      "unknown transfer page set");
	} else if (nvsp_check_xfer_ranges(v->ranges, v->range_cnt,
					  nd->recv_size, c->range_scratch,
					  NETVSC_MAX_RANGES, &bad, &why)) {
		status = NVSP_STATUS_FAIL;
		netvsc_reject(nd, NETVSC_ERR_BAD_RANGE, v->trans_id, why);
	} else {
		for (i = 0; i < v->range_cnt; i++) {
			memcpy(&off, &v->ranges[i].byte_offset, 4);
			memcpy(&n, &v->ranges[i].byte_count, 4);
			if (!netvsc_rx_msg(c, (const u8 *)nd->recv_buf + off, n,
					   i + 1 == v->range_cnt)) {
				status = NVSP_STATUS_INVALID_RNDIS_PKT;
				/* a malformed range ends a coalesced packet */
				if (c->rsc.cnt)
					netvsc_rsc_drop(c, "RSC packet with a malformed fragment");
			}
		}
		/* the fragments point into ranges the host gets back now */
		if (c->rsc.cnt)
			netvsc_rsc_drop(c, "RSC packet without its last fragment");
		queued = !skb_queue_empty(&c->rxq);
	}
	netvsc_rx_complete(c, v->trans_id, status);
	return queued;
}

static void netvsc_on_inband(struct netvsc_chan *c,
			     const struct vmbus_pkt_view *v)
{
	struct netvsc_dev *nd = c->nd;
	struct nvsp_host_msg h;
	u32 table[NVSP_SEND_TABLE_SIZE], i;
	const char *why;

	if (nvsp_copy_msg(v->payload, v->payload_len, &h, &why)) {
		netvsc_reject(nd, NETVSC_ERR_BAD_NVSP, v->trans_id, why);
		return;
	}
	switch (h.m.type) {
	case NVSP_MSG_SEND_INDIRECTION_TABLE:
		/*
		 * The host sends it on the primary once every sub-channel it
		 * granted is open (OpenVMM), maybe before we know how many
		 * that is: entries are checked against the queues when used.
		 */
		if (c->q) {
			netvsc_reject(nd, NETVSC_ERR_BAD_NVSP, v->trans_id,
				      "send table on a sub-channel");
			break;
		}
		if (nvsp_parse_send_table(v->payload, v->payload_len, table,
					  &why)) {
			netvsc_reject(nd, NETVSC_ERR_BAD_NVSP, v->trans_id, why);
			break;
		}
		for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
			WRITE_ONCE(nd->tx_table[i], table[i]);
		smp_wmb();	/* the entries before the flag */
		WRITE_ONCE(nd->tx_table_valid, true);
		break;
	case NVSP_MSG_VF_ASSOCIATION:
	case NVSP_MSG_SWITCH_DATA_PATH:
		/* OpenVMM sends both on the primary only */
		if (c->q) {
			netvsc_reject(nd, NETVSC_ERR_BAD_NVSP, v->trans_id,
				      "VF message on a sub-channel");
			break;
		}
		if (h.m.type == NVSP_MSG_VF_ASSOCIATION)
			netvsc_vf_assoc(nd, h.m.u.vf_assoc.allocated,
					h.m.u.vf_assoc.serial);
		else
			netvsc_vf_host_switch(nd,
					      h.m.u.switch_dp.active_datapath);
		break;
	default:
		netvsc_reject(nd, NETVSC_ERR_BAD_NVSP, v->trans_id,
			      "unexpected NVSP message from the host");
	}
}

void netvsc_onchannel(void *ctx)
{
	struct netvsc_chan *c = ctx;
	const struct vmbus_pkt_view *v;
	bool rx = false;
	u32 n = 0;

	netvsc_flush_comps(c);
	hvlis_for_each_pkt(v, c->ch) {
		switch (v->type) {
		case VMBUS_PKT_COMP:
			netvsc_on_completion(c, v);
			break;
		case VMBUS_PKT_DATA_USING_XFER_PAGES:
			rx |= netvsc_on_xfer(c, v);
			break;
		case VMBUS_PKT_DATA_INBAND:
			netvsc_on_inband(c, v);
			break;
		default:
			netvsc_reject(c->nd, NETVSC_ERR_BAD_PKT_TYPE, v->trans_id,
				      "unexpected VMBus packet type");
		}
		if (++n % 32 == 0)
			hvlis_pkt_done(c->ch);
	}
	hvlis_pkt_done(c->ch);
	if (rx)
		napi_schedule(&c->napi);
	netvsc_tx_wake(c->nd);
}

int netvsc_poll(struct napi_struct *napi, int budget)
{
	struct netvsc_chan *c = container_of(napi, struct netvsc_chan, napi);
	struct sk_buff *skb;
	bool flush = false;
	int done = 0;

	rcu_read_lock();	/* the XDP program */
	while (done < budget && (skb = skb_dequeue(&c->rxq))) {
		done++;
		skb = netvsc_xdp_rx(c, skb, &flush);
		if (!skb)
			continue;
		c->rx_packets++;
		c->rx_bytes += skb->len + ETH_HLEN;
		napi_gro_receive(napi, skb);
	}
	/* redirected frames leave before the poll ends */
	if (flush)
		netvsc_xdp_flush();
	rcu_read_unlock();
	if (done < budget && netvsc_napi_complete_done(napi, done) &&
	    !skb_queue_empty(&c->rxq))
		napi_schedule(napi);
	return done;
}

void netvsc_purge_rx(struct netvsc_chan *c)
{
	skb_queue_purge(&c->rxq);
}
