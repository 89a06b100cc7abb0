// SPDX-License-Identifier: GPL-2.0-only
/* bpf_prog_inc() returns void; changed in v5.7 (commit 85192dbf4de0 "bpf: Convert bpf_prog refcnt to atomic64_t", id from memory); before: the program or ERR_PTR(-EBUSY) */
/* vmlinux-export: bpf_prog_inc */
#include <linux/bpf.h>

_Static_assert(__builtin_types_compatible_p(typeof(bpf_prog_inc),
					   void (struct bpf_prog *)),
	       "bpf_prog_inc() returns a value");

void hvlis_probe(struct bpf_prog *prog)
{
	bpf_prog_inc(prog);
}
