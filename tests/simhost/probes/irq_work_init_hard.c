// SPDX-License-Identifier: GPL-2.0-only
/* IRQ_WORK_INIT_HARD(): an irq_work that runs in hard-IRQ context even on PREEMPT_RT; 4.19 has only init_irq_work() (always hard IRQ there) */
#include <linux/irq_work.h>

static void hvlis_fn(struct irq_work *w)
{
}

void hvlis_probe(struct irq_work *w)
{
	*w = IRQ_WORK_INIT_HARD(hvlis_fn);
}
