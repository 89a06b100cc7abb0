// SPDX-License-Identifier: GPL-2.0-only
/* scsi_host_template.eh_timed_out returns enum scsi_timeout_action (SCSI_EH_RESET_TIMER ...), not enum blk_eh_timer_return; changed after v6.1 (6.12 has it) */
#include <scsi/scsi.h>
#include <scsi/scsi_host.h>

_Static_assert(__builtin_types_compatible_p(typeof(((struct scsi_host_template *)0)->eh_timed_out),
					    enum scsi_timeout_action (*)(struct scsi_cmnd *)),
	       "eh_timed_out does not return enum scsi_timeout_action");
int hvlis_probe_reset_timer = SCSI_EH_RESET_TIMER;
