// SPDX-License-Identifier: GPL-2.0-only
/* ktime_get_boottime_ns(); changed in v5.3 (commit 9285ec4c8b61 "timekeeping: Use proper clock specifier names in functions"), was ktime_get_boot_ns() */
#include <linux/ktime.h>

u64 hvlis_probe(void)
{
	return ktime_get_boottime_ns();
}
