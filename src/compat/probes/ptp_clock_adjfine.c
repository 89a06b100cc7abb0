// SPDX-License-Identifier: GPL-2.0-only
/* ptp_clock_register() with struct ptp_clock_info .gettime64 (v4.1, commit 92f1719407b2 "ptp: introduce gettime64 and settime64") and .adjfine (v4.10); .adjfreq was removed in v6.2 */
#include <linux/ptp_clock_kernel.h>

static int hvlis_gt(struct ptp_clock_info *i, struct timespec64 *ts)
{
	return 0;
}

static int hvlis_af(struct ptp_clock_info *i, long scaled_ppm)
{
	return 0;
}

static struct ptp_clock_info hvlis_info = {
	.gettime64 = hvlis_gt,
	.adjfine = hvlis_af,
};

struct ptp_clock *hvlis_probe(void)
{
	return ptp_clock_register(&hvlis_info, NULL);
}
