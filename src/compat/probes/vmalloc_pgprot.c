// SPDX-License-Identifier: GPL-2.0-only
/* __vmalloc() still takes a pgprot_t; changed in v5.8 (commit 88dca4ca5a93 "mm: remove the pgprot argument to __vmalloc") */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

void *hvlis_probe(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL, PAGE_KERNEL);
}
