// SPDX-License-Identifier: GPL-2.0-only
/* shost_use_blk_mq(): the legacy (non-blk-mq) SCSI request path may be in use; v3.17 to v4.20, removed in v5.0 ("scsi: remove legacy IO path"); storvsc must then handle both paths */
#include <scsi/scsi_host.h>

bool hvlis_probe(struct Scsi_Host *shost)
{
	return shost_use_blk_mq(shost);
}
