// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_echo: test-only VMBus driver for the simulated host's echo class.
 *
 * It opens the channel at probe and, on request through debugfs, sends
 * packets of a given size with COMPLETION_REQUESTED; the simulated host
 * returns each payload in a completion.  Every payload is a function of
 * its transaction id, so a completion proves the ring, the signalling and
 * the packet parsing both ways.
 *
 *   /sys/kernel/debug/hv_echo/<device>/xfer
 *	write "COUNT SIZE" to run; read "ok=N bad=N errors=N lost=N"
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "hvlis/vmbus.h"
#include "vmbus_codec.h"

static unsigned int ring_kb = 64;
module_param(ring_kb, uint, 0444);
MODULE_PARM_DESC(ring_kb, "ring size each way in KiB (with the control page)");

static bool use_debugfs = true;
module_param(use_debugfs, bool, 0444);
MODULE_PARM_DESC(use_debugfs, "create the xfer files (0: bind/open only, for leak tests)");

/*
 * Fault injection for the leak test itself: keep one reference to every
 * device bound, so that its channel outlives hv_vmbus's exit.  Proves that
 * the "still referenced at exit" check can fail (tests/vm 24-*).
 */
static bool leak_device_ref;
module_param(leak_device_ref, bool, 0444);
MODULE_PARM_DESC(leak_device_ref, "test only: leak a reference to each bound device");

#define ECHO_MAX_PAYLOAD	(16 * 1024)

struct echo_dev {
	struct hv_device *hdev;
	struct dentry *dir;
	struct mutex lock;		/* one run at a time */
	wait_queue_head_t wq;
	atomic_t outstanding;
	u64 next_id;
	u64 ok, bad, errors, lost;
	u8 *buf;
};

static struct dentry *echo_root;

static u8 echo_byte(u64 id, u32 i)
{
	return (u8)(id * 131 + i * 7 + (i >> 8));
}

static void echo_fill(u8 *p, u64 id, u32 size)
{
	u32 i;

	for (i = 0; i < size; i++)
		p[i] = echo_byte(id, i);
}

static bool echo_check(const u8 *p, u32 len, u64 id, u32 size)
{
	u32 i;

	if (len < size)
		return false;
	for (i = 0; i < size; i++)
		if (p[i] != echo_byte(id, i))
			return false;
	return true;
}

static void echo_onchannel(void *ctx)
{
	struct echo_dev *ed = ctx;
	struct vmbus_channel *ch = ed->hdev->channel;
	const struct vmbus_pkt_view *v;

	hvlis_for_each_pkt(v, ch) {
		/* the payload size travels in the trans_id's top 16 bits */
		u32 size = v->trans_id >> 48;

		if (v->type != VMBUS_PKT_COMP ||
		    !echo_check(v->payload, v->payload_len, v->trans_id, size))
			ed->bad++;
		else
			ed->ok++;
		atomic_dec(&ed->outstanding);
	}
	hvlis_pkt_done(ch);
	wake_up(&ed->wq);
}

static int echo_run(struct echo_dev *ed, u32 count, u32 size)
{
	struct vmbus_channel *ch = ed->hdev->channel;
	u32 n;
	int ret = 0;

	for (n = 0; n < count; n++) {
		u64 id = ((u64)size << 48) | (ed->next_id++ & 0xffffffffffffull);

		echo_fill(ed->buf, id, size);
		for (;;) {
			ret = hvlis_chan_send(ch, VMBUS_PKT_DATA_INBAND,
					      VMBUS_PKT_FLAG_COMPLETION_REQUESTED,
					      id, ed->buf, size);
			if (ret != -EAGAIN)
				break;
			/* ring full: wait for completions to make room */
			wait_event_timeout(ed->wq,
					   hvlis_chan_send_space(ch) > size + 64 ||
					   hvlis_chan_rescinded(ch), HZ / 10);
		}
		if (ret) {
			ed->errors++;
			break;
		}
		atomic_inc(&ed->outstanding);
	}
	if (!wait_event_timeout(ed->wq, !atomic_read(&ed->outstanding), 30 * HZ)) {
		ed->lost += atomic_read(&ed->outstanding);
		atomic_set(&ed->outstanding, 0);
	}
	return ret;
}

static ssize_t echo_xfer_write(struct file *f, const char __user *ubuf,
			       size_t len, loff_t *off)
{
	struct echo_dev *ed = f->f_inode->i_private;
	char kbuf[32];
	u32 count, size;

	if (len >= sizeof(kbuf))
		return -EINVAL;
	if (copy_from_user(kbuf, ubuf, len))
		return -EFAULT;
	kbuf[len] = 0;
	if (sscanf(kbuf, "%u %u", &count, &size) != 2 || !size ||
	    size > ECHO_MAX_PAYLOAD)
		return -EINVAL;
	mutex_lock(&ed->lock);
	echo_run(ed, count, size);
	mutex_unlock(&ed->lock);
	return len;
}

static ssize_t echo_xfer_read(struct file *f, char __user *ubuf, size_t len,
			      loff_t *off)
{
	struct echo_dev *ed = f->f_inode->i_private;
	char kbuf[96];
	int n;

	mutex_lock(&ed->lock);
	n = scnprintf(kbuf, sizeof(kbuf), "ok=%llu bad=%llu errors=%llu lost=%llu\n",
		      ed->ok, ed->bad, ed->errors, ed->lost);
	mutex_unlock(&ed->lock);
	return simple_read_from_buffer(ubuf, len, off, kbuf, n);
}

static const struct file_operations echo_xfer_fops = {
	.owner = THIS_MODULE,
	.read = echo_xfer_read,
	.write = echo_xfer_write,
};

static int echo_probe(struct hv_device *hdev,
		      const struct hv_vmbus_device_id *id)
{
	struct hvlis_open_params p = {};
	struct echo_dev *ed;
	int ret;

	ed = kzalloc(sizeof(*ed), GFP_KERNEL);
	if (!ed)
		return -ENOMEM;
	ed->buf = kmalloc(ECHO_MAX_PAYLOAD, GFP_KERNEL);
	if (!ed->buf) {
		kfree(ed);
		return -ENOMEM;
	}
	ed->hdev = hdev;
	mutex_init(&ed->lock);
	init_waitqueue_head(&ed->wq);
	atomic_set(&ed->outstanding, 0);
	dev_set_drvdata(&hdev->device, ed);

	p.send_ring_size = ring_kb * 1024;
	p.recv_ring_size = ring_kb * 1024;
	p.max_pkt_size = ECHO_MAX_PAYLOAD + 64;
	p.onchannel = echo_onchannel;
	p.ctx = ed;
	ret = hvlis_chan_open(hdev->channel, &p);
	if (ret) {
		dev_err(&hdev->device, "open failed (%d)\n", ret);
		kfree(ed->buf);
		kfree(ed);
		return ret;
	}
	if (use_debugfs) {
		ed->dir = debugfs_create_dir(dev_name(&hdev->device), echo_root);
		debugfs_create_file("xfer", 0600, ed->dir, ed, &echo_xfer_fops);
	}
	if (leak_device_ref) {
		get_device(&hdev->device);
		dev_warn(&hdev->device, "leaking a device reference (leak_device_ref=1)\n");
	}
	return 0;
}

static void echo_remove(struct hv_device *hdev)
{
	struct echo_dev *ed = dev_get_drvdata(&hdev->device);

	debugfs_remove_recursive(ed->dir);
	mutex_lock(&ed->lock);
	hvlis_chan_close(hdev->channel);
	mutex_unlock(&ed->lock);
	kfree(ed->buf);
	kfree(ed);
}

static const struct hv_vmbus_device_id echo_ids[] = {
	{ .guid = HV_SIM_ECHO_GUID },
	{ },
};
MODULE_DEVICE_TABLE(vmbus, echo_ids);

static struct hv_driver echo_drv = {
	.name = "hv_echo",
	.id_table = echo_ids,
	.probe = echo_probe,
	.remove = echo_remove,
};

static int __init echo_init(void)
{
	int ret;

	echo_root = debugfs_create_dir("hv_echo", NULL);
	ret = hvlis_driver_register(&echo_drv);
	if (ret)
		debugfs_remove_recursive(echo_root);
	return ret;
}

static void __exit echo_exit(void)
{
	hvlis_driver_unregister(&echo_drv);
	debugfs_remove_recursive(echo_root);
}

module_init(echo_init);
module_exit(echo_exit);
MODULE_DESCRIPTION("Test-only VMBus echo driver (hyperv-lis)");
MODULE_LICENSE("GPL");
