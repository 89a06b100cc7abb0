// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: GPADL encoding.  Input: u16 pfn count, u8 selector
 * for byte_count, then pfn values (cycled).  Every message is built into
 * an exact 240-byte heap buffer, reassembled by the independent decoder
 * of the unit tests and compared with the input.
 */
#include <stdlib.h>
#include <string.h>

#include "gpadl_reasm.h"
#include "vmbus_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static u64 pfns[8200], back[8200];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gpadl_reasm ra;
	u32 npfns, count, idx, byte_count, i;
	u8 sel;
	u8 *buf;

	if (size < 3)
		return -1;
	npfns = (data[0] | data[1] << 8) % 8200;	/* includes 0 and > 8190 */
	sel = data[2];
	data += 3;
	size -= 3;
	for (i = 0; i < npfns; i++) {
		u64 v = 0;
		u32 k;

		for (k = 0; k < 8 && size; k++)
			v |= (u64)data[(i * 8 + k) % size] << (8 * k);
		pfns[i] = v ^ i;
	}
	/* mostly exact, sometimes a partial last page, sometimes wrong */
	byte_count = npfns * 4096u;
	if (sel & 1)
		byte_count -= sel >> 1;
	if ((sel & 0xc0) == 0xc0)
		byte_count += 4096u * (sel & 3);

	count = vmbus_gpadl_msg_count(npfns);
	if ((npfns == 0 || npfns > VMBUS_GPADL_MAX_PFNS) != (count == 0))
		abort();
	buf = malloc(HV_MESSAGE_PAYLOAD_MAX);
	gpadl_reasm_init(&ra, back, 8200);
	for (idx = 0; idx <= count; idx++) {
		u32 len = vmbus_gpadl_build_msg(idx, 1, 0xe1e10, pfns, npfns,
						byte_count, buf);

		if (idx == count) {
			if (len)
				abort();	/* past the last message */
			break;
		}
		if (len == 0) {
			/* only a byte_count that doesn't span npfns pages */
			if (byte_count && (byte_count + 4095ull) / 4096 == npfns)
				abort();
			goto out;
		}
		if (len > HV_MESSAGE_PAYLOAD_MAX || gpadl_reasm_feed(&ra, buf, len))
			abort();
	}
	if (count && (!gpadl_reasm_complete(&ra) || ra.total != npfns ||
		      ra.byte_count != byte_count ||
		      memcmp(back, pfns, 8ull * npfns)))
		abort();
out:
	free(buf);
	return 0;
}
