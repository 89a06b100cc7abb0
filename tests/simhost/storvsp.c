// SPDX-License-Identifier: GPL-2.0-only
/*
 * StorVSP: the host side of synthetic SCSI (class "scsi").
 *
 * Protocol: vstor (src/include/vstor.h) as Hyper-V's StorVSP speaks it,
 * modelled on OpenVMM vm/devices/storage/storvsp/src/lib.rs: the primary
 * channel walks BEGIN_INITIALIZATION, QUERY_PROTOCOL_VERSION (repeatable),
 * QUERY_PROPERTIES, [CREATE_SUB_CHANNELS], END_INITIALIZATION in that
 * order (anything else: INVALID_DEVICE_STATE); then EXECUTE_SRB, RESET_*
 * and CREATE_SUB_CHANNELS (primary only).  Every completion has the size
 * of the request it answers (Hyper-V does this and Linux 6.1 relies on
 * it), on the channel the request came on.  A packet the host cannot
 * parse (no completion requested, shorter than its operation needs,
 * unknown operation) stops the channel's service, as OpenVMM's worker
 * does.  ENUMERATE_BUS goes to the guest when a LUN comes or goes.
 *
 * The disks are real SCSI devices of this kernel (storvsp_backing.c):
 * every CDB for a present address is executed by the backing device
 * (QEMU's scsi-hd).  The host itself answers REPORT LUNS (any address),
 * INQUIRY to an address without a disk (peripheral qualifier 3, type
 * 0x1f) and refuses other commands to such an address with INVALID_LUN.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": storvsp: " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_proto.h>
#include "simhost_compat.h"

#include "hv_devids.h"
#include "storvsp.h"
#include "vmbus_msg.h"

static unsigned int storvsp_version;
module_param(storvsp_version, uint, 0444);
MODULE_PARM_DESC(storvsp_version,
		 "newest vstor version accepted: 0x200, 0x402, 0x501, 0x600, 0x602 (0: the profile's)");
static int storvsp_subchannels = -1;
module_param(storvsp_subchannels, int, 0444);
MODULE_PARM_DESC(storvsp_subchannels,
		 "max_channel_cnt reported (0 = no multi-channel), at most 64 (-1: the profile's)");
static unsigned int storvsp_completion_size;
module_param(storvsp_completion_size, uint, 0444);
MODULE_PARM_DESC(storvsp_completion_size,
		 "0: each completion has its request's size (Hyper-V); 12-128: every completion has this size (zero-padded or truncated)");

#define SP_COMPLETION_MAX	128

/* Protocol state of one device, shared by its channels. */
enum sp_state {
	SP_BEGIN,		/* wants BEGIN_INITIALIZATION */
	SP_QUERY_VERSION,	/* wants QUERY_PROTOCOL_VERSION */
	SP_QUERY_PROPS,		/* wants QUERY_PROPERTIES */
	SP_END_INIT,		/* wants END_INITIALIZATION (or sub-channels) */
	SP_READY,
};

struct sp_dev {
	struct kref ref;
	u16 version;		/* set before state becomes SP_READY */
	int state;		/* enum sp_state; READ/WRITE_ONCE */
	bool subs_asked;	/* CREATE_SUB_CHANNELS during initialization */
};

struct sp_chan {
	struct sim_chan *chan;
	struct sp_dev *dev;
	bool has_luns;			/* first scsi instance only */
	bool dead;			/* unparsable packet: no more service */
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
	u32 size;			/* the request's size: the completion's */
	struct vstor_srb srb;		/* the request */
	void *va;			/* vmap of the guest's pages */
	u32 len;
	/* passthrough: the disk, the guest's pages, what is carried out */
	struct scsi_device *sdev;	/* held until the request is freed */
	u64 *pfns;			/* the range's PFNs (the packet is gone) */
	u32 offset;			/* the range's byte_offset */
	bool write;			/* data-out */
	bool split;			/* a READ/WRITE in pieces */
	u32 bsize;			/* split: the disk's block size */
	u64 lba;			/* split: the CDB's first block */
	u32 total;			/* split: the CDB's bytes */
	u32 piece_max;			/* split: bytes per piece */
	u32 done;			/* split: bytes of the pieces finished */
	u32 piece;			/* bytes of the request at the disk */
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

static u32 version_size(u16 v)
{
	return v >= VSTOR_PROTO_WIN8 ? VSTOR_PACKET_SIZE :
				       VSTOR_PACKET_SIZE_PRE_WIN8;
}

/*
 * Write a completion of @size bytes: the packet, zero-padded or cut
 * (OpenVMM send_vmbus_packet()).  storvsp_completion_size overrides.
 */
static void sp_send(struct sim_chan *chan, u64 id, const struct vstor_packet *vp,
		    u32 size)
{
	u8 buf[SP_COMPLETION_MAX] = {};
	int ret;

	if (storvsp_completion_size)
		size = storvsp_completion_size;
	memcpy(buf, vp, min_t(u32, size, sizeof(*vp)));
	ret = sim_chan_send_completion(chan, id, buf, size);
	if (ret && ret != -ESHUTDOWN)
		pr_warn_ratelimited("relid %u: completion %#llx not sent: %d\n",
				    sim_chan_relid(chan), id, ret);
}

/* A control completion: header, then what the request carried. */
static void sp_reply(struct sim_chan *chan, u64 id, struct vstor_packet *vp,
		     u32 status, u32 size)
{
	vp->operation = VSTOR_OP_COMPLETE_IO;
	vp->flags = 0;
	vp->status = status;
	sp_send(chan, id, vp, size);
}

/* OpenVMM convert_srb_status_to_nt_status() */
static u32 sp_nt_status(u8 srb_status)
{
	switch (VSTOR_SRB_CODE(srb_status)) {
	case VSTOR_SRB_SUCCESS:
		return VSTOR_NT_SUCCESS;
	case VSTOR_SRB_BUSY:
		return VSTOR_NT_DEVICE_BUSY;
	case VSTOR_SRB_INVALID_LUN:
	case VSTOR_SRB_INVALID_TARGET_ID:
	case VSTOR_SRB_NO_DEVICE:
	case VSTOR_SRB_NO_HBA:
		return VSTOR_NT_DEVICE_DOES_NOT_EXIST;
	case VSTOR_SRB_COMMAND_TIMEOUT:
	case VSTOR_SRB_TIMEOUT:
		return VSTOR_NT_IO_TIMEOUT;
	case VSTOR_SRB_SELECTION_TIMEOUT:
		return VSTOR_NT_DEVICE_NOT_CONNECTED;
	case VSTOR_SRB_BAD_FUNCTION:
		return VSTOR_NT_INVALID_DEVICE_REQUEST;
	case VSTOR_SRB_DATA_OVERRUN:
		return VSTOR_NT_BUFFER_OVERFLOW;
	case VSTOR_SRB_REQUEST_FLUSHED:
		return VSTOR_NT_UNSUCCESSFUL;
	case VSTOR_SRB_ABORTED:
		return VSTOR_NT_CANCELLED;
	default:
		return VSTOR_NT_IO_DEVICE_ERROR;
	}
}

/*
 * Fault knob storvsp_bad_completion (a broken host; Hyper-V and OpenVMM
 * never do this): the completion of an SRB the host has carried out goes
 * out unusable: with no payload, as an in-band data packet instead of a
 * completion, or (a sub-channel's request) on the primary.  true when the
 * completion was sent that way and must not be sent again.
 */
static bool sp_bad_completion(struct sim_chan *chan, u64 id,
			      const struct vstor_packet *vp, u32 size)
{
	struct sim_chan *primary = sim_chan_primary(chan);
	u8 buf[SP_COMPLETION_MAX] = {};
	const char *how;
	int ret;

	size = min_t(u32, size, sizeof(*vp));
	if (sp_fault_take(&sp.f_bad_empty)) {
		how = "with 0 bytes";
		ret = sim_chan_send(chan, VMBUS_PKT_COMP, 0, id, buf, 0);
	} else if (sp_fault_take(&sp.f_bad_inband)) {
		how = "as an in-band packet";
		memcpy(buf, vp, size);
		ret = sim_chan_send(chan, VMBUS_PKT_DATA_INBAND, 0, id, buf,
				    size);
	} else if (primary != chan && sp_fault_take(&sp.f_bad_otherchan)) {
		how = "on the primary";
		memcpy(buf, vp, size);
		ret = sim_chan_send_completion(primary, id, buf, size);
	} else {
		return false;
	}
	pr_info("fault: completion %#llx of relid %u sent %s (%d)\n", id,
		sim_chan_relid(chan), how, ret);
	return true;
}

int storvsp_bad_completion_show(struct seq_file *m)
{
	seq_printf(m, "empty %d inband %d otherchan %d\n",
		   atomic_read(&sp.f_bad_empty), atomic_read(&sp.f_bad_inband),
		   atomic_read(&sp.f_bad_otherchan));
	return 0;
}

/* "empty|inband|otherchan COUNT": arm the next COUNT (0: disarm). */
int storvsp_bad_completion_store(char *s)
{
	char how[16];
	unsigned int n;

	if (sscanf(s, "%15s %u", how, &n) != 2 || n > 1000000)
		return -EINVAL;
	if (!strcmp(how, "empty"))
		atomic_set(&sp.f_bad_empty, n);
	else if (!strcmp(how, "inband"))
		atomic_set(&sp.f_bad_inband, n);
	else if (!strcmp(how, "otherchan"))
		atomic_set(&sp.f_bad_otherchan, n);
	else
		return -EINVAL;
	return 0;
}

/*
 * An SRB completion as OpenVMM's handle_completion() builds it: a fresh
 * SRB (the request's address and CDB are not echoed) with the statuses,
 * the bytes moved and up to 20 sense bytes; NT status from srb_status.
 */
static void sp_srb_done(struct sim_chan *chan, u64 id, u32 size, u8 srb_status,
			u8 scsi_status, u32 moved, const u8 *sense, u32 sense_len)
{
	struct vstor_packet vp = {};
	struct vstor_srb *srb = &vp.u.srb;

	vp.operation = VSTOR_OP_COMPLETE_IO;
	vp.status = sp_nt_status(srb_status);
	srb->length = VSTOR_SRB_SIZE;
	srb->srb_status = srb_status;
	if (sense_len) {
		srb->srb_status |= VSTOR_SRB_FLAG_AUTOSENSE_VALID;
		memcpy(srb->cdb_sense, sense,
		       min_t(u32, sense_len, VSTOR_CDB_SENSE_AREA));
	}
	srb->scsi_status = scsi_status;
	srb->data_transfer_length = moved;
	srb->cdb_length = VSTOR_CDB_SIZE;
	srb->sense_info_length = VSTOR_CDB_SENSE_AREA;
	if (sp_bad_completion(chan, id, &vp, size))
		return;
	sp_send(chan, id, &vp, size);
}

/* An SRB refused by the host itself, nothing moved, no sense. */
static void sp_srb_reply(struct sim_chan *chan, u64 id, u8 srb_status, u32 size)
{
	sp_srb_done(chan, id, size, srb_status, 0, 0, NULL, 0);
}

/* ILLEGAL REQUEST, INVALID FIELD IN CDB (fixed format) */
static void sp_srb_bad_cdb(struct sim_chan *chan, u64 id, u32 size)
{
	u8 sense[18] = { 0x70, 0, ILLEGAL_REQUEST, [7] = 10, [12] = 0x24 };

	sp_srb_done(chan, id, size, VSTOR_SRB_INVALID_REQUEST,
		    SAM_STAT_CHECK_CONDITION, 0, sense, sizeof(sense));
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
	u8 host = (req->result >> 16) & 0xff;
	u8 status = req->result & 0xff;
	u8 srb_status;
	u32 moved = 0, n = 0;

	if (sp_fault_take(&sp.f_delay) > 0)
		msleep(sp.f_delay_ms);
	if (sp_fault_take(&sp.f_unknown) > 0)
		/* an id the guest never used: must be dropped by it */
		sp_srb_reply(req->spc->chan, 0x7fff0000ull | req->trans_id,
			     VSTOR_SRB_SUCCESS, req->size);

	if (host != DID_OK) {
		srb_status = host == DID_NO_CONNECT ? VSTOR_SRB_NO_DEVICE :
			     host == DID_TIME_OUT ? VSTOR_SRB_TIMEOUT :
			     host == DID_BUS_BUSY ? VSTOR_SRB_BUSY :
			     VSTOR_SRB_ERROR;
		atomic64_inc(&sp.errors);
	} else {
		if (req->split)
			req->resid = req->len - req->done -
				     (req->piece - min(req->resid, req->piece));
		moved = req->len - min(req->resid, req->len);
		srb_status = status == SAM_STAT_GOOD ? VSTOR_SRB_SUCCESS :
						       VSTOR_SRB_ERROR;
		if (status == SAM_STAT_CHECK_CONDITION)
			n = min_t(u32, req->sense_len, VSTOR_CDB_SENSE_AREA);
	}
	sp_srb_done(req->spc->chan, req->trans_id, req->size, srb_status,
		    host == DID_OK ? status : 0, moved, req->sense, n);
}

static void sp_req_free(struct sp_req *req)
{
	struct sp_chan *spc = req->spc;

	if (req->va)
		vunmap(req->va);
	if (req->sdev)
		scsi_device_put(req->sdev);
	kfree(req->pfns);
	kfree(req);
	if (atomic_dec_and_test(&spc->inflight))
		wake_up_all(&spc->idle);
}

static bool sp_next_piece(struct sp_req *req);

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
		if (sp_next_piece(req))
			continue;
		sp_finish(req);
		sp_req_free(req);
	}
}

void sim_scsi_done(struct request *rq, blk_status_t err)
{
	struct sp_req *req = rq->end_io_data;
	struct sp_chan *spc = req->spc;
	unsigned long flags;

	req->result = sim_scsi_result(rq, &req->resid, req->sense);
	if (err && !req->result)
		req->result = DID_ERROR << 16;
	req->sense_len = sense_length(req->sense);
	spin_lock_irqsave(&spc->lock, flags);
	list_add_tail(&req->node, &spc->done);
	spin_unlock_irqrestore(&spc->lock, flags);
	queue_work(sp.wq, &spc->done_work);
}

/* ---- EXECUTE_SRB ---- */

/* The backing device at an address, with a reference, or NULL. */
static struct scsi_device *sp_lookup(const struct sp_chan *spc,
				     const struct vstor_srb *srb)
{
	struct scsi_device *sdev = NULL;
	unsigned int i;

	if (!spc->has_luns || srb->path_id)
		return NULL;
	mutex_lock(&sp.lock);
	for (i = 0; i < sp.nluns; i++) {
		struct sp_lun *l = &sp.luns[i];

		if (l->target != srb->target_id || l->lun != srb->lun ||
		    !l->present || !l->sdev)
			continue;
		if (!scsi_device_get(l->sdev))
			sdev = l->sdev;
		break;
	}
	mutex_unlock(&sp.lock);
	return sdev;
}

/*
 * REPORT LUNS for any address: the LUNs with a disk on the same path and
 * target, sorted, single-level format (OpenVMM execute_scsi()).  Returns
 * the bytes written.
 */
static u32 sp_report_luns(const struct sp_chan *spc, const struct vstor_srb *srb,
			  u8 *buf, u32 len)
{
	DECLARE_BITMAP(set, 256);
	u32 i, n = 0, out = 0;

	bitmap_zero(set, 256);
	mutex_lock(&sp.lock);
	for (i = 0; spc->has_luns && !srb->path_id && i < sp.nluns; i++)
		if (sp.luns[i].present &&
		    (sp.luns[i].sdev || sp.luns[i].null_blocks) &&
		    sp.luns[i].target == srb->target_id)
			__set_bit(sp.luns[i].lun, set);
	mutex_unlock(&sp.lock);
	if (len < 8)
		return 0;
	memset(buf, 0, 8);
	for_each_set_bit(i, set, 256) {
		if (8 + 8 * (n + 1) <= len) {
			memset(buf + 8 + 8 * n, 0, 8);
			buf[8 + 8 * n + 1] = i;
		}
		n++;
	}
	buf[0] = (8 * n) >> 24;
	buf[1] = (8 * n) >> 16;
	buf[2] = (8 * n) >> 8;
	buf[3] = 8 * n;
	out = min(len, 8 + 8 * n);
	return out;
}

/*
 * INQUIRY to an address without a disk (OpenVMM execute_scsi()): standard
 * data with peripheral qualifier 3 / type 0x1f; the identification only
 * on LUN 0.  Returns bytes written, or 0 for ILLEGAL REQUEST.
 */
static u32 sp_inquiry_absent(const struct vstor_srb *srb, u8 *buf, u32 len)
{
	static const u8 head[36] = {
		0x7f, 0, 0x05, 0x02, 104 - 5, 0, 0, 0,
		'M', 's', 'f', 't', ' ', ' ', ' ', ' ',
		'V', 'i', 'r', 't', 'u', 'a', 'l', ' ',
		'D', 'i', 's', 'k', ' ', ' ', ' ', ' ',
		'1', '.', '0', ' ',
	};
	u8 data[104] = {};
	u32 alloc = (srb->cdb_sense[3] << 8) | srb->cdb_sense[4];

	if (alloc > len || srb->data_in != VSTOR_DATA_READ || alloc < 5 ||
	    (srb->cdb_sense[1] & 1) || srb->cdb_sense[2])
		return 0;
	memcpy(data, head, sizeof(head));
	if (srb->lun)
		memset(data + 8, 0, 28);
	alloc = min_t(u32, alloc, sizeof(data));
	memcpy(buf, data, alloc);
	return alloc;
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

/*
 * Attach @len bytes of the guest's buffer, from byte @off of the pages
 * @pfn, to a passthrough request, one bio per guest page, each given by
 * its address in the direct map: before v5.3 blk_rq_map_kern() finds the
 * pages of a buffer by virt_to_page(), which is wrong for a vmap().  The
 * pfns are checked by sp_map_guest().  On failure the bios already
 * attached are ended.
 */
static int sp_map_data(struct request *rq, const u64 *pfn, u32 off, u32 len)
{
	struct bio *bio;
	u32 i = off / PAGE_SIZE;
	int ret = 0;

	off %= PAGE_SIZE;
	for (; len; i++) {
		u32 n = min_t(u32, len, PAGE_SIZE - off);
		void *va = page_address(pfn_to_page(pfn[i])) + off;

		ret = blk_rq_map_kern(rq->q, rq, va, n, GFP_KERNEL);
		if (ret)
			break;
		len -= n;
		off = 0;
	}
	if (!ret)
		return 0;
	while ((bio = rq->bio)) {
		rq->bio = bio->bi_next;
		bio->bi_next = NULL;
		bio->bi_status = BLK_STS_IOERR;
		bio_endio(bio);
	}
	rq->biotail = NULL;
	return ret;
}

#ifndef VERIFY_12
#define VERIFY_12		0xaf
#endif
#ifndef VERIFY_16
#define VERIFY_16		0x8f
#endif
#ifndef WRITE_VERIFY_12
#define WRITE_VERIFY_12		0xae
#endif
#ifndef WRITE_VERIFY_16
#define WRITE_VERIFY_16		0x8e
#endif

/*
 * The direction of a passthrough request.  OpenVMM's disk (scsidisk
 * handle_data_cdb(), handle_write_same(), handle_verify_validation())
 * moves the data of READ/WRITE(6/10/12/16) and WRITE SAME(10/16) as the
 * CDB says, whatever data_in is: a WRITE reads the guest's buffer (a
 * reader of RequestBuffers is never refused), a READ writes it.  VERIFY
 * and WRITE AND VERIFY carry data-out when they carry any (SBC).  Other
 * commands: data_in (DATA_OUT is data-out, every other value data-in,
 * as Range::new()).
 */
static bool sp_data_out(const struct vstor_srb *srb)
{
	switch (srb->cdb_sense[0]) {
	case READ_6:
	case READ_10:
	case READ_12:
	case READ_16:
		return false;
	case WRITE_6:
	case WRITE_10:
	case WRITE_12:
	case WRITE_16:
	case WRITE_SAME:
	case WRITE_SAME_16:
	case VERIFY:
	case VERIFY_12:
	case VERIFY_16:
	case WRITE_VERIFY:
	case WRITE_VERIFY_12:
	case WRITE_VERIFY_16:
		return true;
	default:
		return srb->data_in == VSTOR_DATA_WRITE;
	}
}

/* Where READ/WRITE(10/12/16) keep their LBA and block count; false: other. */
static bool sp_rw_fields(const struct vstor_srb *srb, unsigned int *cnt_at,
			 unsigned int *cnt_len, unsigned int *lba_len)
{
	switch (srb->cdb_sense[0]) {
	case READ_10:
	case WRITE_10:
		*lba_len = 4;
		*cnt_at = 7;
		*cnt_len = 2;
		break;
	case READ_12:
	case WRITE_12:
		*lba_len = 4;
		*cnt_at = 6;
		*cnt_len = 4;
		break;
	case READ_16:
	case WRITE_16:
		*lba_len = 8;
		*cnt_at = 10;
		*cnt_len = 4;
		break;
	default:
		return false;
	}
	return srb->cdb_length >= *cnt_at + *cnt_len;
}

/*
 * A READ/WRITE(10/12/16) larger than the backing queue takes in one
 * request (max_hw_sectors; max_segments, one segment per guest page):
 * carried out as a sequence of requests for consecutive pieces, as
 * OpenVMM's disk carries out any length (scsidisk validate_data_cdb*()
 * bound it by the buffer and the disk's size only).  Sets up req->split;
 * false when one request does (or no piece fits: then that request fails,
 * a simhost limit).
 */
static bool sp_split_setup(struct sp_req *req)
{
	struct request_queue *q = req->sdev->request_queue;
	unsigned int cnt_at, cnt_len, lba_len;
	u64 blocks, total, max, lba;
	u32 bsize;

	if (!sp_rw_fields(&req->srb, &cnt_at, &cnt_len, &lba_len))
		return false;
	/* the disk's block size; 512 while no upper driver has read it */
	bsize = req->sdev->sector_size ? req->sdev->sector_size : 512;
	blocks = sp_get_be(req->srb.cdb_sense + cnt_at, cnt_len);
	total = blocks * bsize;
	if (!blocks || total > req->len)
		return false;
	max = (u64)queue_max_hw_sectors(q) << 9;
	/* a piece may start inside a page: one segment more than its pages */
	if (queue_max_segments(q) > 1)
		max = min_t(u64, max, (u64)(queue_max_segments(q) - 1) * PAGE_SIZE);
	else
		max = 0;
	max = rounddown(max, bsize);
	if (total <= max || !max)
		return false;
	lba = sp_get_be(req->srb.cdb_sense + 2, lba_len);
	/*
	 * The pieces' LBAs must fit the CDB's field: a READ/WRITE(10/12)
	 * that runs on past block 2^32 - 1 (legal on a disk that large) is
	 * not split, rather than have its later pieces wrap to block 0.
	 */
	if (lba_len < 8 && lba + blocks > (1ULL << (8 * lba_len)))
		return false;
	req->split = true;
	req->bsize = bsize;
	req->lba = lba;
	req->total = total;
	req->piece_max = max;
	return true;
}

/*
 * Send the next request to the disk: the whole transfer, or the piece of
 * a split one from req->done.  0, or the srb_status to answer with.
 */
static u8 sp_submit(struct sp_req *req)
{
	u8 cdb[VSTOR_CDB_SIZE];
	struct request *rq;
	u32 n = req->len;

	memcpy(cdb, req->srb.cdb_sense, req->srb.cdb_length);
	if (req->split) {
		unsigned int cnt_at, cnt_len, lba_len;

		n = min(req->total - req->done, req->piece_max);
		sp_rw_fields(&req->srb, &cnt_at, &cnt_len, &lba_len);
		sp_put_be(cdb + 2, req->lba + req->done / req->bsize, lba_len);
		sp_put_be(cdb + cnt_at, n / req->bsize, cnt_len);
	}
	rq = sim_scsi_alloc(req->sdev->request_queue, req->write);
	if (IS_ERR(rq))
		return VSTOR_SRB_BUSY;
	sim_scsi_set_cdb(rq, cdb, req->srb.cdb_length);
	rq->timeout = 60 * HZ;
	if (n && sp_map_data(rq, req->pfns, req->offset + req->done, n)) {
		sim_scsi_free(rq);
		return VSTOR_SRB_ERROR;
	}
	req->piece = n;
	req->result = 0;
	req->resid = 0;
	sim_scsi_execute(rq, req);
	return 0;
}

/*
 * A piece of a split transfer has ended: send the next one if it went
 * well and one is left.  True if sent (the request is still at the disk).
 */
static bool sp_next_piece(struct sp_req *req)
{
	u8 st;

	if (!req->split || req->result || req->resid ||
	    req->total - req->done <= req->piece)
		return false;
	req->done += req->piece;
	st = sp_submit(req);
	if (!st)
		return true;
	/* nothing more carried out: answered with what was done */
	req->piece = 0;
	req->result = (st == VSTOR_SRB_BUSY ? DID_BUS_BUSY : DID_ERROR) << 16;
	return false;
}

static void sp_execute(struct sp_chan *spc, u64 id, const struct vstor_srb *srb,
		       u32 size, const struct vmbus_gpa_range *r, u32 npfn)
{
	struct scsi_device *sdev;
	struct sp_req *req;
	u32 len = srb->data_transfer_length;
	u8 *buf;
	u8 op = srb->cdb_sense[0];
	int code;

	atomic64_inc(&sp.srbs);
	/*
	 * Any data_in but WRITE (unknown included) gives a buffer the device
	 * may write: OpenVMM Range::new() makes it writable when data_in != 0.
	 * The passthrough's direction: sp_data_out().
	 */
	if (srb->cdb_length < 1 || srb->cdb_length > VSTOR_CDB_SIZE ||
	    (!r && len)) {
		sp_srb_reply(spc->chan, id, VSTOR_SRB_INVALID_REQUEST, size);
		return;
	}
	code = sp_fault_take(&sp.f_error);
	if (code > 0) {
		/* refused without touching the disk: the guest must retry */
		sp_srb_reply(spc->chan, id, sp.f_error_code, size);
		atomic64_inc(&sp.errors);
		return;
	}
	if (spc->has_luns && op != REPORT_LUNS) {
		struct sp_null_res nr;

		/* the null backend answers at once (storvsp_backing.c) */
		if (sp_null_srb(srb, r, &nr)) {
			sp_srb_done(spc->chan, id, size, nr.srb_status,
				    nr.scsi_status, nr.moved, nr.sense,
				    nr.sense_len);
			return;
		}
	}

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req) {
		sp_srb_reply(spc->chan, id, VSTOR_SRB_BUSY, size);
		return;
	}
	req->spc = spc;
	req->trans_id = id;
	req->size = size;
	req->srb = *srb;
	req->len = len;
	atomic_inc(&spc->inflight);
	if (r) {
		req->va = sp_map_guest(r, npfn);
		if (!req->va) {
			sp_srb_reply(spc->chan, id, VSTOR_SRB_INVALID_REQUEST, size);
			goto free;
		}
	}
	buf = req->va ? (u8 *)req->va + r->byte_offset : NULL;

	if (op == REPORT_LUNS) {
		u32 got;

		/* OpenVMM: a DATA_OUT buffer is read-only, the write fails */
		if (buf && len >= 8 && srb->data_in == VSTOR_DATA_WRITE) {
			sp_srb_bad_cdb(spc->chan, id, size);
			goto free;
		}
		got = buf ? sp_report_luns(spc, srb, buf, len) : 0;

		req->resid = len - got;
		sp_finish(req);
		goto free;
	}

	sdev = sp_lookup(spc, srb);
	if (!sdev) {
		u32 got;

		atomic64_inc(&sp.absent);
		if (op != INQUIRY) {
			sp_srb_done(spc->chan, id, size, VSTOR_SRB_INVALID_LUN,
				    SAM_STAT_CHECK_CONDITION, 0, NULL, 0);
			goto free;
		}
		got = buf ? sp_inquiry_absent(srb, buf, len) : 0;
		if (!got)
			sp_srb_bad_cdb(spc->chan, id, size);
		else
			sp_srb_done(spc->chan, id, size, VSTOR_SRB_SUCCESS,
				    SAM_STAT_GOOD, got, NULL, 0);
		goto free;
	}

	req->sdev = sdev;
	/*
	 * A READ into a DATA_OUT buffer: OpenVMM's disk cannot write the
	 * read-only buffer (AccessError::ReadOnly, a DiskError::MemoryAccess):
	 * INVALID_REQUEST + CHECK CONDITION + INVALID FIELD IN CDB, nothing
	 * moved (scsidisk process_result())
	 */
	if (sp_op_read(op) && len && srb->data_in == VSTOR_DATA_WRITE) {
		sp_srb_bad_cdb(spc->chan, id, size);
		goto free;
	}
	req->write = sp_data_out(srb);
	if (len) {
		req->pfns = kmemdup(r->pfn, npfn * sizeof(r->pfn[0]), GFP_KERNEL);
		if (!req->pfns) {
			sp_srb_reply(spc->chan, id, VSTOR_SRB_BUSY, size);
			goto free;
		}
		req->offset = r->byte_offset;
		sp_split_setup(req);
	}
	code = sp_submit(req);
	if (code) {
		sp_srb_reply(spc->chan, id, code, size);
		goto free;
	}
	return;
free:
	sp_req_free(req);
}

/* ---- the channel ---- */

static void sp_bad_state(struct sim_chan *chan, u64 id, struct vstor_packet *vp,
			 u32 size)
{
	struct sp_chan *spc = sim_chan_get_priv(chan);

	atomic64_inc(&sp.bad_state);
	pr_warn_ratelimited("relid %u: operation %u out of order (state %d)\n",
			    sim_chan_relid(chan), vp->operation,
			    READ_ONCE(spc->dev->state));
	sp_reply(chan, id, vp, VSTOR_NT_INVALID_DEVICE_STATE, size);
}

static void sp_create_subs(struct sp_chan *spc, u64 id, struct vstor_packet *vp,
			   u32 size)
{
	u16 count = vp->u.sub_channel_count;

	if (count > sp.max_subs || sim_enable_subchannels(spc->chan, count)) {
		sp_reply(spc->chan, id, vp, VSTOR_NT_INVALID_PARAMETER, size);
		return;
	}
	spc->dev->subs_asked = true;
	sp_reply(spc->chan, id, vp, VSTOR_NT_SUCCESS, size);
}

/* Initialization, on the primary: one step per state. */
static void sp_init_step(struct sp_chan *spc, u64 id, struct vstor_packet *vp,
			 u32 size)
{
	struct sp_dev *dev = spc->dev;
	u16 v;

	switch (READ_ONCE(dev->state)) {
	case SP_BEGIN:
		if (vp->operation != VSTOR_OP_BEGIN_INITIALIZATION)
			break;
		WRITE_ONCE(dev->state, SP_QUERY_VERSION);
		sp_reply(spc->chan, id, vp, VSTOR_NT_SUCCESS, size);
		return;
	case SP_QUERY_VERSION:
		if (vp->operation != VSTOR_OP_QUERY_PROTOCOL_VERSION)
			break;
		v = vp->u.version.major_minor;
		vp->u.version.revision = 0;
		if (!version_known(v) || v > sp.max_version) {
			sp_reply(spc->chan, id, vp, VSTOR_NT_REVISION_MISMATCH, size);
			return;
		}
		dev->version = v;
		WRITE_ONCE(dev->state, SP_QUERY_PROPS);
		sp_reply(spc->chan, id, vp, VSTOR_NT_SUCCESS, size);
		return;
	case SP_QUERY_PROPS:
		if (vp->operation != VSTOR_OP_QUERY_PROPERTIES)
			break;
		memset(&vp->u, 0, sizeof(vp->u));
		if (dev->version >= VSTOR_PROTO_WIN8) {
			vp->u.props.flags = VSTOR_PROP_MULTI_CHANNEL;
			vp->u.props.max_channel_cnt = sp.max_subs;
		}
		vp->u.props.max_transfer_bytes = sp.max_transfer;
		/* multi-channel only from 5.1: older ones have none to ask */
		dev->subs_asked = dev->version < VSTOR_PROTO_WIN8;
		WRITE_ONCE(dev->state, SP_END_INIT);
		sp_reply(spc->chan, id, vp, VSTOR_NT_SUCCESS, size);
		return;
	case SP_END_INIT:
		if (vp->operation == VSTOR_OP_CREATE_SUB_CHANNELS &&
		    !dev->subs_asked) {
			sp_create_subs(spc, id, vp, size);
			return;
		}
		if (vp->operation != VSTOR_OP_END_INITIALIZATION)
			break;
		/* version before state: other channels read them lock-free */
		smp_store_release(&dev->state, SP_READY);
		sp_reply(spc->chan, id, vp, VSTOR_NT_SUCCESS, size);
		return;
	}
	sp_bad_state(spc->chan, id, vp, size);
}

/* The bytes an operation needs after the vstor header. */
static u32 sp_op_payload(u32 op)
{
	switch (op) {
	case VSTOR_OP_BEGIN_INITIALIZATION:
	case VSTOR_OP_END_INITIALIZATION:
	case VSTOR_OP_QUERY_PROPERTIES:
	case VSTOR_OP_RESET_LUN:
	case VSTOR_OP_RESET_ADAPTER:
	case VSTOR_OP_RESET_BUS:
	case VSTOR_OP_EXECUTE_SRB:	/* what is missing reads as zero */
		return 0;
	case VSTOR_OP_QUERY_PROTOCOL_VERSION:
		return sizeof(struct vstor_protocol_version);
	case VSTOR_OP_CREATE_SUB_CHANNELS:
		return sizeof(u16);
	default:
		return U32_MAX;
	}
}

/*
 * The data of a GPA-direct SRB (OpenVMM parse_packet(), Range::new()):
 * exactly one range, at least data_transfer_length bytes long; only that
 * many are used (a longer range is cut), however many that is.  No
 * transfer: no data, whatever the range.  *r and *npfn: the range and the
 * pages the transfer covers.
 * Returns NULL, or why the packet ends the channel's service.
 */
static const char *sp_srb_range(const void *pkt, u32 len,
				const struct vstor_srb *srb,
				const struct vmbus_gpa_range **r, u32 *npfn)
{
	const struct vmbus_pkt_gpa_direct *g = pkt;
	const struct vmbus_gpa_range *gr;
	u32 xfer = srb->data_transfer_length, hdr, n;

	*r = NULL;
	*npfn = 0;
	if (len < sizeof(*g))
		return "bad GPA range";
	hdr = (u32)g->d.offset8 * 8;
	if (hdr > len || g->range_cnt != 1)
		return "SRB with other than one GPA range";
	if (hdr < sizeof(*g) + sizeof(*gr))
		return "bad GPA range";
	gr = (const void *)(g + 1);
	n = DIV_ROUND_UP((u64)gr->byte_offset + gr->byte_count, HV_PAGE_SIZE);
	if (gr->byte_offset >= HV_PAGE_SIZE ||
	    (hdr - sizeof(*g) - sizeof(*gr)) / 8 < n)
		return "bad GPA range";
	if (gr->byte_count < xfer)
		return "GPA range shorter than the SRB's transfer";
	/* no limit: max_transfer_bytes is advice to the guest (OpenVMM) */
	if (!xfer)
		return NULL;
	*r = gr;
	*npfn = DIV_ROUND_UP(gr->byte_offset + xfer, HV_PAGE_SIZE);
	return NULL;
}

static void sp_packet(struct sim_chan *chan, const void *pkt, u32 len)
{
	struct sp_chan *spc = sim_chan_get_priv(chan);
	const struct vmbus_pkt_desc *d = pkt;
	const struct vmbus_gpa_range *r = NULL;
	struct vstor_packet vp = {};
	const void *payload;
	const char *why;
	u32 plen, size, npfn = 0;
	int state;

	if (!spc || spc->dead)
		return;
	why = "no completion requested";
	if (!(d->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED))
		goto dead;
	why = "bad packet";
	payload = sim_pkt_payload(pkt, len, &plen);
	if (!payload)
		goto dead;
	if (d->type != VMBUS_PKT_DATA_INBAND &&
	    d->type != VMBUS_PKT_DATA_USING_GPA_DIRECT) {
		why = "not a data packet";
		goto dead;
	}
	/*
	 * Any size from the header up is served, and answered in the same
	 * size (capped at the largest packet): OpenVMM parse_packet().
	 */
	why = "shorter than its operation";
	if (plen < VSTOR_HEADER_SIZE)
		goto dead;
	size = min_t(u32, plen, VSTOR_PACKET_SIZE);
	memcpy(&vp, payload, size);
	if (plen - VSTOR_HEADER_SIZE < sp_op_payload(vp.operation)) {
		why = sp_op_payload(vp.operation) == U32_MAX ?
		      "unknown operation" : "shorter than its operation";
		goto dead;
	}
	/* GPA ranges are read for SRBs only: OpenVMM parse_packet() */
	if (d->type == VMBUS_PKT_DATA_USING_GPA_DIRECT &&
	    vp.operation == VSTOR_OP_EXECUTE_SRB) {
		why = sp_srb_range(pkt, len, &vp.u.srb, &r, &npfn);
		if (why)
			goto dead;
	}
	/* no range for a transfer: Range::new() fails as for a short one */
	why = "SRB with a transfer and no GPA range";
	if (d->type == VMBUS_PKT_DATA_INBAND &&
	    vp.operation == VSTOR_OP_EXECUTE_SRB &&
	    vp.u.srb.data_transfer_length)
		goto dead;

	/* pairs with the release in sp_init_step(): version is valid */
	state = smp_load_acquire(&spc->dev->state);
	if (state != SP_READY) {
		if (sim_chan_subidx(chan))
			sp_bad_state(chan, d->trans_id, &vp, size);
		else
			sp_init_step(spc, d->trans_id, &vp, size);
		return;
	}
	switch (vp.operation) {
	case VSTOR_OP_EXECUTE_SRB:
		sp_execute(spc, d->trans_id, &vp.u.srb, size, r, npfn);
		return;
	case VSTOR_OP_RESET_LUN:
	case VSTOR_OP_RESET_ADAPTER:
	case VSTOR_OP_RESET_BUS:
		/* no-ops; outstanding commands complete by themselves */
		atomic64_inc(&sp.resets);
		sp_reply(chan, d->trans_id, &vp, VSTOR_NT_SUCCESS, size);
		return;
	case VSTOR_OP_CREATE_SUB_CHANNELS:
		if (!sim_chan_subidx(chan)) {
			sp_create_subs(spc, d->trans_id, &vp, size);
			return;
		}
		break;
	}
	sp_bad_state(chan, d->trans_id, &vp, size);
	return;
dead:
	spc->dead = true;
	atomic64_inc(&sp.dropped);
	pr_err("relid %u: %s (type %u, %u bytes): channel no longer served\n",
	       sim_chan_relid(chan), why, d->type, len);
}

static void sp_dev_free(struct kref *ref)
{
	kfree(container_of(ref, struct sp_dev, ref));
}

static int sp_open(struct sim_chan *chan)
{
	struct sim_chan *primary = sim_chan_primary(chan);
	struct sp_chan *spc, *pspc = NULL;

	if (primary != chan) {
		pspc = sim_chan_get_priv(primary);
		if (!pspc)
			return -ENODEV;	/* primary closed: stale offer */
	}
	spc = kzalloc(sizeof(*spc), GFP_KERNEL);
	if (!spc)
		return -ENOMEM;
	if (pspc) {
		spc->dev = pspc->dev;
		kref_get(&spc->dev->ref);
	} else {
		spc->dev = kzalloc(sizeof(*spc->dev), GFP_KERNEL);
		if (!spc->dev) {
			kfree(spc);
			return -ENOMEM;
		}
		kref_init(&spc->dev->ref);
		spc->dev->state = SP_BEGIN;
	}
	spc->chan = chan;
	spin_lock_init(&spc->lock);
	INIT_LIST_HEAD(&spc->done);
	INIT_WORK(&spc->done_work, sp_done_work);
	init_waitqueue_head(&spc->idle);
	atomic_set(&spc->inflight, 1);	/* dropped in close */
	spc->has_luns = sim_chan_index(chan) == 0;
	if (primary == chan && spc->has_luns) {
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
	kref_put(&spc->dev->ref, sp_dev_free);
	kfree(spc);
}

/*
 * Tell the guest the LUN set changed: vstor ENUMERATE_BUS (in-band, no
 * completion, the version's packet size), only once initialization is
 * over and from 4.2 on (OpenVMM process_primary()).  Returns 0 or -errno
 * (-ENOTCONN: no ready primary; -EOPNOTSUPP: version below 4.2).
 */
int sp_notify_bus_change(void)
{
	struct vstor_packet vp = { .operation = VSTOR_OP_ENUMERATE_BUS };
	struct sp_chan *spc;
	int ret = -ENOTCONN;

	mutex_lock(&sp.lock);
	spc = sp.primary ? sim_chan_get_priv(sp.primary) : NULL;
	/* pairs with the release in sp_init_step(): version is valid */
	if (spc && smp_load_acquire(&spc->dev->state) == SP_READY) {
		if (spc->dev->version < VSTOR_PROTO_WIN7)
			ret = -EOPNOTSUPP;
		else
			ret = sim_chan_send(sp.primary, VMBUS_PKT_DATA_INBAND,
					    0, 0, &vp,
					    version_size(spc->dev->version));
	}
	mutex_unlock(&sp.lock);
	return ret;
}

/* Module parameters over the host profile (main.c). */
void storvsp_apply_profile(const struct sim_profile *p)
{
	sp.max_version = storvsp_version ? storvsp_version : p->vstor_version;
	sp.max_subs = storvsp_subchannels >= 0 ?
		      min(storvsp_subchannels, 64) : p->scsi_subchannels;
	sp.max_transfer = p->scsi_max_transfer;
	if (storvsp_completion_size &&
	    (storvsp_completion_size < VSTOR_HEADER_SIZE ||
	     storvsp_completion_size > SP_COMPLETION_MAX)) {
		pr_warn("storvsp_completion_size=%u out of range: ignored\n",
			storvsp_completion_size);
		storvsp_completion_size = 0;
	}
}

const struct sim_dev_class sim_scsi_class = {
	.name = "scsi",
	.id = 0x08,
	.if_type = HV_SCSI_GUID,
	.open = sp_open,
	.packet = sp_packet,
	.close = sp_close,
};
