// SPDX-License-Identifier: GPL-2.0-only
/*
 * File copy IC (Copy-VMFile), host side.  OpenVMM has no fcopy host; the
 * sequence and layouts are those Linux's guest side serves (hv_fcopy.c
 * before v6.10, tools/hv/hv_fcopy_daemon.c, hv_fcopy_uio_daemon.c): version
 * 1.1 offered; START_FILE_COPY (1088-byte body: UTF-16 file and path
 * names, copy flags, file size), then WRITE_TO_FILE with up to 6144 bytes
 * at increasing offsets (always the whole 6196-byte body), then
 * COMPLETE_FCOPY (36-byte header only), each waiting for its answer.  A
 * failed WRITE is followed by CANCEL_FCOPY so the guest drops the partial
 * file [our choice]; a failed START ends the copy.
 *
 * debugfs (the source file is read from this machine's file system):
 *   send SRC DIR NAME [overwrite] [create_path]   whole copy
 *   cancel_after N     next send: CANCEL_FCOPY after N writes, no COMPLETE
 *   start DIR NAME FLAGS SIZE | complete | cancel  one request
 *   write OFFSET SIZE  one WRITE_TO_FILE of SIZE zero bytes
 *   ffault unterminated_name | unterminated_path | write_size N
 *                      test knobs (Hyper-V sends well-formed messages):
 *                      the next START has its file or path name filled
 *                      to the end of its array without a NUL; the next
 *                      WRITE_TO_FILE of a send has size N (its data stays
 *                      the 6144-byte array)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": ic: " fmt

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hv_devids.h"
#include "ic.h"

static const u32 fc_versions[] = { IC_FCOPY_VER_1_1 };

static struct {
	struct mutex lock;		/* one command at a time; the fields */
	char result[256];
	s64 cancel_after;		/* -1: off */
	/* one-shot faults */
	bool f_name, f_path;
	s64 f_write_size;		/* -1: off */
	u64 requests, failed, copies, bytes;
} fc = {
	.lock = __MUTEX_INITIALIZER(fc.lock),
	.cancel_after = -1,
	.f_write_size = -1,
};

/* A UTF-16 name array filled to its end with 'A', no NUL. */
static void fc_fill_unterminated(u16 *name, unsigned int units)
{
	unsigned int i;

	for (i = 0; i < units; i++)
		name[i] = 'A';
}

/* One request; the answer's status in *status.  0 or -errno. */
static int fc_xact(void *body, u32 blen, u32 *status)
{
	int ret;

	fc.requests++;
	ret = ic_request(&ic_fcopy_svc, body, blen, status, NULL, 0, NULL, 0);
	if (ret || *status != IC_S_OK)
		fc.failed++;
	return ret;
}

static int fc_simple(u32 op, const char *what)
{
	struct ic_fcopy_hdr h = { .operation = op };
	u32 status = 0;
	int ret = fc_xact(&h, sizeof(h), &status);

	if (ret)
		snprintf(fc.result, sizeof(fc.result), "%s err=%d\n", what, ret);
	else
		snprintf(fc.result, sizeof(fc.result), "%s status=%#x\n", what,
			 status);
	if (ret)
		return ret;
	return status == IC_S_OK ? 0 : -EIO;
}

static int fc_start(const char *dir, const char *name, u32 flags, u64 size,
		    u32 *status)
{
	struct ic_fcopy_start *st = kzalloc(sizeof(*st), GFP_KERNEL);
	int ret;

	if (!st)
		return -ENOMEM;
	st->hdr.operation = IC_FCOPY_OP_START_FILE_COPY;
	ret = ic_to_utf16(name, (u8 *)st->file_name, sizeof(st->file_name));
	if (ret >= 0)
		ret = ic_to_utf16(dir, (u8 *)st->path_name,
				  sizeof(st->path_name));
	if (ret >= 0 && fc.f_name) {
		fc_fill_unterminated(st->file_name, ARRAY_SIZE(st->file_name));
		pr_info("fault: fcopy: file name without NUL\n");
	}
	if (ret >= 0 && fc.f_path) {
		fc_fill_unterminated(st->path_name, ARRAY_SIZE(st->path_name));
		pr_info("fault: fcopy: path name without NUL\n");
	}
	fc.f_name = false;
	fc.f_path = false;
	if (ret >= 0) {
		st->copy_flags = flags;
		st->file_size = size;
		ret = fc_xact(st, sizeof(*st), status);
	}
	kfree(st);
	return ret;
}

static int fc_send(const char *src, const char *dir, const char *name,
		   u32 flags)
{
	s64 cancel_after = fc.cancel_after;
	struct ic_fcopy_write *wr = NULL;
	struct file *f;
	u32 status = 0;
	u64 writes = 0;
	loff_t pos = 0;
	ssize_t n;
	int ret;

	fc.cancel_after = -1;
	f = filp_open(src, O_RDONLY, 0);
	if (IS_ERR(f)) {
		snprintf(fc.result, sizeof(fc.result), "open err=%ld\n",
			 PTR_ERR(f));
		return PTR_ERR(f);
	}
	ret = fc_start(dir, name, flags, i_size_read(file_inode(f)), &status);
	if (ret || status != IC_S_OK) {
		snprintf(fc.result, sizeof(fc.result), "start %s=%#x\n",
			 ret ? "err" : "status", ret ? ret : status);
		goto out;
	}
	wr = kzalloc(sizeof(*wr), GFP_KERNEL);
	if (!wr) {
		ret = -ENOMEM;
		goto cancel;
	}
	for (;;) {
		if (cancel_after >= 0 && writes == (u64)cancel_after) {
			ret = fc_simple(IC_FCOPY_OP_CANCEL, "cancel");
			snprintf(fc.result + strlen(fc.result),
				 sizeof(fc.result) - strlen(fc.result),
				 "cancelled after %llu writes\n", writes);
			goto out;
		}
		n = kernel_read(f, wr->data, sizeof(wr->data), &pos);
		if (n < 0) {
			ret = n;
			goto cancel;
		}
		if (!n)
			break;
		memset(&wr->hdr, 0, sizeof(wr->hdr));
		wr->hdr.operation = IC_FCOPY_OP_WRITE_TO_FILE;
		wr->offset = pos - n;
		wr->size = n;
		if (fc.f_write_size >= 0) {
			wr->size = fc.f_write_size;
			pr_info("fault: fcopy: WRITE_TO_FILE of %zd bytes with size %u\n",
				n, wr->size);
			fc.f_write_size = -1;
		}
		ret = fc_xact(wr, sizeof(*wr), &status);
		if (ret || status != IC_S_OK) {
			snprintf(fc.result, sizeof(fc.result),
				 "write offset=%llu %s=%#x\n", wr->offset,
				 ret ? "err" : "status", ret ? ret : status);
			goto cancel_kept;
		}
		writes++;
		fc.bytes += n;
		/* a packet from the guest may be waiting; the ring is small */
		cond_resched();
	}
	ret = fc_simple(IC_FCOPY_OP_COMPLETE, "complete");
	if (!ret)
		fc.copies++;
	snprintf(fc.result + strlen(fc.result),
		 sizeof(fc.result) - strlen(fc.result), "bytes=%lld writes=%llu\n",
		 pos, writes);
	goto out;

cancel:
	snprintf(fc.result, sizeof(fc.result), "host err=%d\n", ret);
cancel_kept:
	{
		struct ic_fcopy_hdr h = { .operation = IC_FCOPY_OP_CANCEL };
		u32 cst = 0;

		/* the guest drops the partial file; its answer does not matter */
		if (ret != -ENOTCONN && ret != -ESHUTDOWN && ret != -EPROTO)
			fc_xact(&h, sizeof(h), &cst);
	}
out:
	kfree(wr);
	filp_close(f, NULL);
	if (ret)
		return ret;
	return status == IC_S_OK ? 0 : -EIO;
}

/* One WRITE_TO_FILE of @size zero bytes at @offset, outside any send. */
static int fc_write_zeros(u64 offset, u32 size)
{
	struct ic_fcopy_write *wr;
	u32 status = 0;
	int ret;

	if (size > sizeof(wr->data))
		return -EINVAL;
	wr = kzalloc(sizeof(*wr), GFP_KERNEL);
	if (!wr)
		return -ENOMEM;
	wr->hdr.operation = IC_FCOPY_OP_WRITE_TO_FILE;
	wr->offset = offset;
	wr->size = size;
	ret = fc_xact(wr, sizeof(*wr), &status);
	snprintf(fc.result, sizeof(fc.result), "write offset=%llu %s=%#x\n",
		 offset, ret ? "err" : "status", ret ? ret : status);
	kfree(wr);
	if (ret)
		return ret;
	return status == IC_S_OK ? 0 : -EIO;
}

static int fc_command_locked(char *line)
{
	char *op = strsep(&line, " ");
	char *a[4] = { };
	unsigned int n = 0, i;
	u32 flags = 0, status = 0;
	u64 size;
	int ret;

	while (line && n < ARRAY_SIZE(a)) {
		a[n] = strsep(&line, " ");
		if (*a[n])
			n++;
	}
	if (line)
		return -EINVAL;
	fc.result[0] = '\0';
	if (!strcmp(op, "send") && n >= 3) {
		for (i = 3; i < n; i++) {
			if (!strcmp(a[i], "overwrite"))
				flags |= IC_FCOPY_FLAG_OVER_WRITE;
			else if (!strcmp(a[i], "create_path"))
				flags |= IC_FCOPY_FLAG_CREATE_PATH;
			else
				return -EINVAL;
		}
		return fc_send(a[0], a[1], a[2], flags);
	}
	if (!strcmp(op, "ffault") && n == 1 &&
	    !strcmp(a[0], "unterminated_name")) {
		fc.f_name = true;
		return 0;
	}
	if (!strcmp(op, "ffault") && n == 1 &&
	    !strcmp(a[0], "unterminated_path")) {
		fc.f_path = true;
		return 0;
	}
	if (!strcmp(op, "ffault") && n == 2 && !strcmp(a[0], "write_size")) {
		if (kstrtou32(a[1], 0, &flags))
			return -EINVAL;
		fc.f_write_size = flags;
		return 0;
	}
	if (!strcmp(op, "cancel_after") && n == 1) {
		if (kstrtou32(a[0], 0, &flags))
			return -EINVAL;
		fc.cancel_after = flags;
		return 0;
	}
	if (!strcmp(op, "start") && n == 4) {
		if (kstrtou32(a[2], 0, &flags) || kstrtou64(a[3], 0, &size))
			return -EINVAL;
		ret = fc_start(a[0], a[1], flags, size, &status);
		snprintf(fc.result, sizeof(fc.result), "start %s=%#x\n",
			 ret ? "err" : "status", ret ? ret : status);
		if (ret)
			return ret;
		return status == IC_S_OK ? 0 : -EIO;
	}
	if (!strcmp(op, "write") && n == 2) {
		if (kstrtou64(a[0], 0, &size) || kstrtou32(a[1], 0, &flags))
			return -EINVAL;
		return fc_write_zeros(size, flags);
	}
	if (!strcmp(op, "complete") && !n)
		return fc_simple(IC_FCOPY_OP_COMPLETE, "complete");
	if (!strcmp(op, "cancel") && !n)
		return fc_simple(IC_FCOPY_OP_CANCEL, "cancel");
	return -EINVAL;
}

static int fc_command(struct ic_svc *svc, char *line)
{
	int ret;

	mutex_lock(&fc.lock);
	ret = fc_command_locked(line);
	mutex_unlock(&fc.lock);
	return ret;
}

static void fc_show(struct ic_svc *svc, struct seq_file *m)
{
	mutex_lock(&fc.lock);
	seq_printf(m, "requests=%llu failed=%llu copies=%llu bytes=%llu\n%s",
		   fc.requests, fc.failed, fc.copies, fc.bytes, fc.result);
	mutex_unlock(&fc.lock);
}

static const struct ic_svc_ops fc_ops = {
	.show = fc_show,
	.command = fc_command,
};

struct ic_svc ic_fcopy_svc = {
	.name = "fcopy",
	.msgtype = IC_MSGTYPE_FCOPY,
	.ops = &fc_ops,
	.def_versions = fc_versions,
	.def_nver = ARRAY_SIZE(fc_versions),
};

IC_DEV_CLASS(sim_fcopy_class, "fcopy", 0x07, HV_FCOPY_GUID, ic_fcopy_svc);
