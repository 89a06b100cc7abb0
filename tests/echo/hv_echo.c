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
 *	write "COUNT SIZE [WAIT_S]" to run (WAIT_S: how long to wait for the
 *	last completions, default 30 s); read "ok=N bad=N errors=N lost=N"
 *
 * Bound through driver_override to a device of another class, it is a raw
 * guest: the tests send that device's host the packets a guest other than
 * ours might send, and read what comes back (tests/simhost fidelity rows).
 *
 *   /sys/kernel/debug/hv_echo/<device>/raw
 *	write "send FLAGS HEX" (an inband packet, FLAGS 1 = completion
 *	requested, HEX its payload) or "clear"; read one line per packet
 *	received since the last clear: "type=T flags=F tid=N len=L HEX"
 *	(the first RAW_SHOW bytes; a transfer-page packet adds "xfer=OFF:LEN",
 *	its first range)
 *	"poke OFF HEX" writes HEX into the raw guest's pool (RAW_POOL bytes,
 *	page aligned), "gpadl OFF SIZE" makes a GPADL of a page-aligned part
 *	of it, "gpa OFF LEN HEX" sends HEX in band with the pool's bytes
 *	OFF..OFF+LEN as GPA-direct data, one range per page (several ranges
 *	when the bytes cross a page), completion requested; "gpa1 OFF LEN
 *	HEX" the same with one multi-page range (pages past the pool's end
 *	wrap round to its start)
 *   /sys/kernel/debug/hv_echo/<device>/pool
 *	read: the pool in hex, one line; then one line per GPADL: "gpadl=H"
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
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
#define RAW_LOG			32	/* packets kept for reading */
#define RAW_SHOW		64	/* bytes of each shown */
#define RAW_TID_BASE		(1ull << 62)	/* raw ids, apart from echo's */
#define RAW_POOL		(16 * PAGE_SIZE)	/* raw guest memory */
#define RAW_GPADLS		4
#define RAW_GPA1_MAX		(1024 * 1024)	/* one range: up to 1 MiB */

struct raw_pkt {
	u16 type, flags;
	u32 len;
	u64 tid;
	u32 xfer_off, xfer_len;		/* first transfer-page range */
	u8 head[RAW_SHOW];
};

struct echo_dev {
	struct hv_device *hdev;
	struct dentry *dir;
	struct mutex lock;		/* one run at a time */
	wait_queue_head_t wq;
	atomic_t outstanding;
	u64 next_id;
	u64 ok, bad, errors, lost;
	u8 *buf;
	bool raw;			/* not the echo class: raw guest */
	spinlock_t raw_lock;		/* raw_log, raw_count */
	struct raw_pkt raw_log[RAW_LOG];
	u32 raw_count;
	u64 raw_next_tid;
	u8 *pool;			/* raw guest memory (vmalloc) */
	struct hvlis_gpadl gpadl[RAW_GPADLS];
	u32 ngpadl;
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

static void raw_record(struct echo_dev *ed, const struct vmbus_pkt_view *v)
{
	struct raw_pkt *p;

	spin_lock(&ed->raw_lock);
	if (ed->raw_count < RAW_LOG) {
		p = &ed->raw_log[ed->raw_count++];
		p->type = v->type;
		p->flags = v->flags;
		p->tid = v->trans_id;
		p->len = v->payload_len;
		p->xfer_off = 0;
		p->xfer_len = 0;
		if (v->type == VMBUS_PKT_DATA_USING_XFER_PAGES && v->range_cnt) {
			p->xfer_off = v->ranges[0].byte_offset;
			p->xfer_len = v->ranges[0].byte_count;
		}
		memset(p->head, 0, sizeof(p->head));
		memcpy(p->head, v->payload, min_t(u32, v->payload_len, RAW_SHOW));
	}
	spin_unlock(&ed->raw_lock);
}

static void echo_onchannel(void *ctx)
{
	struct echo_dev *ed = ctx;
	struct vmbus_channel *ch = ed->hdev->channel;
	const struct vmbus_pkt_view *v;

	hvlis_for_each_pkt(v, ch) {
		/* the payload size travels in the trans_id's top 16 bits */
		u32 size = v->trans_id >> 48;

		if (ed->raw) {
			raw_record(ed, v);
			continue;
		}

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

static int echo_run(struct echo_dev *ed, u32 count, u32 size, u32 wait_s)
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
	if (!wait_event_timeout(ed->wq, !atomic_read(&ed->outstanding),
				wait_s * HZ)) {
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
	u32 count, size, wait_s = 30;

	if (len >= sizeof(kbuf))
		return -EINVAL;
	if (copy_from_user(kbuf, ubuf, len))
		return -EFAULT;
	kbuf[len] = 0;
	if (sscanf(kbuf, "%u %u %u", &count, &size, &wait_s) < 2 || !size ||
	    size > ECHO_MAX_PAYLOAD || !wait_s || wait_s > 600)
		return -EINVAL;
	mutex_lock(&ed->lock);
	echo_run(ed, count, size, wait_s);
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

static const struct hv_vmbus_device_id echo_ids[] = {
	{ .guid = HV_SIM_ECHO_GUID },
	{ },
};
MODULE_DEVICE_TABLE(vmbus, echo_ids);

/* "send FLAGS HEX": one inband packet with the bytes of HEX */
static int raw_send(struct echo_dev *ed, char *cmd)
{
	char *hex = strchr(cmd, ' ');
	u32 flags, n;
	int ret;

	if (!hex)
		return -EINVAL;
	*hex++ = 0;
	if (kstrtou32(cmd, 0, &flags) || flags > 0xffff)
		return -EINVAL;
	n = strlen(hex);
	if (!n || n % 2 || n / 2 > ECHO_MAX_PAYLOAD)
		return -EINVAL;
	if (hex2bin(ed->buf, hex, n / 2))
		return -EINVAL;
	mutex_lock(&ed->lock);
	ret = hvlis_chan_send(ed->hdev->channel, VMBUS_PKT_DATA_INBAND, flags,
			      RAW_TID_BASE + ed->raw_next_tid++, ed->buf,
			      n / 2);
	mutex_unlock(&ed->lock);
	return ret;
}

/* "OFF LEN": a part of the pool; *rest: what follows (may be empty) */
static int raw_pool_part(char *cmd, u32 *off, u32 *len, char **rest)
{
	int n = 0;

	if (sscanf(cmd, "%u %u %n", off, len, &n) < 2 || !n ||
	    *off > RAW_POOL || *len > RAW_POOL - *off)
		return -EINVAL;
	*rest = cmd + n;
	return 0;
}

/* "poke OFF HEX": HEX into the pool at OFF */
static int raw_poke(struct echo_dev *ed, char *cmd)
{
	char *hex = strchr(cmd, ' ');
	u32 off, n;

	if (!hex)
		return -EINVAL;
	*hex++ = 0;
	if (kstrtou32(cmd, 0, &off))
		return -EINVAL;
	n = strlen(hex);
	if (!n || n % 2 || off > RAW_POOL || n / 2 > RAW_POOL - off)
		return -EINVAL;
	return hex2bin(ed->pool + off, hex, n / 2);
}

/* "gpadl OFF SIZE": a GPADL of a page-aligned part of the pool */
static int raw_gpadl(struct echo_dev *ed, char *cmd)
{
	u32 off, size;
	char *rest;
	int ret;

	if (raw_pool_part(cmd, &off, &size, &rest) || *rest || !size ||
	    !PAGE_ALIGNED(off) || !PAGE_ALIGNED(size))
		return -EINVAL;
	mutex_lock(&ed->lock);
	ret = -ENOSPC;
	if (ed->ngpadl < RAW_GPADLS) {
		ret = hvlis_gpadl_establish(ed->hdev->channel, ed->pool + off,
					    size, &ed->gpadl[ed->ngpadl]);
		if (!ret)
			ed->ngpadl++;
	}
	mutex_unlock(&ed->lock);
	return ret;
}

/* "gpa OFF LEN HEX": HEX in band, pool bytes OFF..OFF+LEN by GPA, per page */
static int raw_gpa(struct echo_dev *ed, char *cmd)
{
	struct hvlis_page_range pr[RAW_POOL / PAGE_SIZE];
	u32 off, len, n, count = 0;
	char *hex;
	int ret;

	if (raw_pool_part(cmd, &off, &len, &hex) || !len)
		return -EINVAL;
	n = strlen(hex);
	if (!n || n % 2 || n / 2 > ECHO_MAX_PAYLOAD)
		return -EINVAL;
	while (len) {
		u32 in = offset_in_page(off);

		pr[count].pfn = vmalloc_to_pfn(ed->pool + off);
		pr[count].offset = in;
		pr[count].len = min_t(u32, len, PAGE_SIZE - in);
		off += pr[count].len;
		len -= pr[count].len;
		count++;
	}
	mutex_lock(&ed->lock);
	ret = hex2bin(ed->buf, hex, n / 2);
	if (!ret)
		ret = hvlis_chan_send_page_ranges(ed->hdev->channel, pr, count,
						  ed->buf, n / 2,
						  RAW_TID_BASE + ed->raw_next_tid++);
	mutex_unlock(&ed->lock);
	return ret;
}

/*
 * "gpa1 OFF LEN HEX": HEX in band with ONE range of LEN bytes from pool
 * byte OFF; its pages past the pool's end wrap round to the pool's first
 * page, so the range may be longer than the pool (the host sees the
 * same PFNs again; for transfers above a host's limit).
 */
static int raw_gpa1(struct echo_dev *ed, char *cmd)
{
	struct vmbus_gpa_range *r;
	u32 off, len, n, npfn, i, size;
	char *hex;
	int ret;

	if (sscanf(cmd, "%u %u %n", &off, &len, &n) < 2 || !n ||
	    off >= RAW_POOL || !len || len > RAW_GPA1_MAX)
		return -EINVAL;
	hex = cmd + n;
	n = strlen(hex);
	if (!n || n % 2 || n / 2 > ECHO_MAX_PAYLOAD)
		return -EINVAL;
	npfn = DIV_ROUND_UP(offset_in_page(off) + len, PAGE_SIZE);
	size = sizeof(*r) + npfn * sizeof(r->pfn[0]);
	r = kmalloc(size, GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->byte_count = len;
	r->byte_offset = offset_in_page(off);
	for (i = 0; i < npfn; i++) {
		u32 page = (off / PAGE_SIZE + i) % (RAW_POOL / PAGE_SIZE);

		r->pfn[i] = vmalloc_to_pfn(ed->pool + page * PAGE_SIZE);
	}
	mutex_lock(&ed->lock);
	ret = hex2bin(ed->buf, hex, n / 2);
	if (!ret)
		ret = hvlis_chan_send_gpa_range(ed->hdev->channel, r, size,
						ed->buf, n / 2,
						RAW_TID_BASE + ed->raw_next_tid++);
	mutex_unlock(&ed->lock);
	kfree(r);
	return ret;
}

static ssize_t raw_write(struct file *f, const char __user *ubuf, size_t len,
			 loff_t *off)
{
	struct echo_dev *ed = f->f_inode->i_private;
	char *kbuf, *cmd;
	int ret = -EINVAL;

	if (!len || len > 2 * ECHO_MAX_PAYLOAD + 32)
		return -EINVAL;
	kbuf = memdup_user_nul(ubuf, len);
	if (IS_ERR(kbuf))
		return PTR_ERR(kbuf);
	cmd = strim(kbuf);
	if (!strcmp(cmd, "clear")) {
		spin_lock_bh(&ed->raw_lock);
		ed->raw_count = 0;
		spin_unlock_bh(&ed->raw_lock);
		ret = 0;
	} else if (!strncmp(cmd, "send ", 5)) {
		ret = raw_send(ed, cmd + 5);
	} else if (!strncmp(cmd, "poke ", 5)) {
		ret = raw_poke(ed, cmd + 5);
	} else if (!strncmp(cmd, "gpadl ", 6)) {
		ret = raw_gpadl(ed, cmd + 6);
	} else if (!strncmp(cmd, "gpa ", 4)) {
		ret = raw_gpa(ed, cmd + 4);
	} else if (!strncmp(cmd, "gpa1 ", 5)) {
		ret = raw_gpa1(ed, cmd + 5);
	}
	kfree(kbuf);
	return ret ? ret : len;
}

static ssize_t raw_read(struct file *f, char __user *ubuf, size_t len,
			loff_t *off)
{
	struct echo_dev *ed = f->f_inode->i_private;
	const size_t size = RAW_LOG * (64 + 2 * RAW_SHOW);
	char *kbuf;
	u32 i, count;
	size_t n = 0;
	ssize_t ret;

	kbuf = kmalloc(size, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	spin_lock_bh(&ed->raw_lock);
	count = ed->raw_count;
	for (i = 0; i < count; i++) {
		const struct raw_pkt *p = &ed->raw_log[i];

		n += scnprintf(kbuf + n, size - n,
			       "type=%u flags=%u tid=%llu len=%u ",
			       p->type, p->flags, p->tid, p->len);
		if (p->type == VMBUS_PKT_DATA_USING_XFER_PAGES)
			n += scnprintf(kbuf + n, size - n, "xfer=%u:%u ",
				       p->xfer_off, p->xfer_len);
		n += scnprintf(kbuf + n, size - n, "%*phN\n",
			       (int)min_t(u32, p->len, RAW_SHOW), p->head);
	}
	spin_unlock_bh(&ed->raw_lock);
	ret = simple_read_from_buffer(ubuf, len, off, kbuf, n);
	kfree(kbuf);
	return ret;
}

static const struct file_operations raw_fops = {
	.owner = THIS_MODULE,
	.read = raw_read,
	.write = raw_write,
};

static ssize_t pool_read(struct file *f, char __user *ubuf, size_t len,
			 loff_t *off)
{
	struct echo_dev *ed = f->f_inode->i_private;
	const size_t size = 2 * RAW_POOL + 2 + RAW_GPADLS * 24;
	char *kbuf;
	size_t n = 0;
	ssize_t ret;
	u32 i;

	kbuf = kvmalloc(size, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	mutex_lock(&ed->lock);
	bin2hex(kbuf, ed->pool, RAW_POOL);
	n = 2 * RAW_POOL;
	kbuf[n++] = '\n';
	for (i = 0; i < ed->ngpadl; i++)
		n += scnprintf(kbuf + n, size - n, "gpadl=%u\n",
			       ed->gpadl[i].handle);
	mutex_unlock(&ed->lock);
	ret = simple_read_from_buffer(ubuf, len, off, kbuf, n);
	kvfree(kbuf);
	return ret;
}

static const struct file_operations pool_fops = {
	.owner = THIS_MODULE,
	.read = pool_read,
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
	spin_lock_init(&ed->raw_lock);
	ed->raw = memcmp(&hdev->dev_type, &echo_ids[0].guid,
				sizeof(hdev->dev_type));
	if (ed->raw) {
		ed->pool = vzalloc(RAW_POOL);
		if (!ed->pool) {
			kfree(ed->buf);
			kfree(ed);
			return -ENOMEM;
		}
	}
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
		vfree(ed->pool);
		kfree(ed->buf);
		kfree(ed);
		return ret;
	}
	if (use_debugfs) {
		ed->dir = debugfs_create_dir(dev_name(&hdev->device), echo_root);
		debugfs_create_file(ed->raw ? "raw" : "xfer", 0600, ed->dir,
				    ed, ed->raw ? &raw_fops : &echo_xfer_fops);
		if (ed->raw)
			debugfs_create_file("pool", 0400, ed->dir, ed,
					    &pool_fops);
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
	/* after the close: a host may keep a buffer in use until then */
	while (ed->ngpadl) {
		if (hvlis_gpadl_teardown(hdev->channel, &ed->gpadl[--ed->ngpadl]))
			ed->pool = NULL;	/* may still be mapped: leak it */
	}
	mutex_unlock(&ed->lock);
	vfree(ed->pool);
	kfree(ed->buf);
	kfree(ed);
}

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
