// SPDX-License-Identifier: GPL-2.0-only
/* net_device.min_mtu/max_mtu, checked by the core; added in v4.10 (commit 61e84623ace3 "net: centralize net_device min/max MTU checking") */
#include <linux/netdevice.h>

void hvlis_probe(struct net_device *dev)
{
	dev->min_mtu = 68;
	dev->max_mtu = 9000;
}
