// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/hv_simhost/: the host's view, hot-plug actions and the
 * fault knobs (documented in README.md).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "simhost_int.h"
#include "storvsp.h"

static struct dentry *dir;

struct knob {
	const char *name;
	int (*show)(struct seq_file *m);
	int (*store)(char *arg);	/* sim.lock held */
};

/* ---- read-only views ---- */
static int show_channels(struct seq_file *m)
{
	struct sim_chan *c;

	list_for_each_entry(c, &sim.chans, node) {
		seq_printf(m, "relid=%u class=%s index=%u sub=%u instance=%pUl state=%s",
			   c->relid, c->cls->name, c->index, c->subidx,
			   c->instance.b, sim_chan_state_name(c->state));
		seq_printf(m, " conn_id=%#x gpadl=%#x target_vp=%d",
			   c->conn_id, c->ring_gpadl ? c->ring_gpadl->handle : 0,
			   c->target_vp == SIM_VP_NONE ? -1 : (int)c->target_vp);
		seq_printf(m, " pkts_in=%lld pkts_out=%lld sig_in=%lld sig_out=%lld send_fail=%lld sig_space=%lld%s%s\n",
			   atomic64_read(&c->pkts_in),
			   atomic64_read(&c->pkts_out),
			   atomic64_read(&c->sig_in),
			   atomic64_read(&c->sig_out),
			   atomic64_read(&c->send_fail),
			   atomic64_read(&c->sig_space),
			   c->broken ? " broken" : "", c->fake ? " fake" : "");
	}
	return 0;
}

static int show_stats(struct seq_file *m)
{
	unsigned int i, cpu;

	seq_printf(m, "connected %d\nversion %#x\nmsg_vp %u\noffers_sent %d\n",
		   sim.connected, sim.version, sim.msg_vp, sim.offers_sent);
	seq_printf(m, "msg_conn_id %#x\nhost_version %#x\nguest_attached %d\n",
		   atomic_read(&sim.active_msg_conn), sim_host_version,
		   sim.inited);
	seq_printf(m, "gpadls %u\nrelids_used %u\nresets %lld\n",
		   sim_gpadl_count(),
		   bitmap_weight(sim.relids, VMBUS_MAX_RELIDS),
		   atomic64_read(&sim.resets));
	seq_printf(m, "posts %lld\npost_rejected %lld\npost_busy %lld\npost_bad_conn %lld\n",
		   atomic64_read(&sim.posts), atomic64_read(&sim.post_rejected),
		   atomic64_read(&sim.post_busy),
		   atomic64_read(&sim.post_bad_conn));
	seq_printf(m, "signals %lld\nsignals_bad %lld\nmsgs_ignored %lld\n",
		   atomic64_read(&sim.signals), atomic64_read(&sim.signals_bad),
		   atomic64_read(&sim.msgs_ignored));
	seq_printf(m, "msgs_dropped %lld\nmsgs_delayed %lld\nmsgs_resized %lld\n",
		   atomic64_read(&sim.msgs_dropped),
		   atomic64_read(&sim.msgs_delayed),
		   atomic64_read(&sim.msgs_resized));
	for (i = 0; i <= VMBUS_MSG_COUNT; i++)
		if (atomic64_read(&sim.msgs_in[i]))
			seq_printf(m, "in %s %lld\n", sim_msg_name(i),
				   atomic64_read(&sim.msgs_in[i]));
	for (i = 0; i < VMBUS_MSG_COUNT; i++)
		if (atomic64_read(&sim.msgs_out[i]))
			seq_printf(m, "out %s %lld\n", sim_msg_name(i),
				   atomic64_read(&sim.msgs_out[i]));
	for_each_online_cpu(cpu) {
		struct sim_vp *vp = sim_vp_of_cpu(cpu);

		seq_printf(m, "cpu %u vp %u enabled %d queued %u delivered %lld irqs %lld eoms %lld eom_idle %lld pending_set %lld events %lld\n",
			   cpu, sim_cpu_to_vp(cpu), READ_ONCE(vp->enabled),
			   READ_ONCE(vp->queued),
			   atomic64_read(&vp->delivered),
			   atomic64_read(&vp->irqs), atomic64_read(&vp->eoms),
			   atomic64_read(&vp->eom_idle),
			   atomic64_read(&vp->pending_set),
			   atomic64_read(&vp->events));
	}
	return 0;
}

static int show_faults(struct seq_file *m)
{
	struct sim_faults *f = &sim.faults;
	unsigned int i;

	spin_lock(&f->lock);
	for (i = 0; i < VMBUS_MSG_COUNT; i++) {
		if (f->size_armed[i])
			seq_printf(m, "msg_size %s %d\n", sim_msg_name(i),
				   f->size_delta[i]);
		if (f->delay_ms[i])
			seq_printf(m, "delay_ms %s %u\n", sim_msg_name(i),
				   f->delay_ms[i]);
		if (f->drop[i])
			seq_printf(m, "drop %s %d\n", sim_msg_name(i),
				   f->drop[i]);
	}
	spin_unlock(&f->lock);
	seq_printf(m, "post_busy %d\n", atomic_read(&f->post_busy));
	seq_printf(m, "rescind_on_open %u\n", f->rescind_on_open);
	return 0;
}

/* ---- helpers ---- */
static int get_u32(char **s, u32 *v)
{
	char *tok = strsep(s, " \t");

	while (tok && !*tok)
		tok = strsep(s, " \t");
	return tok ? kstrtou32(tok, 0, v) : -EINVAL;
}

static char *get_word(char **s)
{
	char *tok = strsep(s, " \t");

	while (tok && !*tok)
		tok = strsep(s, " \t");
	return tok;
}

static int get_type(char **s)
{
	char *tok = get_word(s);

	return tok ? sim_msg_type_parse(tok) : -EINVAL;
}

static struct sim_chan *get_chan(char **s)
{
	u32 relid;

	if (get_u32(s, &relid))
		return NULL;
	return sim_chan_by_relid(relid);
}

/* ---- actions ---- */
/* "RELID": the channel (a primary's sub-channels first); "RELID only": fault */
static int store_rescind(char *s)
{
	struct sim_chan *c = get_chan(&s);
	char *mode = get_word(&s);

	if (!c || c->state == CHAN_REVOKED)
		return -ENOENT;
	if (mode && strcmp(mode, "only"))
		return -EINVAL;
	if (mode) {
		pr_info("fault: rescinding relid %u without its sub-channels\n",
			c->relid);
		sim_chan_rescind_one(c);
	} else {
		sim_chan_rescind(c);
	}
	return 0;
}

static int show_offer(struct seq_file *m)
{
	sim_classes_list(m);
	return 0;
}

static int store_offer(char *s)
{
	return sim_devices_parse(strim(s));
}

static int store_subchannels(char *s)
{
	struct sim_chan *c = get_chan(&s);
	u32 n;

	if (!c || c->primary != c || get_u32(&s, &n) || !n || n > 64)
		return -EINVAL;
	return sim_offer_subchannels(c, n);
}

/* ---- fault knobs ---- */
static int store_msg_size(char *s)
{
	int type = get_type(&s), delta;
	char *tok = get_word(&s);

	if (type < 0 || !tok || kstrtoint(tok, 0, &delta))
		return -EINVAL;
	spin_lock(&sim.faults.lock);
	sim.faults.size_delta[type] = delta;
	sim.faults.size_armed[type] = delta != 0;
	spin_unlock(&sim.faults.lock);
	return 0;
}

static int store_delay(char *s)
{
	int type = get_type(&s);
	u32 ms;

	if (type < 0 || get_u32(&s, &ms) || ms > 600000)
		return -EINVAL;
	spin_lock(&sim.faults.lock);
	sim.faults.delay_ms[type] = ms;
	spin_unlock(&sim.faults.lock);
	return 0;
}

static int store_drop(char *s)
{
	int type = get_type(&s), n;
	char *tok = get_word(&s);

	if (type < 0 || !tok || kstrtoint(tok, 0, &n) || n < -1)
		return -EINVAL;
	spin_lock(&sim.faults.lock);
	sim.faults.drop[type] = n;
	spin_unlock(&sim.faults.lock);
	return 0;
}

static int show_post_busy(struct seq_file *m)
{
	seq_printf(m, "%d\n", atomic_read(&sim.faults.post_busy));
	return 0;
}

static int store_post_busy(char *s)
{
	u32 n;

	if (get_u32(&s, &n) || n > INT_MAX)
		return -EINVAL;
	atomic_set(&sim.faults.post_busy, n);
	return 0;
}

static int show_rescind_on_open(struct seq_file *m)
{
	seq_printf(m, "%u\n", sim.faults.rescind_on_open);
	return 0;
}

static int store_rescind_on_open(char *s)
{
	u32 relid;

	if (get_u32(&s, &relid))
		return -EINVAL;
	sim.faults.rescind_on_open = relid;
	return 0;
}

static int show_rescind_after_gpadl(struct seq_file *m)
{
	seq_printf(m, "%u\n", sim.faults.rescind_after_gpadl);
	return 0;
}

static int store_rescind_after_gpadl(char *s)
{
	u32 relid;

	if (get_u32(&s, &relid))
		return -EINVAL;
	WRITE_ONCE(sim.faults.rescind_after_gpadl, relid);
	return 0;
}

/* "KIND [relid]": a host message about a relid that does not exist */
static int store_unknown_relid(char *s)
{
	char *kind = get_word(&s);
	u32 relid = VMBUS_MAX_RELIDS - 1;
	u8 buf[sizeof(struct vmbus_msg_gpadl_created)] = { 0 };
	u32 size;

	if (!kind || (s && *s && get_u32(&s, &relid)))
		return -EINVAL;
	if (sim_chan_by_relid(relid))
		return -EEXIST;
	if (!strcmp(kind, "open_result")) {
		struct vmbus_msg_open_result *r = (void *)buf;

		r->hdr.msgtype = VMBUS_MSG_OPENCHANNEL_RESULT;
		r->child_relid = relid;
		r->openid = relid;
		size = sizeof(*r);
	} else if (!strcmp(kind, "gpadl_created")) {
		struct vmbus_msg_gpadl_created *r = (void *)buf;

		r->hdr.msgtype = VMBUS_MSG_GPADL_CREATED;
		r->child_relid = relid;
		r->gpadl = 0xdead0000u | relid;
		size = sizeof(*r);
	} else if (!strcmp(kind, "rescind")) {
		struct vmbus_msg_rescind *r = (void *)buf;

		r->hdr.msgtype = VMBUS_MSG_RESCIND_CHANNELOFFER;
		r->child_relid = relid;
		size = sizeof(*r);
	} else {
		return -EINVAL;
	}
	pr_info("fault: %s for unknown relid %u\n", kind, relid);
	return sim_send_msg(buf, size);
}

/*
 * "RELID in_read|out_write unaligned|oob", "RELID in_read ahead|restore":
 * ahead = aligned and in range, 64 bytes past the guest's write_index (a
 * read index no reader can have: the guest sees 56 bytes free for ever);
 * restore = the host's own read index again.
 */
static int store_corrupt_ring(char *s)
{
	struct sim_chan *c = get_chan(&s);
	char *which = get_word(&s), *how = get_word(&s);
	struct sim_ring *r;
	u32 bad;

	if (!c || c->state != CHAN_OPEN || !which || !how)
		return -EINVAL;
	if (!strcmp(which, "in_read"))
		r = &c->in;
	else if (!strcmp(which, "out_write"))
		r = &c->out;
	else
		return -EINVAL;
	if (!strcmp(how, "unaligned"))
		bad = (r->mine + 4) % r->size;
	else if (!strcmp(how, "oob"))
		bad = r->size + 8 * (r->mine / 8 % 16) + 8;
	else if (r == &c->in && !strcmp(how, "ahead"))
		bad = ((READ_ONCE(r->ctl->write_index) & ~7u) + 64) % r->size;
	else if (r == &c->in && !strcmp(how, "restore"))
		bad = r->mine;
	else
		return -EINVAL;
	mutex_lock(&c->tx_lock);
	if (r == &c->in)
		WRITE_ONCE(r->ctl->read_index, bad);
	else
		WRITE_ONCE(r->ctl->write_index, bad);
	mutex_unlock(&c->tx_lock);
	smp_mb();	/* corrupted index visible before the signal */
	pr_info("fault: relid %u %s set to %#x (ring data size %#x)\n",
		c->relid, which, bad, r->size);
	/* make the guest look */
	sim_chan_signal_guest(c);
	return 0;
}

/*
 * "RELID": clear the feature bits of the guest-to-host ring, as a guest
 * that sets pending_send_sz without advertising it does.
 */
static int store_ring_features(char *s)
{
	struct sim_chan *c = get_chan(&s);

	if (!c || c->state != CHAN_OPEN)
		return -EINVAL;
	WRITE_ONCE(c->in.ctl->feature_bits, 0);
	pr_info("fault: relid %u guest-to-host ring feature bits cleared\n",
		c->relid);
	return 0;
}

/* "RELID on|off": the host stops / resumes reading RELID's ring */
static int store_hold(char *s)
{
	struct sim_chan *c = get_chan(&s);
	char *how = get_word(&s);
	bool hold;

	if (!c || c->state != CHAN_OPEN || !how)
		return -EINVAL;
	if (!strcmp(how, "on"))
		hold = true;
	else if (!strcmp(how, "off"))
		hold = false;
	else
		return -EINVAL;
	sim_chan_hold(c, hold);
	pr_info("fault: relid %u guest-to-host ring %s\n", c->relid,
		hold ? "held" : "released");
	return 0;
}

/* "RELID [big|small]": next host packet on RELID claims a bad len8 */
static int store_bad_pkt_len(char *s)
{
	struct sim_chan *c = get_chan(&s);
	char *how = get_word(&s);
	u16 add = 0xffff;

	if (!c || c->state != CHAN_OPEN)
		return -EINVAL;
	if (how && !strcmp(how, "small"))
		add = 1;
	else if (how && strcmp(how, "big"))
		return -EINVAL;
	mutex_lock(&c->tx_lock);
	c->fault_len8_add = add;
	mutex_unlock(&c->tx_lock);
	return 0;
}

/*
 * "R N": N OFFERCHANNELs of relid R again, then R's RESCIND, back to back
 * (a flood of control messages; the SynIC slot paces them, as on Hyper-V).
 */
static int store_offer_flood(char *s)
{
	struct sim_chan *c = get_chan(&s);
	u32 i, n;

	if (!c || c->state == CHAN_REVOKED || get_u32(&s, &n) || n > 100000)
		return -EINVAL;
	pr_info("fault: %u duplicate offers of relid %u, then its rescind\n",
		n, c->relid);
	for (i = 0; i < n; i++)
		sim_chan_send_offer(c);
	sim_chan_rescind(c);
	return 0;
}

/* "relid R": offer R again as is; "instance R": new relid, same instance */
static int store_dup_offer(char *s)
{
	char *mode = get_word(&s);
	struct sim_chan *c = get_chan(&s), *dup;

	if (!mode || !c || c->state == CHAN_REVOKED)
		return -EINVAL;
	if (!strcmp(mode, "relid")) {
		pr_info("fault: offering relid %u a second time\n", c->relid);
		sim_chan_send_offer(c);
		return 0;
	}
	if (strcmp(mode, "instance"))
		return -EINVAL;
	dup = sim_chan_create(c->cls, c->index, NULL, 0);
	if (!dup)
		return -ENOMEM;
	dup->fake = true;
	dup->subidx = c->subidx;
	dup->instance = c->instance;
	if (sim_chan_offer(dup)) {
		sim_chan_destroy(dup);
		return -ENOSPC;
	}
	pr_info("fault: relid %u offered with the instance of relid %u\n",
		dup->relid, c->relid);
	return 0;
}

static const struct knob knobs[] = {
	{ "channels", show_channels, NULL },
	{ "stats", show_stats, NULL },
	{ "faults", show_faults, NULL },
	{ "rescind", NULL, store_rescind },
	{ "offer", show_offer, store_offer },
	{ "subchannels", NULL, store_subchannels },
	{ "msg_size", NULL, store_msg_size },
	{ "delay_ms", NULL, store_delay },
	{ "drop", NULL, store_drop },
	{ "post_busy", show_post_busy, store_post_busy },
	{ "rescind_on_open", show_rescind_on_open, store_rescind_on_open },
	{ "rescind_after_gpadl", show_rescind_after_gpadl, store_rescind_after_gpadl },
	{ "unknown_relid", NULL, store_unknown_relid },
	{ "corrupt_ring", NULL, store_corrupt_ring },
	{ "bad_pkt_len", NULL, store_bad_pkt_len },
	{ "ring_features", NULL, store_ring_features },
	{ "dup_offer", NULL, store_dup_offer },
	{ "offer_flood", NULL, store_offer_flood },
	{ "hold", NULL, store_hold },
	{ "storvsp_bad_completion", storvsp_bad_completion_show,
	  storvsp_bad_completion_store },
};

static int knob_show(struct seq_file *m, void *v)
{
	const struct knob *k = m->private;
	int ret;

	if (!k->show)
		return -EINVAL;
	mutex_lock(&sim.lock);
	ret = k->show(m);
	mutex_unlock(&sim.lock);
	return ret;
}

static int knob_open(struct inode *inode, struct file *file)
{
	return single_open(file, knob_show, inode->i_private);
}

static ssize_t knob_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	const struct knob *k = ((struct seq_file *)file->private_data)->private;
	char buf[128];
	int ret;

	if (!k->store)
		return -EINVAL;
	if (len >= sizeof(buf))
		return -E2BIG;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	{
		char *s = strim(buf);

		mutex_lock(&sim.lock);
		ret = k->store(s);
		mutex_unlock(&sim.lock);
	}
	return ret ? ret : len;
}

static const struct file_operations knob_fops = {
	.owner = THIS_MODULE,
	.open = knob_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = knob_write,
	.release = single_release,
};

int sim_debugfs_init(void)
{
	unsigned int i;

	dir = debugfs_create_dir("hv_simhost", NULL);
	if (IS_ERR_OR_NULL(dir))
		return dir ? PTR_ERR(dir) : -ENODEV;
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		umode_t mode = (knobs[i].show ? 0444 : 0) |
			       (knobs[i].store ? 0200 : 0);

		debugfs_create_file(knobs[i].name, mode, dir,
				    (void *)&knobs[i], &knob_fops);
	}
	return 0;
}

void sim_debugfs_exit(void)
{
	debugfs_remove_recursive(dir);
	dir = NULL;
}
