// SPDX-License-Identifier: GPL-2.0-only
/* array_size()/array3_size(); added in v4.18 (commit 610b15c19cb1 "overflow.h: Add allocation size calculation helpers") */
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/overflow.h>

size_t hvlis_probe(size_t a, size_t b)
{
	return array_size(a, b) + array3_size(a, b, 2);
}
