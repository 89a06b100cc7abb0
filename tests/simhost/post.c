// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypercalls: HvPostMessage and HvSignalEvent.  Both may be called
 * from any context, so they only validate, copy and hand work to the
 * host's threads.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "simhost_int.h"

static spinlock_t post_lock;
static struct sim_post *postq;		/* ring of sim_post_queue_len */
static unsigned int post_head, post_count;
static struct work_struct post_work;

static bool post_dequeue(struct sim_post *out)
{
	unsigned long flags;
	bool got = false;

	spin_lock_irqsave(&post_lock, flags);
	if (post_count) {
		*out = postq[post_head];
		post_head = (post_head + 1) % sim_post_queue_len;
		post_count--;
		got = true;
	}
	spin_unlock_irqrestore(&post_lock, flags);
	return got;
}

static void post_work_fn(struct work_struct *w)
{
	struct sim_post *p = kmalloc(sizeof(*p), GFP_KERNEL);

	if (!p) {
		queue_work(sim.ctl_wq, &post_work);	/* retry */
		return;
	}
	while (post_dequeue(p)) {
		mutex_lock(&sim.lock);
		sim_handle_guest_msg(p);
		mutex_unlock(&sim.lock);
		cond_resched();
	}
	kfree(p);
}

static bool conn_id_valid(u32 id)
{
	u32 active = atomic_read(&sim.active_msg_conn);

	if (active && id == active)
		return true;
	if (id == VMBUS_MESSAGE_CONNECTION_ID)
		return !(sim_strict_conn_id && active &&
			 active != VMBUS_MESSAGE_CONNECTION_ID);
	/* the "multiclient" port exists only on 5.0+ hosts */
	if (id == VMBUS_MESSAGE_CONNECTION_ID_4)
		return sim_host_version >= VMBUS_VERSION_WIN10_V5;
	return false;
}

u16 sim_post_message(u32 connection_id, u32 message_type,
		     const void *payload, u32 payload_size)
{
	unsigned long flags;
	struct sim_post *p;

	if (atomic_add_unless(&sim.faults.post_busy, -1, 0)) {
		atomic64_inc(&sim.post_busy);
		return HV_STATUS_INSUFFICIENT_BUFFERS;
	}
	/* TLFS: the type must be non-zero and below 0x80000000 (hypervisor's) */
	if (message_type == 0 || (message_type & 0x80000000u) ||
	    payload_size > HV_MESSAGE_PAYLOAD_MAX ||
	    (payload_size && !payload)) {
		atomic64_inc(&sim.post_rejected);
		sim_warn("post_message: invalid type %#x / size %u\n",
			 message_type, payload_size);
		return HV_STATUS_INVALID_PARAMETER;
	}
	if (connection_id & 0xff000000u) {
		atomic64_inc(&sim.post_rejected);
		sim_warn("post_message: reserved bits in connection id %#x\n",
			 connection_id);
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	}
	if (!conn_id_valid(connection_id)) {
		atomic64_inc(&sim.post_bad_conn);
		sim_warn("post_message: no port for connection id %#x\n",
			 connection_id);
		return HV_STATUS_INVALID_CONNECTION_ID;
	}
	if (message_type != HV_MSGTYPE_VMBUS) {
		/* delivered to the port; the VMBus server drops it */
		atomic64_inc(&sim.msgs_ignored);
		sim_warn("post_message: message type %#x is not VMBus; dropped\n",
			 message_type);
		return HV_STATUS_SUCCESS;
	}

	spin_lock_irqsave(&post_lock, flags);
	if (post_count >= sim_post_queue_len) {
		spin_unlock_irqrestore(&post_lock, flags);
		atomic64_inc(&sim.post_busy);
		return HV_STATUS_INSUFFICIENT_BUFFERS;
	}
	p = &postq[(post_head + post_count) % sim_post_queue_len];
	p->conn_id = connection_id;
	p->size = payload_size;
	memcpy(p->payload, payload, payload_size);
	post_count++;
	spin_unlock_irqrestore(&post_lock, flags);
	atomic64_inc(&sim.posts);
	queue_work(sim.ctl_wq, &post_work);
	return HV_STATUS_SUCCESS;
}

u16 sim_signal_event(u32 connection_id, u16 flag_number)
{
	struct sim_chan *c, *found = NULL;
	unsigned long flags;

	/* VMBus ports have one flag; the guest always signals flag 0 */
	if (flag_number != 0) {
		atomic64_inc(&sim.signals_bad);
		sim_warn("signal_event(%#x): flag %u out of range\n",
			 connection_id, flag_number);
		return HV_STATUS_INVALID_PARAMETER;
	}
	spin_lock_irqsave(&sim.sig_lock, flags);
	list_for_each_entry(c, &sim.sig_list, sig_node) {
		if (c->conn_id == connection_id) {
			found = c;
			atomic_inc(&c->sigseq);
			atomic64_inc(&c->sig_in);
			wake_up(&c->wait);
			queue_work(sim.chan_wq, &c->work);
			break;
		}
	}
	spin_unlock_irqrestore(&sim.sig_lock, flags);
	if (!found) {
		atomic64_inc(&sim.signals_bad);
		sim_warn("signal_event: no open channel has connection id %#x\n",
			 connection_id);
		return HV_STATUS_INVALID_CONNECTION_ID;
	}
	atomic64_inc(&sim.signals);
	return HV_STATUS_SUCCESS;
}

/* Drop posted messages not yet handled (connection reset from init/exit). */
void sim_post_flush(void)
{
	unsigned long flags;

	spin_lock_irqsave(&post_lock, flags);
	post_head = 0;
	post_count = 0;
	spin_unlock_irqrestore(&post_lock, flags);
}

int sim_post_init(void)
{
	spin_lock_init(&post_lock);
	INIT_WORK(&post_work, post_work_fn);
	postq = kcalloc(sim_post_queue_len, sizeof(*postq), GFP_KERNEL);
	return postq ? 0 : -ENOMEM;
}

void sim_post_exit(void)
{
	cancel_work_sync(&post_work);
	kfree(postq);
	postq = NULL;
}
