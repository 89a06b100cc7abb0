// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_netvsc: XDP on the synthetic receive path.
 *
 * Received frames are already copied out of the host's receive buffer
 * (netvsc_rx.c) when NAPI polls them.  With a program attached, the poll
 * copies each frame into a page of its own, with XDP_PACKET_HEADROOM in
 * front and room for a struct skb_shared_info behind (so that redirect
 * targets such as cpumap may build an skb around it), and runs the
 * program there:
 *
 *   XDP_PASS      the (possibly rewritten) frame goes to the stack
 *   XDP_DROP      counted (rx_queue_N_xdp_drop) and freed
 *   XDP_TX        sent back out of this NIC on the same queue through the
 *                 normal send path (rx_queue_N_xdp_tx)
 *   XDP_REDIRECT  xdp_do_redirect(); the poll calls xdp_do_flush() before
 *                 it returns (rx_queue_N_xdp_redirect)
 *   XDP_ABORTED and unknown actions: traced (xdp:xdp_exception), counted
 *                 as drops
 *
 * ndo_xdp_xmit sends frames redirected to this NIC by others (a devmap,
 * bpf_redirect()) through the same send path (tx_queue_N_xdp_xmit).  One
 * program serves every queue: ndo_bpf holds its reference in
 * nd->xdp_prog and publishes it to each channel with RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>

#include "netvsc.h"

#ifdef HAVE_XDP_NDO_BPF

/* the largest frame an XDP page takes */
#define NETVSC_XDP_FRAME_MAX						\
	(PAGE_SIZE - XDP_PACKET_HEADROOM -				\
	 SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))
/* the largest MTU with a program attached (a VLAN tag may stay in a frame) */
#define NETVSC_XDP_MTU_MAX	(NETVSC_XDP_FRAME_MAX - ETH_HLEN - VLAN_HLEN)

bool netvsc_xdp_mtu_ok(struct netvsc_dev *nd, u32 mtu)
{
	if (!nd->xdp_prog || mtu <= NETVSC_XDP_MTU_MAX)
		return true;
	netdev_err(nd->ndev, "MTU %u is above %lu, the largest an XDP buffer takes; detach the XDP program first\n",
		   mtu, (unsigned long)NETVSC_XDP_MTU_MAX);
	return false;
}

int netvsc_xdp_rxq_init(struct netvsc_chan *c)
{
	int ret;

	ret = netvsc_xdp_rxq_reg(&c->xdp_rxq, c->nd->ndev, c->q);
	if (ret)
		return ret;
	ret = xdp_rxq_info_reg_mem_model(&c->xdp_rxq, MEM_TYPE_PAGE_SHARED,
					 NULL);
	if (ret) {
		xdp_rxq_info_unreg(&c->xdp_rxq);
		return ret;
	}
	c->xdp_rxq_ok = true;
	return 0;
}

void netvsc_xdp_rxq_fini(struct netvsc_chan *c)
{
	if (!c->xdp_rxq_ok)
		return;
	xdp_rxq_info_unreg(&c->xdp_rxq);
	c->xdp_rxq_ok = false;
}

void netvsc_xdp_setup_dev(struct net_device *ndev)
{
#ifdef HAVE_NETDEV_XDP_FEATURES
	ndev->xdp_features = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
			     NETDEV_XDP_ACT_NDO_XMIT;
#endif
}

static void netvsc_xdp_publish(struct netvsc_dev *nd, struct bpf_prog *prog)
{
	struct bpf_prog *old = nd->xdp_prog;
	u32 i;

	nd->xdp_prog = prog;
	for (i = 0; i < NETVSC_MAX_QUEUES; i++)
		rcu_assign_pointer(nd->chan[i]->xdp_prog, prog);
	/* a program is freed after an RCU grace period: polls may finish */
	if (old)
		bpf_prog_put(old);
}

/* after unregister_netdev (which detaches a program on most kernels) */
void netvsc_xdp_release(struct netvsc_dev *nd)
{
	if (nd->xdp_prog)
		netvsc_xdp_publish(nd, NULL);
}

/*
 * Run @prog (NULL: none) on the VF too, as the kernel's driver does:
 * frames the VF receives never pass our receive path.  The VF's ndo_bpf
 * takes a reference of its own, and takes out its old program.  RTNL.
 */
static int netvsc_xdp_vf_set(struct netvsc_dev *nd, struct net_device *vf,
			     struct bpf_prog *prog,
			     struct netlink_ext_ack *extack)
{
	struct netdev_bpf bpf;
	int ret;

	if (!vf->netdev_ops->ndo_bpf || (!prog && !nd->vf_xdp))
		return 0;
	if (prog) {
		ret = netvsc_bpf_prog_hold(prog);
		if (ret)
			return ret;
	}
	memset(&bpf, 0, sizeof(bpf));
	bpf.command = XDP_SETUP_PROG;
	bpf.prog = prog;
	bpf.extack = extack;
	ret = vf->netdev_ops->ndo_bpf(vf, &bpf);
	if (ret) {
		if (prog)
			bpf_prog_put(prog);
		netdev_warn(nd->ndev, "VF %s: XDP program not %s (%d)\n",
			    vf->name, prog ? "set" : "removed", ret);
		return ret;
	}
	nd->vf_xdp = !!prog;
	return 0;
}

/* A VF joined (RTNL): it gets our program. */
void netvsc_xdp_vf_join(struct netvsc_dev *nd, struct net_device *vf)
{
	if (nd->xdp_prog)
		netvsc_xdp_vf_set(nd, vf, nd->xdp_prog, NULL);
}

/* The VF is released (RTNL): our program comes off it. */
void netvsc_xdp_vf_release(struct netvsc_dev *nd, struct net_device *vf)
{
	netvsc_xdp_vf_set(nd, vf, NULL, NULL);
	nd->vf_xdp = false;
}

static int netvsc_xdp_set(struct net_device *ndev, struct bpf_prog *prog,
			  struct netlink_ext_ack *extack)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	struct net_device *vf = rtnl_dereference(nd->vf);
	int ret;

	if (prog && ndev->mtu > NETVSC_XDP_MTU_MAX) {
		NL_SET_ERR_MSG_MOD(extack,
				   "MTU too large for XDP: a frame must fit a page with XDP headroom");
		netdev_err(ndev, "XDP refused: MTU %u is above %lu\n",
			   ndev->mtu, (unsigned long)NETVSC_XDP_MTU_MAX);
		return -EOPNOTSUPP;
	}
	if (prog && (ndev->features & NETIF_F_LRO)) {
		NL_SET_ERR_MSG_MOD(extack, "XDP cannot run with LRO on");
		return -EOPNOTSUPP;
	}
	/* the VF first: when it refuses, nothing changed (a removal goes on) */
	if (vf) {
		ret = netvsc_xdp_vf_set(nd, vf, prog, extack);
		if (ret && prog)
			return ret;
	}
	netvsc_xdp_publish(nd, prog);
	return 0;
}

int netvsc_bpf(struct net_device *ndev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return netvsc_xdp_set(ndev, bpf->prog, bpf->extack);
#ifdef HAVE_XDP_QUERY_PROG
	case XDP_QUERY_PROG: {
		struct netvsc_dev *nd = netdev_priv(ndev);

		bpf->prog_id = nd->xdp_prog ? nd->xdp_prog->aux->id : 0;
		return 0;
	}
#endif
	default:
		return -EINVAL;
	}
}

/*
 * Send a copy of a frame on queue q through the normal send path, under
 * the queue's lock; *counter (of that queue) counts it.  False when it
 * could not be sent.
 */
static bool netvsc_xdp_send(struct netvsc_dev *nd, u16 q, const void *data,
			    u32 len, u64 *counter)
{
	struct net_device *ndev = nd->ndev;
	struct netdev_queue *txq = netdev_get_tx_queue(ndev, q);
	netdev_tx_t ret = NETDEV_TX_BUSY;
	struct sk_buff *skb;

	if (len < ETH_HLEN || !READ_ONCE(nd->tx_up))
		return false;
	skb = netdev_alloc_skb(ndev, len);
	if (!skb)
		return false;
	skb_put_data(skb, data, len);
	skb->protocol = ((const struct ethhdr *)data)->h_proto;
	skb_set_queue_mapping(skb, q);
	__netif_tx_lock(txq, smp_processor_id());
	if (!netif_xmit_frozen_or_stopped(txq))
		ret = netvsc_start_xmit(skb, ndev);
	if (ret == NETDEV_TX_OK)
		(*counter)++;
	__netif_tx_unlock(txq);
	if (ret != NETDEV_TX_OK) {
		kfree_skb(skb);
		return false;
	}
	return true;
}

/*
 * Frames redirected to this NIC.  Each is copied into an skb and freed
 * here, sent or not, and all n are reported as taken: right both for
 * kernels whose core frees the frames a driver does not take and for
 * those (before v5.13) where the driver frees what it drops.
 */
int netvsc_xdp_xmit(struct net_device *ndev, int n, struct xdp_frame **frames,
		    u32 flags)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	struct netvsc_chan *c;
	u32 nq = READ_ONCE(nd->num_queues);
	u16 q;
	int i;

	if (flags & ~XDP_XMIT_FLAGS_MASK)
		return -EINVAL;
	if (!READ_ONCE(nd->tx_up) || !nq)
		return -ENETDOWN;
	q = smp_processor_id() % nq;
	c = nd->chan[q];
	for (i = 0; i < n; i++) {
		if (!netvsc_xdp_send(nd, q, frames[i]->data, frames[i]->len,
				     &c->xdp_xmit))
			netvsc_count(nd, NETVSC_ERR_TX_DROPPED);
		xdp_return_frame(frames[i]);
	}
	return n;
}

/* The frame of an XDP_PASS, back in skb (or a new skb when it changed size). */
static struct sk_buff *netvsc_xdp_pass(struct netvsc_chan *c,
				       struct sk_buff *skb,
				       const struct xdp_buff *xdp, u32 len)
{
	struct net_device *ndev = c->nd->ndev;
	u32 nlen = xdp->data_end - xdp->data;
	struct sk_buff *nskb;

	if (nlen == len) {
		/* same size: the program may have rewritten bytes */
		memcpy(skb->data, xdp->data, len);
		skb->protocol = eth_type_trans(skb, ndev);
		return skb;
	}
	nskb = netdev_alloc_skb_ip_align(ndev, nlen);
	if (!nskb || nlen < ETH_HLEN) {
		kfree_skb(nskb);
		kfree_skb(skb);
		netvsc_count(c->nd, NETVSC_ERR_RX_NOMEM);
		return NULL;
	}
	skb_put_data(nskb, xdp->data, nlen);
	nskb->protocol = eth_type_trans(nskb, ndev);
	if (skb_vlan_tag_present(skb))
		__vlan_hwaccel_put_tag(nskb, skb->vlan_proto,
				       skb_vlan_tag_get(skb));
	skb_record_rx_queue(nskb, c->q);
	consume_skb(skb);
	return nskb;
}

/*
 * Run the channel's program, if any, on a received frame (skb after
 * eth_type_trans()).  Returns the skb for the stack, or NULL when the
 * program took the frame; *flush is set after a redirect.  NAPI poll,
 * under rcu_read_lock().
 */
struct sk_buff *netvsc_xdp_rx(struct netvsc_chan *c, struct sk_buff *skb,
			      bool *flush)
{
	struct bpf_prog *prog = rcu_dereference(c->xdp_prog);
	struct net_device *ndev = c->nd->ndev;
	struct xdp_buff xdp;
	struct page *page;
	u8 *start;
	u32 len, act;

	if (!prog)
		return skb;
	__skb_push(skb, ETH_HLEN);
	len = skb->len;
	if (len > NETVSC_XDP_FRAME_MAX) {
		/* e.g. coalesced by the host (RSC): never past the program */
		netvsc_count(c->nd, NETVSC_ERR_XDP_TOO_BIG);
		kfree_skb(skb);
		return NULL;
	}
	page = dev_alloc_page();
	if (!page) {
		netvsc_count(c->nd, NETVSC_ERR_RX_NOMEM);
		kfree_skb(skb);
		return NULL;
	}
	start = page_address(page);
	memcpy(start + XDP_PACKET_HEADROOM, skb->data, len);
	netvsc_xdp_buff(&xdp, PAGE_SIZE, &c->xdp_rxq, start,
			XDP_PACKET_HEADROOM, len);

	act = bpf_prog_run_xdp(prog, &xdp);
	switch (act) {
	case XDP_PASS:
		skb = netvsc_xdp_pass(c, skb, &xdp, len);
		put_page(page);
		return skb;
	case XDP_TX:
		if (netvsc_xdp_send(c->nd, c->q, xdp.data,
				    xdp.data_end - xdp.data, &c->xdp_tx)) {
			put_page(page);
			consume_skb(skb);
			return NULL;
		}
		trace_xdp_exception(ndev, prog, act);
		break;
	case XDP_REDIRECT:
		if (!xdp_do_redirect(ndev, &xdp, prog)) {
			/* the page is the target's now */
			c->xdp_redirect++;
			*flush = true;
			consume_skb(skb);
			return NULL;
		}
		trace_xdp_exception(ndev, prog, act);
		break;
	default:
		netvsc_warn_xdp_action(ndev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(ndev, prog, act);
		break;
	case XDP_DROP:
		break;
	}
	c->xdp_drop++;
	put_page(page);
	kfree_skb(skb);
	return NULL;
}

void netvsc_xdp_flush(void)
{
	xdp_do_flush();
}

#else /* !HAVE_XDP_NDO_BPF: the kernel has no XDP API this driver uses */

struct sk_buff *netvsc_xdp_rx(struct netvsc_chan *c, struct sk_buff *skb,
			      bool *flush)
{
	return skb;
}

void netvsc_xdp_flush(void)
{
}

bool netvsc_xdp_mtu_ok(struct netvsc_dev *nd, u32 mtu)
{
	return true;
}

int netvsc_xdp_rxq_init(struct netvsc_chan *c)
{
	return 0;
}

void netvsc_xdp_rxq_fini(struct netvsc_chan *c)
{
}

void netvsc_xdp_release(struct netvsc_dev *nd)
{
}

void netvsc_xdp_setup_dev(struct net_device *ndev)
{
}

void netvsc_xdp_vf_join(struct netvsc_dev *nd, struct net_device *vf)
{
}

void netvsc_xdp_vf_release(struct netvsc_dev *nd, struct net_device *vf)
{
}

#endif /* HAVE_XDP_NDO_BPF */
