// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_netvsc: transmit.  Every frame owns one send-buffer section while
 * the host works on it (the transaction id names the section).  A frame
 * that fits is copied behind its RNDIS header into the section; a larger
 * one keeps only the header there and is described to the host as guest
 * page ranges (header first, then the skb's own pages).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/ip6_checksum.h>
#include <net/tcp.h>

#include "netvsc.h"

#define NETVSC_TX_RANGES	32	/* what one VMBus GPA packet carries */

int netvsc_section_get(struct netvsc_dev *nd)
{
	u32 n = nd->send_lay.num_sections, i;

	if (!nd->section_map)
		return -ENOSPC;
	for (;;) {
		i = find_first_zero_bit(nd->section_map, n);
		if (i >= n)
			return -ENOSPC;
		if (!test_and_set_bit(i, nd->section_map)) {
			atomic_inc(&nd->tx_inflight);
			return i;
		}
	}
}

void netvsc_section_put(struct netvsc_dev *nd, u32 idx)
{
	nd->tx_skb[idx] = NULL;
	WRITE_ONCE(nd->tx_owner[idx], NETVSC_NO_OWNER);
	/* the slot is clear before another sender can take the section */
	smp_mb__before_atomic();
	clear_bit(idx, nd->section_map);
	atomic_dec(&nd->tx_inflight);
}

void netvsc_tx_complete(struct netvsc_chan *c, u32 idx, u32 status)
{
	struct netvsc_dev *nd = c->nd;
	struct sk_buff *skb = nd->tx_skb[idx];

	if (status != NVSP_STATUS_SUCCESS)
		netvsc_count(nd, NETVSC_ERR_TX_FAILED);
	netvsc_section_put(nd, idx);
	if (skb)
		dev_consume_skb_any(skb);
}

/*
 * Sends the host will never complete, because the channel they went on is
 * closed: free them.  owner: that channel's queue, or NETVSC_ALL_OWNERS
 * once every channel is closed.  A section just taken by a sender still
 * has no owner (put clears it before the bit) and is left alone.
 */
void netvsc_tx_purge(struct netvsc_dev *nd, u32 owner)
{
	u32 i;

	if (!nd->section_map)
		return;
	for (i = 0; i < nd->send_lay.num_sections; i++) {
		if (!test_bit(i, nd->section_map))
			continue;
		if (owner != NETVSC_ALL_OWNERS && nd->tx_owner[i] != owner)
			continue;
		if (nd->tx_skb[i])
			dev_kfree_skb_any(nd->tx_skb[i]);
		netvsc_section_put(nd, i);
	}
}

/* Fill the checksum / LSO / VLAN per-packet info of skb. */
static int netvsc_tx_ppi(struct netvsc_dev *nd, struct sk_buff *skb,
			 struct rndis_tx_info *tx)
{
	u32 thoff;

	if (skb_vlan_tag_present(skb)) {
		u16 tci = skb_vlan_tag_get(skb);

		tx->has_vlan = 1;
		tx->vlan = ((u32)(tci & VLAN_VID_MASK) << RNDIS_VLAN_ID_SHIFT) |
			   ((tci >> VLAN_PRIO_SHIFT) & RNDIS_VLAN_PRI_MASK);
	}
	if (skb_is_gso(skb)) {
		thoff = skb_transport_offset(skb);
		if (thoff > RNDIS_LSO_TCP_OFF_MASK)
			return -EINVAL;
		tx->has_lso = 1;
		tx->lso = RNDIS_LSO_V2 | (skb_shinfo(skb)->gso_size &
					  RNDIS_LSO_MSS_MASK) |
			  (thoff << RNDIS_LSO_TCP_OFF_SHIFT);
		if (skb->protocol == htons(ETH_P_IP)) {
			ip_hdr(skb)->tot_len = 0;
			ip_hdr(skb)->check = 0;
			tcp_hdr(skb)->check = ~csum_tcpudp_magic(ip_hdr(skb)->saddr,
						ip_hdr(skb)->daddr, 0,
						IPPROTO_TCP, 0);
		} else {
			tx->lso |= RNDIS_LSO_IPV6;
			ipv6_hdr(skb)->payload_len = 0;
			tcp_hdr(skb)->check = ~csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
						&ipv6_hdr(skb)->daddr, 0,
						IPPROTO_TCP, 0);
		}
		return 0;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		bool v4 = true;
		u8 proto;

		thoff = skb_checksum_start_offset(skb);
		if (thoff > RNDIS_CSUM_TX_TCP_OFF_MASK)
			return skb_checksum_help(skb);
		if (skb->protocol == htons(ETH_P_IP)) {
			tx->csum = RNDIS_CSUM_TX_IPV4;
			proto = ip_hdr(skb)->protocol;
		} else if (skb->protocol == htons(ETH_P_IPV6)) {
			tx->csum = RNDIS_CSUM_TX_IPV6;
			proto = ipv6_hdr(skb)->nexthdr;
			v4 = false;
		} else {
			return skb_checksum_help(skb);
		}
		if (proto == IPPROTO_TCP)
			tx->csum |= RNDIS_CSUM_TX_TCP;
		else if (proto == IPPROTO_UDP && (v4 ? nd->udp4_csum : nd->udp6_csum))
			tx->csum |= RNDIS_CSUM_TX_UDP;
		else
			return skb_checksum_help(skb);
		tx->csum |= thoff << RNDIS_CSUM_TX_TCP_OFF_SHIFT;
		tx->has_csum = 1;
	}
	return 0;
}

/* Add the pages of [addr, addr + len) of a linear mapping to pr. */
static int netvsc_add_linear(struct hvlis_page_range *pr, u32 n, void *addr,
			     u32 len)
{
	while (len) {
		u32 off = offset_in_page(addr);
		u32 chunk = min_t(u32, len, PAGE_SIZE - off);

		if (n >= NETVSC_TX_RANGES)
			return -E2BIG;
		pr[n].pfn = virt_to_phys(addr) >> HV_PAGE_SHIFT;
		pr[n].offset = off;
		pr[n].len = chunk;
		n++;
		addr = (u8 *)addr + chunk;
		len -= chunk;
	}
	return n;
}

static int netvsc_skb_ranges(struct sk_buff *skb, struct hvlis_page_range *pr,
			     u32 n)
{
	int i, ret;

	ret = netvsc_add_linear(pr, n, skb->data, skb_headlen(skb));
	for (i = 0; ret >= 0 && i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];
		struct page *pg = skb_frag_page(f);
		u32 off = skb_frag_off(f), len = skb_frag_size(f);

		n = ret;
		while (len) {
			u32 po = off & ~PAGE_MASK;
			u32 chunk = min_t(u32, len, PAGE_SIZE - po);

			if (n >= NETVSC_TX_RANGES)
				return -E2BIG;
			pr[n].pfn = (page_to_phys(pg) + (off & PAGE_MASK)) >>
				    HV_PAGE_SHIFT;
			pr[n].offset = po;
			pr[n].len = chunk;
			n++;
			off += chunk;
			len -= chunk;
		}
		ret = n;
	}
	return ret;
}

/* Wake the queues a full ring or no free section stopped. */
void netvsc_tx_wake(struct netvsc_dev *nd)
{
	struct net_device *ndev = nd->ndev;
	unsigned int i;

	if (!READ_ONCE(nd->tx_up) || !nd->rndis_up ||
	    atomic_read(&nd->tx_inflight) >= (int)nd->send_lay.num_sections)
		return;
	for (i = 0; i < ndev->real_num_tx_queues; i++)
		if (netif_tx_queue_stopped(netdev_get_tx_queue(ndev, i)))
			netif_tx_wake_queue(netdev_get_tx_queue(ndev, i));
}

/* A usable queue: opened for this connection and not rescinded. */
static bool netvsc_queue_ok(struct netvsc_dev *nd, u32 q, u32 nq)
{
	return q < nq && !READ_ONCE(nd->chan[q]->gone);
}

/*
 * The transmit queue of a frame, as the kernel's driver chooses it: the
 * host's send indirection table (16 entries) indexed by the flow hash,
 * else the hash spread over the queues; a rescinded queue's flows go to
 * the hash's choice among the others, finally to the primary.
 */
u16 netvsc_pick_queue(struct net_device *ndev, struct sk_buff *skb)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	u32 nq = min_t(u32, READ_ONCE(nd->num_queues),
		       ndev->real_num_tx_queues);
	u32 h, q;

	if (nq <= 1)
		return 0;
	h = skb_get_hash(skb);
	if (READ_ONCE(nd->tx_table_valid)) {
		smp_rmb();	/* the entries after the flag */
		q = READ_ONCE(nd->tx_table[h % NVSP_SEND_TABLE_SIZE]);
		if (netvsc_queue_ok(nd, q, nq))
			return q;
	}
	q = h % nq;
	if (netvsc_queue_ok(nd, q, nq))
		return q;
	return 0;
}

netdev_tx_t netvsc_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	u16 txq = skb_get_queue_mapping(skb);
	struct netvsc_chan *qc, *c;
	struct hvlis_page_range pr[NETVSC_TX_RANGES];
	struct rndis_tx_info tx = { .data_len = skb->len };
	u32 len = skb->len;
	u32 ssize = nd->send_lay.section_size, hlen, n;
	struct nvsp_msg m;
	u8 *sec;
	int idx, ret, nr;

	if (netvsc_vf_xmit(nd, skb))
		return NETDEV_TX_OK;
	if (txq >= NETVSC_MAX_QUEUES)
		txq = 0;
	/* statistics belong to the queue, the send to a live channel */
	qc = nd->chan[txq];
	c = txq < READ_ONCE(nd->num_queues) && !READ_ONCE(qc->gone) ? qc :
	    nd->chan[0];
	if (!nd->rndis_up || skb->len < ETH_HLEN)
		goto drop;
	if (netvsc_tx_ppi(nd, skb, &tx))
		goto drop;
	idx = netvsc_section_get(nd);
	if (idx < 0) {
		netvsc_count(nd, NETVSC_ERR_TX_BUSY);
		netif_tx_stop_queue(netdev_get_tx_queue(ndev, txq));
		/* a completion may have freed one meanwhile */
		if (atomic_read(&nd->tx_inflight) < (int)nd->send_lay.num_sections)
			netif_tx_wake_queue(netdev_get_tx_queue(ndev, txq));
		return NETDEV_TX_BUSY;
	}
	sec = (u8 *)nd->send_buf + (size_t)idx * ssize;
	hlen = rndis_build_packet(sec, ssize, &tx);
	if (!hlen) {
		netvsc_section_put(nd, idx);
		goto drop;
	}
	nd->tx_skb[idx] = skb;
	/* the completion comes on the channel the frame goes on */
	WRITE_ONCE(nd->tx_owner[idx], c->q);
	if (hlen + skb->len <= ssize) {
		if (skb_copy_bits(skb, 0, sec + hlen, skb->len)) {
			netvsc_section_put(nd, idx);
			goto drop;
		}
		n = nvsp_build_rndis_pkt(&m, NVSP_CHANNEL_DATA, idx,
					 hlen + skb->len);
		ret = hvlis_chan_send(c->ch, VMBUS_PKT_DATA_INBAND,
				      VMBUS_PKT_FLAG_COMPLETION_REQUESTED,
				      NVSP_TID_TX_VALUE(c->q, idx), &m, n);
	} else {
		pr[0].pfn = vmalloc_to_pfn(sec);
		pr[0].offset = offset_in_page(sec);
		pr[0].len = hlen;
		nr = netvsc_skb_ranges(skb, pr, 1);
		if (nr == -E2BIG) {
			if (skb_linearize(skb)) {
				netvsc_section_put(nd, idx);
				goto drop;
			}
			nr = netvsc_skb_ranges(skb, pr, 1);
		}
		if (nr < 0) {
			netvsc_section_put(nd, idx);
			goto drop;
		}
		n = nvsp_build_rndis_pkt(&m, NVSP_CHANNEL_DATA, NVSP_NO_SECTION,
					 0);
		ret = hvlis_chan_send_page_ranges(c->ch, pr, nr, &m, n,
						  NVSP_TID_TX_VALUE(c->q, idx));
	}
	if (ret == -EAGAIN) {
		netvsc_section_put(nd, idx);
		netvsc_count(nd, NETVSC_ERR_TX_BUSY);
		netif_tx_stop_queue(netdev_get_tx_queue(ndev, txq));
		return NETDEV_TX_BUSY;
	}
	if (ret) {
		netvsc_section_put(nd, idx);
		goto drop;
	}
	/* skb may be completed and gone already */
	qc->tx_packets++;
	qc->tx_bytes += len;
	return NETDEV_TX_OK;
drop:
	netvsc_count(nd, NETVSC_ERR_TX_DROPPED);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}
