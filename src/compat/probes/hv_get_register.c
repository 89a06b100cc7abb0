// SPDX-License-Identifier: GPL-2.0-only
/* hv_get_register()/hv_set_register() taking the MSR number on x86; added in v5.12 (ARM64 preparation), replaced by hv_get_msr() after v6.6 */
/* vmlinux-export: hv_get_register hv_set_register */
#include <asm/mshyperv.h>

u64 hvlis_probe(void)
{
	hv_set_register(0x40000084, 0);	/* EOM */
	return hv_get_register(0x40000083);	/* SIMP */
}
