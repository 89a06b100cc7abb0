// SPDX-License-Identifier: GPL-2.0-only
/*
 * RNDIS codec: builders produce what Hyper-V expects, the parsers bound
 * every offset and length the host sends (data, PPIs, query replies,
 * status buffers).
 */
#include <string.h>

#include "test.h"
#include "rndis_codec.h"

#define TEST_SUITE "netvsc_rndis"

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static u32 get32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, 4);
	return v;
}

/* A PACKET message: header, packet body, one PPI of type/value, data. */
static u32 make_packet(u8 *b, u32 ppi_type, u32 ppi_val, u32 dlen)
{
	u32 plen = ppi_type == ~0u ? 0 : 16;
	u32 doff = 36 + plen, i;

	memset(b, 0, 8 + doff + dlen);
	put32(b, RNDIS_MSG_PACKET);
	put32(b + 4, 8 + doff + dlen);
	put32(b + 8, doff);
	put32(b + 12, dlen);
	if (plen) {
		put32(b + 28, 36);
		put32(b + 32, plen);
		put32(b + 44, 16);
		put32(b + 48, ppi_type);
		put32(b + 52, 12);
		put32(b + 56, ppi_val);
	}
	for (i = 0; i < dlen; i++)
		b[8 + doff + i] = (u8)i;
	return 8 + doff + dlen;
}

TEST(msg_header)
{
	u8 b[16] = { 0 };
	u32 type, len;
	const char *why;

	put32(b, RNDIS_MSG_INDICATE);
	put32(b + 4, 16);
	CHECK_EQ(rndis_parse_msg(b, 16, &type, &len, &why), 0);
	CHECK_EQ(type, RNDIS_MSG_INDICATE);
	CHECK_EQ(rndis_parse_msg(b, 15, &type, &len, &why), -EBADMSG);
	CHECK_EQ(rndis_parse_msg(b, 7, &type, &len, &why), -EBADMSG);
	put32(b + 4, 7);
	CHECK_EQ(rndis_parse_msg(b, 16, &type, &len, &why), -EBADMSG);
}

TEST(packet_ok_with_ppis)
{
	u8 b[256];
	struct rndis_rx_info rx;
	const char *why;
	u32 n;

	n = make_packet(b, RNDIS_PPI_CHECKSUM, RNDIS_CSUM_RX_TCP_OK, 60);
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), 0);
	CHECK_EQ(rx.data_len, 60);
	CHECK(rx.data == b + 8 + 52);
	CHECK(rx.has_csum);
	CHECK_EQ(rx.csum, RNDIS_CSUM_RX_TCP_OK);
	n = make_packet(b, RNDIS_PPI_8021Q, 5 << RNDIS_VLAN_ID_SHIFT, 60);
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), 0);
	CHECK(rx.has_vlan && !rx.has_csum);
	n = make_packet(b, RNDIS_PPI_HASH_VALUE, 0x1234, 60);
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), 0);
	CHECK(rx.has_hash);
	CHECK_EQ(rx.hash, 0x1234);
	n = make_packet(b, ~0u, 0, 60);
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), 0);
	CHECK(!rx.has_csum && !rx.has_vlan && !rx.has_hash);
}

TEST(packet_data_out_of_bounds)
{
	u8 b[256];
	struct rndis_rx_info rx;
	const char *why;
	u32 n = make_packet(b, ~0u, 0, 60);

	put32(b + 12, 61);		/* data_len one past the end */
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
	put32(b + 12, 60);
	put32(b + 8, 0xfffffff0);	/* data_offset wraps */
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
	put32(b + 8, 8);		/* data overlaps the packet header */
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
	put32(b + 8, 36);
	put32(b + 12, 0);		/* empty */
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
	CHECK_EQ(rndis_parse_packet(b, 43, &rx, &why), -EBADMSG);
}

TEST(packet_bad_ppis)
{
	u8 b[256];
	struct rndis_rx_info rx;
	const char *why;
	u32 n;

	n = make_packet(b, RNDIS_PPI_CHECKSUM, 0, 60);
	put32(b + 44, 11);		/* PPI smaller than its header */
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
	put32(b + 44, 17);		/* PPI larger than the list */
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
	put32(b + 44, 16);
	put32(b + 52, 17);		/* data offset past the entry */
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
	put32(b + 52, 14);		/* checksum PPI with 2 bytes of data */
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
	put32(b + 52, 12);
	put32(b + 32, 0x7fffffff);	/* list length past the message */
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
	put32(b + 32, 16);
	put32(b + 28, 0xfffffffc);	/* list offset wraps */
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
	put32(b + 28, 36);
	put32(b + 32, 20);		/* 4 trailing bytes: truncated entry */
	put32(b + 8, 56);
	put32(b + 12, 56);
	put32(b + 4, n);
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
}

TEST(query_complete)
{
	u8 b[64] = { 0 };
	struct rndis_cmplt_info c;
	const char *why;

	put32(b, RNDIS_MSG_QUERY_C);
	put32(b + 4, 30);
	put32(b + 8, 7);		/* req id */
	put32(b + 12, 0);
	put32(b + 16, 6);		/* info len */
	put32(b + 20, 16);		/* info offset from body */
	memcpy(b + 24, "\x00\x15\x5d\x01\x02\x03", 6);
	CHECK_EQ(rndis_parse_cmplt(b, 30, &c, &why), 0);
	CHECK_EQ(c.req_id, 7);
	CHECK_EQ(c.info_len, 6);
	CHECK(c.info == b + 24);
	CHECK_EQ(rndis_parse_cmplt(b, 29, &c, &why), -EBADMSG);
	put32(b + 20, 8);		/* info overlaps the reply header */
	CHECK_EQ(rndis_parse_cmplt(b, 30, &c, &why), -EBADMSG);
	put32(b + 20, 0xfffffffe);
	CHECK_EQ(rndis_parse_cmplt(b, 30, &c, &why), -EBADMSG);
	CHECK_EQ(rndis_parse_cmplt(b, 23, &c, &why), -EBADMSG);
}

TEST(init_complete)
{
	u8 b[52] = { 0 };
	struct rndis_cmplt_info c;
	const char *why;

	put32(b, RNDIS_MSG_INIT_C);
	put32(b + 4, 52);
	put32(b + 8, 1);
	put32(b + 32, 8);		/* max pkt per msg */
	put32(b + 40, 40);		/* silly alignment factor */
	CHECK_EQ(rndis_parse_cmplt(b, 52, &c, &why), 0);
	CHECK_EQ(c.max_pkt_per_msg, 8);
	CHECK_EQ(c.pkt_align_factor, 7);
	CHECK_EQ(rndis_parse_cmplt(b, 51, &c, &why), -EBADMSG);
	put32(b, RNDIS_MSG_PACKET);
	CHECK_EQ(rndis_parse_cmplt(b, 52, &c, &why), -EBADMSG);
}

TEST(indicate)
{
	u8 b[32] = { 0 };
	struct rndis_indicate_info ind;
	const char *why;

	put32(b, RNDIS_MSG_INDICATE);
	put32(b + 4, 24);
	put32(b + 8, RNDIS_STATUS_LINK_SPEED_CHANGE);
	put32(b + 12, 4);
	put32(b + 16, 12);
	put32(b + 20, 100000);
	CHECK_EQ(rndis_parse_indicate(b, 24, &ind, &why), 0);
	CHECK_EQ(ind.buf_len, 4);
	CHECK_EQ(get32(ind.buf), 100000);
	put32(b + 12, 5);
	CHECK_EQ(rndis_parse_indicate(b, 24, &ind, &why), -EBADMSG);
	put32(b + 12, 0);		/* no buffer: fine */
	CHECK_EQ(rndis_parse_indicate(b, 20, &ind, &why), 0);
	CHECK_EQ(rndis_parse_indicate(b, 19, &ind, &why), -EBADMSG);
}

TEST(builders)
{
	u8 b[128];
	u32 n, v = RNDIS_FILTER_DIRECTED;
	struct rndis_tx_info tx = { .data_len = 100, .has_csum = 1,
				    .csum = RNDIS_CSUM_TX_IPV4, .has_vlan = 1,
				    .vlan = 7 << 4 };

	n = rndis_build_init(b, sizeof(b), 3);
	CHECK_EQ(n, 24);
	CHECK_EQ(get32(b), RNDIS_MSG_INIT);
	CHECK_EQ(get32(b + 12), 1);
	CHECK_EQ(get32(b + 20), RNDIS_MAX_XFER_SIZE);
	n = rndis_build_query(b, sizeof(b), 4, RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE,
			      NULL, 0);
	CHECK_EQ(n, 28);
	CHECK_EQ(get32(b + 12), RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE);
	n = rndis_build_set(b, sizeof(b), 5, RNDIS_OID_GEN_CURRENT_PACKET_FILTER,
			    &v, 4);
	CHECK_EQ(n, 32);
	CHECK_EQ(get32(b + 16), 4);
	CHECK_EQ(get32(b + 20), 20);
	CHECK_EQ(get32(b + 28), RNDIS_FILTER_DIRECTED);
	CHECK_EQ(rndis_build_set(b, 30, 5, 1, &v, 4), 0);
	n = rndis_build_packet(b, sizeof(b), &tx);
	CHECK_EQ(n, 8 + 36 + 32);
	CHECK_EQ(get32(b + 4), n + 100);
	CHECK_EQ(get32(b + 8), 36 + 32);
	CHECK_EQ(get32(b + 28), 36);
	CHECK_EQ(get32(b + 32), 32);
	CHECK_EQ(get32(b + 48), RNDIS_PPI_CHECKSUM);
	CHECK_EQ(get32(b + 64), RNDIS_PPI_8021Q);
	CHECK_EQ(rndis_build_packet(b, 40, &tx), 0);
}

/* What we build, we parse back (round trip through the host's view). */
TEST(packet_roundtrip)
{
	u8 b[256];
	struct rndis_tx_info tx = { .data_len = 64, .has_vlan = 1,
				    .vlan = 9 << 4 };
	struct rndis_rx_info rx;
	const char *why;
	u32 h = rndis_build_packet(b, sizeof(b), &tx);

	memset(b + h, 0xab, 64);
	CHECK_EQ(rndis_parse_packet(b, h + 64, &rx, &why), 0);
	CHECK_EQ(rx.data_len, 64);
	CHECK(rx.data == b + h);
	CHECK(rx.has_vlan);
	CHECK_EQ(rx.vlan, 9 << 4);
}

TEST(offload_caps)
{
	u8 b[160] = { 0 };
	struct ndis_offload_caps caps;
	const char *why;
	u32 v = 62768;

	b[0] = NDIS_OBJ_TYPE_OFFLOAD;
	b[1] = NDIS_OFFLOAD_REV_1;
	b[2] = NDIS_OFFLOAD_SIZE_6_0;
	memcpy(b + 84, &v, 4);		/* lsov2.ip4_max_size */
	CHECK_EQ(rndis_parse_offload_caps(b, 112, &caps, &why), 0);
	CHECK_EQ(caps.lsov2.ip4_max_size, 62768);
	CHECK_EQ(caps.rsc_ip4, 0);
	/* the object claims more than the reply holds */
	CHECK_EQ(rndis_parse_offload_caps(b, 111, &caps, &why), -EBADMSG);
	b[2] = 100;			/* smaller than NDIS 6.0's */
	CHECK_EQ(rndis_parse_offload_caps(b, 112, &caps, &why), -EBADMSG);
	b[2] = 156;
	b[0] = NDIS_OBJ_TYPE_DEFAULT;
	CHECK_EQ(rndis_parse_offload_caps(b, 160, &caps, &why), -EBADMSG);
	b[0] = NDIS_OBJ_TYPE_OFFLOAD;
	CHECK_EQ(rndis_parse_offload_caps(b, 160, &caps, &why), 0);
	CHECK_EQ(rndis_parse_offload_caps(b, 3, &caps, &why), -EBADMSG);
}

TEST(rss_caps)
{
	u8 b[24] = { 0 };
	const char *why;
	u32 q = 99;

	b[0] = NDIS_OBJ_TYPE_RSS_CAPABILITIES;
	b[1] = NDIS_RSS_CAPS_REV_2;
	b[2] = 18;
	put32(b + 12, 4);		/* num_recv_queues */
	CHECK_EQ(rndis_parse_rss_caps(b, 18, &q, &why), 0);
	CHECK_EQ(q, 4);
	/* the queue count is all the driver needs: 16 bytes suffice */
	CHECK_EQ(rndis_parse_rss_caps(b, 16, &q, &why), 0);
	CHECK_EQ(rndis_parse_rss_caps(b, 15, &q, &why), -EBADMSG);
	CHECK_EQ(q, 0);
	b[0] = NDIS_OBJ_TYPE_RSS_PARAMETERS;
	CHECK_EQ(rndis_parse_rss_caps(b, 18, &q, &why), -EBADMSG);
	b[0] = NDIS_OBJ_TYPE_RSS_CAPABILITIES;
	put32(b + 12, 0);
	CHECK_EQ(rndis_parse_rss_caps(b, 18, &q, &why), -EBADMSG);
	put32(b + 12, 0xffffffffu);	/* unclamped: the driver caps it */
	CHECK_EQ(rndis_parse_rss_caps(b, 24, &q, &why), 0);
	CHECK_EQ(q, 0xffffffffu);
}

TEST(rss_params)
{
	static u8 b[RNDIS_RSS_PARAMS_LEN + 8];
	u8 key[NDIS_RSS_KEY_SIZE];
	u32 table[NDIS_RSS_ITAB_MAX];
	u32 i, n;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (u8)(0xa0 + i);
	/* a table as ethtool -X weight 1 1 0 1 gives: not a plain spread */
	for (i = 0; i < NDIS_RSS_ITAB_MAX; i++)
		table[i] = (i * 7) % 3 == 2 ? 3 : (i * 7) % 3;
	n = rndis_build_rss_params(b, sizeof(b), key, table);
	CHECK_EQ(n, 40 + 512 + 40);
	CHECK_EQ(b[0], NDIS_OBJ_TYPE_RSS_PARAMETERS);
	CHECK_EQ(b[1], NDIS_RSS_PARAMS_REV_2);
	CHECK_EQ(b[2] | (b[3] << 8), 40);
	CHECK_EQ(b[4] | (b[5] << 8), 0);		/* flags */
	CHECK_EQ(get32(b + 8), NDIS_HASH_FUNC_TOEPLITZ | NDIS_HASH_IPV4 |
	       NDIS_HASH_TCP_IPV4 | NDIS_HASH_IPV6 | NDIS_HASH_TCP_IPV6);
	CHECK_EQ(b[12] | (b[13] << 8), 512);	/* table bytes */
	CHECK_EQ(get32(b + 16), 40);		/* table offset */
	CHECK_EQ(b[20] | (b[21] << 8), 40);	/* key bytes */
	CHECK_EQ(get32(b + 24), 552);		/* key offset */
	for (i = 0; i < NDIS_RSS_ITAB_MAX; i++)
		CHECK_EQ(get32(b + 40 + 4 * i), table[i]);
	CHECK_EQ(memcmp(b + 552, key, sizeof(key)), 0);
	/* too small a buffer */
	CHECK_EQ(rndis_build_rss_params(b, n - 1, key, table), 0);
}

TEST(network_address)
{
	static const u8 mac[6] = { 0x02, 0x15, 0x5d, 0xab, 0xcd, 0xef };
	static const char name[] = "NetworkAddress";
	static const char val[] = "02155dabcdef";
	u8 b[RNDIS_NETWORK_ADDRESS_LEN + 8];
	u32 i, n;

	n = rndis_build_network_address(b, sizeof(b), mac);
	CHECK_EQ(n, 20 + 28 + 24);
	CHECK_EQ(get32(b), 20);			/* name offset */
	CHECK_EQ(get32(b + 4), 28);		/* name bytes, UTF-16 */
	CHECK_EQ(get32(b + 8), RNDIS_CONFIG_PARAM_STRING);
	CHECK_EQ(get32(b + 12), 48);		/* value offset */
	CHECK_EQ(get32(b + 16), 24);		/* value bytes */
	for (i = 0; i < 14; i++) {
		CHECK_EQ(b[20 + 2 * i], (u8)name[i]);
		CHECK_EQ(b[21 + 2 * i], 0);
	}
	for (i = 0; i < 12; i++) {
		CHECK_EQ(b[48 + 2 * i], (u8)val[i]);
		CHECK_EQ(b[49 + 2 * i], 0);
	}
	CHECK_EQ(rndis_build_network_address(b, n - 1, mac), 0);
}

/* RSC: a fragment of @dlen bytes (byte i = seed + i) with PKTINFO_ID. */
static u32 make_frag(u8 *b, u32 flags, u32 dlen, u8 seed)
{
	u32 n, i;

	n = make_packet(b, RNDIS_PPI_INTERNAL | RNDIS_PPI_INTERNAL_PKTINFO_ID,
			RNDIS_PKTINFO_ID_V1 | flags << 8 | 7u << 16, dlen);
	for (i = 0; i < dlen; i++)
		b[8 + 52 + i] = (u8)(seed + i);
	return n;
}

#define SUB	RNDIS_PKTINFO_SUBALLOC
#define FIRST	RNDIS_PKTINFO_FIRST_FRAG
#define LAST	RNDIS_PKTINFO_LAST_FRAG

static struct rndis_rsc rsc;

/* parse @b (n bytes) and feed it */
static int feed(const u8 *b, u32 n, bool last_range, u32 *lost)
{
	struct rndis_rx_info rx;
	const char *why = NULL;
	int ret;

	if (rndis_parse_packet(b, n, &rx, &why))
		return -1000;
	ret = rndis_rsc_add(&rsc, &rx, last_range, lost, &why);
	if ((ret < 0 || *lost) && !why)
		return -3000;		/* a drop must say why */
	return *lost ? -2000 : ret;
}

TEST(rsc_reassembly)
{
	static u8 b[3][256];
	u8 out[300];
	u32 n0, n1, n2, lost, i, pos = 0;

	rndis_rsc_reset(&rsc);
	n0 = make_frag(b[0], SUB | FIRST, 100, 0);
	n1 = make_frag(b[1], SUB, 100, 100);
	n2 = make_frag(b[2], SUB | LAST, 50, 200);
	CHECK_EQ(feed(b[0], n0, false, &lost), RNDIS_RSC_MORE);
	CHECK(rsc.first.has_pktinfo);
	CHECK_EQ(rsc.first.pktinfo.pkt_id, 7);
	CHECK_EQ(feed(b[1], n1, false, &lost), RNDIS_RSC_MORE);
	CHECK_EQ(feed(b[2], n2, true, &lost), RNDIS_RSC_DONE);
	CHECK_EQ(rsc.cnt, 3);
	CHECK_EQ(rsc.total, 250);
	for (i = 0; i < rsc.cnt; i++) {
		memcpy(out + pos, rsc.data[i], rsc.len[i]);
		pos += rsc.len[i];
	}
	for (i = 0; i < 250; i++)
		CHECK_EQ(out[i], (u8)i);
	rndis_rsc_reset(&rsc);
	/* FIRST|LAST: one fragment is a whole packet */
	n0 = make_frag(b[0], SUB | FIRST | LAST, 60, 0);
	CHECK_EQ(feed(b[0], n0, true, &lost), RNDIS_RSC_DONE);
	CHECK_EQ(rsc.cnt, 1);
	rndis_rsc_reset(&rsc);
	/* no PKTINFO, or PKTINFO without SUBALLOC: a plain packet */
	n0 = make_packet(b[0], RNDIS_PPI_CHECKSUM, 0, 60);
	CHECK_EQ(feed(b[0], n0, true, &lost), RNDIS_RSC_SINGLE);
	n0 = make_frag(b[0], FIRST, 60, 0);
	CHECK_EQ(feed(b[0], n0, true, &lost), RNDIS_RSC_SINGLE);
	CHECK_EQ(rsc.cnt, 0);
}

TEST(rsc_bad_sequences)
{
	static u8 b[2][256];
	u32 n0, n1, lost;

	/* a fragment without a first: dropped, nothing kept */
	rndis_rsc_reset(&rsc);
	n0 = make_frag(b[0], SUB, 100, 0);
	CHECK_EQ(feed(b[0], n0, false, &lost), -EBADMSG);
	CHECK_EQ(rsc.cnt, 0);
	n0 = make_frag(b[0], SUB | LAST, 100, 0);
	CHECK_EQ(feed(b[0], n0, true, &lost), -EBADMSG);
	CHECK_EQ(rsc.cnt, 0);
	/* the transfer-page packet ends before the last fragment */
	n0 = make_frag(b[0], SUB | FIRST, 100, 0);
	n1 = make_frag(b[1], SUB, 100, 0);
	CHECK_EQ(feed(b[0], n0, false, &lost), RNDIS_RSC_MORE);
	CHECK_EQ(feed(b[1], n1, true, &lost), -EBADMSG);
	CHECK_EQ(rsc.cnt, 0);
	CHECK_EQ(rsc.total, 0);
	/* a plain packet before the last fragment: partial lost, it is taken */
	CHECK_EQ(feed(b[0], n0, false, &lost), RNDIS_RSC_MORE);
	n1 = make_packet(b[1], ~0u, 0, 60);
	CHECK_EQ(feed(b[1], n1, true, &lost), -2000);
	CHECK_EQ(lost, 1);
	CHECK_EQ(rsc.cnt, 0);
	/* a new first before the last: partial lost, a new one begins */
	CHECK_EQ(feed(b[0], n0, false, &lost), RNDIS_RSC_MORE);
	CHECK_EQ(feed(b[0], n0, false, &lost), -2000);
	CHECK_EQ(lost, 1);
	CHECK_EQ(rsc.cnt, 1);
	CHECK_EQ(rsc.total, 100);
	rndis_rsc_reset(&rsc);
}

TEST(rsc_limits)
{
	static u8 b[3][256];
	struct rndis_rx_info rx;
	const char *why;
	u32 n0, n1, n2, lost, i;

	/* RNDIS_RSC_MAX_FRAGS fragments fill it; one more is too many */
	rndis_rsc_reset(&rsc);
	n0 = make_frag(b[0], SUB | FIRST, 16, 0);
	n1 = make_frag(b[1], SUB, 16, 0);
	n2 = make_frag(b[2], SUB | LAST, 16, 0);
	CHECK_EQ(feed(b[0], n0, false, &lost), RNDIS_RSC_MORE);
	for (i = 1; i < RNDIS_RSC_MAX_FRAGS - 1; i++)
		CHECK_EQ(feed(b[1], n1, false, &lost), RNDIS_RSC_MORE);
	CHECK_EQ(feed(b[2], n2, false, &lost), RNDIS_RSC_DONE);
	CHECK_EQ(rsc.cnt, RNDIS_RSC_MAX_FRAGS);
	rndis_rsc_reset(&rsc);
	CHECK_EQ(feed(b[0], n0, false, &lost), RNDIS_RSC_MORE);
	for (i = 1; i < RNDIS_RSC_MAX_FRAGS; i++)
		CHECK_EQ(feed(b[1], n1, false, &lost), RNDIS_RSC_MORE);
	CHECK_EQ(feed(b[2], n2, true, &lost), -EBADMSG);
	CHECK_EQ(rsc.cnt, 0);
	/* a packet above the largest legal one */
	CHECK_EQ(rndis_parse_packet(b[0], n0, &rx, &why), 0);
	rx.data_len = RNDIS_RSC_MAX_LEN - 10;
	CHECK_EQ(rndis_rsc_add(&rsc, &rx, false, &lost, &why), RNDIS_RSC_MORE);
	CHECK_EQ(feed(b[1], n1, false, &lost), -EBADMSG);
	CHECK_EQ(rsc.cnt, 0);
	/* exactly the largest is taken */
	rx.data_len = RNDIS_RSC_MAX_LEN - 16;
	CHECK_EQ(rndis_rsc_add(&rsc, &rx, false, &lost, &why), RNDIS_RSC_MORE);
	CHECK_EQ(feed(b[2], n2, true, &lost), RNDIS_RSC_DONE);
	CHECK_EQ(rsc.total, RNDIS_RSC_MAX_LEN);
	rndis_rsc_reset(&rsc);
}

TEST(rsc_bad_pktinfo_size)
{
	u8 b[256];
	struct rndis_rx_info rx;
	const char *why;
	u32 n;

	/* PKTINFO_ID with 2 data bytes: the packet is refused */
	n = make_frag(b, SUB | FIRST, 60, 0);
	put32(b + 44, 14);
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
	/* larger than the PPI area */
	n = make_frag(b, SUB | FIRST, 60, 0);
	put32(b + 44, 17);
	CHECK_EQ(rndis_parse_packet(b, n, &rx, &why), -EBADMSG);
}
