// SPDX-License-Identifier: GPL-2.0-only
/* hv_is_isolation_supported(); added in v5.14 (Isolation VM support; the v5.14 code tests ms_hyperv.features_b) */
/* vmlinux-export: hv_is_isolation_supported */
#include <asm/mshyperv.h>

bool hvlis_probe(void)
{
	return hv_is_isolation_supported();
}
