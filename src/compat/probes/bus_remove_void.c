// SPDX-License-Identifier: GPL-2.0-only
/* struct bus_type.remove returns void; changed in v5.15 (commit fc7a6209d571 "bus: Make remove callback return void") */
#include <linux/device.h>

_Static_assert(__builtin_types_compatible_p(typeof(((struct bus_type *)0)->remove),
					    void (*)(struct device *)),
	       "bus_type.remove returns int");
