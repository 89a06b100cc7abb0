/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * StorVSP packet builders and validators.  Pure protocol code, shared with
 * tests/unit: it includes only the wire headers and hv_port.h, never a
 * kernel header, so it builds unchanged in userspace.
 *
 * Every host packet goes through vstor_copy_reply() (fixed-size, zero
 * padded copy) and then one of the vstor_check_*() / vstor_parse_*()
 * functions; the driver looks at no host byte those did not check.
 */
#ifndef STORVSC_PROTO_H
#define STORVSC_PROTO_H

#include "hv_port.h"
#include "vstor.h"

/* Versions we offer, newest first */
extern const u16 vstor_versions[];
#define VSTOR_NUM_VERSIONS	5

/* Sizes for a negotiated version; 0 (not negotiated yet) = pre-Win8 */
u32 vstor_srb_size(u16 version);
u32 vstor_packet_size(u16 version);
u8 vstor_sense_size(u16 version);
const char *vstor_op_name(u32 op);

/*
 * Transaction ids.  Control requests use the two fixed ids the in-tree
 * guests use; I/O uses ((queue << 16) | tag) + 1, so queue 0 sends
 * "blk-mq tag + 1" and 0 (unsolicited host messages) is never an I/O.
 */
enum vstor_tid_kind {
	VSTOR_TID_UNSOLICITED,
	VSTOR_TID_INIT,
	VSTOR_TID_RESET,
	VSTOR_TID_IO,
	VSTOR_TID_INVALID,
};
#define VSTOR_TID_INIT_VALUE	0xfffffffffffffffdull	/* VMBUS_RQST_INIT */
#define VSTOR_TID_RESET_VALUE	0xfffffffffffffffcull	/* VMBUS_RQST_RESET */

static inline u64 vstor_io_trans_id(u16 queue, u16 tag)
{
	return (((u64)queue << 16) | tag) + 1;
}

enum vstor_tid_kind vstor_trans_id_kind(u64 trans_id, u16 *queue, u16 *tag);

/*
 * Builders: fill *p (zeroed first) and return the number of bytes to
 * send, which depends on the negotiated version (0 before negotiation).
 */
u32 vstor_build_ctl(struct vstor_packet *p, u32 op, u16 version);
u32 vstor_build_query_version(struct vstor_packet *p, u16 try_version,
			      u16 version);
u32 vstor_build_create_subchannels(struct vstor_packet *p, u16 count,
				   u16 version);

struct vstor_srb_req {
	u8 port;
	u8 path;
	u8 target;
	u8 lun;
	const u8 *cdb;
	u8 cdb_len;			/* 1..16 */
	u8 data_in;			/* VSTOR_DATA_* */
	u8 tagged;			/* the device does command queueing */
	u32 length;			/* data bytes (0 with VSTOR_DATA_UNKNOWN) */
	u32 timeout_s;
};
/* Returns 0 when the request cannot be expressed (bad cdb_len / data_in). */
u32 vstor_build_srb(struct vstor_packet *p, const struct vstor_srb_req *r,
		    u16 version);

/* A host packet, copied into a zero-padded full-size vstor_packet. */
struct vstor_reply {
	struct vstor_packet pkt;
	u32 len;			/* bytes the host sent */
};

/* -EBADMSG when len < 4 (not even an operation). */
int vstor_copy_reply(const void *payload, u32 len, struct vstor_reply *r,
		     const char **why);

/*
 * Completion of a control request (trans_id INIT or RESET) of operation
 * op_sent: operation must be COMPLETE_IO and the packet long enough for
 * what that request returns.  The caller then looks at pkt.status.
 */
int vstor_check_ctl_reply(const struct vstor_reply *r, u32 op_sent,
			  const char **why);

/* Channel limits from a QUERY_PROPERTIES reply, sanitised. */
#define VSTOR_MIN_TRANSFER	4096u
#define VSTOR_MAX_SUBCHANNELS	64u
struct vstor_limits {
	u32 max_transfer;		/* bytes, 4 KiB multiple, <= cap */
	u16 max_sub_channels;		/* 0 without multi-channel support */
	u8 multi_channel;
	u8 transfer_clamped;		/* the host offered more than cap */
};
/* -EINVAL when max_transfer_bytes < 4 KiB; cap >= 4 KiB (4 KiB multiple) */
int vstor_parse_properties(const struct vstor_reply *r, u16 version, u32 cap,
			   struct vstor_limits *lim, const char **why);

/*
 * Sub-channels to ask for: min(online CPUs - 1, host maximum,
 * max_queues - 1 when max_queues != 0, VSTOR_MAX_SUBCHANNELS).
 */
u16 vstor_subchannel_count(u32 online_cpus, u16 host_max, u32 max_queues);

/* Unsolicited host message (trans_id 0): 0, or -EBADMSG / -EOPNOTSUPP. */
int vstor_check_unsolicited(const struct vstor_reply *r, const char **why);

/* An EXECUTE_SRB completion, checked against the request it completes. */
struct vstor_io_result {
	u32 nt_status;
	u32 data_transfer_length;	/* as sent by the host */
	u8 srb_status;			/* raw, with flags */
	u8 scsi_status;
	u8 dtl_valid;			/* data_transfer_length <= request */
	u8 sense_len;			/* valid sense bytes in sense[] */
	u8 sense_clamped;		/* the host claimed more than the area */
	const u8 *sense;		/* points into the reply */
};
int vstor_parse_io_reply(const struct vstor_reply *r, u16 version,
			 u32 request_len, struct vstor_io_result *res,
			 const char **why);

/* How the SCSI layer should see a completion (the driver maps the enums). */
enum vstor_host_byte {
	VSTOR_HOST_OK,
	VSTOR_HOST_ERROR,
	VSTOR_HOST_NO_CONNECT,
	VSTOR_HOST_REQUEUE,
	VSTOR_HOST_BUS_BUSY,
	VSTOR_HOST_PASSTHROUGH,
};
enum vstor_action {
	VSTOR_ACT_NONE,
	VSTOR_ACT_RESCAN_LUN,		/* unit attention 2A/09, 3F/xx: revalidate */
	VSTOR_ACT_REMOVE_LUN,		/* INVALID_LUN: the LUN is gone */
};
struct vstor_verdict {
	u8 host;			/* enum vstor_host_byte */
	u8 action;			/* enum vstor_action */
	u8 status;			/* SCSI status byte */
	u8 sense_len;			/* bytes of res->sense to copy */
	u32 resid;
};
void vstor_map_result(const struct vstor_io_result *res, u8 opcode,
		      u32 request_len, struct vstor_verdict *v);

/*
 * A request's data buffer as the one GPA range of an EXECUTE_SRB (a VMBus
 * GPA-direct packet, byte_offset into the first page and byte_count from
 * there: the host reads the pages as one contiguous buffer).  Pieces are
 * added in order; *n (0 before the first) counts the PFNs written to
 * pfn[max], *end is the physical end of the last piece.  A piece must
 * start on a page boundary after a piece that ended on one, or exactly
 * where the last piece ended (physically contiguous, e.g. two 1 KiB blocks
 * of one page that a kernel without segment clustering did not merge).
 * -EINVAL for an empty piece, a gap, or more than max PFNs.
 */
int vstor_range_add(u64 *pfn, u32 max, u32 *n, u64 *end, u64 phys, u32 len);

/* ASC/ASCQ of fixed (0x70/0x71) or descriptor (0x72/0x73) sense data. */
int vstor_sense_asc(const u8 *sense, u32 len, u8 *asc, u8 *ascq);

#endif /* STORVSC_PROTO_H */
