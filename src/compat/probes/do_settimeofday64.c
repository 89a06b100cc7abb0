// SPDX-License-Identifier: GPL-2.0-only
/* do_settimeofday64(); added in v3.19 (absent from the 3.16.0 snapshot, present in 3.19.0; not in RHEL 7.9: symbols-since.txt) */
/* vmlinux-export: do_settimeofday64 */
#include <linux/time.h>
#include <linux/ktime.h>

int hvlis_probe(const struct timespec64 *ts)
{
	return do_settimeofday64(ts);
}
