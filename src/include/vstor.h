/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * StorVSP ("vstor") protocol: the packets exchanged on a synthetic SCSI,
 * IDE or Fibre Channel VMBus channel.
 *
 * Every packet is a vstor_packet: a 12-byte header (operation, flags,
 * NTSTATUS) and a 52-byte union.  Hosts older than Windows 8 (protocol
 * < 5.1) use a 36-byte SRB, so their packets are 48 bytes: the last 16
 * bytes (the "Win8 extension") are neither sent nor received.
 */
#ifndef VSTOR_H
#define VSTOR_H

#include "hv_wire_common.h"

/* Protocol versions: (major << 8) | minor, newest first in negotiation */
#define VSTOR_VERSION(major, minor)	(((major) << 8) | (minor))
#define VSTOR_PROTO_WIN6		0x0200u		/* 2.0 */
#define VSTOR_PROTO_WIN7		0x0402u		/* 4.2 */
#define VSTOR_PROTO_WIN8		0x0501u		/* 5.1: 52-byte SRB, multi-channel */
#define VSTOR_PROTO_WIN8_1		0x0600u		/* 6.0 */
#define VSTOR_PROTO_WIN10		0x0602u		/* 6.2 */

enum vstor_operation {
	VSTOR_OP_COMPLETE_IO = 1,		/* H->G: every completion */
	VSTOR_OP_REMOVE_DEVICE = 2,		/* H->G, unsolicited */
	VSTOR_OP_EXECUTE_SRB = 3,
	VSTOR_OP_RESET_LUN = 4,
	VSTOR_OP_RESET_ADAPTER = 5,
	VSTOR_OP_RESET_BUS = 6,
	VSTOR_OP_BEGIN_INITIALIZATION = 7,
	VSTOR_OP_END_INITIALIZATION = 8,
	VSTOR_OP_QUERY_PROTOCOL_VERSION = 9,
	VSTOR_OP_QUERY_PROPERTIES = 10,
	VSTOR_OP_ENUMERATE_BUS = 11,		/* H->G, unsolicited */
	VSTOR_OP_FCHBA_DATA = 12,		/* both directions */
	VSTOR_OP_CREATE_SUB_CHANNELS = 13,
	VSTOR_OP_EVENT_NOTIFICATION = 14,	/* newer hosts only */
};

/* vstor_packet.flags */
#define VSTOR_FLAG_REQUEST_COMPLETION	0x1u

#define VSTOR_CDB_SIZE			16
#define VSTOR_SENSE_SIZE		0x14	/* what we ask for, Win8 and later */
#define VSTOR_SENSE_SIZE_PRE_WIN8	0x12
#define VSTOR_CDB_SENSE_AREA		0x14	/* the cdb/sense union in the SRB */

/* The SRB ("vmscsi_request"); offsets count from the start of the SRB */
struct vstor_srb {
	u16 length;			/* bytes of this SRB: 52, or 36 pre-Win8 */
	u8 srb_status;			/* VSTOR_SRB_* code | VSTOR_SRB_FLAG_* */
	u8 scsi_status;
	u8 port_number;
	u8 path_id;
	u8 target_id;
	u8 lun;
	u8 cdb_length;
	u8 sense_info_length;		/* request: buffer size; reply: bytes valid */
	u8 data_in;			/* VSTOR_DATA_* */
	u8 reserved;
	u32 data_transfer_length;	/* request: buffer bytes; reply: bytes moved */
	u8 cdb_sense[VSTOR_CDB_SENSE_AREA];	/* CDB out, sense data back */
	/* Win8 extension (protocol >= 5.1) */
	u16 reserve;
	u8 queue_tag;
	u8 queue_action;
	u32 srb_flags;			/* VSTOR_SRB_FLAGS_* */
	u32 time_out_value;		/* seconds */
	u32 queue_sort_key;
} __attribute__((packed));
HV_WIRE_SIZE(struct vstor_srb, 52);
HV_WIRE_OFF(struct vstor_srb, srb_status, 2);
HV_WIRE_OFF(struct vstor_srb, scsi_status, 3);
HV_WIRE_OFF(struct vstor_srb, port_number, 4);
HV_WIRE_OFF(struct vstor_srb, path_id, 5);
HV_WIRE_OFF(struct vstor_srb, target_id, 6);
HV_WIRE_OFF(struct vstor_srb, lun, 7);
HV_WIRE_OFF(struct vstor_srb, cdb_length, 8);
HV_WIRE_OFF(struct vstor_srb, sense_info_length, 9);
HV_WIRE_OFF(struct vstor_srb, data_in, 10);
HV_WIRE_OFF(struct vstor_srb, data_transfer_length, 12);
HV_WIRE_OFF(struct vstor_srb, cdb_sense, 16);
HV_WIRE_OFF(struct vstor_srb, reserve, 36);
HV_WIRE_OFF(struct vstor_srb, queue_tag, 38);
HV_WIRE_OFF(struct vstor_srb, queue_action, 39);
HV_WIRE_OFF(struct vstor_srb, srb_flags, 40);
HV_WIRE_OFF(struct vstor_srb, time_out_value, 44);
HV_WIRE_OFF(struct vstor_srb, queue_sort_key, 48);

#define VSTOR_SRB_SIZE			52u
#define VSTOR_SRB_SIZE_PRE_WIN8		36u
#define VSTOR_SIZE_DELTA		(VSTOR_SRB_SIZE - VSTOR_SRB_SIZE_PRE_WIN8)

/* vstor_srb.data_in */
#define VSTOR_DATA_WRITE		0
#define VSTOR_DATA_READ			1
#define VSTOR_DATA_UNKNOWN		2	/* no data */

/* vstor_srb.queue_tag / queue_action for tagged devices */
#define VSTOR_QUEUE_TAG_UNTAGGED	0xff
#define VSTOR_QUEUE_ACTION_SIMPLE	0x20

/* SRB status: low 6 bits a code, top 2 bits flags */
#define VSTOR_SRB_FLAG_QUEUE_FROZEN	0x40
#define VSTOR_SRB_FLAG_AUTOSENSE_VALID	0x80
#define VSTOR_SRB_CODE(s)		((s) & 0x3f)

#define VSTOR_SRB_PENDING		0x00
#define VSTOR_SRB_SUCCESS		0x01
#define VSTOR_SRB_ABORTED		0x02
#define VSTOR_SRB_ABORT_FAILED		0x03
#define VSTOR_SRB_ERROR			0x04
#define VSTOR_SRB_BUSY			0x05
#define VSTOR_SRB_INVALID_REQUEST	0x06
#define VSTOR_SRB_INVALID_PATH_ID	0x07
#define VSTOR_SRB_NO_DEVICE		0x08
#define VSTOR_SRB_TIMEOUT		0x09
#define VSTOR_SRB_SELECTION_TIMEOUT	0x0a
#define VSTOR_SRB_COMMAND_TIMEOUT	0x0b
#define VSTOR_SRB_BUS_RESET		0x0e
#define VSTOR_SRB_NO_HBA		0x11
#define VSTOR_SRB_DATA_OVERRUN		0x12	/* data_transfer_length valid */
#define VSTOR_SRB_REQUEST_FLUSHED	0x16
#define VSTOR_SRB_INVALID_LUN		0x20
#define VSTOR_SRB_INVALID_TARGET_ID	0x21
#define VSTOR_SRB_BAD_FUNCTION		0x22
#define VSTOR_SRB_INTERNAL_ERROR	0x30

/* vstor_srb.srb_flags */
#define VSTOR_SRB_FLAGS_QUEUE_ACTION_ENABLE	0x00000002u
#define VSTOR_SRB_FLAGS_DISABLE_DISCONNECT	0x00000004u
#define VSTOR_SRB_FLAGS_DISABLE_SYNCH_TRANSFER	0x00000008u
#define VSTOR_SRB_FLAGS_BYPASS_FROZEN_QUEUE	0x00000010u
#define VSTOR_SRB_FLAGS_DISABLE_AUTOSENSE	0x00000020u
#define VSTOR_SRB_FLAGS_DATA_IN			0x00000040u
#define VSTOR_SRB_FLAGS_DATA_OUT		0x00000080u
#define VSTOR_SRB_FLAGS_NO_DATA_TRANSFER	0x00000000u
#define VSTOR_SRB_FLAGS_NO_QUEUE_FREEZE		0x00000100u
#define VSTOR_SRB_FLAGS_ADAPTER_CACHE_ENABLE	0x00000200u

/* QUERY_PROPERTIES reply */
struct vstor_channel_properties {
	u32 reserved;
	u16 max_channel_cnt;		/* sub-channels the host can offer */
	u16 reserved1;
	u32 flags;			/* VSTOR_PROP_* */
	u32 max_transfer_bytes;
	u64 reserved2;
} __attribute__((packed));
HV_WIRE_SIZE(struct vstor_channel_properties, 24);
HV_WIRE_OFF(struct vstor_channel_properties, max_channel_cnt, 4);
HV_WIRE_OFF(struct vstor_channel_properties, flags, 8);
HV_WIRE_OFF(struct vstor_channel_properties, max_transfer_bytes, 12);

#define VSTOR_PROP_MULTI_CHANNEL	0x1u

/* QUERY_PROTOCOL_VERSION request and reply */
struct vstor_protocol_version {
	u16 major_minor;
	u16 revision;			/* Windows build bookkeeping; send 0 */
} __attribute__((packed));
HV_WIRE_SIZE(struct vstor_protocol_version, 4);

/* FCHBA_DATA: world-wide names of the synthetic FC port */
struct vstor_fc_wwn {
	u8 primary_active;
	u8 reserved1[3];
	u8 primary_port_wwn[8];
	u8 primary_node_wwn[8];
	u8 secondary_port_wwn[8];
	u8 secondary_node_wwn[8];
} __attribute__((packed));
HV_WIRE_SIZE(struct vstor_fc_wwn, 36);
HV_WIRE_OFF(struct vstor_fc_wwn, primary_port_wwn, 4);
HV_WIRE_OFF(struct vstor_fc_wwn, secondary_node_wwn, 28);

/* The offer's user_def area of storage channels (IDE offers use it) */
struct vstor_offer_properties {
	u16 reserved;
	u8 path_id;
	u8 target_id;
	u32 reserved2;
	u32 flags;			/* VSTOR_OFFER_* */
	u32 reserved3[3];
} __attribute__((packed));
HV_WIRE_SIZE(struct vstor_offer_properties, 24);
HV_WIRE_OFF(struct vstor_offer_properties, flags, 8);

#define VSTOR_OFFER_REMOVABLE		0x1u
#define VSTOR_OFFER_EMULATED_IDE	0x2u

struct vstor_packet {
	u32 operation;			/* enum vstor_operation */
	u32 flags;			/* VSTOR_FLAG_* */
	u32 status;			/* NTSTATUS, host to guest */
	union {
		struct vstor_srb srb;
		struct vstor_channel_properties props;
		struct vstor_protocol_version version;
		struct vstor_fc_wwn wwn;
		u16 sub_channel_count;	/* CREATE_SUB_CHANNELS */
		u8 buffer[VSTOR_SRB_SIZE];
	} u;
} __attribute__((packed));
HV_WIRE_SIZE(struct vstor_packet, 64);
HV_WIRE_OFF(struct vstor_packet, flags, 4);
HV_WIRE_OFF(struct vstor_packet, status, 8);
HV_WIRE_OFF(struct vstor_packet, u, 12);

#define VSTOR_HEADER_SIZE		12u
#define VSTOR_PACKET_SIZE		(VSTOR_HEADER_SIZE + VSTOR_SRB_SIZE)		/* 64 */
#define VSTOR_PACKET_SIZE_PRE_WIN8	(VSTOR_HEADER_SIZE + VSTOR_SRB_SIZE_PRE_WIN8)	/* 48 */

/* NTSTATUS values hosts are known to return in vstor_packet.status */
#define VSTOR_NT_SUCCESS		0x00000000u
#define VSTOR_NT_BUFFER_OVERFLOW	0x80000005u
#define VSTOR_NT_DEVICE_BUSY		0x80000011u
#define VSTOR_NT_UNSUCCESSFUL		0xc0000001u
#define VSTOR_NT_INVALID_PARAMETER	0xc000000du
#define VSTOR_NT_INVALID_DEVICE_REQUEST	0xc0000010u
#define VSTOR_NT_REVISION_MISMATCH	0xc0000059u
#define VSTOR_NT_DEVICE_NOT_CONNECTED	0xc000009du
#define VSTOR_NT_IO_TIMEOUT		0xc00000b5u
#define VSTOR_NT_DEVICE_DOES_NOT_EXIST	0xc00000c0u
#define VSTOR_NT_CANCELLED		0xc0000120u
#define VSTOR_NT_INVALID_DEVICE_STATE	0xc0000184u
#define VSTOR_NT_IO_DEVICE_ERROR	0xc0000185u

#endif /* VSTOR_H */
