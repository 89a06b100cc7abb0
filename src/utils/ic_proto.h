/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IC protocol code shared by hv_utils.ko and tests/unit: header checks,
 * version negotiation, per-service body checks and the UTF-16 <-> UTF-8
 * conversions KVP and fcopy need.  Pure functions over caller buffers;
 * nothing here sleeps, allocates or logs (callers log the *why).
 */
#ifndef HV_IC_PROTO_H
#define HV_IC_PROTO_H

#include "hv_port.h"
#include "icmsg.h"

/* Largest IC packet the guest accepts (KVP IP info: 28 + 7428 bytes). */
#define IC_MAX_PKT		(3 * HV_PAGE_SIZE)

struct ic_ver_list {
	const u32 *fw;			/* IC_VERSION() values, newest first */
	unsigned int nfw;
	const u32 *srv;
	unsigned int nsrv;
};

static inline struct ic_msg_hdr *ic_msg_hdr(void *buf)
{
	return (struct ic_msg_hdr *)((u8 *)buf + sizeof(struct ic_pipe_hdr));
}

static inline void *ic_body(void *buf)
{
	return (u8 *)buf + IC_HDR_SIZE;
}

/*
 * Check the pipe and IC headers of a packet of len bytes: the pipe
 * header's msgsize must fit the packet and hold the IC header, whose
 * msgsize must fit the message.  0 and the number of body bytes (those
 * the pipe header covers) in *body_len, or -EBADMSG with *why.
 */
int ic_check_hdr(const void *buf, u32 len, u32 *body_len, const char **why);

/*
 * Answer a NEGOTIATE request in place.  buf holds len bytes and has room
 * for cap >= IC_HDR_SIZE + IC_NEGOTIATE_RESP_SIZE.  Returns:
 *   0        match: *fw and *srv chosen, reply prepared (*out_len bytes)
 *   -ENOENT  no common version: 0/0 reply prepared
 *   -EBADMSG counts past the packet or above the maximum: 0/0 reply
 *            prepared, *why says what
 *   -EINVAL  too short to hold the counts: nothing prepared (*out_len 0)
 */
int ic_negotiate(void *buf, u32 len, u32 cap, const struct ic_ver_list *v,
		 u32 *fw, u32 *srv, u32 *out_len, const char **why);

/* Mark the packet in buf as the response, with status. */
void ic_set_response(void *buf, u32 status);

/* ---- shutdown ---- */
enum ic_sd_action {
	IC_SD_NONE,
	IC_SD_POWEROFF,
	IC_SD_REBOOT,
	IC_SD_HIBERNATE,
};

/*
 * Decode a shutdown body: the action and the status to answer with.
 * -EBADMSG when the body is too short.
 */
int ic_shutdown_decode(const void *body, u32 body_len, bool can_hibernate,
		       enum ic_sd_action *act, u32 *status, const char **why);

/* ---- heartbeat: seq_num += 1 in place ---- */
int ic_heartbeat_answer(void *body, u32 body_len, const char **why);

/* ---- time sync ---- */
struct ic_ts_sample {
	u64 host_time;			/* 100 ns since 1601 */
	u64 ref_time;			/* partition reference time, if has_ref */
	bool has_ref;
	u8 flags;			/* IC_TIMESYNC_FLAG_* */
};

int ic_timesync_decode(const void *body, u32 body_len, u32 srv_ver,
		       struct ic_ts_sample *s, const char **why);

/* Host time (100 ns since 1601) to ns since 1970; false if before 1970. */
bool ic_host_time_to_unix_ns(u64 host_time, s64 *ns);

/* ---- VSS: the operation of a host request ---- */
int ic_vss_decode(const void *body, u32 body_len, u8 *op, const char **why);

/* ---- fcopy: host request -> daemon message ---- */
/*
 * Check a host fcopy body and build what the fcopy daemon reads in out
 * (cap bytes, >= 6196: struct hv_start_fcopy, hv_do_fcopy or the bare
 * header, names converted to UTF-8).  0 with *out_len and *op, or
 * -EBADMSG with *why.
 */
int ic_fcopy_host_to_daemon(const void *body, u32 body_len, void *out,
			    u32 cap, u32 *out_len, u32 *op, const char **why);

/* ---- UTF-16LE <-> UTF-8 ---- */
/*
 * Convert a NUL-terminated UTF-16LE string of at most src_bytes bytes
 * (even, the NUL within) to UTF-8 in dst (cap bytes incl. the NUL).
 * Returns the UTF-8 length without the NUL, or -EINVAL (odd size, no
 * NUL, bad surrogate) / -ENOSPC.
 */
int ic_utf16_to_utf8(const void *src, u32 src_bytes, char *dst, u32 cap);
/*
 * Convert UTF-8 (src_len bytes, stops early at a NUL) to NUL-terminated
 * UTF-16LE in dst (cap bytes).  Returns the bytes written including the
 * NUL, or -EINVAL (bad UTF-8) / -ENOSPC.
 */
int ic_utf8_to_utf16(const char *src, u32 src_len, void *dst, u32 cap);

#endif /* HV_IC_PROTO_H */
