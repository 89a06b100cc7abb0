/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NVSP message builders and validators.  Pure protocol code shared with
 * tests/unit: only hv_port.h and the wire headers are included.
 *
 * Every NVSP message from the host is first copied by nvsp_copy_msg()
 * into a zero-padded struct nvsp_msg; the checks below then decide
 * whether the driver may use it.
 */
#ifndef NVSP_CODEC_H
#define NVSP_CODEC_H

#include "hv_port.h"
#include "nvsp.h"
#include "vmbus_ring.h"

/* Versions we try, newest first */
extern const u32 nvsp_versions[];
#define NVSP_NUM_VERSIONS	5

/* NDIS version to announce for an NVSP version */
u32 nvsp_ndis_version(u32 nvsp_version);

/* A host message, zero padded to the full size. */
struct nvsp_host_msg {
	struct nvsp_msg m;
	u32 len;			/* bytes the host sent */
};

/*
 * Copy and check the minimum length for the message type: -EBADMSG when
 * shorter than the type's body; unknown types are accepted here (len >= 4)
 * and left to the caller.
 */
int nvsp_copy_msg(const void *payload, u32 len, struct nvsp_host_msg *h,
		  const char **why);

/* INIT_COMPLETE: 0 when accepted, -EPROTONOSUPPORT when refused. */
int nvsp_check_init_complete(const struct nvsp_host_msg *h, const char **why);

/* Receive buffer layout from SEND_RECV_BUF_COMPLETE */
struct nvsp_recv_layout {
	u32 sub_alloc_size;
	u32 num_sub_allocs;
	u32 end_offset;
};
int nvsp_check_recv_buf_complete(const struct nvsp_host_msg *h, u32 buf_size,
				 struct nvsp_recv_layout *lay, const char **why);

/* Send buffer sections from SEND_SEND_BUF_COMPLETE */
struct nvsp_send_layout {
	u32 section_size;
	u32 num_sections;
};
int nvsp_check_send_buf_complete(const struct nvsp_host_msg *h, u32 buf_size,
				 struct nvsp_send_layout *lay, const char **why);

/* SUBCHANNEL completion: number of sub-channels the host will offer. */
int nvsp_check_subchannel_complete(const struct nvsp_host_msg *h, u32 asked,
				   u32 *granted, const char **why);

/*
 * SEND_INDIRECTION_TABLE: copies the table (count must be
 * NVSP_SEND_TABLE_SIZE, entries within the message) as the host sent it:
 * an entry is a queue only if it names a live one, which the user checks
 * at each use.  payload/len: the whole host packet payload.
 */
int nvsp_parse_send_table(const void *payload, u32 len,
			  u32 table[NVSP_SEND_TABLE_SIZE], const char **why);

/*
 * Check a transfer-page packet's ranges against the receive buffer:
 * every range at least an RNDIS header long, inside the buffer (no
 * overflow), no two ranges overlapping.  scratch: room for count u64
 * (scratch_n of them).  -EBADMSG (*bad: a bad range's index) or 0.
 */
int nvsp_check_xfer_ranges(const struct vmbus_xfer_range *r, u32 count,
			   u32 buf_size, u64 *scratch, u32 scratch_n,
			   u32 *bad, const char **why);

/* Builders: fill *m (zeroed first), return the length to send. */
u32 nvsp_build_init(struct nvsp_msg *m, u32 version);
u32 nvsp_build_ndis_config(struct nvsp_msg *m, u32 mtu, u32 nvsp_version);
u32 nvsp_build_ndis_version(struct nvsp_msg *m, u32 nvsp_version);
u32 nvsp_build_send_buf(struct nvsp_msg *m, u32 type, u32 gpadl, u16 id);
u32 nvsp_build_revoke(struct nvsp_msg *m, u32 type, u16 id);
u32 nvsp_build_rndis_pkt(struct nvsp_msg *m, u32 channel_type, u32 section,
			 u32 size);
u32 nvsp_build_rndis_complete(struct nvsp_msg *m, u32 status);
u32 nvsp_build_subchannel(struct nvsp_msg *m, u32 count);

/*
 * Transaction ids of our requests: the top byte says what a completion
 * completes, the low 32 bits which.
 */
#define NVSP_TID_KIND_SHIFT	56
#define NVSP_TID_CTL		0x4eull		/* NVSP control, low = type */
#define NVSP_TID_TX		0x54ull		/* send section, low = index */
#define NVSP_TID_CTL_VALUE(type) ((NVSP_TID_CTL << NVSP_TID_KIND_SHIFT) | (type))
#define NVSP_TID_TX_VALUE(q, idx) ((NVSP_TID_TX << NVSP_TID_KIND_SHIFT) | \
				   ((u64)(q) << 32) | (idx))

enum nvsp_tid_kind {
	NVSP_TID_KIND_CTL,
	NVSP_TID_KIND_TX,
	NVSP_TID_KIND_INVALID,
};
/* Decode: CTL: *b = NVSP type; TX: *a = queue, *b = section index. */
enum nvsp_tid_kind nvsp_tid_decode(u64 trans_id, u32 *a, u32 *b);

#endif /* NVSP_CODEC_H */
