// SPDX-License-Identifier: GPL-2.0-only
/*
 * Randomized model test: one writer and one reader drive the ring with
 * random operations; an independent reference model predicts every
 * return code, every index, every byte read back and every signal.
 */
#include "ring_util.h"
#include "test.h"

#define TEST_SUITE "ring"
#define MODEL_OPS	100000
#define QMAX		1024

struct model {
	u32 size;
	u32 w, r_pub, r_priv;		/* indices as the model predicts them */
	u64 seq[QMAX];
	u32 plen[QMAX];
	u32 q_priv, q_end;		/* packets [q_priv, q_end) are unread */
	bool mask, feature;
	u32 pending;			/* what the waiting writer asked for */
	bool woken;			/* a commit signalled since then */
	bool pend_feat;			/* pending was set with the feature on */
	u64 next_seq;
	unsigned long writes, eagain, emsgsize, reads, enobufs, skips;
	unsigned long wsignals, rsignals;
};

static u32 m_used(const struct model *m, u32 w, u32 r)
{
	return (w - r + m->size) % m->size;
}

static u8 msrc[16384], mdst[16384];

static u32 random_plen(u64 *s)
{
	u32 c = test_rand_below(s, 100);

	if (c < 70)
		return test_rand_below(s, 201);
	if (c < 95)
		return 200 + test_rand_below(s, 1800);
	return 2000 + test_rand_below(s, 6300);	/* some never fit */
}

TEST(model_random_100k)
{
	static struct model m;
	struct tring t;
	u64 s = 0x1234abcdull;
	unsigned long op;

	memset(&m, 0, sizeof(m));
	CHECK_EQ(tring_init(&t, 3 * HV_PAGE_SIZE), 0);
	m.size = t.size;

	for (op = 0; op < MODEL_OPS; op++) {
		u32 c = test_rand_below(&s, 100);
		bool sig;
		u32 len;
		int ret;

		if (c < 45) {		/* write */
			u32 plen = random_plen(&s);
			u32 need = pkt_need(plen);
			u32 raw = m.size - m_used(&m, m.w, m.r_pub);
			u64 seq = ++m.next_seq;
			int expect;

			expect = need > m.size - 8 ? -EMSGSIZE :
				 raw <= need ? -EAGAIN : 0;
			fill_pattern(msrc, plen, seq);
			ret = put_pkt_split(&t.w, seq, msrc, plen,
					    test_rand_below(&s, plen + 1), &sig);
			CHECK_MSG(ret == expect, "op %lu: write %u bytes: %d, model %d",
				  op, need, ret, expect);
			if (ret == 0) {
				bool esig = !m.mask && m.r_pub == m.w;

				CHECK_MSG(sig == esig, "op %lu: write signal %d, model %d",
					  op, sig, esig);
				m.wsignals += sig;
				m.seq[m.q_end % QMAX] = seq;
				m.plen[m.q_end % QMAX] = plen;
				m.q_end++;
				CHECK(m.q_end - m.q_priv < QMAX);
				m.w = (m.w + need) % m.size;
				m.writes++;
				if (m.pending) {
					hv_ring_clear_pending_send(&t.w);
					m.pending = 0;
				}
			} else if (ret == -EAGAIN) {
				m.eagain++;
				if (!m.pending && test_rand_below(&s, 2)) {
					hv_ring_set_pending_send(&t.w, need);
					m.pending = need;
					m.woken = false;
					m.pend_feat = m.feature;
					/* the documented retry after asking */
					CHECK_EQ(put_pkt(&t.w, seq, msrc, plen, &sig), -EAGAIN);
				}
			} else {
				m.emsgsize++;
			}
		} else if (c < 85) {	/* read, or skip */
			bool skip = c >= 80;
			u32 buf_len = test_rand_below(&s, 10) < 7 ?
				sizeof(mdst) : test_rand_below(&s, 2100);

			ret = skip ? hv_ring_skip(&t.r) :
			      hv_ring_read(&t.r, mdst, buf_len, &len);
			if (m.q_priv == m.q_end) {
				CHECK_MSG(ret == -EAGAIN, "op %lu: read on empty: %d",
					  op, ret);
				continue;
			}
			{
				u32 plen = m.plen[m.q_priv % QMAX];
				u64 seq = m.seq[m.q_priv % QMAX];
				u32 plen8 = 16 + round8(plen);

				if (!skip && buf_len < plen8) {
					CHECK_MSG(ret == -ENOBUFS && len == plen8,
						  "op %lu: small buffer: %d", op, ret);
					m.enobufs++;
					continue;
				}
				CHECK_MSG(ret == 0, "op %lu: read: %d", op, ret);
				if (!skip) {
					const struct vmbus_pkt_desc *d = (void *)mdst;

					CHECK_EQ(len, plen8);
					CHECK(d->trans_id == seq);
					CHECK_EQ(d->offset8, 2);
					CHECK_EQ(d->len8 * 8, plen8);
					CHECK_MSG(check_pattern(mdst + 16, plen, seq),
						  "op %lu: payload of packet %llu differs",
						  op, (unsigned long long)seq);
					m.reads++;
				} else {
					m.skips++;
				}
				m.q_priv++;
				m.r_priv = (m.r_priv + plen8 + 8) % m.size;
			}
		} else if (c < 95) {	/* commit */
			u32 before = m.size - m_used(&m, m.w, m.r_pub);
			u32 after = m.size - m_used(&m, m.w, m.r_priv);
			bool esig = m.r_priv != m.r_pub && m.feature && m.pending &&
				    before <= m.pending && m.pending < after;

			hv_ring_commit_read(&t.r, &sig);
			CHECK_MSG(sig == esig, "op %lu: commit signal %d, model %d "
				  "(before %u after %u pending %u)", op, sig, esig,
				  before, after, m.pending);
			m.rsignals += sig;
			m.r_pub = m.r_priv;
			if (sig)
				m.woken = true;
			/* no lost wakeup: a waiting writer that now fits was told */
			if (m.pend_feat && m.pending && after > m.pending)
				CHECK_MSG(m.woken, "op %lu: writer fits but not woken", op);
		} else if (c < 98) {	/* interrupt mask */
			if (test_rand_below(&s, 2)) {
				hv_ring_mask_interrupts(&t.r);
				m.mask = true;
			} else {
				bool more = hv_ring_unmask_interrupts(&t.r);

				CHECK_EQ(more, m.q_priv != m.q_end);
				m.mask = false;
			}
		} else if (c < 99) {	/* the writer's feature bit, once */
			if (!m.feature) {
				hv_ring_set_features(&t.w);
				m.feature = true;
			}
		} else {		/* cross-check the shared state */
			struct hv_ring_state st;

			CHECK_EQ(hv_ring_has_data(&t.r), m.q_priv != m.q_end);
			CHECK_EQ(hv_ring_bytes_free(&t.w),
				 m.size - m_used(&m, m.w, m.r_pub) - 8);
			hv_ring_get_state(&t.r, &st);
			CHECK_EQ(st.write_index, m.w);
			CHECK_EQ(st.read_index, m.r_pub);
			CHECK_EQ(st.pending_send_sz, m.pending);
		}
	}
	/* the run must have exercised every path, or the test proves little */
	CHECK_MSG(m.writes > 10000 && m.eagain > 1000 && m.emsgsize > 20 &&
		  m.enobufs > 100 && m.skips > 1000 && m.wsignals > 100 &&
		  m.rsignals > 100,
		  "coverage: writes %lu eagain %lu emsgsize %lu enobufs %lu skips %lu "
		  "wsig %lu rsig %lu", m.writes, m.eagain, m.emsgsize, m.enobufs,
		  m.skips, m.wsignals, m.rsignals);
	tring_free(&t);
}
