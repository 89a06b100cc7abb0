/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_vmbus internals shared by its source files.  Not for drivers: they
 * use include/hvlis/vmbus.h only.
 */
#ifndef VMBUS_PRIVATE_H
#define VMBUS_PRIVATE_H

#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "hvlis/vmbus.h"
#include "hvlis/hv_backend.h"
#include "hv_ring.h"
#include "vmbus_codec.h"

/* Channel states; the numbers are what sysfs "state" shows, as in-tree. */
enum vmbus_chan_state {
	VMBUS_CHAN_OFFERED = 0,
	VMBUS_CHAN_OPENING = 1,
	VMBUS_CHAN_OPENED = 3,
};

struct vmbus_channel {
	struct list_head node;		/* vmbus_conn.channels or primary->subchannels */
	struct list_head subchannels;	/* primary only */
	struct vmbus_channel *primary;	/* NULL for a primary channel */
	struct hv_device *device;	/* owning device (primary's for sub-channels) */
	struct kref ref;

	struct vmbus_msg_offer offer;	/* validated copy of the offer */
	u32 relid;
	u16 subchannel_index;
	u32 sig_conn_id;		/* HvSignalEvent target */
	bool dedicated_interrupt;
	bool monitor_allocated;
	u8 monitor_id;

	struct mutex lock;		/* open/close/retarget */
	enum vmbus_chan_state state;
	unsigned int target_cpu;
	u32 target_vp;
	bool rescinded;			/* the host took it back (set from the ISR too) */
	bool rescind_handled;		/* msg_wq processed the rescind */
	bool relid_released;
	bool dev_registered;		/* primary: device_register succeeded */
	struct work_struct add_work;	/* primary: register the device (dev_wq) */
	struct work_struct remove_work;	/* primary: unregister after rescind */

	/* rings: [out ring][in ring] in one buffer, one GPADL */
	void *ring_buf;
	u32 ring_bytes;
	u32 out_ring_bytes;
	struct hvlis_gpadl ring_gpadl;
	struct hv_ring out;		/* guest to host */
	struct hv_ring in;		/* host to guest */
	spinlock_t out_lock;
	bool out_broken;
	bool in_broken;
	u8 *pkt_buf;			/* inbound bounce buffer */
	u32 pkt_buf_size;
	struct vmbus_pkt_view view;
	atomic_t readers;		/* catches a second concurrent reader */

	void (*onchannel)(void *ctx);
	void *ctx;
	struct tasklet_struct tasklet;
	void (*sc_callback)(struct vmbus_channel *sc);
	void (*rescind_callback)(struct vmbus_channel *ch);
	void *drvdata;

	/* statistics shown in sysfs */
	u64 interrupts;			/* host to guest */
	u64 sig_events;			/* guest to host */
	u64 intr_in_full;
	u64 intr_out_empty;
	u64 unknown_flag_packets;	/* packets with flag bits we ignore */
	u64 out_full_first;
	u64 out_full_total;
	bool out_full_flag;
	u64 bad_packets;

	struct kobject kobj;		/* /sys/bus/vmbus/devices/<id>/channels/<relid> */
	bool kobj_added;
};

/* A guest request waiting for the host's answer on the control path. */
struct vmbus_waiter {
	struct list_head node;
	u32 resp_type;			/* VMBUS_MSG_* expected */
	u32 key;			/* relid, or gpadl handle for GPADL replies */
	struct vmbus_channel *ch;	/* failed with -ENODEV on its rescind */
	struct completion done;
	union vmbus_host_msg resp;
	int error;
};

struct vmbus_percpu {
	void *msg_page;			/* struct hv_message_page */
	void *event_page;		/* struct hv_event_flags_page */
	bool enabled;
};

struct vmbus_conn {
	const struct hv_backend_ops *ops;
	bool ops_is_sim;
	u32 version;
	u32 msg_conn_id;
	unsigned int connect_cpu;
	bool connected;
	bool unloading;			/* UNLOAD sent */
	bool stopping;			/* module exit: ignore new offers */

	void *int_page;			/* pre-Win8 interrupt page (2 halves) */
	void *monitor_pages[2];

	struct vmbus_percpu __percpu *percpu;
	int cpuhp_state;

	raw_spinlock_t waiters_lock;	/* taken in the ISR: raw on PREEMPT_RT too */
	struct list_head waiters;

	struct mutex channel_mutex;	/* offers, rescinds, the channel list */
	struct list_head channels;	/* primaries */
	spinlock_t relid_lock;
	struct vmbus_channel __rcu **relid_map;	/* VMBUS_MAX_RELIDS entries, read under RCU */

	struct workqueue_struct *msg_wq;	/* ordered: offers and rescinds */
	struct workqueue_struct *dev_wq;	/* device add/remove */
	struct completion all_offers;

	atomic_t gpadl_next;
	atomic64_t bad_messages;
};

extern struct vmbus_conn vmbus_conn;
extern struct bus_type vmbus_bus;	/* bus.c */

/* module parameters (main.c) */
extern unsigned int vmbus_max_version;
extern unsigned int vmbus_timeout_ms;

/* backend.c / backend_hyperv.c */
int vmbus_backend_get(void);
void vmbus_backend_put(void);
extern const struct hv_backend_ops hv_hyperv_backend;
bool hv_hyperv_detect(void);

/* synic.c */
int vmbus_synic_setup(void);
void vmbus_synic_teardown(void);
void vmbus_isr(void);

/* connection.c */
int vmbus_connect(void);
void vmbus_disconnect(void);
void vmbus_unload_atomic(void);		/* kexec/crash: no sleeping */
int vmbus_post_msg(const void *msg, u32 len, bool can_sleep);
void vmbus_waiter_init(struct vmbus_waiter *w, u32 resp_type, u32 key,
		       struct vmbus_channel *ch);
void vmbus_waiter_add(struct vmbus_waiter *w);
int vmbus_waiter_wait(struct vmbus_waiter *w);
int vmbus_post_and_wait(const void *msg, u32 len, struct vmbus_waiter *w);
void vmbus_waiter_cancel(struct vmbus_waiter *w);
void vmbus_fail_waiters(struct vmbus_channel *ch, int error);
bool vmbus_on_message(const struct hv_message *msg);	/* ISR; false: keep the slot */
void vmbus_signal_host(struct vmbus_channel *ch);

/* channel_mgmt.c */
int vmbus_channels_init(void);
void vmbus_channels_exit(void);
void vmbus_handle_offer(const struct vmbus_msg_offer *offer);
void vmbus_handle_rescind(u32 relid);
struct vmbus_channel *vmbus_relid_get(u32 relid);	/* lock-free (RCU) lookup, takes a ref */
void vmbus_channel_put(struct vmbus_channel *ch);
void vmbus_channel_event(u32 relid);			/* ISR: an event bit was set */
void vmbus_rescind_early(u32 relid);			/* ISR: fail pending requests */
bool vmbus_queue_host_msg(const union vmbus_host_msg *m);	/* ISR: to msg_wq; false: full */
void vmbus_flush_offers(void);

/* channel.c */
void vmbus_channel_init_io(struct vmbus_channel *ch);
void vmbus_channel_tasklet(unsigned long data);
int vmbus_gpadl_establish(struct vmbus_channel *ch, void *buf, u32 size,
			  struct hvlis_gpadl *g);
int vmbus_gpadl_teardown(struct vmbus_channel *ch, struct hvlis_gpadl *g);

/* bus.c */
int vmbus_bus_init(void);
void vmbus_bus_exit(void);
struct hv_device *vmbus_device_create(struct vmbus_channel *primary);
int vmbus_device_register(struct hv_device *dev);
void vmbus_device_unregister(struct hv_device *dev);
int vmbus_channel_sysfs_add(struct vmbus_channel *ch);	/* channels/<relid> */
void vmbus_channel_sysfs_remove(struct vmbus_channel *ch);
const char *vmbus_class_name(const struct hv_guid *class_id);

#endif /* VMBUS_PRIVATE_H */
