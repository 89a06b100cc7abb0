/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host side of the integration components (IC): what ic.c (framing,
 * negotiation, transactions, debugfs) shares with one file per service.
 *
 * Model: OpenVMM vm/devices/hyperv_ic/src/common.rs.  The host speaks
 * first: after the guest opens the channel it sends a NEGOTIATE request
 * (framework 1.0 and 3.0, then the service's versions), waits for the
 * answer, then sends its service requests one at a time, each waiting
 * for its response.  Every host message is in-band without completion,
 * VMBus transaction id 0, pipe header DATA, IC transaction id 0 and flags
 * TRANSACTION|REQUEST.
 */
#ifndef SIMHOST_IC_H
#define SIMHOST_IC_H

#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "icmsg.h"
#include "simhost.h"
#include "vmbus_msg.h"

/* Largest IC message either side may send (OpenVMM MAX_MESSAGE_SIZE). */
#define IC_MAX_MESSAGE		13312u
#define IC_MAX_OFFER		8	/* service versions the host offers */
#define IC_REQ_TIMEOUT_MS	10000	/* how long a host request waits */

enum ic_state {
	IC_CLOSED,		/* no open channel */
	IC_NEG_WAIT,		/* NEGOTIATE sent, waiting for the answer */
	IC_READY,
	IC_FAILED,		/* protocol error: silent until reopened */
};

/* One-shot faults applied to the next host message (see README rows). */
struct ic_faults {
	int pipe_size;		/* added to the pipe header's msgsize */
	int msg_size;		/* added to the IC header's msgsize */
	int trunc;		/* bytes cut from the end of the packet */
	bool pipe_flags;	/* pipe flags 0 instead of DATA */
	int neg_fw;		/* -1 or the framework count to claim */
	int neg_msg;		/* -1 or the service version count to claim */
};

struct ic_svc;

struct ic_svc_ops {
	/* Negotiation done (process context, may queue work, not block). */
	void (*ready)(struct ic_svc *svc);
	/* Channel gone: stop the service's own work. */
	void (*closed)(struct ic_svc *svc);
	/* Service part of the debugfs file. */
	void (*show)(struct ic_svc *svc, struct seq_file *m);
	/* One command line written to the debugfs file (NUL-terminated). */
	int (*command)(struct ic_svc *svc, char *line);
};

struct ic_svc {
	const char *name;
	u16 msgtype;
	const struct ic_svc_ops *ops;
	const u32 *def_versions;
	unsigned int def_nver;

	/* offered versions (debugfs "versions"), used at the next open */
	u32 versions[IC_MAX_OFFER];
	unsigned int nver;

	struct mutex lock;	/* chan, state, faults, sending */
	struct mutex xact;	/* one host request at a time */
	struct sim_chan *chan;
	enum ic_state state;
	u32 fw_ver, msg_ver;	/* negotiated (IC_VERSION encoding) */
	bool guest_bad_ver;	/* the guest chose a version not offered */
	struct work_struct neg_work;
	struct ic_faults faults;
	unsigned int timeout_ms;	/* per request; debugfs "timeout" */

	/* the transaction in flight, under rlock */
	spinlock_t rlock;
	bool waiting;
	struct completion done;
	int resp_err;
	u32 resp_status;
	u32 resp_len;
	u8 resp[IC_MAX_MESSAGE];	/* body of the answer */

	/* counters */
	u64 negotiations, requests, responses, timeouts, unsolicited;
	u64 stale, errors;
	u64 answers_in_ring;		/* taken while holding ring room: 0 */
	char last_error[80];
};

/* Declare a class whose open/packet/close go to @svc. */
#define IC_DEV_CLASS(var, cname, cid, guid, svc)			\
static int var##_open(struct sim_chan *c) { return ic_open(&(svc), c); } \
static void var##_packet(struct sim_chan *c, const void *p, u32 l)	\
{ ic_packet(&(svc), c, p, l); }						\
static void var##_close(struct sim_chan *c) { ic_close(&(svc), c); }	\
const struct sim_dev_class var = {					\
	.name = cname,							\
	.id = cid,							\
	.if_type = guid,						\
	.chn_flags = VMBUS_OFFER_ENUMERATE_DEVICE_INTERFACE |		\
		     VMBUS_OFFER_NAMED_PIPE_MODE,			\
	.pipe_mode = VMBUS_PIPE_TYPE_MESSAGE,				\
	.open = var##_open,						\
	.packet = var##_packet,						\
	.close = var##_close,						\
}

void ic_svc_init(struct ic_svc *svc);
int ic_open(struct ic_svc *svc, struct sim_chan *chan);
void ic_packet(struct ic_svc *svc, struct sim_chan *chan, const void *pkt,
	       u32 len);
void ic_close(struct ic_svc *svc, struct sim_chan *chan);

/*
 * Send one request of @svc's message type with @body and wait for the
 * answer.  Returns 0 with *status (and *rlen bytes of the answer's body
 * copied to @resp) or -errno: -ENOTCONN (not negotiated), -ETIMEDOUT,
 * -ESHUTDOWN (channel closed meanwhile), -EPROTO (the answer broke the
 * protocol: the channel is now failed).
 */
int ic_request(struct ic_svc *svc, const void *body, u32 blen, u32 *status,
	       void *resp, u32 rmax, u32 *rlen, unsigned int timeout_ms);
/* Mark the channel failed (a malformed answer), as OpenVMM does. */
void ic_fail(struct ic_svc *svc, const char *fmt, ...) __printf(2, 3);
bool ic_is_ready(struct ic_svc *svc, u32 *msg_ver);
int ic_renegotiate(struct ic_svc *svc);

/* debugfs: /sys/kernel/debug/hv_simhost/ic/<name> */
void ic_debugfs_add(struct ic_svc *svc);

/* UTF-8 (ASCII) <-> UTF-16LE for KVP and fcopy; return bytes / chars. */
int ic_to_utf16(const char *s, u8 *out, unsigned int max_bytes);

/* The services */
extern struct ic_svc ic_shutdown_svc;
extern struct ic_svc ic_heartbeat_svc;
extern struct ic_svc ic_timesync_svc;
extern struct ic_svc ic_kvp_svc;
extern struct ic_svc ic_vss_svc;
extern struct ic_svc ic_fcopy_svc;

#endif /* SIMHOST_IC_H */
