// SPDX-License-Identifier: GPL-2.0-only
/*
 * NVSP builders and checks of host messages (shared with tests/unit).
 */
#include "nvsp_codec.h"

const u32 nvsp_versions[NVSP_NUM_VERSIONS] = {
	NVSP_VERSION_61, NVSP_VERSION_6, NVSP_VERSION_5, NVSP_VERSION_4,
	NVSP_VERSION_2,
};

u32 nvsp_ndis_version(u32 nvsp_version)
{
	return nvsp_version <= NVSP_VERSION_4 ? NVSP_NDIS_VERSION_6_1 :
						NVSP_NDIS_VERSION_6_30;
}

/* Bytes a host message of this type must have, 4 for unknown types. */
static u32 nvsp_min_len(u32 type)
{
	switch (type) {
	case NVSP_MSG_INIT_COMPLETE:
		return NVSP_MIN_LEN(init_complete);
	case NVSP_MSG_SEND_RECV_BUF_COMPLETE:
		/* status and count; the section is checked when used */
		return 4 + 8;
	case NVSP_MSG_SEND_SEND_BUF_COMPLETE:
		return NVSP_MIN_LEN(send_buf_complete);
	case NVSP_MSG_RNDIS_PKT:
		return NVSP_MIN_LEN(rndis_pkt);
	case NVSP_MSG_RNDIS_PKT_COMPLETE:
		return NVSP_MIN_LEN(rndis_pkt_complete);
	case NVSP_MSG_VF_ASSOCIATION:
		return NVSP_MIN_LEN(vf_assoc);
	case NVSP_MSG_SWITCH_DATA_PATH:
		return NVSP_MIN_LEN(switch_dp);
	case NVSP_MSG_SUBCHANNEL:
		return NVSP_MIN_LEN(subchan_complete);
	case NVSP_MSG_SEND_INDIRECTION_TABLE:
		return NVSP_MIN_LEN(send_table);
	default:
		return 4;
	}
}

int nvsp_copy_msg(const void *payload, u32 len, struct nvsp_host_msg *h,
		  const char **why)
{
	u32 n = len < sizeof(h->m) ? len : (u32)sizeof(h->m);

	memset(h, 0, sizeof(*h));
	h->len = len;
	if (len < 4) {
		*why = "NVSP message shorter than its type";
		return -EBADMSG;
	}
	memcpy(&h->m, payload, n);
	if (len < nvsp_min_len(h->m.type)) {
		*why = "NVSP message shorter than its body";
		return -EBADMSG;
	}
	return 0;
}

int nvsp_check_init_complete(const struct nvsp_host_msg *h, const char **why)
{
	if (h->m.type != NVSP_MSG_INIT_COMPLETE) {
		*why = "not an INIT_COMPLETE";
		return -EBADMSG;
	}
	if (h->m.u.init_complete.status != NVSP_STATUS_SUCCESS) {
		*why = "version refused";
		return -EPROTONOSUPPORT;
	}
	return 0;
}

int nvsp_check_recv_buf_complete(const struct nvsp_host_msg *h, u32 buf_size,
				 struct nvsp_recv_layout *lay, const char **why)
{
	const struct nvsp_send_recv_buf_complete *c = &h->m.u.recv_buf_complete;
	const struct nvsp_recv_section *s = &c->sections[0];

	if (h->m.type != NVSP_MSG_SEND_RECV_BUF_COMPLETE) {
		*why = "not a SEND_RECV_BUF_COMPLETE";
		return -EBADMSG;
	}
	if (c->status != NVSP_STATUS_SUCCESS) {
		*why = "receive buffer refused";
		return -EIO;
	}
	if (c->num_sections != 1) {
		*why = "receive buffer section count is not 1";
		return -EBADMSG;
	}
	if (h->len < NVSP_MIN_LEN(recv_buf_complete)) {
		*why = "section table truncated";
		return -EBADMSG;
	}
	if (s->offset != 0) {
		*why = "receive section does not start at 0";
		return -EBADMSG;
	}
	if (s->sub_alloc_size == 0 || s->num_sub_allocs == 0) {
		*why = "empty receive section";
		return -EBADMSG;
	}
	if ((u64)s->sub_alloc_size * s->num_sub_allocs > buf_size ||
	    s->end_offset > buf_size ||
	    (u64)s->sub_alloc_size * s->num_sub_allocs > s->end_offset) {
		*why = "receive section larger than the buffer";
		return -EBADMSG;
	}
	lay->sub_alloc_size = s->sub_alloc_size;
	lay->num_sub_allocs = s->num_sub_allocs;
	lay->end_offset = s->end_offset;
	return 0;
}

int nvsp_check_send_buf_complete(const struct nvsp_host_msg *h, u32 buf_size,
				 struct nvsp_send_layout *lay, const char **why)
{
	const struct nvsp_send_send_buf_complete *c = &h->m.u.send_buf_complete;

	if (h->m.type != NVSP_MSG_SEND_SEND_BUF_COMPLETE) {
		*why = "not a SEND_SEND_BUF_COMPLETE";
		return -EBADMSG;
	}
	if (c->status != NVSP_STATUS_SUCCESS) {
		*why = "send buffer refused";
		return -EIO;
	}
	/* a section must hold an RNDIS packet header and a minimal frame */
	if (c->section_size < 128 || c->section_size > buf_size) {
		*why = "send section size out of range";
		return -EBADMSG;
	}
	lay->section_size = c->section_size;
	lay->num_sections = buf_size / c->section_size;
	return 0;
}

int nvsp_check_subchannel_complete(const struct nvsp_host_msg *h, u32 asked,
				   u32 *granted, const char **why)
{
	const struct nvsp_subchannel_complete *c = &h->m.u.subchan_complete;

	if (h->m.type != NVSP_MSG_SUBCHANNEL) {
		*why = "not a SUBCHANNEL completion";
		return -EBADMSG;
	}
	if (c->status != NVSP_STATUS_SUCCESS) {
		*why = "sub-channels refused";
		return -EIO;
	}
	if (c->num_subchannels > asked) {
		*why = "host grants more sub-channels than asked";
		return -EBADMSG;
	}
	*granted = c->num_subchannels;
	return 0;
}

int nvsp_parse_send_table(const void *payload, u32 len,
			  u32 table[NVSP_SEND_TABLE_SIZE], const char **why)
{
	const struct nvsp_msg *m = payload;
	const u8 *p = payload;
	u32 count, off, i;

	if (len < NVSP_MIN_LEN(send_table)) {
		*why = "indirection table message truncated";
		return -EBADMSG;
	}
	memcpy(&count, &m->u.send_table.count, sizeof(count));
	memcpy(&off, &m->u.send_table.offset, sizeof(off));
	if (count != NVSP_SEND_TABLE_SIZE) {
		*why = "indirection table size is not 16";
		return -EBADMSG;
	}
	if (off > len || (u64)count * 4 > len - off) {
		*why = "indirection table outside the message";
		return -EBADMSG;
	}
	for (i = 0; i < count; i++)
		memcpy(&table[i], p + off + 4 * i, sizeof(table[i]));
	return 0;
}

static void nvsp_sift_down(u64 *a, u32 root, u32 n)
{
	u32 child;
	u64 t;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

/* Heapsort: no recursion, no allocation, O(n log n) for any input. */
static void nvsp_sort_u64(u64 *a, u32 n)
{
	u32 i;
	u64 t;

	for (i = n / 2; i-- > 0;)
		nvsp_sift_down(a, i, n);
	for (i = n; i-- > 1;) {
		t = a[0];
		a[0] = a[i];
		a[i] = t;
		nvsp_sift_down(a, 0, i);
	}
}

int nvsp_check_xfer_ranges(const struct vmbus_xfer_range *r, u32 count,
			   u32 buf_size, u64 *scratch, u32 scratch_n,
			   u32 *bad, const char **why)
{
	u32 i, off, n, prev_end;

	*bad = 0;
	if (count == 0) {
		*why = "transfer-page packet without ranges";
		return -EBADMSG;
	}
	if (count > scratch_n) {
		*why = "too many transfer-page ranges";
		return -EBADMSG;
	}
	for (i = 0; i < count; i++) {
		memcpy(&n, &r[i].byte_count, sizeof(n));
		memcpy(&off, &r[i].byte_offset, sizeof(off));
		if (n < 8) {
			*bad = i;
			*why = "range shorter than an RNDIS header";
			return -EBADMSG;
		}
		if (off >= buf_size || n > buf_size - off) {
			*bad = i;
			*why = "range outside the receive buffer";
			return -EBADMSG;
		}
		scratch[i] = ((u64)off << 32) | n;
	}
	/* sorted by offset, any overlap shows between neighbours */
	nvsp_sort_u64(scratch, count);
	prev_end = 0;
	for (i = 0; i < count; i++) {
		off = (u32)(scratch[i] >> 32);
		if (i && off < prev_end) {
			*why = "overlapping transfer-page ranges";
			return -EBADMSG;
		}
		prev_end = off + (u32)scratch[i];
	}
	return 0;
}

static u32 nvsp_start(struct nvsp_msg *m, u32 type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	return sizeof(*m);
}

u32 nvsp_build_init(struct nvsp_msg *m, u32 version)
{
	u32 n = nvsp_start(m, NVSP_MSG_INIT);

	m->u.init.min_version = version;
	m->u.init.max_version = version;
	return n;
}

u32 nvsp_build_ndis_config(struct nvsp_msg *m, u32 mtu, u32 nvsp_version)
{
	u32 n = nvsp_start(m, NVSP_MSG_NDIS_CONFIG);
	u64 caps = NVSP_CAP_IEEE8021Q;

	if (nvsp_version >= NVSP_VERSION_5)
		caps |= NVSP_CAP_SRIOV | NVSP_CAP_TEAMING;
	if (nvsp_version >= NVSP_VERSION_61)
		caps |= NVSP_CAP_RSC;
	m->u.ndis_config.mtu = mtu + 14;
	m->u.ndis_config.capabilities = caps;
	return n;
}

u32 nvsp_build_ndis_version(struct nvsp_msg *m, u32 nvsp_version)
{
	u32 n = nvsp_start(m, NVSP_MSG_NDIS_VER);
	u32 v = nvsp_ndis_version(nvsp_version);

	m->u.ndis_ver.major = v >> 16;
	m->u.ndis_ver.minor = v & 0xffff;
	return n;
}

u32 nvsp_build_send_buf(struct nvsp_msg *m, u32 type, u32 gpadl, u16 id)
{
	u32 n = nvsp_start(m, type);

	m->u.send_buf.gpadl = gpadl;
	m->u.send_buf.id = id;
	return n;
}

u32 nvsp_build_revoke(struct nvsp_msg *m, u32 type, u16 id)
{
	u32 n = nvsp_start(m, type);

	m->u.revoke_buf.id = id;
	return n;
}

u32 nvsp_build_rndis_pkt(struct nvsp_msg *m, u32 channel_type, u32 section,
			 u32 size)
{
	u32 n = nvsp_start(m, NVSP_MSG_RNDIS_PKT);

	m->u.rndis_pkt.channel_type = channel_type;
	m->u.rndis_pkt.section_index = section;
	m->u.rndis_pkt.section_size = size;
	return n;
}

u32 nvsp_build_rndis_complete(struct nvsp_msg *m, u32 status)
{
	u32 n = nvsp_start(m, NVSP_MSG_RNDIS_PKT_COMPLETE);

	m->u.rndis_pkt_complete.status = status;
	return n;
}

u32 nvsp_build_subchannel(struct nvsp_msg *m, u32 count)
{
	u32 n = nvsp_start(m, NVSP_MSG_SUBCHANNEL);

	m->u.subchan_req.op = NVSP_SUBCHANNEL_ALLOCATE;
	m->u.subchan_req.num_subchannels = count;
	return n;
}

enum nvsp_tid_kind nvsp_tid_decode(u64 trans_id, u32 *a, u32 *b)
{
	u64 kind = trans_id >> NVSP_TID_KIND_SHIFT;

	*a = (u32)(trans_id >> 32) & 0xffffff;
	*b = (u32)trans_id;
	if (kind == NVSP_TID_CTL && *a == 0)
		return NVSP_TID_KIND_CTL;
	if (kind == NVSP_TID_TX)
		return NVSP_TID_KIND_TX;
	return NVSP_TID_KIND_INVALID;
}
