// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: vmbus_decode_host_msg() on arbitrary host payloads.
 * The payload is copied to an exact-size heap buffer so ASan sees any
 * read past the length the host claimed.
 */
#include <stdlib.h>
#include <string.h>

#include "vmbus_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	union vmbus_host_msg out;
	const char *why = NULL;
	u8 *p;
	int ret;

	if (size > 300)
		return -1;
	p = malloc(size ? size : 1);
	memcpy(p, data, size);
	ret = vmbus_decode_host_msg(p, (u32)size, &out, &why);
	if (ret == 0) {
		/* only host-to-guest types, copied and of a sane length */
		if (size < 8 || size > HV_MESSAGE_PAYLOAD_MAX ||
		    memcmp(&out, p, 8) != 0)
			abort();
		switch (out.hdr.msgtype) {
		case VMBUS_MSG_OFFERCHANNEL:
			if (size < 196 || !out.offer.child_relid ||
			    out.offer.child_relid >= VMBUS_MAX_RELIDS)
				abort();
			break;
		case VMBUS_MSG_RESCIND_CHANNELOFFER:
		case VMBUS_MSG_ALLOFFERS_DELIVERED:
		case VMBUS_MSG_OPENCHANNEL_RESULT:
		case VMBUS_MSG_GPADL_CREATED:
		case VMBUS_MSG_GPADL_TORNDOWN:
		case VMBUS_MSG_VERSION_RESPONSE:
		case VMBUS_MSG_UNLOAD_RESPONSE:
		case VMBUS_MSG_TL_CONNECT_RESULT:
		case VMBUS_MSG_MODIFYCHANNEL_RESPONSE:
			break;
		default:
			abort();
		}
	} else if (ret != -EBADMSG || !why || !*why) {
		abort();
	}
	(void)vmbus_msgtype_name(out.hdr.msgtype);
	free(p);
	return 0;
}
