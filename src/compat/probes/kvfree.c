// SPDX-License-Identifier: GPL-2.0-only
/* kvfree(); added in v3.15 (commit 39f1f78d53b9 "nick kvfree() from apparmor") */
#include <linux/mm.h>
#include <linux/slab.h>

void hvlis_probe(void *p)
{
	kvfree(p);
}
