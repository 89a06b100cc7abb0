// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_vmbus: module entry points and parameters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "vmbus_private.h"
#include "hvlis/version.h"

unsigned int vmbus_max_version;
module_param_named(max_version, vmbus_max_version, uint, 0444);
MODULE_PARM_DESC(max_version,
		 "Highest VMBus protocol version to offer, (major << 16) | minor; 0 = newest");

unsigned int vmbus_timeout_ms = 15000;
module_param_named(timeout_ms, vmbus_timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms,
		 "How long to wait for the host's answer to a request (ms, 100-600000)");

/*
 * No UNLOAD at reboot or power-off: device_shutdown() still needs the
 * channels after the reboot notifiers (sd flushes each disk's cache), and
 * the host resets the connection with the VM.  kexec and crash, where the
 * next kernel reuses our pages, UNLOAD through the backend's hooks after
 * the devices are shut down (vmbus_unload_atomic()).
 */
static int __init vmbus_init(void)
{
	int ret;

	if (vmbus_timeout_ms < 100 || vmbus_timeout_ms > 600000) {
		pr_err("timeout_ms=%u is out of range (100-600000)\n",
		       vmbus_timeout_ms);
		return -EINVAL;
	}
	if (vmbus_max_version && vmbus_max_version < VMBUS_VERSION_WS2008) {
		pr_err("max_version=%#x is out of range (0 or %#x-0xffffffff: (major << 16) | minor)\n",
		       vmbus_max_version, VMBUS_VERSION_WS2008);
		return -EINVAL;
	}

	ret = vmbus_backend_get();
	if (ret)
		return ret;

	ret = vmbus_bus_init();
	if (ret)
		goto err_backend;

	ret = vmbus_channels_init();
	if (ret)
		goto err_bus;

	ret = vmbus_synic_setup();
	if (ret)
		goto err_channels;

	ret = vmbus_connect();
	if (ret)
		goto err_synic;

	return 0;

err_synic:
	vmbus_synic_teardown();
err_channels:
	vmbus_channels_exit();
err_bus:
	vmbus_bus_exit();
err_backend:
	vmbus_backend_put();
	return ret;
}

static void __exit vmbus_exit(void)
{
	vmbus_channels_exit();
	vmbus_disconnect();
	vmbus_synic_teardown();
	vmbus_bus_exit();
	vmbus_backend_put();
}

module_init(vmbus_init);
module_exit(vmbus_exit);

MODULE_DESCRIPTION("Hyper-V VMBus bus driver (hyperv-lis)");
MODULE_LICENSE("GPL");
MODULE_VERSION(HVLIS_VERSION);
