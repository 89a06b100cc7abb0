// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "echo" test device: every DATA_INBAND packet that asks for a
 * completion is answered with a VMBUS_PKT_COMP carrying the same trans_id
 * and the same payload (as the guest framed it: a multiple of 8 bytes).
 * Everything else is counted and dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>

#include "hv_devids.h"
#include "simhost.h"

static atomic64_t echo_ignored;

static void echo_packet(struct sim_chan *chan, const void *pkt, u32 len)
{
	const struct vmbus_pkt_desc *d = pkt;
	const void *payload;
	u32 plen;
	int ret;

	if (d->type != VMBUS_PKT_DATA_INBAND ||
	    !(d->flags & VMBUS_PKT_FLAG_COMPLETION_REQUESTED)) {
		atomic64_inc(&echo_ignored);
		return;
	}
	payload = sim_pkt_payload(pkt, len, &plen);
	if (!payload) {
		atomic64_inc(&echo_ignored);
		return;
	}
	ret = sim_chan_send_completion(chan, d->trans_id, payload, plen);
	if (ret)
		pr_warn_ratelimited("echo relid %u: completion for %#llx not sent: %d\n",
				    sim_chan_relid(chan), d->trans_id, ret);
}

const struct sim_dev_class sim_echo_class = {
	.name = "echo",
	.id = 0x01,
	.if_type = HV_SIM_ECHO_GUID,
	.packet = echo_packet,
};
