/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NetVSP ("NVSP") protocol: the messages exchanged on a synthetic NIC's
 * VMBus channels.  Every NVSP message starts with a u32 type; the body
 * follows at offset 4.  Guests send 40-byte messages (the size of the
 * largest body); hosts before 6.1 accept 28-byte ones.
 *
 * Network frames and control requests travel as RNDIS messages (rndis.h)
 * carried by NVSP_MSG_RNDIS_PKT: guest to host in send-buffer sections or
 * GPA page ranges, host to guest as transfer-page ranges of the receive
 * buffer.
 */
#ifndef NVSP_H
#define NVSP_H

#include "hv_wire_common.h"

/* Protocol versions (u32), tried newest first by the guest */
#define NVSP_VERSION_1			0x00000002u
#define NVSP_VERSION_2			0x00030002u
#define NVSP_VERSION_4			0x00040000u
#define NVSP_VERSION_5			0x00050000u
#define NVSP_VERSION_6			0x00060000u
#define NVSP_VERSION_61			0x00060001u
#define NVSP_VERSION_INVALID		0xffffffffu

/* NDIS versions announced with NVSP_MSG_NDIS_VER: (major << 16) | minor */
#define NVSP_NDIS_VERSION(major, minor)	(((major) << 16) | (minor))
#define NVSP_NDIS_VERSION_6_1		0x00060001u	/* NVSP <= 4 */
#define NVSP_NDIS_VERSION_6_30		0x0006001eu	/* NVSP >= 5 */

/* Message sizes */
#define NVSP_MSG_SIZE_V1		28u	/* hosts before 6.1 */
#define NVSP_MSG_SIZE			40u	/* what guests send */

enum nvsp_msg_type {
	NVSP_MSG_NONE = 0,
	NVSP_MSG_INIT = 1,
	NVSP_MSG_INIT_COMPLETE = 2,

	/* version 1 */
	NVSP_MSG_NDIS_VER = 100,
	NVSP_MSG_SEND_RECV_BUF = 101,
	NVSP_MSG_SEND_RECV_BUF_COMPLETE = 102,
	NVSP_MSG_REVOKE_RECV_BUF = 103,
	NVSP_MSG_SEND_SEND_BUF = 104,
	NVSP_MSG_SEND_SEND_BUF_COMPLETE = 105,
	NVSP_MSG_REVOKE_SEND_BUF = 106,
	NVSP_MSG_RNDIS_PKT = 107,
	NVSP_MSG_RNDIS_PKT_COMPLETE = 108,

	/* version 2: 109..124 are obsolete chimney/VMQ messages */
	NVSP_MSG2_CHIMNEY_FIRST = 109,
	NVSP_MSG2_CHIMNEY_LAST = 124,
	NVSP_MSG_NDIS_CONFIG = 125,
	NVSP_MSG2_ALLOC_CHIMNEY_HANDLE = 126,
	NVSP_MSG2_ALLOC_CHIMNEY_HANDLE_COMP = 127,

	/* version 4 */
	NVSP_MSG_VF_ASSOCIATION = 128,		/* host to guest */
	NVSP_MSG_SWITCH_DATA_PATH = 129,	/* guest to host */
	NVSP_MSG4_UPLINK_CONNECT_STATE = 130,	/* deprecated */

	/* version 5 */
	NVSP_MSG5_OID_QUERY_EX = 131,
	NVSP_MSG5_OID_QUERY_EX_COMP = 132,
	NVSP_MSG_SUBCHANNEL = 133,
	NVSP_MSG_SEND_INDIRECTION_TABLE = 134,	/* host to guest */

	/* version 6 */
	NVSP_MSG6_PD_API = 135,
	NVSP_MSG6_PD_POST_BATCH = 136,
};

/* Status values in completions */
enum nvsp_status {
	NVSP_STATUS_NONE = 0,
	NVSP_STATUS_SUCCESS = 1,
	NVSP_STATUS_FAIL = 2,
	NVSP_STATUS_PROTOCOL_TOO_NEW = 3,
	NVSP_STATUS_PROTOCOL_TOO_OLD = 4,
	NVSP_STATUS_INVALID_RNDIS_PKT = 5,
	NVSP_STATUS_BUSY = 6,
	NVSP_STATUS_PROTOCOL_UNSUPPORTED = 7,
};

/* INIT (guest to host): min and max both set to the version tried */
struct nvsp_init {
	u32 min_version;
	u32 max_version;
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_init, 8);

/* INIT_COMPLETE (host to guest, in a VMBus completion) */
struct nvsp_init_complete {
	u32 negotiated_version;		/* deprecated; not to be trusted */
	u32 max_mdl_chain_length;
	u32 status;			/* enum nvsp_status */
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_init_complete, 12);
HV_WIRE_OFF(struct nvsp_init_complete, status, 8);

/* NDIS_VER (guest to host, no completion) */
struct nvsp_ndis_version {
	u32 major;
	u32 minor;
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_ndis_version, 8);

/* SEND_RECV_BUF / SEND_SEND_BUF (guest to host) */
struct nvsp_send_buffer {
	u32 gpadl;
	u16 id;
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_send_buffer, 6);

#define NVSP_RECV_BUF_ID		0xcafeu		/* the id Linux uses */
#define NVSP_SEND_BUF_ID		0u

/* One section of the receive buffer (host to guest) */
struct nvsp_recv_section {
	u32 offset;			/* start of the section */
	u32 sub_alloc_size;		/* bytes per sub-allocation */
	u32 num_sub_allocs;
	u32 end_offset;
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_recv_section, 16);

/*
 * SEND_RECV_BUF_COMPLETE: the sections follow num_sections.  Hyper-V
 * reports exactly one; only the first fits in a 40-byte message.
 */
struct nvsp_send_recv_buf_complete {
	u32 status;
	u32 num_sections;
	struct nvsp_recv_section sections[1];
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_send_recv_buf_complete, 24);
HV_WIRE_OFF(struct nvsp_send_recv_buf_complete, sections, 8);

/* SEND_SEND_BUF_COMPLETE */
struct nvsp_send_send_buf_complete {
	u32 status;
	u32 section_size;		/* the guest slices the buffer by this */
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_send_send_buf_complete, 8);

/* REVOKE_RECV_BUF / REVOKE_SEND_BUF */
struct nvsp_revoke_buffer {
	u16 id;
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_revoke_buffer, 2);

/* RNDIS_PKT (both directions) */
struct nvsp_rndis_pkt {
	u32 channel_type;		/* NVSP_CHANNEL_* */
	u32 section_index;		/* send-buffer section or NVSP_NO_SECTION */
	u32 section_size;		/* bytes used in that section */
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_rndis_pkt, 12);

#define NVSP_CHANNEL_DATA		0u
#define NVSP_CHANNEL_CONTROL		1u
#define NVSP_NO_SECTION			0xffffffffu

/* RNDIS_PKT_COMPLETE */
struct nvsp_rndis_pkt_complete {
	u32 status;
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_rndis_pkt_complete, 4);

/* NDIS_CONFIG (version 2, guest to host) */
struct nvsp_ndis_config {
	u32 mtu;			/* MTU plus the 14-byte Ethernet header */
	u32 reserved;
	u64 capabilities;		/* NVSP_CAP_* */
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_ndis_config, 16);
HV_WIRE_OFF(struct nvsp_ndis_config, capabilities, 8);

#define NVSP_CAP_VMQ			(1ull << 0)
#define NVSP_CAP_CHIMNEY		(1ull << 1)
#define NVSP_CAP_SRIOV			(1ull << 2)
#define NVSP_CAP_IEEE8021Q		(1ull << 3)
#define NVSP_CAP_CORRELATION_ID		(1ull << 4)
#define NVSP_CAP_TEAMING		(1ull << 5)
#define NVSP_CAP_VSUBNETID		(1ull << 6)
#define NVSP_CAP_RSC			(1ull << 7)

/* VF_ASSOCIATION (version 4, host to guest) */
struct nvsp_vf_association {
	u32 allocated;			/* non-zero: a VF exists */
	u32 serial;			/* the VF's vPCI serial number */
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_vf_association, 8);

/* SWITCH_DATA_PATH (version 4, guest to host) */
struct nvsp_switch_data_path {
	u32 active_datapath;		/* NVSP_DATAPATH_* */
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_switch_data_path, 4);

#define NVSP_DATAPATH_SYNTHETIC		0u
#define NVSP_DATAPATH_VF		1u

/* SUBCHANNEL (version 5) */
struct nvsp_subchannel_request {
	u32 op;				/* NVSP_SUBCHANNEL_* */
	u32 num_subchannels;
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_subchannel_request, 8);

#define NVSP_SUBCHANNEL_NONE		0u
#define NVSP_SUBCHANNEL_ALLOCATE	1u

struct nvsp_subchannel_complete {
	u32 status;
	u32 num_subchannels;		/* how many the host will offer */
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_subchannel_complete, 8);

/*
 * SEND_INDIRECTION_TABLE (version 5, host to guest): count u32 entries,
 * each a channel index, at offset bytes from the start of the NVSP
 * message (type field included).
 */
struct nvsp_send_indirection_table {
	u32 count;
	u32 offset;
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_send_indirection_table, 8);

#define NVSP_SEND_TABLE_SIZE		16u

/* The whole message as guests send it */
struct nvsp_msg {
	u32 type;			/* enum nvsp_msg_type */
	union {
		struct nvsp_init init;
		struct nvsp_init_complete init_complete;
		struct nvsp_ndis_version ndis_ver;
		struct nvsp_send_buffer send_buf;
		struct nvsp_send_recv_buf_complete recv_buf_complete;
		struct nvsp_send_send_buf_complete send_buf_complete;
		struct nvsp_revoke_buffer revoke_buf;
		struct nvsp_rndis_pkt rndis_pkt;
		struct nvsp_rndis_pkt_complete rndis_pkt_complete;
		struct nvsp_ndis_config ndis_config;
		struct nvsp_vf_association vf_assoc;
		struct nvsp_switch_data_path switch_dp;
		struct nvsp_subchannel_request subchan_req;
		struct nvsp_subchannel_complete subchan_complete;
		struct nvsp_send_indirection_table send_table;
		u8 raw[NVSP_MSG_SIZE - 4];
	} u;
} __attribute__((packed));
HV_WIRE_SIZE(struct nvsp_msg, 40);
HV_WIRE_OFF(struct nvsp_msg, u, 4);

/* Minimum bytes a host message of each type must carry (type included) */
#define NVSP_MIN_LEN(member) \
	(4u + (u32)sizeof(((struct nvsp_msg *)0)->u.member))

/* Defaults and limits of the Linux guest */
#define NVSP_RECV_BUF_DEFAULT		(16u * 1024 * 1024)
#define NVSP_RECV_BUF_MAX		(31u * 1024 * 1024)
#define NVSP_RECV_BUF_MAX_V2		(15u * 1024 * 1024)	/* NVSP <= 2 */
#define NVSP_SEND_BUF_DEFAULT		(1u * 1024 * 1024)
#define NVSP_SEND_BUF_MAX		(15u * 1024 * 1024)
#define NVSP_SEND_SECTION_DEFAULT	6144u
#define NVSP_RECV_SECTION_DEFAULT	1728u
#define NVSP_MAX_CHANNELS		64u
#define NVSP_RSS_ITAB_SIZE		128u

#endif /* NVSP_H */
