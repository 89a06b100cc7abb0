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

#endif /* STORVSC_COMPAT_H */
