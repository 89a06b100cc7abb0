// SPDX-License-Identifier: GPL-2.0-only
/* virt_mb()/virt_rmb()/virt_wmb()/virt_store_mb(); added in v4.6 (commit 6a65d26385bf "asm-generic: implement virt_xxx memory barriers") */
#include <linux/kernel.h>
#include <linux/compiler.h>
#include <linux/atomic.h>
#include <asm/barrier.h>

int hvlis_probe(int *p)
{
	int v;

	virt_store_mb(*p, 1);	/* compile test: no concurrency */
	virt_mb();		/* after the store above */
	v = READ_ONCE(*p);
	virt_rmb();		/* after the load above */
	virt_wmb();		/* before the store below */
	WRITE_ONCE(*p, v + 1);
	return v;
}
