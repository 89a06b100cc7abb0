// SPDX-License-Identifier: GPL-2.0-only
/* <asm/mshyperv.h> exists and declares ms_hyperv (x86 Hyper-V guest support, long before v3.10; arm64 from v5.13) */
#include <asm/mshyperv.h>

struct ms_hyperv_info *hvlis_probe(void)
{
	return &ms_hyperv;
}
