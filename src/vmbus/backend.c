// SPDX-License-Identifier: GPL-2.0-only
/*
 * Choosing the hypervisor backend: Hyper-V when the CPU says so, else the
 * test-only simulated host if hv_simhost.ko is loaded, else nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "vmbus_private.h"

int vmbus_backend_get(void)
{
	const struct hv_backend_ops *ops;

	if (hv_hyperv_detect()) {
		vmbus_conn.ops = &hv_hyperv_backend;
		vmbus_conn.ops_is_sim = false;
		return 0;
	}

	ops = __symbol_get(HV_SIM_BACKEND_SYMBOL);
	if (ops) {
		vmbus_conn.ops = ops;
		vmbus_conn.ops_is_sim = true;
		pr_info("no Hyper-V; using the simulated host \"%s\" (test only)\n",
			ops->name);
		return 0;
	}

	pr_err("no Hyper-V hypervisor found; not loading\n");
	return -ENODEV;
}

void vmbus_backend_put(void)
{
	if (vmbus_conn.ops_is_sim)
		__symbol_put(HV_SIM_BACKEND_SYMBOL);
	vmbus_conn.ops = NULL;
	vmbus_conn.ops_is_sim = false;
}
