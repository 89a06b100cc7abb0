/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_netvsc: shared definitions of the driver's files.
 *
 *   netvsc_main.c   module, probe/remove, net_device and ethtool ops
 *   netvsc_nvsp.c   channel open, NVSP handshake, buffers, control requests
 *   netvsc_rx.c     channel callback: receive, completions, status, NAPI
 *   netvsc_tx.c     transmit into send-buffer sections or page ranges
 *   netvsc_rndis.c  RNDIS control requests (INIT, QUERY, SET, HALT)
 *   netvsc_vf.c     VF failover (accelerated networking)
 *   nvsp_codec.c, rndis_codec.c  protocol code shared with tests/unit
 */
#ifndef NETVSC_H
#define NETVSC_H

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/skbuff.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/wait.h>
#include <hvlis/vmbus.h>
#include "vmbus_codec.h"

#include "nvsp_codec.h"
#include "rndis_codec.h"
#include "netvsc_compat.h"

#define NETVSC_RING_BYTES	(256u * 1024)
#define NETVSC_MAX_IN_PKT	8192u		/* largest inbound VMBus packet */
/* ranges that fit an inbound packet */
#define NETVSC_MAX_RANGES	(NETVSC_MAX_IN_PKT / 8)
#define NETVSC_RXQ_MAX		4096u		/* skbs waiting for NAPI */
#define NETVSC_COMP_MAX		1024u		/* deferred receive completions */
#define NETVSC_RNDIS_REPLY_MAX	512u
#define NETVSC_RNDIS_REQ_MAX	1024u	/* RSS parameters: 620 bytes */
#define NETVSC_BUF_MIN		(64u * 1024)	/* smallest receive/send buffer */
#define NETVSC_MIN_MTU		68u
#define NETVSC_MAX_QUEUES	8u		/* channels: primary + 7 */
#define NETVSC_NO_OWNER		0xffffu		/* send section of nobody */
#define NETVSC_ALL_OWNERS	0x10000u	/* netvsc_tx_purge(): all */

extern unsigned int netvsc_timeout;
extern unsigned int netvsc_recv_buf_size;
extern unsigned int netvsc_send_buf_size;

/*
 * Error counters (ethtool -S); every refused host input bumps one.  The
 * RSC packet/fragment counts are kept here too.
 */
enum netvsc_err {
	NETVSC_ERR_BAD_NVSP,		/* malformed NVSP message */
	NETVSC_ERR_UNKNOWN_TID,		/* completion for nothing we sent */
	NETVSC_ERR_BAD_RANGE,		/* transfer-page range out of bounds */
	NETVSC_ERR_BAD_RNDIS,		/* malformed RNDIS message / PPI */
	NETVSC_ERR_BAD_PKT_TYPE,	/* unexpected VMBus packet type */
	NETVSC_ERR_COMP_DROPPED,	/* receive completion could not be sent */
	NETVSC_ERR_RX_NOMEM,		/* skb allocation failed */
	NETVSC_ERR_RXQ_FULL,		/* NAPI queue full, frame dropped */
	NETVSC_ERR_TX_BUSY,		/* ring or sections full */
	NETVSC_ERR_TX_DROPPED,		/* frame that cannot be sent */
	NETVSC_ERR_TX_FAILED,		/* host completed a send with failure */
	NETVSC_ERR_XDP_TOO_BIG,		/* frame larger than an XDP buffer */
	NETVSC_ERR_RSC_DROPPED,		/* bad RSC fragment sequence dropped */
	NETVSC_ERR_RSC_PACKETS,		/* coalesced packets reassembled */
	NETVSC_ERR_RSC_FRAGS,		/* their fragments */
	/* VF (netvsc_vf.c): traffic through it, data path switches */
	NETVSC_ERR_VF_RX_PACKETS,
	NETVSC_ERR_VF_RX_BYTES,
	NETVSC_ERR_VF_TX_PACKETS,
	NETVSC_ERR_VF_TX_BYTES,
	NETVSC_ERR_VF_TX_DROPPED,
	NETVSC_ERR_VF_TO_VF,		/* SWITCH_DATA_PATH VF completed */
	NETVSC_ERR_VF_TO_SYNTH,		/* SWITCH_DATA_PATH synthetic */
	NETVSC_ERR_VF_HOST_SYNTH,	/* the host switched to synthetic */
	NETVSC_ERR_NUM,
};

struct netvsc_dev;

struct netvsc_chan {
	struct netvsc_dev *nd;
	struct vmbus_channel *ch;
	u16 q;				/* queue = sub-channel index */
	bool opened;
	bool gone;			/* rescinded: its queue is dropped */
	struct napi_struct napi;
	struct sk_buff_head rxq;
	/* receive completions that found the ring full */
	struct {
		u64 tid;
		u32 status;
	} comp[NETVSC_COMP_MAX];
	u32 comp_head, comp_count;
	bool napi_on;			/* frames are queued only while up */
	u64 range_scratch[NETVSC_MAX_RANGES];
	struct rndis_rsc rsc;		/* coalesced packet being reassembled */
	/* stats, updated by the channel's tasklet / xmit under its queue lock */
	u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
	/* XDP verdicts (NAPI poll); frames of ndo_xdp_xmit (queue lock) */
	u64 xdp_drop, xdp_tx, xdp_redirect, xdp_xmit;
#ifdef HAVE_XDP_NDO_BPF
	struct bpf_prog __rcu *xdp_prog;	/* nd->xdp_prog, for NAPI */
	struct xdp_rxq_info xdp_rxq;
	bool xdp_rxq_ok;
#endif
};

/* One outstanding NVSP control request */
struct netvsc_ctl {
	struct mutex mutex;		/* one request at a time */
	struct completion done;
	u32 req_type;			/* NVSP type of the request */
	u32 wait_type;			/* NVSP type of the reply we expect */
	bool pending;
	int err;
	struct nvsp_host_msg reply;
};

/* One outstanding RNDIS control request */
struct netvsc_rndis_req {
	struct mutex mutex;
	struct completion done;
	u32 req_id;
	u32 wait_type;
	bool pending;
	int err;
	struct rndis_cmplt_info info;	/* info points into buf */
	u8 buf[NETVSC_RNDIS_REPLY_MAX];
	u8 req_buf[NETVSC_RNDIS_REQ_MAX];	/* a SET being sent */
};

struct netvsc_dev {
	struct hv_device *hdev;
	struct net_device *ndev;
	/* [0] the primary channel, [q] sub-channel q; all allocated at probe */
	struct netvsc_chan *chan[NETVSC_MAX_QUEUES];
	spinlock_t lock;		/* ctl/rndis state, section map */

	/* vRSS (netvsc_sc_mutex) */
	wait_queue_head_t sc_wait;	/* a sub-channel was opened */
	u32 req_queues;			/* what ethtool -L asked for */
	u32 max_queues;			/* the host's, capped: ethtool -l */
	u32 num_queues;			/* channels of this connection */
	u32 sc_asked;			/* sub-channels we take offers of */
	u32 sc_opened;			/* of those, opened */
	bool rss_set;			/* RSS parameters sent */
	struct work_struct rss_work;	/* re-sent after a rescind */
	struct mutex rss_mutex;		/* one RSS parameter set at a time */
	u8 rss_key[NDIS_RSS_KEY_SIZE];		/* ethtool -X hkey */
	u32 rss_indir[NDIS_RSS_ITAB_MAX];	/* ethtool -X equal/weight */
	u32 tx_table[NVSP_SEND_TABLE_SIZE];	/* the host's send table */
	bool tx_table_valid;

	u32 nvsp_version;
	struct netvsc_ctl ctl;
	struct netvsc_rndis_req rreq;
	u32 next_req_id;

	/* buffer sizes of the next connection (ethtool -G) */
	u32 recv_buf_size, send_buf_size;

	/* receive buffer */
	void *recv_buf;
	u32 recv_size;
	struct hvlis_gpadl recv_gpadl;
	bool recv_gpadl_ok, recv_given;
	struct nvsp_recv_layout recv_lay;

	/* send buffer */
	void *send_buf;
	u32 send_size;
	struct hvlis_gpadl send_gpadl;
	bool send_gpadl_ok, send_given;
	struct nvsp_send_layout send_lay;
	unsigned long *section_map;
	struct sk_buff **tx_skb;	/* per section, NULL for control */
	u16 *tx_owner;			/* per section: channel it went on */
	atomic_t tx_inflight;
	bool tx_up;			/* open: completions may wake queues */

	/* RNDIS device */
	bool rndis_up;
	u32 max_pkt_per_msg, pkt_align;
	u32 host_mtu;			/* MAXIMUM_FRAME_SIZE of this connection */
	u32 mtu_limit;			/* largest MTU the driver accepts */
	u32 link_speed;			/* units of 100 bps */
	bool link_up;
	u8 perm_addr[ETH_ALEN];
	u32 filter;			/* the host's packet filter */
	struct work_struct rx_mode_work;	/* filter update (sleeps) */
	bool udp4_csum, udp6_csum;	/* host checksums UDP too */
	bool rsc_offered;		/* NVSP 6.1 host with RSC v4 and v6 */
	u32 tso_max_host;		/* the TSO limit of the synthetic path */

	atomic64_t err[NETVSC_ERR_NUM];

	/* VF failover (netvsc_vf.c; locking there) */
	struct list_head vf_node;
	bool vf_listed;			/* on the list: VF events come */
	struct net_device __rcu *vf;	/* the joined VF, held */
	bool vf_fresh;			/* joined, not set up yet */
	bool vf_alloc;			/* the host offers a VF */
	u32 vf_serial;			/* its serial number */
	bool dp_vf;			/* data path on the VF: transmit there */
	unsigned int vf_rx_flags;	/* IFF_PROMISC/ALLMULTI the VF has from us */
	struct work_struct vf_work;
#ifdef HAVE_XDP_NDO_BPF
	struct bpf_prog *xdp_prog;	/* RTNL; holds the reference */
	bool vf_xdp;			/* the VF runs xdp_prog, given by us */
#endif
};

static inline void netvsc_count(struct netvsc_dev *nd, enum netvsc_err e)
{
	atomic64_inc(&nd->err[e]);
}

/* netvsc_nvsp.c */
/*
 * Serialises sub-channel offers and rescinds (hv_vmbus's message work)
 * with open/close, the connection's setup and teardown and remove; never
 * held while waiting for an offer.  Global, so that a callback that
 * races with remove finds the device's drvdata gone instead of freed
 * memory.
 */
extern struct mutex netvsc_sc_mutex;
int netvsc_connect(struct netvsc_dev *nd);
void netvsc_disconnect(struct netvsc_dev *nd);
int netvsc_open_subchannels(struct netvsc_dev *nd, u32 want);
void netvsc_close_subchannels(struct netvsc_dev *nd);
int netvsc_set_rss(struct netvsc_dev *nd);
void netvsc_rss_table_check(struct netvsc_dev *nd);
void netvsc_rss_work(struct work_struct *w);
void netvsc_stop_rss(struct netvsc_dev *nd);
void netvsc_primary_rescind(struct vmbus_channel *ch);
void netvsc_ctl_complete(struct netvsc_dev *nd, u32 req_type,
			 const struct nvsp_host_msg *h);
void netvsc_reject(struct netvsc_dev *nd, enum netvsc_err e, u64 tid,
		   const char *why);

int netvsc_switch_datapath(struct netvsc_dev *nd, bool vf);

/* netvsc_main.c */
bool netvsc_is_netvsc(const struct net_device *dev);

/* netvsc_vf.c */
int netvsc_vf_init(void);
void netvsc_vf_exit(void);
void netvsc_vf_add(struct netvsc_dev *nd);
void netvsc_vf_del(struct netvsc_dev *nd);
void netvsc_vf_fini(struct netvsc_dev *nd);
void netvsc_vf_work(struct work_struct *w);
void netvsc_vf_reset(struct netvsc_dev *nd);
void netvsc_vf_assoc(struct netvsc_dev *nd, u32 allocated, u32 serial);
void netvsc_vf_host_switch(struct netvsc_dev *nd, u32 path);
bool netvsc_vf_xmit(struct netvsc_dev *nd, struct sk_buff *skb);
void netvsc_vf_open(struct netvsc_dev *nd);
void netvsc_vf_close(struct netvsc_dev *nd);
void netvsc_vf_rx_mode(struct netvsc_dev *nd);
void netvsc_vf_rx_flags(struct netvsc_dev *nd);
void netvsc_vf_mtu(struct netvsc_dev *nd);

/* netvsc_rx.c */
void netvsc_onchannel(void *ctx);
int netvsc_poll(struct napi_struct *napi, int budget);
void netvsc_purge_rx(struct netvsc_chan *c);

/* netvsc_tx.c */
netdev_tx_t netvsc_start_xmit(struct sk_buff *skb, struct net_device *ndev);
u16 netvsc_pick_queue(struct net_device *ndev, struct sk_buff *skb);
int netvsc_section_get(struct netvsc_dev *nd);
void netvsc_section_put(struct netvsc_dev *nd, u32 idx);
void netvsc_tx_complete(struct netvsc_chan *c, u32 idx, u32 status);
void netvsc_tx_purge(struct netvsc_dev *nd, u32 owner);
void netvsc_tx_wake(struct netvsc_dev *nd);

/* netvsc_xdp.c (stubs without the XDP API) */
struct sk_buff *netvsc_xdp_rx(struct netvsc_chan *c, struct sk_buff *skb,
			      bool *flush);
bool netvsc_xdp_mtu_ok(struct netvsc_dev *nd, u32 mtu);
int netvsc_xdp_rxq_init(struct netvsc_chan *c);
void netvsc_xdp_rxq_fini(struct netvsc_chan *c);
void netvsc_xdp_release(struct netvsc_dev *nd);
void netvsc_xdp_setup_dev(struct net_device *ndev);
void netvsc_xdp_flush(void);
void netvsc_xdp_vf_join(struct netvsc_dev *nd, struct net_device *vf);
void netvsc_xdp_vf_release(struct netvsc_dev *nd, struct net_device *vf);
#ifdef HAVE_XDP_NDO_BPF
int netvsc_bpf(struct net_device *ndev, struct netdev_bpf *bpf);
int netvsc_xdp_xmit(struct net_device *ndev, int n, struct xdp_frame **frames,
		    u32 flags);
#endif

/* netvsc_rndis.c */
int netvsc_rndis_init(struct netvsc_dev *nd);
int netvsc_rndis_query(struct netvsc_dev *nd, u32 oid, void *out, u32 *len);
int netvsc_rndis_set(struct netvsc_dev *nd, u32 oid, const void *data,
		     u32 len);
int netvsc_rndis_set_status(struct netvsc_dev *nd, u32 oid, const void *data,
			    u32 len, u32 *status);
void netvsc_rndis_halt(struct netvsc_dev *nd);
void netvsc_rndis_receive(struct netvsc_chan *c, const u8 *msg, u32 len);
int netvsc_set_filter(struct netvsc_dev *nd, u32 filter);

#endif /* NETVSC_H */
