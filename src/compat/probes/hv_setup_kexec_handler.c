// SPDX-License-Identifier: GPL-2.0-only
/* hv_setup_kexec_handler()/hv_remove_kexec_handler() exported by vmlinux; added in v4.6 ("Drivers: hv: vmbus: add support for kexec") */
/* vmlinux-export: hv_setup_kexec_handler hv_remove_kexec_handler */
#include <asm/mshyperv.h>

static void hvlis_handler(void)
{
}

void hvlis_probe(void)
{
	hv_setup_kexec_handler(hvlis_handler);
	hv_remove_kexec_handler();
}
