// SPDX-License-Identifier: GPL-2.0-only
/* netdev_master_upper_dev_link(dev, upper, priv, info); v4.5 to v4.14, and RHEL 7's netdev_master_upper_dev_link_rh */
/* vmlinux-export: netdev_master_upper_dev_link netdev_master_upper_dev_link_rh */
#include <linux/netdevice.h>

int hvlis_probe(struct net_device *dev, struct net_device *upper)
{
	return netdev_master_upper_dev_link(dev, upper, NULL, NULL);
}
