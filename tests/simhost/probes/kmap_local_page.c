// SPDX-License-Identifier: GPL-2.0-only
/* kmap_local_page()/kunmap_local(); 4.19 has kmap_atomic()/kunmap_atomic() */
#include <linux/highmem.h>

void *hvlis_probe(struct page *page)
{
	void *va = kmap_local_page(page);

	kunmap_local(va);
	return va;
}
