// SPDX-License-Identifier: GPL-2.0-only
/* INIT_CSD(): call_single_data initialiser; 4.19 has none (func and info are set directly) */
#include <linux/smp.h>

static void hvlis_fn(void *info)
{
}

void hvlis_probe(call_single_data_t *csd, void *info)
{
	INIT_CSD(csd, hvlis_fn, info);
}
