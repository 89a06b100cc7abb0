// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: a KVP body from the host (exact-size heap buffer)
 * converted to the daemon message; then the first bytes of the input
 * taken as a daemon answer and converted back into the host body.
 * Every string handed to the daemon must be NUL-terminated in its array.
 */
#include <stdlib.h>
#include <string.h>

#include "kvp_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hv_kvp_msg dm, ans;

static void terminated(const void *s, size_t n)
{
	if (!memchr(s, 0, n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	u8 *p;
	u32 len = (u32)size;

	if (size > sizeof(struct ic_kvp_ip_msg) + 16)
		return -1;
	p = malloc(len ? len : 1);
	memcpy(p, data, len);
	if (ic_kvp_host_to_daemon(p, len, &dm, &why) == 0) {
		switch (dm.kvp_hdr.operation) {
		case KVP_OP_GET:
		case KVP_OP_SET:
			terminated(dm.body.kvp_set.data.key, 512);
			terminated(dm.body.kvp_set.data.value, 2048);
			if (dm.body.kvp_set.data.key_size > 512)
				abort();
			break;
		case KVP_OP_DELETE:
			terminated(dm.body.kvp_delete.key, 512);
			break;
		case KVP_OP_GET_IP_INFO:
		case KVP_OP_SET_IP_INFO:
			terminated(dm.body.kvp_ip_val.adapter_id,
				   MAX_ADAPTER_ID_SIZE);
			break;
		}
	}
	/* the input (repeated) as a daemon answer, written into the body */
	memset(&ans, 0, sizeof(ans));
	if (size) {
		size_t o;

		for (o = 0; o < sizeof(ans); o += size)
			memcpy((u8 *)&ans + o, data,
			       size < sizeof(ans) - o ? size : sizeof(ans) - o);
		ans.error = data[0] & 1 ? (s32)data[0] : 0;
		ic_kvp_daemon_to_host(&ans, data[0] % 7, p, len);
	}
	free(p);
	return 0;
}
