// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's side of a channel's two rings, written for the simulated host
 * from the protocol description (independent of hv_vmbus's ring code).
 *
 * Incoming ring (guest to host): the guest owns write_index and
 * pending_send_sz, we own read_index and interrupt_mask.  Outgoing ring:
 * the reverse.  Indices we own are kept in a private shadow and only
 * published, so a guest scribbling over them cannot steer us; indices the
 * guest owns are validated on every read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/string.h>

#include "simhost_int.h"

#define DESC_SIZE	((u32)sizeof(struct vmbus_pkt_desc))

static bool idx_ok(const struct sim_ring *r, u32 idx)
{
	return idx < r->size && !(idx & 7);
}

/* Bytes a writer may still add (one 8-byte gap keeps full != empty). */
static u32 ring_free(u32 size, u32 write, u32 read)
{
	return read > write ? read - write - 8 : size - (write - read) - 8;
}

static void copy_from_ring(const struct sim_ring *r, u32 off, void *buf,
			   u32 len)
{
	u32 first = min(len, r->size - off);

	memcpy(buf, r->data + off, first);
	if (len > first)
		memcpy((u8 *)buf + first, r->data, len - first);
}

static void copy_to_ring(struct sim_ring *r, u32 off, const void *buf,
			 u32 len)
{
	u32 first = min(len, r->size - off);

	memcpy(r->data + off, buf, first);
	if (len > first)
		memcpy(r->data, (const u8 *)buf + first, len - first);
}

static void zero_ring(struct sim_ring *r, u32 off, u32 len)
{
	u32 first = min(len, r->size - off);

	memset(r->data + off, 0, first);
	if (len > first)
		memset(r->data, 0, len - first);
}

static u32 ring_add(const struct sim_ring *r, u32 idx, u32 n)
{
	idx += n;
	return idx >= r->size ? idx - r->size : idx;
}

void sim_ring_init_in(struct sim_ring *r, void *base, u32 bytes)
{
	r->ctl = base;
	r->data = (u8 *)base + VMBUS_RING_CONTROL_SIZE;
	r->size = bytes - VMBUS_RING_CONTROL_SIZE;
	r->mine = READ_ONCE(r->ctl->read_index);
	WRITE_ONCE(r->ctl->interrupt_mask, 0);
	smp_mb();	/* publish before the guest looks */
}

void sim_ring_init_out(struct sim_ring *r, void *base, u32 bytes)
{
	r->ctl = base;
	r->data = (u8 *)base + VMBUS_RING_CONTROL_SIZE;
	r->size = bytes - VMBUS_RING_CONTROL_SIZE;
	r->mine = READ_ONCE(r->ctl->write_index);
	/* the writer advertises pending_send_sz support on its ring */
	WRITE_ONCE(r->ctl->feature_bits, VMBUS_RING_FEAT_PENDING_SEND_SZ);
	WRITE_ONCE(r->ctl->pending_send_sz, 0);
	smp_mb();	/* publish before the guest looks */
}

bool sim_ring_has_data(struct sim_ring *r, const char **why)
{
	u32 w = READ_ONCE(r->ctl->write_index);

	if (!idx_ok(r, r->mine)) {
		*why = "initial read_index invalid";
		return true;		/* let peek report the corruption */
	}
	if (!idx_ok(r, w)) {
		*why = "write_index invalid";
		return true;
	}
	return w != r->mine;
}

void sim_ring_set_mask(struct sim_ring *r, bool masked)
{
	WRITE_ONCE(r->ctl->interrupt_mask, masked ? 1 : 0);
	smp_mb();	/* mask store before re-reading write_index */
}

static bool type_ok(const struct vmbus_pkt_desc *d, const struct sim_ring *r,
		    u32 off, const char **why)
{
	u32 range_cnt;

	switch (d->type) {
	case VMBUS_PKT_DATA_INBAND:
	case VMBUS_PKT_COMP:
		return true;
	case VMBUS_PKT_DATA_USING_XFER_PAGES:
		if (d->offset8 < 3) {
			*why = "xfer-page header does not fit offset8";
			return false;
		}
		return true;
	case VMBUS_PKT_DATA_USING_GPA_DIRECT:
		if (d->offset8 < 3) {
			*why = "gpa-direct header does not fit offset8";
			return false;
		}
		copy_from_ring(r, ring_add(r, off, 20), &range_cnt, 4);
		if (!range_cnt) {
			*why = "gpa-direct packet with no range";
			return false;
		}
		return true;
	default:
		*why = "unsupported packet type";
		return false;
	}
}

/*
 * Copy the next packet out of the incoming ring into @buf without
 * consuming it.  Returns SIM_RING_OK, _EMPTY or _CORRUPT (with *why).
 */
int sim_ring_peek(struct sim_ring *r, void *buf, u32 buflen, u32 *pktlen,
		  const char **why)
{
	struct vmbus_pkt_desc d;
	u32 w, avail, len;

	if (!idx_ok(r, r->mine)) {
		*why = "read_index invalid at open";
		return SIM_RING_CORRUPT;
	}
	w = READ_ONCE(r->ctl->write_index);
	if (!idx_ok(r, w)) {
		*why = "guest write_index unaligned or beyond the ring";
		return SIM_RING_CORRUPT;
	}
	if (w == r->mine)
		return SIM_RING_EMPTY;
	smp_rmb();			/* index before data */
	avail = w > r->mine ? w - r->mine : r->size - r->mine + w;
	if (avail < DESC_SIZE + VMBUS_RING_TRAILER_SIZE) {
		*why = "less data than a packet descriptor";
		return SIM_RING_CORRUPT;
	}
	copy_from_ring(r, r->mine, &d, DESC_SIZE);
	len = (u32)d.len8 * 8;
	if (d.offset8 < DESC_SIZE / 8 || d.len8 < d.offset8) {
		*why = "offset8/len8 inconsistent";
		return SIM_RING_CORRUPT;
	}
	if (len + VMBUS_RING_TRAILER_SIZE > avail) {
		*why = "len8 goes past the written data";
		return SIM_RING_CORRUPT;
	}
	if (d.flags & ~VMBUS_PKT_FLAG_COMPLETION_REQUESTED) {
		*why = "unknown packet flags";
		return SIM_RING_CORRUPT;
	}
	if (!type_ok(&d, r, r->mine, why))
		return SIM_RING_CORRUPT;
	if (len > buflen) {
		*why = "packet larger than the host buffer";
		return SIM_RING_CORRUPT;
	}
	copy_from_ring(r, r->mine, buf, len);
	*pktlen = len;
	return SIM_RING_OK;
}

/*
 * Consume a peeked packet.  Returns true if the guest must be signalled
 * because the free space crossed its pending_send_sz.  With "free" as
 * ring size - used - 8, Linux's (before <= pending < after, with its free
 * 8 bytes larger) and OpenVMM's (before < pending <= after, pending
 * rounded down to 8) rules are the same test; we use OpenVMM's form.
 * Like OpenVMM's reader, the host does not require the guest's feature
 * bit: a pending_send_sz is honoured whenever it is set.
 */
bool sim_ring_commit_read(struct sim_ring *r, u32 pktlen)
{
	u32 old = r->mine, w, pend;

	r->mine = ring_add(r, r->mine, pktlen + VMBUS_RING_TRAILER_SIZE);
	smp_mb();			/* finish reading before freeing */
	WRITE_ONCE(r->ctl->read_index, r->mine);
	smp_mb();	/* read_index store before reading pending_send_sz */
	pend = READ_ONCE(r->ctl->pending_send_sz) & ~7u;
	if (!pend)
		return false;
	w = READ_ONCE(r->ctl->write_index);
	if (!idx_ok(r, w))
		return false;
	return ring_free(r->size, w, old) < pend &&
	       ring_free(r->size, w, r->mine) >= pend;
}

u32 sim_ring_max_packet(const struct sim_ring *r)
{
	/* descriptor + payload + trailer must fit in size - 8 */
	return r->size - 8 - VMBUS_RING_TRAILER_SIZE - DESC_SIZE;
}

void sim_ring_set_pending(struct sim_ring *r, u32 bytes)
{
	WRITE_ONCE(r->ctl->pending_send_sz, bytes);
	smp_mb();	/* pending_send_sz store before re-reading read_index */
}

/*
 * Append one packet with @len payload bytes to the outgoing ring.
 * @fake_len8, if non-zero, replaces the descriptor's len8 (fault knob).
 * *signal says whether the guest must be interrupted: only when the ring
 * was empty before this packet and the guest has not masked interrupts.
 */
int sim_ring_write(struct sim_ring *r, const struct vmbus_pkt_desc *desc,
		   const void *data, u32 len, u16 fake_len8, bool *signal,
		   const char **why)
{
	struct vmbus_pkt_desc d = *desc;
	u32 plen = ALIGN(len, 8), total, rd, start, off;
	u64 trailer;

	*signal = false;
	if (!idx_ok(r, r->mine)) {
		*why = "write_index invalid at open";
		return SIM_RING_CORRUPT;
	}
	rd = READ_ONCE(r->ctl->read_index);
	if (!idx_ok(r, rd)) {
		*why = "guest read_index unaligned or beyond the ring";
		return SIM_RING_CORRUPT;
	}
	total = DESC_SIZE + plen + VMBUS_RING_TRAILER_SIZE;
	if (total > ring_free(r->size, r->mine, rd))
		return SIM_RING_FULL;
	smp_mb();			/* read_index before overwriting data */

	if (!d.offset8)
		d.offset8 = DESC_SIZE / 8;
	d.len8 = (DESC_SIZE + plen) / 8;
	if (fake_len8)
		d.len8 = fake_len8;
	start = r->mine;
	copy_to_ring(r, start, &d, DESC_SIZE);
	off = ring_add(r, start, DESC_SIZE);
	copy_to_ring(r, off, data, len);
	if (plen > len)
		zero_ring(r, ring_add(r, off, len), plen - len);
	off = ring_add(r, off, plen);
	trailer = (u64)start << 32;
	copy_to_ring(r, off, &trailer, sizeof(trailer));

	r->mine = ring_add(r, off, VMBUS_RING_TRAILER_SIZE);
	smp_wmb();			/* data before index */
	WRITE_ONCE(r->ctl->write_index, r->mine);
	smp_mb();	/* write_index store before reading mask/read_index */
	*signal = !READ_ONCE(r->ctl->interrupt_mask) &&
		  READ_ONCE(r->ctl->read_index) == start;
	return SIM_RING_OK;
}
