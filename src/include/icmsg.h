/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hyper-V integration components (IC): the wire format shared by the
 * guest services (src/utils) and the simulated host (tests/simhost).
 *
 * Every IC message is one VMBus DATA_INBAND packet:
 *
 *   struct ic_pipe_hdr  (8 bytes)
 *   struct ic_msg_hdr   (20 bytes)
 *   body                (ic_msg_hdr.msgsize bytes, service specific)
 *
 * The host sends requests with IC_FLAG_TRANSACTION | IC_FLAG_REQUEST;
 * the guest answers in place (same buffer, same length, same VMBus
 * transaction id) with IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE.
 *
 * Layouts: Linux include/linux/hyperv.h, include/uapi/linux/hyperv.h;
 * OpenVMM vm/devices/hyperv_ic_protocol.  All multi-byte fields are
 * little-endian; every struct is packed and its size checked below.
 */
#ifndef HV_ICMSG_H
#define HV_ICMSG_H

#include "hv_wire_common.h"

/* ---- framing ---------------------------------------------------------- */

/* Pipe header.  Hosts write IC_PIPE_FLAG_DATA; guests do not check it. */
struct ic_pipe_hdr {
	u32 flags;
	u32 msgsize;		/* bytes after the pipe header */
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_pipe_hdr, 8);

#define IC_PIPE_FLAG_DATA	1u

struct ic_version {
	u16 major;
	u16 minor;
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_version, 4);

/* A version as one number, major in the high half (as Linux encodes it). */
#define IC_VERSION(maj, min)	(((u32)(maj) << 16) | (u32)(min))
#define IC_VERSION_MAJOR(v)	((u16)((v) >> 16))
#define IC_VERSION_MINOR(v)	((u16)((v) & 0xffff))

struct ic_msg_hdr {
	struct ic_version fw_ver;	/* framework version */
	u16 msgtype;			/* IC_MSGTYPE_* */
	struct ic_version msg_ver;	/* service (message) version */
	u16 msgsize;			/* body bytes */
	u32 status;			/* IC_S_* / IC_E_* (HRESULT) */
	u8 trans_id;
	u8 flags;			/* IC_FLAG_* */
	u8 reserved[2];
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_msg_hdr, 20);
HV_WIRE_OFF(struct ic_msg_hdr, msgtype, 4);
HV_WIRE_OFF(struct ic_msg_hdr, msg_ver, 6);
HV_WIRE_OFF(struct ic_msg_hdr, msgsize, 10);
HV_WIRE_OFF(struct ic_msg_hdr, status, 12);
HV_WIRE_OFF(struct ic_msg_hdr, trans_id, 16);
HV_WIRE_OFF(struct ic_msg_hdr, flags, 17);

/* Both headers as they start every IC packet. */
struct ic_hdr {
	struct ic_pipe_hdr pipe;
	struct ic_msg_hdr ic;
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_hdr, 28);

#define IC_HDR_SIZE		28u	/* body offset in the packet payload */

/* Message types (ic_msg_hdr.msgtype) */
#define IC_MSGTYPE_NEGOTIATE	0
#define IC_MSGTYPE_HEARTBEAT	1
#define IC_MSGTYPE_KVPEXCHANGE	2
#define IC_MSGTYPE_SHUTDOWN	3
#define IC_MSGTYPE_TIMESYNC	4
#define IC_MSGTYPE_VSS		5
#define IC_MSGTYPE_RDV		6	/* OpenVMM; unused by Linux */
#define IC_MSGTYPE_FCOPY	7	/* OpenVMM: GUEST_INTERFACE */
#define IC_MSGTYPE_VM_SESSION	8	/* OpenVMM; unused by Linux */

/* Header flags (ic_msg_hdr.flags) */
#define IC_FLAG_TRANSACTION	0x01
#define IC_FLAG_REQUEST		0x02
#define IC_FLAG_RESPONSE	0x04

/* Status codes (HRESULTs) */
#define IC_S_OK				0x00000000u
#define IC_E_FAIL			0x80004005u
#define IC_S_CONT			0x80070103u	/* no more items */
#define IC_E_NOT_SUPPORTED		0x80070032u
#define IC_E_MACHINE_LOCKED		0x800704F7u
#define IC_E_DEVICE_NOT_CONNECTED	0x8007048Fu
#define IC_E_INVALIDARG			0x80070057u
#define IC_E_GUID_NOTFOUND		0x80041002u
#define IC_E_ALREADY_EXISTS		0x80070050u
#define IC_E_DISK_FULL			0x80070070u

/* ---- version negotiation (IC_MSGTYPE_NEGOTIATE) ----------------------- */

/*
 * Body: the two counts, then fw_count framework versions followed by
 * msg_count service versions.  The guest answers with counts 1/1 and
 * the chosen pair in ver[0] (framework) and ver[1] (service), or 0/0
 * when nothing matches; its answer's msgsize is IC_NEGOTIATE_RESP_SIZE.
 */
struct ic_negotiate {
	u16 fw_count;
	u16 msg_count;
	u32 reserved;
	struct ic_version ver[];
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_negotiate, 8);

#define IC_NEGOTIATE_MAX_VER_COUNT	100	/* Linux refuses more per list */
#define IC_NEGOTIATE_RESP_SIZE		0x10	/* 8 + 2 versions */

/* Framework versions */
#define IC_FW_VER_1		IC_VERSION(1, 0)	/* WS2008 */
#define IC_FW_VER_3		IC_VERSION(3, 0)

/* Service versions */
#define IC_SD_VER_1		IC_VERSION(1, 0)
#define IC_SD_VER_3		IC_VERSION(3, 0)
#define IC_SD_VER_3_1		IC_VERSION(3, 1)	/* adds reboot */
#define IC_SD_VER_3_2		IC_VERSION(3, 2)	/* adds hibernate */
#define IC_TS_VER_1		IC_VERSION(1, 0)
#define IC_TS_VER_3		IC_VERSION(3, 0)
#define IC_TS_VER_4		IC_VERSION(4, 0)	/* reference-time body */
#define IC_HB_VER_1		IC_VERSION(1, 0)
#define IC_HB_VER_3		IC_VERSION(3, 0)
#define IC_KVP_VER_1		IC_VERSION(1, 0)	/* WS2008 */
#define IC_KVP_VER_3		IC_VERSION(3, 0)	/* Win7 */
#define IC_KVP_VER_4		IC_VERSION(4, 0)	/* Win8 */
#define IC_KVP_VER_5		IC_VERSION(5, 0)	/* binary IP info (OpenVMM) */
#define IC_VSS_VER_4		IC_VERSION(4, 0)
#define IC_VSS_VER_5		IC_VERSION(5, 0)	/* adds FREEZE/THAW */
#define IC_FCOPY_VER_1_1	IC_VERSION(1, 1)

/* ---- shutdown (IC_MSGTYPE_SHUTDOWN) ----------------------------------- */

#define IC_SHUTDOWN_MSG_LEN	2048

struct ic_shutdown_msg {
	u32 reason_code;
	u32 timeout_secs;
	u32 flags;			/* IC_SHUTDOWN_FLAG_* */
	u8 display_message[IC_SHUTDOWN_MSG_LEN];
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_shutdown_msg, 2060);
HV_WIRE_OFF(struct ic_shutdown_msg, flags, 8);

/* The guest needs reason, timeout and flags; the message text is optional. */
#define IC_SHUTDOWN_MIN_SIZE	12u

#define IC_SHUTDOWN_FLAG_FORCE		0x1
#define IC_SHUTDOWN_FLAG_RESTART	0x2	/* service version >= 3.1 */
#define IC_SHUTDOWN_FLAG_HIBERNATE	0x4	/* service version >= 3.2 */

#define IC_SHUTDOWN_REASON_PLANNED	0x80000000u

/* ---- heartbeat (IC_MSGTYPE_HEARTBEAT) --------------------------------- */

/*
 * Linux declares 40 bytes (seq + 8 reserved words), OpenVMM 16 (seq,
 * application state, reserved).  The guest needs the first 8 only.
 */
struct ic_heartbeat_msg {
	u64 seq_num;
	u32 app_state;			/* IC_HB_APP_* (OpenVMM) */
	u32 reserved[7];
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_heartbeat_msg, 40);

#define IC_HEARTBEAT_MIN_SIZE	8u

#define IC_HB_APP_UNKNOWN	0
#define IC_HB_APP_HEALTHY	1
#define IC_HB_APP_CRITICAL	2
#define IC_HB_APP_STOPPED	3

/* ---- time sync (IC_MSGTYPE_TIMESYNC) ---------------------------------- */

/* Times are 100 ns units since 1601-01-01 UTC. */
#define IC_TIMESYNC_EPOCH_DELTA	116444736000000000ull	/* to 1970, 100 ns */

#define IC_TIMESYNC_FLAG_PROBE	0x0
#define IC_TIMESYNC_FLAG_SYNC	0x1	/* set the clock now (boot/resume) */
#define IC_TIMESYNC_FLAG_SAMPLE	0x2	/* periodic sample */

/* Service versions 1.0 and 3.0 */
struct ic_timesync_msg {
	u64 parent_time;		/* host UTC */
	u64 child_time;
	u64 round_trip_time;
	u8 flags;			/* IC_TIMESYNC_FLAG_* */
	u8 reserved[3];			/* OpenVMM pads; Linux declares 25 B */
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_timesync_msg, 28);
HV_WIRE_OFF(struct ic_timesync_msg, flags, 24);

#define IC_TIMESYNC_MIN_SIZE	25u

/* Service version 4.0 */
struct ic_timesync_ref_msg {
	u64 parent_time;		/* host UTC */
	u64 vm_ref_time;		/* partition reference counter then */
	u8 flags;			/* IC_TIMESYNC_FLAG_* */
	s8 leap_flags;
	s8 stratum;
	u8 reserved[5];			/* OpenVMM 5; Linux declares 3 */
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_timesync_ref_msg, 24);
HV_WIRE_OFF(struct ic_timesync_ref_msg, flags, 16);

#define IC_TIMESYNC_REF_MIN_SIZE	17u

/*
 * vm_ref_time is the partition reference counter (MSR 0x40000020, 100 ns
 * ticks).  Without Hyper-V (the simulated host under QEMU TCG) there is
 * no such MSR: both sides then use CLOCK_MONOTONIC (ktime_get_ns()) / 100
 * as the partition reference counter.
 */

/* ---- KVP (IC_MSGTYPE_KVPEXCHANGE) ------------------------------------- */

/*
 * Keys and values are UTF-16LE on the wire; sizes are in bytes and
 * include the terminating NUL character.
 */
#define IC_KVP_MAX_KEY_BYTES	512
#define IC_KVP_MAX_VALUE_BYTES	2048

#define IC_KVP_OP_GET		0
#define IC_KVP_OP_SET		1
#define IC_KVP_OP_DELETE	2
#define IC_KVP_OP_ENUMERATE	3
#define IC_KVP_OP_GET_IP_INFO	4
#define IC_KVP_OP_SET_IP_INFO	5
#define IC_KVP_OP_COUNT		6

#define IC_KVP_POOL_EXTERNAL		0
#define IC_KVP_POOL_GUEST		1
#define IC_KVP_POOL_AUTO		2
#define IC_KVP_POOL_AUTO_EXTERNAL	3
#define IC_KVP_POOL_COUNT		4	/* pools the host may name */

#define IC_KVP_REG_SZ		1
#define IC_KVP_REG_EXPAND_SZ	2	/* OpenVMM */
#define IC_KVP_REG_U32		4
#define IC_KVP_REG_U64		8	/* Linux */
#define IC_KVP_REG_QWORD	11	/* OpenVMM / Windows REG_QWORD */

struct ic_kvp_hdr {
	u8 operation;			/* IC_KVP_OP_* */
	u8 pool;			/* IC_KVP_POOL_* */
	u16 pad;
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_kvp_hdr, 4);

struct ic_kvp_value {
	u32 value_type;			/* IC_KVP_REG_* */
	u32 key_size;			/* bytes */
	u32 value_size;			/* bytes */
	u8 key[IC_KVP_MAX_KEY_BYTES];
	u8 value[IC_KVP_MAX_VALUE_BYTES];
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_kvp_value, 2572);
HV_WIRE_OFF(struct ic_kvp_value, key, 12);
HV_WIRE_OFF(struct ic_kvp_value, value, 524);

struct ic_kvp_enumerate {
	u32 index;
	struct ic_kvp_value data;
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_kvp_enumerate, 2576);

struct ic_kvp_delete {
	u32 key_size;
	u8 key[IC_KVP_MAX_KEY_BYTES];
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_kvp_delete, 516);

/* GET, SET, DELETE and ENUMERATE: the body of the IC message. */
struct ic_kvp_msg {
	struct ic_kvp_hdr hdr;
	union {
		struct ic_kvp_value get;
		struct ic_kvp_value set;
		struct ic_kvp_delete del;
		struct ic_kvp_enumerate enumerate;
	} body;
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_kvp_msg, 2580);
HV_WIRE_OFF(struct ic_kvp_msg, body, 4);

/* GET_IP_INFO and SET_IP_INFO (service version >= 3.0) */
#define IC_KVP_ADDR_FAMILY_NONE	0
#define IC_KVP_ADDR_FAMILY_IPV4	1
#define IC_KVP_ADDR_FAMILY_IPV6	2
#define IC_KVP_ADDR_FAMILY_BOTH	3

#define IC_KVP_MAX_ADAPTER_ID	128	/* UTF-16 units */
#define IC_KVP_MAX_IP_ADDR	1024
#define IC_KVP_MAX_GATEWAY	512

struct ic_kvp_ip_value {
	u16 adapter_id[IC_KVP_MAX_ADAPTER_ID];
	u8 addr_family;			/* IC_KVP_ADDR_FAMILY_* */
	u8 dhcp_enabled;
	u16 ip_addr[IC_KVP_MAX_IP_ADDR];
	u16 sub_net[IC_KVP_MAX_IP_ADDR];
	u16 gate_way[IC_KVP_MAX_GATEWAY];
	u16 dns_addr[IC_KVP_MAX_IP_ADDR];
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_kvp_ip_value, 7426);
HV_WIRE_OFF(struct ic_kvp_ip_value, addr_family, 256);
HV_WIRE_OFF(struct ic_kvp_ip_value, ip_addr, 258);
HV_WIRE_OFF(struct ic_kvp_ip_value, sub_net, 2306);
HV_WIRE_OFF(struct ic_kvp_ip_value, gate_way, 4354);
HV_WIRE_OFF(struct ic_kvp_ip_value, dns_addr, 5378);

/* Note: no pad after operation/pool, unlike struct ic_kvp_msg. */
struct ic_kvp_ip_msg {
	u8 operation;
	u8 pool;
	struct ic_kvp_ip_value ip;
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_kvp_ip_msg, 7428);

/* ---- VSS (IC_MSGTYPE_VSS) --------------------------------------------- */

#define IC_VSS_OP_CREATE		0
#define IC_VSS_OP_DELETE		1
#define IC_VSS_OP_HOT_BACKUP		2
#define IC_VSS_OP_GET_DM_INFO		3
#define IC_VSS_OP_BU_COMPLETE		4
#define IC_VSS_OP_FREEZE		5	/* service version >= 5.0 */
#define IC_VSS_OP_THAW			6
#define IC_VSS_OP_AUTO_RECOVER		7
#define IC_VSS_OP_QUERY_CLUSTER_INFO	8	/* OpenVMM, v6+ */

#define IC_VSS_HBU_NO_AUTO_RECOVERY	0x00000005u

struct ic_vss_msg {
	u8 operation;			/* IC_VSS_OP_* */
	u8 reserved[7];
	u32 flags;			/* HOT_BACKUP / GET_DM_INFO answers */
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_vss_msg, 12);
HV_WIRE_OFF(struct ic_vss_msg, flags, 8);

/*
 * What a host sends (OpenVMM hyperv_ic_protocol vss.rs): the short
 * operations as the 8-byte header plus 24 bytes of data (flags first, as
 * Linux reads them at offset 8); FREEZE and AUTO_RECOVER (version >= 5.0)
 * as the header, backup type, flags and a table of up to 260 LUNs.  The
 * guest needs only the first 12 bytes of any of them.
 */
#define IC_VSS_SHORT_MSG_SIZE	32u
#define IC_VSS_MAX_LUNS		260

struct ic_vss_lun_info {
	u8 bus_type;
	u8 reserved[3];
	struct hv_guid controller;
	u8 port;
	u8 target;
	u8 lun;
	u8 reserved2;
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_vss_lun_info, 24);

struct ic_vss_freeze_msg {
	u8 operation;			/* FREEZE or AUTO_RECOVER */
	u8 reserved[7];
	u32 backup_type;
	u32 flags;
	u32 lun_count;
	struct ic_vss_lun_info luns[IC_VSS_MAX_LUNS];
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_vss_freeze_msg, 6260);

/* ---- file copy (IC_MSGTYPE_FCOPY) ------------------------------------- */

#define IC_FCOPY_OP_START_FILE_COPY	0
#define IC_FCOPY_OP_WRITE_TO_FILE	1
#define IC_FCOPY_OP_COMPLETE		2
#define IC_FCOPY_OP_CANCEL		3

#define IC_FCOPY_MAX_PATH		260	/* UTF-16 units per name */
#define IC_FCOPY_DATA_FRAGMENT		(6 * 1024)

#define IC_FCOPY_FLAG_OVER_WRITE	0x1
#define IC_FCOPY_FLAG_CREATE_PATH	0x2

struct ic_fcopy_hdr {
	u32 operation;			/* IC_FCOPY_OP_* */
	struct hv_guid service_id0;	/* unused */
	struct hv_guid service_id1;	/* unused */
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_fcopy_hdr, 36);

struct ic_fcopy_start {
	struct ic_fcopy_hdr hdr;
	u16 file_name[IC_FCOPY_MAX_PATH];	/* UTF-16LE, NUL-terminated */
	u16 path_name[IC_FCOPY_MAX_PATH];
	u32 copy_flags;			/* IC_FCOPY_FLAG_* */
	u64 file_size;
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_fcopy_start, 1088);
HV_WIRE_OFF(struct ic_fcopy_start, path_name, 556);
HV_WIRE_OFF(struct ic_fcopy_start, copy_flags, 1076);

struct ic_fcopy_write {
	struct ic_fcopy_hdr hdr;
	u32 pad;
	u64 offset;
	u32 size;
	u8 data[IC_FCOPY_DATA_FRAGMENT];
} __attribute__((packed));
HV_WIRE_SIZE(struct ic_fcopy_write, 6196);
HV_WIRE_OFF(struct ic_fcopy_write, offset, 40);
HV_WIRE_OFF(struct ic_fcopy_write, data, 52);

/* COMPLETE and CANCEL carry only struct ic_fcopy_hdr. */

#endif /* HV_ICMSG_H */
