// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the StorVSP checks of hv_storvsc on arbitrary host
 * packets, and the GPA range builder on arbitrary scatterlists.
 *
 * Input byte 0 selects the mode:
 *   bit 7 clear: a host packet.  Bits 0-2 pick the negotiated version
 *     (0 = not negotiated yet); with bit 6 set the bytes after byte 5
 *     describe an SRB request for vstor_build_srb() instead.  Bytes
 *     1-4 are the request length (little endian), byte 5 the SCSI opcode
 *     of the request, the rest the packet.  It goes through
 *     vstor_copy_reply(), then every check and parser, then
 *     vstor_map_result().
 *   bit 7 set: a scatterlist.  Bits 0-5 are the PFN array size (0-63);
 *     the rest is read as (u64 phys, u32 len) pieces for vstor_range_add().
 */
#include <stdlib.h>
#include <string.h>

#include "storvsc_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const u16 versions[8] = {
	0, VSTOR_PROTO_WIN6, VSTOR_PROTO_WIN7, VSTOR_PROTO_WIN8,
	VSTOR_PROTO_WIN8_1, VSTOR_PROTO_WIN10, 0x0a00, 0xffff,
};

static void check_verdict(const struct vstor_verdict *v, u32 request_len,
			  const struct vstor_io_result *res)
{
	if (v->host > VSTOR_HOST_PASSTHROUGH || v->action > VSTOR_ACT_REMOVE_LUN)
		abort();
	if (v->resid > request_len)
		abort();
	if (v->sense_len > res->sense_len || v->sense_len > VSTOR_CDB_SENSE_AREA)
		abort();
	if (v->action == VSTOR_ACT_REMOVE_LUN && v->host != VSTOR_HOST_NO_CONNECT)
		abort();
	/* a missing LUN is removed, whatever else the host sent */
	if (VSTOR_SRB_CODE(res->srb_status) == VSTOR_SRB_INVALID_LUN &&
	    v->action != VSTOR_ACT_REMOVE_LUN)
		abort();
	/* a host that moved more than the buffer never gets an OK */
	if (v->host == VSTOR_HOST_OK && !res->dtl_valid &&
	    v->resid != request_len)
		abort();
}

static void packet(u16 version, u32 request_len, u8 opcode, const u8 *p,
		   u32 len)
{
	struct vstor_reply r;
	struct vstor_limits lim;
	struct vstor_io_result res;
	struct vstor_verdict v;
	const char *why = NULL;
	const u8 *pkt = (const u8 *)&r.pkt;
	u32 op;
	u8 asc, ascq;
	u16 q, t;
	u64 tid;

	/* the first 8 bytes as a transaction id, too */
	if (len >= 8) {
		memcpy(&tid, p, 8);
		if (vstor_trans_id_kind(tid, &q, &t) == VSTOR_TID_IO &&
		    vstor_io_trans_id(q, t) != tid)
			abort();
	}

	if (vstor_copy_reply(p, len, &r, &why)) {
		if (len >= 4 || !why)
			abort();
		return;
	}
	if (r.len != len)
		abort();
	/* the copy: what the host sent, then zeros */
	if (memcmp(pkt, p, len < 64 ? len : 64))
		abort();
	for (op = len; op < 64; op++)
		if (pkt[op])
			abort();

	for (op = 0; op <= 15; op++) {
		why = NULL;
		if (vstor_check_ctl_reply(&r, op, &why)) {
			if (!why)
				abort();
			continue;
		}
		if (r.len < VSTOR_HEADER_SIZE ||
		    r.pkt.operation != VSTOR_OP_COMPLETE_IO)
			abort();
		if (op == VSTOR_OP_QUERY_PROPERTIES && r.pkt.status == 0) {
			u32 cap = (u32)opcode << 12 ? (u32)opcode << 12 : 4096;

			if (r.len < VSTOR_HEADER_SIZE + 24)
				abort();
			if (vstor_parse_properties(&r, version, cap, &lim, &why) == 0) {
				if (lim.max_transfer < VSTOR_MIN_TRANSFER ||
				    lim.max_transfer > cap ||
				    (lim.max_transfer & 4095))
					abort();
				if (lim.max_sub_channels && !lim.multi_channel)
					abort();
				if (lim.multi_channel && version < VSTOR_PROTO_WIN8)
					abort();
				if (vstor_subchannel_count(request_len,
							   lim.max_sub_channels,
							   opcode) >
				    VSTOR_MAX_SUBCHANNELS)
					abort();
			}
		}
	}

	why = NULL;
	if (vstor_check_unsolicited(&r, &why)) {
		if (!why)
			abort();
	} else if (r.pkt.operation != VSTOR_OP_ENUMERATE_BUS &&
		   r.pkt.operation != VSTOR_OP_REMOVE_DEVICE &&
		   (r.pkt.operation != VSTOR_OP_FCHBA_DATA || r.len < 48)) {
		abort();
	}

	why = NULL;
	if (vstor_parse_io_reply(&r, version, request_len, &res, &why)) {
		if (!why)
			abort();
		return;
	}
	if (r.len < vstor_packet_size(version))
		abort();
	/* the sense bytes lie inside what the host sent */
	if (res.sense_len > VSTOR_CDB_SENSE_AREA ||
	    res.sense < pkt || res.sense + res.sense_len > pkt + r.len ||
	    res.sense + res.sense_len > pkt + sizeof(r.pkt))
		abort();
	if (res.dtl_valid != (res.data_transfer_length <= request_len))
		abort();
	if (res.sense_clamped && res.sense_len != VSTOR_CDB_SENSE_AREA)
		abort();
	(void)vstor_sense_asc(res.sense, res.sense_len, &asc, &ascq);

	vstor_map_result(&res, opcode, request_len, &v);
	check_verdict(&v, request_len, &res);
}

/* The same bytes as an SRB request: the packet holds it, nothing more. */
static void build(u16 version, const u8 *in, u32 len)
{
	struct vstor_packet pk;
	struct vstor_srb_req r;
	const u8 *b = (const u8 *)&pk;
	u8 cdb[16];
	u32 n, i;

	if (len < 12 + 16)
		return;
	memset(&r, 0, sizeof(r));
	r.port = in[0];
	r.path = in[1];
	r.target = in[2];
	r.lun = in[3];
	r.cdb_len = in[4] & 0x1f;
	r.data_in = in[5] & 7;
	r.tagged = in[6] & 1;
	memcpy(&r.length, in + 8, 4);
	if (in[7] & 1)
		r.length &= 0xff;	/* often 0 */
	r.timeout_s = in[7];
	memcpy(cdb, in + 12, 16);
	r.cdb = cdb;
	memset(&pk, 0xa5, sizeof(pk));
	n = vstor_build_srb(&pk, &r, version);
	if (!n) {
		if (r.cdb_len && r.cdb_len <= 16 && r.data_in <= 2 &&
		    (r.data_in == VSTOR_DATA_UNKNOWN) == !r.length)
			abort();
		return;
	}
	if (n != vstor_packet_size(version) || !r.cdb_len || r.cdb_len > 16 ||
	    pk.operation != VSTOR_OP_EXECUTE_SRB ||
	    pk.u.srb.length != vstor_srb_size(version) ||
	    pk.u.srb.sense_info_length != vstor_sense_size(version) ||
	    pk.u.srb.data_in != r.data_in ||
	    pk.u.srb.data_transfer_length != r.length ||
	    memcmp(pk.u.srb.cdb_sense, cdb, r.cdb_len))
		abort();
	for (i = n; i < sizeof(pk); i++)	/* nothing past what is sent */
		if (b[i])
			abort();
	for (i = 28 + r.cdb_len; i < 48; i++)	/* nor past the CDB */
		if (b[i])
			abort();
}

static void ranges(u32 max, const u8 *p, size_t size)
{
	u64 pfn[64 + 1];
	u64 end = 0, old_end, phys, total = 0, first_off = 0;
	u32 n = 0, len, before, i;
	int rc;

	pfn[max] = 0x5a5a5a5a5a5a5a5aull;	/* one past the array */
	for (; size >= 12; p += 12, size -= 12) {
		memcpy(&phys, p, 8);
		memcpy(&len, p + 8, 4);
		/* keep most pieces near each other, so some connect */
		if (!(p[7] & 0x80))
			phys &= 0xfffffull;
		if (!(p[11] & 0x80))
			len &= 0x3ffff;
		before = n;
		old_end = end;
		rc = vstor_range_add(pfn, max, &n, &end, phys, len);
		if (rc) {
			if (rc != -EINVAL || n != before)
				abort();
			break;
		}
		if (n > max || n < before)
			abort();
		if (!before)
			first_off = phys & 4095;
		total += len;
		if (end != phys + len)
			abort();
		/* the listed pages hold exactly byte_offset + all bytes */
		if (n != (first_off + total + 4095) / 4096)
			abort();
		/* a piece joined where the last ended goes on page by page */
		if (before && phys == old_end)
			for (i = before; i < n; i++)
				if (pfn[i] != pfn[i - 1] + 1)
					abort();
		if (pfn[max] != 0x5a5a5a5a5a5a5a5aull)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u32 request_len;
	u8 *p;

	if (size < 1 || size > 4096)
		return -1;
	if (data[0] & 0x80) {
		ranges(data[0] & 0x3f, data + 1, size - 1);
		return 0;
	}
	if (size < 6)
		return -1;
	memcpy(&request_len, data + 1, 4);
	/* a copy of exactly the packet's size, so ASan sees any overread */
	p = malloc(size - 6 ? size - 6 : 1);
	memcpy(p, data + 6, size - 6);
	if (data[0] & 0x40)
		build(versions[data[0] & 7], p, (u32)(size - 6));
	else
		packet(versions[data[0] & 7], request_len, data[5], p,
		       (u32)(size - 6));
	free(p);
	return 0;
}
