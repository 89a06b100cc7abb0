// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVP message conversion between the host (UTF-16LE strings with byte
 * sizes) and the KVP daemon (UTF-8, struct hv_kvp_msg).  Every size the
 * host or the daemon gives is checked against its array first.
 */
#include "kvp_proto.h"

u32 ic_kvp_body_size(u8 op)
{
	switch (op) {
	case IC_KVP_OP_GET:
	case IC_KVP_OP_SET:
		return (u32)offsetof(struct ic_kvp_msg, body) +
		       (u32)sizeof(struct ic_kvp_value);
	case IC_KVP_OP_DELETE:
		return (u32)offsetof(struct ic_kvp_msg, body) +
		       (u32)sizeof(struct ic_kvp_delete);
	case IC_KVP_OP_ENUMERATE:
		return (u32)sizeof(struct ic_kvp_msg);
	case IC_KVP_OP_GET_IP_INFO:
	case IC_KVP_OP_SET_IP_INFO:
		return (u32)sizeof(struct ic_kvp_ip_msg);
	default:
		return 0;
	}
}

/* A host string: size bytes (<= max) of UTF-16LE ending in NUL. */
static int kvp_str_in(const u8 *src, u32 size, u32 max, u8 *dst, u32 cap,
		      u32 *out_size)
{
	int n;

	if (size > max)
		return -EINVAL;
	n = ic_utf16_to_utf8(src, size, (char *)dst, cap);
	if (n < 0)
		return n;
	if (out_size)
		*out_size = (u32)n + 1;
	return 0;
}

/* Decimal text of v into dst (cap >= 21); returns the size with the NUL. */
static u32 kvp_u64_text(u64 v, u8 *dst)
{
	char tmp[20];
	u32 n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		dst[i] = (u8)tmp[n - 1 - i];
	dst[n] = 0;
	return n + 1;
}

static int kvp_set_value(const struct ic_kvp_value *in,
			 struct hv_kvp_exchg_msg_value *out, const char **why)
{
	u64 v;

	switch (in->value_type) {
	case IC_KVP_REG_SZ:
	case IC_KVP_REG_EXPAND_SZ:
		if (kvp_str_in(in->value, in->value_size,
			       IC_KVP_MAX_VALUE_BYTES, out->value,
			       HV_KVP_EXCHANGE_MAX_VALUE_SIZE,
			       &out->value_size)) {
			*why = "bad or unterminated UTF-16 value";
			return -EBADMSG;
		}
		break;
	case IC_KVP_REG_U32:
		if (in->value_size < 4) {
			*why = "DWORD value shorter than 4 bytes";
			return -EBADMSG;
		}
		v = (u32)in->value[0] | (u32)in->value[1] << 8 |
		    (u32)in->value[2] << 16 | (u32)in->value[3] << 24;
		out->value_size = kvp_u64_text(v, out->value);
		break;
	case IC_KVP_REG_U64:
	case IC_KVP_REG_QWORD:
		if (in->value_size < 8) {
			*why = "QWORD value shorter than 8 bytes";
			return -EBADMSG;
		}
		memcpy(&v, in->value, sizeof(v));
		out->value_size = kvp_u64_text(v, out->value);
		break;
	default:
		*why = "unknown value type";
		return -EBADMSG;
	}
	/* the daemon stores every value as a string */
	out->value_type = REG_SZ;
	return 0;
}

static int kvp_ip_in(const struct ic_kvp_ip_value *in,
		     struct hv_kvp_ipaddr_value *out, bool all)
{
	/* daemon side: UTF-8 in the u16 arrays, as many bytes as elements */
	if (ic_utf16_to_utf8(in->adapter_id, sizeof(in->adapter_id),
			     (char *)out->adapter_id, MAX_ADAPTER_ID_SIZE) < 0)
		return -EINVAL;
	out->addr_family = in->addr_family;
	if (!all)
		return 0;
	if (ic_utf16_to_utf8(in->ip_addr, sizeof(in->ip_addr),
			     (char *)out->ip_addr, MAX_IP_ADDR_SIZE) < 0 ||
	    ic_utf16_to_utf8(in->sub_net, sizeof(in->sub_net),
			     (char *)out->sub_net, MAX_IP_ADDR_SIZE) < 0 ||
	    ic_utf16_to_utf8(in->gate_way, sizeof(in->gate_way),
			     (char *)out->gate_way, MAX_GATEWAY_SIZE) < 0 ||
	    ic_utf16_to_utf8(in->dns_addr, sizeof(in->dns_addr),
			     (char *)out->dns_addr, MAX_IP_ADDR_SIZE) < 0)
		return -EINVAL;
	out->dhcp_enabled = in->dhcp_enabled;
	return 0;
}

int ic_kvp_host_to_daemon(const void *body, u32 body_len,
			  struct hv_kvp_msg *dm, const char **why)
{
	const struct ic_kvp_msg *m = body;
	const struct ic_kvp_ip_msg *ip = body;
	u8 op, pool;
	u32 need;

	memset(dm, 0, sizeof(*dm));
	if (body_len < 2) {
		*why = "KVP body too short";
		return -EBADMSG;
	}
	op = m->hdr.operation;
	pool = m->hdr.pool;
	need = ic_kvp_body_size(op);
	if (!need) {
		*why = "unknown KVP operation";
		return -EBADMSG;
	}
	if (body_len < need) {
		*why = "KVP body too short for its operation";
		return -EBADMSG;
	}
	if (pool >= IC_KVP_POOL_COUNT) {
		*why = "unknown KVP pool";
		return -EBADMSG;
	}
	dm->kvp_hdr.operation = op;
	dm->kvp_hdr.pool = pool;

	switch (op) {
	case IC_KVP_OP_GET:
		if (kvp_str_in(m->body.get.key, m->body.get.key_size,
			       IC_KVP_MAX_KEY_BYTES, dm->body.kvp_get.data.key,
			       HV_KVP_EXCHANGE_MAX_KEY_SIZE,
			       &dm->body.kvp_get.data.key_size))
			goto bad_key;
		break;
	case IC_KVP_OP_SET:
		if (kvp_str_in(m->body.set.key, m->body.set.key_size,
			       IC_KVP_MAX_KEY_BYTES, dm->body.kvp_set.data.key,
			       HV_KVP_EXCHANGE_MAX_KEY_SIZE,
			       &dm->body.kvp_set.data.key_size))
			goto bad_key;
		return kvp_set_value(&m->body.set, &dm->body.kvp_set.data, why);
	case IC_KVP_OP_DELETE:
		if (kvp_str_in(m->body.del.key, m->body.del.key_size,
			       IC_KVP_MAX_KEY_BYTES, dm->body.kvp_delete.key,
			       HV_KVP_EXCHANGE_MAX_KEY_SIZE,
			       &dm->body.kvp_delete.key_size))
			goto bad_key;
		break;
	case IC_KVP_OP_ENUMERATE:
		dm->body.kvp_enum_data.index = m->body.enumerate.index;
		break;
	case IC_KVP_OP_GET_IP_INFO:
	case IC_KVP_OP_SET_IP_INFO:
		if (kvp_ip_in(&ip->ip, &dm->body.kvp_ip_val,
			      op == IC_KVP_OP_SET_IP_INFO)) {
			*why = "bad or unterminated UTF-16 string in IP info";
			return -EBADMSG;
		}
		break;
	}
	return 0;

bad_key:
	*why = "bad, oversized or unterminated UTF-16 key";
	return -EBADMSG;
}

/* A daemon string: UTF-8 within max bytes, NUL-terminated. */
static int kvp_str_out(const u8 *src, u32 max, u8 *dst, u32 cap, u32 *size)
{
	u32 n = 0;
	int r;

	while (n < max && src[n])
		n++;
	if (n == max)
		return -EINVAL;
	r = ic_utf8_to_utf16((const char *)src, n, dst, cap);
	if (r < 0)
		return r;
	if (size)
		*size = (u32)r;
	return 0;
}

static int kvp_ip_out(const struct hv_kvp_ipaddr_value *in,
		      struct ic_kvp_ip_value *out)
{
	if (kvp_str_out((const u8 *)in->adapter_id, sizeof(in->adapter_id),
			(u8 *)out->adapter_id, sizeof(out->adapter_id), NULL) ||
	    kvp_str_out((const u8 *)in->ip_addr, sizeof(in->ip_addr),
			(u8 *)out->ip_addr, sizeof(out->ip_addr), NULL) ||
	    kvp_str_out((const u8 *)in->sub_net, sizeof(in->sub_net),
			(u8 *)out->sub_net, sizeof(out->sub_net), NULL) ||
	    kvp_str_out((const u8 *)in->gate_way, sizeof(in->gate_way),
			(u8 *)out->gate_way, sizeof(out->gate_way), NULL) ||
	    kvp_str_out((const u8 *)in->dns_addr, sizeof(in->dns_addr),
			(u8 *)out->dns_addr, sizeof(out->dns_addr), NULL))
		return -EINVAL;
	out->addr_family = in->addr_family;
	out->dhcp_enabled = in->dhcp_enabled;
	return 0;
}

u32 ic_kvp_daemon_to_host(const struct hv_kvp_msg *dm, u8 op, void *body,
			  u32 body_len)
{
	struct ic_kvp_msg *m = body;
	struct ic_kvp_ip_msg *ip = body;
	struct ic_kvp_value *v;
	const struct hv_kvp_exchg_msg_value *d;

	if (dm->error)
		return (u32)dm->error;
	if (body_len < ic_kvp_body_size(op))
		return IC_E_FAIL;

	switch (op) {
	case IC_KVP_OP_GET:
		v = &m->body.get;
		d = &dm->body.kvp_get.data;
		break;
	case IC_KVP_OP_ENUMERATE:
		v = &m->body.enumerate.data;
		d = &dm->body.kvp_enum_data.data;
		if (kvp_str_out(d->key, sizeof(d->key), v->key, sizeof(v->key),
				&v->key_size))
			return IC_E_FAIL;
		break;
	case IC_KVP_OP_GET_IP_INFO:
		return kvp_ip_out(&dm->body.kvp_ip_val, &ip->ip) ?
		       IC_E_FAIL : IC_S_OK;
	default:
		return IC_S_OK;		/* SET, DELETE, SET_IP_INFO */
	}
	if (kvp_str_out(d->value, sizeof(d->value), v->value, sizeof(v->value),
			&v->value_size))
		return IC_E_FAIL;
	v->value_type = IC_KVP_REG_SZ;
	return IC_S_OK;
}
