/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypervisor interface used by VMBus: CPUID leaves, synthetic MSRs,
 * hypercalls and the SynIC message/event pages.
 * Source of the facts: Hyper-V TLFS v6.0b, sections "Feature Discovery",
 * "Inter-Partition Communication" and "SynIC".
 */
#ifndef HV_TLFS_H
#define HV_TLFS_H

#include "hv_wire_common.h"

/* CPUID */
#define HV_CPUID_VENDOR_AND_MAX		0x40000000u
#define HV_CPUID_INTERFACE		0x40000001u
#define HV_CPUID_VERSION		0x40000002u
#define HV_CPUID_FEATURES		0x40000003u
#define HV_CPUID_ENLIGHTENMENT_INFO	0x40000004u
#define HV_CPUID_IMPLEMENT_LIMITS	0x40000005u
#define HV_CPUID_ISOLATION_CONFIG	0x4000000cu
#define HV_SIGNATURE_EBX		0x7263694du	/* "Micr" */
#define HV_SIGNATURE_ECX		0x666f736fu	/* "osof" */
#define HV_SIGNATURE_EDX		0x76482074u	/* "t Hv" */
#define HV_INTERFACE_HV1		0x31237648u	/* "Hv#1" */

/* HV_CPUID_FEATURES.EAX: partition privileges, low half */
#define HV_PRIV_SYNIC			(1u << 2)
#define HV_PRIV_HYPERCALL		(1u << 5)
#define HV_PRIV_VP_INDEX		(1u << 6)
/* HV_CPUID_FEATURES.EBX: partition privileges, high half */
#define HV_PRIV_POST_MESSAGES		(1u << 4)
#define HV_PRIV_SIGNAL_EVENTS		(1u << 5)
#define HV_PRIV_ISOLATION		(1u << 22)
/* HV_CPUID_ENLIGHTENMENT_INFO.EAX */
#define HV_HINT_DEPRECATING_AEOI	(1u << 9)

/* Synthetic MSRs */
#define HV_MSR_GUEST_OS_ID		0x40000000u
#define HV_MSR_HYPERCALL		0x40000001u
#define HV_MSR_VP_INDEX			0x40000002u
#define HV_MSR_TIME_REF_COUNT		0x40000020u
#define HV_MSR_SCONTROL			0x40000080u
#define HV_MSR_SVERSION			0x40000081u
#define HV_MSR_SIEFP			0x40000082u
#define HV_MSR_SIMP			0x40000083u
#define HV_MSR_EOM			0x40000084u
#define HV_MSR_SINT0			0x40000090u
#define HV_MSR_CRASH_P0			0x40000100u
#define HV_MSR_CRASH_CTL		0x40000105u

#define HV_SCONTROL_ENABLE		(1ull << 0)
#define HV_SIMP_ENABLE			(1ull << 0)
#define HV_SIEFP_ENABLE			(1ull << 0)
#define HV_SINT_VECTOR_MASK		0xffull
#define HV_SINT_MASKED			(1ull << 16)
#define HV_SINT_AUTO_EOI		(1ull << 17)
#define HV_SINT_POLLING			(1ull << 18)

/* Hypercall control word and codes */
#define HV_HYPERCALL_FAST		(1ull << 16)
#define HV_CALL_POST_MESSAGE		0x005cu
#define HV_CALL_SIGNAL_EVENT		0x005du

/* Hypercall status (low 16 bits of the result) */
#define HV_STATUS_SUCCESS		0x00u
#define HV_STATUS_INVALID_HYPERCALL_CODE 0x02u
#define HV_STATUS_INVALID_HYPERCALL_INPUT 0x03u
#define HV_STATUS_INVALID_ALIGNMENT	0x04u
#define HV_STATUS_INVALID_PARAMETER	0x05u
#define HV_STATUS_ACCESS_DENIED		0x06u
#define HV_STATUS_INSUFFICIENT_MEMORY	0x0bu
#define HV_STATUS_INVALID_PORT_ID	0x11u
#define HV_STATUS_INVALID_CONNECTION_ID	0x12u
#define HV_STATUS_INSUFFICIENT_BUFFERS	0x13u
#define HV_STATUS_TIME_OUT		0x78u

/* SynIC: 16 SINTs, one 256-byte message slot and 256 bytes of flags each */
#define HV_SYNIC_SINT_COUNT		16
#define HV_VMBUS_SINT			2
#define HV_MESSAGE_SIZE			256
#define HV_MESSAGE_PAYLOAD_MAX		240
#define HV_EVENT_FLAGS_BYTES		256
#define HV_EVENT_FLAGS_BITS		(HV_EVENT_FLAGS_BYTES * 8)

/* Message types that can appear in a SynIC slot */
#define HV_MSGTYPE_NONE			0x00000000u
#define HV_MSGTYPE_VMBUS		0x00000001u
#define HV_MSGTYPE_TIMER_EXPIRED	0x80000010u

#define HV_MSG_FLAG_PENDING		0x01u

struct hv_message_header {
	u32 message_type;
	u8 payload_size;
	u8 message_flags;
	u16 reserved;
	u64 sender;		/* port id or partition id */
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_message_header, 16);

struct hv_message {
	struct hv_message_header header;
	u8 payload[HV_MESSAGE_PAYLOAD_MAX];
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_message, HV_MESSAGE_SIZE);
HV_WIRE_OFF(struct hv_message, header.message_type, 0);
HV_WIRE_OFF(struct hv_message, header.payload_size, 4);
HV_WIRE_OFF(struct hv_message, header.message_flags, 5);
HV_WIRE_OFF(struct hv_message, payload, 16);

struct hv_message_page {
	struct hv_message sint[HV_SYNIC_SINT_COUNT];
};
HV_WIRE_SIZE(struct hv_message_page, HV_PAGE_SIZE);

struct hv_event_flags_page {
	u8 sint[HV_SYNIC_SINT_COUNT][HV_EVENT_FLAGS_BYTES];
};
HV_WIRE_SIZE(struct hv_event_flags_page, HV_PAGE_SIZE);

/* HvCallPostMessage input (TLFS "HvPostMessage") */
struct hv_post_message_input {
	u32 connection_id;	/* bits 23:0 */
	u32 reserved;
	u32 message_type;	/* VMBus always uses HV_MSGTYPE_VMBUS */
	u32 payload_size;
	u8 payload[HV_MESSAGE_PAYLOAD_MAX];
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_post_message_input, 256);
HV_WIRE_OFF(struct hv_post_message_input, message_type, 8);
HV_WIRE_OFF(struct hv_post_message_input, payload_size, 12);
HV_WIRE_OFF(struct hv_post_message_input, payload, 16);

/* HvCallSignalEvent input, passed by value as a fast hypercall */
struct hv_signal_event_input {
	u32 connection_id;
	u16 flag_number;
	u16 reserved;
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_signal_event_input, 8);

/*
 * Guest OS identity (TLFS "Reporting the Guest OS Identity"): bit 63
 * marks an open-source OS, bits 62:56 the OS type (Linux = 1).
 */
#define HV_GUEST_ID_OPEN_SOURCE		(1ull << 63)
#define HV_GUEST_ID_OS_LINUX		(1ull << 56)

/* Monitor page: guest-to-host notifications without a hypercall */
struct hv_monitor_trigger_group {
	u32 pending;
	u32 armed;
} __attribute__((packed));

struct hv_monitor_parameter {
	u32 connection_id;
	u16 flag_number;
	u16 reserved;
} __attribute__((packed));

struct hv_monitor_page {
	u32 trigger_state;
	u32 reserved1;
	struct hv_monitor_trigger_group trigger_group[4];
	u64 reserved2[3];
	s32 next_check_time[4][32];
	u16 latency[4][32];
	u64 reserved3[32];
	struct hv_monitor_parameter parameter[4][32];
	u8 reserved4[1984];
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_monitor_page, HV_PAGE_SIZE);
HV_WIRE_OFF(struct hv_monitor_page, trigger_group, 0x8);
HV_WIRE_OFF(struct hv_monitor_trigger_group, pending, 0);
HV_WIRE_OFF(struct hv_monitor_trigger_group, armed, 4);
HV_WIRE_OFF(struct hv_monitor_page, next_check_time, 0x40);
HV_WIRE_OFF(struct hv_monitor_page, latency, 0x240);
HV_WIRE_OFF(struct hv_monitor_page, parameter, 0x440);

#endif /* HV_TLFS_H */
