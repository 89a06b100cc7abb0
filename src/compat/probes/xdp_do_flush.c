// SPDX-License-Identifier: GPL-2.0-only
/* xdp_do_flush(); before v5.6 (commit 1d233886dd90 "xdp: Use bulking for non-map XDP_REDIRECT and consolidate code paths") xdp_do_flush_map() */
/* vmlinux-export: xdp_do_flush */
#include <linux/netdevice.h>
#include <linux/filter.h>

void hvlis_probe(void)
{
	xdp_do_flush();
}
