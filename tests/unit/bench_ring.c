// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ring throughput benchmark (scripts/bench.sh ring), built -O2 without
 * sanitizers from the same hv_ring.c as the module.
 *
 *   bench_ring                 full run: 64 B, 1500 B, 64 KiB packets
 *   bench_ring --ipp SIZE N    N packets through ring_pass() only, for
 *                              instruction counting under callgrind
 *   bench_ring --ipp-memcpy SIZE N   the same for the memcpy baseline
 *
 * Single thread: write packets into a 256 KiB ring until it is full,
 * read them all back, commit, repeat.  The memcpy baseline does the same
 * two copies per packet (payload into a 256 KiB staging area at the same
 * offsets, then out to the reader's buffer) with plain memcpy and no ring
 * logic, so "ratio" is what the ring protocol costs on top of the copies
 * it cannot avoid.  A single-copy memcpy rate is printed for context.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hv_ring.h"

#define DATA_BYTES	(256u * 1024)
#define RING_BYTES	(DATA_BYTES + HV_PAGE_SIZE)
#define MAX_PAYLOAD	65536u
#define RUN_SECONDS	0.5	/* two-thread run */

struct ctx {
	struct hv_ring w, r;
	u8 *mem;
	u32 payload;
	struct vmbus_pkt_desc desc;
	struct hv_ring_seg segs[3];
	unsigned int nsegs;
	u8 *src, *dst;
	u8 *staging;
};

static u8 zero_pad[8];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void ctx_init(struct ctx *c, u32 payload)
{
	u32 i;

	memset(c, 0, sizeof(*c));
	c->mem = aligned_alloc(HV_PAGE_SIZE, RING_BYTES);
	c->src = aligned_alloc(64, MAX_PAYLOAD + 64);
	c->dst = aligned_alloc(64, MAX_PAYLOAD + 64);
	c->staging = aligned_alloc(HV_PAGE_SIZE, DATA_BYTES);
	if (!c->mem || !c->src || !c->dst || !c->staging) {
		perror("alloc");
		exit(1);
	}
	memset(c->mem, 0, RING_BYTES);
	memset(c->staging, 0, DATA_BYTES);
	for (i = 0; i < MAX_PAYLOAD; i++)
		c->src[i] = (u8)(i * 7 + 1);
	if (hv_ring_setup(&c->w, c->mem, RING_BYTES) ||
	    hv_ring_setup(&c->r, c->mem, RING_BYTES)) {
		fprintf(stderr, "ring setup failed\n");
		exit(1);
	}
	hv_ring_set_features(&c->w);
	c->payload = payload;
	c->desc.type = VMBUS_PKT_DATA_INBAND;
	c->desc.offset8 = 2;
	c->desc.len8 = (u16)((16 + ((payload + 7) & ~7u)) / 8);
	c->segs[0].base = &c->desc;
	c->segs[0].len = sizeof(c->desc);
	c->segs[1].base = c->src;
	c->segs[1].len = payload;
	c->segs[2].base = zero_pad;
	c->segs[2].len = ((payload + 7) & ~7u) - payload;
	c->nsegs = c->segs[2].len ? 3 : 2;
}

static void ctx_free(struct ctx *c)
{
	free(c->mem);
	free(c->src);
	free(c->dst);
	free(c->staging);
}

/* Fill the ring, drain it, commit.  Returns the packets moved. */
static __attribute__((noinline)) u32 ring_pass(struct ctx *c)
{
	u32 n = 0, m = 0, len;
	bool sig;

	while (hv_ring_write(&c->w, c->segs, c->nsegs, &sig) == 0) {
		c->desc.trans_id++;
		n++;
	}
	while (hv_ring_read(&c->r, c->dst, MAX_PAYLOAD + 64, &len) == 0)
		m++;
	hv_ring_commit_read(&c->r, &sig);
	if (n != m || !n) {
		fprintf(stderr, "ring_pass: wrote %u, read %u\n", n, m);
		exit(1);
	}
	return n;
}

/* The same two copies per packet, at the same offsets, without the ring. */
static __attribute__((noinline)) u32 memcpy_pass(struct ctx *c, u32 *pos)
{
	u32 need = 16 + ((c->payload + 7) & ~7u) + 8, n = 0, i, p = *pos;
	u32 start = p, k;

	/* as many packets as the ring takes: it keeps 8 bytes free */
	for (k = 0; (k + 1) * need < DATA_BYTES; k++)
		;
	for (i = 0; i < k; i++) {
		u32 at = (p + 16) % DATA_BYTES, first = DATA_BYTES - at;

		if (c->payload <= first) {
			memcpy(c->staging + at, c->src, c->payload);
		} else {
			memcpy(c->staging + at, c->src, first);
			memcpy(c->staging, c->src + first, c->payload - first);
		}
		p = (p + need) % DATA_BYTES;
		n++;
	}
	p = start;
	for (i = 0; i < k; i++) {
		u32 at = (p + 16) % DATA_BYTES, first = DATA_BYTES - at;

		if (c->payload <= first) {
			memcpy(c->dst + 16, c->staging + at, c->payload);
		} else {
			memcpy(c->dst + 16, c->staging + at, first);
			memcpy(c->dst + 16 + first, c->staging, c->payload - first);
		}
		p = (p + need) % DATA_BYTES;
	}
	*pos = p;
	return n;
}

/*
 * The machine is shared: each figure is the best of TRIALS short slices,
 * and the ring and memcpy slices alternate so both see the same load.
 */
#define TRIALS		60
#define SLICE_SECONDS	0.01

enum kind { K_RING, K_MEMCPY, K_ONCE };

static double slice(struct ctx *c, enum kind k, u32 *pos)
{
	double t0 = now_s(), t, pkts = 0;
	u32 i;

	do {
		switch (k) {
		case K_RING:
			pkts += ring_pass(c);
			break;
		case K_MEMCPY:
			pkts += memcpy_pass(c, pos);
			break;
		case K_ONCE:
			for (i = 0; i < 64; i++) {
				memcpy(c->dst, c->src, c->payload);
				__asm__ volatile("" : : "r"(c->dst) : "memory");
			}
			pkts += 64;
			break;
		}
		t = now_s();
	} while (t - t0 < SLICE_SECONDS);
	return pkts * c->payload / (t - t0) / 1e9;
}

/* best[K_*] in GB/s; *mpps from the best ring slice */
static void run_single(u32 payload, double best[3], double *mpps)
{
	struct ctx cr, cm;
	u32 pos = 0;
	int i, k;

	ctx_init(&cr, payload);
	ctx_init(&cm, payload);
	ring_pass(&cr);			/* warm up, and check the data once */
	if (memcmp(cr.dst + 16, cr.src, payload)) {
		fprintf(stderr, "ring bench: payload mismatch\n");
		exit(1);
	}
	memcpy_pass(&cm, &pos);
	best[0] = best[1] = best[2] = 0;
	for (i = 0; i < TRIALS; i++) {
		for (k = 0; k < 3; k++) {
			double gbs = slice(k == K_RING ? &cr : &cm, k, &pos);

			if (gbs > best[k])
				best[k] = gbs;
		}
	}
	*mpps = best[K_RING] * 1e9 / payload / 1e6;
	ctx_free(&cr);
	ctx_free(&cm);
}

/* Two threads: a writer and a reader spinning on the shared ring. */
struct tctx {
	struct ctx c;
	volatile bool stop;		/* writer: stop writing */
	volatile bool writer_done;	/* reader: drain and stop */
	u64 written, read;
};

/* spin briefly, then let the other thread have the CPU */
static void relax(unsigned int *spins)
{
	if (++*spins < 64) {
		__builtin_ia32_pause();
	} else {
		sched_yield();
		*spins = 0;
	}
}

static void *tw_main(void *arg)
{
	struct tctx *t = arg;
	unsigned int spins = 0;
	bool sig;

	while (!t->stop) {
		if (hv_ring_write(&t->c.w, t->c.segs, t->c.nsegs, &sig) == 0) {
			t->written++;
			spins = 0;
		} else {
			relax(&spins);
		}
	}
	return NULL;
}

static void *tr_main(void *arg)
{
	struct tctx *t = arg;
	unsigned int spins = 0;
	u32 len, batch = 0;
	bool sig;

	for (;;) {
		if (hv_ring_read(&t->c.r, t->c.dst, MAX_PAYLOAD + 64, &len) == 0) {
			t->read++;
			spins = 0;
			if (++batch == 16) {
				hv_ring_commit_read(&t->c.r, &sig);
				batch = 0;
			}
			continue;
		}
		hv_ring_commit_read(&t->c.r, &sig);
		batch = 0;
		if (t->writer_done && !hv_ring_has_data(&t->c.r))
			break;
		relax(&spins);
	}
	return NULL;
}

/* Best 20 ms rate while both threads run for RUN_SECONDS. */
static double run_threads(u32 payload)
{
	static struct tctx t;
	struct timespec tick = { 0, (long)(SLICE_SECONDS * 1e9) };
	pthread_t w, r;
	double t0, prev_t, best = 0;
	u64 prev_n = 0;

	memset(&t, 0, sizeof(t));
	ctx_init(&t.c, payload);
	t0 = prev_t = now_s();
	pthread_create(&r, NULL, tr_main, &t);
	pthread_create(&w, NULL, tw_main, &t);
	while (prev_t - t0 < RUN_SECONDS) {
		double now, rate;
		u64 n;

		nanosleep(&tick, NULL);
		n = __atomic_load_n(&t.read, __ATOMIC_RELAXED);
		now = now_s();
		rate = (double)(n - prev_n) * payload / (now - prev_t) / 1e9;
		if (rate > best)
			best = rate;
		prev_n = n;
		prev_t = now;
	}
	t.stop = true;
	pthread_join(w, NULL);
	t.writer_done = true;
	pthread_join(r, NULL);
	ctx_free(&t.c);
	if (t.read != t.written) {
		fprintf(stderr, "threads: wrote %llu, read %llu\n",
			(unsigned long long)t.written, (unsigned long long)t.read);
		exit(1);
	}
	return best;
}

static const char *size_name(u32 s)
{
	static char b[32];

	if (s >= 1024 && !(s % 1024))
		snprintf(b, sizeof(b), "%u KiB", s / 1024);
	else
		snprintf(b, sizeof(b), "%u B", s);
	return b;
}

static int ipp(int argc, char **argv, bool memcpy_mode)
{
	struct ctx c;
	unsigned long want, done = 0;
	u32 payload, pos = 0;

	if (argc != 4)
		return 2;
	payload = (u32)strtoul(argv[2], NULL, 0);
	want = strtoul(argv[3], NULL, 0);
	if (payload == 0 || payload > MAX_PAYLOAD)
		return 2;
	ctx_init(&c, payload);
	while (done < want)
		done += memcpy_mode ? memcpy_pass(&c, &pos) : ring_pass(&c);
	ctx_free(&c);
	printf("packets %lu\n", done);
	return 0;
}

int main(int argc, char **argv)
{
	static const u32 sizes[] = { 64, 1500, 65536 };
	unsigned int i;

	if (argc > 1 && !strcmp(argv[1], "--ipp"))
		return ipp(argc, argv, false);
	if (argc > 1 && !strcmp(argv[1], "--ipp-memcpy"))
		return ipp(argc, argv, true);

	printf("ring: %u KiB data area; payload GB/s (1e9 B/s), best of %d slices of %.0f ms;\n"
	       "memcpy = the same two copies per packet without the ring\n",
	       DATA_BYTES / 1024, TRIALS, SLICE_SECONDS * 1e3);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		u32 s = sizes[i];
		double best[3], mpps, two;

		run_single(s, best, &mpps);
		two = run_threads(s);
		printf("ring %s: %.2f GB/s, memcpy %.2f GB/s, ratio %.2fx "
		       "(2 threads %.2f GB/s, %.2fx; single memcpy %.2f GB/s; %.1f Mpkt/s)\n",
		       size_name(s), best[K_RING], best[K_MEMCPY],
		       best[K_RING] / best[K_MEMCPY], two, two / best[K_MEMCPY],
		       best[K_ONCE], mpps);
	}
	return 0;
}
