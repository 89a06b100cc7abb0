// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time sync IC.  Each host message carries the host's UTC time; the
 * guest keeps the latest one with the partition reference time it
 * stands for, so "host time now" is that plus the reference time since.
 *  - SYNC (after boot and resume): step the clock to the host time.
 *  - SAMPLE (periodic): step only when the clock is off by more than
 *    timesync_step_ms (0: never), otherwise leave it to NTP/chrony.
 *  - The host time is also a PTP clock named "hyperv" for chrony's PHC
 *    refclock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/timekeeping.h>
#include <linux/ptp_clock_kernel.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include "hv_tlfs.h"
#include "util.h"
#include "utils_compat.h"

static unsigned int timesync_step_ms = 5000;
module_param(timesync_step_ms, uint, 0644);
MODULE_PARM_DESC(timesync_step_ms,
		 "Step the clock on a time sample that is off by more than this (ms, 0 = never)");

/* Host time older than this is stale (the host stopped sending). */
#define TS_STALE_NS	(600ull * NSEC_PER_SEC)
/* HV_CPUID_FEATURES.EAX: AccessPartitionReferenceCounter */
#define TS_PRIV_TIME_REF_COUNT	(1u << 1)

static const u32 ts_fw[] = { IC_FW_VER_3, IC_FW_VER_1 };
static const u32 ts_srv[] = { IC_TS_VER_4, IC_TS_VER_3, IC_TS_VER_1 };

static struct {
	spinlock_t lock;		/* protects host_ns, ref */
	s64 host_ns;			/* host UTC, ns since 1970 ... */
	u64 ref;			/* ... at this reference time */
	bool valid;
	bool have_msr;
	u8 pending;			/* IC_TIMESYNC_FLAG_* for the work */
	struct work_struct work;
	struct ptp_clock *ptp;
} ts;

/*
 * The partition reference counter (100 ns ticks).  Without Hyper-V (the
 * simulated host) the convention of icmsg.h: CLOCK_MONOTONIC / 100.
 */
static u64 ts_ref_now(void)
{
	u64 v;

	if (ts.have_msr) {
		rdmsrq(HV_MSR_TIME_REF_COUNT, v);
		return v;
	}
	return div_u64(ktime_get_ns(), 100);
}

static bool ts_detect_msr(void)
{
	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return false;
	if (cpuid_eax(HV_CPUID_VENDOR_AND_MAX) < HV_CPUID_FEATURES ||
	    cpuid_eax(HV_CPUID_INTERFACE) != HV_INTERFACE_HV1)
		return false;
	return cpuid_eax(HV_CPUID_FEATURES) & TS_PRIV_TIME_REF_COUNT;
}

/* Host time now, in ns since 1970; -ENODATA before the first sample. */
static int ts_host_now(s64 *ns)
{
	unsigned long flags;
	u64 delta;
	int ret = 0;

	spin_lock_irqsave(&ts.lock, flags);
	if (!ts.valid) {
		spin_unlock_irqrestore(&ts.lock, flags);
		return -ENODATA;
	}
	delta = (ts_ref_now() - ts.ref) * 100;
	*ns = ts.host_ns + (s64)delta;
	spin_unlock_irqrestore(&ts.lock, flags);
	if (delta > TS_STALE_NS) {
		pr_warn_once("timesync: host time is %llu s old\n",
			     delta / NSEC_PER_SEC);
		ret = -ESTALE;
	}
	return ret;
}

static void ts_work(struct work_struct *w)
{
	struct timespec64 now, host;
	unsigned long flags;
	s64 ns, diff;
	u8 what;

	spin_lock_irqsave(&ts.lock, flags);
	what = ts.pending;
	ts.pending = 0;
	spin_unlock_irqrestore(&ts.lock, flags);

	if (ts_host_now(&ns))
		return;
	host = ns_to_timespec64(ns);
	if (!(what & IC_TIMESYNC_FLAG_SYNC)) {
		if (!timesync_step_ms)
			return;
		ktime_get_real_ts64(&now);
		diff = timespec64_to_ns(&host) - timespec64_to_ns(&now);
		if (diff < 0)
			diff = -diff;
		if (diff <= (s64)timesync_step_ms * NSEC_PER_MSEC)
			return;
		pr_info("timesync: clock off by %lld ms, stepping it\n",
			diff / NSEC_PER_MSEC);
	}
	do_settimeofday64(&host);
}

static bool ts_handle(struct util_svc *s, u32 len, u32 body_len, u64 tid)
{
	struct ic_ts_sample smp;
	const char *why = "";
	unsigned long flags;
	u64 now;
	s64 ns;

	if (ic_timesync_decode(ic_body(s->buf), body_len, s->srv_ver, &smp,
			       &why)) {
		util_err(s, "refused message: %s\n", why);
		return false;
	}
	if (!ic_host_time_to_unix_ns(smp.host_time, &ns)) {
		util_err(s, "host time %llu out of range\n", smp.host_time);
	} else {
		spin_lock_irqsave(&ts.lock, flags);
		now = ts_ref_now();
		/* v4: the host says when it sampled; older: take it as now */
		if (smp.has_ref && now > smp.ref_time)
			ns += (s64)((now - smp.ref_time) * 100);
		ts.host_ns = ns;
		ts.ref = now;
		ts.valid = true;
		ts.pending |= smp.flags &
			      (IC_TIMESYNC_FLAG_SYNC | IC_TIMESYNC_FLAG_SAMPLE);
		spin_unlock_irqrestore(&ts.lock, flags);
		if (smp.flags & (IC_TIMESYNC_FLAG_SYNC | IC_TIMESYNC_FLAG_SAMPLE))
			schedule_work(&ts.work);
	}
	ic_set_response(s->buf, IC_S_OK);
	return true;
}

#if UTIL_HAVE_PTP
static int ts_ptp_gettime(struct ptp_clock_info *info, struct timespec64 *t)
{
	s64 ns;
	int ret = ts_host_now(&ns);

	if (ret == -ENODATA)
		return ret;
	*t = ns_to_timespec64(ns);
	return 0;
}

static int ts_ptp_settime(struct ptp_clock_info *info,
			  const struct timespec64 *t)
{
	return -EOPNOTSUPP;
}

static int ts_ptp_adjfine(struct ptp_clock_info *info, long scaled_ppm)
{
	return -EOPNOTSUPP;
}

static int ts_ptp_adjtime(struct ptp_clock_info *info, s64 delta)
{
	return -EOPNOTSUPP;
}

static int ts_ptp_enable(struct ptp_clock_info *info,
			 struct ptp_clock_request *req, int on)
{
	return -EOPNOTSUPP;
}

static struct ptp_clock_info ts_ptp_info = {
	.owner = THIS_MODULE,
	.name = "hyperv",
	.gettime64 = ts_ptp_gettime,
	.settime64 = ts_ptp_settime,
	.adjfine = ts_ptp_adjfine,
	.adjtime = ts_ptp_adjtime,
	.enable = ts_ptp_enable,
};

static void ts_ptp_register(void)
{
	struct ptp_clock *p = ptp_clock_register(&ts_ptp_info, NULL);

	if (IS_ERR_OR_NULL(p)) {
		pr_warn("timesync: no PTP clock (%d)\n", (int)PTR_ERR_OR_ZERO(p));
		return;
	}
	ts.ptp = p;
}

static void ts_ptp_unregister(void)
{
	if (ts.ptp)
		ptp_clock_unregister(ts.ptp);
	ts.ptp = NULL;
}
#else
static void ts_ptp_register(void)
{
	pr_info("timesync: this kernel has no PTP clock support\n");
}

static void ts_ptp_unregister(void)
{
}
#endif

static int ts_init(struct util_svc *s)
{
	spin_lock_init(&ts.lock);
	INIT_WORK(&ts.work, ts_work);
	ts.valid = false;
	ts.pending = 0;
	ts.have_msr = ts_detect_msr();
	ts_ptp_register();
	return 0;
}

static void ts_deinit(struct util_svc *s)
{
	ts_ptp_unregister();
	cancel_work_sync(&ts.work);
}

const struct util_ops util_timesync_ops = {
	.name = "timesync",
	.msgtype = IC_MSGTYPE_TIMESYNC,
	.vers = { ts_fw, ARRAY_SIZE(ts_fw), ts_srv, ARRAY_SIZE(ts_srv) },
	.init = ts_init,
	.deinit = ts_deinit,
	.handle = ts_handle,
};
