// SPDX-License-Identifier: GPL-2.0-only
/* READ_ONCE()/WRITE_ONCE(); added in v3.19/v4.0 (commits 230fa253df63 "kernel: Provide READ_ONCE and ASSIGN_ONCE", 43239cbe79fc "kernel: Change ASSIGN_ONCE(val, x) to WRITE_ONCE(x, val)") */
#include <linux/kernel.h>
#include <linux/compiler.h>
#include <asm/barrier.h>

int hvlis_probe(int *p)
{
	WRITE_ONCE(*p, 1);
	return READ_ONCE(*p);
}
