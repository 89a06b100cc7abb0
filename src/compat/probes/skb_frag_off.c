// SPDX-License-Identifier: GPL-2.0-only
/* skb_frag_off(); added in v5.4 (commit 7240b60c98d6 "linux: Add skb_frag_t page_offset accessors") */
#include <linux/skbuff.h>

unsigned int hvlis_probe(const skb_frag_t *f)
{
	return skb_frag_off(f);
}
