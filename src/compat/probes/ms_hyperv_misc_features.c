// SPDX-License-Identifier: GPL-2.0-only
/* struct ms_hyperv_info.misc_features (CPUID 0x40000003 EDX); added in v4.x (stimer direct mode); present in RHEL 7.9 and 4.19.y */
#include <asm/mshyperv.h>

u32 hvlis_probe(void)
{
	return ms_hyperv.misc_features;
}
