// SPDX-License-Identifier: GPL-2.0-only
/*
 * Daemon character devices (see util_transport.h).  The node name
 * "vmbus/hv_kvp" makes devtmpfs create /dev/vmbus/hv_kvp.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/poll.h>
#include <linux/uaccess.h>
#include "util_transport.h"

/* misc_open() leaves the miscdevice in private_data for every f_op. */
static struct util_transport *ut_of(struct file *f)
{
	return container_of((struct miscdevice *)f->private_data,
			    struct util_transport, mdev);
}

static ssize_t ut_read(struct file *f, char __user *buf, size_t count,
		       loff_t *ppos)
{
	struct util_transport *t = ut_of(f);
	ssize_t ret;

	if (wait_event_interruptible(t->outq, t->outmsg_len || t->dying))
		return -EINTR;
	mutex_lock(&t->lock);
	if (t->dying) {
		ret = -EBADF;
	} else if (!t->outmsg) {
		ret = -EAGAIN;
	} else if (count < t->outmsg_len) {
		ret = -EINVAL;
	} else if (copy_to_user(buf, t->outmsg, t->outmsg_len)) {
		ret = -EFAULT;
	} else {
		ret = t->outmsg_len;
		atomic64_set(&t->last_read, t->outmsg_seq);
		kfree(t->outmsg);
		t->outmsg = NULL;
		t->outmsg_len = 0;
	}
	mutex_unlock(&t->lock);
	return ret;
}

static ssize_t ut_write(struct file *f, const char __user *buf, size_t count,
			loff_t *ppos)
{
	struct util_transport *t = ut_of(f);
	void *msg;
	int ret;

	if (count > 16 * 1024)
		return -EINVAL;
	msg = memdup_user(buf, count);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	ret = t->dying ? -EBADF : t->on_msg(t->ctx, msg, (u32)count);
	kfree(msg);
	return ret ? ret : (ssize_t)count;
}

static __poll_t ut_poll(struct file *f, poll_table *wait)
{
	struct util_transport *t = ut_of(f);

	poll_wait(f, &t->outq, wait);
	if (t->dying)
		return EPOLLERR | EPOLLHUP;
	return t->outmsg_len ? EPOLLIN | EPOLLRDNORM : 0;
}

static int ut_open(struct inode *inode, struct file *f)
{
	struct util_transport *t = ut_of(f);
	int ret = 0;

	mutex_lock(&t->lock);
	if (t->dying)
		ret = -EBADF;
	else if (t->open)
		ret = -EBUSY;
	else
		t->open = true;
	mutex_unlock(&t->lock);
	return ret;
}

static int ut_release(struct inode *inode, struct file *f)
{
	struct util_transport *t = ut_of(f);

	mutex_lock(&t->lock);
	t->open = false;
	kfree(t->outmsg);
	t->outmsg = NULL;
	t->outmsg_len = 0;
	mutex_unlock(&t->lock);
	t->on_reset(t->ctx);
	return 0;
}

static const struct file_operations ut_fops = {
	.owner = THIS_MODULE,
	.read = ut_read,
	.write = ut_write,
	.poll = ut_poll,
	.open = ut_open,
	.release = ut_release,
	.llseek = noop_llseek,
};

int util_transport_send(struct util_transport *t, const void *msg, u32 len)
{
	int ret = 0;

	mutex_lock(&t->lock);
	if (!t->open || t->dying) {
		ret = -ENODEV;
	} else if (t->outmsg) {
		ret = -EBUSY;
	} else {
		t->outmsg = kmemdup(msg, len, GFP_KERNEL);
		if (t->outmsg) {
			t->outmsg_len = len;
			t->outmsg_seq = atomic64_inc_return(&t->nsent);
			wake_up_interruptible(&t->outq);
		} else {
			ret = -ENOMEM;
		}
	}
	mutex_unlock(&t->lock);
	return ret;
}

bool util_transport_withdraw(struct util_transport *t, s64 mark)
{
	bool taken = false;

	mutex_lock(&t->lock);
	if (t->outmsg && t->outmsg_seq > mark) {
		kfree(t->outmsg);
		t->outmsg = NULL;
		t->outmsg_len = 0;
		taken = true;
	}
	mutex_unlock(&t->lock);
	return taken;
}

int util_transport_init(struct util_transport *t, const char *name,
			int (*on_msg)(void *, const void *, u32),
			void (*on_reset)(void *), void *ctx)
{
	memset(t, 0, sizeof(*t));
	mutex_init(&t->lock);
	init_waitqueue_head(&t->outq);
	atomic64_set(&t->nsent, 0);
	atomic64_set(&t->last_read, 0);
	t->on_msg = on_msg;
	t->on_reset = on_reset;
	t->ctx = ctx;
	t->mdev.minor = MISC_DYNAMIC_MINOR;
	t->mdev.name = name;
	t->mdev.fops = &ut_fops;
	return misc_register(&t->mdev);
}

/*
 * The misc device goes first, so no new opener comes; an open file keeps
 * the module (fops.owner) and thus the service alive until it is closed.
 */
void util_transport_destroy(struct util_transport *t)
{
	mutex_lock(&t->lock);
	t->dying = true;
	mutex_unlock(&t->lock);
	wake_up_interruptible(&t->outq);
	misc_deregister(&t->mdev);
	mutex_lock(&t->lock);
	kfree(t->outmsg);
	t->outmsg = NULL;
	t->outmsg_len = 0;
	mutex_unlock(&t->lock);
}
