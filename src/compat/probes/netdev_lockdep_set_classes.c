// SPDX-License-Identifier: GPL-2.0-only
/* netdev_lockdep_set_classes(); added in v4.7 */
#include <linux/netdevice.h>

void hvlis_probe(struct net_device *dev)
{
	netdev_lockdep_set_classes(dev);
}
