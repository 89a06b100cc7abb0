// SPDX-License-Identifier: GPL-2.0-only
/*
 * StorVSP packet builders and validators (see storvsc_proto.h).
 */
#include "storvsc_proto.h"

/* SCSI facts the mapping needs (no SCSI header in shared code) */
#define VSTOR_SCSI_TEST_UNIT_READY	0x00
#define VSTOR_SCSI_INQUIRY		0x12
#define VSTOR_SCSI_MODE_SENSE		0x1a
#define VSTOR_SCSI_MODE_SENSE_10	0x5a
#define VSTOR_SCSI_ATA_12		0xa1
#define VSTOR_SCSI_ATA_16		0x85
#define VSTOR_SCSI_CHECK_CONDITION	0x02
#define VSTOR_SCSI_BUSY			0x08
#define VSTOR_SCSI_TASK_SET_FULL	0x28

const u16 vstor_versions[VSTOR_NUM_VERSIONS] = {
	VSTOR_PROTO_WIN10,
	VSTOR_PROTO_WIN8_1,
	VSTOR_PROTO_WIN8,
	VSTOR_PROTO_WIN7,
	VSTOR_PROTO_WIN6,
};

u32 vstor_srb_size(u16 version)
{
	return version >= VSTOR_PROTO_WIN8 ? VSTOR_SRB_SIZE : VSTOR_SRB_SIZE_PRE_WIN8;
}

u32 vstor_packet_size(u16 version)
{
	return VSTOR_HEADER_SIZE + vstor_srb_size(version);
}

u8 vstor_sense_size(u16 version)
{
	return version >= VSTOR_PROTO_WIN8 ? VSTOR_SENSE_SIZE : VSTOR_SENSE_SIZE_PRE_WIN8;
}

const char *vstor_op_name(u32 op)
{
	static const char *const names[] = {
		[VSTOR_OP_COMPLETE_IO] = "COMPLETE_IO",
		[VSTOR_OP_REMOVE_DEVICE] = "REMOVE_DEVICE",
		[VSTOR_OP_EXECUTE_SRB] = "EXECUTE_SRB",
		[VSTOR_OP_RESET_LUN] = "RESET_LUN",
		[VSTOR_OP_RESET_ADAPTER] = "RESET_ADAPTER",
		[VSTOR_OP_RESET_BUS] = "RESET_BUS",
		[VSTOR_OP_BEGIN_INITIALIZATION] = "BEGIN_INITIALIZATION",
		[VSTOR_OP_END_INITIALIZATION] = "END_INITIALIZATION",
		[VSTOR_OP_QUERY_PROTOCOL_VERSION] = "QUERY_PROTOCOL_VERSION",
		[VSTOR_OP_QUERY_PROPERTIES] = "QUERY_PROPERTIES",
		[VSTOR_OP_ENUMERATE_BUS] = "ENUMERATE_BUS",
		[VSTOR_OP_FCHBA_DATA] = "FCHBA_DATA",
		[VSTOR_OP_CREATE_SUB_CHANNELS] = "CREATE_SUB_CHANNELS",
		[VSTOR_OP_EVENT_NOTIFICATION] = "EVENT_NOTIFICATION",
	};

	if (op < ARRAY_SIZE(names) && names[op])
		return names[op];
	return "UNKNOWN";
}

enum vstor_tid_kind vstor_trans_id_kind(u64 trans_id, u16 *queue, u16 *tag)
{
	u64 v;

	if (trans_id == 0)
		return VSTOR_TID_UNSOLICITED;
	if (trans_id == VSTOR_TID_INIT_VALUE)
		return VSTOR_TID_INIT;
	if (trans_id == VSTOR_TID_RESET_VALUE)
		return VSTOR_TID_RESET;
	v = trans_id - 1;
	if (v > 0xffffffffull)
		return VSTOR_TID_INVALID;
	*queue = (u16)(v >> 16);
	*tag = (u16)(v & 0xffff);
	return VSTOR_TID_IO;
}

/* ---- guest to host ---- */

u32 vstor_build_ctl(struct vstor_packet *p, u32 op, u16 version)
{
	memset(p, 0, sizeof(*p));
	p->operation = op;
	p->flags = VSTOR_FLAG_REQUEST_COMPLETION;
	return vstor_packet_size(version);
}

u32 vstor_build_query_version(struct vstor_packet *p, u16 try_version,
			      u16 version)
{
	u32 len = vstor_build_ctl(p, VSTOR_OP_QUERY_PROTOCOL_VERSION, version);

	p->u.version.major_minor = try_version;
	p->u.version.revision = 0;
	return len;
}

u32 vstor_build_create_subchannels(struct vstor_packet *p, u16 count,
				   u16 version)
{
	u32 len = vstor_build_ctl(p, VSTOR_OP_CREATE_SUB_CHANNELS, version);

	p->u.sub_channel_count = count;
	return len;
}

u32 vstor_build_srb(struct vstor_packet *p, const struct vstor_srb_req *r,
		    u16 version)
{
	struct vstor_srb *srb = &p->u.srb;
	u32 flags = VSTOR_SRB_FLAGS_DISABLE_SYNCH_TRANSFER;

	if (!r->cdb_len || r->cdb_len > VSTOR_CDB_SIZE)
		return 0;
	switch (r->data_in) {
	case VSTOR_DATA_WRITE:
		flags |= VSTOR_SRB_FLAGS_DATA_OUT;
		break;
	case VSTOR_DATA_READ:
		flags |= VSTOR_SRB_FLAGS_DATA_IN;
		break;
	case VSTOR_DATA_UNKNOWN:
		if (r->length)
			return 0;
		break;
	default:
		return 0;
	}
	if (r->data_in != VSTOR_DATA_UNKNOWN && !r->length)
		return 0;

	memset(p, 0, sizeof(*p));
	p->operation = VSTOR_OP_EXECUTE_SRB;
	p->flags = VSTOR_FLAG_REQUEST_COMPLETION;
	srb->length = (u16)vstor_srb_size(version);
	srb->port_number = r->port;
	srb->path_id = r->path;
	srb->target_id = r->target;
	srb->lun = r->lun;
	srb->cdb_length = r->cdb_len;
	srb->sense_info_length = vstor_sense_size(version);
	srb->data_in = r->data_in;
	srb->data_transfer_length = r->length;
	memcpy(srb->cdb_sense, r->cdb, r->cdb_len);
	/* The extension is not sent to pre-Win8 hosts: leave it zero. */
	if (version >= VSTOR_PROTO_WIN8) {
		if (r->tagged) {
			flags |= VSTOR_SRB_FLAGS_QUEUE_ACTION_ENABLE |
				 VSTOR_SRB_FLAGS_NO_QUEUE_FREEZE;
			srb->queue_tag = VSTOR_QUEUE_TAG_UNTAGGED;
			srb->queue_action = VSTOR_QUEUE_ACTION_SIMPLE;
		}
		srb->srb_flags = flags;
		srb->time_out_value = r->timeout_s;
	}
	return vstor_packet_size(version);
}

/* ---- host to guest ---- */

int vstor_copy_reply(const void *payload, u32 len, struct vstor_reply *r,
		     const char **why)
{
	u32 n = len < sizeof(r->pkt) ? len : (u32)sizeof(r->pkt);

	memset(r, 0, sizeof(*r));
	if (len < sizeof(r->pkt.operation)) {
		*why = "shorter than an operation code";
		return -EBADMSG;
	}
	memcpy(&r->pkt, payload, n);
	r->len = len;
	return 0;
}

/* Bytes of the union a completion of op must carry. */
static u32 vstor_ctl_reply_payload(u32 op)
{
	switch (op) {
	case VSTOR_OP_QUERY_PROTOCOL_VERSION:
		return sizeof(struct vstor_protocol_version);
	case VSTOR_OP_QUERY_PROPERTIES:
		return sizeof(struct vstor_channel_properties);
	case VSTOR_OP_FCHBA_DATA:
		return sizeof(struct vstor_fc_wwn);
	default:
		return 0;
	}
}

int vstor_check_ctl_reply(const struct vstor_reply *r, u32 op_sent,
			  const char **why)
{
	if (r->len < VSTOR_HEADER_SIZE) {
		*why = "completion shorter than the vstor header";
		return -EBADMSG;
	}
	if (r->pkt.operation != VSTOR_OP_COMPLETE_IO) {
		*why = "completion whose operation is not COMPLETE_IO";
		return -EBADMSG;
	}
	/* a failed request need not carry its payload */
	if (r->pkt.status == VSTOR_NT_SUCCESS &&
	    r->len < VSTOR_HEADER_SIZE + vstor_ctl_reply_payload(op_sent)) {
		*why = "completion too short for the request's answer";
		return -EBADMSG;
	}
	return 0;
}

int vstor_parse_properties(const struct vstor_reply *r, u16 version, u32 cap,
			   struct vstor_limits *lim, const char **why)
{
	const struct vstor_channel_properties *props = &r->pkt.u.props;
	u32 max = props->max_transfer_bytes;

	memset(lim, 0, sizeof(*lim));
	if (max < VSTOR_MIN_TRANSFER) {
		*why = "max_transfer_bytes below 4 KiB";
		return -EINVAL;
	}
	max &= ~(HV_PAGE_SIZE - 1);
	if (max > cap) {
		max = cap;
		lim->transfer_clamped = 1;
	}
	lim->max_transfer = max;
	/* multi-channel exists from Win8 (5.1) on, whatever older hosts say */
	if (version >= VSTOR_PROTO_WIN8 &&
	    (props->flags & VSTOR_PROP_MULTI_CHANNEL)) {
		lim->multi_channel = 1;
		lim->max_sub_channels = props->max_channel_cnt;
	}
	return 0;
}

u16 vstor_subchannel_count(u32 online_cpus, u16 host_max, u32 max_queues)
{
	u32 n = online_cpus > 1 ? online_cpus - 1 : 0;

	if (n > host_max)
		n = host_max;
	if (max_queues && n > max_queues - 1)
		n = max_queues - 1;
	if (n > VSTOR_MAX_SUBCHANNELS)
		n = VSTOR_MAX_SUBCHANNELS;
	return (u16)n;
}

int vstor_check_unsolicited(const struct vstor_reply *r, const char **why)
{
	switch (r->pkt.operation) {
	case VSTOR_OP_ENUMERATE_BUS:
	case VSTOR_OP_REMOVE_DEVICE:
		return 0;
	case VSTOR_OP_FCHBA_DATA:
		if (r->len < VSTOR_HEADER_SIZE + sizeof(struct vstor_fc_wwn)) {
			*why = "FCHBA_DATA too short for the port names";
			return -EBADMSG;
		}
		return 0;
	case VSTOR_OP_COMPLETE_IO:
		*why = "COMPLETE_IO with transaction id 0";
		return -EBADMSG;
	default:
		*why = "unsupported unsolicited operation";
		return -EOPNOTSUPP;
	}
}

int vstor_parse_io_reply(const struct vstor_reply *r, u16 version,
			 u32 request_len, struct vstor_io_result *res,
			 const char **why)
{
	const struct vstor_srb *srb = &r->pkt.u.srb;

	memset(res, 0, sizeof(*res));
	if (r->pkt.operation != VSTOR_OP_COMPLETE_IO) {
		*why = "I/O completion whose operation is not COMPLETE_IO";
		return -EBADMSG;
	}
	if (r->len < vstor_packet_size(version)) {
		*why = "I/O completion shorter than the negotiated packet size";
		return -EBADMSG;
	}
	res->nt_status = r->pkt.status;
	res->srb_status = srb->srb_status;
	res->scsi_status = srb->scsi_status;
	res->data_transfer_length = srb->data_transfer_length;
	res->dtl_valid = srb->data_transfer_length <= request_len;
	res->sense = srb->cdb_sense;
	if (srb->scsi_status == VSTOR_SCSI_CHECK_CONDITION &&
	    (srb->srb_status & VSTOR_SRB_FLAG_AUTOSENSE_VALID)) {
		/* the area is 20 bytes in both layouts */
		if (srb->sense_info_length > VSTOR_CDB_SENSE_AREA) {
			res->sense_len = VSTOR_CDB_SENSE_AREA;
			res->sense_clamped = 1;
		} else {
			res->sense_len = srb->sense_info_length;
		}
	}
	return 0;
}

int vstor_range_add(u64 *pfn, u32 max, u32 *n, u64 *end, u64 phys, u32 len)
{
	const u64 mask = HV_PAGE_SIZE - 1;
	u64 first, last;

	if (!len || phys + len < phys || *n > max)
		return -EINVAL;
	if (*n && phys != *end && ((phys | *end) & mask))
		return -EINVAL;		/* a hole inside a page */
	if (*n && phys == *end)		/* its first page may be listed */
		first = (phys + mask) >> HV_PAGE_SHIFT;
	else
		first = phys >> HV_PAGE_SHIFT;
	last = (phys + len - 1) >> HV_PAGE_SHIFT;
	if (last >= first && last - first >= max - *n)
		return -EINVAL;
	for (; first <= last; first++)
		pfn[(*n)++] = first;
	*end = phys + len;
	return 0;
}

int vstor_sense_asc(const u8 *sense, u32 len, u8 *asc, u8 *ascq)
{
	u8 code;

	if (len < 1)
		return 0;
	code = sense[0] & 0x7f;
	if (code == 0x70 || code == 0x71) {
		if (len < 14)
			return 0;
		*asc = sense[12];
		*ascq = sense[13];
		return 1;
	}
	if (code == 0x72 || code == 0x73) {
		if (len < 4)
			return 0;
		*asc = sense[2];
		*ascq = sense[3];
		return 1;
	}
	return 0;
}

/* Codes saying the addressed device does not exist. */
static int vstor_srb_absent(u8 code)
{
	return code == VSTOR_SRB_INVALID_LUN ||
	       code == VSTOR_SRB_INVALID_TARGET_ID ||
	       code == VSTOR_SRB_INVALID_PATH_ID ||
	       code == VSTOR_SRB_NO_DEVICE || code == VSTOR_SRB_NO_HBA;
}

/*
 * INQUIRY and MODE SENSE(6)/(10): Hyper-V hosts fail pages they do not
 * implement (INQUIRY page 0x80, MODE SENSE page 0x1c) instead of
 * answering them; the in-tree guests treat that as success.
 */
static int vstor_host_fails_pages(u8 opcode)
{
	return opcode == VSTOR_SCSI_INQUIRY || opcode == VSTOR_SCSI_MODE_SENSE ||
	       opcode == VSTOR_SCSI_MODE_SENSE_10;
}

/* The host or the device is busy: the command is worth retrying. */
static int vstor_busy(u8 code, u8 status)
{
	return code == VSTOR_SRB_BUSY || status == VSTOR_SCSI_BUSY ||
	       status == VSTOR_SCSI_TASK_SET_FULL;
}

/*
 * Unit attentions after which the LUN is revalidated and the command
 * retried: capacity data has changed (2A/09), and operating conditions
 * have changed (3F/xx), which Hyper-V reports when a differencing disk is
 * added or removed (the VHDX block size, so the discard granularity,
 * changes).  3F/03 (INQUIRY data) and 3F/0E (REPORTED LUNS data) stay with
 * the SCSI layer, which raises its own events for them.
 */
static int vstor_sense_rescan(const u8 *sense, u32 len)
{
	u8 asc, ascq;

	if (!vstor_sense_asc(sense, len, &asc, &ascq))
		return 0;
	if (asc == 0x2a)
		return ascq == 0x09;
	return asc == 0x3f && ascq != 0x03 && ascq != 0x0e;
}

/* A failure without sense data. */
static u8 vstor_failed_no_sense(u8 opcode)
{
	/* pass-through ATA commands: the caller reads the ATA status */
	if (opcode == VSTOR_SCSI_ATA_12 || opcode == VSTOR_SCSI_ATA_16)
		return VSTOR_HOST_PASSTHROUGH;
	/* some hosts fail TEST UNIT READY this way: judge by the status */
	if (opcode == VSTOR_SCSI_TEST_UNIT_READY)
		return VSTOR_HOST_OK;
	return VSTOR_HOST_ERROR;
}

void vstor_map_result(const struct vstor_io_result *res, u8 opcode,
		      u32 request_len, struct vstor_verdict *v)
{
	u8 code = VSTOR_SRB_CODE(res->srb_status);
	u8 status = res->scsi_status;
	u8 sense_len = res->sense_len;
	/* checked against this request_len too: resid never wraps */
	int dtl_ok = res->dtl_valid && res->data_transfer_length <= request_len;
	u32 xfer = 0;

	memset(v, 0, sizeof(*v));

	/*
	 * A failed page is taken as success, with what the host moved.  Not
	 * when the device itself is missing, and not when it is busy:
	 * that is retried rather than answered with an empty page.
	 */
	if (vstor_host_fails_pages(opcode) && !vstor_srb_absent(code) &&
	    !vstor_busy(code, status) && (code != VSTOR_SRB_SUCCESS || status)) {
		code = VSTOR_SRB_SUCCESS;
		status = 0;
		sense_len = 0;
	}

	v->status = status;
	v->sense_len = sense_len;

	/*
	 * Revalidate, then retry.  Not for a device the host says is
	 * missing, whatever sense came with that: INVALID_LUN must still
	 * remove the LUN.
	 */
	if (sense_len && !vstor_srb_absent(code) &&
	    vstor_sense_rescan(res->sense, sense_len)) {
		v->host = VSTOR_HOST_REQUEUE;
		v->action = VSTOR_ACT_RESCAN_LUN;
		v->resid = request_len;
		return;
	}

	switch (code) {
	case VSTOR_SRB_SUCCESS:
		if (!dtl_ok) {
			v->host = VSTOR_HOST_ERROR;
			break;
		}
		v->host = VSTOR_HOST_OK;
		xfer = res->data_transfer_length;
		break;
	case VSTOR_SRB_DATA_OVERRUN:
		/*
		 * The length is valid.  With GOOD status a short transfer
		 * (Hyper-V's FC passthrough answers this way with the data
		 * in the buffer); with a failed status and no sense, like the
		 * other failures without sense: a CHECK CONDITION without
		 * sense would start the SCSI error handler.
		 */
		if (!dtl_ok) {
			v->host = VSTOR_HOST_ERROR;
			break;
		}
		xfer = res->data_transfer_length;
		if (status && !sense_len)
			v->host = vstor_failed_no_sense(opcode);
		else
			v->host = VSTOR_HOST_OK;
		break;
	case VSTOR_SRB_INVALID_LUN:
		v->host = VSTOR_HOST_NO_CONNECT;
		v->action = VSTOR_ACT_REMOVE_LUN;
		break;
	case VSTOR_SRB_INVALID_TARGET_ID:
	case VSTOR_SRB_INVALID_PATH_ID:
	case VSTOR_SRB_NO_DEVICE:
	case VSTOR_SRB_NO_HBA:
		v->host = VSTOR_HOST_NO_CONNECT;
		break;
	case VSTOR_SRB_BUSY:
		v->host = VSTOR_HOST_BUS_BUSY;
		break;
	default:
		/* with sense, the SCSI layer decides from it */
		v->host = sense_len ? VSTOR_HOST_OK : vstor_failed_no_sense(opcode);
		break;
	}
	v->resid = request_len - xfer;
}
