/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Opt-in companion of compat.h for files that use the kernel's own Hyper-V
 * arch interface: include this instead of <asm/mshyperv.h>.  Its wrappers
 * come after the kernel's declarations, so unlike compat.h they may stand
 * in for names the kernel declares but does not export.
 *
 * Note: <asm/mshyperv.h> brings the kernel's TLFS definitions (HV_*, HVCALL_*),
 * which clash with src/include/hv_tlfs.h; a file includes one or the other.
 */
#ifndef HVLIS_COMPAT_MSHYPERV_H
#define HVLIS_COMPAT_MSHYPERV_H

#include <linux/types.h>
#ifdef HAVE_ASM_MSHYPERV_H
#include <asm/mshyperv.h>
#endif
#include <asm/msr.h>

/* Synthetic MSR access: hv_get_msr (>6.6), hv_get_register (v5.12), raw. */
#ifndef HAVE_HV_GET_MSR
#ifdef HAVE_HV_GET_REGISTER
#define hv_get_msr(reg) hv_get_register(reg)
#define hv_set_msr(reg, val) hv_set_register(reg, val)
#else
#ifdef HAVE_RDMSRQ
#define hv_get_msr(reg) ({ u64 ___compat_v; rdmsrq(reg, ___compat_v); ___compat_v; })
#define hv_set_msr(reg, val) wrmsrq(reg, val)
#else
#define hv_get_msr(reg) ({ u64 ___compat_v; rdmsrl(reg, ___compat_v); ___compat_v; })
#define hv_set_msr(reg, val) wrmsrl(reg, val)
#endif
#endif
#endif

/* The kernel's VMBus callback-vector hook, under its pre-v5.12 name. */
#if !defined(HAVE_HV_SETUP_VMBUS_HANDLER) && defined(HAVE_HV_SETUP_VMBUS_IRQ)
#define hv_setup_vmbus_handler(handler) hv_setup_vmbus_irq(handler)
#define hv_remove_vmbus_handler() hv_remove_vmbus_irq()
#endif

/* Kernels without it cannot run in an isolated (confidential) VM. */
#ifndef HAVE_HV_IS_ISOLATION_SUPPORTED
#define hv_is_isolation_supported() false
#endif

#endif /* HVLIS_COMPAT_MSHYPERV_H */
