// SPDX-License-Identifier: GPL-2.0-only
/*
 * A bus_type can be const: bus_register()/bus_unregister()/bus_for_each_dev()
 * take const and struct device.bus / struct device_driver.bus are const
 * pointers; changed in v6.4 (driver core series "make struct bus_type const")
 */
#include <linux/device.h>

#define HVLIS_SAME(a, b) __builtin_types_compatible_p(typeof(a), b)

_Static_assert(HVLIS_SAME(bus_register, int (const struct bus_type *)), "bus_register");
_Static_assert(HVLIS_SAME(bus_unregister, void (const struct bus_type *)), "bus_unregister");
_Static_assert(HVLIS_SAME(bus_for_each_dev,
			  int (const struct bus_type *, struct device *, void *,
			       int (*)(struct device *, void *))), "bus_for_each_dev");
_Static_assert(HVLIS_SAME(((struct device *)0)->bus, const struct bus_type *), "device.bus");
_Static_assert(HVLIS_SAME(((struct device_driver *)0)->bus, const struct bus_type *),
	       "device_driver.bus");
