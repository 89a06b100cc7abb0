/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef TEST_IC_UAPI_H
#define TEST_IC_UAPI_H

#include <stdbool.h>

struct uapi_fact {
	const char *name;
	unsigned long value;
};

/* From the system <linux/hyperv.h>, NULL-terminated; empty if absent. */
extern const struct uapi_fact uapi_facts[];
extern const bool uapi_present;

#endif
