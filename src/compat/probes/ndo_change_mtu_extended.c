// SPDX-License-Identifier: GPL-2.0-only
/* RHEL 7.5 and later (3.10.0-862+): ->ndo_change_mtu moved into net_device_ops.extended (the old slot is ndo_change_mtu_rh74), and a driver that fills extended fields sets ndo_size; no upstream kernel has it */
#include <linux/netdevice.h>

static int hvlis_probe_mtu(struct net_device *dev, int mtu)
{
	return 0;
}

size_t hvlis_probe(void)
{
	static const struct net_device_ops ops = {
		.ndo_size = sizeof(ops),
		.extended.ndo_change_mtu = hvlis_probe_mtu,
	};

	return ops.ndo_size;
}
