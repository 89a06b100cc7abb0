// SPDX-License-Identifier: GPL-2.0-only
/*
 * Deterministic ring tests: layout, wrap-around, boundaries, signalling
 * and everything a hostile peer can put in the control page or a
 * descriptor.
 */
#include "ring_util.h"
#include "test.h"

#define TEST_SUITE "ring"
#define RING2	(2 * HV_PAGE_SIZE)	/* 4096 data bytes */

static u8 src[HV_PAGE_SIZE * 4];
static u8 dst[HV_PAGE_SIZE * 4];

static u64 trailer_at(struct tring *t, u32 pos)
{
	u64 v;

	memcpy(&v, t->data + pos, 8);
	return v;
}

TEST(setup_rejects_bad_geometry)
{
	static u8 mem[3 * HV_PAGE_SIZE] __attribute__((aligned(4096)));
	struct vmbus_ring_control *ctl = (void *)mem;
	struct hv_ring r;

	CHECK_EQ(hv_ring_setup(&r, NULL, RING2), -EINVAL);
	CHECK_EQ(hv_ring_setup(&r, mem, HV_PAGE_SIZE), -EINVAL);
	CHECK_EQ(hv_ring_setup(&r, mem, RING2 + 8), -EINVAL);
	CHECK_EQ(hv_ring_setup(&r, mem, 0), -EINVAL);
	CHECK_EQ(hv_ring_setup(&r, mem, 0x80001000u), -EINVAL);
	CHECK_EQ(hv_ring_setup(&r, mem, RING2), 0);
	CHECK_EQ(r.size, HV_PAGE_SIZE);
	CHECK(r.data == mem + HV_PAGE_SIZE);
	ctl->read_index = 12;
	CHECK_EQ(hv_ring_setup(&r, mem, RING2), -EBADMSG);
	ctl->read_index = HV_PAGE_SIZE;
	CHECK_EQ(hv_ring_setup(&r, mem, RING2), -EBADMSG);
	ctl->read_index = 2 * HV_PAGE_SIZE - 8;		/* valid in a 3-page ring */
	CHECK_EQ(hv_ring_setup(&r, mem, 3 * HV_PAGE_SIZE), 0);
	CHECK_EQ(r.priv_read, 2 * HV_PAGE_SIZE - 8);
}

TEST(layout_descriptor_payload_trailer)
{
	struct tring t;
	struct vmbus_pkt_desc d;
	bool sig;
	u32 len;

	CHECK_EQ(tring_init(&t, RING2), 0);
	fill_pattern(src, 13, 7);
	CHECK_EQ(put_pkt(&t.w, 0x1122334455667788ull, src, 13, &sig), 0);
	/* 16 descriptor + 16 padded payload, then the trailer */
	CHECK_EQ(t.ctl->write_index, 40);
	memcpy(&d, t.data, 16);
	CHECK_EQ(d.type, VMBUS_PKT_DATA_INBAND);
	CHECK_EQ(d.offset8, 2);
	CHECK_EQ(d.len8, 4);
	CHECK(d.trans_id == 0x1122334455667788ull);
	CHECK(!memcmp(t.data + 16, src, 13));
	CHECK(!memcmp(t.data + 29, "\0\0\0", 3));
	CHECK(trailer_at(&t, 32) == 0);		/* started at offset 0 */
	CHECK_EQ(put_pkt(&t.w, 2, src, 8, &sig), 0);
	CHECK(trailer_at(&t, 40 + 24) == (u64)40 << 32);

	CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
	CHECK_EQ(len, 32);
	CHECK(!memcmp(dst, t.data, 32));
	tring_free(&t);
}

TEST(write_rejects_bad_lengths)
{
	struct tring t;
	struct hv_ring_seg s[2];
	struct vmbus_pkt_desc d;
	bool sig = true;

	CHECK_EQ(tring_init(&t, RING2), 0);
	make_desc(&d, VMBUS_PKT_DATA_INBAND, 0, 1);
	s[0].base = &d;
	s[0].len = 12;
	CHECK_EQ(hv_ring_write(&t.w, s, 1, &sig), -EINVAL);	/* not 8-aligned */
	CHECK(!sig);
	s[0].len = 8;
	CHECK_EQ(hv_ring_write(&t.w, s, 1, &sig), -EINVAL);	/* no descriptor */
	CHECK_EQ(hv_ring_write(&t.w, s, 0, &sig), -EINVAL);
	s[0].len = 16;
	s[1].base = src;
	s[1].len = 0xfffffff0u;				/* would overflow a u32 */
	CHECK_EQ(hv_ring_write(&t.w, s, 2, &sig), -EMSGSIZE);
	CHECK_EQ(t.ctl->write_index, 0);
	tring_free(&t);
}

/* Every payload length 0..64 split into two segments at every position. */
TEST(roundtrip_every_alignment)
{
	struct tring t;
	u32 plen, split, len;
	u64 seq = 0;
	bool sig;

	CHECK_EQ(tring_init(&t, RING2), 0);
	for (plen = 0; plen <= 64; plen++) {
		for (split = 0; split <= plen; split++) {
			struct vmbus_pkt_desc d;

			fill_pattern(src, plen, ++seq);
			CHECK_EQ(put_pkt_split(&t.w, seq, src, plen, split, &sig), 0);
			memset(dst, 0xa5, 128);
			CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
			CHECK_EQ(len, 16 + round8(plen));
			memcpy(&d, dst, 16);
			CHECK(d.trans_id == seq);
			CHECK_EQ(d.len8 * 8, len);
			CHECK(check_pattern(dst + 16, plen, seq));
			CHECK(!memcmp(dst + 16 + plen, "\0\0\0\0\0\0\0",
				      round8(plen) - plen));
			hv_ring_commit_read(&t.r, &sig);
			CHECK_EQ(t.ctl->read_index, t.ctl->write_index);
		}
	}
	tring_free(&t);
}

/*
 * Start at every 8-byte offset of the data area, with payload sizes that
 * put the wrap inside the descriptor, the payload and at the trailer.
 * Nothing outside the packet's bytes may change.
 */
TEST(wraparound_every_offset)
{
	static const u32 sizes[] = { 0, 1, 8, 100, 200, 1000, 4000 };
	struct tring t;
	u32 o, k, i, len;
	u64 seq = 0;
	bool sig;

	CHECK_EQ(tring_init(&t, RING2), 0);
	for (o = 0; o < t.size; o += 8) {
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			u32 plen = sizes[k], need = pkt_need(plen);
			u32 tpos = (o + need - 8) % t.size;

			memset(t.data, 0xee, t.size);
			CHECK_EQ(tring_reset_at(&t, o), 0);
			fill_pattern(src, plen, ++seq);
			CHECK_EQ(put_pkt(&t.w, seq, src, plen, &sig), 0);
			CHECK(sig);
			CHECK_EQ(t.ctl->write_index, (o + need) % t.size);
			CHECK(trailer_at(&t, tpos) == (u64)o << 32);
			for (i = need; i < t.size; i++)
				CHECK_MSG(t.data[(o + i) % t.size] == 0xee,
					  "offset %u size %u: byte %u touched",
					  o, plen, (o + i) % t.size);
			CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
			CHECK_EQ(len, need - 8);
			CHECK(check_pattern(dst + 16, plen, seq));
			CHECK(((struct vmbus_pkt_desc *)dst)->trans_id == seq);
			hv_ring_commit_read(&t.r, &sig);
			CHECK_EQ(t.ctl->read_index, t.ctl->write_index);
			CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), -EAGAIN);
		}
	}
	tring_free(&t);
}

/*
 * The write and read fast paths (a packet and its trailer before the end
 * of the data area) against the wrapping ones, at every offset of the
 * last 320 bytes and the first ones: packets that end exactly at the end
 * (trailer at 0), whose trailer is the last word, that wrap inside the
 * descriptor, the payload or between segments, made of segments of every
 * size class the copy distinguishes (0, 1-3, 4-7, 8-16, > 16 bytes; a
 * descriptor split over two segments).  The reader's buffer is exactly
 * the packet, so a copy past it trips ASan.
 */
TEST(fast_path_boundaries_by_segments)
{
	/* segment count, then the segment lengths */
	static const u32 layouts[][6] = {
		{ 2, 16, 64 }, { 3, 16, 1, 7 }, { 4, 16, 3, 5, 8 },
		{ 3, 24, 16, 8 }, { 3, 16, 17, 15 }, { 4, 16, 0, 8, 0 },
		{ 3, 8, 8, 16 }, { 1, 16 }, { 4, 16, 200, 2, 6 }, { 1, 40 },
	};
	static u8 pkt[512];
	struct tring t;
	u32 o, k, i, len;
	u64 seq = 0;
	bool sig;

	CHECK_EQ(tring_init(&t, RING2), 0);
	for (o = 0; o < t.size; o += 8) {
		if (o == 64)
			o = t.size - 320;
		for (k = 0; k < sizeof(layouts) / sizeof(layouts[0]); k++) {
			struct hv_ring_seg segs[5];
			u32 n, total = 0, need, next;
			u8 *buf;

			for (n = 0; n < layouts[k][0]; n++) {
				segs[n].base = pkt + total;
				segs[n].len = layouts[k][n + 1];
				total += segs[n].len;
			}
			need = total + 8;
			next = (o + need) % t.size;
			fill_pattern(pkt, total, ++seq);
			make_desc((struct vmbus_pkt_desc *)pkt,
				  VMBUS_PKT_DATA_INBAND, total - 16, seq);

			memset(t.data, 0xee, t.size);
			CHECK_EQ(tring_reset_at(&t, o), 0);
			CHECK_EQ(hv_ring_write(&t.w, segs, n, &sig), 0);
			CHECK_EQ(t.ctl->write_index, next);
			CHECK_EQ(t.w.priv_write, next);
			for (i = 0; i < total; i++)
				CHECK_MSG(t.data[(o + i) % t.size] == pkt[i],
					  "offset %u layout %u: byte %u", o, k, i);
			CHECK(trailer_at(&t, (o + total) % t.size) == (u64)o << 32);
			for (i = need; i < t.size; i++)
				CHECK_MSG(t.data[(o + i) % t.size] == 0xee,
					  "offset %u layout %u: byte %u touched",
					  o, k, (o + i) % t.size);

			buf = malloc(total);
			CHECK(buf);
			CHECK_EQ(hv_ring_read(&t.r, buf, total - 8, &len), -ENOBUFS);
			CHECK_EQ(len, total);
			CHECK_EQ(t.r.priv_read, o);
			len = 0;
			CHECK_EQ(hv_ring_read(&t.r, buf, total, &len), 0);
			CHECK_EQ(len, total);
			CHECK_EQ(t.r.priv_read, next);
			CHECK_MSG(!memcmp(buf, pkt, total),
				  "offset %u layout %u: read back differs", o, k);
			free(buf);
			CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), -EAGAIN);
			hv_ring_commit_read(&t.r, &sig);
			CHECK_EQ(t.ctl->read_index, next);
		}
	}
	tring_free(&t);
}

TEST(full_empty_boundaries)
{
	struct tring t;
	u32 o, free0, len, base;
	bool sig;

	CHECK_EQ(tring_init(&t, RING2), 0);
	for (o = 0; o < t.size; o += 8 * 61) {
		u32 data_sum = 0, i;

		CHECK_EQ(tring_reset_at(&t, o), 0);
		/* empty: the biggest packet is size - 8 with its trailer */
		CHECK_EQ(hv_ring_bytes_free(&t.w), t.size - 8);
		CHECK_EQ(put_pkt(&t.w, 1, src, t.size - 8 - 16 - 8 + 8, &sig), -EMSGSIZE);
		CHECK_EQ(put_pkt(&t.w, 1, src, t.size - 8 - 16 - 8, &sig), 0);
		CHECK_EQ(hv_ring_bytes_free(&t.w), 0);
		CHECK(t.ctl->write_index != t.ctl->read_index);
		CHECK_EQ(put_pkt(&t.w, 2, src, 0, &sig), -EAGAIN);
		CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
		CHECK_EQ(len, t.size - 16);
		hv_ring_commit_read(&t.r, &sig);
		CHECK_EQ(hv_ring_bytes_free(&t.w), t.size - 8);

		/* partly full: exactly-fits passes, 8 more fails untouched */
		base = t.ctl->write_index;
		CHECK_EQ(base, (o + t.size - 8) % t.size);
		CHECK_EQ(put_pkt(&t.w, 3, src, 1000, &sig), 0);
		free0 = hv_ring_bytes_free(&t.w);
		CHECK_EQ(free0, t.size - pkt_need(1000) - 8);
		for (i = 0; i < t.size; i++)
			data_sum = data_sum * 31 + t.data[i];
		CHECK_EQ(put_pkt(&t.w, 4, src, free0 - 24 + 8, &sig), -EAGAIN);
		CHECK_EQ(t.ctl->write_index, (base + pkt_need(1000)) % t.size);
		{
			u32 again = 0;

			for (i = 0; i < t.size; i++)
				again = again * 31 + t.data[i];
			CHECK_MSG(again == data_sum, "a refused write changed the ring");
		}
		CHECK_EQ(put_pkt(&t.w, 4, src, free0 - 24, &sig), 0);
		CHECK_EQ(hv_ring_bytes_free(&t.w), 0);
		CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
		CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
		CHECK_EQ(len, free0 - 8);
		CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), -EAGAIN);
		hv_ring_commit_read(&t.r, &sig);
	}
	tring_free(&t);
}

TEST(writer_signal_empty_to_nonempty)
{
	struct tring t;
	bool sig;
	u32 len;

	CHECK_EQ(tring_init(&t, RING2), 0);
	CHECK_EQ(put_pkt(&t.w, 1, src, 10, &sig), 0);
	CHECK(sig);
	CHECK_EQ(put_pkt(&t.w, 2, src, 10, &sig), 0);
	CHECK(!sig);				/* not empty before */
	CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
	hv_ring_commit_read(&t.r, &sig);
	CHECK_EQ(put_pkt(&t.w, 3, src, 10, &sig), 0);
	CHECK(!sig);				/* one packet still unread */
	CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
	CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
	CHECK_EQ(put_pkt(&t.w, 4, src, 10, &sig), 0);
	CHECK(!sig);				/* read but not yet committed */
	CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
	hv_ring_commit_read(&t.r, &sig);
	CHECK_EQ(put_pkt(&t.w, 5, src, 10, &sig), 0);
	CHECK(sig);				/* drained and published */
	tring_free(&t);
}

TEST(writer_signal_masked)
{
	struct tring t;
	bool sig;
	u32 len;

	CHECK_EQ(tring_init(&t, RING2), 0);
	hv_ring_mask_interrupts(&t.r);
	CHECK_EQ(t.ctl->interrupt_mask, 1);
	CHECK_EQ(put_pkt(&t.w, 1, src, 10, &sig), 0);
	CHECK(!sig);
	/* unmasking with data pending tells the reader to poll again */
	CHECK(hv_ring_unmask_interrupts(&t.r));
	CHECK_EQ(t.ctl->interrupt_mask, 0);
	hv_ring_mask_interrupts(&t.r);
	CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
	hv_ring_commit_read(&t.r, &sig);
	CHECK(!hv_ring_unmask_interrupts(&t.r));
	CHECK_EQ(put_pkt(&t.w, 2, src, 10, &sig), 0);
	CHECK(sig);
	/* any non-zero mask value counts as masked */
	CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
	hv_ring_commit_read(&t.r, &sig);
	t.ctl->interrupt_mask = 0x80000000u;
	CHECK_EQ(put_pkt(&t.w, 3, src, 10, &sig), 0);
	CHECK(!sig);
	tring_free(&t);
}

/* Fill a 4096-byte ring with seven 512-byte packets (the eighth can't fit). */
static int fill_512(struct tring *t)
{
	bool sig;
	int i, ret;

	for (i = 0; i < 7; i++) {
		ret = put_pkt(&t->w, i, src, 512 - 24, &sig);
		if (ret)
			return ret;
	}
	return put_pkt(&t->w, 7, src, 512 - 24, &sig) == -EAGAIN ? 0 : -1;
}

static int read_n(struct tring *t, int n)
{
	u32 len;
	int ret;

	while (n--) {
		ret = hv_ring_read(&t->r, dst, sizeof(dst), &len);
		if (ret)
			return ret;
	}
	return 0;
}

TEST(pending_send_crossing)
{
	struct tring t;
	bool sig;

	CHECK_EQ(tring_init(&t, RING2), 0);
	hv_ring_set_features(&t.w);
	CHECK_EQ(t.ctl->feature_bits & 1, 1);
	CHECK_EQ(fill_512(&t), 0);
	/* raw free is 512: a 512-byte packet must wait */
	hv_ring_set_pending_send(&t.w, 512);
	CHECK_EQ(t.ctl->pending_send_sz, 512);
	CHECK_EQ(read_n(&t, 1), 0);
	hv_ring_commit_read(&t.r, &sig);
	CHECK(sig);			/* 512 -> 1024 crosses 512 */
	CHECK_EQ(put_pkt(&t.w, 8, src, 512 - 24, &sig), 0);
	hv_ring_clear_pending_send(&t.w);
	CHECK_EQ(t.ctl->pending_send_sz, 0);
	CHECK_EQ(read_n(&t, 1), 0);
	hv_ring_commit_read(&t.r, &sig);
	CHECK(!sig);			/* nobody waiting */
	tring_free(&t);
}

TEST(pending_send_boundary_exact)
{
	struct tring t;
	bool sig;

	CHECK_EQ(tring_init(&t, RING2), 0);
	hv_ring_set_features(&t.w);
	CHECK_EQ(fill_512(&t), 0);
	/* the writer needs 1536 bytes: raw free must exceed 1536 */
	hv_ring_set_pending_send(&t.w, 1536);
	CHECK_EQ(read_n(&t, 1), 0);
	hv_ring_commit_read(&t.r, &sig);	/* 512 -> 1024 */
	CHECK(!sig);
	CHECK_EQ(put_pkt(&t.w, 9, src, 1536 - 24, &sig), -EAGAIN);
	CHECK_EQ(read_n(&t, 1), 0);
	hv_ring_commit_read(&t.r, &sig);	/* 1024 -> 1536: not yet */
	CHECK(!sig);
	CHECK_EQ(put_pkt(&t.w, 9, src, 1536 - 24, &sig), -EAGAIN);
	CHECK_EQ(read_n(&t, 1), 0);
	hv_ring_commit_read(&t.r, &sig);	/* 1536 -> 2048: now it fits */
	CHECK(sig);
	CHECK_EQ(read_n(&t, 1), 0);
	hv_ring_commit_read(&t.r, &sig);	/* 2048 -> 2560: already above */
	CHECK(!sig);
	CHECK_EQ(put_pkt(&t.w, 9, src, 1536 - 24, &sig), 0);
	tring_free(&t);
}

TEST(pending_send_batch_commit)
{
	struct tring t;
	bool sig;

	CHECK_EQ(tring_init(&t, RING2), 0);
	hv_ring_set_features(&t.w);
	CHECK_EQ(fill_512(&t), 0);
	hv_ring_set_pending_send(&t.w, 1536);
	CHECK_EQ(read_n(&t, 3), 0);
	hv_ring_commit_read(&t.r, &sig);	/* 512 -> 2048 in one go */
	CHECK(sig);
	hv_ring_commit_read(&t.r, &sig);	/* nothing new read */
	CHECK(!sig);
	tring_free(&t);
}

TEST(pending_send_no_feature_or_zero)
{
	struct tring t;
	bool sig;

	CHECK_EQ(tring_init(&t, RING2), 0);
	CHECK_EQ(fill_512(&t), 0);
	hv_ring_set_pending_send(&t.w, 512);
	CHECK_EQ(read_n(&t, 1), 0);
	hv_ring_commit_read(&t.r, &sig);	/* feature bit off */
	CHECK(!sig);

	hv_ring_set_features(&t.w);
	CHECK_EQ(put_pkt(&t.w, 7, src, 512 - 24, &sig), 0);
	hv_ring_clear_pending_send(&t.w);
	CHECK_EQ(read_n(&t, 1), 0);
	hv_ring_commit_read(&t.r, &sig);	/* pending_send_sz 0 */
	CHECK(!sig);

	/* rounding: 505 is stored as 512 */
	hv_ring_set_pending_send(&t.w, 505);
	CHECK_EQ(t.ctl->pending_send_sz, 512);
	hv_ring_set_pending_send(&t.w, 0xffffffffu);
	CHECK_EQ(t.ctl->pending_send_sz, 0xfffffff8u);
	/* a pending size above the ring never fires */
	CHECK_EQ(read_n(&t, 5), 0);
	hv_ring_commit_read(&t.r, &sig);
	CHECK(!sig);
	tring_free(&t);
}

TEST(corrupt_write_index)
{
	static const u32 bad[] = { 4, 4095, 4096, 4104, 0xfffffff8u, 1 };
	struct tring t;
	struct hv_ring_state st;
	unsigned int i;
	bool sig;
	u32 len;

	CHECK_EQ(tring_init(&t, RING2), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t.ctl->write_index = bad[i];
		CHECK(hv_ring_has_data(&t.r));
		CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), -EBADMSG);
		CHECK_EQ(hv_ring_skip(&t.r), -EBADMSG);
		CHECK_EQ(t.r.priv_read, 0);
		CHECK_EQ(put_pkt(&t.w, 1, src, 8, &sig), -EBADMSG);
		CHECK_EQ(hv_ring_bytes_free(&t.w), 0);
		hv_ring_get_state(&t.r, &st);
		CHECK_EQ(st.write_index, bad[i]);
		CHECK_EQ(st.bytes_avail_read, 0);
		CHECK_EQ(st.bytes_avail_write, 0);
	}
	/* commit must not compute a signal from a corrupt index */
	t.ctl->write_index = 0;
	hv_ring_set_features(&t.w);
	CHECK_EQ(put_pkt(&t.w, 1, src, 8, &sig), 0);
	CHECK_EQ(read_n(&t, 1), 0);
	t.ctl->pending_send_sz = 8;
	t.ctl->write_index = 12;
	hv_ring_commit_read(&t.r, &sig);
	CHECK(!sig);
	CHECK_EQ(t.ctl->read_index, 32);
	tring_free(&t);
}

TEST(corrupt_read_index)
{
	static const u32 bad[] = { 4, 4096, 0xfffffff8u };
	struct tring t;
	unsigned int i;
	bool sig;

	CHECK_EQ(tring_init(&t, RING2), 0);
	memset(t.data, 0x5a, t.size);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		u32 k;

		t.ctl->read_index = bad[i];
		CHECK_EQ(put_pkt(&t.w, 1, src, 8, &sig), -EBADMSG);
		CHECK_EQ(t.ctl->write_index, 0);
		for (k = 0; k < t.size; k++)
			CHECK(t.data[k] == 0x5a);
		CHECK_EQ(hv_ring_bytes_free(&t.w), 0);
	}
	tring_free(&t);
}

/*
 * issue 14 item 15: a reader index the reader cannot have reached (ahead of
 * the data we wrote, or behind what it already gave back) is corruption.
 * Before the check, an aligned read_index just ahead of write_index made
 * the ring look almost full for ever (or let a small packet overwrite the
 * "unread" bytes).  Positions are tried all around the ring (wrap-around).
 */
TEST(read_index_outside_reader_span)
{
	struct tring t;
	u32 o, len, wr, rd0;
	bool sig;

	CHECK_EQ(tring_init(&t, RING2), 0);
	for (o = 0; o < t.size; o += 8 * 37) {
		CHECK_EQ(tring_reset_at(&t, o), 0);
		/* two packets written, the reader consumed the first */
		CHECK_EQ(put_pkt(&t.w, 1, src, 200, &sig), 0);
		CHECK_EQ(put_pkt(&t.w, 2, src, 200, &sig), 0);
		CHECK_EQ(read_n(&t, 1), 0);
		hv_ring_commit_read(&t.r, &sig);
		wr = t.ctl->write_index;
		rd0 = t.ctl->read_index;
		CHECK_EQ(hv_ring_bytes_free(&t.w), t.size - pkt_need(200) - 8);
		/* anywhere in [read, write] is honest: the reader may be there */
		t.ctl->read_index = wr;
		CHECK_EQ(hv_ring_bytes_free(&t.w), t.size - 8);
		t.ctl->read_index = rd0;
		CHECK_EQ(hv_ring_bytes_free(&t.w), t.size - pkt_need(200) - 8);

		/* just ahead of our write index: free space would be 56 */
		t.ctl->read_index = (wr + 64) % t.size;
		CHECK_EQ(hv_ring_bytes_free(&t.w), 0);
		CHECK_EQ(put_pkt(&t.w, 3, src, 200, &sig), -EBADMSG);	/* not -EAGAIN */
		CHECK_EQ(put_pkt(&t.w, 3, src, 8, &sig), -EBADMSG);	/* not 0 */
		CHECK_EQ(t.ctl->write_index, wr);
		/* far ahead: just behind the index the writer saw last (o) */
		t.ctl->read_index = (o + t.size - 8) % t.size;
		CHECK_EQ(put_pkt(&t.w, 3, src, 8, &sig), -EBADMSG);
		CHECK_EQ(hv_ring_bytes_free(&t.w), 0);
		/* an honest index again: the ring works (the caller decides) */
		t.ctl->read_index = rd0;
		CHECK_EQ(put_pkt(&t.w, 3, src, 8, &sig), 0);
		CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
		CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
		hv_ring_commit_read(&t.r, &sig);
		CHECK_EQ(t.ctl->read_index, t.ctl->write_index);
		CHECK_EQ(hv_ring_bytes_free(&t.w), t.size - 8);
	}
	tring_free(&t);
}

/* Our own write_index, scribbled on by the peer, is corruption too. */
TEST(write_index_moved_by_reader)
{
	struct tring t;
	bool sig;
	u32 wr;

	CHECK_EQ(tring_init(&t, RING2), 0);
	CHECK_EQ(put_pkt(&t.w, 1, src, 64, &sig), 0);
	wr = t.ctl->write_index;
	t.ctl->write_index = wr + 64;
	CHECK_EQ(put_pkt(&t.w, 2, src, 8, &sig), -EBADMSG);
	CHECK_EQ(hv_ring_bytes_free(&t.w), 0);
	t.ctl->write_index = wr;
	CHECK_EQ(put_pkt(&t.w, 2, src, 8, &sig), 0);
	tring_free(&t);
}

/* Put a hand-made descriptor at the reader's position, publish 'avail'. */
static int bad_desc(struct tring *t, u32 at, u16 off8, u16 len8, u32 avail)
{
	struct vmbus_pkt_desc d;
	u32 len;
	int ret;

	memset(&d, 0, sizeof(d));
	d.type = VMBUS_PKT_DATA_INBAND;
	d.offset8 = off8;
	d.len8 = len8;
	if (tring_reset_at(t, at))
		return -1000;
	raw_put(t, at, &d, sizeof(d));
	t->ctl->write_index = (at + avail) % t->size;
	ret = hv_ring_read(&t->r, dst, sizeof(dst), &len);
	if (ret == 0) {
		if (len != len8 * 8u)
			return -3000;
		if (t->r.priv_read != (at + len + 8) % t->size)
			return -2000;
		t->r.priv_read = at;
	} else if (t->r.priv_read != at) {
		return -2000;		/* a failed read must not advance */
	}
	if (hv_ring_skip(&t->r) != ret)
		return -4000;
	return ret;
}

TEST(bad_descriptors)
{
	struct tring t;
	u32 at;

	CHECK_EQ(tring_init(&t, RING2), 0);
	/* at 4088 the descriptor itself wraps */
	for (at = 0; at < t.size; at += 4088) {
		CHECK_EQ(bad_desc(&t, at, 4, 3, 64), -EBADMSG);	/* len8 < offset8 */
		CHECK_EQ(bad_desc(&t, at, 0, 4, 64), -EBADMSG);	/* offset8 0 */
		CHECK_EQ(bad_desc(&t, at, 1, 4, 64), -EBADMSG);	/* offset8 1 */
		CHECK_EQ(bad_desc(&t, at, 0, 0, 64), -EBADMSG);	/* len8 0 */
		CHECK_EQ(bad_desc(&t, at, 2, 0, 64), -EBADMSG);
		CHECK_EQ(bad_desc(&t, at, 2, 8, 64), -EBADMSG);	/* 64 + trailer > 64 */
		CHECK_EQ(bad_desc(&t, at, 2, 0xffff, 64), -EBADMSG);
		CHECK_EQ(bad_desc(&t, at, 2, 2, 16), -EBADMSG);	/* no room for trailer */
		CHECK_EQ(bad_desc(&t, at, 2, 2, 8), -EBADMSG);	/* not even a descriptor */
		/* the good neighbours of the cases above */
		CHECK_EQ(bad_desc(&t, at, 2, 7, 64), 0);
		CHECK_EQ(bad_desc(&t, at, 7, 7, 64), 0);
		CHECK_EQ(bad_desc(&t, at, 2, 2, 24), 0);
		CHECK_EQ(bad_desc(&t, at, 2, 2, 64), 0);
	}
	tring_free(&t);
}

TEST(enobufs_then_skip)
{
	struct tring t;
	bool sig;
	u32 len = 0;

	CHECK_EQ(tring_init(&t, RING2), 0);
	fill_pattern(src, 64, 1);
	CHECK_EQ(put_pkt(&t.w, 1, src, 64, &sig), 0);
	fill_pattern(src, 24, 2);
	CHECK_EQ(put_pkt(&t.w, 2, src, 24, &sig), 0);
	CHECK_EQ(hv_ring_read(&t.r, dst, 79, &len), -ENOBUFS);
	CHECK_EQ(len, 80);
	CHECK_EQ(hv_ring_read(&t.r, dst, 0, &len), -ENOBUFS);
	CHECK_EQ(t.r.priv_read, 0);
	CHECK(hv_ring_has_data(&t.r));
	CHECK_EQ(hv_ring_read(&t.r, dst, 80, &len), 0);	/* exactly big enough */
	CHECK(check_pattern(dst + 16, 64, 1));
	CHECK_EQ(put_pkt(&t.w, 3, src, 8, &sig), 0);
	CHECK_EQ(hv_ring_read(&t.r, dst, 16, &len), -ENOBUFS);
	CHECK_EQ(len, 40);
	CHECK_EQ(hv_ring_skip(&t.r), 0);		/* drop packet 2 */
	CHECK_EQ(hv_ring_read(&t.r, dst, sizeof(dst), &len), 0);
	CHECK(((struct vmbus_pkt_desc *)dst)->trans_id == 3);
	CHECK_EQ(hv_ring_skip(&t.r), -EAGAIN);
	hv_ring_commit_read(&t.r, &sig);
	CHECK_EQ(t.ctl->read_index, t.ctl->write_index);
	tring_free(&t);
}

TEST(commit_publishes_only_on_commit)
{
	struct tring t;
	bool sig;
	u32 free0;

	CHECK_EQ(tring_init(&t, RING2), 0);
	CHECK_EQ(fill_512(&t), 0);
	free0 = hv_ring_bytes_free(&t.w);
	CHECK_EQ(read_n(&t, 3), 0);
	CHECK_EQ(t.ctl->read_index, 0);
	CHECK_EQ(hv_ring_bytes_free(&t.w), free0);
	CHECK_EQ(put_pkt(&t.w, 8, src, 512 - 24, &sig), -EAGAIN);
	hv_ring_commit_read(&t.r, &sig);
	CHECK_EQ(t.ctl->read_index, 3 * 512);
	CHECK_EQ(hv_ring_bytes_free(&t.w), free0 + 3 * 512);
	CHECK_EQ(put_pkt(&t.w, 8, src, 512 - 24, &sig), 0);
	/* a second commit without reads changes nothing */
	t.ctl->read_index = 3 * 512;
	hv_ring_commit_read(&t.r, &sig);
	CHECK_EQ(t.ctl->read_index, 3 * 512);
	tring_free(&t);
}

TEST(state_snapshot)
{
	struct tring t;
	struct hv_ring_state st;
	bool sig;

	CHECK_EQ(tring_init(&t, RING2), 0);
	CHECK_EQ(put_pkt(&t.w, 1, src, 100, &sig), 0);
	hv_ring_set_pending_send(&t.w, 64);
	hv_ring_mask_interrupts(&t.r);
	hv_ring_get_state(&t.r, &st);
	CHECK_EQ(st.write_index, pkt_need(100));
	CHECK_EQ(st.read_index, 0);
	CHECK_EQ(st.interrupt_mask, 1);
	CHECK_EQ(st.pending_send_sz, 64);
	CHECK_EQ(st.bytes_avail_read, pkt_need(100));
	CHECK_EQ(st.bytes_avail_write, t.size - pkt_need(100));
	tring_free(&t);
}
