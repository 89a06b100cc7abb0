// SPDX-License-Identifier: GPL-2.0-only
/* scsi_host_busy(); added in v4.19 ("scsi: core: introduce scsi_host_busy()") ahead of counting busy commands through blk-mq (v5.0) */
#include <scsi/scsi_host.h>

int hvlis_probe(struct Scsi_Host *shost)
{
	return scsi_host_busy(shost);
}
