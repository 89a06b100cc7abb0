// SPDX-License-Identifier: GPL-2.0-only
/* hv_do_fast_hypercall8() inline in <asm/mshyperv.h>; added in v4.15 ("x86/hyperv: Implement hv_do_fast_hypercall8") */
/* vmlinux-export: hv_hypercall_pg */
#include <asm/mshyperv.h>

u64 hvlis_probe(u64 arg)
{
	return hv_do_fast_hypercall8(0x005d, arg);	/* HvSignalEvent */
}
