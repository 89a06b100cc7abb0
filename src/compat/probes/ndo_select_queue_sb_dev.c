// SPDX-License-Identifier: GPL-2.0-only
/* net_device_ops.ndo_select_queue takes (dev, skb, sb_dev) without a fallback; changed in v5.2 (commit a350eccee583 "net: remove 'fallback' argument from dev->ndo_select_queue()") */
#include <linux/netdevice.h>

_Static_assert(__builtin_types_compatible_p(typeof(((const struct net_device_ops *)0)->ndo_select_queue),
					    u16 (*)(struct net_device *,
						    struct sk_buff *,
						    struct net_device *)),
	       "ndo_select_queue has another signature");
