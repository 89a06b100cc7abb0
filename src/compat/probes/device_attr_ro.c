// SPDX-License-Identifier: GPL-2.0-only
/* DEVICE_ATTR_RO()/DEVICE_ATTR_RW(); added in v3.11 (absent from the 3.10.108 snapshot, present in 3.11.0: symbols-since.txt) */
#include <linux/device.h>
#include <linux/sysfs.h>

static ssize_t hvlis_show(struct device *d, struct device_attribute *a, char *b)
{
	return 0;
}

static ssize_t hvlis2_show(struct device *d, struct device_attribute *a, char *b)
{
	return 0;
}

static ssize_t hvlis2_store(struct device *d, struct device_attribute *a,
			   const char *b, size_t n)
{
	return n;
}

static DEVICE_ATTR_RO(hvlis);
static DEVICE_ATTR_RW(hvlis2);

struct attribute *hvlis_probe_attrs[] = {
	&dev_attr_hvlis.attr, &dev_attr_hvlis2.attr, NULL
};
