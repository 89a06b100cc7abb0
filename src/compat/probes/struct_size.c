// SPDX-License-Identifier: GPL-2.0-only
/* struct_size(); added in v4.18 with array_size() (commit 610b15c19cb1) - present in 4.19.y */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/overflow.h>

struct hvlis_s {
	int n;
	u64 a[];
};

size_t hvlis_probe(struct hvlis_s *s, size_t n)
{
	return struct_size(s, a, n);
}
