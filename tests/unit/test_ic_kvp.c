// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVP: host message <-> daemon message (src/utils/kvp_proto.c), and the
 * daemon ABI of hv_daemon_abi.h against the system's <linux/hyperv.h>.
 */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "kvp_proto.h"
#include "test_ic_uapi.h"

#define TEST_SUITE "ic_kvp"

static struct ic_kvp_msg host;
static struct ic_kvp_ip_msg host_ip;
static struct hv_kvp_msg dm;

/* UTF-16LE of an ASCII string into dst; returns the byte size with NUL. */
static u32 w(u8 *dst, const char *s)
{
	u32 i = 0;

	do {
		dst[2 * i] = (u8)s[i];
		dst[2 * i + 1] = 0;
	} while (s[i++]);
	return 2 * i;
}

TEST(abi_matches_system_uapi)
{
	static const struct { const char *name; unsigned long v; } mine[] = {
		{ "sizeof hv_kvp_msg", sizeof(struct hv_kvp_msg) },
		{ "body hv_kvp_msg", offsetof(struct hv_kvp_msg, body) },
		{ "value hv_kvp_exchg_msg_value",
		  offsetof(struct hv_kvp_exchg_msg_value, value) },
		{ "sizeof hv_kvp_exchg_msg_value",
		  sizeof(struct hv_kvp_exchg_msg_value) },
		{ "data hv_kvp_msg_enumerate",
		  offsetof(struct hv_kvp_msg_enumerate, data) },
		{ "sizeof hv_kvp_ipaddr_value", sizeof(struct hv_kvp_ipaddr_value) },
		{ "dns_addr hv_kvp_ipaddr_value",
		  offsetof(struct hv_kvp_ipaddr_value, dns_addr) },
		{ "sizeof hv_kvp_ip_msg", sizeof(struct hv_kvp_ip_msg) },
		{ "sizeof hv_vss_msg", sizeof(struct hv_vss_msg) },
		{ "vss_cf hv_vss_msg", offsetof(struct hv_vss_msg, vss_cf) },
		{ "sizeof hv_start_fcopy", sizeof(struct hv_start_fcopy) },
		{ "file_size hv_start_fcopy",
		  offsetof(struct hv_start_fcopy, file_size) },
		{ "sizeof hv_do_fcopy", sizeof(struct hv_do_fcopy) },
		{ "data hv_do_fcopy", offsetof(struct hv_do_fcopy, data) },
		{ "KVP_OP_REGISTER1", KVP_OP_REGISTER1 },
		{ "VSS_OP_REGISTER1", VSS_OP_REGISTER1 },
		{ "KVP_OP_SET_IP_INFO", KVP_OP_SET_IP_INFO },
		{ "VSS_OP_THAW", VSS_OP_THAW },
		{ "CANCEL_FCOPY", CANCEL_FCOPY },
	};
	unsigned int i;

	if (!uapi_present) {
		printf("  (no <linux/hyperv.h> on this system: sizes only)\n");
		CHECK_EQ(sizeof(struct hv_kvp_msg), 7432);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(mine); i++) {
		CHECK_MSG(uapi_facts[i].name &&
			  strcmp(uapi_facts[i].name, mine[i].name) == 0,
			  "fact %u out of step", i);
		CHECK_MSG(uapi_facts[i].value == mine[i].v,
			  "%s: uapi %lu, ours %lu", mine[i].name,
			  uapi_facts[i].value, mine[i].v);
	}
	CHECK(uapi_facts[i].name == NULL);
}

TEST(body_sizes)
{
	CHECK_EQ(ic_kvp_body_size(IC_KVP_OP_GET), 2576);
	CHECK_EQ(ic_kvp_body_size(IC_KVP_OP_SET), 2576);
	CHECK_EQ(ic_kvp_body_size(IC_KVP_OP_DELETE), 520);
	CHECK_EQ(ic_kvp_body_size(IC_KVP_OP_ENUMERATE), 2580);
	CHECK_EQ(ic_kvp_body_size(IC_KVP_OP_GET_IP_INFO), 7428);
	CHECK_EQ(ic_kvp_body_size(IC_KVP_OP_SET_IP_INFO), 7428);
	CHECK_EQ(ic_kvp_body_size(6), 0);
}

TEST(set_string)
{
	const char *why = NULL;

	memset(&host, 0, sizeof(host));
	host.hdr.operation = IC_KVP_OP_SET;
	host.hdr.pool = IC_KVP_POOL_EXTERNAL;
	host.body.set.value_type = IC_KVP_REG_SZ;
	host.body.set.key_size = w(host.body.set.key, "Foo");
	host.body.set.value_size = w(host.body.set.value, "Bar baz");
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), 0);
	CHECK_EQ(dm.kvp_hdr.operation, KVP_OP_SET);
	CHECK_EQ(dm.kvp_hdr.pool, KVP_POOL_EXTERNAL);
	CHECK(strcmp((char *)dm.body.kvp_set.data.key, "Foo") == 0);
	CHECK_EQ(dm.body.kvp_set.data.key_size, 4);
	CHECK(strcmp((char *)dm.body.kvp_set.data.value, "Bar baz") == 0);
	CHECK_EQ(dm.body.kvp_set.data.value_size, 8);
	CHECK_EQ(dm.body.kvp_set.data.value_type, REG_SZ);
	/* one byte short of the operation's body */
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2575, &dm, &why), -EBADMSG);
}

TEST(set_numbers)
{
	const char *why = NULL;
	u64 q = 18446744073709551615ull;

	memset(&host, 0, sizeof(host));
	host.hdr.operation = IC_KVP_OP_SET;
	host.body.set.key_size = w(host.body.set.key, "n");
	host.body.set.value_type = IC_KVP_REG_U32;
	host.body.set.value_size = 4;
	host.body.set.value[0] = 42;
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), 0);
	CHECK(strcmp((char *)dm.body.kvp_set.data.value, "42") == 0);
	CHECK_EQ(dm.body.kvp_set.data.value_size, 3);
	host.body.set.value_type = IC_KVP_REG_QWORD;
	host.body.set.value_size = 8;
	memcpy(host.body.set.value, &q, 8);
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), 0);
	CHECK(strcmp((char *)dm.body.kvp_set.data.value,
		     "18446744073709551615") == 0);
	host.body.set.value_type = IC_KVP_REG_U64;
	host.body.set.value_size = 7;
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), -EBADMSG);
	host.body.set.value_type = 3;		/* REG_BINARY: unknown here */
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), -EBADMSG);
}

TEST(bad_keys_and_values)
{
	const char *why = NULL;

	memset(&host, 0, sizeof(host));
	host.hdr.operation = IC_KVP_OP_GET;
	host.body.get.key_size = w(host.body.get.key, "key");
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), 0);
	host.body.get.key_size = 6;		/* NUL left out */
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), -EBADMSG);
	host.body.get.key_size = 7;		/* odd */
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), -EBADMSG);
	host.body.get.key_size = 514;		/* past the key array */
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), -EBADMSG);
	host.body.get.key_size = 0xffffffff;
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), -EBADMSG);
	/* a 255-character key fills the array exactly */
	memset(host.body.get.key, 'k', 510);
	host.body.get.key[510] = host.body.get.key[511] = 0;
	{
		u32 i;

		for (i = 1; i < 510; i += 2)
			host.body.get.key[i] = 0;
	}
	host.body.get.key_size = 512;
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), 0);
	CHECK_EQ(dm.body.kvp_get.data.key_size, 256);
	/* value past its maximum */
	host.hdr.operation = IC_KVP_OP_SET;
	host.body.set.key_size = w(host.body.set.key, "k");
	host.body.set.value_type = IC_KVP_REG_SZ;
	host.body.set.value_size = 2050;
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2576, &dm, &why), -EBADMSG);
	/* unknown operation and pool */
	host.hdr.operation = 6;
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2580, &dm, &why), -EBADMSG);
	host.hdr.operation = IC_KVP_OP_ENUMERATE;
	host.hdr.pool = 4;
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2580, &dm, &why), -EBADMSG);
	host.hdr.pool = 3;
	host.body.enumerate.index = 9;
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 2580, &dm, &why), 0);
	CHECK_EQ(dm.body.kvp_enum_data.index, 9);
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 1, &dm, &why), -EBADMSG);
}

TEST(delete)
{
	const char *why = NULL;

	memset(&host, 0, sizeof(host));
	host.hdr.operation = IC_KVP_OP_DELETE;
	host.hdr.pool = IC_KVP_POOL_GUEST;
	host.body.del.key_size = w(host.body.del.key, "gone");
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 520, &dm, &why), 0);
	CHECK(strcmp((char *)dm.body.kvp_delete.key, "gone") == 0);
	CHECK_EQ(dm.body.kvp_delete.key_size, 5);
	CHECK_EQ(ic_kvp_host_to_daemon(&host, 519, &dm, &why), -EBADMSG);
}

TEST(ip_info)
{
	const char *why = NULL;
	unsigned int i;

	memset(&host_ip, 0, sizeof(host_ip));
	host_ip.operation = IC_KVP_OP_SET_IP_INFO;
	w((u8 *)host_ip.ip.adapter_id, "{ADAPTER}");
	w((u8 *)host_ip.ip.ip_addr, "10.0.0.5");
	w((u8 *)host_ip.ip.sub_net, "255.0.0.0");
	host_ip.ip.addr_family = IC_KVP_ADDR_FAMILY_IPV4;
	host_ip.ip.dhcp_enabled = 1;
	CHECK_EQ(ic_kvp_host_to_daemon(&host_ip, 7428, &dm, &why), 0);
	CHECK(strcmp((char *)dm.body.kvp_ip_val.adapter_id, "{ADAPTER}") == 0);
	CHECK(strcmp((char *)dm.body.kvp_ip_val.ip_addr, "10.0.0.5") == 0);
	CHECK(strcmp((char *)dm.body.kvp_ip_val.sub_net, "255.0.0.0") == 0);
	CHECK_EQ(dm.body.kvp_ip_val.dhcp_enabled, 1);
	CHECK_EQ(ic_kvp_host_to_daemon(&host_ip, 7427, &dm, &why), -EBADMSG);

	/* every field as Linux's process_ib_ipinfo() fills it, in UTF-8 */
	host_ip.pool = IC_KVP_POOL_GUEST;
	host_ip.ip.dhcp_enabled = 0;
	w((u8 *)host_ip.ip.gate_way, "10.0.0.1;fe80::1");
	w((u8 *)host_ip.ip.dns_addr, "10.0.0.53;10.0.0.54");
	CHECK_EQ(ic_kvp_host_to_daemon(&host_ip, 7428, &dm, &why), 0);
	CHECK_EQ(dm.kvp_hdr.operation, KVP_OP_SET_IP_INFO);
	CHECK_EQ(dm.kvp_hdr.pool, IC_KVP_POOL_GUEST);
	CHECK_EQ(dm.body.kvp_ip_val.addr_family, IC_KVP_ADDR_FAMILY_IPV4);
	CHECK_EQ(dm.body.kvp_ip_val.dhcp_enabled, 0);
	CHECK(strcmp((char *)dm.body.kvp_ip_val.gate_way, "10.0.0.1;fe80::1") == 0);
	CHECK(strcmp((char *)dm.body.kvp_ip_val.dns_addr,
		     "10.0.0.53;10.0.0.54") == 0);
	/* the longest list that fits the daemon's 1024 bytes with its NUL */
	memset(host_ip.ip.dns_addr, 0, sizeof(host_ip.ip.dns_addr));
	for (i = 0; i < IC_KVP_MAX_IP_ADDR - 1; i++)
		host_ip.ip.dns_addr[i] = '1';
	CHECK_EQ(ic_kvp_host_to_daemon(&host_ip, 7428, &dm, &why), 0);
	CHECK_EQ(strlen((char *)dm.body.kvp_ip_val.dns_addr),
		 IC_KVP_MAX_IP_ADDR - 1);
	/* one more character: no NUL within the array, refused */
	host_ip.ip.dns_addr[IC_KVP_MAX_IP_ADDR - 1] = '1';
	CHECK_EQ(ic_kvp_host_to_daemon(&host_ip, 7428, &dm, &why), -EBADMSG);
	host_ip.ip.dns_addr[IC_KVP_MAX_IP_ADDR - 1] = 0;
	/* é (2 bytes in UTF-8) and 1022 more: no room for the NUL, refused */
	host_ip.ip.dns_addr[0] = 0xe9;
	CHECK_EQ(ic_kvp_host_to_daemon(&host_ip, 7428, &dm, &why), -EBADMSG);
	host_ip.ip.dns_addr[0] = '1';

	/* GET_IP_INFO passes only the adapter id and family (as Linux) */
	host_ip.operation = IC_KVP_OP_GET_IP_INFO;
	CHECK_EQ(ic_kvp_host_to_daemon(&host_ip, 7428, &dm, &why), 0);
	CHECK(strcmp((char *)dm.body.kvp_ip_val.adapter_id, "{ADAPTER}") == 0);
	CHECK_EQ(dm.body.kvp_ip_val.ip_addr[0], 0);
	CHECK_EQ(dm.body.kvp_ip_val.dhcp_enabled, 0);
	host_ip.operation = IC_KVP_OP_SET_IP_INFO;

	/* the daemon's result of a SET_IP_INFO is the status, body untouched */
	memset(&dm, 0, sizeof(dm));
	dm.error = (int)0x80041002u;		/* HV_GUID_NOTFOUND */
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_SET_IP_INFO, &host_ip,
				       7428), 0x80041002);
	dm.error = 0;
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_SET_IP_INFO, &host_ip,
				       7428), IC_S_OK);
	CHECK_EQ(host_ip.ip.adapter_id[0], '{');

	/* an adapter id without NUL in its 128 units */
	memset(host_ip.ip.adapter_id, 'a', sizeof(host_ip.ip.adapter_id));
	CHECK_EQ(ic_kvp_host_to_daemon(&host_ip, 7428, &dm, &why), -EBADMSG);

	/* GET_IP_INFO answer: UTF-8 from the daemon back to UTF-16 */
	memset(&dm, 0, sizeof(dm));
	strcpy((char *)dm.body.kvp_ip_val.adapter_id, "eth0");
	strcpy((char *)dm.body.kvp_ip_val.ip_addr, "10.1.2.3;fe80::1");
	dm.body.kvp_ip_val.addr_family = 3;
	memset(&host_ip, 0, sizeof(host_ip));
	host_ip.operation = IC_KVP_OP_GET_IP_INFO;
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_GET_IP_INFO, &host_ip,
				       7428), IC_S_OK);
	CHECK_EQ(host_ip.ip.ip_addr[0], '1');
	CHECK_EQ(host_ip.ip.ip_addr[15], '1');
	CHECK_EQ(host_ip.ip.ip_addr[16], 0);
	CHECK_EQ(host_ip.ip.addr_family, 3);
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_GET_IP_INFO, &host_ip,
				       7427), IC_E_FAIL);
	memset(dm.body.kvp_ip_val.dns_addr, 'x', sizeof(dm.body.kvp_ip_val.dns_addr));
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_GET_IP_INFO, &host_ip,
				       7428), IC_E_FAIL);
}

/* A UTF-16 field equals the ASCII text s, NUL included. */
static int u16_is(const u16 *f, const char *s)
{
	unsigned int i;

	for (i = 0; s[i]; i++)
		if (f[i] != (u8)s[i])
			return 0;
	return f[i] == 0;
}

/* Every field of a GET_IP_INFO answer, as Linux's process_ob_ipinfo */
TEST(get_ip_info_answer)
{
	memset(&dm, 0, sizeof(dm));
	strcpy((char *)dm.body.kvp_ip_val.adapter_id, "00:15:5D:53:09:01");
	strcpy((char *)dm.body.kvp_ip_val.ip_addr, "10.6.0.5;fd00:6::5");
	strcpy((char *)dm.body.kvp_ip_val.sub_net, "255.255.255.0;/64");
	strcpy((char *)dm.body.kvp_ip_val.gate_way, "10.6.0.1;fd00:6::1;");
	strcpy((char *)dm.body.kvp_ip_val.dns_addr, "10.6.0.53;");
	dm.body.kvp_ip_val.addr_family = 3;
	dm.body.kvp_ip_val.dhcp_enabled = 1;
	memset(&host_ip, 0, sizeof(host_ip));
	host_ip.operation = IC_KVP_OP_GET_IP_INFO;
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_GET_IP_INFO, &host_ip,
				       7428), IC_S_OK);
	CHECK(u16_is(host_ip.ip.adapter_id, "00:15:5D:53:09:01"));
	CHECK(u16_is(host_ip.ip.ip_addr, "10.6.0.5;fd00:6::5"));
	CHECK(u16_is(host_ip.ip.sub_net, "255.255.255.0;/64"));
	CHECK(u16_is(host_ip.ip.gate_way, "10.6.0.1;fd00:6::1;"));
	CHECK(u16_is(host_ip.ip.dns_addr, "10.6.0.53;"));
	CHECK_EQ(host_ip.ip.addr_family, 3);
	CHECK_EQ(host_ip.ip.dhcp_enabled, 1);
	CHECK_EQ(host_ip.operation, IC_KVP_OP_GET_IP_INFO);

	/* the daemon's error is the status; the body is left as it was */
	memset(&host_ip, 0, sizeof(host_ip));
	dm.error = 0x80004005;
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_GET_IP_INFO, &host_ip,
				       7428), 0x80004005);
	CHECK_EQ(host_ip.ip.ip_addr[0], 0);
	CHECK_EQ(host_ip.ip.dhcp_enabled, 0);
}

TEST(daemon_answers)
{
	memset(&dm, 0, sizeof(dm));
	strcpy((char *)dm.body.kvp_enum_data.data.key, "OSName");
	strcpy((char *)dm.body.kvp_enum_data.data.value, "Debian \xc3\xa9");
	memset(&host, 0, sizeof(host));
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_ENUMERATE, &host, 2580),
		 IC_S_OK);
	CHECK_EQ(host.body.enumerate.data.key_size, 14);
	CHECK_EQ(host.body.enumerate.data.key[0], 'O');
	CHECK_EQ(host.body.enumerate.data.value_size, 18);
	CHECK_EQ(host.body.enumerate.data.value[14], 0xe9);
	CHECK_EQ(host.body.enumerate.data.value_type, IC_KVP_REG_SZ);

	/* the daemon's error goes to the host as the status */
	dm.error = (s32)HV_S_CONT;
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_ENUMERATE, &host, 2580),
		 IC_S_CONT);
	dm.error = 0;

	/* GET: only the value comes back */
	strcpy((char *)dm.body.kvp_get.data.value, "v");
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_GET, &host, 2576), IC_S_OK);
	CHECK_EQ(host.body.get.value_size, 4);
	/* a value the daemon did not terminate, bad UTF-8 */
	memset(dm.body.kvp_get.data.value, 'v', HV_KVP_EXCHANGE_MAX_VALUE_SIZE);
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_GET, &host, 2576),
		 IC_E_FAIL);
	strcpy((char *)dm.body.kvp_get.data.value, "\xff");
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_GET, &host, 2576),
		 IC_E_FAIL);
	CHECK_EQ(ic_kvp_daemon_to_host(&dm, IC_KVP_OP_SET, &host, 2576), IC_S_OK);
}
