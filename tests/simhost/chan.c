// SPDX-License-Identifier: GPL-2.0-only
/*
 * Channels: offers, relids and connection ids, the per-channel I/O worker
 * and the send helpers devices use.  Control-plane state is under
 * sim.lock; ring writes under chan->tx_lock; ring reads only in
 * chan->work.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "simhost_int.h"

/* Instance GUID 53494dCC-IIII-4000-8000-73696d687374 (CC class, IIII index) */
void sim_instance_guid(struct hv_guid *g, u8 class_id, unsigned int index)
{
	static const u8 tail[8] = { 0x80, 0x00, 's', 'i', 'm', 'h', 's', 't' };
	u32 d1 = 0x53494d00u | class_id;

	g->b[0] = d1 & 0xff;
	g->b[1] = (d1 >> 8) & 0xff;
	g->b[2] = (d1 >> 16) & 0xff;
	g->b[3] = d1 >> 24;
	g->b[4] = index & 0xff;
	g->b[5] = (index >> 8) & 0xff;
	g->b[6] = 0x00;
	g->b[7] = 0x40;
	memcpy(&g->b[8], tail, sizeof(tail));
}

const char *sim_chan_state_name(enum sim_chan_state s)
{
	switch (s) {
	case CHAN_UNOFFERED: return "unoffered";
	case CHAN_CLOSED: return "closed";
	case CHAN_OPEN: return "open";
	case CHAN_REVOKED: return "rescinded";
	case CHAN_DEAD: return "dead";
	}
	return "?";
}

/* ---- plugin accessors ---- */
u32 sim_chan_relid(const struct sim_chan *chan) { return chan->relid; }
u16 sim_chan_subidx(const struct sim_chan *chan) { return chan->subidx; }
unsigned int sim_chan_index(const struct sim_chan *chan) { return chan->index; }
struct sim_chan *sim_chan_primary(struct sim_chan *chan) { return chan->primary; }
void *sim_chan_get_priv(const struct sim_chan *chan) { return chan->priv; }
void sim_chan_set_priv(struct sim_chan *chan, void *priv) { chan->priv = priv; }

const u8 *sim_chan_open_userdata(const struct sim_chan *chan)
{
	return chan->userdata;
}

const void *sim_pkt_payload(const void *pkt, u32 len, u32 *payload_len)
{
	const struct vmbus_pkt_desc *d = pkt;
	u32 off;

	if (len < sizeof(*d))
		return NULL;
	off = (u32)d->offset8 * 8;
	if (off < sizeof(*d) || off > len || (u32)d->len8 * 8 != len)
		return NULL;
	*payload_len = len - off;
	return (const u8 *)pkt + off;
}

/* ---- lifetime ---- */
static void chan_work_fn(struct work_struct *w);

struct sim_chan *sim_chan_create(const struct sim_dev_class *cls,
				 unsigned int index, struct sim_chan *primary,
				 u16 subidx)
{
	struct sim_chan *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	c->cls = cls;
	c->index = index;
	c->subidx = subidx;
	c->uid = ++sim.next_uid;
	c->primary = primary ? primary : c;
	if (primary)
		c->instance = primary->instance;
	else
		sim_instance_guid(&c->instance, cls->id, index);
	c->state = CHAN_UNOFFERED;
	c->target_vp = SIM_VP_NONE;
	INIT_LIST_HEAD(&c->sig_node);
	mutex_init(&c->tx_lock);
	INIT_WORK(&c->work, chan_work_fn);
	init_waitqueue_head(&c->wait);
	list_add_tail(&c->node, &sim.chans);
	return c;
}

struct sim_chan *sim_chan_by_relid(u32 relid)
{
	struct sim_chan *c;

	if (!relid)
		return NULL;
	list_for_each_entry(c, &sim.chans, node)
		if (c->relid == relid && c->state != CHAN_UNOFFERED &&
		    c->state != CHAN_DEAD)
			return c;
	return NULL;
}

struct sim_chan *sim_chan_by_uid(u64 uid)
{
	struct sim_chan *c;

	list_for_each_entry(c, &sim.chans, node)
		if (c->uid == uid)
			return c;
	return NULL;
}

int sim_chan_alloc_relid(void)
{
	unsigned long r = find_next_zero_bit(sim.relids, VMBUS_MAX_RELIDS, 1);

	if (r >= VMBUS_MAX_RELIDS)
		return -ENOSPC;
	__set_bit(r, sim.relids);
	return r;
}

void sim_chan_release_relid(struct sim_chan *chan)
{
	if (chan->relid)
		__clear_bit(chan->relid, sim.relids);
	chan->relid = 0;
}

static bool has_subs(struct sim_chan *chan)
{
	struct sim_chan *c;

	list_for_each_entry(c, &sim.chans, node)
		if (c != chan && c->primary == chan)
			return true;
	return false;
}

/* Free a channel that is not open.  A primary with live subs lingers. */
void sim_chan_destroy(struct sim_chan *chan)
{
	struct sim_chan *primary = chan->primary;

	WARN_ON(chan->state == CHAN_OPEN);
	sim_gpadl_free_chan(chan);
	if (chan->state != CHAN_UNOFFERED && chan->state != CHAN_DEAD)
		sim_chan_release_relid(chan);
	if (has_subs(chan)) {
		chan->state = CHAN_DEAD;
		return;
	}
	list_del(&chan->node);
	kfree(chan);
	if (primary != chan && primary->state == CHAN_DEAD &&
	    !has_subs(primary))
		sim_chan_destroy(primary);
}

/* Module exit: every channel is stopped already. */
void sim_chan_destroy_all(void)
{
	struct sim_chan *c, *tmp;

	sim_gpadl_free_all();
	list_for_each_entry_safe(c, tmp, &sim.chans, node) {
		list_del(&c->node);
		kfree(c);
	}
}

/* ---- offers ---- */
void sim_chan_send_offer(struct sim_chan *chan)
{
	struct vmbus_msg_offer o;

	memset(&o, 0, sizeof(o));
	o.hdr.msgtype = VMBUS_MSG_OFFERCHANNEL;
	o.if_type = chan->cls->if_type;
	o.if_instance = chan->instance;
	o.chn_flags = chan->cls->chn_flags;
	o.mmio_megabytes = chan->cls->mmio_megabytes;
	if (chan->cls->chn_flags & VMBUS_OFFER_NAMED_PIPE_MODE) {
		u32 mode = chan->cls->pipe_mode;

		memcpy(o.user_def, &mode, sizeof(mode));
	}
	o.sub_channel_index = chan->subidx;
	o.child_relid = chan->relid;
	o.monitorid = 0;
	o.monitor_allocated = 0;
	o.is_dedicated_interrupt = 1;
	o.connection_id = chan->conn_id;
	sim_send_msg(&o, sizeof(o));
}

/* Give the channel a relid and a connection id and offer it. */
int sim_chan_offer(struct sim_chan *chan)
{
	int relid = sim_chan_alloc_relid();

	if (relid < 0) {
		pr_err("out of relids; %s/%u not offered\n",
		       chan->cls->name, chan->index);
		return relid;
	}
	chan->relid = relid;
	chan->conn_id = sim.next_conn_id++;
	chan->state = CHAN_CLOSED;
	sim_chan_send_offer(chan);
	return 0;
}

/* ---- data plane ---- */
static void chan_break(struct sim_chan *chan, const char *ring,
		       const char *why)
{
	if (!chan->broken)
		pr_err("relid %u (%s/%u): %s ring corrupt: %s; channel stopped\n",
		       chan->relid, chan->cls->name, chan->index, ring, why);
	chan->broken = true;
}

void sim_chan_signal_guest(struct sim_chan *chan)
{
	u32 vp = READ_ONCE(chan->target_vp);

	if (vp == SIM_VP_NONE)
		return;
	atomic64_inc(&chan->sig_out);
	sim_vp_signal(vp, chan->relid);
}

/* Give a read packet's room back; signal a guest waiting for it. */
static void chan_commit(struct sim_chan *chan, u32 len)
{
	if (sim_ring_commit_read(&chan->in, len)) {
		atomic64_inc(&chan->sig_space);
		sim_chan_signal_guest(chan);
	}
}

bool sim_chan_rx_in_ring(const struct sim_chan *chan)
{
	return READ_ONCE(chan->rx_in_ring);
}

static void chan_work_fn(struct work_struct *w)
{
	struct sim_chan *chan = container_of(w, struct sim_chan, work);
	bool pipe = chan->cls->chn_flags & VMBUS_OFFER_NAMED_PIPE_MODE;
	const char *why = NULL;
	u32 len;
	int ret;

	for (;;) {
		if (atomic_read(&chan->stopping) || READ_ONCE(chan->broken) ||
		    !READ_ONCE(chan->rx_on) || READ_ONCE(chan->held))
			return;
		/* no interrupts while we drain */
		sim_ring_set_mask(&chan->in, true);
		for (;;) {
			if (atomic_read(&chan->stopping))
				return;
			ret = sim_ring_peek(&chan->in, chan->bounce,
					    chan->bounce_size, &len, &why);
			if (ret == SIM_RING_EMPTY)
				break;
			if (ret != SIM_RING_OK) {
				chan_break(chan, "guest-to-host", why);
				return;
			}
			atomic64_inc(&chan->pkts_in);
			/*
			 * A pipe's reader takes the message out of the ring
			 * before it acts on it (OpenVMM vmbus_async pipe.rs,
			 * try_read_message: commit_read, then the caller gets
			 * the bytes): an IC answer is off the ring before the
			 * next request goes out.  Other devices work on the
			 * packet first (the bounce buffer holds a copy).
			 */
			if (pipe)
				chan_commit(chan, len);
			WRITE_ONCE(chan->rx_in_ring, !pipe);
			if (chan->cls->packet)
				chan->cls->packet(chan, chan->bounce, len);
			WRITE_ONCE(chan->rx_in_ring, false);
			if (!pipe)
				chan_commit(chan, len);
			cond_resched();
		}
		/* unmask, then look again: the guest may have written meanwhile */
		sim_ring_set_mask(&chan->in, false);
		if (!sim_ring_has_data(&chan->in, &why))
			return;
	}
}

/* @off: first page of the host-to-guest ring inside the ring GPADL */
int sim_chan_start_io(struct sim_chan *chan, u32 off)
{
	struct sim_gpadl *g = chan->ring_gpadl;
	u8 *va = g->va;

	sim_ring_init_in(&chan->in, va, off * PAGE_SIZE);
	sim_ring_init_out(&chan->out, va + (size_t)off * PAGE_SIZE,
			  (g->npfns - off) * PAGE_SIZE);
	/* len8 is 16 bits: no packet is larger than this */
	chan->bounce_size = min_t(u32, chan->in.size, 0xffffu * 8);
	chan->bounce = kvmalloc(chan->bounce_size, GFP_KERNEL);
	if (!chan->bounce)
		return -ENOMEM;
	atomic_set(&chan->stopping, 0);
	chan->broken = false;
	mutex_lock(&chan->tx_lock);
	chan->io_on = true;
	chan->fault_len8_add = 0;
	mutex_unlock(&chan->tx_lock);
	WRITE_ONCE(chan->rx_on, false);
	WRITE_ONCE(chan->held, false);
	spin_lock_irq(&sim.sig_lock);
	list_add_tail(&chan->sig_node, &sim.sig_list);
	spin_unlock_irq(&sim.sig_lock);
	return 0;
}

/*
 * A busy host: stop reading the guest-to-host ring until released, so the
 * guest's ring fills whatever the relative speed of guest and host.
 */
void sim_chan_hold(struct sim_chan *chan, bool hold)
{
	WRITE_ONCE(chan->held, hold);
	if (!hold)
		queue_work(sim.chan_wq, &chan->work);
}

/* After OPENCHANNEL_RESULT: start reading (packets may be waiting). */
void sim_chan_rx_start(struct sim_chan *chan)
{
	WRITE_ONCE(chan->rx_on, true);
	queue_work(sim.chan_wq, &chan->work);
}

void sim_chan_stop_io(struct sim_chan *chan)
{
	spin_lock_irq(&sim.sig_lock);
	list_del_init(&chan->sig_node);
	spin_unlock_irq(&sim.sig_lock);
	atomic_set(&chan->stopping, 1);
	WRITE_ONCE(chan->rx_on, false);
	wake_up_all(&chan->wait);
	cancel_work_sync(&chan->work);
	mutex_lock(&chan->tx_lock);
	chan->io_on = false;
	mutex_unlock(&chan->tx_lock);
	kvfree(chan->bounce);
	chan->bounce = NULL;
}

static int chan_send(struct sim_chan *chan, u16 type, u16 flags, u64 trans_id,
		     u16 offset8, const void *data, u32 len, bool wait)
{
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(sim_send_timeout_ms);
	struct vmbus_pkt_desc d = {
		.type = type,
		.offset8 = offset8,
		.flags = flags,
		.trans_id = trans_id,
	};
	u32 need = sizeof(d) + ALIGN(len, 8) + VMBUS_RING_TRAILER_SIZE;
	const char *why = NULL;
	bool sig = false;
	int seq, ret;

	for (;;) {
		u16 fake = 0;

		seq = atomic_read(&chan->sigseq);
		mutex_lock(&chan->tx_lock);
		if (!chan->io_on || atomic_read(&chan->stopping)) {
			ret = -ESHUTDOWN;
			goto out;
		}
		if (READ_ONCE(chan->broken)) {
			ret = -EIO;
			goto out;
		}
		if (len > sim_ring_max_packet(&chan->out)) {
			ret = -EMSGSIZE;
			goto out;
		}
		if (chan->fault_len8_add) {
			u32 l8 = (sizeof(d) + ALIGN(len, 8)) / 8;

			fake = chan->fault_len8_add == 0xffff ? 0xffff :
			       min_t(u32, 0xffff, l8 + chan->fault_len8_add);
		}
		ret = sim_ring_write(&chan->out, &d, data, len, fake, &sig,
				     &why);
		if (ret == SIM_RING_FULL) {
			/* ask for a signal once there is room, then recheck */
			sim_ring_set_pending(&chan->out, need);
			ret = sim_ring_write(&chan->out, &d, data, len, fake,
					     &sig, &why);
		}
		if (ret == SIM_RING_OK) {
			sim_ring_set_pending(&chan->out, 0);
			if (fake) {
				pr_info("relid %u: sent a packet with len8 %u (fault)\n",
					chan->relid, fake);
				chan->fault_len8_add = 0;
			}
			mutex_unlock(&chan->tx_lock);
			atomic64_inc(&chan->pkts_out);
			if (sig)
				sim_chan_signal_guest(chan);
			return 0;
		}
		if (ret == SIM_RING_CORRUPT) {
			chan_break(chan, "host-to-guest", why);
			ret = -EIO;
			goto out;
		}
		mutex_unlock(&chan->tx_lock);
		if (!wait)
			return -EAGAIN;
		if (time_after_eq(jiffies, deadline)) {
			pr_warn("relid %u: host-to-guest ring full for %u ms; packet dropped\n",
				chan->relid, sim_send_timeout_ms);
			atomic64_inc(&chan->send_fail);
			return -ETIMEDOUT;
		}
		wait_event_timeout(chan->wait,
				   atomic_read(&chan->sigseq) != seq ||
				   atomic_read(&chan->stopping),
				   max_t(long, 1, (long)(deadline - jiffies)));
	}
out:
	mutex_unlock(&chan->tx_lock);
	atomic64_inc(&chan->send_fail);
	return ret;
}

int sim_chan_send(struct sim_chan *chan, u16 type, u16 flags, u64 trans_id,
		  const void *data, u32 len)
{
	might_sleep();
	return chan_send(chan, type, flags, trans_id, 0, data, len, true);
}

int sim_chan_try_send(struct sim_chan *chan, u16 type, u16 flags,
		      u64 trans_id, const void *data, u32 len)
{
	return chan_send(chan, type, flags, trans_id, 0, data, len, false);
}

int sim_chan_send_hdr(struct sim_chan *chan, u16 type, u16 flags,
		      u64 trans_id, u16 offset8, const void *data, u32 len,
		      bool wait)
{
	if (offset8 < sizeof(struct vmbus_pkt_desc) / 8 ||
	    (u32)offset8 * 8 > sizeof(struct vmbus_pkt_desc) + len)
		return -EINVAL;
	return chan_send(chan, type, flags, trans_id, offset8, data, len, wait);
}

/* ---- rescind ---- */
void sim_chan_close_host(struct sim_chan *chan)
{
	sim_chan_stop_io(chan);
	if (chan->cls->close)
		chan->cls->close(chan);
	chan->priv = NULL;
	if (chan->ring_gpadl)
		chan->ring_gpadl->in_use = false;
	chan->ring_gpadl = NULL;
	chan->target_vp = SIM_VP_NONE;
}

/* Teardowns that waited for the ring to be released. */
static void send_pending_torndowns(struct sim_chan *chan)
{
	struct sim_gpadl *g, *tmp;

	list_for_each_entry_safe(g, tmp, &sim.gpadls, node) {
		struct vmbus_msg_gpadl_torndown t = {
			.hdr.msgtype = VMBUS_MSG_GPADL_TORNDOWN,
		};

		if (g->chan != chan || g->state != GPADL_TEARDOWN_PENDING)
			continue;
		t.gpadl = g->handle;
		sim_gpadl_free(g);
		sim_send_msg(&t, sizeof(t));
	}
}

void sim_chan_rescind(struct sim_chan *chan)
{
	struct sim_chan *c, *ctmp;

	/* a device's sub-channels go first */
	if (chan->primary == chan) {
		list_for_each_entry_safe(c, ctmp, &sim.chans, node)
			if (c != chan && c->primary == chan &&
			    c->state != CHAN_DEAD)
				sim_chan_rescind(c);
	}
	sim_chan_rescind_one(chan);
}

/* This channel only (a fault when it is a primary with sub-channels). */
void sim_chan_rescind_one(struct sim_chan *chan)
{
	struct vmbus_msg_rescind m;

	switch (chan->state) {
	case CHAN_UNOFFERED:
		sim_chan_destroy(chan);
		return;
	case CHAN_REVOKED:
	case CHAN_DEAD:
		return;
	case CHAN_OPEN:
		sim_chan_close_host(chan);
		break;
	case CHAN_CLOSED:
		break;
	}
	chan->state = CHAN_REVOKED;
	send_pending_torndowns(chan);
	memset(&m, 0, sizeof(m));
	m.hdr.msgtype = VMBUS_MSG_RESCIND_CHANNELOFFER;
	m.child_relid = chan->relid;
	sim_send_msg(&m, sizeof(m));
	pr_info("rescinded relid %u (%s/%u sub %u)\n", chan->relid,
		chan->cls->name, chan->index, chan->subidx);
}

/*
 * CLOSECHANNEL of an open channel.  Closing a primary revokes its
 * sub-channels first (OpenVMM vmbus_channel channel.rs handle_close():
 * open ones are closed host-side, every offer is rescinded); they are
 * offered anew, from index 1, when the device asks again.  Closing a
 * sub-channel keeps its offer: the guest may open it again.
 */
void sim_chan_close(struct sim_chan *chan)
{
	struct sim_chan *c, *tmp;

	if (chan->primary == chan) {
		list_for_each_entry_safe(c, tmp, &sim.chans, node)
			if (c != chan && c->primary == chan &&
			    c->state != CHAN_DEAD && c->state != CHAN_REVOKED)
				sim_chan_rescind(c);
		chan->nsubs = 0;
	}
	sim_chan_close_host(chan);
	chan->state = CHAN_CLOSED;
	send_pending_torndowns(chan);
}

/* ---- sub-channels ---- */
struct subchan_req {
	struct work_struct work;
	u64 primary_uid;
	unsigned int n;
	bool upto;			/* n is the total wanted, not a delta */
};

static void subchan_work_fn(struct work_struct *w)
{
	struct subchan_req *req = container_of(w, struct subchan_req, work);
	struct sim_chan *primary, *sub;
	unsigned int i;

	mutex_lock(&sim.lock);
	primary = sim_chan_by_uid(req->primary_uid);
	if (!primary || primary->state != CHAN_OPEN) {
		pr_warn("sub-channel request for a primary that is gone or closed\n");
		goto out;
	}
	if (req->upto)
		req->n = req->n > primary->nsubs ? req->n - primary->nsubs : 0;
	for (i = 0; i < req->n; i++) {
		if (primary->nsubs >= 0xffff)
			break;
		sub = sim_chan_create(primary->cls, primary->index, primary,
				      ++primary->nsubs);
		if (!sub)
			break;
		if (sim.connected && sim.offers_sent)
			sim_chan_offer(sub);
	}
out:
	mutex_unlock(&sim.lock);
	kfree(req);
}

static int queue_subchannels(struct sim_chan *primary, unsigned int n,
			     bool upto)
{
	struct subchan_req *req;

	if (primary->primary != primary || (!n && !upto))
		return -EINVAL;
	if (!n)
		return 0;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	INIT_WORK(&req->work, subchan_work_fn);
	req->primary_uid = primary->uid;
	req->n = n;
	req->upto = upto;
	queue_work(sim.ctl_wq, &req->work);
	return 0;
}

int sim_offer_subchannels(struct sim_chan *primary, unsigned int n)
{
	return queue_subchannels(primary, n, false);
}

int sim_enable_subchannels(struct sim_chan *primary, unsigned int n)
{
	return queue_subchannels(primary, n, true);
}
