// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes the fuzzers' seed corpora (make corpus): realistic inputs built
 * with the wire structures and the real ring writer, a few just-wrong
 * ones, about a dozen per fuzzer.  Usage: gen_corpus <dir>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hv_ring.h"
#include "vmbus_codec.h"

static const char *outdir;

static void emit(const char *fuzzer, const char *name, const void *p, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, fuzzer);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, fuzzer, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void host_msgs(void)
{
	static const struct hv_guid scsi = HV_GUID_INIT(0xba6163d9, 0x04a1, 0x4d29,
		0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f);
	struct vmbus_msg_offer o;
	struct vmbus_msg_rescind rs;
	struct vmbus_msg_open_result or;
	struct vmbus_msg_gpadl_created gc;
	struct vmbus_msg_gpadl_torndown gt;
	struct vmbus_msg_version_response vr;
	struct vmbus_msg_header h;
	struct vmbus_msg_tl_connect_result tl;
	struct vmbus_msg_modifychannel_response mr;
	struct vmbus_msg_open op;

	memset(&o, 0, sizeof(o));
	o.hdr.msgtype = VMBUS_MSG_OFFERCHANNEL;
	o.if_type = scsi;
	o.if_instance.b[0] = 1;
	o.chn_flags = VMBUS_OFFER_ENUMERATE_DEVICE_INTERFACE;
	o.child_relid = 1;
	o.is_dedicated_interrupt = 1;
	o.connection_id = 0x2001;
	emit("fuzz_host_msg", "offer", &o, sizeof(o));
	o.child_relid = 2048;
	emit("fuzz_host_msg", "offer-bad-relid", &o, sizeof(o));
	o.child_relid = 7;
	emit("fuzz_host_msg", "offer-short", &o, sizeof(o) - 1);

	memset(&rs, 0, sizeof(rs));
	rs.hdr.msgtype = VMBUS_MSG_RESCIND_CHANNELOFFER;
	rs.child_relid = 1;
	emit("fuzz_host_msg", "rescind", &rs, sizeof(rs));

	memset(&or, 0, sizeof(or));
	or.hdr.msgtype = VMBUS_MSG_OPENCHANNEL_RESULT;
	or.child_relid = 1;
	or.openid = 1;
	emit("fuzz_host_msg", "open-result", &or, sizeof(or));

	memset(&gc, 0, sizeof(gc));
	gc.hdr.msgtype = VMBUS_MSG_GPADL_CREATED;
	gc.child_relid = 1;
	gc.gpadl = 0xe1e10;
	emit("fuzz_host_msg", "gpadl-created", &gc, sizeof(gc));

	memset(&gt, 0, sizeof(gt));
	gt.hdr.msgtype = VMBUS_MSG_GPADL_TORNDOWN;
	gt.gpadl = 0xe1e10;
	emit("fuzz_host_msg", "gpadl-torndown", &gt, sizeof(gt));

	memset(&vr, 0, sizeof(vr));
	vr.hdr.msgtype = VMBUS_MSG_VERSION_RESPONSE;
	vr.version_supported = 1;
	vr.msg_conn_id = 1;
	emit("fuzz_host_msg", "version-response", &vr, sizeof(vr));

	memset(&h, 0, sizeof(h));
	h.msgtype = VMBUS_MSG_ALLOFFERS_DELIVERED;
	emit("fuzz_host_msg", "alloffers", &h, sizeof(h));
	h.msgtype = VMBUS_MSG_UNLOAD_RESPONSE;
	emit("fuzz_host_msg", "unload-response", &h, sizeof(h));

	memset(&tl, 0, sizeof(tl));
	tl.hdr.msgtype = VMBUS_MSG_TL_CONNECT_RESULT;
	tl.status = -1;
	emit("fuzz_host_msg", "tl-connect-result", &tl, sizeof(tl));

	memset(&mr, 0, sizeof(mr));
	mr.hdr.msgtype = VMBUS_MSG_MODIFYCHANNEL_RESPONSE;
	mr.child_relid = 3;
	emit("fuzz_host_msg", "modify-response", &mr, sizeof(mr));

	memset(&op, 0, sizeof(op));
	op.hdr.msgtype = VMBUS_MSG_OPENCHANNEL;	/* wrong direction */
	op.child_relid = 1;
	emit("fuzz_host_msg", "open-from-host", &op, sizeof(op));
}

static void packets(void)
{
	u8 p[256];
	struct vmbus_pkt_desc d;
	struct vmbus_pkt_xfer_pages x;
	struct vmbus_xfer_range rg[3];
	struct vmbus_pkt_gpa_direct g;
	unsigned int i;

	for (i = 0; i < sizeof(p); i++)
		p[i] = (u8)i;
	memset(&d, 0, sizeof(d));
	d.type = VMBUS_PKT_DATA_INBAND;
	d.offset8 = 2;
	d.len8 = 6;
	d.flags = VMBUS_PKT_FLAG_COMPLETION_REQUESTED;
	d.trans_id = 1;
	memcpy(p, &d, sizeof(d));
	emit("fuzz_pkt_parse", "inband", p, 48);
	d.type = VMBUS_PKT_COMP;
	d.flags = 0;
	d.len8 = 2;
	memcpy(p, &d, sizeof(d));
	emit("fuzz_pkt_parse", "comp-empty", p, 16);
	d.len8 = 10;
	memcpy(p, &d, sizeof(d));
	emit("fuzz_pkt_parse", "comp", p, 80);
	emit("fuzz_pkt_parse", "len-mismatch", p, 72);
	d.flags = 0x8000;
	memcpy(p, &d, sizeof(d));
	emit("fuzz_pkt_parse", "bad-flags", p, 80);
	d.flags = 0;
	d.offset8 = 11;
	memcpy(p, &d, sizeof(d));
	emit("fuzz_pkt_parse", "offset-past-end", p, 80);

	memset(&x, 0, sizeof(x));
	x.d.type = VMBUS_PKT_DATA_USING_XFER_PAGES;
	x.d.offset8 = (sizeof(x) + sizeof(rg)) / 8;
	x.d.len8 = x.d.offset8 + 2;
	x.d.flags = VMBUS_PKT_FLAG_COMPLETION_REQUESTED;
	x.d.trans_id = 77;
	x.xfer_pageset_id = 0xcafe;
	x.range_cnt = 3;
	for (i = 0; i < 3; i++) {
		rg[i].byte_count = 1514;
		rg[i].byte_offset = i * 6144;
	}
	memcpy(p, &x, sizeof(x));
	memcpy(p + sizeof(x), rg, sizeof(rg));
	emit("fuzz_pkt_parse", "xfer-3-ranges", p, x.d.len8 * 8);
	x.range_cnt = 4;
	memcpy(p, &x, sizeof(x));
	emit("fuzz_pkt_parse", "xfer-table-overlaps", p, x.d.len8 * 8);
	x.range_cnt = 0xffffffff;
	memcpy(p, &x, sizeof(x));
	emit("fuzz_pkt_parse", "xfer-huge-count", p, x.d.len8 * 8);

	memset(&g, 0, sizeof(g));
	g.d.type = VMBUS_PKT_DATA_USING_GPA_DIRECT;
	g.d.offset8 = 6;
	g.d.len8 = 14;
	g.range_cnt = 1;
	memcpy(p, &g, sizeof(g));
	emit("fuzz_pkt_parse", "gpa-direct", p, 112);
	emit("fuzz_pkt_parse", "tiny", p, 7);
}

/* A ring image: flags, buffer selector, op seed, control fields, data. */
static void ring_image(const char *name, u32 start, const u32 *plens, int n,
		       u32 bufsel, int corrupt)
{
	static u8 mem[2 * HV_PAGE_SIZE] __attribute__((aligned(4096)));
	static u8 img[26 + HV_PAGE_SIZE];
	static u8 payload[4096];
	struct vmbus_ring_control *ctl = (void *)mem;
	struct hv_ring w;
	u32 seed = 0x1234567u + start + (u32)n;
	int i;

	memset(mem, 0, sizeof(mem));
	ctl->write_index = start;
	ctl->read_index = start;
	if (hv_ring_setup(&w, mem, sizeof(mem)))
		exit(1);
	hv_ring_set_features(&w);
	for (i = 0; i < n; i++) {
		struct vmbus_pkt_desc d;
		struct hv_ring_seg s[2];
		bool sig;

		memset(&d, 0, sizeof(d));
		d.type = i % 3 ? VMBUS_PKT_DATA_INBAND : VMBUS_PKT_COMP;
		d.offset8 = 2;
		d.len8 = (u16)(2 + plens[i] / 8);
		d.trans_id = i + 1;
		memset(payload, 'a' + i, plens[i]);
		s[0].base = &d;
		s[0].len = sizeof(d);
		s[1].base = payload;
		s[1].len = plens[i];
		if (hv_ring_write(&w, s, 2, &sig))
			exit(1);
	}
	if (corrupt == 1)
		mem[HV_PAGE_SIZE + start + 4] = 0xff;		/* len8 too big */
	if (corrupt == 2)
		mem[HV_PAGE_SIZE + start + 2] = 1;		/* offset8 1 */
	if (corrupt == 3)
		ctl->write_index += 4;				/* unaligned */
	if (corrupt == 4)
		ctl->pending_send_sz = 1024;
	img[0] = 0;				/* one data page, raw indices */
	img[1] = (u8)bufsel;
	memcpy(img + 2, &seed, 4);
	memcpy(img + 6, &ctl->write_index, 4);
	memcpy(img + 10, &ctl->read_index, 4);
	memcpy(img + 14, &ctl->interrupt_mask, 4);
	memcpy(img + 18, &ctl->pending_send_sz, 4);
	memcpy(img + 22, &ctl->feature_bits, 4);
	memcpy(img + 26, mem + HV_PAGE_SIZE, HV_PAGE_SIZE);
	emit("fuzz_ring_read", name, img, sizeof(img));
}

static void rings(void)
{
	static const u32 small[] = { 8, 0, 24, 64 };
	static const u32 big[] = { 1496, 1496 };
	static const u32 full[] = { 4040 };
	static const u32 mix[] = { 504, 8, 1000, 48, 200, 0, 16 };

	ring_image("empty", 0, small, 0, 8, 0);
	ring_image("small", 0, small, 4, 8, 0);
	ring_image("small-wrap", 4072, small, 4, 8, 0);
	ring_image("mtu", 2048, big, 2, 7, 0);
	ring_image("full", 0, full, 1, 8, 0);
	ring_image("full-wrap", 3000, full, 1, 8, 0);
	ring_image("mix", 100 * 8, mix, 7, 5, 0);
	ring_image("small-buf", 0, mix, 7, 2, 0);
	ring_image("bad-len8", 0, small, 4, 8, 1);
	ring_image("bad-offset8", 4088, small, 4, 8, 2);
	ring_image("bad-index", 0, small, 4, 8, 3);
	ring_image("pending", 0, mix, 7, 8, 4);
}

static void gpadls(void)
{
	static const u16 counts[] = { 1, 26, 27, 54, 55, 100, 4096, 8190, 8191, 0 };
	u8 in[3 + 64];
	unsigned int i, k;

	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		char name[32];

		in[0] = counts[i] & 0xff;
		in[1] = counts[i] >> 8;
		in[2] = i == 5 ? 0x21 : 0;	/* one with a partial last page */
		for (k = 0; k < 64; k++)
			in[3 + k] = (u8)(k * 37 + i);
		snprintf(name, sizeof(name), "pfns-%u", counts[i]);
		emit("fuzz_gpadl", name, in, sizeof(in));
	}
	in[0] = 27;
	in[1] = 0;
	in[2] = 0xc1;			/* byte_count that does not match */
	emit("fuzz_gpadl", "bad-byte-count", in, sizeof(in));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <dir>\n", argv[0]);
		return 2;
	}
	outdir = argv[1];
	mkdir(outdir, 0755);
	host_msgs();
	packets();
	rings();
	gpadls();
	return 0;
}
