/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences hv_utils meets, keyed on probe results only:
 *
 *  HAVE_ORDERLY_REBOOT    orderly_reboot() (v4.1); without it the guest
 *                         refuses reboot requests (E_FAIL)
 *  HAVE_PTP_CLOCK_ADJFINE ptp_clock_info with .gettime64 and .adjfine
 *                         (v4.10); without it there is no PTP clock
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

#endif /* UTILS_COMPAT_H */
