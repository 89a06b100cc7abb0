// SPDX-License-Identifier: GPL-2.0-only
/* blk_execute_rq_nowait(q, disk, rq, at_head, done): the request queue as first argument, as in 4.19 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>

static void hvlis_done(struct request *rq, blk_status_t err)
{
}

void hvlis_probe(struct request *rq)
{
	blk_execute_rq_nowait(rq->q, NULL, rq, 0, hvlis_done);
}
