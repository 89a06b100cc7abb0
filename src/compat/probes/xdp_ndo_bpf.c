// SPDX-License-Identifier: GPL-2.0-only
/* The XDP driver API hv_netvsc builds on: ndo_bpf with struct netdev_bpf (v4.15, commit f4e63525ee35 "net: bpf: rename ndo_xdp to ndo_bpf"), xdp_rxq_info with a memory model and xdp_return_frame() (v4.18), ndo_xdp_xmit(dev, n, frames, flags) (v4.18, commit 42b33468987b "xdp: add flags argument to ndo_xdp_xmit API"); kernels with an older XDP API build the driver without XDP */
/* vmlinux-export: xdp_rxq_info_reg_mem_model xdp_rxq_info_unreg xdp_return_frame xdp_do_redirect bpf_prog_put */
#include <linux/netdevice.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/bpf_trace.h>
#include <net/xdp.h>

_Static_assert(__builtin_types_compatible_p(typeof(((const struct net_device_ops *)0)->ndo_bpf),
					    int (*)(struct net_device *,
						    struct netdev_bpf *)),
	       "ndo_bpf");
_Static_assert(__builtin_types_compatible_p(typeof(((const struct net_device_ops *)0)->ndo_xdp_xmit),
					    int (*)(struct net_device *, int,
						    struct xdp_frame **, u32)),
	       "ndo_xdp_xmit takes no frame array and flags");

u32 hvlis_probe(struct net_device *dev, struct netdev_bpf *b,
		struct xdp_rxq_info *rxq, struct xdp_buff *xdp,
		struct xdp_frame *f)
{
	u32 act;

	if (b->command != XDP_SETUP_PROG)
		return 0;
	xdp_rxq_info_reg_mem_model(rxq, MEM_TYPE_PAGE_SHARED, NULL);
	xdp->rxq = rxq;
	act = bpf_prog_run_xdp(b->prog, xdp);
	if (act == XDP_REDIRECT)
		xdp_do_redirect(dev, xdp, b->prog);
	trace_xdp_exception(dev, b->prog, act);
	xdp_return_frame(f);
	bpf_prog_put(b->prog);
	xdp_rxq_info_unreg(rxq);
	return act + XDP_PACKET_HEADROOM + (XDP_XMIT_FLAGS_MASK & XDP_XMIT_FLUSH);
}
