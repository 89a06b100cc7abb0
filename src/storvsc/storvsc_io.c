// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_storvsc I/O path: EXECUTE_SRB requests, their completions, and the
 * SCSI error handler's host reset.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/rcupdate.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_eh.h>

#include "storvsc.h"

/* PFNs kept on the stack: 128 KiB at any offset */
#define STORVSC_INLINE_PFNS	33
/* time_out_value the in-tree guests put in every SRB (seconds) */
#define STORVSC_SRB_TIMEOUT	60

static const u8 storvsc_host_bytes[] = {
	[VSTOR_HOST_OK] = DID_OK,
	[VSTOR_HOST_ERROR] = DID_ERROR,
	[VSTOR_HOST_NO_CONNECT] = DID_NO_CONNECT,
	[VSTOR_HOST_REQUEUE] = DID_REQUEUE,
	[VSTOR_HOST_BUS_BUSY] = DID_BUS_BUSY,
	[VSTOR_HOST_PASSTHROUGH] = DID_PASSTHROUGH,
};

static void storvsc_slot_released(struct storvsc_dev *stor)
{
	if (atomic_dec_and_test(&stor->outstanding))
		wake_up(&stor->drain_wq);
}

static void storvsc_finish_error(struct scsi_cmnd *cmd, int host_byte)
{
	cmd->result = 0;
	set_host_byte(cmd, host_byte);
	scsi_set_resid(cmd, scsi_bufflen(cmd));
	scsi_done(cmd);
}

/*
 * The data buffer as one multi-page range (vstor_range_add() says which
 * scatterlists can be one; the queue's virt boundary mask and segment
 * clustering make every request one).  buf holds the 8-byte range header
 * and npfn PFNs.  -EINVAL when the scatterlist breaks the rule.
 */
static int storvsc_build_range(struct scsi_cmnd *cmd, u64 *buf, u32 npfn)
{
	struct vmbus_gpa_range *range = (struct vmbus_gpa_range *)buf;
	u32 left = scsi_bufflen(cmd), n = 0;
	struct scatterlist *sg;
	u64 end = 0;
	int i, nents = scsi_sg_count(cmd);

	range->byte_count = left;
	range->byte_offset = sg_phys(scsi_sglist(cmd)) & (HV_PAGE_SIZE - 1);
	for_each_sg(scsi_sglist(cmd), sg, nents, i) {
		u32 len = min_t(u32, sg->length, left);

		if (vstor_range_add(range->pfn, npfn, &n, &end, sg_phys(sg), len))
			return -EINVAL;
		left -= len;
		if (!left)
			break;
	}
	return left || n != npfn ? -EINVAL : 0;
}

/* One EXECUTE_SRB on ch: with its data range (npfn PFNs in buf) or in-band. */
static int storvsc_send_io(struct vmbus_channel *ch, u64 *buf, u32 npfn,
			   const struct vstor_packet *pkt, u32 len, u64 tid)
{
	if (npfn)
		return hvlis_chan_send_gpa_range(ch, (struct vmbus_gpa_range *)buf,
						 (1 + npfn) * sizeof(u64), pkt,
						 len, tid);
	return hvlis_chan_send(ch, VMBUS_PKT_DATA_INBAND,
			       VMBUS_PKT_FLAG_COMPLETION_REQUESTED, tid, pkt,
			       len);
}

static u32 storvsc_pfn_count(struct scsi_cmnd *cmd)
{
	u32 off = sg_phys(scsi_sglist(cmd)) & (HV_PAGE_SIZE - 1);

	return DIV_ROUND_UP(off + scsi_bufflen(cmd), HV_PAGE_SIZE);
}

/*
 * The channel to send on: the one whose interrupts go to this CPU, so the
 * completion arrives where the request was issued (the in-tree driver's
 * choice too: storvsc_do_io() sends on stor_chns[current CPU] while its
 * ring has room).  blk-mq's CPU-to-queue map and the bus's round-robin
 * choice of target CPUs need not agree: queue i's own channel may
 * interrupt another CPU, and every completion would then wake a second
 * CPU and come back with an IPI.  Any open channel of the device may
 * carry any request (slot->ch records which); without a channel for this
 * CPU the queue's own is used.  Called in an RCU read section.
 */
static struct vmbus_channel *storvsc_pick_chan(struct storvsc_dev *stor,
					       u16 qidx)
{
	struct vmbus_channel *own = READ_ONCE(stor->queues[qidx].ch);
	unsigned int cpu = raw_smp_processor_id();
	struct vmbus_channel *ch;
	u16 i, j;

	if (hvlis_chan_target_cpu(own) == cpu)
		return own;
	for (i = 1, j = qidx; i < stor->nr_queues; i++) {
		j = j ? j - 1 : stor->nr_queues - 1;
		ch = READ_ONCE(stor->queues[j].ch);
		if (hvlis_chan_target_cpu(ch) == cpu)
			return ch;
	}
	return own;
}

compat_scsi_qc_t storvsc_queuecommand(struct Scsi_Host *shost, struct scsi_cmnd *cmd)
{
	struct storvsc_dev *stor = shost_priv(shost);
	struct storvsc_cmd *priv = scsi_cmd_priv(cmd);
	u64 inline_buf[1 + STORVSC_INLINE_PFNS];
	struct vstor_srb_req req = {};
	struct vstor_packet pkt;
	struct storvsc_queue *q;
	struct storvsc_slot *slot;
	struct vmbus_channel *ch;
	u64 *buf = inline_buf;
	u32 utag, len, npfn = 0;
	u16 qidx, tag;
	int ret;

	priv->length = scsi_bufflen(cmd);
	priv->opcode = cmd->cmnd[0];

	if (READ_ONCE(stor->gone)) {
		storvsc_finish_error(cmd, DID_NO_CONNECT);
		return 0;
	}
	/* hosts up to Win8 mishandle these */
	if (stor->version <= VSTOR_PROTO_WIN8 &&
	    (priv->opcode == WRITE_SAME || priv->opcode == SET_WINDOW)) {
		storvsc_finish_error(cmd, DID_ERROR);
		return 0;
	}

	utag = blk_mq_unique_tag(scsi_cmd_to_rq(cmd));
	qidx = blk_mq_unique_tag_to_hwq(utag);
	tag = blk_mq_unique_tag_to_tag(utag);
	if (WARN_ON_ONCE(qidx >= stor->nr_queues || tag >= stor->depth)) {
		storvsc_finish_error(cmd, DID_ERROR);
		return 0;
	}

	switch (cmd->sc_data_direction) {
	case DMA_TO_DEVICE:
		req.data_in = VSTOR_DATA_WRITE;
		break;
	case DMA_FROM_DEVICE:
		req.data_in = VSTOR_DATA_READ;
		break;
	case DMA_NONE:
		req.data_in = VSTOR_DATA_UNKNOWN;
		break;
	default:		/* bidirectional: not in this protocol */
		storvsc_finish_error(cmd, DID_ERROR);
		return 0;
	}
	if (!priv->length)
		req.data_in = VSTOR_DATA_UNKNOWN;
	req.port = stor->port;
	req.path = cmd->device->channel;
	req.target = cmd->device->id;
	req.lun = (u8)cmd->device->lun;
	req.cdb = cmd->cmnd;
	req.cdb_len = cmd->cmd_len;
	req.tagged = cmd->device->tagged_supported;
	req.length = priv->length;
	req.timeout_s = STORVSC_SRB_TIMEOUT;
	len = vstor_build_srb(&pkt, &req, stor->version);
	if (!len) {
		storvsc_finish_error(cmd, DID_ERROR);
		return 0;
	}

	if (priv->length) {
		npfn = storvsc_pfn_count(cmd);
		if (npfn > STORVSC_INLINE_PFNS) {
			buf = kmalloc_array(1 + npfn, sizeof(u64), GFP_ATOMIC);
			if (!buf)
				return SCSI_MLQUEUE_HOST_BUSY;
		}
		if (storvsc_build_range(cmd, buf, npfn)) {
			WARN_ONCE(1, "storvsc: scatterlist with a gap (%u bytes, %d entries)\n",
				  priv->length, scsi_sg_count(cmd));
			if (buf != inline_buf)
				kfree(buf);
			storvsc_finish_error(cmd, DID_ERROR);
			return 0;
		}
	}

	q = &stor->queues[qidx];
	slot = &q->slots[tag];
	if (WARN_ON_ONCE(READ_ONCE(slot->cmd))) {
		/*
		 * blk-mq reuses a tag only after the SCSI layer finished its
		 * request, which we allow only once the host has answered it.
		 */
		if (buf != inline_buf)
			kfree(buf);
		return SCSI_MLQUEUE_HOST_BUSY;
	}

	rcu_read_lock();
	ch = storvsc_pick_chan(stor, qidx);
	WRITE_ONCE(slot->ch, ch);
	atomic_inc(&stor->outstanding);
	/* publishes slot->ch and the count before the host can answer */
	smp_store_release(&slot->cmd, cmd);
	for (;;) {
		ret = storvsc_send_io(ch, buf, npfn, &pkt, len,
				      vstor_io_trans_id(qidx, tag));
		/*
		 * A rescinded sub-channel refuses packets from the rescind
		 * until its callback has moved the queue to the primary: go
		 * there now.  The callback waits for this RCU section before
		 * it fails what the sub-channel holds, and no longer finds
		 * this request there.
		 */
		if (!ret || ch == stor->primary.ch || !hvlis_chan_rescinded(ch))
			break;
		ch = stor->primary.ch;
		WRITE_ONCE(slot->ch, ch);
		smp_wmb();	/* the new channel before the host can answer */
	}
	rcu_read_unlock();
	if (buf != inline_buf)
		kfree(buf);
	if (!ret) {
		/*
		 * The device was rescinded while we sent: either the rescind
		 * saw our slot, or we see its flag (pairs with the barrier
		 * in storvsc_primary_rescind()).
		 */
		smp_mb();
		if (likely(!READ_ONCE(stor->gone)))
			return 0;
		ret = -ENODEV;
	}

	if (cmpxchg(&slot->cmd, cmd, NULL) != cmd)
		return 0;		/* already failed by a rescind */
	storvsc_slot_released(stor);
	if (ret == -EAGAIN)
		return SCSI_MLQUEUE_HOST_BUSY;
	if (storvsc_log_on(STORVSC_LOG_ERROR))
		dev_err_ratelimited(&stor->hdev->device,
				    "cannot send a request: %d\n", ret);
	storvsc_finish_error(cmd, ret == -EMSGSIZE ? DID_ERROR : DID_NO_CONNECT);
	return 0;
}

/*
 * Misses that are part of normal operation: a bus scan or a rescan finding
 * no such target or LUN, TEST UNIT READY's not-ready states, and the
 * INQUIRY and MODE SENSE pages Hyper-V hosts fail instead of answering
 * (vstor_map_result() turns those into success, as the in-tree guests do).
 * Nothing for an administrator to act on: logged at debug level, or at
 * info with logging_level 2.
 */
static bool storvsc_routine_miss(u8 opcode, u8 srb_status)
{
	u8 code = VSTOR_SRB_CODE(srb_status);
	bool absent = code == VSTOR_SRB_INVALID_LUN ||
		      code == VSTOR_SRB_INVALID_TARGET_ID ||
		      code == VSTOR_SRB_SELECTION_TIMEOUT ||
		      code == VSTOR_SRB_NO_DEVICE;

	switch (opcode) {
	case TEST_UNIT_READY:
		return true;
	case MODE_SENSE:
	case MODE_SENSE_10:
		return !absent;
	case INQUIRY:
		return true;
	case REPORT_LUNS:
		return absent;
	default:
		return false;
	}
}

static void storvsc_finish(struct storvsc_dev *stor, struct scsi_cmnd *cmd,
			   const struct vstor_reply *r)
{
	struct storvsc_cmd *priv = scsi_cmd_priv(cmd);
	struct device *dev = &stor->hdev->device;
	struct vstor_io_result res;
	struct vstor_verdict v;
	const char *why;

	if (vstor_parse_io_reply(r, stor->version, priv->length, &res, &why)) {
		dev_err_ratelimited(dev, "tag %#x: bad completion (%u bytes): %s\n",
				    blk_mq_unique_tag(scsi_cmd_to_rq(cmd)), r->len,
				    why);
		storvsc_finish_error(cmd, DID_ERROR);
		return;
	}
	if (!res.dtl_valid)
		dev_err_ratelimited(dev, "cmd %#x: host moved %u bytes of %u\n",
				    priv->opcode, res.data_transfer_length,
				    priv->length);
	if (res.sense_clamped && storvsc_log_on(STORVSC_LOG_WARN))
		dev_warn_ratelimited(dev, "cmd %#x: sense length %u clamped\n",
				     priv->opcode, r->pkt.u.srb.sense_info_length);

	vstor_map_result(&res, priv->opcode, priv->length, &v);
	if (res.scsi_status || VSTOR_SRB_CODE(res.srb_status) != VSTOR_SRB_SUCCESS) {
		if (!storvsc_routine_miss(priv->opcode, res.srb_status)) {
			if (storvsc_log_on(STORVSC_LOG_ERROR))
				dev_warn_ratelimited(dev, "cmd %#x: scsi %#x srb %#x host %#x\n",
						     priv->opcode, res.scsi_status,
						     res.srb_status, res.nt_status);
		} else if (storvsc_log_on(STORVSC_LOG_WARN)) {
			dev_info_ratelimited(dev, "cmd %#x: scsi %#x srb %#x host %#x (expected)\n",
					     priv->opcode, res.scsi_status,
					     res.srb_status, res.nt_status);
		} else {
			dev_dbg_ratelimited(dev, "cmd %#x: scsi %#x srb %#x host %#x\n",
					    priv->opcode, res.scsi_status,
					    res.srb_status, res.nt_status);
		}
	}

	if (v.sense_len)
		memcpy(cmd->sense_buffer, res.sense,
		       min_t(u32, v.sense_len, SCSI_SENSE_BUFFERSIZE));
	cmd->result = v.status;
	set_host_byte(cmd, storvsc_host_bytes[v.host]);
	scsi_set_resid(cmd, v.resid);
	if (v.action != VSTOR_ACT_NONE)
		storvsc_queue_lun_work(stor, cmd, v.action);
	scsi_done(cmd);
}

/*
 * An I/O answer on channel sc for trans_id (queue, tag).  bad: why the
 * packet cannot be used as that request's completion (NULL: it can), or
 * it came on another channel than the request went out on.  Either way
 * the host has answered the request and holds nothing of it any more, so
 * an outstanding request is finished: with DID_ERROR when the answer is
 * unusable, which the SCSI layer retries (counted, like any host error;
 * the in-tree driver maps host-side failures of ordinary commands to
 * DID_ERROR too), instead of keeping its slot until a reset that can
 * never drain it.
 */
void storvsc_io_complete(struct storvsc_chan *sc, u16 queue, u16 tag,
			 const struct vstor_reply *r, const char *bad)
{
	struct storvsc_dev *stor = sc->stor;
	/* pairs with storvsc_alloc_queues(): nr_queues, depth are set */
	struct storvsc_queue *queues = smp_load_acquire(&stor->queues);
	u64 tid = vstor_io_trans_id(queue, tag);
	struct storvsc_slot *slot;
	struct scsi_cmnd *cmd;

	if (!queues || queue >= stor->nr_queues || tag >= stor->depth) {
		storvsc_reject(sc, tid, bad ? bad : "no such request slot");
		return;
	}
	slot = &queues[queue].slots[tag];
	/* pairs with queuecommand's release: slot->ch is the one it sent on */
	cmd = smp_load_acquire(&slot->cmd);
	if (!cmd) {
		storvsc_reject(sc, tid, bad ? bad : "no request outstanding with this id");
		return;
	}
	if (!bad && READ_ONCE(slot->ch) != sc->ch)
		bad = "request was sent on another channel";
	if (cmpxchg(&slot->cmd, cmd, NULL) != cmd) {
		storvsc_reject(sc, tid, bad ? bad : "request already completed");
		return;
	}
	storvsc_slot_released(stor);
	if (bad) {
		dev_err_ratelimited(&stor->hdev->device,
				    "relid %u: unusable answer (trans_id %#llx): %s; the request is retried\n",
				    hvlis_chan_relid(sc->ch),
				    (unsigned long long)tid, bad);
		storvsc_finish_error(cmd, DID_ERROR);
		return;
	}
	/*
	 * A command the error handler owns ignores scsi_done(): the handler
	 * waits for this release before it lets the SCSI layer reuse it.
	 */
	storvsc_finish(stor, cmd, r);
}

/*
 * Complete every outstanding request (sent on channel only, or on any
 * when only is NULL) with host_byte.  Called with storvsc_chan_mutex held
 * (queues cannot go away), from process context.
 */
void storvsc_fail_outstanding(struct storvsc_dev *stor,
			      const struct vmbus_channel *only, int host_byte)
{
	struct storvsc_queue *queues = stor->queues;
	struct storvsc_slot *slot;
	struct scsi_cmnd *cmd;
	u16 q, t;

	if (!queues)
		return;
	for (q = 0; q < stor->nr_queues; q++) {
		for (t = 0; t < stor->depth; t++) {
			slot = &queues[q].slots[t];
			/* as in storvsc_io_complete() */
			cmd = smp_load_acquire(&slot->cmd);
			if (!cmd || (only && READ_ONCE(slot->ch) != only))
				continue;
			if (cmpxchg(&slot->cmd, cmd, NULL) != cmd)
				continue;
			storvsc_slot_released(stor);
			storvsc_finish_error(cmd, host_byte);
		}
	}
}

/*
 * A command outlived its timeout.  Hosts (Azure above all) can take far
 * longer than any timeout and still answer, and only the answer tells us
 * the host is done with the request's pages: say so and keep waiting
 * (the template's hook restarts the timer, as the in-tree driver does).
 */
void storvsc_eh_timed_out(struct scsi_cmnd *cmd)
{
	struct storvsc_dev *stor = shost_priv(cmd->device->host);
	struct storvsc_cmd *priv = scsi_cmd_priv(cmd);

	dev_warn_ratelimited(&stor->hdev->device,
			     "cmd %#x (tag %#x): no answer from the host within %u s; still waiting\n",
			     priv->opcode,
			     blk_mq_unique_tag(scsi_cmd_to_rq(cmd)),
			     scsi_cmd_to_rq(cmd)->timeout / HZ);
}

int storvsc_eh_host_reset(struct scsi_cmnd *cmd)
{
	struct storvsc_dev *stor = shost_priv(cmd->device->host);

	dev_warn(&stor->hdev->device, "host reset (%d requests outstanding)\n",
		 atomic_read(&stor->outstanding));
	return storvsc_bus_reset(stor) ? FAILED : SUCCESS;
}
