// SPDX-License-Identifier: GPL-2.0-only
/* strscpy(); added in v4.3 (commit 30035e45753b "string: provide strscpy()") */
/*
 * <linux/kernel.h> first, as in a driver: RHEL 10's <linux/string.h> uses
 * BUILD_BUG_ON_ZERO() in strscpy() without including <linux/build_bug.h>.
 */
#include <linux/kernel.h>
#include <linux/string.h>

ssize_t hvlis_probe(char *dst, const char *src)
{
	return strscpy(dst, src, 8);
}
