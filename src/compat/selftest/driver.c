// SPDX-License-Identifier: GPL-2.0-only
/* Driver-model wrappers of compat.h, and the module itself. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/device.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>
#include <linux/string.h>

#include "selftest.h"

static void compat_remove(struct device *dev)
{
}
DEFINE_COMPAT_BUS_REMOVE(compat_remove);

static int compat_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	return add_uevent_var(env, "HVLIS=%s", dev_name(dev));
}
DEFINE_COMPAT_BUS_UEVENT(compat_uevent);

static int compat_match(struct device *dev, const struct device_driver *drv)
{
	return !strcmp(dev_name(dev), drv->name);
}
DEFINE_COMPAT_BUS_MATCH(compat_match);

static ssize_t ro_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "ro\n");
}
static DEVICE_ATTR_RO(ro);

static ssize_t rw_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "rw\n");
}

static ssize_t rw_store(struct device *dev, struct device_attribute *attr,
			const char *buf, size_t count)
{
	return count;
}
static DEVICE_ATTR_RW(rw);

static struct attribute *compat_dev_attrs[] = {
	&dev_attr_ro.attr,
	&dev_attr_rw.attr,
	NULL,
};
ATTRIBUTE_GROUPS(compat_dev);

static ssize_t wo_store(struct device_driver *drv, const char *buf, size_t count)
{
	return count;
}
static DRIVER_ATTR_WO(wo);

static compat_bus_const struct bus_type compat_bus = {
	.name = "hvlis_compat_selftest",
	.remove = compat_bus_remove(compat_remove),
	.uevent = compat_bus_uevent(compat_uevent),
	.match = compat_bus_match(compat_match),
};

static const guid_t compat_guid = GUID_INIT(0xf8615163, 0xdf3e, 0x46c5, 0x91, 0x3f,
					    0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e);

static ssize_t compat_show(char *buf)
{
	int n = sysfs_emit(buf, "%d\n", 1);

	return n + sysfs_emit_at(buf, n, "%pUl\n", &compat_guid);
}

int compat_test_driver(void)
{
	guid_t g;
	char *page;
	int ret;

	if (!compat_dev_groups[0] || !driver_attr_wo.store)
		return -EINVAL;
	guid_copy(&g, &compat_guid);
	if (!guid_equal(&g, &compat_guid) || guid_is_null(&g))
		return -EINVAL;
	page = (char *)get_zeroed_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	ret = compat_show(page) > 0 ? 0 : -EINVAL;
	free_page((unsigned long)page);
	if (ret)
		return ret;
	ret = bus_register(&compat_bus);
	if (!ret)
		bus_unregister(&compat_bus);
	return ret;
}

static int __init compat_selftest_init(void)
{
	int ret = compat_test_generic();

	ret = ret ?: compat_test_driver();
	ret = ret ?: compat_test_scsi();
	ret = ret ?: compat_test_mshyperv();
	pr_info("compat selftest: %d\n", ret);
	return ret;
}

static void __exit compat_selftest_exit(void)
{
}

module_init(compat_selftest_init);
module_exit(compat_selftest_exit);
MODULE_DESCRIPTION("hyperv-lis compat.h compile test");
MODULE_LICENSE("GPL");
