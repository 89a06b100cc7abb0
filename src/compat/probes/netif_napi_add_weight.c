// SPDX-License-Identifier: GPL-2.0-only
/* netif_napi_add_weight(), and netif_napi_add() without a weight; changed in v6.1 */
#include <linux/netdevice.h>

static int hvlis_poll(struct napi_struct *napi, int budget)
{
	return 0;
}

void hvlis_probe(struct net_device *dev, struct napi_struct *napi)
{
	netif_napi_add_weight(dev, napi, hvlis_poll, 64);
	netif_napi_add(dev, napi, hvlis_poll);
}
