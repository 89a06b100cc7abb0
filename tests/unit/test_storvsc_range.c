// SPDX-License-Identifier: GPL-2.0-only
/*
 * vstor_range_add(): a request's scatterlist as the single GPA range of an
 * EXECUTE_SRB.  The host reads the listed pages as one buffer from
 * byte_offset on, so pieces may meet only at page boundaries or where they
 * are physically contiguous.
 */
#include "test.h"
#include "storvsc_proto.h"

#define TEST_SUITE "storvsc_range"

#define PG 4096ull

struct piece {
	u64 phys;
	u32 len;
};

/* Adds the pieces; returns the first error, the PFNs in pfn[], count in *n. */
static int build(const struct piece *p, int np, u64 *pfn, u32 max, u32 *n)
{
	u64 end = 0;
	int i, rc;

	*n = 0;
	for (i = 0; i < np; i++) {
		rc = vstor_range_add(pfn, max, n, &end, p[i].phys, p[i].len);
		if (rc)
			return rc;
	}
	return 0;
}

/* The pieces build without error into exactly the PFNs want[nwant]. */
static void expect_pfns(const struct piece *p, int np, const u64 *want, u32 nwant)
{
	u64 pfn[8];
	u32 n, i;

	CHECK_EQ(build(p, np, pfn, 8, &n), 0);
	CHECK_EQ(n, nwant);
	for (i = 0; i < nwant; i++)
		CHECK_MSG(pfn[i] == want[i], "pfn[%u] = %llu, want %llu", i,
			  (unsigned long long)pfn[i], (unsigned long long)want[i]);
}

TEST(page_aligned_pieces)
{
	const struct piece p[] = {
		{ 10 * PG + 512, PG - 512 },	/* starts inside its page */
		{ 20 * PG, 2 * PG },
		{ 7 * PG, 100 },		/* ends inside its page */
	};
	const u64 want[] = { 10, 20, 21, 7 };

	expect_pfns(p, 3, want, 4);
}

/* Two 1 KiB blocks of one page, not merged (no segment clustering, v4.19). */
TEST(contiguous_inside_one_page)
{
	const struct piece p[] = { { 5 * PG, 1024 }, { 5 * PG + 1024, 1024 } };
	const u64 want[] = { 5 };

	expect_pfns(p, 2, want, 1);
}

TEST(contiguous_across_pages)
{
	const struct piece p[] = {
		{ 5 * PG + 3072, 2048 },	/* pages 5 and 6 */
		{ 6 * PG + 1024, 4096 },	/* pages 6 and 7 */
		{ 7 * PG + 1024, 3072 },	/* ends at 8 * PG: page 7 only */
		{ 8 * PG, 10 },			/* contiguous and page aligned */
	};
	const u64 want[] = { 5, 6, 7, 8 };

	expect_pfns(p, 4, want, 4);
}

TEST(gaps_refused)
{
	const struct piece after_partial[] = { { 5 * PG, 1024 }, { 9 * PG, 512 } };
	const struct piece inside_page[] = { { 5 * PG, PG }, { 9 * PG + 512, 512 } };
	const struct piece same_page_hole[] = { { 5 * PG, 1024 }, { 5 * PG + 2048, 512 } };
	const struct piece backwards[] = { { 5 * PG + 1024, 1024 }, { 5 * PG, 1024 } };
	u64 pfn[8];
	u32 n;

	CHECK_EQ(build(after_partial, 2, pfn, 8, &n), -EINVAL);
	CHECK_EQ(build(inside_page, 2, pfn, 8, &n), -EINVAL);
	CHECK_EQ(build(same_page_hole, 2, pfn, 8, &n), -EINVAL);
	CHECK_EQ(build(backwards, 2, pfn, 8, &n), -EINVAL);
}

TEST(bounds)
{
	const struct piece three[] = { { 0, 3 * PG } };
	const struct piece empty[] = { { 5 * PG, 0 } };
	const struct piece wrap[] = { { ~0ull - 10, 100 } };
	u64 pfn[4] = { 0, 0, 0, 0xabcd };
	u32 n;

	CHECK_EQ(build(three, 1, pfn, 2, &n), -EINVAL);
	CHECK_EQ(n, 0);
	CHECK_EQ(pfn[3], 0xabcd);
	CHECK_EQ(build(three, 1, pfn, 3, &n), 0);
	CHECK_EQ(n, 3);
	CHECK_EQ(build(empty, 1, pfn, 4, &n), -EINVAL);
	CHECK_EQ(build(wrap, 1, pfn, 4, &n), -EINVAL);
}

/* Random scatterlists over random pages: the range always reads back the same bytes. */
TEST(model)
{
	static u8 mem[64 * 4096], want[16 * 4096], got[16 * 4096];
	u64 seed = 0x5eed5eedull, pfn[32];
	int iter;

	for (iter = 0; iter < (int)sizeof(mem); iter++)
		mem[iter] = (u8)(iter * 7 + iter / 4096);
	for (iter = 0; iter < 20000; iter++) {
		u64 end = 0, phys = 0, off;
		u32 n = 0, total = 0, i;
		int np = 1 + (int)(test_rand(&seed) % 5), k, rc = 0;

		for (k = 0; k < np && !rc; k++) {
			u32 len = 1 + (u32)(test_rand(&seed) % (2 * PG));
			u64 r = test_rand(&seed) % 4;

			if (k && r == 0)		/* contiguous */
				phys = end;
			else if (k && r == 1)		/* arbitrary: maybe a gap */
				phys = test_rand(&seed) % (40 * PG);
			else				/* a page start (first: any) */
				phys = (test_rand(&seed) % 40) * PG +
				       (k ? 0 : test_rand(&seed) % PG);
			rc = vstor_range_add(pfn, 32, &n, &end, phys, len);
			if (!rc) {
				memcpy(want + total, mem + phys, len);
				total += len;
			}
		}
		if (rc)
			continue;
		/* read as the host does: byte_offset into pfn[0], then page by page */
		off = (end - total) & (PG - 1);
		for (i = 0; i < total; i++) {
			u64 pos = off + i;

			CHECK_MSG(pos / PG < n, "iter %d: byte %u past %u pages", iter, i, n);
			got[i] = mem[pfn[pos / PG] * PG + pos % PG];
		}
		CHECK_MSG(!memcmp(want, got, total), "iter %d: %d pieces read back wrong", iter, np);
		CHECK_EQ(n, (off + total + PG - 1) / PG);
	}
}
