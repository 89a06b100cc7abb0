// SPDX-License-Identifier: GPL-2.0-only
/* blk_execute_rq_nowait(rq, at_head) with the callback in rq->end_io; v5.19; before: a done argument, and before v5.16 a gendisk argument too */
#include <linux/blk-mq.h>

void hvlis_probe(struct request *rq)
{
	blk_execute_rq_nowait(rq, false);
}
