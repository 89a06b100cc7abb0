// SPDX-License-Identifier: GPL-2.0-only
/* timer_delete(); changed in v6.2 ("timers: Rename del_timer() to timer_delete()"), del_timer() removed in v6.15 */
#include <linux/timer.h>

int hvlis_probe(struct timer_list *t)
{
	return timer_delete(t);
}
