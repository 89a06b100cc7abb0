/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One direction of a VMBus ring buffer, as seen by one side.
 *
 * Pure protocol logic shared with tests/unit (and usable by a host-side
 * peer in tests): no locking, no allocation, no signalling.  The caller
 * serialises writers and readers of a ring and acts on the *signal
 * results.  Every index read from shared memory is validated before use;
 * a ring whose indices are impossible is reported as -EBADMSG and must
 * be considered broken by the caller.
 */
#ifndef HV_RING_H
#define HV_RING_H

#include "hv_port.h"
#include "vmbus_ring.h"

struct hv_ring {
	struct vmbus_ring_control *ctl;	/* shared control page */
	u8 *data;			/* shared data area */
	u32 size;			/* bytes in the data area */
	u32 priv_read;			/* reader: next packet, not yet published */
	u32 read_start;			/* reader: read_index when iteration began */
	u32 priv_write;			/* writer: our write_index, as published */
	u32 seen_read;			/* writer: the reader's last checked index */
};

struct hv_ring_seg {
	const void *base;
	u32 len;
};

/*
 * ring_base points at the control page; ring_bytes includes it and must
 * be a multiple of HV_PAGE_SIZE, at least two pages.  The data area is
 * assumed to follow the control page contiguously in this mapping.
 */
int hv_ring_setup(struct hv_ring *r, void *ring_base, u32 ring_bytes);

/* Mark this side as honouring pending_send_sz (feature bit 0). */
void hv_ring_set_features(struct hv_ring *r);

/*
 * Writer side.  hv_ring_bytes_free() is the largest packet, trailer
 * included, that hv_ring_write() would accept right now (the ring always
 * keeps 8 bytes unused); 0 on a broken ring.
 *
 * The writer trusts only its own write index (priv_write): a write_index
 * in shared memory that differs from it, or a read_index outside the span
 * [seen_read, priv_write] the reader can have reached since the writer
 * last looked (it only ever moves forward, up to the data written), is a
 * corrupt ring (-EBADMSG), not a full or empty one.
 */
u32 hv_ring_bytes_free(const struct hv_ring *r);
/*
 * Write one packet made of the segments (their total must be a multiple of
 * 8; the caller builds the descriptor as the first segment) plus the
 * trailer.  0 on success; -EAGAIN when the ring lacks room (nothing was
 * written); -EMSGSIZE when the packet can never fit; -EBADMSG when the
 * reader's index is corrupt; -EINVAL when the total is not a multiple of
 * 8 or smaller than a descriptor.  *signal tells whether the peer must be
 * interrupted (it was empty before and its interrupt_mask is clear).
 */
int hv_ring_write(struct hv_ring *r, const struct hv_ring_seg *segs,
		  unsigned int nsegs, bool *signal);
/*
 * A writer that got -EAGAIN asks to be signalled once this many bytes are
 * free: bytes = packet + 8-byte trailer, as hv_ring_bytes_free() counts
 * (rounded up to 8 here).  It includes a full barrier; the caller must
 * then retry the write once before sleeping, since the reader may have
 * made room before it could see the request.
 */
void hv_ring_set_pending_send(struct hv_ring *r, u32 bytes);
void hv_ring_clear_pending_send(struct hv_ring *r);

/* Reader side */
bool hv_ring_has_data(const struct hv_ring *r);
/*
 * Copy the next packet (descriptor and payload, not the trailer) into buf
 * and advance the private read cursor; nothing is published to the
 * writer until hv_ring_commit_read().  Returns 0 and *pkt_len; -EAGAIN
 * when empty; -ENOBUFS when buf is smaller than the packet (*pkt_len is
 * set, the packet stays in the ring); -EBADMSG when the ring indices or
 * the descriptor are impossible.  The descriptor's len8/offset8 are
 * checked against the bytes available: a caller may trust pkt_len and the
 * copy's offset8 <= len8.
 */
int hv_ring_read(struct hv_ring *r, void *buf, u32 buf_len, u32 *pkt_len);
/* Drop the next packet without copying it (after -ENOBUFS). Same errors. */
int hv_ring_skip(struct hv_ring *r);
/*
 * Publish the private cursor as read_index.  *signal is set when the
 * writer asked for room (pending_send_sz) and this read created it.
 */
void hv_ring_commit_read(struct hv_ring *r, bool *signal);

/* Reader: ask the writer not to interrupt while we drain. */
void hv_ring_mask_interrupts(struct hv_ring *r);
/* Clear the mask; returns true when data arrived meanwhile (poll again). */
bool hv_ring_unmask_interrupts(struct hv_ring *r);

/*
 * For sysfs/debugfs: a consistent-enough snapshot of the indices.
 * bytes_avail_write is the raw free space (data size - bytes_avail_read),
 * as Linux's out_write_bytes_avail shows it; both are 0 when an index is
 * corrupt.
 */
struct hv_ring_state {
	u32 read_index, write_index, interrupt_mask, pending_send_sz;
	u32 bytes_avail_read, bytes_avail_write;
};
void hv_ring_get_state(const struct hv_ring *r, struct hv_ring_state *st);

#endif /* HV_RING_H */
