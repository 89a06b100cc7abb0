// SPDX-License-Identifier: GPL-2.0-only
/* timer_delete_sync(); changed in v6.2 ("timers: Rename del_timer_sync() to timer_delete_sync()"), del_timer_sync() removed in v6.15; stable 6.1.y has both */
#include <linux/timer.h>

int hvlis_probe(struct timer_list *t)
{
	return timer_delete_sync(t);
}
