// SPDX-License-Identifier: GPL-2.0-only
/*
 * The StorVSP's LUNs: real SCSI devices of this kernel, named by their
 * unit serial number (VPD page 0x80; QEMU: scsi-hd,serial=...), one per
 * entry of scsi_backing=, LUN 0, 1, ... in that order.
 *
 * The host claims each of them with a SCSI driver of its own, so no upper
 * level driver (sd) attaches and the guest reaches the disk only through
 * the synthetic path.  A device already bound to sd when this module loads
 * is taken over; one appearing later is claimed as it is probed (load this
 * module before sd_mod to win every race).  /sys/kernel/debug/hv_simhost/
 * storvsp shows the LUNs and takes the LUN and fault commands.
 *
 * An entry "null[:SIZE]" is the null backend instead (a test backend, no
 * Hyper-V behaviour): no device behind it, the host itself completes every
 * SRB successfully, reads return zeros, writes go nowhere.  It measures
 * the transport and the guest driver without a disk (make bench).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": storvsp: " fmt

#include <linux/blkdev.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_driver.h>
#include <scsi/scsi_proto.h>

#include "simhost_compat.h"
#include "storvsp.h"
#include "vmbus_msg.h"

static char *scsi_backing = "";
module_param(scsi_backing, charp, 0444);
MODULE_PARM_DESC(scsi_backing,
		 "SERIAL[@T:L][,...]: SCSI devices (VPD 0x80 serial) that become target T LUN L (default 0:0, 0:1, ... by position) of the first scsi device; null[:SIZE] is the null backend (default size 1G)");

#define SP_NULL_DEFAULT_SIZE	(1ull << 30)
#define SP_NULL_BLOCK		512u

/* Below a VMBus device: the guest's own synthetic disks. */
static bool sp_on_vmbus(struct device *dev)
{
	for (; dev; dev = dev->parent)
		if (dev->bus && !strcmp(dev->bus->name, "vmbus"))
			return true;
	return false;
}

/* -1 or the LUN whose serial this device reports */
static int sp_lun_of(struct scsi_device *sdev)
{
	unsigned char buf[4 + SP_SERIAL_MAX];
	unsigned int len, i;
	char serial[SP_SERIAL_MAX + 1];

	/* the synthetic disks pass the serial through: never claim those */
	if (!sp.nluns || sp_on_vmbus(&sdev->sdev_gendev) ||
	    scsi_get_vpd_page(sdev, 0x80, buf, sizeof(buf)))
		return -1;
	len = min_t(unsigned int, (buf[2] << 8) | buf[3], SP_SERIAL_MAX);
	memcpy(serial, buf + 4, len);
	while (len && (serial[len - 1] == ' ' || !serial[len - 1]))
		len--;
	serial[len] = 0;
	for (i = 0; i < sp.nluns; i++)
		if (!sp.luns[i].null_blocks && !strcmp(serial, sp.luns[i].serial))
			return i;
	return -1;
}

/* ---- the null backend ---- */

/* Copy @len bytes of @src (NULL: zeros) to the guest's buffer of range @r. */
static bool sp_null_out(const struct vmbus_gpa_range *r, const void *src,
			u32 len)
{
	u32 off = r->byte_offset, done = 0, i = 0;

	while (done < len) {
		u32 n = min_t(u32, len - done, HV_PAGE_SIZE - off);
		u8 *va;

		if (!pfn_valid(r->pfn[i])) {
			pr_warn_ratelimited("SRB names pfn %#llx, not guest RAM\n",
					    r->pfn[i]);
			return false;
		}
		va = sim_kmap(pfn_to_page(r->pfn[i]));
		if (src)
			memcpy(va + off, (const u8 *)src + done, n);
		else
			memset(va + off, 0, n);
		sim_kunmap(va);
		done += n;
		off = 0;
		i++;
	}
	return true;
}

static void sp_null_sense(struct sp_null_res *res, u8 key, u8 asc)
{
	res->srb_status = VSTOR_SRB_ERROR;
	res->scsi_status = SAM_STAT_CHECK_CONDITION;
	memset(res->sense, 0, sizeof(res->sense));
	res->sense[0] = 0x70;
	res->sense[2] = key;
	res->sense[7] = 10;
	res->sense[12] = asc;
	res->sense_len = sizeof(res->sense);
}

/* INQUIRY data of a null LUN into @d (at least 64 bytes); its length or 0 */
static u32 sp_null_inquiry(const u8 *cdb, u8 target, u8 lun, u8 *d)
{
	static const u8 std[36] = {
		0, 0, 0x05, 0x02, 36 - 5, 0, 0, 0x02,
		'h', 'v', 'l', 'i', 's', ' ', ' ', ' ',
		'n', 'u', 'l', 'l', ' ', 'd', 'i', 's',
		'k', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
		'1', '.', '0', ' ',
	};

	if (!(cdb[1] & 1)) {
		if (cdb[2])
			return 0;
		memcpy(d, std, sizeof(std));
		return sizeof(std);
	}
	switch (cdb[2]) {
	case 0x00:		/* supported pages */
		d[3] = 2;
		d[4] = 0x00;
		d[5] = 0x80;
		return 6;
	case 0x80:		/* unit serial number */
		d[1] = 0x80;
		d[3] = snprintf((char *)d + 4, 32, "HVLIS-NULL-%u-%u", target, lun);
		return 4 + d[3];
	default:
		return 0;
	}
}

/*
 * Answer an SRB to a null LUN.  False if the address has none (the caller
 * goes on as usual); else *res is the outcome, the data already written.
 */
bool sp_null_srb(const struct vstor_srb *srb, const struct vmbus_gpa_range *r,
		 struct sp_null_res *res)
{
	const u8 *cdb = srb->cdb_sense;
	u32 len = r ? srb->data_transfer_length : 0, alloc = 0, got = 0;
	u64 blocks = 0, lba, n;
	bool in = srb->data_in != VSTOR_DATA_WRITE;	/* Range::new() */
	u8 d[64] = {};
	unsigned int i;

	if (srb->path_id)
		return false;
	mutex_lock(&sp.lock);
	for (i = 0; i < sp.nluns; i++)
		if (sp.luns[i].null_blocks && sp.luns[i].present &&
		    sp.luns[i].target == srb->target_id &&
		    sp.luns[i].lun == srb->lun)
			blocks = sp.luns[i].null_blocks;
	mutex_unlock(&sp.lock);
	if (!blocks)
		return false;

	memset(res, 0, sizeof(*res));
	res->srb_status = VSTOR_SRB_SUCCESS;
	res->scsi_status = SAM_STAT_GOOD;
	switch (cdb[0]) {
	case TEST_UNIT_READY:
	case START_STOP:
	case SYNCHRONIZE_CACHE:
	case SYNCHRONIZE_CACHE_16:
		return true;
	case INQUIRY:
		alloc = sp_get_be(cdb + 3, 2);
		got = sp_null_inquiry(cdb, srb->target_id, srb->lun, d);
		if (!got)
			goto bad_cdb;
		break;
	case READ_CAPACITY:
		sp_put_be(d, min_t(u64, blocks - 1, 0xffffffff), 4);
		sp_put_be(d + 4, SP_NULL_BLOCK, 4);
		alloc = 8;
		got = 8;
		break;
	case SERVICE_ACTION_IN_16:
		if ((cdb[1] & 0x1f) != SAI_READ_CAPACITY_16)
			goto bad_op;
		sp_put_be(d, blocks - 1, 8);
		sp_put_be(d + 8, SP_NULL_BLOCK, 4);
		alloc = sp_get_be(cdb + 10, 4);
		got = 32;
		break;
	case MODE_SENSE:
		/* header (not write protected), caching page: WCE off */
		alloc = cdb[4];
		got = 4;
		if ((cdb[2] & 0x3f) == 0x08 || (cdb[2] & 0x3f) == 0x3f) {
			d[4] = 0x08;
			d[5] = 0x12;
			got += 20;
		}
		d[0] = got - 1;
		break;
	case READ_6:
	case WRITE_6:
		lba = sp_get_be(cdb + 1, 3) & 0x1fffff;
		n = cdb[4] ? cdb[4] : 256;
		goto rw;
	case READ_10:
	case WRITE_10:
		lba = sp_get_be(cdb + 2, 4);
		n = sp_get_be(cdb + 7, 2);
		goto rw;
	case READ_16:
	case WRITE_16:
		lba = sp_get_be(cdb + 2, 8);
		n = sp_get_be(cdb + 10, 4);
		goto rw;
	default:
		goto bad_op;
	}
	/* data-in of a host-built answer */
	got = min3(got, alloc, len);
	if (got && (!in || !sp_null_out(r, d, got)))
		goto bad_request;
	res->moved = got;
	return true;

rw:
	if (lba > blocks || n > blocks - lba) {
		sp_null_sense(res, ILLEGAL_REQUEST, 0x21);	/* LBA out of range */
		return true;
	}
	n *= SP_NULL_BLOCK;
	if (n > len)
		goto bad_request;
	/*
	 * The CDB says which way the data goes, as storvsp.c sp_data_out():
	 * a WRITE whatever data_in is; a READ into a DATA_OUT buffer cannot
	 * write it (OpenVMM scsidisk: INVALID_REQUEST, INVALID FIELD IN CDB)
	 */
	in = sp_op_read(cdb[0]);
	if (in && n && srb->data_in == VSTOR_DATA_WRITE) {
		sp_null_sense(res, ILLEGAL_REQUEST, 0x24);
		res->srb_status = VSTOR_SRB_INVALID_REQUEST;
		return true;
	}
	if (in && n && !sp_null_out(r, NULL, n))
		goto bad_request;
	res->moved = n;
	return true;

bad_request:
	res->srb_status = VSTOR_SRB_INVALID_REQUEST;
	res->scsi_status = 0;
	return true;
bad_cdb:
	sp_null_sense(res, ILLEGAL_REQUEST, 0x24);	/* invalid field in CDB */
	return true;
bad_op:
	sp_null_sense(res, ILLEGAL_REQUEST, 0x20);	/* invalid opcode */
	return true;
}

static int sp_claim_probe(struct device *dev)
{
	struct scsi_device *sdev = to_scsi_device(dev);
	int lun = sp_lun_of(sdev);

	if (lun < 0)
		return -ENODEV;
	mutex_lock(&sp.lock);
	if (sp.luns[lun].sdev) {
		mutex_unlock(&sp.lock);
		pr_warn("%s: a second device with serial %s, ignored\n",
			dev_name(dev), sp.luns[lun].serial);
		return -EBUSY;
	}
	sp.luns[lun].sdev = sdev;
	mutex_unlock(&sp.lock);
	pr_info("LUN %d = %s (serial %s %.8s %.16s), claimed\n", lun,
		dev_name(dev), sp.luns[lun].serial, sdev->vendor, sdev->model);
	/* the LUN the guest may already have looked for */
	sp_notify_bus_change();
	return 0;
}

static int sp_claim_remove(struct device *dev)
{
	unsigned int i;

	mutex_lock(&sp.lock);
	for (i = 0; i < sp.nluns; i++)
		if (sp.luns[i].sdev == to_scsi_device(dev))
			sp.luns[i].sdev = NULL;
	mutex_unlock(&sp.lock);
	return 0;
}

static struct scsi_driver sp_claim_driver = {
	.gendrv = {
		.name = "hv_simhost_backing",
		.owner = THIS_MODULE,
		.probe = sp_claim_probe,
		.remove = sp_claim_remove,
	},
};

/* A backing device that sd got first: take it over. */
static int sp_take_over(struct device *dev, void *unused)
{
	int ret;

	if (!scsi_is_sdev_device(dev) || dev->driver == &sp_claim_driver.gendrv)
		return 0;
	if (sp_lun_of(to_scsi_device(dev)) < 0)
		return 0;
	device_release_driver(dev);
	ret = sim_driver_attach(&sp_claim_driver.gendrv, dev);
	if (ret)
		pr_warn("%s: cannot claim it: %d\n", dev_name(dev), ret);
	return 0;
}

static int sp_parse_backing(void)
{
	const char *p = scsi_backing;

	while (p && *p) {
		size_t len = strcspn(p, ","), slen = strcspn(p, ",@");
		struct sp_lun *l = &sp.luns[sp.nluns];
		unsigned int t = 0, n = sp.nluns, i;
		char addr[16];

		if (!slen || slen >= SP_SERIAL_MAX || sp.nluns == SP_MAX_LUNS)
			goto bad;
		if (slen >= 4 && !strncmp(p, "null", 4) &&
		    (slen == 4 || p[4] == ':')) {
			char num[SP_SERIAL_MAX], *end;
			u64 bytes = SP_NULL_DEFAULT_SIZE;

			if (slen > 4) {
				memcpy(num, p + 5, slen - 5);
				num[slen - 5] = 0;
				bytes = memparse(num, &end);
				if (*end || bytes < SP_NULL_BLOCK)
					goto bad;
			}
			l->null_blocks = bytes / SP_NULL_BLOCK;
		}
		if (slen < len) {
			/* "@T:L" */
			if (len - slen - 1 >= sizeof(addr))
				goto bad;
			memcpy(addr, p + slen + 1, len - slen - 1);
			addr[len - slen - 1] = 0;
			if (sscanf(addr, "%u:%u", &t, &n) != 2 || t > 255 || n > 255)
				goto bad;
		}
		for (i = 0; i < sp.nluns; i++)
			if (sp.luns[i].target == t && sp.luns[i].lun == n)
				goto bad;
		memcpy(l->serial, p, slen);
		l->target = t;
		l->lun = n;
		l->present = true;
		sp.nluns++;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
bad:
	pr_err("scsi_backing=%s: want up to %d SERIAL[@T:L] or null[:SIZE][@T:L] (serial 1-%d characters, T and L 0-255, each address once)\n",
	       scsi_backing, SP_MAX_LUNS, SP_SERIAL_MAX - 1);
	return -EINVAL;
}

/* ---- debugfs ---- */

static int sp_show(struct seq_file *m, void *v)
{
	unsigned int i;

	mutex_lock(&sp.lock);
	seq_printf(m, "luns %u\n", sp.nluns);
	for (i = 0; i < sp.nluns; i++) {
		struct scsi_device *sdev = sp.luns[i].sdev;

		seq_printf(m, "lun %u serial %s backing %s present %d at %u:%u",
			   i, sp.luns[i].serial,
			   sp.luns[i].null_blocks ? "null" :
			   sdev ? dev_name(&sdev->sdev_gendev) : "-",
			   sp.luns[i].present, sp.luns[i].target, sp.luns[i].lun);
		/* what one passthrough request can take (storvsp.c splits) */
		if (sdev)
			seq_printf(m, " max_hw_sectors %u max_segments %u",
				   queue_max_hw_sectors(sdev->request_queue),
				   queue_max_segments(sdev->request_queue));
		seq_putc(m, '\n');
	}
	seq_printf(m, "guest %s\n", sp.primary ? "open" : "closed");
	mutex_unlock(&sp.lock);
	seq_printf(m, "srbs %lld errors %lld resets %lld dropped %lld absent %lld bad_state %lld\n",
		   (long long)atomic64_read(&sp.srbs),
		   (long long)atomic64_read(&sp.errors),
		   (long long)atomic64_read(&sp.resets),
		   (long long)atomic64_read(&sp.dropped),
		   (long long)atomic64_read(&sp.absent),
		   (long long)atomic64_read(&sp.bad_state));
	seq_printf(m, "fault delay %d x %u ms, error %d x %#x, unknown %d\n",
		   atomic_read(&sp.f_delay), sp.f_delay_ms,
		   atomic_read(&sp.f_error), sp.f_error_code,
		   atomic_read(&sp.f_unknown));
	return 0;
}

static int sp_dbg_open(struct inode *inode, struct file *file)
{
	return single_open(file, sp_show, NULL);
}

/*
 * "lun-remove N", "lun-add N": hide or show LUN N, then ENUMERATE_BUS.
 * "delay MS COUNT", "error CODE COUNT", "unknown COUNT": faults for the
 * next COUNT SRBs (CODE: srb_status, e.g. 0x04 error, 0x0e bus reset).
 */
static ssize_t sp_dbg_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char buf[64];
	unsigned int a, b;
	int ret = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;

	if (sscanf(buf, "lun-remove %u", &a) == 1 ||
	    sscanf(buf, "lun-add %u", &b) == 1) {
		bool add = !strncmp(buf, "lun-add", 7);
		unsigned int lun = add ? b : a;

		mutex_lock(&sp.lock);
		if (lun >= sp.nluns)
			ret = -EINVAL;
		else
			sp.luns[lun].present = add;
		mutex_unlock(&sp.lock);
		if (!ret)
			ret = sp_notify_bus_change();
	} else if (sscanf(buf, "delay %u %u", &a, &b) == 2 && a <= 600000) {
		sp.f_delay_ms = a;
		atomic_set(&sp.f_delay, b);
	} else if (sscanf(buf, "error %x %u", &a, &b) == 2 && a && a < 0x40) {
		sp.f_error_code = a;
		atomic_set(&sp.f_error, b);
	} else if (sscanf(buf, "unknown %u", &a) == 1) {
		atomic_set(&sp.f_unknown, a);
	} else {
		ret = -EINVAL;
	}
	return ret ? ret : len;
}

static const struct file_operations sp_dbg_fops = {
	.owner = THIS_MODULE,
	.open = sp_dbg_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = sp_dbg_write,
	.release = single_release,
};

int storvsp_init(void)
{
	struct dentry *parent;
	int ret;

	mutex_init(&sp.lock);
	ret = sp_parse_backing();
	if (ret)
		return ret;
	sp.wq = alloc_workqueue("hv_simhost_storvsp", WQ_UNBOUND, 0);
	if (!sp.wq)
		return -ENOMEM;
	ret = scsi_register_driver(&sp_claim_driver.gendrv);
	if (ret) {
		destroy_workqueue(sp.wq);
		return ret;
	}
	if (sp.nluns)
		bus_for_each_dev(sp_claim_driver.gendrv.bus, NULL, NULL,
				 sp_take_over);
	/* in hv_simhost's directory, which goes away with it */
	parent = debugfs_lookup("hv_simhost", NULL);
	if (parent) {
		debugfs_create_file("storvsp", 0600, parent, NULL, &sp_dbg_fops);
		dput(parent);
	}
	return 0;
}

/* After every channel is closed. */
void storvsp_exit(void)
{
	scsi_unregister_driver(&sp_claim_driver.gendrv);
	destroy_workqueue(sp.wq);
}
