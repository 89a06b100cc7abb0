/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the kernel's x86 Hyper-V arch code exports, as the compat probes
 * found it.  Declared here rather than through <asm/mshyperv.h>, whose
 * TLFS names clash with our own wire headers.
 */
#ifndef HV_ARCH_H
#define HV_ARCH_H

#ifdef HAVE_HV_HYPERCALL_PG
extern void *hv_hypercall_pg;
#endif
#if defined(HAVE_HV_SETUP_VMBUS_HANDLER)
void hv_setup_vmbus_handler(void (*handler)(void));
void hv_remove_vmbus_handler(void);
#elif defined(HAVE_HV_SETUP_VMBUS_IRQ)
void hv_setup_vmbus_irq(void (*handler)(void));
void hv_remove_vmbus_irq(void);
#endif

#ifdef HAVE_HV_SETUP_KEXEC_HANDLER
void hv_setup_kexec_handler(void (*handler)(void));
void hv_remove_kexec_handler(void);
#endif
#ifdef HAVE_HV_SETUP_CRASH_HANDLER
struct pt_regs;
void hv_setup_crash_handler(void (*handler)(struct pt_regs *regs));
void hv_remove_crash_handler(void);
#endif

#endif /* HV_ARCH_H */
