// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the NVSP checks of hv_netvsc on arbitrary host
 * messages, and the transfer-page range check on arbitrary range tables.
 * Input: byte 0 selects the buffer size, the rest is the message (and,
 * read again as a range table, the ranges).
 */
#include <stdlib.h>
#include <string.h>

#include "nvsp_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u32 sizes[4] = { 65536, 1u << 20, 16u << 20, 31u << 20 };
	struct nvsp_recv_layout rl;
	struct nvsp_send_layout sl;
	struct nvsp_host_msg h;
	u32 table[NVSP_SEND_TABLE_SIZE];
	static u64 scratch[512];
	const char *why = NULL;
	u32 buf_size, granted, bad, i, a, b;
	u8 *p;

	if (size < 1 || size > 4096)
		return -1;
	buf_size = sizes[data[0] & 3];
	data++;
	size--;
	p = malloc(size ? size : 1);
	memcpy(p, data, size);

	if (nvsp_copy_msg(p, (u32)size, &h, &why) == 0) {
		if (h.len != size)
			abort();
		nvsp_check_init_complete(&h, &why);
		if (nvsp_check_recv_buf_complete(&h, buf_size, &rl, &why) == 0) {
			if ((u64)rl.sub_alloc_size * rl.num_sub_allocs > buf_size ||
			    rl.end_offset > buf_size)
				abort();
		}
		if (nvsp_check_send_buf_complete(&h, buf_size, &sl, &why) == 0) {
			if (!sl.section_size || sl.section_size > buf_size ||
			    !sl.num_sections ||
			    (u64)sl.num_sections * sl.section_size > buf_size)
				abort();
		}
		if (nvsp_check_subchannel_complete(&h, 8, &granted, &why) == 0 &&
		    granted > 8)
			abort();
	}
	(void)nvsp_parse_send_table(p, (u32)size, table, &why);
	if (size >= 8 && nvsp_check_xfer_ranges((const void *)p, (u32)(size / 8),
						buf_size, scratch, 512, &bad,
						&why) == 0) {
		const struct vmbus_xfer_range *r = (const void *)p;
		u32 j;

		for (i = 0; i < size / 8; i++) {
			if ((u64)r[i].byte_offset + r[i].byte_count > buf_size ||
			    r[i].byte_count < 8)
				abort();
			/* no two ranges overlap (checked the slow way) */
			for (j = i + 1; j < size / 8 && j < 64; j++)
				if (r[i].byte_offset < r[j].byte_offset + r[j].byte_count &&
				    r[j].byte_offset < r[i].byte_offset + r[i].byte_count)
					abort();
		}
	}
	if (size >= 8) {
		u64 tid;

		memcpy(&tid, p, 8);
		nvsp_tid_decode(tid, &a, &b);
	}
	free(p);
	return 0;
}
