// SPDX-License-Identifier: GPL-2.0-only
/* timer_container_of(); changed in v6.16 (commit 41cb08555c41 "treewide, timers: Rename from_timer() to timer_container_of()") */
#include <linux/timer.h>

struct hvlis_s {
	int x;
	struct timer_list t;
};

int hvlis_probe(struct timer_list *t)
{
	struct hvlis_s *s = timer_container_of(s, t, t);

	return s->x;
}
