// SPDX-License-Identifier: GPL-2.0-only
/* __blk_put_request(): frees a request from end_io, where the legacy (non-mq) queue's lock is held; removed in v5.0 with the legacy path */
#include <linux/blkdev.h>

void hvlis_probe(struct request_queue *q, struct request *rq)
{
	__blk_put_request(q, rq);
}
