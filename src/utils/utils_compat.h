/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences hv_utils meets, keyed on probe results only:
 *
 *  HAVE_ORDERLY_REBOOT    orderly_reboot() (v4.1); without it the guest
 *                         refuses reboot requests (E_FAIL)
 *  HAVE_PTP_CLOCK_ADJFINE ptp_clock_info with .gettime64 and .adjfine
 *                         (v4.10); without it there is no PTP clock
 *  HAVE_HV_IS_HIBERNATION_SUPPORTED
 *                         hv_is_hibernation_supported() (v5.7, built-in
 *                         Hyper-V code: ACPI S4, not the root partition);
 *                         without it hibernate requests are refused
 */
#ifndef UTILS_COMPAT_H
#define UTILS_COMPAT_H

#include <linux/reboot.h>

#ifdef HAVE_ORDERLY_REBOOT
#define UTIL_HAVE_ORDERLY_REBOOT	1
#define util_orderly_reboot()		orderly_reboot()
#else
#define UTIL_HAVE_ORDERLY_REBOOT	0
#define util_orderly_reboot()		do { } while (0)
#endif

#if defined(HAVE_PTP_CLOCK_ADJFINE) && IS_ENABLED(CONFIG_PTP_1588_CLOCK)
#define UTIL_HAVE_PTP			1
#else
#define UTIL_HAVE_PTP			0
#endif

#ifdef HAVE_HV_IS_HIBERNATION_SUPPORTED
/* declared in <asm/mshyperv.h>, which clashes with our hv_tlfs.h */
bool hv_is_hibernation_supported(void);
#define util_kernel_can_hibernate()	hv_is_hibernation_supported()
#define UTIL_NO_HIBERNATE_WHY		"the kernel cannot hibernate (no ACPI S4)"
#else
#define util_kernel_can_hibernate()	false
#define UTIL_NO_HIBERNATE_WHY		"this kernel has no hv_is_hibernation_supported()"
#endif

#endif /* UTILS_COMPAT_H */
