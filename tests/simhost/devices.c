// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device classes this host knows, and the devices= list.
 * To add a device: write its struct sim_dev_class in its own file, declare
 * it in simhost.h and list it here (ids must be unique, < SIM_MAX_CLASSES).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "simhost_int.h"

static const struct sim_dev_class *const classes[] = {
	&sim_echo_class,
	&sim_shutdown_class,
	&sim_timesync_class,
	&sim_heartbeat_class,
	&sim_kvp_class,
	&sim_vss_class,
	&sim_fcopy_class,
	&sim_scsi_class,
	&sim_nic_class,
	&sim_ide_class,
	&sim_dm_class,
	&sim_kbd_class,
	&sim_mouse_class,
	&sim_synthvid_class,
	&sim_synthfc_class,
};

#define MAX_PER_ENTRY	64

const struct sim_dev_class *sim_class_by_name(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(classes); i++)
		if (strlen(classes[i]->name) == len &&
		    !strncmp(classes[i]->name, name, len))
			return classes[i];
	return NULL;
}

/* Create @count new instances; offer them now if the guest is listening. */
int sim_devices_add(const struct sim_dev_class *cls, unsigned int count)
{
	unsigned int i;

	if (cls->id >= SIM_MAX_CLASSES)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		struct sim_chan *c;

		c = sim_chan_create(cls, sim.next_index[cls->id]++, NULL, 0);
		if (!c)
			return -ENOMEM;
		if (sim.connected && sim.offers_sent)
			sim_chan_offer(c);
	}
	return 0;
}

/* "class[:count],..." -- called with sim.lock held. */
int sim_devices_parse(const char *spec)
{
	const char *p = spec;

	while (*p) {
		const struct sim_dev_class *cls;
		size_t len = strcspn(p, ",:\n");
		unsigned int count = 1;
		const char *q = p + len;
		int ret;

		if (!len)
			goto bad;
		cls = sim_class_by_name(p, len);
		if (!cls) {
			pr_err("devices=: unknown class \"%.*s\"\n", (int)len, p);
			return -EINVAL;
		}
		if (*q == ':') {
			char num[12];
			size_t n = strcspn(q + 1, ",\n");

			if (!n || n >= sizeof(num))
				goto bad;
			memcpy(num, q + 1, n);
			num[n] = '\0';
			if (kstrtouint(num, 10, &count) || !count ||
			    count > MAX_PER_ENTRY)
				goto bad;
			q += 1 + n;
		}
		ret = sim_devices_add(cls, count);
		if (ret)
			return ret;
		while (*q == ',' || *q == '\n')
			q++;
		p = q;
	}
	return 0;
bad:
	pr_err("devices=: cannot parse \"%s\" (want class[:count],...)\n",
	       spec);
	return -EINVAL;
}

int sim_classes_check(void)
{
	unsigned long seen = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		u8 id = classes[i]->id;

		if (id >= SIM_MAX_CLASSES || test_and_set_bit(id, &seen)) {
			pr_err("class %s: id %u invalid or duplicate\n",
			       classes[i]->name, id);
			return -EINVAL;
		}
	}
	return 0;
}

/* For debugfs: the known class names. */
void sim_classes_list(struct seq_file *m)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(classes); i++)
		seq_printf(m, "%s%s", i ? " " : "", classes[i]->name);
	seq_putc(m, '\n');
}
