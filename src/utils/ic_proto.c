// SPDX-License-Identifier: GPL-2.0-only
/*
 * IC framing, version negotiation and service bodies (see ic_proto.h).
 * Built into hv_utils.ko and into tests/unit; every host-supplied count,
 * size and offset is checked against the packet length before use.
 */
#include "ic_proto.h"

int ic_check_hdr(const void *buf, u32 len, u32 *body_len, const char **why)
{
	const struct ic_pipe_hdr *p = buf;
	const struct ic_msg_hdr *h;
	u32 mlen;

	if (len < IC_HDR_SIZE) {
		*why = "packet shorter than the IC headers";
		return -EBADMSG;
	}
	/*
	 * The message is the pipe header's msgsize bytes after it (OpenVMM
	 * pipe.rs reads exactly that many); the rest of the packet is padding.
	 */
	if (p->msgsize > len - (u32)sizeof(*p)) {
		*why = "pipe msgsize past the end of the packet";
		return -EBADMSG;
	}
	if (p->msgsize < sizeof(*h)) {
		*why = "pipe msgsize too small for the IC header";
		return -EBADMSG;
	}
	mlen = (u32)sizeof(*p) + p->msgsize;
	h = ic_msg_hdr((void *)buf);
	if (h->msgsize > mlen - IC_HDR_SIZE) {
		*why = "icmsgsize past the end of the message";
		return -EBADMSG;
	}
	*body_len = mlen - IC_HDR_SIZE;
	return 0;
}

void ic_set_response(void *buf, u32 status)
{
	struct ic_msg_hdr *h = ic_msg_hdr(buf);

	h->status = status;
	h->flags = IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE;
}

/* Index of the first entry of want[] (newest first) present in have[]. */
static int ic_pick(const u32 *want, unsigned int nwant,
		   const struct ic_version *have, unsigned int nhave)
{
	unsigned int i, j;

	for (i = 0; i < nwant; i++)
		for (j = 0; j < nhave; j++)
			if (have[j].major == IC_VERSION_MAJOR(want[i]) &&
			    have[j].minor == IC_VERSION_MINOR(want[i]))
				return (int)i;
	return -1;
}

int ic_negotiate(void *buf, u32 len, u32 cap, const struct ic_ver_list *v,
		 u32 *fw, u32 *srv, u32 *out_len, const char **why)
{
	struct ic_msg_hdr *h = ic_msg_hdr(buf);
	struct ic_negotiate *n = ic_body(buf);
	u32 nfw, nmsg, need;
	int f = -1, s = -1, ret;

	*out_len = 0;
	if (len < IC_HDR_SIZE + 4 ||
	    cap < IC_HDR_SIZE + IC_NEGOTIATE_RESP_SIZE) {
		*why = "negotiate message too short for the version counts";
		return -EINVAL;
	}
	nfw = n->fw_count;
	nmsg = n->msg_count;
	need = IC_HDR_SIZE + (u32)sizeof(*n) +
	       (nfw + nmsg) * (u32)sizeof(struct ic_version);
	if (nfw > IC_NEGOTIATE_MAX_VER_COUNT ||
	    nmsg > IC_NEGOTIATE_MAX_VER_COUNT) {
		*why = "negotiate version count above the maximum";
		ret = -EBADMSG;
	} else if (need > len) {
		*why = "negotiate version list past the end of the packet";
		ret = -EBADMSG;
	} else {
		f = ic_pick(v->fw, v->nfw, n->ver, nfw);
		if (f >= 0)
			s = ic_pick(v->srv, v->nsrv, n->ver + nfw, nmsg);
		ret = (f >= 0 && s >= 0) ? 0 : -ENOENT;
	}

	h->msgsize = IC_NEGOTIATE_RESP_SIZE;
	n->reserved = 0;
	if (ret == 0) {
		*fw = v->fw[f];
		*srv = v->srv[s];
		n->fw_count = 1;
		n->msg_count = 1;
		n->ver[0].major = IC_VERSION_MAJOR(*fw);
		n->ver[0].minor = IC_VERSION_MINOR(*fw);
		n->ver[1].major = IC_VERSION_MAJOR(*srv);
		n->ver[1].minor = IC_VERSION_MINOR(*srv);
	} else {
		n->fw_count = 0;
		n->msg_count = 0;
		memset(n->ver, 0, 2 * sizeof(struct ic_version));
	}
	ic_set_response(buf, IC_S_OK);
	*out_len = len;
	if (len < IC_HDR_SIZE + IC_NEGOTIATE_RESP_SIZE) {
		/* the answer is longer than the question: say so in the pipe */
		*out_len = IC_HDR_SIZE + IC_NEGOTIATE_RESP_SIZE;
		((struct ic_pipe_hdr *)buf)->msgsize =
			*out_len - (u32)sizeof(struct ic_pipe_hdr);
	}
	return ret;
}

int ic_shutdown_decode(const void *body, u32 body_len, bool can_hibernate,
		       enum ic_sd_action *act, u32 *status, const char **why)
{
	const struct ic_shutdown_msg *m = body;

	if (body_len < IC_SHUTDOWN_MIN_SIZE) {
		*why = "shutdown body too short";
		return -EBADMSG;
	}
	/* bit 0 (force) does not change what the guest does */
	switch (m->flags & ~(u32)IC_SHUTDOWN_FLAG_FORCE) {
	case 0:
		*act = IC_SD_POWEROFF;
		*status = IC_S_OK;
		break;
	case IC_SHUTDOWN_FLAG_RESTART:
		*act = IC_SD_REBOOT;
		*status = IC_S_OK;
		break;
	case IC_SHUTDOWN_FLAG_HIBERNATE:
		*act = can_hibernate ? IC_SD_HIBERNATE : IC_SD_NONE;
		*status = can_hibernate ? IC_S_OK : IC_E_FAIL;
		break;
	default:
		*act = IC_SD_NONE;
		*status = IC_E_FAIL;
		break;
	}
	return 0;
}

int ic_heartbeat_answer(void *body, u32 body_len, const char **why)
{
	struct ic_heartbeat_msg *m = body;

	if (body_len < IC_HEARTBEAT_MIN_SIZE) {
		*why = "heartbeat body too short";
		return -EBADMSG;
	}
	m->seq_num += 1;
	return 0;
}

int ic_timesync_decode(const void *body, u32 body_len, u32 srv_ver,
		       struct ic_ts_sample *s, const char **why)
{
	if (srv_ver >= IC_TS_VER_4) {
		const struct ic_timesync_ref_msg *r = body;

		if (body_len < IC_TIMESYNC_REF_MIN_SIZE) {
			*why = "timesync v4 body too short";
			return -EBADMSG;
		}
		s->host_time = r->parent_time;
		s->ref_time = r->vm_ref_time;
		s->has_ref = true;
		s->flags = r->flags;
	} else {
		const struct ic_timesync_msg *t = body;

		if (body_len < IC_TIMESYNC_MIN_SIZE) {
			*why = "timesync body too short";
			return -EBADMSG;
		}
		s->host_time = t->parent_time;
		s->ref_time = 0;
		s->has_ref = false;
		s->flags = t->flags;
	}
	return 0;
}

bool ic_host_time_to_unix_ns(u64 host_time, s64 *ns)
{
	u64 t;

	if (host_time < IC_TIMESYNC_EPOCH_DELTA)
		return false;
	t = host_time - IC_TIMESYNC_EPOCH_DELTA;
	/* 100 ns units; s64 ns overflows in the year 2262 */
	if (t > (u64)0x7fffffffffffffffull / 100)
		return false;
	*ns = (s64)(t * 100);
	return true;
}

int ic_vss_decode(const void *body, u32 body_len, u8 *op, const char **why)
{
	const struct ic_vss_msg *m = body;

	if (body_len < sizeof(*m)) {
		*why = "VSS body too short";
		return -EBADMSG;
	}
	*op = m->operation;
	return 0;
}

int ic_fcopy_host_to_daemon(const void *body, u32 body_len, void *out,
			    u32 cap, u32 *out_len, u32 *op, const char **why)
{
	const struct ic_fcopy_hdr *h = body;
	const struct ic_fcopy_start *st = body;
	const struct ic_fcopy_write *wr = body;
	struct ic_fcopy_start *so = out;

	if (cap < sizeof(struct ic_fcopy_write)) {
		*why = "no room for the daemon message";
		return -EBADMSG;
	}
	if (body_len < sizeof(*h)) {
		*why = "fcopy body too short";
		return -EBADMSG;
	}
	*op = h->operation;
	memset(out, 0, sizeof(struct ic_fcopy_write));
	switch (*op) {
	case IC_FCOPY_OP_START_FILE_COPY:
		if (body_len < sizeof(*st)) {
			*why = "START_FILE_COPY body too short";
			return -EBADMSG;
		}
		so->hdr.operation = *op;
		/* the daemon gets UTF-8 in the same arrays, at most 259 bytes */
		if (ic_utf16_to_utf8(st->file_name, sizeof(st->file_name),
				     (char *)so->file_name,
				     IC_FCOPY_MAX_PATH) < 0 ||
		    ic_utf16_to_utf8(st->path_name, sizeof(st->path_name),
				     (char *)so->path_name,
				     IC_FCOPY_MAX_PATH) < 0) {
			*why = "bad, oversized or unterminated UTF-16 file name";
			return -EBADMSG;
		}
		so->copy_flags = st->copy_flags;
		so->file_size = st->file_size;
		*out_len = sizeof(*so);
		return 0;
	case IC_FCOPY_OP_WRITE_TO_FILE:
		if (body_len < offsetof(struct ic_fcopy_write, data)) {
			*why = "WRITE_TO_FILE body too short";
			return -EBADMSG;
		}
		if (wr->size > IC_FCOPY_DATA_FRAGMENT ||
		    wr->size > body_len - offsetof(struct ic_fcopy_write, data)) {
			*why = "WRITE_TO_FILE size past the data";
			return -EBADMSG;
		}
		memcpy(out, body, offsetof(struct ic_fcopy_write, data) + wr->size);
		*out_len = sizeof(*wr);
		return 0;
	case IC_FCOPY_OP_COMPLETE:
	case IC_FCOPY_OP_CANCEL:
		memcpy(out, body, sizeof(*h));
		*out_len = sizeof(*h);
		return 0;
	default:
		*why = "unknown fcopy operation";
		return -EBADMSG;
	}
}

static int ic_put_utf8(u32 c, char *dst, u32 cap, u32 *o)
{
	u32 n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
	u8 *d = (u8 *)dst + *o;

	if (*o + n + 1 > cap)		/* keep room for the NUL */
		return -ENOSPC;
	switch (n) {
	case 1:
		d[0] = (u8)c;
		break;
	case 2:
		d[0] = (u8)(0xc0 | (c >> 6));
		d[1] = (u8)(0x80 | (c & 0x3f));
		break;
	case 3:
		d[0] = (u8)(0xe0 | (c >> 12));
		d[1] = (u8)(0x80 | ((c >> 6) & 0x3f));
		d[2] = (u8)(0x80 | (c & 0x3f));
		break;
	default:
		d[0] = (u8)(0xf0 | (c >> 18));
		d[1] = (u8)(0x80 | ((c >> 12) & 0x3f));
		d[2] = (u8)(0x80 | ((c >> 6) & 0x3f));
		d[3] = (u8)(0x80 | (c & 0x3f));
		break;
	}
	*o += n;
	return 0;
}

int ic_utf16_to_utf8(const void *src, u32 src_bytes, char *dst, u32 cap)
{
	const u8 *p = src;
	u32 n, i, o = 0, c, lo;
	int ret;

	if (src_bytes & 1 || cap == 0)
		return -EINVAL;
	n = src_bytes / 2;
	for (i = 0; i < n; i++) {
		c = p[2 * i] | (u32)p[2 * i + 1] << 8;
		if (c == 0) {
			dst[o] = '\0';
			return (int)o;
		}
		if (c >= 0xd800 && c < 0xdc00) {
			if (i + 1 >= n)
				return -EINVAL;
			lo = p[2 * i + 2] | (u32)p[2 * i + 3] << 8;
			if (lo < 0xdc00 || lo >= 0xe000)
				return -EINVAL;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			i++;
		} else if (c >= 0xdc00 && c < 0xe000) {
			return -EINVAL;
		}
		ret = ic_put_utf8(c, dst, cap, &o);
		if (ret)
			return ret;
	}
	return -EINVAL;			/* no NUL within src_bytes */
}

/* Decode one UTF-8 sequence at s[*i] (len bytes); 0 or -EINVAL. */
static int ic_get_utf8(const u8 *s, u32 len, u32 *i, u32 *cp)
{
	u32 c = s[*i], n, k, min;

	if (c < 0x80) {
		n = 0;
		min = 0;
	} else if ((c & 0xe0) == 0xc0) {
		n = 1;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 2;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 3;
		c &= 0x07;
		min = 0x10000;
	} else {
		return -EINVAL;
	}
	if (n >= len - *i)
		return -EINVAL;
	for (k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xc0) != 0x80)
			return -EINVAL;
		c = (c << 6) | (s[*i + k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
		return -EINVAL;
	*i += n + 1;
	*cp = c;
	return 0;
}

static void ic_put16(u8 *d, u32 at, u32 v)
{
	d[at] = (u8)v;
	d[at + 1] = (u8)(v >> 8);
}

int ic_utf8_to_utf16(const char *src, u32 src_len, void *dst, u32 cap)
{
	const u8 *s = (const u8 *)src;
	u8 *d = dst;
	u32 i = 0, o = 0, c;

	while (i < src_len && s[i]) {
		if (ic_get_utf8(s, src_len, &i, &c))
			return -EINVAL;
		if (c >= 0x10000) {
			if (o + 6 > cap)
				return -ENOSPC;
			c -= 0x10000;
			ic_put16(d, o, 0xd800 | (c >> 10));
			ic_put16(d, o + 2, 0xdc00 | (c & 0x3ff));
			o += 4;
		} else {
			if (o + 4 > cap)
				return -ENOSPC;
			ic_put16(d, o, c);
			o += 2;
		}
	}
	if (o + 2 > cap)
		return -ENOSPC;
	ic_put16(d, o, 0);
	return (int)(o + 2);
}
