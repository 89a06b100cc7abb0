// SPDX-License-Identifier: GPL-2.0-only
/* orderly_reboot(); added in v4.1 (commit 7a54f46b3011 "reboot: add orderly_reboot for graceful reboot") */
/* vmlinux-export: orderly_reboot */
#include <linux/reboot.h>

void hvlis_probe(void)
{
	orderly_reboot();
}
