/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel compatibility layer, force-included (-include) ahead of every file
 * of the modules by src/Kbuild.
 *
 * Driver code calls the newest upstream API only.  Where the kernel being
 * built lacks it, this file supplies it under the upstream name, decided
 * by the probe results in compat_autoconf.h (scripts/conftest.sh).  This
 * file and src/compat/probes are the only places that know how kernels
 * differ; nothing here tests a version number.
 *
 * Because this file is read before the source file's own #includes, it
 * includes no kernel header (a driver may still define pr_fmt first) and
 * every wrapper is a macro, resolved where it is used.  A wrapper is only
 * ever defined for a name the kernel does not declare at all.
 */
#ifndef HVLIS_COMPAT_H
#define HVLIS_COMPAT_H

#ifdef __has_include
#if !__has_include("compat_autoconf.h")
#error "compat_autoconf.h missing: build through scripts/build-modules.sh (it runs scripts/conftest.sh)"
#endif
#endif
#include "compat_autoconf.h"

/* ---- language and compiler helpers ---- */

#ifndef HAVE_FALLTHROUGH
#if defined(__has_attribute)
#if __has_attribute(__fallthrough__)
#define fallthrough __attribute__((__fallthrough__))
#endif
#endif
#ifndef fallthrough
#define fallthrough do {} while (0)
#endif
#endif

#ifndef HAVE_STATIC_ASSERT
#define static_assert(expr, ...) __compat_static_assert(expr, ##__VA_ARGS__, #expr)
#define __compat_static_assert(expr, msg, ...) _Static_assert(expr, msg)
#endif

#ifndef HAVE_READ_ONCE
#define READ_ONCE(x) ACCESS_ONCE(x)
#define WRITE_ONCE(x, val) ({ ACCESS_ONCE(x) = (val); })
#endif

#ifndef HAVE_VIRT_MB
/*
 * Barriers against another (virtual) machine sharing memory: they must be
 * real barriers even in a kernel built without SMP, which mb() and
 * friends are.
 */
#define virt_mb()		mb()	/* full: the other side is another machine */
#define virt_wmb()		wmb()	/* stores: likewise */
#define virt_store_mb(var, v)	do {					\
	ACCESS_ONCE(var) = (v);						\
	mb(); /* store, then full barrier */				\
} while (0)
/*
 * Not virt_rmb(): RHEL 7's asm/pvclock.h defines one of its own, which
 * ours would clash with.  Ring code reads through compat_virt_rmb().
 */
#define compat_virt_rmb()	rmb()	/* loads: the other side is another machine */
#else
#define compat_virt_rmb()	virt_rmb()	/* loads, against another machine */
#endif

#ifndef HAVE_SMP_LOAD_ACQUIRE
/* A full barrier is stronger than acquire/release and exists everywhere. */
#define smp_load_acquire(p) ({						\
	typeof(*(p)) ___compat_v = ACCESS_ONCE(*(p));			\
	smp_mb(); /* later accesses stay after the load */		\
	___compat_v;							\
})
/* smp_store_release(): full barrier, then the store */
#define smp_store_release(p, v) do {					\
	smp_mb(); /* earlier accesses stay before the store */		\
	ACCESS_ONCE(*(p)) = (v);					\
} while (0)
#endif

/* ---- sizes, strings, memory ---- */

/*
 * Rule for every fallback below: its body uses only what v3.10 already
 * had, the names it defines itself, and the __hvlis_* helpers here, never
 * another upstream name that is newer than v3.10 (that name may be missing,
 * or live in a header the file did not include, exactly where the fallback
 * is needed).  scripts/check-static.sh compat-symbols checks this against
 * src/compat/symbols-since.txt.
 */

/* a * b, saturated at SIZE_MAX: an overflowing size then fails to allocate */
#define __hvlis_mul_sat(a, b) ({					\
	size_t ___compat_ma = (a), ___compat_mb = (b);			\
	(___compat_mb && ___compat_ma > (~(size_t)0) / ___compat_mb) ?	\
		(~(size_t)0) : ___compat_ma * ___compat_mb;		\
})

#ifndef HAVE_ARRAY_SIZE
#define array_size(a, b) __hvlis_mul_sat(a, b)
#define array3_size(a, b, c) __hvlis_mul_sat(__hvlis_mul_sat(a, b), c)
#endif

#ifndef HAVE_STRUCT_SIZE
#define struct_size(p, member, count) ({				\
	size_t ___compat_n = __hvlis_mul_sat(count, sizeof(*(p)->member)); \
	___compat_n > (~(size_t)0) - sizeof(*(p)) ?			\
		(~(size_t)0) : sizeof(*(p)) + ___compat_n;		\
})
#endif

#ifndef HAVE_STRSCPY
/* Copy a NUL-terminated string; -E2BIG when it had to be truncated. */
#define strscpy(dest, src, count) ({					\
	char *___compat_d = (dest);					\
	const char *___compat_s = (src);				\
	size_t ___compat_c = (count), ___compat_l;			\
	ssize_t ___compat_r = -E2BIG;					\
	if (___compat_c) {						\
		___compat_l = strnlen(___compat_s, ___compat_c);	\
		if (___compat_l < ___compat_c) {			\
			memcpy(___compat_d, ___compat_s, ___compat_l + 1); \
			___compat_r = ___compat_l;			\
		} else {						\
			memcpy(___compat_d, ___compat_s, ___compat_c - 1); \
			___compat_d[___compat_c - 1] = '\0';		\
		}							\
	}								\
	___compat_r;							\
})
#endif

/*
 * __hvlis_kvmalloc(): the kernel's kvmalloc() where it has one (v4.12),
 * else kmalloc falling back to vmalloc for large sizes (GFP_KERNEL only).
 * What it returns is freed with kvfree().
 */
#ifdef HAVE_KVMALLOC
#define __hvlis_kvmalloc(size, flags) kvmalloc(size, flags)
#else
#define __hvlis_kvmalloc(size, flags) ({				\
	size_t ___compat_s = (size);					\
	gfp_t ___compat_f = (flags);					\
	void *___compat_p = kmalloc(___compat_s, ___compat_f |		\
		(___compat_s > PAGE_SIZE ? __GFP_NOWARN | __GFP_NORETRY : 0)); \
	if (!___compat_p && ___compat_s > PAGE_SIZE)			\
		___compat_p = __vmalloc(___compat_s,			\
					___compat_f | __GFP_HIGHMEM,	\
					PAGE_KERNEL);			\
	___compat_p;							\
})
#define kvmalloc(size, flags) __hvlis_kvmalloc(size, flags)
#define kvzalloc(size, flags) __hvlis_kvmalloc(size, (flags) | __GFP_ZERO)
#endif

/* n elements of size bytes, NULL when n * size overflows */
#define __hvlis_kvmalloc_array(n, size, flags) ({			\
	size_t ___compat_an = (n), ___compat_as = (size);		\
	(___compat_as && ___compat_an > (~(size_t)0) / ___compat_as) ?	\
		NULL : __hvlis_kvmalloc(___compat_an * ___compat_as, flags); \
})

#ifndef HAVE_KVMALLOC_ARRAY
#define kvmalloc_array(n, size, flags) __hvlis_kvmalloc_array(n, size, flags)
#endif

#ifndef HAVE_KVCALLOC
#define kvcalloc(n, size, flags)					\
	__hvlis_kvmalloc_array(n, size, (flags) | __GFP_ZERO)
#endif

#ifndef HAVE_KVFREE
/* frees what kvmalloc() returned, whichever allocator it came from */
#define kvfree(ptr) do {						\
	const void *___compat_p = (ptr);				\
	if (is_vmalloc_addr(___compat_p))				\
		vfree(___compat_p);					\
	else								\
		kfree(___compat_p);					\
} while (0)
#endif

#ifndef HAVE_BITMAP_ZALLOC
#define bitmap_zalloc(nbits, flags)					\
	kcalloc(BITS_TO_LONGS(nbits), sizeof(unsigned long), flags)
#define bitmap_free(bitmap) kfree(bitmap)
#endif

/*
 * __vmalloc() lost its pgprot_t argument in v5.8 and there is no upstream
 * name for "allocate with these page protections" any more: code that
 * needs one tests HAVE_VMALLOC_PGPROT.  Plain allocations use vmalloc().
 */

/* ---- time ---- */

#ifndef HAVE_KTIME_GET_BOOTTIME_NS
#define ktime_get_boottime_ns() ktime_to_ns(ktime_get_boottime())
#endif

#ifndef HAVE_DO_SETTIMEOFDAY64
/* do_settimeofday() with a struct timespec: the same fields */
#define do_settimeofday64(ts64) ({					\
	const struct timespec64 *___compat_t64 = (ts64);		\
	struct timespec ___compat_ts = {				\
		.tv_sec = ___compat_t64->tv_sec,			\
		.tv_nsec = ___compat_t64->tv_nsec,			\
	};								\
	do_settimeofday(&___compat_ts);					\
})
#endif

#ifndef HAVE_TIMER_SETUP
/* Pre-4.14 callbacks took an unsigned long: pass the timer itself. */
#define timer_setup(timer, callback, flags)				\
	__setup_timer((timer), (void (*)(unsigned long))(callback),	\
		      (unsigned long)(timer), (flags))
#endif

#ifndef HAVE_TIMER_CONTAINER_OF
#define timer_container_of(var, callback_timer, timer_fieldname)	\
	container_of(callback_timer, typeof(*var), timer_fieldname)
#endif

#ifndef HAVE_TIMER_DELETE_SYNC
#define timer_delete_sync(timer) del_timer_sync(timer)
#endif

#ifndef HAVE_TIMER_DELETE
#define timer_delete(timer) del_timer(timer)
#endif

#ifndef HAVE_TASKLET_SETUP
/* Pre-5.9 callbacks took an unsigned long: pass the tasklet itself. */
#define tasklet_setup(t, callback)					\
	tasklet_init((t), (void (*)(unsigned long))(callback),		\
		     (unsigned long)(t))
#define from_tasklet(var, callback_tasklet, tasklet_fieldname)		\
	container_of(callback_tasklet, typeof(*var), tasklet_fieldname)
#endif

/* ---- files ---- */

#ifndef HAVE_POLL_T
/* ->poll returned a plain unsigned int mask before v4.15 */
#define __poll_t unsigned int
#endif

#ifndef HAVE_EPOLL_MASK
/* the POLL* values are the same bits */
#define EPOLLIN		POLLIN
#define EPOLLRDNORM	POLLRDNORM
#define EPOLLOUT	POLLOUT
#define EPOLLWRNORM	POLLWRNORM
#define EPOLLERR	POLLERR
#define EPOLLHUP	POLLHUP
#endif

/* ---- driver model ---- */

#ifndef HAVE_SYSFS_EMIT
#define sysfs_emit(buf, fmt, ...) scnprintf(buf, PAGE_SIZE, fmt, ##__VA_ARGS__)
#define sysfs_emit_at(buf, at, fmt, ...) ({				\
	int ___compat_at = (at);					\
	(___compat_at < 0 || ___compat_at >= (int)PAGE_SIZE) ? 0 :	\
		scnprintf((buf) + ___compat_at, PAGE_SIZE - ___compat_at, \
			  fmt, ##__VA_ARGS__);				\
})
#endif

#ifndef HAVE_DEVICE_ATTR_RO
#define DEVICE_ATTR_RO(_name)						\
	struct device_attribute dev_attr_##_name =			\
		__ATTR(_name, 0444, _name##_show, NULL)
#define DEVICE_ATTR_RW(_name)						\
	struct device_attribute dev_attr_##_name =			\
		__ATTR(_name, 0644, _name##_show, _name##_store)
#endif

#ifndef HAVE_DRIVER_ATTR_WO
#define DRIVER_ATTR_WO(_name)						\
	struct driver_attribute driver_attr_##_name =			\
		__ATTR(_name, 0200, NULL, _name##_store)
#endif

#ifndef HAVE_ATTRIBUTE_GROUPS
/* NAME_attrs[] -> NAME_group and the NULL-terminated NAME_groups[] */
#define ATTRIBUTE_GROUPS(_name)						\
	static const struct attribute_group _name##_group = {		\
		.attrs = _name##_attrs,					\
	};								\
	static const struct attribute_group *_name##_groups[] = {	\
		&_name##_group, NULL,					\
	}
#endif

#ifndef HAVE_PTR_ERR_OR_ZERO
#define PTR_ERR_OR_ZERO(ptr) ({						\
	const void *___compat_e = (ptr);				\
	IS_ERR(___compat_e) ? (int)PTR_ERR(___compat_e) : 0;		\
})
#endif

#ifndef HAVE_REINIT_COMPLETION
/* what INIT_COMPLETION() did: forget earlier complete() calls */
#define reinit_completion(x) ((void)((x)->done = 0))
#endif

#ifndef HAVE_PAGE_ALIGNED
#define PAGE_ALIGNED(addr) IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#endif

#ifndef HAVE_GUID_T
/* Before v4.13 the same 16-byte little-endian layout was uuid_le. */
#define guid_t uuid_le
#define GUID_INIT(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)		\
	UUID_LE(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)
#define guid_equal(u1, u2) ({						\
	const guid_t *___compat_u1 = (u1), *___compat_u2 = (u2);	\
	memcmp(___compat_u1, ___compat_u2, sizeof(guid_t)) == 0;	\
})
#define guid_copy(dst, src) ({						\
	guid_t *___compat_d = (dst);					\
	const guid_t *___compat_s = (src);				\
	memcpy(___compat_d, ___compat_s, sizeof(guid_t));		\
})
#define guid_is_null(guid) ({						\
	const guid_t *___compat_g = (guid);				\
	!memchr_inv(___compat_g, 0, sizeof(guid_t));			\
})
#endif

/*
 * struct bus_type callbacks.  Write them in the newest form:
 *	void remove(struct device *dev);
 *	int uevent(const struct device *dev, struct kobj_uevent_env *env);
 *	int match(struct device *dev, const struct device_driver *drv);
 * then, after each definition, DEFINE_COMPAT_BUS_REMOVE(fn); etc. (which
 * adds an adapter where the kernel wants the older form) and fill the
 * bus_type with .remove = compat_bus_remove(fn) and so on.
 */
#ifdef HAVE_BUS_REMOVE_VOID
#define DEFINE_COMPAT_BUS_REMOVE(fn) static void fn(struct device *dev)
#define compat_bus_remove(fn) (fn)
#else
#define DEFINE_COMPAT_BUS_REMOVE(fn)					\
	static int fn##__compat(struct device *dev)			\
	{								\
		fn(dev);						\
		return 0;						\
	}								\
	static int fn##__compat(struct device *dev)
#define compat_bus_remove(fn) (fn##__compat)
#endif

#ifdef HAVE_BUS_UEVENT_CONST
#define DEFINE_COMPAT_BUS_UEVENT(fn)					\
	static int fn(const struct device *dev, struct kobj_uevent_env *env)
#define compat_bus_uevent(fn) (fn)
#else
#define DEFINE_COMPAT_BUS_UEVENT(fn)					\
	static int fn##__compat(struct device *dev,			\
				struct kobj_uevent_env *env)		\
	{								\
		return fn(dev, env);					\
	}								\
	static int fn##__compat(struct device *dev,			\
				struct kobj_uevent_env *env)
#define compat_bus_uevent(fn) (fn##__compat)
#endif

#ifdef HAVE_BUS_MATCH_CONST
#define DEFINE_COMPAT_BUS_MATCH(fn)					\
	static int fn(struct device *dev, const struct device_driver *drv)
#define compat_bus_match(fn) (fn)
#else
#define DEFINE_COMPAT_BUS_MATCH(fn)					\
	static int fn##__compat(struct device *dev,			\
				struct device_driver *drv)		\
	{								\
		return fn(dev, drv);					\
	}								\
	static int fn##__compat(struct device *dev,			\
				struct device_driver *drv)
#define compat_bus_match(fn) (fn##__compat)
#endif

/*
 * "static compat_bus_const struct bus_type hv_bus = { ... };": const where
 * the driver core takes const bus_types (v6.4), plain before.
 */
#ifdef HAVE_BUS_TYPE_CONST
#define compat_bus_const const
#else
#define compat_bus_const
#endif

/* ---- x86 ---- */

#ifndef HAVE_RDMSRQ
#define rdmsrq(msr, val) rdmsrl(msr, val)
#define wrmsrq(msr, val) wrmsrl(msr, val)
#endif

/* ---- SCSI (hv_storvsc) ---- */

#ifndef HAVE_SCSI_DONE
#define scsi_done(cmd) ((cmd)->scsi_done(cmd))
#endif

#ifndef HAVE_SCSI_CMD_TO_RQ
#define scsi_cmd_to_rq(cmd) ((cmd)->request)
#endif

#ifndef HAVE_SCSI_HOST_BUSY
#ifdef HAVE_SCSI_HOST_BUSY_ATOMIC
#define scsi_host_busy(shost) atomic_read(&(shost)->host_busy)
#else
#define scsi_host_busy(shost) ((int)(shost)->host_busy)
#endif
#endif

/*
 * queuecommand's return type:
 * "static compat_scsi_qc_t storvsc_queuecommand(struct Scsi_Host *, ...)".
 */
#ifdef HAVE_SCSI_QC_STATUS
#define compat_scsi_qc_t enum scsi_qc_status
#else
#define compat_scsi_qc_t int
#endif

/* "static compat_sht_const struct scsi_host_template ..." */
#ifdef HAVE_SCSI_HOST_TEMPLATE_CONST
#define compat_sht_const const
#else
#define compat_sht_const
#endif

#endif /* HVLIS_COMPAT_H */
