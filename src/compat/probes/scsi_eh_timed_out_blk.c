// SPDX-License-Identifier: GPL-2.0-only
/* scsi_host_template.eh_timed_out returning enum blk_eh_timer_return (BLK_EH_RESET_TIMER): the form from v2.6.28 until enum scsi_timeout_action replaced it after v6.1 */
#include <linux/blkdev.h>
#include <scsi/scsi.h>
#include <scsi/scsi_host.h>

_Static_assert(__builtin_types_compatible_p(typeof(((struct scsi_host_template *)0)->eh_timed_out),
					    enum blk_eh_timer_return (*)(struct scsi_cmnd *)),
	       "eh_timed_out does not return enum blk_eh_timer_return");
int hvlis_probe_reset_timer = BLK_EH_RESET_TIMER;
