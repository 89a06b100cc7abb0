// SPDX-License-Identifier: GPL-2.0-only
/* struct bus_type.dev_groups; added in v3.12 (driver core: dev_attrs -> dev_groups conversion) */
#include <linux/device.h>

void hvlis_probe(struct bus_type *bus, const struct attribute_group **groups)
{
	bus->dev_groups = groups;
}
