/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in for <asm/nospec-branch.h> on kernels that predate it (v4.15,
 * retpolines; vanilla 4.4.0-4.4.109, 4.9.0-4.9.76, 4.12, 4.13 lack it).
 * src/compat is on the include path after the kernel's own directories, so
 * this file is only found where the kernel has no such header.  It defines
 * nothing: code that uses CALL_NOSPEC/THUNK_TARGET tests #ifdef CALL_NOSPEC
 * and makes a plain indirect call without it.
 */
#ifndef HVLIS_COMPAT_ASM_NOSPEC_BRANCH_H
#define HVLIS_COMPAT_ASM_NOSPEC_BRANCH_H
#endif
