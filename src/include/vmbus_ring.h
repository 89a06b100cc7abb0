/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMBus ring buffers and the packets inside them.
 *
 * A channel's ring GPADL is [guest-to-host ring][host-to-guest ring]; each
 * ring is one 4 KiB control page followed by the data area.  Indices are
 * byte offsets into the data area.  Every packet is 8-byte aligned and is
 * followed by an 8-byte trailer holding the offset where it started.
 */
#ifndef VMBUS_RING_H
#define VMBUS_RING_H

#include "hv_wire_common.h"

#define VMBUS_RING_FEAT_PENDING_SEND_SZ	0x1u

struct vmbus_ring_control {
	u32 write_index;
	u32 read_index;
	u32 interrupt_mask;		/* set by the reader: "don't signal" */
	u32 pending_send_sz;		/* set by a writer waiting for room */
	u32 reserved1[12];
	u32 feature_bits;
	u8 reserved2[HV_PAGE_SIZE - 68];
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_ring_control, HV_PAGE_SIZE);
HV_WIRE_OFF(struct vmbus_ring_control, read_index, 4);
HV_WIRE_OFF(struct vmbus_ring_control, interrupt_mask, 8);
HV_WIRE_OFF(struct vmbus_ring_control, pending_send_sz, 12);
HV_WIRE_OFF(struct vmbus_ring_control, feature_bits, 64);

#define VMBUS_RING_CONTROL_SIZE		HV_PAGE_SIZE
#define VMBUS_RING_TRAILER_SIZE		8u

/* Packet types (vmpacket descriptor "type") */
enum vmbus_pkt_type {
	VMBUS_PKT_INVALID = 0x0,
	VMBUS_PKT_SYNCH = 0x1,
	VMBUS_PKT_ADD_XFER_PAGESET = 0x2,
	VMBUS_PKT_RM_XFER_PAGESET = 0x3,
	VMBUS_PKT_ESTABLISH_GPADL = 0x4,
	VMBUS_PKT_TEARDOWN_GPADL = 0x5,
	VMBUS_PKT_DATA_INBAND = 0x6,
	VMBUS_PKT_DATA_USING_XFER_PAGES = 0x7,
	VMBUS_PKT_DATA_USING_GPADL = 0x8,
	VMBUS_PKT_DATA_USING_GPA_DIRECT = 0x9,
	VMBUS_PKT_CANCEL_REQUEST = 0xa,
	VMBUS_PKT_COMP = 0xb,
	VMBUS_PKT_DATA_USING_ADDITIONAL_PKT = 0xc,
	VMBUS_PKT_ADDITIONAL_DATA = 0xd,
};

#define VMBUS_PKT_FLAG_COMPLETION_REQUESTED	0x1u

/* offset8 and len8 count 8-byte units and include this descriptor */
struct vmbus_pkt_desc {
	u16 type;
	u16 offset8;
	u16 len8;
	u16 flags;
	u64 trans_id;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_pkt_desc, 16);
HV_WIRE_OFF(struct vmbus_pkt_desc, offset8, 2);
HV_WIRE_OFF(struct vmbus_pkt_desc, len8, 4);
HV_WIRE_OFF(struct vmbus_pkt_desc, flags, 6);
HV_WIRE_OFF(struct vmbus_pkt_desc, trans_id, 8);

/* DATA_USING_GPA_DIRECT: descriptor, then range_cnt multi-page ranges */
struct vmbus_pkt_gpa_direct {
	struct vmbus_pkt_desc d;
	u32 reserved;
	u32 range_cnt;
	/* struct vmbus_gpa_range ranges[range_cnt] follow, each with pfns */
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_pkt_gpa_direct, 24);

/* DATA_USING_XFER_PAGES: descriptor, then (count, offset) ranges */
struct vmbus_xfer_range {
	u32 byte_count;
	u32 byte_offset;
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_xfer_range, 8);

struct vmbus_pkt_xfer_pages {
	struct vmbus_pkt_desc d;
	u16 xfer_pageset_id;
	u8 sender_owns_set;
	u8 reserved;
	u32 range_cnt;
	struct vmbus_xfer_range ranges[];
} __attribute__((packed));
HV_WIRE_SIZE(struct vmbus_pkt_xfer_pages, 24);
HV_WIRE_OFF(struct vmbus_pkt_xfer_pages, xfer_pageset_id, 16);
HV_WIRE_OFF(struct vmbus_pkt_xfer_pages, range_cnt, 20);

/* Well-known transaction ids used by the in-tree guests */
#define VMBUS_RQST_ERROR	0xffffffffffffffffull
#define VMBUS_RQST_ID_NO_RESPONSE 0xfffffffffffffffeull
#define VMBUS_RQST_INIT		0xfffffffffffffffdull
#define VMBUS_RQST_RESET	0xfffffffffffffffcull

#endif /* VMBUS_RING_H */
