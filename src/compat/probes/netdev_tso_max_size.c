// SPDX-License-Identifier: GPL-2.0-only
/* netif_set_tso_max_size(); added in v5.19 (before: netif_set_gso_max_size()) */
#include <linux/netdevice.h>

void hvlis_probe(struct net_device *dev)
{
	netif_set_tso_max_size(dev, 65536);
}
