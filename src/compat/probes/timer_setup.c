// SPDX-License-Identifier: GPL-2.0-only
/* timer_setup() with a struct timer_list * callback; added in v4.14 (commit 686fef928bba "timer: Prepare to change timer callback argument type") */
#include <linux/timer.h>

static void hvlis_cb(struct timer_list *t)
{
}

void hvlis_probe(struct timer_list *t)
{
	timer_setup(t, hvlis_cb, 0);
}
