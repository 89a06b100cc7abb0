// SPDX-License-Identifier: GPL-2.0-only
/* net_device.xdp_features and NETDEV_XDP_ACT_*: the XDP actions a driver supports, checked by the core (a devmap redirect needs NETDEV_XDP_ACT_NDO_XMIT); new in v6.3 (commit d3d854fd6a1d "netdev-genl: create a netlink family for netdev") */
#include <linux/netdevice.h>

void hvlis_probe(struct net_device *dev)
{
	dev->xdp_features = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
			    NETDEV_XDP_ACT_NDO_XMIT;
}
