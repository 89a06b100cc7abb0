/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The seam between hv_vmbus and the hypervisor: everything VMBus needs
 * from Hyper-V, and nothing more.  hv_vmbus ships one implementation (real
 * Hyper-V: hypercalls, synthetic MSRs, the callback vector).  The
 * test-only simulated host (tests/simhost, hv_simhost.ko) exports a
 * second one as the GPL symbol HV_SIM_BACKEND_SYMBOL, which hv_vmbus picks
 * up with __symbol_get() when no Hyper-V is detected, so hv_vmbus has no
 * link-time dependency on test code and the simulated host none on
 * hv_vmbus.
 *
 * Contract, mirroring the hardware:
 *  - hv_vmbus allocates, per CPU, a zeroed SynIC message page and event
 *    flags page and hands their physical addresses to synic_enable() on
 *    that CPU (as it would write SIMP/SIEFP/SINT2/SCONTROL).
 *  - The hypervisor delivers a VMBus message by writing slot
 *    HV_VMBUS_SINT of the target CPU's message page (only when the slot's
 *    type is HV_MSGTYPE_NONE, otherwise it queues it and sets the pending
 *    flag), sets channel event bits in that CPU's event page, and calls
 *    the isr given to init() on that CPU in interrupt context.
 *  - The guest frees a slot by setting its type to NONE; if the pending
 *    flag was set it calls end_of_message() so the next one is delivered.
 */
#ifndef HVLIS_HV_BACKEND_H
#define HVLIS_HV_BACKEND_H

#include <linux/types.h>

#define HV_SIM_BACKEND_SYMBOL	"hv_simhost_backend"

struct hv_backend_ops {
	const char *name;
	/* Called once; isr must be invoked on the CPU that was interrupted. */
	int (*init)(void (*isr)(void));
	void (*exit)(void);
	/* Hyper-V VP index of a Linux CPU (target_vp / target_vcpu). */
	u32 (*vp_index)(unsigned int cpu);
	/* Called on @cpu, preemption disabled. */
	int (*synic_enable)(unsigned int cpu, phys_addr_t msg_page,
			    phys_addr_t event_page);
	void (*synic_disable)(unsigned int cpu);
	/* HvPostMessage; returns the HV_STATUS_* code. Any context. */
	u16 (*post_message)(u32 connection_id, u32 message_type,
			    const void *payload, u32 payload_size);
	/* HvSignalEvent; returns the HV_STATUS_* code. Any context. */
	u16 (*signal_event)(u32 connection_id, u16 flag_number);
	/* Write the EOM MSR on the current CPU. */
	void (*end_of_message)(void);
	/* VTL the guest runs in (0 unless a paravisor says otherwise). */
	u8 vtl;
};

#endif /* HVLIS_HV_BACKEND_H */
