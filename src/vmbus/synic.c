// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU SynIC pages and the VMBus interrupt handler.
 *
 * On SINT2 the handler first scans this CPU's event flags for channel
 * interrupts, then takes the VMBus message out of the message slot and
 * frees the slot with the EOM handshake (TLFS "SynIC Message Flags").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/gfp.h>
#include <linux/percpu.h>
#include <linux/bitops.h>
#include <linux/io.h>
#include <linux/rcupdate.h>

#include "compat_cpuhp.h"
#include "vmbus_private.h"
#include "hv_tlfs.h"

static int vmbus_cpu_online(unsigned int cpu)
{
	struct vmbus_percpu *pc = per_cpu_ptr(vmbus_conn.percpu, cpu);
	int ret;

	ret = vmbus_conn.ops->synic_enable(cpu, virt_to_phys(pc->msg_page),
					   virt_to_phys(pc->event_page));
	if (ret)
		return ret;
	WRITE_ONCE(pc->enabled, true);
	return 0;
}

static bool vmbus_cpu_has_channels(unsigned int cpu)
{
	struct vmbus_channel *ch, *sc;
	bool busy = false;

	mutex_lock(&vmbus_conn.channel_mutex);
	list_for_each_entry(ch, &vmbus_conn.channels, node) {
		if (ch->state != VMBUS_CHAN_OFFERED && ch->target_cpu == cpu)
			busy = true;
		list_for_each_entry(sc, &ch->subchannels, node)
			if (sc->state != VMBUS_CHAN_OFFERED && sc->target_cpu == cpu)
				busy = true;
	}
	mutex_unlock(&vmbus_conn.channel_mutex);
	return busy;
}

static int vmbus_cpu_offline(unsigned int cpu)
{
	struct vmbus_percpu *pc = per_cpu_ptr(vmbus_conn.percpu, cpu);

	/* The host keeps interrupting a CPU until its channels move away. */
	if (vmbus_conn.connected &&
	    (cpu == vmbus_conn.connect_cpu || vmbus_cpu_has_channels(cpu))) {
		pr_info("CPU %u still receives VMBus interrupts; retarget its channels first\n",
			cpu);
		return -EBUSY;
	}
	WRITE_ONCE(pc->enabled, false);
	vmbus_conn.ops->synic_disable(cpu);
	return 0;
}

static void vmbus_free_pages(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct vmbus_percpu *pc = per_cpu_ptr(vmbus_conn.percpu, cpu);

		free_page((unsigned long)pc->msg_page);
		free_page((unsigned long)pc->event_page);
		pc->msg_page = NULL;
		pc->event_page = NULL;
	}
	free_percpu(vmbus_conn.percpu);
	vmbus_conn.percpu = NULL;
}

int vmbus_synic_setup(void)
{
	unsigned int cpu;
	int ret;

	vmbus_conn.percpu = alloc_percpu(struct vmbus_percpu);
	if (!vmbus_conn.percpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct vmbus_percpu *pc = per_cpu_ptr(vmbus_conn.percpu, cpu);

		pc->msg_page = (void *)get_zeroed_page(GFP_KERNEL);
		pc->event_page = (void *)get_zeroed_page(GFP_KERNEL);
		if (!pc->msg_page || !pc->event_page) {
			vmbus_free_pages();
			return -ENOMEM;
		}
	}

	ret = vmbus_conn.ops->init(vmbus_isr);
	if (ret) {
		vmbus_free_pages();
		return ret;
	}

	ret = compat_cpuhp_setup_dyn("hvlis/vmbus:online", vmbus_cpu_online,
				     vmbus_cpu_offline);
	if (ret < 0) {
		vmbus_conn.ops->exit();
		vmbus_free_pages();
		return ret;
	}
	vmbus_conn.cpuhp_state = ret;
	return 0;
}

void vmbus_synic_teardown(void)
{
	if (!vmbus_conn.percpu)
		return;
	vmbus_conn.connected = false;
	compat_cpuhp_remove(vmbus_conn.cpuhp_state);
	vmbus_conn.ops->exit();
	vmbus_free_pages();
}

/* Win8+: one event bit per relid in SINT2's area of the event page. */
static void vmbus_scan_events(unsigned long *flags, unsigned int nbits,
			      unsigned int first)
{
	unsigned int i, words = nbits / BITS_PER_LONG;

	for (i = 0; i < words; i++) {
		unsigned long w;
		unsigned int bit;

		if (!READ_ONCE(flags[i]))
			continue;
		w = xchg(&flags[i], 0);
		while (w) {
			bit = __ffs(w);
			w &= w - 1;
			bit += i * BITS_PER_LONG;
			if (bit >= first && bit < VMBUS_MAX_RELIDS)
				vmbus_channel_event(bit);
		}
	}
}

static void vmbus_handle_events(struct vmbus_percpu *pc)
{
	u8 *area = (u8 *)pc->event_page + HV_VMBUS_SINT * HV_EVENT_FLAGS_BYTES;
	unsigned long *flags = (unsigned long *)area;
	void *ip;

	if (vmbus_conn.version >= VMBUS_VERSION_WIN8) {
		vmbus_scan_events(flags, HV_EVENT_FLAGS_BITS, 1);
		return;
	}
	/*
	 * Before Win8 the host only sets bit 0 here; the relids are in the
	 * receive half of the interrupt page given in INITIATE_CONTACT.
	 */
	if (!test_and_clear_bit(0, flags))
		return;
	/* vmbus_free_conn_pages() waits for us before freeing the page */
	rcu_read_lock();
	ip = READ_ONCE(vmbus_conn.int_page);
	if (ip)
		vmbus_scan_events(ip, HV_PAGE_SIZE / 2 * 8, 1);
	rcu_read_unlock();
}

static void vmbus_handle_message(struct vmbus_percpu *pc)
{
	struct hv_message *slot;
	struct hv_message copy;
	u32 type, *type_word;
	u8 *raw;

	raw = (u8 *)pc->msg_page + HV_VMBUS_SINT * sizeof(*slot);
	slot = (struct hv_message *)raw;
	/* message_type is the slot's first word (hv_tlfs.h asserts it) */
	type_word = (u32 *)raw;
	type = READ_ONCE(*type_word);
	if (type == HV_MSGTYPE_NONE)
		return;

	/* Take our own copy first: the host may reuse the slot after EOM. */
	memcpy(&copy, slot, sizeof(copy));
	/* no room for it yet: the slot stays ours, the host holds the rest */
	if (type == HV_MSGTYPE_VMBUS && !vmbus_on_message(&copy))
		return;
	if (cmpxchg(type_word, type, HV_MSGTYPE_NONE) != type)
		return;
	/* the slot is free before we look at the pending flag (TLFS 11.10.3) */
	mb();
	if (READ_ONCE(slot->header.message_flags) & HV_MSG_FLAG_PENDING)
		vmbus_conn.ops->end_of_message();

	if (type != HV_MSGTYPE_VMBUS)
		pr_warn_ratelimited("ignored SynIC message type %#x on SINT%d\n",
				    type, HV_VMBUS_SINT);
}

void vmbus_isr(void)
{
	struct vmbus_percpu *pc;

	if (!vmbus_conn.percpu)
		return;
	pc = this_cpu_ptr(vmbus_conn.percpu);
	if (!READ_ONCE(pc->enabled))
		return;
	vmbus_handle_events(pc);
	vmbus_handle_message(pc);
}
