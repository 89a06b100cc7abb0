// SPDX-License-Identifier: GPL-2.0-only
/* Scsi_Host.nr_hw_queues (blk-mq hardware queues for multi-queue storvsc); added in v3.17 ("scsi: add support for multiple hardware queues"); RHEL 7 backports it */
#include <scsi/scsi_host.h>

void hvlis_probe(struct Scsi_Host *shost)
{
	shost->nr_hw_queues = 2;
}
