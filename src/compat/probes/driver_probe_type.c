// SPDX-License-Identifier: GPL-2.0-only
/* struct device_driver.probe_type; added in v4.2 (commit 765230b5f084 "driver-core: add asynchronous probing support for drivers") */
#include <linux/device.h>

void hvlis_probe(struct device_driver *drv)
{
	drv->probe_type = PROBE_PREFER_ASYNCHRONOUS;
}
