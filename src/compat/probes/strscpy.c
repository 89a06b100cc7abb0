// SPDX-License-Identifier: GPL-2.0-only
/* strscpy(); added in v4.3 (commit 30035e45753b "string: provide strscpy()") */
#include <linux/string.h>

ssize_t hvlis_probe(char *dst, const char *src)
{
	return strscpy(dst, src, 8);
}
