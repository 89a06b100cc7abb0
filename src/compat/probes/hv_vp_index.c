// SPDX-License-Identifier: GPL-2.0-only
/* hv_vp_index[] exported by vmlinux; added in v4.14 ("x86/hyperv: Read virtual processor index for each CPU") */
/* vmlinux-export: hv_vp_index */
#include <asm/mshyperv.h>

u32 hvlis_probe(int cpu)
{
	return hv_vp_index[cpu];
}
