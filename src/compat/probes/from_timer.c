// SPDX-License-Identifier: GPL-2.0-only
/* from_timer(); added in v4.14 (commit 686fef928bba), renamed timer_container_of() in v6.16 */
#include <linux/timer.h>

struct hvlis_s {
	int x;
	struct timer_list t;
};

int hvlis_probe(struct timer_list *t)
{
	struct hvlis_s *s = from_timer(s, t, t);

	return s->x;
}
