// SPDX-License-Identifier: GPL-2.0-only
/* tasklet_setup()/from_tasklet(); added in v5.9 (commit 12cc923f1ccc "tasklet: Introduce new initialization API") */
#include <linux/interrupt.h>

struct hvlis_s {
	int x;
	struct tasklet_struct t;
};

static void hvlis_cb(struct tasklet_struct *t)
{
	struct hvlis_s *s = from_tasklet(s, t, t);

	s->x++;
}

void hvlis_probe(struct hvlis_s *s)
{
	tasklet_setup(&s->t, hvlis_cb);
}
