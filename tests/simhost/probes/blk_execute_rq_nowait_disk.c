// SPDX-License-Identifier: GPL-2.0-only
/* blk_execute_rq_nowait(disk, rq, at_head, done): up to v5.15; v5.16 dropped the gendisk argument */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>

static void hvlis_done(struct request *rq, blk_status_t err)
{
}

void hvlis_probe(struct request *rq)
{
	blk_execute_rq_nowait(NULL, rq, 0, hvlis_done);
}
