// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_netvsc: VF failover (accelerated networking).
 *
 * The host may pair a synthetic NIC with a PCI virtual function of the
 * same MAC address (NVSP VF_ASSOCIATION {allocated, serial}).  The VF
 * becomes the slave of our netdev: its frames are handed to our netdev by
 * an rx_handler, we transmit through it while it is up, and the host is
 * told which data path the guest uses (SWITCH_DATA_PATH): the VF once it
 * is running, the synthetic one before it goes down or away.  The VF
 * also takes our promiscuous/allmulti modes and our XDP program, and
 * lends us its TSO limit while transmit goes through it.
 *
 * Locking: the list of our NICs, nd->vf, nd->vf_fresh, nd->vf_rx_flags,
 * nd->vf_xdp and the switches are under RTNL (every notifier event used
 * here comes with RTNL held);
 * nd->vf is read under RCU by transmit and published with
 * rcu_assign_pointer(); vf_alloc/vf_serial come from the channel callback
 * and dp_vf is read locklessly by transmit (READ_ONCE/WRITE_ONCE).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netpoll.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>

#include "netvsc.h"

/* Our NICs that take a VF; RTNL */
static LIST_HEAD(netvsc_vf_list);

static void netvsc_vf_count(struct netvsc_dev *nd, enum netvsc_err e, u64 n)
{
	atomic64_add(n, &nd->err[e]);
}

/* The PCI device behind @dev, walking up its parents (virtio: two up). */
static struct pci_dev *netvsc_vf_pci(const struct net_device *dev)
{
#ifdef CONFIG_PCI
	struct device *p;

	for (p = dev->dev.parent; p; p = p->parent)
		if (p->bus == &pci_bus_type)
			return to_pci_dev(p);
#endif
	return NULL;
}

/*
 * Could @dev be a VF at all: an Ethernet netdev of another driver, not a
 * VLAN or bond on top of a NIC (same MAC), backed by a PCI device.
 */
static bool netvsc_vf_candidate(struct net_device *dev)
{
	return !netvsc_is_netvsc(dev) && dev->type == ARPHRD_ETHER &&
	       dev->addr_len == ETH_ALEN && !is_vlan_dev(dev) &&
	       !netif_is_bond_master(dev) && netvsc_vf_pci(dev);
}

static bool netvsc_vf_mac_ok(const struct netvsc_dev *nd,
			     const struct net_device *dev)
{
	const u8 *mac = nd->ndev->perm_addr;

	return ether_addr_equal(dev->perm_addr, mac) ||
	       ether_addr_equal(dev->dev_addr, mac);
}

/*
 * The slot of a VF on Hyper-V's PCI bus is named by its serial number,
 * the one VF_ASSOCIATION carries; elsewhere there may be no slot, or one
 * named otherwise (ACPI hotplug slots are numbered too).
 */
static bool netvsc_vf_serial_ok(const struct netvsc_dev *nd,
				struct net_device *dev)
{
	struct pci_dev *pdev = netvsc_vf_pci(dev);
	u32 serial;

	if (!pdev || !pdev->slot || !READ_ONCE(nd->vf_alloc) ||
	    kstrtou32(pci_slot_name(pdev->slot), 10, &serial))
		return false;
	return serial == READ_ONCE(nd->vf_serial);
}

/*
 * Which of our NICs takes @dev: the one whose offered serial names its
 * slot (and with the same MAC), else the first with its MAC (the
 * kernel's driver does the same).  Only NICs without a VF.  RTNL.
 */
static struct netvsc_dev *netvsc_vf_find_nd(struct net_device *dev,
					    bool *by_serial)
{
	struct netvsc_dev *nd;

	list_for_each_entry(nd, &netvsc_vf_list, vf_node)
		if (!rtnl_dereference(nd->vf) && netvsc_vf_mac_ok(nd, dev) &&
		    netvsc_vf_serial_ok(nd, dev)) {
			*by_serial = true;
			return nd;
		}
	list_for_each_entry(nd, &netvsc_vf_list, vf_node)
		if (!rtnl_dereference(nd->vf) && netvsc_vf_mac_ok(nd, dev)) {
			*by_serial = false;
			return nd;
		}
	return NULL;
}

/* The NIC @dev is the joined VF of; RTNL. */
static struct netvsc_dev *netvsc_vf_owner(struct net_device *dev)
{
	struct netvsc_dev *nd;

	list_for_each_entry(nd, &netvsc_vf_list, vf_node)
		if (rtnl_dereference(nd->vf) == dev)
			return nd;
	return NULL;
}

/* A free candidate for @nd in any namespace, held; RTNL. */
static struct net_device *netvsc_vf_scan(struct netvsc_dev *nd)
{
	struct net_device *dev, *found = NULL;
	struct netvsc_dev *who;
	struct net *net;
	bool by_serial;

	rcu_read_lock();
	for_each_net_rcu(net) {
		for_each_netdev_rcu(net, dev) {
			if (!netvsc_vf_candidate(dev) ||
			    netdev_master_upper_dev_get(dev))
				continue;
			who = netvsc_vf_find_nd(dev, &by_serial);
			if (who != nd)
				continue;
			dev_hold(dev);
			found = dev;
			goto out;
		}
	}
out:
	rcu_read_unlock();
	return found;
}

/* Frames the VF received are our netdev's (softirq, RCU). */
static rx_handler_result_t netvsc_vf_rx(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct netvsc_dev *nd = rcu_dereference(skb->dev->rx_handler_data);

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	*pskb = skb;
	skb->dev = nd->ndev;
	netvsc_vf_count(nd, NETVSC_ERR_VF_RX_PACKETS, 1);
	netvsc_vf_count(nd, NETVSC_ERR_VF_RX_BYTES, skb->len);
	return RX_HANDLER_ANOTHER;
}

/*
 * Transmit through the VF when the data path is on it and it can send
 * (as the kernel's driver: running, carrier, no netpoll).  Returns false
 * when the frame is for the synthetic path.  ndo_start_xmit: RCU-bh.
 */
bool netvsc_vf_xmit(struct netvsc_dev *nd, struct sk_buff *skb)
{
	struct net_device *vf;
	unsigned int len = skb->len;
	int rc;

	if (!READ_ONCE(nd->dp_vf))
		return false;
	vf = rcu_dereference_bh(nd->vf);
	if (!vf || !netif_running(vf) || !netif_carrier_ok(vf) ||
	    netpoll_tx_running(nd->ndev))
		return false;
	skb->dev = vf;
	rc = dev_queue_xmit(skb);
	if (rc == NET_XMIT_SUCCESS || rc == NET_XMIT_CN) {
		netvsc_vf_count(nd, NETVSC_ERR_VF_TX_PACKETS, 1);
		netvsc_vf_count(nd, NETVSC_ERR_VF_TX_BYTES, len);
	} else {
		netvsc_vf_count(nd, NETVSC_ERR_VF_TX_DROPPED, 1);
	}
	return true;
}

/*
 * Tell the host the data path we use: the VF while it runs and the host
 * offers one, else synthetic.  Transmit leaves the VF before the host is
 * told (a VF going down must not get frames).  RTNL.
 */
static void __netvsc_vf_sync(struct netvsc_dev *nd, bool going_down)
{
	struct net_device *vf = rtnl_dereference(nd->vf);
	bool want = vf && !going_down && netif_running(vf) &&
		    READ_ONCE(nd->vf_alloc) && nd->rndis_up;
	int ret;

	if (want == READ_ONCE(nd->dp_vf))
		return;
	if (!want)
		WRITE_ONCE(nd->dp_vf, false);
	if (!nd->rndis_up)
		return;
	ret = netvsc_switch_datapath(nd, want);
	if (ret) {
		netdev_err(nd->ndev, "data path switch to %s failed (%d); synthetic\n",
			   want ? "the VF" : "synthetic", ret);
		return;
	}
	if (want)
		WRITE_ONCE(nd->dp_vf, true);
	netvsc_vf_count(nd, want ? NETVSC_ERR_VF_TO_VF : NETVSC_ERR_VF_TO_SYNTH,
			1);
	netdev_info(nd->ndev, "data path switched %s VF %s\n",
		    want ? "to" : "from", vf ? vf->name : "(gone)");
}

/*
 * The VF is promiscuous (allmulti) while we are, as the kernel's driver:
 * it holds one count of each flag of ours, and nd->vf_rx_flags says
 * which, so that the release takes back exactly what was given.  RTNL.
 */
static void netvsc_vf_set_rx_flags(struct netvsc_dev *nd,
				   struct net_device *vf, unsigned int want)
{
	unsigned int change = (nd->vf_rx_flags ^ want) &
			      (IFF_PROMISC | IFF_ALLMULTI);

	if ((change & IFF_PROMISC) &&
	    !dev_set_promiscuity(vf, want & IFF_PROMISC ? 1 : -1))
		nd->vf_rx_flags ^= IFF_PROMISC;
	if ((change & IFF_ALLMULTI) &&
	    !dev_set_allmulti(vf, want & IFF_ALLMULTI ? 1 : -1))
		nd->vf_rx_flags ^= IFF_ALLMULTI;
}

/*
 * While transmit goes through the VF our TSO limit is the VF's, else the
 * host's, as the kernel's driver (a bond over us and the VF takes the
 * smaller limit of its members).  Only where the core has a TSO limit
 * apart from the GSO one (v5.19): older kernels keep the host's.  RTNL.
 */
static void netvsc_vf_tso_max(struct netvsc_dev *nd)
{
#ifdef HAVE_NETDEV_TSO_MAX_SIZE
	struct net_device *vf = rtnl_dereference(nd->vf);
	unsigned int max = nd->tso_max_host;

	if (vf && READ_ONCE(nd->dp_vf))
		max = vf->tso_max_size;
	if (nd->ndev->tso_max_size != max)
		netif_set_tso_max_size(nd->ndev, max);
#endif
}

static void netvsc_vf_sync(struct netvsc_dev *nd, bool going_down)
{
	__netvsc_vf_sync(nd, going_down);
	netvsc_vf_tso_max(nd);
}

static void netvsc_vf_join(struct netvsc_dev *nd, struct net_device *vf,
			   bool by_serial)
{
	struct net_device *ndev = nd->ndev;
	int ret;

	ret = netdev_rx_handler_register(vf, netvsc_vf_rx, nd);
	if (ret) {
		netdev_err(ndev, "VF %s: receive handler not registered (%d)\n",
			   vf->name, ret);
		return;
	}
	ret = netvsc_upper_link(vf, ndev);
	if (ret) {
		netdev_rx_handler_unregister(vf);
		netdev_err(ndev, "VF %s: not linked as a slave (%d)\n",
			   vf->name, ret);
		return;
	}
	/* a slave: no IPv6 addrconf of its own when it comes up */
	vf->flags |= IFF_SLAVE;
	dev_hold(vf);
	rcu_assign_pointer(nd->vf, vf);
	nd->vf_fresh = true;
	if (by_serial)
		netdev_info(ndev, "VF %s joined (serial %u)\n", vf->name,
			    READ_ONCE(nd->vf_serial));
	else
		netdev_info(ndev, "VF %s joined (MAC %pM)\n", vf->name,
			    vf->dev_addr);
}

/*
 * Release the VF: the data path back to synthetic first when
 * @switch_back, then the receive handler and the link.  RTNL.
 */
static void netvsc_vf_unjoin(struct netvsc_dev *nd, struct net_device *vf,
			     bool switch_back)
{
	if (switch_back)
		netvsc_vf_sync(nd, true);
	WRITE_ONCE(nd->dp_vf, false);
	netdev_rx_handler_unregister(vf);
	netdev_upper_dev_unlink(vf, nd->ndev);
	vf->flags &= ~IFF_SLAVE;
	dev_uc_unsync(vf, nd->ndev);
	dev_mc_unsync(vf, nd->ndev);
	netvsc_vf_set_rx_flags(nd, vf, 0);
	/* a count the VF refused to give back stays with it, not with us */
	nd->vf_rx_flags = 0;
	netvsc_xdp_vf_release(nd, vf);
	RCU_INIT_POINTER(nd->vf, NULL);
	nd->vf_fresh = false;
	netvsc_vf_tso_max(nd);
	synchronize_net();	/* transmit no longer sees it */
	dev_put(vf);
	netdev_info(nd->ndev, "VF %s released\n", vf->name);
}

/*
 * The VF goes where our netdev is (as the kernel's driver), unless that
 * namespace is being dismantled (ours is then moved to the initial one,
 * and the VF follows from there).  RTNL.
 */
static void netvsc_vf_move(struct netvsc_dev *nd, struct net_device *vf)
{
	struct net *net = maybe_get_net(dev_net(nd->ndev));
	int ret;

	if (!net)
		return;
	ret = dev_change_net_namespace(vf, net, "eth%d");
	put_net(net);
	if (ret)
		netdev_err(nd->ndev, "VF %s not moved to our namespace (%d)\n",
			   vf->name, ret);
}

/*
 * Finds, moves and joins a VF, sets a new one up (MTU, address lists,
 * opened when we are up) and switches the data path.  Namespace moves
 * and dev_open() are done here, not from the notifier.
 */
void netvsc_vf_work(struct work_struct *w)
{
	struct netvsc_dev *nd = container_of(w, struct netvsc_dev, vf_work);
	struct net_device *ndev = nd->ndev, *vf;
	bool by_serial = false;
	int ret;

	rtnl_lock();
	if (!nd->vf_listed)
		goto out;
	vf = rtnl_dereference(nd->vf);
	if (vf && !net_eq(dev_net(vf), dev_net(ndev))) {
		/* unjoined by its UNREGISTER, joined again after */
		netvsc_vf_move(nd, vf);
		goto out;
	}
	if (!vf) {
		vf = netvsc_vf_scan(nd);
		if (!vf)
			goto sync;
		netvsc_vf_find_nd(vf, &by_serial);
		if (!net_eq(dev_net(vf), dev_net(ndev)))
			netvsc_vf_move(nd, vf);
		else
			netvsc_vf_join(nd, vf, by_serial);
		dev_put(vf);
		vf = rtnl_dereference(nd->vf);
	}
	if (vf && nd->vf_fresh) {
		nd->vf_fresh = false;
		if (vf->mtu != ndev->mtu && dev_set_mtu(vf, ndev->mtu))
			netdev_warn(ndev, "VF %s: MTU %u not taken\n", vf->name,
				    ndev->mtu);
		netif_addr_lock_bh(ndev);
		dev_uc_sync(vf, ndev);
		dev_mc_sync(vf, ndev);
		netif_addr_unlock_bh(ndev);
		netvsc_vf_set_rx_flags(nd, vf, ndev->flags);
		netvsc_xdp_vf_join(nd, vf);
		if (netif_running(ndev)) {
			ret = netvsc_dev_open(vf);
			if (ret)
				netdev_warn(ndev, "VF %s does not open (%d)\n",
					    vf->name, ret);
		}
	}
sync:
	netvsc_vf_sync(nd, false);
out:
	rtnl_unlock();
}

static int netvsc_vf_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netvsc_notifier_dev(ptr);
	struct netvsc_dev *nd;
	bool by_serial;

	if (netvsc_is_netvsc(dev)) {
		/* registered in a namespace: the VF follows */
		nd = netdev_priv(dev);
		if (event == NETDEV_REGISTER && nd->vf_listed)
			schedule_work(&nd->vf_work);
		return NOTIFY_DONE;
	}
	if (!netvsc_vf_candidate(dev))
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_REGISTER:
		nd = netvsc_vf_find_nd(dev, &by_serial);
		if (nd)
			schedule_work(&nd->vf_work);
		break;
	case NETDEV_UNREGISTER:
		nd = netvsc_vf_owner(dev);
		if (nd)
			netvsc_vf_unjoin(nd, dev, true);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
	case NETDEV_GOING_DOWN:
		nd = netvsc_vf_owner(dev);
		if (nd)
			netvsc_vf_sync(nd, event == NETDEV_GOING_DOWN);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block netvsc_vf_notifier = {
	.notifier_call = netvsc_vf_event,
};

/* VF_ASSOCIATION from the host (channel callback, length checked). */
void netvsc_vf_assoc(struct netvsc_dev *nd, u32 allocated, u32 serial)
{
	WRITE_ONCE(nd->vf_serial, serial);
	WRITE_ONCE(nd->vf_alloc, !!allocated);
	dev_info(&nd->hdev->device, "host %s VF serial %u\n",
		 allocated ? "offers" : "removed", serial);
	schedule_work(&nd->vf_work);
}

/*
 * SWITCH_DATA_PATH from the host: it moved the data path back to
 * synthetic itself (OpenVMM does when the VF goes away while in use).
 * Transmit leaves the VF; the next VF event or association decides again.
 */
void netvsc_vf_host_switch(struct netvsc_dev *nd, u32 path)
{
	if (path != NVSP_DATAPATH_SYNTHETIC) {
		netvsc_reject(nd, NETVSC_ERR_BAD_NVSP, 0,
			      "host switched the data path to the VF");
		return;
	}
	WRITE_ONCE(nd->dp_vf, false);
	netvsc_vf_count(nd, NETVSC_ERR_VF_HOST_SYNTH, 1);
	dev_info(&nd->hdev->device, "host switched the data path to synthetic\n");
}

/* ndo_open / ndo_stop: the VF follows our netdev (RTNL). */
void netvsc_vf_open(struct netvsc_dev *nd)
{
	struct net_device *vf = rtnl_dereference(nd->vf);
	int ret;

	if (vf) {
		ret = netvsc_dev_open(vf);
		if (ret)
			netdev_warn(nd->ndev, "VF %s does not open (%d)\n",
				    vf->name, ret);
	}
}

void netvsc_vf_close(struct netvsc_dev *nd)
{
	struct net_device *vf = rtnl_dereference(nd->vf);

	if (vf)
		dev_close(vf);
}

/* ndo_set_rx_mode (address lock held, BH off): the VF's lists follow. */
void netvsc_vf_rx_mode(struct netvsc_dev *nd)
{
	struct net_device *vf;

	rcu_read_lock();
	vf = rcu_dereference(nd->vf);
	if (vf) {
		dev_uc_sync(vf, nd->ndev);
		dev_mc_sync(vf, nd->ndev);
	}
	rcu_read_unlock();
}

/*
 * ndo_change_rx_flags: our IFF_PROMISC or IFF_ALLMULTI changed (the core
 * calls it under RTNL, from dev_set_promiscuity()/dev_set_allmulti()).
 */
void netvsc_vf_rx_flags(struct netvsc_dev *nd)
{
	struct net_device *vf = rtnl_dereference(nd->vf);

	if (vf && !nd->vf_fresh)
		netvsc_vf_set_rx_flags(nd, vf, nd->ndev->flags);
}

/* After an MTU change (RTNL). */
void netvsc_vf_mtu(struct netvsc_dev *nd)
{
	struct net_device *vf = rtnl_dereference(nd->vf);

	if (vf && vf->mtu != nd->ndev->mtu && dev_set_mtu(vf, nd->ndev->mtu))
		netdev_warn(nd->ndev, "VF %s: MTU %u not taken\n", vf->name,
			    nd->ndev->mtu);
}

/*
 * A new connection (reconnect): the host starts on the synthetic path
 * and offers the VF again after RNDIS initialization.
 */
void netvsc_vf_reset(struct netvsc_dev *nd)
{
	WRITE_ONCE(nd->dp_vf, false);
	WRITE_ONCE(nd->vf_alloc, false);
}

/* After register_netdev(): take VF events, look for one already there. */
void netvsc_vf_add(struct netvsc_dev *nd)
{
	rtnl_lock();
	list_add_tail(&nd->vf_node, &netvsc_vf_list);
	nd->vf_listed = true;
	rtnl_unlock();
	schedule_work(&nd->vf_work);
}

/*
 * Before unregister_netdev(): no VF events any more, the VF released
 * (without a data path switch, as the kernel's driver: the connection
 * goes away).  The work is cancelled by netvsc_vf_fini() once the
 * channel is closed (an association could schedule it until then).
 */
void netvsc_vf_del(struct netvsc_dev *nd)
{
	struct net_device *vf;

	rtnl_lock();
	if (nd->vf_listed) {
		list_del(&nd->vf_node);
		nd->vf_listed = false;
	}
	vf = rtnl_dereference(nd->vf);
	if (vf)
		netvsc_vf_unjoin(nd, vf, false);
	rtnl_unlock();
}

void netvsc_vf_fini(struct netvsc_dev *nd)
{
	cancel_work_sync(&nd->vf_work);
}

int netvsc_vf_init(void)
{
	return register_netdevice_notifier(&netvsc_vf_notifier);
}

void netvsc_vf_exit(void)
{
	unregister_netdevice_notifier(&netvsc_vf_notifier);
}
