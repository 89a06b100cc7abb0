// SPDX-License-Identifier: GPL-2.0-only
/* device_driver_attach(drv, dev), exported; 4.19 has only driver_attach(drv) (every unbound device the driver's probe accepts) */
/* vmlinux-export: device_driver_attach */
#include <linux/device.h>

int hvlis_probe(struct device_driver *drv, struct device *dev)
{
	return device_driver_attach(drv, dev);
}
