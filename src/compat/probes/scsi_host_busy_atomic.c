// SPDX-License-Identifier: GPL-2.0-only
/* Scsi_Host.host_busy is an atomic_t; changed in v3.17 (scsi-mq preparation), field removed in v5.0; only used to build scsi_host_busy() on old kernels */
#include <linux/atomic.h>
#include <scsi/scsi_host.h>

int hvlis_probe(struct Scsi_Host *shost)
{
	return atomic_read(&shost->host_busy);
}
