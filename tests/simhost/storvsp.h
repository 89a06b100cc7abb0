/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * StorVSP internals shared by storvsp.c (the protocol) and
 * storvsp_backing.c (the claimed backing devices, LUN table, knobs).
 */
#ifndef STORVSP_H
#define STORVSP_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <scsi/scsi.h>

#include "simhost.h"
#include "vstor.h"

#define SP_MAX_LUNS		8	/* backing devices */
/* 64 pages + 1: well inside virtio-scsi's segment limit */
#define SP_MAX_TRANSFER		(256u * 1024)
#define SP_SERIAL_MAX		32

struct scsi_device;
struct workqueue_struct;

struct sp_lun {
	char serial[SP_SERIAL_MAX];	/* VPD 0x80 of the backing device */
	u8 target, lun;			/* its address (path 0) */
	struct scsi_device *sdev;	/* claimed, or NULL while absent */
	bool present;			/* visible to the guest */
	u64 null_blocks;		/* null backend (not a device): 512-byte blocks */
};

/* The outcome of an SRB the null backend answered (storvsp_backing.c). */
struct sp_null_res {
	u8 srb_status, scsi_status;
	u32 moved;
	u8 sense[18];
	u32 sense_len;
};

/*
 * A host profile (main.c, profile=): the legal variation between real
 * hosts that a guest must cope with.  Sources in README.md.
 */
struct sim_profile {
	const char *name;
	u32 vmbus_version;		/* newest VMBus version accepted */
	u16 vstor_version;		/* newest vstor version accepted */
	u16 scsi_subchannels;		/* max_channel_cnt */
	u32 scsi_max_transfer;		/* max_transfer_bytes */
};

struct storvsp {
	struct mutex lock;
	u16 max_version;		/* from the profile and parameters */
	u16 max_subs;
	u32 max_transfer;		/* luns[], primary */
	struct sp_lun luns[SP_MAX_LUNS];
	unsigned int nluns;
	struct sim_chan *primary;	/* first scsi instance, while open */
	struct workqueue_struct *wq;	/* completions */
	/* faults: each applies to the next N SRBs */
	atomic_t f_delay;		/* complete f_delay_ms late */
	unsigned int f_delay_ms;
	atomic_t f_error;		/* refuse with srb_status f_error_code */
	u8 f_error_code;
	atomic_t f_unknown;		/* also complete an unknown request id */
	/* knob storvsp_bad_completion: unusable completions (a broken host) */
	atomic_t f_bad_empty;		/* sent with 0 bytes */
	atomic_t f_bad_inband;		/* sent as an in-band data packet */
	atomic_t f_bad_otherchan;	/* a sub-channel's, sent on the primary */
	atomic64_t srbs, errors, resets, dropped;
	atomic64_t absent;		/* SRBs to an address without a disk */
	atomic64_t bad_state;		/* answered INVALID_DEVICE_STATE */
};

extern struct storvsp sp;

/* 1 if the fault applies to this SRB (and consume one), else 0 */
static inline int sp_fault_take(atomic_t *f)
{
	return atomic_dec_if_positive(f) >= 0;
}

int sp_notify_bus_change(void);
struct vmbus_gpa_range;
bool sp_null_srb(const struct vstor_srb *srb, const struct vmbus_gpa_range *r,
		 struct sp_null_res *res);
struct seq_file;
int storvsp_bad_completion_show(struct seq_file *m);
int storvsp_bad_completion_store(char *s);
void storvsp_apply_profile(const struct sim_profile *p);
int storvsp_init(void);
void storvsp_exit(void);

/* big-endian SCSI fields of n bytes (n <= 8) */
static inline u64 sp_get_be(const u8 *p, unsigned int n)
{
	u64 v = 0;

	while (n--)
		v = (v << 8) | *p++;
	return v;
}

static inline void sp_put_be(u8 *p, u64 v, unsigned int n)
{
	while (n--) {
		p[n] = v & 0xff;
		v >>= 8;
	}
}

/* READ(6/10/12/16): the commands whose data the disk writes into the buffer */
static inline bool sp_op_read(u8 op)
{
	return op == READ_6 || op == READ_10 || op == READ_12 || op == READ_16;
}

#endif /* STORVSP_H */
