// SPDX-License-Identifier: GPL-2.0-only
/* struct scsi_cmnd carries a passthrough request's CDB in an array of its own, with result, resid_len and sense_buffer (v5.19, struct scsi_request gone); RHEL 9's 5.14 has scsi_alloc_request() but still the cmnd pointer and struct scsi_request */
#include <linux/blk-mq.h>
#include <scsi/scsi_cmnd.h>

int hvlis_probe(struct scsi_cmnd *scmd)
{
	return __must_be_array(scmd->cmnd) + scmd->cmnd[0] + scmd->resid_len +
	       scmd->allowed;
}
