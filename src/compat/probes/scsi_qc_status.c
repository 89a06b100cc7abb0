// SPDX-License-Identifier: GPL-2.0-only
/* scsi_host_template.queuecommand returns enum scsi_qc_status, not int; changed after v6.12 (7.1.5 has it) */
#include <scsi/scsi.h>
#include <scsi/scsi_host.h>

_Static_assert(__builtin_types_compatible_p(typeof(((struct scsi_host_template *)0)->queuecommand),
					    enum scsi_qc_status (*)(struct Scsi_Host *,
								    struct scsi_cmnd *)),
	       "queuecommand returns int");
