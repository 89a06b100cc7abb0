// SPDX-License-Identifier: GPL-2.0-only
/* PAGE_ALIGNED(); added in v3.11 (absent from the 3.10.108 snapshot, present in 3.11.0: symbols-since.txt) */
#include <linux/mm.h>

int hvlis_probe(void *p)
{
	return PAGE_ALIGNED(p);
}
