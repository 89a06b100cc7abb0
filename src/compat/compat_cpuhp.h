/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Opt-in companion of compat.h: per-CPU online/offline callbacks.
 *
 *   int compat_cpuhp_setup_dyn(name, online, offline);	 state or -errno
 *   void compat_cpuhp_remove(state);
 *
 * The same contract as cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, ...): online()
 * runs, in process context on the CPU concerned, for every CPU already up
 * and for each CPU that comes up later; offline() runs on a CPU about to go
 * down and may refuse with an error; remove runs offline() on every CPU.
 *
 * Kernels before cpuhp_setup_state() (HAVE_CPUHP_SETUP_STATE) get a CPU
 * notifier that runs the callbacks on the CPU through work_on_cpu().  Only
 * one user per module (the callbacks are kept in file-scope statics).
 */
#ifndef HVLIS_COMPAT_CPUHP_H
#define HVLIS_COMPAT_CPUHP_H

#include <linux/cpu.h>

#ifdef HAVE_CPUHP_SETUP_STATE
#include <linux/cpuhotplug.h>

static inline int compat_cpuhp_setup_dyn(const char *name,
					 int (*online)(unsigned int),
					 int (*offline)(unsigned int))
{
	return cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, name, online, offline);
}

static inline void compat_cpuhp_remove(int state)
{
	cpuhp_remove_state(state);
}

#else /* CPU notifiers */
#include <linux/notifier.h>
#include <linux/workqueue.h>

static int (*compat_cpuhp_online)(unsigned int);
static int (*compat_cpuhp_offline)(unsigned int);

static long compat_cpuhp_call(void *fn)
{
	int (*cb)(unsigned int) = fn;

	return cb(raw_smp_processor_id());
}

static int compat_cpuhp_run(unsigned int cpu, int (*cb)(unsigned int))
{
	return cb ? (int)work_on_cpu(cpu, compat_cpuhp_call, cb) : 0;
}

static int compat_cpuhp_notify(struct notifier_block *nb,
			       unsigned long action, void *hcpu)
{
	unsigned int cpu = (unsigned long)hcpu;

	switch (action & ~CPU_TASKS_FROZEN) {
	case CPU_ONLINE:
	case CPU_DOWN_FAILED:
		/* nothing can refuse a CPU that is already up */
		compat_cpuhp_run(cpu, compat_cpuhp_online);
		break;
	case CPU_DOWN_PREPARE:
		if (compat_cpuhp_run(cpu, compat_cpuhp_offline))
			return NOTIFY_BAD;
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block compat_cpuhp_nb = {
	.notifier_call = compat_cpuhp_notify,
};

static inline int compat_cpuhp_setup_dyn(const char *name,
					 int (*online)(unsigned int),
					 int (*offline)(unsigned int))
{
	unsigned int cpu, done;
	int ret = 0;

	compat_cpuhp_online = online;
	compat_cpuhp_offline = offline;
	/* the v3.15 API, so that no CPU comes up between the loop and the notifier */
	cpu_notifier_register_begin();
	for_each_online_cpu(cpu) {
		ret = compat_cpuhp_run(cpu, online);
		if (ret)
			break;
	}
	if (ret) {
		for_each_online_cpu(done) {
			if (done == cpu)
				break;
			compat_cpuhp_run(done, offline);
		}
	} else {
		__register_cpu_notifier(&compat_cpuhp_nb);
	}
	cpu_notifier_register_done();
	return ret;
}

static inline void compat_cpuhp_remove(int state)
{
	unsigned int cpu;

	cpu_notifier_register_begin();
	__unregister_cpu_notifier(&compat_cpuhp_nb);
	for_each_online_cpu(cpu)
		compat_cpuhp_run(cpu, compat_cpuhp_offline);
	cpu_notifier_register_done();
}
#endif

#endif /* HVLIS_COMPAT_CPUHP_H */
