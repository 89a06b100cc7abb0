// SPDX-License-Identifier: GPL-2.0-only
/* hv_setup_vmbus_irq()/hv_remove_vmbus_irq() exported by vmlinux (the pre-v5.12 name of hv_setup_vmbus_handler(); RHEL 7 has it) */
/* vmlinux-export: hv_setup_vmbus_irq hv_remove_vmbus_irq */
#include <asm/mshyperv.h>

static void hvlis_handler(void)
{
}

void hvlis_probe(void)
{
	hv_setup_vmbus_irq(hvlis_handler);
	hv_remove_vmbus_irq();
}
