// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the RNDIS parsers of hv_netvsc on an arbitrary
 * receive-buffer range.  Every pointer they hand out must stay inside
 * the message; every byte they point at is read (ASan checks).
 */
#include <stdlib.h>
#include <string.h>

#include "rndis_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static u32 touch(const u8 *p, u32 n)
{
	u32 i, s = 0;

	for (i = 0; i < n; i++)
		s += p[i];
	return s;
}

/*
 * The packet as RSC fragments: fed 1..4 times (the first input byte
 * says how often and where the transfer-page packet ends); the state
 * never holds more than its limits and a whole packet lies in the input.
 */
static struct rndis_rsc rsc;

static u32 fuzz_rsc(const struct rndis_rx_info *rx, u8 how)
{
	u32 i, k, n = 1 + (how & 3), lost, sum = 0;
	const char *why = NULL;
	int v;

	rndis_rsc_reset(&rsc);
	for (k = 0; k < n; k++) {
		v = rndis_rsc_add(&rsc, rx, k == n - 1 || (how & 4), &lost,
				  &why);
		if (rsc.cnt > RNDIS_RSC_MAX_FRAGS ||
		    rsc.total > RNDIS_RSC_MAX_LEN || (lost && !why))
			abort();
		if (v < 0 && (rsc.cnt || !why))
			abort();
		if (v == RNDIS_RSC_DONE) {
			for (i = 0; i < rsc.cnt; i++)
				sum += touch(rsc.data[i], rsc.len[i]);
			rndis_rsc_reset(&rsc);
		}
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rndis_indicate_info ind;
	struct rndis_cmplt_info c;
	struct rndis_rx_info rx;
	struct ndis_offload_caps caps;
	const char *why = NULL;
	u32 type, mlen;
	volatile u32 sum = 0;
	u8 *p;

	if (size > 70000)
		return -1;
	p = malloc(size ? size : 1);
	memcpy(p, data, size);
	if (rndis_parse_msg(p, (u32)size, &type, &mlen, &why) == 0) {
		if (mlen > size || mlen < 8)
			abort();
		if (rndis_parse_packet(p, mlen, &rx, &why) == 0) {
			if (rx.data < p + 8 + 36 || rx.data_len == 0 ||
			    rx.data + rx.data_len > p + mlen)
				abort();
			sum += touch(rx.data, rx.data_len);
			sum += fuzz_rsc(&rx, size ? data[0] : 0);
		}
		if (rndis_parse_cmplt(p, mlen, &c, &why) == 0 && c.info) {
			if (c.info < p + 8 || c.info + c.info_len > p + mlen)
				abort();
			sum += touch(c.info, c.info_len);
		}
		if (rndis_parse_indicate(p, mlen, &ind, &why) == 0 && ind.buf) {
			if (ind.buf < p + 8 || ind.buf + ind.buf_len > p + mlen)
				abort();
			sum += touch(ind.buf, ind.buf_len);
		}
	}
	/* the same bytes as a query reply's information buffer */
	if (rndis_parse_offload_caps(p, (u32)size, &caps, &why) == 0) {
		if (caps.hdr.size > size || caps.hdr.size < NDIS_OFFLOAD_SIZE_6_0)
			abort();
		sum += caps.lsov2.ip4_max_size;
	}
	/* ... and as RSS capabilities */
	if (rndis_parse_rss_caps(p, (u32)size, &type, &why) == 0) {
		if (size < 16 || !type)
			abort();
		sum += type;
	}
	(void)sum;
	free(p);
	return 0;
}
