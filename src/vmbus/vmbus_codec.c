// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMBus control-message decoder, GPADL message encoder and channel packet
 * parser (see vmbus_codec.h).  Every length the host gives is checked
 * here before anything else looks at the bytes.
 */
#include "vmbus_codec.h"

enum { DIR_NONE, DIR_H2G, DIR_G2H };

struct vmbus_msg_info {
	const char *name;
	u8 dir;
	u8 size;		/* host to guest: the minimum we accept */
	u8 relid_off;		/* 0: the message carries no relid */
};

#define H2G(n, sz, rel)	{ .name = n, .dir = DIR_H2G, .size = sz, .relid_off = rel }
#define G2H(n)		{ .name = n, .dir = DIR_G2H }

static const struct vmbus_msg_info vmbus_msgs[VMBUS_MSG_COUNT] = {
	[VMBUS_MSG_INVALID] = { .name = "INVALID", .dir = DIR_NONE },
	[VMBUS_MSG_OFFERCHANNEL] = H2G("OFFERCHANNEL",
		sizeof(struct vmbus_msg_offer),
		offsetof(struct vmbus_msg_offer, child_relid)),
	[VMBUS_MSG_RESCIND_CHANNELOFFER] = H2G("RESCIND_CHANNELOFFER",
		sizeof(struct vmbus_msg_rescind),
		offsetof(struct vmbus_msg_rescind, child_relid)),
	[VMBUS_MSG_REQUESTOFFERS] = G2H("REQUESTOFFERS"),
	[VMBUS_MSG_ALLOFFERS_DELIVERED] = H2G("ALLOFFERS_DELIVERED",
		sizeof(struct vmbus_msg_header), 0),
	[VMBUS_MSG_OPENCHANNEL] = G2H("OPENCHANNEL"),
	[VMBUS_MSG_OPENCHANNEL_RESULT] = H2G("OPENCHANNEL_RESULT",
		sizeof(struct vmbus_msg_open_result),
		offsetof(struct vmbus_msg_open_result, child_relid)),
	[VMBUS_MSG_CLOSECHANNEL] = G2H("CLOSECHANNEL"),
	[VMBUS_MSG_GPADL_HEADER] = G2H("GPADL_HEADER"),
	[VMBUS_MSG_GPADL_BODY] = G2H("GPADL_BODY"),
	[VMBUS_MSG_GPADL_CREATED] = H2G("GPADL_CREATED",
		sizeof(struct vmbus_msg_gpadl_created),
		offsetof(struct vmbus_msg_gpadl_created, child_relid)),
	[VMBUS_MSG_GPADL_TEARDOWN] = G2H("GPADL_TEARDOWN"),
	[VMBUS_MSG_GPADL_TORNDOWN] = H2G("GPADL_TORNDOWN",
		sizeof(struct vmbus_msg_gpadl_torndown), 0),
	[VMBUS_MSG_RELID_RELEASED] = G2H("RELID_RELEASED"),
	[VMBUS_MSG_INITIATE_CONTACT] = G2H("INITIATE_CONTACT"),
	[VMBUS_MSG_VERSION_RESPONSE] = H2G("VERSION_RESPONSE",
		sizeof(struct vmbus_msg_version_response), 0),
	[VMBUS_MSG_UNLOAD] = G2H("UNLOAD"),
	[VMBUS_MSG_UNLOAD_RESPONSE] = H2G("UNLOAD_RESPONSE",
		sizeof(struct vmbus_msg_header), 0),
	[VMBUS_MSG_OPEN_RESERVED_CHANNEL] = G2H("OPEN_RESERVED_CHANNEL"),
	[VMBUS_MSG_CLOSE_RESERVED_CHANNEL] = G2H("CLOSE_RESERVED_CHANNEL"),
	/* host to guest, but only ever an answer to a request we never send */
	[VMBUS_MSG_CLOSE_RESERVED_RESPONSE] = { .name = "CLOSE_RESERVED_RESPONSE",
						.dir = DIR_NONE },
	[VMBUS_MSG_TL_CONNECT_REQUEST] = G2H("TL_CONNECT_REQUEST"),
	[VMBUS_MSG_MODIFYCHANNEL] = G2H("MODIFYCHANNEL"),
	[VMBUS_MSG_TL_CONNECT_RESULT] = H2G("TL_CONNECT_RESULT",
		sizeof(struct vmbus_msg_tl_connect_result), 0),
	[VMBUS_MSG_MODIFYCHANNEL_RESPONSE] = H2G("MODIFYCHANNEL_RESPONSE",
		sizeof(struct vmbus_msg_modifychannel_response),
		offsetof(struct vmbus_msg_modifychannel_response, child_relid)),
};

const char *vmbus_msgtype_name(u32 msgtype)
{
	if (msgtype < VMBUS_MSG_COUNT)
		return vmbus_msgs[msgtype].name;
	return "UNKNOWN";
}

/*
 * For a host message the decoder refused: if it is an answer to a channel
 * request (OPENCHANNEL_RESULT, MODIFYCHANNEL_RESPONSE) and the child relid
 * it names is readable, return its type and that relid, so the one request
 * waiting for it can fail instead of waiting for an answer that never comes.
 */
bool vmbus_refused_answer_key(const void *payload, u32 len, u32 *type,
			      u32 *key)
{
	struct vmbus_msg_header hdr;
	u32 off;

	if (len < sizeof(hdr) || len > HV_MESSAGE_PAYLOAD_MAX)
		return false;
	memcpy(&hdr, payload, sizeof(hdr));
	switch (hdr.msgtype) {
	case VMBUS_MSG_OPENCHANNEL_RESULT:
		off = offsetof(struct vmbus_msg_open_result, child_relid);
		break;
	case VMBUS_MSG_MODIFYCHANNEL_RESPONSE:
		off = offsetof(struct vmbus_msg_modifychannel_response,
			       child_relid);
		break;
	default:
		return false;
	}
	if (len < off + sizeof(*key))
		return false;
	memcpy(key, (const u8 *)payload + off, sizeof(*key));
	if (*key == 0 || *key >= VMBUS_MAX_RELIDS)
		return false;
	*type = hdr.msgtype;
	return true;
}

int vmbus_decode_host_msg(const void *payload, u32 len,
			  union vmbus_host_msg *out, const char **why)
{
	const struct vmbus_msg_info *info;
	struct vmbus_msg_header hdr;
	u32 relid;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(hdr)) {
		*why = "shorter than the message header";
		return -EBADMSG;
	}
	if (len > HV_MESSAGE_PAYLOAD_MAX) {
		*why = "longer than a SynIC message payload";
		return -EBADMSG;
	}
	memcpy(&hdr, payload, sizeof(hdr));
	if (hdr.msgtype >= VMBUS_MSG_COUNT ||
	    vmbus_msgs[hdr.msgtype].dir == DIR_NONE) {
		*why = "unknown message type";
		return -EBADMSG;
	}
	info = &vmbus_msgs[hdr.msgtype];
	if (info->dir != DIR_H2G) {
		*why = "guest-to-host message type from the host";
		return -EBADMSG;
	}
	if (len < info->size) {
		*why = "too short for its type";
		return -EBADMSG;
	}

	/* a newer host may append fields: keep only what we know */
	memcpy(out, payload, info->size);
	if (info->relid_off) {
		memcpy(&relid, (const u8 *)out + info->relid_off, sizeof(relid));
		if (relid == 0 || relid >= VMBUS_MAX_RELIDS) {
			memset(out, 0, sizeof(*out));
			*why = "child relid out of range";
			return -EBADMSG;
		}
	}
	*why = NULL;
	return 0;
}

/*
 * GPADL encoding.  range_buflen describes the WHOLE range (8 + 8 * npfns,
 * not just the PFNs carried by the header): the host sizes the GPADL from
 * it and appends the body PFNs.  Facts from Linux drivers/hv/channel.c
 * (create_gpadl_header: range_buflen = sizeof(gpa_range) + pagecount * 8
 * in both the split and the single-message case) and QEMU
 * hw/hyperv/vmbus.c (handle_gpadl_header: num_gfns = (range_buflen -
 * rangecount * 8) / 8, then byte_count must equal num_gfns << 12).
 */
u32 vmbus_gpadl_msg_count(u32 npfns)
{
	u32 rest;

	if (npfns == 0 || npfns > VMBUS_GPADL_MAX_PFNS)
		return 0;
	if (npfns <= VMBUS_GPADL_HEADER_MAX_PFNS)
		return 1;
	rest = npfns - VMBUS_GPADL_HEADER_MAX_PFNS;
	return 1 + (rest + VMBUS_GPADL_BODY_MAX_PFNS - 1) /
		   VMBUS_GPADL_BODY_MAX_PFNS;
}

static u32 vmbus_gpadl_build_header(u32 child_relid, u32 gpadl,
				    const u64 *pfns, u32 npfns,
				    u32 byte_count, u8 *buf)
{
	struct vmbus_msg_gpadl_header h;
	struct vmbus_gpa_range range;
	u32 n = npfns < VMBUS_GPADL_HEADER_MAX_PFNS ?
		npfns : VMBUS_GPADL_HEADER_MAX_PFNS;

	memset(&h, 0, sizeof(h));
	h.hdr.msgtype = VMBUS_MSG_GPADL_HEADER;
	h.child_relid = child_relid;
	h.gpadl = gpadl;
	h.range_buflen = (u16)(sizeof(range) + npfns * sizeof(u64));
	h.rangecount = 1;
	range.byte_count = byte_count;
	range.byte_offset = 0;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &range, sizeof(range));
	memcpy(buf + sizeof(h) + sizeof(range), pfns, n * sizeof(u64));
	return sizeof(h) + sizeof(range) + n * sizeof(u64);
}

static u32 vmbus_gpadl_build_body(u32 idx, u32 gpadl, const u64 *pfns,
				  u32 npfns, u8 *buf)
{
	struct vmbus_msg_gpadl_body b;
	u32 first = VMBUS_GPADL_HEADER_MAX_PFNS +
		    (idx - 1) * VMBUS_GPADL_BODY_MAX_PFNS;
	u32 n = npfns - first;

	if (n > VMBUS_GPADL_BODY_MAX_PFNS)
		n = VMBUS_GPADL_BODY_MAX_PFNS;
	memset(&b, 0, sizeof(b));
	b.hdr.msgtype = VMBUS_MSG_GPADL_BODY;
	b.msgnumber = 0;	/* Linux leaves it 0; openvmm: reserved */
	b.gpadl = gpadl;
	memcpy(buf, &b, sizeof(b));
	memcpy(buf + sizeof(b), pfns + first, n * sizeof(u64));
	return sizeof(b) + n * sizeof(u64);
}

u32 vmbus_gpadl_build_msg(u32 idx, u32 child_relid, u32 gpadl,
			  const u64 *pfns, u32 npfns, u32 byte_count,
			  void *buf)
{
	if (idx >= vmbus_gpadl_msg_count(npfns))
		return 0;
	/* the single range starts at offset 0 and spans exactly npfns pages */
	if (byte_count == 0 || byte_count / HV_PAGE_SIZE +
	    !!(byte_count % HV_PAGE_SIZE) != npfns)
		return 0;
	if (idx == 0)
		return vmbus_gpadl_build_header(child_relid, gpadl, pfns, npfns,
						byte_count, buf);
	return vmbus_gpadl_build_body(idx, gpadl, pfns, npfns, buf);
}

int vmbus_pkt_parse(const void *pkt, u32 len, struct vmbus_pkt_view *v,
		    const char **why)
{
	struct vmbus_pkt_desc d;
	u32 off, end;

	memset(v, 0, sizeof(*v));
	if (len < sizeof(d)) {
		*why = "shorter than a descriptor";
		return -EBADMSG;
	}
	memcpy(&d, pkt, sizeof(d));
	off = (u32)d.offset8 * 8;
	end = (u32)d.len8 * 8;
	if (end != len) {
		*why = "length does not match len8";
		return -EBADMSG;
	}
	if (off < sizeof(d)) {
		*why = "offset8 inside the descriptor";
		return -EBADMSG;
	}
	if (off > end) {
		*why = "offset8 past len8";
		return -EBADMSG;
	}
	if (d.type == VMBUS_PKT_DATA_USING_XFER_PAGES) {
		struct vmbus_pkt_xfer_pages x;
		u64 table_end;

		if (off < sizeof(x)) {
			*why = "transfer-page header overlaps the payload";
			return -EBADMSG;
		}
		memcpy(&x, pkt, sizeof(x));
		table_end = sizeof(x) +
			    (u64)x.range_cnt * sizeof(struct vmbus_xfer_range);
		if (table_end > off) {
			*why = "transfer-page ranges overlap the payload";
			return -EBADMSG;
		}
		v->xfer_pageset_id = x.xfer_pageset_id;
		v->range_cnt = x.range_cnt;
		v->ranges = (const struct vmbus_xfer_range *)
			((const u8 *)pkt + sizeof(x));
	}

	v->type = d.type;
	v->flags = d.flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED;
	v->unknown_flags = d.flags & ~VMBUS_PKT_FLAG_COMPLETION_REQUESTED;
	v->trans_id = d.trans_id;
	v->payload = (const u8 *)pkt + off;
	v->payload_len = end - off;
	*why = NULL;
	return 0;
}
