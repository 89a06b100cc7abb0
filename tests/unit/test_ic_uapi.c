// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layout of the daemon messages as the system's own
 * <linux/hyperv.h> (the kernel uapi the daemons are built against)
 * declares them; test_ic_kvp.c compares src/utils/hv_daemon_abi.h with
 * it.  A separate file because both headers declare the same names.
 */
#include <stddef.h>
#include <stdbool.h>

#include "test_ic_uapi.h"

#if defined(__has_include)
#if __has_include(<linux/hyperv.h>)
#include <linux/hyperv.h>
#define HAVE_UAPI_HYPERV 1
#endif
#endif

#ifdef HAVE_UAPI_HYPERV
#define E(n, v) { n, v }
const struct uapi_fact uapi_facts[] = {
	E("sizeof hv_kvp_msg", sizeof(struct hv_kvp_msg)),
	E("body hv_kvp_msg", offsetof(struct hv_kvp_msg, body)),
	E("value hv_kvp_exchg_msg_value",
	  offsetof(struct hv_kvp_exchg_msg_value, value)),
	E("sizeof hv_kvp_exchg_msg_value", sizeof(struct hv_kvp_exchg_msg_value)),
	E("data hv_kvp_msg_enumerate", offsetof(struct hv_kvp_msg_enumerate, data)),
	E("sizeof hv_kvp_ipaddr_value", sizeof(struct hv_kvp_ipaddr_value)),
	E("dns_addr hv_kvp_ipaddr_value",
	  offsetof(struct hv_kvp_ipaddr_value, dns_addr)),
	E("sizeof hv_kvp_ip_msg", sizeof(struct hv_kvp_ip_msg)),
	E("sizeof hv_vss_msg", sizeof(struct hv_vss_msg)),
	E("vss_cf hv_vss_msg", offsetof(struct hv_vss_msg, vss_cf)),
	E("sizeof hv_start_fcopy", sizeof(struct hv_start_fcopy)),
	E("file_size hv_start_fcopy", offsetof(struct hv_start_fcopy, file_size)),
	E("sizeof hv_do_fcopy", sizeof(struct hv_do_fcopy)),
	E("data hv_do_fcopy", offsetof(struct hv_do_fcopy, data)),
	E("KVP_OP_REGISTER1", KVP_OP_REGISTER1),
	E("VSS_OP_REGISTER1", VSS_OP_REGISTER1),
	E("KVP_OP_SET_IP_INFO", KVP_OP_SET_IP_INFO),
	E("VSS_OP_THAW", VSS_OP_THAW),
	E("CANCEL_FCOPY", CANCEL_FCOPY),
	{ NULL, 0 }
};
const bool uapi_present = true;
#else
const struct uapi_fact uapi_facts[] = { { NULL, 0 } };
const bool uapi_present = false;
#endif
