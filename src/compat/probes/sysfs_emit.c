// SPDX-License-Identifier: GPL-2.0-only
/* sysfs_emit()/sysfs_emit_at(); added in v5.10 (commit 2efc459d06f1 "sysfs: Add sysfs_emit and sysfs_emit_at to format sysfs output") */
#include <linux/sysfs.h>

int hvlis_probe(char *buf)
{
	int n = sysfs_emit(buf, "%d\n", 1);

	return n + sysfs_emit_at(buf, n, "%s\n", "x");
}
