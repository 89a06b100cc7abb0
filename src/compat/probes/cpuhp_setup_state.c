// SPDX-License-Identifier: GPL-2.0-only
/* cpuhp_setup_state() with CPUHP_AP_ONLINE_DYN; added in v4.6/v4.7 (commit 5b7aa87e0482 "cpu/hotplug: Implement setup/removal interface"); before: register_cpu_notifier() */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>

static int hvlis_online(unsigned int cpu)
{
	return 0;
}

int hvlis_probe(void)
{
	int st = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "hvlis:online",
				   hvlis_online, NULL);

	if (st >= 0)
		cpuhp_remove_state(st);
	return st;
}
