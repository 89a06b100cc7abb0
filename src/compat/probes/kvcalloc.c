// SPDX-License-Identifier: GPL-2.0-only
/* kvcalloc(); added in v4.18 (commit 1c542f38ab8d "mm: Introduce kvcalloc()") */
#include <linux/mm.h>
#include <linux/slab.h>

void *hvlis_probe(size_t n)
{
	return kvcalloc(n, 16, GFP_KERNEL);
}
