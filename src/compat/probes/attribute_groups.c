// SPDX-License-Identifier: GPL-2.0-only
/* ATTRIBUTE_GROUPS(); added in v3.11 (absent from the 3.10.108 snapshot, present in 3.11.0: symbols-since.txt) */
#include <linux/kernel.h>
#include <linux/sysfs.h>

static struct attribute *hvlis_attrs[] = { NULL };
ATTRIBUTE_GROUPS(hvlis);

const struct attribute_group **hvlis_probe(void)
{
	return hvlis_groups;
}
