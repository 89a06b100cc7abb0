// SPDX-License-Identifier: GPL-2.0-only
/* Language, memory, string and time wrappers of compat.h. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/ktime.h>
#include <linux/timer.h>
#include <linux/interrupt.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/bitmap.h>
#include <linux/time.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <asm/barrier.h>
#include <asm/msr.h>

#include "selftest.h"

struct compat_flex {
	u32 n;
	u64 v[];
};
static_assert(sizeof(u64) == 8);
static_assert(sizeof(u32) == 4, "u32");

struct compat_obj {
	int hits;
	struct timer_list timer;
	struct tasklet_struct tasklet;
	struct completion done;
};

static void compat_timer_fn(struct timer_list *t)
{
	struct compat_obj *o = timer_container_of(o, t, timer);

	o->hits++;
}

static void compat_tasklet_fn(struct tasklet_struct *t)
{
	struct compat_obj *o = from_tasklet(o, t, tasklet);

	o->hits++;
}

static int compat_switch(int x)
{
	switch (x) {
	case 0:
		x += 2;
		fallthrough;
	case 1:
		return x;
	default:
		return -1;
	}
}

static __poll_t compat_poll(struct file *f, struct poll_table_struct *pt)
{
	return EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM | EPOLLERR | EPOLLHUP;
}

static const struct file_operations compat_fops = {
	.poll = compat_poll,
};

/* never called: compile test of the wrapper */
static int compat_settime(const struct timespec64 *ts)
{
	return do_settimeofday64(ts);
}

static u64 compat_msr(void)
{
	u64 v;

	rdmsrq(0x40000002, v);	/* never executed: compile test only */
	wrmsrq(0x40000084, 0);
	return v;
}

int compat_test_generic(void)
{
	static struct compat_obj obj;
	struct compat_flex *f;
	char buf[8];
	void *p;
	int flag = 0;
	ssize_t n;
	unsigned long *bm;

	WRITE_ONCE(flag, 1);
	/* release/acquire pair on one CPU: only the compile matters here */
	smp_store_release(&flag, READ_ONCE(flag) + 1);
	if (smp_load_acquire(&flag) != 2) /* pairs with the release above */
		return -EINVAL;
	virt_store_mb(flag, 3);	/* compile test: one CPU */
	virt_wmb();		/* orders nothing here: compile test */
	compat_virt_rmb();	/* likewise */
	virt_mb();		/* likewise */
	if (READ_ONCE(flag) != 3)
		return -EINVAL;

	if (array_size((size_t)-1, 2) != (size_t)-1 || array3_size(2, 3, 4) != 24)
		return -EINVAL;
	f = kzalloc(struct_size(f, v, 4), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	kfree(f);

	n = strscpy(buf, "hyperv-lis", sizeof(buf));
	if (n != -E2BIG || strcmp(buf, "hyperv-"))
		return -EINVAL;

	p = kvzalloc(3 * PAGE_SIZE, GFP_KERNEL);
	kvfree(p);
	p = kvmalloc(64, GFP_KERNEL);
	kvfree(p);
	p = kvcalloc(4, 32, GFP_KERNEL);
	kvfree(p);
	p = kvmalloc_array(4, 32, GFP_KERNEL);
	if (p && !PAGE_ALIGNED(p) && PTR_ERR_OR_ZERO(p))
		flag = 0;	/* a kmalloc'ed pointer is not an error */
	kvfree(p);
	if (kvmalloc_array((size_t)-1, 2, GFP_KERNEL) ||
	    kvcalloc((size_t)-1, 2, GFP_KERNEL))
		return -EINVAL;	/* n * size overflows: must fail */
	reinit_completion(&obj.done);
	bm = bitmap_zalloc(70, GFP_KERNEL);
	bitmap_free(bm);

	timer_setup(&obj.timer, compat_timer_fn, 0);
	timer_delete(&obj.timer);
	timer_delete_sync(&obj.timer);
	tasklet_setup(&obj.tasklet, compat_tasklet_fn);
	tasklet_kill(&obj.tasklet);

	pr_debug("boottime %llu switch %d msr %p settime %p fops %p\n",
		 (unsigned long long)ktime_get_boottime_ns(), compat_switch(0),
		 compat_msr, compat_settime, &compat_fops);
	return 0;
}
