// SPDX-License-Identifier: GPL-2.0-only
/* kvmalloc()/kvzalloc(); added in v4.12 (commit a7c3e901a46f "mm: introduce kv[mz]alloc helpers") */
#include <linux/mm.h>
#include <linux/slab.h>

void *hvlis_probe(size_t n)
{
	void *p = kvmalloc(n, GFP_KERNEL);

	kvfree(p);
	return kvzalloc(n, GFP_KERNEL);
}
