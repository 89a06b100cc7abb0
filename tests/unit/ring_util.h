/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the ring tests: a ring in ordinary memory with a writer view
 * and a reader view, as the guest and the host would have.
 */
#ifndef HVLIS_RING_UTIL_H
#define HVLIS_RING_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "hv_ring.h"

struct tring {
	u8 *mem;
	u32 bytes;		/* control page + data */
	u32 size;		/* data bytes */
	struct vmbus_ring_control *ctl;
	u8 *data;
	struct hv_ring w;	/* writer's view */
	struct hv_ring r;	/* reader's view */
};

static inline int tring_init(struct tring *t, u32 bytes)
{
	int ret;

	t->mem = aligned_alloc(HV_PAGE_SIZE, bytes);
	if (!t->mem)
		return -ENOMEM;
	memset(t->mem, 0, bytes);
	t->bytes = bytes;
	t->size = bytes - HV_PAGE_SIZE;
	t->ctl = (struct vmbus_ring_control *)t->mem;
	t->data = t->mem + HV_PAGE_SIZE;
	ret = hv_ring_setup(&t->w, t->mem, bytes);
	if (!ret)
		ret = hv_ring_setup(&t->r, t->mem, bytes);
	return ret;
}

/* Start both views over at index pos, as if that much had gone through. */
static inline int tring_reset_at(struct tring *t, u32 pos)
{
	t->ctl->write_index = pos;
	t->ctl->read_index = pos;
	t->ctl->pending_send_sz = 0;
	return hv_ring_setup(&t->r, t->mem, t->bytes) ?:
	       hv_ring_setup(&t->w, t->mem, t->bytes);
}

static inline void tring_free(struct tring *t)
{
	free(t->mem);
	t->mem = NULL;
}

static inline u32 round8(u32 n)
{
	return (n + 7) & ~7u;
}

/* Ring bytes a packet with plen payload bytes takes, trailer included. */
static inline u32 pkt_need(u32 plen)
{
	return 16 + round8(plen) + 8;
}

static inline u8 pattern_byte(u64 seq, u32 i)
{
	u64 x = seq * 0x9e3779b97f4a7c15ull + i * 0xbf58476d1ce4e5b9ull;

	return (u8)(x >> 56) ^ (u8)i;
}

static inline void fill_pattern(u8 *p, u32 len, u64 seq)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = pattern_byte(seq, i);
}

static inline bool check_pattern(const u8 *p, u32 len, u64 seq)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern_byte(seq, i))
			return false;
	return true;
}

static inline void make_desc(struct vmbus_pkt_desc *d, u16 type, u32 plen,
			     u64 trans_id)
{
	memset(d, 0, sizeof(*d));
	d->type = type;
	d->offset8 = 2;
	d->len8 = (u16)((16 + round8(plen)) / 8);
	d->trans_id = trans_id;
}

/* Write an inband packet: descriptor, payload split at 'split', padding. */
static inline int put_pkt_split(struct hv_ring *w, u64 trans_id,
				const void *payload, u32 plen, u32 split,
				bool *signal)
{
	static const u8 zeros[8];
	struct vmbus_pkt_desc d;
	struct hv_ring_seg segs[4];

	make_desc(&d, VMBUS_PKT_DATA_INBAND, plen, trans_id);
	if (split > plen)
		split = plen;
	segs[0].base = &d;
	segs[0].len = sizeof(d);
	segs[1].base = payload;
	segs[1].len = split;
	segs[2].base = (const u8 *)payload + split;
	segs[2].len = plen - split;
	segs[3].base = zeros;
	segs[3].len = round8(plen) - plen;
	return hv_ring_write(w, segs, 4, signal);
}

static inline int put_pkt(struct hv_ring *w, u64 trans_id,
			  const void *payload, u32 plen, bool *signal)
{
	return put_pkt_split(w, trans_id, payload, plen, plen, signal);
}

/* Write raw bytes at a data offset (wrapping), as a misbehaving host would. */
static inline void raw_put(struct tring *t, u32 pos, const void *src, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		t->data[(pos + i) % t->size] = ((const u8 *)src)[i];
}

#endif /* HVLIS_RING_UTIL_H */
