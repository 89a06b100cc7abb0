/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The character device a service daemon talks through
 * (/dev/vmbus/hv_kvp ...), with the semantics of the kernel's
 * hv_utils_transport: one opener at a time; read() returns the one
 * pending message whole (-EINVAL if the buffer is too small); write()
 * hands one daemon message to the service (its error is write's);
 * closing the device resets the service.
 */
#ifndef HV_UTIL_TRANSPORT_H
#define HV_UTIL_TRANSPORT_H

#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/atomic.h>

struct util_transport {
	struct miscdevice mdev;
	struct mutex lock;		/* open, outmsg, dying */
	wait_queue_head_t outq;
	void *outmsg;
	u32 outmsg_len;
	s64 outmsg_seq;			/* nsent when outmsg was queued */
	bool open;
	bool dying;
	/* messages queued for the daemon, ever; the number of the last read */
	atomic64_t nsent;
	atomic64_t last_read;
	/* process context, lock not held */
	int (*on_msg)(void *ctx, const void *msg, u32 len);
	void (*on_reset)(void *ctx);
	void *ctx;
};

int util_transport_init(struct util_transport *t, const char *name,
			int (*on_msg)(void *, const void *, u32),
			void (*on_reset)(void *), void *ctx);
void util_transport_destroy(struct util_transport *t);
/* Queue one message for the daemon; -EBUSY if one is pending, -ENODEV if none is attached. */
int util_transport_send(struct util_transport *t, const void *msg, u32 len);

/*
 * Take back the message queued after @mark if the daemon has not read it
 * yet (its request timed out: read late, it would start work for a
 * transaction the host has already seen fail).  True if one was taken back.
 */
bool util_transport_withdraw(struct util_transport *t, s64 mark);

/*
 * Request/answer bookkeeping (any context): take util_transport_mark()
 * before queueing a request; util_transport_read_since(mark) then says
 * whether the daemon has read a message queued after it, i.e. whether an
 * answer can be one.
 */
static inline s64 util_transport_mark(struct util_transport *t)
{
	return atomic64_read(&t->nsent);
}

static inline bool util_transport_read_since(struct util_transport *t,
					     s64 mark)
{
	return atomic64_read(&t->last_read) > mark;
}

#endif /* HV_UTIL_TRANSPORT_H */
