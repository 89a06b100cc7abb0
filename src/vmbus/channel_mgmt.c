// SPDX-License-Identifier: GPL-2.0-only
/*
 * Channel management: offers, sub-channel offers, rescinds, relids.
 *
 * Offers and rescinds are processed in order on one ordered workqueue;
 * device registration (driver probe) runs on a second one, so a probe
 * that opens channels or waits for sub-channel offers never blocks the
 * processing of those offers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/smp.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vmbus_private.h"

#define VMBUS_MSG_FIFO_LEN	256	/* offers of a large VM, with room */

/*
 * Offers and rescinds wait here for msg_wq.  When the FIFO is full the ISR
 * leaves the message in its SynIC slot and sends no EOM, so the host holds
 * everything behind it (TLFS: a slot is the guest's until it is freed);
 * the CPU is remembered in @held and its slot is taken again as soon as
 * msg_wq has made room.  No control message is ever dropped.  The ISR
 * takes @lock in hard-IRQ context: a raw spinlock, on PREEMPT_RT too.
 */
static struct {
	raw_spinlock_t lock;
	unsigned int head, count;
	union vmbus_host_msg *msgs;
	struct cpumask held;		/* CPUs whose slot waits for room */
} vmbus_fifo = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(vmbus_fifo.lock),
};
/* per CPU: take a held slot again, on that CPU (vmbus_kick_held()) */
static DEFINE_PER_CPU(struct work_struct, vmbus_held_work);

static void vmbus_msg_work_fn(struct work_struct *work);
static DECLARE_WORK(vmbus_msg_work, vmbus_msg_work_fn);
static unsigned int vmbus_next_cpu;
static atomic_t vmbus_live_channels = ATOMIC_INIT(0);	/* leak check at exit */
/*
 * Sub-channels whose primary was rescinded and removed while the host
 * kept them: closed, without a device, but their relids are the host's
 * until it rescinds them too (under channel_mutex).
 */
static LIST_HEAD(vmbus_orphans);

static const struct hv_guid vmbus_perf_classes[] = {
	HV_SCSI_GUID, HV_NIC_GUID, HV_IDE_GUID, HV_SYNTHFC_GUID,
};

static bool vmbus_guid_eq(const struct hv_guid *a, const struct hv_guid *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/*
 * ISR.  Returns false if the FIFO is full: the caller must then keep the
 * message in its slot (no EOM); vmbus_fifo_pop() takes it later.  After
 * vmbus_channels_exit() unpublished the FIFO, messages are consumed and
 * ignored: UNLOAD follows.
 */
bool vmbus_queue_host_msg(const union vmbus_host_msg *m)
{
	unsigned long flags;
	bool consumed = true;

	raw_spin_lock_irqsave(&vmbus_fifo.lock, flags);
	if (!vmbus_fifo.msgs) {
		/* module exit */
	} else if (vmbus_fifo.count < VMBUS_MSG_FIFO_LEN) {
		unsigned int i = (vmbus_fifo.head + vmbus_fifo.count) %
				 VMBUS_MSG_FIFO_LEN;

		vmbus_fifo.msgs[i] = *m;
		vmbus_fifo.count++;
		/* under the lock: exit destroys msg_wq only after unpublishing */
		queue_work(vmbus_conn.msg_wq, &vmbus_msg_work);
	} else {
		cpumask_set_cpu(smp_processor_id(), &vmbus_fifo.held);
		consumed = false;
	}
	raw_spin_unlock_irqrestore(&vmbus_fifo.lock, flags);
	if (!consumed)
		pr_info_ratelimited("control messages arrive faster than they are processed; the host holds them\n");
	return consumed;
}

/*
 * Runs (bound work) on a CPU whose slot was left occupied: take the
 * message now, as the interrupt would, with interrupts off; the tasklets
 * it schedules run at local_bh_enable().  Not an SMP function call: on
 * PREEMPT_RT those must not raise softirqs (the idle loop flushes them
 * outside any interrupt), and the ISR schedules tasklets.  Only the
 * connect CPU receives messages and it cannot go offline while connected.
 */
static void vmbus_take_held_msg(struct work_struct *work)
{
	local_bh_disable();
	local_irq_disable();
	vmbus_isr();
	local_irq_enable();
	local_bh_enable();
}

/*
 * Called after room was made (or the FIFO unpublished).  A CPU is marked
 * under the FIFO lock when it found no room, so it is seen here.
 */
static void vmbus_kick_held(void)
{
	unsigned int cpu;

	for_each_cpu(cpu, &vmbus_fifo.held)
		if (cpumask_test_and_clear_cpu(cpu, &vmbus_fifo.held))
			queue_work_on(cpu, system_highpri_wq,
				      per_cpu_ptr(&vmbus_held_work, cpu));
}

static void vmbus_flush_held(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		flush_work(per_cpu_ptr(&vmbus_held_work, cpu));
}

static bool vmbus_fifo_pop(union vmbus_host_msg *m)
{
	unsigned long flags;
	bool got = false;

	raw_spin_lock_irqsave(&vmbus_fifo.lock, flags);
	if (vmbus_fifo.msgs && vmbus_fifo.count) {
		*m = vmbus_fifo.msgs[vmbus_fifo.head];
		vmbus_fifo.head = (vmbus_fifo.head + 1) % VMBUS_MSG_FIFO_LEN;
		vmbus_fifo.count--;
		got = true;
	}
	raw_spin_unlock_irqrestore(&vmbus_fifo.lock, flags);
	/* there is room now for a message that waits in a slot */
	if (got)
		vmbus_kick_held();
	return got;
}

static void vmbus_msg_work_fn(struct work_struct *work)
{
	union vmbus_host_msg m;

	while (vmbus_fifo_pop(&m)) {
		switch (m.hdr.msgtype) {
		case VMBUS_MSG_OFFERCHANNEL:
			vmbus_handle_offer(&m.offer);
			break;
		case VMBUS_MSG_RESCIND_CHANNELOFFER:
			vmbus_handle_rescind(m.rescind.child_relid);
			break;
		case VMBUS_MSG_ALLOFFERS_DELIVERED:
			complete_all(&vmbus_conn.all_offers);
			break;
		}
	}
}

void vmbus_flush_offers(void)
{
	flush_workqueue(vmbus_conn.msg_wq);
	flush_workqueue(vmbus_conn.dev_wq);
}

/*
 * The relid map is read without a lock (RCU): entries are published with
 * rcu_assign_pointer() under relid_lock, and a channel leaves the map a
 * grace period before it can be freed (vmbus_relid_clear()).
 */
static struct vmbus_channel *vmbus_relid_lookup(u32 relid)
{
	struct vmbus_channel __rcu **map = READ_ONCE(vmbus_conn.relid_map);

	if (!map || !relid || relid >= VMBUS_MAX_RELIDS)
		return NULL;
	return rcu_dereference(map[relid]);
}

struct vmbus_channel *vmbus_relid_get(u32 relid)
{
	struct vmbus_channel *ch;

	rcu_read_lock();
	ch = vmbus_relid_lookup(relid);
	if (ch && !kref_get_unless_zero(&ch->ref))
		ch = NULL;
	rcu_read_unlock();
	return ch;
}

static void vmbus_channel_release(struct kref *ref)
{
	struct vmbus_channel *ch = container_of(ref, struct vmbus_channel, ref);
	struct vmbus_channel *primary = ch->primary;

	WARN_ON(ch->ring_buf && ch->state != VMBUS_CHAN_OFFERED);
	kvfree(ch->pkt_buf);
	kfree(ch);
	atomic_dec(&vmbus_live_channels);
	if (primary)
		vmbus_channel_put(primary);
}

void vmbus_channel_put(struct vmbus_channel *ch)
{
	if (ch)
		kref_put(&ch->ref, vmbus_channel_release);
}

static void vmbus_relid_set(u32 relid, struct vmbus_channel *ch)
{
	unsigned long flags;

	spin_lock_irqsave(&vmbus_conn.relid_lock, flags);
	if (vmbus_conn.relid_map)
		rcu_assign_pointer(vmbus_conn.relid_map[relid], ch);
	spin_unlock_irqrestore(&vmbus_conn.relid_lock, flags);
}

/*
 * Take ch out of the map (process context).  After the grace period no
 * ISR can still hold it or schedule its tasklet, which is then killed.
 */
static void vmbus_relid_clear(struct vmbus_channel *ch)
{
	struct vmbus_channel __rcu **map;
	unsigned long flags;
	bool mapped = false;

	spin_lock_irqsave(&vmbus_conn.relid_lock, flags);
	map = vmbus_conn.relid_map;
	if (map && rcu_access_pointer(map[ch->relid]) == ch) {
		RCU_INIT_POINTER(map[ch->relid], NULL);
		mapped = true;
	}
	spin_unlock_irqrestore(&vmbus_conn.relid_lock, flags);
	if (mapped)
		synchronize_rcu();
	tasklet_kill(&ch->tasklet);
}

/* ISR: an event bit for relid was set by the host. */
void vmbus_channel_event(u32 relid)
{
	struct vmbus_channel *ch;

	/* the host may still signal while the module goes away */
	rcu_read_lock();
	ch = vmbus_relid_lookup(relid);
	if (ch) {
		ch->interrupts++;
		if (READ_ONCE(ch->onchannel))
			tasklet_schedule(&ch->tasklet);
	}
	rcu_read_unlock();
}

void vmbus_rescind_early(u32 relid)
{
	struct vmbus_channel *ch;

	rcu_read_lock();
	ch = vmbus_relid_lookup(relid);
	if (ch) {
		WRITE_ONCE(ch->rescinded, true);
		vmbus_fail_waiters(ch, -ENODEV);
	}
	rcu_read_unlock();
}

static void vmbus_release_relid(struct vmbus_channel *ch)
{
	struct vmbus_msg_relid_released msg = {
		.hdr.msgtype = VMBUS_MSG_RELID_RELEASED,
		.child_relid = ch->relid,
	};

	if (ch->relid_released)
		return;
	ch->relid_released = true;
	vmbus_relid_clear(ch);
	if (vmbus_conn.connected && !vmbus_conn.unloading &&
	    vmbus_post_msg(&msg, sizeof(msg), true))
		pr_err("RELID_RELEASED for relid %u could not be sent\n", ch->relid);
}

static unsigned int vmbus_pick_cpu(const struct vmbus_msg_offer *o)
{
	unsigned int i, cpu;
	bool perf = o->sub_channel_index != 0;

	/* before Win8 the host interrupts only the connect CPU */
	if (vmbus_conn.version < VMBUS_VERSION_WIN8)
		return vmbus_conn.connect_cpu;
	for (i = 0; i < ARRAY_SIZE(vmbus_perf_classes); i++)
		if (vmbus_guid_eq(&o->if_type, &vmbus_perf_classes[i]))
			perf = true;
	if (!perf)
		return vmbus_conn.connect_cpu;
	cpu = cpumask_next(vmbus_next_cpu, cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	vmbus_next_cpu = cpu;
	return cpu;
}

static struct vmbus_channel *vmbus_find_primary(const struct vmbus_msg_offer *o)
{
	struct vmbus_channel *ch;

	list_for_each_entry(ch, &vmbus_conn.channels, node)
		if (vmbus_guid_eq(&ch->offer.if_type, &o->if_type) &&
		    vmbus_guid_eq(&ch->offer.if_instance, &o->if_instance))
			return ch;
	return NULL;
}

static struct vmbus_channel *vmbus_channel_alloc(const struct vmbus_msg_offer *o)
{
	struct vmbus_channel *ch = kzalloc(sizeof(*ch), GFP_KERNEL);

	if (!ch)
		return NULL;
	atomic_inc(&vmbus_live_channels);
	INIT_LIST_HEAD(&ch->node);
	INIT_LIST_HEAD(&ch->subchannels);
	kref_init(&ch->ref);
	mutex_init(&ch->lock);
	spin_lock_init(&ch->out_lock);
	atomic_set(&ch->readers, 0);
	ch->offer = *o;
	ch->relid = o->child_relid;
	ch->subchannel_index = o->sub_channel_index;
	ch->monitor_allocated = o->monitor_allocated & 1;
	ch->monitor_id = o->monitorid;
	/* the offer's connection id and dedicated flag exist from Win7 on */
	if (vmbus_conn.version >= VMBUS_VERSION_WIN7) {
		ch->sig_conn_id = o->connection_id;
		ch->dedicated_interrupt = o->is_dedicated_interrupt & 1;
	} else {
		ch->sig_conn_id = VMBUS_EVENT_CONNECTION_ID;
	}
	if (ch->monitor_allocated && ch->monitor_id >= 128) {
		pr_warn("relid %u: monitor id %u out of range; using hypercalls\n",
			ch->relid, ch->monitor_id);
		ch->monitor_allocated = false;
	}
	ch->state = VMBUS_CHAN_OFFERED;
	ch->target_cpu = vmbus_pick_cpu(o);
	ch->target_vp = vmbus_conn.ops->vp_index(ch->target_cpu);
	vmbus_channel_init_io(ch);
	return ch;
}

static void vmbus_add_work_fn(struct work_struct *work)
{
	struct vmbus_channel *ch = container_of(work, struct vmbus_channel, add_work);
	int ret;

	if (READ_ONCE(ch->rescinded))
		return;
	ret = vmbus_device_register(ch->device);
	if (ret) {
		pr_err("relid %u: registering device %pUl failed (%d)\n",
		       ch->relid, ch->offer.if_instance.b, ret);
		return;
	}
	mutex_lock(&vmbus_conn.channel_mutex);
	ch->dev_registered = true;
	mutex_unlock(&vmbus_conn.channel_mutex);
}

/*
 * Unregister the primary's device (unbinding its driver) exactly once,
 * registered or not; bus.c frees it with its last reference.
 */
static void vmbus_drop_device(struct vmbus_channel *ch)
{
	struct vmbus_channel *sc;
	struct hv_device *dev;

	flush_work(&ch->add_work);
	dev = ch->device;
	if (!dev)
		return;
	vmbus_device_unregister(dev);
	mutex_lock(&vmbus_conn.channel_mutex);
	ch->device = NULL;
	ch->dev_registered = false;
	list_for_each_entry(sc, &ch->subchannels, node)
		sc->device = NULL;
	mutex_unlock(&vmbus_conn.channel_mutex);
}

/*
 * Rescinded primary: remove the device, then hand the relid back.  Its
 * sub-channels that the host did not rescind (a host should rescind them
 * first) are closed and kept as orphans until their own RESCIND: their
 * relids are still the host's.
 */
static void vmbus_remove_work_fn(struct work_struct *work)
{
	struct vmbus_channel *ch = container_of(work, struct vmbus_channel,
						remove_work);
	void (*cb)(struct vmbus_channel *) = ch->rescind_callback;
	struct vmbus_channel *sc, *tmp;

	if (cb)
		cb(ch);
	vmbus_drop_device(ch);
	/* a driver that did not close its channel must not keep the ring */
	hvlis_chan_close(ch);

	mutex_lock(&vmbus_conn.channel_mutex);
	list_del_init(&ch->node);
	vmbus_release_relid(ch);
	list_for_each_entry_safe(sc, tmp, &ch->subchannels, node) {
		sc->rescind_callback = NULL;
		sc->sc_callback = NULL;
		hvlis_chan_close(sc);
		vmbus_channel_sysfs_remove(sc);
		list_move_tail(&sc->node, &vmbus_orphans);
		pr_warn("relid %u: sub-channel of rescinded relid %u not rescinded; kept until the host rescinds it\n",
			sc->relid, ch->relid);
	}
	mutex_unlock(&vmbus_conn.channel_mutex);
	/* the offer's reference; the device's goes with its release */
	vmbus_channel_put(ch);
}

void vmbus_handle_offer(const struct vmbus_msg_offer *o)
{
	struct vmbus_channel *ch, *primary;
	void (*sc_cb)(struct vmbus_channel *) = NULL;
	u32 relid = o->child_relid;

	if (vmbus_conn.stopping)
		return;

	mutex_lock(&vmbus_conn.channel_mutex);
	if (rcu_access_pointer(vmbus_conn.relid_map[relid])) {
		pr_err_ratelimited("duplicate offer for relid %u; ignored\n", relid);
		goto out;
	}
	primary = vmbus_find_primary(o);
	if (!o->sub_channel_index && primary) {
		pr_err_ratelimited("duplicate offer of device %pUl (relid %u); ignored\n",
				   o->if_instance.b, relid);
		goto out;
	}
	if (o->sub_channel_index && (!primary || primary->rescinded)) {
		pr_err_ratelimited("sub-channel %u (relid %u) offered without a live primary; ignored\n",
				   o->sub_channel_index, relid);
		goto out;
	}

	ch = vmbus_channel_alloc(o);
	if (!ch) {
		pr_err("relid %u: out of memory for the offer\n", relid);
		goto out;
	}

	if (primary) {
		kref_get(&primary->ref);
		ch->primary = primary;
		ch->device = primary->device;
		list_add_tail(&ch->node, &primary->subchannels);
		vmbus_relid_set(relid, ch);
		/* a no-op until the device has its channels/ directory */
		vmbus_channel_sysfs_add(ch);
		sc_cb = primary->sc_callback;
		mutex_unlock(&vmbus_conn.channel_mutex);
		if (sc_cb)
			sc_cb(ch);
		return;
	}

	INIT_WORK(&ch->add_work, vmbus_add_work_fn);
	INIT_WORK(&ch->remove_work, vmbus_remove_work_fn);
	kref_get(&ch->ref);		/* held by the device */
	ch->device = vmbus_device_create(ch);
	if (!ch->device) {
		pr_err("relid %u: cannot create the device\n", relid);
		vmbus_channel_put(ch);
		vmbus_channel_put(ch);
		goto out;
	}
	list_add_tail(&ch->node, &vmbus_conn.channels);
	vmbus_relid_set(relid, ch);
	queue_work(vmbus_conn.dev_wq, &ch->add_work);
out:
	mutex_unlock(&vmbus_conn.channel_mutex);
}

void vmbus_handle_rescind(u32 relid)
{
	struct vmbus_channel *ch;
	void (*cb)(struct vmbus_channel *);

	mutex_lock(&vmbus_conn.channel_mutex);
	ch = rcu_dereference_protected(vmbus_conn.relid_map[relid],
				       lockdep_is_held(&vmbus_conn.channel_mutex));
	if (!ch || ch->rescind_handled) {
		mutex_unlock(&vmbus_conn.channel_mutex);
		pr_err("rescind of %s relid %u; ignored\n",
		       ch ? "an already rescinded" : "unknown", relid);
		return;
	}
	ch->rescind_handled = true;
	WRITE_ONCE(ch->rescinded, true);
	vmbus_fail_waiters(ch, -ENODEV);
	mutex_unlock(&vmbus_conn.channel_mutex);
	pr_info("relid %u rescinded by the host\n", relid);

	if (!ch->primary) {
		queue_work(vmbus_conn.dev_wq, &ch->remove_work);
		return;
	}

	cb = ch->rescind_callback;
	if (cb)
		cb(ch);
	hvlis_chan_close(ch);
	mutex_lock(&vmbus_conn.channel_mutex);
	list_del_init(&ch->node);
	vmbus_release_relid(ch);
	mutex_unlock(&vmbus_conn.channel_mutex);
	vmbus_channel_sysfs_remove(ch);
	vmbus_channel_put(ch);
}

int vmbus_channels_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		INIT_WORK(per_cpu_ptr(&vmbus_held_work, cpu), vmbus_take_held_msg);
	atomic_set(&vmbus_conn.gpadl_next, 0xe1e10);
	init_completion(&vmbus_conn.all_offers);
	vmbus_conn.stopping = false;
	vmbus_conn.relid_map = kcalloc(VMBUS_MAX_RELIDS,
				       sizeof(*vmbus_conn.relid_map), GFP_KERNEL);
	vmbus_fifo.msgs = kvcalloc(VMBUS_MSG_FIFO_LEN, sizeof(*vmbus_fifo.msgs),
				   GFP_KERNEL);
	vmbus_fifo.head = 0;
	vmbus_fifo.count = 0;
	cpumask_clear(&vmbus_fifo.held);
	vmbus_conn.msg_wq = alloc_ordered_workqueue("hv_vmbus_msg", 0);
	vmbus_conn.dev_wq = alloc_ordered_workqueue("hv_vmbus_dev", 0);
	if (!vmbus_conn.relid_map || !vmbus_fifo.msgs || !vmbus_conn.msg_wq ||
	    !vmbus_conn.dev_wq) {
		vmbus_channels_exit();
		return -ENOMEM;
	}
	return 0;
}

static void vmbus_free_sub(struct vmbus_channel *sc)
{
	hvlis_chan_close(sc);
	list_del_init(&sc->node);
	vmbus_relid_clear(sc);
	vmbus_channel_sysfs_remove(sc);
	vmbus_channel_put(sc);
}

static void vmbus_free_channel_tree(struct vmbus_channel *ch)
{
	struct vmbus_channel *sc, *tmp;

	list_for_each_entry_safe(sc, tmp, &ch->subchannels, node)
		vmbus_free_sub(sc);
	hvlis_chan_close(ch);
	vmbus_relid_clear(ch);
}

/*
 * Module exit: no driver is bound any more (they depend on us).  The ISR
 * runs until vmbus_synic_teardown(), so first stop it from queueing work
 * (the FIFO is unpublished), then let msg_wq and dev_wq finish what they
 * have (a rescind being processed removes its channel from the list),
 * and only then walk the channels: nothing else touches them any more.
 */
void vmbus_channels_exit(void)
{
	struct vmbus_channel *ch, *tmp, __rcu **map;
	union vmbus_host_msg *msgs;
	unsigned long flags;
	LIST_HEAD(gone);

	vmbus_conn.stopping = true;
	raw_spin_lock_irqsave(&vmbus_fifo.lock, flags);
	msgs = vmbus_fifo.msgs;
	vmbus_fifo.msgs = NULL;
	vmbus_fifo.count = 0;
	raw_spin_unlock_irqrestore(&vmbus_fifo.lock, flags);
	/* a slot kept for want of room is taken (and ignored) now */
	vmbus_kick_held();
	if (vmbus_conn.msg_wq)
		flush_workqueue(vmbus_conn.msg_wq);
	if (vmbus_conn.dev_wq)
		flush_workqueue(vmbus_conn.dev_wq);
	/* after msg_wq: its last pop may have kicked a held slot too */
	vmbus_flush_held();
	/* msg_wq may have been popping from it: free it only now */
	kvfree(msgs);

	/*
	 * No offer or rescind is processed any more: take the relid map
	 * away from the ISR at once (one grace period for all channels;
	 * vmbus_relid_clear() then only kills the tasklets).
	 */
	spin_lock_irqsave(&vmbus_conn.relid_lock, flags);
	map = vmbus_conn.relid_map;
	WRITE_ONCE(vmbus_conn.relid_map, NULL);
	spin_unlock_irqrestore(&vmbus_conn.relid_lock, flags);
	synchronize_rcu();

	mutex_lock(&vmbus_conn.channel_mutex);
	list_splice_init(&vmbus_conn.channels, &gone);
	mutex_unlock(&vmbus_conn.channel_mutex);

	list_for_each_entry_safe(ch, tmp, &gone, node) {
		list_del_init(&ch->node);
		vmbus_drop_device(ch);
		mutex_lock(&vmbus_conn.channel_mutex);
		vmbus_free_channel_tree(ch);
		mutex_unlock(&vmbus_conn.channel_mutex);
		vmbus_channel_put(ch);
	}
	mutex_lock(&vmbus_conn.channel_mutex);
	list_for_each_entry_safe(ch, tmp, &vmbus_orphans, node)
		vmbus_free_sub(ch);
	mutex_unlock(&vmbus_conn.channel_mutex);

	if (vmbus_conn.msg_wq)
		destroy_workqueue(vmbus_conn.msg_wq);
	if (vmbus_conn.dev_wq)
		destroy_workqueue(vmbus_conn.dev_wq);
	vmbus_conn.msg_wq = NULL;
	vmbus_conn.dev_wq = NULL;
	kfree(map);
	if (atomic_read(&vmbus_live_channels))
		pr_err("%d channels still referenced at exit (leaked)\n",
		       atomic_read(&vmbus_live_channels));
}
