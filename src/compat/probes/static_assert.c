// SPDX-License-Identifier: GPL-2.0-only
/* static_assert() with an optional message; added in v5.1 (commit 6bab69c65013 "build_bug.h: add wrapper for _Static_assert") */
#include <linux/kernel.h>
#include <linux/bug.h>

static_assert(sizeof(int) == 4);
static_assert(sizeof(long) >= 4, "long");
