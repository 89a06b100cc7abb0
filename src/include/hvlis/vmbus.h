/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hyperv-lis VMBus driver API: what hv_storvsc, hv_netvsc, hv_utils and
 * other VMBus device drivers may use from hv_vmbus.
 *
 * Every exported symbol carries the hvlis_ prefix: the in-tree hv_vmbus
 * exports vmbus_* symbols with other layouts, and a module built for one
 * must never resolve against the other.
 *
 * Contexts:
 *  - probe/remove/shutdown run in process context.
 *  - The onchannel callback runs in softirq context on the channel's
 *    target CPU, never concurrently with itself for one channel.
 *  - hvlis_chan_send*() may be called from any context but NMI.
 *  - Packet iteration (hvlis_pkt_*) is single-reader: from the onchannel
 *    callback, or from process context before the channel is opened with
 *    a callback.
 */
#ifndef HVLIS_VMBUS_H
#define HVLIS_VMBUS_H

#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include "vmbus_msg.h"
#include "vmbus_ring.h"
#include "hv_devids.h"

struct vmbus_channel;			/* opaque */
struct vmbus_pkt_view;			/* see vmbus_codec.h */

struct hv_device {
	struct device device;
	struct hv_guid dev_type;	/* class: the offer's if_type */
	struct hv_guid dev_instance;	/* the offer's if_instance */
	u16 vendor_id;
	u16 device_id;
	struct vmbus_channel *channel;	/* primary channel */
	const char *driver_override;
	struct kset *channels_kset;	/* internal: sysfs channels/ */
};

static inline struct hv_device *to_hv_device(struct device *d)
{
	return container_of(d, struct hv_device, device);
}

struct hv_driver {
	const char *name;
	/* entries: { .guid = <16 bytes of the class GUID> }, zero-terminated */
	const struct hv_vmbus_device_id *id_table;
	int (*probe)(struct hv_device *dev, const struct hv_vmbus_device_id *id);
	void (*remove)(struct hv_device *dev);
	void (*shutdown)(struct hv_device *dev);
	struct device_driver driver;
};

static inline struct hv_driver *to_hv_driver(struct device_driver *d)
{
	return container_of(d, struct hv_driver, driver);
}

int __hvlis_driver_register(struct hv_driver *drv, struct module *owner,
			    const char *mod_name);
#define hvlis_driver_register(drv) \
	__hvlis_driver_register(drv, THIS_MODULE, KBUILD_MODNAME)
void hvlis_driver_unregister(struct hv_driver *drv);

/* Negotiated VMBus protocol version (VMBUS_VERSION_*). */
u32 hvlis_vmbus_version(void);

/* Channel identity and state */
struct hv_device *hvlis_chan_device(const struct vmbus_channel *ch);
u32 hvlis_chan_relid(const struct vmbus_channel *ch);
u16 hvlis_chan_subchannel_index(const struct vmbus_channel *ch);
unsigned int hvlis_chan_target_cpu(const struct vmbus_channel *ch);
bool hvlis_chan_rescinded(const struct vmbus_channel *ch);
/* The offer's 120-byte user_def area (pipe mode, IDE properties …). */
const u8 *hvlis_chan_offer_user_def(const struct vmbus_channel *ch);
/* Per-channel driver data (sub-channels have no struct device). */
void hvlis_chan_set_drvdata(struct vmbus_channel *ch, void *data);
void *hvlis_chan_get_drvdata(const struct vmbus_channel *ch);

struct hvlis_open_params {
	u32 send_ring_size;		/* bytes incl. control page, page multiple */
	u32 recv_ring_size;
	const void *user_data;		/* OPENCHANNEL user data, may be NULL */
	u32 user_data_len;		/* <= VMBUS_OFFER_USER_DEF_SIZE */
	u32 max_pkt_size;		/* largest inbound packet accepted, bytes */
	void (*onchannel)(void *ctx);	/* may be NULL: the driver polls */
	void *ctx;
};

/*
 * Open: establishes the ring GPADL, sends OPENCHANNEL and waits for the
 * result, as long as the host takes (a warning every timeout_ms).  -ENODEV
 * when the channel is rescinded meanwhile, -EIO when the host refuses,
 * -EPROTO when its answer was malformed.
 */
int hvlis_chan_open(struct vmbus_channel *ch, const struct hvlis_open_params *p);
/* Close: CLOSECHANNEL, GPADL teardown, frees the rings (never memory the host may still map). */
void hvlis_chan_close(struct vmbus_channel *ch);

/*
 * Send one packet of type VMBUS_PKT_DATA_INBAND or VMBUS_PKT_COMP; len is
 * padded to 8 bytes.  -EAGAIN when the ring is full (try later, the
 * driver is called back when room appears), -ENODEV after rescind,
 * -EMSGSIZE when it can never fit, -EIO on a broken ring.
 */
int hvlis_chan_send(struct vmbus_channel *ch, u16 type, u16 flags,
		    u64 trans_id, const void *buf, u32 len);
/*
 * DATA_USING_GPA_DIRECT with one multi-page range (range has
 * range_bytes bytes: 8 + 8 * pfn count), COMPLETION_REQUESTED.
 */
int hvlis_chan_send_gpa_range(struct vmbus_channel *ch,
			      const struct vmbus_gpa_range *range,
			      u32 range_bytes, const void *buf, u32 len,
			      u64 trans_id);
/* DATA_USING_GPA_DIRECT with one single-page range per entry. */
struct hvlis_page_range {
	u64 pfn;
	u32 offset;
	u32 len;
};
int hvlis_chan_send_page_ranges(struct vmbus_channel *ch,
				const struct hvlis_page_range *pr, u32 count,
				const void *buf, u32 len, u64 trans_id);
/* Bytes the driver may still write before the ring is full. */
u32 hvlis_chan_send_space(struct vmbus_channel *ch);

/*
 * Receive: iterate over the inbound packets.  Each packet is copied out
 * of the ring and validated before it is returned; the view points into
 * a per-channel buffer valid until the next call.  hvlis_pkt_done()
 * publishes the consumed space to the host.  Oversized or malformed
 * packets are logged, counted and skipped; a corrupt ring stops the
 * iteration for good (the channel is marked broken).
 */
const struct vmbus_pkt_view *hvlis_pkt_first(struct vmbus_channel *ch);
const struct vmbus_pkt_view *hvlis_pkt_next(struct vmbus_channel *ch);
void hvlis_pkt_done(struct vmbus_channel *ch);
#define hvlis_for_each_pkt(v, ch) \
	for ((v) = hvlis_pkt_first(ch); (v); (v) = hvlis_pkt_next(ch))

/* GPADLs for driver buffers (netvsc receive/send buffers …) */
struct hvlis_gpadl {
	u32 handle;
	void *buf;
	u32 size;
	bool decrypted;			/* reserved for isolated VMs */
};
/* buf: page aligned, vmalloc'ed or physically contiguous; size page multiple. */
int hvlis_gpadl_establish(struct vmbus_channel *ch, void *buf, u32 size,
			  struct hvlis_gpadl *g);
/*
 * Establish waits for the host's answer as long as it takes (or until the
 * channel's rescind: -ENODEV).  Teardown waits timeout_ms: when it fails
 * (-ETIMEDOUT, -EIO) the buffer may still be host-visible and the caller
 * must not free it.
 */
int hvlis_gpadl_teardown(struct vmbus_channel *ch, struct hvlis_gpadl *g);

/* Sub-channels: called in process context for each new sub-channel offer. */
void hvlis_chan_set_subchannel_callback(struct vmbus_channel *primary,
					void (*cb)(struct vmbus_channel *sc));
/* Called (process context) when the host rescinds a sub-channel or the primary. */
void hvlis_chan_set_rescind_callback(struct vmbus_channel *ch,
				     void (*cb)(struct vmbus_channel *ch));
/* Retarget a channel's host-to-guest interrupt to a CPU (MODIFYCHANNEL). */
int hvlis_chan_set_target_cpu(struct vmbus_channel *ch, unsigned int cpu);

#endif /* HVLIS_VMBUS_H */
