// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time sync IC, host side (OpenVMM hyperv_ic/src/timesync.rs): OpenVMM
 * offers version 4.0 only (debugfs "versions" can offer 1.0/3.0 too).
 * Once negotiated the host sends one SYNC with the current time, then a
 * SAMPLE every period (5 s), each as a transaction whose answer is
 * awaited.  Times are 100 ns units since 1601; the 4.0 message carries
 * the reference time the sample was taken at, here CLOCK_MONOTONIC / 100
 * ns (src/include/icmsg.h: no reference counter without Hyper-V).
 * debugfs:
 *
 *   offset MS    host clock = real time + MS (all later messages)
 *   sync         one SYNC now
 *   sample       one SAMPLE now
 *   period MS    sample period (0 stops)
 *
 * Read: counters, the last message sent and now_minus_last_ms, this
 * machine's clock (the guest's: the host runs inside it) minus the host
 * time last sent, which a SYNC the guest obeyed brings close to 0.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": ic: " fmt

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "hv_devids.h"
#include "ic.h"

static const u32 ts_versions[] = { IC_TS_VER_4 };

static void ts_work_fn(struct work_struct *w);

static struct {
	struct mutex lock;		/* the fields below */
	s64 offset_ms;
	unsigned int period_ms;
	u64 syncs, samples, failed;
	u64 last_parent;		/* 100 ns since 1601, last sent */
	s64 last_unix_ns;		/* the same in ns since 1970 */
	u8 last_flags;
	int last_err;
	u32 last_status;
	struct delayed_work work;
} ts = {
	.lock = __MUTEX_INITIALIZER(ts.lock),
	.period_ms = 5000,
	.work = __DELAYED_WORK_INITIALIZER(ts.work, ts_work_fn, 0),
};

static int ts_send(u8 flags)
{
	union {
		struct ic_timesync_msg v1;
		struct ic_timesync_ref_msg v4;
	} msg = { };
	u32 status = 0, ver = 0, len;
	s64 unix_ns;
	u64 parent;
	int ret;

	if (!ic_is_ready(&ic_timesync_svc, &ver))
		return -ENOTCONN;
	mutex_lock(&ts.lock);
	unix_ns = ktime_get_real_ns() + ts.offset_ms * NSEC_PER_MSEC;
	mutex_unlock(&ts.lock);
	parent = div_s64(unix_ns, 100) + IC_TIMESYNC_EPOCH_DELTA;
	if (ver >= IC_TS_VER_4) {
		msg.v4.parent_time = parent;
		msg.v4.vm_ref_time = div_u64(ktime_get_ns(), 100);
		msg.v4.flags = flags;
		len = sizeof(msg.v4);
	} else {
		msg.v1.parent_time = parent;
		msg.v1.flags = flags;
		len = sizeof(msg.v1);
	}
	ret = ic_request(&ic_timesync_svc, &msg, len, &status, NULL, 0, NULL,
			 0);
	mutex_lock(&ts.lock);
	if (flags & IC_TIMESYNC_FLAG_SYNC)
		ts.syncs++;
	else
		ts.samples++;
	if (ret || status != IC_S_OK)
		ts.failed++;
	ts.last_parent = parent;
	ts.last_unix_ns = unix_ns;
	ts.last_flags = flags;
	ts.last_err = ret;
	ts.last_status = status;
	mutex_unlock(&ts.lock);
	return ret;
}

static void ts_schedule(unsigned int ms)
{
	if (ms)
		mod_delayed_work(system_wq, &ts.work, msecs_to_jiffies(ms));
}

static void ts_work_fn(struct work_struct *w)
{
	if (ts_send(IC_TIMESYNC_FLAG_SAMPLE) == -ENOTCONN)
		return;
	ts_schedule(READ_ONCE(ts.period_ms));
}

/* First message after negotiation: SYNC (from a work: it waits). */
static void ts_sync_work_fn(struct work_struct *w)
{
	if (ts_send(IC_TIMESYNC_FLAG_SYNC) == -ENOTCONN)
		return;
	ts_schedule(READ_ONCE(ts.period_ms));
}

static DECLARE_WORK(ts_sync_work, ts_sync_work_fn);

static void ts_ready(struct ic_svc *svc)
{
	schedule_work(&ts_sync_work);
}

static void ts_closed(struct ic_svc *svc)
{
	cancel_work_sync(&ts_sync_work);
	cancel_delayed_work_sync(&ts.work);
}

static int ts_command(struct ic_svc *svc, char *line)
{
	unsigned int ms;
	s64 off;

	if (!strncmp(line, "offset ", 7)) {
		if (kstrtos64(line + 7, 0, &off) ||
		    off > 100LL * 365 * 86400 * 1000 ||
		    off < -100LL * 365 * 86400 * 1000)
			return -EINVAL;
		mutex_lock(&ts.lock);
		ts.offset_ms = off;
		mutex_unlock(&ts.lock);
		return 0;
	}
	if (!strncmp(line, "period ", 7)) {
		if (kstrtouint(line + 7, 0, &ms) || ms > 3600000)
			return -EINVAL;
		WRITE_ONCE(ts.period_ms, ms);
		if (!ms)
			cancel_delayed_work_sync(&ts.work);
		else if (ic_is_ready(svc, NULL))
			ts_schedule(ms);
		return 0;
	}
	if (!strcmp(line, "sync"))
		return ts_send(IC_TIMESYNC_FLAG_SYNC);
	if (!strcmp(line, "sample"))
		return ts_send(IC_TIMESYNC_FLAG_SAMPLE);
	return -EINVAL;
}

static void ts_show(struct ic_svc *svc, struct seq_file *m)
{
	mutex_lock(&ts.lock);
	seq_printf(m, "offset_ms=%lld period_ms=%u syncs=%llu samples=%llu failed=%llu\n",
		   ts.offset_ms, ts.period_ms, ts.syncs, ts.samples, ts.failed);
	seq_printf(m, "last_flags=%u last_err=%d last_status=%#x last_parent=%llu last_unix_ns=%lld\n",
		   ts.last_flags, ts.last_err, ts.last_status, ts.last_parent,
		   ts.last_unix_ns);
	/* the guest's clock now minus the host time last sent */
	seq_printf(m, "now_minus_last_ms=%lld\n",
		   ts.last_unix_ns ? div_s64(ktime_get_real_ns() -
					     ts.last_unix_ns, NSEC_PER_MSEC) : 0);
	mutex_unlock(&ts.lock);
}

static const struct ic_svc_ops ts_ops = {
	.ready = ts_ready,
	.closed = ts_closed,
	.show = ts_show,
	.command = ts_command,
};

struct ic_svc ic_timesync_svc = {
	.name = "timesync",
	.msgtype = IC_MSGTYPE_TIMESYNC,
	.ops = &ts_ops,
	.def_versions = ts_versions,
	.def_nver = ARRAY_SIZE(ts_versions),
};

IC_DEV_CLASS(sim_timesync_class, "timesync", 0x03, HV_TS_GUID,
	     ic_timesync_svc);
