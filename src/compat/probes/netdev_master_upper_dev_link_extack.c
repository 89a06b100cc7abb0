// SPDX-License-Identifier: GPL-2.0-only
/* netdev_master_upper_dev_link(dev, upper, priv, info, extack); the extack argument came in v4.15 */
/* vmlinux-export: netdev_master_upper_dev_link */
#include <linux/netdevice.h>

int hvlis_probe(struct net_device *dev, struct net_device *upper)
{
	return netdev_master_upper_dev_link(dev, upper, NULL, NULL, NULL);
}
