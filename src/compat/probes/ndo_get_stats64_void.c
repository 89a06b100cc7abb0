// SPDX-License-Identifier: GPL-2.0-only
/* net_device_ops.ndo_get_stats64 returns void; changed in v4.11 (commit bc1f44709cf2 "net: make ndo_get_stats64 a void function") */
#include <linux/netdevice.h>

_Static_assert(__builtin_types_compatible_p(typeof(((const struct net_device_ops *)0)->ndo_get_stats64),
					    void (*)(struct net_device *,
						     struct rtnl_link_stats64 *)),
	       "ndo_get_stats64 returns a pointer");
