/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMBus channel-management messages: the payload of a SynIC message of
 * type HV_MSGTYPE_VMBUS (host to guest) or of HvPostMessage (guest to
 * host).  Offsets count from the start of the 8-byte message header.
 */
#ifndef VMBUS_MSG_H
#define VMBUS_MSG_H

#include "hv_wire_common.h"
#include "hv_tlfs.h"

/* Connection ids for HvPostMessage / HvSignalEvent */
#define VMBUS_MESSAGE_CONNECTION_ID	1
#define VMBUS_EVENT_CONNECTION_ID	2	/* pre-Win7 signalling */
#define VMBUS_MONITOR_CONNECTION_ID	3
#define VMBUS_MESSAGE_CONNECTION_ID_4	4	/* INITIATE_CONTACT, >= 5.0 */

/* Protocol versions, (major << 16) | minor */
#define VMBUS_VERSION_WS2008		0x0000000du	/* 0.13 */
#define VMBUS_VERSION_WIN7		0x00010001u	/* 1.1 */
#define VMBUS_VERSION_WIN8		0x00020004u	/* 2.4 */
#define VMBUS_VERSION_WIN8_1		0x00030000u	/* 3.0 */
#define VMBUS_VERSION_WIN10		0x00040000u	/* 4.0 */
#define VMBUS_VERSION_WIN10_V4_1	0x00040001u	/* 4.1 */
#define VMBUS_VERSION_WIN10_V5		0x00050000u	/* 5.0 */
#define VMBUS_VERSION_WIN10_V5_1	0x00050001u	/* 5.1 */
#define VMBUS_VERSION_WIN10_V5_2	0x00050002u	/* 5.2 */
#define VMBUS_VERSION_WIN10_V5_3	0x00050003u	/* 5.3 */
#define VMBUS_VERSION_MAJOR(v)		((v) >> 16)
#define VMBUS_VERSION_MINOR(v)		((v) & 0xffff)

enum vmbus_msgtype {
	VMBUS_MSG_INVALID = 0,
	VMBUS_MSG_OFFERCHANNEL = 1,
	VMBUS_MSG_RESCIND_CHANNELOFFER = 2,
	VMBUS_MSG_REQUESTOFFERS = 3,
	VMBUS_MSG_ALLOFFERS_DELIVERED = 4,
	VMBUS_MSG_OPENCHANNEL = 5,
	VMBUS_MSG_OPENCHANNEL_RESULT = 6,
	VMBUS_MSG_CLOSECHANNEL = 7,
	VMBUS_MSG_GPADL_HEADER = 8,
	VMBUS_MSG_GPADL_BODY = 9,
	VMBUS_MSG_GPADL_CREATED = 10,
	VMBUS_MSG_GPADL_TEARDOWN = 11,
	VMBUS_MSG_GPADL_TORNDOWN = 12,
	VMBUS_MSG_RELID_RELEASED = 13,
	VMBUS_MSG_INITIATE_CONTACT = 14,
	VMBUS_MSG_VERSION_RESPONSE = 15,
	VMBUS_MSG_UNLOAD = 16,
	VMBUS_MSG_UNLOAD_RESPONSE = 17,
	VMBUS_MSG_OPEN_RESERVED_CHANNEL = 18,
	VMBUS_MSG_CLOSE_RESERVED_CHANNEL = 19,
	VMBUS_MSG_CLOSE_RESERVED_RESPONSE = 20,
	VMBUS_MSG_TL_CONNECT_REQUEST = 21,
	VMBUS_MSG_MODIFYCHANNEL = 22,
	VMBUS_MSG_TL_CONNECT_RESULT = 23,
	VMBUS_MSG_MODIFYCHANNEL_RESPONSE = 24,
	VMBUS_MSG_COUNT
};

/* Relids are host-chosen; 0 is never a channel.  We track this many. */
#define VMBUS_MAX_RELIDS		2048

struct vmbus_msg_header {
	u32 msgtype;
	u32 padding;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_header, 8);

/* Offer flags (chn_flags) */
#define VMBUS_OFFER_ENUMERATE_DEVICE_INTERFACE	0x0001
#define VMBUS_OFFER_SERVER_SUPPORTS_XFER_PAGES	0x0002
#define VMBUS_OFFER_SERVER_SUPPORTS_GPADLS	0x0004
#define VMBUS_OFFER_NAMED_PIPE_MODE		0x0010
#define VMBUS_OFFER_LOOPBACK			0x0100
#define VMBUS_OFFER_PARENT			0x0200
#define VMBUS_OFFER_REQUEST_MONITORED_NOTIFY	0x0400
#define VMBUS_OFFER_TLNPI_PROVIDER		0x2000

#define VMBUS_PIPE_TYPE_BYTE		0
#define VMBUS_PIPE_TYPE_MESSAGE		4

#define VMBUS_OFFER_USER_DEF_SIZE	120

struct vmbus_msg_offer {
	struct vmbus_msg_header hdr;
	struct hv_guid if_type;
	struct hv_guid if_instance;
	u64 reserved1;
	u64 reserved2;
	u16 chn_flags;
	u16 mmio_megabytes;
	u8 user_def[VMBUS_OFFER_USER_DEF_SIZE];
	u16 sub_channel_index;
	u16 reserved3;
	u32 child_relid;
	u8 monitorid;
	u8 monitor_allocated;		/* bit 0 */
	u16 is_dedicated_interrupt;	/* bit 0 */
	u32 connection_id;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_offer, 196);
HV_WIRE_OFF(struct vmbus_msg_offer, if_type, 8);
HV_WIRE_OFF(struct vmbus_msg_offer, if_instance, 24);
HV_WIRE_OFF(struct vmbus_msg_offer, chn_flags, 56);
HV_WIRE_OFF(struct vmbus_msg_offer, mmio_megabytes, 58);
HV_WIRE_OFF(struct vmbus_msg_offer, user_def, 60);
HV_WIRE_OFF(struct vmbus_msg_offer, sub_channel_index, 180);
HV_WIRE_OFF(struct vmbus_msg_offer, child_relid, 184);
HV_WIRE_OFF(struct vmbus_msg_offer, monitorid, 188);
HV_WIRE_OFF(struct vmbus_msg_offer, monitor_allocated, 189);
HV_WIRE_OFF(struct vmbus_msg_offer, is_dedicated_interrupt, 190);
HV_WIRE_OFF(struct vmbus_msg_offer, connection_id, 192);

struct vmbus_msg_rescind {
	struct vmbus_msg_header hdr;
	u32 child_relid;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_rescind, 12);

struct vmbus_msg_open {
	struct vmbus_msg_header hdr;
	u32 child_relid;
	u32 openid;
	u32 ring_gpadl;
	u32 target_vp;
	u32 downstream_ring_page_offset;
	u8 user_data[VMBUS_OFFER_USER_DEF_SIZE];
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_open, 148);
HV_WIRE_OFF(struct vmbus_msg_open, ring_gpadl, 16);
HV_WIRE_OFF(struct vmbus_msg_open, target_vp, 20);
HV_WIRE_OFF(struct vmbus_msg_open, downstream_ring_page_offset, 24);
HV_WIRE_OFF(struct vmbus_msg_open, user_data, 28);

struct vmbus_msg_open_result {
	struct vmbus_msg_header hdr;
	u32 child_relid;
	u32 openid;
	u32 status;			/* 0 = success */
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_open_result, 20);

struct vmbus_msg_close {
	struct vmbus_msg_header hdr;
	u32 child_relid;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_close, 12);

/*
 * GPADL: the header carries the first PFNs of the single range, further
 * PFNs follow in GPADL_BODY messages posted back to back.
 */
struct vmbus_gpa_range {
	u32 byte_count;
	u32 byte_offset;
	u64 pfn[];
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_gpa_range, 8);

struct vmbus_msg_gpadl_header {
	struct vmbus_msg_header hdr;
	u32 child_relid;
	u32 gpadl;
	u16 range_buflen;		/* bytes of range[]: 8 + 8 * pfns */
	u16 rangecount;
	/* struct vmbus_gpa_range range[rangecount] follows, each with its PFNs */
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_gpadl_header, 20);
#define VMBUS_GPADL_HEADER_MAX_PFNS \
	((HV_MESSAGE_PAYLOAD_MAX - 20 - 8) / 8)		/* 26 */

struct vmbus_msg_gpadl_body {
	struct vmbus_msg_header hdr;
	u32 msgnumber;
	u32 gpadl;
	u64 pfn[];
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_gpadl_body, 16);
#define VMBUS_GPADL_BODY_MAX_PFNS \
	((HV_MESSAGE_PAYLOAD_MAX - 16) / 8)			/* 28 */

struct vmbus_msg_gpadl_created {
	struct vmbus_msg_header hdr;
	u32 child_relid;
	u32 gpadl;
	u32 creation_status;		/* 0 = success */
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_gpadl_created, 20);

struct vmbus_msg_gpadl_teardown {
	struct vmbus_msg_header hdr;
	u32 child_relid;
	u32 gpadl;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_gpadl_teardown, 16);

struct vmbus_msg_gpadl_torndown {
	struct vmbus_msg_header hdr;
	u32 gpadl;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_gpadl_torndown, 12);

struct vmbus_msg_relid_released {
	struct vmbus_msg_header hdr;
	u32 child_relid;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_relid_released, 12);

/*
 * INITIATE_CONTACT.  Below 5.0 the union holds the interrupt page GPA
 * (used by the host only below 2.4); from 5.0 it selects the SINT and
 * VTL that control messages are delivered to.
 */
struct vmbus_msg_initiate_contact {
	struct vmbus_msg_header hdr;
	u32 vmbus_version_requested;
	u32 target_vcpu;
	union {
		u64 interrupt_page;
		struct {
			u8 msg_sint;
			u8 msg_vtl;
			u16 reserved;
			u32 feature_flags;
		} __attribute__((packed));
	};
	u64 monitor_page1;		/* parent to child */
	u64 monitor_page2;		/* child to parent */
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_initiate_contact, 40);
HV_WIRE_OFF(struct vmbus_msg_initiate_contact, target_vcpu, 12);
HV_WIRE_OFF(struct vmbus_msg_initiate_contact, interrupt_page, 16);
HV_WIRE_OFF(struct vmbus_msg_initiate_contact, msg_sint, 16);
HV_WIRE_OFF(struct vmbus_msg_initiate_contact, msg_vtl, 17);
HV_WIRE_OFF(struct vmbus_msg_initiate_contact, monitor_page1, 24);
HV_WIRE_OFF(struct vmbus_msg_initiate_contact, monitor_page2, 32);

/*
 * VERSION_RESPONSE.  For versions >= 5.0 the last field is the connection
 * id the guest must post every later message to.
 */
struct vmbus_msg_version_response {
	struct vmbus_msg_header hdr;
	u8 version_supported;
	u8 connection_state;
	u16 padding;
	u32 msg_conn_id;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_version_response, 16);

struct vmbus_msg_modifychannel {
	struct vmbus_msg_header hdr;
	u32 child_relid;
	u32 target_vp;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_modifychannel, 16);

struct vmbus_msg_modifychannel_response {
	struct vmbus_msg_header hdr;
	u32 child_relid;
	u32 status;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_modifychannel_response, 16);

struct vmbus_msg_tl_connect_request {
	struct vmbus_msg_header hdr;
	struct hv_guid guest_endpoint_id;
	struct hv_guid host_service_id;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_tl_connect_request, 40);

struct vmbus_msg_tl_connect_result {
	struct vmbus_msg_header hdr;
	struct hv_guid endpoint_id;
	struct hv_guid service_id;
	s32 status;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_msg_tl_connect_result, 44);

#endif /* VMBUS_MSG_H */
