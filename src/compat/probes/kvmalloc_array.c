// SPDX-License-Identifier: GPL-2.0-only
/* kvmalloc_array(); added in v4.12 with kvmalloc() (absent from the 4.9.115 snapshot, present in 4.12.0: symbols-since.txt) */
#include <linux/mm.h>
#include <linux/slab.h>

void *hvlis_probe(size_t n)
{
	return kvmalloc_array(n, 16, GFP_KERNEL);
}
