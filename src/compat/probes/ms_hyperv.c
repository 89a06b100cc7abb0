// SPDX-License-Identifier: GPL-2.0-only
/* ms_hyperv exported by vmlinux with .features and .hints (exported by arch/x86/kernel/cpu/mshyperv.c in every supported kernel; checked, not assumed) */
/* vmlinux-export: ms_hyperv */
#include <asm/mshyperv.h>

u32 hvlis_probe(void)
{
	return ms_hyperv.features | ms_hyperv.hints;
}
