// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_storvsc channels: opening the primary, the vstor init sequence,
 * sub-channels, control requests and the channel callback that sorts
 * every host packet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/delay.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <scsi/scsi.h>
#include <scsi/scsi_device.h>

#include "storvsc.h"

/* Serialises sub-channel offers and rescinds against probe and remove. */
DEFINE_MUTEX(storvsc_chan_mutex);

void storvsc_reject(struct storvsc_chan *sc, u64 trans_id, const char *why)
{
	dev_err_ratelimited(&sc->stor->hdev->device,
			    "relid %u: dropped host packet (trans_id %#llx): %s\n",
			    hvlis_chan_relid(sc->ch),
			    (unsigned long long)trans_id, why);
}

/* ---- control requests ---- */

static void storvsc_ctl_complete(struct storvsc_chan *sc,
				 struct storvsc_ctl *ctl, u64 trans_id,
				 const struct vstor_reply *r)
{
	struct storvsc_dev *stor = sc->stor;
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&stor->lock, flags);
	if (ctl->pending) {
		ctl->reply = *r;
		ctl->err = 0;
		ctl->pending = false;
		complete(&ctl->done);
		ok = true;
	}
	spin_unlock_irqrestore(&stor->lock, flags);
	if (!ok)
		storvsc_reject(sc, trans_id, "no control request is outstanding");
}

/* Wake a waiting control request with an error (rescind). */
static void storvsc_ctl_abort(struct storvsc_dev *stor, struct storvsc_ctl *ctl,
			      int err)
{
	unsigned long flags;

	spin_lock_irqsave(&stor->lock, flags);
	if (ctl->pending) {
		ctl->pending = false;
		ctl->err = err;
		complete(&ctl->done);
	}
	spin_unlock_irqrestore(&stor->lock, flags);
}

/*
 * Send one control packet on the primary channel and wait for its
 * completion, which is checked for size and operation.  Returns 0 with
 * the reply in *out (its status for the caller to judge), or a -errno.
 * Called with ctl_mutex held.
 */
static int storvsc_ctl_exec(struct storvsc_dev *stor, struct storvsc_ctl *ctl,
			    u64 trans_id, const struct vstor_packet *pkt,
			    u32 len, struct vstor_reply *out)
{
	unsigned long deadline = jiffies + storvsc_timeout * HZ;
	struct device *dev = &stor->hdev->device;
	unsigned long flags;
	const char *why;
	long left;
	int ret;

	reinit_completion(&ctl->done);
	spin_lock_irqsave(&stor->lock, flags);
	ctl->pending = true;
	ctl->err = 0;
	ctl->op = pkt->operation;
	spin_unlock_irqrestore(&stor->lock, flags);

	for (;;) {
		ret = hvlis_chan_send(stor->primary.ch, VMBUS_PKT_DATA_INBAND,
				      VMBUS_PKT_FLAG_COMPLETION_REQUESTED,
				      trans_id, pkt, len);
		/* a full ring (bus reset under load) drains by itself */
		if (ret != -EAGAIN || time_after(jiffies, deadline))
			break;
		msleep(20);
	}
	if (ret) {
		storvsc_ctl_abort(stor, ctl, ret);
		dev_err(dev, "%s could not be sent: %d\n",
			vstor_op_name(pkt->operation), ret);
		return ret;
	}

	left = (long)deadline - (long)jiffies;
	if (left < 1)
		left = 1;
	if (!wait_for_completion_timeout(&ctl->done, left)) {
		spin_lock_irqsave(&stor->lock, flags);
		if (ctl->pending) {
			ctl->pending = false;
			ctl->err = -ETIMEDOUT;
		}
		spin_unlock_irqrestore(&stor->lock, flags);
	}
	if (ctl->err) {
		dev_err(dev, "%s failed: %s\n", vstor_op_name(pkt->operation),
			ctl->err == -ETIMEDOUT ? "the host did not answer" :
			ctl->err == -EPROTO ? "unusable completion" :
					      "the channel went away");
		return ctl->err;
	}
	*out = ctl->reply;
	if (vstor_check_ctl_reply(out, pkt->operation, &why)) {
		dev_err(dev, "%s: bad completion (%u bytes): %s\n",
			vstor_op_name(pkt->operation), out->len, why);
		return -EPROTO;
	}
	return 0;
}

/* A control request that must succeed (status 0). */
static int storvsc_ctl_simple(struct storvsc_dev *stor, struct vstor_packet *pkt,
			      u32 len, struct vstor_reply *out)
{
	int ret;

	ret = storvsc_ctl_exec(stor, &stor->ctl_init, VSTOR_TID_INIT_VALUE, pkt,
			       len, out);
	if (ret)
		return ret;
	if (out->pkt.status != VSTOR_NT_SUCCESS) {
		dev_err(&stor->hdev->device, "%s refused by the host: status %#x\n",
			vstor_op_name(pkt->operation), out->pkt.status);
		return -EIO;
	}
	return 0;
}

/* ---- sub-channels ---- */

static struct storvsc_dev *storvsc_chan_owner(struct vmbus_channel *ch)
{
	struct hv_device *hdev = hvlis_chan_device(ch);

	return hdev ? dev_get_drvdata(&hdev->device) : NULL;
}

static void storvsc_publish_queue(struct storvsc_dev *stor, u16 idx,
				  struct vmbus_channel *ch)
{
	if (stor->queues && idx < stor->nr_queues)
		WRITE_ONCE(stor->queues[idx].ch, ch);
}

/* The host rescinded a sub-channel: move its queue to the primary. */
static void storvsc_sc_rescind(struct vmbus_channel *ch)
{
	struct storvsc_chan *sc;

	mutex_lock(&storvsc_chan_mutex);
	sc = hvlis_chan_get_drvdata(ch);
	if (!sc) {
		mutex_unlock(&storvsc_chan_mutex);
		return;
	}
	dev_info(&sc->stor->hdev->device, "sub-channel %u rescinded\n",
		 sc->index);
	storvsc_publish_queue(sc->stor, sc->index, sc->stor->primary.ch);
	synchronize_rcu();		/* no sender uses ch any more */
	hvlis_chan_close(ch);		/* no callback runs any more */
	hvlis_chan_set_drvdata(ch, NULL);
	/* what the host never answered is sent again on the primary */
	storvsc_fail_outstanding(sc->stor, ch, DID_REQUEUE);
	list_del(&sc->node);
	kfree(sc);
	mutex_unlock(&storvsc_chan_mutex);
}

static int storvsc_open_chan(struct storvsc_dev *stor, struct storvsc_chan *sc)
{
	struct vstor_channel_properties props = {};
	struct hvlis_open_params p = {
		.send_ring_size = stor->ring_bytes,
		.recv_ring_size = stor->ring_bytes,
		/* the in-tree guests pass zeroed channel properties */
		.user_data = &props,
		.user_data_len = sizeof(props),
		.max_pkt_size = STORVSC_MAX_INBOUND_PKT,
		.onchannel = storvsc_on_channel,
		.ctx = sc,
	};
	int ret;

	hvlis_chan_set_drvdata(sc->ch, sc);
	ret = hvlis_chan_open(sc->ch, &p);
	if (ret) {
		hvlis_chan_set_drvdata(sc->ch, NULL);
		return ret;
	}
	sc->opened = true;
	return 0;
}

/* A sub-channel offer (process context, from hv_vmbus). */
static void storvsc_sc_offer(struct vmbus_channel *ch)
{
	u16 idx = hvlis_chan_subchannel_index(ch);
	struct storvsc_dev *stor;
	struct storvsc_chan *sc;
	int ret;

	mutex_lock(&storvsc_chan_mutex);
	stor = storvsc_chan_owner(ch);
	if (!stor || stor->removing || stor->gone)
		goto out;
	if (!idx || idx > stor->num_sc) {
		dev_warn(&stor->hdev->device,
			 "sub-channel %u offered, %u asked for: not used\n",
			 idx, stor->num_sc);
		goto out;
	}
	list_for_each_entry(sc, &stor->subs, node) {
		if (sc->index == idx) {
			dev_warn(&stor->hdev->device,
				 "sub-channel %u offered twice: not used\n", idx);
			goto out;
		}
	}
	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc)
		goto out;
	sc->stor = stor;
	sc->ch = ch;
	sc->index = idx;
	ret = storvsc_open_chan(stor, sc);
	if (ret) {
		dev_err(&stor->hdev->device, "sub-channel %u: open failed: %d\n",
			idx, ret);
		kfree(sc);
		goto out;
	}
	hvlis_chan_set_rescind_callback(ch, storvsc_sc_rescind);
	list_add_tail(&sc->node, &stor->subs);
	storvsc_publish_queue(stor, idx, ch);
out:
	mutex_unlock(&storvsc_chan_mutex);
}

static void storvsc_close_subs(struct storvsc_dev *stor)
{
	struct storvsc_chan *sc, *tmp;

	list_for_each_entry_safe(sc, tmp, &stor->subs, node) {
		storvsc_publish_queue(stor, sc->index, stor->primary.ch);
		hvlis_chan_set_rescind_callback(sc->ch, NULL);
		hvlis_chan_close(sc->ch);
		hvlis_chan_set_drvdata(sc->ch, NULL);
		list_del(&sc->node);
		kfree(sc);
	}
}

static void storvsc_create_subchannels(struct storvsc_dev *stor)
{
	struct vstor_packet pkt;
	struct vstor_reply r;
	u32 len;
	u16 n;
	int ret;

	n = vstor_subchannel_count(num_online_cpus(), stor->lim.max_sub_channels,
				   READ_ONCE(storvsc_max_hw_queues));
	if (!n)
		return;

	/* offers may arrive before the completion */
	mutex_lock(&storvsc_chan_mutex);
	stor->num_sc = n;
	mutex_unlock(&storvsc_chan_mutex);
	hvlis_chan_set_subchannel_callback(stor->primary.ch, storvsc_sc_offer);

	len = vstor_build_create_subchannels(&pkt, n, stor->version);
	ret = storvsc_ctl_simple(stor, &pkt, len, &r);
	if (ret) {
		dev_warn(&stor->hdev->device,
			 "no sub-channels (%d): using the primary channel only\n",
			 ret);
		hvlis_chan_set_subchannel_callback(stor->primary.ch, NULL);
		mutex_lock(&storvsc_chan_mutex);
		stor->num_sc = 0;
		storvsc_close_subs(stor);
		mutex_unlock(&storvsc_chan_mutex);
	}
}

/* ---- the primary rescinded ---- */

static void storvsc_primary_rescind(struct vmbus_channel *ch)
{
	struct storvsc_chan *sc;
	struct storvsc_dev *stor;

	mutex_lock(&storvsc_chan_mutex);
	sc = hvlis_chan_get_drvdata(ch);
	if (sc) {
		stor = sc->stor;
		WRITE_ONCE(stor->gone, true);
		smp_mb();	/* gone before reading the slots */
		dev_info(&stor->hdev->device, "device rescinded by the host\n");
		storvsc_ctl_abort(stor, &stor->ctl_init, -ENODEV);
		storvsc_ctl_abort(stor, &stor->ctl_reset, -ENODEV);
		storvsc_fail_outstanding(stor, NULL, DID_NO_CONNECT);
	}
	mutex_unlock(&storvsc_chan_mutex);
}

/* ---- connect / disconnect ---- */

static u32 storvsc_ring_bytes(void)
{
	/* the parameter counts data bytes; the ring adds its control page */
	/* checked at load: STORVSC_RING_DATA_MIN .. STORVSC_RING_DATA_MAX */
	u32 data = clamp_t(int, storvsc_ringbuffer_size, STORVSC_RING_DATA_MIN,
			   STORVSC_RING_DATA_MAX);

	return PAGE_ALIGN(data + VMBUS_RING_CONTROL_SIZE);
}

static int storvsc_negotiate(struct storvsc_dev *stor)
{
	struct device *dev = &stor->hdev->device;
	struct vstor_packet pkt;
	struct vstor_reply r;
	const char *why;
	u32 cap, len;
	int i, ret;

	len = vstor_build_ctl(&pkt, VSTOR_OP_BEGIN_INITIALIZATION, 0);
	ret = storvsc_ctl_simple(stor, &pkt, len, &r);
	if (ret)
		return ret;

	for (i = 0; i < VSTOR_NUM_VERSIONS; i++) {
		len = vstor_build_query_version(&pkt, vstor_versions[i], 0);
		ret = storvsc_ctl_exec(stor, &stor->ctl_init, VSTOR_TID_INIT_VALUE,
				       &pkt, len, &r);
		if (ret)
			return ret;
		if (r.pkt.status == VSTOR_NT_SUCCESS)
			break;
	}
	if (i == VSTOR_NUM_VERSIONS) {
		dev_err(dev, "the host supports no vstor version from %#x to %#x\n",
			vstor_versions[VSTOR_NUM_VERSIONS - 1], vstor_versions[0]);
		return -EPROTO;
	}
	stor->version = vstor_versions[i];

	len = vstor_build_ctl(&pkt, VSTOR_OP_QUERY_PROPERTIES, stor->version);
	ret = storvsc_ctl_simple(stor, &pkt, len, &r);
	if (ret)
		return ret;
	cap = stor->cls == STORVSC_FC ? STORVSC_FC_MAX_TRANSFER : STORVSC_MAX_TRANSFER;
	if (vstor_parse_properties(&r, stor->version, cap, &stor->lim, &why)) {
		dev_err(dev, "unusable channel properties: %s (%u)\n", why,
			r.pkt.u.props.max_transfer_bytes);
		return -EPROTO;
	}
	if (stor->lim.transfer_clamped && storvsc_log_on(STORVSC_LOG_WARN))
		dev_warn(dev, "max_transfer_bytes %u limited to %u\n",
			 r.pkt.u.props.max_transfer_bytes, stor->lim.max_transfer);

	if (stor->cls == STORVSC_FC) {
		len = vstor_build_ctl(&pkt, VSTOR_OP_FCHBA_DATA, stor->version);
		ret = storvsc_ctl_simple(stor, &pkt, len, &r);
		if (ret)
			return ret;
		storvsc_fc_update_names(stor, &r.pkt.u.wwn);
	}

	len = vstor_build_ctl(&pkt, VSTOR_OP_END_INITIALIZATION, stor->version);
	ret = storvsc_ctl_simple(stor, &pkt, len, &r);
	if (ret)
		return ret;

	dev_info(dev, "vstor protocol %u.%u, max transfer %u bytes, %s%u sub-channels\n",
		 stor->version >> 8, stor->version & 0xff, stor->lim.max_transfer,
		 stor->lim.multi_channel ? "up to " : "", stor->lim.max_sub_channels);

	if (stor->lim.multi_channel && stor->cls != STORVSC_IDE)
		storvsc_create_subchannels(stor);
	return 0;
}

/*
 * Open the primary channel and run the init sequence.  On failure
 * everything is closed again.
 */
int storvsc_connect(struct storvsc_dev *stor)
{
	int ret;

	stor->ring_bytes = storvsc_ring_bytes();
	stor->primary.stor = stor;
	stor->primary.ch = stor->hdev->channel;
	stor->primary.index = 0;

	mutex_lock(&storvsc_chan_mutex);
	hvlis_chan_set_rescind_callback(stor->primary.ch, storvsc_primary_rescind);
	ret = storvsc_open_chan(stor, &stor->primary);
	if (ret)
		hvlis_chan_set_rescind_callback(stor->primary.ch, NULL);
	mutex_unlock(&storvsc_chan_mutex);
	if (ret) {
		dev_err(&stor->hdev->device, "cannot open the channel: %d\n", ret);
		return ret;
	}

	mutex_lock(&stor->ctl_mutex);
	ret = storvsc_negotiate(stor);
	mutex_unlock(&stor->ctl_mutex);
	if (ret)
		storvsc_disconnect(stor);
	return ret;
}

/* Per-queue request tables; sub-channels already open get their queue. */
int storvsc_alloc_queues(struct storvsc_dev *stor)
{
	struct storvsc_queue *queues;
	struct storvsc_chan *sc;
	u16 i;

	mutex_lock(&storvsc_chan_mutex);
	stor->nr_queues = 1 + stor->num_sc;
	queues = kcalloc(stor->nr_queues, sizeof(*queues), GFP_KERNEL);
	if (!queues)
		goto nomem;
	for (i = 0; i < stor->nr_queues; i++) {
		queues[i].ch = stor->primary.ch;
		queues[i].slots = kcalloc(stor->depth, sizeof(*queues[i].slots),
					  GFP_KERNEL);
		if (!queues[i].slots)
			goto nomem;
	}
	list_for_each_entry(sc, &stor->subs, node)
		queues[sc->index].ch = sc->ch;
	/* completions read nr_queues and depth after the pointer */
	smp_store_release(&stor->queues, queues);
	mutex_unlock(&storvsc_chan_mutex);
	return 0;

nomem:
	if (queues) {
		for (i = 0; i < stor->nr_queues; i++)
			kfree(queues[i].slots);
		kfree(queues);
	}
	stor->nr_queues = 0;
	mutex_unlock(&storvsc_chan_mutex);
	return -ENOMEM;
}

/* Close every channel and free the queues (remove, or a failed probe). */
void storvsc_disconnect(struct storvsc_dev *stor)
{
	struct storvsc_queue *queues;
	u16 i;

	hvlis_chan_set_subchannel_callback(stor->primary.ch, NULL);
	mutex_lock(&storvsc_chan_mutex);
	stor->removing = true;
	storvsc_close_subs(stor);
	if (stor->primary.opened) {
		hvlis_chan_close(stor->primary.ch);
		stor->primary.opened = false;
	}
	hvlis_chan_set_drvdata(stor->primary.ch, NULL);
	hvlis_chan_set_rescind_callback(stor->primary.ch, NULL);
	dev_set_drvdata(&stor->hdev->device, NULL);
	queues = stor->queues;
	WRITE_ONCE(stor->queues, NULL);
	if (queues) {
		for (i = 0; i < stor->nr_queues; i++)
			kfree(queues[i].slots);
		kfree(queues);
	}
	mutex_unlock(&storvsc_chan_mutex);
}

/*
 * RESET_BUS, then wait until the host has answered every request it had:
 * until then it may still write into their buffers, so the SCSI layer
 * must not finish or reuse them.  There is no time limit (the in-tree
 * driver waits the same way); a warning repeats every storvsc_timeout.
 * The adapter stays usable: whatever the host answers later is served.
 * 0 when the host holds no request any more, -ENODEV when the device was
 * rescinded (which fails every request).
 */
int storvsc_bus_reset(struct storvsc_dev *stor)
{
	struct device *dev = &stor->hdev->device;
	unsigned int waited = 0;
	struct vstor_packet pkt;
	struct vstor_reply r;
	u32 len;
	int ret;

	if (READ_ONCE(stor->gone))
		return -ENODEV;
	mutex_lock(&stor->ctl_mutex);
	len = vstor_build_ctl(&pkt, VSTOR_OP_RESET_BUS, stor->version);
	ret = storvsc_ctl_exec(stor, &stor->ctl_reset, VSTOR_TID_RESET_VALUE,
			       &pkt, len, &r);
	mutex_unlock(&stor->ctl_mutex);
	if (ret == -ENODEV)
		return ret;
	if (ret)
		dev_warn(dev, "RESET_BUS not answered (%d); waiting for the host's answers anyway\n",
			 ret);
	else if (r.pkt.status != VSTOR_NT_SUCCESS)
		dev_warn(dev, "RESET_BUS status %#x\n", r.pkt.status);

	while (!wait_event_timeout(stor->drain_wq,
				   !atomic_read(&stor->outstanding) ||
				   READ_ONCE(stor->gone),
				   storvsc_timeout * HZ)) {
		waited += storvsc_timeout;
		dev_warn(dev, "bus reset: the host still holds %d requests after %u s; waiting for them\n",
			 atomic_read(&stor->outstanding), waited);
	}
	return READ_ONCE(stor->gone) ? -ENODEV : 0;
}

/* ---- the channel callback ---- */

static void storvsc_unsolicited(struct storvsc_chan *sc, u64 trans_id)
{
	const struct vstor_reply *r = &sc->reply;
	const char *why;

	if (vstor_check_unsolicited(r, &why)) {
		storvsc_reject(sc, trans_id, why);
		return;
	}
	switch (r->pkt.operation) {
	case VSTOR_OP_ENUMERATE_BUS:
	case VSTOR_OP_REMOVE_DEVICE:
		storvsc_queue_scan(sc->stor);
		break;
	case VSTOR_OP_FCHBA_DATA:
		if (sc->stor->cls == STORVSC_FC)
			storvsc_fc_update_names(sc->stor, &r->pkt.u.wwn);
		break;
	}
}

static void storvsc_on_packet(struct storvsc_chan *sc,
			      const struct vmbus_pkt_view *v)
{
	struct storvsc_dev *stor = sc->stor;
	enum vstor_tid_kind kind;
	const char *bad = NULL;
	struct storvsc_ctl *ctl;
	u16 queue = 0, tag = 0;

	/*
	 * Sort by transaction id first: a packet that cannot be used as the
	 * answer it names still ends that request (with an error) instead
	 * of leaving it outstanding for ever.
	 */
	kind = vstor_trans_id_kind(v->trans_id, &queue, &tag);
	if (v->type != VMBUS_PKT_COMP && v->type != VMBUS_PKT_DATA_INBAND)
		bad = "unexpected packet type";
	else if (vstor_copy_reply(v->payload, v->payload_len, &sc->reply, &bad))
		;	/* bad says why */
	else if (kind == VSTOR_TID_IO && v->type != VMBUS_PKT_COMP)
		bad = "I/O answer not a completion";
	else if ((kind == VSTOR_TID_INIT || kind == VSTOR_TID_RESET) &&
		 (v->type != VMBUS_PKT_COMP || sc->index))
		bad = "control completion not a completion on the primary";

	switch (kind) {
	case VSTOR_TID_UNSOLICITED:
		if (bad)
			storvsc_reject(sc, v->trans_id, bad);
		else
			storvsc_unsolicited(sc, v->trans_id);
		return;
	case VSTOR_TID_INIT:
	case VSTOR_TID_RESET:
		ctl = kind == VSTOR_TID_INIT ? &stor->ctl_init : &stor->ctl_reset;
		if (bad) {
			storvsc_reject(sc, v->trans_id, bad);
			/* the waiter learns at once instead of timing out */
			storvsc_ctl_abort(stor, ctl, -EPROTO);
			return;
		}
		storvsc_ctl_complete(sc, ctl, v->trans_id, &sc->reply);
		return;
	case VSTOR_TID_IO:
		storvsc_io_complete(sc, queue, tag, &sc->reply, bad);
		return;
	default:
		storvsc_reject(sc, v->trans_id,
			       bad ? bad : "transaction id names no request");
		return;
	}
}

/* Softirq, never concurrently with itself for one channel. */
void storvsc_on_channel(void *ctx)
{
	struct storvsc_chan *sc = ctx;
	const struct vmbus_pkt_view *v;

	hvlis_for_each_pkt(v, sc->ch)
		storvsc_on_packet(sc, v);
	hvlis_pkt_done(sc->ch);
}
