// SPDX-License-Identifier: GPL-2.0-only
/*
 * XDP programs of the VM case 43-net-xdp, one per object (section "xdp"):
 * built with -DXDP_MODE=... by tests/vm/lib/build.sh (build_xdp_progs):
 *
 *   1 pass      every frame XDP_PASS
 *   2 drop      IPv4 ICMP XDP_DROP, the rest (ARP) XDP_PASS
 *   3 tx        an IPv4 ICMP echo request becomes the echo reply (MACs and
 *               addresses swapped, type 0, checksum updated) and XDP_TX
 *   4 redirect  the same reply, bpf_redirect() to the NIC it came in on
 *   5 aborted   IPv4 ICMP XDP_ABORTED, the rest XDP_PASS
 *
 * Self-contained (no libbpf or kernel headers): the few types are here.
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

struct xdp_md {
	u32 data;
	u32 data_end;
	u32 data_meta;
	u32 ingress_ifindex;
	u32 rx_queue_index;
};

struct eth {
	u8 dst[6];
	u8 src[6];
	u16 proto;
};

struct ip4 {
	u8 vhl, tos;
	u16 len, id, frag;
	u8 ttl, proto;
	u16 csum;
	u32 saddr, daddr;
};

struct icmp {
	u8 type, code;
	u16 csum;
};

enum { ABORTED, DROP, PASS, TX, REDIRECT };

static long (*bpf_redirect)(u32 ifindex, u64 flags) = (void *)23;

#define SEC(name) __attribute__((section(name), used))

/* an IPv4 ICMP frame (20-byte header), NULL otherwise */
static __attribute__((always_inline)) struct icmp *
icmp_of(struct xdp_md *ctx, struct eth **e, struct ip4 **ip)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct icmp *ic;

	*e = data;
	*ip = data + sizeof(struct eth);
	ic = data + sizeof(struct eth) + sizeof(struct ip4);
	if ((void *)(ic + 1) > end)
		return 0;
	if ((*e)->proto != __builtin_bswap16(0x0800) || (*ip)->vhl != 0x45 ||
	    (*ip)->proto != 1)
		return 0;
	return ic;
}

/* echo request -> echo reply back to the sender; 0 when not a request */
static __attribute__((always_inline)) int
make_reply(struct xdp_md *ctx)
{
	struct eth *e;
	struct ip4 *ip;
	struct icmp *ic = icmp_of(ctx, &e, &ip);
	u8 mac[6];
	u32 a, sum;
	int i;

	if (!ic || ic->type != 8 || ic->code != 0)
		return 0;
	for (i = 0; i < 6; i++) {
		mac[i] = e->dst[i];
		e->dst[i] = e->src[i];
		e->src[i] = mac[i];
	}
	a = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = a;
	/* type 8 -> 0: the ones' complement sum grows by 0x0800 */
	ic->type = 0;
	sum = (u32)ic->csum + __builtin_bswap16(0x0800);
	ic->csum = (u16)(sum + (sum >> 16));
	return 1;
}

SEC("xdp")
int xdp_prog(struct xdp_md *ctx)
{
#if XDP_MODE == 1
	return PASS;
#elif XDP_MODE == 2
	struct eth *e;
	struct ip4 *ip;

	return icmp_of(ctx, &e, &ip) ? DROP : PASS;
#elif XDP_MODE == 3
	return make_reply(ctx) ? TX : PASS;
#elif XDP_MODE == 4
	if (!make_reply(ctx))
		return PASS;
	return bpf_redirect(ctx->ingress_ifindex, 0);
#elif XDP_MODE == 5
	struct eth *e;
	struct ip4 *ip;

	return icmp_of(ctx, &e, &ip) ? ABORTED : PASS;
#else
#error XDP_MODE
#endif
}

char _license[] SEC("license") = "GPL";
