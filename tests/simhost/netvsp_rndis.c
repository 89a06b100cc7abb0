// SPDX-License-Identifier: GPL-2.0-only
/*
 * NetVSP RNDIS control messages: INITIALIZE, QUERY, SET, KEEPALIVE and
 * the host's INDICATE_STATUS, answered the way OpenVMM's netvsp does
 * (lib.rs handle_rndis_control_message, handle_oid_query/set).  Runs in
 * the NIC's rx worker, which owns the receive-buffer sub-allocations:
 * every answer goes into one sub-allocation and to the guest as a
 * control-channel transfer-page packet on the primary channel.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": netvsp: " fmt

#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "netvsp.h"

/* OIDs rndis.h does not name (OpenVMM rndisprot.rs) */
#define OID_GEN_HARDWARE_STATUS		0x00010102
#define OID_GEN_MEDIA_SUPPORTED		0x00010103
#define OID_GEN_MEDIA_IN_USE		0x00010104
#define OID_GEN_MAXIMUM_LOOKAHEAD	0x00010105
#define OID_GEN_TRANSMIT_BUFFER_SPACE	0x00010108
#define OID_GEN_RECEIVE_BUFFER_SPACE	0x00010109
#define OID_GEN_TRANSMIT_BLOCK_SIZE	0x0001010A
#define OID_GEN_RECEIVE_BLOCK_SIZE	0x0001010B
#define OID_GEN_VENDOR_ID		0x0001010C
#define OID_GEN_VENDOR_DESCRIPTION	0x0001010D
#define OID_GEN_CURRENT_LOOKAHEAD	0x0001010F
#define OID_GEN_DRIVER_VERSION		0x00010110
#define OID_GEN_PROTOCOL_OPTIONS	0x00010112
#define OID_GEN_MAC_OPTIONS		0x00010113
#define OID_GEN_MAXIMUM_SEND_PACKETS	0x00010115
#define OID_GEN_VENDOR_DRIVER_VERSION	0x00010116
#define OID_GEN_NETWORK_LAYER_ADDRESSES	0x00010118
#define OID_GEN_MAX_LINK_SPEED		0x00010206
#define OID_GEN_LINK_STATE		0x00010207
#define OID_GEN_LINK_PARAMETERS		0x00010208
#define OID_GEN_BYTES_RCV		0x00020219
#define OID_GEN_BYTES_XMIT		0x0002021A
#define OID_802_3_RCV_ERROR_ALIGNMENT	0x01020101
#define OID_802_3_XMIT_ONE_COLLISION	0x01020102
#define OID_802_3_XMIT_MORE_COLLISIONS	0x01020103

#define NV_NDIS_OBJ_OFFLOAD_ENCAP	0xA8	/* not in rndis.h */
#define NDIS_ENCAP_802_3		2
#define NV_LSO_MAX_OFFLOAD		0xf53c	/* OpenVMM LSO_MAX_OFFLOAD_SIZE */
#define NDIS_LINK_SPEED_BPS		10000000000ull	/* 10 Gbps */

static const u32 oids_common[] = {
	RNDIS_OID_GEN_SUPPORTED_LIST, OID_GEN_HARDWARE_STATUS,
	OID_GEN_MEDIA_SUPPORTED, OID_GEN_MEDIA_IN_USE,
	OID_GEN_MAXIMUM_LOOKAHEAD, OID_GEN_CURRENT_LOOKAHEAD,
	RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE, RNDIS_OID_GEN_MAXIMUM_TOTAL_SIZE,
	OID_GEN_TRANSMIT_BLOCK_SIZE, OID_GEN_RECEIVE_BLOCK_SIZE,
	RNDIS_OID_GEN_LINK_SPEED, OID_GEN_TRANSMIT_BUFFER_SPACE,
	OID_GEN_RECEIVE_BUFFER_SPACE, OID_GEN_VENDOR_ID,
	OID_GEN_VENDOR_DESCRIPTION, OID_GEN_VENDOR_DRIVER_VERSION,
	OID_GEN_DRIVER_VERSION, RNDIS_OID_GEN_CURRENT_PACKET_FILTER,
	OID_GEN_PROTOCOL_OPTIONS, OID_GEN_MAC_OPTIONS,
	RNDIS_OID_GEN_MEDIA_CONNECT_STATUS, OID_GEN_MAXIMUM_SEND_PACKETS,
	OID_GEN_NETWORK_LAYER_ADDRESSES, RNDIS_OID_GEN_FRIENDLY_NAME,
	RNDIS_OID_802_3_PERMANENT_ADDRESS, RNDIS_OID_802_3_CURRENT_ADDRESS,
	RNDIS_OID_802_3_MULTICAST_LIST, RNDIS_OID_802_3_MAXIMUM_LIST_SIZE,
	OID_802_3_RCV_ERROR_ALIGNMENT, OID_802_3_XMIT_ONE_COLLISION,
	OID_802_3_XMIT_MORE_COLLISIONS, RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER,
};

static const u32 oids_ndis6[] = {
	OID_GEN_LINK_PARAMETERS, OID_GEN_LINK_STATE, OID_GEN_MAX_LINK_SPEED,
	OID_GEN_BYTES_RCV, OID_GEN_BYTES_XMIT, RNDIS_OID_TCP_OFFLOAD_PARAMETERS,
	RNDIS_OID_OFFLOAD_ENCAPSULATION, RNDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES,
	RNDIS_OID_TCP_OFFLOAD_CURRENT_CONFIG,
};

static const u32 oids_ndis630[] = {
	RNDIS_OID_GEN_RECEIVE_SCALE_CAPABILITIES, RNDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS,
};

/* What this host offers: checksums both ways, LSOv2; no RSC. */
#define NV_CSUM_ALL	0x1f	/* ip4hdr tcp4 udp4 tcp6 udp6 */

static void csum_words(u32 en, u32 *v4, u32 *v6)
{
	*v4 = 0;
	*v6 = 0;
	if (en & 1)
		*v4 |= NDIS_CSUM_CAP_IP_OPT | NDIS_CSUM_CAP_IP4;
	if (en & 2)
		*v4 |= NDIS_CSUM_CAP_IP_OPT | NDIS_CSUM_CAP_TCP_OPT | NDIS_CSUM_CAP_TCP;
	if (en & 4)
		*v4 |= NDIS_CSUM_CAP_IP_OPT | NDIS_CSUM_CAP_UDP;
	if (en & 8)
		*v6 |= NDIS_CSUM_CAP_IP_OPT | NDIS_CSUM_CAP_TCP_OPT | NDIS_CSUM_CAP_TCP;
	if (en & 16)
		*v6 |= NDIS_CSUM_CAP_IP_OPT | NDIS_CSUM_CAP_UDP;
}

/*
 * RSC is offered to a guest that said in its NDIS config that it takes
 * coalesced packets over VMBus (capability bit 7: OpenVMM protocol.rs
 * rsc_over_vmbus; Linux sets it from NVSP 6.1) and speaks NVSP 6.1 and
 * NDIS 6.30 (the RSC fields of NDIS_OFFLOAD revision 3).  OpenVMM offers
 * no RSC (rsc 0 in ndis_offload(), lib.rs); Hyper-V does.
 */
bool nv_rsc_offered(const struct nv_nic *nic)
{
	return nic->version >= NVSP_VERSION_61 &&
	       (nic->cfg_caps & NVSP_CAP_RSC) &&
	       (nic->ndis_major > 6 ||
		(nic->ndis_major == 6 && nic->ndis_minor >= 30));
}

/* NDIS_OFFLOAD revision 3 (156 bytes): capabilities or current config. */
u32 nv_offload_config(const struct nv_nic *nic, u8 *buf, u32 len,
		      bool hw_caps)
{
	u32 tx = hw_caps ? NV_CSUM_ALL : nic->csum_tx;
	u32 rx = hw_caps ? NV_CSUM_ALL : nic->csum_rx;
	struct ndis_offload_caps o = {
		.hdr.type = NDIS_OBJ_TYPE_OFFLOAD,
		.hdr.revision = NDIS_OFFLOAD_REV_3,
		.hdr.size = NDIS_OFFLOAD_SIZE_6_30,
		.csum.ip4_tx_encap = NDIS_ENCAP_802_3,
		.csum.ip4_rx_encap = NDIS_ENCAP_802_3,
		.csum.ip6_tx_encap = NDIS_ENCAP_802_3,
		.csum.ip6_rx_encap = NDIS_ENCAP_802_3,
	};

	if (len < sizeof(o))
		return 0;
	csum_words(tx, &o.csum.ip4_tx, &o.csum.ip6_tx);
	csum_words(rx, &o.csum.ip4_rx, &o.csum.ip6_rx);
	/* LSOv2 (OpenVMM's sizes); LSOv1, IPsec: not offered; RSC below */
	if (hw_caps || nic->lso4) {
		o.lsov2.ip4_encap = NDIS_ENCAP_802_3;
		o.lsov2.ip4_max_size = NV_LSO_MAX_OFFLOAD;
		o.lsov2.ip4_min_segs = 2;
	}
	if (hw_caps || nic->lso6) {
		o.lsov2.ip6_encap = NDIS_ENCAP_802_3;
		o.lsov2.ip6_max_size = NV_LSO_MAX_OFFLOAD;
		o.lsov2.ip6_min_segs = 2;
		o.lsov2.ip6_opts = NDIS_LSOV2_CAP_IP6_EXT |
				   NDIS_LSOV2_CAP_TCP6_OPT;
	}
	if (nv_rsc_offered(nic)) {
		o.rsc_ip4 = hw_caps || nic->rsc4;	/* NDIS_OFFLOAD_SUPPORTED */
		o.rsc_ip6 = hw_caps || nic->rsc6;
	}
	memcpy(buf, &o, sizeof(o));
	return sizeof(o);
}

/* Write @len bytes of RNDIS message into a fresh sub-allocation, send it. */
static int nv_reply(struct nv_nic *nic, const u8 *msg, u32 len)
{
	struct sim_chan *chan;
	u32 sec;
	int s;

	if (len > nic->sub_size)
		return -EMSGSIZE;
	s = nv_section_get(nic);
	if (s < 0)
		return -EAGAIN;
	spin_lock_bh(&nic->lock);
	chan = nic->chans[0];
	spin_unlock_bh(&nic->lock);
	if (!chan) {
		nv_section_put_chain(nic, s);
		return -ESHUTDOWN;
	}
	sec = s;
	memcpy(nic->rbuf + (size_t)sec * nic->sub_size, msg, len);
	return nv_send_rndis_sections(nic, chan, NVSP_CHANNEL_CONTROL, &sec, &len,
				      1);
}

int nv_rndis_indicate(struct nv_nic *nic, u32 status, const void *buf,
		      u32 len)
{
	u32 hl = RNDIS_HDR_SIZE + sizeof(struct rndis_indicate_status);
	struct rndis_msg_hdr mh = { .type = RNDIS_MSG_INDICATE };
	struct rndis_indicate_status is = {
		.status = status,
		.status_buf_len = len,
		/* from the body start, as OpenVMM and Linux count it */
		.status_buf_offset = len ? sizeof(is) : 0,
	};
	u8 msg[64 + 160];

	if (len > sizeof(msg) - hl || !nic->nfree)
		return -EAGAIN;
	mh.len = hl + len;
	memcpy(msg, &mh, sizeof(mh));
	memcpy(msg + RNDIS_HDR_SIZE, &is, sizeof(is));
	if (len)
		memcpy(msg + hl, buf, len);
	nv_reply(nic, msg, hl + len);
	return 0;
}

static u32 put_oids(u8 *out, u32 pos, const u32 *o, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		nv_put32(out, pos + 4 * i, o[i]);
	return pos + 4 * n;
}

/* The answer to a QUERY into @out (room @room); RNDIS status. */
static u32 nv_query(struct nv_nic *nic, u32 oid, u8 *out, u32 room, u32 *n)
{
	u32 mtu = nic->have_cfg ? nic->mtu : NV_MTU_DEFAULT;
	u32 v;

	*n = 4;
	switch (oid) {
	case RNDIS_OID_GEN_SUPPORTED_LIST:
		if (nic->ndis_major != 5 && nic->ndis_major != 6)
			return NV_RNDIS_STATUS_BAD_VERSION;
		*n = put_oids(out, 0, oids_common, ARRAY_SIZE(oids_common));
		if (nic->ndis_major == 6) {
			*n = put_oids(out, *n, oids_ndis6, ARRAY_SIZE(oids_ndis6));
			if (nic->ndis_minor >= 30)
				*n = put_oids(out, *n, oids_ndis630,
					      ARRAY_SIZE(oids_ndis630));
		}
		return RNDIS_STATUS_SUCCESS;
	case OID_GEN_HARDWARE_STATUS:
	case OID_GEN_MEDIA_SUPPORTED:
	case OID_GEN_MEDIA_IN_USE:
	case RNDIS_OID_GEN_CURRENT_PACKET_FILTER:
	case RNDIS_OID_802_3_MAXIMUM_LIST_SIZE:
	case OID_802_3_RCV_ERROR_ALIGNMENT:
	case OID_802_3_XMIT_ONE_COLLISION:
	case OID_802_3_XMIT_MORE_COLLISIONS:
		v = 0;
		break;
	case OID_GEN_MAXIMUM_LOOKAHEAD:
	case OID_GEN_CURRENT_LOOKAHEAD:
	case RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE:
		v = mtu - ETH_HLEN;
		break;
	case RNDIS_OID_GEN_MAXIMUM_TOTAL_SIZE:
	case OID_GEN_TRANSMIT_BLOCK_SIZE:
	case OID_GEN_RECEIVE_BLOCK_SIZE:
		v = mtu;
		break;
	case RNDIS_OID_GEN_LINK_SPEED:
		v = (u32)div_u64(NDIS_LINK_SPEED_BPS, 100);
		break;
	case OID_GEN_TRANSMIT_BUFFER_SPACE:
	case OID_GEN_RECEIVE_BUFFER_SPACE:
		v = 256 * 1024;
		break;
	case OID_GEN_VENDOR_ID:
		v = 0x155d;
		break;
	case OID_GEN_VENDOR_DESCRIPTION:
		*n = sizeof("Microsoft Corporation") - 1;
		memcpy(out, "Microsoft Corporation", *n);
		return RNDIS_STATUS_SUCCESS;
	case OID_GEN_VENDOR_DRIVER_VERSION:
	case OID_GEN_DRIVER_VERSION:
		out[0] = 0x00;
		out[1] = 0x01;
		*n = 2;
		return RNDIS_STATUS_SUCCESS;
	case OID_GEN_MAC_OPTIONS:
		/* copy lookahead, transfers not pend, no loopback, 802.1p/q */
		v = 0x1 | 0x4 | 0x8 | 0x40 | 0x200;
		break;
	case RNDIS_OID_GEN_MEDIA_CONNECT_STATUS:
		/* OpenVMM: always connected; here the link knob decides */
		v = READ_ONCE(nv_st.link_down[nic->index]) ? 1 : 0;
		nic->link_up = !v;
		break;
	case OID_GEN_MAXIMUM_SEND_PACKETS:
		v = 0xffffffffu;
		break;
	case RNDIS_OID_GEN_FRIENDLY_NAME: {
		static const char name[] = "Network Device";
		unsigned int i;

		*n = 2 * 255;
		memset(out, 0, *n);
		for (i = 0; i < sizeof(name) - 1; i++)
			out[2 * i] = name[i];
		return RNDIS_STATUS_SUCCESS;
	}
	case RNDIS_OID_802_3_PERMANENT_ADDRESS:
	case RNDIS_OID_802_3_CURRENT_ADDRESS:
		memcpy(out, nic->port.mac, ETH_ALEN);
		*n = ETH_ALEN;
		return RNDIS_STATUS_SUCCESS;
	case OID_GEN_LINK_STATE:
		memset(out, 0, 40);
		out[0] = NDIS_OBJ_TYPE_DEFAULT;
		out[1] = 1;
		out[2] = 40;
		nv_put32(out, 4, 1);		/* connected */
		nv_put32(out, 16, lower_32_bits(NDIS_LINK_SPEED_BPS));
		nv_put32(out, 20, upper_32_bits(NDIS_LINK_SPEED_BPS));
		nv_put32(out, 24, lower_32_bits(NDIS_LINK_SPEED_BPS));
		nv_put32(out, 28, upper_32_bits(NDIS_LINK_SPEED_BPS));
		*n = 40;
		return RNDIS_STATUS_SUCCESS;
	case OID_GEN_MAX_LINK_SPEED:
		nv_put32(out, 0, lower_32_bits(NDIS_LINK_SPEED_BPS));
		nv_put32(out, 4, upper_32_bits(NDIS_LINK_SPEED_BPS));
		nv_put32(out, 8, lower_32_bits(NDIS_LINK_SPEED_BPS));
		nv_put32(out, 12, upper_32_bits(NDIS_LINK_SPEED_BPS));
		*n = 16;
		return RNDIS_STATUS_SUCCESS;
	case RNDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES:
	case RNDIS_OID_TCP_OFFLOAD_CURRENT_CONFIG:
		*n = nv_offload_config(nic, out, room,
				       oid == RNDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES);
		return *n ? RNDIS_STATUS_SUCCESS : RNDIS_STATUS_FAILURE;
	case RNDIS_OID_OFFLOAD_ENCAPSULATION:
		memset(out, 0, 28);
		out[0] = NV_NDIS_OBJ_OFFLOAD_ENCAP;
		out[1] = 1;
		out[2] = 28;
		nv_put32(out, 4, 1);		/* ipv4 supported */
		nv_put32(out, 8, NDIS_ENCAP_802_3);
		nv_put32(out, 12, ETH_HLEN);
		nv_put32(out, 16, 1);
		nv_put32(out, 20, NDIS_ENCAP_802_3);
		nv_put32(out, 24, ETH_HLEN);
		*n = 28;
		return RNDIS_STATUS_SUCCESS;
	case RNDIS_OID_GEN_RECEIVE_SCALE_CAPABILITIES: {
		struct ndis_rss_caps c = {
			.hdr.type = NDIS_OBJ_TYPE_RSS_CAPABILITIES,
			.hdr.revision = NDIS_RSS_CAPS_REV_2,
			.hdr.size = sizeof(c),
			.cap_flags = NDIS_RSS_CAP_HASH_TCP_IPV4 |
				     NDIS_RSS_CAP_HASH_TCP_IPV6 |
				     NDIS_HASH_FUNC_TOEPLITZ,
			.num_int_msgs = 1,
			.num_recv_queues = nv_max_queues(),
			.num_itab_entries = NDIS_RSS_ITAB_MAX,
		};

		memcpy(out, &c, sizeof(c));
		*n = sizeof(c);
		return RNDIS_STATUS_SUCCESS;
	}
	default:
		pr_warn_ratelimited("nic %u: query of unknown OID %#x\n",
				    nic->index, oid);
		*n = 0;
		return RNDIS_STATUS_NOT_SUPPORTED;
	}
	nv_put32(out, 0, v);
	return RNDIS_STATUS_SUCCESS;
}

/* TCP_OFFLOAD_PARAMETERS: 0 no change, 1 off, 2 tx, 3 rx, 4 tx+rx */
static void apply_csum(u8 val, u32 bit, u32 *tx, u32 *rx)
{
	if (!val || val > 4)
		return;
	*tx &= ~bit;
	*rx &= ~bit;
	if (val == 2 || val == 4)
		*tx |= bit;
	if (val == 3 || val == 4)
		*rx |= bit;
}

/*
 * The RSC fields of OID_TCP_OFFLOAD_PARAMETERS (bytes 22, 23: in
 * revision 3 objects of 24 bytes or more, NDIS 6.30): 1 off, 2 on,
 * 0 no change.  Turning it on where it is not offered: NOT_SUPPORTED.
 */
static u32 set_offload_rsc(struct nv_nic *nic,
			   const struct ndis_offload_params *op)
{
	if (op->hdr.revision < NDIS_OFFLOAD_PARAMS_REV_3 ||
	    op->hdr.size < offsetof(struct ndis_offload_params, rsc_ip6) + 1)
		return RNDIS_STATUS_SUCCESS;
	if (!nv_rsc_offered(nic)) {
		if (op->rsc_ip4 == NDIS_OFFLOAD_RSC_ENABLED ||
		    op->rsc_ip6 == NDIS_OFFLOAD_RSC_ENABLED)
			return RNDIS_STATUS_NOT_SUPPORTED;
		return RNDIS_STATUS_SUCCESS;
	}
	if (op->rsc_ip4 == NDIS_OFFLOAD_DISABLED ||
	    op->rsc_ip4 == NDIS_OFFLOAD_RSC_ENABLED)
		WRITE_ONCE(nic->rsc4, op->rsc_ip4 == NDIS_OFFLOAD_RSC_ENABLED);
	if (op->rsc_ip6 == NDIS_OFFLOAD_DISABLED ||
	    op->rsc_ip6 == NDIS_OFFLOAD_RSC_ENABLED)
		WRITE_ONCE(nic->rsc6, op->rsc_ip6 == NDIS_OFFLOAD_RSC_ENABLED);
	return RNDIS_STATUS_SUCCESS;
}

static u32 set_offload(struct nv_nic *nic, const u8 *d, u32 len)
{
	struct ndis_offload_params op = {};
	u32 st;

	/* OpenVMM read_ndis_object: type DEFAULT, revision >= 1, size 20 */
	if (len < 20)
		return RNDIS_STATUS_FAILURE;
	memcpy(&op, d, min_t(u32, len, sizeof(op)));
	if (op.hdr.type != NDIS_OBJ_TYPE_DEFAULT || len < op.hdr.size ||
	    op.hdr.revision < NDIS_OFFLOAD_PARAMS_REV_1 || op.hdr.size < 20)
		return RNDIS_STATUS_INVALID_DATA;
	if (op.lsov1 == NDIS_OFFLOAD_LSO_ENABLED)
		return RNDIS_STATUS_NOT_SUPPORTED;
	st = set_offload_rsc(nic, &op);
	if (st)
		return st;
	apply_csum(op.ip4_csum, 1, &nic->csum_tx, &nic->csum_rx);
	apply_csum(op.tcp4_csum, 2, &nic->csum_tx, &nic->csum_rx);
	apply_csum(op.udp4_csum, 4, &nic->csum_tx, &nic->csum_rx);
	apply_csum(op.tcp6_csum, 8, &nic->csum_tx, &nic->csum_rx);
	apply_csum(op.udp6_csum, 16, &nic->csum_tx, &nic->csum_rx);
	if (op.lsov2_ip4 == NDIS_OFFLOAD_DISABLED ||
	    op.lsov2_ip4 == NDIS_OFFLOAD_LSO_ENABLED)
		nic->lso4 = op.lsov2_ip4 == NDIS_OFFLOAD_LSO_ENABLED;
	if (op.lsov2_ip6 == NDIS_OFFLOAD_DISABLED ||
	    op.lsov2_ip6 == NDIS_OFFLOAD_LSO_ENABLED)
		nic->lso6 = op.lsov2_ip6 == NDIS_OFFLOAD_LSO_ENABLED;
	nic->csum_tx &= NV_CSUM_ALL;
	nic->csum_rx &= NV_CSUM_ALL;
	nic->offload_pending = true;
	return RNDIS_STATUS_SUCCESS;
}

static u32 set_rss(struct nv_nic *nic, const u8 *d, u32 len)
{
	struct ndis_rss_params rp = {};
	u32 toff, koff, n, i, q = nv_max_queues();
	u16 table[NDIS_RSS_ITAB_MAX];

	/* fault: the set fails, as OpenVMM's for parameters it refuses */
	if (atomic_dec_if_positive(&nv_st.f_rss_refuse) >= 0) {
		pr_info("fault: nic %u: RSS parameters refused\n", nic->index);
		return RNDIS_STATUS_FAILURE;
	}
	/* OpenVMM reads what is there without checking the NDIS header */
	memcpy(&rp, d, min_t(u32, len, sizeof(rp)));
	toff = rp.itab_offset;
	koff = rp.key_offset;
	if ((rp.flags & NDIS_RSS_PARAM_FLAG_DISABLE_RSS) ||
	    !(rp.hash_info & 0xff)) {
		spin_lock_bh(&nic->lock);
		nic->rss_on = false;
		spin_unlock_bh(&nic->lock);
		return RNDIS_STATUS_SUCCESS;
	}
	if (rp.key_size != NDIS_RSS_KEY_SIZE)
		return RNDIS_STATUS_INVALID_DATA;
	if (!rp.itab_size || rp.itab_size % 4)
		return RNDIS_STATUS_INVALID_DATA;
	n = min_t(u32, rp.itab_size / 4, NDIS_RSS_ITAB_MAX);
	if (koff > len || len - koff < NDIS_RSS_KEY_SIZE || toff > len ||
	    (len - toff) / 4 < n)
		return RNDIS_STATUS_FAILURE;
	for (i = 0; i < n; i++) {
		u32 e = nv_get32(d, toff + 4 * i);

		if (e >= q)
			return RNDIS_STATUS_INVALID_DATA;
		table[i] = e;
	}
	for (; i < NDIS_RSS_ITAB_MAX; i++)
		table[i] = table[i % n];
	spin_lock_bh(&nic->lock);
	memcpy(nic->rss_key, d + koff, NDIS_RSS_KEY_SIZE);
	memcpy(nic->rss_table, table, sizeof(table));
	nic->rss_hash = rp.hash_info;
	nic->rss_on = true;
	spin_unlock_bh(&nic->lock);
	return RNDIS_STATUS_SUCCESS;
}

/* @n UTF-16 units at @p decode (no unpaired surrogate, as from_utf16) */
static bool nv_utf16_ok(const u8 *p, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		u16 c = p[2 * i] | (p[2 * i + 1] << 8);

		if (c >= 0xdc00 && c <= 0xdfff)
			return false;
		if (c >= 0xd800 && c <= 0xdbff) {
			u16 c2;

			if (i + 1 >= n)
				return false;
			c2 = p[2 * i + 2] | (p[2 * i + 3] << 8);
			if (c2 < 0xdc00 || c2 > 0xdfff)
				return false;
			i++;
		}
	}
	return true;
}

/*
 * OID_GEN_RNDIS_CONFIG_PARAMETER as OpenVMM's
 * oid_set_rndis_config_parameter(): name and value lengths at most 255,
 * name and value inside the buffer (else FAILURE) and valid UTF-16
 * (else INVALID_DATA); a string value must start with a decimal digit
 * (its offload setting), else INVALID_DATA; an integer must be there.
 * The names OpenVMM applies are offload switches the simhost does not
 * model; others ("NetworkAddress" included) are taken and ignored.
 */
static u32 set_config_param(struct nv_nic *nic, const u8 *d, u32 len)
{
	struct rndis_config_param cp;
	const u8 *v;

	if (len < sizeof(cp))
		return RNDIS_STATUS_FAILURE;
	memcpy(&cp, d, sizeof(cp));
	if (cp.name_len > 255 || cp.value_len > 255)
		return RNDIS_STATUS_INVALID_DATA;
	if (cp.name_offset > len || len - cp.name_offset < cp.name_len / 2 * 2 ||
	    cp.value_offset > len)
		return RNDIS_STATUS_FAILURE;
	if (!nv_utf16_ok(d + cp.name_offset, cp.name_len / 2))
		return RNDIS_STATUS_INVALID_DATA;
	v = d + cp.value_offset;
	switch (cp.type) {
	case RNDIS_CONFIG_PARAM_STRING:
		if (len - cp.value_offset < cp.value_len / 2 * 2)
			return RNDIS_STATUS_FAILURE;
		if (!nv_utf16_ok(v, cp.value_len / 2))
			return RNDIS_STATUS_INVALID_DATA;
		if (cp.value_len < 2 || v[1] || v[0] < '0' || v[0] > '9') {
			pr_info_ratelimited("nic %u: config parameter string not starting with a digit: INVALID_DATA\n",
					    nic->index);
			return RNDIS_STATUS_INVALID_DATA;
		}
		return RNDIS_STATUS_SUCCESS;
	case RNDIS_CONFIG_PARAM_INTEGER:
		return cp.value_len < 4 || len - cp.value_offset < 4 ?
		       RNDIS_STATUS_FAILURE : RNDIS_STATUS_SUCCESS;
	default:
		return RNDIS_STATUS_SUCCESS;
	}
}

static u32 nv_set(struct nv_nic *nic, u32 oid, const u8 *d, u32 len)
{
	switch (oid) {
	case RNDIS_OID_GEN_CURRENT_PACKET_FILTER:
		if (len < 4)
			return RNDIS_STATUS_FAILURE;
		WRITE_ONCE(nic->filter, nv_get32(d, 0));
		return RNDIS_STATUS_SUCCESS;
	case RNDIS_OID_TCP_OFFLOAD_PARAMETERS:
		return set_offload(nic, d, len);
	case RNDIS_OID_OFFLOAD_ENCAPSULATION:
		if (len < 28)
			return RNDIS_STATUS_FAILURE;
		if (d[0] != NV_NDIS_OBJ_OFFLOAD_ENCAP || d[1] < 1 ||
		    (d[2] | (d[3] << 8)) < 28 || len < (d[2] | (d[3] << 8)))
			return RNDIS_STATUS_INVALID_DATA;
		if ((nv_get32(d, 4) == 1 && (nv_get32(d, 8) != NDIS_ENCAP_802_3 ||
					     nv_get32(d, 12) != ETH_HLEN)) ||
		    (nv_get32(d, 16) == 1 && (nv_get32(d, 20) != NDIS_ENCAP_802_3 ||
					      nv_get32(d, 24) != ETH_HLEN)))
			return RNDIS_STATUS_NOT_SUPPORTED;
		return RNDIS_STATUS_SUCCESS;
	case RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER:
		return set_config_param(nic, d, len);
	case OID_GEN_NETWORK_LAYER_ADDRESSES:
		return RNDIS_STATUS_SUCCESS;
	case RNDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS:
		return set_rss(nic, d, len);
	default:
		pr_warn_ratelimited("nic %u: set of unknown OID %#x\n",
				    nic->index, oid);
		return RNDIS_STATUS_NOT_SUPPORTED;
	}
}

/*
 * A worker error of OpenVMM's primary channel: no reply, and its ring is
 * no longer read until the channel is opened again (netvsp.c).
 */
static void nv_rndis_stop(struct nv_nic *nic, u32 type)
{
	WRITE_ONCE(nic->stopped, true);
	pr_err("nic %u: RNDIS message type %#x: primary channel no longer served\n",
	       nic->index, type);
}

/*
 * A control message with fewer bytes after its header than its request
 * struct (INITIALIZE 16, QUERY and SET 20, KEEPALIVE 4): OpenVMM
 * handle_rndis_control_message() reads the request with read_plain(),
 * which fails; that access error ends the primary's worker.
 */
static void nv_rndis_short(struct nv_nic *nic, u32 type)
{
	nv_refuse(nic->chans[0], NV_R_RNDIS_LEN,
		  "RNDIS control message shorter than its request");
	nv_rndis_stop(nic, type);
}

static void reply_init(struct nv_nic *nic, u8 *out, const u8 *m, u32 len)
{
	struct rndis_msg_hdr mh = {
		.type = RNDIS_MSG_INIT_C,
		.len = RNDIS_HDR_SIZE + sizeof(struct rndis_init_cmplt),
	};
	struct rndis_init_cmplt c = {
		.status = RNDIS_STATUS_SUCCESS,
		.major = RNDIS_MAJOR_VERSION,
		.minor = RNDIS_MINOR_VERSION,
		.dev_flags = RNDIS_DF_CONNECTIONLESS,
		.medium = RNDIS_MEDIUM_802_3,
		.max_pkt_per_msg = 8,
		.max_xfer_size = 0xefffffffu,
		.pkt_align_factor = 3,		/* 8-byte alignment */
	};
	struct rndis_init_req r;

	if (nic->rndis_up) {
		/*
		 * OpenVMM handle_rndis_control_message(): InvalidRndisState
		 * ends the primary's worker, as an unimplemented type does
		 */
		nv_refuse(nic->chans[0], NV_R_ORDER, "RNDIS INITIALIZE repeated");
		nv_rndis_stop(nic, RNDIS_MSG_INIT);
		return;
	}
	if (len < RNDIS_HDR_SIZE + sizeof(r)) {
		nv_rndis_short(nic, RNDIS_MSG_INIT);
		return;
	}
	memcpy(&r, m + RNDIS_HDR_SIZE, sizeof(r));
	nic->rndis_up = true;
	/* OpenVMM: the current config starts as everything supported */
	nic->csum_tx = NV_CSUM_ALL;
	nic->csum_rx = NV_CSUM_ALL;
	nic->lso4 = true;
	nic->lso6 = true;
	c.req_id = r.req_id;
	memcpy(out, &mh, sizeof(mh));
	memcpy(out + RNDIS_HDR_SIZE, &c, sizeof(c));
	nv_reply(nic, out, mh.len);
}

static void reply_query(struct nv_nic *nic, u8 *out, const u8 *m, u32 len)
{
	u32 hl = RNDIS_HDR_SIZE + sizeof(struct rndis_query_cmplt);
	struct rndis_msg_hdr mh = { .type = RNDIS_MSG_QUERY_C };
	struct rndis_query_cmplt c = {};
	struct rndis_query_req r;
	u32 n = 0;

	if (len < RNDIS_HDR_SIZE + sizeof(r)) {
		nv_rndis_short(nic, RNDIS_MSG_QUERY);
		return;
	}
	memcpy(&r, m + RNDIS_HDR_SIZE, sizeof(r));
	c.req_id = r.req_id;
	c.status = nv_query(nic, r.oid, out + hl, nic->sub_size - hl, &n);
	if (c.status != RNDIS_STATUS_SUCCESS)
		n = 0;
	c.info_len = n;
	c.info_offset = sizeof(c);
	mh.len = hl + n;
	memcpy(out, &mh, sizeof(mh));
	memcpy(out + RNDIS_HDR_SIZE, &c, sizeof(c));
	nv_reply(nic, out, mh.len);
}

static void reply_set(struct nv_nic *nic, u8 *out, const u8 *m, u32 len)
{
	u32 hl = RNDIS_HDR_SIZE + sizeof(struct rndis_set_req);
	struct rndis_msg_hdr mh = {
		.type = RNDIS_MSG_SET_C,
		.len = RNDIS_HDR_SIZE + sizeof(struct rndis_set_cmplt),
	};
	struct rndis_set_cmplt c = {};
	struct rndis_set_req r;

	if (len < hl) {
		nv_rndis_short(nic, RNDIS_MSG_SET);
		return;
	}
	memcpy(&r, m + RNDIS_HDR_SIZE, sizeof(r));
	c.req_id = r.req_id;
	/* OpenVMM reads the value right after the request */
	c.status = nv_set(nic, r.oid, m + hl, len - hl);
	memcpy(out, &mh, sizeof(mh));
	memcpy(out + RNDIS_HDR_SIZE, &c, sizeof(c));
	nv_reply(nic, out, mh.len);
}

static void reply_keepalive(struct nv_nic *nic, u8 *out, const u8 *m, u32 len)
{
	struct rndis_msg_hdr mh = {
		.type = RNDIS_MSG_KEEPALIVE_C,
		.len = RNDIS_HDR_SIZE + sizeof(struct rndis_keepalive_cmplt),
	};
	struct rndis_keepalive_cmplt c = { .status = RNDIS_STATUS_SUCCESS };
	struct rndis_keepalive_req r;

	if (len < RNDIS_HDR_SIZE + sizeof(r)) {
		nv_rndis_short(nic, RNDIS_MSG_KEEPALIVE);
		return;
	}
	memcpy(&r, m + RNDIS_HDR_SIZE, sizeof(r));
	c.req_id = r.req_id;
	memcpy(out, &mh, sizeof(mh));
	memcpy(out + RNDIS_HDR_SIZE, &c, sizeof(c));
	nv_reply(nic, out, mh.len);
}

/* @m: one whole control message of @len >= 8 bytes (a private copy). */
void nv_rndis_control(struct nv_nic *nic, const u8 *m, u32 len)
{
	struct rndis_msg_hdr mh;
	u8 *out;

	out = kzalloc(nic->sub_size, GFP_KERNEL);
	if (!out)
		return;
	memcpy(&mh, m, sizeof(mh));
	switch (mh.type) {
	case RNDIS_MSG_INIT:
		reply_init(nic, out, m, len);
		break;
	case RNDIS_MSG_QUERY:
		reply_query(nic, out, m, len);
		break;
	case RNDIS_MSG_SET:
		reply_set(nic, out, m, len);
		break;
	case RNDIS_MSG_KEEPALIVE:
		reply_keepalive(nic, out, m, len);
		break;
	default:
		/*
		 * RESET, INDICATE_STATUS, SET_EX, unknown types: OpenVMM took
		 * the message (SUCCESS), and handle_rndis_control_message()
		 * now fails the primary's worker: no reply, and its ring is
		 * no longer read until the channel is opened again.
		 */
		nv_refuse(nic->chans[0], NV_R_RNDIS_TYPE,
			  "RNDIS message type not implemented");
		nv_rndis_stop(nic, mh.type);
		break;
	}
	kfree(out);
}
