// SPDX-License-Identifier: GPL-2.0-only
/* PTR_ERR_OR_ZERO(); added between v3.11 and v3.16 (absent from the 3.11.0 snapshot, present in 3.16.0: symbols-since.txt) */
#include <linux/err.h>

int hvlis_probe(void *p)
{
	return PTR_ERR_OR_ZERO(p);
}
