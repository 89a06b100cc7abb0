/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_simhost device plugin interface.
 *
 * A simulated device is a struct sim_dev_class listed in devices.c.  The
 * framework offers one channel per configured instance, maps the ring when
 * the guest opens it and calls ->packet() for every packet the guest
 * writes, in process context (one call at a time per channel).  Devices
 * answer with sim_chan_send*() and may ask for sub-channels with
 * sim_offer_subchannels().
 */
#ifndef SIMHOST_H
#define SIMHOST_H

#include <linux/types.h>

#include "hv_wire_common.h"
#include "vmbus_ring.h"

struct sim_chan;

struct sim_dev_class {
	const char *name;		/* devices= and debugfs "offer" name */
	u8 id;				/* unique; part of the instance GUID */
	struct hv_guid if_type;
	u16 chn_flags;			/* VMBUS_OFFER_* */
	u8 pipe_mode;			/* user_def[0] when NAMED_PIPE_MODE */
	u16 mmio_megabytes;
	/* Optional.  0 = accept; an error fails OPENCHANNEL. */
	int (*open)(struct sim_chan *chan);
	/*
	 * One guest packet: the full packet starting at its descriptor
	 * (struct vmbus_pkt_desc), @len = len8 * 8 bytes.  Optional.
	 */
	void (*packet)(struct sim_chan *chan, const void *pkt, u32 len);
	/* Optional; the ring is already unmapped from I/O when called. */
	void (*close)(struct sim_chan *chan);
};

/* Identity */
u32 sim_chan_relid(const struct sim_chan *chan);
u16 sim_chan_subidx(const struct sim_chan *chan);
unsigned int sim_chan_index(const struct sim_chan *chan);
struct sim_chan *sim_chan_primary(struct sim_chan *chan);
void *sim_chan_get_priv(const struct sim_chan *chan);
void sim_chan_set_priv(struct sim_chan *chan, void *priv);

/*
 * From a packet callback: the packet still occupies its ring room (it is
 * given back after the callback).  False on pipe channels, whose packets
 * are taken out of the ring first.
 */
bool sim_chan_rx_in_ring(const struct sim_chan *chan);

/* Userdata of the guest's OPENCHANNEL (120 bytes). */
const u8 *sim_chan_open_userdata(const struct sim_chan *chan);

/*
 * Send one packet to the guest.  May sleep: waits (up to the
 * send_timeout_ms module parameter) while the host-to-guest ring is full.
 * Returns 0, -ESHUTDOWN (channel closing), -ETIMEDOUT, -EMSGSIZE or -EIO
 * (ring corrupted by the guest).
 */
int sim_chan_send(struct sim_chan *chan, u16 type, u16 flags, u64 trans_id,
		  const void *data, u32 len);
/* As above, but returns -EAGAIN instead of waiting (still process context). */
int sim_chan_try_send(struct sim_chan *chan, u16 type, u16 flags,
		      u64 trans_id, const void *data, u32 len);

/*
 * As sim_chan_send(), but the first offset8 * 8 - 16 bytes of @data are
 * part of the packet header (e.g. the range table of a transfer-page
 * packet): the descriptor's offset8 points past them.  @wait: as
 * sim_chan_send() (true) or sim_chan_try_send() (false).
 */
int sim_chan_send_hdr(struct sim_chan *chan, u16 type, u16 flags,
		      u64 trans_id, u16 offset8, const void *data, u32 len,
		      bool wait);

static inline int sim_chan_send_inband(struct sim_chan *chan, u64 trans_id,
				       bool want_completion,
				       const void *data, u32 len)
{
	return sim_chan_send(chan, VMBUS_PKT_DATA_INBAND,
			     want_completion ?
			     VMBUS_PKT_FLAG_COMPLETION_REQUESTED : 0,
			     trans_id, data, len);
}

static inline int sim_chan_send_completion(struct sim_chan *chan,
					   u64 trans_id,
					   const void *data, u32 len)
{
	return sim_chan_send(chan, VMBUS_PKT_COMP, 0, trans_id, data, len);
}

/* Payload of a guest packet (after offset8); NULL if malformed. */
const void *sim_pkt_payload(const void *pkt, u32 len, u32 *payload_len);

/*
 * Offer sub-channels 1..n of @primary (same if_type and if_instance).
 * Asynchronous: the offers go out from the control thread shortly after.
 * Safe from ->packet().  Returns 0 or -errno.
 */
int sim_offer_subchannels(struct sim_chan *primary, unsigned int n);
/*
 * Have sub-channels 1..n offered (OpenVMM's enable_subchannels): only
 * those not offered since the primary was opened are added.  Asynchronous.
 */
int sim_enable_subchannels(struct sim_chan *primary, unsigned int n);

/* Device classes (devices.c lists them all). */
extern const struct sim_dev_class sim_echo_class;	/* echo.c */
extern const struct sim_dev_class sim_scsi_class;	/* storvsp.c */
extern const struct sim_dev_class sim_nic_class;	/* netvsp.c */
/* integration components: ic_<service>.c; ic_debugfs.c: sim_ic_init() */
extern const struct sim_dev_class sim_shutdown_class;
extern const struct sim_dev_class sim_timesync_class;
extern const struct sim_dev_class sim_heartbeat_class;
extern const struct sim_dev_class sim_kvp_class;
extern const struct sim_dev_class sim_vss_class;
extern const struct sim_dev_class sim_fcopy_class;
void sim_ic_init(void);
/* offeronly.c: offered, accept open/close, ignore packets */
extern const struct sim_dev_class sim_ide_class;
extern const struct sim_dev_class sim_dm_class;
extern const struct sim_dev_class sim_kbd_class;
extern const struct sim_dev_class sim_mouse_class;
extern const struct sim_dev_class sim_synthvid_class;
extern const struct sim_dev_class sim_synthfc_class;

#endif /* SIMHOST_H */
