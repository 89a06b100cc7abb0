// SPDX-License-Identifier: GPL-2.0-only
/* napi_complete_done() returns bool (false: keep polling); changed in v4.10 (commit 364b6055738b "net: busy-poll: return busypolling status to drivers") */
#include <linux/netdevice.h>

bool hvlis_probe(struct napi_struct *napi)
{
	return napi_complete_done(napi, 0);
}
