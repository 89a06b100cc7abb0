// SPDX-License-Identifier: GPL-2.0-only
/* hyperv_pcpu_input_arg (per-CPU hypercall input page) exported by vmlinux; added in v4.15 (PV TLB flush) */
/* vmlinux-export: hyperv_pcpu_input_arg */
#include <linux/percpu.h>
#include <asm/mshyperv.h>

void *hvlis_probe(void)
{
	return *this_cpu_ptr(hyperv_pcpu_input_arg);
}
