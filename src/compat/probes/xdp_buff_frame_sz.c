// SPDX-License-Identifier: GPL-2.0-only
/* struct xdp_buff has frame_sz; new in v5.8 (commit 34cc0b338a61 "xdp: Xdp_frame add member frame_sz and handle in convert_to_xdp_frame") */
#include <linux/netdevice.h>
#include <net/xdp.h>

void hvlis_probe(struct xdp_buff *xdp)
{
	xdp->frame_sz = PAGE_SIZE;
}
