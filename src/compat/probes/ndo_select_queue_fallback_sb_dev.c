// SPDX-License-Identifier: GPL-2.0-only
/* net_device_ops.ndo_select_queue takes (dev, skb, sb_dev, fallback); from v4.19 (commit 4f49dec9075a "net: allow ndo_select_queue to pass netdev") to v5.1; before: (dev, skb, accel_priv, fallback) */
#include <linux/netdevice.h>

_Static_assert(__builtin_types_compatible_p(typeof(((const struct net_device_ops *)0)->ndo_select_queue),
					    u16 (*)(struct net_device *,
						    struct sk_buff *,
						    struct net_device *,
						    select_queue_fallback_t)),
	       "ndo_select_queue has another signature");
