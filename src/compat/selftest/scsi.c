// SPDX-License-Identifier: GPL-2.0-only
/* SCSI wrappers of compat.h (for hv_storvsc). */
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_host.h>

#include "selftest.h"

static compat_scsi_qc_t compat_queuecommand(struct Scsi_Host *shost, struct scsi_cmnd *cmd)
{
	if (scsi_host_busy(shost) > shost->can_queue)
		return SCSI_MLQUEUE_HOST_BUSY;
	cmd->result = 0;
	scsi_done(cmd);
	return 0;
}

static compat_sht_const struct scsi_host_template compat_sht = {
	.name = "hvlis_compat_selftest",
	.queuecommand = compat_queuecommand,
	.this_id = -1,
	.can_queue = 1,
};

int compat_test_scsi(void)
{
	/* Compile test: the template is referenced, never registered. */
	return compat_sht.can_queue == 1 ? 0 : -EINVAL;
}
