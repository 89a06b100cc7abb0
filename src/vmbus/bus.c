// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "vmbus" bus: devices, driver matching and registration, uevents and
 * the sysfs files of /sys/bus/vmbus/devices/<instance>/ (see SYSFS.md).
 *
 * Names and formats of everything user space sees here follow the in-tree
 * hv_vmbus of Linux 6.x, which lsvmbus, udev rules, WALinuxAgent and the
 * modalias-based module autoloading rely on.
 *
 * Locking:
 *  - vmbus_sysfs_mutex guards hv_device.channels_kset and
 *    vmbus_channel.kobj_added; it nests inside vmbus_conn.channel_mutex.
 *  - Sysfs callbacks take ch->lock (ring values) or
 *    vmbus_conn.channel_mutex (channel_vp_mapping), so sysfs files are
 *    never removed with ch->lock held, and device files never with
 *    channel_mutex held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-mapping.h>
#ifdef HAVE_LINUX_HEX_H
#include <linux/hex.h>		/* hex_to_bin(); kernel.h before */
#endif
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/topology.h>

#include "vmbus_private.h"
#include "hv_tlfs.h"

#define VMBUS_VENDOR_MICROSOFT	0x1414
/* The in-tree device numbers: the index in its device-type table. */
#define VMBUS_DEVID_UNKNOWN	16

static struct device *vmbus_root;
static DEFINE_MUTEX(vmbus_sysfs_mutex);

/* ---- device classes ---- */

static const struct vmbus_class {
	struct hv_guid guid;
	u16 devid;
	const char *name;
} vmbus_classes[] = {
	{ HV_IDE_GUID,		0, "Synthetic IDE Controller" },
	{ HV_SCSI_GUID,		1, "Synthetic SCSI Controller" },
	{ HV_SYNTHFC_GUID,	2, "Synthetic fiber channel adapter" },
	{ HV_NIC_GUID,		3, "Synthetic network adapter" },
	{ HV_ND_GUID,		4, "Synthetic RDMA adapter" },
	{ HV_PCIE_GUID,		5, "PCI Express pass-through" },
	{ HV_SYNTHVID_GUID,	6, "Synthetic framebuffer adapter" },
	{ HV_KBD_GUID,		7, "Synthetic keyboard" },
	{ HV_MOUSE_GUID,	8, "Synthetic mouse" },
	{ HV_KVP_GUID,		9, "Data Exchange" },
	{ HV_TS_GUID,		10, "Time Synchronization" },
	{ HV_HEART_BEAT_GUID,	11, "Heartbeat" },
	{ HV_SHUTDOWN_GUID,	12, "Operating system shutdown" },
	{ HV_FCOPY_GUID,	13, "Guest services" },
	{ HV_VSS_GUID,		14, "Backup (volume checkpoint)" },
	{ HV_DM_GUID,		15, "Dynamic Memory" },
	{ HV_SIM_ECHO_GUID, VMBUS_DEVID_UNKNOWN, "Simulated echo device (test)" },
};

static bool vmbus_guid_equal(const struct hv_guid *a, const struct hv_guid *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static const struct vmbus_class *vmbus_class_find(const struct hv_guid *g)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmbus_classes); i++)
		if (vmbus_guid_equal(&vmbus_classes[i].guid, g))
			return &vmbus_classes[i];
	return NULL;
}

const char *vmbus_class_name(const struct hv_guid *class_id)
{
	const struct vmbus_class *c = vmbus_class_find(class_id);

	return c ? c->name : "Unknown";
}

static u16 vmbus_class_devid(const struct vmbus_channel *ch)
{
	const struct vmbus_class *c;

	/* hv_sock offers carry a service GUID as their class */
	if (ch->offer.chn_flags & VMBUS_OFFER_TLNPI_PROVIDER)
		return VMBUS_DEVID_UNKNOWN;
	c = vmbus_class_find(&ch->offer.if_type);
	return c ? c->devid : VMBUS_DEVID_UNKNOWN;
}

/*
 * struct hv_vmbus_device_id.guid is __u8[16], uuid_le or guid_t depending
 * on the kernel: always the 16 bytes of the GUID in wire order.
 */
static_assert(sizeof(((struct hv_vmbus_device_id *)0)->guid) ==
	      sizeof(struct hv_guid), "hv_vmbus_device_id.guid is 16 bytes");

static bool vmbus_id_matches(const struct hv_vmbus_device_id *id,
			     const struct hv_guid *g)
{
	return !memcmp(&id->guid, g, sizeof(*g));
}

static bool vmbus_id_is_null(const struct hv_vmbus_device_id *id)
{
	return !memchr_inv(&id->guid, 0, sizeof(id->guid));
}

/*
 * "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (anything after it ignored, as
 * guid_parse() does) to the wire layout: the first three fields
 * little-endian, the last eight bytes in order.
 */
static int vmbus_parse_guid(const char *s, struct hv_guid *g)
{
	static const u8 pos[16] = { 6, 4, 2, 0, 11, 9, 16, 14,
				    19, 21, 24, 26, 28, 30, 32, 34 };
	unsigned int i;

	if (strnlen(s, 36) < 36 || s[8] != '-' || s[13] != '-' ||
	    s[18] != '-' || s[23] != '-')
		return -EINVAL;
	for (i = 0; i < 16; i++) {
		int hi = hex_to_bin(s[pos[i]]), lo = hex_to_bin(s[pos[i] + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		g->b[i] = (hi << 4) | lo;
	}
	return 0;
}

/* ---- dynamic ids (new_id / remove_id) ---- */

struct vmbus_dynid {
	struct list_head node;
	const struct hv_driver *drv;
	struct hv_vmbus_device_id id;
};

static LIST_HEAD(vmbus_dynids);
static DEFINE_SPINLOCK(vmbus_dynids_lock);

static struct vmbus_dynid *vmbus_dynid_find_locked(const struct hv_driver *drv,
						   const struct hv_guid *g)
{
	struct vmbus_dynid *d;

	list_for_each_entry(d, &vmbus_dynids, node)
		if (d->drv == drv && vmbus_id_matches(&d->id, g))
			return d;
	return NULL;
}

/* Copies the id out: remove_id may free the entry at any time. */
static bool vmbus_dynid_lookup(const struct hv_driver *drv,
			       const struct hv_guid *g,
			       struct hv_vmbus_device_id *copy)
{
	struct vmbus_dynid *d;

	spin_lock(&vmbus_dynids_lock);
	d = vmbus_dynid_find_locked(drv, g);
	if (d)
		*copy = d->id;
	spin_unlock(&vmbus_dynids_lock);
	return !!d;
}

static void vmbus_dynids_free(const struct hv_driver *drv)
{
	struct vmbus_dynid *d, *tmp;
	LIST_HEAD(gone);

	spin_lock(&vmbus_dynids_lock);
	list_for_each_entry_safe(d, tmp, &vmbus_dynids, node)
		if (!drv || d->drv == drv)
			list_move(&d->node, &gone);
	spin_unlock(&vmbus_dynids_lock);
	list_for_each_entry_safe(d, tmp, &gone, node)
		kfree(d);
}

static ssize_t new_id_store(struct device_driver *driver, const char *buf,
			    size_t count)
{
	struct hv_driver *drv = to_hv_driver(driver);
	struct vmbus_dynid *d;
	struct hv_guid g;
	int ret;

	if (vmbus_parse_guid(buf, &g))
		return -EINVAL;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->drv = drv;
	memcpy(&d->id.guid, &g, sizeof(g));

	spin_lock(&vmbus_dynids_lock);
	if (vmbus_dynid_find_locked(drv, &g)) {
		spin_unlock(&vmbus_dynids_lock);
		kfree(d);
		return -EEXIST;
	}
	list_add_tail(&d->node, &vmbus_dynids);
	spin_unlock(&vmbus_dynids_lock);

	ret = driver_attach(driver);
	return ret ? ret : count;
}
static DRIVER_ATTR_WO(new_id);

static ssize_t remove_id_store(struct device_driver *driver, const char *buf,
			       size_t count)
{
	struct hv_driver *drv = to_hv_driver(driver);
	struct vmbus_dynid *d;
	struct hv_guid g;

	if (vmbus_parse_guid(buf, &g))
		return -EINVAL;
	spin_lock(&vmbus_dynids_lock);
	d = vmbus_dynid_find_locked(drv, &g);
	if (d)
		list_del(&d->node);
	spin_unlock(&vmbus_dynids_lock);
	if (!d)
		return -ENODEV;
	kfree(d);
	return count;
}
static DRIVER_ATTR_WO(remove_id);

static struct attribute *vmbus_drv_attrs[] = {
	&driver_attr_new_id.attr,
	&driver_attr_remove_id.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vmbus_drv);

/* ---- matching, probe, remove, shutdown, uevent ---- */

/* what probe gets when only driver_override made the match */
static const struct hv_vmbus_device_id vmbus_null_id;

/*
 * driver_override first, then the dynamic ids, then the id_table.  A
 * dynamic id is copied to *copy, which must outlive the use of the result.
 */
static const struct hv_vmbus_device_id *
vmbus_get_id(const struct hv_driver *drv, const struct hv_device *hdev,
	     struct hv_vmbus_device_id *copy)
{
	const char *override = hdev->driver_override;
	const struct hv_vmbus_device_id *id;

	if (override && strcmp(override, drv->name))
		return NULL;
	if (vmbus_dynid_lookup(drv, &hdev->dev_type, copy))
		return copy;
	for (id = drv->id_table; id && !vmbus_id_is_null(id); id++)
		if (vmbus_id_matches(id, &hdev->dev_type))
			return id;
	return override ? &vmbus_null_id : NULL;
}

static int vmbus_match(struct device *dev, const struct device_driver *drv)
{
	const struct hv_driver *hdrv = container_of(drv, const struct hv_driver,
						    driver);
	struct hv_vmbus_device_id copy;

	return !!vmbus_get_id(hdrv, to_hv_device(dev), &copy);
}
DEFINE_COMPAT_BUS_MATCH(vmbus_match);

static int vmbus_probe(struct device *dev)
{
	struct hv_driver *drv = to_hv_driver(dev->driver);
	struct hv_device *hdev = to_hv_device(dev);
	const struct hv_vmbus_device_id *id;
	struct hv_vmbus_device_id copy;
	int ret;

	/* the ids may have changed since the match */
	id = vmbus_get_id(drv, hdev, &copy);
	if (!id || !drv->probe)
		return -ENODEV;
	ret = drv->probe(hdev, id);
	if (ret)
		dev_err(dev, "probe by %s failed (%d)\n", drv->name, ret);
	return ret;
}

static void vmbus_remove(struct device *dev)
{
	struct hv_driver *drv;

	if (!dev->driver)
		return;
	drv = to_hv_driver(dev->driver);
	if (drv->remove)
		drv->remove(to_hv_device(dev));
}
DEFINE_COMPAT_BUS_REMOVE(vmbus_remove);

static void vmbus_shutdown(struct device *dev)
{
	struct hv_driver *drv;

	if (!dev->driver)
		return;
	drv = to_hv_driver(dev->driver);
	if (drv->shutdown)
		drv->shutdown(to_hv_device(dev));
}

/* vmbus:<the 16 class GUID bytes as 32 hex digits>, as modpost writes aliases */
static int vmbus_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	const struct hv_device *hdev = container_of(dev, const struct hv_device,
						    device);

	return add_uevent_var(env, "MODALIAS=vmbus:%*phN",
			      (int)sizeof(hdev->dev_type), hdev->dev_type.b);
}
DEFINE_COMPAT_BUS_UEVENT(vmbus_uevent);

/* ---- values shared by device and channel files ---- */

/* Ring indices of an open channel; -EINVAL otherwise, as in-tree. */
static int vmbus_ring_snapshot(struct vmbus_channel *ch, bool out,
			       struct hv_ring_state *st)
{
	int ret = mutex_lock_interruptible(&ch->lock);

	if (ret)
		return ret;
	if (ch->state == VMBUS_CHAN_OPENED && ch->ring_buf)
		hv_ring_get_state(out ? &ch->out : &ch->in, st);
	else
		ret = -EINVAL;
	mutex_unlock(&ch->lock);
	return ret;
}

enum vmbus_mon_field { VMBUS_MON_PENDING, VMBUS_MON_LATENCY, VMBUS_MON_CONN_ID };

/*
 * monitor_pages[0] is written by the host ("server"), [1] by the guest
 * ("client").  Values are shown with %d, as in-tree.
 */
static ssize_t vmbus_monitor_show(const struct vmbus_channel *ch,
				  unsigned int page, enum vmbus_mon_field f,
				  char *buf)
{
	const struct hv_monitor_page *mp = READ_ONCE(vmbus_conn.monitor_pages[page]);
	unsigned int grp = ch->monitor_id / 32, off = ch->monitor_id % 32;
	u32 val;

	if (!mp || !ch->monitor_allocated || ch->monitor_id >= 128)
		return -ENODEV;
	switch (f) {
	case VMBUS_MON_PENDING:
		val = mp->trigger_group[grp].pending;
		break;
	case VMBUS_MON_LATENCY:
		val = mp->latency[grp][off];
		break;
	default:
		/* HV_CONNECTION_ID: 24-bit id, 8 reserved bits */
		val = mp->parameter[grp][off].connection_id & 0xffffff;
		break;
	}
	return sysfs_emit(buf, "%d\n", (int)val);
}

/* ---- device attributes: /sys/bus/vmbus/devices/<instance>/ ---- */

static ssize_t id_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	return sysfs_emit(buf, "%d\n", (int)to_hv_device(dev)->channel->relid);
}
static DEVICE_ATTR_RO(id);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  (int)READ_ONCE(to_hv_device(dev)->channel->state));
}
static DEVICE_ATTR_RO(state);

static ssize_t monitor_id_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_hv_device(dev)->channel->monitor_id);
}
static DEVICE_ATTR_RO(monitor_id);

static ssize_t class_id_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", to_hv_device(dev)->dev_type.b);
}
static DEVICE_ATTR_RO(class_id);

static ssize_t device_id_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", to_hv_device(dev)->dev_instance.b);
}
static DEVICE_ATTR_RO(device_id);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct hv_device *hdev = to_hv_device(dev);

	return sysfs_emit(buf, "vmbus:%*phN\n", (int)sizeof(hdev->dev_type),
			  hdev->dev_type.b);
}
static DEVICE_ATTR_RO(modalias);

#ifdef CONFIG_NUMA
static ssize_t numa_node_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	unsigned int cpu = READ_ONCE(to_hv_device(dev)->channel->target_cpu);

	return sysfs_emit(buf, "%d\n", cpu_to_node(cpu));
}
static DEVICE_ATTR_RO(numa_node);
#endif

#define VMBUS_DEV_MON_ATTR(_name, _page, _field)			\
static ssize_t _name##_show(struct device *dev,			\
			    struct device_attribute *attr, char *buf)	\
{									\
	return vmbus_monitor_show(to_hv_device(dev)->channel, _page,	\
				  _field, buf);				\
}									\
static DEVICE_ATTR_RO(_name)

VMBUS_DEV_MON_ATTR(server_monitor_pending, 0, VMBUS_MON_PENDING);
VMBUS_DEV_MON_ATTR(client_monitor_pending, 1, VMBUS_MON_PENDING);
VMBUS_DEV_MON_ATTR(server_monitor_latency, 0, VMBUS_MON_LATENCY);
VMBUS_DEV_MON_ATTR(client_monitor_latency, 1, VMBUS_MON_LATENCY);
VMBUS_DEV_MON_ATTR(server_monitor_conn_id, 0, VMBUS_MON_CONN_ID);
VMBUS_DEV_MON_ATTR(client_monitor_conn_id, 1, VMBUS_MON_CONN_ID);

/* out_* is the guest-to-host ring, in_* the host-to-guest one. */
#define VMBUS_DEV_RING_ATTR(_name, _out, _field)			\
static ssize_t _name##_show(struct device *dev,			\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct hv_ring_state st;					\
	int ret = vmbus_ring_snapshot(to_hv_device(dev)->channel, _out,	\
				      &st);				\
									\
	return ret ? ret : sysfs_emit(buf, "%d\n", (int)st._field);	\
}									\
static DEVICE_ATTR_RO(_name)

VMBUS_DEV_RING_ATTR(out_intr_mask, true, interrupt_mask);
VMBUS_DEV_RING_ATTR(out_read_index, true, read_index);
VMBUS_DEV_RING_ATTR(out_write_index, true, write_index);
VMBUS_DEV_RING_ATTR(out_read_bytes_avail, true, bytes_avail_read);
VMBUS_DEV_RING_ATTR(out_write_bytes_avail, true, bytes_avail_write);
VMBUS_DEV_RING_ATTR(in_intr_mask, false, interrupt_mask);
VMBUS_DEV_RING_ATTR(in_read_index, false, read_index);
VMBUS_DEV_RING_ATTR(in_write_index, false, write_index);
VMBUS_DEV_RING_ATTR(in_read_bytes_avail, false, bytes_avail_read);
VMBUS_DEV_RING_ATTR(in_write_bytes_avail, false, bytes_avail_write);

/* "<relid>:<cpu>" per line: the primary, then its sub-channels */
static ssize_t channel_vp_mapping_show(struct device *dev,
				       struct device_attribute *attr, char *buf)
{
	struct vmbus_channel *ch = to_hv_device(dev)->channel, *sc;
	int n;

	mutex_lock(&vmbus_conn.channel_mutex);
	n = sysfs_emit(buf, "%u:%u\n", ch->relid, READ_ONCE(ch->target_cpu));
	list_for_each_entry(sc, &ch->subchannels, node)
		n += sysfs_emit_at(buf, n, "%u:%u\n", sc->relid,
				   READ_ONCE(sc->target_cpu));
	mutex_unlock(&vmbus_conn.channel_mutex);
	return n;
}
static DEVICE_ATTR_RO(channel_vp_mapping);

static ssize_t vendor_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "0x%x\n", to_hv_device(dev)->vendor_id);
}
static DEVICE_ATTR_RO(vendor);

static ssize_t device_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "0x%x\n", to_hv_device(dev)->device_id);
}
static DEVICE_ATTR_RO(device);

static ssize_t driver_override_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	ssize_t len;

	device_lock(dev);
	len = sysfs_emit(buf, "%s\n", to_hv_device(dev)->driver_override);
	device_unlock(dev);
	return len;
}

/*
 * A driver name, up to the first newline; "" or "\n" clears it.  Takes
 * effect at the next bind (drivers_probe or unbind/bind).
 */
static ssize_t driver_override_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	struct hv_device *hdev = to_hv_device(dev);
	const char *old, *nl;
	char *name = NULL;
	size_t len;

	/* shown again with a newline: must fit a page with it */
	if (count >= PAGE_SIZE - 1)
		return -EINVAL;
	len = strnlen(buf, count);
	nl = memchr(buf, '\n', len);
	if (nl)
		len = nl - buf;
	if (len) {
		name = kstrndup(buf, len, GFP_KERNEL);
		if (!name)
			return -ENOMEM;
	}
	device_lock(dev);
	old = hdev->driver_override;
	hdev->driver_override = name;
	device_unlock(dev);
	kfree(old);
	return count;
}
static DEVICE_ATTR_RW(driver_override);

static struct attribute *vmbus_dev_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_state.attr,
	&dev_attr_monitor_id.attr,
	&dev_attr_class_id.attr,
	&dev_attr_device_id.attr,
	&dev_attr_modalias.attr,
#ifdef CONFIG_NUMA
	&dev_attr_numa_node.attr,
#endif
	&dev_attr_server_monitor_pending.attr,
	&dev_attr_client_monitor_pending.attr,
	&dev_attr_server_monitor_latency.attr,
	&dev_attr_client_monitor_latency.attr,
	&dev_attr_server_monitor_conn_id.attr,
	&dev_attr_client_monitor_conn_id.attr,
	&dev_attr_out_intr_mask.attr,
	&dev_attr_out_read_index.attr,
	&dev_attr_out_write_index.attr,
	&dev_attr_out_read_bytes_avail.attr,
	&dev_attr_out_write_bytes_avail.attr,
	&dev_attr_in_intr_mask.attr,
	&dev_attr_in_read_index.attr,
	&dev_attr_in_write_index.attr,
	&dev_attr_in_read_bytes_avail.attr,
	&dev_attr_in_write_bytes_avail.attr,
	&dev_attr_channel_vp_mapping.attr,
	&dev_attr_vendor.attr,
	&dev_attr_device.attr,
	&dev_attr_driver_override.attr,
	NULL,
};

/* The monitor files exist only for channels that use a monitor page. */
static umode_t vmbus_dev_attr_visible(struct kobject *kobj,
				      struct attribute *attr, int idx)
{
	const struct vmbus_channel *ch = to_hv_device(kobj_to_dev(kobj))->channel;

	if (!ch->monitor_allocated &&
	    (attr == &dev_attr_monitor_id.attr ||
	     attr == &dev_attr_server_monitor_pending.attr ||
	     attr == &dev_attr_client_monitor_pending.attr ||
	     attr == &dev_attr_server_monitor_latency.attr ||
	     attr == &dev_attr_client_monitor_latency.attr ||
	     attr == &dev_attr_server_monitor_conn_id.attr ||
	     attr == &dev_attr_client_monitor_conn_id.attr))
		return 0;
	return attr->mode;
}

static const struct attribute_group vmbus_dev_group = {
	.attrs = vmbus_dev_attrs,
	.is_visible = vmbus_dev_attr_visible,
};
__ATTRIBUTE_GROUPS(vmbus_dev);

/* ---- channel attributes: .../<instance>/channels/<relid>/ ---- */

struct vmbus_chan_attr {
	struct attribute attr;
	ssize_t (*show)(struct vmbus_channel *ch, char *buf);
	ssize_t (*store)(struct vmbus_channel *ch, const char *buf, size_t count);
};

#define to_vmbus_chan(k)	container_of(k, struct vmbus_channel, kobj)
#define VMBUS_CHAN_ATTR(_name, _mode, _show, _store)			\
	static struct vmbus_chan_attr vmbus_chan_attr_##_name =		\
		__ATTR(_name, _mode, _show, _store)

static ssize_t vmbus_chan_attr_show(struct kobject *kobj,
				    struct attribute *attr, char *buf)
{
	const struct vmbus_chan_attr *a =
		container_of(attr, struct vmbus_chan_attr, attr);

	return a->show ? a->show(to_vmbus_chan(kobj), buf) : -EIO;
}

static ssize_t vmbus_chan_attr_store(struct kobject *kobj,
				     struct attribute *attr, const char *buf,
				     size_t count)
{
	const struct vmbus_chan_attr *a =
		container_of(attr, struct vmbus_chan_attr, attr);

	return a->store ? a->store(to_vmbus_chan(kobj), buf, count) : -EIO;
}

static const struct sysfs_ops vmbus_chan_sysfs_ops = {
	.show = vmbus_chan_attr_show,
	.store = vmbus_chan_attr_store,
};

#define VMBUS_CHAN_RING_ATTR(_name, _out, _field)			\
static ssize_t vmbus_chan_##_name##_show(struct vmbus_channel *ch,	\
					 char *buf)			\
{									\
	struct hv_ring_state st;					\
	int ret = vmbus_ring_snapshot(ch, _out, &st);			\
									\
	return ret ? ret : sysfs_emit(buf, "%u\n", st._field);		\
}									\
VMBUS_CHAN_ATTR(_name, 0444, vmbus_chan_##_name##_show, NULL)

VMBUS_CHAN_RING_ATTR(out_mask, true, interrupt_mask);
VMBUS_CHAN_RING_ATTR(in_mask, false, interrupt_mask);
VMBUS_CHAN_RING_ATTR(read_avail, false, bytes_avail_read);
VMBUS_CHAN_RING_ATTR(write_avail, true, bytes_avail_write);

static ssize_t vmbus_chan_cpu_show(struct vmbus_channel *ch, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(ch->target_cpu));
}

static ssize_t vmbus_chan_cpu_store(struct vmbus_channel *ch, const char *buf,
				    size_t count)
{
	unsigned int cpu;
	int ret;

	/* in-tree answers -EIO to input that is not a number */
	if (kstrtouint(buf, 10, &cpu))
		return -EIO;
	ret = hvlis_chan_set_target_cpu(ch, cpu);
	return ret ? ret : count;
}
VMBUS_CHAN_ATTR(cpu, 0644, vmbus_chan_cpu_show, vmbus_chan_cpu_store);

/* The per-channel monitor files show the guest's ("client") page. */
static ssize_t vmbus_chan_pending_show(struct vmbus_channel *ch, char *buf)
{
	return vmbus_monitor_show(ch, 1, VMBUS_MON_PENDING, buf);
}
VMBUS_CHAN_ATTR(pending, 0444, vmbus_chan_pending_show, NULL);

static ssize_t vmbus_chan_latency_show(struct vmbus_channel *ch, char *buf)
{
	return vmbus_monitor_show(ch, 1, VMBUS_MON_LATENCY, buf);
}
VMBUS_CHAN_ATTR(latency, 0444, vmbus_chan_latency_show, NULL);

#define VMBUS_CHAN_STAT_ATTR(_name, _field)				\
static ssize_t vmbus_chan_##_name##_show(struct vmbus_channel *ch,	\
					 char *buf)			\
{									\
	return sysfs_emit(buf, "%llu\n",				\
			  (unsigned long long)READ_ONCE(ch->_field));	\
}									\
VMBUS_CHAN_ATTR(_name, 0444, vmbus_chan_##_name##_show, NULL)

VMBUS_CHAN_STAT_ATTR(interrupts, interrupts);
VMBUS_CHAN_STAT_ATTR(events, sig_events);
VMBUS_CHAN_STAT_ATTR(intr_in_full, intr_in_full);
VMBUS_CHAN_STAT_ATTR(intr_out_empty, intr_out_empty);
VMBUS_CHAN_STAT_ATTR(out_full_first, out_full_first);
VMBUS_CHAN_STAT_ATTR(out_full_total, out_full_total);

static ssize_t vmbus_chan_monitor_id_show(struct vmbus_channel *ch, char *buf)
{
	return sysfs_emit(buf, "%u\n", ch->monitor_id);
}
VMBUS_CHAN_ATTR(monitor_id, 0444, vmbus_chan_monitor_id_show, NULL);

static ssize_t vmbus_chan_subchannel_id_show(struct vmbus_channel *ch,
					     char *buf)
{
	return sysfs_emit(buf, "%u\n", ch->subchannel_index);
}
VMBUS_CHAN_ATTR(subchannel_id, 0444, vmbus_chan_subchannel_id_show, NULL);

static struct attribute *vmbus_chan_attrs[] = {
	&vmbus_chan_attr_out_mask.attr,
	&vmbus_chan_attr_in_mask.attr,
	&vmbus_chan_attr_read_avail.attr,
	&vmbus_chan_attr_write_avail.attr,
	&vmbus_chan_attr_cpu.attr,
	&vmbus_chan_attr_pending.attr,
	&vmbus_chan_attr_latency.attr,
	&vmbus_chan_attr_interrupts.attr,
	&vmbus_chan_attr_events.attr,
	&vmbus_chan_attr_intr_in_full.attr,
	&vmbus_chan_attr_intr_out_empty.attr,
	&vmbus_chan_attr_out_full_first.attr,
	&vmbus_chan_attr_out_full_total.attr,
	&vmbus_chan_attr_monitor_id.attr,
	&vmbus_chan_attr_subchannel_id.attr,
	NULL,
};

static umode_t vmbus_chan_attr_visible(struct kobject *kobj,
				       struct attribute *attr, int idx)
{
	const struct vmbus_channel *ch = to_vmbus_chan(kobj);

	if (!ch->monitor_allocated &&
	    (attr == &vmbus_chan_attr_pending.attr ||
	     attr == &vmbus_chan_attr_latency.attr ||
	     attr == &vmbus_chan_attr_monitor_id.attr))
		return 0;
	return attr->mode;
}

static const struct attribute_group vmbus_chan_group = {
	.attrs = vmbus_chan_attrs,
	.is_visible = vmbus_chan_attr_visible,
};

/* The kobject holds a channel reference; its release drops it. */
static void vmbus_chan_kobj_release(struct kobject *kobj)
{
	vmbus_channel_put(to_vmbus_chan(kobj));
}

static struct kobj_type vmbus_chan_ktype = {
	.sysfs_ops = &vmbus_chan_sysfs_ops,
	.release = vmbus_chan_kobj_release,
};

/* ---- the bus ---- */

struct bus_type vmbus_bus = {
	.name		= "vmbus",
	.match		= compat_bus_match(vmbus_match),
	.uevent		= compat_bus_uevent(vmbus_uevent),
	.probe		= vmbus_probe,
	.remove		= compat_bus_remove(vmbus_remove),
	.shutdown	= vmbus_shutdown,
	.dev_groups	= vmbus_dev_groups,
	.drv_groups	= vmbus_drv_groups,
};

/* ---- channel directories ---- */

/*
 * Adds channels/<relid> once the device's channels/ exists; before that
 * it does nothing (vmbus_device_register() adds every channel the device
 * has by then) and after vmbus_device_unregister() started neither.
 * A channel gets its directory at most once.
 */
int vmbus_channel_sysfs_add(struct vmbus_channel *ch)
{
	struct hv_device *hdev = ch->device;
	struct kobject *kobj = &ch->kobj;
	int ret = 0;

	if (!hdev)
		return -ENODEV;
	mutex_lock(&vmbus_sysfs_mutex);
	if (!hdev->channels_kset || ch->kobj_added)
		goto out;
	if (kobj->state_initialized) {
		ret = -EEXIST;		/* removed before: never again */
		goto out;
	}
	kref_get(&ch->ref);
	kobj->kset = hdev->channels_kset;
	ret = kobject_init_and_add(kobj, &vmbus_chan_ktype, NULL, "%u", ch->relid);
	if (!ret)
		ret = sysfs_create_group(kobj, &vmbus_chan_group);
	if (ret) {
		mutex_unlock(&vmbus_sysfs_mutex);
		kobject_put(kobj);
		dev_err(&hdev->device, "relid %u: no sysfs directory (%d)\n",
			ch->relid, ret);
		return ret;
	}
	ch->kobj_added = true;
	kobject_uevent(kobj, KOBJ_ADD);
out:
	mutex_unlock(&vmbus_sysfs_mutex);
	return ret;
}

/* Idempotent; must not be called with ch->lock held. */
void vmbus_channel_sysfs_remove(struct vmbus_channel *ch)
{
	bool added;

	mutex_lock(&vmbus_sysfs_mutex);
	added = ch->kobj_added;
	ch->kobj_added = false;
	mutex_unlock(&vmbus_sysfs_mutex);
	if (!added)
		return;
	kobject_uevent(&ch->kobj, KOBJ_REMOVE);
	kobject_del(&ch->kobj);
	kobject_put(&ch->kobj);	/* may drop the last channel reference */
}

/* channels/ of a registered device, with every sub-channel known by now */
static int vmbus_device_add_channels(struct hv_device *hdev)
{
	struct vmbus_channel *primary = hdev->channel, *sc;
	struct kset *kset;
	int ret;

	kset = kset_create_and_add("channels", NULL, &hdev->device.kobj);
	if (!kset)
		return -ENOMEM;
	mutex_lock(&vmbus_sysfs_mutex);
	hdev->channels_kset = kset;
	mutex_unlock(&vmbus_sysfs_mutex);

	ret = vmbus_channel_sysfs_add(primary);
	if (ret) {
		mutex_lock(&vmbus_sysfs_mutex);
		hdev->channels_kset = NULL;
		mutex_unlock(&vmbus_sysfs_mutex);
		kset_unregister(kset);
		return ret;
	}

	mutex_lock(&vmbus_conn.channel_mutex);
	list_for_each_entry(sc, &primary->subchannels, node)
		vmbus_channel_sysfs_add(sc);	/* logs its failures */
	mutex_unlock(&vmbus_conn.channel_mutex);
	return 0;
}

static struct vmbus_channel *vmbus_next_sysfs_subchannel(struct vmbus_channel *primary)
{
	struct vmbus_channel *sc, *found = NULL;

	mutex_lock(&vmbus_conn.channel_mutex);
	mutex_lock(&vmbus_sysfs_mutex);
	list_for_each_entry(sc, &primary->subchannels, node) {
		if (sc->kobj_added) {
			kref_get(&sc->ref);
			found = sc;
			break;
		}
	}
	mutex_unlock(&vmbus_sysfs_mutex);
	mutex_unlock(&vmbus_conn.channel_mutex);
	return found;
}

static void vmbus_device_remove_channels(struct hv_device *hdev)
{
	struct vmbus_channel *sc;
	struct kset *kset;

	mutex_lock(&vmbus_sysfs_mutex);
	kset = hdev->channels_kset;
	hdev->channels_kset = NULL;	/* no new channel directories */
	mutex_unlock(&vmbus_sysfs_mutex);
	if (!kset)
		return;

	/* one at a time: removal waits for readers, without channel_mutex */
	while ((sc = vmbus_next_sysfs_subchannel(hdev->channel))) {
		vmbus_channel_sysfs_remove(sc);
		vmbus_channel_put(sc);
	}
	vmbus_channel_sysfs_remove(hdev->channel);
	kset_unregister(kset);
}

/* ---- devices ---- */

/* hv_device plus what the DMA API needs, so drivers may map for it */
struct vmbus_device {
	struct hv_device hdev;
	u64 dma_mask;
	struct device_dma_parameters dma_parms;
};

static void vmbus_device_release(struct device *dev)
{
	struct hv_device *hdev = to_hv_device(dev);

	vmbus_channel_put(hdev->channel);
	kfree(hdev->driver_override);
	kfree(container_of(hdev, struct vmbus_device, hdev));
}

/*
 * The device takes over a channel reference the caller already holds (on
 * failure it stays the caller's).  Every device created must be passed to
 * vmbus_device_unregister() once, registered or not.
 */
struct hv_device *vmbus_device_create(struct vmbus_channel *primary)
{
	struct vmbus_device *vd = kzalloc(sizeof(*vd), GFP_KERNEL);
	struct hv_device *hdev;

	if (!vd)
		return NULL;
	hdev = &vd->hdev;
	hdev->dev_type = primary->offer.if_type;
	hdev->dev_instance = primary->offer.if_instance;
	hdev->vendor_id = VMBUS_VENDOR_MICROSOFT;
	hdev->device_id = vmbus_class_devid(primary);
	hdev->channel = primary;

	device_initialize(&hdev->device);
	hdev->device.bus = &vmbus_bus;
	hdev->device.parent = vmbus_root;
	hdev->device.release = vmbus_device_release;
	vd->dma_mask = DMA_BIT_MASK(64);
	hdev->device.dma_mask = &vd->dma_mask;
	hdev->device.coherent_dma_mask = DMA_BIT_MASK(64);
	/* what 6.x reports for unset values; older kernels read them as set */
	vd->dma_parms.max_segment_size = SZ_64K;
	vd->dma_parms.segment_boundary_mask = ULONG_MAX;
	hdev->device.dma_parms = &vd->dma_parms;
	return hdev;
}

/*
 * Adds the device (a matching driver is probed before this returns), then
 * its channels/ directory.  On failure the device is not in sysfs but
 * still allocated: vmbus_device_unregister() frees it.
 * Called without vmbus_conn.channel_mutex.
 */
int vmbus_device_register(struct hv_device *hdev)
{
	int ret;

	ret = dev_set_name(&hdev->device, "%pUl", hdev->dev_instance.b);
	if (ret)
		return ret;
	ret = device_add(&hdev->device);
	if (ret) {
		pr_err("cannot add device %pUl (%d)\n", hdev->dev_instance.b, ret);
		return ret;
	}
	ret = vmbus_device_add_channels(hdev);
	if (ret) {
		dev_err(&hdev->device, "cannot create channels/ (%d)\n", ret);
		device_del(&hdev->device);
	}
	return ret;
}

/*
 * Removes the channel directories and the device (which unbinds its
 * driver: remove() runs before this returns) and drops the creation
 * reference; the release frees it and puts the primary channel.
 * Called without vmbus_conn.channel_mutex and without ch->lock.
 */
void vmbus_device_unregister(struct hv_device *hdev)
{
	if (device_is_registered(&hdev->device)) {
		vmbus_device_remove_channels(hdev);
		device_del(&hdev->device);
	}
	put_device(&hdev->device);
}

/* ---- drivers ---- */

int __hvlis_driver_register(struct hv_driver *drv, struct module *owner,
			    const char *mod_name)
{
	pr_info("registering driver %s\n", drv->name);
	drv->driver.name = drv->name;
	drv->driver.bus = &vmbus_bus;
	drv->driver.owner = owner;
	drv->driver.mod_name = mod_name;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__hvlis_driver_register);

void hvlis_driver_unregister(struct hv_driver *drv)
{
	pr_info("unregistering driver %s\n", drv->name);
	driver_unregister(&drv->driver);
	vmbus_dynids_free(drv);
}
EXPORT_SYMBOL_GPL(hvlis_driver_unregister);

/* ---- init / exit ---- */

int vmbus_bus_init(void)
{
	int ret = bus_register(&vmbus_bus);

	if (ret)
		return ret;
	/* parent of all VMBus devices: /sys/devices/vmbus/<instance> */
	vmbus_root = root_device_register("vmbus");
	if (IS_ERR(vmbus_root)) {
		ret = PTR_ERR(vmbus_root);
		vmbus_root = NULL;
		bus_unregister(&vmbus_bus);
		return ret;
	}
	return 0;
}

void vmbus_bus_exit(void)
{
	if (vmbus_root)
		root_device_unregister(vmbus_root);
	vmbus_root = NULL;
	bus_unregister(&vmbus_bus);
	vmbus_dynids_free(NULL);
}
