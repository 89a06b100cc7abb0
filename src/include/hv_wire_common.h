/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Base types for the Hyper-V wire formats.
 *
 * These headers are pure C: they build in the kernel and, through this
 * file, in userspace (tests/unit), so every size and offset below is
 * checked at compile time in both worlds.  Hyper-V only runs
 * little-endian guests, so wire fields are plain fixed-width integers.
 */
#ifndef HV_WIRE_COMMON_H
#define HV_WIRE_COMMON_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "Hyper-V wire formats are little-endian; big-endian guests do not exist"
#endif

#define HV_WIRE_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), "size of " #type)
#define HV_WIRE_OFF(type, field, off) \
	_Static_assert(__builtin_offsetof(type, field) == (off), \
		       "offset of " #type "." #field)

#define HV_PAGE_SHIFT	12
#define HV_PAGE_SIZE	4096u

/*
 * A GUID as stored on the wire: the first three fields little-endian
 * (Windows layout), the last eight bytes in order.
 */
struct hv_guid {
	u8 b[16];
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_guid, 16);

#define HV_GUID_INIT(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)		\
	{ { (a) & 0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff,		\
	    ((a) >> 24) & 0xff, (b) & 0xff, ((b) >> 8) & 0xff,		\
	    (c) & 0xff, ((c) >> 8) & 0xff,				\
	    (d0), (d1), (d2), (d3), (d4), (d5), (d6), (d7) } }

#endif /* HV_WIRE_COMMON_H */
