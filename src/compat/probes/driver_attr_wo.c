// SPDX-License-Identifier: GPL-2.0-only
/* DRIVER_ATTR_WO(); added between v3.11 and v3.16 (absent from the 3.11.0 snapshot, present in 3.16.0: symbols-since.txt) */
#include <linux/device.h>

static ssize_t hvlis_store(struct device_driver *drv, const char *b, size_t n)
{
	return n;
}

static DRIVER_ATTR_WO(hvlis);

struct attribute *hvlis_probe_attr = &driver_attr_hvlis.attr;
