// SPDX-License-Identifier: GPL-2.0-only
/* ndo_bpf is asked XDP_QUERY_PROG for the attached program's id (v4.13); gone in v5.9 (commit 7f0a838254bd "bpf, xdp: Maintain info on attached XDP BPF programs in net_device"), the core keeps it */
#include <linux/netdevice.h>
#include <linux/bpf.h>

u32 hvlis_probe(struct netdev_bpf *b)
{
	if (b->command == XDP_QUERY_PROG)
		b->prog_id = 1;
	return b->prog_id;
}
