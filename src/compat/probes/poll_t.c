// SPDX-License-Identifier: GPL-2.0-only
/* __poll_t, the return type of file_operations.poll; added in v4.15 (absent from the 4.14.67 snapshot, present in 4.19.255: symbols-since.txt) */
#include <linux/types.h>
#include <linux/fs.h>
#include <linux/poll.h>

_Static_assert(__builtin_types_compatible_p(typeof(((const struct file_operations *)0)->poll),
					    __poll_t (*)(struct file *, struct poll_table_struct *)),
	       "poll returns __poll_t");
__poll_t hvlis_probe(void)
{
	return 0;
}
