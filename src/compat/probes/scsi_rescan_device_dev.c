// SPDX-License-Identifier: GPL-2.0-only
/* scsi_rescan_device() takes the struct device of the LUN; it takes the struct scsi_device since v6.6 (commit ba69ead9e9e5 "scsi: core: Pass a SCSI device to scsi_rescan_device()"); RHEL 9 and Debian 6.1 backport the new form */
#include <linux/device.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

_Static_assert(__builtin_types_compatible_p(typeof(&scsi_rescan_device),
					    void (*)(struct device *)),
	       "scsi_rescan_device takes a scsi_device");
