/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_simhost internals, shared by its source files only.
 */
#ifndef SIMHOST_INT_H
#define SIMHOST_INT_H

#include <linux/atomic.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "hv_tlfs.h"
#include "vmbus_msg.h"
#include "vmbus_ring.h"
#include "hvlis/hv_backend.h"
#include "simhost.h"

#define SIM_VP_NONE		0xffffffffu	/* OPENCHANNEL: no interrupts */
/* Status the host puts in failed OPENCHANNEL_RESULT / GPADL_CREATED */
#define SIM_STATUS_UNSUCCESSFUL	0x8000ffffu
/* TL_CONNECT_RESULT when nothing listens (STATUS_CONNECTION_REFUSED) */
#define SIM_STATUS_CONN_REFUSED	0xc0000236u
#define SIM_MAX_CLASSES		32

/* ---- main.c ---- */
extern const struct hv_backend_ops hv_simhost_backend;
extern unsigned int sim_host_version;
extern unsigned int sim_msg_conn_id;
extern bool sim_strict_conn_id;
extern unsigned int sim_post_queue_len;
extern unsigned int sim_send_timeout_ms;

/* ---- SynIC emulation (synic.c) ---- */
struct sim_hmsg {			/* one queued host-to-guest message */
	struct list_head node;
	u32 sint;
	u32 size;
	u8 payload[HV_MESSAGE_PAYLOAD_MAX];
};

struct sim_vp {
	raw_spinlock_t lock;
	unsigned int cpu;
	bool enabled;
	struct hv_message_page *msg_page;
	u8 *event_page;
	struct list_head queue;
	unsigned int queued;
	struct list_head spent;		/* delivered, freed in process context */
	struct irq_work iw;		/* interrupt when on this CPU */
	call_single_data_t csd;		/* interrupt from another CPU */
	atomic_t csd_inflight;
	atomic64_t delivered, irqs, eoms, eom_idle, pending_set, events;
};

int sim_synic_init(void);
void sim_synic_exit(void);
void sim_synic_quiesce(void);
void sim_synic_flush_queues(void);
u32 sim_cpu_to_vp(unsigned int cpu);
int sim_vp_to_cpu(u32 vp);
int sim_vp_queue_msg(u32 vp, u32 sint, const void *payload, u32 size);
void sim_vp_signal(u32 vp, u32 relid);
unsigned int sim_vp_queued(u32 vp);
struct sim_vp *sim_vp_of_cpu(unsigned int cpu);

int sim_synic_enable(unsigned int cpu, phys_addr_t msg, phys_addr_t evt);
void sim_synic_disable(unsigned int cpu);
void sim_end_of_message(void);

/* ---- the guest's posted messages (post.c) ---- */
int sim_post_init(void);
void sim_post_exit(void);
void sim_post_flush(void);
u16 sim_post_message(u32 connection_id, u32 message_type,
		     const void *payload, u32 payload_size);
u16 sim_signal_event(u32 connection_id, u16 flag_number);

/* ---- rings (ring.c) ---- */
struct sim_ring {
	struct vmbus_ring_control *ctl;
	u8 *data;
	u32 size;			/* bytes of data area */
	u32 mine;			/* shadow of the index this side owns */
};

enum sim_ring_err {
	SIM_RING_OK = 0,
	SIM_RING_EMPTY,
	SIM_RING_FULL,
	SIM_RING_CORRUPT,
};

void sim_ring_init_in(struct sim_ring *r, void *base, u32 bytes);
void sim_ring_init_out(struct sim_ring *r, void *base, u32 bytes);
int sim_ring_peek(struct sim_ring *r, void *buf, u32 buflen, u32 *pktlen,
		  const char **why);
bool sim_ring_commit_read(struct sim_ring *r, u32 pktlen);
void sim_ring_set_mask(struct sim_ring *r, bool masked);
bool sim_ring_has_data(struct sim_ring *r, const char **why);
int sim_ring_write(struct sim_ring *r, const struct vmbus_pkt_desc *desc,
		   const void *data, u32 len, u16 fake_len8, bool *signal,
		   const char **why);
void sim_ring_set_pending(struct sim_ring *r, u32 bytes);
u32 sim_ring_max_packet(const struct sim_ring *r);

/* ---- GPADLs (gpadl.c) ---- */
enum sim_gpadl_state {
	GPADL_INPROGRESS,
	GPADL_CREATED,
	GPADL_TEARDOWN_PENDING,		/* torn down while the ring is open */
};

struct sim_gpadl {
	struct list_head node;
	u32 handle;
	struct sim_chan *chan;
	enum sim_gpadl_state state;
	u16 rangecount;
	u32 words, have;		/* u64s of range data: expected, got */
	u64 *buf;
	u32 npfns;
	u32 first_len, first_off;	/* first range */
	struct page **pages;
	void *va;
	bool in_use;
};

struct sim_gpadl *sim_gpadl_find(u32 handle, struct sim_chan *chan);
struct sim_gpadl *sim_gpadl_find_inprogress(u32 handle);
struct sim_gpadl *sim_gpadl_new(struct sim_chan *chan, u32 handle, u16 ranges,
				u32 words);
int sim_gpadl_append(struct sim_gpadl *g, const void *data, u32 bytes,
		     bool *done);
void sim_gpadl_free(struct sim_gpadl *g);
void sim_gpadl_free_chan(struct sim_chan *chan);
void sim_gpadl_free_all(void);
unsigned int sim_gpadl_count(void);

/* ---- channels (chan.c) ---- */
enum sim_chan_state {
	CHAN_UNOFFERED,			/* no relid yet */
	CHAN_CLOSED,			/* offered, not open */
	CHAN_OPEN,
	CHAN_REVOKED,			/* rescinded, relid not yet released */
	CHAN_DEAD,			/* primary kept only for its subs */
};

struct sim_chan {
	struct list_head node;
	struct list_head sig_node;	/* in sim.sig_list while open */
	const struct sim_dev_class *cls;
	unsigned int index;
	struct hv_guid instance;
	u16 subidx;
	u64 uid;			/* never reused */
	struct sim_chan *primary;	/* self for primaries */
	unsigned int nsubs;		/* sub-channels offered so far */
	bool fake;			/* dup-instance fault channel */
	bool released;			/* guest released it: not re-offered */
	enum sim_chan_state state;
	u32 relid;
	u32 conn_id;
	u32 openid;
	u32 target_vp;			/* READ/WRITE_ONCE: any context */
	struct sim_gpadl *ring_gpadl;
	u8 userdata[VMBUS_OFFER_USER_DEF_SIZE];

	/* data plane */
	struct sim_ring in, out;
	struct mutex tx_lock;
	bool io_on;			/* tx_lock */
	bool broken;
	bool rx_on;			/* after OPENCHANNEL_RESULT */
	bool held;			/* "hold" knob: host stops reading */
	bool rx_in_ring;		/* the packet being handled holds ring room */
	atomic_t stopping;
	struct work_struct work;
	wait_queue_head_t wait;
	atomic_t sigseq;
	u8 *bounce;
	u32 bounce_size;
	void *priv;
	u16 fault_len8_add;		/* tx_lock; 0 = off, 0xffff = huge */

	atomic64_t pkts_in, pkts_out, sig_in, sig_out, send_fail;
	atomic64_t sig_space;		/* sig_out for pending_send_sz */
};

struct sim_chan *sim_chan_create(const struct sim_dev_class *cls,
				 unsigned int index, struct sim_chan *primary,
				 u16 subidx);
void sim_chan_destroy(struct sim_chan *chan);
struct sim_chan *sim_chan_by_relid(u32 relid);
int sim_chan_offer(struct sim_chan *chan);
void sim_chan_send_offer(struct sim_chan *chan);
int sim_chan_start_io(struct sim_chan *chan, u32 off);
void sim_chan_close(struct sim_chan *chan);
void sim_chan_rx_start(struct sim_chan *chan);
void sim_chan_hold(struct sim_chan *chan, bool hold);
void sim_chan_close_host(struct sim_chan *chan);
void sim_chan_stop_io(struct sim_chan *chan);
void sim_chan_rescind(struct sim_chan *chan);
void sim_chan_rescind_one(struct sim_chan *chan);
void sim_chan_signal_guest(struct sim_chan *chan);
void sim_chan_release_relid(struct sim_chan *chan);
const char *sim_chan_state_name(enum sim_chan_state s);
int sim_chan_alloc_relid(void);
void sim_instance_guid(struct hv_guid *g, u8 class_id, unsigned int index);
struct sim_chan *sim_chan_by_uid(u64 uid);
void sim_chan_destroy_all(void);

/* ---- device classes (devices.c) ---- */
const struct sim_dev_class *sim_class_by_name(const char *name, size_t len);
int sim_devices_parse(const char *spec);
int sim_devices_add(const struct sim_dev_class *cls, unsigned int count);
int sim_classes_check(void);
struct seq_file;
void sim_classes_list(struct seq_file *m);

/* ---- control plane (control.c) ---- */
struct sim_post {			/* one guest HvPostMessage */
	u32 conn_id;
	u32 size;
	u8 payload[HV_MESSAGE_PAYLOAD_MAX];
};

void sim_handle_guest_msg(const struct sim_post *p);
int sim_send_msg(const void *msg, u32 size);
void sim_reset_connection(void);
void sim_cancel_delayed(void);
const char *sim_msg_name(u32 type);
int sim_msg_type_parse(const char *s);

/* ---- debugfs (debugfs.c) ---- */
int sim_debugfs_init(void);
void sim_debugfs_exit(void);

/* ---- fault knobs ---- */
struct sim_faults {
	spinlock_t lock;
	bool size_armed[VMBUS_MSG_COUNT];
	int size_delta[VMBUS_MSG_COUNT];
	unsigned int delay_ms[VMBUS_MSG_COUNT];
	int drop[VMBUS_MSG_COUNT];	/* remaining; -1 = forever */
	atomic_t post_busy;
	u32 rescind_on_open;		/* relid, 0 = off */
	u32 rescind_after_gpadl;	/* relid, 0 = off */
};

/* ---- the one host ---- */
struct sim_host {
	struct mutex lock;		/* control plane state below */
	struct workqueue_struct *ctl_wq;	/* ordered */
	struct workqueue_struct *chan_wq;

	void (*isr)(void);
	bool inited;

	/* connection */
	bool connected;
	u32 version;
	u32 msg_vp;
	u32 msg_sint;
	bool offers_sent;
	atomic_t active_msg_conn;	/* 0 until a >= 5.0 negotiation */
	atomic64_t gen;			/* bumped by every reset */

	struct list_head chans;
	struct list_head gpadls;
	unsigned long relids[BITS_TO_LONGS(VMBUS_MAX_RELIDS)];
	u32 next_conn_id;
	u64 next_uid;
	unsigned int next_index[SIM_MAX_CLASSES];

	spinlock_t sig_lock;		/* sig_list: signal_event lookup */
	struct list_head sig_list;

	struct sim_faults faults;

	/* counters */
	atomic64_t posts, post_rejected, post_busy, post_bad_conn;
	atomic64_t msgs_in[VMBUS_MSG_COUNT + 1];	/* last = unknown */
	atomic64_t msgs_out[VMBUS_MSG_COUNT];
	atomic64_t msgs_dropped, msgs_delayed, msgs_resized;
	atomic64_t msgs_ignored;
	atomic64_t signals, signals_bad;
	atomic64_t resets;
};

extern struct sim_host sim;

#define sim_info(fmt, ...)	pr_info(fmt, ##__VA_ARGS__)
#define sim_warn(fmt, ...)	pr_warn_ratelimited(fmt, ##__VA_ARGS__)

#endif /* SIMHOST_INT_H */
