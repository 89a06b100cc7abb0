// SPDX-License-Identifier: GPL-2.0-only
/* rdmsrq()/wrmsrq(); changed in v6.16 ("x86/msr: Rename 'rdmsrl()' to 'rdmsrq()'" and the wrmsrl() twin) */
#include <asm/msr.h>

u64 hvlis_probe(void)
{
	u64 v;

	rdmsrq(0x40000002, v);
	wrmsrq(0x40000084, 0);
	return v;
}
