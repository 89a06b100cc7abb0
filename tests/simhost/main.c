// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_simhost: a simulated Hyper-V host for testing hv_vmbus without
 * Hyper-V.  Exports the hypervisor backend hv_vmbus looks up when no
 * hypervisor is present.  Test-only; never packaged.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "simhost_int.h"
#include "netvsp.h"
#include "storvsp.h"

unsigned int sim_host_version;
module_param_named(host_version, sim_host_version, uint, 0444);
MODULE_PARM_DESC(host_version, "Newest VMBus version the host accepts (0x20004 ... 0x50003; 0: the profile's)");

/*
 * Host profiles: what differs between real hosts (sources: README.md).
 * The other parameters override single values.
 */
static const struct sim_profile sim_profiles[] = {
	{ "default", VMBUS_VERSION_WIN10_V5_3, VSTOR_PROTO_WIN10, 4, SP_MAX_TRANSFER },
	{ "ws2016", VMBUS_VERSION_WIN10, VSTOR_PROTO_WIN8_1, 4, SP_MAX_TRANSFER },
	{ "azure", VMBUS_VERSION_WIN10_V5_3, VSTOR_PROTO_WIN10, 64, SP_MAX_TRANSFER },
};

static char *profile = "default";
module_param(profile, charp, 0444);
MODULE_PARM_DESC(profile, "Host profile: default, ws2016 (VMBus 4.0, vstor 6.0), azure (VMBus 5.3, vstor 6.2)");

unsigned int sim_msg_conn_id = VMBUS_MESSAGE_CONNECTION_ID;
module_param_named(msg_conn_id, sim_msg_conn_id, uint, 0444);
MODULE_PARM_DESC(msg_conn_id, "Message connection id handed out by 5.0+ VERSION_RESPONSE (default 1, like OpenVMM)");

bool sim_strict_conn_id;
module_param_named(strict_conn_id, sim_strict_conn_id, bool, 0644);
MODULE_PARM_DESC(strict_conn_id, "After a 5.0+ negotiation with msg_conn_id != 1, refuse posts to connection id 1");

unsigned int sim_post_queue_len = 64;
module_param_named(post_queue_len, sim_post_queue_len, uint, 0444);
MODULE_PARM_DESC(post_queue_len, "Posted messages the host buffers before INSUFFICIENT_BUFFERS");

unsigned int sim_send_timeout_ms = 10000;
module_param_named(send_timeout_ms, sim_send_timeout_ms, uint, 0644);
MODULE_PARM_DESC(send_timeout_ms, "How long a device waits for room in a full host-to-guest ring");

static char *devices = "echo:2,shutdown,timesync,heartbeat,kvp,vss,fcopy";
module_param(devices, charp, 0444);
MODULE_PARM_DESC(devices, "Devices to offer: class[:count],...");

struct sim_host sim;

static int sim_init(void (*isr)(void))
{
	if (!isr)
		return -EINVAL;
	mutex_lock(&sim.lock);
	if (sim.inited)
		pr_warn("init() without exit(): previous guest state dropped\n");
	/* a guest that died without UNLOAD leaves state behind */
	sim_post_flush();
	sim_reset_connection();
	WRITE_ONCE(sim.isr, isr);
	sim.inited = true;
	mutex_unlock(&sim.lock);
	pr_info("guest attached\n");
	return 0;
}

static void sim_exit(void)
{
	unsigned int cpu;

	WRITE_ONCE(sim.isr, NULL);
	/* the guest frees its SynIC pages after this */
	for_each_possible_cpu(cpu)
		sim_synic_disable(cpu);
	sim_synic_quiesce();
	mutex_lock(&sim.lock);
	sim_post_flush();
	sim_reset_connection();
	sim.inited = false;
	mutex_unlock(&sim.lock);
	pr_info("guest detached\n");
}

const struct hv_backend_ops hv_simhost_backend = {
	.name = "hv_simhost",
	.init = sim_init,
	.exit = sim_exit,
	.vp_index = sim_cpu_to_vp,
	.synic_enable = sim_synic_enable,
	.synic_disable = sim_synic_disable,
	.post_message = sim_post_message,
	.signal_event = sim_signal_event,
	.end_of_message = sim_end_of_message,
	.vtl = 0,
};
EXPORT_SYMBOL_GPL(hv_simhost_backend);

static bool host_version_ok(u32 v)
{
	return v == VMBUS_VERSION_WIN8 || v == VMBUS_VERSION_WIN8_1 ||
	       v == VMBUS_VERSION_WIN10 || v == VMBUS_VERSION_WIN10_V4_1 ||
	       v == VMBUS_VERSION_WIN10_V5 || v == VMBUS_VERSION_WIN10_V5_1 ||
	       v == VMBUS_VERSION_WIN10_V5_2 || v == VMBUS_VERSION_WIN10_V5_3;
}

static int __init simhost_init(void)
{
	const struct sim_profile *prof = NULL;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sim_profiles); i++)
		if (!strcmp(profile, sim_profiles[i].name))
			prof = &sim_profiles[i];
	if (!prof) {
		pr_err("profile=%s: unknown\n", profile);
		return -EINVAL;
	}
	if (!sim_host_version)
		sim_host_version = prof->vmbus_version;
	storvsp_apply_profile(prof);
	if (!host_version_ok(sim_host_version)) {
		pr_err("host_version=%#x: not a version this host implements\n",
		       sim_host_version);
		return -EINVAL;
	}
	if (!sim_msg_conn_id || sim_msg_conn_id > 0xffffff ||
	    !sim_post_queue_len || sim_post_queue_len > 4096)
		return -EINVAL;

	mutex_init(&sim.lock);
	INIT_LIST_HEAD(&sim.chans);
	INIT_LIST_HEAD(&sim.gpadls);
	INIT_LIST_HEAD(&sim.sig_list);
	spin_lock_init(&sim.sig_lock);
	spin_lock_init(&sim.faults.lock);
	sim.msg_sint = HV_VMBUS_SINT;
	/* event connection ids: far from relids so a mix-up shows */
	sim.next_conn_id = 0x10000;

	ret = sim_classes_check();
	if (ret)
		return ret;
	sim.ctl_wq = alloc_ordered_workqueue("hv_simhost_ctl", 0);
	sim.chan_wq = alloc_workqueue("hv_simhost_chan", WQ_UNBOUND, 0);
	if (!sim.ctl_wq || !sim.chan_wq) {
		ret = -ENOMEM;
		goto err_wq;
	}
	ret = sim_synic_init();
	if (ret)
		goto err_wq;
	ret = sim_post_init();
	if (ret)
		goto err_synic;
	mutex_lock(&sim.lock);
	ret = sim_devices_parse(devices);
	mutex_unlock(&sim.lock);
	if (ret)
		goto err_chans;
	ret = sim_debugfs_init();
	if (ret)
		goto err_chans;
	sim_ic_init();
	ret = storvsp_init();
	if (ret) {
		sim_debugfs_exit();
		goto err_chans;
	}
	ret = netvsp_init();
	if (ret) {
		storvsp_exit();
		sim_debugfs_exit();
		goto err_chans;
	}
	pr_info("simulated Hyper-V host ready: profile %s, VMBus up to %u.%u, vstor up to %u.%u, devices=%s\n",
		prof->name, VMBUS_VERSION_MAJOR(sim_host_version),
		VMBUS_VERSION_MINOR(sim_host_version), sp.max_version >> 8,
		sp.max_version & 0xff, devices);
	return 0;

err_chans:
	sim_chan_destroy_all();
	sim_post_exit();
err_synic:
	sim_synic_exit();
err_wq:
	if (sim.chan_wq)
		destroy_workqueue(sim.chan_wq);
	if (sim.ctl_wq)
		destroy_workqueue(sim.ctl_wq);
	return ret;
}

static void __exit simhost_exit(void)
{
	sim_debugfs_exit();
	WRITE_ONCE(sim.isr, NULL);
	sim_synic_quiesce();
	mutex_lock(&sim.lock);
	sim_reset_connection();
	mutex_unlock(&sim.lock);
	sim_cancel_delayed();
	sim_post_exit();
	destroy_workqueue(sim.ctl_wq);
	destroy_workqueue(sim.chan_wq);
	sim_chan_destroy_all();
	storvsp_exit();
	netvsp_exit();
	sim_synic_exit();
	pr_info("unloaded\n");
}

module_init(simhost_init);
module_exit(simhost_exit);
MODULE_DESCRIPTION("Simulated Hyper-V host for testing hv_vmbus (test only)");
MODULE_LICENSE("GPL");
