// SPDX-License-Identifier: GPL-2.0-only
/*
 * StorVSP: the host side of synthetic SCSI (class "scsi").
 *
 * Protocol: vstor (src/include/vstor.h) as Hyper-V's StorVSP speaks it:
 * BEGIN_INITIALIZATION, QUERY_PROTOCOL_VERSION (2.0 .. 6.2, 48-byte
 * packets below 5.1), QUERY_PROPERTIES, END_INITIALIZATION,
 * CREATE_SUB_CHANNELS, EXECUTE_SRB, RESET_*; ENUMERATE_BUS to the guest
 * when a LUN comes or goes.  Every answer is a COMPLETE_IO completion with
 * the request's transaction id, on the channel the request came on.
 *
 * The LUNs are real SCSI devices of this kernel (storvsp_backing.c): every
 * CDB is executed by the backing device (QEMU's scsi-hd), so INQUIRY, VPD,
 * READ CAPACITY, sense data and UNMAP come from it.  The host itself only
 * answers REPORT LUNS (LUN numbering is the host's, as on Hyper-V) and
 * refuses what does not address a present LUN of target 0.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": storvsp: " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_proto.h>

#include "hv_devids.h"
#include "storvsp.h"
#include "vmbus_msg.h"

static unsigned int storvsp_version = VSTOR_PROTO_WIN10;
module_param(storvsp_version, uint, 0444);
MODULE_PARM_DESC(storvsp_version,
		 "newest vstor version accepted: 0x200, 0x402, 0x501, 0x600, 0x602");
static unsigned int storvsp_subchannels = 4;
module_param(storvsp_subchannels, uint, 0444);
MODULE_PARM_DESC(storvsp_subchannels,
		 "max_channel_cnt reported (0 = no multi-channel), at most 64");

struct sp_chan {
	struct sim_chan *chan;
	u16 version;			/* negotiated (primary; copied to subs) */
	bool has_luns;			/* first scsi instance only */
	spinlock_t lock;		/* done */
	struct list_head done;
	struct work_struct done_work;
	atomic_t inflight;
	wait_queue_head_t idle;
};

struct sp_req {
	struct list_head node;
	struct sp_chan *spc;
	u64 trans_id;
	u32 pkt_size;			/* the guest's packet size: 48 or 64 */
	struct vstor_packet pkt;	/* the request, answered in place */
	void *va;			/* vmap of the guest's pages */
	u32 len;
	int result;			/* SCSI midlayer result */
	u32 resid;
	u8 sense[SCSI_SENSE_BUFFERSIZE];
	u32 sense_len;
};

struct storvsp sp;

static bool version_known(u16 v)
{
	return v == VSTOR_PROTO_WIN6 || v == VSTOR_PROTO_WIN7 ||
	       v == VSTOR_PROTO_WIN8 || v == VSTOR_PROTO_WIN8_1 ||
	       v == VSTOR_PROTO_WIN10;
}

static void sp_send(struct sim_chan *chan, u64 id, struct vstor_packet *vp,
		    u32 size)
{
	int ret = sim_chan_send_completion(chan, id, vp, size);

	if (ret && ret != -ESHUTDOWN)
		pr_warn_ratelimited("relid %u: completion %#llx not sent: %d\n",
				    sim_chan_relid(chan), id, ret);
}

static void sp_reply(struct sim_chan *chan, u64 id, struct vstor_packet *vp,
		     u32 status, u32 size)
{
	vp->operation = VSTOR_OP_COMPLETE_IO;
	vp->flags = 0;
	vp->status = status;
	sp_send(chan, id, vp, size);
}

/* An SRB answered by the host itself, nothing transferred. */
static void sp_srb_reply(struct sim_chan *chan, u64 id, struct vstor_packet *vp,
			 u8 srb_status, u32 size)
{
	vp->u.srb.srb_status = srb_status;
	vp->u.srb.scsi_status = 0;
	vp->u.srb.sense_info_length = 0;
	vp->u.srb.data_transfer_length = 0;
	sp_reply(chan, id, vp, VSTOR_NT_SUCCESS, size);
}

/* ---- completions (process context, per channel) ---- */

static u32 sense_length(const u8 *s)
{
	switch (s[0] & 0x7f) {
	case 0x70:
	case 0x71:
	case 0x72:
	case 0x73:
		return min_t(u32, 8 + s[7], SCSI_SENSE_BUFFERSIZE);
	default:
		return 0;
	}
}

static void sp_finish(struct sp_req *req)
{
	struct vstor_srb *srb = &req->pkt.u.srb;
	u8 host = (req->result >> 16) & 0xff;
	u8 status = req->result & 0xff;
	u32 want = srb->sense_info_length, n;
	int delay = sp_fault_take(&sp.f_delay);

	if (delay > 0)
		msleep(sp.f_delay_ms);
	if (sp_fault_take(&sp.f_unknown) > 0) {
		struct vstor_packet bogus = req->pkt;

		/* an id the guest never used: must be dropped by it */
		sp_reply(req->spc->chan, 0x7fff0000ull | req->trans_id, &bogus,
			 VSTOR_NT_SUCCESS, req->pkt_size);
	}

	srb->scsi_status = status;
	srb->sense_info_length = 0;
	if (host != DID_OK) {
		srb->srb_status = host == DID_NO_CONNECT ? VSTOR_SRB_NO_DEVICE :
				  host == DID_TIME_OUT ? VSTOR_SRB_TIMEOUT :
				  host == DID_BUS_BUSY ? VSTOR_SRB_BUSY :
				  VSTOR_SRB_ERROR;
		srb->data_transfer_length = 0;
		atomic64_inc(&sp.errors);
	} else {
		srb->data_transfer_length = req->len - min(req->resid, req->len);
		if (status == SAM_STAT_GOOD) {
			srb->srb_status = VSTOR_SRB_SUCCESS;
		} else {
			srb->srb_status = VSTOR_SRB_ERROR;
			n = min3(want, req->sense_len, (u32)VSTOR_CDB_SENSE_AREA);
			if (status == SAM_STAT_CHECK_CONDITION && n) {
				memcpy(srb->cdb_sense, req->sense, n);
				srb->sense_info_length = n;
				srb->srb_status |= VSTOR_SRB_FLAG_AUTOSENSE_VALID;
			}
		}
	}
	sp_reply(req->spc->chan, req->trans_id, &req->pkt, VSTOR_NT_SUCCESS,
		 req->pkt_size);
}

static void sp_req_free(struct sp_req *req)
{
	struct sp_chan *spc = req->spc;

	if (req->va)
		vunmap(req->va);
	kfree(req);
	if (atomic_dec_and_test(&spc->inflight))
		wake_up_all(&spc->idle);
}

static void sp_done_work(struct work_struct *w)
{
	struct sp_chan *spc = container_of(w, struct sp_chan, done_work);
	struct sp_req *req;

	for (;;) {
		spin_lock_irq(&spc->lock);
		req = list_first_entry_or_null(&spc->done, struct sp_req, node);
		if (req)
			list_del(&req->node);
		spin_unlock_irq(&spc->lock);
		if (!req)
			return;
		sp_finish(req);
		sp_req_free(req);
	}
}

static enum rq_end_io_ret sp_end_io(struct request *rq, blk_status_t err)
{
	struct scsi_cmnd *scmd = blk_mq_rq_to_pdu(rq);
	struct sp_req *req = rq->end_io_data;
	struct sp_chan *spc = req->spc;
	unsigned long flags;

	req->result = scmd->result;
	if (err && !req->result)
		req->result = DID_ERROR << 16;
	req->resid = scmd->resid_len;
	memcpy(req->sense, scmd->sense_buffer, SCSI_SENSE_BUFFERSIZE);
	req->sense_len = sense_length(req->sense);
	spin_lock_irqsave(&spc->lock, flags);
	list_add_tail(&req->node, &spc->done);
	spin_unlock_irqrestore(&spc->lock, flags);
	queue_work(sp.wq, &spc->done_work);
	return RQ_END_IO_FREE;
}

/* ---- EXECUTE_SRB ---- */

/* REPORT LUNS of target 0: the present LUNs, in the single-level format. */
static u32 sp_report_luns(u8 *buf, u32 len)
{
	u32 i, n = 0, out;

	mutex_lock(&sp.lock);
	for (i = 0; i < sp.nluns; i++) {
		if (!sp.luns[i].present || !sp.luns[i].sdev)
			continue;
		if (8 + 8 * (n + 1) <= len) {
			memset(buf + 8 + 8 * n, 0, 8);
			buf[8 + 8 * n + 1] = i;
		}
		n++;
	}
	mutex_unlock(&sp.lock);
	if (len >= 8) {
		memset(buf, 0, 8);
		buf[0] = (8 * n) >> 24;
		buf[1] = (8 * n) >> 16;
		buf[2] = (8 * n) >> 8;
		buf[3] = 8 * n;
	}
	out = min(len, 8 + 8 * n);
	return out;
}

static void *sp_map_guest(const struct vmbus_gpa_range *r, u32 npfn)
{
	struct page **pages;
	void *va = NULL;
	u32 i;

	pages = kmalloc_array(npfn, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < npfn; i++) {
		if (!pfn_valid(r->pfn[i])) {
			pr_warn_ratelimited("SRB names pfn %#llx, not guest RAM\n",
					    r->pfn[i]);
			goto out;
		}
		pages[i] = pfn_to_page(r->pfn[i]);
	}
	va = vmap(pages, npfn, VM_MAP, PAGE_KERNEL);
out:
	kfree(pages);
	return va;
}

static void sp_execute(struct sp_chan *spc, u64 id, struct vstor_packet *vp,
		       u32 size, const struct vmbus_gpa_range *r, u32 npfn)
{
	struct vstor_srb *srb = &vp->u.srb;
	struct scsi_device *sdev = NULL;
	struct scsi_cmnd *scmd;
	struct request *rq;
	struct sp_req *req;
	u32 len = srb->data_transfer_length;
	int code;

	atomic64_inc(&sp.srbs);
	if (srb->cdb_length < 1 || srb->cdb_length > VSTOR_CDB_SIZE ||
	    srb->data_in > VSTOR_DATA_UNKNOWN ||
	    (r && (len != r->byte_count || srb->data_in == VSTOR_DATA_UNKNOWN)) ||
	    (!r && len)) {
		sp_srb_reply(spc->chan, id, vp, VSTOR_SRB_INVALID_REQUEST, size);
		return;
	}
	if (!spc->has_luns || srb->path_id || srb->target_id) {
		sp_srb_reply(spc->chan, id, vp, VSTOR_SRB_INVALID_TARGET_ID, size);
		return;
	}
	code = sp_fault_take(&sp.f_error);
	if (code > 0) {
		/* refused without touching the disk: the guest must retry */
		sp_srb_reply(spc->chan, id, vp, sp.f_error_code, size);
		atomic64_inc(&sp.errors);
		return;
	}

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req) {
		sp_srb_reply(spc->chan, id, vp, VSTOR_SRB_BUSY, size);
		return;
	}
	req->spc = spc;
	req->trans_id = id;
	req->pkt_size = size;
	req->pkt = *vp;
	req->len = len;
	atomic_inc(&spc->inflight);
	if (r) {
		req->va = sp_map_guest(r, npfn);
		if (!req->va) {
			sp_srb_reply(spc->chan, id, vp, VSTOR_SRB_INVALID_REQUEST, size);
			goto free;
		}
	}

	if (srb->cdb_sense[0] == REPORT_LUNS) {
		u32 got = req->va ? sp_report_luns((u8 *)req->va + r->byte_offset,
						   len) : 0;

		req->resid = len - got;
		req->result = 0;
		sp_finish(req);
		goto free;
	}

	mutex_lock(&sp.lock);
	if (srb->lun < sp.nluns && sp.luns[srb->lun].present) {
		sdev = sp.luns[srb->lun].sdev;
		if (sdev && scsi_device_get(sdev))
			sdev = NULL;
	}
	mutex_unlock(&sp.lock);
	if (!sdev) {
		sp_srb_reply(spc->chan, id, vp, VSTOR_SRB_INVALID_LUN, size);
		goto free;
	}

	rq = scsi_alloc_request(sdev->request_queue,
				srb->data_in == VSTOR_DATA_WRITE ?
				REQ_OP_DRV_OUT : REQ_OP_DRV_IN, 0);
	if (IS_ERR(rq)) {
		scsi_device_put(sdev);
		sp_srb_reply(spc->chan, id, vp, VSTOR_SRB_BUSY, size);
		goto free;
	}
	scmd = blk_mq_rq_to_pdu(rq);
	scmd->cmd_len = srb->cdb_length;
	memcpy(scmd->cmnd, srb->cdb_sense, srb->cdb_length);
	scmd->allowed = 0;	/* retries are the guest's business */
	rq->timeout = 60 * HZ;
	if (len && blk_rq_map_kern(sdev->request_queue, rq,
				   (u8 *)req->va + r->byte_offset, len,
				   GFP_KERNEL)) {
		blk_mq_free_request(rq);
		scsi_device_put(sdev);
		sp_srb_reply(spc->chan, id, vp, VSTOR_SRB_ERROR, size);
		goto free;
	}
	rq->end_io = sp_end_io;
	rq->end_io_data = req;
	blk_execute_rq_nowait(rq, false);
	/* the request holds the queue; our reference is no longer needed */
	scsi_device_put(sdev);
	return;
free:
	sp_req_free(req);
}

/* ---- the channel ---- */

static void sp_packet(struct sim_chan *chan, const void *pkt, u32 len)
{
	struct sp_chan *spc = sim_chan_get_priv(chan);
	const struct vmbus_pkt_desc *d = pkt;
	const struct vmbus_gpa_range *r = NULL;
	struct vstor_packet vp = {};
	const void *payload;
	u32 plen, size, got, npfn = 0;
	u16 count;

	if (!spc || !(d->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED))
		goto drop;
	payload = sim_pkt_payload(pkt, len, &plen);
	if (!payload)
		goto drop;
	if (d->type == VMBUS_PKT_DATA_USING_GPA_DIRECT) {
		const struct vmbus_pkt_gpa_direct *g = pkt;
		u64 end;

		if (len < sizeof(*g) + sizeof(*r) || g->range_cnt != 1)
			goto drop;
		r = (const void *)(g + 1);
		end = (u64)r->byte_offset + r->byte_count;
		npfn = DIV_ROUND_UP(end, HV_PAGE_SIZE);
		if (r->byte_offset >= HV_PAGE_SIZE || !r->byte_count ||
		    r->byte_count > SP_MAX_TRANSFER ||
		    sizeof(*g) + sizeof(*r) + 8 * npfn > (u32)d->offset8 * 8)
			goto drop;
	} else if (d->type != VMBUS_PKT_DATA_INBAND) {
		goto drop;
	}
	/*
	 * 48 bytes below 5.1 and before negotiation, 64 from 5.1 on: the
	 * host answers in that size whatever the guest sent, and counts a
	 * guest that sends another (it reads what it needs, as hosts do).
	 */
	if (plen < VSTOR_PACKET_SIZE_PRE_WIN8)
		goto drop;
	size = spc->version >= VSTOR_PROTO_WIN8 ? VSTOR_PACKET_SIZE :
						  VSTOR_PACKET_SIZE_PRE_WIN8;
	if (plen != size) {
		atomic64_inc(&sp.size_mismatch);
		pr_warn_ratelimited("relid %u: %u-byte vstor packet at version %#x, %u expected\n",
				    sim_chan_relid(chan), plen, spc->version, size);
	}
	got = min_t(u32, plen, VSTOR_PACKET_SIZE);
	memcpy(&vp, payload, got);
	if (r && vp.operation != VSTOR_OP_EXECUTE_SRB)
		goto drop;
	if (vp.operation != VSTOR_OP_EXECUTE_SRB && sim_chan_subidx(chan)) {
		/* control requests belong on the primary */
		sp_reply(chan, d->trans_id, &vp, VSTOR_NT_INVALID_DEVICE_REQUEST, size);
		return;
	}

	switch (vp.operation) {
	case VSTOR_OP_BEGIN_INITIALIZATION:
	case VSTOR_OP_END_INITIALIZATION:
		sp_reply(chan, d->trans_id, &vp, VSTOR_NT_SUCCESS, size);
		return;
	case VSTOR_OP_QUERY_PROTOCOL_VERSION:
		if (version_known(vp.u.version.major_minor) &&
		    vp.u.version.major_minor <= storvsp_version) {
			spc->version = vp.u.version.major_minor;
			sp_reply(chan, d->trans_id, &vp, VSTOR_NT_SUCCESS, size);
		} else {
			sp_reply(chan, d->trans_id, &vp, VSTOR_NT_REVISION_MISMATCH,
				 size);
		}
		return;
	case VSTOR_OP_QUERY_PROPERTIES:
		memset(&vp.u, 0, sizeof(vp.u));
		if (spc->version >= VSTOR_PROTO_WIN8 && storvsp_subchannels) {
			vp.u.props.flags = VSTOR_PROP_MULTI_CHANNEL;
			vp.u.props.max_channel_cnt = storvsp_subchannels;
		}
		vp.u.props.max_transfer_bytes = SP_MAX_TRANSFER;
		sp_reply(chan, d->trans_id, &vp, VSTOR_NT_SUCCESS, size);
		return;
	case VSTOR_OP_CREATE_SUB_CHANNELS:
		count = vp.u.sub_channel_count;
		if (spc->version < VSTOR_PROTO_WIN8 || !count ||
		    count > storvsp_subchannels ||
		    sim_offer_subchannels(chan, count)) {
			sp_reply(chan, d->trans_id, &vp, VSTOR_NT_INVALID_PARAMETER,
				 size);
			return;
		}
		sp_reply(chan, d->trans_id, &vp, VSTOR_NT_SUCCESS, size);
		return;
	case VSTOR_OP_EXECUTE_SRB:
		if (got < VSTOR_HEADER_SIZE +
		    (spc->version >= VSTOR_PROTO_WIN8 ? VSTOR_SRB_SIZE :
		     VSTOR_SRB_SIZE_PRE_WIN8))
			goto drop;
		sp_execute(spc, d->trans_id, &vp, size, r, npfn);
		return;
	case VSTOR_OP_RESET_LUN:
	case VSTOR_OP_RESET_ADAPTER:
	case VSTOR_OP_RESET_BUS:
		/* outstanding commands complete by themselves */
		atomic64_inc(&sp.resets);
		sp_reply(chan, d->trans_id, &vp, VSTOR_NT_SUCCESS, size);
		return;
	default:
		sp_reply(chan, d->trans_id, &vp, VSTOR_NT_INVALID_DEVICE_REQUEST,
			 size);
		return;
	}
drop:
	atomic64_inc(&sp.dropped);
	pr_warn_ratelimited("relid %u: dropped a malformed guest packet (type %u, %u bytes)\n",
			    sim_chan_relid(chan), d->type, len);
}

static int sp_open(struct sim_chan *chan)
{
	struct sim_chan *primary = sim_chan_primary(chan);
	struct sp_chan *spc, *pspc;

	spc = kzalloc(sizeof(*spc), GFP_KERNEL);
	if (!spc)
		return -ENOMEM;
	spc->chan = chan;
	spin_lock_init(&spc->lock);
	INIT_LIST_HEAD(&spc->done);
	INIT_WORK(&spc->done_work, sp_done_work);
	init_waitqueue_head(&spc->idle);
	atomic_set(&spc->inflight, 1);	/* dropped in close */
	spc->has_luns = sim_chan_index(chan) == 0;
	if (primary != chan) {
		pspc = sim_chan_get_priv(primary);
		spc->version = pspc ? pspc->version : 0;
	} else if (spc->has_luns) {
		mutex_lock(&sp.lock);
		sp.primary = chan;
		mutex_unlock(&sp.lock);
	}
	sim_chan_set_priv(chan, spc);
	return 0;
}

static void sp_close(struct sim_chan *chan)
{
	struct sp_chan *spc = sim_chan_get_priv(chan);

	if (!spc)
		return;
	mutex_lock(&sp.lock);
	if (sp.primary == chan)
		sp.primary = NULL;
	mutex_unlock(&sp.lock);
	/* every request still at the backing device comes back first */
	if (!atomic_dec_and_test(&spc->inflight))
		wait_event(spc->idle, !atomic_read(&spc->inflight));
	flush_work(&spc->done_work);
	kfree(spc);
}

/*
 * Tell the guest the LUN set changed (vstor ENUMERATE_BUS, in-band,
 * no completion).  Returns 0 or -errno (-ENOTCONN: no open channel).
 */
int sp_notify_bus_change(void)
{
	struct vstor_packet vp = { .operation = VSTOR_OP_ENUMERATE_BUS };
	struct sp_chan *spc;
	int ret = -ENOTCONN;

	mutex_lock(&sp.lock);
	if (sp.primary) {
		spc = sim_chan_get_priv(sp.primary);
		ret = sim_chan_send(sp.primary, VMBUS_PKT_DATA_INBAND, 0, 0, &vp,
				    spc && spc->version >= VSTOR_PROTO_WIN8 ?
				    VSTOR_PACKET_SIZE :
				    VSTOR_PACKET_SIZE_PRE_WIN8);
	}
	mutex_unlock(&sp.lock);
	return ret;
}

const struct sim_dev_class sim_scsi_class = {
	.name = "scsi",
	.id = 0x08,
	.if_type = HV_SCSI_GUID,
	.open = sp_open,
	.packet = sp_packet,
	.close = sp_close,
};
