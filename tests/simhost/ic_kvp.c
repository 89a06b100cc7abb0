// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVP IC, host side (OpenVMM hyperv_ic/src/kvp.rs): versions 3.0, 4.0
 * and 5.0 offered.  Every request is the full 2580-byte message (header
 * operation, pool, pad, then the operation's body at offset 4) with
 * NUL-terminated UTF-16 keys and values whose sizes are in bytes and
 * include the NUL.  The answer of ENUMERATE (and GET, which OpenVMM does
 * not send) is parsed as OpenVMM does: key and string sizes even, within
 * their maximum and NUL-terminated; DWORD 4 bytes, QWORD (11) 8 bytes;
 * another value type, or a short answer, fails the channel.  A status
 * other than S_OK fails only the request (ENUMERATE: S_CONT = no more).
 *
 * debugfs (results readable from the same file):
 *   set POOL KEY VALUE...   REG_SZ value (rest of the line)
 *   setdw POOL KEY N        REG_U32 value
 *   get POOL KEY / delete POOL KEY / enum POOL INDEX / enumall POOL
 *   setip ADAPTER DHCP IPS SUBNETS GATEWAYS DNS
 *                           SET_IP_INFO (host-initiated IP injection):
 *                           ADAPTER the adapter id (the guest NIC's VMBus
 *                           instance GUID, "{...}"), DHCP 0 or 1, the others
 *                           ';'-separated lists, "-" for none
 *   getip ADAPTER           GET_IP_INFO (the host asks for a NIC's IP
 *                           configuration): ADAPTER the adapter id, which
 *                           Linux's daemon matches against the NIC's MAC
 *                           address in upper case ("00:15:5D:...")
 *   kfault key_size N | value_size N | value_type N | unterminated |
 *          ip_size N        applied to the next request
 *
 * SET_IP_INFO below KVP 5.0 is the string form Hyper-V sends to Linux
 * (uapi struct hv_kvp_ip_msg, OpenVMM protocol MessageIpAddressInfo): the
 * whole 7428-byte message, operation and pool without padding, then the
 * adapter id, address family, DHCP flag and ';'-separated NUL-terminated
 * UTF-16 lists.  Pool GUEST, as OpenVMM's binary form [U].  OpenVMM sends
 * IP info only in its 5.0 binary form, which Linux never negotiates; the
 * simulated host does not send that form (-EOPNOTSUPP at 5.0).  The answer
 * is only its status (the daemon's result).  "unterminated" on SET_IP_INFO
 * fills the address list to its end without a NUL; "ip_size N" sends only
 * the first N bytes of the message.
 *
 * GET_IP_INFO is the same message with only the adapter id filled in
 * (address family 0, pool GUEST [U]); the guest answers with the whole
 * message edited in place: address family, DHCP flag and the lists, each
 * NUL-terminated UTF-16 (Linux hv_kvp.c process_ob_ipinfo).  The answer is
 * shown as one line per field (status, family, dhcp, adapter, ip, subnet,
 * gateway, dns); a non-S_OK status is shown alone (the body is then the
 * request, unchanged).  A short answer or an unterminated list fails the
 * channel [U].  "ip_size N" applies to GET_IP_INFO as well.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": ic: " fmt

#include <linux/kernel.h>
#include <linux/nls.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hv_devids.h"
#include "ic.h"

#define KVP_RESULT_MAX	8192
#define KVP_ENUM_MAX	64

static const u32 kvp_versions[] = { IC_KVP_VER_3, IC_KVP_VER_4, IC_KVP_VER_5 };

static struct {
	struct mutex lock;		/* one command at a time; the fields */
	char result[KVP_RESULT_MAX];
	size_t rlen;
	/* one-shot faults; -1 = off */
	s64 f_key_size, f_value_size, f_value_type, f_ip_size;
	bool f_unterminated;
	u64 requests, failed;
} kvp = {
	.lock = __MUTEX_INITIALIZER(kvp.lock),
	.f_key_size = -1,
	.f_value_size = -1,
	.f_value_type = -1,
	.f_ip_size = -1,
};

static __printf(1, 2) void kvp_out(const char *fmt, ...)
{
	va_list ap;

	if (kvp.rlen >= sizeof(kvp.result) - 1)
		return;
	va_start(ap, fmt);
	kvp.rlen += vscnprintf(kvp.result + kvp.rlen,
			       sizeof(kvp.result) - kvp.rlen, fmt, ap);
	va_end(ap);
}

/* UTF-16 of @size bytes (NUL included) to UTF-8 in @out; NULL if bad. */
static const char *kvp_str(const u8 *s, u32 size, u32 max, char *out,
			   size_t outlen)
{
	const u16 *w = (const u16 *)s;
	int n;

	if (!size || size % 2 || size > max || w[size / 2 - 1])
		return NULL;
	n = utf16s_to_utf8s((const wchar_t *)w, size / 2 - 1,
			    UTF16_LITTLE_ENDIAN, out, outlen - 1);
	out[n] = '\0';
	return out;
}

/* A value of an answer; returns false if malformed (channel fails). */
static bool kvp_show_value(const struct ic_kvp_value *v, const char *tag)
{
	char *key, *val;
	bool ok = true;

	key = kmalloc(IC_KVP_MAX_KEY_BYTES * 2, GFP_KERNEL);
	val = kmalloc(IC_KVP_MAX_VALUE_BYTES * 2, GFP_KERNEL);
	if (!key || !val) {
		ok = false;
		goto out;
	}
	if (!kvp_str(v->key, v->key_size, IC_KVP_MAX_KEY_BYTES, key,
		     IC_KVP_MAX_KEY_BYTES * 2)) {
		ic_fail(&ic_kvp_svc, "answer key_size %u invalid or key not terminated",
			v->key_size);
		ok = false;
		goto out;
	}
	switch (v->value_type) {
	case IC_KVP_REG_SZ:
	case IC_KVP_REG_EXPAND_SZ:
		if (!kvp_str(v->value, v->value_size, IC_KVP_MAX_VALUE_BYTES,
			     val, IC_KVP_MAX_VALUE_BYTES * 2)) {
			ic_fail(&ic_kvp_svc, "answer value_size %u invalid or value not terminated",
				v->value_size);
			ok = false;
			goto out;
		}
		break;
	case IC_KVP_REG_U32:
		if (v->value_size != 4) {
			ic_fail(&ic_kvp_svc, "DWORD of %u bytes", v->value_size);
			ok = false;
			goto out;
		}
		snprintf(val, 32, "%u", *(const u32 *)v->value);
		break;
	case IC_KVP_REG_QWORD:
		if (v->value_size != 8) {
			ic_fail(&ic_kvp_svc, "QWORD of %u bytes", v->value_size);
			ok = false;
			goto out;
		}
		snprintf(val, 32, "%llu", *(const u64 *)v->value);
		break;
	default:
		ic_fail(&ic_kvp_svc, "answer value type %#x", v->value_type);
		ok = false;
		goto out;
	}
	kvp_out("%s key=%s type=%u value=%s\n", tag, key, v->value_type, val);
out:
	kfree(key);
	kfree(val);
	return ok;
}

/* Faults on the key/value fields of the next request. */
static void kvp_apply_faults(u32 *key_size, u8 *key, u32 *value_size,
			     u32 *value_type)
{
	if (kvp.f_unterminated) {
		u32 i;

		for (i = 0; i < IC_KVP_MAX_KEY_BYTES; i += 2) {
			key[i] = 'A';
			key[i + 1] = 0;
		}
		*key_size = IC_KVP_MAX_KEY_BYTES;
		pr_info("fault: kvp: key of 256 characters without NUL\n");
	}
	if (kvp.f_key_size >= 0) {
		*key_size = kvp.f_key_size;
		pr_info("fault: kvp: key_size %u\n", *key_size);
	}
	if (kvp.f_value_size >= 0 && value_size) {
		*value_size = kvp.f_value_size;
		pr_info("fault: kvp: value_size %u\n", *value_size);
	}
	if (kvp.f_value_type >= 0 && value_type) {
		*value_type = kvp.f_value_type;
		pr_info("fault: kvp: value_type %u\n", *value_type);
	}
	kvp.f_unterminated = false;
	kvp.f_key_size = -1;
	kvp.f_value_size = -1;
	kvp.f_value_type = -1;
}

/*
 * One request.  @msg is the whole 2580-byte body; the answer replaces it.
 * Returns 0 with *status, or -errno (recorded in the result).
 */
static int kvp_xact(struct ic_kvp_msg *msg, u32 *status)
{
	u32 rlen = 0;
	int ret;

	kvp.requests++;
	ret = ic_request(&ic_kvp_svc, msg, sizeof(*msg), status, msg,
			 sizeof(*msg), &rlen, 0);
	if (ret) {
		kvp.failed++;
		kvp_out("err=%d\n", ret);
		return ret;
	}
	if (*status != IC_S_OK)
		kvp.failed++;
	if (rlen < sizeof(*msg) && *status == IC_S_OK &&
	    (msg->hdr.operation == IC_KVP_OP_ENUMERATE ||
	     msg->hdr.operation == IC_KVP_OP_GET)) {
		ic_fail(&ic_kvp_svc, "answer of %u bytes, %zu expected", rlen,
			sizeof(*msg));
		kvp_out("err=%d\n", -EPROTO);
		return -EPROTO;
	}
	return 0;
}

static int kvp_key(struct ic_kvp_msg *msg, const char *key, u8 *dst,
		   u32 *size)
{
	int n = ic_to_utf16(key, dst, IC_KVP_MAX_KEY_BYTES);

	if (n < 0)
		return n;
	*size = n;
	return 0;
}

static int kvp_enum(u8 pool, u32 index, bool *more)
{
	struct ic_kvp_msg *msg = kzalloc(sizeof(*msg), GFP_KERNEL);
	u32 status = 0;
	char tag[32];
	int ret;

	*more = false;
	if (!msg)
		return -ENOMEM;
	msg->hdr.operation = IC_KVP_OP_ENUMERATE;
	msg->hdr.pool = pool;
	msg->body.enumerate.index = index;
	ret = kvp_xact(msg, &status);
	if (ret)
		goto out;
	if (status == IC_S_CONT) {
		kvp_out("status=%#x index=%u end\n", status, index);
	} else if (status != IC_S_OK) {
		kvp_out("status=%#x index=%u\n", status, index);
		ret = -EIO;
	} else {
		snprintf(tag, sizeof(tag), "status=0 index=%u", index);
		*more = kvp_show_value(&msg->body.enumerate.data, tag);
		if (!*more)
			ret = -EPROTO;
	}
out:
	kfree(msg);
	return ret;
}

static int kvp_simple(u8 op, u8 pool, const char *key, u32 type,
		      const char *sval, u32 dval)
{
	struct ic_kvp_msg *msg = kzalloc(sizeof(*msg), GFP_KERNEL);
	struct ic_kvp_value *v;
	u32 status = 0;
	int ret, n;

	if (!msg)
		return -ENOMEM;
	msg->hdr.operation = op;
	msg->hdr.pool = pool;
	if (op == IC_KVP_OP_DELETE) {
		ret = kvp_key(msg, key, msg->body.del.key,
			      &msg->body.del.key_size);
		if (ret)
			goto out;
		kvp_apply_faults(&msg->body.del.key_size, msg->body.del.key,
				 NULL, NULL);
	} else {
		v = &msg->body.set;
		ret = kvp_key(msg, key, v->key, &v->key_size);
		if (ret)
			goto out;
		v->value_type = type;
		if (op == IC_KVP_OP_SET && type == IC_KVP_REG_U32) {
			memcpy(v->value, &dval, sizeof(dval));
			v->value_size = sizeof(dval);
		} else if (op == IC_KVP_OP_SET) {
			n = ic_to_utf16(sval, v->value, IC_KVP_MAX_VALUE_BYTES);
			if (n < 0) {
				ret = n;
				goto out;
			}
			v->value_size = n;
		}
		kvp_apply_faults(&v->key_size, v->key, &v->value_size,
				 &v->value_type);
	}
	ret = kvp_xact(msg, &status);
	if (ret)
		goto out;
	if (status != IC_S_OK) {
		kvp_out("status=%#x\n", status);
		ret = -EIO;
	} else if (op == IC_KVP_OP_GET) {
		if (!kvp_show_value(&msg->body.get, "status=0"))
			ret = -EPROTO;
	} else {
		kvp_out("status=0\n");
	}
out:
	kfree(msg);
	return ret;
}

/* One ';'-separated list of the command ("-": none) into a UTF-16 field. */
static int kvp_ip_list(const char *arg, u8 *dst, unsigned int units)
{
	int n;

	if (!strcmp(arg, "-"))
		return 0;
	n = ic_to_utf16(arg, dst, units * 2);
	return n < 0 ? n : 0;
}

/* A new IP-info request of operation OP (GUEST pool), or NULL with *err. */
static struct ic_kvp_ip_msg *kvp_ip_new(u32 op, int *err)
{
	struct ic_kvp_ip_msg *msg;
	u32 msg_ver = 0;

	*err = -EOPNOTSUPP;	/* 5.0's binary form: not simulated */
	if (ic_is_ready(&ic_kvp_svc, &msg_ver) && msg_ver >= IC_KVP_VER_5)
		return NULL;
	*err = -ENOMEM;
	msg = kzalloc(sizeof(*msg), GFP_KERNEL);
	if (!msg)
		return NULL;
	msg->operation = op;
	msg->pool = IC_KVP_POOL_GUEST;
	return msg;
}

/*
 * Send an IP-info request, cut to the armed ip_size fault, the answer (if
 * resp) into resp; an error or a non-S_OK status goes to the output as
 * "err=" / "status=" and fails.
 */
static int kvp_ip_request(struct ic_kvp_ip_msg *msg, const char *what,
			  struct ic_kvp_ip_msg *resp, u32 *rlen)
{
	u32 status = 0, len = sizeof(*msg);
	int ret;

	if (kvp.f_ip_size >= 0 && kvp.f_ip_size < len) {
		len = kvp.f_ip_size;
		pr_info("fault: kvp: %s of %u bytes\n", what, len);
	}
	kvp.f_ip_size = -1;
	kvp.f_unterminated = false;
	kvp.requests++;
	ret = ic_request(&ic_kvp_svc, msg, len, &status, resp,
			 resp ? sizeof(*resp) : 0, rlen, 0);
	if (ret) {
		kvp.failed++;
		kvp_out("err=%d\n", ret);
		return ret;
	}
	if (status != IC_S_OK) {
		kvp_out("status=%#x\n", status);
		kvp.failed++;
		return -EIO;
	}
	return 0;
}

static int kvp_setip(char *line)
{
	char *arg[6];
	struct ic_kvp_ip_msg *msg;
	struct ic_kvp_ip_value *ip;
	unsigned int i, dhcp;
	u32 rlen = 0;
	int ret;

	for (i = 0; i < ARRAY_SIZE(arg); i++) {
		arg[i] = strsep(&line, " ");
		if (!arg[i] || !*arg[i])
			return -EINVAL;
	}
	if (line || kstrtouint(arg[1], 0, &dhcp) || dhcp > 1)
		return -EINVAL;
	msg = kvp_ip_new(IC_KVP_OP_SET_IP_INFO, &ret);
	if (!msg)
		return ret;
	ip = &msg->ip;
	ip->dhcp_enabled = dhcp;
	ret = kvp_ip_list(arg[0], (u8 *)ip->adapter_id,
				  IC_KVP_MAX_ADAPTER_ID);
	if (!ret)
		ret = kvp_ip_list(arg[2], (u8 *)ip->ip_addr,
				  IC_KVP_MAX_IP_ADDR);
	if (!ret)
		ret = kvp_ip_list(arg[3], (u8 *)ip->sub_net,
				  IC_KVP_MAX_IP_ADDR);
	if (!ret)
		ret = kvp_ip_list(arg[4], (u8 *)ip->gate_way,
				  IC_KVP_MAX_GATEWAY);
	if (!ret)
		ret = kvp_ip_list(arg[5], (u8 *)ip->dns_addr,
				  IC_KVP_MAX_IP_ADDR);
	if (ret)
		goto out;
	/* which protocols the request is about: the addresses it carries */
	if (strchr(arg[2], '.'))
		ip->addr_family |= IC_KVP_ADDR_FAMILY_IPV4;
	if (strchr(arg[2], ':'))
		ip->addr_family |= IC_KVP_ADDR_FAMILY_IPV6;

	if (kvp.f_unterminated) {
		for (i = 0; i < IC_KVP_MAX_IP_ADDR; i++)
			ip->ip_addr[i] = '1';
		pr_info("fault: kvp: IP address list of 1024 characters without NUL\n");
	}
	ret = kvp_ip_request(msg, "SET_IP_INFO", NULL, &rlen);
	if (!ret)
		kvp_out("status=0\n");
out:
	kfree(msg);
	return ret;
}

/* One UTF-16 list of a GET_IP_INFO answer as "tag=text"; false if bad. */
static bool kvp_ip_show(const u16 *list, unsigned int units, const char *tag,
			char *buf, size_t buflen)
{
	unsigned int n;
	int len;

	for (n = 0; n < units && list[n]; n++)
		;
	if (n == units) {
		ic_fail(&ic_kvp_svc, "GET_IP_INFO answer: %s not terminated",
			tag);
		return false;
	}
	len = utf16s_to_utf8s((const wchar_t *)list, n, UTF16_LITTLE_ENDIAN,
			      buf, buflen - 1);
	buf[len] = '\0';
	kvp_out("%s=%s\n", tag, buf);
	return true;
}

static int kvp_getip(const char *adapter)
{
	struct ic_kvp_ip_msg *msg;
	struct ic_kvp_ip_value *ip;
	u32 rlen = 0;
	size_t buflen = IC_KVP_MAX_IP_ADDR * 3 + 1;
	char *buf;
	int ret;

	msg = kvp_ip_new(IC_KVP_OP_GET_IP_INFO, &ret);
	if (!msg)
		return ret;
	buf = kmalloc(buflen, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	ip = &msg->ip;
	ret = kvp_ip_list(adapter, (u8 *)ip->adapter_id,
			  IC_KVP_MAX_ADAPTER_ID);
	if (ret)
		goto out;

	ret = kvp_ip_request(msg, "GET_IP_INFO", msg, &rlen);
	if (ret)
		goto out;
	if (rlen < sizeof(*msg)) {
		ic_fail(&ic_kvp_svc, "GET_IP_INFO answer of %u bytes, %zu expected",
			rlen, sizeof(*msg));
		kvp_out("err=%d\n", -EPROTO);
		ret = -EPROTO;
		goto out;
	}
	kvp_out("status=0\nfamily=%u\ndhcp=%u\n", ip->addr_family,
		ip->dhcp_enabled);
	if (!kvp_ip_show(ip->adapter_id, IC_KVP_MAX_ADAPTER_ID, "adapter",
			 buf, buflen) ||
	    !kvp_ip_show(ip->ip_addr, IC_KVP_MAX_IP_ADDR, "ip", buf, buflen) ||
	    !kvp_ip_show(ip->sub_net, IC_KVP_MAX_IP_ADDR, "subnet", buf,
			 buflen) ||
	    !kvp_ip_show(ip->gate_way, IC_KVP_MAX_GATEWAY, "gateway", buf,
			 buflen) ||
	    !kvp_ip_show(ip->dns_addr, IC_KVP_MAX_IP_ADDR, "dns", buf, buflen)) {
		kvp_out("err=%d\n", -EPROTO);
		ret = -EPROTO;
	}
out:
	kfree(buf);
	kfree(msg);
	return ret;
}

static int kvp_fault(char *args)
{
	char name[16];
	s64 v = 0;
	int n = sscanf(args, "%15s %lld", name, &v);

	if (n == 1 && !strcmp(name, "unterminated"))
		kvp.f_unterminated = true;
	else if (n == 2 && v >= 0 && v <= U32_MAX && !strcmp(name, "key_size"))
		kvp.f_key_size = v;
	else if (n == 2 && v >= 0 && v <= U32_MAX &&
		 !strcmp(name, "value_size"))
		kvp.f_value_size = v;
	else if (n == 2 && v >= 0 && v <= U32_MAX &&
		 !strcmp(name, "value_type"))
		kvp.f_value_type = v;
	else if (n == 2 && v >= 0 && v <= U32_MAX && !strcmp(name, "ip_size"))
		kvp.f_ip_size = v;
	else
		return -EINVAL;
	return 0;
}

static int kvp_command_locked(char *line)
{
	char *op = strsep(&line, " "), *key;
	unsigned int pool, idx;
	bool more;
	u32 dval;
	int ret;

	if (!strcmp(op, "kfault"))
		return line ? kvp_fault(line) : -EINVAL;
	kvp.rlen = 0;
	kvp.result[0] = '\0';
	if (!strcmp(op, "setip"))
		return line ? kvp_setip(line) : -EINVAL;
	if (!strcmp(op, "getip"))
		return line && !strchr(line, ' ') ? kvp_getip(line) : -EINVAL;
	if (!line || kstrtouint(strsep(&line, " "), 0, &pool) || pool > 255)
		return -EINVAL;
	if (!strcmp(op, "enumall")) {
		for (idx = 0, ret = 0; idx < KVP_ENUM_MAX; idx++) {
			ret = kvp_enum(pool, idx, &more);
			if (ret || !more)
				break;
		}
		return ret;
	}
	if (!line)
		return -EINVAL;
	if (!strcmp(op, "enum")) {
		if (kstrtouint(line, 0, &idx))
			return -EINVAL;
		return kvp_enum(pool, idx, &more);
	}
	key = strsep(&line, " ");
	if (!*key)
		return -EINVAL;
	if (!strcmp(op, "get") && !line)
		return kvp_simple(IC_KVP_OP_GET, pool, key, IC_KVP_REG_SZ,
				  NULL, 0);
	if (!strcmp(op, "delete") && !line)
		return kvp_simple(IC_KVP_OP_DELETE, pool, key, 0, NULL, 0);
	if (!strcmp(op, "set") && line)
		return kvp_simple(IC_KVP_OP_SET, pool, key, IC_KVP_REG_SZ,
				  line, 0);
	if (!strcmp(op, "setdw") && line && !kstrtou32(line, 0, &dval))
		return kvp_simple(IC_KVP_OP_SET, pool, key, IC_KVP_REG_U32,
				  NULL, dval);
	return -EINVAL;
}

static int kvp_command(struct ic_svc *svc, char *line)
{
	int ret;

	mutex_lock(&kvp.lock);
	ret = kvp_command_locked(line);
	mutex_unlock(&kvp.lock);
	return ret;
}

static void kvp_show(struct ic_svc *svc, struct seq_file *m)
{
	mutex_lock(&kvp.lock);
	seq_printf(m, "requests=%llu failed=%llu\n%s", kvp.requests,
		   kvp.failed, kvp.result);
	mutex_unlock(&kvp.lock);
}

static const struct ic_svc_ops kvp_ops = {
	.show = kvp_show,
	.command = kvp_command,
};

struct ic_svc ic_kvp_svc = {
	.name = "kvp",
	.msgtype = IC_MSGTYPE_KVPEXCHANGE,
	.ops = &kvp_ops,
	.def_versions = kvp_versions,
	.def_nver = ARRAY_SIZE(kvp_versions),
};

IC_DEV_CLASS(sim_kvp_class, "kvp", 0x05, HV_KVP_GUID, ic_kvp_svc);
