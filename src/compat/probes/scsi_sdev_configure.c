// SPDX-License-Identifier: GPL-2.0-only
/* scsi_host_template.sdev_init/.sdev_configure (the latter with a queue_limits argument) replace .slave_alloc/.slave_configure in v6.14 (commits "scsi: core: Introduce .sdev_init()" and "scsi: core: Introduce .sdev_configure()") */
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

_Static_assert(__builtin_types_compatible_p(typeof(((struct scsi_host_template *)0)->sdev_configure),
					    int (*)(struct scsi_device *, struct queue_limits *)),
	       "no sdev_configure(sdev, lim)");
_Static_assert(__builtin_types_compatible_p(typeof(((struct scsi_host_template *)0)->sdev_init),
					    int (*)(struct scsi_device *)),
	       "no sdev_init(sdev)");
