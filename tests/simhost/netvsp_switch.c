// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vswitch behind the synthetic NICs: every open NIC is a port with its
 * own MAC (00:15:5d:53:09:NN, NN = instance index; 00:15:5d is Hyper-V's
 * prefix), and the host port is a netdev of this kernel ("simhost0",
 * 00:15:5d:53:ff:00) that plays the outside network.  Frames go to the
 * port that owns the destination MAC; broadcast and multicast go to every
 * other port; unknown unicast leaves through the host port (the uplink).
 *
 * Also the debugfs file /sys/kernel/debug/hv_simhost/netvsp: counters, and
 * the knobs (link, version cap, faults).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": netvsp: " fmt

#include <linux/debugfs.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "simhost_compat.h"
#include "netvsp.h"

struct nv_stats nv_st;

static LIST_HEAD(nv_ports);
static DEFINE_SPINLOCK(nv_ports_lock);
static struct net_device *nv_hostdev;
static struct nv_port nv_hostport;

void nv_nic_mac(unsigned int index, u8 *mac)
{
	static const u8 base[ETH_ALEN] = { 0x00, 0x15, 0x5d, 0x53, 0x09, 0 };

	memcpy(mac, base, ETH_ALEN);
	mac[5] = index & 0xff;
}

void nv_switch_attach(struct nv_port *port)
{
	spin_lock_bh(&nv_ports_lock);
	list_add_tail_rcu(&port->node, &nv_ports);
	spin_unlock_bh(&nv_ports_lock);
}

void nv_switch_detach(struct nv_port *port)
{
	spin_lock_bh(&nv_ports_lock);
	list_del_rcu(&port->node);
	spin_unlock_bh(&nv_ports_lock);
	synchronize_rcu();
}

/* The port a unicast frame for @dst goes to (NULL: none); RCU held. */
static struct nv_port *nv_switch_lookup(struct nv_port *from, const u8 *dst)
{
	struct nv_port *p;

	list_for_each_entry_rcu(p, &nv_ports, node) {
		u64 learned = READ_ONCE(p->learned);

		if (ether_addr_equal(p->mac, dst) ||
		    (learned && learned == ether_addr_to_u64(dst)))
			return p == from ? NULL : p;
	}
	return NULL;
}

/*
 * A large TCP frame from a NIC's LSO send is coalesced (not cut into
 * MSS segments) only when it goes to one NIC port whose guest turned
 * RSC on for its IP version.
 */
bool nv_switch_rsc_to(struct nv_port *from, const u8 *dst, bool v6, u32 len)
{
	struct nv_port *to;
	bool on = false;

	if (is_multicast_ether_addr(dst))
		return false;
	rcu_read_lock();
	to = nv_switch_lookup(from, dst);
	if (to && to->rsc_on)
		on = to->rsc_on(to, v6, len);
	rcu_read_unlock();
	return on;
}

void nv_switch_forward(struct nv_port *from, struct sk_buff *skb)
{
	struct nv_port *p, *to = NULL;
	const u8 *dst;

	if (skb_linearize(skb) || skb->len < ETH_HLEN) {
		atomic64_inc(&nv_st.dropped_nodest);
		kfree_skb(skb);
		return;
	}
	dst = skb->data;
	/*
	 * A MAC-learning switch (vmswitch): a NIC port's unicast source
	 * address is where frames for it go, e.g. after the guest changed
	 * its address; the port's own address stays valid too.
	 */
	if (from != &nv_hostport && is_valid_ether_addr(skb->data + ETH_ALEN) &&
	    !ether_addr_equal(from->mac, skb->data + ETH_ALEN))
		WRITE_ONCE(from->learned,
			   ether_addr_to_u64(skb->data + ETH_ALEN));
	rcu_read_lock();
	if (is_multicast_ether_addr(dst)) {
		list_for_each_entry_rcu(p, &nv_ports, node) {
			struct sk_buff *c;

			if (p == from)
				continue;
			c = skb_clone(skb, GFP_ATOMIC);
			if (c)
				p->deliver(p, c);
		}
		rcu_read_unlock();
		atomic64_inc(&nv_st.flooded);
		consume_skb(skb);
		return;
	}
	list_for_each_entry_rcu(p, &nv_ports, node) {
		u64 learned = READ_ONCE(p->learned);

		/* 0 is "nothing learned", not the address 00:00:00:00:00:00 */
		if (ether_addr_equal(p->mac, dst) ||
		    (learned && learned == ether_addr_to_u64(dst))) {
			to = p;
			break;
		}
	}
	if (!to && from != &nv_hostport && nv_hostdev) {
		/* unknown unicast: out through the uplink if it is attached */
		list_for_each_entry_rcu(p, &nv_ports, node)
			if (p == &nv_hostport)
				to = p;
	}
	if (!to || to == from) {
		rcu_read_unlock();
		atomic64_inc(&nv_st.dropped_nodest);
		kfree_skb(skb);
		return;
	}
	atomic64_inc(&nv_st.switched);
	to->deliver(to, skb);
	rcu_read_unlock();
}

/* ---- the host port ---- */

static void nv_host_deliver(struct nv_port *port, struct sk_buff *skb)
{
	struct net_device *dev = nv_hostdev;

	if (!dev || !netif_running(dev)) {
		kfree_skb(skb);
		return;
	}
	if (skb_shared(skb) || skb_cloned(skb)) {
		struct sk_buff *c = skb_copy(skb, GFP_ATOMIC);

		kfree_skb(skb);
		if (!c)
			return;
		skb = c;
	}
	skb->dev = dev;
	skb->protocol = eth_type_trans(skb, dev);
	skb->ip_summed = CHECKSUM_NONE;
	atomic64_inc(&nv_st.hostport_rx);
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += skb->len;
	netif_rx(skb);
}

static netdev_tx_t nv_host_xmit(struct sk_buff *skb, struct net_device *dev)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		kfree_skb(skb);
		dev->stats.tx_dropped++;
		return NETDEV_TX_OK;
	}
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	atomic64_inc(&nv_st.hostport_tx);
	skb_orphan(skb);
	nv_switch_forward(&nv_hostport, skb);
	return NETDEV_TX_OK;
}

static int nv_host_open(struct net_device *dev)
{
	netif_carrier_on(dev);
	netif_start_queue(dev);
	return 0;
}

static int nv_host_stop(struct net_device *dev)
{
	netif_stop_queue(dev);
	return 0;
}

static const struct net_device_ops nv_host_ops = {
	.ndo_open = nv_host_open,
	.ndo_stop = nv_host_stop,
	.ndo_start_xmit = nv_host_xmit,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static int nv_host_create(void)
{
	static const u8 mac[ETH_ALEN] = { 0x00, 0x15, 0x5d, 0x53, 0xff, 0x00 };
	struct net_device *dev;
	int ret;

	dev = alloc_netdev(0, "simhost%d", NET_NAME_ENUM, ether_setup);
	if (!dev)
		return -ENOMEM;
	dev->netdev_ops = &nv_host_ops;
	dev->max_mtu = NV_MTU_MAX - ETH_HLEN;
	sim_eth_hw_addr_set(dev, mac);
	ret = register_netdev(dev);
	if (ret) {
		free_netdev(dev);
		return ret;
	}
	nv_hostdev = dev;
	memcpy(nv_hostport.mac, mac, ETH_ALEN);
	nv_hostport.kind = "host";
	nv_hostport.deliver = nv_host_deliver;
	nv_switch_attach(&nv_hostport);
	return 0;
}

/* ---- debugfs ---- */

/*
 * "chan N.Q relid R open 0|1 rx FRAMES tx FRAMES" per channel ever
 * opened of this connection, "send_tables N granted G", "learned N MAC"
 * once the switch has learned a source address of NIC N, and with RSS on
 * "rss_key N <40 bytes hex>" and "rss_table N <128 entries>".
 */
static void nv_show_queues(struct nv_nic *nic, struct seq_file *m)
{
	u8 key[NDIS_RSS_KEY_SIZE];
	u16 table[NDIS_RSS_ITAB_MAX];
	u32 relid[NV_MAX_CHANNELS];
	bool open[NV_MAX_CHANNELS], rss;
	u32 tables, granted;
	unsigned int i;

	spin_lock_bh(&nic->lock);
	for (i = 0; i < NV_MAX_CHANNELS; i++) {
		relid[i] = nic->ch_relid[i];
		open[i] = !!nic->chans[i];
	}
	rss = nic->rss_on;
	memcpy(key, nic->rss_key, sizeof(key));
	memcpy(table, nic->rss_table, sizeof(table));
	tables = nic->send_tables;
	granted = nic->nsubs_granted;
	spin_unlock_bh(&nic->lock);
	for (i = 0; i < NV_MAX_CHANNELS; i++)
		if (relid[i])
			seq_printf(m, "chan %u.%u relid %u open %u rx %lld tx %lld\n",
				   nic->index, i, relid[i], open[i],
				   atomic64_read(&nic->ch_rx[i]),
				   atomic64_read(&nic->ch_tx[i]));
	seq_printf(m, "send_tables %u %u granted %u\n", nic->index, tables,
		   granted);
	if (READ_ONCE(nic->port.learned)) {
		u8 mac[ETH_ALEN];

		u64_to_ether_addr(READ_ONCE(nic->port.learned), mac);
		seq_printf(m, "learned %u %pM\n", nic->index, mac);
	}
	if (!rss)
		return;
	seq_printf(m, "rss_key %u %*phN\n", nic->index, (int)sizeof(key), key);
	seq_printf(m, "rss_table %u", nic->index);
	for (i = 0; i < NDIS_RSS_ITAB_MAX; i++)
		seq_printf(m, " %u", table[i]);
	seq_putc(m, '\n');
}

static void nv_show_rsc(struct nv_nic *nic, struct seq_file *m)
{
	if (!nv_rsc_offered(nic))
		return;
	seq_printf(m, "rsc %u ip4 %s ip6 %s packets %lld frags %lld\n",
		   nic->index, READ_ONCE(nic->rsc4) ? "on" : "off",
		   READ_ONCE(nic->rsc6) ? "on" : "off",
		   atomic64_read(&nic->rsc_pkts),
		   atomic64_read(&nic->rsc_frags));
}

/*
 * "vf N adv 0|1 serial S datapath vf|synthetic assoc A unassoc U to_vf T
 * to_synth S ignored I host_to_synth H diverted D" once the NIC speaks
 * NVSP 4 or later.
 */
static void nv_show_vf(struct nv_nic *nic, struct seq_file *m)
{
	if (nic->version < NVSP_VERSION_4)
		return;
	seq_printf(m, "vf %u adv %u serial %u datapath %s assoc %d unassoc %d to_vf %d to_synth %d ignored %d host_to_synth %d diverted %lld\n",
		   nic->index, READ_ONCE(nic->vf_adv),
		   READ_ONCE(nic->vf_adv_serial),
		   READ_ONCE(nic->dp_vf) ? "vf" : "synthetic",
		   atomic_read(&nic->vf_assoc), atomic_read(&nic->vf_unassoc),
		   atomic_read(&nic->sw_to_vf), atomic_read(&nic->sw_to_synth),
		   atomic_read(&nic->sw_ignored),
		   atomic_read(&nic->host_to_synth),
		   atomic64_read(&nic->vf_diverted));
}

static void nv_show_nic(struct nv_nic *nic, void *arg)
{
	struct seq_file *m = arg;

	seq_printf(m, "nic %u mac %pM version %#x ndis %u.%u mtu %u rndis %s filter %#x link %s chans",
		   nic->index, nic->port.mac, nic->version, nic->ndis_major,
		   nic->ndis_minor, nic->mtu, nic->rndis_up ? "up" : "down",
		   nic->filter, nic->link_up ? "up" : "down");
	spin_lock_bh(&nic->lock);
	{
		unsigned int i, n = 0;

		for (i = 0; i < NV_MAX_CHANNELS; i++)
			n += !!nic->chans[i];
		seq_printf(m, " %u rss %s sections %u free %u", n,
			   nic->rss_on ? "on" : "off", nic->nsec, nic->nfree);
	}
	spin_unlock_bh(&nic->lock);
	seq_printf(m, " tx %lld tx_dropped %lld tx_refused %lld rx %lld rx_dropped %lld bad_completions %lld\n",
		   atomic64_read(&nic->tx_frames),
		   atomic64_read(&nic->tx_dropped),
		   atomic64_read(&nic->tx_refused),
		   atomic64_read(&nic->rx_frames),
		   atomic64_read(&nic->rx_dropped),
		   atomic64_read(&nic->bad_comp));
	nv_show_queues(nic, m);
	nv_show_rsc(nic, m);
	nv_show_vf(nic, m);
}

static int nv_dbg_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_printf(m, "switched %lld\nflooded %lld\ndropped_nodest %lld\ndropped_full %lld\ndropped_filter %lld\nhostport_rx %lld\nhostport_tx %lld\n",
		   atomic64_read(&nv_st.switched),
		   atomic64_read(&nv_st.flooded),
		   atomic64_read(&nv_st.dropped_nodest),
		   atomic64_read(&nv_st.dropped_full),
		   atomic64_read(&nv_st.dropped_filter),
		   atomic64_read(&nv_st.hostport_rx),
		   atomic64_read(&nv_st.hostport_tx));
	for (i = 0; i < NV_R_COUNT; i++)
		seq_printf(m, "refused_%s %lld\n", nv_refuse_names[i],
			   atomic64_read(&nv_st.refused[i]));
	seq_printf(m, "version_cap %#x\n", READ_ONCE(nv_st.version_cap));
	seq_printf(m, "faults xfer_range %d xfer_overlap %d data_offset %d ppi_size %d bad_trans_id %d storm %d rss_refuse %d\n",
		   atomic_read(&nv_st.f_xfer_range),
		   atomic_read(&nv_st.f_xfer_overlap),
		   atomic_read(&nv_st.f_data_offset),
		   atomic_read(&nv_st.f_ppi_size),
		   atomic_read(&nv_st.f_bad_trans_id),
		   atomic_read(&nv_st.f_storm),
		   atomic_read(&nv_st.f_rss_refuse));
	seq_printf(m, "faults rsc_no_first %d rsc_no_last %d rsc_size %d\n",
		   atomic_read(&nv_st.f_rsc_no_first),
		   atomic_read(&nv_st.f_rsc_no_last),
		   atomic_read(&nv_st.f_rsc_size));
	for (i = 0; i < ARRAY_SIZE(nv_st.link_down); i++)
		if (READ_ONCE(nv_st.link_down[i]))
			seq_printf(m, "link %u down\n", i);
	for (i = 0; i < ARRAY_SIZE(nv_st.vf_on); i++)
		if (READ_ONCE(nv_st.vf_on[i]))
			seq_printf(m, "vf_knob %u serial %u\n", i,
				   READ_ONCE(nv_st.vf_serial[i]));
	nv_visit_nics(nv_show_nic, m);
	return 0;
}

static int nv_dbg_open(struct inode *inode, struct file *file)
{
	return single_open(file, nv_dbg_show, NULL);
}

static void nv_kick_one(struct nv_nic *nic, void *arg)
{
	nv_kick(nic);
}

/*
 * "link N up|down", "vf N SERIAL|off" (a VF with that serial number is
 * offered to NIC N, now and at every RNDIS initialization, or taken
 * away), "version_cap HEX" (0: none), "fault KIND [COUNT]"
 * with KIND xfer_range, xfer_overlap, data_offset, ppi_size,
 * bad_trans_id, storm, rss_refuse (the next RSS parameter sets fail),
 * rsc_no_first, rsc_no_last, rsc_size (the next coalesced packets).
 */
static ssize_t nv_dbg_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char buf[64], w1[16] = "", w2[16] = "";
	unsigned int a = 0, cnt = 1;
	int n;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	n = sscanf(buf, "%15s %15s %u", w1, w2, &cnt);
	if (n >= 2 && !strcmp(w1, "link")) {
		char st[8];

		if (sscanf(buf, "link %u %7s", &a, st) != 2 ||
		    a >= ARRAY_SIZE(nv_st.link_down) ||
		    (strcmp(st, "up") && strcmp(st, "down")))
			return -EINVAL;
		WRITE_ONCE(nv_st.link_down[a], !strcmp(st, "down"));
	} else if (n >= 2 && !strcmp(w1, "vf")) {
		char st[12];
		unsigned int serial = 0;

		if (sscanf(buf, "vf %u %11s", &a, st) != 2 ||
		    a >= ARRAY_SIZE(nv_st.vf_on) ||
		    (strcmp(st, "off") && kstrtouint(st, 0, &serial)))
			return -EINVAL;
		if (strcmp(st, "off"))
			WRITE_ONCE(nv_st.vf_serial[a], serial);
		WRITE_ONCE(nv_st.vf_on[a], !!strcmp(st, "off"));
	} else if (n == 2 && !strcmp(w1, "version_cap")) {
		if (kstrtouint(w2, 16, &a))
			return -EINVAL;
		WRITE_ONCE(nv_st.version_cap, a);
		return len;
	} else if (n >= 2 && !strcmp(w1, "fault")) {
		atomic_t *f;

		if (!strcmp(w2, "xfer_range"))
			f = &nv_st.f_xfer_range;
		else if (!strcmp(w2, "xfer_overlap"))
			f = &nv_st.f_xfer_overlap;
		else if (!strcmp(w2, "data_offset"))
			f = &nv_st.f_data_offset;
		else if (!strcmp(w2, "ppi_size"))
			f = &nv_st.f_ppi_size;
		else if (!strcmp(w2, "bad_trans_id"))
			f = &nv_st.f_bad_trans_id;
		else if (!strcmp(w2, "storm"))
			f = &nv_st.f_storm;
		else if (!strcmp(w2, "rss_refuse"))
			f = &nv_st.f_rss_refuse;
		else if (!strcmp(w2, "rsc_no_first"))
			f = &nv_st.f_rsc_no_first;
		else if (!strcmp(w2, "rsc_no_last"))
			f = &nv_st.f_rsc_no_last;
		else if (!strcmp(w2, "rsc_size"))
			f = &nv_st.f_rsc_size;
		else
			return -EINVAL;
		if (!cnt || cnt > 100000)
			return -EINVAL;
		atomic_set(f, cnt);
	} else {
		return -EINVAL;
	}
	nv_visit_nics(nv_kick_one, NULL);
	return len;
}

static const struct file_operations nv_dbg_fops = {
	.owner = THIS_MODULE,
	.open = nv_dbg_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = nv_dbg_write,
	.release = single_release,
};

int netvsp_init(void)
{
	struct dentry *parent;
	int ret;

	nv_wq = alloc_workqueue("hv_simhost_netvsp", WQ_UNBOUND, 0);
	if (!nv_wq)
		return -ENOMEM;
	ret = nv_host_create();
	if (ret) {
		destroy_workqueue(nv_wq);
		return ret;
	}
	parent = debugfs_lookup("hv_simhost", NULL);
	if (parent) {
		debugfs_create_file("netvsp", 0600, parent, NULL, &nv_dbg_fops);
		dput(parent);
	}
	return 0;
}

/* After every channel is closed. */
void netvsp_exit(void)
{
	nv_switch_detach(&nv_hostport);
	unregister_netdev(nv_hostdev);
	free_netdev(nv_hostdev);
	nv_hostdev = NULL;
	destroy_workqueue(nv_wq);
}
