// SPDX-License-Identifier: GPL-2.0-only
/* skb_put_data(); added in v4.13 (commit 59ae1d127ac0 "networking: introduce and use skb_put_data()") */
#include <linux/skbuff.h>

void *hvlis_probe(struct sk_buff *skb, const void *data, unsigned int len)
{
	return skb_put_data(skb, data, len);
}
