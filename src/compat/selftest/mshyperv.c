// SPDX-License-Identifier: GPL-2.0-only
/* Wrappers of compat_mshyperv.h. */
#include <linux/kernel.h>
#include <linux/errno.h>

#include "compat_mshyperv.h"
#include "selftest.h"

#if defined(HAVE_HV_SETUP_VMBUS_HANDLER) || defined(HAVE_HV_SETUP_VMBUS_IRQ)
static void compat_vmbus_isr(void)
{
}

static void compat_hooks(void)
{
	hv_setup_vmbus_handler(compat_vmbus_isr);
	hv_remove_vmbus_handler();
}
#else
static void compat_hooks(void)
{
}
#endif

int compat_test_mshyperv(void)
{
	u64 simp = 0;

	/* Compile test only: there is no Hyper-V under the selftest. */
	if (hv_is_isolation_supported())
		return -EOPNOTSUPP;
	if (simp) {
		simp = hv_get_msr(0x40000083);
		hv_set_msr(0x40000083, simp);
		compat_hooks();
	}
	return 0;
}
