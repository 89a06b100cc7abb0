/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NetVSP internals shared by netvsp.c (NVSP, buffers, data path),
 * netvsp_rndis.c (RNDIS control messages and OIDs) and netvsp_switch.c
 * (the vswitch, the host port netdev, the debugfs file).
 */
#ifndef NETVSP_H
#define NETVSP_H

#include <linux/atomic.h>
#include <linux/if_ether.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "simhost.h"

#include "nvsp.h"
#include "rndis.h"

/* Host policy values (OpenVMM netvsp/src/lib.rs, buffers.rs) */
#define NV_SEND_SECTION_SIZE	6144	/* OpenVMM's fixed send section */
#define NV_RX_HEADER_LEN	256	/* RNDIS headers area of a sub-alloc */
#define NV_RX_FOOTER_LEN	36	/* left unused (a Windows guest bug) */
#define NV_MTU_DEFAULT		1514	/* NDIS config mtu: frame bytes */
#define NV_MTU_MAX		9216
#define NV_RNDIS_STATUS_BAD_VERSION	0xc0010004u
#define NV_PKT_HDR	(RNDIS_HDR_SIZE + (u32)sizeof(struct rndis_packet))
#define NV_PPI_HDR	((u32)sizeof(struct rndis_ppi))

/* ---- the vswitch (netvsp_switch.c) ---- */
struct nv_port {
	struct list_head node;		/* nv_sw.ports, RCU */
	u8 mac[ETH_ALEN];
	/* source address learned from the port's frames (0: none), u64 */
	u64 learned;
	const char *kind;		/* "nic" or "host" */
	unsigned int index;
	/* Takes the skb (any context, BH may be off). */
	void (*deliver)(struct nv_port *port, struct sk_buff *skb);
	/*
	 * Takes a TCP frame of @len bytes coalesced (RSC on for IPv4 /
	 * IPv6, and it fits one receive); NULL: never.
	 */
	bool (*rsc_on)(struct nv_port *port, bool v6, u32 len);
};

void nv_switch_attach(struct nv_port *port);
void nv_switch_detach(struct nv_port *port);
/* Switch @skb (a full Ethernet frame, skb->data at the MAC header). */
void nv_switch_forward(struct nv_port *from, struct sk_buff *skb);
/* Does a unicast frame to @dst (@len bytes) go to a port taking RSC? */
bool nv_switch_rsc_to(struct nv_port *from, const u8 *dst, bool v6, u32 len);
void nv_nic_mac(unsigned int index, u8 *mac);

/* ---- one synthetic NIC (netvsp.c) ---- */
#define NV_MAX_CHANNELS		8
#define NV_RXQ_MAX		1024
#define NV_CTRL_MAX_BYTES	(100 * 1024)	/* OpenVMM's control queue cap */
#define NV_RX_BATCH		64

struct nv_ctrl {			/* a queued RNDIS control message */
	struct list_head node;
	u32 len;
	u32 charge;			/* bytes counted against the cap */
	u8 data[];
};

struct nv_nic {
	struct kref ref;
	struct nv_port port;
	unsigned int index;
	struct sim_chan *chans[NV_MAX_CHANNELS];	/* lock; [0] primary */
	spinlock_t lock;		/* sections, chans, queues */

	/* NVSP state (primary's packet() only, then read-only) */
	u32 version;
	u32 msg_size;
	bool have_cfg, have_ndis_ver;
	u32 mtu;			/* NDIS config: frame bytes */
	u64 cfg_caps;
	u32 ndis_major, ndis_minor;

	/* receive buffer */
	u8 *rbuf;
	u32 rbuf_len, rbuf_gpadl;
	u16 rbuf_id;
	u32 sub_size, nsec;
	u8 *sec_state;			/* 0 free, 1 busy head, 2 busy member */
	u32 *sec_next;			/* chain of one transfer-page packet */
	u32 nfree;

	/* send buffer */
	u8 *sbuf;
	u32 sbuf_len, sbuf_gpadl;

	/* RNDIS */
	bool rndis_up;
	u32 filter;
	bool link_up;			/* what the guest was last told */
	bool offload_pending;		/* TASK_OFFLOAD_CURRENT_CONFIG due */
	u32 csum_tx, csum_rx;		/* NDIS bitfields the guest set */
	bool lso4, lso6;
	bool rss_on;
	u32 rss_hash;
	u8 rss_key[NDIS_RSS_KEY_SIZE];
	u16 rss_table[NDIS_RSS_ITAB_MAX];
	u32 nsubs_granted;
	bool send_table_due;		/* all granted channels open */
	u32 send_tables;		/* SEND_INDIRECTION_TABLEs sent */

	/* receive path */
	struct sk_buff_head rxq;
	struct list_head ctrlq;
	u32 ctrl_bytes;
	struct work_struct rx_work;
	bool active;			/* buffers ready, worker may run */
	bool stopped;			/* worker error: primary not served */
	unsigned int storm;		/* status indications still to send */

	atomic64_t tx_frames, tx_dropped, rx_frames, rx_dropped, tx_refused;
	atomic64_t bad_comp;
	/* per channel (sub-channel index): frames to / from the guest */
	atomic64_t ch_rx[NV_MAX_CHANNELS], ch_tx[NV_MAX_CHANNELS];
	u32 ch_relid[NV_MAX_CHANNELS];	/* of the last open, 0: never */

	/* RSC (netvsp.c nv_rx_rsc()): what the guest set, what was sent */
	bool rsc4, rsc6;
	u16 rsc_id;			/* PKTINFO_ID packet id */
	atomic64_t rsc_pkts, rsc_frags;

	/*
	 * VF (accelerated networking; netvsp.c nv_vf_state()): what the
	 * guest was told (rx worker only) and the data path it chose.
	 */
	bool vf_adv;			/* VF_ASSOCIATION {1} sent, no {0} */
	u32 vf_adv_serial;
	bool dp_vf;			/* data path VF (primary's packet()) */
	atomic_t vf_assoc, vf_unassoc;	/* VF_ASSOCIATION {1} / {0} sent */
	atomic_t sw_to_vf, sw_to_synth;	/* SWITCH_DATA_PATH taken */
	atomic_t sw_ignored;		/* VF asked for while none offered */
	atomic_t host_to_synth;		/* SWITCH_DATA_PATH sent to the guest */
	atomic64_t vf_diverted;		/* frames for the VF, not delivered */
};

extern struct workqueue_struct *nv_wq;

/* netvsp.c */
int nv_send_rndis_sections(struct nv_nic *nic, struct sim_chan *chan,
			   u32 chan_type, const u32 *secs, const u32 *lens,
			   unsigned int n);
int nv_section_get(struct nv_nic *nic);
void nv_section_put_chain(struct nv_nic *nic, u32 first);
void nv_kick(struct nv_nic *nic);
unsigned int nv_max_queues(void);
typedef void (*nv_nic_fn_t)(struct nv_nic *nic, void *arg);
void nv_visit_nics(nv_nic_fn_t fn, void *arg);

/* netvsp_rndis.c: handle one queued control message (rx worker). */
void nv_rndis_control(struct nv_nic *nic, const u8 *msg, u32 len);
/* An INDICATE_STATUS; returns 0, or -EAGAIN when no section is free. */
int nv_rndis_indicate(struct nv_nic *nic, u32 status, const void *buf,
		      u32 len);
u32 nv_offload_config(const struct nv_nic *nic, u8 *buf, u32 len,
		      bool hw_caps);
bool nv_rsc_offered(const struct nv_nic *nic);

/* ---- knobs and counters (netvsp_switch.c owns the debugfs file) ---- */
struct nv_stats {
	atomic64_t switched, flooded, dropped_nodest, dropped_full,
		   dropped_filter, refused[16], hostport_rx, hostport_tx;
	atomic_t f_xfer_range, f_xfer_overlap, f_data_offset, f_ppi_size,
		 f_bad_trans_id,
		 f_storm, f_rss_refuse;
	/* RSC fragment sequences: no FIRST, no LAST, short PKTINFO_ID */
	atomic_t f_rsc_no_first, f_rsc_no_last, f_rsc_size;
	unsigned int version_cap;
	bool link_down[64];
	/* "vf N SERIAL|off": a VF offered to NIC N, its serial number */
	bool vf_on[64];
	u32 vf_serial[64];
};
extern struct nv_stats nv_st;

enum nv_refuse {			/* why a guest packet was refused */
	NV_R_MALFORMED,			/* not parseable as NVSP */
	NV_R_ORDER,			/* out of protocol order */
	NV_R_VERSION,			/* refused NVSP version */
	NV_R_BUFFER,			/* bad GPADL for a buffer */
	NV_R_SECTION,			/* send section outside the buffer */
	NV_R_GPA,			/* bad GPA-direct range */
	NV_R_RNDIS_LEN,			/* RNDIS length/offset outside */
	NV_R_RNDIS_PPI,			/* bad per-packet info */
	NV_R_RNDIS_OOB,			/* OOB / VC handle set */
	NV_R_RNDIS_TYPE,		/* unknown / unsupported message */
	NV_R_SUBCHAN_CTRL,		/* control message on a sub-channel */
	NV_R_COMPLETION,		/* completion with unknown id */
	NV_R_CTRL_FULL,			/* control queue over 100 KiB */
	NV_R_UNKNOWN,			/* unknown NVSP type */
	NV_R_STOPPED,			/* primary no longer served */
	NV_R_COUNT
};
void nv_refuse(struct sim_chan *chan, enum nv_refuse why, const char *what);
extern const char *const nv_refuse_names[NV_R_COUNT];

int netvsp_init(void);
void netvsp_exit(void);

static inline u32 nv_get32(const void *p, u32 off)
{
	__le32 v;

	memcpy(&v, (const u8 *)p + off, sizeof(v));
	return le32_to_cpu(v);
}

static inline void nv_put32(void *p, u32 off, u32 v)
{
	__le32 w = cpu_to_le32(v);

	memcpy((u8 *)p + off, &w, sizeof(w));
}

#endif /* NETVSP_H */
