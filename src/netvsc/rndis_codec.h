/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RNDIS message builders and parsers (shared with tests/unit).  Every
 * RNDIS message from the host goes through rndis_parse_msg() and then
 * one of the type-specific parsers; the driver reads no host byte those
 * did not bound.
 */
#ifndef RNDIS_CODEC_H
#define RNDIS_CODEC_H

#include "hv_port.h"
#include "rndis.h"

/*
 * Header check of the message at buf (len bytes available): msg_len at
 * least 8 and within len.  Returns the message type, sets *msg_len.
 */
int rndis_parse_msg(const void *buf, u32 len, u32 *type, u32 *msg_len,
		    const char **why);

/* What a received data packet carries (pointers into the message). */
struct rndis_rx_info {
	const u8 *data;
	u32 data_len;
	u32 csum;			/* RNDIS_CSUM_RX_* or 0 */
	u8 has_csum;
	u8 has_vlan;
	u8 has_hash;
	u8 has_pktinfo;
	u32 vlan;			/* 802.1Q PPI value */
	u32 hash;
	struct rndis_pktinfo_id pktinfo;
};
/*
 * A PACKET message (msg_len bytes at buf): data and every PPI inside the
 * message, PPI entries well formed.  -EBADMSG with *why otherwise.
 */
int rndis_parse_packet(const void *buf, u32 msg_len, struct rndis_rx_info *rx,
		       const char **why);

/*
 * Receive segment coalescing (NVSP 6.1, NDIS 6.30): the host may deliver
 * one coalesced TCP packet as several RNDIS packets, one per range of a
 * transfer-page packet, each with the PKTINFO_ID PPI (SUBALLOC, the
 * first with FIRST_FRAG, the last with LAST_FRAG).  The fragments are
 * reassembled per channel; the PPIs (checksum, VLAN, hash) are the first
 * fragment's, as the kernel's driver takes them.  Fragments point into
 * the receive buffer, which the host does not reuse before the transfer
 * page packet is completed, so a packet must end within one (a sequence
 * still open at its last range is dropped).
 *
 * RNDIS_RSC_MAX_LEN: the largest legal packet, an IPv4/IPv6 datagram of
 * 65535 bytes behind an Ethernet header and a VLAN tag.
 */
#define RNDIS_RSC_MAX_LEN	(65535u + 14u + 4u)
struct rndis_rsc {
	u32 cnt;			/* fragments so far; 0: none open */
	u32 total;			/* their bytes */
	struct rndis_rx_info first;	/* PPIs of the first fragment */
	const u8 *data[RNDIS_RSC_MAX_FRAGS];
	u32 len[RNDIS_RSC_MAX_FRAGS];
};

enum rndis_rsc_verdict {
	RNDIS_RSC_SINGLE,		/* not a fragment: deliver @rx alone */
	RNDIS_RSC_MORE,			/* fragment kept, more to come */
	RNDIS_RSC_DONE,			/* last fragment: deliver s->data[] */
};

static inline void rndis_rsc_reset(struct rndis_rsc *s)
{
	s->cnt = 0;
	s->total = 0;
}

/*
 * Feed one parsed RNDIS packet (@last_range: the last range of its
 * transfer-page packet).  Returns an rndis_rsc_verdict, or -EBADMSG with
 * *why when @rx is dropped: a fragment without a first, more than
 * RNDIS_RSC_MAX_FRAGS fragments, a packet above RNDIS_RSC_MAX_LEN, a
 * sequence without its last fragment; the partial packet is dropped with
 * it.  *lost is set to 1 when a partial packet is dropped because @rx
 * (a first fragment or a plain packet) came before its last fragment
 * (@rx itself is taken then, *why says what was lost); else 0.
 */
int rndis_rsc_add(struct rndis_rsc *s, const struct rndis_rx_info *rx,
		  bool last_range, u32 *lost, const char **why);

/* A completion of one of our requests. */
struct rndis_cmplt_info {
	u32 type;			/* RNDIS_MSG_*_C */
	u32 req_id;
	u32 status;
	const u8 *info;			/* QUERY_C: information buffer */
	u32 info_len;
	u32 max_pkt_per_msg;		/* INIT_C */
	u32 pkt_align_factor;		/* INIT_C, clamped to 0..7 */
	u32 major, minor;		/* INIT_C */
};
int rndis_parse_cmplt(const void *buf, u32 msg_len, struct rndis_cmplt_info *c,
		      const char **why);

/* INDICATE_STATUS: the event and its (bounded) buffer. */
struct rndis_indicate_info {
	u32 status;
	const u8 *buf;
	u32 buf_len;
};
int rndis_parse_indicate(const void *buf, u32 msg_len,
			 struct rndis_indicate_info *ind, const char **why);

/*
 * OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES reply (len bytes): an offload
 * object of at least the NDIS 6.0 size, its size within len; copied into
 * *caps, zero padded.
 */
int rndis_parse_offload_caps(const void *buf, u32 len,
			     struct ndis_offload_caps *caps, const char **why);

/*
 * OID_GEN_RECEIVE_SCALE_CAPABILITIES reply (len bytes): an RSS
 * capabilities object holding at least its queue count, which must not
 * be 0.  *num_queues: the host's receive queues (unclamped).
 */
int rndis_parse_rss_caps(const void *buf, u32 len, u32 *num_queues,
			 const char **why);

/*
 * Builders write at buf (cap bytes) and return the message length, 0
 * when it does not fit.
 */
u32 rndis_build_init(void *buf, u32 cap, u32 req_id);
u32 rndis_build_query(void *buf, u32 cap, u32 req_id, u32 oid,
		      const void *in, u32 in_len);
u32 rndis_build_set(void *buf, u32 cap, u32 req_id, u32 oid,
		    const void *data, u32 data_len);
u32 rndis_build_halt(void *buf, u32 cap, u32 req_id);
u32 rndis_build_keepalive(void *buf, u32 cap, u32 req_id);

/*
 * OID_GEN_RECEIVE_SCALE_PARAMETERS: Toeplitz over IPv4/IPv6 with TCP
 * ports, the 128-entry indirection table @table (queue numbers), then
 * the 40-byte key.  Returns the object's length (0: it does not fit in
 * cap).
 */
#define RNDIS_RSS_PARAMS_LEN	(sizeof(struct ndis_rss_params) + \
				 4 * NDIS_RSS_ITAB_MAX + NDIS_RSS_KEY_SIZE)
u32 rndis_build_rss_params(void *buf, u32 cap, const u8 *key,
			   const u32 *table);

/*
 * OID_GEN_RNDIS_CONFIG_PARAMETER "NetworkAddress" = the MAC as 12
 * lower-case hex digits, both UTF-16LE, as the kernel's driver asks
 * Hyper-V for a new address.  Returns the object's length (72; 0: it
 * does not fit in cap).
 */
#define RNDIS_NETWORK_ADDRESS_NAME	"NetworkAddress"
#define RNDIS_MAC_LEN			6
#define RNDIS_NETWORK_ADDRESS_LEN	(sizeof(struct rndis_config_param) + \
					 2 * 14 + 4 * RNDIS_MAC_LEN)
u32 rndis_build_network_address(void *buf, u32 cap, const u8 *mac);

/* Transmit packet header with optional PPIs. */
struct rndis_tx_info {
	u32 data_len;
	u8 has_csum;
	u8 has_lso;
	u8 has_vlan;
	u32 csum;			/* RNDIS_CSUM_TX_* | offset */
	u32 lso;			/* RNDIS_LSO_* | mss | offset */
	u32 vlan;			/* 802.1Q PPI value */
};
/* Longest header rndis_build_packet() writes */
#define RNDIS_TX_HDR_MAX	(RNDIS_HDR_SIZE + sizeof(struct rndis_packet) + \
				 3 * (sizeof(struct rndis_ppi) + 4))
/* Writes header + PPIs; returns the header length (data follows it). */
u32 rndis_build_packet(void *buf, u32 cap, const struct rndis_tx_info *tx);

#endif /* RNDIS_CODEC_H */
