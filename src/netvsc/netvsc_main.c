// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_netvsc: module, probe/remove, net_device and ethtool operations.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <hvlis/version.h>

#include "netvsc.h"

unsigned int netvsc_timeout = 10;
module_param_named(timeout, netvsc_timeout, uint, 0444);
MODULE_PARM_DESC(timeout, "Host request timeout (seconds, 1-600)");

unsigned int netvsc_recv_buf_size = NVSP_RECV_BUF_DEFAULT;
module_param_named(recv_buf_size, netvsc_recv_buf_size, uint, 0444);
MODULE_PARM_DESC(recv_buf_size, "Receive buffer bytes (64 KiB-31 MiB)");

unsigned int netvsc_send_buf_size = NVSP_SEND_BUF_DEFAULT;
module_param_named(send_buf_size, netvsc_send_buf_size, uint, 0444);
MODULE_PARM_DESC(send_buf_size, "Send buffer bytes (64 KiB-15 MiB)");

static const char * const netvsc_err_names[NETVSC_ERR_NUM] = {
	[NETVSC_ERR_BAD_NVSP] = "err_bad_nvsp",
	[NETVSC_ERR_UNKNOWN_TID] = "err_unknown_trans_id",
	[NETVSC_ERR_BAD_RANGE] = "err_bad_xfer_range",
	[NETVSC_ERR_BAD_RNDIS] = "err_bad_rndis",
	[NETVSC_ERR_BAD_PKT_TYPE] = "err_bad_pkt_type",
	[NETVSC_ERR_COMP_DROPPED] = "err_rx_comp_dropped",
	[NETVSC_ERR_RX_NOMEM] = "rx_no_memory",
	[NETVSC_ERR_RXQ_FULL] = "rx_queue_full",
	[NETVSC_ERR_TX_BUSY] = "tx_busy",
	[NETVSC_ERR_TX_DROPPED] = "tx_dropped",
	[NETVSC_ERR_TX_FAILED] = "tx_host_failed",
	[NETVSC_ERR_XDP_TOO_BIG] = "rx_xdp_too_big",
	[NETVSC_ERR_RSC_DROPPED] = "rx_rsc_dropped",
	[NETVSC_ERR_RSC_PACKETS] = "rx_rsc_packets",
	[NETVSC_ERR_RSC_FRAGS] = "rx_rsc_frags",
	/* the VF's, as the kernel's driver names them */
	[NETVSC_ERR_VF_RX_PACKETS] = "vf_rx_packets",
	[NETVSC_ERR_VF_RX_BYTES] = "vf_rx_bytes",
	[NETVSC_ERR_VF_TX_PACKETS] = "vf_tx_packets",
	[NETVSC_ERR_VF_TX_BYTES] = "vf_tx_bytes",
	[NETVSC_ERR_VF_TX_DROPPED] = "vf_tx_dropped",
	[NETVSC_ERR_VF_TO_VF] = "vf_datapath_to_vf",
	[NETVSC_ERR_VF_TO_SYNTH] = "vf_datapath_to_synthetic",
	[NETVSC_ERR_VF_HOST_SYNTH] = "vf_datapath_host_synthetic",
};

/* per queue, as the kernel's driver names them */
static const char * const netvsc_q_stat_fmt[] = {
	"tx_queue_%u_packets", "tx_queue_%u_bytes",
	"rx_queue_%u_packets", "rx_queue_%u_bytes",
	"rx_queue_%u_xdp_drop", "rx_queue_%u_xdp_tx",
	"rx_queue_%u_xdp_redirect", "tx_queue_%u_xdp_xmit",
};

/* The RNDIS packet filter for the interface flags, as the kernel's driver. */
static u32 netvsc_rx_filter(struct net_device *ndev)
{
	u32 filter = RNDIS_FILTER_DIRECTED;

	if (ndev->flags & IFF_PROMISC)
		filter |= RNDIS_FILTER_PROMISCUOUS;
	if ((ndev->flags & IFF_ALLMULTI) || !netdev_mc_empty(ndev))
		filter |= RNDIS_FILTER_ALL_MULTICAST;
	if (ndev->flags & IFF_BROADCAST)
		filter |= RNDIS_FILTER_BROADCAST;
	return filter;
}

static int netvsc_open(struct net_device *ndev)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	u32 i;
	int ret;

	ret = netvsc_set_filter(nd, netvsc_rx_filter(ndev));
	if (ret) {
		netdev_err(ndev, "packet filter could not be set: %d\n", ret);
		return ret;
	}
	mutex_lock(&netvsc_sc_mutex);
	for (i = 0; i < nd->num_queues; i++) {
		struct netvsc_chan *c = nd->chan[i];

		if (!c->opened || c->gone || c->napi_on)
			continue;
		WRITE_ONCE(c->napi_on, true);
		napi_enable(&c->napi);
	}
	mutex_unlock(&netvsc_sc_mutex);
	if (nd->link_up)
		netif_carrier_on(ndev);
	else
		netif_carrier_off(ndev);
	WRITE_ONCE(nd->tx_up, true);
	/*
	 * Wake, not start (as the kernel's driver): after a reconnect the
	 * qdiscs may hold frames that TCP will not retransmit while they
	 * wait there; waking schedules them.
	 */
	netif_tx_wake_all_queues(ndev);
	return 0;
}

static int netvsc_close(struct net_device *ndev)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	u32 i;

	WRITE_ONCE(nd->tx_up, false);
	netif_tx_disable(ndev);
	if (nd->rndis_up && netvsc_set_filter(nd, 0))
		netdev_warn(ndev, "packet filter could not be cleared\n");
	mutex_lock(&netvsc_sc_mutex);
	for (i = 0; i < NETVSC_MAX_QUEUES; i++) {
		struct netvsc_chan *c = nd->chan[i];

		if (c->napi_on) {
			WRITE_ONCE(c->napi_on, false);
			napi_disable(&c->napi);
		}
		netvsc_purge_rx(c);
	}
	mutex_unlock(&netvsc_sc_mutex);
	return 0;
}

/*
 * Promiscuous/multicast changes while up (tcpdump, a multicast join):
 * ndo_set_rx_mode runs under the address lock and an RNDIS SET sleeps,
 * so the filter is sent from a work item, under RTNL like open/close.
 */
static void netvsc_rx_mode_work(struct work_struct *w)
{
	struct netvsc_dev *nd = container_of(w, struct netvsc_dev,
					     rx_mode_work);
	struct net_device *ndev = nd->ndev;
	u32 filter;

	rtnl_lock();
	if (netif_running(ndev) && nd->rndis_up) {
		filter = netvsc_rx_filter(ndev);
		if (filter != nd->filter && netvsc_set_filter(nd, filter))
			netdev_warn(ndev, "packet filter %#x could not be set\n",
				    filter);
	}
	rtnl_unlock();
}

static void netvsc_set_rx_mode(struct net_device *ndev)
{
	struct netvsc_dev *nd = netdev_priv(ndev);

	netvsc_vf_rx_mode(nd);
	if (netif_running(ndev))
		schedule_work(&nd->rx_mode_work);
}

/* IFF_PROMISC / IFF_ALLMULTI changed: the VF follows (RTNL) */
static void netvsc_change_rx_flags(struct net_device *ndev, int change)
{
	if (change & (IFF_PROMISC | IFF_ALLMULTI))
		netvsc_vf_rx_flags(netdev_priv(ndev));
}

static void netvsc_get_stats64(struct net_device *ndev,
			       struct rtnl_link_stats64 *s)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	u32 i;

	for (i = 0; i < NETVSC_MAX_QUEUES; i++) {
		const struct netvsc_chan *c = nd->chan[i];

		s->rx_packets += READ_ONCE(c->rx_packets);
		s->rx_bytes += READ_ONCE(c->rx_bytes);
		s->tx_packets += READ_ONCE(c->tx_packets);
		s->tx_bytes += READ_ONCE(c->tx_bytes);
	}
	/* what went through the VF is this netdev's traffic too */
	s->rx_packets += atomic64_read(&nd->err[NETVSC_ERR_VF_RX_PACKETS]);
	s->rx_bytes += atomic64_read(&nd->err[NETVSC_ERR_VF_RX_BYTES]);
	s->tx_packets += atomic64_read(&nd->err[NETVSC_ERR_VF_TX_PACKETS]);
	s->tx_bytes += atomic64_read(&nd->err[NETVSC_ERR_VF_TX_BYTES]);
	s->rx_dropped = atomic64_read(&nd->err[NETVSC_ERR_RXQ_FULL]) +
			atomic64_read(&nd->err[NETVSC_ERR_RX_NOMEM]);
	s->tx_dropped = atomic64_read(&nd->err[NETVSC_ERR_TX_DROPPED]) +
			atomic64_read(&nd->err[NETVSC_ERR_VF_TX_DROPPED]);
	s->rx_errors = atomic64_read(&nd->err[NETVSC_ERR_BAD_RNDIS]) +
		       atomic64_read(&nd->err[NETVSC_ERR_BAD_RANGE]);
	s->tx_errors = atomic64_read(&nd->err[NETVSC_ERR_TX_FAILED]);
}
DEFINE_NETVSC_GET_STATS64(netvsc_get_stats64)

static void netvsc_get_drvinfo(struct net_device *ndev,
			       struct ethtool_drvinfo *info)
{
	struct netvsc_dev *nd = netdev_priv(ndev);

	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, HVLIS_VERSION, sizeof(info->version));
	snprintf(info->fw_version, sizeof(info->fw_version), "NVSP %u.%u",
		 nd->nvsp_version >> 16, nd->nvsp_version & 0xffff);
	strscpy(info->bus_info, dev_name(&nd->hdev->device),
		sizeof(info->bus_info));
}

/*
 * Per-queue counters of the queues of this connection (RTNL: the count
 * does not change between the three calls of one ethtool -S).
 */
static int netvsc_get_sset_count(struct net_device *ndev, int sset)
{
	struct netvsc_dev *nd = netdev_priv(ndev);

	if (sset != ETH_SS_STATS)
		return -EINVAL;
	return NETVSC_ERR_NUM +
	       nd->num_queues * ARRAY_SIZE(netvsc_q_stat_fmt);
}

static void netvsc_get_strings(struct net_device *ndev, u32 sset, u8 *data)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	unsigned int i, q;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < NETVSC_ERR_NUM; i++, data += ETH_GSTRING_LEN)
		strscpy(data, netvsc_err_names[i], ETH_GSTRING_LEN);
	for (q = 0; q < nd->num_queues; q++)
		for (i = 0; i < ARRAY_SIZE(netvsc_q_stat_fmt);
		     i++, data += ETH_GSTRING_LEN)
			snprintf(data, ETH_GSTRING_LEN, netvsc_q_stat_fmt[i], q);
}

static void netvsc_get_ethtool_stats(struct net_device *ndev,
				     struct ethtool_stats *st, u64 *data)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	unsigned int i;

	for (i = 0; i < NETVSC_ERR_NUM; i++)
		*data++ = atomic64_read(&nd->err[i]);
	for (i = 0; i < nd->num_queues; i++) {
		const struct netvsc_chan *c = nd->chan[i];

		*data++ = READ_ONCE(c->tx_packets);
		*data++ = READ_ONCE(c->tx_bytes);
		*data++ = READ_ONCE(c->rx_packets);
		*data++ = READ_ONCE(c->rx_bytes);
		*data++ = READ_ONCE(c->xdp_drop);
		*data++ = READ_ONCE(c->xdp_tx);
		*data++ = READ_ONCE(c->xdp_redirect);
		*data++ = READ_ONCE(c->xdp_xmit);
	}
}

static int netvsc_get_link_ksettings(struct net_device *ndev,
				     struct ethtool_link_ksettings *cmd)
{
	struct netvsc_dev *nd = netdev_priv(ndev);

	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	ethtool_link_ksettings_zero_link_mode(cmd, advertising);
	/* RNDIS reports units of 100 bit/s */
	cmd->base.speed = nd->link_up ? nd->link_speed / 10000 : SPEED_UNKNOWN;
	cmd->base.duplex = nd->link_up ? DUPLEX_FULL : DUPLEX_UNKNOWN;
	cmd->base.port = PORT_OTHER;
	return 0;
}

static void netvsc_get_channels(struct net_device *ndev,
				struct ethtool_channels *ch)
{
	struct netvsc_dev *nd = netdev_priv(ndev);

	ch->max_combined = nd->max_queues ?: 1;
	ch->combined_count = nd->num_queues;
}

/*
 * Rings are the buffers' sections, as the kernel's driver counts them:
 * rx in receive sub-allocations, tx in send sections, both of the sizes
 * the host chose for this connection.  A count becomes a buffer of that
 * many sections in whole pages, within the recv_buf_size/send_buf_size
 * parameters' limits.
 */
static u32 netvsc_recv_buf_max(struct netvsc_dev *nd)
{
	return nd->nvsp_version <= NVSP_VERSION_2 ? NVSP_RECV_BUF_MAX_V2 :
						    NVSP_RECV_BUF_MAX;
}

static u32 netvsc_rx_section(struct netvsc_dev *nd)
{
	return nd->recv_lay.sub_alloc_size ?: NVSP_RECV_SECTION_DEFAULT;
}

static u32 netvsc_tx_section(struct netvsc_dev *nd)
{
	return nd->send_lay.section_size ?: NVSP_SEND_SECTION_DEFAULT;
}

static void netvsc_get_ringparam(struct net_device *ndev,
				 struct ethtool_ringparam *ring)
{
	struct netvsc_dev *nd = netdev_priv(ndev);

	ring->rx_max_pending = netvsc_recv_buf_max(nd) / netvsc_rx_section(nd);
	ring->tx_max_pending = NVSP_SEND_BUF_MAX / netvsc_tx_section(nd);
	ring->rx_pending = nd->recv_lay.num_sub_allocs;
	ring->tx_pending = nd->send_lay.num_sections;
}
DEFINE_NETVSC_GET_RINGPARAM(netvsc_get_ringparam)

/*
 * Checksum and LSO offload: what the host can do (hardware capabilities),
 * asked for with OID_TCP_OFFLOAD_PARAMETERS, enabled if the host agrees.
 */
static void netvsc_setup_offloads(struct netvsc_dev *nd)
{
	struct net_device *ndev = nd->ndev;
	struct ndis_offload_params p = { };
	struct ndis_offload_caps caps;
	u8 buf[NDIS_OFFLOAD_SIZE_6_30];
	u32 len = sizeof(buf), tso_max = 0;
	netdev_features_t f = 0;
	const char *why;

	nd->tso_max_host = NETVSC_GSO_MAX;
	if (netvsc_rndis_query(nd, RNDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES,
			       buf, &len) ||
	    rndis_parse_offload_caps(buf, len, &caps, &why)) {
		netdev_info(ndev, "no offload capabilities from the host\n");
		nd->rsc_offered = false;
		return;
	}
	p.hdr.type = NDIS_OBJ_TYPE_DEFAULT;
	p.hdr.revision = NDIS_OFFLOAD_PARAMS_REV_3;
	p.hdr.size = nd->nvsp_version <= NVSP_VERSION_4 ?
		     NDIS_OFFLOAD_PARAMS_SIZE_V4 : NDIS_OFFLOAD_PARAMS_SIZE;
	if ((caps.csum.ip4_tx & NDIS_CSUM_CAP_TCP) &&
	    (caps.csum.ip4_rx & NDIS_CSUM_CAP_TCP)) {
		p.ip4_csum = NDIS_OFFLOAD_TX_RX;
		p.tcp4_csum = NDIS_OFFLOAD_TX_RX;
		f |= NETIF_F_IP_CSUM;
		if (nd->nvsp_version > NVSP_VERSION_4 &&
		    (caps.csum.ip4_tx & NDIS_CSUM_CAP_UDP)) {
			p.udp4_csum = NDIS_OFFLOAD_TX_RX;
			nd->udp4_csum = true;
		}
		if (caps.lsov2.ip4_max_size && caps.lsov2.ip4_min_segs <= 2) {
			p.lsov2_ip4 = NDIS_OFFLOAD_LSO_ENABLED;
			f |= NETIF_F_TSO;
			tso_max = caps.lsov2.ip4_max_size;
		}
	}
	if ((caps.csum.ip6_tx & NDIS_CSUM_CAP_TCP) &&
	    (caps.csum.ip6_rx & NDIS_CSUM_CAP_TCP)) {
		p.tcp6_csum = NDIS_OFFLOAD_TX_RX;
		f |= NETIF_F_IPV6_CSUM;
		if (nd->nvsp_version > NVSP_VERSION_4 &&
		    (caps.csum.ip6_tx & NDIS_CSUM_CAP_UDP)) {
			p.udp6_csum = NDIS_OFFLOAD_TX_RX;
			nd->udp6_csum = true;
		}
		if (caps.lsov2.ip6_max_size && caps.lsov2.ip6_min_segs <= 2 &&
		    (caps.lsov2.ip6_opts & (NDIS_LSOV2_CAP_IP6_EXT |
					    NDIS_LSOV2_CAP_TCP6_OPT)) ==
		    (NDIS_LSOV2_CAP_IP6_EXT | NDIS_LSOV2_CAP_TCP6_OPT)) {
			p.lsov2_ip6 = NDIS_OFFLOAD_LSO_ENABLED;
			f |= NETIF_F_TSO6;
			if (!tso_max || caps.lsov2.ip6_max_size < tso_max)
				tso_max = caps.lsov2.ip6_max_size;
		}
	}
	/*
	 * RSC (ethtool -K lro), as the kernel's driver: offered with NVSP
	 * 6.1 by a host whose NDIS 6.30 capabilities have RSC for IPv4 and
	 * IPv6; on or off as NETIF_F_LRO is (off until the user sets it:
	 * unlike the kernel's driver, whose default is on, so that XDP and
	 * forwarding need no ethtool -K first).
	 */
	nd->rsc_offered = nd->nvsp_version >= NVSP_VERSION_61 &&
			  caps.hdr.size >= NDIS_OFFLOAD_SIZE_6_30 &&
			  caps.rsc_ip4 && caps.rsc_ip6;
	if (nd->rsc_offered) {
		u8 v = ndev->features & NETIF_F_LRO ? NDIS_OFFLOAD_RSC_ENABLED :
						      NDIS_OFFLOAD_DISABLED;

		p.rsc_ip4 = v;
		p.rsc_ip6 = v;
	} else {
		ndev->hw_features &= ~NETIF_F_LRO;
		ndev->features &= ~NETIF_F_LRO;
	}
	if (!f && !nd->rsc_offered)
		return;
	if (netvsc_rndis_set(nd, RNDIS_OID_TCP_OFFLOAD_PARAMETERS, &p,
			     p.hdr.size)) {
		netdev_info(ndev, "host refused offloads; all in software\n");
		nd->udp4_csum = false;
		nd->udp6_csum = false;
		nd->rsc_offered = false;
		ndev->hw_features &= ~NETIF_F_LRO;
		ndev->features &= ~NETIF_F_LRO;
		return;
	}
	if (nd->rsc_offered)
		ndev->hw_features |= NETIF_F_LRO;
	if (!f)
		return;
	f |= NETIF_F_RXCSUM | NETIF_F_SG;
	ndev->hw_features |= f;
	if (f & (NETIF_F_TSO | NETIF_F_TSO6)) {
		nd->tso_max_host = min_t(u32, tso_max, NETVSC_GSO_MAX);
		netvsc_set_tso_max(ndev, nd->tso_max_host);
	}
}

/*
 * vRSS (NVSP 5 and later), as the kernel's driver: the host's receive
 * queue count from OID_GEN_RECEIVE_SCALE_CAPABILITIES, then as many
 * sub-channels as asked for (ethtool -L; default
 * netif_get_num_default_rss_queues()) within it and NETVSC_MAX_QUEUES,
 * then the RSS parameters over the channels opened.  A host that
 * offers, grants or takes less gets one queue.
 *
 * The RSS table (ethtool -x) is checked against the queues of every
 * connection: kept if it names only those, else spread evenly again.
 */
static void netvsc_setup_rss_queues(struct netvsc_dev *nd)
{
	struct net_device *ndev = nd->ndev;
	struct ndis_rss_caps caps;
	u32 len = sizeof(caps), hostq = 0, want;
	const char *why = "query failed";
	int ret;

	nd->max_queues = 1;
	nd->num_queues = 1;
	nd->tx_table_valid = false;
	if (nd->nvsp_version < NVSP_VERSION_5)
		return;
	memset(&caps, 0, sizeof(caps));
	if (netvsc_rndis_query(nd, RNDIS_OID_GEN_RECEIVE_SCALE_CAPABILITIES,
			       &caps, &len) ||
	    rndis_parse_rss_caps(&caps, len, &hostq, &why)) {
		netdev_info(ndev, "no RSS capabilities from the host (%s): one queue\n",
			    why);
		return;
	}
	nd->max_queues = min_t(u32, hostq, NETVSC_MAX_QUEUES);
	want = min(nd->req_queues, nd->max_queues);
	if (want <= 1)
		return;
	netvsc_open_subchannels(nd, want);
	if (nd->num_queues <= 1)
		return;
	netvsc_rss_table_check(nd);
	ret = netvsc_set_rss(nd);
	if (ret) {
		/* as the kernel's driver: one queue rather than no NIC */
		netdev_warn(ndev, "host refused RSS parameters for %u queues (%d): one queue\n",
			    nd->num_queues, ret);
		netvsc_stop_rss(nd);
		netvsc_close_subchannels(nd);
		return;
	}
	netdev_dbg(ndev, "%u queues (host offers %u)\n", nd->num_queues,
		   hostq);
}

static int netvsc_setup_queues(struct netvsc_dev *nd)
{
	netvsc_setup_rss_queues(nd);
	/* one queue (no RSS parameters sent): the table is all zeros */
	if (nd->num_queues <= 1)
		netvsc_rss_table_check(nd);
	return 0;
}

/*
 * Ask the host for a new MAC address as the kernel's driver does:
 * RNDIS_CONFIG_PARAMETER "NetworkAddress" (OpenVMM answers
 * INVALID_DATA when the value does not start with a decimal digit).
 * 0, or the error with the host's status logged.
 */
static int netvsc_host_set_mac(struct netvsc_dev *nd, const u8 *mac)
{
	u8 buf[RNDIS_NETWORK_ADDRESS_LEN];
	u32 len, status = 0;
	int ret;

	len = rndis_build_network_address(buf, sizeof(buf), mac);
	if (!len)
		return -EINVAL;
	ret = netvsc_rndis_set_status(nd, RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER,
				      buf, len, &status);
	if (ret == -EIO)
		netdev_err(nd->ndev, "the host refused MAC address %pM (status %#x)\n",
			   mac, status);
	else if (ret)
		netdev_err(nd->ndev, "MAC address %pM could not be set: %d\n",
			   mac, ret);
	return ret;
}

static int netvsc_rndis_setup(struct netvsc_dev *nd)
{
	struct net_device *ndev = nd->ndev;
	u32 v, len;
	u8 mac[ETH_ALEN];
	int ret;

	ret = netvsc_rndis_init(nd);
	if (ret)
		return ret;
	len = sizeof(v);
	v = 0;
	ret = netvsc_rndis_query(nd, RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE, &v, &len);
	if (ret || len != sizeof(v) || v < NETVSC_MIN_MTU) {
		netdev_warn(ndev, "no usable maximum frame size; MTU 1500\n");
		v = ETH_DATA_LEN;
	}
	/* the host's answer is the MTU of this connection (NDIS_CONFIG) */
	nd->host_mtu = min_t(u32, v, 65535u - ETH_HLEN);
	len = ETH_ALEN;
	ret = netvsc_rndis_query(nd, RNDIS_OID_802_3_PERMANENT_ADDRESS, mac,
				 &len);
	if (ret || len != ETH_ALEN || !is_valid_ether_addr(mac)) {
		dev_err(&nd->hdev->device, "no valid MAC address from the host\n");
		return ret ? ret : -EPROTO;
	}
	memcpy(nd->perm_addr, mac, ETH_ALEN);
	memcpy(ndev->perm_addr, mac, ETH_ALEN);
	/*
	 * A reconnect (MTU, rings, channels) keeps an address set with ip
	 * link: the new RNDIS device is asked for it again.  If it refuses
	 * now, the host's address is the one that works.
	 */
	if (ndev->addr_assign_type == NET_ADDR_SET &&
	    !ether_addr_equal(ndev->dev_addr, mac)) {
		if (!netvsc_host_set_mac(nd, ndev->dev_addr))
			goto mac_done;
		netdev_warn(ndev, "the host refused %pM on the new connection; back to %pM\n",
			    ndev->dev_addr, mac);
	}
	netvsc_set_mac(ndev, mac);
mac_done:

	netvsc_setup_offloads(nd);

	len = sizeof(v);
	v = RNDIS_MEDIA_DISCONNECTED;
	if (!netvsc_rndis_query(nd, RNDIS_OID_GEN_MEDIA_CONNECT_STATUS, &v,
				&len) && len == sizeof(v))
		nd->link_up = v == RNDIS_MEDIA_CONNECTED;
	if (nd->nvsp_version >= NVSP_VERSION_5) {
		len = sizeof(v);
		if (!netvsc_rndis_query(nd, RNDIS_OID_GEN_LINK_SPEED, &v, &len) &&
		    len == sizeof(v))
			nd->link_speed = v;
	}
	return netvsc_setup_queues(nd);
}

static void netvsc_detach(struct netvsc_dev *nd)
{
	netvsc_vf_reset(nd);
	netvsc_stop_rss(nd);
	netvsc_rndis_halt(nd);
	/* sub-channels before the primary */
	netvsc_close_subchannels(nd);
	netvsc_disconnect(nd);
}

/*
 * Connect to the host and bring the RNDIS device up, with the queues of
 * this connection as the stack's (RTNL held once registered).
 */
static int netvsc_attach(struct netvsc_dev *nd)
{
	struct net_device *ndev = nd->ndev;
	int ret = netvsc_connect(nd);

	if (!ret)
		ret = netvsc_rndis_setup(nd);
	if (!ret)
		ret = netif_set_real_num_tx_queues(ndev, nd->num_queues);
	if (!ret)
		ret = netif_set_real_num_rx_queues(ndev, nd->num_queues);
	if (ret)
		netvsc_detach(nd);
	return ret;
}

/* What the host learns only when the connection is set up. */
struct netvsc_conn_cfg {
	u32 mtu;		/* NDIS_CONFIG */
	u32 recv_buf_size, send_buf_size;
	u32 queues;		/* channels asked for */
};

static void netvsc_cfg_apply(struct netvsc_dev *nd,
			     const struct netvsc_conn_cfg *c)
{
	nd->ndev->mtu = c->mtu;
	nd->recv_buf_size = c->recv_buf_size;
	nd->send_buf_size = c->send_buf_size;
	nd->req_queues = c->queues;
}

/* The settings of the current connection, to change one of them. */
static void netvsc_cfg_now(struct netvsc_dev *nd, struct netvsc_conn_cfg *c)
{
	c->mtu = nd->ndev->mtu;
	c->recv_buf_size = nd->recv_buf_size;
	c->send_buf_size = nd->send_buf_size;
	c->queues = nd->req_queues;
}

/*
 * A new MTU or new buffer sizes mean a new connection (as the kernel's
 * driver does).  If the host refuses it, or answers a frame size below
 * the MTU, the old settings are connected again.
 */
static int netvsc_reconnect(struct net_device *ndev,
			    const struct netvsc_conn_cfg *c)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	struct netvsc_conn_cfg old;
	bool up = netif_running(ndev);
	int ret;

	netvsc_cfg_now(nd, &old);

	if (up)
		netvsc_close(ndev);
	netvsc_detach(nd);
	netvsc_cfg_apply(nd, c);
	ret = netvsc_attach(nd);
	if (!ret && nd->host_mtu < c->mtu) {
		/*
		 * The host does not take this frame size and answered with its
		 * default (Hyper-V and OpenVMM: frames 1514..9216, 1514
		 * otherwise).  The kernel's driver silently takes that answer
		 * as the new MTU (so 9202 -> 9203 would end at 1500 with
		 * success); we refuse the change and keep the old MTU.
		 */
		netdev_err(ndev, "MTU %u is above what the host takes (it answered %u); MTU stays %u\n",
			   c->mtu, nd->host_mtu, old.mtu);
		netvsc_detach(nd);
		ret = -EINVAL;
	} else if (ret) {
		netdev_err(ndev, "reconnect at MTU %u with %u / %u byte buffers failed (%d); back to MTU %u, %u / %u\n",
			   c->mtu, c->recv_buf_size, c->send_buf_size, ret,
			   old.mtu, old.recv_buf_size, old.send_buf_size);
	}
	if (ret) {
		netvsc_cfg_apply(nd, &old);
		if (netvsc_attach(nd)) {
			netdev_err(ndev, "reconnect failed; device unusable\n");
			return ret;
		}
	}
	if (up && netvsc_open(ndev))
		netdev_err(ndev, "could not reopen after the reconnect\n");
	if (!ret)
		netvsc_vf_mtu(nd);
	return ret;
}

/*
 * ip link set address: the host is asked first (as the kernel's
 * driver); on a refusal the address stays and the host's error is
 * returned (-EIO: the host answered a failure status).
 */
static int netvsc_set_mac_address(struct net_device *ndev, void *p)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	struct sockaddr *sa = p;
	int ret;

	ret = eth_prepare_mac_addr_change(ndev, p);
	if (ret)
		return ret;
	if (!nd->rndis_up)
		return -ENODEV;
	ret = netvsc_host_set_mac(nd, (const u8 *)sa->sa_data);
	if (ret)
		return ret;
	eth_commit_mac_addr_change(ndev, p);
	return 0;
}

static int netvsc_change_mtu(struct net_device *ndev, int mtu)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	struct netvsc_conn_cfg c;

	netvsc_cfg_now(nd, &c);
	c.mtu = mtu;
	/* the core checks this too where it knows min_mtu/max_mtu */
	if (mtu < (int)NETVSC_MIN_MTU || mtu > (int)nd->mtu_limit)
		return -EINVAL;
	if (!netvsc_xdp_mtu_ok(nd, mtu))
		return -EOPNOTSUPP;
	return netvsc_reconnect(ndev, &c);
}

/* As the kernel's driver: no LRO (RSC) while an XDP program runs. */
static netdev_features_t netvsc_fix_features(struct net_device *ndev,
					     netdev_features_t features)
{
#ifdef HAVE_XDP_NDO_BPF
	struct netvsc_dev *nd = netdev_priv(ndev);

	if ((features & NETIF_F_LRO) && nd->xdp_prog) {
		features &= ~NETIF_F_LRO;
		netdev_info(ndev, "LRO stays off while an XDP program runs\n");
	}
#endif
	return features;
}

/*
 * ethtool -K lro on|off: OID_TCP_OFFLOAD_PARAMETERS with only the RSC
 * fields set (every other one "no change"), as the kernel's driver.  Not
 * connected: the next connection applies it (netvsc_setup_offloads()).
 */
static int netvsc_set_features(struct net_device *ndev,
			       netdev_features_t features)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	struct ndis_offload_params p = { };
	u8 v;
	int ret;

	if (!((features ^ ndev->features) & NETIF_F_LRO))
		return 0;
	if (!nd->rndis_up || !nd->rsc_offered)
		return 0;
	v = features & NETIF_F_LRO ? NDIS_OFFLOAD_RSC_ENABLED :
				     NDIS_OFFLOAD_DISABLED;
	p.hdr.type = NDIS_OBJ_TYPE_DEFAULT;
	p.hdr.revision = NDIS_OFFLOAD_PARAMS_REV_3;
	p.hdr.size = NDIS_OFFLOAD_PARAMS_SIZE;
	p.rsc_ip4 = v;
	p.rsc_ip6 = v;
	ret = netvsc_rndis_set(nd, RNDIS_OID_TCP_OFFLOAD_PARAMETERS, &p,
			       p.hdr.size);
	if (ret)
		netdev_warn(ndev, "host refused to turn RSC %s (%d)\n",
			    v == NDIS_OFFLOAD_RSC_ENABLED ? "on" : "off", ret);
	return ret;
}

static u32 netvsc_ring_bytes(u32 sections, u32 section_size)
{
	u64 b = (u64)sections * section_size;

	return b > U32_MAX - PAGE_SIZE ? U32_MAX : PAGE_ALIGN((u32)b);
}

static int netvsc_set_ringparam(struct net_device *ndev,
				struct ethtool_ringparam *ring)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	struct netvsc_conn_cfg c;

	netvsc_cfg_now(nd, &c);
	if (ring->rx_mini_pending || ring->rx_jumbo_pending)
		return -EINVAL;
	if (ring->rx_pending == nd->recv_lay.num_sub_allocs &&
	    ring->tx_pending == nd->send_lay.num_sections)
		return 0;
	c.recv_buf_size = netvsc_ring_bytes(ring->rx_pending,
					    netvsc_rx_section(nd));
	c.send_buf_size = netvsc_ring_bytes(ring->tx_pending,
					    netvsc_tx_section(nd));
	if (c.recv_buf_size < NETVSC_BUF_MIN ||
	    c.recv_buf_size > netvsc_recv_buf_max(nd) ||
	    c.send_buf_size < NETVSC_BUF_MIN ||
	    c.send_buf_size > NVSP_SEND_BUF_MAX) {
		netdev_err(ndev, "rx %u / tx %u: the buffers would be %u / %u bytes; each takes %u..%u / %u..%u\n",
			   ring->rx_pending, ring->tx_pending, c.recv_buf_size,
			   c.send_buf_size, NETVSC_BUF_MIN,
			   netvsc_recv_buf_max(nd), NETVSC_BUF_MIN,
			   NVSP_SEND_BUF_MAX);
		return -EINVAL;
	}
	return netvsc_reconnect(ndev, &c);
}
DEFINE_NETVSC_SET_RINGPARAM(netvsc_set_ringparam)

/*
 * ethtool -L combined N: a new connection with N channels (as the
 * kernel's driver).  1..the host's maximum; rx/tx/other counts are not
 * separate.  If the host refuses, the old count is connected again.
 */
static int netvsc_set_channels(struct net_device *ndev,
			       struct ethtool_channels *ch)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	u32 max = nd->max_queues ?: 1;
	struct netvsc_conn_cfg c;

	if (ch->rx_count || ch->tx_count || ch->other_count) {
		netdev_err(ndev, "channels are combined only (rx/tx/other 0)\n");
		return -EINVAL;
	}
	if (!ch->combined_count || ch->combined_count > max) {
		netdev_err(ndev, "combined %u: the host takes 1..%u channels; %u kept\n",
			   ch->combined_count, max, nd->num_queues);
		return -EINVAL;
	}
	if (ch->combined_count == nd->num_queues &&
	    ch->combined_count == nd->req_queues)
		return 0;
	netvsc_cfg_now(nd, &c);
	c.queues = ch->combined_count;
	return netvsc_reconnect(ndev, &c);
}

/* ethtool needs the receive queue count to check an RSS table */
static int netvsc_get_rxnfc(struct net_device *ndev, struct ethtool_rxnfc *info,
			    u32 *rules)
{
	struct netvsc_dev *nd = netdev_priv(ndev);

	if (info->cmd != ETHTOOL_GRXRINGS)
		return -EOPNOTSUPP;
	info->data = nd->num_queues;
	return 0;
}

static u32 netvsc_get_rxfh_key_size(struct net_device *ndev)
{
	return NDIS_RSS_KEY_SIZE;
}

static u32 netvsc_get_rxfh_indir_size(struct net_device *ndev)
{
	return NDIS_RSS_ITAB_MAX;
}

/* ethtool -x: the table and key of the RSS parameters (RTNL) */
static int netvsc_get_rxfh(struct net_device *ndev, u32 *indir, u8 *key,
			   u8 *hfunc)
{
	struct netvsc_dev *nd = netdev_priv(ndev);

	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	mutex_lock(&nd->rss_mutex);
	if (indir)
		memcpy(indir, nd->rss_indir, sizeof(nd->rss_indir));
	if (key)
		memcpy(key, nd->rss_key, sizeof(nd->rss_key));
	mutex_unlock(&nd->rss_mutex);
	return 0;
}
DEFINE_NETVSC_GET_RXFH(netvsc_get_rxfh)

/*
 * ethtool -X equal/weight/hkey (RTNL): Toeplitz only; every entry must
 * name a queue of this connection.  With RSS parameters in use the host
 * gets the new ones at once (as the kernel's driver); if it refuses, the
 * old table and key stay and the error is returned.  With one queue
 * they are kept for the next connection that has RSS.
 */
static int netvsc_set_rxfh(struct net_device *ndev, const u32 *indir,
			   const u8 *key, u8 hfunc)
{
	struct netvsc_dev *nd = netdev_priv(ndev);
	u8 old_key[NDIS_RSS_KEY_SIZE];
	u32 *old_indir;
	bool send;
	u32 i;
	int ret;

	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	if (!indir && !key)
		return 0;
	if (indir)
		for (i = 0; i < NDIS_RSS_ITAB_MAX; i++)
			if (indir[i] >= nd->num_queues)
				return -EINVAL;
	old_indir = kmemdup(nd->rss_indir, sizeof(nd->rss_indir), GFP_KERNEL);
	if (!old_indir)
		return -ENOMEM;
	memcpy(old_key, nd->rss_key, sizeof(old_key));
	mutex_lock(&nd->rss_mutex);
	if (indir)
		memcpy(nd->rss_indir, indir, sizeof(nd->rss_indir));
	if (key)
		memcpy(nd->rss_key, key, sizeof(nd->rss_key));
	mutex_unlock(&nd->rss_mutex);
	mutex_lock(&netvsc_sc_mutex);
	send = nd->rss_set && nd->rndis_up;
	mutex_unlock(&netvsc_sc_mutex);
	ret = send ? netvsc_set_rss(nd) : 0;
	if (ret) {
		netdev_err(ndev, "the host refused the RSS table/key (%d); the old ones stay\n",
			   ret);
		mutex_lock(&nd->rss_mutex);
		memcpy(nd->rss_indir, old_indir, sizeof(nd->rss_indir));
		memcpy(nd->rss_key, old_key, sizeof(nd->rss_key));
		mutex_unlock(&nd->rss_mutex);
	}
	kfree(old_indir);
	return ret;
}
DEFINE_NETVSC_SET_RXFH(netvsc_set_rxfh)

static const struct ethtool_ops netvsc_ethtool_ops = {
	.get_drvinfo = netvsc_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_sset_count = netvsc_get_sset_count,
	.get_strings = netvsc_get_strings,
	.get_ethtool_stats = netvsc_get_ethtool_stats,
	.get_link_ksettings = netvsc_get_link_ksettings,
	.get_channels = netvsc_get_channels,
	.set_channels = netvsc_set_channels,
	.get_ringparam = netvsc_get_ringparam_op,
	.set_ringparam = netvsc_set_ringparam_op,
	.get_rxnfc = netvsc_get_rxnfc,
	.get_rxfh_key_size = netvsc_get_rxfh_key_size,
	.get_rxfh_indir_size = netvsc_get_rxfh_indir_size,
	.get_rxfh = netvsc_get_rxfh_op,
	.set_rxfh = netvsc_set_rxfh_op,
};

DEFINE_NETVSC_SELECT_QUEUE(netvsc_pick_queue)

/* ip link set up/down: the VF follows (as the kernel's driver) */
static int netvsc_ndo_open(struct net_device *ndev)
{
	int ret = netvsc_open(ndev);

	if (!ret)
		netvsc_vf_open(netdev_priv(ndev));
	return ret;
}

static int netvsc_ndo_stop(struct net_device *ndev)
{
	netvsc_vf_close(netdev_priv(ndev));
	return netvsc_close(ndev);
}

static const struct net_device_ops netvsc_netdev_ops = {
	.ndo_open = netvsc_ndo_open,
	.ndo_stop = netvsc_ndo_stop,
	.ndo_start_xmit = netvsc_start_xmit,
	.ndo_select_queue = netvsc_pick_queue_op,
	.ndo_set_rx_mode = netvsc_set_rx_mode,
	.ndo_change_rx_flags = netvsc_change_rx_flags,
	.ndo_get_stats64 = netvsc_get_stats64_op,
#ifdef HAVE_NDO_CHANGE_MTU_EXTENDED
	/* RHEL 7: the MTU hook is one of the extended ops */
	.ndo_size = sizeof(netvsc_netdev_ops),
	.extended.ndo_change_mtu = netvsc_change_mtu,
#else
	.ndo_change_mtu = netvsc_change_mtu,
#endif
	.ndo_set_mac_address = netvsc_set_mac_address,
	.ndo_validate_addr = eth_validate_addr,
	.ndo_fix_features = netvsc_fix_features,
	.ndo_set_features = netvsc_set_features,
#ifdef HAVE_XDP_NDO_BPF
	.ndo_bpf = netvsc_bpf,
	.ndo_xdp_xmit = netvsc_xdp_xmit,
#endif
};

bool netvsc_is_netvsc(const struct net_device *dev)
{
	return dev->netdev_ops == &netvsc_netdev_ops;
}

static void netvsc_free_chans(struct netvsc_dev *nd)
{
	u32 i;

	for (i = 0; i < NETVSC_MAX_QUEUES; i++) {
		if (!nd->chan[i])
			continue;
		netvsc_xdp_rxq_fini(nd->chan[i]);
		netif_napi_del(&nd->chan[i]->napi);
		kvfree(nd->chan[i]);
		nd->chan[i] = NULL;
	}
}

static int netvsc_alloc_chans(struct netvsc_dev *nd)
{
	struct netvsc_chan *c;
	u32 i;
	int ret;

	for (i = 0; i < NETVSC_MAX_QUEUES; i++) {
		c = kvzalloc(sizeof(*c), GFP_KERNEL);
		if (!c)
			return -ENOMEM;
		c->nd = nd;
		c->q = i;
		c->gone = i != 0;
		skb_queue_head_init(&c->rxq);
		netvsc_napi_add(nd->ndev, &c->napi, netvsc_poll);
		nd->chan[i] = c;
		ret = netvsc_xdp_rxq_init(c);
		if (ret)
			return ret;
	}
	nd->chan[0]->ch = nd->hdev->channel;
	return 0;
}

static int netvsc_probe(struct hv_device *hdev,
			const struct hv_vmbus_device_id *id)
{
	struct net_device *ndev;
	struct netvsc_dev *nd;
	int ret, i;

	ndev = alloc_etherdev_mq(sizeof(*nd), NETVSC_MAX_QUEUES);
	if (!ndev)
		return -ENOMEM;
	nd = netdev_priv(ndev);
	nd->hdev = hdev;
	nd->ndev = ndev;
	spin_lock_init(&nd->lock);
	mutex_init(&nd->ctl.mutex);
	init_completion(&nd->ctl.done);
	mutex_init(&nd->rreq.mutex);
	init_completion(&nd->rreq.done);
	INIT_WORK(&nd->rx_mode_work, netvsc_rx_mode_work);
	INIT_WORK(&nd->rss_work, netvsc_rss_work);
	INIT_WORK(&nd->vf_work, netvsc_vf_work);
	INIT_LIST_HEAD(&nd->vf_node);
	mutex_init(&nd->rss_mutex);
	init_waitqueue_head(&nd->sc_wait);
	nd->recv_buf_size = netvsc_recv_buf_size;
	nd->send_buf_size = netvsc_send_buf_size;
	/* as the kernel's driver: the stack's default RSS queue count */
	nd->req_queues = clamp_t(u32, netif_get_num_default_rss_queues(), 1,
				 NETVSC_MAX_QUEUES);
	nd->num_queues = 1;
	nd->max_queues = 1;
	netdev_rss_key_fill(nd->rss_key, sizeof(nd->rss_key));
	for (i = 0; i < NETVSC_ERR_NUM; i++)
		atomic64_set(&nd->err[i], 0);
	atomic_set(&nd->tx_inflight, 0);
	ret = netvsc_alloc_chans(nd);
	if (ret)
		goto err;
	hvlis_chan_set_drvdata(hdev->channel, nd->chan[0]);
	SET_NETDEV_DEV(ndev, &hdev->device);
	netvsc_lockdep_set_classes(ndev);
	mutex_lock(&netvsc_sc_mutex);
	dev_set_drvdata(&hdev->device, nd);
	mutex_unlock(&netvsc_sc_mutex);
	hvlis_chan_set_rescind_callback(hdev->channel, netvsc_primary_rescind);
	ndev->netdev_ops = &netvsc_netdev_ops;
	ndev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	ndev->ethtool_ops = &netvsc_ethtool_ops;
	netvsc_xdp_setup_dev(ndev);
	ndev->hw_features = NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_CTAG_RX |
			    NETIF_F_RXHASH;
	netif_carrier_off(ndev);

	ret = netvsc_attach(nd);
	if (ret)
		goto err;
	ndev->features = ndev->hw_features & ~NETIF_F_LRO;	/* above */
	ndev->vlan_features = ndev->features & ~(NETIF_F_HW_VLAN_CTAG_TX |
						 NETIF_F_HW_VLAN_CTAG_RX);
	/* NVSP 2 carries the MTU in NDIS_CONFIG; older hosts fix it */
	nd->mtu_limit = nd->nvsp_version >= NVSP_VERSION_2 ?
			65535u - ETH_HLEN : ETH_DATA_LEN;
	netvsc_set_mtu_range(ndev, NETVSC_MIN_MTU, nd->mtu_limit);
	if (ndev->mtu > nd->host_mtu)
		ndev->mtu = nd->host_mtu;
	ret = register_netdev(ndev);
	if (ret) {
		netvsc_detach(nd);
		goto err;
	}
	netdev_info(ndev, "%pM, NVSP %#x, %u send sections of %u bytes, %u of %u queues\n",
		    ndev->dev_addr, nd->nvsp_version, nd->send_lay.num_sections,
		    nd->send_lay.section_size, nd->num_queues, nd->max_queues);
	netvsc_vf_add(nd);
	return 0;
err:
	cancel_work_sync(&nd->vf_work);	/* an association came */
	hvlis_chan_set_rescind_callback(hdev->channel, NULL);
	mutex_lock(&netvsc_sc_mutex);
	dev_set_drvdata(&hdev->device, NULL);
	mutex_unlock(&netvsc_sc_mutex);
	hvlis_chan_set_drvdata(hdev->channel, NULL);
	netvsc_free_chans(nd);
	free_netdev(ndev);
	return ret;
}

static void netvsc_remove(struct hv_device *hdev)
{
	struct netvsc_dev *nd = dev_get_drvdata(&hdev->device);
	struct net_device *ndev = nd->ndev;

	netvsc_vf_del(nd);
	unregister_netdev(ndev);
	/* after unregister: the work takes RTNL, and nothing requeues it */
	cancel_work_sync(&nd->rx_mode_work);
	netvsc_detach(nd);
	/* the channel is closed: no association schedules it again */
	netvsc_vf_fini(nd);
	netvsc_xdp_release(nd);
	/* a sub-channel callback that comes late finds no device */
	hvlis_chan_set_rescind_callback(hdev->channel, NULL);
	mutex_lock(&netvsc_sc_mutex);
	dev_set_drvdata(&hdev->device, NULL);
	mutex_unlock(&netvsc_sc_mutex);
	hvlis_chan_set_drvdata(hdev->channel, NULL);
	netvsc_free_chans(nd);
	free_netdev(ndev);
}

static const struct hv_vmbus_device_id netvsc_id_table[] = {
	{ .guid = HV_NIC_GUID },
	{ },
};
MODULE_DEVICE_TABLE(vmbus, netvsc_id_table);

static struct hv_driver netvsc_drv = {
	.name = KBUILD_MODNAME,
	.id_table = netvsc_id_table,
	.probe = netvsc_probe,
	.remove = netvsc_remove,
};

static int __init netvsc_init(void)
{
	int ret;

	if (netvsc_timeout < 1 || netvsc_timeout > 600) {
		pr_err("timeout=%u is out of range (1-600)\n", netvsc_timeout);
		return -EINVAL;
	}
	if (netvsc_recv_buf_size < NETVSC_BUF_MIN ||
	    netvsc_recv_buf_size > NVSP_RECV_BUF_MAX ||
	    netvsc_recv_buf_size % PAGE_SIZE) {
		pr_err("recv_buf_size=%u is out of range\n",
		       netvsc_recv_buf_size);
		return -EINVAL;
	}
	if (netvsc_send_buf_size < NETVSC_BUF_MIN ||
	    netvsc_send_buf_size > NVSP_SEND_BUF_MAX ||
	    netvsc_send_buf_size % PAGE_SIZE) {
		pr_err("send_buf_size=%u is out of range\n",
		       netvsc_send_buf_size);
		return -EINVAL;
	}
	/* VF events before the first NIC, as the kernel's driver */
	ret = netvsc_vf_init();
	if (ret)
		return ret;
	ret = hvlis_driver_register(&netvsc_drv);
	if (ret)
		netvsc_vf_exit();
	return ret;
}

static void __exit netvsc_exit(void)
{
	hvlis_driver_unregister(&netvsc_drv);
	netvsc_vf_exit();
}

module_init(netvsc_init);
module_exit(netvsc_exit);
MODULE_DESCRIPTION("Hyper-V synthetic network driver (hyperv-lis)");
MODULE_LICENSE("GPL");
MODULE_VERSION(HVLIS_VERSION);
