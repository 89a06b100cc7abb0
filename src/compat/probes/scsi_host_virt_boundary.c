// SPDX-License-Identifier: GPL-2.0-only
/* scsi_host_template.virt_boundary_mask (and Scsi_Host's); added in v5.2 (commit 7ad388d8e4c7 "scsi: core: add a host / host template field for the virt boundary") */
#include <scsi/scsi_host.h>

unsigned long hvlis_probe(struct Scsi_Host *shost, struct scsi_host_template *sht)
{
	sht->virt_boundary_mask = 4095;
	return shost->virt_boundary_mask;
}
