// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_vmbus: module entry points and parameters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/reboot.h>

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

static int vmbus_reboot_notify(struct notifier_block *nb, unsigned long code,
			       void *unused)
{
	/* The host must stop using our pages before a kexec'ed kernel reuses them. */
	vmbus_disconnect();
	return NOTIFY_DONE;
}

static struct notifier_block vmbus_reboot_nb = {
	.notifier_call = vmbus_reboot_notify,
};

static int __init vmbus_init(void)
{
	int ret;

	if (vmbus_timeout_ms < 100 || vmbus_timeout_ms > 600000) {
		pr_err("timeout_ms=%u is out of range (100-600000)\n",
		       vmbus_timeout_ms);
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

	register_reboot_notifier(&vmbus_reboot_nb);
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
	unregister_reboot_notifier(&vmbus_reboot_nb);
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
