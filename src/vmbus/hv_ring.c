// SPDX-License-Identifier: GPL-2.0-only
/*
 * One direction of a VMBus ring buffer (see hv_ring.h).
 *
 * The peer is untrusted: every index it can write is read once per
 * decision, checked (< size, 8-aligned) and only the checked copy is used;
 * a packet's descriptor is copied out of shared memory once, checked, and
 * the caller's copy is built from that checked descriptor.
 *
 * Free space: "raw free" is size - used (size when empty).  The writer
 * never fills the ring completely (write_index must not catch up with
 * read_index), so a packet of n bytes including its trailer fits when
 * n < raw free, i.e. n <= raw free - 8 = hv_ring_bytes_free().
 */
#include "hv_ring.h"

#define HV_RING_MAX_BYTES	0x80000000u	/* keeps index sums in a u32 */
#define HV_RING_DESC_SIZE	((u32)sizeof(struct vmbus_pkt_desc))

static inline bool hv_ring_index_ok(const struct hv_ring *r, u32 idx)
{
	return idx < r->size && !(idx & 7);
}

/* bytes between the reader at rd and the writer at wr */
static inline u32 hv_ring_used(const struct hv_ring *r, u32 wr, u32 rd)
{
	return wr >= rd ? wr - rd : r->size - rd + wr;
}

static inline u32 hv_ring_raw_free(const struct hv_ring *r, u32 wr, u32 rd)
{
	return r->size - hv_ring_used(r, wr, rd);
}

/*
 * The writer's view of the indices: write_index must be the one we
 * published, and read_index must lie in [seen_read, write index], walking
 * forward (wrapping) from seen_read.  A reader index outside that span
 * would claim data we never wrote was consumed, or take back space it had
 * freed: both are impossible for an honest reader, and a read_index ahead
 * of our write index would have us wait for room that never comes.
 */
static inline int hv_ring_writer_indices(const struct hv_ring *r, u32 *wr,
					 u32 *rd)
{
	u32 w = hv_load(r->ctl->write_index);
	u32 x = hv_load(r->ctl->read_index);

	if (hv_unlikely(w != r->priv_write || !hv_ring_index_ok(r, w) ||
			!hv_ring_index_ok(r, x)))
		return -EBADMSG;
	if (hv_unlikely(hv_ring_used(r, x, r->seen_read) >
			hv_ring_used(r, w, r->seen_read)))
		return -EBADMSG;
	*wr = w;
	*rd = x;
	return 0;
}

static inline u32 hv_ring_advance(const struct hv_ring *r, u32 idx, u32 len)
{
	idx += len;		/* idx < size, len <= size: no overflow */
	return idx >= r->size ? idx - r->size : idx;
}

/*
 * memcpy for the descriptor- and padding-sized pieces a packet is made
 * of: up to 16 bytes with two (possibly overlapping) loads and stores
 * instead of a call; longer copies go to memcpy.
 */
static inline void hv_copy(void *dst, const void *src, u32 len)
{
	u8 *d = dst;
	const u8 *s = src;

	if (len > 16) {
		memcpy(d, s, len);
	} else if (len >= 8) {
		u64 a, b;

		memcpy(&a, s, 8);
		memcpy(&b, s + len - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + len - 8, &b, 8);
	} else if (len >= 4) {
		u32 a, b;

		memcpy(&a, s, 4);
		memcpy(&b, s + len - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + len - 4, &b, 4);
	} else if (len) {
		u8 a = s[0], b = s[len / 2], c = s[len - 1];

		d[0] = a;
		d[len / 2] = b;
		d[len - 1] = c;
	}
}

/* Copy len bytes into the ring at pos, in at most two parts. */
static inline void hv_ring_copy_to(struct hv_ring *r, u32 pos,
				   const void *src, u32 len)
{
	u32 first = r->size - pos;

	if (hv_likely(len <= first)) {
		hv_copy(r->data + pos, src, len);
	} else {
		hv_copy(r->data + pos, src, first);
		hv_copy(r->data, (const u8 *)src + first, len - first);
	}
}

/* Copy len bytes out of the ring from pos, in at most two parts. */
static inline void hv_ring_copy_from(const struct hv_ring *r, u32 pos,
				     void *dst, u32 len)
{
	u32 first = r->size - pos;

	if (hv_likely(len <= first)) {
		hv_copy(dst, r->data + pos, len);
	} else {
		hv_copy(dst, r->data + pos, first);
		hv_copy((u8 *)dst + first, r->data, len - first);
	}
}

/* The 16-byte descriptor at an 8-aligned pos: two words, maybe wrapped. */
static inline void hv_ring_copy_desc(const struct hv_ring *r, u32 pos,
				     struct vmbus_pkt_desc *desc)
{
	u64 w[2];

	memcpy(&w[0], r->data + pos, 8);
	memcpy(&w[1], r->data + hv_ring_advance(r, pos, 8), 8);
	memcpy(desc, w, sizeof(w));
}

int hv_ring_setup(struct hv_ring *r, void *ring_base, u32 ring_bytes)
{
	u32 rd;

	if (!ring_base || ring_bytes % HV_PAGE_SIZE ||
	    ring_bytes < 2 * HV_PAGE_SIZE || ring_bytes > HV_RING_MAX_BYTES)
		return -EINVAL;

	r->ctl = ring_base;
	r->data = (u8 *)ring_base + VMBUS_RING_CONTROL_SIZE;
	r->size = ring_bytes - VMBUS_RING_CONTROL_SIZE;

	rd = hv_load(r->ctl->read_index);
	if (!hv_ring_index_ok(r, rd))
		return -EBADMSG;
	r->priv_read = rd;
	r->read_start = rd;
	/* a writer starts from the indices the ring holds now */
	r->seen_read = rd;
	r->priv_write = hv_load(r->ctl->write_index);
	return 0;
}

void hv_ring_set_features(struct hv_ring *r)
{
	u32 f = hv_load(r->ctl->feature_bits);

	hv_store(r->ctl->feature_bits, f | VMBUS_RING_FEAT_PENDING_SEND_SZ);
}

u32 hv_ring_bytes_free(const struct hv_ring *r)
{
	u32 wr, rd;

	if (hv_ring_writer_indices(r, &wr, &rd))
		return 0;
	return hv_ring_raw_free(r, wr, rd) - VMBUS_RING_TRAILER_SIZE;
}

/*
 * The slow path of hv_ring_write(): a packet that wraps, or ends exactly
 * at the end of the data area.  Returns the trailer's position.
 */
static hv_noinline u32 hv_ring_copy_segs_wrapped(struct hv_ring *r, u32 pos,
						 const struct hv_ring_seg *segs,
						 unsigned int nsegs)
{
	unsigned int i;

	for (i = 0; i < nsegs; i++) {
		hv_ring_copy_to(r, pos, segs[i].base, segs[i].len);
		pos = hv_ring_advance(r, pos, segs[i].len);
	}
	return pos;
}

int hv_ring_write(struct hv_ring *r, const struct hv_ring_seg *segs,
		  unsigned int nsegs, bool *signal)
{
	const struct hv_ring_seg *seg, *end = segs + nsegs;
	struct vmbus_ring_control *ctl = r->ctl;
	u32 size = r->size, wr = r->priv_write, seen = r->seen_read;
	u32 w, rd, to_w, to_rd, need;
	u64 total = 0, trailer;

	*signal = false;
	for (seg = segs; seg < end; seg++)
		total += seg->len;
	if (hv_unlikely((total & 7) || total < HV_RING_DESC_SIZE))
		return -EINVAL;
	/*
	 * An empty ring has size raw free bytes, and we may use all but 8:
	 * total + trailer <= size - 8 (size >= 4096, no underflow).
	 */
	if (hv_unlikely(total > size - 2 * VMBUS_RING_TRAILER_SIZE))
		return -EMSGSIZE;
	need = (u32)total + VMBUS_RING_TRAILER_SIZE;

	/*
	 * The writer's view of the indices (see hv_ring_writer_indices()):
	 * each shared index is read once, and only the checked copies are
	 * used.  write_index must be the one we published (and that one
	 * valid: setup takes it unchecked from the ring), read_index valid
	 * and, walking forward from seen_read, not past our write index.
	 * The distances from seen_read give the used bytes without another
	 * wrap test: used = to_w - to_rd once to_rd <= to_w.
	 */
	w = hv_load(ctl->write_index);
	rd = hv_load(ctl->read_index);
	if (hv_unlikely(w != wr || wr >= size || rd >= size || ((wr | rd) & 7)))
		return -EBADMSG;
	to_w = wr - seen + (wr < seen ? size : 0);
	to_rd = rd - seen + (rd < seen ? size : 0);
	if (hv_unlikely(to_rd > to_w))
		return -EBADMSG;
	r->seen_read = rd;
	/* raw free = size - used must exceed need: the ring is never full */
	if (size - (to_w - to_rd) <= need)
		return -EAGAIN;

	trailer = (u64)wr << 32;
	if (hv_likely(need < size - wr)) {
		/*
		 * The usual case: the packet and its trailer lie before the
		 * end, and the next write index is simply wr + need.  The
		 * trailer and priv_write (private until write_index is
		 * stored) go first, so that less is live across the copies.
		 */
		u8 *p = r->data + wr;

		memcpy(p + total, &trailer, sizeof(trailer));
		r->priv_write = wr + need;
		seg = segs;
		do {
			u32 len = seg->len;

			hv_copy(p, seg->base, len);
			p += len;
		} while (++seg < end);
	} else {
		u32 pos = hv_ring_copy_segs_wrapped(r, wr, segs, nsegs);

		/* pos is 8-aligned, size a multiple of 8: no trailer wrap */
		memcpy(r->data + pos, &trailer, sizeof(trailer));
		r->priv_write = hv_ring_advance(r, wr, need);
	}

	/* the packet must be visible before the index that publishes it */
	hv_wmb();
	/*
	 * Publish, then decide whether to signal: when the reader has
	 * interrupts on and had consumed everything before this packet.
	 * read_index is read again after publishing: a reader that drained
	 * meanwhile and went idle must be woken.  The store is a full
	 * barrier, ordering it before these loads (it pairs with the one in
	 * hv_ring_unmask_interrupts).
	 */
	ctl = r->ctl;
	hv_store_mb(ctl->write_index, r->priv_write);
	if (hv_load(ctl->interrupt_mask))
		return 0;
	hv_rmb();
	*signal = hv_load(ctl->read_index) == wr;
	return 0;
}

void hv_ring_set_pending_send(struct hv_ring *r, u32 bytes)
{
	/* round up: the reader compares against 8-aligned free space */
	bytes = bytes > 0xfffffff8u ? 0xfffffff8u : (bytes + 7) & ~7u;
	hv_store(r->ctl->pending_send_sz, bytes);
	/* the caller re-checks the free space after this: order the loads */
	hv_mb();
}

void hv_ring_clear_pending_send(struct hv_ring *r)
{
	hv_store(r->ctl->pending_send_sz, 0);
}

bool hv_ring_has_data(const struct hv_ring *r)
{
	u32 wr = hv_load(r->ctl->write_index);

	/* a corrupt index reports data so that the next read fails loudly */
	return !hv_ring_index_ok(r, wr) || wr != r->priv_read;
}

/*
 * Look at the next packet: copy its descriptor out once and check it
 * against the bytes the writer has published.  Returns the packet length
 * (without trailer) in *len.
 */
static inline int hv_ring_peek_desc(struct hv_ring *r,
				    struct vmbus_pkt_desc *desc, u32 *len)
{
	u32 wr = hv_load(r->ctl->write_index);
	u32 rd = r->priv_read, size = r->size;
	u32 avail, plen;

	if (hv_unlikely(wr >= size || (wr & 7)))
		return -EBADMSG;
	if (wr == rd)
		return -EAGAIN;
	/* read write_index before the data it publishes */
	hv_rmb();

	/* rd is ours (checked at setup, moved by checked lengths only) */
	avail = wr - rd + (wr < rd ? size : 0);
	if (hv_unlikely(avail < HV_RING_DESC_SIZE + VMBUS_RING_TRAILER_SIZE))
		return -EBADMSG;
	/* rd is 8-aligned: only a descriptor at size - 8 wraps */
	if (hv_likely(size - rd >= HV_RING_DESC_SIZE))
		memcpy(desc, r->data + rd, HV_RING_DESC_SIZE);
	else
		hv_ring_copy_desc(r, rd, desc);

	plen = (u32)desc->len8 * 8;
	if (hv_unlikely(desc->offset8 < 2 || desc->offset8 > desc->len8 ||
			plen + VMBUS_RING_TRAILER_SIZE > avail))
		return -EBADMSG;
	*len = plen;
	return 0;
}

/* The slow path of hv_ring_read(): a packet that wraps. */
static hv_noinline void hv_ring_read_wrapped(const struct hv_ring *r, u32 rd,
					     void *buf, u32 len)
{
	hv_ring_copy_from(r, hv_ring_advance(r, rd, HV_RING_DESC_SIZE),
			  (u8 *)buf + HV_RING_DESC_SIZE,
			  len - HV_RING_DESC_SIZE);
}

int hv_ring_read(struct hv_ring *r, void *buf, u32 buf_len, u32 *pkt_len)
{
	struct vmbus_pkt_desc desc;
	u32 len, rd, next;
	int ret;

	ret = hv_ring_peek_desc(r, &desc, &len);
	if (ret)
		return ret;
	*pkt_len = len;
	if (len > buf_len)
		return -ENOBUFS;

	/*
	 * The checked descriptor, then the body after it.  priv_read is
	 * private (published only by hv_ring_commit_read()), so it may move
	 * before the copy: nothing is live across the memcpy call then.
	 */
	memcpy(buf, &desc, HV_RING_DESC_SIZE);
	rd = r->priv_read;
	next = rd + len + VMBUS_RING_TRAILER_SIZE;
	if (hv_likely(next < r->size)) {
		/* no wrap, and the next packet starts before the end */
		r->priv_read = next;
		memcpy((u8 *)buf + HV_RING_DESC_SIZE,
		       r->data + rd + HV_RING_DESC_SIZE,
		       len - HV_RING_DESC_SIZE);
	} else {
		r->priv_read = next - r->size;
		hv_ring_read_wrapped(r, rd, buf, len);
	}
	return 0;
}

int hv_ring_skip(struct hv_ring *r)
{
	struct vmbus_pkt_desc desc;
	u32 len;
	int ret;

	ret = hv_ring_peek_desc(r, &desc, &len);
	if (ret)
		return ret;
	r->priv_read = hv_ring_advance(r, r->priv_read,
				       len + VMBUS_RING_TRAILER_SIZE);
	return 0;
}

/*
 * Signal a blocked writer when this commit moved the raw free space from
 * "before <= pending" to "pending < after".  That is Linux's rule
 * (hv_pkt_iter_close) in raw-free units; openvmm's (commit_read:
 * old_free < pending <= new_free, pending masked with ~7) is the same
 * rule expressed in usable-free units (raw - 8), so both hosts' writers
 * are woken exactly when their packet of 'pending' bytes fits.
 */
void hv_ring_commit_read(struct hv_ring *r, bool *signal)
{
	u32 start = r->read_start;
	u32 now = r->priv_read;
	u32 pending, wr, after, before, done;

	*signal = false;
	if (now == start)
		return;
	/* finish reading the packets before handing their space back */
	hv_rmb();
	hv_store(r->ctl->read_index, now);
	r->read_start = now;

	if (!(hv_load(r->ctl->feature_bits) & VMBUS_RING_FEAT_PENDING_SEND_SZ))
		return;
	/* our read_index store before the pending_send_sz load */
	hv_mb();
	pending = hv_load(r->ctl->pending_send_sz);
	if (!pending)
		return;
	hv_rmb();
	wr = hv_load(r->ctl->write_index);
	if (!hv_ring_index_ok(r, wr))
		return;

	after = hv_ring_raw_free(r, wr, now);
	done = hv_ring_used(r, now, start);
	/* a writer claiming data we already consumed: don't underflow */
	before = after > done ? after - done : 0;
	*signal = before <= pending && pending < after;
}

void hv_ring_mask_interrupts(struct hv_ring *r)
{
	hv_store(r->ctl->interrupt_mask, 1);
	hv_mb();
}

bool hv_ring_unmask_interrupts(struct hv_ring *r)
{
	hv_store(r->ctl->interrupt_mask, 0);
	/* pairs with the writer's barrier between write_index and the mask */
	hv_mb();
	return hv_ring_has_data(r);
}

void hv_ring_get_state(const struct hv_ring *r, struct hv_ring_state *st)
{
	st->write_index = hv_load(r->ctl->write_index);
	st->read_index = hv_load(r->ctl->read_index);
	st->interrupt_mask = hv_load(r->ctl->interrupt_mask);
	st->pending_send_sz = hv_load(r->ctl->pending_send_sz);
	if (hv_ring_index_ok(r, st->write_index) &&
	    hv_ring_index_ok(r, st->read_index)) {
		st->bytes_avail_read = hv_ring_used(r, st->write_index,
						    st->read_index);
		st->bytes_avail_write = r->size - st->bytes_avail_read;
	} else {
		st->bytes_avail_read = 0;
		st->bytes_avail_write = 0;
	}
}
