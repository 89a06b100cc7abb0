// SPDX-License-Identifier: GPL-2.0-only
/* struct bus_type.uevent takes const struct device *; changed in v6.3 (commit 2a81ada32f0e "driver core: make struct bus_type.uevent() take a const *") */
#include <linux/device.h>

_Static_assert(__builtin_types_compatible_p(typeof(((struct bus_type *)0)->uevent),
					    int (*)(const struct device *,
						    struct kobj_uevent_env *)),
	       "bus_type.uevent takes a non-const device");
