/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The thin portability layer that lets the protocol code (ring buffer,
 * message codecs) build both in the kernel and in tests/unit.  Nothing in
 * those files may include a kernel header directly.
 */
#ifndef HV_PORT_H
#define HV_PORT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/bug.h>		/* BUILD_BUG_ON_ZERO() behind ARRAY_SIZE() */
#include <linux/atomic.h>	/* xchg() behind virt_store_mb() */
#include <asm/barrier.h>

#define hv_load(x)		READ_ONCE(x)
#define hv_store(x, v)		WRITE_ONCE(x, v)
/*
 * Barriers between guest and host, which is another "CPU" even on a UP
 * kernel: the ring code says at each use which accesses they order.
 */
#define hv_mb()			virt_mb()	/* full */
#define hv_store_mb(x, v)	virt_store_mb(x, v)	/* store, then full */
#define hv_rmb()		compat_virt_rmb()	/* index read before data */
#define hv_wmb()		virt_wmb()	/* data written before index */
#define hv_likely(x)		likely(x)
#define hv_unlikely(x)		unlikely(x)
#define hv_noinline		noinline

#else /* userspace: tests/unit */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include "hv_wire_common.h"

#define hv_load(x)		__atomic_load_n((__typeof__(x) *)(void *)&(x), __ATOMIC_RELAXED)
#define hv_store(x, v)		__atomic_store_n((__typeof__(x) *)(void *)&(x), (v), __ATOMIC_RELAXED)
/*
 * The kernel's smp_mb() on x86-64 is a locked add to the stack, not
 * MFENCE (both order stores before later loads; MFENCE also orders
 * non-temporal and WC accesses, which the ring never uses).  Use the
 * same instruction here so that the unit tests and make bench run the
 * barrier the module runs.  ThreadSanitizer does not see inline asm:
 * it gets the C11 fence.
 */
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
static inline void hv_mb_locked_add(void)
{
	__asm__ __volatile__("lock; addl $0,-4(%%rsp)" ::: "memory", "cc");
}
#define hv_mb()			hv_mb_locked_add()
#else
#define hv_mb()			__atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
/* store, then a full barrier: one XCHG on x86, as smp_store_mb() */
#ifndef HV_BENCH_NO_STORE_MB
#define hv_store_mb(x, v)	__atomic_exchange_n((__typeof__(x) *)(void *)&(x), (v), __ATOMIC_SEQ_CST)
#else
/*
 * Only for make bench's reference build (bench_ring_nobarrier): the
 * writer's store->load barrier left out, to show its share of the cost.
 * Unsafe (a reader going idle can miss the packet); never in a test.
 */
#define hv_store_mb(x, v)	hv_store(x, v)
#endif
#define hv_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define hv_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define hv_likely(x)		__builtin_expect(!!(x), 1)
#define hv_unlikely(x)		__builtin_expect(!!(x), 0)
#define hv_noinline		__attribute__((noinline))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#endif

#endif /* HV_PORT_H */
