// SPDX-License-Identifier: GPL-2.0-only
/* scsi_host_template.use_clustering: present since v2.4, removed in v5.0 ("block: remove the "cluster" flag", Christoph Hellwig, Nov 2018), which made merging of physically contiguous segments the default */
#include <scsi/scsi_host.h>

void hvlis_probe(struct scsi_host_template *sht)
{
	sht->use_clustering = ENABLE_CLUSTERING;
}
