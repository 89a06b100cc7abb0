// SPDX-License-Identifier: GPL-2.0-only
/* hv_is_hibernation_supported(); added in v5.7 (hibernation support of the Hyper-V drivers; ACPI S4 present, later also not the root partition) */
/* vmlinux-export: hv_is_hibernation_supported */
#include <asm/mshyperv.h>

/* the declaration hv_utils repeats (utils_compat.h): a change fails here */
bool hv_is_hibernation_supported(void);

bool hvlis_probe(void)
{
	return hv_is_hibernation_supported();
}
