// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only VMBus drivers for the bus/sysfs checks (not part of the tree).
 * bustest_a binds the simulated echo class, opens the channel and leaves
 * one echo reply unread in the inbound ring.  bustest_b has no id table:
 * it binds only through new_id or driver_override and logs the id it got.
 */
#include <linux/module.h>
#include "hvlis/vmbus.h"

static const struct hv_vmbus_device_id bustest_a_ids[] = {
	{ .guid = GUID_INIT(0x6c7bb4a1, 0x1b21, 0x4b8e, 0x9a, 0x33,
			    0x52, 0x5f, 0x65, 0x63, 0x68, 0x6f) },
	{ },
};

static int bustest_a_probe(struct hv_device *dev,
			   const struct hv_vmbus_device_id *id)
{
	struct hvlis_open_params p = {
		.send_ring_size = 4 * PAGE_SIZE,
		.recv_ring_size = 4 * PAGE_SIZE,
		.max_pkt_size = 2048,
	};
	u8 payload[16] = "bustest-payload";
	int ret;

	ret = hvlis_chan_open(dev->channel, &p);
	if (ret)
		return ret;
	ret = hvlis_chan_send(dev->channel, VMBUS_PKT_DATA_INBAND, 0, 1,
			      payload, sizeof(payload));
	if (!ret)
		ret = hvlis_chan_send(dev->channel, VMBUS_PKT_DATA_INBAND,
				      VMBUS_PKT_FLAG_COMPLETION_REQUESTED, 2,
				      payload, sizeof(payload));
	if (ret)
		hvlis_chan_close(dev->channel);
	dev_info(&dev->device, "bustest_a: probe: %d\n", ret);
	return ret;
}

static void bustest_a_remove(struct hv_device *dev)
{
	hvlis_chan_close(dev->channel);
	dev_info(&dev->device, "bustest_a: remove\n");
}

static struct hv_driver bustest_a = {
	.name = "bustest_a",
	.id_table = bustest_a_ids,
	.probe = bustest_a_probe,
	.remove = bustest_a_remove,
};

static int bustest_b_probe(struct hv_device *dev,
			   const struct hv_vmbus_device_id *id)
{
	dev_info(&dev->device, "bustest_b: probe id=%*phN\n",
		 (int)sizeof(id->guid), &id->guid);
	return 0;
}

static void bustest_b_remove(struct hv_device *dev)
{
	dev_info(&dev->device, "bustest_b: remove\n");
}

static struct hv_driver bustest_b = {
	.name = "bustest_b",
	.probe = bustest_b_probe,
	.remove = bustest_b_remove,
};

static int __init bustest_init(void)
{
	int ret = hvlis_driver_register(&bustest_a);

	if (ret)
		return ret;
	ret = hvlis_driver_register(&bustest_b);
	if (ret)
		hvlis_driver_unregister(&bustest_a);
	return ret;
}

static void __exit bustest_exit(void)
{
	hvlis_driver_unregister(&bustest_b);
	hvlis_driver_unregister(&bustest_a);
}

module_init(bustest_init);
module_exit(bustest_exit);
MODULE_DEVICE_TABLE(vmbus, bustest_a_ids);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hyperv-lis bus test drivers (test only)");
