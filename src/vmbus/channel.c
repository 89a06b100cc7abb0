// SPDX-License-Identifier: GPL-2.0-only
/*
 * Channel I/O: GPADLs, open/close, sending, receiving, retargeting.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vmbus_private.h"

#define VMBUS_MAX_RING_BYTES	(64u << 20)
#define VMBUS_TASKLET_BUDGET	16	/* callback rounds before yielding */

/* ---- identity accessors for drivers ---- */

struct hv_device *hvlis_chan_device(const struct vmbus_channel *ch)
{
	return ch->device;
}
EXPORT_SYMBOL_GPL(hvlis_chan_device);

u32 hvlis_chan_relid(const struct vmbus_channel *ch)
{
	return ch->relid;
}
EXPORT_SYMBOL_GPL(hvlis_chan_relid);

u16 hvlis_chan_subchannel_index(const struct vmbus_channel *ch)
{
	return ch->subchannel_index;
}
EXPORT_SYMBOL_GPL(hvlis_chan_subchannel_index);

unsigned int hvlis_chan_target_cpu(const struct vmbus_channel *ch)
{
	return READ_ONCE(ch->target_cpu);
}
EXPORT_SYMBOL_GPL(hvlis_chan_target_cpu);

bool hvlis_chan_rescinded(const struct vmbus_channel *ch)
{
	return READ_ONCE(ch->rescinded);
}
EXPORT_SYMBOL_GPL(hvlis_chan_rescinded);

const u8 *hvlis_chan_offer_user_def(const struct vmbus_channel *ch)
{
	return ch->offer.user_def;
}
EXPORT_SYMBOL_GPL(hvlis_chan_offer_user_def);

void hvlis_chan_set_drvdata(struct vmbus_channel *ch, void *data)
{
	ch->drvdata = data;
}
EXPORT_SYMBOL_GPL(hvlis_chan_set_drvdata);

void *hvlis_chan_get_drvdata(const struct vmbus_channel *ch)
{
	return ch->drvdata;
}
EXPORT_SYMBOL_GPL(hvlis_chan_get_drvdata);

void hvlis_chan_set_subchannel_callback(struct vmbus_channel *primary,
					void (*cb)(struct vmbus_channel *sc))
{
	primary->sc_callback = cb;
}
EXPORT_SYMBOL_GPL(hvlis_chan_set_subchannel_callback);

void hvlis_chan_set_rescind_callback(struct vmbus_channel *ch,
				     void (*cb)(struct vmbus_channel *ch))
{
	ch->rescind_callback = cb;
}
EXPORT_SYMBOL_GPL(hvlis_chan_set_rescind_callback);

/* ---- waiting for the host ---- */

/*
 * Wait for the host's answer to a channel request (GPADL, OPENCHANNEL)
 * that w describes and that is already queued: for as long
 * as the host takes, as the kernel's hv_vmbus does, since giving up would
 * free or reuse memory the host may map the moment it answers.  Only the
 * answer or the channel's rescind ends the wait.  Every timeout_ms we say
 * that we are still waiting.  Not killable: the caller would free a buffer
 * the host may still map, or forget a channel the host may still open.
 *
 * A rescind that was handled before w was queued found no waiter to fail
 * and the host will not answer: check the flag after queueing.  The ISR
 * sets it before taking waiters_lock (vmbus_rescind_early), so either it
 * completed w or we see it here.
 */
static int vmbus_chan_wait(struct vmbus_channel *ch, struct vmbus_waiter *w)
{
	unsigned long start = jiffies, slice;
	unsigned int warned = 0, every_ms, ms;

	if (READ_ONCE(ch->rescinded)) {
		vmbus_waiter_cancel(w);
		/* completed meanwhile (answer or rescind): use its result */
		return completion_done(&w->done) ? w->error : -ENODEV;
	}
	for (;;) {
		every_ms = max(READ_ONCE(vmbus_timeout_ms), 100u);
		/* short slices: the hung-task detector sees a sleeping waiter */
		slice = msecs_to_jiffies(min(every_ms, 10000u));
		if (wait_for_completion_timeout(&w->done, slice))
			return w->error;
		ms = jiffies_to_msecs(jiffies - start);
		if (ms / every_ms > warned) {
			warned = ms / every_ms;
			pr_warn("relid %u: no %s from the host after %u ms; still waiting (the host may be busy)\n",
				ch->relid, vmbus_msgtype_name(w->resp_type),
				ms);
		}
	}
}

/* Queue w, post msg and wait as vmbus_chan_wait() does. */
static int vmbus_chan_post_and_wait(struct vmbus_channel *ch, const void *msg,
				    u32 len, struct vmbus_waiter *w)
{
	int ret;

	/* queue first: the answer may arrive before post returns */
	vmbus_waiter_add(w);
	if (READ_ONCE(ch->rescinded)) {
		vmbus_waiter_cancel(w);
		return -ENODEV;
	}
	ret = vmbus_post_msg(msg, len, true);
	if (ret) {
		vmbus_waiter_cancel(w);
		return ret;
	}
	return vmbus_chan_wait(ch, w);
}

/* ---- GPADL ---- */

int vmbus_gpadl_establish(struct vmbus_channel *ch, void *buf, u32 size,
			  struct hvlis_gpadl *g)
{
	u8 msg[HV_MESSAGE_PAYLOAD_MAX] __aligned(8);
	struct vmbus_waiter w;
	u32 npfns, nmsgs, i, handle, len;
	u64 *pfns;
	int ret;

	if (!size || size % HV_PAGE_SIZE || !PAGE_ALIGNED(buf))
		return -EINVAL;
	npfns = size / HV_PAGE_SIZE;
	pfns = kvmalloc_array(npfns, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	for (i = 0; i < npfns; i++) {
		void *p = (u8 *)buf + (size_t)i * HV_PAGE_SIZE;

		pfns[i] = is_vmalloc_addr(p) ? vmalloc_to_pfn(p) :
					     page_to_pfn(virt_to_page(p));
	}

	handle = atomic_inc_return(&vmbus_conn.gpadl_next);
	nmsgs = vmbus_gpadl_msg_count(npfns);

	/* header then bodies back to back; the host answers once, at the end */
	vmbus_waiter_init(&w, VMBUS_MSG_GPADL_CREATED, handle, ch);
	vmbus_waiter_add(&w);
	/* rescinded before w was queued: nobody would fail it (see above) */
	if (READ_ONCE(ch->rescinded)) {
		vmbus_waiter_cancel(&w);
		ret = -ENODEV;
		goto out;
	}
	for (i = 0; i < nmsgs; i++) {
		len = vmbus_gpadl_build_msg(i, ch->relid, handle, pfns, npfns,
					    size, msg);
		ret = len ? vmbus_post_msg(msg, len, true) : -EINVAL;
		if (ret) {
			vmbus_waiter_cancel(&w);
			goto out;
		}
	}
	/* no timeout: the host may map the pages whenever it answers */
	ret = vmbus_chan_wait(ch, &w);
	if (ret)
		goto out;
	if (w.resp.gpadl_created.creation_status ||
	    w.resp.gpadl_created.child_relid != ch->relid) {
		pr_err("relid %u: host refused GPADL %#x (status %#x, relid %u)\n",
		       ch->relid, handle, w.resp.gpadl_created.creation_status,
		       w.resp.gpadl_created.child_relid);
		ret = -EIO;
		goto out;
	}
	g->handle = handle;
	g->buf = buf;
	g->size = size;
	g->decrypted = false;
out:
	kvfree(pfns);
	return ret;
}

int vmbus_gpadl_teardown(struct vmbus_channel *ch, struct hvlis_gpadl *g)
{
	struct vmbus_msg_gpadl_teardown msg = {
		.hdr.msgtype = VMBUS_MSG_GPADL_TEARDOWN,
		.child_relid = ch->relid,
		.gpadl = g->handle,
	};
	struct vmbus_waiter w;
	int ret;

	if (!g->handle)
		return 0;
	/* after a rescind the host has already dropped the channel's GPADLs */
	if (READ_ONCE(ch->rescinded)) {
		g->handle = 0;
		return 0;
	}
	/*
	 * Unlike creation and open, giving up here is safe: the memory is
	 * leaked, never freed, while the host may still map it.  So a host
	 * that never answers costs a leak, not an unload that hangs for ever.
	 */
	vmbus_waiter_init(&w, VMBUS_MSG_GPADL_TORNDOWN, g->handle, ch);
	vmbus_waiter_add(&w);
	if (READ_ONCE(ch->rescinded)) {
		vmbus_waiter_cancel(&w);
		ret = completion_done(&w.done) ? w.error : -ENODEV;
	} else {
		ret = vmbus_post_msg(&msg, sizeof(msg), true);
		if (ret)
			vmbus_waiter_cancel(&w);
		else
			ret = vmbus_waiter_wait(&w);
	}
	if (ret == -ENODEV)		/* rescinded while we waited */
		ret = 0;
	if (ret) {
		pr_err("relid %u: GPADL %#x not torn down (%d); its memory stays with the host\n",
		       ch->relid, g->handle, ret);
		return ret;
	}
	g->handle = 0;
	return 0;
}

int hvlis_gpadl_establish(struct vmbus_channel *ch, void *buf, u32 size,
			  struct hvlis_gpadl *g)
{
	if (READ_ONCE(ch->rescinded))
		return -ENODEV;
	return vmbus_gpadl_establish(ch, buf, size, g);
}
EXPORT_SYMBOL_GPL(hvlis_gpadl_establish);

int hvlis_gpadl_teardown(struct vmbus_channel *ch, struct hvlis_gpadl *g)
{
	return vmbus_gpadl_teardown(ch, g);
}
EXPORT_SYMBOL_GPL(hvlis_gpadl_teardown);

/* ---- open / close ---- */

void vmbus_channel_init_io(struct vmbus_channel *ch)
{
	tasklet_init(&ch->tasklet, vmbus_channel_tasklet, (unsigned long)ch);
}

static bool vmbus_ring_size_ok(u32 bytes)
{
	return bytes >= 2 * HV_PAGE_SIZE && !(bytes % PAGE_SIZE) &&
	       bytes <= VMBUS_MAX_RING_BYTES;
}

static void vmbus_free_rings(struct vmbus_channel *ch)
{
	vfree(ch->ring_buf);
	ch->ring_buf = NULL;
	kvfree(ch->pkt_buf);
	ch->pkt_buf = NULL;
	ch->pkt_buf_size = 0;
}

/* The rings cannot be freed while the host may still map them. */
static void vmbus_drop_rings(struct vmbus_channel *ch)
{
	if (vmbus_gpadl_teardown(ch, &ch->ring_gpadl)) {
		ch->ring_buf = NULL;	/* leaked on purpose */
		kvfree(ch->pkt_buf);
		ch->pkt_buf = NULL;
		return;
	}
	vmbus_free_rings(ch);
}

int hvlis_chan_open(struct vmbus_channel *ch, const struct hvlis_open_params *p)
{
	struct vmbus_msg_open msg = {};
	struct vmbus_waiter w;
	unsigned long flags;
	u32 total;
	int ret;

	if (!vmbus_ring_size_ok(p->send_ring_size) ||
	    !vmbus_ring_size_ok(p->recv_ring_size) ||
	    p->user_data_len > VMBUS_OFFER_USER_DEF_SIZE ||
	    p->max_pkt_size < sizeof(struct vmbus_pkt_desc) ||
	    p->max_pkt_size > p->recv_ring_size - VMBUS_RING_CONTROL_SIZE)
		return -EINVAL;
	/* both rings travel in one GPADL, whose range has at most 8190 PFNs */
	if ((p->send_ring_size + p->recv_ring_size) / HV_PAGE_SIZE >
	    VMBUS_GPADL_MAX_PFNS) {
		pr_err("relid %u: rings of %u + %u bytes exceed one GPADL (%u pages in all)\n",
		       ch->relid, p->send_ring_size, p->recv_ring_size,
		       VMBUS_GPADL_MAX_PFNS);
		return -EINVAL;
	}

	mutex_lock(&ch->lock);
	if (ch->state != VMBUS_CHAN_OFFERED) {
		ret = -EBUSY;
		goto out_unlock;
	}
	if (READ_ONCE(ch->rescinded)) {
		ret = -ENODEV;
		goto out_unlock;
	}

	total = p->send_ring_size + p->recv_ring_size;
	ch->ring_buf = vzalloc(total);
	ch->pkt_buf = kvmalloc(p->max_pkt_size, GFP_KERNEL);
	if (!ch->ring_buf || !ch->pkt_buf) {
		vmbus_free_rings(ch);
		ret = -ENOMEM;
		goto out_unlock;
	}
	ch->pkt_buf_size = p->max_pkt_size;
	ch->ring_bytes = total;
	ch->out_ring_bytes = p->send_ring_size;
	if (hv_ring_setup(&ch->out, ch->ring_buf, p->send_ring_size) ||
	    hv_ring_setup(&ch->in, (u8 *)ch->ring_buf + p->send_ring_size,
			  p->recv_ring_size)) {
		vmbus_free_rings(ch);
		ret = -EINVAL;
		goto out_unlock;
	}
	/* we honour pending_send_sz on both rings */
	hv_ring_set_features(&ch->out);
	hv_ring_set_features(&ch->in);
	ch->out_broken = false;
	ch->in_broken = false;

	ret = vmbus_gpadl_establish(ch, ch->ring_buf, total, &ch->ring_gpadl);
	if (ret) {
		vmbus_free_rings(ch);
		goto out_unlock;
	}

	if (!cpu_online(ch->target_cpu)) {
		ch->target_cpu = vmbus_conn.connect_cpu;
		ch->target_vp = vmbus_conn.ops->vp_index(ch->target_cpu);
	}
	ch->ctx = p->ctx;
	ch->state = VMBUS_CHAN_OPENING;

	msg.hdr.msgtype = VMBUS_MSG_OPENCHANNEL;
	msg.child_relid = ch->relid;
	msg.openid = ch->relid;
	msg.ring_gpadl = ch->ring_gpadl.handle;
	msg.target_vp = ch->target_vp;
	msg.downstream_ring_page_offset = p->send_ring_size / HV_PAGE_SIZE;
	if (p->user_data_len)
		memcpy(msg.user_data, p->user_data, p->user_data_len);

	vmbus_waiter_init(&w, VMBUS_MSG_OPENCHANNEL_RESULT, ch->relid, ch);
	ret = vmbus_chan_post_and_wait(ch, &msg, sizeof(msg), &w);
	if (!ret && (w.resp.open_result.status ||
		     w.resp.open_result.openid != ch->relid)) {
		pr_err("relid %u: host refused to open the channel (status %#x)\n",
		       ch->relid, w.resp.open_result.status);
		ret = -EIO;
	}
	if (ret) {
		ch->state = VMBUS_CHAN_OFFERED;
		vmbus_drop_rings(ch);
		goto out_unlock;
	}

	spin_lock_irqsave(&ch->out_lock, flags);
	ch->state = VMBUS_CHAN_OPENED;
	spin_unlock_irqrestore(&ch->out_lock, flags);
	/* from here the ISR may schedule the callback */
	WRITE_ONCE(ch->onchannel, p->onchannel);
	if (p->onchannel && hv_ring_has_data(&ch->in))
		tasklet_schedule(&ch->tasklet);
out_unlock:
	mutex_unlock(&ch->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(hvlis_chan_open);

void hvlis_chan_close(struct vmbus_channel *ch)
{
	struct vmbus_msg_close msg = {
		.hdr.msgtype = VMBUS_MSG_CLOSECHANNEL,
		.child_relid = ch->relid,
	};
	unsigned long flags;

	mutex_lock(&ch->lock);
	if (ch->state != VMBUS_CHAN_OPENED) {
		mutex_unlock(&ch->lock);
		return;
	}
	spin_lock_irqsave(&vmbus_conn.relid_lock, flags);
	WRITE_ONCE(ch->onchannel, NULL);
	spin_unlock_irqrestore(&vmbus_conn.relid_lock, flags);
	tasklet_kill(&ch->tasklet);

	/* writers check the state under out_lock: none is left in the rings */
	spin_lock_irqsave(&ch->out_lock, flags);
	ch->state = VMBUS_CHAN_OFFERED;
	spin_unlock_irqrestore(&ch->out_lock, flags);

	if (!READ_ONCE(ch->rescinded) && vmbus_conn.connected &&
	    vmbus_post_msg(&msg, sizeof(msg), true))
		pr_err("relid %u: CLOSECHANNEL could not be sent\n", ch->relid);

	if (vmbus_conn.connected)
		vmbus_drop_rings(ch);
	else
		vmbus_free_rings(ch);
	mutex_unlock(&ch->lock);
}
EXPORT_SYMBOL_GPL(hvlis_chan_close);

/* ---- sending ---- */

static int vmbus_chan_write(struct vmbus_channel *ch,
			    const struct hv_ring_seg *segs, unsigned int nsegs)
{
	unsigned long flags;
	bool signal = false;
	u32 total = 0;
	unsigned int i;
	int ret;

	if (READ_ONCE(ch->rescinded))
		return -ENODEV;
	for (i = 0; i < nsegs; i++)
		total += segs[i].len;

	spin_lock_irqsave(&ch->out_lock, flags);
	/*
	 * The state is checked under out_lock: close changes it under the
	 * same lock before it frees the rings, so a writer that got here
	 * uses rings that stay until it unlocks.
	 */
	if (ch->state != VMBUS_CHAN_OPENED) {
		ret = -EINVAL;
		goto out;
	}
	if (ch->out_broken) {
		ret = -EIO;
		goto out;
	}
	ret = hv_ring_write(&ch->out, segs, nsegs, &signal);
	if (ret == -EAGAIN) {
		/*
		 * Ask the host to interrupt us once this packet fits, then
		 * look again: if it made room before it could see the
		 * request, no interrupt would come and the driver, told to
		 * wait for its callback, would wait for ever.
		 */
		hv_ring_set_pending_send(&ch->out, total + VMBUS_RING_TRAILER_SIZE);
		ret = hv_ring_write(&ch->out, segs, nsegs, &signal);
		if (ret == -EAGAIN) {
			ch->out_full_total++;
			if (!ch->out_full_flag) {
				ch->out_full_first++;
				ch->out_full_flag = true;
			}
		} else if (!ch->out_full_flag) {
			/* not full after all: no interrupt wanted */
			hv_ring_clear_pending_send(&ch->out);
		}
	}
	switch (ret) {
	case 0:
		if (ch->out_full_flag) {
			ch->out_full_flag = false;
			hv_ring_clear_pending_send(&ch->out);
		}
		/* the ring was empty: the host must be told (sysfs counter) */
		if (signal)
			ch->intr_out_empty++;
		break;
	case -EAGAIN:
		break;
	case -EBADMSG:
		ch->out_broken = true;
		pr_err("relid %u: host corrupted the outbound ring indices; channel stopped\n",
		       ch->relid);
		ret = -EIO;
		break;
	}
out:
	spin_unlock_irqrestore(&ch->out_lock, flags);
	if (signal)
		vmbus_signal_host(ch);
	return ret;
}

static const u8 vmbus_zero_pad[8];

int hvlis_chan_send(struct vmbus_channel *ch, u16 type, u16 flags,
		    u64 trans_id, const void *buf, u32 len)
{
	struct vmbus_pkt_desc desc;
	struct hv_ring_seg segs[3];
	u32 padded = ALIGN(len, 8);

	if (type != VMBUS_PKT_DATA_INBAND && type != VMBUS_PKT_COMP)
		return -EINVAL;
	if (flags & ~VMBUS_PKT_FLAG_COMPLETION_REQUESTED)
		return -EINVAL;
	if ((u64)padded + sizeof(desc) > 0xffffu * 8)
		return -EMSGSIZE;
	desc.type = type;
	desc.offset8 = sizeof(desc) / 8;
	desc.len8 = (sizeof(desc) + padded) / 8;
	desc.flags = flags;
	desc.trans_id = trans_id;
	segs[0] = (struct hv_ring_seg){ &desc, sizeof(desc) };
	segs[1] = (struct hv_ring_seg){ buf, len };
	segs[2] = (struct hv_ring_seg){ vmbus_zero_pad, padded - len };
	return vmbus_chan_write(ch, segs, padded == len ? 2 : 3);
}
EXPORT_SYMBOL_GPL(hvlis_chan_send);

/* DATA_USING_GPA_DIRECT: descriptor, range_cnt ranges (ranges_bytes), payload. */
static int vmbus_send_gpa_direct(struct vmbus_channel *ch, const void *ranges,
				 u32 ranges_bytes, u32 range_cnt,
				 const void *buf, u32 len, u64 trans_id)
{
	struct vmbus_pkt_gpa_direct hdr;
	struct hv_ring_seg segs[4];
	u32 padded = ALIGN(len, 8);
	u32 hdr_bytes = sizeof(hdr) + ranges_bytes;

	if ((u64)hdr_bytes + padded > 0xffffu * 8)
		return -EMSGSIZE;
	hdr.d.type = VMBUS_PKT_DATA_USING_GPA_DIRECT;
	hdr.d.offset8 = hdr_bytes / 8;
	hdr.d.len8 = (hdr_bytes + padded) / 8;
	hdr.d.flags = VMBUS_PKT_FLAG_COMPLETION_REQUESTED;
	hdr.d.trans_id = trans_id;
	hdr.reserved = 0;
	hdr.range_cnt = range_cnt;
	segs[0] = (struct hv_ring_seg){ &hdr, sizeof(hdr) };
	segs[1] = (struct hv_ring_seg){ ranges, ranges_bytes };
	segs[2] = (struct hv_ring_seg){ buf, len };
	segs[3] = (struct hv_ring_seg){ vmbus_zero_pad, padded - len };
	return vmbus_chan_write(ch, segs, padded == len ? 3 : 4);
}

int hvlis_chan_send_gpa_range(struct vmbus_channel *ch,
			      const struct vmbus_gpa_range *range,
			      u32 range_bytes, const void *buf, u32 len,
			      u64 trans_id)
{
	if (range_bytes < sizeof(*range) + 8 || range_bytes % 8)
		return -EINVAL;
	return vmbus_send_gpa_direct(ch, range, range_bytes, 1, buf, len,
				     trans_id);
}
EXPORT_SYMBOL_GPL(hvlis_chan_send_gpa_range);

#define VMBUS_MAX_PAGE_RANGES	32

int hvlis_chan_send_page_ranges(struct vmbus_channel *ch,
				const struct hvlis_page_range *pr, u32 count,
				const void *buf, u32 len, u64 trans_id)
{
	struct {
		u32 byte_count;
		u32 byte_offset;
		u64 pfn;
	} __packed ranges[VMBUS_MAX_PAGE_RANGES];
	u32 i;

	if (!count || count > VMBUS_MAX_PAGE_RANGES)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		if (pr[i].offset + pr[i].len > HV_PAGE_SIZE)
			return -EINVAL;
		ranges[i].byte_count = pr[i].len;
		ranges[i].byte_offset = pr[i].offset;
		ranges[i].pfn = pr[i].pfn;
	}
	return vmbus_send_gpa_direct(ch, ranges, count * sizeof(ranges[0]),
				     count, buf, len, trans_id);
}
EXPORT_SYMBOL_GPL(hvlis_chan_send_page_ranges);

u32 hvlis_chan_send_space(struct vmbus_channel *ch)
{
	unsigned long flags;
	u32 avail = 0;

	spin_lock_irqsave(&ch->out_lock, flags);
	if (ch->state == VMBUS_CHAN_OPENED && !ch->out_broken)
		avail = hv_ring_bytes_free(&ch->out);
	spin_unlock_irqrestore(&ch->out_lock, flags);
	return avail;
}
EXPORT_SYMBOL_GPL(hvlis_chan_send_space);

/* ---- receiving ---- */

const struct vmbus_pkt_view *hvlis_pkt_next(struct vmbus_channel *ch)
{
	const char *why;
	u32 len;
	int ret;

	if (ch->in_broken || !ch->pkt_buf)
		return NULL;
	for (;;) {
		ret = hv_ring_read(&ch->in, ch->pkt_buf, ch->pkt_buf_size, &len);
		if (ret == -EAGAIN)
			return NULL;
		if (ret == -ENOBUFS) {
			ch->bad_packets++;
			pr_err_ratelimited("relid %u: dropped a %u-byte packet (limit %u)\n",
					   ch->relid, len, ch->pkt_buf_size);
			if (hv_ring_skip(&ch->in))
				goto broken;
			continue;
		}
		if (ret)
			goto broken;
		if (vmbus_pkt_parse(ch->pkt_buf, len, &ch->view, &why)) {
			ch->bad_packets++;
			pr_err_ratelimited("relid %u: dropped a malformed packet: %s\n",
					   ch->relid, why);
			continue;
		}
		if (unlikely(ch->view.unknown_flags)) {
			ch->unknown_flag_packets++;
			pr_warn_ratelimited("relid %u: packet (trans_id %#llx) with unknown descriptor flags %#x; the flags are ignored\n",
					    ch->relid,
					    (unsigned long long)ch->view.trans_id,
					    ch->view.unknown_flags);
		}
		return &ch->view;
	}
broken:
	ch->in_broken = true;
	pr_err("relid %u: host corrupted the inbound ring; channel stopped\n",
	       ch->relid);
	return NULL;
}
EXPORT_SYMBOL_GPL(hvlis_pkt_next);

const struct vmbus_pkt_view *hvlis_pkt_first(struct vmbus_channel *ch)
{
	return hvlis_pkt_next(ch);
}
EXPORT_SYMBOL_GPL(hvlis_pkt_first);

void hvlis_pkt_done(struct vmbus_channel *ch)
{
	bool signal = false;

	if (ch->in_broken || !ch->pkt_buf)
		return;
	hv_ring_commit_read(&ch->in, &signal);
	if (signal) {
		ch->intr_in_full++;
		vmbus_signal_host(ch);
	}
}
EXPORT_SYMBOL_GPL(hvlis_pkt_done);

void vmbus_channel_tasklet(unsigned long data)
{
	struct vmbus_channel *ch = (struct vmbus_channel *)data;
	void (*cb)(void *ctx);
	int round;

	for (round = 0; round < VMBUS_TASKLET_BUDGET; round++) {
		cb = READ_ONCE(ch->onchannel);
		if (!cb)
			return;
		hv_ring_mask_interrupts(&ch->in);
		cb(ch->ctx);
		if (ch->in_broken || !hv_ring_unmask_interrupts(&ch->in))
			return;
	}
	/* still busy: let other softirq work run first */
	tasklet_schedule(&ch->tasklet);
}

/* ---- retarget (MODIFYCHANNEL, VMBus >= 4.1) ---- */

int hvlis_chan_set_target_cpu(struct vmbus_channel *ch, unsigned int cpu)
{
	struct vmbus_msg_modifychannel msg = {
		.hdr.msgtype = VMBUS_MSG_MODIFYCHANNEL,
		.child_relid = ch->relid,
	};
	struct vmbus_waiter w;
	int ret = 0;

	/* the argument first, as the in-tree driver checks it */
	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	if (vmbus_conn.version < VMBUS_VERSION_WIN10_V4_1)
		return -EOPNOTSUPP;

	mutex_lock(&ch->lock);
	if (READ_ONCE(ch->rescinded)) {
		ret = -ENODEV;
		goto out;
	}
	if (ch->target_cpu == cpu)
		goto out;
	msg.target_vp = vmbus_conn.ops->vp_index(cpu);
	if (ch->state == VMBUS_CHAN_OPENED) {
		if (vmbus_conn.version >= VMBUS_VERSION_WIN10_V5_3) {
			vmbus_waiter_init(&w, VMBUS_MSG_MODIFYCHANNEL_RESPONSE,
					  ch->relid, ch);
			ret = vmbus_post_and_wait(&msg, sizeof(msg), &w);
			if (!ret && w.resp.modify_response.status) {
				pr_err("relid %u: host refused CPU %u (status %#x)\n",
				       ch->relid, cpu, w.resp.modify_response.status);
				ret = -EIO;
			}
		} else {
			ret = vmbus_post_msg(&msg, sizeof(msg), true);
		}
		if (ret)
			goto out;
	}
	WRITE_ONCE(ch->target_cpu, cpu);
	ch->target_vp = msg.target_vp;
	/* an event raced to the old CPU: look at the ring there and here */
	if (ch->state == VMBUS_CHAN_OPENED && READ_ONCE(ch->onchannel))
		tasklet_schedule(&ch->tasklet);
out:
	mutex_unlock(&ch->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(hvlis_chan_set_target_cpu);
