// SPDX-License-Identifier: GPL-2.0-only
/* ethtool_ops.get/set_ringparam take kernel_ethtool_ringparam and extack; changed in v5.17 (commit 74624944f1ff "ethtool: extend ringparam setting/getting API with rx_buf_len") */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

_Static_assert(__builtin_types_compatible_p(typeof(((const struct ethtool_ops *)0)->get_ringparam),
					    void (*)(struct net_device *,
						     struct ethtool_ringparam *,
						     struct kernel_ethtool_ringparam *,
						     struct netlink_ext_ack *)),
	       "get_ringparam takes two arguments");
_Static_assert(__builtin_types_compatible_p(typeof(((const struct ethtool_ops *)0)->set_ringparam),
					    int (*)(struct net_device *,
						    struct ethtool_ringparam *,
						    struct kernel_ethtool_ringparam *,
						    struct netlink_ext_ack *)),
	       "set_ringparam takes two arguments");
