// SPDX-License-Identifier: GPL-2.0-only
/* HYPERVISOR_CALLBACK_VECTOR in <asm/irq_vectors.h> (x86 Hyper-V callback vector, v3.10+; needs CONFIG_HYPERV or CONFIG_X86_HV_CALLBACK_VECTOR) */
#include <asm/irq_vectors.h>

#ifndef HYPERVISOR_CALLBACK_VECTOR
#error "no HYPERVISOR_CALLBACK_VECTOR"
#endif

int hvlis_probe(void)
{
	return HYPERVISOR_CALLBACK_VECTOR;
}
