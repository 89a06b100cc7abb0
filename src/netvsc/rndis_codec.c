// SPDX-License-Identifier: GPL-2.0-only
/*
 * RNDIS builders and parsers of host messages (shared with tests/unit).
 * Host messages may sit at any byte offset of the receive buffer, so
 * every field is read with a byte copy.
 */
#include "rndis_codec.h"

static u32 rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void wr32(u8 *p, u32 v)
{
	memcpy(p, &v, sizeof(v));
}

int rndis_parse_msg(const void *buf, u32 len, u32 *type, u32 *msg_len,
		    const char **why)
{
	const u8 *p = buf;

	if (len < RNDIS_HDR_SIZE) {
		*why = "RNDIS message shorter than its header";
		return -EBADMSG;
	}
	*type = rd32(p);
	*msg_len = rd32(p + 4);
	if (*msg_len < RNDIS_HDR_SIZE || *msg_len > len) {
		*why = "RNDIS message length outside the range";
		return -EBADMSG;
	}
	return 0;
}

/* Is [off, off + n) inside [0, total)? */
static bool rndis_within(u32 off, u32 n, u32 total)
{
	return off <= total && n <= total - off;
}

static int rndis_parse_ppis(const u8 *ppi, u32 len, struct rndis_rx_info *rx,
			    const char **why)
{
	while (len) {
		u32 size, type, off, dlen;
		const u8 *d;

		if (len < sizeof(struct rndis_ppi)) {
			*why = "truncated per-packet info";
			return -EBADMSG;
		}
		size = rd32(ppi);
		type = rd32(ppi + 4);
		off = rd32(ppi + 8);
		if (size < sizeof(struct rndis_ppi) || size > len) {
			*why = "per-packet info size out of range";
			return -EBADMSG;
		}
		if (off < sizeof(struct rndis_ppi) || off > size) {
			*why = "per-packet info offset out of range";
			return -EBADMSG;
		}
		d = ppi + off;
		dlen = size - off;
		if (type & RNDIS_PPI_INTERNAL) {
			if ((type & RNDIS_PPI_TYPE_MASK) ==
			    RNDIS_PPI_INTERNAL_PKTINFO_ID) {
				if (dlen < sizeof(rx->pktinfo))
					goto short_data;
				memcpy(&rx->pktinfo, d, sizeof(rx->pktinfo));
				rx->has_pktinfo = 1;
			}
		} else {
			switch (type) {
			case RNDIS_PPI_CHECKSUM:
				if (dlen < 4)
					goto short_data;
				rx->csum = rd32(d);
				rx->has_csum = 1;
				break;
			case RNDIS_PPI_8021Q:
				if (dlen < 4)
					goto short_data;
				rx->vlan = rd32(d);
				rx->has_vlan = 1;
				break;
			case RNDIS_PPI_HASH_VALUE:
				if (dlen < 4)
					goto short_data;
				rx->hash = rd32(d);
				rx->has_hash = 1;
				break;
			default:
				break;	/* ignored */
			}
		}
		ppi += size;
		len -= size;
	}
	return 0;
short_data:
	*why = "per-packet info data too short for its type";
	return -EBADMSG;
}

int rndis_parse_packet(const void *buf, u32 msg_len, struct rndis_rx_info *rx,
		       const char **why)
{
	const u8 *body = (const u8 *)buf + RNDIS_HDR_SIZE;
	u32 blen, doff, dlen, poff, plen;

	memset(rx, 0, sizeof(*rx));
	if (msg_len < RNDIS_HDR_SIZE + sizeof(struct rndis_packet)) {
		*why = "RNDIS packet shorter than its header";
		return -EBADMSG;
	}
	blen = msg_len - RNDIS_HDR_SIZE;
	doff = rd32(body);
	dlen = rd32(body + 4);
	poff = rd32(body + 20);
	plen = rd32(body + 24);
	if (doff < sizeof(struct rndis_packet) || !rndis_within(doff, dlen, blen)) {
		*why = "RNDIS packet data outside the message";
		return -EBADMSG;
	}
	if (dlen == 0) {
		*why = "RNDIS packet without data";
		return -EBADMSG;
	}
	if (plen) {
		if (poff < sizeof(struct rndis_packet) ||
		    !rndis_within(poff, plen, blen)) {
			*why = "per-packet info outside the message";
			return -EBADMSG;
		}
		if (rndis_parse_ppis(body + poff, plen, rx, why))
			return -EBADMSG;
	}
	rx->data = body + doff;
	rx->data_len = dlen;
	return 0;
}

int rndis_rsc_add(struct rndis_rsc *s, const struct rndis_rx_info *rx,
		  bool last_range, u32 *lost, const char **why)
{
	u8 flags = rx->pktinfo.flags;

	*lost = 0;
	if (!rx->has_pktinfo || !(flags & RNDIS_PKTINFO_SUBALLOC)) {
		if (s->cnt) {
			*lost = 1;
			*why = "RSC packet without its last fragment";
		}
		rndis_rsc_reset(s);
		return RNDIS_RSC_SINGLE;
	}
	if (flags & RNDIS_PKTINFO_FIRST_FRAG) {
		if (s->cnt) {
			*lost = 1;
			*why = "RSC packet without its last fragment";
		}
		rndis_rsc_reset(s);
	} else if (!s->cnt) {
		*why = "RSC fragment without a first fragment";
		return -EBADMSG;
	}
	if (s->cnt >= RNDIS_RSC_MAX_FRAGS) {
		*why = "too many RSC fragments";
		goto drop;
	}
	if (rx->data_len > RNDIS_RSC_MAX_LEN - s->total) {
		*why = "RSC packet larger than the largest packet";
		goto drop;
	}
	if (!s->cnt)
		s->first = *rx;
	s->data[s->cnt] = rx->data;
	s->len[s->cnt] = rx->data_len;
	s->cnt++;
	s->total += rx->data_len;
	if (flags & RNDIS_PKTINFO_LAST_FRAG)
		return RNDIS_RSC_DONE;
	if (last_range) {
		*why = "RSC packet without its last fragment";
		goto drop;
	}
	return RNDIS_RSC_MORE;
drop:
	rndis_rsc_reset(s);
	return -EBADMSG;
}

int rndis_parse_cmplt(const void *buf, u32 msg_len, struct rndis_cmplt_info *c,
		      const char **why)
{
	const u8 *p = buf;
	const u8 *body = p + RNDIS_HDR_SIZE;
	u32 blen, need, off, n;

	memset(c, 0, sizeof(*c));
	if (msg_len < RNDIS_HDR_SIZE) {
		*why = "RNDIS completion truncated";
		return -EBADMSG;
	}
	blen = msg_len - RNDIS_HDR_SIZE;
	c->type = rd32(p);
	switch (c->type) {
	case RNDIS_MSG_INIT_C:
		need = sizeof(struct rndis_init_cmplt);
		break;
	case RNDIS_MSG_QUERY_C:
		need = sizeof(struct rndis_query_cmplt);
		break;
	case RNDIS_MSG_SET_C:
		need = sizeof(struct rndis_set_cmplt);
		break;
	case RNDIS_MSG_KEEPALIVE_C:
		need = sizeof(struct rndis_keepalive_cmplt);
		break;
	case RNDIS_MSG_RESET_C:
		need = sizeof(struct rndis_reset_cmplt);
		break;
	default:
		*why = "not an RNDIS completion";
		return -EBADMSG;
	}
	if (blen < need) {
		*why = "RNDIS completion truncated";
		return -EBADMSG;
	}
	if (c->type == RNDIS_MSG_RESET_C) {
		c->status = rd32(body);
		return 0;
	}
	c->req_id = rd32(body);
	c->status = rd32(body + 4);
	if (c->type == RNDIS_MSG_INIT_C) {
		c->major = rd32(body + 8);
		c->minor = rd32(body + 12);
		c->max_pkt_per_msg = rd32(body + 24);
		c->pkt_align_factor = rd32(body + 32);
		if (c->pkt_align_factor > 7)
			c->pkt_align_factor = 7;
	} else if (c->type == RNDIS_MSG_QUERY_C) {
		n = rd32(body + 8);
		off = rd32(body + 12);
		if (n) {
			if (off < sizeof(struct rndis_query_cmplt) ||
			    !rndis_within(off, n, blen)) {
				*why = "query reply buffer outside the message";
				return -EBADMSG;
			}
			c->info = body + off;
			c->info_len = n;
		}
	}
	return 0;
}

int rndis_parse_indicate(const void *buf, u32 msg_len,
			 struct rndis_indicate_info *ind, const char **why)
{
	const u8 *body = (const u8 *)buf + RNDIS_HDR_SIZE;
	u32 blen, off, n;

	memset(ind, 0, sizeof(*ind));
	if (msg_len < RNDIS_HDR_SIZE + sizeof(struct rndis_indicate_status)) {
		*why = "status indication truncated";
		return -EBADMSG;
	}
	blen = msg_len - RNDIS_HDR_SIZE;
	ind->status = rd32(body);
	n = rd32(body + 4);
	off = rd32(body + 8);
	if (n) {
		if (off < sizeof(struct rndis_indicate_status) ||
		    !rndis_within(off, n, blen)) {
			*why = "status buffer outside the message";
			return -EBADMSG;
		}
		ind->buf = body + off;
		ind->buf_len = n;
	}
	return 0;
}

int rndis_parse_offload_caps(const void *buf, u32 len,
			     struct ndis_offload_caps *caps, const char **why)
{
	struct ndis_obj_hdr h;

	memset(caps, 0, sizeof(*caps));
	if (len < sizeof(h)) {
		*why = "offload capabilities truncated";
		return -EBADMSG;
	}
	memcpy(&h, buf, sizeof(h));
	if (h.type != NDIS_OBJ_TYPE_OFFLOAD || h.revision < NDIS_OFFLOAD_REV_1) {
		*why = "not an offload capabilities object";
		return -EBADMSG;
	}
	if (h.size < NDIS_OFFLOAD_SIZE_6_0 || h.size > len) {
		*why = "offload capabilities size out of range";
		return -EBADMSG;
	}
	memcpy(caps, buf, h.size < sizeof(*caps) ? h.size : sizeof(*caps));
	return 0;
}

int rndis_parse_rss_caps(const void *buf, u32 len, u32 *num_queues,
			 const char **why)
{
	struct ndis_rss_caps c;

	*num_queues = 0;
	if (len < offsetof(struct ndis_rss_caps, num_recv_queues) + 4) {
		*why = "RSS capabilities truncated";
		return -EBADMSG;
	}
	memset(&c, 0, sizeof(c));
	memcpy(&c, buf, len < sizeof(c) ? len : sizeof(c));
	if (c.hdr.type != NDIS_OBJ_TYPE_RSS_CAPABILITIES) {
		*why = "not an RSS capabilities object";
		return -EBADMSG;
	}
	if (!c.num_recv_queues) {
		*why = "RSS capabilities with no receive queue";
		return -EBADMSG;
	}
	*num_queues = c.num_recv_queues;
	return 0;
}

static u32 rndis_start(void *buf, u32 cap, u32 type, u32 len)
{
	if (len > cap)
		return 0;
	memset(buf, 0, len);
	wr32(buf, type);
	wr32((u8 *)buf + 4, len);
	return len;
}

u32 rndis_build_init(void *buf, u32 cap, u32 req_id)
{
	u8 *b = (u8 *)buf + RNDIS_HDR_SIZE;
	u32 n = rndis_start(buf, cap, RNDIS_MSG_INIT,
			    RNDIS_HDR_SIZE + sizeof(struct rndis_init_req));

	if (!n)
		return 0;
	wr32(b, req_id);
	wr32(b + 4, RNDIS_MAJOR_VERSION);
	wr32(b + 8, RNDIS_MINOR_VERSION);
	wr32(b + 12, RNDIS_MAX_XFER_SIZE);
	return n;
}

static u32 rndis_build_oid(void *buf, u32 cap, u32 type, u32 req_id, u32 oid,
			   const void *data, u32 data_len)
{
	u8 *b = (u8 *)buf + RNDIS_HDR_SIZE;
	u32 hdr = RNDIS_HDR_SIZE + sizeof(struct rndis_query_req);
	u32 n;

	if (cap < hdr || data_len > cap - hdr)
		return 0;
	n = rndis_start(buf, cap, type, hdr + data_len);
	if (!n)
		return 0;
	wr32(b, req_id);
	wr32(b + 4, oid);
	wr32(b + 8, data_len);
	wr32(b + 12, data_len ? sizeof(struct rndis_query_req) : 0);
	if (data_len)
		memcpy(b + sizeof(struct rndis_query_req), data, data_len);
	return n;
}

u32 rndis_build_query(void *buf, u32 cap, u32 req_id, u32 oid,
		      const void *in, u32 in_len)
{
	return rndis_build_oid(buf, cap, RNDIS_MSG_QUERY, req_id, oid, in,
			       in_len);
}

u32 rndis_build_set(void *buf, u32 cap, u32 req_id, u32 oid,
		    const void *data, u32 data_len)
{
	return rndis_build_oid(buf, cap, RNDIS_MSG_SET, req_id, oid, data,
			       data_len);
}

u32 rndis_build_halt(void *buf, u32 cap, u32 req_id)
{
	u32 n = rndis_start(buf, cap, RNDIS_MSG_HALT, RNDIS_HDR_SIZE + 4);

	if (n)
		wr32((u8 *)buf + RNDIS_HDR_SIZE, req_id);
	return n;
}

u32 rndis_build_keepalive(void *buf, u32 cap, u32 req_id)
{
	u32 n = rndis_start(buf, cap, RNDIS_MSG_KEEPALIVE, RNDIS_HDR_SIZE + 4);

	if (n)
		wr32((u8 *)buf + RNDIS_HDR_SIZE, req_id);
	return n;
}

u32 rndis_build_rss_params(void *buf, u32 cap, const u8 *key,
			   const u32 *table)
{
	u32 toff = sizeof(struct ndis_rss_params);
	u32 koff = toff + 4 * NDIS_RSS_ITAB_MAX;
	u32 len = koff + NDIS_RSS_KEY_SIZE, i;
	struct ndis_rss_params p;
	u8 *b = buf;

	if (len > cap)
		return 0;
	memset(buf, 0, len);
	memset(&p, 0, sizeof(p));
	p.hdr.type = NDIS_OBJ_TYPE_RSS_PARAMETERS;
	p.hdr.revision = NDIS_RSS_PARAMS_REV_2;
	p.hdr.size = sizeof(p);
	p.hash_info = NDIS_HASH_FUNC_TOEPLITZ | NDIS_HASH_IPV4 |
		      NDIS_HASH_TCP_IPV4 | NDIS_HASH_IPV6 | NDIS_HASH_TCP_IPV6;
	p.itab_size = 4 * NDIS_RSS_ITAB_MAX;
	p.itab_offset = toff;
	p.key_size = NDIS_RSS_KEY_SIZE;
	p.key_offset = koff;
	memcpy(b, &p, sizeof(p));
	for (i = 0; i < NDIS_RSS_ITAB_MAX; i++)
		wr32(b + toff + 4 * i, table[i]);
	memcpy(b + koff, key, NDIS_RSS_KEY_SIZE);
	return len;
}

/* UTF-16LE of the ASCII string @s (n characters) at @p */
static void rndis_put_utf16(u8 *p, const char *s, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		p[2 * i] = (u8)s[i];
		p[2 * i + 1] = 0;
	}
}

u32 rndis_build_network_address(void *buf, u32 cap, const u8 *mac)
{
	static const char name[] = RNDIS_NETWORK_ADDRESS_NAME;
	static const char hex[] = "0123456789abcdef";
	struct rndis_config_param cp;
	u32 nlen = 2 * (sizeof(name) - 1), vlen = 2 * 2 * RNDIS_MAC_LEN;
	u32 len = sizeof(cp) + nlen + vlen, i;
	char val[2 * RNDIS_MAC_LEN];
	u8 *b = buf;

	if (len > cap)
		return 0;
	for (i = 0; i < RNDIS_MAC_LEN; i++) {
		val[2 * i] = hex[mac[i] >> 4];
		val[2 * i + 1] = hex[mac[i] & 0xf];
	}
	memset(&cp, 0, sizeof(cp));
	cp.name_offset = sizeof(cp);
	cp.name_len = nlen;
	cp.type = RNDIS_CONFIG_PARAM_STRING;
	cp.value_offset = sizeof(cp) + nlen;
	cp.value_len = vlen;
	memcpy(b, &cp, sizeof(cp));
	rndis_put_utf16(b + cp.name_offset, name, sizeof(name) - 1);
	rndis_put_utf16(b + cp.value_offset, val, sizeof(val));
	return len;
}

static u8 *rndis_put_ppi(u8 *p, u32 type, u32 value)
{
	wr32(p, sizeof(struct rndis_ppi) + 4);
	wr32(p + 4, type);
	wr32(p + 8, sizeof(struct rndis_ppi));
	wr32(p + 12, value);
	return p + sizeof(struct rndis_ppi) + 4;
}

u32 rndis_build_packet(void *buf, u32 cap, const struct rndis_tx_info *tx)
{
	u8 *b = (u8 *)buf + RNDIS_HDR_SIZE;
	u8 *ppi = b + sizeof(struct rndis_packet), *end = ppi;
	u32 plen, hlen;

	if (cap < RNDIS_TX_HDR_MAX)
		return 0;
	memset(buf, 0, RNDIS_TX_HDR_MAX);
	if (tx->has_csum)
		end = rndis_put_ppi(end, RNDIS_PPI_CHECKSUM, tx->csum);
	if (tx->has_lso)
		end = rndis_put_ppi(end, RNDIS_PPI_LSO, tx->lso);
	if (tx->has_vlan)
		end = rndis_put_ppi(end, RNDIS_PPI_8021Q, tx->vlan);
	plen = (u32)(end - ppi);
	hlen = RNDIS_HDR_SIZE + sizeof(struct rndis_packet) + plen;
	wr32(buf, RNDIS_MSG_PACKET);
	wr32((u8 *)buf + 4, hlen + tx->data_len);
	wr32(b, sizeof(struct rndis_packet) + plen);	/* data offset */
	wr32(b + 4, tx->data_len);
	if (plen) {
		wr32(b + 20, sizeof(struct rndis_packet));
		wr32(b + 24, plen);
	}
	return hlen;
}
