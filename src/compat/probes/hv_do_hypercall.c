// SPDX-License-Identifier: GPL-2.0-only
/* hv_do_hypercall() inline in <asm/mshyperv.h> (over the exported hv_hypercall_pg); added in v4.12 */
/* vmlinux-export: hv_hypercall_pg */
#include <asm/mshyperv.h>

u64 hvlis_probe(void *in, void *out)
{
	return hv_do_hypercall(0x005c, in, out);	/* HvPostMessage */
}
