// SPDX-License-Identifier: GPL-2.0-only
/*
 * SynIC emulation: per virtual processor, the guest's message and event
 * flags pages, a queue of host-to-guest messages and the interrupt.
 *
 * Like the hypervisor, we write a message into a slot only while its type
 * is NONE; otherwise we set MessagePending in the occupied slot and wait
 * for the guest's EOM (or for the next message we queue).  The slot may be
 * written from any CPU; the guest's isr is always run on the VP's CPU, in
 * hard-irq context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "simhost_compat.h"
#include "simhost_int.h"

static struct sim_vp *vps;
static bool vp_reverse;

static int vp_map_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "identity"))
		vp_reverse = false;
	else if (sysfs_streq(val, "reverse"))
		vp_reverse = true;
	else
		return -EINVAL;
	return 0;
}

static int vp_map_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", vp_reverse ? "reverse" : "identity");
}

static const struct kernel_param_ops vp_map_ops = {
	.set = vp_map_set,
	.get = vp_map_get,
};
module_param_cb(vp_map, &vp_map_ops, NULL, 0444);
MODULE_PARM_DESC(vp_map, "VP index of a CPU: identity (vp = cpu) or reverse (vp = nr_cpu_ids - 1 - cpu)");

u32 sim_cpu_to_vp(unsigned int cpu)
{
	return vp_reverse ? nr_cpu_ids - 1 - cpu : cpu;
}

int sim_vp_to_cpu(u32 vp)
{
	unsigned int cpu;

	if (vp >= nr_cpu_ids)
		return -1;
	cpu = vp_reverse ? nr_cpu_ids - 1 - vp : vp;
	if (!cpu_online(cpu))
		return -1;
	return cpu;
}

struct sim_vp *sim_vp_of_cpu(unsigned int cpu)
{
	return cpu < nr_cpu_ids ? &vps[cpu] : NULL;
}

/* Runs on vp->cpu in hard-irq context: the SINT2 interrupt. */
static void vp_interrupt(struct sim_vp *vp)
{
	void (*isr)(void) = READ_ONCE(sim.isr);

	if (isr && READ_ONCE(vp->enabled)) {
		atomic64_inc(&vp->irqs);
		isr();
	}
}

static void vp_irq_work(struct irq_work *w)
{
	vp_interrupt(container_of(w, struct sim_vp, iw));
}

/*
 * The IPI only forwards: the isr runs from the irq_work vector on vp->cpu,
 * with irq_enter()/irq_exit() like Hyper-V's callback vector.  An SMP
 * function call may also be flushed by the idle loop outside any
 * interrupt, where PREEMPT_RT forbids raising softirqs (the isr schedules
 * tasklets).
 */
static void vp_csd_func(void *info)
{
	struct sim_vp *vp = info;

	/*
	 * The csd is already unlocked (an async call is unlocked before its
	 * function runs), so the next vp_kick() may send it again.  The
	 * irq_work queued here cannot run before this returns (interrupts
	 * are off): a kick that saw the flag still set is served by it.
	 */
	irq_work_queue(&vp->iw);
	atomic_xchg(&vp->csd_inflight, 0);
}

/*
 * Raise the VP's interrupt.  Any context.  At most one call of vp->csd is
 * in flight: on 4.19 smp_call_function_single_async() on a csd still
 * queued WARNs and spins until it is free (later kernels return -EBUSY), and
 * a pending call already covers this kick.
 */
static void vp_kick(struct sim_vp *vp)
{
	int cpu = get_cpu();

	if (cpu == vp->cpu) {
		/* runs once the current interrupt (if any) has returned */
		irq_work_queue(&vp->iw);
	} else if (atomic_cmpxchg(&vp->csd_inflight, 0, 1) == 0) {
		if (smp_call_function_single_async(vp->cpu, &vp->csd))
			atomic_set(&vp->csd_inflight, 0);	/* CPU offline */
	}
	put_cpu();
}

static bool more_for_sint(struct sim_vp *vp, struct sim_hmsg *m)
{
	struct sim_hmsg *n = m;

	list_for_each_entry_continue(n, &vp->queue, node)
		if (n->sint == m->sint)
			return true;
	return false;
}

/*
 * Move queued messages into free slots.  Called with vp->lock held.
 * Freed messages go to @done; returns true if anything was delivered.
 */
static bool vp_deliver_locked(struct sim_vp *vp, struct list_head *done)
{
	struct sim_hmsg *m, *tmp;
	unsigned long blocked = 0;
	bool delivered = false;

	if (!vp->enabled)
		return false;

	list_for_each_entry_safe(m, tmp, &vp->queue, node) {
		struct hv_message *slot = &vp->msg_page->sint[m->sint];

		if (test_bit(m->sint, &blocked))
			continue;
		if (READ_ONCE(slot->header.message_type) != HV_MSGTYPE_NONE) {
			WRITE_ONCE(slot->header.message_flags,
				   slot->header.message_flags |
				   HV_MSG_FLAG_PENDING);
			atomic64_inc(&vp->pending_set);
			/* the guest may have freed the slot meanwhile */
			smp_mb();
			if (READ_ONCE(slot->header.message_type) !=
			    HV_MSGTYPE_NONE) {
				__set_bit(m->sint, &blocked);
				continue;
			}
		}
		memcpy(slot->payload, m->payload, m->size);
		if (m->size < HV_MESSAGE_PAYLOAD_MAX)
			memset(slot->payload + m->size, 0,
			       HV_MESSAGE_PAYLOAD_MAX - m->size);
		slot->header.payload_size = m->size;
		slot->header.message_flags =
			more_for_sint(vp, m) ? HV_MSG_FLAG_PENDING : 0;
		slot->header.reserved = 0;
		slot->header.sender = 0;
		/* payload before type: the type is what the guest polls */
		smp_wmb();
		WRITE_ONCE(slot->header.message_type, HV_MSGTYPE_VMBUS);
		__set_bit(m->sint, &blocked);
		list_move_tail(&m->node, done);
		vp->queued--;
		atomic64_inc(&vp->delivered);
		delivered = true;
	}
	return delivered;
}

static void free_list(struct list_head *l)
{
	struct sim_hmsg *m, *tmp;

	list_for_each_entry_safe(m, tmp, l, node)
		kfree(m);
}

/*
 * The guest's EOM calls this from its ISR (hard IRQ), where PREEMPT_RT
 * allows no kfree(): delivered messages wait on vp->spent for
 * sim_vp_queue_msg() (process context) to free them.
 */
static void vp_deliver(struct sim_vp *vp)
{
	unsigned long flags;
	bool kick;

	raw_spin_lock_irqsave(&vp->lock, flags);
	kick = vp_deliver_locked(vp, &vp->spent);
	raw_spin_unlock_irqrestore(&vp->lock, flags);
	if (kick)
		vp_kick(vp);
}

int sim_vp_queue_msg(u32 vpidx, u32 sint, const void *payload, u32 size)
{
	int cpu = sim_vp_to_cpu(vpidx);
	struct sim_hmsg *m;
	struct sim_vp *vp;
	unsigned long flags;
	LIST_HEAD(spent);

	if (cpu < 0 || sint >= HV_SYNIC_SINT_COUNT ||
	    size > HV_MESSAGE_PAYLOAD_MAX)
		return -EINVAL;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->sint = sint;
	m->size = size;
	memcpy(m->payload, payload, size);
	vp = &vps[cpu];
	raw_spin_lock_irqsave(&vp->lock, flags);
	list_add_tail(&m->node, &vp->queue);
	vp->queued++;
	list_splice_init(&vp->spent, &spent);
	raw_spin_unlock_irqrestore(&vp->lock, flags);
	free_list(&spent);
	vp_deliver(vp);
	return 0;
}

unsigned int sim_vp_queued(u32 vpidx)
{
	int cpu = sim_vp_to_cpu(vpidx);

	return cpu < 0 ? 0 : READ_ONCE(vps[cpu].queued);
}

/* Set the channel's bit in SINT2's event flags of the VP and interrupt it. */
void sim_vp_signal(u32 vpidx, u32 relid)
{
	int cpu = sim_vp_to_cpu(vpidx);
	unsigned long flags;
	struct sim_vp *vp;
	bool on;

	if (cpu < 0 || relid == 0 || relid >= HV_EVENT_FLAGS_BITS)
		return;
	vp = &vps[cpu];
	raw_spin_lock_irqsave(&vp->lock, flags);
	on = vp->enabled;
	if (on)
		set_bit(relid, (unsigned long *)(vp->event_page +
				HV_VMBUS_SINT * HV_EVENT_FLAGS_BYTES));
	raw_spin_unlock_irqrestore(&vp->lock, flags);
	if (on) {
		atomic64_inc(&vp->events);
		vp_kick(vp);
	}
}

int sim_synic_enable(unsigned int cpu, phys_addr_t msg, phys_addr_t evt)
{
	struct sim_vp *vp;
	unsigned long flags;

	if (cpu >= nr_cpu_ids || !cpu_possible(cpu) || !msg || !evt ||
	    !PAGE_ALIGNED(msg) || !PAGE_ALIGNED(evt) ||
	    !pfn_valid(PHYS_PFN(msg)) || !pfn_valid(PHYS_PFN(evt))) {
		pr_err("synic_enable(cpu %u, %pa, %pa): invalid arguments\n",
		       cpu, &msg, &evt);
		return -EINVAL;
	}
	if (cpu != raw_smp_processor_id())
		pr_warn("synic_enable for cpu %u called on cpu %u\n",
			cpu, raw_smp_processor_id());
	vp = &vps[cpu];
	raw_spin_lock_irqsave(&vp->lock, flags);
	vp->msg_page = phys_to_virt(msg);
	vp->event_page = phys_to_virt(evt);
	vp->enabled = true;
	raw_spin_unlock_irqrestore(&vp->lock, flags);
	/* messages queued while the SynIC was off */
	vp_deliver(vp);
	return 0;
}

void sim_synic_disable(unsigned int cpu)
{
	struct sim_vp *vp;
	unsigned long flags;

	if (cpu >= nr_cpu_ids)
		return;
	vp = &vps[cpu];
	raw_spin_lock_irqsave(&vp->lock, flags);
	vp->enabled = false;
	vp->msg_page = NULL;
	vp->event_page = NULL;
	raw_spin_unlock_irqrestore(&vp->lock, flags);
}

void sim_end_of_message(void)
{
	struct sim_vp *vp = &vps[raw_smp_processor_id()];

	atomic64_inc(&vp->eoms);
	if (!READ_ONCE(vp->queued))
		atomic64_inc(&vp->eom_idle);
	vp_deliver(vp);
}

/* Drop every undelivered message (connection reset). */
void sim_synic_flush_queues(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct sim_vp *vp = &vps[cpu];
		unsigned long flags;
		LIST_HEAD(old);

		raw_spin_lock_irqsave(&vp->lock, flags);
		list_splice_init(&vp->queue, &old);
		list_splice_init(&vp->spent, &old);
		vp->queued = 0;
		raw_spin_unlock_irqrestore(&vp->lock, flags);
		free_list(&old);
	}
}

/* No interrupt runs after this returns (isr already cleared). */
void sim_synic_quiesce(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct sim_vp *vp = &vps[cpu];

		/* a call in flight still queues the irq_work */
		while (atomic_read(&vp->csd_inflight))
			cpu_relax();
		irq_work_sync(&vp->iw);
	}
}

int sim_synic_init(void)
{
	unsigned int cpu;

	vps = kcalloc(nr_cpu_ids, sizeof(*vps), GFP_KERNEL);
	if (!vps)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct sim_vp *vp = &vps[cpu];

		raw_spin_lock_init(&vp->lock);
		vp->cpu = cpu;
		INIT_LIST_HEAD(&vp->queue);
		INIT_LIST_HEAD(&vp->spent);
		sim_init_irq_work_hard(&vp->iw, vp_irq_work);
		sim_init_csd(&vp->csd, vp_csd_func, vp);
	}
	return 0;
}

void sim_synic_exit(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		sim_synic_disable(cpu);
	sim_synic_quiesce();
	sim_synic_flush_queues();
	kfree(vps);
	vps = NULL;
}
