// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_storvsc: Hyper-V synthetic SCSI / IDE / Fibre Channel storage (guest
 * side).  Module entry points, the SCSI host template, probe and remove,
 * and the work items that scan the bus or drop LUNs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_devinfo.h>
#include <scsi/scsi_host.h>
#if IS_ENABLED(CONFIG_SCSI_FC_ATTRS)
#include <scsi/scsi_transport_fc.h>
#endif

#include "storvsc.h"
#include "hvlis/version.h"

int storvsc_ringbuffer_size = 128 * 1024;
module_param(storvsc_ringbuffer_size, int, 0444);
MODULE_PARM_DESC(storvsc_ringbuffer_size,
		 "Ring buffer size (bytes, each direction, 16384-16769024)");

unsigned int storvsc_max_hw_queues;
module_param(storvsc_max_hw_queues, uint, 0644);
MODULE_PARM_DESC(storvsc_max_hw_queues,
		 "Maximum number of hardware queues (channels) per device; 0 = one per CPU");

int storvsc_logging_level = STORVSC_LOG_ERROR;
module_param_named(logging_level, storvsc_logging_level, int, 0644);
MODULE_PARM_DESC(logging_level,
		 "Logging level, 0 - None, 1 - Error (default), 2 - Warning.");

unsigned int storvsc_timeout = 180;
module_param(storvsc_timeout, uint, 0444);
MODULE_PARM_DESC(storvsc_timeout,
		 "SCSI command and host request timeout (seconds, 1-3600)");

/* Outbound bytes of a typical request (GPA header, 33 PFNs, packet, trailer) */
#define STORVSC_REQ_RING_BYTES	(24 + 8 + 33 * 8 + VSTOR_PACKET_SIZE + 8)

#if IS_ENABLED(CONFIG_SCSI_FC_ATTRS)
static struct scsi_transport_template *storvsc_fc_transport;
static struct fc_function_template storvsc_fc_functions = {
	.show_host_node_name = 1,
	.show_host_port_name = 1,
};
#endif

/* ---- deferred work ---- */

struct storvsc_lun_work {
	struct work_struct work;
	struct Scsi_Host *shost;
	unsigned int channel;
	unsigned int id;
	u64 lun;
	u8 action;
};

static void storvsc_lun_work_fn(struct work_struct *work)
{
	struct storvsc_lun_work *w = container_of(work, struct storvsc_lun_work,
						  work);
	struct scsi_device *sdev;

	sdev = scsi_device_lookup(w->shost, w->channel, w->id, w->lun);
	if (sdev) {
		if (w->action == VSTOR_ACT_REMOVE_LUN) {
			sdev_printk(KERN_INFO, sdev, "removed by the host\n");
			scsi_remove_device(sdev);
		} else {
			storvsc_rescan_device(sdev);
		}
		scsi_device_put(sdev);
	}
	kfree(w);
}

/* Any context; the work runs on the host's ordered workqueue. */
void storvsc_queue_lun_work(struct storvsc_dev *stor, struct scsi_cmnd *cmd,
			    u8 action)
{
	struct storvsc_lun_work *w;
	unsigned long flags;

	/* a LUN still being scanned is dropped by the scan itself */
	if (READ_ONCE(cmd->device->sdev_state) == SDEV_CREATED)
		return;
	w = kmalloc(sizeof(*w), GFP_ATOMIC);
	if (!w)
		return;
	INIT_WORK(&w->work, storvsc_lun_work_fn);
	w->shost = stor->shost;
	w->channel = cmd->device->channel;
	w->id = cmd->device->id;
	w->lun = cmd->device->lun;
	w->action = action;
	spin_lock_irqsave(&stor->lock, flags);
	if (!stor->removing && stor->wq) {
		queue_work(stor->wq, &w->work);
		w = NULL;
	}
	spin_unlock_irqrestore(&stor->lock, flags);
	kfree(w);
}

static void storvsc_scan_work_fn(struct work_struct *work)
{
	struct storvsc_dev *stor = container_of(work, struct storvsc_dev,
						scan_work);
	struct Scsi_Host *shost = stor->shost;
	struct scsi_device *sdev;

	/* a LUN that is gone answers INVALID_LUN, which queues its removal */
	shost_for_each_device(sdev, shost)
		scsi_test_unit_ready(sdev, 10 * HZ, 1, NULL);
	if (stor->cls == STORVSC_IDE)
		scsi_add_device(shost, 0, stor->ide_target, 0);
	else
		scsi_scan_host(shost);
}

/* ENUMERATE_BUS or REMOVE_DEVICE from the host. */
void storvsc_queue_scan(struct storvsc_dev *stor)
{
	unsigned long flags;

	spin_lock_irqsave(&stor->lock, flags);
	if (!stor->removing && stor->wq)
		queue_work(stor->wq, &stor->scan_work);
	spin_unlock_irqrestore(&stor->lock, flags);
}

/* ---- Fibre Channel port names ---- */

static u64 storvsc_wwn_to_u64(const u8 *b)
{
	u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | b[i];
	return v;
}

void storvsc_fc_update_names(struct storvsc_dev *stor,
			     const struct vstor_fc_wwn *wwn)
{
	bool primary = wwn->primary_active;

	stor->node_name = storvsc_wwn_to_u64(primary ? wwn->primary_node_wwn :
						       wwn->secondary_node_wwn);
	stor->port_name = storvsc_wwn_to_u64(primary ? wwn->primary_port_wwn :
						       wwn->secondary_port_wwn);
#if IS_ENABLED(CONFIG_SCSI_FC_ATTRS)
	/* the transport's host data exists only once the rport does */
	if (READ_ONCE(stor->rport)) {
		fc_host_node_name(stor->shost) = stor->node_name;
		fc_host_port_name(stor->shost) = stor->port_name;
	}
#endif
}

static int storvsc_fc_add(struct storvsc_dev *stor)
{
#if IS_ENABLED(CONFIG_SCSI_FC_ATTRS)
	struct fc_rport_identifiers ids = {
#ifdef FC_PORT_ROLE_FCP_DUMMY_INITIATOR
		.roles = FC_PORT_ROLE_FCP_DUMMY_INITIATOR,
#else
		.roles = FC_PORT_ROLE_FCP_INITIATOR,
#endif
	};
	struct fc_rport *rport;

	if (stor->cls != STORVSC_FC)
		return 0;
	fc_host_node_name(stor->shost) = stor->node_name;
	fc_host_port_name(stor->shost) = stor->port_name;
	rport = fc_remote_port_add(stor->shost, 0, &ids);
	if (!rport)
		return -ENOMEM;
	WRITE_ONCE(stor->rport, rport);
#endif
	return 0;
}

static void storvsc_fc_remove(struct storvsc_dev *stor)
{
#if IS_ENABLED(CONFIG_SCSI_FC_ATTRS)
	struct fc_rport *rport = stor->rport;

	if (stor->cls != STORVSC_FC || !rport)
		return;
	WRITE_ONCE(stor->rport, NULL);
	fc_remote_port_delete(rport);
	fc_remove_host(stor->shost);
#endif
}

/* ---- SCSI host template ---- */

static int storvsc_sdev_init(struct scsi_device *sdev)
{
	struct storvsc_dev *stor = shost_priv(sdev->host);

	/*
	 * Hyper-V disks claim SPC-2 but answer REPORT LUNS and, from Win8
	 * on, the VPD pages (UNMAP limits among them).
	 */
	sdev->sdev_bflags |= BLIST_REPORTLUN2;
	if (stor->version >= VSTOR_PROTO_WIN8)
		sdev->sdev_bflags |= BLIST_TRY_VPD_PAGES;
	return 0;
}

static int storvsc_sdev_configure(struct scsi_device *sdev,
				  struct queue_limits *lim)
{
	struct storvsc_dev *stor = shost_priv(sdev->host);

	blk_queue_rq_timeout(sdev->request_queue, storvsc_timeout * HZ);
	storvsc_sdev_tagged(sdev);
#ifndef HAVE_SCSI_HOST_VIRT_BOUNDARY
	/* the template cannot say it yet: the same rule, per queue */
	blk_queue_virt_boundary(sdev->request_queue, HV_PAGE_SIZE - 1);
#endif
	sdev->no_report_opcodes = 1;
	sdev->no_write_same = 1;
	if (!strncmp(sdev->vendor, "Msft", 4)) {
		if (stor->version == VSTOR_PROTO_WIN8 ||
		    stor->version == VSTOR_PROTO_WIN8_1)
			sdev->scsi_level = SCSI_SPC_3;
		if (stor->version >= VSTOR_PROTO_WIN10)
			sdev->no_write_same = 0;
	}
	return 0;
}
DEFINE_STORVSC_SDEV_CONFIGURE(storvsc_sdev_configure);

static int storvsc_change_queue_depth(struct scsi_device *sdev, int depth)
{
	return storvsc_set_queue_depth(sdev, min(depth, sdev->host->can_queue));
}
DEFINE_STORVSC_CHANGE_QUEUE_DEPTH(storvsc_change_queue_depth);

DEFINE_STORVSC_TIMED_OUT(storvsc_eh_timed_out);

static compat_sht_const struct scsi_host_template storvsc_sht = {
	.module = THIS_MODULE,
	.name = "storvsc_host_t",
	.proc_name = "storvsc_host",
	.cmd_size = sizeof(struct storvsc_cmd),
	.queuecommand = storvsc_queuecommand,
	.eh_host_reset_handler = storvsc_eh_host_reset,
	STORVSC_TIMED_OUT_HOOK(storvsc_eh_timed_out),
	STORVSC_SDEV_HOOKS(storvsc_sdev_init, storvsc_sdev_configure),
	STORVSC_QUEUE_DEPTH_HOOKS(storvsc_change_queue_depth),
	.this_id = -1,
	/* can_queue, cmd_per_lun, sg_tablesize, max_sectors: per device */
	.can_queue = 1,
	.cmd_per_lun = 1,
	.sg_tablesize = 1,
#ifdef HAVE_SCSI_HOST_VIRT_BOUNDARY
	/* segments meet at page boundaries: one GPA range holds the buffer */
	.virt_boundary_mask = HV_PAGE_SIZE - 1,
#endif
#ifdef HAVE_SCSI_HOST_USE_CLUSTERING
	/* merge what the virt boundary let through as one contiguous buffer */
	.use_clustering = ENABLE_CLUSTERING,
#endif
	.no_write_same = 1,
};

/* ---- probe / remove ---- */

static void storvsc_set_limits(struct storvsc_dev *stor)
{
	struct Scsi_Host *shost = stor->shost;

	switch (stor->cls) {
	case STORVSC_SCSI:
		shost->max_id = STORVSC_SCSI_MAX_TARGETS;
		shost->max_lun = STORVSC_SCSI_MAX_LUNS;
		shost->max_channel = STORVSC_SCSI_MAX_CHANNELS - 1;
		break;
	case STORVSC_IDE:
		shost->max_id = STORVSC_IDE_MAX_TARGETS;
		shost->max_lun = STORVSC_IDE_MAX_LUNS;
		shost->max_channel = 0;
		break;
	case STORVSC_FC:
		shost->max_id = STORVSC_FC_MAX_TARGETS;
		shost->max_lun = STORVSC_FC_MAX_LUNS;
		shost->max_channel = STORVSC_FC_MAX_CHANNELS - 1;
		break;
	}
	shost->max_cmd_len = VSTOR_CDB_SIZE;
	shost->max_sectors = stor->lim.max_transfer >> 9;
	shost->sg_tablesize = (stor->lim.max_transfer >> HV_PAGE_SHIFT) + 1;
	shost->can_queue = stor->depth;
	shost->cmd_per_lun = stor->depth;
#ifdef HAVE_SCSI_HOST_NR_HW_QUEUES
	shost->nr_hw_queues = stor->nr_queues;
#endif
}

/* Requests a channel's ring holds at once. */
static u16 storvsc_queue_depth(u32 ring_bytes)
{
	u32 n = (ring_bytes - VMBUS_RING_CONTROL_SIZE) / STORVSC_REQ_RING_BYTES;

	return clamp_t(u32, n, 16, 1024);
}

static int storvsc_probe(struct hv_device *hdev,
			 const struct hv_vmbus_device_id *id)
{
	struct storvsc_dev *stor;
	struct Scsi_Host *shost;
	int ret;

	shost = scsi_host_alloc(&storvsc_sht, sizeof(*stor));
	if (!shost)
		return -ENOMEM;
#ifdef HAVE_SCSI_HOST_USE_BLK_MQ
	/* requests are tagged by blk-mq (blk_mq_unique_tag): never legacy */
	shost->use_blk_mq = 1;
#endif
	stor = shost_priv(shost);
	memset(stor, 0, sizeof(*stor));
	stor->shost = shost;
	stor->hdev = hdev;
	stor->cls = id->driver_data;
	stor->port = shost->host_no;
	INIT_LIST_HEAD(&stor->subs);
	spin_lock_init(&stor->lock);
	mutex_init(&stor->ctl_mutex);
	init_completion(&stor->ctl_init.done);
	init_completion(&stor->ctl_reset.done);
	atomic_set(&stor->outstanding, 0);
	init_waitqueue_head(&stor->drain_wq);
	INIT_WORK(&stor->scan_work, storvsc_scan_work_fn);
	if (stor->cls == STORVSC_IDE)
		stor->ide_target = hdev->dev_instance.b[5] << 8 |
				   hdev->dev_instance.b[4];
#if IS_ENABLED(CONFIG_SCSI_FC_ATTRS)
	if (stor->cls == STORVSC_FC)
		shost->transportt = storvsc_fc_transport;
#endif

	mutex_lock(&storvsc_chan_mutex);
	dev_set_drvdata(&hdev->device, stor);
	mutex_unlock(&storvsc_chan_mutex);

	ret = storvsc_connect(stor);
	if (ret)
		goto err_put;
	stor->depth = storvsc_queue_depth(stor->ring_bytes);
	ret = storvsc_alloc_queues(stor);
	if (ret)
		goto err_disconnect;
	storvsc_set_limits(stor);

	stor->wq = alloc_ordered_workqueue("storvsc_wq_%u", 0, shost->host_no);
	if (!stor->wq) {
		ret = -ENOMEM;
		goto err_disconnect;
	}
	ret = scsi_add_host(shost, &hdev->device);
	if (ret)
		goto err_wq;
	ret = storvsc_fc_add(stor);
	if (ret)
		goto err_remove_host;

	if (stor->cls == STORVSC_IDE) {
		ret = scsi_add_device(shost, 0, stor->ide_target, 0);
		if (ret)
			goto err_fc;
	} else {
		scsi_scan_host(shost);
	}
	return 0;

err_fc:
	storvsc_fc_remove(stor);
err_remove_host:
	scsi_remove_host(shost);
err_wq:
	spin_lock_irq(&stor->lock);
	stor->removing = true;
	spin_unlock_irq(&stor->lock);
	destroy_workqueue(stor->wq);
err_disconnect:
	storvsc_disconnect(stor);
err_put:
	mutex_lock(&storvsc_chan_mutex);
	dev_set_drvdata(&hdev->device, NULL);
	mutex_unlock(&storvsc_chan_mutex);
	scsi_host_put(shost);
	return ret;
}

static void storvsc_remove(struct hv_device *hdev)
{
	struct storvsc_dev *stor = dev_get_drvdata(&hdev->device);
	struct Scsi_Host *shost = stor->shost;

	spin_lock_irq(&stor->lock);
	stor->removing = true;
	spin_unlock_irq(&stor->lock);
	destroy_workqueue(stor->wq);
	storvsc_fc_remove(stor);
	scsi_remove_host(shost);
	storvsc_disconnect(stor);
	scsi_host_put(shost);
}

enum { SCSI_ID = STORVSC_SCSI, IDE_ID = STORVSC_IDE, FC_ID = STORVSC_FC };

static const struct hv_vmbus_device_id storvsc_id_table[] = {
	{ .guid = HV_SCSI_GUID, .driver_data = SCSI_ID },
	{ .guid = HV_IDE_GUID, .driver_data = IDE_ID },
	{ .guid = HV_SYNTHFC_GUID, .driver_data = FC_ID },
	{ },
};
MODULE_DEVICE_TABLE(vmbus, storvsc_id_table);

static struct hv_driver storvsc_drv = {
	.name = KBUILD_MODNAME,
	.id_table = storvsc_id_table,
	.probe = storvsc_probe,
	.remove = storvsc_remove,
#ifdef HAVE_DRIVER_PROBE_TYPE
	.driver = {
		.probe_type = PROBE_PREFER_ASYNCHRONOUS,
	},
#endif
};

static int __init storvsc_init(void)
{
	int ret;

	if (storvsc_timeout < 1 || storvsc_timeout > 3600) {
		pr_err("storvsc_timeout=%u is out of range (1-3600)\n",
		       storvsc_timeout);
		return -EINVAL;
	}
	if (storvsc_ringbuffer_size < STORVSC_RING_DATA_MIN ||
	    storvsc_ringbuffer_size > STORVSC_RING_DATA_MAX) {
		pr_err("storvsc_ringbuffer_size=%d is out of range (%u-%u bytes: both rings of a channel must fit one GPADL)\n",
		       storvsc_ringbuffer_size, STORVSC_RING_DATA_MIN,
		       STORVSC_RING_DATA_MAX);
		return -EINVAL;
	}
	if (storvsc_logging_level < STORVSC_LOG_NONE ||
	    storvsc_logging_level > STORVSC_LOG_WARN) {
		pr_err("logging_level=%d is out of range (%d-%d)\n",
		       storvsc_logging_level, STORVSC_LOG_NONE, STORVSC_LOG_WARN);
		return -EINVAL;
	}
#if IS_ENABLED(CONFIG_SCSI_FC_ATTRS)
	storvsc_fc_transport = fc_attach_transport(&storvsc_fc_functions);
	if (!storvsc_fc_transport)
		return -ENODEV;
#endif
	ret = hvlis_driver_register(&storvsc_drv);
#if IS_ENABLED(CONFIG_SCSI_FC_ATTRS)
	if (ret)
		fc_release_transport(storvsc_fc_transport);
#endif
	return ret;
}

static void __exit storvsc_exit(void)
{
	hvlis_driver_unregister(&storvsc_drv);
#if IS_ENABLED(CONFIG_SCSI_FC_ATTRS)
	fc_release_transport(storvsc_fc_transport);
#endif
}

module_init(storvsc_init);
module_exit(storvsc_exit);
MODULE_DESCRIPTION("Hyper-V synthetic storage driver (hyperv-lis)");
MODULE_LICENSE("GPL");
MODULE_VERSION(HVLIS_VERSION);
