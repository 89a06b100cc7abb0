// SPDX-License-Identifier: GPL-2.0-only
/* scsi_alloc_request(): a passthrough request with the SCSI initialisation run (v5.18; RHEL 9's 5.14 too); before: blk_get_request() ran it */
#include <linux/blk-mq.h>
#include <scsi/scsi_cmnd.h>

struct request *hvlis_probe(struct request_queue *q)
{
	return scsi_alloc_request(q, REQ_OP_DRV_IN, 0);
}
