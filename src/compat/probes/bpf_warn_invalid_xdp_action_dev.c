// SPDX-License-Identifier: GPL-2.0-only
/* bpf_warn_invalid_xdp_action(dev, prog, act); before v5.17 (commit c8064e5b4ada "bpf: Let bpf_warn_invalid_xdp_action() report more info") (act) only */
/* vmlinux-export: bpf_warn_invalid_xdp_action */
#include <linux/netdevice.h>
#include <linux/filter.h>

void hvlis_probe(struct net_device *dev, struct bpf_prog *prog)
{
	bpf_warn_invalid_xdp_action(dev, prog, 99);
}
