// SPDX-License-Identifier: GPL-2.0-only
/* blk_get_request(): a request with the driver's ->initialize_rq_fn run (scsi_req_init); removed in v5.16, where blk_mq_alloc_request() does that itself */
#include <linux/blkdev.h>

struct request *hvlis_probe(struct request_queue *q)
{
	return blk_get_request(q, REQ_OP_DRV_IN, 0);
}
