// SPDX-License-Identifier: GPL-2.0-only
/* dev_open(dev, extack); the extack argument came in v5.0 */
/* vmlinux-export: dev_open */
#include <linux/netdevice.h>

int hvlis_probe(struct net_device *dev)
{
	return dev_open(dev, NULL);
}
