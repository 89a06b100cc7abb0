/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_utils internals: one struct util_svc per IC channel, the service
 * table and the helpers the services share.
 */
#ifndef HV_UTIL_H
#define HV_UTIL_H

#include <linux/workqueue.h>
#include <linux/spinlock.h>
#include <hvlis/vmbus.h>
#include "ic_proto.h"

/* The kernel's util rings: 3 pages of data plus the control page, each way. */
#define UTIL_RING_SIZE		(4 * HV_PAGE_SIZE)

struct util_svc;

struct util_ops {
	const char *name;		/* for the log: "shutdown" ... */
	u16 msgtype;			/* IC_MSGTYPE_* of the service messages */
	struct ic_ver_list vers;
	/* process context, before the channel opens / after it closed */
	int (*init)(struct util_svc *s);
	void (*deinit)(struct util_svc *s);
	/*
	 * A service message in s->buf (len bytes, body_len of body), softirq
	 * context.  Return true to send s->buf back now as the response
	 * (status and body set by the handler), false when the service
	 * answers later with util_reply().
	 */
	bool (*handle)(struct util_svc *s, u32 len, u32 body_len, u64 trans_id);
};

struct util_svc {
	const struct util_ops *ops;
	struct hv_device *hdev;
	struct vmbus_channel *ch;
	u32 fw_ver;			/* negotiated, 0 before */
	u32 srv_ver;
	bool opened;
	u8 *buf;			/* IC_MAX_PKT, the packet being handled */
	void *priv;			/* service state */
	/* a response the full ring had no room for, sent once it has */
	spinlock_t kept_lock;
	u8 *kept;			/* IC_MAX_PKT */
	u32 kept_len;			/* 0: none */
	u64 kept_tid;
};

extern const struct util_ops util_shutdown_ops;
extern const struct util_ops util_heartbeat_ops;
extern const struct util_ops util_timesync_ops;
extern const struct util_ops util_kvp_ops;
extern const struct util_ops util_vss_ops;
extern const struct util_ops util_fcopy_ops;

/*
 * Send an IC packet (a response built in buf) on the service's channel.
 * Any context.  When the ring is full the response is kept and sent from
 * the channel callback once the host has made room.
 */
int util_reply(struct util_svc *s, const void *buf, u32 len, u64 trans_id);

#define util_err(s, fmt, ...) \
	pr_err_ratelimited("%s: " fmt, (s)->ops->name, ##__VA_ARGS__)

#endif /* HV_UTIL_H */
