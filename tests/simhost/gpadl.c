// SPDX-License-Identifier: GPL-2.0-only
/*
 * GPADLs: reassembly of GPADL_HEADER + GPADL_BODY range data, validation
 * of the ranges and mapping of the guest's pages.  All under sim.lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "simhost_int.h"

struct sim_gpadl *sim_gpadl_find(u32 handle, struct sim_chan *chan)
{
	struct sim_gpadl *g;

	list_for_each_entry(g, &sim.gpadls, node)
		if (g->handle == handle && g->chan == chan)
			return g;
	return NULL;
}

struct sim_gpadl *sim_gpadl_find_inprogress(u32 handle)
{
	struct sim_gpadl *g;

	list_for_each_entry(g, &sim.gpadls, node)
		if (g->handle == handle && g->state == GPADL_INPROGRESS)
			return g;
	return NULL;
}

struct sim_gpadl *sim_gpadl_new(struct sim_chan *chan, u32 handle, u16 ranges,
				u32 words)
{
	struct sim_gpadl *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	g->buf = kvcalloc(words, sizeof(u64), GFP_KERNEL);
	if (!g->buf) {
		kfree(g);
		return NULL;
	}
	g->handle = handle;
	g->chan = chan;
	g->rangecount = ranges;
	g->words = words;
	g->state = GPADL_INPROGRESS;
	list_add_tail(&g->node, &sim.gpadls);
	return g;
}

/* Check the ranges; on success count the PFNs.  Trailing words are ignored. */
static int gpadl_validate(struct sim_gpadl *g)
{
	u32 pos = 0, npfns = 0, i;

	for (i = 0; i < g->rangecount; i++) {
		u32 count, offset, pages;

		if (pos >= g->words)
			return -EINVAL;
		count = (u32)g->buf[pos];
		offset = (u32)(g->buf[pos] >> 32);
		if (!count || offset >= PAGE_SIZE)
			return -EINVAL;
		pages = (u32)(((u64)count + offset + PAGE_SIZE - 1) >>
			      PAGE_SHIFT);
		if (pages > g->words - pos - 1)
			return -EINVAL;
		if (i == 0) {
			g->first_len = count;
			g->first_off = offset;
		}
		pos += 1 + pages;
		npfns += pages;
	}
	g->npfns = npfns;
	return 0;
}

/* vmap every PFN of every range, in order, into one kernel mapping. */
static int gpadl_map(struct sim_gpadl *g)
{
	u32 pos = 0, n = 0, i, j;

	g->pages = kvcalloc(g->npfns, sizeof(*g->pages), GFP_KERNEL);
	if (!g->pages)
		return -ENOMEM;
	for (i = 0; i < g->rangecount; i++) {
		u64 hdr = g->buf[pos++];
		u32 pages = (u32)((((hdr & 0xffffffffu) + (hdr >> 32)) +
				   PAGE_SIZE - 1) >> PAGE_SHIFT);

		for (j = 0; j < pages; j++) {
			u64 pfn = g->buf[pos++];

			if (!pfn_valid(pfn) || !page_is_ram(pfn)) {
				pr_warn("gpadl %#x: pfn %#llx is not guest RAM\n",
					g->handle, pfn);
				return -EFAULT;
			}
			g->pages[n++] = pfn_to_page(pfn);
		}
	}
	g->va = vmap(g->pages, g->npfns, VM_MAP, PAGE_KERNEL);
	return g->va ? 0 : -ENOMEM;
}

/*
 * Add range data from a header or body message.  Sets *done once every
 * word has arrived and the GPADL is validated and mapped; returns -errno
 * if it is invalid (the caller reports failure and frees it).
 */
int sim_gpadl_append(struct sim_gpadl *g, const void *data, u32 bytes,
		     bool *done)
{
	u32 n = min(bytes / 8, g->words - g->have);
	int ret;

	*done = false;
	if (g->state != GPADL_INPROGRESS)
		return -EALREADY;
	memcpy(g->buf + g->have, data, n * 8);
	g->have += n;
	if (g->have < g->words)
		return 0;
	ret = gpadl_validate(g);
	if (ret)
		return ret;
	ret = gpadl_map(g);
	if (ret)
		return ret;
	g->state = GPADL_CREATED;
	*done = true;
	return 0;
}

void sim_gpadl_free(struct sim_gpadl *g)
{
	list_del(&g->node);
	if (g->va)
		vunmap(g->va);
	kvfree(g->pages);
	kvfree(g->buf);
	kfree(g);
}

void sim_gpadl_free_chan(struct sim_chan *chan)
{
	struct sim_gpadl *g, *tmp;

	list_for_each_entry_safe(g, tmp, &sim.gpadls, node)
		if (g->chan == chan)
			sim_gpadl_free(g);
}

void sim_gpadl_free_all(void)
{
	struct sim_gpadl *g, *tmp;

	list_for_each_entry_safe(g, tmp, &sim.gpadls, node)
		sim_gpadl_free(g);
}

unsigned int sim_gpadl_count(void)
{
	struct sim_gpadl *g;
	unsigned int n = 0;

	list_for_each_entry(g, &sim.gpadls, node)
		n++;
	return n;
}
