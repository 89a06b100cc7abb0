// SPDX-License-Identifier: GPL-2.0-only
/* netdev_notifier_info_to_dev(); added in v3.11 */
#include <linux/netdevice.h>

struct net_device *hvlis_probe(void *ptr)
{
	return netdev_notifier_info_to_dev(ptr);
}
