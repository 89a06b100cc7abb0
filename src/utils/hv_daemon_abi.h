/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The messages hv_utils exchanges with the distributions' daemons
 * (hv_kvp_daemon, hv_vss_daemon, hv_fcopy_daemon) over /dev/vmbus/hv_*.
 * Byte-identical to Linux include/uapi/linux/hyperv.h, written here so
 * that the module does not depend on which parts a kernel's uapi header
 * has.  Strings are UTF-8 (the host side is UTF-16).  Pure C: also built
 * in tests/unit.
 */
#ifndef HV_DAEMON_ABI_H
#define HV_DAEMON_ABI_H

#include "hv_wire_common.h"

/* ---- KVP ---- */
#define HV_KVP_EXCHANGE_MAX_VALUE_SIZE	2048
#define HV_KVP_EXCHANGE_MAX_KEY_SIZE	512

#define REG_SZ		1
#define REG_U32		4
#define REG_U64		8

#define KVP_OP_REGISTER		4	/* old daemons: no IP injection */
#define KVP_OP_REGISTER1	100

enum hv_kvp_exchg_op {
	KVP_OP_GET = 0,
	KVP_OP_SET,
	KVP_OP_DELETE,
	KVP_OP_ENUMERATE,
	KVP_OP_GET_IP_INFO,
	KVP_OP_SET_IP_INFO,
	KVP_OP_COUNT
};

enum hv_kvp_exchg_pool {
	KVP_POOL_EXTERNAL = 0,
	KVP_POOL_GUEST,
	KVP_POOL_AUTO,
	KVP_POOL_AUTO_EXTERNAL,
	KVP_POOL_AUTO_INTERNAL,
	KVP_POOL_COUNT
};

#define HV_S_OK				0x00000000
#define HV_E_FAIL			0x80004005
#define HV_S_CONT			0x80070103
#define HV_ERROR_NOT_SUPPORTED		0x80070032
#define HV_ERROR_MACHINE_LOCKED		0x800704F7
#define HV_ERROR_DEVICE_NOT_CONNECTED	0x8007048F
#define HV_INVALIDARG			0x80070057
#define HV_GUID_NOTFOUND		0x80041002
#define HV_ERROR_ALREADY_EXISTS		0x80070050
#define HV_ERROR_DISK_FULL		0x80070070

#define ADDR_FAMILY_NONE	0x00
#define ADDR_FAMILY_IPV4	0x01
#define ADDR_FAMILY_IPV6	0x02

#define MAX_ADAPTER_ID_SIZE	128
#define MAX_IP_ADDR_SIZE	1024
#define MAX_GATEWAY_SIZE	512

struct hv_kvp_ipaddr_value {
	u16 adapter_id[MAX_ADAPTER_ID_SIZE];
	u8 addr_family;
	u8 dhcp_enabled;
	u16 ip_addr[MAX_IP_ADDR_SIZE];
	u16 sub_net[MAX_IP_ADDR_SIZE];
	u16 gate_way[MAX_GATEWAY_SIZE];
	u16 dns_addr[MAX_IP_ADDR_SIZE];
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_kvp_ipaddr_value, 7426);

struct hv_kvp_hdr {
	u8 operation;
	u8 pool;
	u16 pad;
} __attribute__((packed));

struct hv_kvp_exchg_msg_value {
	u32 value_type;
	u32 key_size;
	u32 value_size;
	u8 key[HV_KVP_EXCHANGE_MAX_KEY_SIZE];
	union {
		u8 value[HV_KVP_EXCHANGE_MAX_VALUE_SIZE];
		u32 value_u32;
		u64 value_u64;
	} __attribute__((packed));
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_kvp_exchg_msg_value, 2572);

struct hv_kvp_msg_enumerate {
	u32 index;
	struct hv_kvp_exchg_msg_value data;
} __attribute__((packed));

struct hv_kvp_msg_get {
	struct hv_kvp_exchg_msg_value data;
};

struct hv_kvp_msg_set {
	struct hv_kvp_exchg_msg_value data;
};

struct hv_kvp_msg_delete {
	u32 key_size;
	u8 key[HV_KVP_EXCHANGE_MAX_KEY_SIZE];
};
HV_WIRE_SIZE(struct hv_kvp_msg_delete, 516);

struct hv_kvp_register {
	u8 version[HV_KVP_EXCHANGE_MAX_KEY_SIZE];
};

struct hv_kvp_msg {
	union {
		struct hv_kvp_hdr kvp_hdr;
		s32 error;
	};
	union {
		struct hv_kvp_msg_get kvp_get;
		struct hv_kvp_msg_set kvp_set;
		struct hv_kvp_msg_delete kvp_delete;
		struct hv_kvp_msg_enumerate kvp_enum_data;
		struct hv_kvp_ipaddr_value kvp_ip_val;
		struct hv_kvp_register kvp_register;
	} body;
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_kvp_msg, 7432);
HV_WIRE_OFF(struct hv_kvp_msg, body, 4);

struct hv_kvp_ip_msg {
	u8 operation;
	u8 pool;
	struct hv_kvp_ipaddr_value kvp_ip_val;
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_kvp_ip_msg, 7428);

/* ---- VSS ---- */
#define VSS_OP_REGISTER		128
#define VSS_OP_REGISTER1	129

enum hv_vss_op {
	VSS_OP_CREATE = 0,
	VSS_OP_DELETE,
	VSS_OP_HOT_BACKUP,
	VSS_OP_GET_DM_INFO,
	VSS_OP_BU_COMPLETE,
	VSS_OP_FREEZE,
	VSS_OP_THAW,
	VSS_OP_AUTO_RECOVER,
	VSS_OP_COUNT
};

struct hv_vss_hdr {
	u8 operation;
	u8 reserved[7];
} __attribute__((packed));

#define VSS_HBU_NO_AUTO_RECOVERY	0x00000005

struct hv_vss_check_feature {
	u32 flags;
} __attribute__((packed));

struct hv_vss_check_dm_info {
	u32 flags;
} __attribute__((packed));

struct hv_vss_msg {
	union {
		struct hv_vss_hdr vss_hdr;
		s32 error;
	};
	union {
		struct hv_vss_check_feature vss_cf;
		struct hv_vss_check_dm_info dm_info;
	};
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_vss_msg, 12);

/* ---- fcopy ---- */
#define FCOPY_VERSION_0		0
#define FCOPY_VERSION_1		1
#define FCOPY_CURRENT_VERSION	FCOPY_VERSION_1
#define W_MAX_PATH		260

enum hv_fcopy_op {
	START_FILE_COPY = 0,
	WRITE_TO_FILE,
	COMPLETE_FCOPY,
	CANCEL_FCOPY,
};

struct hv_fcopy_hdr {
	u32 operation;
	u8 service_id0[16];
	u8 service_id1[16];
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_fcopy_hdr, 36);

#define OVER_WRITE	0x1
#define CREATE_PATH	0x2

struct hv_start_fcopy {
	struct hv_fcopy_hdr hdr;
	u16 file_name[W_MAX_PATH];
	u16 path_name[W_MAX_PATH];
	u32 copy_flags;
	u64 file_size;
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_start_fcopy, 1088);

#define DATA_FRAGMENT	(6 * 1024)

struct hv_do_fcopy {
	struct hv_fcopy_hdr hdr;
	u32 pad;
	u64 offset;
	u32 size;
	u8 data[DATA_FRAGMENT];
} __attribute__((packed));
HV_WIRE_SIZE(struct hv_do_fcopy, 6196);

#endif /* HV_DAEMON_ABI_H */
