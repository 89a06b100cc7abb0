// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMBus connection: version negotiation, posting control messages,
 * matching the host's answers to waiting requests, UNLOAD.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/io.h>

#include "vmbus_private.h"
#include "hv_tlfs.h"

struct vmbus_conn vmbus_conn = {
	.waiters_lock = __RAW_SPIN_LOCK_UNLOCKED(vmbus_conn.waiters_lock),
	.waiters = LIST_HEAD_INIT(vmbus_conn.waiters),
	.channel_mutex = __MUTEX_INITIALIZER(vmbus_conn.channel_mutex),
	.channels = LIST_HEAD_INIT(vmbus_conn.channels),
	.relid_lock = __SPIN_LOCK_UNLOCKED(vmbus_conn.relid_lock),
	.msg_conn_id = VMBUS_MESSAGE_CONNECTION_ID,
};

/* Newest first; max_version caps it (connection.c is the only user). */
static const u32 vmbus_versions[] = {
	VMBUS_VERSION_WIN10_V5_3, VMBUS_VERSION_WIN10_V5_2,
	VMBUS_VERSION_WIN10_V5_1, VMBUS_VERSION_WIN10_V5,
	VMBUS_VERSION_WIN10_V4_1, VMBUS_VERSION_WIN10,
	VMBUS_VERSION_WIN8_1, VMBUS_VERSION_WIN8,
	VMBUS_VERSION_WIN7, VMBUS_VERSION_WS2008,
};

u32 hvlis_vmbus_version(void)
{
	return vmbus_conn.version;
}
EXPORT_SYMBOL_GPL(hvlis_vmbus_version);

static bool vmbus_status_retryable(u16 status)
{
	return status == HV_STATUS_INSUFFICIENT_BUFFERS ||
	       status == HV_STATUS_INSUFFICIENT_MEMORY ||
	       status == HV_STATUS_INVALID_CONNECTION_ID;
}

/*
 * Post with the retry policy of a real guest: the hypervisor's message
 * queue can be full for a while, so back off exponentially (up to 100
 * tries).  retry_conn_id is false for INITIATE_CONTACT on connection 4,
 * where INVALID_CONNECTION_ID means "old host" and must fail at once.
 */
static int vmbus_post(u32 conn_id, const void *msg, u32 len, bool can_sleep,
		      bool retry_conn_id)
{
	unsigned int delay_us = 1, tries;
	u16 status = HV_STATUS_SUCCESS;

	if (len > HV_MESSAGE_PAYLOAD_MAX)
		return -EMSGSIZE;
	for (tries = 0; tries < 100; tries++) {
		status = vmbus_conn.ops->post_message(conn_id, HV_MSGTYPE_VMBUS,
						      msg, len);
		if (status == HV_STATUS_SUCCESS)
			return 0;
		/* an old host has no connection 4: the caller tries older versions */
		if (status == HV_STATUS_INVALID_CONNECTION_ID && !retry_conn_id)
			return -ECONNREFUSED;
		if (!vmbus_status_retryable(status))
			break;
		if (can_sleep)
			usleep_range(delay_us, delay_us * 2);
		else
			udelay(delay_us);
		delay_us = min(delay_us * 2, can_sleep ? 100000u : 1000u);
	}
	pr_err_ratelimited("posting %s failed: hypervisor status %#x\n",
			   vmbus_msgtype_name(((const struct vmbus_msg_header *)msg)->msgtype),
			   status);
	if (status == HV_STATUS_INVALID_CONNECTION_ID)
		return -ECONNREFUSED;
	return -EIO;
}

int vmbus_post_msg(const void *msg, u32 len, bool can_sleep)
{
	return vmbus_post(READ_ONCE(vmbus_conn.msg_conn_id), msg, len,
			  can_sleep, true);
}

void vmbus_waiter_init(struct vmbus_waiter *w, u32 resp_type, u32 key,
		       struct vmbus_channel *ch)
{
	INIT_LIST_HEAD(&w->node);
	w->resp_type = resp_type;
	w->key = key;
	w->ch = ch;
	w->error = 0;
	init_completion(&w->done);
}

void vmbus_waiter_add(struct vmbus_waiter *w)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&vmbus_conn.waiters_lock, flags);
	list_add_tail(&w->node, &vmbus_conn.waiters);
	raw_spin_unlock_irqrestore(&vmbus_conn.waiters_lock, flags);
}

/* Returns true if the waiter was still queued (nobody completed it). */
static bool vmbus_waiter_remove(struct vmbus_waiter *w)
{
	unsigned long flags;
	bool queued;

	raw_spin_lock_irqsave(&vmbus_conn.waiters_lock, flags);
	queued = !list_empty(&w->node);
	list_del_init(&w->node);
	raw_spin_unlock_irqrestore(&vmbus_conn.waiters_lock, flags);
	return queued;
}

void vmbus_waiter_cancel(struct vmbus_waiter *w)
{
	vmbus_waiter_remove(w);
}

/* Wait for the answer that w (already queued) describes, within timeout_ms. */
int vmbus_waiter_wait(struct vmbus_waiter *w)
{
	unsigned long timeout = msecs_to_jiffies(READ_ONCE(vmbus_timeout_ms));

	if (!wait_for_completion_timeout(&w->done, timeout) &&
	    vmbus_waiter_remove(w)) {
		pr_err("no %s from the host within %u ms (key %u)\n",
		       vmbus_msgtype_name(w->resp_type),
		       READ_ONCE(vmbus_timeout_ms), w->key);
		return -ETIMEDOUT;
	}
	return w->error;
}

/* Post msg and wait for the answer that w describes. */
int vmbus_post_and_wait(const void *msg, u32 len, struct vmbus_waiter *w)
{
	int ret;

	/* queue first: the answer may arrive before post returns */
	vmbus_waiter_add(w);
	ret = vmbus_post_msg(msg, len, true);
	if (ret) {
		vmbus_waiter_remove(w);
		return ret;
	}
	return vmbus_waiter_wait(w);
}

/* ISR: hand a host answer to the request waiting for it. */
static void vmbus_complete(u32 type, u32 key, const union vmbus_host_msg *m)
{
	struct vmbus_waiter *w, *found = NULL;
	unsigned long flags;

	raw_spin_lock_irqsave(&vmbus_conn.waiters_lock, flags);
	list_for_each_entry(w, &vmbus_conn.waiters, node) {
		if (w->resp_type == type && w->key == key) {
			found = w;
			list_del_init(&w->node);
			w->resp = *m;
			w->error = 0;
			complete(&w->done);
			break;
		}
	}
	raw_spin_unlock_irqrestore(&vmbus_conn.waiters_lock, flags);
	if (!found) {
		atomic64_inc(&vmbus_conn.bad_messages);
		pr_warn_ratelimited("unexpected %s for %u: no request is waiting for it; ignored\n",
				    vmbus_msgtype_name(type), key);
	}
}

/* ISR: a refused answer names a request: fail that request. */
static void vmbus_fail_answer(u32 type, u32 key, int error)
{
	struct vmbus_waiter *w;
	unsigned long flags;

	raw_spin_lock_irqsave(&vmbus_conn.waiters_lock, flags);
	list_for_each_entry(w, &vmbus_conn.waiters, node) {
		if (w->resp_type == type && w->key == key) {
			list_del_init(&w->node);
			w->error = error;
			complete(&w->done);
			break;
		}
	}
	raw_spin_unlock_irqrestore(&vmbus_conn.waiters_lock, flags);
}

void vmbus_fail_waiters(struct vmbus_channel *ch, int error)
{
	struct vmbus_waiter *w, *tmp;
	unsigned long flags;

	raw_spin_lock_irqsave(&vmbus_conn.waiters_lock, flags);
	list_for_each_entry_safe(w, tmp, &vmbus_conn.waiters, node) {
		if (w->ch != ch)
			continue;
		list_del_init(&w->node);
		w->error = error;
		complete(&w->done);
	}
	raw_spin_unlock_irqrestore(&vmbus_conn.waiters_lock, flags);
}

/*
 * Called from the ISR with a private copy of the SynIC message, before
 * the slot is freed.  Answers to requests are matched right here; offers
 * and rescinds go to the ordered message workqueue (channel_mgmt.c),
 * except that a rescind also fails the channel's pending requests at
 * once, so that an open racing with the rescind does not wait for its
 * timeout.  Returns false if there is no room for the message yet: the
 * caller then leaves it in the slot (no EOM), and the host holds the rest.
 *
 * Hard-IRQ context, also on PREEMPT_RT (the vector is not threaded): only
 * raw spinlocks (waiters_lock, the FIFO's), complete() and queue_work()
 * here, each section bounded by the requests outstanding.
 */
bool vmbus_on_message(const struct hv_message *msg)
{
	union vmbus_host_msg m;
	const char *why = "";
	u32 len = msg->header.payload_size;

	if (len > HV_MESSAGE_PAYLOAD_MAX) {
		atomic64_inc(&vmbus_conn.bad_messages);
		pr_err_ratelimited("refused host message: payload size %u > %u\n",
				   len, HV_MESSAGE_PAYLOAD_MAX);
		return true;
	}
	if (vmbus_decode_host_msg(msg->payload, len, &m, &why)) {
		u32 type, key;

		atomic64_inc(&vmbus_conn.bad_messages);
		pr_err_ratelimited("refused host message (type %u, %u bytes): %s\n",
				   len >= 4 ? *(const u32 *)msg->payload : 0,
				   len, why);
		/* the request it answers fails rather than waits for ever */
		if (vmbus_refused_answer_key(msg->payload, len, &type, &key))
			vmbus_fail_answer(type, key, -EPROTO);
		return true;
	}

	switch (m.hdr.msgtype) {
	case VMBUS_MSG_VERSION_RESPONSE:
	case VMBUS_MSG_UNLOAD_RESPONSE:
		vmbus_complete(m.hdr.msgtype, 0, &m);
		break;
	case VMBUS_MSG_OPENCHANNEL_RESULT:
		vmbus_complete(m.hdr.msgtype, m.open_result.child_relid, &m);
		break;
	case VMBUS_MSG_GPADL_CREATED:
		vmbus_complete(m.hdr.msgtype, m.gpadl_created.gpadl, &m);
		break;
	case VMBUS_MSG_GPADL_TORNDOWN:
		vmbus_complete(m.hdr.msgtype, m.gpadl_torndown.gpadl, &m);
		break;
	case VMBUS_MSG_MODIFYCHANNEL_RESPONSE:
		vmbus_complete(m.hdr.msgtype, m.modify_response.child_relid, &m);
		break;
	case VMBUS_MSG_RESCIND_CHANNELOFFER:
		/* never half-applied: only once the rescind itself is queued */
		if (!vmbus_queue_host_msg(&m))
			return false;
		vmbus_rescind_early(m.rescind.child_relid);
		break;
	case VMBUS_MSG_OFFERCHANNEL:
	case VMBUS_MSG_ALLOFFERS_DELIVERED:
		return vmbus_queue_host_msg(&m);
	default:
		pr_info_ratelimited("ignored host message %s\n",
				    vmbus_msgtype_name(m.hdr.msgtype));
		break;
	}
	return true;
}

/*
 * Ask the host to interrupt us for this channel's events (guest to host).
 * The monitor and interrupt pages are read under RCU: a disconnect frees
 * them only after a grace period.
 */
void vmbus_signal_host(struct vmbus_channel *ch)
{
	u32 conn_id = ch->sig_conn_id;
	struct hv_monitor_page *mp;
	void *ip;

	ch->sig_events++;
	rcu_read_lock();
	mp = READ_ONCE(vmbus_conn.monitor_pages[1]);
	if (ch->monitor_allocated && mp) {
		u8 id = ch->monitor_id;

		/*
		 * pending is the group's first word (hv_tlfs.h asserts it), so
		 * the group's address is the bitmap's; &group.pending of a
		 * packed struct would be a possibly unaligned u32 pointer.
		 */
		set_bit(id % 32, (unsigned long *)(void *)&mp->trigger_group[id / 32]);
		rcu_read_unlock();
		return;
	}
	ip = READ_ONCE(vmbus_conn.int_page);
	if (!ch->dedicated_interrupt && ip)
		/* the send half of the interrupt page, for pre-Win8 hosts */
		set_bit(ch->relid, (unsigned long *)((u8 *)ip + HV_PAGE_SIZE / 2));
	rcu_read_unlock();
	if (vmbus_conn.version < VMBUS_VERSION_WIN7)
		conn_id = VMBUS_EVENT_CONNECTION_ID;
	vmbus_conn.ops->signal_event(conn_id, 0);
}

static int vmbus_negotiate(u32 version)
{
	struct vmbus_msg_initiate_contact msg = {};
	struct vmbus_waiter w;
	unsigned long timeout = msecs_to_jiffies(READ_ONCE(vmbus_timeout_ms));
	u32 conn_id;
	int ret;

	msg.hdr.msgtype = VMBUS_MSG_INITIATE_CONTACT;
	msg.vmbus_version_requested = version;
	msg.target_vcpu = vmbus_conn.ops->vp_index(vmbus_conn.connect_cpu);
	if (version >= VMBUS_VERSION_WIN10_V5) {
		msg.msg_sint = HV_VMBUS_SINT;
		msg.msg_vtl = vmbus_conn.ops->vtl;
		conn_id = VMBUS_MESSAGE_CONNECTION_ID_4;
	} else {
		msg.interrupt_page = virt_to_phys(vmbus_conn.int_page);
		conn_id = VMBUS_MESSAGE_CONNECTION_ID;
	}
	msg.monitor_page1 = virt_to_phys(vmbus_conn.monitor_pages[0]);
	msg.monitor_page2 = virt_to_phys(vmbus_conn.monitor_pages[1]);

	vmbus_waiter_init(&w, VMBUS_MSG_VERSION_RESPONSE, 0, NULL);
	vmbus_waiter_add(&w);
	ret = vmbus_post(conn_id, &msg, sizeof(msg), true, false);
	if (ret) {
		vmbus_waiter_remove(&w);
		return ret;
	}
	if (!wait_for_completion_timeout(&w.done, timeout) &&
	    vmbus_waiter_remove(&w)) {
		pr_err("no VERSION_RESPONSE for %u.%u within %u ms\n",
		       VMBUS_VERSION_MAJOR(version), VMBUS_VERSION_MINOR(version),
		       READ_ONCE(vmbus_timeout_ms));
		return -ETIMEDOUT;
	}
	if (!w.resp.version_response.version_supported)
		return -EPROTONOSUPPORT;
	if (w.resp.version_response.connection_state) {
		pr_err("host accepted %u.%u but reports connection state %u\n",
		       VMBUS_VERSION_MAJOR(version), VMBUS_VERSION_MINOR(version),
		       w.resp.version_response.connection_state);
		return -EIO;
	}
	if (version >= VMBUS_VERSION_WIN10_V5) {
		u32 id = w.resp.version_response.msg_conn_id;

		/* connection ids are 24 bits wide (TLFS HV_CONNECTION_ID) */
		if (!id || id > 0xffffff) {
			pr_err("host gave an invalid message connection id %#x\n", id);
			return -EIO;
		}
		WRITE_ONCE(vmbus_conn.msg_conn_id, id);
	} else {
		WRITE_ONCE(vmbus_conn.msg_conn_id, VMBUS_MESSAGE_CONNECTION_ID);
	}
	vmbus_conn.version = version;
	return 0;
}

static void vmbus_free_conn_pages(void)
{
	void *ip = vmbus_conn.int_page;
	void *m0 = vmbus_conn.monitor_pages[0];
	void *m1 = vmbus_conn.monitor_pages[1];

	WRITE_ONCE(vmbus_conn.int_page, NULL);
	WRITE_ONCE(vmbus_conn.monitor_pages[0], NULL);
	WRITE_ONCE(vmbus_conn.monitor_pages[1], NULL);
	/* a signal or an interrupt may still be using them */
	synchronize_rcu();
	free_page((unsigned long)ip);
	free_page((unsigned long)m0);
	free_page((unsigned long)m1);
}

int vmbus_connect(void)
{
	struct vmbus_msg_header req = { .msgtype = VMBUS_MSG_REQUESTOFFERS };
	unsigned long timeout;
	unsigned int i;
	int ret = -EPROTONOSUPPORT;

	vmbus_conn.connect_cpu = 0;
	vmbus_conn.int_page = (void *)get_zeroed_page(GFP_KERNEL);
	vmbus_conn.monitor_pages[0] = (void *)get_zeroed_page(GFP_KERNEL);
	vmbus_conn.monitor_pages[1] = (void *)get_zeroed_page(GFP_KERNEL);
	if (!vmbus_conn.int_page || !vmbus_conn.monitor_pages[0] ||
	    !vmbus_conn.monitor_pages[1]) {
		vmbus_free_conn_pages();
		return -ENOMEM;
	}

	for (i = 0; i < ARRAY_SIZE(vmbus_versions); i++) {
		u32 v = vmbus_versions[i];

		if (vmbus_max_version && v > vmbus_max_version)
			continue;
		ret = vmbus_negotiate(v);
		if (!ret)
			break;
		if (ret != -EPROTONOSUPPORT && ret != -ECONNREFUSED)
			break;
	}
	if (ret) {
		pr_err("VMBus version negotiation failed (%d)%s\n", ret,
		       vmbus_max_version ? "; check max_version" : "");
		goto err;
	}
	vmbus_conn.connected = true;
	pr_info("VMBus protocol %u.%u negotiated with %s host\n",
		VMBUS_VERSION_MAJOR(vmbus_conn.version),
		VMBUS_VERSION_MINOR(vmbus_conn.version),
		vmbus_conn.ops->name);

	reinit_completion(&vmbus_conn.all_offers);
	ret = vmbus_post_msg(&req, sizeof(req), true);
	if (ret)
		goto err_disconnect;
	timeout = msecs_to_jiffies(READ_ONCE(vmbus_timeout_ms));
	if (!wait_for_completion_timeout(&vmbus_conn.all_offers, timeout))
		pr_warn("host did not finish its offers within %u ms; continuing with what arrived\n",
			READ_ONCE(vmbus_timeout_ms));
	/* devices exist in sysfs when the module load returns */
	vmbus_flush_offers();
	return 0;

err_disconnect:
	vmbus_disconnect();
	return ret;
err:
	vmbus_free_conn_pages();
	return ret;
}

/*
 * UNLOAD makes the host forget this connection and stop touching our
 * pages; hosts older than 3.0 do not support reconnecting after it.
 */
void vmbus_disconnect(void)
{
	struct vmbus_msg_header msg = { .msgtype = VMBUS_MSG_UNLOAD };
	struct vmbus_waiter w;
	int ret;

	if (!vmbus_conn.connected || vmbus_conn.unloading)
		return;
	vmbus_conn.unloading = true;
	if (vmbus_conn.version >= VMBUS_VERSION_WIN8_1) {
		vmbus_waiter_init(&w, VMBUS_MSG_UNLOAD_RESPONSE, 0, NULL);
		ret = vmbus_post_and_wait(&msg, sizeof(msg), &w);
		if (ret) {
			/* the host may still write them: leak, don't reuse */
			pr_err("UNLOAD not acknowledged by the host (%d); keeping its pages\n",
			       ret);
			vmbus_conn.int_page = NULL;
			vmbus_conn.monitor_pages[0] = NULL;
			vmbus_conn.monitor_pages[1] = NULL;
		}
	}
	vmbus_conn.connected = false;
	vmbus_free_conn_pages();
}

/*
 * kexec and crash: the host must stop writing into our pages before the
 * next kernel reuses them.  Nothing may sleep and interrupts may be off,
 * so post UNLOAD and poll the message slots of every CPU for the answer.
 */
void vmbus_unload_atomic(void)
{
	struct vmbus_msg_header msg = { .msgtype = VMBUS_MSG_UNLOAD };
	unsigned int cpu, tries;
	bool done = false;

	if (!vmbus_conn.connected || vmbus_conn.unloading || !vmbus_conn.percpu ||
	    vmbus_conn.version < VMBUS_VERSION_WIN8_1)
		return;
	vmbus_conn.unloading = true;
	if (vmbus_post(READ_ONCE(vmbus_conn.msg_conn_id), &msg, sizeof(msg),
		       false, true))
		return;
	for (tries = 0; tries < 1000 && !done; tries++) {	/* 10 s */
		for_each_present_cpu(cpu) {
			struct vmbus_percpu *pc = per_cpu_ptr(vmbus_conn.percpu, cpu);
			struct hv_message *slot;
			const struct vmbus_msg_header *hdr;

			if (!pc->msg_page)
				continue;
			slot = (struct hv_message *)pc->msg_page + HV_VMBUS_SINT;
			if (READ_ONCE(slot->header.message_type) == HV_MSGTYPE_NONE)
				continue;
			hdr = (const struct vmbus_msg_header *)slot->payload;
			if (READ_ONCE(slot->header.message_type) == HV_MSGTYPE_VMBUS &&
			    slot->header.payload_size >= sizeof(*hdr) &&
			    hdr->msgtype == VMBUS_MSG_UNLOAD_RESPONSE)
				done = true;
			/* whatever else is there no longer matters */
			WRITE_ONCE(slot->header.message_type, HV_MSGTYPE_NONE);
		}
		if (!done)
			mdelay(10);
	}
	vmbus_conn.connected = false;
}
