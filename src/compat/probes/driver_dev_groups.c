// SPDX-License-Identifier: GPL-2.0-only
/* struct device_driver.dev_groups; added in v5.4 (commit 23b6904442d0 "driver core: add dev_groups to all drivers") */
#include <linux/device.h>

void hvlis_probe(struct device_driver *drv, const struct attribute_group **groups)
{
	drv->dev_groups = groups;
}
