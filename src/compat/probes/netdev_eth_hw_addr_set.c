// SPDX-License-Identifier: GPL-2.0-only
/* eth_hw_addr_set(); added in v5.15 (dev_addr became const in v5.17) */
#include <linux/etherdevice.h>

void hvlis_probe(struct net_device *dev, const u8 *addr)
{
	eth_hw_addr_set(dev, addr);
}
