// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_utils: the Hyper-V integration services.  This file is the common
 * part: one VMBus driver for every IC class, channel open/close, the
 * packet loop, header checks and version negotiation; the services
 * (util_<name>.c) only see their own messages.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <hvlis/version.h>
#include "util.h"
#include "vmbus_codec.h"

enum util_id {
	UTIL_SHUTDOWN,
	UTIL_TIMESYNC,
	UTIL_HEARTBEAT,
	UTIL_KVP,
	UTIL_VSS,
	UTIL_FCOPY,
	UTIL_NR,
};

static const struct util_ops *const util_table[UTIL_NR] = {
	[UTIL_SHUTDOWN] = &util_shutdown_ops,
	[UTIL_TIMESYNC] = &util_timesync_ops,
	[UTIL_HEARTBEAT] = &util_heartbeat_ops,
	[UTIL_KVP] = &util_kvp_ops,
	[UTIL_VSS] = &util_vss_ops,
	[UTIL_FCOPY] = &util_fcopy_ops,
};

/* Each service exists once: the second offer of a class is not used. */
static DEFINE_MUTEX(util_lock);
static struct util_svc *util_active[UTIL_NR];

/*
 * A full ring (-EAGAIN) has asked the host to interrupt us once the
 * response fits (pending_send_sz); the host may stop reading for a while,
 * and a response dropped here would fail its request for good.  One
 * transaction at a time: a host that sends a new request has given up
 * on the old one, whose kept response would now be taken as the new
 * one's (the IC header carries no usable transaction id), so it goes.
 */
int util_reply(struct util_svc *s, const void *buf, u32 len, u64 trans_id)
{
	unsigned long flags;
	bool stale;
	int ret;

	spin_lock_irqsave(&s->kept_lock, flags);
	stale = s->kept_len;
	s->kept_len = 0;
	ret = hvlis_chan_send(s->ch, VMBUS_PKT_DATA_INBAND, 0, trans_id, buf,
			      len);
	if (ret == -EAGAIN && len <= IC_MAX_PKT) {
		memcpy(s->kept, buf, len);
		s->kept_len = len;
		s->kept_tid = trans_id;
		ret = 0;
	}
	spin_unlock_irqrestore(&s->kept_lock, flags);
	if (stale)
		util_err(s, "dropped a response the host no longer waits for\n");
	if (ret)
		util_err(s, "sending the response failed (%d)\n", ret);
	return ret;
}

/* From the channel callback: the kept response, if the ring has room now. */
static void util_send_kept(struct util_svc *s)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&s->kept_lock, flags);
	if (s->kept_len) {
		ret = hvlis_chan_send(s->ch, VMBUS_PKT_DATA_INBAND, 0,
				      s->kept_tid, s->kept, s->kept_len);
		if (ret != -EAGAIN)
			s->kept_len = 0;
	}
	spin_unlock_irqrestore(&s->kept_lock, flags);
	if (ret && ret != -EAGAIN)
		util_err(s, "sending the response failed (%d)\n", ret);
}

static void util_negotiate(struct util_svc *s, u32 len, u64 trans_id)
{
	const char *why = "";
	u32 fw = 0, srv = 0, out;
	int ret;

	ret = ic_negotiate(s->buf, len, IC_MAX_PKT, &s->ops->vers, &fw, &srv,
			   &out, &why);
	switch (ret) {
	case 0:
		if (fw != s->fw_ver || srv != s->srv_ver)
			pr_info("%s: IC framework %u.%u, service version %u.%u\n",
				s->ops->name, fw >> 16, fw & 0xffff,
				srv >> 16, srv & 0xffff);
		s->fw_ver = fw;
		s->srv_ver = srv;
		break;
	case -ENOENT:
		util_err(s, "no common IC version with the host\n");
		break;
	default:
		util_err(s, "refused negotiate message: %s\n", why);
		break;
	}
	if (out)
		util_reply(s, s->buf, out, trans_id);
}

static void util_on_packet(struct util_svc *s, const struct vmbus_pkt_view *v)
{
	struct ic_msg_hdr *h;
	const char *why = "";
	u32 body_len;

	if (v->type != VMBUS_PKT_DATA_INBAND) {
		util_err(s, "ignored packet of type %u\n", v->type);
		return;
	}
	if (v->payload_len > IC_MAX_PKT) {
		util_err(s, "refused packet of %u bytes\n", v->payload_len);
		return;
	}
	memcpy(s->buf, v->payload, v->payload_len);
	if (ic_check_hdr(s->buf, v->payload_len, &body_len, &why)) {
		util_err(s, "refused packet: %s\n", why);
		return;
	}
	h = ic_msg_hdr(s->buf);
	if (h->msgtype == IC_MSGTYPE_NEGOTIATE) {
		util_negotiate(s, v->payload_len, v->trans_id);
		return;
	}
	if (h->msgtype != s->ops->msgtype || !s->srv_ver) {
		util_err(s, "unexpected message type %u%s\n", h->msgtype,
			 s->srv_ver ? "" : " before negotiation");
		ic_set_response(s->buf, IC_E_FAIL);
		util_reply(s, s->buf, v->payload_len, v->trans_id);
		return;
	}
	if (s->ops->handle(s, v->payload_len, body_len, v->trans_id))
		util_reply(s, s->buf, v->payload_len, v->trans_id);
}

static void util_on_channel(void *ctx)
{
	struct util_svc *s = ctx;
	const struct vmbus_pkt_view *v;

	util_send_kept(s);
	hvlis_for_each_pkt(v, s->ch)
		util_on_packet(s, v);
	hvlis_pkt_done(s->ch);
}

static int util_probe(struct hv_device *hdev,
		      const struct hv_vmbus_device_id *id)
{
	unsigned long idx = id->driver_data;
	struct hvlis_open_params p = {
		.send_ring_size = UTIL_RING_SIZE,
		.recv_ring_size = UTIL_RING_SIZE,
		.max_pkt_size = IC_MAX_PKT,
		.onchannel = util_on_channel,
	};
	struct util_svc *s;
	int ret;

	if (idx >= UTIL_NR)
		return -ENODEV;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->buf = kzalloc(IC_MAX_PKT, GFP_KERNEL);
	s->kept = kzalloc(IC_MAX_PKT, GFP_KERNEL);
	if (!s->buf || !s->kept) {
		kfree(s->kept);
		kfree(s->buf);
		kfree(s);
		return -ENOMEM;
	}
	spin_lock_init(&s->kept_lock);
	s->ops = util_table[idx];
	s->hdev = hdev;
	s->ch = hdev->channel;

	mutex_lock(&util_lock);
	if (util_active[idx]) {
		mutex_unlock(&util_lock);
		dev_warn(&hdev->device, "a second %s channel: not used\n",
			 s->ops->name);
		ret = -EBUSY;
		goto free;
	}
	util_active[idx] = s;
	mutex_unlock(&util_lock);

	dev_set_drvdata(&hdev->device, s);
	if (s->ops->init) {
		ret = s->ops->init(s);
		if (ret)
			goto inactive;
	}
	p.ctx = s;
	ret = hvlis_chan_open(s->ch, &p);
	if (ret) {
		dev_err(&hdev->device, "opening the %s channel failed (%d)\n",
			s->ops->name, ret);
		goto deinit;
	}
	s->opened = true;
	return 0;

deinit:
	if (s->ops->deinit)
		s->ops->deinit(s);
inactive:
	dev_set_drvdata(&hdev->device, NULL);
	mutex_lock(&util_lock);
	util_active[idx] = NULL;
	mutex_unlock(&util_lock);
free:
	kfree(s->kept);
	kfree(s->buf);
	kfree(s);
	return ret;
}

static void util_remove(struct hv_device *hdev)
{
	struct util_svc *s = dev_get_drvdata(&hdev->device);
	unsigned int i;

	if (!s)
		return;
	hvlis_chan_close(s->ch);	/* no callback runs after this */
	s->opened = false;
	if (s->ops->deinit)
		s->ops->deinit(s);
	dev_set_drvdata(&hdev->device, NULL);
	mutex_lock(&util_lock);
	for (i = 0; i < UTIL_NR; i++)
		if (util_active[i] == s)
			util_active[i] = NULL;
	mutex_unlock(&util_lock);
	kfree(s->kept);
	kfree(s->buf);
	kfree(s);
}

static const struct hv_vmbus_device_id util_id_table[] = {
	{ .guid = HV_SHUTDOWN_GUID, .driver_data = UTIL_SHUTDOWN },
	{ .guid = HV_TS_GUID, .driver_data = UTIL_TIMESYNC },
	{ .guid = HV_HEART_BEAT_GUID, .driver_data = UTIL_HEARTBEAT },
	{ .guid = HV_KVP_GUID, .driver_data = UTIL_KVP },
	{ .guid = HV_VSS_GUID, .driver_data = UTIL_VSS },
	{ .guid = HV_FCOPY_GUID, .driver_data = UTIL_FCOPY },
	{ },
};
MODULE_DEVICE_TABLE(vmbus, util_id_table);

static struct hv_driver util_drv = {
	.name = KBUILD_MODNAME,
	.id_table = util_id_table,
	.probe = util_probe,
	.remove = util_remove,
};

static int __init util_init(void)
{
	return hvlis_driver_register(&util_drv);
}

static void __exit util_exit(void)
{
	hvlis_driver_unregister(&util_drv);
}

module_init(util_init);
module_exit(util_exit);
MODULE_DESCRIPTION("Hyper-V integration services (hyperv-lis)");
MODULE_LICENSE("GPL");
MODULE_VERSION(HVLIS_VERSION);
