// SPDX-License-Identifier: GPL-2.0-only
/* smp_load_acquire()/smp_store_release(); added in v3.14 (commit 47933ad41a86 "arch: Introduce smp_load_acquire(), smp_store_release()") */
#include <linux/kernel.h>
#include <linux/compiler.h>
#include <asm/barrier.h>

int hvlis_probe(int *p)
{
	smp_store_release(p, 1);	/* compile test: no concurrency */
	return smp_load_acquire(p);	/* pairs with the release above */
}
