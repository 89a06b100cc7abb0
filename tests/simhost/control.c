// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMBus host's control plane: one handler per guest message, run in
 * order on the ordered workqueue sim.ctl_wq with sim.lock held.  Like
 * Hyper-V, unknown or malformed messages are logged and ignored.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "simhost_int.h"

static const char *const msg_names[VMBUS_MSG_COUNT] = {
	[VMBUS_MSG_INVALID] = "INVALID",
	[VMBUS_MSG_OFFERCHANNEL] = "OFFERCHANNEL",
	[VMBUS_MSG_RESCIND_CHANNELOFFER] = "RESCIND_CHANNELOFFER",
	[VMBUS_MSG_REQUESTOFFERS] = "REQUESTOFFERS",
	[VMBUS_MSG_ALLOFFERS_DELIVERED] = "ALLOFFERS_DELIVERED",
	[VMBUS_MSG_OPENCHANNEL] = "OPENCHANNEL",
	[VMBUS_MSG_OPENCHANNEL_RESULT] = "OPENCHANNEL_RESULT",
	[VMBUS_MSG_CLOSECHANNEL] = "CLOSECHANNEL",
	[VMBUS_MSG_GPADL_HEADER] = "GPADL_HEADER",
	[VMBUS_MSG_GPADL_BODY] = "GPADL_BODY",
	[VMBUS_MSG_GPADL_CREATED] = "GPADL_CREATED",
	[VMBUS_MSG_GPADL_TEARDOWN] = "GPADL_TEARDOWN",
	[VMBUS_MSG_GPADL_TORNDOWN] = "GPADL_TORNDOWN",
	[VMBUS_MSG_RELID_RELEASED] = "RELID_RELEASED",
	[VMBUS_MSG_INITIATE_CONTACT] = "INITIATE_CONTACT",
	[VMBUS_MSG_VERSION_RESPONSE] = "VERSION_RESPONSE",
	[VMBUS_MSG_UNLOAD] = "UNLOAD",
	[VMBUS_MSG_UNLOAD_RESPONSE] = "UNLOAD_RESPONSE",
	[VMBUS_MSG_OPEN_RESERVED_CHANNEL] = "OPEN_RESERVED_CHANNEL",
	[VMBUS_MSG_CLOSE_RESERVED_CHANNEL] = "CLOSE_RESERVED_CHANNEL",
	[VMBUS_MSG_CLOSE_RESERVED_RESPONSE] = "CLOSE_RESERVED_RESPONSE",
	[VMBUS_MSG_TL_CONNECT_REQUEST] = "TL_CONNECT_REQUEST",
	[VMBUS_MSG_MODIFYCHANNEL] = "MODIFYCHANNEL",
	[VMBUS_MSG_TL_CONNECT_RESULT] = "TL_CONNECT_RESULT",
	[VMBUS_MSG_MODIFYCHANNEL_RESPONSE] = "MODIFYCHANNEL_RESPONSE",
};

const char *sim_msg_name(u32 type)
{
	return type < VMBUS_MSG_COUNT ? msg_names[type] : "UNKNOWN";
}

/* A message type by number or name; -EINVAL if neither. */
int sim_msg_type_parse(const char *s)
{
	unsigned int v, i;

	if (!kstrtouint(s, 0, &v))
		return v < VMBUS_MSG_COUNT ? (int)v : -EINVAL;
	for (i = 0; i < VMBUS_MSG_COUNT; i++)
		if (!strcasecmp(s, msg_names[i]))
			return i;
	return -EINVAL;
}

/* Guest-to-host messages: minimum size and minimum protocol version. */
static const struct {
	u16 size;
	u32 version;
} g2h[VMBUS_MSG_COUNT] = {
	[VMBUS_MSG_REQUESTOFFERS] = { 8, 0 },
	[VMBUS_MSG_OPENCHANNEL] = { sizeof(struct vmbus_msg_open), 0 },
	[VMBUS_MSG_CLOSECHANNEL] = { sizeof(struct vmbus_msg_close), 0 },
	[VMBUS_MSG_GPADL_HEADER] = { sizeof(struct vmbus_msg_gpadl_header), 0 },
	[VMBUS_MSG_GPADL_BODY] = { sizeof(struct vmbus_msg_gpadl_body), 0 },
	[VMBUS_MSG_GPADL_TEARDOWN] = { sizeof(struct vmbus_msg_gpadl_teardown), 0 },
	[VMBUS_MSG_RELID_RELEASED] = { sizeof(struct vmbus_msg_relid_released), 0 },
	[VMBUS_MSG_INITIATE_CONTACT] = { sizeof(struct vmbus_msg_initiate_contact), 0 },
	[VMBUS_MSG_UNLOAD] = { 8, 0 },
	[VMBUS_MSG_OPEN_RESERVED_CHANNEL] = { 28, VMBUS_VERSION_WIN10 },
	[VMBUS_MSG_CLOSE_RESERVED_CHANNEL] = { 20, VMBUS_VERSION_WIN10 },
	[VMBUS_MSG_TL_CONNECT_REQUEST] = { sizeof(struct vmbus_msg_tl_connect_request),
					   VMBUS_VERSION_WIN10 },
	[VMBUS_MSG_MODIFYCHANNEL] = { sizeof(struct vmbus_msg_modifychannel),
				      VMBUS_VERSION_WIN10_V4_1 },
};

/* ---- sending, with the fault knobs applied ---- */
struct delayed_msg {
	struct delayed_work dw;
	struct list_head node;
	s64 gen;
	u32 vp, sint, size;
	u8 payload[HV_MESSAGE_PAYLOAD_MAX];
};

static LIST_HEAD(delayed_msgs);		/* under sim.lock */

static void delayed_msg_fn(struct work_struct *w)
{
	struct delayed_msg *d = container_of(to_delayed_work(w),
					     struct delayed_msg, dw);
	bool owned;

	mutex_lock(&sim.lock);
	owned = !list_empty(&d->node);
	if (owned) {
		list_del_init(&d->node);
		if (d->gen == atomic64_read(&sim.gen))
			sim_vp_queue_msg(d->vp, d->sint, d->payload, d->size);
	}
	mutex_unlock(&sim.lock);
	if (owned)
		kfree(d);
}

/* Module exit: sim.gen was bumped, so nothing pending is delivered. */
void sim_cancel_delayed(void)
{
	struct delayed_msg *d;

	for (;;) {
		mutex_lock(&sim.lock);
		d = list_first_entry_or_null(&delayed_msgs, struct delayed_msg,
					     node);
		if (d)
			list_del_init(&d->node);
		mutex_unlock(&sim.lock);
		if (!d)
			break;
		cancel_delayed_work_sync(&d->dw);
		kfree(d);
	}
}

static int send_to(u32 vp, u32 sint, const void *msg, u32 size)
{
	u32 type = ((const struct vmbus_msg_header *)msg)->msgtype;
	struct sim_faults *f = &sim.faults;
	u8 buf[HV_MESSAGE_PAYLOAD_MAX] = { 0 };
	unsigned int delay = 0;
	bool drop = false;
	u32 orig = size;
	int ret;

	if (type < VMBUS_MSG_COUNT) {
		spin_lock(&f->lock);
		if (f->drop[type]) {
			drop = true;
			if (f->drop[type] > 0)
				f->drop[type]--;
		} else {
			if (f->size_armed[type]) {
				int n = (int)size + f->size_delta[type];

				f->size_armed[type] = false;
				size = clamp(n, 0, (int)HV_MESSAGE_PAYLOAD_MAX);
				atomic64_inc(&sim.msgs_resized);
				pr_info("fault: %s sent with payload size %u\n",
					sim_msg_name(type), size);
			}
			delay = f->delay_ms[type];
		}
		spin_unlock(&f->lock);
	}
	if (drop) {
		atomic64_inc(&sim.msgs_dropped);
		pr_info("fault: %s dropped\n", sim_msg_name(type));
		return 0;
	}
	memcpy(buf, msg, min(orig, size));
	if (type < VMBUS_MSG_COUNT)
		atomic64_inc(&sim.msgs_out[type]);
	if (delay) {
		struct delayed_msg *d = kzalloc(sizeof(*d), GFP_KERNEL);

		if (!d)
			return -ENOMEM;
		INIT_DELAYED_WORK(&d->dw, delayed_msg_fn);
		d->gen = atomic64_read(&sim.gen);
		d->vp = vp;
		d->sint = sint;
		d->size = size;
		memcpy(d->payload, buf, size);
		list_add_tail(&d->node, &delayed_msgs);
		atomic64_inc(&sim.msgs_delayed);
		queue_delayed_work(sim.ctl_wq, &d->dw, msecs_to_jiffies(delay));
		return 0;
	}
	ret = sim_vp_queue_msg(vp, sint, buf, size);
	if (ret)
		pr_err("cannot queue %s for VP %u: %d\n", sim_msg_name(type),
		       vp, ret);
	return ret;
}

int sim_send_msg(const void *msg, u32 size)
{
	return send_to(sim.msg_vp, sim.msg_sint, msg, size);
}

/* ---- connection ---- */
static bool version_ok(u32 v)
{
	switch (v) {
	case VMBUS_VERSION_WIN8:
	case VMBUS_VERSION_WIN8_1:
	case VMBUS_VERSION_WIN10:
	case VMBUS_VERSION_WIN10_V4_1:
	case VMBUS_VERSION_WIN10_V5:
	case VMBUS_VERSION_WIN10_V5_1:
	case VMBUS_VERSION_WIN10_V5_2:
	case VMBUS_VERSION_WIN10_V5_3:
		return v <= sim_host_version;
	default:
		/* 0.13 and 1.1 signal through the interrupt page: not modelled */
		return false;
	}
}

/*
 * Forget the guest: close every channel host-side, unmap every GPADL,
 * drop sub-channels and rescinded channels, free all relids.  Configured
 * devices are offered again after the next REQUESTOFFERS.
 */
void sim_reset_connection(void)
{
	struct sim_chan *c, *tmp;

	atomic64_inc(&sim.gen);
	atomic64_inc(&sim.resets);
	sim_synic_flush_queues();
	list_for_each_entry(c, &sim.chans, node)
		if (c->state == CHAN_OPEN)
			sim_chan_close_host(c);
	sim_gpadl_free_all();
	list_for_each_entry_safe(c, tmp, &sim.chans, node) {
		if (c->primary != c) {
			list_del(&c->node);
			kfree(c);
		}
	}
	list_for_each_entry_safe(c, tmp, &sim.chans, node) {
		if (c->fake || c->state == CHAN_REVOKED ||
		    c->state == CHAN_DEAD) {
			list_del(&c->node);
			kfree(c);
			continue;
		}
		c->state = CHAN_UNOFFERED;
		c->relid = 0;
		c->conn_id = 0;
		c->nsubs = 0;
		c->released = false;
	}
	bitmap_zero(sim.relids, VMBUS_MAX_RELIDS);
	sim.connected = false;
	sim.version = 0;
	sim.offers_sent = false;
	sim.msg_vp = 0;
	sim.msg_sint = HV_VMBUS_SINT;
	atomic_set(&sim.active_msg_conn, 0);
}

static void handle_initiate_contact(const struct sim_post *p)
{
	const struct vmbus_msg_initiate_contact *m = (const void *)p->payload;
	struct vmbus_msg_version_response r = {
		.hdr.msgtype = VMBUS_MSG_VERSION_RESPONSE,
	};
	u32 ver = m->vmbus_version_requested;
	/* only 3.0+ hosts send messages to a VP other than 0 */
	u32 vp = ver >= VMBUS_VERSION_WIN8_1 ? m->target_vcpu : 0;
	u8 sint = HV_VMBUS_SINT, vtl = 0;

	if (sim.connected) {
		pr_info("INITIATE_CONTACT while connected: dropping the old connection\n");
		sim_reset_connection();
	}
	/* SINT and VTL are honoured only on the 5.0+ port (connection id 4) */
	if (p->conn_id == VMBUS_MESSAGE_CONNECTION_ID_4 &&
	    ver >= VMBUS_VERSION_WIN10_V5) {
		sint = m->msg_sint;
		if (ver >= VMBUS_VERSION_WIN10_V5_1)
			vtl = m->msg_vtl;
	}
	if (sim_vp_to_cpu(vp) < 0) {
		pr_warn("INITIATE_CONTACT: target_vcpu %u is not a VP; using VP 0\n",
			vp);
		vp = 0;
	}
	if (vtl) {
		pr_warn("INITIATE_CONTACT for VTL %u: no server there, no answer\n",
			vtl);
		return;
	}
	if (sint != HV_VMBUS_SINT) {
		pr_warn("INITIATE_CONTACT asks for SINT %u: unsupported\n", sint);
		if (sint < HV_SYNIC_SINT_COUNT)
			send_to(vp, sint, &r, sizeof(r));
		return;
	}
	if (!version_ok(ver)) {
		pr_info("INITIATE_CONTACT %u.%u: not supported (host %u.%u)\n",
			VMBUS_VERSION_MAJOR(ver), VMBUS_VERSION_MINOR(ver),
			VMBUS_VERSION_MAJOR(sim_host_version),
			VMBUS_VERSION_MINOR(sim_host_version));
		send_to(vp, HV_VMBUS_SINT, &r, sizeof(r));
		return;
	}
	if (!m->monitor_page1 != !m->monitor_page2) {
		pr_warn("INITIATE_CONTACT: only one monitor page given\n");
		r.version_supported = 1;
		r.connection_state = 2;		/* failed */
		send_to(vp, HV_VMBUS_SINT, &r, sizeof(r));
		return;
	}
	sim.connected = true;
	sim.version = ver;
	sim.msg_vp = vp;
	sim.msg_sint = HV_VMBUS_SINT;
	sim.offers_sent = false;
	if (ver >= VMBUS_VERSION_WIN10_V5)
		atomic_set(&sim.active_msg_conn, sim_msg_conn_id);
	r.version_supported = 1;
	/* 5.0+: the connection id for later messages; else the version */
	r.msg_conn_id = ver >= VMBUS_VERSION_WIN10_V5 ? sim_msg_conn_id : ver;
	pr_info("guest connected: VMBus %u.%u, messages to VP %u (cpu %d)\n",
		VMBUS_VERSION_MAJOR(ver), VMBUS_VERSION_MINOR(ver), vp,
		sim_vp_to_cpu(vp));
	sim_send_msg(&r, sizeof(r));
}

static void handle_request_offers(void)
{
	struct vmbus_msg_header all = {
		.msgtype = VMBUS_MSG_ALLOFFERS_DELIVERED,
	};
	struct sim_chan *c;

	if (sim.offers_sent) {
		pr_warn("REQUESTOFFERS again: rejected\n");
		return;
	}
	sim.offers_sent = true;
	list_for_each_entry(c, &sim.chans, node)
		if (c->state == CHAN_UNOFFERED && !c->released)
			sim_chan_offer(c);
	sim_send_msg(&all, sizeof(all));
}

static void send_gpadl_created(u32 relid, u32 handle, u32 status)
{
	struct vmbus_msg_gpadl_created r = {
		.hdr.msgtype = VMBUS_MSG_GPADL_CREATED,
		.child_relid = relid,
		.gpadl = handle,
		.creation_status = status,
	};
	struct sim_chan *c;

	sim_send_msg(&r, sizeof(r));
	/* fault: take the channel back right after answering its GPADL */
	if (!status && relid && READ_ONCE(sim.faults.rescind_after_gpadl) == relid) {
		sim.faults.rescind_after_gpadl = 0;
		c = sim_chan_by_relid(relid);
		if (c) {
			pr_info("fault: rescinding relid %u after its GPADL\n", relid);
			sim_chan_rescind(c);
		}
	}
}

static void handle_gpadl_header(const struct sim_post *p)
{
	const struct vmbus_msg_gpadl_header *m = (const void *)p->payload;
	struct sim_chan *chan = sim_chan_by_relid(m->child_relid);
	u32 words = m->range_buflen / 8;
	struct sim_gpadl *g;
	const char *why;
	bool done;
	int ret;

	if (!chan) {
		why = "unknown relid";
		goto fail;
	}
	if (sim_gpadl_find(m->gpadl, chan) ||
	    sim_gpadl_find_inprogress(m->gpadl)) {
		why = "handle already in use";
		goto fail;
	}
	if (!m->rangecount || words < 2) {
		why = "no range";
		goto fail;
	}
	g = sim_gpadl_new(chan, m->gpadl, m->rangecount, words);
	if (!g) {
		why = "out of memory";
		goto fail;
	}
	ret = sim_gpadl_append(g, p->payload + sizeof(*m), p->size - sizeof(*m),
			       &done);
	if (ret) {
		sim_gpadl_free(g);
		why = ret == -EFAULT ? "PFN outside guest RAM" : "invalid ranges";
		goto fail;
	}
	if (done)
		send_gpadl_created(m->child_relid, m->gpadl, 0);
	return;
fail:
	pr_warn("GPADL_HEADER relid %u gpadl %#x: %s\n", m->child_relid,
		m->gpadl, why);
	send_gpadl_created(m->child_relid, m->gpadl, SIM_STATUS_UNSUCCESSFUL);
}

static void handle_gpadl_body(const struct sim_post *p)
{
	const struct vmbus_msg_gpadl_body *m = (const void *)p->payload;
	struct sim_gpadl *g = sim_gpadl_find_inprogress(m->gpadl);
	u32 relid;
	bool done;
	int ret;

	if (!g) {
		pr_warn("GPADL_BODY for gpadl %#x, which is not being built: ignored\n",
			m->gpadl);
		return;
	}
	relid = g->chan->relid;
	ret = sim_gpadl_append(g, p->payload + sizeof(*m), p->size - sizeof(*m),
			       &done);
	if (ret) {
		pr_warn("GPADL_BODY gpadl %#x: %s\n", m->gpadl,
			ret == -EFAULT ? "PFN outside guest RAM" :
			"invalid ranges");
		sim_gpadl_free(g);
		send_gpadl_created(relid, m->gpadl, SIM_STATUS_UNSUCCESSFUL);
		return;
	}
	if (done)
		send_gpadl_created(relid, m->gpadl, 0);
}

static void send_torndown(u32 handle)
{
	struct vmbus_msg_gpadl_torndown r = {
		.hdr.msgtype = VMBUS_MSG_GPADL_TORNDOWN,
		.gpadl = handle,
	};

	sim_send_msg(&r, sizeof(r));
}

static void handle_gpadl_teardown(const struct sim_post *p)
{
	const struct vmbus_msg_gpadl_teardown *m = (const void *)p->payload;
	struct sim_chan *chan = sim_chan_by_relid(m->child_relid);
	struct sim_gpadl *g = chan ? sim_gpadl_find(m->gpadl, chan) : NULL;

	if (!g || g->state != GPADL_CREATED) {
		pr_warn("GPADL_TEARDOWN relid %u gpadl %#x: %s; ignored\n",
			m->child_relid, m->gpadl,
			!chan ? "unknown relid" : !g ? "unknown gpadl" :
			"gpadl not complete or already being torn down");
		return;
	}
	if (g->in_use && chan->state == CHAN_OPEN) {
		/* like a real host: answered once the ring is released */
		pr_warn("GPADL_TEARDOWN of relid %u's open ring: deferred to CLOSECHANNEL\n",
			chan->relid);
		g->state = GPADL_TEARDOWN_PENDING;
		return;
	}
	sim_gpadl_free(g);
	send_torndown(m->gpadl);
}

static void send_open_result(struct sim_chan *chan, u32 openid, u32 status)
{
	struct vmbus_msg_open_result r = {
		.hdr.msgtype = VMBUS_MSG_OPENCHANNEL_RESULT,
		.child_relid = chan->relid,
		.openid = openid,
		.status = status,
	};

	sim_send_msg(&r, sizeof(r));
}

static void handle_open(const struct sim_post *p)
{
	const struct vmbus_msg_open *m = (const void *)p->payload;
	struct sim_chan *chan = sim_chan_by_relid(m->child_relid);
	u32 off = m->downstream_ring_page_offset;
	struct sim_gpadl *g;
	const char *why;
	int ret;

	if (!chan) {
		pr_warn("OPENCHANNEL for unknown relid %u: ignored\n",
			m->child_relid);
		return;
	}
	if (sim.faults.rescind_on_open == chan->relid) {
		sim.faults.rescind_on_open = 0;
		pr_info("fault: rescinding relid %u instead of opening it\n",
			chan->relid);
		sim_chan_rescind(chan);
		return;
	}
	if (chan->state == CHAN_REVOKED)
		return;		/* the rescind answers it */
	if (chan->state != CHAN_CLOSED) {
		pr_warn("OPENCHANNEL relid %u: already open; ignored\n",
			chan->relid);
		return;
	}
	g = sim_gpadl_find(m->ring_gpadl, chan);
	if (!g || g->state != GPADL_CREATED) {
		why = "ring gpadl unknown on this channel";
		goto fail;
	}
	if (g->in_use) {
		why = "ring gpadl already in use";
		goto fail;
	}
	if (g->rangecount != 1 || g->first_off ||
	    g->first_len != g->npfns * PAGE_SIZE) {
		why = "ring gpadl is not one page-aligned range";
		goto fail;
	}
	/* each ring: a control page and at least one data page */
	if (g->npfns < 4 || off < 2 || off > g->npfns - 2) {
		why = "bad downstream ring page offset";
		goto fail;
	}
	if (m->target_vp != SIM_VP_NONE && sim_vp_to_cpu(m->target_vp) < 0) {
		why = "target_vp is not a VP";
		goto fail;
	}
	chan->ring_gpadl = g;
	g->in_use = true;
	chan->openid = m->openid;
	memcpy(chan->userdata, m->user_data, sizeof(chan->userdata));
	WRITE_ONCE(chan->target_vp, m->target_vp);
	ret = sim_chan_start_io(chan, off);
	if (!ret && chan->cls->open) {
		ret = chan->cls->open(chan);
		if (ret)
			sim_chan_stop_io(chan);
	}
	if (ret) {
		g->in_use = false;
		chan->ring_gpadl = NULL;
		chan->target_vp = SIM_VP_NONE;
		why = "device refused to open";
		goto fail;
	}
	chan->state = CHAN_OPEN;
	send_open_result(chan, m->openid, 0);
	sim_chan_rx_start(chan);
	return;
fail:
	pr_warn("OPENCHANNEL relid %u: %s\n", chan->relid, why);
	send_open_result(chan, m->openid, SIM_STATUS_UNSUCCESSFUL);
}

static void handle_close(const struct sim_post *p)
{
	const struct vmbus_msg_close *m = (const void *)p->payload;
	struct sim_chan *chan = sim_chan_by_relid(m->child_relid);

	if (!chan) {
		pr_warn("CLOSECHANNEL for unknown relid %u: ignored\n",
			m->child_relid);
		return;
	}
	if (chan->state == CHAN_OPEN)
		sim_chan_close(chan);
	else if (chan->state != CHAN_REVOKED)
		pr_warn("CLOSECHANNEL relid %u: not open; ignored\n",
			chan->relid);
}

static void handle_relid_released(const struct sim_post *p)
{
	const struct vmbus_msg_relid_released *m = (const void *)p->payload;
	struct sim_chan *chan = sim_chan_by_relid(m->child_relid);

	if (!chan || chan->state == CHAN_OPEN) {
		pr_warn("RELID_RELEASED relid %u: %s; ignored\n",
			m->child_relid, chan ? "channel is open" :
			"unknown relid");
		return;
	}
	if (chan->state == CHAN_REVOKED || chan->primary != chan ||
	    chan->fake) {
		sim_chan_destroy(chan);
		return;
	}
	/* released without a rescind: not offered again until reconnect */
	sim_gpadl_free_chan(chan);
	sim_chan_release_relid(chan);
	chan->state = CHAN_UNOFFERED;
	chan->released = true;
}

static void handle_unload(void)
{
	struct vmbus_msg_header r = { .msgtype = VMBUS_MSG_UNLOAD_RESPONSE };
	u32 vp = sim.msg_vp;

	sim_reset_connection();
	pr_info("UNLOAD: host state reset\n");
	send_to(vp, HV_VMBUS_SINT, &r, sizeof(r));
}

static void handle_modify(const struct sim_post *p)
{
	const struct vmbus_msg_modifychannel *m = (const void *)p->payload;
	struct sim_chan *chan = sim_chan_by_relid(m->child_relid);
	struct vmbus_msg_modifychannel_response r = {
		.hdr.msgtype = VMBUS_MSG_MODIFYCHANNEL_RESPONSE,
		.child_relid = m->child_relid,
	};

	if (!chan || chan->state != CHAN_OPEN ||
	    m->target_vp == SIM_VP_NONE || sim_vp_to_cpu(m->target_vp) < 0 ||
	    READ_ONCE(chan->target_vp) == SIM_VP_NONE) {
		pr_warn("MODIFYCHANNEL relid %u to VP %u: refused\n",
			m->child_relid, m->target_vp);
		r.status = SIM_STATUS_UNSUCCESSFUL;
	} else {
		WRITE_ONCE(chan->target_vp, m->target_vp);
	}
	if (sim.version >= VMBUS_VERSION_WIN10_V5_3)
		sim_send_msg(&r, sizeof(r));
}

static void handle_tl_connect(const struct sim_post *p)
{
	const struct vmbus_msg_tl_connect_request *m = (const void *)p->payload;
	struct vmbus_msg_tl_connect_result r = {
		.hdr.msgtype = VMBUS_MSG_TL_CONNECT_RESULT,
		.endpoint_id = m->guest_endpoint_id,
		.service_id = m->host_service_id,
		.status = (s32)SIM_STATUS_CONN_REFUSED,
	};

	pr_info("TL_CONNECT_REQUEST: no hv_sock service here; refused\n");
	if (sim.version >= VMBUS_VERSION_WIN10_V4_1)
		sim_send_msg(&r, sizeof(r));
}

void sim_handle_guest_msg(const struct sim_post *p)
{
	const struct vmbus_msg_header *h = (const void *)p->payload;
	u32 type;

	if (p->size < sizeof(*h)) {
		atomic64_inc(&sim.msgs_ignored);
		pr_warn("guest message of %u bytes: no header; ignored\n",
			p->size);
		return;
	}
	type = h->msgtype;
	atomic64_inc(&sim.msgs_in[min_t(u32, type, VMBUS_MSG_COUNT)]);
	if (type >= VMBUS_MSG_COUNT || !g2h[type].size) {
		atomic64_inc(&sim.msgs_ignored);
		pr_warn("guest sent message type %u (%s): not a guest message; ignored\n",
			type, sim_msg_name(type));
		return;
	}
	if (p->size < g2h[type].size) {
		atomic64_inc(&sim.msgs_ignored);
		pr_warn("%s of %u bytes, needs %u; ignored\n",
			sim_msg_name(type), p->size, g2h[type].size);
		return;
	}
	if (type != VMBUS_MSG_INITIATE_CONTACT &&
	    (!sim.connected || sim.version < g2h[type].version)) {
		atomic64_inc(&sim.msgs_ignored);
		pr_warn("%s %s; ignored\n", sim_msg_name(type),
			sim.connected ? "needs a newer protocol" :
			"before INITIATE_CONTACT");
		return;
	}

	switch (type) {
	case VMBUS_MSG_INITIATE_CONTACT:
		handle_initiate_contact(p);
		break;
	case VMBUS_MSG_REQUESTOFFERS:
		handle_request_offers();
		break;
	case VMBUS_MSG_GPADL_HEADER:
		handle_gpadl_header(p);
		break;
	case VMBUS_MSG_GPADL_BODY:
		handle_gpadl_body(p);
		break;
	case VMBUS_MSG_GPADL_TEARDOWN:
		handle_gpadl_teardown(p);
		break;
	case VMBUS_MSG_OPENCHANNEL:
		handle_open(p);
		break;
	case VMBUS_MSG_CLOSECHANNEL:
		handle_close(p);
		break;
	case VMBUS_MSG_RELID_RELEASED:
		handle_relid_released(p);
		break;
	case VMBUS_MSG_UNLOAD:
		handle_unload();
		break;
	case VMBUS_MSG_MODIFYCHANNEL:
		handle_modify(p);
		break;
	case VMBUS_MSG_TL_CONNECT_REQUEST:
		handle_tl_connect(p);
		break;
	default:
		atomic64_inc(&sim.msgs_ignored);
		pr_warn("%s: not supported by this host; ignored\n",
			sim_msg_name(type));
		break;
	}
}
