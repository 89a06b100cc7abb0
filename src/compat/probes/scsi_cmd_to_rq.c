// SPDX-License-Identifier: GPL-2.0-only
/* scsi_cmd_to_rq(); added in v5.15 (commit 51f3a4788928 "scsi: core: Introduce the scsi_cmd_to_rq() function"); before: cmd->request */
#include <linux/blkdev.h>
#include <scsi/scsi_cmnd.h>

struct request *hvlis_probe(struct scsi_cmnd *cmd)
{
	return scsi_cmd_to_rq(cmd);
}
