// SPDX-License-Identifier: GPL-2.0-only
/* struct ms_hyperv_info.priv_high (CPUID 0x40000003 EBX); v5.15 renamed features_b (added in v5.14) to priv_high; absent in 5.4.y, present in 5.15.y */
#include <asm/mshyperv.h>

u32 hvlis_probe(void)
{
	return ms_hyperv.priv_high;
}
