/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVP: host message (UTF-16, icmsg.h) <-> daemon message (UTF-8,
 * hv_daemon_abi.h).  Shared with tests/unit; no allocation, no logging.
 */
#ifndef HV_KVP_PROTO_H
#define HV_KVP_PROTO_H

#include "ic_proto.h"
#include "hv_daemon_abi.h"

/* Body bytes the host must send for an operation; 0 for unknown ones. */
u32 ic_kvp_body_size(u8 op);

/*
 * Check a host KVP body (body_len bytes) and build the daemon request in
 * *dm (zeroed here).  0, or -EBADMSG with *why.
 */
int ic_kvp_host_to_daemon(const void *body, u32 body_len,
			  struct hv_kvp_msg *dm, const char **why);

/*
 * Fill the host response body (the request, edited in place) for
 * operation op from the daemon's answer dm (its error field first).
 * Returns the IC status to send.
 */
u32 ic_kvp_daemon_to_host(const struct hv_kvp_msg *dm, u8 op, void *body,
			  u32 body_len);

#endif /* HV_KVP_PROTO_H */
