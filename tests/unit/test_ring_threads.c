// SPDX-License-Identifier: GPL-2.0-only
/*
 * Two-thread stress: a writer and a reader thread share one ring and
 * "interrupt" each other only when hv_ring tells them to (semaphores
 * stand in for the signals).  Payloads carry their sequence number and a
 * pattern checked byte by byte.  A thread that sleeps on its semaphore
 * although it could proceed has lost a wakeup: the test fails.
 */
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

#include "ring_util.h"
#include "test.h"

#define TEST_SUITE "ring"
#define STRESS_SECONDS	1.2
#define WAIT_SECONDS	3

struct stress {
	struct tring t;
	sem_t reader_irq, writer_irq;
	volatile bool done;		/* writer finished */
	int w_busy, r_busy;		/* between a ring call and its sem_post */
	volatile u64 sent;
	u64 received;
	u64 wsig, rsig, wwaits, rwaits;
	char err[256];			/* first failure, from either thread */
	volatile bool failed;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void stress_fail(struct stress *st, const char *msg)
{
	if (!st->failed) {
		snprintf(st->err, sizeof(st->err), "%s", msg);
		st->failed = true;
	}
}

/* Wait for an interrupt; false on timeout. */
static bool wait_irq(sem_t *sem)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += WAIT_SECONDS;
	while (sem_timedwait(sem, &ts)) {
		if (errno != EINTR)
			return false;
	}
	return true;
}

static u32 stress_plen(u64 seq)
{
	u64 x = seq * 0x9e3779b97f4a7c15ull;

	/* mostly small, some big enough to force wraps and full rings */
	return (x >> 60) < 12 ? (u32)(x >> 40) % 300 : (u32)(x >> 40) % 3000;
}

static void *writer_main(void *arg)
{
	static u8 buf[4096];
	struct stress *st = arg;
	double end = now_s() + STRESS_SECONDS;
	u64 seq;

	for (seq = 1; !st->failed && now_s() < end; seq++) {
		u32 plen = stress_plen(seq);
		bool sig, asked = false;
		int ret;

		fill_pattern(buf, plen, seq);
		for (;;) {
			__atomic_store_n(&st->w_busy, 1, __ATOMIC_SEQ_CST);
			ret = put_pkt(&st->t.w, seq, buf, plen, &sig);
			if (ret != -EAGAIN)
				break;
			__atomic_store_n(&st->w_busy, 0, __ATOMIC_SEQ_CST);
			if (!asked) {
				hv_ring_set_pending_send(&st->t.w, pkt_need(plen));
				asked = true;
				continue;	/* retry once after asking */
			}
			st->wwaits++;
			while (!wait_irq(&st->writer_irq)) {
				/* room, and no commit on its way to signal us */
				if (hv_ring_bytes_free(&st->t.w) >= pkt_need(plen) &&
				    !__atomic_load_n(&st->r_busy, __ATOMIC_SEQ_CST)) {
					stress_fail(st, "writer: room but no signal (lost wakeup)");
					return NULL;
				}
				if (st->failed)
					return NULL;
			}
		}
		if (ret) {
			stress_fail(st, "writer: unexpected error");
			return NULL;
		}
		if (asked)
			hv_ring_clear_pending_send(&st->t.w);
		if (sig) {
			st->wsig++;
			sem_post(&st->reader_irq);
		}
		__atomic_store_n(&st->w_busy, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&st->sent, seq, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&st->done, true, __ATOMIC_RELEASE);
	sem_post(&st->reader_irq);
	return NULL;
}

static void reader_commit(struct stress *st)
{
	bool sig;

	__atomic_store_n(&st->r_busy, 1, __ATOMIC_SEQ_CST);
	hv_ring_commit_read(&st->t.r, &sig);
	if (sig) {
		st->rsig++;
		sem_post(&st->writer_irq);
	}
	__atomic_store_n(&st->r_busy, 0, __ATOMIC_SEQ_CST);
}

static void *reader_main(void *arg)
{
	static u8 buf[4096];
	struct stress *st = arg;
	unsigned int batch = 0;

	while (!st->failed) {
		u32 len;
		int ret;

		hv_ring_mask_interrupts(&st->t.r);
		while ((ret = hv_ring_read(&st->t.r, buf, sizeof(buf), &len)) == 0) {
			const struct vmbus_pkt_desc *d = (void *)buf;
			u64 seq = st->received + 1;
			u32 plen = stress_plen(seq);

			if (d->trans_id != seq || len != 16 + round8(plen) ||
			    !check_pattern(buf + 16, plen, seq)) {
				stress_fail(st, "reader: packet out of order or corrupt");
				return NULL;
			}
			st->received = seq;
			/* commit in small batches, as a driver's poll loop would */
			if (++batch % 3 == 0)
				reader_commit(st);
		}
		if (ret != -EAGAIN) {
			stress_fail(st, "reader: ring reported corruption");
			return NULL;
		}
		reader_commit(st);
		if (hv_ring_unmask_interrupts(&st->t.r))
			continue;	/* data raced in: poll again */
		if (__atomic_load_n(&st->done, __ATOMIC_ACQUIRE) &&
		    st->received == __atomic_load_n(&st->sent, __ATOMIC_ACQUIRE))
			return NULL;
		st->rwaits++;
		while (!wait_irq(&st->reader_irq)) {
			/* data, and no write on its way to signal us */
			if (hv_ring_has_data(&st->t.r) &&
			    !__atomic_load_n(&st->w_busy, __ATOMIC_SEQ_CST)) {
				stress_fail(st, "reader: data but no signal (lost wakeup)");
				return NULL;
			}
			if (st->failed)
				return NULL;
		}
	}
	return NULL;
}

static void run_stress(u32 ring_bytes)
{
	static struct stress st;
	pthread_t w, r;

	memset(&st, 0, sizeof(st));
	CHECK_EQ(tring_init(&st.t, ring_bytes), 0);
	hv_ring_set_features(&st.t.w);
	sem_init(&st.reader_irq, 0, 0);
	sem_init(&st.writer_irq, 0, 0);
	CHECK_EQ(pthread_create(&r, NULL, reader_main, &st), 0);
	CHECK_EQ(pthread_create(&w, NULL, writer_main, &st), 0);
	pthread_join(w, NULL);
	if (st.failed)		/* wake a reader stuck waiting */
		sem_post(&st.reader_irq);
	pthread_join(r, NULL);
	sem_destroy(&st.reader_irq);
	sem_destroy(&st.writer_irq);
	tring_free(&st.t);
	CHECK_MSG(!st.failed, "%s (sent %llu, received %llu)", st.err,
		  (unsigned long long)st.sent, (unsigned long long)st.received);
	CHECK_EQ(st.received, st.sent);
	CHECK_MSG(st.sent > 10000 && st.rsig > 0 && st.wsig > 0 && st.wwaits > 0,
		  "too little happened: sent %llu, signals %llu/%llu, writer waits %llu",
		  (unsigned long long)st.sent, (unsigned long long)st.wsig,
		  (unsigned long long)st.rsig, (unsigned long long)st.wwaits);
}

/* small ring: the writer blocks often and relies on pending_send_sz */
TEST(threads_stress_small_ring)
{
	run_stress(3 * HV_PAGE_SIZE);
}
