// SPDX-License-Identifier: GPL-2.0-only
/* end_io callbacks return enum rq_end_io_ret (RQ_END_IO_FREE: the block layer frees the request); v6.1 */
#include <linux/blk-mq.h>

enum rq_end_io_ret hvlis_probe(struct request *rq, blk_status_t err)
{
	return RQ_END_IO_FREE;
}
