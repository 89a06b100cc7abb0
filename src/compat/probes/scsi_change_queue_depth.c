// SPDX-License-Identifier: GPL-2.0-only
/* scsi_change_queue_depth() and the two-argument ->change_queue_depth; v3.19 (commit db5ed4dfd5dd "scsi: drop reason argument from ->change_queue_depth"); before: scsi_adjust_queue_depth() and a reason argument */
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

_Static_assert(__builtin_types_compatible_p(typeof(((struct scsi_host_template *)0)->change_queue_depth),
					    int (*)(struct scsi_device *, int)),
	       "change_queue_depth takes a reason");

int hvlis_probe(struct scsi_device *sdev, struct scsi_host_template *sht)
{
	sht->track_queue_depth = 1;
	return scsi_change_queue_depth(sdev, 4);
}
