// SPDX-License-Identifier: GPL-2.0-only
/* hv_hypercall_pg declared in <asm/mshyperv.h> and exported by vmlinux; added in v4.12 (hypercall page moved from hv_vmbus into arch/x86/hyperv) */
/* vmlinux-export: hv_hypercall_pg */
#include <asm/mshyperv.h>

void *hvlis_probe(void)
{
	return hv_hypercall_pg;
}
