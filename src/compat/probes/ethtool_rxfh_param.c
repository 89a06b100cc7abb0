// SPDX-License-Identifier: GPL-2.0-only
/* ethtool_ops.get/set_rxfh take a struct ethtool_rxfh_param (and set an extack) instead of indir, key and hfunc; changed in v6.8 (commit fb6e30a72539 "net: ethtool: pass a pointer to parameters to get/set_rxfh ethtool ops") */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

_Static_assert(__builtin_types_compatible_p(typeof(((const struct ethtool_ops *)0)->get_rxfh),
					    int (*)(struct net_device *,
						    struct ethtool_rxfh_param *)),
	       "get_rxfh takes indir, key and hfunc");
_Static_assert(__builtin_types_compatible_p(typeof(((const struct ethtool_ops *)0)->set_rxfh),
					    int (*)(struct net_device *,
						    struct ethtool_rxfh_param *,
						    struct netlink_ext_ack *)),
	       "set_rxfh takes indir, key and hfunc");
