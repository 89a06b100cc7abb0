// SPDX-License-Identifier: GPL-2.0-only
/* reinit_completion(); added between v3.11 and v3.16 (absent from the 3.11.0 snapshot, present in 3.16.0: symbols-since.txt) */
#include <linux/completion.h>

void hvlis_probe(struct completion *c)
{
	reinit_completion(c);
}
