/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoders for everything the host sends on the VMBus control path and in
 * channel packets, and encoders for the guest's GPADL messages.  Pure
 * protocol code shared with tests/unit and the fuzzers: every host
 * length and count is checked here, so the state machines above only
 * ever see well-formed, fixed-size structures.
 */
#ifndef VMBUS_CODEC_H
#define VMBUS_CODEC_H

#include "hv_port.h"
#include "vmbus_msg.h"
#include "vmbus_ring.h"

/* Every host-to-guest channel message, decoded into a fixed-size copy. */
union vmbus_host_msg {
	struct vmbus_msg_header hdr;
	struct vmbus_msg_offer offer;
	struct vmbus_msg_rescind rescind;
	struct vmbus_msg_open_result open_result;
	struct vmbus_msg_gpadl_created gpadl_created;
	struct vmbus_msg_gpadl_torndown gpadl_torndown;
	struct vmbus_msg_version_response version_response;
	struct vmbus_msg_modifychannel_response modify_response;
	struct vmbus_msg_tl_connect_result tl_connect_result;
};

/*
 * Decode the payload of a SynIC VMBus message.  len is the payload size
 * the host claimed (a u8, already capped by the caller at 240).  Returns
 * 0 with *out filled (bytes the host did not send are zero), or -EBADMSG
 * with *why set to a static string for the log: unknown or guest-to-host
 * type, too short for its type, relid 0 or >= VMBUS_MAX_RELIDS.
 */
int vmbus_decode_host_msg(const void *payload, u32 len,
			  union vmbus_host_msg *out, const char **why);

/* Name of a message type for logs ("OFFERCHANNEL"); "UNKNOWN" otherwise. */
const char *vmbus_msgtype_name(u32 msgtype);
bool vmbus_refused_answer_key(const void *payload, u32 len, u32 *type,
			      u32 *key);

/*
 * GPADL encoding: a buffer of npfns pages (byte_count bytes starting at
 * offset 0 of the first page) is described by one GPADL_HEADER and
 * vmbus_gpadl_msg_count(npfns) - 1 GPADL_BODY messages.
 */
u32 vmbus_gpadl_msg_count(u32 npfns);
/*
 * range_buflen (u16) is 8 + 8 * npfns for the whole range, so one GPADL
 * holds at most this many pages (32 MiB - 8 KiB).  vmbus_gpadl_msg_count()
 * returns 0 for npfns == 0 or above this limit.
 */
#define VMBUS_GPADL_MAX_PFNS	((0xffffu - 8) / 8)		/* 8190 */
/*
 * Build message number idx (0 = header) into buf (HV_MESSAGE_PAYLOAD_MAX
 * bytes).  Returns its length in bytes, or 0 when idx is out of range or
 * byte_count does not span exactly npfns pages.
 */
u32 vmbus_gpadl_build_msg(u32 idx, u32 child_relid, u32 gpadl,
			  const u64 *pfns, u32 npfns, u32 byte_count,
			  void *buf);

/* A received channel packet, validated; pointers point into the copy. */
struct vmbus_pkt_view {
	u16 type;
	u16 flags;			/* the known bits (COMPLETION_REQUESTED) */
	u16 unknown_flags;		/* other bits the host set: ignored */
	u64 trans_id;
	const void *payload;		/* at offset8 * 8 */
	u32 payload_len;		/* (len8 - offset8) * 8 */
	/* DATA_USING_XFER_PAGES only */
	u16 xfer_pageset_id;
	u32 range_cnt;
	const struct vmbus_xfer_range *ranges;
};

/*
 * Validate a packet copied out of the ring (len = bytes copied) and fill
 * *v.  -EBADMSG with *why for: len not matching len8, offset8 below the
 * descriptor or past len8, a transfer-page range table that overlaps the
 * payload or the end.  Flag bits this guest does not know do not make a
 * packet invalid (the in-tree guests ignore them too): they are handed
 * back in unknown_flags for the caller to report.
 */
int vmbus_pkt_parse(const void *pkt, u32 len, struct vmbus_pkt_view *v,
		    const char **why);

#endif /* VMBUS_CODEC_H */
