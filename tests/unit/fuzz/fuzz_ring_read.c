// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the ring reader against a hostile ring image.
 *
 * Input: [0] data pages - 1 (low 2 bits) and flags, [1] buffer size
 * selector, [2..5] op seed, then control fields write_index, read_index,
 * interrupt_mask, pending_send_sz, feature_bits (u32 each); the rest is
 * repeated over the data area.  The ring and the read buffer are heap
 * allocations of exactly their size, so ASan catches any access outside
 * them.  Ops (read, skip, commit, host moves write_index, write, mask)
 * are drawn from a PRNG seeded by the input.
 */
#include <stdlib.h>
#include <string.h>

#include "hv_ring.h"
#include "vmbus_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static u8 wsrc[512];

static u32 rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

static u32 next(u64 *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (u32)(*s >> 33);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u32 buf_sizes[] = { 0, 8, 16, 24, 40, 100, 256, 4096, 65536 };
	struct vmbus_ring_control *ctl;
	struct hv_ring r, w;
	u32 pages, ring_bytes, data_size, buf_len, i, iter;
	u8 flags, *mem, *buf;
	u64 seed;

	if (size < 26)
		return -1;
	flags = data[0];
	pages = 1 + (flags & 3);
	data_size = pages * HV_PAGE_SIZE;
	ring_bytes = data_size + HV_PAGE_SIZE;
	buf_len = buf_sizes[data[1] % (sizeof(buf_sizes) / sizeof(buf_sizes[0]))];
	seed = rd32(data + 2);

	mem = aligned_alloc(HV_PAGE_SIZE, ring_bytes);
	buf = malloc(buf_len ? buf_len : 1);
	memset(mem, 0, HV_PAGE_SIZE);
	ctl = (struct vmbus_ring_control *)mem;
	ctl->write_index = rd32(data + 6);
	ctl->read_index = rd32(data + 10);
	ctl->interrupt_mask = rd32(data + 14);
	ctl->pending_send_sz = rd32(data + 18);
	ctl->feature_bits = rd32(data + 22);
	/* often make the indices plausible so the packet checks get a go */
	if (flags & 4)
		ctl->write_index = (ctl->write_index % data_size) & ~7u;
	if (flags & 8)
		ctl->read_index = (ctl->read_index % data_size) & ~7u;
	data += 26;
	size -= 26;
	for (i = 0; i < data_size; i++)
		mem[HV_PAGE_SIZE + i] = size ? data[i % size] : 0;

	if (hv_ring_setup(&r, mem, ring_bytes) || hv_ring_setup(&w, mem, ring_bytes))
		goto out;

	for (iter = 0; iter < 64; iter++) {
		u32 op = next(&seed) % 16, len = 0;
		bool sig;
		int ret;

		if (op < 8) {
			ret = hv_ring_read(&r, buf, buf_len, &len);
			if (ret == 0) {
				struct vmbus_pkt_desc d;
				struct vmbus_pkt_view v;
				const char *why;

				if (len > buf_len || len < 16)
					abort();
				memcpy(&d, buf, sizeof(d));
				if (d.offset8 < 2 || d.offset8 > d.len8 ||
				    d.len8 * 8u != len)
					abort();
				/* the ring vouched for len8/offset8: only flags or
				 * a transfer-page table may still be wrong */
				ret = vmbus_pkt_parse(buf, len, &v, &why);
				if (ret && (!why || (!strstr(why, "flags") &&
						     !strstr(why, "transfer-page"))))
					abort();
			} else if (ret == -ENOBUFS) {
				if (len <= buf_len)
					abort();
				if (hv_ring_skip(&r))
					abort();	/* same packet, still valid */
			} else if (ret == -EBADMSG) {
				if (!hv_ring_has_data(&r))
					abort();
			} else if (ret != -EAGAIN) {
				abort();
			}
		} else if (op < 10) {
			ret = hv_ring_skip(&r);
			if (ret && ret != -EAGAIN && ret != -EBADMSG)
				abort();
		} else if (op < 12) {
			hv_ring_commit_read(&r, &sig);
		} else if (op < 13) {
			/* the host moves write_index while we read */
			u32 v = next(&seed);

			ctl->write_index = (v & 1) ? (v % data_size) & ~7u : v;
		} else if (op < 14) {
			struct hv_ring_seg seg[2];
			struct vmbus_pkt_desc d;
			u32 plen = (next(&seed) % 64) * 8;

			memset(&d, 0, sizeof(d));
			d.type = VMBUS_PKT_DATA_INBAND;
			d.offset8 = 2;
			d.len8 = (u16)(2 + plen / 8);
			seg[0].base = &d;
			seg[0].len = sizeof(d);
			seg[1].base = wsrc;
			seg[1].len = plen;
			ret = hv_ring_write(&w, seg, 2, &sig);
			if (ret && ret != -EAGAIN && ret != -EBADMSG)
				abort();
		} else if (op < 15) {
			struct hv_ring_state st;

			hv_ring_get_state(&r, &st);
			if (st.bytes_avail_read + st.bytes_avail_write != data_size &&
			    (st.bytes_avail_read || st.bytes_avail_write))
				abort();
			if (hv_ring_bytes_free(&w) > data_size - 8)
				abort();
		} else {
			hv_ring_mask_interrupts(&r);
			(void)hv_ring_unmask_interrupts(&r);
		}
	}
out:
	free(buf);
	free(mem);
	return 0;
}
