// SPDX-License-Identifier: GPL-2.0-only
/* kthread_create_on_cpu() declared and exported to modules (export status differs between kernels) */
/* vmlinux-export: kthread_create_on_cpu */
#include <linux/kthread.h>

struct task_struct *hvlis_probe(int (*fn)(void *), void *data, unsigned int cpu)
{
	return kthread_create_on_cpu(fn, data, cpu, "hvlis/%u");
}
