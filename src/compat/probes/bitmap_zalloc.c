// SPDX-License-Identifier: GPL-2.0-only
/* bitmap_zalloc()/bitmap_free(); added in v4.19 (absent from the 4.14.67 snapshot, present in 4.19.255: symbols-since.txt) */
#include <linux/bitmap.h>
#include <linux/slab.h>

unsigned long *hvlis_probe(unsigned int n)
{
	unsigned long *p = bitmap_zalloc(n, GFP_KERNEL);

	bitmap_free(p);
	return bitmap_zalloc(n, GFP_KERNEL);
}
