/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_storvsc internals shared by its files.
 *
 * One Scsi_Host per VMBus storage device.  The primary channel carries
 * the control requests (init, sub-channel creation, bus reset) and blk-mq
 * hardware queue 0; sub-channel i carries hardware queue i.  Each queue
 * has a table of outstanding requests indexed by blk-mq tag, and a
 * completion is accepted only if its transaction id names an occupied
 * slot that was sent on the channel the completion arrived on.  A host
 * packet that names an occupied slot but cannot be its completion (no
 * payload, not a completion packet, another channel) finishes that
 * request with DID_ERROR, so the SCSI layer retries it.
 */
#ifndef STORVSC_H
#define STORVSC_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_host.h>

#include "hvlis/vmbus.h"
#include "vmbus_codec.h"
#include "storvsc_proto.h"
#include "storvsc_compat.h"

enum storvsc_class {
	STORVSC_SCSI,
	STORVSC_IDE,
	STORVSC_FC,
};

/* SCSI topology per device class */
#define STORVSC_SCSI_MAX_TARGETS	2
#define STORVSC_SCSI_MAX_LUNS		255
#define STORVSC_SCSI_MAX_CHANNELS	8
#define STORVSC_IDE_MAX_TARGETS		1
#define STORVSC_IDE_MAX_LUNS		64
#define STORVSC_FC_MAX_TARGETS		128
#define STORVSC_FC_MAX_LUNS		255
#define STORVSC_FC_MAX_CHANNELS		8
#define STORVSC_FC_MAX_TRANSFER		(512u * 1024)
/* The largest transfer we accept from QUERY_PROPERTIES */
#define STORVSC_MAX_TRANSFER		(8u * 1024 * 1024)

#define STORVSC_MAX_QUEUES		(1 + VSTOR_MAX_SUBCHANNELS)
/* Inbound packets are 16 + 64 bytes; leave room for larger hosts. */
#define STORVSC_MAX_INBOUND_PKT		512

/*
 * storvsc_ringbuffer_size: data bytes per direction.  Each ring adds its
 * control page, and both rings of a channel go to the host in one GPADL
 * of at most VMBUS_GPADL_MAX_PFNS pages.
 */
#define STORVSC_RING_DATA_MIN	(16u * 1024)
#define STORVSC_RING_DATA_MAX \
	((VMBUS_GPADL_MAX_PFNS / 2 - 1) * HV_PAGE_SIZE)

/* logging_level values (same meaning as the in-tree parameter) */
#define STORVSC_LOG_NONE	0
#define STORVSC_LOG_ERROR	1
#define STORVSC_LOG_WARN	2

extern int storvsc_logging_level;
extern int storvsc_ringbuffer_size;
extern unsigned int storvsc_timeout;
extern unsigned int storvsc_max_hw_queues;
extern struct mutex storvsc_chan_mutex;

struct storvsc_dev;

/* An open channel: the primary, or a sub-channel. */
struct storvsc_chan {
	struct storvsc_dev *stor;
	struct vmbus_channel *ch;
	u16 index;			/* 0: primary; else the sub-channel index */
	bool opened;
	struct list_head node;		/* storvsc_dev.subs */
	struct vstor_reply reply;	/* scratch for the channel callback */
};

struct storvsc_slot {
	struct scsi_cmnd *cmd;		/* NULL: free */
	struct vmbus_channel *ch;	/* the channel the request went out on */
};

struct storvsc_queue {
	struct vmbus_channel *ch;	/* RCU: its sub-channel, else the primary */
	struct storvsc_slot *slots;	/* [depth], by blk-mq tag */
};

/* A control request in flight (trans_id INIT or RESET). */
struct storvsc_ctl {
	struct completion done;
	bool pending;
	int err;			/* -ENODEV: channel gone; -EPROTO: bad answer */
	u32 op;
	struct vstor_reply reply;
};

/* shost_priv() of our Scsi_Host */
struct storvsc_dev {
	struct Scsi_Host *shost;
	struct hv_device *hdev;
	enum storvsc_class cls;
	u16 version;			/* negotiated vstor version; 0 before */
	u16 num_sc;			/* sub-channels asked for and granted */
	u16 nr_queues;			/* 1 + num_sc */
	u16 depth;			/* requests per queue (can_queue) */
	u16 ide_target;
	u8 port;
	u32 ring_bytes;			/* per direction, with the control page */
	struct vstor_limits lim;

	struct storvsc_chan primary;
	struct list_head subs;		/* storvsc_chan of sub-channels */
	struct storvsc_queue *queues;	/* [nr_queues] */

	spinlock_t lock;		/* ctl state, removing */
	struct mutex ctl_mutex;		/* one control request at a time */
	struct storvsc_ctl ctl_init;
	struct storvsc_ctl ctl_reset;

	atomic_t outstanding;		/* occupied slots */
	wait_queue_head_t drain_wq;

	struct workqueue_struct *wq;	/* scans and LUN removal */
	struct work_struct scan_work;
	bool removing;			/* no new work */
	bool gone;			/* primary rescinded */

	/* Fibre Channel port names (FC class) */
	u64 node_name;
	u64 port_name;
	void *rport;			/* struct fc_rport * */
};

/* scsi_cmd_priv() */
struct storvsc_cmd {
	u32 length;			/* data bytes asked for */
	u8 opcode;
};

static inline bool storvsc_log_on(int level)
{
	return READ_ONCE(storvsc_logging_level) >= level;
}

/* storvsc_chan.c */
void storvsc_reject(struct storvsc_chan *sc, u64 trans_id, const char *why);
int storvsc_connect(struct storvsc_dev *stor);
int storvsc_alloc_queues(struct storvsc_dev *stor);
void storvsc_disconnect(struct storvsc_dev *stor);
int storvsc_bus_reset(struct storvsc_dev *stor);
void storvsc_on_channel(void *ctx);

/* storvsc_io.c */
compat_scsi_qc_t storvsc_queuecommand(struct Scsi_Host *shost, struct scsi_cmnd *cmd);
int storvsc_eh_host_reset(struct scsi_cmnd *cmd);
void storvsc_eh_timed_out(struct scsi_cmnd *cmd);
void storvsc_io_complete(struct storvsc_chan *sc, u16 queue, u16 tag,
			 const struct vstor_reply *r, const char *bad);
void storvsc_fail_outstanding(struct storvsc_dev *stor,
			      const struct vmbus_channel *only, int host_byte);

/* storvsc_main.c */
void storvsc_queue_scan(struct storvsc_dev *stor);
void storvsc_queue_lun_work(struct storvsc_dev *stor, struct scsi_cmnd *cmd,
			    u8 action);
void storvsc_fc_update_names(struct storvsc_dev *stor,
			     const struct vstor_fc_wwn *wwn);

#endif /* STORVSC_H */
