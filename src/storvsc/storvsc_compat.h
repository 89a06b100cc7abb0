/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SCSI-layer differences hv_storvsc meets that src/compat does not cover
 * yet.  Keyed on probe results (HAVE_*) only, never on versions; meant to
 * move into src/compat/compat.h with their probes:
 *
 *  HAVE_SCSI_SDEV_CONFIGURE     template has .sdev_init/.sdev_configure
 *                               (the latter with a queue_limits argument);
 *                               before v6.14: .slave_alloc/.slave_configure
 *  HAVE_SCSI_RESCAN_DEVICE_DEV  scsi_rescan_device() takes the struct
 *                               device (before v6.6 upstream; Debian 6.1
 *                               has the newer form backported)
 *  HAVE_SCSI_CHANGE_QUEUE_DEPTH scsi_change_queue_depth() and a two-argument
 *                               ->change_queue_depth (v3.19)
 *  HAVE_SCSI_HOST_VIRT_BOUNDARY the host template carries
 *                               virt_boundary_mask (v5.2); before, the
 *                               driver sets it on each LUN's queue
 *  HAVE_SCSI_HOST_USE_CLUSTERING the template has .use_clustering (before
 *                               v5.0): without ENABLE_CLUSTERING the block
 *                               layer maps two adjacent sub-page buffers
 *                               as two scatterlist entries
 *  HAVE_SCSI_TIMEOUT_ACTION     ->eh_timed_out returns enum
 *                               scsi_timeout_action (after v6.1)
 *  HAVE_SCSI_EH_TIMED_OUT_BLK   ->eh_timed_out returns enum
 *                               blk_eh_timer_return (v2.6.28 to v6.1)
 */
#ifndef STORVSC_COMPAT_H
#define STORVSC_COMPAT_H

#ifdef HAVE_SCSI_RESCAN_DEVICE_DEV
#define storvsc_rescan_device(sdev) scsi_rescan_device(&(sdev)->sdev_gendev)
#else
#define storvsc_rescan_device(sdev) scsi_rescan_device(sdev)
#endif

/*
 * STORVSC_SDEV_HOOKS(init, configure) fills the template with
 *	int init(struct scsi_device *sdev);
 *	int configure(struct scsi_device *sdev, struct queue_limits *lim);
 * (lim is NULL where the kernel has no such argument).
 * DEFINE_STORVSC_SDEV_CONFIGURE(configure); follows the definition.
 */
#ifdef HAVE_SCSI_SDEV_CONFIGURE
#define DEFINE_STORVSC_SDEV_CONFIGURE(fn) \
	static int fn(struct scsi_device *sdev, struct queue_limits *lim)
#define STORVSC_SDEV_HOOKS(init, configure) \
	.sdev_init = (init), .sdev_configure = (configure)
#else
#define DEFINE_STORVSC_SDEV_CONFIGURE(fn)				\
	static int fn##__compat(struct scsi_device *sdev)		\
	{								\
		return fn(sdev, NULL);					\
	}								\
	static int fn##__compat(struct scsi_device *sdev)
#define STORVSC_SDEV_HOOKS(init, configure) \
	.slave_alloc = (init), .slave_configure = (configure##__compat)
#endif

/*
 * Queue depth.  STORVSC_QUEUE_DEPTH_HOOKS(fn) fills the template with
 *	int fn(struct scsi_device *sdev, int depth);
 * DEFINE_STORVSC_CHANGE_QUEUE_DEPTH(fn); follows its definition, and
 * storvsc_sdev_tagged(sdev) starts a LUN tagged at the host's cmd_per_lun.
 * Before HAVE_SCSI_CHANGE_QUEUE_DEPTH the callback has a reason argument
 * (only a sysfs write, SCSI_QDEPTH_DEFAULT, is ours to follow) and a LUN
 * starts untagged until the driver says otherwise.
 */
#ifdef HAVE_SCSI_CHANGE_QUEUE_DEPTH
#define DEFINE_STORVSC_CHANGE_QUEUE_DEPTH(fn) \
	static int fn(struct scsi_device *sdev, int depth)
#define STORVSC_QUEUE_DEPTH_HOOKS(fn) \
	.change_queue_depth = (fn), .track_queue_depth = 1
#define storvsc_sdev_tagged(sdev) do { } while (0)
#define storvsc_set_queue_depth(sdev, depth) scsi_change_queue_depth(sdev, depth)
#else
#include <scsi/scsi_tcq.h>	/* MSG_SIMPLE_TAG, scsi_get_tag_type() */

#define DEFINE_STORVSC_CHANGE_QUEUE_DEPTH(fn)				\
	static int fn##__compat(struct scsi_device *sdev, int depth,	\
				int reason)				\
	{								\
		if (reason != SCSI_QDEPTH_DEFAULT)			\
			return -EOPNOTSUPP;				\
		return fn(sdev, depth);					\
	}								\
	static int fn##__compat(struct scsi_device *sdev, int depth,	\
				int reason)
#define STORVSC_QUEUE_DEPTH_HOOKS(fn) .change_queue_depth = (fn##__compat)
#define storvsc_sdev_tagged(sdev) \
	scsi_adjust_queue_depth(sdev, MSG_SIMPLE_TAG, (sdev)->host->cmd_per_lun)
#define storvsc_set_queue_depth(sdev, depth) ({				\
	scsi_adjust_queue_depth(sdev, scsi_get_tag_type(sdev), depth);	\
	(sdev)->queue_depth;						\
})
#endif

/*
 * Command timeouts.  STORVSC_TIMED_OUT_HOOK(fn) fills the template so that
 *	void fn(struct scsi_cmnd *cmd);
 * runs when a command times out, after which its timer is restarted: the
 * host still owns the request and will answer it.
 * DEFINE_STORVSC_TIMED_OUT(fn); follows the definition of fn.
 */
#if defined(HAVE_SCSI_TIMEOUT_ACTION)
#define DEFINE_STORVSC_TIMED_OUT(fn)					\
	static enum scsi_timeout_action fn##__compat(struct scsi_cmnd *cmd) \
	{								\
		fn(cmd);						\
		return SCSI_EH_RESET_TIMER;				\
	}								\
	static enum scsi_timeout_action fn##__compat(struct scsi_cmnd *cmd)
#define STORVSC_TIMED_OUT_HOOK(fn) .eh_timed_out = (fn##__compat)
#elif defined(HAVE_SCSI_EH_TIMED_OUT_BLK)
#define DEFINE_STORVSC_TIMED_OUT(fn)					\
	static enum blk_eh_timer_return fn##__compat(struct scsi_cmnd *cmd) \
	{								\
		fn(cmd);						\
		return BLK_EH_RESET_TIMER;				\
	}								\
	static enum blk_eh_timer_return fn##__compat(struct scsi_cmnd *cmd)
#define STORVSC_TIMED_OUT_HOOK(fn) .eh_timed_out = (fn##__compat)
#else
/* unknown form: the SCSI layer's own timeout handling */
#define DEFINE_STORVSC_TIMED_OUT(fn) void fn(struct scsi_cmnd *cmd)
#define STORVSC_TIMED_OUT_HOOK(fn) .eh_timed_out = NULL
#endif

#endif /* STORVSC_COMPAT_H */
