// SPDX-License-Identifier: GPL-2.0-only
/* struct ms_hyperv_info.features_b; only in v5.14 (isolation support), renamed priv_high in v5.15 */
#include <asm/mshyperv.h>

u32 hvlis_probe(void)
{
	return ms_hyperv.features_b;
}
