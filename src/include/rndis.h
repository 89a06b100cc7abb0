/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RNDIS as spoken over NetVSP: control messages (INITIALIZE, QUERY,
 * SET, ...), their completions, status indications and data packets
 * with per-packet info (PPI).  Every message starts with an 8-byte
 * header (type, total length).  Offsets inside control messages count
 * from the start of the body (the request id, byte 8 of the message);
 * offsets inside a data packet count from the start of the packet
 * body as well (struct rndis_packet).
 */
#ifndef RNDIS_WIRE_H
#define RNDIS_WIRE_H

#include "hv_wire_common.h"

/* Message types */
#define RNDIS_MSG_COMPLETION		0x80000000u
#define RNDIS_MSG_PACKET		0x00000001u
#define RNDIS_MSG_INIT			0x00000002u
#define RNDIS_MSG_INIT_C		0x80000002u
#define RNDIS_MSG_HALT			0x00000003u
#define RNDIS_MSG_QUERY			0x00000004u
#define RNDIS_MSG_QUERY_C		0x80000004u
#define RNDIS_MSG_SET			0x00000005u
#define RNDIS_MSG_SET_C			0x80000005u
#define RNDIS_MSG_RESET			0x00000006u
#define RNDIS_MSG_RESET_C		0x80000006u
#define RNDIS_MSG_INDICATE		0x00000007u
#define RNDIS_MSG_KEEPALIVE		0x00000008u
#define RNDIS_MSG_KEEPALIVE_C		0x80000008u

/* Status codes (NDIS_STATUS) */
#define RNDIS_STATUS_SUCCESS		0x00000000u
#define RNDIS_STATUS_PENDING		0x00000103u
#define RNDIS_STATUS_MEDIA_CONNECT	0x4001000bu
#define RNDIS_STATUS_MEDIA_DISCONNECT	0x4001000cu
#define RNDIS_STATUS_LINK_SPEED_CHANGE	0x40010013u
#define RNDIS_STATUS_NETWORK_CHANGE	0x40010018u	/* Hyper-V specific */
#define RNDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG 0x40020006u
#define RNDIS_STATUS_BUFFER_OVERFLOW	0x80000005u
#define RNDIS_STATUS_FAILURE		0xc0000001u
#define RNDIS_STATUS_RESOURCES		0xc000009au
#define RNDIS_STATUS_NOT_SUPPORTED	0xc00000bbu
#define RNDIS_STATUS_INVALID_LENGTH	0xc0010014u
#define RNDIS_STATUS_INVALID_DATA	0xc0010015u
#define RNDIS_STATUS_BUFFER_TOO_SHORT	0xc0010016u
#define RNDIS_STATUS_INVALID_OID	0xc0010017u

/* INIT values */
#define RNDIS_MAJOR_VERSION		1u
#define RNDIS_MINOR_VERSION		0u
#define RNDIS_MAX_XFER_SIZE		0x4000u	/* what Linux asks for */
#define RNDIS_DF_CONNECTIONLESS		0x00000001u
#define RNDIS_MEDIUM_802_3		0x00000000u

/* Packet filter bits (OID_GEN_CURRENT_PACKET_FILTER) */
#define RNDIS_FILTER_DIRECTED		0x00000001u
#define RNDIS_FILTER_MULTICAST		0x00000002u
#define RNDIS_FILTER_ALL_MULTICAST	0x00000004u
#define RNDIS_FILTER_BROADCAST		0x00000008u
#define RNDIS_FILTER_PROMISCUOUS	0x00000020u

/* Media connect status values (OID_GEN_MEDIA_CONNECT_STATUS) */
#define RNDIS_MEDIA_CONNECTED		0u
#define RNDIS_MEDIA_DISCONNECTED	1u

/* OIDs */
#define RNDIS_OID_GEN_SUPPORTED_LIST		0x00010101u
#define RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE	0x00010106u
#define RNDIS_OID_GEN_LINK_SPEED		0x00010107u	/* 100 bps units */
#define RNDIS_OID_GEN_CURRENT_PACKET_FILTER	0x0001010eu
#define RNDIS_OID_GEN_MAXIMUM_TOTAL_SIZE	0x00010111u
#define RNDIS_OID_GEN_MEDIA_CONNECT_STATUS	0x00010114u
#define RNDIS_OID_GEN_RECEIVE_SCALE_CAPABILITIES 0x00010203u
#define RNDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS	0x00010204u
#define RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER	0x0001021bu
#define RNDIS_OID_GEN_FRIENDLY_NAME		0x00020216u
#define RNDIS_OID_802_3_PERMANENT_ADDRESS	0x01010101u
#define RNDIS_OID_802_3_CURRENT_ADDRESS		0x01010102u
#define RNDIS_OID_802_3_MULTICAST_LIST		0x01010103u
#define RNDIS_OID_802_3_MAXIMUM_LIST_SIZE	0x01010104u
#define RNDIS_OID_OFFLOAD_ENCAPSULATION		0x0101010au
#define RNDIS_OID_TCP_OFFLOAD_CURRENT_CONFIG	0xfc01020bu
#define RNDIS_OID_TCP_OFFLOAD_PARAMETERS	0xfc01020cu
#define RNDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES 0xfc01020du

/* Header of every message */
struct rndis_msg_hdr {
	u32 type;			/* RNDIS_MSG_* */
	u32 len;			/* whole message, header included */
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_msg_hdr, 8);

#define RNDIS_HDR_SIZE			8u

struct rndis_init_req {
	u32 req_id;
	u32 major;
	u32 minor;
	u32 max_xfer_size;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_init_req, 16);

struct rndis_init_cmplt {
	u32 req_id;
	u32 status;
	u32 major;
	u32 minor;
	u32 dev_flags;
	u32 medium;
	u32 max_pkt_per_msg;
	u32 max_xfer_size;
	u32 pkt_align_factor;		/* log2 of the packet alignment */
	u32 af_list_offset;
	u32 af_list_size;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_init_cmplt, 44);
HV_WIRE_OFF(struct rndis_init_cmplt, max_pkt_per_msg, 24);
HV_WIRE_OFF(struct rndis_init_cmplt, pkt_align_factor, 32);

struct rndis_halt_req {
	u32 req_id;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_halt_req, 4);

/* QUERY and SET share a layout; SET carries its data at info_offset */
struct rndis_query_req {
	u32 req_id;
	u32 oid;
	u32 info_len;
	u32 info_offset;		/* from the body start (req_id) */
	u32 dev_vc_handle;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_query_req, 20);

struct rndis_query_cmplt {
	u32 req_id;
	u32 status;
	u32 info_len;
	u32 info_offset;		/* from the body start (req_id) */
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_query_cmplt, 16);

struct rndis_set_req {
	u32 req_id;
	u32 oid;
	u32 info_len;
	u32 info_offset;		/* from the body start; Linux: 20 */
	u32 dev_vc_handle;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_set_req, 20);

struct rndis_set_cmplt {
	u32 req_id;
	u32 status;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_set_cmplt, 8);

struct rndis_reset_req {
	u32 reserved;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_reset_req, 4);

struct rndis_reset_cmplt {
	u32 status;
	u32 addressing_reset;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_reset_cmplt, 8);

struct rndis_indicate_status {
	u32 status;			/* RNDIS_STATUS_* event */
	u32 status_buf_len;
	u32 status_buf_offset;		/* from the body start */
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_indicate_status, 12);

struct rndis_keepalive_req {
	u32 req_id;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_keepalive_req, 4);

struct rndis_keepalive_cmplt {
	u32 req_id;
	u32 status;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_keepalive_cmplt, 8);

/* Data packet; offsets count from the start of this structure */
struct rndis_packet {
	u32 data_offset;
	u32 data_len;
	u32 oob_offset;
	u32 oob_len;
	u32 num_oob;
	u32 ppi_offset;
	u32 ppi_len;
	u32 vc_handle;
	u32 reserved;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_packet, 36);
HV_WIRE_OFF(struct rndis_packet, ppi_offset, 20);

/* Per-packet info entry; its data starts at offset from the entry */
struct rndis_ppi {
	u32 size;			/* entry size, this header included */
	u32 type;			/* bits 30:0 type, bit 31 internal */
	u32 offset;			/* of the data; 12 */
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_ppi, 12);

#define RNDIS_PPI_INTERNAL		0x80000000u
#define RNDIS_PPI_TYPE_MASK		0x7fffffffu

/* PPI types (internal bit clear) */
#define RNDIS_PPI_CHECKSUM		0u
#define RNDIS_PPI_IPSEC			1u
#define RNDIS_PPI_LSO			2u
#define RNDIS_PPI_CLASSIFICATION	3u
#define RNDIS_PPI_SG_LIST		5u
#define RNDIS_PPI_8021Q			6u
#define RNDIS_PPI_ORIGINAL		7u
#define RNDIS_PPI_HASH_VALUE		8u
#define RNDIS_PPI_ORIGINAL_NBL		9u
#define RNDIS_PPI_CACHED_NBL		10u
#define RNDIS_PPI_SHORT_PAD		11u
/* internal PPI types (internal bit set) */
#define RNDIS_PPI_INTERNAL_PKTINFO_ID	1u

/* TCPIP_CHKSUM PPI value, transmit */
#define RNDIS_CSUM_TX_IPV4		(1u << 0)
#define RNDIS_CSUM_TX_IPV6		(1u << 1)
#define RNDIS_CSUM_TX_TCP		(1u << 2)
#define RNDIS_CSUM_TX_UDP		(1u << 3)
#define RNDIS_CSUM_TX_IP_HDR		(1u << 4)
#define RNDIS_CSUM_TX_TCP_OFF_SHIFT	16
#define RNDIS_CSUM_TX_TCP_OFF_MASK	0x3ffu
/* TCPIP_CHKSUM PPI value, receive */
#define RNDIS_CSUM_RX_TCP_FAILED	(1u << 0)
#define RNDIS_CSUM_RX_UDP_FAILED	(1u << 1)
#define RNDIS_CSUM_RX_IP_FAILED		(1u << 2)
#define RNDIS_CSUM_RX_TCP_OK		(1u << 3)
#define RNDIS_CSUM_RX_UDP_OK		(1u << 4)
#define RNDIS_CSUM_RX_IP_OK		(1u << 5)
#define RNDIS_CSUM_RX_LOOPBACK		(1u << 6)
/* the host did not recompute the TCP / IPv4 header checksum (RSC) */
#define RNDIS_CSUM_RX_TCP_VALUE_INVALID	(1u << 7)
#define RNDIS_CSUM_RX_IP_VALUE_INVALID	(1u << 8)

/* TCP_LARGESEND PPI value, LSOv2 transmit */
#define RNDIS_LSO_MSS_MASK		0xfffffu
#define RNDIS_LSO_TCP_OFF_SHIFT		20
#define RNDIS_LSO_TCP_OFF_MASK		0x3ffu
#define RNDIS_LSO_V2			(1u << 30)
#define RNDIS_LSO_IPV6			(1u << 31)
/* value the host writes back in a completion: TCP payload bytes */
#define RNDIS_LSO_PAYLOAD_MASK		0x3fffffffu

/* IEEE_8021Q PPI value */
#define RNDIS_VLAN_PRI_MASK		0x7u
#define RNDIS_VLAN_CFI			(1u << 3)
#define RNDIS_VLAN_ID_SHIFT		4
#define RNDIS_VLAN_ID_MASK		0xfffu

/* internal PKTINFO_ID PPI (receive segment coalescing fragments) */
struct rndis_pktinfo_id {
	u8 version;			/* 1 */
	u8 flags;			/* RNDIS_PKTINFO_* */
	u16 pkt_id;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_pktinfo_id, 4);

#define RNDIS_PKTINFO_ID_V1		1u
#define RNDIS_PKTINFO_SUBALLOC		0x1u
#define RNDIS_PKTINFO_FIRST_FRAG	0x2u
#define RNDIS_PKTINFO_LAST_FRAG		0x4u
/*
 * Most fragments of one coalesced packet: 375 ranges of a receive plus
 * 65535 / 352 (the largest IPv4 packet over the smallest MTU) + 1, as
 * OpenVMM's NVSP_MAX_PACKETS_PER_RECEIVE_RSC_OVER_VMBUS and Linux's
 * NVSP_RSC_MAX.
 */
#define RNDIS_RSC_MAX_FRAGS		562u

/* NDIS object header at the start of structured OID data */
struct ndis_obj_hdr {
	u8 type;
	u8 revision;
	u16 size;			/* of the object, header included */
} __attribute__((packed));
HV_WIRE_SIZE(struct ndis_obj_hdr, 4);

#define NDIS_OBJ_TYPE_DEFAULT		0x80	/* offload parameters */
#define NDIS_OBJ_TYPE_RSS_CAPABILITIES	0x88
#define NDIS_OBJ_TYPE_RSS_PARAMETERS	0x89
#define NDIS_OBJ_TYPE_OFFLOAD		0xa7	/* hardware capabilities */

#define NDIS_OFFLOAD_PARAMS_REV_1	1
#define NDIS_OFFLOAD_PARAMS_REV_2	2
#define NDIS_OFFLOAD_PARAMS_REV_3	3
#define NDIS_OFFLOAD_REV_1		1	/* NDIS 6.0 sized caps */
#define NDIS_OFFLOAD_REV_2		2	/* NDIS 6.1 */
#define NDIS_OFFLOAD_REV_3		3	/* NDIS 6.30 */
#define NDIS_RSS_CAPS_REV_2		2
#define NDIS_RSS_PARAMS_REV_2		2

/* OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES reply */
struct ndis_csum_caps {
	u32 ip4_tx_encap;
	u32 ip4_tx;			/* NDIS_CSUM_CAP_* */
	u32 ip4_rx_encap;
	u32 ip4_rx;
	u32 ip6_tx_encap;
	u32 ip6_tx;
	u32 ip6_rx_encap;
	u32 ip6_rx;
} __attribute__((packed));
HV_WIRE_SIZE(struct ndis_csum_caps, 32);

#define NDIS_CSUM_CAP_IP_OPT		0x001u	/* v4 options / v6 ext hdrs */
#define NDIS_CSUM_CAP_TCP_OPT		0x004u
#define NDIS_CSUM_CAP_TCP		0x010u
#define NDIS_CSUM_CAP_UDP		0x040u
#define NDIS_CSUM_CAP_IP4		0x100u	/* IPv4 header checksum */

struct ndis_lsov1_caps {
	u32 encap;
	u32 max_size;
	u32 min_segs;
	u32 opts;
} __attribute__((packed));
HV_WIRE_SIZE(struct ndis_lsov1_caps, 16);

struct ndis_ipsecv1_caps {
	u32 encap;
	u32 ah_esp;
	u32 xport_tun;
	u32 ip4_opts;
	u32 flags;
	u32 ip4_ah;
	u32 ip4_esp;
} __attribute__((packed));
HV_WIRE_SIZE(struct ndis_ipsecv1_caps, 28);

struct ndis_lsov2_caps {
	u32 ip4_encap;
	u32 ip4_max_size;
	u32 ip4_min_segs;
	u32 ip6_encap;
	u32 ip6_max_size;
	u32 ip6_min_segs;
	u32 ip6_opts;			/* NDIS_LSOV2_CAP_* */
} __attribute__((packed));
HV_WIRE_SIZE(struct ndis_lsov2_caps, 28);

#define NDIS_LSOV2_CAP_IP6_EXT		0x001u
#define NDIS_LSOV2_CAP_TCP6_OPT		0x004u

struct ndis_ipsecv2_caps {
	u32 encap;
	u8 ip6;
	u8 ip4_opt;
	u8 ip6_ext;
	u8 ah;
	u8 esp;
	u8 ah_esp;
	u8 xport;
	u8 tun;
	u8 xport_tun;
	u8 lso;
	u8 ext_seq;
	u8 pad;
	u32 udp_esp;
	u32 auth;
	u32 crypto;
	u32 sa_caps;
} __attribute__((packed));
HV_WIRE_SIZE(struct ndis_ipsecv2_caps, 32);

struct ndis_offload_caps {
	struct ndis_obj_hdr hdr;	/* NDIS_OBJ_TYPE_OFFLOAD */
	struct ndis_csum_caps csum;
	struct ndis_lsov1_caps lsov1;
	struct ndis_ipsecv1_caps ipsecv1;
	struct ndis_lsov2_caps lsov2;
	u32 flags;
	/* NDIS 6.1 */
	struct ndis_ipsecv2_caps ipsecv2;
	/* NDIS 6.30 */
	u8 rsc_ip4;
	u8 rsc_ip6;
	u8 pad[2];
	u32 encap_gre_flags;
	u32 encap_gre_max_hdr;
} __attribute__((packed));
HV_WIRE_SIZE(struct ndis_offload_caps, 156);
HV_WIRE_OFF(struct ndis_offload_caps, csum, 4);
HV_WIRE_OFF(struct ndis_offload_caps, lsov2, 80);
HV_WIRE_OFF(struct ndis_offload_caps, ipsecv2, 112);
HV_WIRE_OFF(struct ndis_offload_caps, rsc_ip4, 144);

#define NDIS_OFFLOAD_SIZE_6_0		112u	/* up to ipsecv2 */
#define NDIS_OFFLOAD_SIZE_6_1		144u	/* up to rsc */
#define NDIS_OFFLOAD_SIZE_6_30		156u

/*
 * OID_TCP_OFFLOAD_PARAMETERS set.  Per-field values: 0 no change,
 * 1 disabled, 2 TX only, 3 RX only, 4 TX and RX (checksums); LSO and
 * RSC fields use 1 disabled, 2 enabled.  NVSP <= 4 hosts take only the
 * first 22 bytes.
 */
struct ndis_offload_params {
	struct ndis_obj_hdr hdr;	/* NDIS_OBJ_TYPE_DEFAULT, rev 3 */
	u8 ip4_csum;
	u8 tcp4_csum;
	u8 udp4_csum;
	u8 tcp6_csum;
	u8 udp6_csum;
	u8 lsov1;
	u8 ipsecv1;
	u8 lsov2_ip4;
	u8 lsov2_ip6;
	u8 tcp_conn_ip4;
	u8 tcp_conn_ip6;
	u8 pad;
	u32 flags;
	u8 ipsecv2;
	u8 ipsecv2_ip4;
	u8 rsc_ip4;
	u8 rsc_ip6;
	u8 encap_task_offload;
	u8 encap_types;
	u8 pad2[2];
} __attribute__((packed));
HV_WIRE_SIZE(struct ndis_offload_params, 28);
HV_WIRE_OFF(struct ndis_offload_params, lsov2_ip4, 11);
HV_WIRE_OFF(struct ndis_offload_params, flags, 16);
HV_WIRE_OFF(struct ndis_offload_params, rsc_ip4, 22);

#define NDIS_OFFLOAD_PARAMS_SIZE_V4	22u	/* NVSP <= 4 */
#define NDIS_OFFLOAD_PARAMS_SIZE	28u

#define NDIS_OFFLOAD_NO_CHANGE		0
#define NDIS_OFFLOAD_DISABLED		1
#define NDIS_OFFLOAD_TX			2
#define NDIS_OFFLOAD_RX			3
#define NDIS_OFFLOAD_TX_RX		4
#define NDIS_OFFLOAD_LSO_ENABLED	2
#define NDIS_OFFLOAD_RSC_ENABLED	2

/* OID_GEN_RECEIVE_SCALE_CAPABILITIES reply */
struct ndis_rss_caps {
	struct ndis_obj_hdr hdr;	/* NDIS_OBJ_TYPE_RSS_CAPABILITIES */
	u32 cap_flags;
	u32 num_int_msgs;
	u32 num_recv_queues;
	u16 num_itab_entries;
} __attribute__((packed));
HV_WIRE_SIZE(struct ndis_rss_caps, 18);
HV_WIRE_OFF(struct ndis_rss_caps, num_recv_queues, 12);

#define NDIS_RSS_CAP_HASH_TCP_IPV4	0x00000100u
#define NDIS_RSS_CAP_HASH_TCP_IPV6	0x00000200u
#define NDIS_RSS_CAP_HASH_TCP_IPV6_EX	0x00000400u

/*
 * OID_GEN_RECEIVE_SCALE_PARAMETERS set; the indirection table (u32
 * entries) and the Toeplitz key follow at offsets from this structure.
 */
struct ndis_rss_params {
	struct ndis_obj_hdr hdr;	/* NDIS_OBJ_TYPE_RSS_PARAMETERS */
	u16 flags;			/* NDIS_RSS_PARAM_FLAG_* */
	u16 base_cpu;
	u32 hash_info;			/* NDIS_HASH_* */
	u16 itab_size;			/* bytes */
	u16 pad;
	u32 itab_offset;
	u16 key_size;			/* bytes */
	u16 pad2;
	u32 key_offset;
	u32 cpu_masks_offset;
	u32 num_cpu_masks;
	u32 cpu_mask_entry_size;
} __attribute__((packed));
HV_WIRE_SIZE(struct ndis_rss_params, 40);
HV_WIRE_OFF(struct ndis_rss_params, itab_offset, 16);
HV_WIRE_OFF(struct ndis_rss_params, key_size, 20);
HV_WIRE_OFF(struct ndis_rss_params, key_offset, 24);

#define NDIS_RSS_PARAM_FLAG_BASE_CPU_UNCHANGED	0x0001u
#define NDIS_RSS_PARAM_FLAG_HASH_INFO_UNCHANGED	0x0002u
#define NDIS_RSS_PARAM_FLAG_ITABLE_UNCHANGED	0x0004u
#define NDIS_RSS_PARAM_FLAG_HASH_KEY_UNCHANGED	0x0008u
#define NDIS_RSS_PARAM_FLAG_DISABLE_RSS		0x0010u

#define NDIS_HASH_FUNC_TOEPLITZ		0x00000001u
#define NDIS_HASH_IPV4			0x00000100u
#define NDIS_HASH_TCP_IPV4		0x00000200u
#define NDIS_HASH_IPV6			0x00000400u
#define NDIS_HASH_IPV6_EX		0x00000800u
#define NDIS_HASH_TCP_IPV6		0x00001000u
#define NDIS_HASH_TCP_IPV6_EX		0x00002000u

#define NDIS_RSS_KEY_SIZE		40u
#define NDIS_RSS_ITAB_MAX		128u	/* entries, revision 2 */

/* OID_GEN_RNDIS_CONFIG_PARAMETER set */
struct rndis_config_param {
	u32 name_offset;		/* from this structure */
	u32 name_len;			/* bytes of UTF-16 */
	u32 type;			/* RNDIS_CONFIG_PARAM_* */
	u32 value_offset;
	u32 value_len;
} __attribute__((packed));
HV_WIRE_SIZE(struct rndis_config_param, 20);

#define RNDIS_CONFIG_PARAM_INTEGER	0u
#define RNDIS_CONFIG_PARAM_STRING	2u

#endif /* RNDIS_WIRE_H */
