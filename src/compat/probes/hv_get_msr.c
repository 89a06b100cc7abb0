// SPDX-License-Identifier: GPL-2.0-only
/* hv_get_msr()/hv_set_msr(); replaced hv_get_register()/hv_set_register() after v6.6 (6.6.y has the old names, 6.12 the new) */
/* vmlinux-export: hv_get_msr hv_set_msr */
#include <asm/mshyperv.h>

u64 hvlis_probe(void)
{
	hv_set_msr(0x40000084, 0);	/* EOM */
	return hv_get_msr(0x40000083);	/* SIMP */
}
