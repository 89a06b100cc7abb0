// SPDX-License-Identifier: GPL-2.0-only
/* irq_work_queue_on() declared and exported to modules; added in v3.19 ("irq_work: Implement remote queueing"), NOT exported by Debian 6.1/6.12 */
/* vmlinux-export: irq_work_queue_on */
#include <linux/irq_work.h>

bool hvlis_probe(struct irq_work *work, int cpu)
{
	return irq_work_queue_on(work, cpu);
}
