// SPDX-License-Identifier: GPL-2.0-only
/* eth_hw_addr_set(); v5.15 (before it dev->dev_addr is written directly) */
#include <linux/etherdevice.h>

void hvlis_probe(struct net_device *dev, const u8 *addr)
{
	eth_hw_addr_set(dev, addr);
}
