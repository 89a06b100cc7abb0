// SPDX-License-Identifier: GPL-2.0-only
/* xdp_rxq_info_reg(rxq, dev, queue, napi_id); the napi_id argument is new in v5.11 (commit b02e5a0ebb17 "xsk: Propagate napi_id to XDP socket Rx path") */
/* vmlinux-export: xdp_rxq_info_reg */
#include <linux/netdevice.h>
#include <net/xdp.h>

int hvlis_probe(struct xdp_rxq_info *rxq, struct net_device *dev)
{
	return xdp_rxq_info_reg(rxq, dev, 0, 0);
}
