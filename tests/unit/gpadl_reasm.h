/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An independent GPADL reassembler for the tests and fuzz_gpadl: it reads
 * the messages at byte offsets (protocol-facts §2.2, §3.4) the way a host
 * does and never uses the encoder's structures.
 */
#ifndef HVLIS_GPADL_REASM_H
#define HVLIS_GPADL_REASM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct gpadl_reasm {
	uint64_t *pfns;
	uint32_t cap;
	bool have_header;
	uint32_t relid, gpadl, byte_count, total, got;
	const char *err;
};

static inline void gpadl_reasm_init(struct gpadl_reasm *ra, uint64_t *pfns,
				    uint32_t cap)
{
	memset(ra, 0, sizeof(*ra));
	ra->pfns = pfns;
	ra->cap = cap;
}

static inline uint32_t ra_u32(const uint8_t *p, unsigned int off)
{
	uint32_t v;

	memcpy(&v, p + off, 4);
	return v;
}

static inline uint16_t ra_u16(const uint8_t *p, unsigned int off)
{
	uint16_t v;

	memcpy(&v, p + off, 2);
	return v;
}

static inline int ra_fail(struct gpadl_reasm *ra, const char *why)
{
	ra->err = why;
	return -1;
}

/* Feed one message (payload of a SynIC message); 0 or -1 with ra->err. */
static inline int gpadl_reasm_feed(struct gpadl_reasm *ra, const void *msg,
				   uint32_t len)
{
	const uint8_t *p = msg;
	uint32_t n;

	if (len > 240 || len < 8)
		return ra_fail(ra, "bad message length");
	if (!ra->have_header) {
		uint16_t buflen;

		if (ra_u32(p, 0) != 8)
			return ra_fail(ra, "first message is not GPADL_HEADER");
		if (len < 28 || (len - 28) % 8)
			return ra_fail(ra, "header length not 28 + 8k");
		buflen = ra_u16(p, 16);
		if (ra_u16(p, 18) != 1)
			return ra_fail(ra, "rangecount != 1");
		if (buflen < 16 || (buflen - 8) % 8)
			return ra_fail(ra, "range_buflen not 8 + 8k, k >= 1");
		if (ra_u32(p, 24) != 0)
			return ra_fail(ra, "byte_offset != 0");
		ra->relid = ra_u32(p, 8);
		ra->gpadl = ra_u32(p, 12);
		ra->total = (buflen - 8) / 8;
		ra->byte_count = ra_u32(p, 20);
		if ((ra->byte_count + 4095ull) / 4096 != ra->total)
			return ra_fail(ra, "byte_count does not match range_buflen");
		if (ra->total > ra->cap)
			return ra_fail(ra, "too many pfns");
		n = (len - 28) / 8;
		if (n > ra->total)
			return ra_fail(ra, "header carries more pfns than the range");
		if (n < ra->total && n != 26)
			return ra_fail(ra, "header not full although bodies follow");
		memcpy(ra->pfns, p + 28, 8ull * n);
		ra->got = n;
		ra->have_header = true;
		return 0;
	}
	if (ra_u32(p, 0) != 9)
		return ra_fail(ra, "expected GPADL_BODY");
	if (len < 16 || (len - 16) % 8)
		return ra_fail(ra, "body length not 16 + 8k");
	if (ra_u32(p, 12) != ra->gpadl)
		return ra_fail(ra, "body for another gpadl");
	n = (len - 16) / 8;
	if (n == 0 || ra->got + n > ra->total)
		return ra_fail(ra, "body pfns past the range");
	if (ra->got + n < ra->total && n != 28)
		return ra_fail(ra, "body not full although more follow");
	memcpy(ra->pfns + ra->got, p + 16, 8ull * n);
	ra->got += n;
	return 0;
}

static inline bool gpadl_reasm_complete(const struct gpadl_reasm *ra)
{
	return ra->have_header && ra->got == ra->total;
}

#endif /* HVLIS_GPADL_REASM_H */
