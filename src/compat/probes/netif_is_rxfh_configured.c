// SPDX-License-Identifier: GPL-2.0-only
/* netif_is_rxfh_configured() and IFF_RXFH_CONFIGURED: the ethtool core says whether the RSS indirection table was set by the user (and refuses -L below what it names) */
#include <linux/netdevice.h>

bool hvlis_probe_rxfh_configured(struct net_device *dev)
{
	dev->priv_flags &= ~IFF_RXFH_CONFIGURED;
	return netif_is_rxfh_configured(dev);
}
