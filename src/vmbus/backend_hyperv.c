// SPDX-License-Identifier: GPL-2.0-only
/*
 * The real Hyper-V backend: CPUID detection, synthetic MSRs, hypercalls
 * and the callback vector (TLFS v6.0b: "Feature Discovery", "Hypercall
 * Interface", "Synthetic Interrupt Controller").
 *
 * Where the kernel's arch code already set up Hyper-V (hypercall page,
 * callback vector) we use what it exports; the compat probes say which.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/io.h>

#include "vmbus_private.h"
#include "hv_tlfs.h"

#ifdef CONFIG_X86_64
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/irq_vectors.h>
#include <asm/nospec-branch.h>
#include <asm/asm.h>

#include "hv_arch.h"

/*
 * A call from inline asm must tell the compiler that it uses the stack, so
 * that a frame is set up first.  Where asm/asm.h has no name for that
 * operand, the stack pointer itself, as a local register variable.
 */
#ifdef ASM_CALL_CONSTRAINT
#define HVL_SP_OPERAND		ASM_CALL_CONSTRAINT
#else
#define HVL_SP_OPERAND		"+r" (hvl_sp)	/* declared in the caller */
#endif

static DEFINE_PER_CPU(u32, hvl_vp);
static void * __percpu *hvl_input_page;
static u32 hvl_hints;
static void *hvl_own_hypercall_page;	/* only when the kernel has none */

static void *hvl_hypercall_page(void)
{
#ifdef HAVE_HV_HYPERCALL_PG
	if (hv_hypercall_pg)
		return hv_hypercall_pg;
#endif
	return hvl_own_hypercall_page;
}

/* x64 hypercall ABI: RCX control, RDX input GPA, R8 output GPA, RAX result. */
static u64 hvl_hypercall(u64 control, u64 input, u64 output)
{
	register u64 r8 asm("r8") = output;
	void *pg = hvl_hypercall_page();
	u64 status;
#ifndef ASM_CALL_CONSTRAINT
	register void *hvl_sp asm(_ASM_SP);
#endif

	if (!pg)
		return U64_MAX;
#ifdef CALL_NOSPEC
	asm volatile(CALL_NOSPEC
		     : "=a" (status), HVL_SP_OPERAND,
		       "+c" (control), "+d" (input), "+r" (r8)
		     : THUNK_TARGET(pg)
		     : "cc", "memory", "r9", "r10", "r11");
#else
	asm volatile("call *%[pg]"
		     : "=a" (status), "+c" (control), "+d" (input), "+r" (r8)
		     : [pg] "r" (pg)
		     : "cc", "memory", "r9", "r10", "r11");
#endif
	return status;
}

bool hv_hyperv_detect(void)
{
	u32 eax, ebx, ecx, edx;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return false;
	cpuid(HV_CPUID_VENDOR_AND_MAX, &eax, &ebx, &ecx, &edx);
	if (ebx != HV_SIGNATURE_EBX || ecx != HV_SIGNATURE_ECX ||
	    edx != HV_SIGNATURE_EDX || eax < HV_CPUID_IMPLEMENT_LIMITS)
		return false;
	if (cpuid_eax(HV_CPUID_INTERFACE) != HV_INTERFACE_HV1)
		return false;

	cpuid(HV_CPUID_FEATURES, &eax, &ebx, &ecx, &edx);
	if ((eax & (HV_PRIV_SYNIC | HV_PRIV_HYPERCALL | HV_PRIV_VP_INDEX)) !=
	    (HV_PRIV_SYNIC | HV_PRIV_HYPERCALL | HV_PRIV_VP_INDEX) ||
	    (ebx & (HV_PRIV_POST_MESSAGES | HV_PRIV_SIGNAL_EVENTS)) !=
	    (HV_PRIV_POST_MESSAGES | HV_PRIV_SIGNAL_EVENTS)) {
		pr_err("Hyper-V lacks SynIC/hypercall privileges (eax %#x ebx %#x)\n",
		       eax, ebx);
		return false;
	}
	if (ebx & HV_PRIV_ISOLATION) {
		pr_err("isolated (confidential) VMs are not supported by this hv_vmbus\n");
		return false;
	}
	hvl_hints = cpuid_eax(HV_CPUID_ENLIGHTENMENT_INFO);
#if !defined(HAVE_HV_SETUP_VMBUS_HANDLER) && !defined(HAVE_HV_SETUP_VMBUS_IRQ)
	pr_err("this kernel has no Hyper-V callback vector hook; not supported\n");
	return false;
#else
	return true;
#endif
}

static int hvl_setup_hypercall_page(void)
{
	u64 v;

	if (hvl_hypercall_page())
		return 0;
#ifdef HAVE_VMALLOC_PGPROT
	/* The kernel's arch code did not enable hypercalls: do it ourselves. */
	hvl_own_hypercall_page = __vmalloc(PAGE_SIZE, GFP_KERNEL, PAGE_KERNEL_EXEC);
	if (!hvl_own_hypercall_page)
		return -ENOMEM;
	rdmsrq(HV_MSR_GUEST_OS_ID, v);
	if (!v)
		wrmsrq(HV_MSR_GUEST_OS_ID,
		       HV_GUEST_ID_OPEN_SOURCE | HV_GUEST_ID_OS_LINUX);
	v = (vmalloc_to_pfn(hvl_own_hypercall_page) << HV_PAGE_SHIFT) | 1;
	wrmsrq(HV_MSR_HYPERCALL, v);
	return 0;
#else
	(void)v;
	pr_err("no hypercall page from the kernel and no way to make one\n");
	return -ENODEV;
#endif
}

static void hvl_free_input_pages(void)
{
	unsigned int cpu;

	if (!hvl_input_page)
		return;
	for_each_possible_cpu(cpu)
		free_page((unsigned long)*per_cpu_ptr(hvl_input_page, cpu));
	free_percpu(hvl_input_page);
	hvl_input_page = NULL;
}

#ifdef HAVE_HV_SETUP_CRASH_HANDLER
static void hvl_crash(struct pt_regs *regs)
{
	vmbus_unload_atomic();
}
#endif

static int hvl_init(void (*isr)(void))
{
	unsigned int cpu;
	int ret;

	ret = hvl_setup_hypercall_page();
	if (ret)
		return ret;

	/* hypercall input must be 8-byte aligned and not cross a page */
	hvl_input_page = alloc_percpu(void *);
	if (!hvl_input_page)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		void *p = (void *)get_zeroed_page(GFP_KERNEL);

		if (!p) {
			hvl_free_input_pages();
			return -ENOMEM;
		}
		*per_cpu_ptr(hvl_input_page, cpu) = p;
	}

#if defined(HAVE_HV_SETUP_VMBUS_HANDLER)
	hv_setup_vmbus_handler(isr);
#elif defined(HAVE_HV_SETUP_VMBUS_IRQ)
	hv_setup_vmbus_irq(isr);
#endif
#ifdef HAVE_HV_SETUP_KEXEC_HANDLER
	hv_setup_kexec_handler(vmbus_unload_atomic);
#endif
#ifdef HAVE_HV_SETUP_CRASH_HANDLER
	hv_setup_crash_handler(hvl_crash);
#endif
	return 0;
}

static void hvl_exit(void)
{
#ifdef HAVE_HV_SETUP_KEXEC_HANDLER
	hv_remove_kexec_handler();
#endif
#ifdef HAVE_HV_SETUP_CRASH_HANDLER
	hv_remove_crash_handler();
#endif
#if defined(HAVE_HV_SETUP_VMBUS_HANDLER)
	hv_remove_vmbus_handler();
#elif defined(HAVE_HV_SETUP_VMBUS_IRQ)
	hv_remove_vmbus_irq();
#endif
	hvl_free_input_pages();
	if (hvl_own_hypercall_page) {
		wrmsrq(HV_MSR_HYPERCALL, 0);
		vfree(hvl_own_hypercall_page);
		hvl_own_hypercall_page = NULL;
	}
}

static u32 hvl_vp_index(unsigned int cpu)
{
	return per_cpu(hvl_vp, cpu);
}

static u64 hvl_page_msr(u32 msr, phys_addr_t pa, bool enable)
{
	u64 v;

	rdmsrq(msr, v);
	v &= (HV_PAGE_SIZE - 1) & ~1ull;	/* keep reserved bits */
	if (enable)
		v |= (pa & ~((u64)HV_PAGE_SIZE - 1)) | 1;
	return v;
}

static int hvl_synic_enable(unsigned int cpu, phys_addr_t msg_page,
			    phys_addr_t event_page)
{
	u64 v;

	rdmsrq(HV_MSR_VP_INDEX, v);
	this_cpu_write(hvl_vp, (u32)v);

	wrmsrq(HV_MSR_SIMP, hvl_page_msr(HV_MSR_SIMP, msg_page, true));
	wrmsrq(HV_MSR_SIEFP, hvl_page_msr(HV_MSR_SIEFP, event_page, true));

	rdmsrq(HV_MSR_SINT0 + HV_VMBUS_SINT, v);
	v &= ~(HV_SINT_VECTOR_MASK | HV_SINT_MASKED | HV_SINT_AUTO_EOI);
	v |= HYPERVISOR_CALLBACK_VECTOR;
	if (!(hvl_hints & HV_HINT_DEPRECATING_AEOI))
		v |= HV_SINT_AUTO_EOI;
	wrmsrq(HV_MSR_SINT0 + HV_VMBUS_SINT, v);

	rdmsrq(HV_MSR_SCONTROL, v);
	wrmsrq(HV_MSR_SCONTROL, v | HV_SCONTROL_ENABLE);
	return 0;
}

static void hvl_synic_disable(unsigned int cpu)
{
	u64 v;

	rdmsrq(HV_MSR_SINT0 + HV_VMBUS_SINT, v);
	wrmsrq(HV_MSR_SINT0 + HV_VMBUS_SINT, v | HV_SINT_MASKED);
	wrmsrq(HV_MSR_SIMP, hvl_page_msr(HV_MSR_SIMP, 0, false));
	wrmsrq(HV_MSR_SIEFP, hvl_page_msr(HV_MSR_SIEFP, 0, false));
	rdmsrq(HV_MSR_SCONTROL, v);
	wrmsrq(HV_MSR_SCONTROL, v & ~HV_SCONTROL_ENABLE);
}

static u16 hvl_post_message(u32 connection_id, u32 message_type,
			    const void *payload, u32 payload_size)
{
	struct hv_post_message_input *in;
	unsigned long flags;
	u64 status;

	if (payload_size > HV_MESSAGE_PAYLOAD_MAX)
		return HV_STATUS_INVALID_PARAMETER;

	local_irq_save(flags);
	in = *this_cpu_ptr(hvl_input_page);
	in->connection_id = connection_id;
	in->reserved = 0;
	in->message_type = message_type;
	in->payload_size = payload_size;
	memcpy(in->payload, payload, payload_size);
	status = hvl_hypercall(HV_CALL_POST_MESSAGE, virt_to_phys(in), 0);
	local_irq_restore(flags);
	return status & 0xffff;
}

static u16 hvl_signal_event(u32 connection_id, u16 flag_number)
{
	u64 input = connection_id | ((u64)flag_number << 32);

	/* fast call: the 8-byte input travels in RDX */
	return hvl_hypercall(HV_CALL_SIGNAL_EVENT | HV_HYPERCALL_FAST,
			     input, 0) & 0xffff;
}

static void hvl_end_of_message(void)
{
	wrmsrq(HV_MSR_EOM, 0);
}

const struct hv_backend_ops hv_hyperv_backend = {
	.name = "hyper-v",
	.init = hvl_init,
	.exit = hvl_exit,
	.vp_index = hvl_vp_index,
	.synic_enable = hvl_synic_enable,
	.synic_disable = hvl_synic_disable,
	.post_message = hvl_post_message,
	.signal_event = hvl_signal_event,
	.end_of_message = hvl_end_of_message,
	.vtl = 0,
};

#else /* !CONFIG_X86_64 */

bool hv_hyperv_detect(void)
{
	return false;
}

const struct hv_backend_ops hv_hyperv_backend = {
	.name = "none",
};

#endif
