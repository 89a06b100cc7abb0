/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HVLIS_COMPAT_SELFTEST_H
#define HVLIS_COMPAT_SELFTEST_H

int compat_test_generic(void);
int compat_test_driver(void);
int compat_test_scsi(void);
int compat_test_mshyperv(void);

#endif
