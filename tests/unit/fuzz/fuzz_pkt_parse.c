// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: vmbus_pkt_parse() on arbitrary packet copies.  Every
 * pointer it returns must stay inside the packet.
 */
#include <stdlib.h>
#include <string.h>

#include "vmbus_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmbus_pkt_view v;
	const char *why = NULL;
	const u8 *end;
	u8 *p;
	u32 i, sum = 0;

	if (size > 70000)
		return -1;
	p = malloc(size ? size : 1);
	memcpy(p, data, size);
	end = p + size;
	if (vmbus_pkt_parse(p, (u32)size, &v, &why) == 0) {
		const u8 *pl = v.payload;

		if (pl < p + 16 || pl > end || v.payload_len > (u32)(end - pl))
			abort();
		/* touch every byte the view hands out */
		for (i = 0; i < v.payload_len; i++)
			sum += pl[i];
		if (v.type == VMBUS_PKT_DATA_USING_XFER_PAGES) {
			const u8 *rt = (const u8 *)v.ranges;

			if (rt != p + 24 ||
			    (u64)v.range_cnt * 8 > (u64)(pl - rt))
				abort();
			for (i = 0; i < v.range_cnt; i++)
				sum += v.ranges[i].byte_count + v.ranges[i].byte_offset;
		} else if (v.range_cnt || v.ranges) {
			abort();
		}
	} else if (!why || !*why) {
		abort();
	}
	free(p);
	return sum == 0xdeadbeef;	/* keep the loads */
}
