// SPDX-License-Identifier: GPL-2.0-only
/* struct bus_type.match takes const struct device_driver *; changed in v6.11 (commit d69d80484598 "driver core: have match() callback in struct bus_type take a const *") */
#include <linux/device.h>

_Static_assert(__builtin_types_compatible_p(typeof(((struct bus_type *)0)->match),
					    int (*)(struct device *,
						    const struct device_driver *)),
	       "bus_type.match takes a non-const driver");
