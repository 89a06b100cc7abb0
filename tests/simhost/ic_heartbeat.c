// SPDX-License-Identifier: GPL-2.0-only
/*
 * Heartbeat IC, host side.  OpenVMM has no heartbeat host; its protocol
 * crate (hyperv_ic_protocol/src/heartbeat.rs) gives the 16-byte message
 * (sequence number, application state, reserved) and Linux's guest
 * (hv_util.c) answers with the sequence number plus one.  The host
 * offers versions 1.0 and 3.0, sends a heartbeat every interval_ms
 * (default 1000) carrying the last number the guest returned, and
 * records what comes back.  debugfs:
 *
 *   interval MS   0 stops at once: nothing is sent once the write
 *                 returns (a heartbeat under way is waited for); others
 *                 take effect with the next heartbeat
 *   beat          send one heartbeat now
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": ic: " fmt

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "hv_devids.h"
#include "ic.h"

static const u32 hb_versions[] = { IC_HB_VER_1, IC_HB_VER_3 };

static void hb_work_fn(struct work_struct *w);

struct hb_msg {				/* what the host sends */
	u64 seq_num;
	u32 app_state;
	u32 reserved;
} __packed;

static struct {
	struct mutex lock;		/* the fields below */
	u64 next_seq;			/* sent with the next heartbeat */
	u64 last_seq;			/* the guest's last answer */
	u64 count;			/* answers with S_OK */
	u64 wrong;			/* answers that are not seq + 1 */
	u64 failed;			/* errors, timeouts, bad status */
	u32 app_state;
	unsigned int interval_ms;
	struct delayed_work work;
} hb = {
	.lock = __MUTEX_INITIALIZER(hb.lock),
	.next_seq = 1,
	.interval_ms = 1000,
	.work = __DELAYED_WORK_INITIALIZER(hb.work, hb_work_fn, 0),
};

static int hb_beat(void)
{
	struct hb_msg msg = { 0 }, ans = { 0 };
	u32 status = 0, rlen = 0;
	int ret;

	mutex_lock(&hb.lock);
	msg.seq_num = hb.next_seq;
	mutex_unlock(&hb.lock);
	ret = ic_request(&ic_heartbeat_svc, &msg, sizeof(msg), &status, &ans,
			 sizeof(ans), &rlen, 0);
	mutex_lock(&hb.lock);
	if (ret || status != IC_S_OK || rlen < sizeof(u64)) {
		hb.failed++;
	} else {
		hb.count++;
		if (ans.seq_num != msg.seq_num + 1)
			hb.wrong++;
		hb.last_seq = ans.seq_num;
		hb.next_seq = ans.seq_num;
		if (rlen >= offsetof(struct hb_msg, reserved))
			hb.app_state = ans.app_state;
	}
	mutex_unlock(&hb.lock);
	if (ret)
		return ret;
	return status == IC_S_OK ? 0 : -EIO;
}

static void hb_work_fn(struct work_struct *w)
{
	unsigned int ms;

	if (!ic_is_ready(&ic_heartbeat_svc, NULL))
		return;
	hb_beat();
	ms = READ_ONCE(hb.interval_ms);
	if (ms)
		schedule_delayed_work(&hb.work, msecs_to_jiffies(ms));
}

static void hb_ready(struct ic_svc *svc)
{
	schedule_delayed_work(&hb.work, 0);
}

static void hb_closed(struct ic_svc *svc)
{
	cancel_delayed_work_sync(&hb.work);
}

static int hb_command(struct ic_svc *svc, char *line)
{
	unsigned int ms;

	if (!strncmp(line, "interval ", 9)) {
		if (kstrtouint(line + 9, 0, &ms) || ms > 3600000)
			return -EINVAL;
		WRITE_ONCE(hb.interval_ms, ms);
		/*
		 * A beat already scheduled must not go out after "interval 0":
		 * a test arms one-shot faults for its own next request.
		 */
		if (!ms)
			cancel_delayed_work_sync(&hb.work);
		else if (ic_is_ready(svc, NULL))
			mod_delayed_work(system_wq, &hb.work,
					 msecs_to_jiffies(ms));
		return 0;
	}
	if (!strcmp(line, "beat"))
		return hb_beat();
	return -EINVAL;
}

static void hb_show(struct ic_svc *svc, struct seq_file *m)
{
	mutex_lock(&hb.lock);
	seq_printf(m, "last_seq=%llu count=%llu wrong=%llu failed=%llu app_state=%u interval_ms=%u\n",
		   hb.last_seq, hb.count, hb.wrong, hb.failed, hb.app_state,
		   hb.interval_ms);
	mutex_unlock(&hb.lock);
}

static const struct ic_svc_ops hb_ops = {
	.ready = hb_ready,
	.closed = hb_closed,
	.show = hb_show,
	.command = hb_command,
};

struct ic_svc ic_heartbeat_svc = {
	.name = "heartbeat",
	.msgtype = IC_MSGTYPE_HEARTBEAT,
	.ops = &hb_ops,
	.def_versions = hb_versions,
	.def_nver = ARRAY_SIZE(hb_versions),
};

IC_DEV_CLASS(sim_heartbeat_class, "heartbeat", 0x04, HV_HEART_BEAT_GUID,
	     ic_heartbeat_svc);
