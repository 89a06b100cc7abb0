// SPDX-License-Identifier: GPL-2.0-only
/* hv_setup_crash_handler()/hv_remove_crash_handler() exported by vmlinux; added in v4.6 (vmbus crash/kdump support) */
/* vmlinux-export: hv_setup_crash_handler hv_remove_crash_handler */
#include <asm/mshyperv.h>

static void hvlis_handler(struct pt_regs *regs)
{
}

void hvlis_probe(void)
{
	hv_setup_crash_handler(hvlis_handler);
	hv_remove_crash_handler();
}
