// SPDX-License-Identifier: GPL-2.0-only
/* scsi_alloc_request(): SCSI passthrough through struct scsi_cmnd (cmnd[], result, resid_len, sense_buffer); v5.18; before: struct scsi_request behind scsi_req() */
#include <linux/blk-mq.h>
#include <scsi/scsi_cmnd.h>

int hvlis_probe(struct request_queue *q)
{
	struct request *rq = scsi_alloc_request(q, REQ_OP_DRV_IN, 0);
	struct scsi_cmnd *scmd = blk_mq_rq_to_pdu(rq);

	scmd->cmnd[0] = 0;
	return scmd->resid_len + scmd->allowed;
}
