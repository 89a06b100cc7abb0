// SPDX-License-Identifier: GPL-2.0-only
/*
 * NetVSP: the host side of the synthetic NIC (class "nic").
 *
 * NVSP as OpenVMM's netvsp (vm/devices/net/netvsp/src/lib.rs) speaks it:
 * INIT (versions 0.2 .. 6.1, capped by netvsp_version), NDIS config and
 * version, receive buffer (one section of (256 + mtu + 36)-byte
 * sub-allocations) and send buffer (6144-byte sections) GPADLs,
 * SEND_RNDIS_PKT from send sections or GPA-direct pages, sub-channels.
 * Every NIC is a port of the vswitch (netvsp_switch.c).  Frames and RNDIS
 * control replies reach the guest as transfer-page packets whose
 * transaction id is the first sub-allocation; the guest's completion frees
 * that chain.  Guest packets the host cannot accept are counted, logged
 * (rate-limited) and answered with status FAILURE where an answer exists.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": netvsp: " fmt

#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <net/ip6_checksum.h>
#ifdef NV_HAVE_NET_GSO_H		/* Kbuild: the header exists */
#include <net/gso.h>
#endif
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/vmalloc.h>

#include "simhost_compat.h"
#include "hv_devids.h"
#include "netvsp.h"
#include "simhost_int.h"

static unsigned int netvsp_version = NVSP_VERSION_61;
module_param(netvsp_version, uint, 0444);
MODULE_PARM_DESC(netvsp_version,
		 "newest NVSP version accepted: 0x2, 0x30002, 0x40000, 0x50000, 0x60000, 0x60001");
static unsigned int netvsp_queues = 8;
module_param(netvsp_queues, uint, 0444);
MODULE_PARM_DESC(netvsp_queues,
		 "receive queues offered (RSS caps; sub-channels = queues - 1), 1..8");

#define NV_BOUNCE		(256u * 1024)	/* largest guest RNDIS message */
#define NV_LSO_MAX		(64u * 1024 + 256)	/* headers + 64 KiB */
#define NV_FAULT_ID		0x4e56000000000000ull	/* "NV": fault packets */
/* OpenVMM's transaction ids of its own VF messages (lib.rs) */
#define NV_VF_ASSOC_TID		0x8000000000000000ull
#define NV_SWITCH_DP_TID	0x8000000000000001ull

struct workqueue_struct *nv_wq;
static DEFINE_MUTEX(nv_nics_lock);
static struct nv_nic *nv_nics[64];

struct nv_chan {			/* sim_chan priv */
	struct nv_nic *nic;
	struct sim_chan *chan;
	u8 *bounce;
	bool revoked;
};

static const u32 nv_versions[] = { NVSP_VERSION_1, NVSP_VERSION_2, NVSP_VERSION_4, NVSP_VERSION_5, NVSP_VERSION_6, NVSP_VERSION_61 };

const char *const nv_refuse_names[NV_R_COUNT] = {
	[NV_R_MALFORMED] = "malformed",
	[NV_R_ORDER] = "order",
	[NV_R_VERSION] = "version",
	[NV_R_BUFFER] = "buffer",
	[NV_R_SECTION] = "send_section",
	[NV_R_GPA] = "gpa_range",
	[NV_R_RNDIS_LEN] = "rndis_length",
	[NV_R_RNDIS_PPI] = "rndis_ppi",
	[NV_R_RNDIS_OOB] = "rndis_oob",
	[NV_R_RNDIS_TYPE] = "rndis_type",
	[NV_R_SUBCHAN_CTRL] = "subchannel_control",
	[NV_R_COMPLETION] = "completion_id",
	[NV_R_CTRL_FULL] = "control_queue_full",
	[NV_R_UNKNOWN] = "unknown_type",
	[NV_R_STOPPED] = "stopped",
};

void nv_refuse(struct sim_chan *chan, enum nv_refuse why, const char *what)
{
	atomic64_inc(&nv_st.refused[why]);
	pr_warn_ratelimited("relid %u: refused guest packet (%s): %s\n",
			    chan ? sim_chan_relid(chan) : 0,
			    nv_refuse_names[why], what);
}

unsigned int nv_max_queues(void)
{
	return clamp_t(unsigned int, netvsp_queues, 1, NV_MAX_CHANNELS);
}

/* ---- GPADLs of the buffers ---- */

/*
 * The channel worker must not block on sim.lock: the control thread holds
 * it while it waits for this worker at close.  Try, and give up once the
 * channel is stopping.
 */
static int nv_sim_lock(struct sim_chan *chan)
{
	while (!mutex_trylock(&sim.lock)) {
		if (atomic_read(&chan->stopping))
			return -ESHUTDOWN;
		usleep_range(50, 200);
	}
	return 0;
}

/* Pin a GPADL of @chan as a device buffer: teardown waits for close. */
static int nv_gpadl_pin(struct sim_chan *chan, u32 handle, u8 **va, u32 *len)
{
	struct sim_gpadl *g;
	int ret;

	ret = nv_sim_lock(chan);
	if (ret)
		return ret;
	g = sim_gpadl_find(handle, chan);
	if (!g || g->state != GPADL_CREATED || g->in_use) {
		ret = -ENOENT;
	} else if (g->rangecount != 1 || g->first_off) {
		ret = -EINVAL;		/* OpenVMM: contiguous_aligned() */
	} else {
		g->in_use = true;
		*va = g->va;
		*len = g->first_len;
	}
	mutex_unlock(&sim.lock);
	return ret;
}

static void nv_gpadl_unpin_locked(struct sim_chan *chan, u32 handle)
{
	struct sim_gpadl *g = sim_gpadl_find(handle, chan);

	if (g)
		g->in_use = false;
}

/* ---- receive-buffer sub-allocations ---- */

int nv_section_get(struct nv_nic *nic)
{
	u32 i;

	spin_lock_bh(&nic->lock);
	for (i = 0; i < nic->nsec; i++)
		if (!nic->sec_state[i])
			break;
	if (i == nic->nsec) {
		spin_unlock_bh(&nic->lock);
		return -1;
	}
	nic->sec_state[i] = 2;
	nic->sec_next[i] = NVSP_NO_SECTION;
	nic->nfree--;
	spin_unlock_bh(&nic->lock);
	return i;
}

static void nv_section_put_one(struct nv_nic *nic, u32 s)
{
	nic->sec_state[s] = 0;
	nic->nfree++;
}

/* Free a chain; @first must be a head (lock held by caller or not). */
void nv_section_put_chain(struct nv_nic *nic, u32 first)
{
	u32 s = first, n = 0;

	spin_lock_bh(&nic->lock);
	while (s != NVSP_NO_SECTION && s < nic->nsec && n++ < nic->nsec) {
		u32 next = nic->sec_next[s];

		nv_section_put_one(nic, s);
		s = next;
	}
	spin_unlock_bh(&nic->lock);
}

/*
 * Send sub-allocations @secs (RNDIS messages of @lens bytes at their
 * starts) to the guest as one transfer-page packet on @chan, transaction
 * id = secs[0].  On failure the sections are freed.
 */
static int nv_send_xfer(struct nv_nic *nic, struct sim_chan *chan,
			u32 chan_type, const u32 *secs, const u32 *lens,
			unsigned int n, bool overlap)
{
	u32 nr = n + overlap, hdr = 8 + 8 * nr, size = hdr + nic->msg_size, i;
	struct nvsp_msg *m;
	u8 *buf;
	int ret;

	buf = kzalloc(hdr + sizeof(*m), GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto fail;
	}
	spin_lock_bh(&nic->lock);
	for (i = 0; i < n; i++) {
		nic->sec_state[secs[i]] = i ? 2 : 1;
		nic->sec_next[secs[i]] = i + 1 < n ? secs[i + 1] : NVSP_NO_SECTION;
	}
	spin_unlock_bh(&nic->lock);
	/* xfer_pageset_id, sender_owns_set 0, range_cnt, then the ranges */
	buf[0] = nic->rbuf_id & 0xff;
	buf[1] = nic->rbuf_id >> 8;
	nv_put32(buf, 4, nr);
	for (i = 0; i < nr; i++) {
		u32 k = i < n ? i : 0;	/* fault: the first range again */

		nv_put32(buf, 8 + 8 * i, lens[k]);
		nv_put32(buf, 12 + 8 * i, secs[k] * nic->sub_size);
	}
	if (overlap)
		pr_info("nic %u: sent overlapping transfer-page ranges (fault)\n",
			nic->index);
	m = (struct nvsp_msg *)(buf + hdr);
	m->type = NVSP_MSG_RNDIS_PKT;
	m->u.rndis_pkt.channel_type = chan_type;
	m->u.rndis_pkt.section_index = NVSP_NO_SECTION;
	ret = sim_chan_send_hdr(chan, VMBUS_PKT_DATA_USING_XFER_PAGES,
				VMBUS_PKT_FLAG_COMPLETION_REQUESTED, secs[0],
				(16 + hdr) / 8, buf, size, true);
	kfree(buf);
	if (!ret)
		return 0;
fail:
	nv_section_put_chain(nic, secs[0]);
	return ret;
}

int nv_send_rndis_sections(struct nv_nic *nic, struct sim_chan *chan,
			   u32 chan_type, const u32 *secs, const u32 *lens,
			   unsigned int n)
{
	return nv_send_xfer(nic, chan, chan_type, secs, lens, n, false);
}

/* Send @m (the negotiated NVSP message size) as the completion of @id. */
static void nv_complete(struct sim_chan *chan, struct nv_nic *nic, u64 id,
			const struct nvsp_msg *m)
{
	u32 size = nic && nic->msg_size ? nic->msg_size : NVSP_MSG_SIZE_V1;
	int ret;

	ret = sim_chan_send_completion(chan, id, m, size);
	if (ret && ret != -ESHUTDOWN)
		pr_warn_ratelimited("relid %u: completion %#llx not sent: %d\n",
				    sim_chan_relid(chan), id, ret);
}

static void nv_complete_empty(struct sim_chan *chan, u64 id)
{
	sim_chan_send_completion(chan, id, NULL, 0);
}

void nv_kick(struct nv_nic *nic)
{
	if (READ_ONCE(nic->active))
		queue_work(nv_wq, &nic->rx_work);
}

/* ---- frames to the guest ---- */

/* Toeplitz hash of the IPv4/IPv6 TCP 4-tuple with the guest's key. */
static u32 nv_toeplitz(const u8 *key, const u8 *in, unsigned int len)
{
	u32 hash = 0, v = (key[0] << 24) | (key[1] << 16) | (key[2] << 8) |
		       key[3];
	unsigned int i, b;

	for (i = 0; i < len; i++) {
		for (b = 0; b < 8; b++) {
			if (in[i] & (0x80 >> b))
				hash ^= v;
			v <<= 1;
			if (i + 4 < NDIS_RSS_KEY_SIZE && (key[i + 4] & (0x80 >> b)))
				v |= 1;
		}
	}
	return hash;
}

/*
 * The Toeplitz input of a frame for the guest's hash types (NDIS "RSS
 * hashing types"): TCP over IPv4/IPv6 with TCP_IPV4/TCP_IPV6 hashes the
 * addresses and ports; any other IPv4/IPv6 frame (IP fragments and
 * TCP without its TCP type included) hashes the two addresses when
 * IPV4/IPV6 is set; anything else is not hashed (the primary).
 */
static bool nv_rss_input(const struct sk_buff *skb, u32 types, u8 *in,
			 unsigned int *len)
{
	const u8 *p = skb->data;
	u32 l = skb->len, off = ETH_HLEN;
	u16 proto;

	if (l < ETH_HLEN)
		return false;
	proto = (p[12] << 8) | p[13];
	if (proto == ETH_P_8021Q && l >= ETH_HLEN + 4) {
		proto = (p[16] << 8) | p[17];
		off += 4;
	}
	if (proto == ETH_P_IP && l >= off + 20) {
		u32 ihl = (p[off] & 0xf) * 4;
		bool frag = ((p[off + 6] << 8) | p[off + 7]) & 0x3fff;

		if (ihl < 20)
			return false;
		memcpy(in, p + off + 12, 8);
		if (p[off + 9] == IPPROTO_TCP && !frag &&
		    (types & NDIS_HASH_TCP_IPV4) && l >= off + ihl + 4) {
			memcpy(in + 8, p + off + ihl, 4);
			*len = 12;
			return true;
		}
		*len = 8;
		return types & NDIS_HASH_IPV4;
	}
	if (proto == ETH_P_IPV6 && l >= off + 40) {
		memcpy(in, p + off + 8, 32);
		if (p[off + 6] == IPPROTO_TCP && (types & NDIS_HASH_TCP_IPV6) &&
		    l >= off + 40 + 4) {
			memcpy(in + 32, p + off + 40, 4);
			*len = 36;
			return true;
		}
		*len = 32;
		return types & NDIS_HASH_IPV6;
	}
	return false;
}

/* The channel a frame goes to, and its RSS hash (0: none). */
static struct sim_chan *nv_pick_chan(struct nv_nic *nic, struct sk_buff *skb,
				     u32 *hash)
{
	struct sim_chan *c = NULL;
	unsigned int len;
	u8 in[36];

	*hash = 0;
	spin_lock_bh(&nic->lock);
	if (nic->rss_on && nv_rss_input(skb, nic->rss_hash, in, &len)) {
		*hash = nv_toeplitz(nic->rss_key, in, len);
		c = nic->chans[nic->rss_table[*hash % NDIS_RSS_ITAB_MAX] %
			       NV_MAX_CHANNELS];
	}
	if (!c)
		c = nic->chans[0];
	spin_unlock_bh(&nic->lock);
	return c;	/* NULL only while the primary closes */
}

/*
 * Write one frame as an RNDIS_PACKET at the start of sub-allocation @s,
 * in OpenVMM's layout: header + packet + PPIs, frame at byte 256,
 * message length = the sub-allocation size.
 */
/* Append one 4-byte per-packet info at @pos of @b; returns the next pos. */
static u32 nv_put_ppi(u8 *b, u32 pos, u32 type, u32 val)
{
	struct rndis_ppi h = {
		.size = NV_PPI_HDR + 4,
		.type = type,
		.offset = NV_PPI_HDR,
	};

	memcpy(b + pos, &h, sizeof(h));
	nv_put32(b, pos + NV_PPI_HDR, val);
	return pos + NV_PPI_HDR + 4;
}

/*
 * Write one frame as an RNDIS_PACKET at the start of sub-allocation @s,
 * in OpenVMM's layout: header + packet + PPIs, frame at byte 256,
 * message length = the sub-allocation size.  @fault 1: data offset past
 * the message; 2: a PPI larger than the PPI area.
 */
static void nv_write_frame(struct nv_nic *nic, u32 s, struct sk_buff *skb,
			   u32 hash, u32 fault)
{
	u8 *b = nic->rbuf + (size_t)s * nic->sub_size;
	struct rndis_msg_hdr mh = {
		.type = RNDIS_MSG_PACKET,
		.len = nic->sub_size,
	};
	struct rndis_packet rp = {
		.data_offset = NV_RX_HEADER_LEN - RNDIS_HDR_SIZE,
		.ppi_offset = sizeof(struct rndis_packet),
	};
	u32 pos = NV_PKT_HDR, flen = skb->len;
	u16 tci = 0;
	bool vlan = false;

	if (skb->len >= VLAN_ETH_HLEN &&
	    ((skb->data[12] << 8) | skb->data[13]) == ETH_P_8021Q) {
		/* the tag goes out of band, as the vswitch does */
		tci = (skb->data[14] << 8) | skb->data[15];
		flen -= VLAN_HLEN;
		vlan = true;
	}
	memset(b, 0, NV_RX_HEADER_LEN);
	/* checksum PPI: nothing validated by the host */
	pos = nv_put_ppi(b, pos, RNDIS_PPI_CHECKSUM, 0);
	if (vlan)
		pos = nv_put_ppi(b, pos, RNDIS_PPI_8021Q,
				 ((tci >> 13) & RNDIS_VLAN_PRI_MASK) |
				 (tci & 0x1000 ? RNDIS_VLAN_CFI : 0) |
				 ((tci & RNDIS_VLAN_ID_MASK) << RNDIS_VLAN_ID_SHIFT));
	if (hash)
		pos = nv_put_ppi(b, pos, RNDIS_PPI_HASH_VALUE, hash);
	rp.data_len = flen;
	rp.ppi_len = pos - NV_PKT_HDR;
	if (fault == 1)
		rp.data_offset = nic->sub_size;
	if (fault == 2)
		nv_put32(b, NV_PKT_HDR, rp.ppi_len + 64);
	memcpy(b, &mh, sizeof(mh));
	memcpy(b + RNDIS_HDR_SIZE, &rp, sizeof(rp));
	/* the skb may be a clone shared with other ports: copy, do not edit */
	if (vlan) {
		memcpy(b + NV_RX_HEADER_LEN, skb->data, 2 * ETH_ALEN);
		memcpy(b + NV_RX_HEADER_LEN + 2 * ETH_ALEN,
		       skb->data + 2 * ETH_ALEN + VLAN_HLEN,
		       flen - 2 * ETH_ALEN);
	} else {
		memcpy(b + NV_RX_HEADER_LEN, skb->data, flen);
	}
}

/*
 * RSC: a TCP frame larger than one sub-allocation (a send the vswitch
 * did not cut, nv_tx_coalesce()) goes to a guest that turned RSC on as
 * one RNDIS_PACKET per sub-allocation, each with the PKTINFO_ID PPI
 * (SUBALLOC; FIRST_FRAG on the first, LAST_FRAG on the last, the same
 * packet id), as Hyper-V delivers coalesced packets (Linux
 * rndis_filter_receive_data()).  Our choices [U]: each fragment fills
 * the data room of a sub-allocation (as a single frame would); the
 * first carries the checksum (TCP_OK, IPv4: IP_OK with IP_VALUE_INVALID
 * and a zero IPv4 header checksum, as a host that does not recompute it
 * after coalescing), VLAN and hash PPIs; the TCP checksum is right.
 */
static u32 nv_rx_room(const struct nv_nic *nic)
{
	return nic->sub_size - NV_RX_HEADER_LEN - NV_RX_FOOTER_LEN;
}

/* Fragments @skb needs (0: it cannot go as a coalesced packet). */
static u32 nv_rsc_frags(struct nv_nic *nic, const struct sk_buff *skb,
			bool *vlan, bool *v4)
{
	u32 l3 = ETH_HLEN, len = skb->len;
	u16 proto;

	*vlan = false;
	if (skb->len < ETH_HLEN)
		return 0;
	proto = (skb->data[12] << 8) | skb->data[13];
	if (proto == ETH_P_8021Q && skb->len >= VLAN_ETH_HLEN) {
		proto = (skb->data[16] << 8) | skb->data[17];
		*vlan = true;
		l3 += VLAN_HLEN;
		len -= VLAN_HLEN;
	}
	*v4 = proto == ETH_P_IP;
	if (*v4 ? !READ_ONCE(nic->rsc4) :
	    proto != ETH_P_IPV6 || !READ_ONCE(nic->rsc6))
		return 0;
	if (skb->len < l3 + 40 || len > 65535 + ETH_HLEN)
		return 0;
	if (*v4 && skb->data[l3 + 9] != IPPROTO_TCP)
		return 0;
	return DIV_ROUND_UP(len, nv_rx_room(nic));
}

/* Byte @off.. of the frame without its VLAN tag, @n bytes, to @to. */
static void nv_copy_untagged(const struct sk_buff *skb, bool vlan, u32 off,
			     u8 *to, u32 n)
{
	u32 k;

	if (!vlan) {
		memcpy(to, skb->data + off, n);
		return;
	}
	for (; n && off < 2 * ETH_ALEN; n--, off++)
		*to++ = skb->data[off];
	k = off + VLAN_HLEN;
	memcpy(to, skb->data + k, n);
}

/* Write @skb as @nfrag fragments into the sub-allocations @secs. */
static void nv_write_rsc(struct nv_nic *nic, const u32 *secs, u32 nfrag,
			 struct sk_buff *skb, u32 hash, bool vlan, bool v4)
{
	u32 room = nv_rx_room(nic), len = skb->len - (vlan ? VLAN_HLEN : 0);
	bool no_first = atomic_dec_if_positive(&nv_st.f_rsc_no_first) >= 0;
	bool no_last = atomic_dec_if_positive(&nv_st.f_rsc_no_last) >= 0;
	bool bad_size = atomic_dec_if_positive(&nv_st.f_rsc_size) >= 0;
	u16 id = nic->rsc_id++;
	u32 k, off = 0;

	if (no_first || no_last || bad_size)
		pr_info("nic %u: coalesced packet of %u fragments%s%s%s (fault)\n",
			nic->index, nfrag, no_first ? ", no first" : "",
			no_last ? ", no last" : "",
			bad_size ? ", short PKTINFO_ID" : "");
	for (k = 0; k < nfrag; k++) {
		u8 *b = nic->rbuf + (size_t)secs[k] * nic->sub_size;
		struct rndis_msg_hdr mh = {
			.type = RNDIS_MSG_PACKET,
			.len = nic->sub_size,
		};
		struct rndis_packet rp = {
			.data_offset = NV_RX_HEADER_LEN - RNDIS_HDR_SIZE,
			.ppi_offset = sizeof(struct rndis_packet),
		};
		u32 pos = NV_PKT_HDR, n = min(room, len - off), flags;

		memset(b, 0, NV_RX_HEADER_LEN);
		flags = RNDIS_PKTINFO_SUBALLOC;
		if (k == 0 && !no_first)
			flags |= RNDIS_PKTINFO_FIRST_FRAG;
		if (k == nfrag - 1 && !no_last)
			flags |= RNDIS_PKTINFO_LAST_FRAG;
		if (k == 0) {
			pos = nv_put_ppi(b, pos, RNDIS_PPI_CHECKSUM,
					 RNDIS_CSUM_RX_TCP_OK |
					 (v4 ? RNDIS_CSUM_RX_IP_OK |
					  RNDIS_CSUM_RX_IP_VALUE_INVALID : 0));
			if (vlan) {
				u16 tci = (skb->data[14] << 8) | skb->data[15];

				pos = nv_put_ppi(b, pos, RNDIS_PPI_8021Q,
						 ((tci >> 13) & RNDIS_VLAN_PRI_MASK) |
						 (tci & 0x1000 ? RNDIS_VLAN_CFI : 0) |
						 ((tci & RNDIS_VLAN_ID_MASK) <<
						  RNDIS_VLAN_ID_SHIFT));
			}
			if (hash)
				pos = nv_put_ppi(b, pos, RNDIS_PPI_HASH_VALUE,
						 hash);
		}
		pos = nv_put_ppi(b, pos,
				 RNDIS_PPI_INTERNAL | RNDIS_PPI_INTERNAL_PKTINFO_ID,
				 RNDIS_PKTINFO_ID_V1 | flags << 8 | (u32)id << 16);
		rp.ppi_len = pos - NV_PKT_HDR;
		if (k == 0 && bad_size) {
			/* the PKTINFO_ID entry holds 2 bytes of data */
			nv_put32(b, pos - NV_PPI_HDR - 4, NV_PPI_HDR + 2);
			rp.ppi_len -= 2;
		}
		rp.data_len = n;
		memcpy(b, &mh, sizeof(mh));
		memcpy(b + RNDIS_HDR_SIZE, &rp, sizeof(rp));
		nv_copy_untagged(skb, vlan, off, b + NV_RX_HEADER_LEN, n);
		if (k == 0 && v4) {
			/* the IPv4 header checksum is left to the guest */
			b[NV_RX_HEADER_LEN + ETH_HLEN + 10] = 0;
			b[NV_RX_HEADER_LEN + ETH_HLEN + 11] = 0;
		}
		off += n;
	}
	atomic64_inc(&nic->rsc_pkts);
	atomic64_add(nfrag, &nic->rsc_frags);
}

/*
 * Queue the oversized frame at the head of nic->rxq as fragments into
 * @secs from index *n.  Returns false when the batch must go first
 * (no room in it or no free sections); the frame stays queued.
 */
static bool nv_rx_rsc(struct nv_nic *nic, u32 *secs, u32 *lens,
		      unsigned int *n, u32 hash)
{
	struct sk_buff *skb = skb_peek(&nic->rxq);
	bool vlan, v4;
	u32 nfrag, k;
	int s;

	nfrag = nv_rsc_frags(nic, skb, &vlan, &v4);
	if (!nfrag || nfrag > NV_RX_BATCH) {
		/* RSC off (or turned off since), or too many fragments */
		skb = skb_dequeue(&nic->rxq);
		atomic64_inc(&nic->rx_dropped);
		kfree_skb(skb);
		return true;
	}
	if (*n + nfrag > NV_RX_BATCH)
		return false;
	for (k = 0; k < nfrag; k++) {
		s = nv_section_get(nic);
		if (s < 0) {
			while (k--)
				nv_section_put_chain(nic, secs[*n + k]);
			return false;
		}
		secs[*n + k] = s;
		lens[*n + k] = nic->sub_size;
	}
	skb = skb_dequeue(&nic->rxq);
	nv_write_rsc(nic, secs + *n, nfrag, skb, hash, vlan, v4);
	consume_skb(skb);
	*n += nfrag;
	return true;
}

static void nv_rx_frames(struct nv_nic *nic)
{
	u32 secs[NV_RX_BATCH], lens[NV_RX_BATCH];
	struct sim_chan *chan = NULL, *c;
	unsigned int n = 0;
	struct sk_buff *skb;
	u32 hash, fault = 0;
	int s, ret;

	if (atomic_dec_if_positive(&nv_st.f_data_offset) >= 0)
		fault = 1;
	else if (atomic_dec_if_positive(&nv_st.f_ppi_size) >= 0)
		fault = 2;
	else if (atomic_dec_if_positive(&nv_st.f_xfer_overlap) >= 0)
		fault = 3;
	while (n < NV_RX_BATCH) {
		skb = skb_peek(&nic->rxq);
		if (!skb)
			break;
		c = nv_pick_chan(nic, skb, &hash);
		if (!c || (chan && c != chan))
			break;
		if (skb->len > nv_rx_room(nic) + VLAN_HLEN) {
			if (!nv_rx_rsc(nic, secs, lens, &n, hash))
				break;
			chan = c;
			continue;
		}
		s = nv_section_get(nic);
		if (s < 0)
			break;
		skb = skb_dequeue(&nic->rxq);
		if (!skb) {
			nv_section_put_chain(nic, s);
			break;
		}
		chan = c;
		if (skb->len < ETH_HLEN ||
		    skb->len > nic->sub_size - NV_RX_HEADER_LEN -
			       NV_RX_FOOTER_LEN + VLAN_HLEN) {
			atomic64_inc(&nic->rx_dropped);
			nv_section_put_chain(nic, s);
			kfree_skb(skb);
			continue;
		}
		nv_write_frame(nic, s, skb, hash, n ? 0 : fault);
		consume_skb(skb);
		secs[n] = s;
		lens[n] = nic->sub_size;
		n++;
	}
	if (!n)
		return;
	ret = nv_send_xfer(nic, chan, NVSP_CHANNEL_DATA, secs, lens, n,
			   fault == 3);
	if (ret) {
		atomic64_add(n, &nic->rx_dropped);
	} else {
		atomic64_add(n, &nic->rx_frames);
		atomic64_add(n, &nic->ch_rx[sim_chan_subidx(chan) %
					    NV_MAX_CHANNELS]);
	}
}

/*
 * NvspMessage5TypeSendIndirectionTable, as OpenVMM sends it (lib.rs
 * guest_send_indirection_table()): on the primary, in band without
 * completion, transaction id 0, once all the channels granted by the
 * last SUBCHANNEL request are open; 16 entries, entry i = i mod the
 * channels open, the table right after the message's two fields (offset
 * 12 from the start of the NVSP message).  0 or -EAGAIN.
 */
static int nv_send_table(struct nv_nic *nic)
{
	struct {
		u32 type;
		struct nvsp_send_indirection_table t;
		u32 entry[NVSP_SEND_TABLE_SIZE];
	} __packed m = {};
	struct sim_chan *primary;
	unsigned int i, open = 0;
	int ret;

	spin_lock_bh(&nic->lock);
	primary = nic->chans[0];
	for (i = 0; i < NV_MAX_CHANNELS; i++)
		open += !!nic->chans[i];
	spin_unlock_bh(&nic->lock);
	if (!primary || !open)
		return 0;
	m.type = NVSP_MSG_SEND_INDIRECTION_TABLE;
	m.t.count = NVSP_SEND_TABLE_SIZE;
	m.t.offset = offsetof(typeof(m), entry);
	for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
		m.entry[i] = i % open;
	ret = sim_chan_try_send(primary, VMBUS_PKT_DATA_INBAND, 0, 0, &m,
				sizeof(m));
	if (ret == -EAGAIN)
		return ret;
	if (!ret)
		nic->send_tables++;
	return 0;
}

/* A transfer-page packet whose range leaves the receive buffer. */
static void nv_fault_xfer_range(struct nv_nic *nic, struct sim_chan *chan)
{
	u8 buf[16 + NVSP_MSG_SIZE] = {};
	struct nvsp_msg *m = (struct nvsp_msg *)(buf + 16);

	buf[0] = nic->rbuf_id & 0xff;
	buf[1] = nic->rbuf_id >> 8;
	nv_put32(buf, 4, 1);
	nv_put32(buf, 8, nic->sub_size);
	nv_put32(buf, 12, nic->rbuf_len - 16);
	m->type = NVSP_MSG_RNDIS_PKT;
	m->u.rndis_pkt.channel_type = NVSP_CHANNEL_DATA;
	m->u.rndis_pkt.section_index = NVSP_NO_SECTION;
	sim_chan_send_hdr(chan, VMBUS_PKT_DATA_USING_XFER_PAGES,
			  VMBUS_PKT_FLAG_COMPLETION_REQUESTED, NV_FAULT_ID | 1,
			  (16 + 16) / 8, buf, 16 + nic->msg_size, true);
	pr_info("nic %u: sent a transfer-page range past the receive buffer (fault)\n",
		nic->index);
}

/* A SEND_RNDIS_PKT_COMPLETE for a transaction the guest never started. */
static void nv_fault_bad_id(struct nv_nic *nic, struct sim_chan *chan)
{
	struct nvsp_msg m = { .type = NVSP_MSG_RNDIS_PKT_COMPLETE };

	m.u.rndis_pkt_complete.status = NVSP_STATUS_SUCCESS;
	nv_complete(chan, nic, NV_FAULT_ID | 0x7fff, &m);
	pr_info("nic %u: sent a completion for an unknown transaction id (fault)\n",
		nic->index);
}

/*
 * VF association, as OpenVMM's guest_vf_is_available() and
 * handle_state_change() (lib.rs): once RNDIS is initialized, a NIC the
 * debugfs knob gives a VF gets VF_ASSOCIATION {1, serial} (NVSP >= 4 and
 * SRIOV in the guest's NDIS config capabilities; else nothing is sent);
 * when the knob takes it away, a data path on the VF is first switched
 * back by SWITCH_DATA_PATH {SYNTHETIC} from the host, then
 * VF_ASSOCIATION {0, the serial advertised}.  Both in-band with a
 * completion requested, under OpenVMM's transaction ids.  Returns 1 when
 * a message went out, 0 when nothing was due, -EAGAIN on a full ring.
 */
static int nv_vf_state(struct nv_nic *nic)
{
	struct {
		u32 type;
		struct nvsp_vf_association a;
	} __packed va = { .type = NVSP_MSG_VF_ASSOCIATION };
	struct {
		u32 type;
		struct nvsp_switch_data_path d;
	} __packed sw = { .type = NVSP_MSG_SWITCH_DATA_PATH };
	bool want = READ_ONCE(nv_st.vf_on[nic->index]), dp;
	u32 serial = READ_ONCE(nv_st.vf_serial[nic->index]);
	struct sim_chan *primary = nic->chans[0];
	int ret;

	if (!primary || nic->version < NVSP_VERSION_4 ||
	    !(nic->cfg_caps & NVSP_CAP_SRIOV) || want == nic->vf_adv)
		return 0;
	if (want) {
		va.a.allocated = 1;
		va.a.serial = serial;
		ret = sim_chan_try_send(primary, VMBUS_PKT_DATA_INBAND,
					VMBUS_PKT_FLAG_COMPLETION_REQUESTED,
					NV_VF_ASSOC_TID, &va, sizeof(va));
		if (ret == -EAGAIN)
			return ret;
		nic->vf_adv = true;
		nic->vf_adv_serial = serial;
		atomic_inc(&nic->vf_assoc);
		pr_info("nic %u: VF association sent (serial %u)\n",
			nic->index, serial);
		return 1;
	}
	spin_lock_bh(&nic->lock);
	dp = nic->dp_vf;
	spin_unlock_bh(&nic->lock);
	if (dp) {
		sw.d.active_datapath = NVSP_DATAPATH_SYNTHETIC;
		ret = sim_chan_try_send(primary, VMBUS_PKT_DATA_INBAND,
					VMBUS_PKT_FLAG_COMPLETION_REQUESTED,
					NV_SWITCH_DP_TID, &sw, sizeof(sw));
		if (ret == -EAGAIN)
			return ret;
		spin_lock_bh(&nic->lock);
		nic->dp_vf = false;
		spin_unlock_bh(&nic->lock);
		atomic_inc(&nic->host_to_synth);
		pr_info("nic %u: VF removed: data path switched to synthetic\n",
			nic->index);
		return 1;
	}
	va.a.allocated = 0;
	va.a.serial = nic->vf_adv_serial;
	ret = sim_chan_try_send(primary, VMBUS_PKT_DATA_INBAND,
				VMBUS_PKT_FLAG_COMPLETION_REQUESTED,
				NV_VF_ASSOC_TID, &va, sizeof(va));
	if (ret == -EAGAIN)
		return ret;
	nic->vf_adv = false;
	atomic_inc(&nic->vf_unassoc);
	pr_info("nic %u: VF disassociation sent (serial %u)\n", nic->index,
		nic->vf_adv_serial);
	return 1;
}

/*
 * SWITCH_DATA_PATH from the guest, as OpenVMM's switch_data_path() with
 * an endpoint that can switch (net_mana): to the VF while one is
 * advertised, back to synthetic while on the VF; a request for the VF
 * with none advertised is warned about and changes nothing; every
 * request is completed (empty) when the guest asked.
 */
static void nv_switch_dp(struct nv_nic *nic, struct sim_chan *chan,
			 const struct vmbus_pkt_desc *d, u32 path)
{
	bool to_vf = path == NVSP_DATAPATH_VF;

	spin_lock_bh(&nic->lock);
	if (to_vf && nic->vf_adv && !nic->dp_vf) {
		nic->dp_vf = true;
		atomic_inc(&nic->sw_to_vf);
	} else if (!to_vf && nic->dp_vf) {
		nic->dp_vf = false;
		atomic_inc(&nic->sw_to_synth);
	} else if (to_vf && !nic->vf_adv) {
		atomic_inc(&nic->sw_ignored);
	}
	spin_unlock_bh(&nic->lock);
	if (d->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED)
		nv_complete_empty(chan, d->trans_id);
}

static void nv_rx_work(struct work_struct *w)
{
	struct nv_nic *nic = container_of(w, struct nv_nic, rx_work);
	unsigned int budget = 64;
	struct nv_ctrl *c;
	u32 speed;
	bool due;

	while (budget--) {
		if (!READ_ONCE(nic->active) || READ_ONCE(nic->stopped))
			return;
		spin_lock_bh(&nic->lock);
		c = list_first_entry_or_null(&nic->ctrlq, struct nv_ctrl, node);
		if (c && nic->nfree) {
			list_del(&c->node);
			nic->ctrl_bytes -= c->charge;
		} else {
			c = NULL;
		}
		spin_unlock_bh(&nic->lock);
		if (c) {
			nv_rndis_control(nic, c->data, c->len);
			kfree(c);
			continue;
		}
		if (!list_empty(&nic->ctrlq))
			return;		/* a completion frees a section */
		/* taken under the lock: an open or ALLOCATE may set it again */
		spin_lock_bh(&nic->lock);
		due = nic->send_table_due;
		nic->send_table_due = false;
		spin_unlock_bh(&nic->lock);
		if (due) {
			if (nv_send_table(nic)) {
				/* the guest's ring is full: later */
				spin_lock_bh(&nic->lock);
				nic->send_table_due = true;
				spin_unlock_bh(&nic->lock);
				return;
			}
			continue;
		}
		if (nic->rndis_up) {
			bool up = !READ_ONCE(nv_st.link_down[nic->index]);
			int vf = nv_vf_state(nic);

			if (vf < 0)
				return;
			if (vf)
				continue;
			if (up != nic->link_up) {
				if (nv_rndis_indicate(nic, up ? RNDIS_STATUS_MEDIA_CONNECT :
						      RNDIS_STATUS_MEDIA_DISCONNECT,
						      NULL, 0))
					return;
				nic->link_up = up;
				continue;
			}
			if (nic->offload_pending) {
				u8 cfg[160];
				u32 n = nv_offload_config(nic, cfg, sizeof(cfg),
							  false);

				if (nv_rndis_indicate(nic, RNDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG,
						      cfg, n))
					return;
				nic->offload_pending = false;
				continue;
			}
			if (atomic_dec_if_positive(&nv_st.f_storm) >= 0) {
				speed = 100000000;	/* 10 Gbps in 100 bps */
				if (nv_rndis_indicate(nic, RNDIS_STATUS_LINK_SPEED_CHANGE,
						      &speed, sizeof(speed))) {
					atomic_inc(&nv_st.f_storm);
					return;
				}
				continue;
			}
			if (atomic_dec_if_positive(&nv_st.f_xfer_range) >= 0) {
				nv_fault_xfer_range(nic, nic->chans[0]);
				continue;
			}
			if (atomic_dec_if_positive(&nv_st.f_bad_trans_id) >= 0) {
				nv_fault_bad_id(nic, nic->chans[0]);
				continue;
			}
		}
		if (skb_queue_empty(&nic->rxq))
			return;
		if (!nic->rndis_up || !nic->filter || !nic->link_up) {
			/* OpenVMM drops received frames while filter = 0 */
			u32 n = skb_queue_len(&nic->rxq);

			skb_queue_purge(&nic->rxq);
			atomic64_add(n, &nv_st.dropped_filter);
			return;
		}
		if (!nic->nfree)
			return;
		nv_rx_frames(nic);
	}
	queue_work(nv_wq, &nic->rx_work);
}

/*
 * RSC on in this NIC's guest for IPv4 / IPv6, and a frame of @len bytes
 * fits one receive (NV_RX_BATCH fragments; a small MTU needs more: such
 * a send is segmented instead) (any context).
 */
static bool nv_nic_rsc_on(struct nv_port *port, bool v6, u32 len)
{
	struct nv_nic *nic = container_of(port, struct nv_nic, port);

	return READ_ONCE(nic->active) &&
	       (v6 ? READ_ONCE(nic->rsc6) : READ_ONCE(nic->rsc4)) &&
	       DIV_ROUND_UP(len, nv_rx_room(nic)) <= NV_RX_BATCH;
}

/* vswitch -> this NIC (any context) */
static void nv_nic_deliver(struct nv_port *port, struct sk_buff *skb)
{
	struct nv_nic *nic = container_of(port, struct nv_nic, port);

	/*
	 * On the VF data path the backend steers the port's traffic to the
	 * VF (OpenVMM net_mana set_data_path_to_guest_vf(): vport
	 * move_filter()), nothing comes over VMBus.  The simulated VF is a
	 * QEMU NIC the vswitch cannot reach: the frame is counted, dropped.
	 */
	if (READ_ONCE(nic->dp_vf)) {
		atomic64_inc(&nic->vf_diverted);
		kfree_skb(skb);
		return;
	}
	if (!READ_ONCE(nic->active) ||
	    skb_queue_len(&nic->rxq) >= NV_RXQ_MAX) {
		atomic64_inc(&nv_st.dropped_full);
		kfree_skb(skb);
		return;
	}
	skb_queue_tail(&nic->rxq, skb);
	queue_work(nv_wq, &nic->rx_work);
}

/* ---- frames from the guest ---- */

struct nv_txmeta {
	bool csum, lso, vlan;
	u32 csum_info, lso_info, vlan_info;
};

/* Compute what the guest asked the host to compute (checksum offload). */
static int nv_tx_offload(struct sk_buff *skb, const struct nv_txmeta *m)
{
	u32 ci = m->csum_info, l3 = ETH_HLEN, l4;
	bool v4 = ci & RNDIS_CSUM_TX_IPV4, v6 = ci & RNDIS_CSUM_TX_IPV6;
	bool tcp = ci & RNDIS_CSUM_TX_TCP, udp = ci & RNDIS_CSUM_TX_UDP;
	bool iphdr = ci & RNDIS_CSUM_TX_IP_HDR;
	u32 toff = (ci >> RNDIS_CSUM_TX_TCP_OFF_SHIFT) & RNDIS_CSUM_TX_TCP_OFF_MASK;
	u8 proto;

	if (!m->csum || !(v4 || v6) || !(tcp || udp || iphdr))
		return 0;
	skb_reset_mac_header(skb);
	if (v4) {
		struct iphdr *iph;

		if (skb->len < l3 + sizeof(*iph))
			return -EINVAL;
		iph = (struct iphdr *)(skb->data + l3);
		if (iph->ihl < 5 || skb->len < l3 + iph->ihl * 4)
			return -EINVAL;
		l4 = l3 + iph->ihl * 4;
		proto = iph->protocol;
		if (iphdr) {
			iph->check = 0;
			iph->check = ip_fast_csum(iph, iph->ihl);
		}
	} else {
		if (skb->len < l3 + sizeof(struct ipv6hdr))
			return -EINVAL;
		l4 = l3 + sizeof(struct ipv6hdr);
		proto = ((struct ipv6hdr *)(skb->data + l3))->nexthdr;
	}
	if (toff)
		l4 = toff;
	if (!(tcp || udp))
		return 0;
	if (tcp && !skb_partial_csum_set(skb, l4,
					 offsetof(struct tcphdr, check)))
		return -EINVAL;
	if (!tcp && !skb_partial_csum_set(skb, l4,
					  offsetof(struct udphdr, check)))
		return -EINVAL;
	(void)proto;
	return skb_checksum_help(skb);
}

static void nv_tx_forward(struct nv_nic *nic, struct sk_buff *skb,
			  const struct nv_txmeta *meta);
static void nv_tx_lso(struct nv_nic *nic, struct sk_buff *skb,
		      const struct nv_txmeta *meta);

/*
 * One RNDIS_PACKET at @m (@avail bytes from @m to the end of what the
 * guest sent, as OpenVMM reads it).  Returns 0 or a refusal reason + 1.
 */
static int nv_tx_packet(struct nv_nic *nic, const u8 *m, u32 avail)
{
	const u8 *body = m + RNDIS_HDR_SIZE;
	u32 blen = avail - RNDIS_HDR_SIZE;
	u32 doff, dlen, ppioff, ppilen;
	struct nv_txmeta meta = {};
	struct rndis_packet rp;
	struct sk_buff *skb;

	if (avail < NV_PKT_HDR)
		return NV_R_RNDIS_LEN + 1;
	memcpy(&rp, body, sizeof(rp));
	doff = rp.data_offset;
	dlen = rp.data_len;
	if (rp.oob_offset || rp.oob_len || rp.num_oob || rp.vc_handle)
		return NV_R_RNDIS_OOB + 1;
	ppioff = rp.ppi_offset;
	ppilen = rp.ppi_len;
	if (blen < doff || blen - doff < dlen || !dlen)
		return NV_R_RNDIS_LEN + 1;
	if (ppilen) {
		u32 pos = ppioff, end;

		if (ppioff > blen || blen - ppioff < ppilen)
			return NV_R_RNDIS_PPI + 1;
		end = ppioff + ppilen;
		while (pos < end) {
			struct rndis_ppi h;
			u32 size, type, off, val;

			if (end - pos < NV_PPI_HDR)
				return NV_R_RNDIS_PPI + 1;
			memcpy(&h, body + pos, sizeof(h));
			size = h.size;
			type = h.type;
			off = h.offset;
			if (!size || size > end - pos || off > size)
				return NV_R_RNDIS_PPI + 1;
			if ((type == RNDIS_PPI_CHECKSUM || type == RNDIS_PPI_LSO ||
			     type == RNDIS_PPI_8021Q) && size - off < 4)
				return NV_R_RNDIS_PPI + 1;
			if (type == RNDIS_PPI_CHECKSUM || type == RNDIS_PPI_LSO ||
			    type == RNDIS_PPI_8021Q)
				val = nv_get32(body, pos + off);
			else
				val = 0;
			if (type == RNDIS_PPI_CHECKSUM) {
				meta.csum = true;
				meta.csum_info = val;
			} else if (type == RNDIS_PPI_LSO) {
				meta.lso = true;
				meta.lso_info = val;
			} else if (type == RNDIS_PPI_8021Q) {
				meta.vlan = true;
				meta.vlan_info = val;
			}
			pos += size;
		}
	}
	if (dlen < ETH_HLEN || dlen > (meta.lso ? NV_LSO_MAX : NV_MTU_MAX)) {
		atomic64_inc(&nic->tx_dropped);
		return 0;
	}
	skb = alloc_skb(dlen + VLAN_HLEN + NET_IP_ALIGN, GFP_KERNEL);
	if (!skb)
		return 0;
	skb_reserve(skb, NET_IP_ALIGN + VLAN_HLEN);
	skb_put_data(skb, body + doff, dlen);
	if (meta.lso) {
		nv_tx_lso(nic, skb, &meta);
		return 0;
	}
	if (nv_tx_offload(skb, &meta)) {
		kfree_skb(skb);
		atomic64_inc(&nic->tx_dropped);
		return 0;
	}
	nv_tx_forward(nic, skb, &meta);
	return 0;
}

/* Insert the VLAN tag of the PPI into the frame and switch it. */
static void nv_tx_forward(struct nv_nic *nic, struct sk_buff *skb,
			  const struct nv_txmeta *meta)
{
	skb->ip_summed = CHECKSUM_NONE;
	if (meta->vlan) {
		u32 v = meta->vlan_info;
		u16 tci = ((v & RNDIS_VLAN_PRI_MASK) << 13) |
			  (v & RNDIS_VLAN_CFI ? 0x1000 : 0) |
			  ((v >> RNDIS_VLAN_ID_SHIFT) & RNDIS_VLAN_ID_MASK);
		u8 *p = skb_push(skb, VLAN_HLEN);

		memmove(p, p + VLAN_HLEN, 2 * ETH_ALEN);
		p[12] = ETH_P_8021Q >> 8;
		p[13] = ETH_P_8021Q & 0xff;
		p[14] = tci >> 8;
		p[15] = tci & 0xff;
	}
	atomic64_inc(&nic->tx_frames);
	nv_switch_forward(&nic->port, skb);
}

/*
 * RSC [U]: Hyper-V's vswitch hands a large send to a VM that takes
 * coalesced packets without cutting it (the receive side of RSC over
 * VMBus); the simhost does so for an LSO send whose one destination is a
 * NIC with RSC on for its IP version: the checksum completed, the frame
 * switched whole, delivered as fragments (nv_rx_rsc()).  Else it is
 * segmented as a NIC would.
 */
static bool nv_tx_coalesce(struct nv_nic *nic, struct sk_buff *skb,
			   const struct nv_txmeta *meta, bool v6)
{
	if (!nv_switch_rsc_to(&nic->port, skb->data, v6, skb->len))
		return false;
	skb_shinfo(skb)->gso_type = 0;	/* a plain frame from here on */
	if (skb_checksum_help(skb)) {
		atomic64_inc(&nic->tx_dropped);
		kfree_skb(skb);
		return true;
	}
	nv_tx_forward(nic, skb, meta);
	return true;
}

/*
 * LSOv2: the guest gives one TCP segment of up to 64 KiB with IPv4
 * tot_len / IPv6 payload_len 0 and the pseudo-header sum without length
 * in the TCP checksum (NDIS).  Cut it into MSS-sized frames with full
 * checksums, as the host NIC would.
 */
static void nv_tx_lso(struct nv_nic *nic, struct sk_buff *skb,
		      const struct nv_txmeta *meta)
{
	u32 v = meta->lso_info, mss = v & RNDIS_LSO_MSS_MASK;
	u32 thoff = (v >> RNDIS_LSO_TCP_OFF_SHIFT) & RNDIS_LSO_TCP_OFF_MASK;
	bool v6 = v & RNDIS_LSO_IPV6;
	struct sk_buff *segs, *next;
	struct tcphdr *th;
	u32 l4len;

	if (!mss || thoff < ETH_HLEN + (v6 ? sizeof(struct ipv6hdr) :
					  sizeof(struct iphdr)) ||
	    skb->len < thoff + sizeof(*th))
		goto drop;
	skb->protocol = htons(v6 ? ETH_P_IPV6 : ETH_P_IP);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, thoff);
	th = tcp_hdr(skb);
	if (th->doff * 4 < sizeof(*th) || skb->len < thoff + th->doff * 4)
		goto drop;
	l4len = skb->len - thoff;
	if (v6) {
		struct ipv6hdr *ip6 = ipv6_hdr(skb);

		if (ip6->nexthdr != IPPROTO_TCP)
			goto drop;
		ip6->payload_len = htons(skb->len - ETH_HLEN - sizeof(*ip6));
		th->check = ~csum_ipv6_magic(&ip6->saddr, &ip6->daddr, l4len,
					     IPPROTO_TCP, 0);
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV6;
	} else {
		struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_TCP)
			goto drop;
		iph->tot_len = htons(skb->len - ETH_HLEN);
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
		th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, l4len,
					       IPPROTO_TCP, 0);
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	}
	if (!skb_partial_csum_set(skb, thoff, offsetof(struct tcphdr, check)))
		goto drop;
	if (nv_tx_coalesce(nic, skb, meta, v6))
		return;
	skb_shinfo(skb)->gso_size = mss;
	skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(l4len - th->doff * 4, mss);
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs))
		goto drop;
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		nv_tx_forward(nic, skb, meta);
	}
	return;
drop:
	atomic64_inc(&nic->tx_dropped);
	kfree_skb(skb);
}

/*
 * Queue a control message for the rx worker (it answers in a section).
 * @charge: what OpenVMM counts against its cap (handle_rndis_message()):
 * every byte of the guest's data after the 8-byte RNDIS header, whatever
 * the message's own length says.
 */
static int nv_tx_control(struct nv_nic *nic, const u8 *m, u32 len, u32 charge)
{
	struct nv_ctrl *c;

	spin_lock_bh(&nic->lock);
	if (NV_CTRL_MAX_BYTES - nic->ctrl_bytes < charge) {
		spin_unlock_bh(&nic->lock);
		return NV_R_CTRL_FULL + 1;
	}
	nic->ctrl_bytes += charge;
	spin_unlock_bh(&nic->lock);
	c = kmalloc(struct_size(c, data, len), GFP_KERNEL);
	if (!c) {
		spin_lock_bh(&nic->lock);
		nic->ctrl_bytes -= charge;
		spin_unlock_bh(&nic->lock);
		return NV_R_CTRL_FULL + 1;
	}
	c->len = len;
	c->charge = charge;
	memcpy(c->data, m, len);
	spin_lock_bh(&nic->lock);
	list_add_tail(&c->node, &nic->ctrlq);
	spin_unlock_bh(&nic->lock);
	nv_kick(nic);
	return 0;
}

/* The RNDIS messages of one SEND_RNDIS_PKT (@len bytes, a private copy). */
static int nv_tx_rndis(struct nv_chan *nc, const u8 *buf, u32 len)
{
	struct nv_nic *nic = nc->nic;
	struct rndis_msg_hdr mh;
	u32 pos = 0;
	int r;

	if (len < 8)
		return NV_R_RNDIS_LEN + 1;
	memcpy(&mh, buf, sizeof(mh));
	if (mh.type != RNDIS_MSG_PACKET) {
		/*
		 * OpenVMM handle_rndis_message(): the message's own length is
		 * not looked at; all the data is the message
		 */
		if (sim_chan_subidx(nc->chan))
			return NV_R_SUBCHAN_CTRL + 1;
		if (mh.type == RNDIS_MSG_HALT)
			return 0;	/* ignored, no reply (OpenVMM) */
		if (len == 8)
			return NV_R_RNDIS_LEN + 1;	/* nothing after the header */
		return nv_tx_control(nic, buf, len, len - 8);
	}
	while (pos < len) {
		u32 type, mlen;

		if (len - pos < 8)
			return NV_R_RNDIS_LEN + 1;
		memcpy(&mh, buf + pos, sizeof(mh));
		type = mh.type;
		mlen = mh.len;
		if (type != RNDIS_MSG_PACKET)
			return NV_R_RNDIS_TYPE + 1;
		if (mlen < 8)
			return NV_R_RNDIS_LEN + 1;
		r = nv_tx_packet(nic, buf + pos, len - pos);
		if (r)
			return r;
		if (mlen > len - pos)
			break;
		pos += mlen;
	}
	return 0;
}

/* Copy the GPA-direct ranges of @pkt into @out (at most NV_BOUNCE). */
static int nv_copy_gpa(const void *pkt, u32 len, u8 *out, u32 *outlen)
{
	const struct vmbus_pkt_desc *d = pkt;
	const struct vmbus_pkt_gpa_direct *g = pkt;
	u32 hdr = (u32)d->offset8 * 8, pos = sizeof(*g), i, got = 0;

	if (len < sizeof(*g) || hdr > len || !g->range_cnt)
		return -EINVAL;
	for (i = 0; i < g->range_cnt; i++) {
		const struct vmbus_gpa_range *r;
		u32 npfn, j, off, left;

		if (hdr - pos < sizeof(*r))
			return -EINVAL;
		r = (const void *)((const u8 *)pkt + pos);
		if (r->byte_offset >= HV_PAGE_SIZE || !r->byte_count)
			return -EINVAL;
		npfn = DIV_ROUND_UP((u64)r->byte_offset + r->byte_count,
				    HV_PAGE_SIZE);
		if ((hdr - pos - sizeof(*r)) / 8 < npfn)
			return -EINVAL;
		if (r->byte_count > NV_BOUNCE - got)
			return -E2BIG;
		off = r->byte_offset;
		left = r->byte_count;
		for (j = 0; j < npfn && left; j++) {
			u64 pfn = r->pfn[j];
			u32 n = min_t(u32, left, HV_PAGE_SIZE - off);
			void *va;

			if (!pfn_valid(pfn) || !page_is_ram(pfn))
				return -EFAULT;
			va = sim_kmap(pfn_to_page(pfn));
			memcpy(out + got, (u8 *)va + off, n);
			sim_kunmap(va);
			got += n;
			left -= n;
			off = 0;
		}
		pos += sizeof(*r) + 8 * npfn;
	}
	*outlen = got;
	return 0;
}

static void nv_rndis_pkt(struct nv_chan *nc, const struct vmbus_pkt_desc *d,
			 const void *pkt, u32 len, const struct nvsp_msg *p,
			 u32 plen)
{
	struct nvsp_msg c = { .type = NVSP_MSG_RNDIS_PKT_COMPLETE };
	struct nv_nic *nic = nc->nic;
	u32 idx, size, mlen = 0;
	int r = 0;

	if (plen < NVSP_MIN_LEN(rndis_pkt)) {
		r = NV_R_MALFORMED + 1;
		goto out;
	}
	if (!nic->rbuf || nc->revoked ||
	    (nic->version >= NVSP_VERSION_2 && !nic->have_cfg) || !nic->have_ndis_ver) {
		r = NV_R_ORDER + 1;
		goto out;
	}
	idx = p->u.rndis_pkt.section_index;
	size = p->u.rndis_pkt.section_size;
	if (idx != NVSP_NO_SECTION) {
		u64 start = (u64)idx * NV_SEND_SECTION_SIZE;

		if (!nic->sbuf || start > nic->sbuf_len ||
		    nic->sbuf_len - start < size || size > NV_BOUNCE) {
			r = NV_R_SECTION + 1;
			goto out;
		}
		/* a private copy: the guest may change its buffer meanwhile */
		memcpy(nc->bounce, nic->sbuf + start, size);
		mlen = size;
	} else if (d->type == VMBUS_PKT_DATA_USING_GPA_DIRECT) {
		if (nv_copy_gpa(pkt, len, nc->bounce, &mlen)) {
			r = NV_R_GPA + 1;
			goto out;
		}
	} else {
		r = NV_R_SECTION + 1;
		goto out;
	}
	r = nv_tx_rndis(nc, nc->bounce, mlen);
out:
	c.u.rndis_pkt_complete.status = NVSP_STATUS_SUCCESS;
	if (r) {
		nv_refuse(nc->chan, r - 1, "SEND_RNDIS_PKT");
		atomic64_inc(&nic->tx_refused);
		c.u.rndis_pkt_complete.status = NVSP_STATUS_FAIL;
	}
	if (!r)
		atomic64_inc(&nic->ch_tx[sim_chan_subidx(nc->chan) %
					 NV_MAX_CHANNELS]);
	if (d->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED)
		nv_complete(nc->chan, nic, d->trans_id, &c);
}

/* ---- NVSP control ---- */

static bool nv_version_ok(u32 v)
{
	unsigned int i;
	u32 cap = READ_ONCE(nv_st.version_cap);

	if (v > netvsp_version || (cap && v > cap))
		return false;
	for (i = 0; i < ARRAY_SIZE(nv_versions); i++)
		if (nv_versions[i] == v)
			return true;
	return false;
}

static void nv_init(struct nv_chan *nc, const struct vmbus_pkt_desc *d,
		    const struct nvsp_msg *p, u32 plen)
{
	struct nvsp_msg c = { .type = NVSP_MSG_INIT_COMPLETE };
	struct nv_nic *nic = nc->nic;
	u32 v;

	if (plen < NVSP_MIN_LEN(init) || nic->version) {
		nv_refuse(nc->chan, nic->version ? NV_R_ORDER : NV_R_MALFORMED,
			  "INIT");
		return;
	}
	c.u.init_complete.negotiated_version = NVSP_VERSION_INVALID;
	c.u.init_complete.max_mdl_chain_length = 34;
	c.u.init_complete.status = NVSP_STATUS_NONE;
	/* OpenVMM looks at the first version field only */
	v = p->u.init.min_version;
	if (nv_version_ok(v)) {
		if (v == NVSP_VERSION_1)
			c.u.init_complete.negotiated_version = NVSP_VERSION_1;
		c.u.init_complete.status = NVSP_STATUS_SUCCESS;
	} else {
		atomic64_inc(&nv_st.refused[NV_R_VERSION]);
		pr_info("nic %u: NVSP version %#x refused\n", nic->index, v);
	}
	nv_complete(nc->chan, nic, d->trans_id, &c);
	if (c.u.init_complete.status == NVSP_STATUS_SUCCESS) {
		nic->version = v;
		nic->msg_size = v >= NVSP_VERSION_61 ? NVSP_MSG_SIZE :
						       NVSP_MSG_SIZE_V1;
	}
}

static void nv_recv_buf(struct nv_chan *nc, const struct vmbus_pkt_desc *d,
			const struct nvsp_msg *p, u32 plen)
{
	struct nvsp_msg c = { .type = NVSP_MSG_SEND_RECV_BUF_COMPLETE };
	struct nvsp_send_recv_buf_complete *rc = &c.u.recv_buf_complete;
	struct nv_nic *nic = nc->nic;
	u32 mtu, gpadl, len = 0;
	u8 *va = NULL;
	int ret;

	rc->status = NVSP_STATUS_FAIL;
	if (plen < NVSP_MIN_LEN(send_buf)) {
		nv_refuse(nc->chan, NV_R_MALFORMED, "SEND_RECV_BUF");
		return;
	}
	gpadl = p->u.send_buf.gpadl;
	if (nic->rbuf || (nic->version >= NVSP_VERSION_2 && !nic->have_cfg)) {
		nv_refuse(nc->chan, NV_R_ORDER,
			  "SEND_RECV_BUF twice or before NDIS config");
		goto reply;
	}
	mtu = nic->have_cfg ? nic->mtu : NV_MTU_DEFAULT;
	ret = nv_gpadl_pin(nc->chan, gpadl, &va, &len);
	if (ret) {
		nv_refuse(nc->chan, NV_R_BUFFER, "SEND_RECV_BUF: GPADL unknown, in use or not one aligned range");
		goto reply;
	}
	nic->sub_size = NV_RX_HEADER_LEN + mtu + NV_RX_FOOTER_LEN;
	nic->nsec = len / nic->sub_size;
	if (!nic->nsec) {
		nv_refuse(nc->chan, NV_R_BUFFER, "SEND_RECV_BUF: buffer smaller than one sub-allocation");
		goto unpin;
	}
	nic->sec_state = kvzalloc(nic->nsec, GFP_KERNEL);
	nic->sec_next = kvcalloc(nic->nsec, sizeof(u32), GFP_KERNEL);
	if (!nic->sec_state || !nic->sec_next) {
		kvfree(nic->sec_state);
		kvfree(nic->sec_next);
		nic->sec_state = NULL;
		nic->sec_next = NULL;
		goto unpin;
	}
	nic->nfree = nic->nsec;
	nic->rbuf_gpadl = gpadl;
	nic->rbuf_len = len;
	nic->rbuf_id = p->u.send_buf.id;
	nic->rbuf = va;
	rc->status = NVSP_STATUS_SUCCESS;
	rc->num_sections = 1;
	rc->sections[0].offset = 0;
	rc->sections[0].sub_alloc_size = nic->sub_size;
	rc->sections[0].num_sub_allocs = nic->nsec;
	rc->sections[0].end_offset = nic->sub_size * nic->nsec;
	nv_complete(nc->chan, nic, d->trans_id, &c);
	WRITE_ONCE(nic->active, true);
	return;
unpin:
	if (!nv_sim_lock(nc->chan)) {
		nv_gpadl_unpin_locked(nc->chan, gpadl);
		mutex_unlock(&sim.lock);
	}
reply:
	if (d->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED)
		nv_complete(nc->chan, nic, d->trans_id, &c);
}

static void nv_send_buf(struct nv_chan *nc, const struct vmbus_pkt_desc *d,
			const struct nvsp_msg *p, u32 plen)
{
	struct nvsp_msg c = { .type = NVSP_MSG_SEND_SEND_BUF_COMPLETE };
	struct nv_nic *nic = nc->nic;
	u32 gpadl, len = 0;
	u8 *va = NULL;

	c.u.send_buf_complete.status = NVSP_STATUS_FAIL;
	if (plen < NVSP_MIN_LEN(send_buf)) {
		nv_refuse(nc->chan, NV_R_MALFORMED, "SEND_SEND_BUF");
		return;
	}
	gpadl = p->u.send_buf.gpadl;
	if (nic->sbuf) {
		nv_refuse(nc->chan, NV_R_ORDER, "SEND_SEND_BUF twice");
	} else if (nv_gpadl_pin(nc->chan, gpadl, &va, &len)) {
		nv_refuse(nc->chan, NV_R_BUFFER, "SEND_SEND_BUF: GPADL unknown, in use or not one aligned range");
	} else {
		nic->sbuf = va;
		nic->sbuf_len = len;
		nic->sbuf_gpadl = gpadl;
		c.u.send_buf_complete.status = NVSP_STATUS_SUCCESS;
		c.u.send_buf_complete.section_size = NV_SEND_SECTION_SIZE;
	}
	if (d->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED)
		nv_complete(nc->chan, nic, d->trans_id, &c);
}

static void nv_stop_rx(struct nv_nic *nic)
{
	WRITE_ONCE(nic->active, false);
	cancel_work_sync(&nic->rx_work);
	skb_queue_purge(&nic->rxq);
}

/* OpenVMM: a revoked buffer ends the channel's processing. */
static void nv_revoke(struct nv_chan *nc, bool recv)
{
	struct nv_nic *nic = nc->nic;

	nc->revoked = true;
	nv_stop_rx(nic);
	if (nv_sim_lock(nc->chan))
		return;
	if (recv && nic->rbuf) {
		nv_gpadl_unpin_locked(nc->chan, nic->rbuf_gpadl);
		nic->rbuf = NULL;
	}
	if (!recv && nic->sbuf) {
		nv_gpadl_unpin_locked(nc->chan, nic->sbuf_gpadl);
		nic->sbuf = NULL;
	}
	mutex_unlock(&sim.lock);
}

static void nv_subchannel(struct nv_chan *nc, const struct vmbus_pkt_desc *d,
			  const struct nvsp_msg *p, u32 plen)
{
	struct nvsp_msg c = { .type = NVSP_MSG_SUBCHANNEL };
	struct nv_nic *nic = nc->nic;
	struct sim_chan *chan = nc->chan;
	u32 op, num;

	c.u.subchan_complete.status = NVSP_STATUS_FAIL;
	if (plen < NVSP_MIN_LEN(subchan_req)) {
		nv_refuse(chan, NV_R_MALFORMED, "SUBCHANNEL");
		return;
	}
	op = p->u.subchan_req.op;
	num = p->u.subchan_req.num_subchannels;
	if (op == NVSP_SUBCHANNEL_ALLOCATE && num < nv_max_queues() && nic->rbuf &&
	    nic->nsec / (num + 1) >= 16) {
		/* already offered ones (a reload) are offered again by VMBus */
		u32 more = num > chan->nsubs ? num - chan->nsubs : 0;

		if (!more || !sim_offer_subchannels(chan, more)) {
			c.u.subchan_complete.status = NVSP_STATUS_SUCCESS;
			c.u.subchan_complete.num_subchannels = num;
			spin_lock_bh(&nic->lock);
			nic->nsubs_granted = num;
			/* OpenVMM: tx_spread_sent = false */
			nic->send_table_due = false;
			spin_unlock_bh(&nic->lock);
		}
	} else {
		pr_warn_ratelimited("nic %u: sub-channel request op %u num %u refused\n",
				    nic->index, op, num);
	}
	nv_complete(chan, nic, d->trans_id, &c);
}

static void nv_guest_completion(struct nv_chan *nc,
				const struct vmbus_pkt_desc *d,
				const void *pkt, u32 len)
{
	struct nv_nic *nic = nc->nic;
	const struct nvsp_msg *p;
	u32 plen;
	u64 id = d->trans_id;
	bool ok;

	/* OpenVMM: completions of its VF messages are taken, not read */
	if (id == NV_VF_ASSOC_TID || id == NV_SWITCH_DP_TID)
		return;
	p = sim_pkt_payload(pkt, len, &plen);
	if (!p || plen < NVSP_MIN_LEN(rndis_pkt_complete) ||
	    p->type != NVSP_MSG_RNDIS_PKT_COMPLETE) {
		nv_refuse(nc->chan, NV_R_MALFORMED, "completion is not SEND_RNDIS_PKT_COMPLETE");
		return;
	}
	if ((id & ~0xffffull) == NV_FAULT_ID)
		return;		/* the answer to a fault packet */
	spin_lock_bh(&nic->lock);
	ok = nic->sec_state && id < nic->nsec && nic->sec_state[id] == 1;
	spin_unlock_bh(&nic->lock);
	if (!ok) {
		atomic64_inc(&nic->bad_comp);
		nv_refuse(nc->chan, NV_R_COMPLETION, "receive completion for an id not outstanding");
		return;
	}
	nv_section_put_chain(nic, id);
	nv_kick(nic);
}

static void nv_packet(struct sim_chan *chan, const void *pkt, u32 len)
{
	struct nv_chan *nc = sim_chan_get_priv(chan);
	const struct vmbus_pkt_desc *d = pkt;
	struct nvsp_msg m = {}, c = {};
	struct nv_nic *nic;
	const struct nvsp_msg *p = &m;
	const void *payload;
	u32 plen, type;

	if (!nc)
		return;
	nic = nc->nic;
	/* OpenVMM: after a worker error the primary's ring is not read */
	if (!sim_chan_subidx(chan) && READ_ONCE(nic->stopped)) {
		nv_refuse(chan, NV_R_STOPPED, "primary channel no longer served");
		return;
	}
	if (d->type == VMBUS_PKT_COMP) {
		nv_guest_completion(nc, d, pkt, len);
		return;
	}
	payload = sim_pkt_payload(pkt, len, &plen);
	if (!payload || plen < 4 ||
	    (d->type != VMBUS_PKT_DATA_INBAND &&
	     d->type != VMBUS_PKT_DATA_USING_GPA_DIRECT)) {
		nv_refuse(chan, NV_R_MALFORMED, "packet type or framing");
		return;
	}
	/* a private copy of the message: the ring is guest memory */
	memcpy(&m, payload, min_t(u32, plen, sizeof(m)));
	type = m.type;
	if (type == NVSP_MSG_RNDIS_PKT && nic->version) {
		nv_rndis_pkt(nc, d, pkt, len, p, plen);
		return;
	}
	if (d->type != VMBUS_PKT_DATA_INBAND || sim_chan_subidx(chan) ||
	    (!nic->version && type != NVSP_MSG_INIT)) {
		nv_refuse(chan, NV_R_ORDER, "NVSP message not valid here");
		return;
	}
	switch (type) {
	case NVSP_MSG_INIT:
		nv_init(nc, d, p, plen);
		return;
	case NVSP_MSG_NDIS_CONFIG:
		if (nic->version < NVSP_VERSION_2 || nic->have_cfg ||
		    plen < NVSP_MIN_LEN(ndis_config.mtu))
			break;
		nic->mtu = p->u.ndis_config.mtu;
		/* as the vmswitch: an invalid MTU means the default */
		if (nic->mtu < NV_MTU_DEFAULT || nic->mtu > NV_MTU_MAX)
			nic->mtu = NV_MTU_DEFAULT;
		nic->cfg_caps = plen >= NVSP_MIN_LEN(ndis_config) ?
				p->u.ndis_config.capabilities : 0;
		nic->have_cfg = true;
		if (d->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED)
			nv_complete_empty(chan, d->trans_id);
		return;
	case NVSP_MSG_NDIS_VER:
		if (nic->have_ndis_ver || plen < NVSP_MIN_LEN(ndis_ver))
			break;
		nic->ndis_major = p->u.ndis_ver.major;
		nic->ndis_minor = p->u.ndis_ver.minor;
		nic->have_ndis_ver = true;
		if (d->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED)
			nv_complete_empty(chan, d->trans_id);
		return;
	case NVSP_MSG_SEND_RECV_BUF:
		nv_recv_buf(nc, d, p, plen);
		return;
	case NVSP_MSG_SEND_SEND_BUF:
		nv_send_buf(nc, d, p, plen);
		return;
	case NVSP_MSG_REVOKE_RECV_BUF:
	case NVSP_MSG_REVOKE_SEND_BUF:
		nv_revoke(nc, type == NVSP_MSG_REVOKE_RECV_BUF);
		return;
	case NVSP_MSG_SUBCHANNEL:
		if (nic->version < NVSP_VERSION_5)
			break;
		nv_subchannel(nc, d, p, plen);
		return;
	case NVSP_MSG_SWITCH_DATA_PATH:
		if (nic->version < NVSP_VERSION_4 ||
		    plen < NVSP_MIN_LEN(switch_dp))
			break;
		nv_switch_dp(nic, chan, d, p->u.switch_dp.active_datapath);
		return;
	case NVSP_MSG5_OID_QUERY_EX:
		if (nic->version < NVSP_VERSION_5)
			break;
		/* {status, bytes}: the layout of a SUBCHANNEL completion */
		c.type = NVSP_MSG5_OID_QUERY_EX_COMP;
		c.u.subchan_complete.status = RNDIS_STATUS_NOT_SUPPORTED;
		nv_complete(chan, nic, d->trans_id, &c);
		return;
	default:
		nv_refuse(chan, NV_R_UNKNOWN, "unknown NVSP message type");
		return;
	}
	nv_refuse(chan, NV_R_ORDER, "NVSP message repeated, short or above the version");
}

/* ---- channel lifetime ---- */

static void nv_nic_release(struct kref *ref)
{
	struct nv_nic *nic = container_of(ref, struct nv_nic, ref);
	struct nv_ctrl *c, *tmp;

	list_for_each_entry_safe(c, tmp, &nic->ctrlq, node)
		kfree(c);
	kvfree(nic->sec_state);
	kvfree(nic->sec_next);
	kfree(nic);
}

static int nv_open(struct sim_chan *chan)
{
	struct sim_chan *primary = sim_chan_primary(chan);
	struct nv_chan *nc, *pnc;
	struct nv_nic *nic;
	unsigned int sub = sim_chan_subidx(chan);

	if (sub >= NV_MAX_CHANNELS || sim_chan_index(chan) >= ARRAY_SIZE(nv_nics))
		return -EINVAL;
	nc = kzalloc(sizeof(*nc), GFP_KERNEL);
	if (!nc)
		return -ENOMEM;
	nc->bounce = kvmalloc(NV_BOUNCE, GFP_KERNEL);
	if (!nc->bounce) {
		kfree(nc);
		return -ENOMEM;
	}
	nc->chan = chan;
	if (primary != chan) {
		pnc = sim_chan_get_priv(primary);
		if (!pnc)
			goto fail;
		nic = pnc->nic;
		kref_get(&nic->ref);
	} else {
		nic = kzalloc(sizeof(*nic), GFP_KERNEL);
		if (!nic)
			goto fail;
		kref_init(&nic->ref);
		nic->index = sim_chan_index(chan);
		spin_lock_init(&nic->lock);
		skb_queue_head_init(&nic->rxq);
		INIT_LIST_HEAD(&nic->ctrlq);
		INIT_WORK(&nic->rx_work, nv_rx_work);
		nic->port.kind = "nic";
		nic->port.index = nic->index;
		nic->port.deliver = nv_nic_deliver;
		nic->port.rsc_on = nv_nic_rsc_on;
		nv_nic_mac(nic->index, nic->port.mac);
		nic->link_up = true;	/* the guest asks at init */
		mutex_lock(&nv_nics_lock);
		nv_nics[nic->index] = nic;
		mutex_unlock(&nv_nics_lock);
		nv_switch_attach(&nic->port);
	}
	nc->nic = nic;
	spin_lock_bh(&nic->lock);
	nic->chans[sub] = chan;
	nic->ch_relid[sub] = sim_chan_relid(chan);
	/* OpenVMM: the send table once every granted channel is open */
	if (sub && nic->nsubs_granted) {
		unsigned int i, open = 0;

		for (i = 0; i < NV_MAX_CHANNELS; i++)
			open += !!nic->chans[i];
		if (open == nic->nsubs_granted + 1)
			nic->send_table_due = true;
	}
	spin_unlock_bh(&nic->lock);
	sim_chan_set_priv(chan, nc);
	nv_kick(nic);
	return 0;
fail:
	kvfree(nc->bounce);
	kfree(nc);
	return -ENOMEM;
}

/* Called with sim.lock held, after the channel's I/O stopped. */
static void nv_close(struct sim_chan *chan)
{
	struct nv_chan *nc = sim_chan_get_priv(chan);
	struct nv_nic *nic;

	if (!nc)
		return;
	nic = nc->nic;
	if (sim_chan_primary(chan) == chan) {
		nv_switch_detach(&nic->port);
		mutex_lock(&nv_nics_lock);
		nv_nics[nic->index] = NULL;
		mutex_unlock(&nv_nics_lock);
		nv_stop_rx(nic);
		if (nic->rbuf)
			nv_gpadl_unpin_locked(chan, nic->rbuf_gpadl);
		if (nic->sbuf)
			nv_gpadl_unpin_locked(chan, nic->sbuf_gpadl);
		nic->rbuf = NULL;
		nic->sbuf = NULL;
	}
	spin_lock_bh(&nic->lock);
	nic->chans[sim_chan_subidx(chan)] = NULL;
	spin_unlock_bh(&nic->lock);
	/* the rx worker may be sending on this channel */
	flush_work(&nic->rx_work);
	kref_put(&nic->ref, nv_nic_release);
	kvfree(nc->bounce);
	kfree(nc);
}

void nv_visit_nics(nv_nic_fn_t fn, void *arg)
{
	unsigned int i;

	mutex_lock(&nv_nics_lock);
	for (i = 0; i < ARRAY_SIZE(nv_nics); i++)
		if (nv_nics[i])
			fn(nv_nics[i], arg);
	mutex_unlock(&nv_nics_lock);
}

const struct sim_dev_class sim_nic_class = {
	.name = "nic",
	.id = 0x09,
	.if_type = HV_NIC_GUID,
	.open = nv_open,
	.packet = nv_packet,
	.close = nv_close,
};
