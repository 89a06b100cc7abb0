// SPDX-License-Identifier: GPL-2.0-only
/* REQ_OP_SCSI_IN/OUT: the ops of SCSI passthrough requests (blk_rq_is_scsi(), scsi_req()); removed in v5.18, which passes them as REQ_OP_DRV_IN/OUT */
#include <linux/blk_types.h>

unsigned int hvlis_probe(void)
{
	return REQ_OP_SCSI_IN + REQ_OP_SCSI_OUT;
}
