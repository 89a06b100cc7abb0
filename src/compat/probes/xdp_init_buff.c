// SPDX-License-Identifier: GPL-2.0-only
/* xdp_init_buff() and xdp_prepare_buff(); new in v5.12 (commits 43b5169d8355 "net, xdp: Introduce xdp_init_buff utility routine" and be9df4aff65f "net, xdp: Introduce xdp_prepare_buff utility routine") */
#include <linux/netdevice.h>
#include <net/xdp.h>

void hvlis_probe(struct xdp_buff *xdp, struct xdp_rxq_info *rxq, void *p)
{
	xdp_init_buff(xdp, PAGE_SIZE, rxq);
	xdp_prepare_buff(xdp, p, 256, 60, false);
}
