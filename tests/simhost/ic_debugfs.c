// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/hv_simhost/ic/<service>: read the state of one IC
 * service, write one command per line.  Common commands:
 *
 *   versions A.B[,C.D...]     service versions offered at the next open
 *   renegotiate               send NEGOTIATE again now
 *   timeout MS                how long a request waits for its answer
 *   fault pipe_size DELTA     next message: pipe header msgsize + DELTA
 *   fault msg_size DELTA      next message: IC header msgsize + DELTA
 *   fault trunc BYTES         next message: packet cut by BYTES
 *   fault pipe_flags          next message: pipe flags 0 (not DATA)
 *   fault neg_counts FW MSG   next NEGOTIATE claims FW / MSG versions
 *
 * Everything else goes to the service (ic_<service>.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": ic: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ic.h"

#define IC_CMD_MAX	4096

static struct ic_svc *const ic_services[] = {
	&ic_shutdown_svc,
	&ic_heartbeat_svc,
	&ic_timesync_svc,
	&ic_kvp_svc,
	&ic_vss_svc,
	&ic_fcopy_svc,
};

static const char *const state_names[] = {
	[IC_CLOSED] = "closed",
	[IC_NEG_WAIT] = "negotiating",
	[IC_READY] = "ready",
	[IC_FAILED] = "failed",
};

static int ic_show(struct seq_file *m, void *unused)
{
	struct ic_svc *svc = m->private;
	unsigned int i;

	mutex_lock(&svc->lock);
	seq_printf(m, "state=%s framework=%u.%u version=%u.%u bad_version=%d offered=",
		   state_names[svc->state], IC_VERSION_MAJOR(svc->fw_ver),
		   IC_VERSION_MINOR(svc->fw_ver),
		   IC_VERSION_MAJOR(svc->msg_ver),
		   IC_VERSION_MINOR(svc->msg_ver), svc->guest_bad_ver);
	for (i = 0; i < svc->nver; i++)
		seq_printf(m, "%s%u.%u", i ? "," : "",
			   IC_VERSION_MAJOR(svc->versions[i]),
			   IC_VERSION_MINOR(svc->versions[i]));
	seq_printf(m, "\nnegotiations=%llu requests=%llu responses=%llu timeouts=%llu unsolicited=%llu stale=%llu errors=%llu\n",
		   svc->negotiations, svc->requests, svc->responses,
		   svc->timeouts, svc->unsolicited, svc->stale, svc->errors);
	seq_printf(m, "timeout_ms=%u answers_in_ring=%llu last_error=%s\n",
		   svc->timeout_ms, svc->answers_in_ring,
		   svc->last_error[0] ? svc->last_error : "-");
	mutex_unlock(&svc->lock);
	if (svc->ops->show)
		svc->ops->show(svc, m);
	return 0;
}

static int ic_dbg_open(struct inode *inode, struct file *file)
{
	return single_open(file, ic_show, inode->i_private);
}

/* "1.0,3.0,..." */
static int set_versions(struct ic_svc *svc, char *list)
{
	u32 v[IC_MAX_OFFER];
	unsigned int n = 0, maj, min;
	char *tok;

	while ((tok = strsep(&list, ",")) != NULL) {
		if (n == IC_MAX_OFFER || sscanf(tok, "%u.%u", &maj, &min) != 2 ||
		    maj > 0xffff || min > 0xffff)
			return -EINVAL;
		v[n++] = IC_VERSION(maj, min);
	}
	if (!n)
		return -EINVAL;
	mutex_lock(&svc->lock);
	memcpy(svc->versions, v, n * sizeof(u32));
	svc->nver = n;
	mutex_unlock(&svc->lock);
	return 0;
}

static int set_timeout(struct ic_svc *svc, const char *arg)
{
	unsigned int ms;

	if (kstrtouint(arg, 0, &ms) || !ms || ms > 600000)
		return -EINVAL;
	WRITE_ONCE(svc->timeout_ms, ms);
	return 0;
}

static int set_fault(struct ic_svc *svc, char *args)
{
	struct ic_faults *f = &svc->faults;
	char name[16];
	int a = 0, b = 0, n;

	n = sscanf(args, "%15s %d %d", name, &a, &b);
	if (n < 1)
		return -EINVAL;
	mutex_lock(&svc->lock);
	if (!strcmp(name, "pipe_size") && n == 2)
		f->pipe_size = a;
	else if (!strcmp(name, "msg_size") && n == 2)
		f->msg_size = a;
	else if (!strcmp(name, "trunc") && n == 2 && a > 0)
		f->trunc = a;
	else if (!strcmp(name, "pipe_flags") && n == 1)
		f->pipe_flags = true;
	else if (!strcmp(name, "neg_counts") && n == 3 && a >= 0 &&
		 a <= 0xffff && b >= 0 && b <= 0xffff) {
		f->neg_fw = a;
		f->neg_msg = b;
	} else {
		n = -EINVAL;
	}
	mutex_unlock(&svc->lock);
	return n < 0 ? n : 0;
}

static ssize_t ic_dbg_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct ic_svc *svc = file_inode(file)->i_private;
	char *buf, *line;
	int ret;

	if (!count || count >= IC_CMD_MAX)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	line = strim(buf);
	if (!strncmp(line, "versions ", 9))
		ret = set_versions(svc, line + 9);
	else if (!strncmp(line, "timeout ", 8))
		ret = set_timeout(svc, line + 8);
	else if (!strcmp(line, "renegotiate"))
		ret = ic_renegotiate(svc);
	else if (!strncmp(line, "fault ", 6))
		ret = set_fault(svc, line + 6);
	else if (svc->ops->command)
		ret = svc->ops->command(svc, line);
	else
		ret = -EINVAL;
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations ic_dbg_fops = {
	.owner = THIS_MODULE,
	.open = ic_dbg_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = ic_dbg_write,
};

/* Called once at load, after the hv_simhost debugfs directory exists. */
void sim_ic_init(void)
{
	struct dentry *parent, *dir;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ic_services); i++)
		ic_svc_init(ic_services[i]);
	/* in hv_simhost's directory, which goes away with it */
	parent = debugfs_lookup("hv_simhost", NULL);
	if (!parent)
		return;
	dir = debugfs_create_dir("ic", parent);
	for (i = 0; i < ARRAY_SIZE(ic_services); i++)
		debugfs_create_file(ic_services[i]->name, 0600, dir,
				    ic_services[i], &ic_dbg_fops);
	dput(parent);
}
