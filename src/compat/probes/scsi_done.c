// SPDX-License-Identifier: GPL-2.0-only
/* scsi_done(cmd) function instead of cmd->scsi_done(cmd); changed in v5.16 ("scsi: core: Introduce scsi_done()" series; the member was removed in the same release) */
#include <scsi/scsi_cmnd.h>

void hvlis_probe(struct scsi_cmnd *cmd)
{
	scsi_done(cmd);
}
