// SPDX-License-Identifier: GPL-2.0-only
/* hv_setup_vmbus_handler()/hv_remove_vmbus_handler() exported by vmlinux; changed in v5.12 (ARM64 preparation renamed hv_setup_vmbus_irq()); 5.4.y has the old name, 5.15.y the new */
/* vmlinux-export: hv_setup_vmbus_handler hv_remove_vmbus_handler */
#include <asm/mshyperv.h>

static void hvlis_handler(void)
{
}

void hvlis_probe(void)
{
	hv_setup_vmbus_handler(hvlis_handler);
	hv_remove_vmbus_handler();
}
