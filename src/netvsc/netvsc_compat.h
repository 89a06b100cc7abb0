/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Networking-layer differences hv_netvsc meets, keyed on probe results
 * (src/compat/probes/<name>.c; never on version numbers):
 *
 *  HAVE_NETIF_NAPI_ADD_WEIGHT    netif_napi_add() takes no weight (v6.1)
 *  HAVE_NETDEV_ETH_HW_ADDR_SET   eth_hw_addr_set() (v5.15)
 *  HAVE_NETDEV_TSO_MAX_SIZE      netif_set_tso_max_size() (v5.19)
 *  HAVE_SKB_PUT_DATA             skb_put_data() (v4.13)
 *  HAVE_SKB_FRAG_OFF             skb_frag_off() (v5.4)
 *  HAVE_NAPI_COMPLETE_DONE_BOOL  napi_complete_done() says whether NAPI
 *                                really completed (v4.10; before: void,
 *                                always completed)
 *  HAVE_NETDEV_MIN_MAX_MTU       the core checks dev->min_mtu/max_mtu
 *                                (v4.10); the driver checks the range in
 *                                ndo_change_mtu on every kernel anyway
 *  HAVE_NDO_GET_STATS64_VOID     ndo_get_stats64 returns void (v4.11)
 *  HAVE_ETHTOOL_KERNEL_RINGPARAM get/set_ringparam take a
 *                                kernel_ethtool_ringparam and an extack
 *                                (v5.17)
 *  HAVE_ETHTOOL_RXFH_PARAM       get/set_rxfh take a struct
 *                                ethtool_rxfh_param (v6.8); before:
 *                                indir, key, hfunc (v4.0)
 *  HAVE_NETIF_IS_RXFH_CONFIGURED the core marks a user-set RSS table
 *                                (IFF_RXFH_CONFIGURED); without it the
 *                                driver spreads its table anew at every
 *                                channel count change
 *  HAVE_NDO_SELECT_QUEUE_SB_DEV  ndo_select_queue(dev, skb, sb_dev) (v5.2)
 *  HAVE_NDO_SELECT_QUEUE_FALLBACK_SB_DEV
 *                                ndo_select_queue(dev, skb, sb_dev,
 *                                fallback) (v4.19-v5.1); before:
 *                                (dev, skb, accel_priv, fallback)
 *  HAVE_NDO_CHANGE_MTU_EXTENDED  RHEL 7.5+: ->ndo_change_mtu is in
 *                                net_device_ops.extended, announced by
 *                                ndo_size (netvsc_main.c)
 *  HAVE_XDP_NDO_BPF              the XDP driver API (ndo_bpf, xdp_rxq_info
 *                                memory models, ndo_xdp_xmit with frames
 *                                and flags: v4.18); without it no XDP
 *  HAVE_XDP_QUERY_PROG           ndo_bpf answers XDP_QUERY_PROG (v4.13-v5.8)
 *  HAVE_NETDEV_NOTIFIER_INFO_TO_DEV  netdevice notifiers get a
 *                                netdev_notifier_info (v3.11); before: the
 *                                net_device itself
 *  HAVE_NETDEV_MASTER_UPPER_DEV_LINK_EXTACK
 *                                netdev_master_upper_dev_link(dev, upper,
 *                                priv, info, extack) (v4.15)
 *  HAVE_NETDEV_MASTER_UPPER_DEV_LINK_INFO
 *                                (dev, upper, priv, info) (v4.5; RHEL 7's
 *                                _rh form); before: (dev, upper)
 *  HAVE_DEV_OPEN_EXTACK          dev_open(dev, extack) (v5.0)
 *  HAVE_NETDEV_LOCKDEP_SET_CLASSES
 *                                netdev_lockdep_set_classes() (v4.8; RHEL
 *                                7.9 has it)
 *  HAVE_XDP_INIT_BUFF            xdp_init_buff()/xdp_prepare_buff() (v5.12):
 *                                netvsc_xdp_buff() sets the fields before
 *  HAVE_XDP_BUFF_FRAME_SZ        xdp_buff.frame_sz (v5.8)
 *  HAVE_XDP_RXQ_INFO_REG_NAPI_ID xdp_rxq_info_reg() takes a napi_id (v5.11)
 *  HAVE_XDP_DO_FLUSH             xdp_do_flush(); before: xdp_do_flush_map()
 *                                (v5.6)
 *  HAVE_BPF_WARN_INVALID_XDP_ACTION_DEV
 *                                bpf_warn_invalid_xdp_action(dev, prog,
 *                                act) (v5.17); before: (act)
 *  HAVE_NETDEV_XDP_FEATURES      net_device.xdp_features (v6.3)
 *  HAVE_BPF_PROG_INC_VOID        bpf_prog_inc() returns void (v5.7);
 *                                before: the program or ERR_PTR(-EBUSY)
 *
 * Callbacks whose signature changed are written in one form, taking only
 * what every kernel passes, and DEFINE_NETVSC_*(fn) adds fn_op with the
 * signature of the kernel being built for.
 */
#ifndef NETVSC_COMPAT_H
#define NETVSC_COMPAT_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/ethtool.h>
#include <linux/string.h>

#ifdef HAVE_NETIF_NAPI_ADD_WEIGHT
#define netvsc_napi_add(dev, napi, poll) netif_napi_add(dev, napi, poll)
#else
#define netvsc_napi_add(dev, napi, poll) netif_napi_add(dev, napi, poll, 64)
#endif

#ifdef HAVE_NETDEV_ETH_HW_ADDR_SET
#define netvsc_set_mac(dev, addr) eth_hw_addr_set(dev, addr)
#else
#define netvsc_set_mac(dev, addr) memcpy((dev)->dev_addr, addr, ETH_ALEN)
#endif

#ifdef HAVE_NETDEV_TSO_MAX_SIZE
#define netvsc_set_tso_max(dev, size) netif_set_tso_max_size(dev, size)
#else
#define netvsc_set_tso_max(dev, size) netif_set_gso_max_size(dev, size)
#endif

/* largest GSO packet a driver may take without opting in to more */
#ifdef GSO_LEGACY_MAX_SIZE
#define NETVSC_GSO_MAX GSO_LEGACY_MAX_SIZE
#else
#define NETVSC_GSO_MAX 65536u
#endif

#ifndef HAVE_SKB_PUT_DATA
#define skb_put_data(skb, data, len) ({					\
	struct sk_buff *___netvsc_skb = (skb);				\
	unsigned int ___netvsc_len = (len);				\
	void *___netvsc_p = skb_put(___netvsc_skb, ___netvsc_len);	\
	memcpy(___netvsc_p, (data), ___netvsc_len);			\
	___netvsc_p;							\
})
#endif

#ifndef HAVE_SKB_FRAG_OFF
#define skb_frag_off(frag) ((frag)->page_offset)
#endif

/* true when NAPI completed (false: a busy poller owns it, keep going) */
#ifdef HAVE_NAPI_COMPLETE_DONE_BOOL
#define netvsc_napi_complete_done(napi, done) napi_complete_done(napi, done)
#else
#define netvsc_napi_complete_done(napi, done) \
	({ napi_complete_done(napi, done); true; })
#endif

#ifdef HAVE_NETDEV_MIN_MAX_MTU
#define netvsc_set_mtu_range(dev, lo, hi) \
	do { (dev)->min_mtu = (lo); (dev)->max_mtu = (hi); } while (0)
#else
#define netvsc_set_mtu_range(dev, lo, hi) do { } while (0)
#endif

/* void fn(struct net_device *, struct rtnl_link_stats64 *) -> fn##_op */
#ifdef HAVE_NDO_GET_STATS64_VOID
#define DEFINE_NETVSC_GET_STATS64(fn)					\
static void fn##_op(struct net_device *ndev, struct rtnl_link_stats64 *s) \
{									\
	fn(ndev, s);							\
}
#else
#define DEFINE_NETVSC_GET_STATS64(fn)					\
static struct rtnl_link_stats64 *fn##_op(struct net_device *ndev,	\
					 struct rtnl_link_stats64 *s)	\
{									\
	fn(ndev, s);							\
	return s;							\
}
#endif

/*
 * void get(struct net_device *, struct ethtool_ringparam *) -> get##_op,
 * int set(struct net_device *, struct ethtool_ringparam *) -> set##_op
 */
#ifdef HAVE_ETHTOOL_KERNEL_RINGPARAM
#define DEFINE_NETVSC_GET_RINGPARAM(fn)					\
static void fn##_op(struct net_device *ndev, struct ethtool_ringparam *r, \
		    struct kernel_ethtool_ringparam *kr,		\
		    struct netlink_ext_ack *extack)			\
{									\
	fn(ndev, r);							\
}
#define DEFINE_NETVSC_SET_RINGPARAM(fn)					\
static int fn##_op(struct net_device *ndev, struct ethtool_ringparam *r, \
		   struct kernel_ethtool_ringparam *kr,			\
		   struct netlink_ext_ack *extack)			\
{									\
	return fn(ndev, r);						\
}
#else
#define DEFINE_NETVSC_GET_RINGPARAM(fn)					\
static void fn##_op(struct net_device *ndev, struct ethtool_ringparam *r) \
{									\
	fn(ndev, r);							\
}
#define DEFINE_NETVSC_SET_RINGPARAM(fn)					\
static int fn##_op(struct net_device *ndev, struct ethtool_ringparam *r) \
{									\
	return fn(ndev, r);						\
}
#endif

/* the RSS indirection table was set with ethtool -X (not the default) */
#ifdef HAVE_NETIF_IS_RXFH_CONFIGURED
#define netvsc_rxfh_configured(dev) netif_is_rxfh_configured(dev)
static inline void netvsc_rxfh_forget(struct net_device *dev)
{
	dev->priv_flags &= ~IFF_RXFH_CONFIGURED;
}
#else
#define netvsc_rxfh_configured(dev) ((void)(dev), false)
static inline void netvsc_rxfh_forget(struct net_device *dev)
{
}
#endif

/*
 * int get(struct net_device *, u32 *indir, u8 *key, u8 *hfunc) -> get##_op,
 * int set(struct net_device *, const u32 *indir, const u8 *key, u8 hfunc)
 * -> set##_op
 */
#ifdef HAVE_ETHTOOL_RXFH_PARAM
#define DEFINE_NETVSC_GET_RXFH(fn)					\
static int fn##_op(struct net_device *ndev, struct ethtool_rxfh_param *p) \
{									\
	return fn(ndev, p->indir, p->key, &p->hfunc);			\
}
#define DEFINE_NETVSC_SET_RXFH(fn)					\
static int fn##_op(struct net_device *ndev, struct ethtool_rxfh_param *p, \
		   struct netlink_ext_ack *extack)			\
{									\
	return fn(ndev, p->indir, p->key, p->hfunc);			\
}
#else
#define DEFINE_NETVSC_GET_RXFH(fn)					\
static int fn##_op(struct net_device *ndev, u32 *indir, u8 *key, u8 *hfunc) \
{									\
	return fn(ndev, indir, key, hfunc);				\
}
#define DEFINE_NETVSC_SET_RXFH(fn)					\
static int fn##_op(struct net_device *ndev, const u32 *indir,		\
		   const u8 *key, const u8 hfunc)			\
{									\
	return fn(ndev, indir, key, hfunc);				\
}
#endif

/* ndo_select_queue: netvsc_pick_queue(dev, skb) behind each signature */
#if defined(HAVE_NDO_SELECT_QUEUE_SB_DEV)
#define DEFINE_NETVSC_SELECT_QUEUE(fn)					\
static u16 fn##_op(struct net_device *dev, struct sk_buff *skb,	\
		   struct net_device *sb_dev)				\
{									\
	return fn(dev, skb);						\
}
#elif defined(HAVE_NDO_SELECT_QUEUE_FALLBACK_SB_DEV)
#define DEFINE_NETVSC_SELECT_QUEUE(fn)					\
static u16 fn##_op(struct net_device *dev, struct sk_buff *skb,	\
		   struct net_device *sb_dev,				\
		   select_queue_fallback_t fallback)			\
{									\
	return fn(dev, skb);						\
}
#else
#define DEFINE_NETVSC_SELECT_QUEUE(fn)					\
static u16 fn##_op(struct net_device *dev, struct sk_buff *skb,	\
		   void *accel_priv, select_queue_fallback_t fallback)	\
{									\
	return fn(dev, skb);						\
}
#endif

#ifdef HAVE_XDP_NDO_BPF
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/bpf_trace.h>
#include <net/xdp.h>

#ifdef HAVE_XDP_RXQ_INFO_REG_NAPI_ID
#define netvsc_xdp_rxq_reg(rxq, dev, q) xdp_rxq_info_reg(rxq, dev, q, 0)
#else
#define netvsc_xdp_rxq_reg(rxq, dev, q) xdp_rxq_info_reg(rxq, dev, q)
#endif

#ifndef HAVE_XDP_DO_FLUSH
#define xdp_do_flush() xdp_do_flush_map()
#endif

#ifdef HAVE_BPF_WARN_INVALID_XDP_ACTION_DEV
#define netvsc_warn_xdp_action(dev, prog, act) \
	bpf_warn_invalid_xdp_action(dev, prog, act)
#else
#define netvsc_warn_xdp_action(dev, prog, act) bpf_warn_invalid_xdp_action(act)
#endif

/* one more reference to a program; -EBUSY when its count would overflow */
#ifdef HAVE_BPF_PROG_INC_VOID
static inline int netvsc_bpf_prog_hold(struct bpf_prog *prog)
{
	bpf_prog_inc(prog);
	return 0;
}
#else
static inline int netvsc_bpf_prog_hold(struct bpf_prog *prog)
{
	struct bpf_prog *p = bpf_prog_inc(prog);

	return IS_ERR(p) ? PTR_ERR(p) : 0;
}
#endif

#ifdef HAVE_XDP_BUFF_FRAME_SZ
#define netvsc_xdp_frame_sz(xdp, sz) ((xdp)->frame_sz = (sz))
#else
#define netvsc_xdp_frame_sz(xdp, sz) do { } while (0)
#endif

/* a frame of len bytes at hard + headroom, in a buffer of size bytes */
#ifdef HAVE_XDP_INIT_BUFF
static inline void netvsc_xdp_buff(struct xdp_buff *xdp, u32 size,
				   struct xdp_rxq_info *rxq, u8 *hard,
				   u32 headroom, u32 len)
{
	xdp_init_buff(xdp, size, rxq);
	xdp_prepare_buff(xdp, hard, headroom, len, false);
}
#else
static inline void netvsc_xdp_buff(struct xdp_buff *xdp, u32 size,
				   struct xdp_rxq_info *rxq, u8 *hard,
				   u32 headroom, u32 len)
{
	netvsc_xdp_frame_sz(xdp, size);
	xdp->rxq = rxq;
	xdp->data_hard_start = hard;
	xdp->data = hard + headroom;
	xdp->data_end = hard + headroom + len;
	/* no metadata in front of the frame */
	xdp->data_meta = hard + headroom + 1;
}
#endif
#endif /* HAVE_XDP_NDO_BPF */

/* VF failover (netvsc_vf.c) */
#ifdef HAVE_NETDEV_NOTIFIER_INFO_TO_DEV
#define netvsc_notifier_dev(ptr) netdev_notifier_info_to_dev(ptr)
#else
#define netvsc_notifier_dev(ptr) ((struct net_device *)(ptr))
#endif

static inline int netvsc_upper_link(struct net_device *dev,
				    struct net_device *upper)
{
#if defined(HAVE_NETDEV_MASTER_UPPER_DEV_LINK_EXTACK)
	return netdev_master_upper_dev_link(dev, upper, NULL, NULL, NULL);
#elif defined(HAVE_NETDEV_MASTER_UPPER_DEV_LINK_INFO)
	return netdev_master_upper_dev_link(dev, upper, NULL, NULL);
#else
	return netdev_master_upper_dev_link(dev, upper);
#endif
}

#ifdef HAVE_DEV_OPEN_EXTACK
#define netvsc_dev_open(dev) dev_open(dev, NULL)
#else
#define netvsc_dev_open(dev) dev_open(dev)
#endif

/*
 * The NIC transmits through its VF from inside its own transmit lock, and
 * syncs its address lists into the VF's under its own list lock: lockdep
 * must see our locks as a class of their own, not as the Ethernet class
 * the VF's locks are in (a stacked device, as bonding and vlan).
 */
#ifdef HAVE_NETDEV_LOCKDEP_SET_CLASSES
#define netvsc_lockdep_set_classes(dev) netdev_lockdep_set_classes(dev)
#else
static inline void netvsc_lockdep_set_classes(struct net_device *dev)
{
	static struct lock_class_key xmit_key, addr_list_key;
	unsigned int i;

	lockdep_set_class(&dev->addr_list_lock, &addr_list_key);
	for (i = 0; i < dev->num_tx_queues; i++)
		lockdep_set_class(&netdev_get_tx_queue(dev, i)->_xmit_lock,
				  &xmit_key);
}
#endif

#endif /* NETVSC_COMPAT_H */
